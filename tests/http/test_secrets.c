/* Secrets are never stored or logged in clear. After a user registers,
 * confirms, signs in, makes an API key, resets the password and an admin
 * creates a user with a generated password, the whole database (pg_dump)
 * and the server's log must not contain any password, session cookie, API
 * key or one-time token in clear.
 *
 * The confirmation and reset tokens travel by mail: while a message waits
 * to be sent, its outbox row holds the token (apart from the body, which has
 * a placeholder). Once the mail is handed over (outbox_handed_over, what the
 * sender calls), no trace of them is left: the dump is taken after the
 * user's messages were handed over, and a dump without the outbox's rows
 * shows they were never anywhere else. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* pg_dump of the fixture database (plain SQL) as a malloc'd string. The
 * imported layers (schema layers: geodata read from files, never written
 * from a request's secrets) are left out: tests running beside this one
 * create and drop them, and pg_dump fails on a table dropped under it. */
static char *dump(const char *conninfo, const char *extra)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "pg_dump --no-owner --exclude-schema=layers %s -d '%s'", extra,
             conninfo);
    FILE *p = popen(cmd, "r");
    if (!p)
        h_fatal("cannot run pg_dump");
    size_t cap = 1 << 20, len = 0;
    char *out = malloc(cap);
    size_t n;
    while (out && (n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 4096)
            out = realloc(out, cap *= 2);
    }
    int rc = pclose(p);
    if (!out || rc != 0)
        h_fatal("pg_dump failed (exit %d)", rc);
    out[len] = '\0';
    CHECK(len > 10000 && strstr(out, "CREATE TABLE public.users"),
          "pg_dump: expected a full dump with the users table, found %zu bytes", len);
    return out;
}

static void absent(const char *where, const char *text, const char *what, const char *secret)
{
    CHECK(secret && *secret && strlen(secret) >= 10,
          "%s: the test has no %s to look for", where, what);
    if (secret && *secret)
        CHECK(!strstr(text, secret), "%s: found the %s in clear", where, what);
}

