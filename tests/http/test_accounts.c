/* Accounts as a user lives them: register, confirm with the mailed token,
 * sign in, see yourself, sign out; change the password (every old session
 * ends); forget it and reset it; make an API key, use it, revoke it; CSRF
 * on cookie writes; export and delete the account; an administrator
 * creates a staff user and reads the audit log; and the login rate limit.
 * Emails are unique per run (the fixture database is shared). */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const generous[] = {"POLIS_RATE_REGISTER=1000", "POLIS_RATE_LOGIN=1000",
                                       "POLIS_RATE_RESET=1000", NULL};

/* register -> confirm -> login -> me -> logout -> me is 401 */
static void sign_in_and_out(const struct h_server *s, PGconn *db)
{
    struct ha_user u;
    if (ha_new_user(s, db, "life", &u))
        return;
    struct h_resp r;
    ha_call(s, &u, "GET", "/api/v1/me", NULL, &r);
    CHECK(r.status == 200, "GET /api/v1/me signed in: expected 200, found %ld %.200s", r.status,
          r.body);
    CHECK_STR("GET /api/v1/me: user.email",
              json_string_value(json_object_get(json_object_get(r.json, "user"), "email")),
              u.email);
    h_resp_free(&r);
    CHECK_INT("POST /api/v1/auth/logout", ha_status(s, &u, "POST", "/api/v1/auth/logout", NULL),
              204);
    ha_call(s, &u, "GET", "/api/v1/me", NULL, &r);
    CHECK_PROBLEM("GET /api/v1/me after logout", &r, 401, NULL);
    h_resp_free(&r);
}

/* A password change ends every session and starts a fresh one here. */
static void password_change(const struct h_server *s, PGconn *db)
{
    struct ha_user u, other;
    if (ha_new_user(s, db, "chpw", &u))
        return;
    other = u;
    CHECK_INT("second login (another device)", ha_login(s, &other), 200);

    struct h_resp r;
    char body[512];
    snprintf(body, sizeof body, "{\"current_password\":\"wrong-%s\",\"new_password\":\"%s\"}",
             u.password, "a brand new passphrase 1");
    ha_call(s, &u, "POST", "/api/v1/auth/password", body, &r);
    CHECK_PROBLEM("password change with a wrong current password", &r, 422, "current_password");
    h_resp_free(&r);

    snprintf(body, sizeof body, "{\"current_password\":\"%s\",\"new_password\":\"%s\"}",
             u.password, "a brand new passphrase 1");
    ha_call(s, &u, "POST", "/api/v1/auth/password", body, &r);
    CHECK(r.status == 200, "password change: expected 200, found %ld %.300s", r.status, r.body);
    char *fresh = ha_set_cookie(&r, ha_cookie_name(&u));
    const char *csrf = json_string_value(json_object_get(r.json, "csrf_token"));
    CHECK(fresh && *fresh && strcmp(fresh, u.cookie),
          "password change: expected a new session cookie, found %s", fresh ? fresh : "none");
    struct ha_user renewed = u;
    snprintf(renewed.cookie, sizeof renewed.cookie, "%s", fresh ? fresh : "");
    snprintf(renewed.csrf, sizeof renewed.csrf, "%s", csrf ? csrf : "");
    snprintf(renewed.password, sizeof renewed.password, "a brand new passphrase 1");
    free(fresh);
    h_resp_free(&r);

    CHECK_INT("old session after the password change: GET /api/v1/me",
              ha_status(s, &u, "GET", "/api/v1/me", NULL), 401);
    CHECK_INT("other device's session after the password change: GET /api/v1/me",
              ha_status(s, &other, "GET", "/api/v1/me", NULL), 401);
    CHECK_INT("the fresh session: GET /api/v1/me",
              ha_status(s, &renewed, "GET", "/api/v1/me", NULL), 200);
    CHECK_INT("the fresh session's CSRF token works: POST /api/v1/me/keys",
              ha_make_key(s, &renewed, "after change", "[\"read\"]", NULL, 0), 201);
    CHECK_INT("login with the old password", ha_login(s, &u), 401);
    struct ha_user again = renewed;
    CHECK_INT("login with the new password", ha_login(s, &again), 200);
}

/* reset-request (202 either way) -> token from the outbox -> reset (204)
 * -> sessions revoked, new password works, token single-use. */
