#include "http/config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DB_CONNECTIONS_PER_PROCESS 32 /* the default, see db_connections below */

#ifndef POLIS_BUILD_GLYPHS_DIR
#define POLIS_BUILD_GLYPHS_DIR "./glyphs"
#endif

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

/* Where the web pages and MapLibre are by default. A binary installed with
 * `cmake --install` (PREFIX/bin/polis) uses PREFIX/share/polis, PREFIX
 * found from /proc/self/exe so that a copied or moved install still uses
 * its own files; any other binary (a build directory) uses the source tree
 * it was built from. "" when the binary is not installed. */
static const char *installed_share_dir(char *share, size_t sharelen)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return "";
    exe[n] = '\0';
    char *slash = strrchr(exe, '/'); /* PREFIX/bin|/polis */
    if (!slash)
        return "";
    *slash = '\0';
    slash = strrchr(exe, '/'); /* PREFIX|/bin */
    if (!slash || strcmp(slash, "/bin") != 0)
        return "";
    *slash = '\0';
    struct stat st;
    if (snprintf(share, sharelen, "%s/share/polis", exe) >= (int)sharelen ||
        stat(share, &st) != 0 || !S_ISDIR(st.st_mode))
        return "";
    return share;
}

/* Reads an integer variable within [min, max]; keeps *out when unset. */
static int env_int(const char *name, long min, long max, long *out, char *err, size_t errlen)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || n < min || n > max) {
        snprintf(err, errlen, "%s: expected an integer from %ld to %ld, found \"%s\"", name, min,
                 max, v);
        return -1;
    }
    *out = n;
    return 0;
}

