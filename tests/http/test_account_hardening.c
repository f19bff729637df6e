/* Accounts hardened (issue 14): mailed links point at POLIS_PUBLIC_URL only
 * (a forged Host changes nothing; without it the server refuses to mail
 * links and changes nothing); the outbox forgets a token once the mail is
 * handed over; a password reset kills the API keys; minting a key needs the
 * password (counted like a sign-in); an unknown email costs the same
 * password work as a known one; an old hash is upgraded at sign-in; the
 * __Host- session cookie when served over https. */
#include "h_accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PUBLIC_HTTPS "https://polis-test.example.gr"

static const char *const generous[] = {"POLIS_RATE_REGISTER=1000", "POLIS_RATE_LOGIN=1000",
                                       "POLIS_RATE_RESET=1000", NULL};

static long post_status(const struct h_server *s, const char *path, const char *body)
{
    struct h_resp r;
    h_post(s, path, "application/json", body, &r);
    long st = r.status;
    h_resp_free(&r);
    return st;
}

static long reset_request(const struct h_server *s, const char *email)
{
    char body[300];
    snprintf(body, sizeof body, "{\"email\":\"%s\"}", email);
    return post_status(s, "/api/v1/auth/reset-request", body);
}

/* The newest outbox row to email about subject_part: column `what` as text. */
static char *outbox_column(PGconn *db, const char *email, const char *subject_part,
                           const char *what)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT %s FROM outbox o WHERE recipient = $1 AND strpos(subject, $2) > 0"
             " ORDER BY id DESC LIMIT 1",
             what);
    const char *p[] = {email, subject_part};
    return h_pg_value(db, sql, 2, p);
}

/* Resets u's password through the mailed token; returns the status. */
static long reset_password(const struct h_server *s, PGconn *db, struct ha_user *u,
                           const char *fresh)
{
    CHECK_INT("reset-request", reset_request(s, u->email), 202);
    char *token = ha_outbox_token(db, u->email, "Password reset");
    CHECK(token != NULL, "reset: expected a reset message for %s", u->email);
    char body[400];
    snprintf(body, sizeof body, "{\"token\":\"%s\",\"new_password\":\"%s\"}", token ? token : "",
             fresh);
    free(token);
    long st = post_status(s, "/api/v1/auth/reset", body);
    if (st == 204)
        snprintf(u->password, sizeof u->password, "%s", fresh);
    return st;
}

/* A reset asked for with a forged Host (and X-Forwarded-Host) header: the
 * link mailed points at POLIS_PUBLIC_URL, the forged host is nowhere. The
 * stored body holds a placeholder, not the token. */
static void forged_host(const struct h_server *s, PGconn *db)
{
    struct ha_user u;
    if (ha_new_user(s, db, "forged", &u))
        return;
    char body[300];
    snprintf(body, sizeof body, "{\"email\":\"%s\"}", u.email);
    const char *headers[] = {"Host: attacker.example", "X-Forwarded-Host: attacker2.example",
                             NULL};
    struct h_resp r;
    h_request(s, "POST", "/api/v1/auth/reset-request", headers, body, &r);
    CHECK_INT("reset-request with a forged Host", r.status, 202);
    h_resp_free(&r);

    char *mailed = outbox_column(db, u.email, "Password reset", "outbox_rendered_body(o)");
    char *stored = outbox_column(db, u.email, "Password reset", "body");
    char *token = ha_outbox_token(db, u.email, "Password reset");
    CHECK(mailed && token, "forged Host: expected a reset message with a token");
    if (!mailed || !token)
        goto out;
    char *link = strstr(mailed, "http");
    CHECK(link && !strncmp(link, PUBLIC_HTTPS "/account/reset?token=",
                           strlen(PUBLIC_HTTPS "/account/reset?token=")),
          "forged Host: expected the mailed link to start with %s/account/reset?token=, found "
          "%.200s", PUBLIC_HTTPS, link ? link : mailed);
    CHECK(!strstr(mailed, "attacker"), "forged Host: the mail names the forged host: %.300s",
          mailed);
    CHECK(stored && !strstr(stored, token) && strstr(stored, "{{token}}"),
          "the stored body holds the placeholder, not the token: %.300s", stored ? stored : "");
out:
    free(mailed);
    free(stored);
    free(token);
}