static void password_reset(const struct h_server *s, PGconn *db)
{
    struct ha_user u;
    if (ha_new_user(s, db, "reset", &u))
        return;
    char body[512], nobody[160];
    ha_unique_email(nobody, sizeof nobody, "nobody");
    long outbox_before = ha_count_where(db, "outbox", "recipient = $1", u.email);
    struct h_resp r1, r2;
    snprintf(body, sizeof body, "{\"email\":\"%s\"}", nobody);
    h_post(s, "/api/v1/auth/reset-request", "application/json", body, &r1);
    snprintf(body, sizeof body, "{\"email\":\"%s\"}", u.email);
    h_post(s, "/api/v1/auth/reset-request", "application/json", body, &r2);
    CHECK(r1.status == 202 && r2.status == 202,
          "reset-request: expected 202 for an unknown and a known address, found %ld and %ld",
          r1.status, r2.status);
    CHECK_STR("reset-request: the same answer for an unknown and a known address", r1.body,
              r2.body);
    h_resp_free(&r1);
    h_resp_free(&r2);
    CHECK_INT("reset-request: messages added to the outbox for the known address",
              ha_count_where(db, "outbox", "recipient = $1", u.email) - outbox_before, 1);
    CHECK_INT("reset-request: messages added to the outbox for the unknown address",
              ha_count_where(db, "outbox", "recipient = $1", nobody), 0);

    char *token = ha_outbox_token(db, u.email, "Password reset");
    CHECK(token != NULL, "reset: expected a reset message with a token in the outbox");
    if (!token)
        return;
    snprintf(body, sizeof body, "{\"token\":\"%s\",\"new_password\":\"reset passphrase 22\"}",
             token);
    h_post(s, "/api/v1/auth/reset", "application/json", body, &r1);
    CHECK(r1.status == 204, "reset: expected 204, found %ld %.300s", r1.status, r1.body);
    h_resp_free(&r1);
    h_post(s, "/api/v1/auth/reset", "application/json", body, &r1);
    CHECK_PROBLEM("reset with a used token", &r1, 422, "token");
    h_resp_free(&r1);
    free(token);

    CHECK_INT("session after the reset: GET /api/v1/me",
              ha_status(s, &u, "GET", "/api/v1/me", NULL), 401);
    CHECK_INT("login with the old password after the reset", ha_login(s, &u), 401);
    snprintf(u.password, sizeof u.password, "reset passphrase 22");
    CHECK_INT("login with the new password after the reset", ha_login(s, &u), 200);
}

/* create (shown once) -> list (no secret, last use) -> use -> revoke -> 401;
 * CSRF on cookie writes, none needed with Bearer. */