static int parse_listen(struct polis_config *cfg, const char *v, char *err, size_t errlen)
{
    const char *colon = strrchr(v, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    size_t hostlen = colon ? (size_t)(colon - v) : 0;
    if (!colon || *end || colon[1] == '\0' || port < 0 || port > 65535 || hostlen == 0 ||
        hostlen >= sizeof cfg->listen_host) {
        snprintf(err, errlen, "POLIS_LISTEN: expected host:port such as 127.0.0.1:8080, found \"%s\"",
                 v);
        return -1;
    }
    memcpy(cfg->listen_host, v, hostlen);
    cfg->listen_host[hostlen] = '\0';
    cfg->listen_port = (int)port;
    return 0;
}

/* POLIS_PUBLIC_URL: http(s)://host[:port][/path], kept without trailing
 * slashes; links are built as public_url + "/path". */
static int parse_public_url(struct polis_config *cfg, const char *v, char *err, size_t errlen)
{
    if (!*v)
        return 0; /* unset: no mailed links */
    size_t n = strlen(v);
    while (n > 0 && v[n - 1] == '/')
        n--;
    size_t scheme = !strncmp(v, "https://", 8) ? 8 : !strncmp(v, "http://", 7) ? 7 : 0;
    if (!scheme || n <= scheme || n >= sizeof cfg->public_url || strcspn(v, "?# \t\r\n") < n ||
        v[scheme] == '/') {
        snprintf(err, errlen,
                 "POLIS_PUBLIC_URL: expected the address users reach polis at, such as "
                 "https://polis.example.gr (http or https, a host, no query), found \"%s\"",
                 v);
        return -1;
    }
    memcpy(cfg->public_url, v, n);
    cfg->public_url[n] = '\0';
    return 0;
}

/* ---- the plain settings, one row each ---- */

enum setting_type { AS_INT, AS_LONG, AS_SIZE, AS_DOUBLE };

#define FALLBACK_CORES (-2) /* the default of POLIS_THREADS: the number of cores */
#define AT(field) offsetof(struct polis_config, field)

/* An integer variable within [min, max] (else the error names both and what
 * was found); the field gets the value times scale (a unit change: KB to
 * bytes, seconds to ms). config.h says what each one means. */
static const struct number_setting {
    const char *name;
    long min, max, fallback, scale;
    enum setting_type type;
    size_t offset;
} number_settings[] = {
    {"POLIS_THREADS", 1, 256, FALLBACK_CORES, 1, AS_INT, AT(threads)},
    /* unset (-1): DB_CONNECTIONS_PER_PROCESS over the threads, see config_load */
    {"POLIS_DB_CONNECTIONS", 1, 64, -1, 1, AS_INT, AT(db_connections)},
    {"POLIS_DB_QUEUE_MAX", 1, 1000000, 256, 1, AS_INT, AT(db_queue_max)},
    {"POLIS_STATEMENT_TIMEOUT_MS", 10, 3600000, 5000, 1, AS_INT, AT(statement_timeout_ms)},
    {"POLIS_MAX_BODY_KB", 1, 1048576, 1024, 1024, AS_SIZE, AT(max_body_bytes)},
    {"POLIS_REQUEST_TIMEOUT_MS", 100, 3600000, 10000, 1, AS_INT, AT(request_timeout_ms)},
    {"POLIS_PAGE_DEFAULT", 1, 100000, 10, 1, AS_INT, AT(page_default)},
    {"POLIS_PAGE_MAX", 1, 100000, 100, 1, AS_INT, AT(page_max)},
    {"POLIS_BBOX_MAX_KM2", 1, 600000000, 1000000, 1, AS_DOUBLE, AT(bbox_max_km2)},
    {"POLIS_DRAIN_SECONDS", 0, 3600, 10, 1, AS_INT, AT(drain_seconds)},
    {"POLIS_ACCESS_LOG", 0, 1, 1, 1, AS_INT, AT(access_log)},
    {"POLIS_SESSION_IDLE_MINUTES", 1, 525600, 1440, 1, AS_INT, AT(session_idle_minutes)},
    {"POLIS_SESSION_MAX_HOURS", 1, 87600, 336, 1, AS_INT, AT(session_max_hours)},
    {"POLIS_RATE_LOGIN", 0, 100000, 10, 1, AS_INT, AT(rate_login)},
    {"POLIS_RATE_REGISTER", 0, 100000, 5, 1, AS_INT, AT(rate_register)},
    {"POLIS_RATE_RESET", 0, 100000, 5, 1, AS_INT, AT(rate_reset)},
    {"POLIS_RATE_ANON_WRITE", 0, 100000, 30, 1, AS_INT, AT(rate_anon_write)},
    {"POLIS_PHOTO_MAX_MB", 1, 1024, 8, 1024 * 1024, AS_SIZE, AT(photo_max_bytes)},
    {"POLIS_OFFLOAD_THREADS", 1, 64, 2, 1, AS_INT, AT(offload_threads)},
    {"POLIS_DOWNLOADS_MAX", 1, 64, 1, 1, AS_INT, AT(downloads_max)},
    {"POLIS_UPLOAD_MAX_MB", 1, 4096, 50, 1024 * 1024, AS_SIZE, AT(upload_max_bytes)},
    {"POLIS_UPLOAD_MAX_PAGES", 1, 100000, 50, 1, AS_INT, AT(upload_max_pages)},
    {"POLIS_IMPORT_THREADS", 1, 16, 1, 1, AS_INT, AT(import_threads)},
    {"POLIS_IMPORT_MAX_UNZIPPED_MB", 1, 1048576, 2048, 1, AS_LONG, AT(import_max_unzipped_mb)},
    {"POLIS_IMPORT_MAX_MEMORY_MB", 256, 1048576, 2048, 1, AS_LONG, AT(import_max_memory_mb)},
    {"POLIS_IMPORT_MAX_CPU_SECONDS", 1, 604800, 1800, 1, AS_LONG, AT(import_max_cpu_seconds)},
    {"POLIS_IMPORT_MAX_FILE_MB", 1, 1048576, 1024, 1, AS_LONG, AT(import_max_file_mb)},
    {"POLIS_RATE_USER_WRITE", 0, 100000, 120, 1, AS_INT, AT(rate_user_write)},
    {"POLIS_LOGIN_FAILURES", 1, 1000, 5, 1, AS_INT, AT(login_failures)},
    /* unset (-1): a quarter of the database connections, see config_load */
    {"POLIS_EXPENSIVE_PER_CLIENT", 1, 100000, -1, 1, AS_INT, AT(expensive_per_client)},
    {"POLIS_HTTP2_CLEARTEXT", 0, 1, 0, 1, AS_INT, AT(http2_cleartext)},
    {"POLIS_MAX_CONNECTIONS", 1, 1000000, 1024, 1, AS_INT, AT(max_connections)},
    {"POLIS_TILE_CACHE_MB", 0, 65536, 64, 1, AS_LONG, AT(tile_cache_mb)},
    {"POLIS_PHOTO_SWEEP_GRACE_MINUTES", 1, 525600, 60, 60, AS_LONG, AT(photo_sweep_grace_s)},
    {"POLIS_MAIL_GIVE_UP_AFTER_S", 1, 31536000, 172800, 1, AS_LONG, AT(mail_give_up_s)},
    {"POLIS_SMTP_REQUIRE_TLS", 0, 1, 0, 1, AS_INT, AT(smtp_require_tls)},
    {"POLIS_STREAM_HEARTBEAT_S", 1, 3600, 25, 1000, AS_INT, AT(stream_heartbeat_ms)},
    {"POLIS_STREAM_RETRY_MS", 100, 3600000, 3000, 1, AS_INT, AT(stream_retry_ms)},
};

/* A text variable; unset or empty gives the fallback. */
static const struct text_setting {
    const char *name, *fallback;
    size_t offset;
} text_settings[] = {
    {"POLIS_DATABASE_URL", "", AT(database_url)},
    {"POLIS_DATABASE_OWNER_URL", "", AT(database_owner_url)},
    {"POLIS_MUNICIPALITY", "9054", AT(municipality)},
    {"POLIS_VAR", "./var", AT(var_dir)},
    {"POLIS_DEMO_DATA", "../shared/data", AT(demo_data_dir)},
    {"POLIS_TEST_IMPORT_CRASH", "", AT(test_import_crash)},
    {"POLIS_METRICS_TOKEN", "", AT(metrics_token)},
    {"POLIS_SMTP_URL", "", AT(smtp_url)},
    {"POLIS_SMTP_USER", "", AT(smtp_user)},
    {"POLIS_SMTP_PASSWORD", "", AT(smtp_password)},
    {"POLIS_MAIL_FROM", "", AT(mail_from)},
    {"POLIS_BASEMAP_STYLE_URL", "", AT(basemap_style_url)},
    {"POLIS_SIGNING_KEY", "", AT(signing_key)},
    {"POLIS_SIGNING_CERT", "", AT(signing_cert)},
    {"POLIS_LETTERHEAD_LOGO", "", AT(letterhead_logo)},
    {"POLIS_OIDC_ISSUER", "", AT(oidc.issuer)},
    {"POLIS_OIDC_AUTHORIZATION_URL", "", AT(oidc.authorization_url)},
    {"POLIS_OIDC_TOKEN_URL", "", AT(oidc.token_url)},
    {"POLIS_OIDC_JWKS_URL", "", AT(oidc.jwks_url)},
    {"POLIS_OIDC_USERINFO_URL", "", AT(oidc.userinfo_url)},
    {"POLIS_OIDC_CLIENT_ID", "", AT(oidc.client_id)},
    {"POLIS_OIDC_CLIENT_SECRET", "", AT(oidc.client_secret)},
    {"POLIS_OIDC_SCOPES", "openid profile email", AT(oidc.scopes)},
    {"POLIS_OIDC_LABEL", "", AT(oidc.label)},
    {"POLIS_OIDC_TAX_NUMBER_CLAIM", "tax_number", AT(oidc.tax_number_claim)},
    {"POLIS_OIDC_NAME_CLAIM", "name", AT(oidc.name_claim)},
};

static int load_number(struct polis_config *cfg, const struct number_setting *s, char *err,
                       size_t errlen)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long v = s->fallback == FALLBACK_CORES ? (cores > 0 ? cores : 1) : s->fallback;
    if (env_int(s->name, s->min, s->max, &v, err, errlen))
        return -1;
    char *field = (char *)cfg + s->offset;
    switch (s->type) {
    case AS_INT:
        *(int *)field = (int)(v * s->scale);
        break;
    case AS_LONG:
        *(long *)field = v * s->scale;
        break;
    case AS_SIZE:
        *(size_t *)field = (size_t)v * (size_t)s->scale;
        break;
    case AS_DOUBLE:
        *(double *)field = (double)v * (double)s->scale;
        break;
    }
    return 0;
}

