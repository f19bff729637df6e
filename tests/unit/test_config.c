/* The POLIS_* settings (http/config.c): each default as README lists it when
 * the variable is unset, the unit a variable is given in turned into the
 * field's (KB and MB to bytes, seconds to milliseconds, minutes to seconds),
 * and a value out of range refused with the variable, the range and what
 * was found. */
#include "check.h"
#include "http/config.h"

#include <stdlib.h>
#include <unistd.h>

static struct polis_config cfg;
static char err[512];

static int load(void)
{
    err[0] = '\0';
    return config_load(&cfg, err, sizeof err);
}

/* The variables this test sets, cleared so that the defaults show. */
static const char *const vars[] = {
    "POLIS_THREADS", "POLIS_DB_CONNECTIONS", "POLIS_MAX_BODY_KB", "POLIS_PHOTO_MAX_MB",
    "POLIS_BBOX_MAX_KM2", "POLIS_EXPENSIVE_PER_CLIENT", "POLIS_PAGE_DEFAULT", "POLIS_PAGE_MAX",
    "POLIS_STREAM_HEARTBEAT_S", "POLIS_MUNICIPALITY", "POLIS_PHOTO_SWEEP_GRACE_MINUTES",
    "POLIS_SMTP_URL", "POLIS_MAIL_FROM", "POLIS_IMPORT_MAX_MEMORY_MB", "POLIS_LISTEN",
    "POLIS_PUBLIC_URL", "POLIS_METRICS_TOKEN", "POLIS_DIGEST_HOUR", "POLIS_BASEMAP_STYLE_URL", "POLIS_SIGNING_KEY",
    "POLIS_SIGNING_CERT", "POLIS_LETTERHEAD_LOGO", "POLIS_OIDC_ISSUER", "POLIS_OIDC_CLIENT_ID",
    "POLIS_OIDC_AUTHORIZATION_URL", "POLIS_OIDC_TOKEN_URL", "POLIS_OIDC_JWKS_URL",
    "POLIS_OIDC_USERINFO_URL", "POLIS_OIDC_LABEL", NULL};