/* With POLIS_PUBLIC_URL unset: register and reset-request answer 503 and
 * create no user, token or message. */
static void no_public_url(PGconn *db, const struct ha_user *existing)
{
    struct h_server s;
    const char *env[] = {"POLIS_PUBLIC_URL=", "POLIS_RATE_REGISTER=1000",
                         "POLIS_RATE_RESET=1000", NULL};
    if (h_server_start(&s, h_shared_dburl(), env) != 0)
        return;
    char email[160], body[400];
    ha_unique_email(email, sizeof email, "nourl");
    long tokens = ha_count_of(db, "user_tokens", "user_id", existing),
         mail = ha_count_where(db, "outbox", "recipient = $1", existing->email);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"a good passphrase 1\"}", email);
    struct h_resp r;
    h_post(&s, "/api/v1/auth/register", "application/json", body, &r);
    CHECK_PROBLEM("register without POLIS_PUBLIC_URL", &r, 503, NULL);
    CHECK_HAS("its detail names the setting",
              json_string_value(json_object_get(r.json, "detail")), "POLIS_PUBLIC_URL");
    h_resp_free(&r);
    snprintf(body, sizeof body, "{\"email\":\"%s\"}", existing->email);
    h_post(&s, "/api/v1/auth/reset-request", "application/json", body, &r);
    CHECK_PROBLEM("reset-request without POLIS_PUBLIC_URL (an existing account)", &r, 503, NULL);
    h_resp_free(&r);
    const char *p[] = {email};
    char *n = h_pg_value(db, "SELECT count(*) FROM users WHERE email = $1", 1, p);
    CHECK_STR("users with the email registered without POLIS_PUBLIC_URL", n, "0");
    free(n);
    CHECK_INT("one-time tokens added for the existing account",
              ha_count_of(db, "user_tokens", "user_id", existing) - tokens, 0);
    CHECK_INT("outbox messages added for the existing account",
              ha_count_where(db, "outbox", "recipient = $1", existing->email) - mail, 0);
    CHECK_INT("outbox messages to the address registered without POLIS_PUBLIC_URL",
              ha_count_where(db, "outbox", "recipient = $1", email), 0);
    /* signing in needs no link: still works */
    struct ha_user u = *existing;
    CHECK_INT("sign-in without POLIS_PUBLIC_URL", ha_login(&s, &u), 200);
}

/* Pending, the message's row holds the token (the sender needs it); once
 * handed over (outbox_handed_over), nothing in the row does, and the link
 * the user received still works. A sender that marks it sent without
 * clearing the token is refused. */
static void handed_over(const struct h_server *s, PGconn *db)
{
    struct ha_user u;
    if (ha_new_user(s, db, "handover", &u))
        return;
    CHECK_INT("reset-request", reset_request(s, u.email), 202);
    char *id = outbox_column(db, u.email, "Password reset", "id::text");
    char *token = ha_outbox_token(db, u.email, "Password reset");
    CHECK(id && token, "hand-over: expected a reset message with a token");
    if (!id || !token) {
        free(id);
        free(token);
        return;
    }
    const char *p[] = {id};
    char *row = h_pg_value(db, "SELECT o::text FROM outbox o WHERE id = $1::bigint", 1, p);
    CHECK(row && strstr(row, token), "pending: the row holds the token for the sender");
    free(row);

    PGresult *res = PQexecParams(db, "UPDATE outbox SET status = 'sent' WHERE id = $1::bigint",
                                 1, NULL, p, NULL, NULL, 0);
    CHECK(PQresultStatus(res) == PGRES_FATAL_ERROR &&
              strstr(PQresultErrorMessage(res), "outbox_token_only_while_pending"),
          "marking it sent without clearing the token: expected the CHECK to refuse, found %s",
          PQresultErrorMessage(res));
    PQclear(res);

    char *done = h_pg_value(db, "SELECT outbox_handed_over($1::bigint)", 1, p);
    CHECK_STR("outbox_handed_over on the pending message", done, "t");
    free(done);
    row = h_pg_value(db,
                     "SELECT o::text || ' ' || outbox_rendered_body(o) FROM outbox o"
                     " WHERE id = $1::bigint",
                     1, p);
    CHECK(row && !strstr(row, token), "handed over: the token is still readable in the row: %s",
          row ? row : "(no row)");
    CHECK(row && strstr(row, "sent"), "handed over: expected status sent: %s", row ? row : "");
    free(row);
    done = h_pg_value(db, "SELECT outbox_handed_over($1::bigint)", 1, p);
    CHECK_STR("outbox_handed_over a second time", done, "f");
    free(done);

    char body[400];
    snprintf(body, sizeof body, "{\"token\":\"%s\",\"new_password\":\"handed over pass 1\"}",
             token);
    CHECK_INT("the link the user received still works after the hand-over",
              post_status(s, "/api/v1/auth/reset", body), 204);
    free(id);
    free(token);
}