static void api_keys_and_csrf(const struct h_server *s, PGconn *db)
{
    struct ha_user u;
    if (ha_new_user(s, db, "keys", &u))
        return;
    struct h_resp r;
    ha_call_no_csrf(s, &u, "POST", "/api/v1/me/keys", "{\"name\":\"app\",\"scopes\":[\"read\"]}",
                    &r);
    CHECK_PROBLEM("cookie POST /api/v1/me/keys without X-CSRF-Token", &r, 403, NULL);
    CHECK_HAS("its problem type", json_string_value(json_object_get(r.json, "type")), "csrf");
    h_resp_free(&r);

    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"my app\",\"scopes\":[\"read\",\"report\"],\"password\":\"%s\"}",
             u.password);
    ha_call(s, &u, "POST", "/api/v1/me/keys", body, &r);
    CHECK(r.status == 201, "POST /api/v1/me/keys: expected 201, found %ld %.300s", r.status,
          r.body);
    const char *k = json_string_value(json_object_get(r.json, "key"));
    const char *prefix = json_string_value(json_object_get(r.json, "prefix"));
    char key[128] = "";
    snprintf(key, sizeof key, "%s", k ? k : "");
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    CHECK(k && !strncmp(k, "pk_", 3) && prefix && !strncmp(k, prefix, strlen(prefix)),
          "new key: expected \"key\" starting with pk_ and its \"prefix\", found %.300s", r.body);
    h_resp_free(&r);

    ha_call(s, &u, "GET", "/api/v1/me/keys", NULL, &r);
    json_t *keys = json_object_get(r.json, "keys");
    CHECK(r.status == 200 && json_array_size(keys) == 1,
          "GET /api/v1/me/keys: expected 200 with 1 key, found %ld %.300s", r.status, r.body);
    CHECK(!strstr(r.body, key) && !json_object_get(json_array_get(keys, 0), "key"),
          "GET /api/v1/me/keys: the key itself must not be listed: %.300s", r.body);
    CHECK(json_is_null(json_object_get(json_array_get(keys, 0), "last_used_at")),
          "GET /api/v1/me/keys: expected last_used_at null before use: %.300s", r.body);
    h_resp_free(&r);

    ha_call_key(s, key, "GET", "/api/v1/me", NULL, &r);
    CHECK(r.status == 200, "GET /api/v1/me with Bearer: expected 200, found %ld", r.status);
    CHECK_STR("GET /api/v1/me with Bearer: user.email",
              json_string_value(json_object_get(json_object_get(r.json, "user"), "email")),
              u.email);
    h_resp_free(&r);
    snprintf(body, sizeof body, "{\"name\":\"child\",\"scopes\":[\"read\"],\"password\":\"%s\"}",
             u.password);
    ha_call_key(s, key, "POST", "/api/v1/me/keys", body, &r);
    CHECK(r.status == 201, "Bearer POST /api/v1/me/keys needs no CSRF token: expected 201, "
          "found %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    ha_call(s, &u, "GET", "/api/v1/me/keys", NULL, &r);
    json_t *first = json_array_get(json_object_get(r.json, "keys"), 0);
    CHECK(json_is_string(json_object_get(first, "last_used_at")),
          "GET /api/v1/me/keys: expected last_used_at after use: %.300s", r.body);
    h_resp_free(&r);

    snprintf(body, sizeof body, "{\"name\":\"x\",\"scopes\":[\"staff\"],\"password\":\"%s\"}",
             u.password);
    ha_call(s, &u, "POST", "/api/v1/me/keys", body, &r);
    CHECK_PROBLEM("a citizen asks for the staff scope", &r, 422, "scopes");
    h_resp_free(&r);

    char path[64];
    snprintf(path, sizeof path, "/api/v1/me/keys/%ld", id);
    CHECK_INT("DELETE /api/v1/me/keys/{id}", ha_status(s, &u, "DELETE", path, NULL), 204);
    CHECK_INT("DELETE it again", ha_status(s, &u, "DELETE", path, NULL), 404);
    ha_call_key(s, key, "GET", "/api/v1/me", NULL, &r);
    CHECK_PROBLEM("GET /api/v1/me with the revoked key", &r, 401, NULL);
    h_resp_free(&r);
}

/* The export holds the account, sessions, keys, tokens, mail and audit
 * entries, without secrets; DELETE /api/v1/me removes it all. */