int main(void)
{
    h_init("test_secrets", 240);
    h_require_tool("pg_dump");
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_REGISTER=1000", "POLIS_RATE_LOGIN=1000",
                         "POLIS_RATE_RESET=1000", NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();

    struct ha_user u = {0};
    ha_unique_email(u.email, sizeof u.email, "secret");
    snprintf(u.password, sizeof u.password, "Secret-Passphrase-%d-xyzzy", (int)getpid());
    char body[512];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", u.email, u.password);
    struct h_resp r;
    h_post(&s, "/api/v1/auth/register", "application/json", body, &r);
    CHECK_INT("register", r.status, 202);
    h_resp_free(&r);
    char *confirm = ha_outbox_token(db, u.email, "Confirm");
    snprintf(body, sizeof body, "{\"token\":\"%s\"}", confirm ? confirm : "");
    h_post(&s, "/api/v1/auth/confirm", "application/json", body, &r);
    CHECK_INT("confirm", r.status, 200);
    h_resp_free(&r);
    CHECK_INT("login", ha_login(&s, &u), 200);
    char first_cookie[128];
    snprintf(first_cookie, sizeof first_cookie, "%s", u.cookie);

    char key[128];
    CHECK_INT("key", ha_make_key(&s, &u, "k", "[\"read\"]", key, sizeof key), 201);
    ha_call_key(&s, key, "GET", "/api/v1/me", NULL, &r);
    CHECK_INT("key use", r.status, 200);
    h_resp_free(&r);

    /* the password changed by the user, then reset through the mail */
    char changed[80];
    snprintf(changed, sizeof changed, "Changed-Passphrase-%d-plugh", (int)getpid());
    snprintf(body, sizeof body, "{\"current_password\":\"%s\",\"new_password\":\"%s\"}",
             u.password, changed);
    ha_call(&s, &u, "POST", "/api/v1/auth/password", body, &r);
    CHECK_INT("password change", r.status, 200);
    char *second_cookie = ha_set_cookie(&r, ha_cookie_name(&u));
    h_resp_free(&r);
    snprintf(body, sizeof body, "{\"email\":\"%s\"}", u.email);
    h_post(&s, "/api/v1/auth/reset-request", "application/json", body, &r);
    h_resp_free(&r);
    char *reset = ha_outbox_token(db, u.email, "Password reset");
    char reset_pw[80];
    snprintf(reset_pw, sizeof reset_pw, "Reset-Passphrase-%d-frotz", (int)getpid());
    snprintf(body, sizeof body, "{\"token\":\"%s\",\"new_password\":\"%s\"}", reset ? reset : "",
             reset_pw);
    h_post(&s, "/api/v1/auth/reset", "application/json", body, &r);
    CHECK_INT("reset", r.status, 204);
    h_resp_free(&r);
    snprintf(u.password, sizeof u.password, "%s", reset_pw);
    CHECK_INT("login after reset", ha_login(&s, &u), 200);

    /* an admin creates a user: the generated password is shown once */
    struct ha_user admin;
    if (ha_new_user(&s, db, "secret-admin", &admin))
        return h_finish();
    ha_set_role(db, &admin, "admin", NULL);
    char staff_email[160];
    ha_unique_email(staff_email, sizeof staff_email, "secret-staff");
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"role\":\"staff\",\"departments\":[\"tourism\"]}",
             staff_email);
    ha_call(&s, &admin, "POST", "/api/v1/admin/users", body, &r);
    CHECK_INT("admin creates a user", r.status, 201);
    char generated[80];
    snprintf(generated, sizeof generated, "%s",
             json_string_value(json_object_get(r.json, "password")) ?: "");
    h_resp_free(&r);

    char first_pw[80];
    snprintf(first_pw, sizeof first_pw, "Secret-Passphrase-%d-xyzzy", (int)getpid());
    struct { const char *what, *value; } everywhere[] = {
        {"registration password", first_pw},
        {"changed password", changed},
        {"reset password", reset_pw},
        {"generated password", generated},
        {"first session cookie", first_cookie},
        {"session cookie after the password change", second_cookie},
        {"current session cookie", u.cookie},
        {"admin's session cookie", admin.cookie},
        {"API key", key},
    };
    const char *tokens[][2] = {{"confirmation token", confirm}, {"reset token", reset}};

    /* while the mail waits, the outbox holds the tokens for the sender */
    char *pending = dump(url, "");
    for (int i = 0; i < 2; i++)
        CHECK(tokens[i][1] && strstr(pending, tokens[i][1]),
              "pg_dump: expected the %s in the pending outbox (the sender needs it)",
              tokens[i][0]);
    free(pending);
    const char *pe[] = {u.email};
    char *handed = h_pg_value(db, "SELECT count(*) FILTER (WHERE outbox_handed_over(id))"
                                  " FROM outbox WHERE recipient = $1 AND status = 'pending'",
                              1, pe);
    CHECK(handed && atoi(handed) >= 2, "expected the user's messages handed over, found %s",
          handed ? handed : "none");
    free(handed);

    char *full = dump(url, "");
    char *no_mail = dump(url, "--exclude-table-data=outbox");
    char *log = h_server_log(&s);
    CHECK(strstr(log, "/api/v1/auth/login") != NULL,
          "server log: expected access-log lines to search");
    for (size_t i = 0; i < sizeof everywhere / sizeof everywhere[0]; i++) {
        absent("pg_dump", full, everywhere[i].what, everywhere[i].value);
        absent("server log", log, everywhere[i].what, everywhere[i].value);
    }
    for (int i = 0; i < 2; i++) {
        absent("pg_dump after the mail was handed over", full, tokens[i][0], tokens[i][1]);
        absent("pg_dump without the outbox's rows", no_mail, tokens[i][0], tokens[i][1]);
        absent("server log", log, tokens[i][0], tokens[i][1]);
    }
    free(full);
    free(no_mail);
    free(log);
    free(confirm);
    free(reset);
    free(second_cookie);
    PQfinish(db);
    return h_finish();
}
