/* Configuration from POLIS_* environment variables, each with a default.
 * Read once at start-up; never changed afterwards, so threads share it. */
#ifndef POLIS_CONFIG_H
#define POLIS_CONFIG_H

#include "auth/oidc_provider.h"
#include "http/client_addr.h"

#include <limits.h>
#include <stddef.h>

struct polis_config {
    char listen_host[64];       /* POLIS_LISTEN host part, default 127.0.0.1 */
    int listen_port;            /* POLIS_LISTEN port part, default 8080 */
    int threads;                /* POLIS_THREADS, default: number of cores */
    const char *database_url;   /* POLIS_DATABASE_URL, default "" (libpq PG* env): the
                                 * application role, no DDL (README "Database roles") */
    const char *database_owner_url; /* POLIS_DATABASE_OWNER_URL: the role that owns the schema,
                                 * for what creates tables (migrate, layer imports, backup,
                                 * restore); default: database_url (one role for all) */
    int db_connections;         /* POLIS_DB_CONNECTIONS per thread, default 32 / threads (at least 4) */
    int db_queue_max;           /* POLIS_DB_QUEUE_MAX waiting queries per thread, default 256 */
    int statement_timeout_ms;   /* POLIS_STATEMENT_TIMEOUT_MS, default 5000 */
    const char *municipality;   /* POLIS_MUNICIPALITY (KWD_YPES code), default 9054 (Serres) */
    const char *var_dir;        /* POLIS_VAR, default ./var */
    size_t max_body_bytes;      /* POLIS_MAX_BODY_KB, default 1024 */
    int request_timeout_ms;     /* POLIS_REQUEST_TIMEOUT_MS: longest silence while reading a
                                 * request (headers or body), default 10000 */
    int page_default;           /* POLIS_PAGE_DEFAULT, default 10 */
    int page_max;               /* POLIS_PAGE_MAX, default 100 */
    double bbox_max_km2;        /* POLIS_BBOX_MAX_KM2, default 1,000,000 */
    int drain_seconds;          /* POLIS_DRAIN_SECONDS: SIGTERM grace period, default 10 */
    int access_log;             /* POLIS_ACCESS_LOG=0 turns the per-request line off */
    char public_url[512];       /* POLIS_PUBLIC_URL: how users reach us, no trailing "/"; "" when
                                 * unset (no mailed links then); https: __Host- Secure cookie */
    int session_idle_minutes;   /* POLIS_SESSION_IDLE_MINUTES, default 1440 (a day) */
    int session_max_hours;      /* POLIS_SESSION_MAX_HOURS: absolute expiry, default 336 (14 days) */
    int rate_login;             /* POLIS_RATE_LOGIN per minute per IP and per account, default 10 */
    int rate_register;          /* POLIS_RATE_REGISTER per minute per IP, default 5 */
    int rate_reset;             /* POLIS_RATE_RESET per minute per IP, default 5 */
    int rate_anon_write;        /* POLIS_RATE_ANON_WRITE per minute per IP, default 30 */
    int rate_user_write;        /* POLIS_RATE_USER_WRITE per minute per account, default 120 */
    int login_failures;         /* POLIS_LOGIN_FAILURES before an account+client pair waits, default 5 */
    int expensive_per_client;   /* POLIS_EXPENSIVE_PER_CLIENT: concurrent expensive reads, default
                                 * a quarter of the process's database connections */
    struct trusted_proxies trusted; /* POLIS_TRUSTED_PROXIES: addresses/CIDRs whose
                                     * X-Forwarded-For is believed, default none */
    int http2_cleartext;        /* POLIS_HTTP2_CLEARTEXT=1: h2c upgrade and prior knowledge */
    int max_connections;        /* POLIS_MAX_CONNECTIONS open at once per process, default 1024 */
    int offload_threads;        /* POLIS_OFFLOAD_THREADS for password hashing etc., default 2 */
    int downloads_max;          /* POLIS_DOWNLOADS_MAX: layer downloads made at once (each holds an
                                 * offload thread while GDAL writes, then its file on disk until
                                 * sent), default 1; beyond it 503 */
    size_t photo_max_bytes;     /* POLIS_PHOTO_MAX_MB: one report photo, default 8 */
    size_t upload_max_bytes;    /* POLIS_UPLOAD_MAX_MB: bodies of BODY_UPLOAD routes, default 50 */
    int upload_max_pages;       /* POLIS_UPLOAD_MAX_PAGES: pages of a PDF attached to an
                                 * application, default 50 */
    int import_threads;         /* POLIS_IMPORT_THREADS: uploads imported at once, default 1 */
    long import_max_unzipped_mb;  /* POLIS_IMPORT_MAX_UNZIPPED_MB: a container inflating past it is refused, default 2048 */
    long import_max_memory_mb;    /* POLIS_IMPORT_MAX_MEMORY_MB: an import child's address space, default 2048 */
    long import_max_cpu_seconds;  /* POLIS_IMPORT_MAX_CPU_SECONDS: an import child's CPU time, default 1800 */
    long import_max_file_mb;      /* POLIS_IMPORT_MAX_FILE_MB: largest file an import child writes, default 1024 */
    char installed_web_dir[PATH_MAX + 32];      /* <prefix>/share/polis/web of an install */
    char installed_maplibre_dir[PATH_MAX + 32]; /* <prefix>/share/polis/maplibre-gl/dist */
    const char *web_dir;        /* POLIS_WEB_DIR: the pages, default <prefix>/share/polis/web
                                 * when installed, else <source>/web */
    int web_dir_explicit;       /* set in the environment: must exist */
    const char *maplibre_dir;   /* POLIS_MAPLIBRE_DIR, default <prefix>/share/polis/maplibre-gl/dist
                                 * when installed, else <source>/node_modules/maplibre-gl/dist */
    int maplibre_dir_explicit;
    char installed_glyphs_dir[PATH_MAX + 32];   /* <prefix>/share/polis/glyphs */
    const char *glyphs_dir;     /* POLIS_GLYPHS_DIR: the label glyphs (/fonts/), default
                                 * <prefix>/share/polis/glyphs when installed, else <build>/glyphs */
    int glyphs_dir_explicit;
    const char *basemap_style_url; /* POLIS_BASEMAP_STYLE_URL: an external MapLibre style the page
                                    * uses instead of /styles/basemap.json, default "" */
    char basemap_style_origin[256]; /* its scheme://host[:port], for the page's CSP; "" without it */
    const char *metrics_token;  /* POLIS_METRICS_TOKEN: Bearer token for /metrics, default "" */
    long tile_cache_mb;         /* POLIS_TILE_CACHE_MB: the tile cache, default 64, 0 = none */
    const char *demo_data_dir;  /* POLIS_DEMO_DATA: where `polis demo load` reads, default
                                 * ../shared/data */
    const char *test_import_crash; /* POLIS_TEST_IMPORT_CRASH: tests only, see README */
    long photo_sweep_grace_s;   /* POLIS_PHOTO_SWEEP_GRACE_MINUTES: orphan photo files older
                                 * than this are removed, default 60 */
    /* mail delivery (jobs/mail_sender.h); off while smtp_url is "" */
    const char *smtp_url;       /* POLIS_SMTP_URL: smtp://host[:port] or smtps://..., default "" */
    const char *smtp_user;      /* POLIS_SMTP_USER, default "" (none, or the URL's) */
    const char *smtp_password;  /* POLIS_SMTP_PASSWORD, default "" */
    int smtp_require_tls;       /* POLIS_SMTP_REQUIRE_TLS=1: smtp:// only with STARTTLS */
    const char *mail_from;      /* POLIS_MAIL_FROM: the sender address, needed with smtp_url */
    long mail_give_up_s;        /* POLIS_MAIL_GIVE_UP_AFTER_S: a message still unsent this long
                                 * after it was written is marked failed, default 172800 (2 days) */
    int digest_hour;            /* POLIS_DIGEST_HOUR: from this hour (0-23, Europe/Athens) on, the
                                 * day's digest mails go out, default 7; -1 ("off"): polis serve
                                 * sends none (polis mail digest does) */
    int stream_heartbeat_ms;    /* POLIS_STREAM_HEARTBEAT_S: a comment line on every open
                                 * mailbox stream this often, default 25 s */
    int stream_retry_ms;        /* POLIS_STREAM_RETRY_MS: the SSE retry: a client waits this
                                 * long before it reconnects, default 3000 */
    /* answer documents (services/answer_document.h) */
    const char *signing_key;    /* POLIS_SIGNING_KEY: PEM private key that signs them, default "" (none:
                                 * documents cannot be issued); set with POLIS_SIGNING_CERT */
    const char *signing_cert;   /* POLIS_SIGNING_CERT: its PEM certificate (and chain), default "" */
    const char *letterhead_logo; /* POLIS_LETTERHEAD_LOGO: a PNG for the letterhead, default "" (none) */
    /* sign-in with an identity provider (auth/oidc_provider.h): POLIS_OIDC_ISSUER or the
     * explicit endpoints, POLIS_OIDC_CLIENT_ID, ...; off (enabled 0) when none is set */
    struct oidc_settings oidc;
};

/* Fills cfg from the environment. Returns 0, or -1 after writing which
 * variable is wrong (what was expected, what was found) into err. */
int config_load(struct polis_config *cfg, char *err, size_t errlen);


#endif
