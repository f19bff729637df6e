/* POLIS_PUBLIC_URL (http/config.c): kept without trailing slashes, refused
 * with a message naming the variable when it is not an http(s) address; it
 * decides the session cookie's name (http/session.c). */
#include "check.h"
#include "http/config.h"
#include "http/session.h"

#include <stdlib.h>

static struct polis_config cfg;
static char err[512];

static int load(const char *url)
{
    setenv("POLIS_PUBLIC_URL", url, 1);
    err[0] = '\0';
    return config_load(&cfg, err, sizeof err);
}

int main(void)
{
    unsetenv("POLIS_LISTEN");
    CHECK_INT(load(""), 0);
    CHECK_STR(cfg.public_url, "");
    CHECK_STR(session_cookie_name(&cfg), "polis_session");

    CHECK_INT(load("https://polis.example.gr/"), 0);
    CHECK_STR(cfg.public_url, "https://polis.example.gr");
    CHECK_STR(session_cookie_name(&cfg), "__Host-polis_session");

    CHECK_INT(load("http://127.0.0.1:8080//"), 0);
    CHECK_STR(cfg.public_url, "http://127.0.0.1:8080");
    CHECK_STR(session_cookie_name(&cfg), "polis_session");

    CHECK_INT(load("https://example.gr/polis"), 0);
    CHECK_STR(cfg.public_url, "https://example.gr/polis");

    static const char *const bad[] = {"polis.example.gr", "ftp://polis.example.gr", "https://",
                                      "https:///path", "https://x.gr/?a=1", "https://x.gr/#f",
                                      "https://x .gr", NULL};
    for (int i = 0; bad[i]; i++) {
        CHECK_INT(load(bad[i]), -1);
        CHECK(strstr(err, "POLIS_PUBLIC_URL") && strstr(err, bad[i]));
    }
    return check_summary();
}