int main(void)
{
    for (int i = 0; vars[i]; i++)
        unsetenv(vars[i]);

    CHECK_INT(load(), 0);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    CHECK_INT(cfg.threads, cores > 0 ? cores : 1);
    /* 32 per process over the threads, at least 4 each */
    CHECK_INT(cfg.db_connections, cfg.threads <= 8 ? (32 + cfg.threads - 1) / cfg.threads : 4);
    setenv("POLIS_THREADS", "2", 1);
    CHECK_INT(load(), 0);
    CHECK_INT(cfg.db_connections, 16);
    setenv("POLIS_THREADS", "16", 1);
    CHECK_INT(load(), 0);
    CHECK_INT(cfg.db_connections, 4);
    unsetenv("POLIS_THREADS");
    CHECK_INT(cfg.max_body_bytes, 1024 * 1024);
    CHECK_INT(cfg.photo_max_bytes, 8 * 1024 * 1024);
    CHECK_NEAR(cfg.bbox_max_km2, 1000000.0, 0.5);
    CHECK_INT(cfg.stream_heartbeat_ms, 25000);
    CHECK_INT(cfg.photo_sweep_grace_s, 3600);
    CHECK_INT(cfg.import_max_memory_mb, 2048);
    CHECK_INT(cfg.page_default, 10);
    CHECK_INT(cfg.page_max, 100);
    CHECK_STR(cfg.municipality, "9054");
    CHECK_STR(cfg.smtp_url, "");
    CHECK_STR(cfg.listen_host, "127.0.0.1");
    CHECK_INT(cfg.listen_port, 8080);

    /* units, and the default that follows from two others */
    setenv("POLIS_THREADS", "3", 1);
    setenv("POLIS_DB_CONNECTIONS", "8", 1);
    setenv("POLIS_MAX_BODY_KB", "2", 1);
    setenv("POLIS_PHOTO_MAX_MB", "3", 1);
    setenv("POLIS_BBOX_MAX_KM2", "250", 1);
    setenv("POLIS_STREAM_HEARTBEAT_S", "7", 1);
    setenv("POLIS_PHOTO_SWEEP_GRACE_MINUTES", "5", 1);
    setenv("POLIS_MUNICIPALITY", "9186", 1);
    CHECK_INT(load(), 0);
    CHECK_INT(cfg.threads, 3);
    CHECK_INT(cfg.max_body_bytes, 2048);
    CHECK_INT(cfg.photo_max_bytes, 3 * 1024 * 1024);
    CHECK_NEAR(cfg.bbox_max_km2, 250.0, 0.5);
    CHECK_INT(cfg.stream_heartbeat_ms, 7000);
    CHECK_INT(cfg.photo_sweep_grace_s, 300);
    CHECK_INT(cfg.expensive_per_client, 3 * 8 / 4);
    CHECK_STR(cfg.municipality, "9186");
    setenv("POLIS_EXPENSIVE_PER_CLIENT", "1", 1);
    CHECK_INT(load(), 0);
    CHECK_INT(cfg.expensive_per_client, 1);

    /* out of range or not a number: refused, naming the variable and range */
    static const struct {
        const char *name, *value, *range;
    } bad[] = {
        {"POLIS_THREADS", "0", "from 1 to 256"},
        {"POLIS_DB_CONNECTIONS", "65", "from 1 to 64"},
        {"POLIS_STREAM_HEARTBEAT_S", "1.5", "from 1 to 3600"},
        {"POLIS_IMPORT_MAX_MEMORY_MB", "255", "from 256 to 1048576"},
        {"POLIS_PHOTO_SWEEP_GRACE_MINUTES", "x", "from 1 to 525600"},
        {"POLIS_DIGEST_HOUR", "24", "from 0 to 23, or off"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv(bad[i].name, bad[i].value, 1);
        CHECK_INT(load(), -1);
        CHECK(strstr(err, bad[i].name) && strstr(err, bad[i].range) && strstr(err, bad[i].value));
        unsetenv(bad[i].name);
    }

    /* the digest hour: 7 by default, "off" for none from serve */
    CHECK_INT(load(), 0);
    CHECK_INT(cfg.digest_hour, 7);
    setenv("POLIS_DIGEST_HOUR", "off", 1);
    CHECK_INT(load(), 0);
    CHECK_INT(cfg.digest_hour, -1);
    unsetenv("POLIS_DIGEST_HOUR");

    /* the rules between and within settings still hold */
    setenv("POLIS_PAGE_DEFAULT", "200", 1);
    CHECK_INT(load(), -1);
    CHECK(strstr(err, "POLIS_PAGE_DEFAULT (200) must not exceed POLIS_PAGE_MAX (100)"));
    unsetenv("POLIS_PAGE_DEFAULT");
    setenv("POLIS_SMTP_URL", "smtp://127.0.0.1:2525", 1);
    CHECK_INT(load(), -1);
    CHECK(strstr(err, "POLIS_MAIL_FROM"));
    setenv("POLIS_MAIL_FROM", "polis@example.gr", 1);
    CHECK_INT(load(), 0);
    CHECK_STR(cfg.mail_from, "polis@example.gr");
    setenv("POLIS_METRICS_TOKEN", "short", 1);
    CHECK_INT(load(), -1);
    CHECK(strstr(err, "POLIS_METRICS_TOKEN"));
    unsetenv("POLIS_METRICS_TOKEN");

    /* an external basemap style: its origin (for the page's CSP), and
     * nothing that could end a CSP directive or an HTML attribute */
    CHECK_INT(load(), 0);
    CHECK_STR(cfg.basemap_style_origin, "");
    setenv("POLIS_BASEMAP_STYLE_URL", "https://tiles.example.gr:8443/styles/city.json?key=1", 1);
    CHECK_INT(load(), 0);
    CHECK_STR(cfg.basemap_style_origin, "https://tiles.example.gr:8443");
    static const char *const bad_styles[] = {"tiles.example.gr/style.json", "https://",
                                             "https://x.gr/a.json; script-src *",
                                             "https://x.gr/\"a.json", "ftp://x.gr/a.json"};
    for (size_t i = 0; i < sizeof bad_styles / sizeof bad_styles[0]; i++) {
        setenv("POLIS_BASEMAP_STYLE_URL", bad_styles[i], 1);
        CHECK_INT(load(), -1);
        CHECK(strstr(err, "POLIS_BASEMAP_STYLE_URL"));
    }
    unsetenv("POLIS_BASEMAP_STYLE_URL");

    /* the answer documents' signing key and certificate: none, or both */
    CHECK_INT(load(), 0);
    CHECK_STR(cfg.signing_key, "");
    CHECK_STR(cfg.letterhead_logo, "");
    static const char *const pair[2][2] = {{"POLIS_SIGNING_KEY", "POLIS_SIGNING_CERT"},
                                           {"POLIS_SIGNING_CERT", "POLIS_SIGNING_KEY"}};
    for (int i = 0; i < 2; i++) { /* one alone: the error starts with the one missing */
        setenv(pair[i][0], "/etc/polis/signing.pem", 1);
        CHECK_INT(load(), -1);
        CHECK(strstr(err, pair[i][1]) == err && strstr(err, "expected it set together with"));
        unsetenv(pair[i][0]);
    }
    setenv("POLIS_SIGNING_KEY", "/etc/polis/key.pem", 1);
    setenv("POLIS_SIGNING_CERT", "/etc/polis/cert.pem", 1);
    CHECK_INT(load(), 0);
    CHECK_STR(cfg.signing_key, "/etc/polis/key.pem");
    CHECK_STR(cfg.signing_cert, "/etc/polis/cert.pem");
    unsetenv("POLIS_SIGNING_KEY");
    unsetenv("POLIS_SIGNING_CERT");

    /* sign-in with an identity provider: off unless configured; once on,
     * what it needs, each refusal naming the variable */
    CHECK_INT(load(), 0);
    CHECK_INT(cfg.oidc.enabled, 0);
    CHECK_STR(cfg.oidc.scopes, "openid profile email");
    CHECK_STR(cfg.oidc.tax_number_claim, "tax_number");
    CHECK_STR(cfg.oidc.name_claim, "name");
    setenv("POLIS_OIDC_ISSUER", "https://idp.example.gr", 1);
    CHECK_INT(load(), -1);
    CHECK(strstr(err, "POLIS_OIDC_CLIENT_ID") && strstr(err, "expected it set too"));
    setenv("POLIS_OIDC_CLIENT_ID", "polis", 1);
    CHECK_INT(load(), -1);
    CHECK(strstr(err, "POLIS_PUBLIC_URL") != NULL);
    setenv("POLIS_PUBLIC_URL", "https://polis.example.gr", 1);
    CHECK_INT(load(), 0);
    CHECK_INT(cfg.oidc.enabled, 1);
    CHECK_STR(cfg.oidc.label, "the identity provider");
    setenv("POLIS_OIDC_LABEL", "<b>TAXISnet", 1);
    CHECK_INT(load(), -1);
    CHECK(strstr(err, "POLIS_OIDC_LABEL") == err && strstr(err, "<b>TAXISnet"));
    unsetenv("POLIS_OIDC_LABEL");
    setenv("POLIS_OIDC_ISSUER", "http://idp.example.gr", 1); /* plain http, not local */
    CHECK_INT(load(), -1);
    CHECK(strstr(err, "POLIS_OIDC_ISSUER: expected an https URL") == err);
    unsetenv("POLIS_OIDC_ISSUER");
    setenv("POLIS_OIDC_AUTHORIZATION_URL", "https://oauth.example.gr/authorize", 1);
    setenv("POLIS_OIDC_TOKEN_URL", "https://oauth.example.gr/token", 1);
    CHECK_INT(load(), -1); /* no issuer: plain OAuth 2.0 needs userinfo */
    CHECK(strstr(err, "POLIS_OIDC_USERINFO_URL") != NULL);
    setenv("POLIS_OIDC_JWKS_URL", "https://oauth.example.gr/keys", 1);
    CHECK_INT(load(), -1); /* a key set checks id_tokens: their issuer is needed */
    CHECK(strstr(err, "POLIS_OIDC_ISSUER") != NULL);
    unsetenv("POLIS_OIDC_JWKS_URL");
    setenv("POLIS_OIDC_USERINFO_URL", "http://127.0.0.1:9999/userinfo", 1);
    CHECK_INT(load(), 0);
    for (int i = 0; vars[i]; i++)
        unsetenv(vars[i]);
    return check_summary();
}