/* Minting needs the password; a key minted before a reset stops working
 * after it; a password change by the owner keeps it. */
static void keys_and_password(const struct h_server *s, PGconn *db)
{
    struct ha_user u;
    if (ha_new_user(s, db, "keypw", &u))
        return;
    long keys = ha_count_of(db, "api_keys", "user_id", &u);
    struct h_resp r;
    ha_call(s, &u, "POST", "/api/v1/me/keys", "{\"name\":\"app\",\"scopes\":[\"read\"]}", &r);
    CHECK_PROBLEM("minting a key without the password", &r, 422, "password");
    h_resp_free(&r);
    char body[400];
    snprintf(body, sizeof body,
             "{\"name\":\"app\",\"scopes\":[\"read\"],\"password\":\"not-%s\"}", u.password);
    ha_call(s, &u, "POST", "/api/v1/me/keys", body, &r);
    CHECK_PROBLEM("minting a key with a wrong password", &r, 422, "password");
    h_resp_free(&r);
    CHECK_INT("keys made by the refused attempts",
              ha_count_of(db, "api_keys", "user_id", &u) - keys, 0);

    char key[128], other[128];
    CHECK_INT("minting with the right password", ha_make_key(s, &u, "app", "[\"read\",\"report\"]",
                                                             key, sizeof key),
              201);
    /* a key minting a key needs the password too */
    snprintf(body, sizeof body, "{\"name\":\"child\",\"scopes\":[\"read\"]}");
    ha_call_key(s, key, "POST", "/api/v1/me/keys", body, &r);
    CHECK_PROBLEM("a key minting a key without the password", &r, 422, "password");
    h_resp_free(&r);
    CHECK_INT("a second key", ha_make_key(s, &u, "other", "[\"read\"]", other, sizeof other), 201);

    /* the owner changes the password: keys stay */
    snprintf(body, sizeof body, "{\"current_password\":\"%s\",\"new_password\":\"%s\"}",
             u.password, "changed passphrase 7");
    ha_call(s, &u, "POST", "/api/v1/auth/password", body, &r);
    CHECK_INT("password change", r.status, 200);
    h_resp_free(&r);
    snprintf(u.password, sizeof u.password, "changed passphrase 7");
    ha_call_key(s, key, "GET", "/api/v1/me", NULL, &r);
    CHECK_INT("the key after the owner changed the password", r.status, 200);
    h_resp_free(&r);

    /* a reset: every key dies */
    CHECK_INT("reset", reset_password(s, db, &u, "reset passphrase 8"), 204);
    const char *ks[] = {key, other};
    for (int i = 0; i < 2; i++) {
        ha_call_key(s, ks[i], "GET", "/api/v1/me", NULL, &r);
        CHECK_PROBLEM(i ? "the second key after the reset" : "the first key after the reset", &r,
                      401, NULL);
        h_resp_free(&r);
    }
    CHECK_INT("sign in after the reset", ha_login(s, &u), 200);
    ha_call(s, &u, "GET", "/api/v1/me/keys", NULL, &r);
    CHECK(r.status == 200 && json_array_size(json_object_get(r.json, "keys")) == 0,
          "active keys listed after the reset: expected none, found %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    char uid[32];
    snprintf(uid, sizeof uid, "%ld", u.id);
    const char *p[] = {uid};
    char *audit = h_pg_value(db,
                             "SELECT jsonb_array_length(after->'api_keys_revoked') FROM audit_log"
                             " WHERE action = 'user.password_reset' AND entity_id = $1"
                             " ORDER BY id DESC LIMIT 1",
                             1, p);
    CHECK_STR("the reset's audit entry lists the revoked keys", audit, "2");
    free(audit);
}

/* POLIS_LOGIN_FAILURES=2: two wrong passwords while minting count like
 * failed sign-ins of that account from this client; its next sign-in is 429. */
static void minting_counts_as_sign_in(PGconn *db)
{
    struct h_server s;
    const char *env[] = {"POLIS_LOGIN_FAILURES=2", "POLIS_RATE_REGISTER=1000", NULL};
    if (h_server_start(&s, h_shared_dburl(), env) != 0)
        return;
    struct ha_user u;
    if (ha_new_user(&s, db, "mintrate", &u)) /* sign-in 1 */
        return;
    char body[400];
    snprintf(body, sizeof body, "{\"name\":\"k\",\"scopes\":[\"read\"],\"password\":\"not-%s\"}",
             u.password);
    for (int i = 0; i < 2; i++) {
        struct h_resp r;
        ha_call(&s, &u, "POST", "/api/v1/me/keys", body, &r);
        CHECK_PROBLEM("minting with a wrong password", &r, 422, "password");
        h_resp_free(&r);
    }
    struct ha_user again = u;
    CHECK_INT("sign-in after two wrong passwords at key minting (POLIS_LOGIN_FAILURES=2)",
              ha_login(&s, &again), 429);
}

/* /metrics is read as an administrator (it may be closed to the public). */
static struct ha_user metrics_reader;

/* polis_password_work_total{kind=...} from /metrics (-1 when missing). */
static long password_work(const struct h_server *s, const char *kind)
{
    struct h_resp r;
    ha_call(s, &metrics_reader, "GET", "/metrics", NULL, &r);
    char needle[80];
    snprintf(needle, sizeof needle, "polis_password_work_total{kind=\"%s\"} ", kind);
    const char *at = r.body ? strstr(r.body, needle) : NULL;
    long n = at ? atol(at + strlen(needle)) : -1;
    h_resp_free(&r);
    return n;
}

static void sign_in_work(const struct h_server *s, const char *what, const char *email,
                         const char *password, long status)
{
    long v0 = password_work(s, "verify"), h0 = password_work(s, "hash");
    char body[400];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    CHECK_INT(what, post_status(s, "/api/v1/auth/login", body), status);
    long v1 = password_work(s, "verify"), h1 = password_work(s, "hash");
    CHECK(v0 >= 0 && h0 >= 0, "%s: /metrics has no polis_password_work_total", what);
    CHECK(v1 - v0 == 1 && h1 - h0 == 0,
          "%s: expected one password verification and no hashing, found %ld and %ld", what,
          v1 - v0, h1 - h0);
}

/* Unknown and known emails do the same argon2id work at sign-in. */
static void same_work(const struct h_server *s, PGconn *db)
{
    struct ha_user u;
    if (ha_new_user(s, db, "samework", &u))
        return;
    char nobody[160], wrong[100];
    ha_unique_email(nobody, sizeof nobody, "nobody");
    snprintf(wrong, sizeof wrong, "not-%s", u.password);
    sign_in_work(s, "sign-in with an unknown email", nobody, "some password 123", 401);
    sign_in_work(s, "sign-in with a known email and a wrong password", u.email, wrong, 401);
    sign_in_work(s, "sign-in with the right password", u.email, u.password, 200);
}

/* A hash made with weaker parameters is replaced at the next sign-in. */
static void hash_upgrade(const struct h_server *s, PGconn *db)
{
    struct ha_user u;
    if (ha_new_user(s, db, "rehash", &u))
        return;
    char weak[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(weak, u.password, strlen(u.password), crypto_pwhash_OPSLIMIT_MIN,
                          crypto_pwhash_MEMLIMIT_MIN) != 0)
        h_fatal("crypto_pwhash_str failed");
    const char *p[] = {u.email, weak};
    free(h_pg_value(db, "UPDATE users SET password_hash = $2 WHERE email = $1 RETURNING id", 2, p));
    CHECK(crypto_pwhash_str_needs_rehash(weak, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                         crypto_pwhash_MEMLIMIT_INTERACTIVE) == 1,
          "the weak hash must need a rehash for the test to mean anything");

    long h0 = password_work(s, "hash");
    CHECK_INT("sign-in with the weakly hashed password", ha_login(s, &u), 200);
    CHECK_INT("hashes made at that sign-in (the upgrade)", password_work(s, "hash") - h0, 1);
    char *now = h_pg_value(db, "SELECT password_hash FROM users WHERE email = $1", 1, p);
    CHECK(now && strcmp(now, weak) && !strncmp(now, "$argon2id$", 10) &&
              crypto_pwhash_str_needs_rehash(now, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0,
          "after sign-in: expected a hash with today's parameters, found %s", now ? now : "none");
    CHECK(now && crypto_pwhash_str_verify(now, u.password, strlen(u.password)) == 0,
          "the new hash is of the same password");
    free(now);
    h0 = password_work(s, "hash");
    CHECK_INT("sign-in again", ha_login(s, &u), 200);
    CHECK_INT("hashes made at a sign-in with a current hash", password_work(s, "hash") - h0, 0);
}

/* Served over https (POLIS_PUBLIC_URL https://...): the cookie is
 * __Host-polis_session, Secure, Path=/, no Domain; it is what the server
 * reads back, the plain name is not. Logout clears it under that name. */
static void host_cookie(const struct h_server *s, PGconn *db)
{
    struct ha_user u;
    if (ha_new_user(s, db, "hostcookie", &u))
        return;
    CHECK_STR("cookie name over https", u.cookie_name, "__Host-polis_session");
    char body[400];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", u.email, u.password);
    struct h_resp r;
    h_post(s, "/api/v1/auth/login", "application/json", body, &r);
    char *set = h_resp_header(&r, "set-cookie");
    CHECK(set && !strncmp(set, "__Host-polis_session=", 21) && strstr(set, "; Secure") &&
              strstr(set, "Path=/;") && !strcasestr(set, "domain="),
          "Set-Cookie over https: expected __Host-polis_session=...; Path=/; ...; Secure and no "
          "Domain, found %s",
          set ? set : "none");
    free(set);
    h_resp_free(&r);

    ha_call(s, &u, "GET", "/api/v1/me", NULL, &r);
    CHECK_INT("GET /api/v1/me with the __Host- cookie", r.status, 200);
    h_resp_free(&r);
    char plain[200];
    snprintf(plain, sizeof plain, "Cookie: polis_session=%s", u.cookie);
    const char *headers[] = {plain, NULL};
    h_request(s, "GET", "/api/v1/me", headers, NULL, &r);
    CHECK_INT("GET /api/v1/me with the same value under the plain name", r.status, 401);
    h_resp_free(&r);

    ha_call(s, &u, "POST", "/api/v1/auth/logout", NULL, &r);
    CHECK_INT("logout", r.status, 204);
    set = h_resp_header(&r, "set-cookie");
    CHECK(set && !strncmp(set, "__Host-polis_session=;", 22) && strstr(set, "Max-Age=0") &&
              strstr(set, "; Secure"),
          "logout over https: expected the __Host- cookie cleared (Secure), found %s",
          set ? set : "none");
    free(set);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_account_hardening", 240);
    if (sodium_init() < 0)
        h_fatal("sodium_init failed");
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);

    /* served over https, as the public would reach it */
    struct h_server https;
    const char *env_https[] = {"POLIS_PUBLIC_URL=" PUBLIC_HTTPS, "POLIS_RATE_REGISTER=1000",
                               "POLIS_RATE_LOGIN=1000", "POLIS_RATE_RESET=1000", NULL};
    if (h_server_start(&https, url, env_https) != 0)
        return h_finish();
    forged_host(&https, db);
    host_cookie(&https, db);

    /* the harness's default public URL (the server's own address, http) */
    struct h_server s;
    if (h_server_start(&s, url, generous) != 0)
        return h_finish();
    if (ha_new_user(&s, db, "metrics-admin", &metrics_reader))
        return h_finish();
    ha_set_role(db, &metrics_reader, "admin", NULL);
    struct ha_user existing;
    if (ha_new_user(&s, db, "existing", &existing) == 0) {
        CHECK_STR("cookie name over http", existing.cookie_name, "polis_session");
        no_public_url(db, &existing);
    }
    handed_over(&s, db);
    keys_and_password(&s, db);
    same_work(&s, db);
    hash_upgrade(&s, db);
    minting_counts_as_sign_in(db);
    PQfinish(db);
    return h_finish();
}