static int load_tables(struct polis_config *cfg, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof number_settings / sizeof number_settings[0]; i++)
        if (load_number(cfg, &number_settings[i], err, errlen))
            return -1;
    for (size_t i = 0; i < sizeof text_settings / sizeof text_settings[0]; i++)
        *(const char **)((char *)cfg + text_settings[i].offset) =
            env_or(text_settings[i].name, text_settings[i].fallback);
    return 0;
}

/* ---- the settings with rules of their own ---- */

/* A Bearer token Prometheus sends for /metrics; short ones could be guessed. */
static int check_metrics_token(const struct polis_config *cfg, char *err, size_t errlen)
{
    size_t len = strlen(cfg->metrics_token);
    if (len && (len < 16 || len > 200 || strcspn(cfg->metrics_token, " \t\r\n") != len)) {
        snprintf(err, errlen, "POLIS_METRICS_TOKEN: expected 16 to 200 characters without "
                 "spaces, found %zu characters", len);
        return -1;
    }
    return 0;
}

/* The hour (Europe/Athens) polis serve sends the daily digest, or "off":
 * serve sends none (polis mail digest, e.g. from cron, does). */
static int load_digest_hour(struct polis_config *cfg, char *err, size_t errlen)
{
    const char *hour = getenv("POLIS_DIGEST_HOUR");
    long digest_hour = 7;
    if (hour && !strcmp(hour, "off")) {
        cfg->digest_hour = -1;
        return 0;
    }
    if (env_int("POLIS_DIGEST_HOUR", 0, 23, &digest_hour, err, errlen)) {
        snprintf(err, errlen, "POLIS_DIGEST_HOUR: expected an hour from 0 to 23, or off; found "
                 "\"%.40s\"", hour);
        return -1;
    }
    cfg->digest_hour = (int)digest_hour;
    return 0;
}