static void export_and_delete(const struct h_server *s, PGconn *db)
{
    struct ha_user u;
    if (ha_new_user(s, db, "export", &u))
        return;
    CHECK_INT("a key to export", ha_make_key(s, &u, "exported", "[\"read\"]", NULL, 0), 201);
    struct h_resp r;
    ha_call(s, &u, "GET", "/api/v1/me/export", NULL, &r);
    CHECK(r.status == 200, "GET /api/v1/me/export: expected 200, found %ld %.200s", r.status,
          r.body);
    json_t *j = r.json;
    CHECK_STR("export: account.email",
              json_string_value(json_object_get(json_object_get(j, "account"), "email")),
              u.email);
    static const char *parts[] = {"departments", "sessions", "api_keys", "tokens", "outbox",
                                  "audit"};
    for (int i = 0; i < 6; i++)
        CHECK(json_is_array(json_object_get(j, parts[i])), "export: expected an array \"%s\"",
              parts[i]);
    CHECK(json_array_size(json_object_get(j, "sessions")) >= 1 &&
              json_array_size(json_object_get(j, "api_keys")) == 1 &&
              json_array_size(json_object_get(j, "tokens")) == 1 &&
              json_array_size(json_object_get(j, "outbox")) == 1,
          "export: expected sessions, 1 key, 1 token, 1 message: %.600s", r.body);
    CHECK_HAS("export: audit entries about them", r.body, "key.create");
    CHECK(!strstr(r.body, u.cookie) && !strstr(r.body, u.csrf) && !strstr(r.body, "password_hash") &&
              !strstr(r.body, "$argon2") && !strstr(r.body, "token_hash") &&
              !strstr(r.body, "key_hash"),
          "export: no secrets (cookie, csrf, hashes): %.600s", r.body);
    h_resp_free(&r);

    /* an API key can read the account but not export or delete it */
    char uid[32];
    snprintf(uid, sizeof uid, "%ld", u.id);
    const char *p[] = {uid};
    CHECK_INT("DELETE /api/v1/me without the CSRF token",
              (ha_call_no_csrf(s, &u, "DELETE", "/api/v1/me", NULL, &r), r.status), 403);
    h_resp_free(&r);
    CHECK_INT("DELETE /api/v1/me", ha_status(s, &u, "DELETE", "/api/v1/me", NULL), 204);
    char *left = h_pg_value(db,
                            "SELECT (SELECT count(*) FROM users WHERE id = $1::bigint)"
                            " + (SELECT count(*) FROM sessions WHERE user_id = $1::bigint)"
                            " + (SELECT count(*) FROM api_keys WHERE user_id = $1::bigint)"
                            " + (SELECT count(*) FROM user_tokens WHERE user_id = $1::bigint)"
                            " + (SELECT count(*) FROM outbox WHERE user_id = $1::bigint)"
                            " + (SELECT count(*) FROM audit_log WHERE actor_label = "
                            "    (SELECT email FROM users WHERE id = $1::bigint))",
                            1, p);
    CHECK_STR("rows left about the deleted user (users, sessions, keys, tokens, outbox)", left,
              "0");
    free(left);
    const char *pe[] = {u.email};
    char *mentions = h_pg_value(db, "SELECT count(*) FROM audit_log WHERE actor_label = $1"
                                    " OR before::text LIKE '%' || $1 || '%'"
                                    " OR after::text LIKE '%' || $1 || '%'", 1, pe);
    CHECK_STR("audit rows still naming the deleted user's email", mentions, "0");
    free(mentions);
    CHECK_INT("login after deletion", ha_login(s, &u), 401);
}

/* An admin creates a staff user (password shown once) and pages the audit
 * log, which recorded it. */
