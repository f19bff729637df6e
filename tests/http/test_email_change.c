/* Changing the e-mail address (issue 16): POST /api/v1/me/email {new_email,
 * password} with the session cookie refuses a malformed address, the
 * current one, a wrong password and an address another account uses, each
 * naming the field and changing nothing; a good request mails a link to the
 * new address and a notice to the old one, and changes nothing yet; the
 * link's token (POST /api/v1/auth/email-confirm) makes the change, which
 * sign-in then follows while the session in use stays valid; the token
 * works once, a newer request kills an older token, and an address taken
 * meanwhile is refused at confirmation. The change is in the audit log. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEW_SUBJECT "Confirm your new address"
#define OLD_SUBJECT "E-mail address change"

static const char *const generous[] = {"POLIS_RATE_REGISTER=1000", "POLIS_RATE_LOGIN=1000",
                                       "POLIS_RATE_RESET=1000", NULL};

/* POST /api/v1/me/email as u; r must be freed. */
static void ask_change(const struct h_server *s, const struct ha_user *u, const char *fresh,
                       const char *password, struct h_resp *r)
{
    char body[600];
    snprintf(body, sizeof body, "{\"new_email\":\"%s\",\"password\":\"%s\"}", fresh, password);
    ha_call(s, u, "POST", "/api/v1/me/email", body, r);
}

static long confirm(const struct h_server *s, const char *token)
{
    char body[300];
    snprintf(body, sizeof body, "{\"token\":\"%s\"}", token ? token : "");
    struct h_resp r;
    h_post(s, "/api/v1/auth/email-confirm", "application/json", body, &r);
    long st = r.status;
    h_resp_free(&r);
    return st;
}

/* The account's address as GET /api/v1/me shows it to u's session (malloc'd). */
static char *me_email(const struct h_server *s, const struct ha_user *u)
{
    struct h_resp r;
    ha_call(s, u, "GET", "/api/v1/me", NULL, &r);
    CHECK_INT("GET /api/v1/me with the session in use", r.status, 200);
    json_t *e = r.json ? json_object_get(json_object_get(r.json, "user"), "email") : NULL;
    char *email = strdup(json_is_string(e) ? json_string_value(e) : "");
    h_resp_free(&r);
    return email;
}

static long login_as(const struct h_server *s, const char *email, const char *password)
{
    struct ha_user who = {0};
    snprintf(who.email, sizeof who.email, "%s", email);
    snprintf(who.password, sizeof who.password, "%s", password);
    return ha_login(s, &who);
}

static long mails_to(PGconn *db, const char *address)
{
    return ha_count_where(db, "outbox", "recipient = $1", address);
}

/* Every refusal names its field and leaves no mail or token behind. */
static void refusals(const struct h_server *s, PGconn *db, struct ha_user *a,
                     const struct ha_user *b)
{
    char fresh[160];
    ha_unique_email(fresh, sizeof fresh, "change-refused");
    struct h_resp r;

    ask_change(s, a, "not-an-address", a->password, &r);
    CHECK_PROBLEM("malformed new_email", &r, 422, "new_email");
    h_resp_free(&r);
    ask_change(s, a, a->email, a->password, &r);
    CHECK_PROBLEM("new_email is the current address", &r, 422, "new_email");
    h_resp_free(&r);
    ha_call(s, a, "POST", "/api/v1/me/email", "{\"password\":\"x\"}", &r);
    CHECK_PROBLEM("new_email missing", &r, 422, "new_email");
    h_resp_free(&r);
    char body[300];
    snprintf(body, sizeof body, "{\"new_email\":\"%s\"}", fresh);
    ha_call(s, a, "POST", "/api/v1/me/email", body, &r);
    CHECK_PROBLEM("password missing", &r, 422, "password");
    h_resp_free(&r);

    ask_change(s, a, fresh, "not the password at all", &r);
    CHECK_PROBLEM("wrong password", &r, 422, "password");
    h_resp_free(&r);

    ask_change(s, a, b->email, a->password, &r);
    CHECK_PROBLEM("an address another account uses", &r, 409, "new_email");
    h_resp_free(&r);
    CHECK_INT("no mail to the taken address about the change",
              ha_count_where(db, "outbox", "recipient = $1 AND strpos(subject, 'new address') > 0",
                             b->email),
              0);

    /* an API key cannot move the account to another mailbox */
    char key[128];
    if (ha_make_key(s, a, "email change", "[\"read\",\"report\"]", key, sizeof key) == 201) {
        snprintf(body, sizeof body, "{\"new_email\":\"%s\",\"password\":\"%s\"}", fresh,
                 a->password);
        ha_call_key(s, key, "POST", "/api/v1/me/email", body, &r);
        CHECK_INT("with an API key: status", r.status, 403);
        h_resp_free(&r);
    } else {
        CHECK(0, "expected an API key for %s", a->email);
    }

    CHECK_INT("refused requests mailed nothing to the new address", mails_to(db, fresh), 0);
    CHECK_INT("refused requests left no e-mail change token",
              ha_count_where(db, "user_tokens", "new_email = $1", fresh), 0);
    char *still = me_email(s, a);
    CHECK_STR("after refusals the address is unchanged", still, a->email);
    free(still);
}