/* Mail delivery: the SMTP server and the sender address. The address is
 * checked here because it goes into every mail's headers and envelope. */
static int check_mail(const struct polis_config *cfg, char *err, size_t errlen)
{
    if (*cfg->smtp_url && strncmp(cfg->smtp_url, "smtp://", 7) &&
        strncmp(cfg->smtp_url, "smtps://", 8)) {
        snprintf(err, errlen, "POLIS_SMTP_URL: expected smtp://host[:port] or "
                 "smtps://host[:port], found \"%.40s\"", cfg->smtp_url);
        return -1;
    }
    const char *from = cfg->mail_from, *at = strchr(from, '@');
    size_t len = strlen(from);
    if ((*cfg->smtp_url || len) &&
        (!at || at == from || !at[1] || strchr(at + 1, '@') || len > 254 ||
         strcspn(from, " \t\r\n<>()[],;:\"\\") != len)) {
        snprintf(err, errlen, "POLIS_MAIL_FROM: expected the sender's address such as "
                 "polis@example.gr%s, found \"%.80s\"",
                 *cfg->smtp_url ? " (POLIS_SMTP_URL is set)" : "", from);
        return -1;
    }
    return 0;
}

/* An external basemap style: an absolute http(s) URL. Its origin goes into
 * the page's Content-Security-Policy and the URL into the page's HTML, so
 * nothing that could end a header directive or an attribute is allowed. */
static int load_basemap_style(struct polis_config *cfg, char *err, size_t errlen)
{
    const char *url = cfg->basemap_style_url;
    size_t len = strlen(url);
    if (!len)
        return 0;
    const char *host = !strncmp(url, "https://", 8) ? url + 8
                       : !strncmp(url, "http://", 7) ? url + 7
                                                     : NULL;
    size_t origin_len = host ? (size_t)(host - url) + strcspn(host, "/?#") : 0;
    if (!host || origin_len == (size_t)(host - url) || len > 1000 ||
        origin_len >= sizeof cfg->basemap_style_origin ||
        strcspn(url, " \t\r\n\"'<>;,\\") != len) {
        snprintf(err, errlen, "POLIS_BASEMAP_STYLE_URL: expected the absolute http(s) URL of a "
                 "MapLibre style (https://host/path/style.json), found \"%.80s\"", url);
        return -1;
    }
    memcpy(cfg->basemap_style_origin, url, origin_len);
    cfg->basemap_style_origin[origin_len] = '\0';
    return 0;
}