static void admin_users_and_audit(const struct h_server *s, PGconn *db)
{
    struct ha_user admin;
    if (ha_new_user(s, db, "admin", &admin))
        return;
    ha_set_role(db, &admin, "admin", NULL);
    char email[160], body[512];
    ha_unique_email(email, sizeof email, "staffer");
    snprintf(body, sizeof body,
             "{\"email\":\"%s\",\"role\":\"staff\",\"departments\":[\"cleaning\",\"lighting\"],"
             "\"display_name\":\"Νίκος\"}",
             email);
    struct h_resp r;
    ha_call(s, &admin, "POST", "/api/v1/admin/users", body, &r);
    CHECK(r.status == 201, "POST /api/v1/admin/users: expected 201, found %ld %.300s", r.status,
          r.body);
    struct ha_user staff = {0};
    snprintf(staff.email, sizeof staff.email, "%s", email);
    snprintf(staff.password, sizeof staff.password, "%s",
             json_string_value(json_object_get(r.json, "password")) ?: "");
    long staff_id =
        (long)json_integer_value(json_object_get(json_object_get(r.json, "user"), "id"));
    h_resp_free(&r);
    ha_call(s, &admin, "POST", "/api/v1/admin/users", body, &r);
    CHECK_PROBLEM("the same email again", &r, 409, NULL);
    h_resp_free(&r);
    CHECK_INT("the new staff member signs in with the password shown once", ha_login(s, &staff),
              200);
    ha_call(s, &staff, "GET", "/api/v1/me", NULL, &r);
    CHECK_HAS("the staff member's departments", r.body, "\"lighting\"");
    h_resp_free(&r);

    char path[96];
    snprintf(path, sizeof path, "/api/v1/admin/users/%ld/keys", staff_id);
    ha_call(s, &admin, "POST", path, "{\"name\":\"ops\",\"scopes\":[\"staff\",\"read\"]}", &r);
    CHECK(r.status == 201 && json_is_string(json_object_get(r.json, "key")),
          "POST %s: expected 201 with a key, found %ld %.300s", path, r.status, r.body);
    h_resp_free(&r);

    /* the audit log: newest first, 2 per page, the next link leads on. Other
     * tests' admins write to it at the same time, so the test walks the
     * pages until it has met its own admin's two newest entries. */
    char page_path[512] = "/api/v1/admin/audit?limit=2";
    char own_actions[2][40] = {"", ""};
    long long last_id = -1;
    int own_found = 0;
    for (int pages = 0; page_path[0] && own_found < 2 && pages < 100; pages++) {
        ha_call(s, &admin, "GET", page_path, NULL, &r);
        json_t *entries = json_object_get(r.json, "entries"), *e;
        size_t n = json_array_size(entries);
        CHECK(r.status == 200 && (pages == 0 ? n == 2 : n >= 1 && n <= 2),
              "GET %s: expected 2 entries (1 or 2 on a later page), found %ld %.300s", page_path,
              r.status, r.body);
        CHECK(!strstr(r.body, staff.password), "audit entries must not hold the password");
        size_t i;
        json_array_foreach(entries, i, e) {
            long long id = json_integer_value(json_object_get(e, "id"));
            CHECK(last_id < 0 || id < last_id, "audit: expected newest first (and the next "
                  "page older): id %lld after %lld", id, last_id);
            last_id = id;
            const char *actor = json_string_value(json_object_get(e, "actor_label"));
            if (actor && !strcmp(actor, admin.email) && own_found < 2)
                snprintf(own_actions[own_found++], sizeof own_actions[0], "%s",
                         json_string_value(json_object_get(e, "action")) ?: "");
        }
        const char *next = NULL;
        json_t *l;
        json_array_foreach(json_object_get(r.json, "links"), i, l)
            if (!strcmp(json_string_value(json_object_get(l, "rel")) ?: "", "next"))
                next = json_string_value(json_object_get(l, "href"));
        CHECK(next || own_found == 2, "GET %s: expected a next link: %.300s", page_path, r.body);
        const char *rel = next ? strstr(next, "/api/v1/admin/audit") : NULL;
        snprintf(page_path, sizeof page_path, "%s", rel ? rel : "");
        h_resp_free(&r);
    }
    CHECK_STR("the admin's newest audit entry: action", own_actions[0], "key.create");
    CHECK_STR("the admin's entry before it: action", own_actions[1], "user.create");

    ha_call(s, &admin, "GET", "/api/v1/admin/users?limit=1", NULL, &r);
    CHECK(r.status == 200 && json_array_size(json_object_get(r.json, "users")) == 1,
          "GET /api/v1/admin/users?limit=1: expected 1 user, found %ld %.300s", r.status, r.body);
    CHECK(!strstr(r.body, "password"), "user list must not hold passwords: %.300s", r.body);
    h_resp_free(&r);
}

/* POLIS_RATE_LOGIN=3: the 4th login attempt in a minute is 429. */
static void login_rate_limit(PGconn *db)
{
    struct h_server s;
    const char *env[] = {"POLIS_RATE_LOGIN=3", NULL};
    if (h_server_start(&s, h_shared_dburl(), env) != 0)
        return;
    (void)db;
    long st[4];
    struct h_resp r;
    for (int i = 0; i < 4; i++) {
        h_post(&s, "/api/v1/auth/login", "application/json",
               "{\"email\":\"nobody@test.polis.example\",\"password\":\"wrong password\"}", &r);
        st[i] = r.status;
        if (i < 3)
            h_resp_free(&r);
    }
    CHECK(st[0] == 401 && st[1] == 401 && st[2] == 401,
          "login attempts 1-3: expected 401, found %ld %ld %ld", st[0], st[1], st[2]);
    CHECK_PROBLEM("login attempt 4 within a minute", &r, 429, NULL);
    char *retry = h_resp_header(&r, "retry-after");
    CHECK(retry && atoi(retry) >= 1 && atoi(retry) <= 60,
          "429: expected Retry-After of 1..60 seconds, found %s", retry ? retry : "none");
    free(retry);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_accounts", 240);
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    struct h_server s;
    if (h_server_start(&s, url, generous) != 0)
        return h_finish();
    sign_in_and_out(&s, db);
    password_change(&s, db);
    password_reset(&s, db);
    api_keys_and_csrf(&s, db);
    export_and_delete(&s, db);
    admin_users_and_audit(&s, db);
    login_rate_limit(db);
    PQfinish(db);
    return h_finish();
}