/* request -> mails -> nothing changed yet -> confirm -> changed for
 * sign-in and for the session in use; the token works once. */
static void change_and_confirm(const struct h_server *s, PGconn *db, struct ha_user *a)
{
    char old[160], fresh[160], id[32];
    snprintf(old, sizeof old, "%s", a->email);
    snprintf(id, sizeof id, "%ld", a->id);
    ha_unique_email(fresh, sizeof fresh, "change-new");
    struct h_resp r;
    ask_change(s, a, fresh, a->password, &r);
    CHECK_INT("change request: status", r.status, 202);
    h_resp_free(&r);

    char *token = ha_outbox_token(db, fresh, NEW_SUBJECT);
    CHECK(token != NULL, "expected a mail with a confirmation link to the new address %s", fresh);
    const char *p[] = {old, OLD_SUBJECT};
    char *notice = h_pg_value(db, "SELECT outbox_rendered_body(o) FROM outbox o"
                                  " WHERE recipient = $1 AND strpos(subject, $2) > 0"
                                  " ORDER BY id DESC LIMIT 1", 2, p);
    CHECK(notice != NULL, "expected a notice to the old address %s", old);
    CHECK_HAS("the notice to the old address names the new one", notice, fresh);
    CHECK(notice && !strstr(notice, "token"), "the notice to the old address carries no link");
    free(notice);

    /* nothing changes before the link is followed */
    char *now = me_email(s, a);
    CHECK_STR("before confirming: the address", now, old);
    free(now);
    CHECK_INT("before confirming: sign-in with the new address", login_as(s, fresh, a->password),
              401);

    CHECK_INT("confirm: status", confirm(s, token), 200);
    now = me_email(s, a);
    CHECK_STR("after confirming: the same session shows the new address", now, fresh);
    free(now);
    CHECK_INT("after confirming: sign-in with the new address", login_as(s, fresh, a->password),
              200);
    CHECK_INT("after confirming: sign-in with the old address", login_as(s, old, a->password),
              401);
    CHECK_INT("the same link again", confirm(s, token), 422);
    free(token);
    CHECK_INT("the change is in the audit log",
              ha_count_where(db, "audit_log",
                             "action = 'user.email_change' AND entity_id = $1", id),
              1);
    CHECK_INT("the request is in the audit log",
              ha_count_where(db, "audit_log",
                             "action = 'user.email_change_request' AND entity_id = $1", id),
              1);
    snprintf(a->email, sizeof a->email, "%s", fresh);
}

/* A newer request kills the older link; an address taken between the
 * request and the confirmation is refused then, and the account keeps its
 * address. */
static void older_link_and_taken_meanwhile(const struct h_server *s, PGconn *db,
                                           struct ha_user *a, struct ha_user *b)
{
    char first[160], second[160];
    ha_unique_email(first, sizeof first, "change-first");
    ha_unique_email(second, sizeof second, "change-second");
    struct h_resp r;
    ask_change(s, a, first, a->password, &r);
    CHECK_INT("first request", r.status, 202);
    h_resp_free(&r);
    char *t1 = ha_outbox_token(db, first, NEW_SUBJECT);
    ask_change(s, a, second, a->password, &r);
    CHECK_INT("second request", r.status, 202);
    h_resp_free(&r);
    char *t2 = ha_outbox_token(db, second, NEW_SUBJECT);
    CHECK_INT("the older link after a newer request", confirm(s, t1), 422);
    free(t1);

    /* b takes `second` first */
    ask_change(s, b, second, b->password, &r);
    CHECK_INT("b asks for the same address", r.status, 202);
    h_resp_free(&r);
    char *tb = ha_outbox_token(db, second, NEW_SUBJECT);
    CHECK_INT("b confirms", confirm(s, tb), 200);
    free(tb);
    CHECK_INT("a confirms an address b took meanwhile", confirm(s, t2), 409);
    free(t2);
    char *now = me_email(s, a);
    CHECK_STR("a keeps its address", now, a->email);
    free(now);
}

int main(void)
{
    h_init("test_email_change", 240);
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    struct h_server s;
    if (h_server_start(&s, url, generous) != 0)
        return h_finish();
    struct ha_user a, b;
    if (ha_new_user(&s, db, "change-a", &a) || ha_new_user(&s, db, "change-b", &b))
        return h_finish();
    refusals(&s, db, &a, &b);
    change_and_confirm(&s, db, &a);
    older_link_and_taken_meanwhile(&s, db, &a, &b);
    PQfinish(db);
    return h_finish();
}