/* The key and certificate that sign answer documents come as a pair. */
static int check_signing(const struct polis_config *cfg, char *err, size_t errlen)
{
    if (!*cfg->signing_key != !*cfg->signing_cert) {
        snprintf(err, errlen, "%s: expected it set together with %s (the signing key and its "
                 "certificate), found only %s",
                 *cfg->signing_key ? "POLIS_SIGNING_CERT" : "POLIS_SIGNING_KEY",
                 *cfg->signing_key ? "POLIS_SIGNING_KEY" : "POLIS_SIGNING_CERT",
                 *cfg->signing_key ? "POLIS_SIGNING_KEY" : "POLIS_SIGNING_CERT");
        return -1;
    }
    return 0;
}

/* An identity provider's URL: https, or http only on this machine (a
 * provider run by a test or a local proxy): the code and tokens travel on it. */
static int provider_url_ok(const char *v)
{
    static const char *const local[] = {"http://127.0.0.1:", "http://127.0.0.1/",
                                        "http://localhost:", "http://localhost/", "http://[::1]"};
    size_t len = strlen(v);
    if (len > 1000 || strcspn(v, " \t\r\n\"'<>\\#") != len)
        return 0;
    if (!strncmp(v, "https://", 8))
        return len > 8 && v[8] != '/';
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
        if (!strncmp(v, local[i], strlen(local[i])))
            return 1;
    return 0;
}

/* Sign-in with an identity provider: on when any of its settings is set;
 * then it needs a client id, the public address (the redirect URI is made
 * from it) and either an issuer (OpenID Connect: discovery gives the
 * endpoints not configured) or the authorization, token and userinfo
 * endpoints (plain OAuth 2.0: no id_token, the identity is the userinfo
 * reply). */
static int check_oidc(struct polis_config *cfg, char *err, size_t errlen)
{
    struct oidc_settings *o = &cfg->oidc;
    const struct { const char *name, *value; } urls[] = {
        {"POLIS_OIDC_ISSUER", o->issuer},
        {"POLIS_OIDC_AUTHORIZATION_URL", o->authorization_url},
        {"POLIS_OIDC_TOKEN_URL", o->token_url},
        {"POLIS_OIDC_JWKS_URL", o->jwks_url},
        {"POLIS_OIDC_USERINFO_URL", o->userinfo_url},
    };
    o->enabled = *o->client_id != '\0';
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        if (!*urls[i].value)
            continue;
        o->enabled = 1;
        if (!provider_url_ok(urls[i].value)) {
            snprintf(err, errlen, "%s: expected an https URL (http only for 127.0.0.1 or "
                     "localhost), found \"%.80s\"", urls[i].name, urls[i].value);
            return -1;
        }
    }
    if (!o->enabled)
        return 0;
    const char *missing = !*o->client_id ? "POLIS_OIDC_CLIENT_ID (the client id the provider "
                                           "gave polis)"
                          : !*cfg->public_url ? "POLIS_PUBLIC_URL (the redirect URI is made "
                                                "from it)"
                          : *o->issuer ? NULL
                          : !*o->authorization_url ? "POLIS_OIDC_ISSUER, or "
                                                     "POLIS_OIDC_AUTHORIZATION_URL"
                          : !*o->token_url ? "POLIS_OIDC_TOKEN_URL"
                          : *o->jwks_url ? "POLIS_OIDC_ISSUER (an id_token checked with "
                                           "POLIS_OIDC_JWKS_URL must name its issuer)"
                          : !*o->userinfo_url ? "POLIS_OIDC_USERINFO_URL (without an issuer: "
                                                "plain OAuth 2.0, the identity is the userinfo "
                                                "reply)"
                                              : NULL;
    if (missing) {
        snprintf(err, errlen, "sign-in with an identity provider is configured (a POLIS_OIDC_* "
                 "variable is set) but %s is not: expected it set too", missing);
        return -1;
    }
    const struct { const char *name, *value; size_t max; const char *bad; } texts[] = {
        {"POLIS_OIDC_CLIENT_ID", o->client_id, 255, " \t\r\n"},
        {"POLIS_OIDC_SCOPES", o->scopes, 500, "\"\\\t\r\n&#"},
        {"POLIS_OIDC_LABEL", o->label, 60, "\t\r\n<>&\"'"},
        {"POLIS_OIDC_TAX_NUMBER_CLAIM", o->tax_number_claim, 100, " \t\r\n"},
        {"POLIS_OIDC_NAME_CLAIM", o->name_claim, 100, " \t\r\n"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t len = strlen(texts[i].value);
        if (len > texts[i].max || strcspn(texts[i].value, texts[i].bad) != len) {
            snprintf(err, errlen, "%s: expected at most %zu characters without control "
                     "characters%s, found \"%.80s\"", texts[i].name, texts[i].max,
                     i == 2 ? " or <>&\"'" : " or spaces", texts[i].value);
            return -1;
        }
    }
    if (!*o->label)
        o->label = "the identity provider";
    return 0;
}

