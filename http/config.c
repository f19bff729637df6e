#include "http/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* /metrics access and the sweep of orphaned photo files. */
static int config_load_privacy(struct polis_config *cfg, char *err, size_t errlen)
{
    long grace = 60;
    if (env_int("POLIS_PHOTO_SWEEP_GRACE_MINUTES", 1, 525600, &grace, err, errlen))
        return -1;
    cfg->photo_sweep_grace_s = grace * 60;
    /* a Bearer token Prometheus sends; short ones could be guessed */
    cfg->metrics_token = env_or("POLIS_METRICS_TOKEN", "");
    size_t len = strlen(cfg->metrics_token);
    if (len && (len < 16 || len > 200 || strcspn(cfg->metrics_token, " \t\r\n") != len)) {
        snprintf(err, errlen, "POLIS_METRICS_TOKEN: expected 16 to 200 characters without "
                 "spaces, found %zu characters", len);
        return -1;
    }
    return 0;
}

/* Mail delivery: the SMTP server and the sender address. The address is
 * checked here because it goes into every mail's headers and envelope. */
static int config_load_mail(struct polis_config *cfg, char *err, size_t errlen)
{
    long give_up = 172800, require_tls = 0, digest_hour = 7;
    /* "off": polis serve sends no digest (polis mail digest, e.g. from cron, does) */
    const char *hour = getenv("POLIS_DIGEST_HOUR");
    if (hour && !strcmp(hour, "off"))
        digest_hour = -1;
    else if (env_int("POLIS_DIGEST_HOUR", 0, 23, &digest_hour, err, errlen)) {
        snprintf(err, errlen, "POLIS_DIGEST_HOUR: expected an hour from 0 to 23, or off; found "
                 "\"%.40s\"", hour);
        return -1;
    }
    if (env_int("POLIS_MAIL_GIVE_UP_AFTER_S", 1, 31536000, &give_up, err, errlen) ||
        env_int("POLIS_SMTP_REQUIRE_TLS", 0, 1, &require_tls, err, errlen))
        return -1;
    cfg->mail_give_up_s = give_up;
    cfg->digest_hour = (int)digest_hour;
    cfg->smtp_require_tls = (int)require_tls;
    cfg->smtp_url = env_or("POLIS_SMTP_URL", "");
    cfg->smtp_user = env_or("POLIS_SMTP_USER", "");
    cfg->smtp_password = env_or("POLIS_SMTP_PASSWORD", "");
    cfg->mail_from = env_or("POLIS_MAIL_FROM", "");
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

/* The live mailbox streams (GET /api/v1/me/stream, http/sse.h). */
static int config_load_stream(struct polis_config *cfg, char *err, size_t errlen)
{
    long heartbeat_s = 25, retry_ms = 3000;
    if (env_int("POLIS_STREAM_HEARTBEAT_S", 1, 3600, &heartbeat_s, err, errlen) ||
        env_int("POLIS_STREAM_RETRY_MS", 100, 3600000, &retry_ms, err, errlen))
        return -1;
    cfg->stream_heartbeat_ms = (int)heartbeat_s * 1000;
    cfg->stream_retry_ms = (int)retry_ms;
    return 0;
}

int config_load(struct polis_config *cfg, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long threads = cores > 0 ? cores : 1, conns = 4, queue = 256, stmt_ms = 5000;
    long body_kb = 1024, req_ms = 10000, page_def = 10, page_max = 100, bbox = 1000000;
    long drain = 10, access_log = 1, idle = 1440, max_hours = 336, r_login = 10, r_register = 5;
    long r_reset = 5, r_anon = 30, offload = 2;
    long photo_mb = 8;
    long upload_mb = 50, import_threads = 1;
    long import_unzipped_mb = 2048, import_memory_mb = 2048, import_cpu_s = 1800;
    long import_file_mb = 1024;
    long tile_cache_mb = 64;
    long r_user = 120, login_failures = 5, expensive = -1, h2c = 0, max_conns = 1024;

    if (parse_listen(cfg, env_or("POLIS_LISTEN", "127.0.0.1:8080"), err, errlen) ||
        parse_public_url(cfg, env_or("POLIS_PUBLIC_URL", ""), err, errlen) ||
        env_int("POLIS_THREADS", 1, 256, &threads, err, errlen) ||
        env_int("POLIS_DB_CONNECTIONS", 1, 64, &conns, err, errlen) ||
        env_int("POLIS_DB_QUEUE_MAX", 1, 1000000, &queue, err, errlen) ||
        env_int("POLIS_STATEMENT_TIMEOUT_MS", 10, 3600000, &stmt_ms, err, errlen) ||
        env_int("POLIS_MAX_BODY_KB", 1, 1048576, &body_kb, err, errlen) ||
        env_int("POLIS_REQUEST_TIMEOUT_MS", 100, 3600000, &req_ms, err, errlen) ||
        env_int("POLIS_PAGE_DEFAULT", 1, 100000, &page_def, err, errlen) ||
        env_int("POLIS_PAGE_MAX", 1, 100000, &page_max, err, errlen) ||
        env_int("POLIS_BBOX_MAX_KM2", 1, 600000000, &bbox, err, errlen) ||
        env_int("POLIS_DRAIN_SECONDS", 0, 3600, &drain, err, errlen) ||
        env_int("POLIS_ACCESS_LOG", 0, 1, &access_log, err, errlen) ||
        env_int("POLIS_SESSION_IDLE_MINUTES", 1, 525600, &idle, err, errlen) ||
        env_int("POLIS_SESSION_MAX_HOURS", 1, 87600, &max_hours, err, errlen) ||
        env_int("POLIS_RATE_LOGIN", 0, 100000, &r_login, err, errlen) ||
        env_int("POLIS_RATE_REGISTER", 0, 100000, &r_register, err, errlen) ||
        env_int("POLIS_RATE_RESET", 0, 100000, &r_reset, err, errlen) ||
        env_int("POLIS_RATE_ANON_WRITE", 0, 100000, &r_anon, err, errlen) ||
        env_int("POLIS_PHOTO_MAX_MB", 1, 1024, &photo_mb, err, errlen) ||
        env_int("POLIS_OFFLOAD_THREADS", 1, 64, &offload, err, errlen) ||
        env_int("POLIS_UPLOAD_MAX_MB", 1, 4096, &upload_mb, err, errlen) ||
        env_int("POLIS_IMPORT_THREADS", 1, 16, &import_threads, err, errlen) ||
        env_int("POLIS_IMPORT_MAX_UNZIPPED_MB", 1, 1048576, &import_unzipped_mb, err, errlen) ||
        env_int("POLIS_IMPORT_MAX_MEMORY_MB", 256, 1048576, &import_memory_mb, err, errlen) ||
        env_int("POLIS_IMPORT_MAX_CPU_SECONDS", 1, 604800, &import_cpu_s, err, errlen) ||
        env_int("POLIS_IMPORT_MAX_FILE_MB", 1, 1048576, &import_file_mb, err, errlen) ||
        env_int("POLIS_RATE_USER_WRITE", 0, 100000, &r_user, err, errlen) ||
        env_int("POLIS_LOGIN_FAILURES", 1, 1000, &login_failures, err, errlen) ||
        env_int("POLIS_EXPENSIVE_PER_CLIENT", 1, 100000, &expensive, err, errlen) ||
        env_int("POLIS_HTTP2_CLEARTEXT", 0, 1, &h2c, err, errlen) ||
        env_int("POLIS_MAX_CONNECTIONS", 1, 1000000, &max_conns, err, errlen) ||
        env_int("POLIS_TILE_CACHE_MB", 0, 65536, &tile_cache_mb, err, errlen))
        return -1;
    if (page_def > page_max) {
        snprintf(err, errlen, "POLIS_PAGE_DEFAULT (%ld) must not exceed POLIS_PAGE_MAX (%ld)",
                 page_def, page_max);
        return -1;
    }
    cfg->threads = (int)threads;
    cfg->db_connections = (int)conns;
    cfg->db_queue_max = (int)queue;
    cfg->statement_timeout_ms = (int)stmt_ms;
    cfg->database_url = env_or("POLIS_DATABASE_URL", "");
    cfg->municipality = env_or("POLIS_MUNICIPALITY", "9054");
    cfg->var_dir = env_or("POLIS_VAR", "./var");
    cfg->tile_cache_mb = tile_cache_mb;
    cfg->demo_data_dir = env_or("POLIS_DEMO_DATA", "../shared/data");
    cfg->test_import_crash = env_or("POLIS_TEST_IMPORT_CRASH", "");
    cfg->max_body_bytes = (size_t)body_kb * 1024;
    cfg->request_timeout_ms = (int)req_ms;
    cfg->page_default = (int)page_def;
    cfg->page_max = (int)page_max;
    cfg->bbox_max_km2 = (double)bbox;
    cfg->drain_seconds = (int)drain;
    cfg->access_log = (int)access_log;
    cfg->session_idle_minutes = (int)idle;
    cfg->session_max_hours = (int)max_hours;
    cfg->rate_login = (int)r_login;
    cfg->rate_register = (int)r_register;
    cfg->rate_reset = (int)r_reset;
    cfg->rate_anon_write = (int)r_anon;
    cfg->rate_user_write = (int)r_user;
    cfg->login_failures = (int)login_failures;
    /* by default one client may hold a quarter of the database connections
     * with expensive reads (never less than one) */
    cfg->expensive_per_client =
        expensive > 0 ? (int)expensive : (int)(threads * conns / 4 > 0 ? threads * conns / 4 : 1);
    if (trusted_proxies_parse(env_or("POLIS_TRUSTED_PROXIES", ""), &cfg->trusted, err, errlen))
        return -1;
    cfg->http2_cleartext = (int)h2c;
    cfg->max_connections = (int)max_conns;
    cfg->offload_threads = (int)offload;
    cfg->photo_max_bytes = (size_t)photo_mb * 1024 * 1024;
    cfg->upload_max_bytes = (size_t)upload_mb * 1024 * 1024;
    cfg->import_threads = (int)import_threads;
    cfg->import_max_unzipped_mb = import_unzipped_mb;
    cfg->import_max_memory_mb = import_memory_mb;
    cfg->import_max_cpu_seconds = import_cpu_s;
    cfg->import_max_file_mb = import_file_mb;
    /* the pages default to the install's share dir, else to the source tree
     * this binary was built from */
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
    return config_load_privacy(cfg, err, errlen) || config_load_mail(cfg, err, errlen) ||
                   config_load_stream(cfg, err, errlen)
               ? -1
               : 0;
}