/* The pages default to the install's share dir, else to the source tree
 * this binary was built from. */
static void load_web_dirs(struct polis_config *cfg)
{
    char share_buf[PATH_MAX];
    const char *share = installed_share_dir(share_buf, sizeof share_buf);
    snprintf(cfg->installed_web_dir, sizeof cfg->installed_web_dir, "%s/web", share);
    snprintf(cfg->installed_maplibre_dir, sizeof cfg->installed_maplibre_dir,
             "%s/maplibre-gl/dist", share);
    cfg->web_dir = env_or("POLIS_WEB_DIR", *share ? cfg->installed_web_dir
                                                  : POLIS_SOURCE_DIR "/web");
    cfg->web_dir_explicit = env_or("POLIS_WEB_DIR", NULL) != NULL;
    cfg->maplibre_dir =
        env_or("POLIS_MAPLIBRE_DIR", *share ? cfg->installed_maplibre_dir
                                            : POLIS_SOURCE_DIR "/node_modules/maplibre-gl/dist");
    cfg->maplibre_dir_explicit = env_or("POLIS_MAPLIBRE_DIR", NULL) != NULL;
    snprintf(cfg->installed_glyphs_dir, sizeof cfg->installed_glyphs_dir, "%s/glyphs", share);
    cfg->glyphs_dir = env_or("POLIS_GLYPHS_DIR", *share ? cfg->installed_glyphs_dir
                                                        : POLIS_BUILD_GLYPHS_DIR);
    cfg->glyphs_dir_explicit = env_or("POLIS_GLYPHS_DIR", NULL) != NULL;
}

int config_load(struct polis_config *cfg, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    if (parse_listen(cfg, env_or("POLIS_LISTEN", "127.0.0.1:8080"), err, errlen) ||
        parse_public_url(cfg, env_or("POLIS_PUBLIC_URL", ""), err, errlen) ||
        load_tables(cfg, err, errlen))
        return -1;
    /* a deployment with one role for everything sets only POLIS_DATABASE_URL */
    if (!cfg->database_owner_url[0])
        cfg->database_owner_url = cfg->database_url;
    if (cfg->page_default > cfg->page_max) {
        snprintf(err, errlen, "POLIS_PAGE_DEFAULT (%d) must not exceed POLIS_PAGE_MAX (%d)",
                 cfg->page_default, cfg->page_max);
        return -1;
    }
    /* by default at least DB_CONNECTIONS_PER_PROCESS per process, spread
     * over the threads, and never fewer than 4 per thread: a durable write
     * waits for its commit, and PostgreSQL flushes the commits that are
     * ready together (group commit), so more writers in flight file more
     * reports per flush */
    if (cfg->db_connections < 0) {
        int per_thread = (DB_CONNECTIONS_PER_PROCESS + cfg->threads - 1) / cfg->threads;
        cfg->db_connections = per_thread > 4 ? per_thread : 4;
    }
    /* by default one client may hold a quarter of the database connections
     * with expensive reads (never less than one) */
    if (cfg->expensive_per_client < 0) {
        int quarter = cfg->threads * cfg->db_connections / 4;
        cfg->expensive_per_client = quarter > 0 ? quarter : 1;
    }
    if (trusted_proxies_parse(env_or("POLIS_TRUSTED_PROXIES", ""), &cfg->trusted, err, errlen) ||
        check_metrics_token(cfg, err, errlen) || check_mail(cfg, err, errlen) ||
        load_digest_hour(cfg, err, errlen) || load_basemap_style(cfg, err, errlen) ||
        check_signing(cfg, err, errlen) || check_oidc(cfg, err, errlen))
        return -1;
    load_web_dirs(cfg);
    return 0;
}
