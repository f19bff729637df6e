/* Notification mail follows each person's preferences and language (issue
 * 16), as the people involved see it at a real SMTP server (the tests' own
 * sink): three citizens follow one report; when the staff move it on, the
 * one who turned followed reports off finds it only in the mailbox, the
 * one who chose immediately (an English account) gets a mail in English,
 * threaded with the report's other mails and with RFC 8058 one-click
 * unsubscribe, and the one who chose daily gets nothing until the digest,
 * which lists both events in one mail, once. The one-click POST turns the
 * kind off (a GET does not), after which the next event mails nothing; the
 * department's staff get the filing with its category and description; an
 * anonymous reporter gets the reply in the language they filed in. Own
 * cluster: the mail sender delivers (and forgets the tokens of) every
 * pending message of its database. */
#include "h_accounts.h"
#include "h_mail.h"
#include "harness.h"
#include "smtp_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAIL_DOMAIN "mail.test.polis.example"

enum { REPORTER, F_OFF, F_NOW, F_DAILY, STAFF, NUSERS };

struct world {
    struct h_server *s; /* the server that sends mail */
    PGconn *db;
    struct smtp_sink *sink;
    const char *dburl;
    struct ha_user u[NUSERS];
};

static long call(struct world *w, const struct ha_user *u, const char *method, const char *path,
                 const char *body, json_t **json)
{
    struct h_resp r;
    ha_call(w->s, u, method, path, body, &r);
    long status = r.status;
    if (json)
        *json = r.json ? json_incref(r.json) : NULL;
    if (status >= 300)
        fprintf(stderr, "%s %s: %ld %.300s\n", method, path, status, r.body);
    h_resp_free(&r);
    return status;
}

static long file_report(struct world *w, const struct ha_user *u, const char *extra,
                        const char *const *headers)
{
    char body[400];
    snprintf(body, sizeof body,
             "{\"category\":\"cleaning\",\"lat\":41.0913,\"lon\":23.5491,"
             "\"description\":\"Overflowing bins on the corner\"%s}", extra ? extra : "");
    struct h_resp r;
    if (u) {
        ha_call(w->s, u, "POST", "/api/v1/reports", body, &r);
    } else {
        h_request(w->s, "POST", "/api/v1/reports", headers, body, &r);
    }
    CHECK(r.status == 201, "file %s: expected 201, found %ld %.300s", body, r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    return id;
}

static void move_to(struct world *w, long id, const char *status)
{
    char path[96], body[64];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", id);
    snprintf(body, sizeof body, "{\"to\":\"%s\"}", status);
    long st = call(w, &w->u[STAFF], "POST", path, body, NULL);
    CHECK(st == 200 || st == 201, "move the report to %s: expected 200, found %ld", status, st);
    ha_fanout_settled(w->db);
}

/* Mails written for address (the outbox: what the sender will deliver). */
static long mails_to(struct world *w, const char *address)
{
    return ha_count_where(w->db, "outbox",
                          "recipient = $1 AND subject NOT LIKE '%Confirm your account'",
                          address);
}

static char *decoded_header(const char *mail, const char *name)
{
    char *raw = mail_header(mail, name);
    char *v = raw ? mail_decode_words(raw) : NULL;
    free(raw);
    return v;
}

static void set_pref(struct world *w, int who, const char *kind, const char *mode)
{
    char body[128];
    snprintf(body, sizeof body, "{\"email\":{\"%s\":\"%s\"}}", kind, mode);
    CHECK_INT("set a notification preference",
              call(w, &w->u[who], "PUT", "/api/v1/me/notification-preferences", body, NULL), 200);
}

/* The mode of kind in u's preferences, as the settings page reads them. */
static char *pref_of(struct world *w, int who, const char *kind)
{
    json_t *j = NULL;
    call(w, &w->u[who], "GET", "/api/v1/me/notification-preferences", NULL, &j);
    char *mode = NULL;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(j, "items"), i, item)
        if (!strcmp(json_string_value(json_object_get(item, "kind")) ?: "", kind))
            mode = strdup(json_string_value(json_object_get(item, "email")) ?: "");
    json_decref(j);
    return mode;
}

/* Language: sign-up takes one, the account can change it, bad values are
 * refused naming the field. */
static void languages(struct world *w)
{
    char email[160], body[400];
    ha_unique_email(email, sizeof email, "prefs-lang");
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"Pw-prefs correct horse\","
             "\"language\":\"fr\"}", email);
    struct h_resp r;
    h_post(w->s, "/api/v1/auth/register", "application/json", body, &r);
    CHECK_PROBLEM("sign-up with language fr", &r, 422, "language");
    h_resp_free(&r);
    CHECK_INT("no account made with a bad language", ha_count_where(w->db, "users",
              "email = $1", email), 0);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"Pw-prefs correct horse\","
             "\"language\":\"en\"}", email);
    h_post(w->s, "/api/v1/auth/register", "application/json", body, &r);
    CHECK_INT("sign-up with language en", r.status, 202);
    h_resp_free(&r);
    CHECK_INT("the account's language is en",
              ha_count_where(w->db, "users", "email = $1 AND language = 'en'", email), 1);

    json_t *me = NULL;
    CHECK_INT("PATCH /api/v1/me language en",
              call(w, &w->u[F_NOW], "PATCH", "/api/v1/me", "{\"language\":\"en\"}", &me), 200);
    CHECK_STR("the account answered has language en",
              json_string_value(json_object_get(json_object_get(me, "user"), "language")), "en");
    json_decref(me);
    ha_call(w->s, &w->u[F_NOW], "PATCH", "/api/v1/me", "{\"language\":\"de\"}", &r);
    CHECK_PROBLEM("PATCH /api/v1/me language de", &r, 422, "language");
    h_resp_free(&r);
    ha_call(w->s, &w->u[F_NOW], "GET", "/api/v1/me", NULL, &r);
    CHECK_STR("GET /api/v1/me still says en",
              json_string_value(json_object_get(json_object_get(r.json, "user"), "language")),
              "en");
    h_resp_free(&r);
    ha_call(w->s, NULL, "POST", "/api/v1/reports",
            "{\"category\":\"cleaning\",\"lat\":41.0913,\"lon\":23.5491,"
            "\"description\":\"bad language\",\"language\":\"xx\"}", &r);
    CHECK_PROBLEM("an anonymous report with language xx", &r, 422, "language");
    h_resp_free(&r);
}

/* The staff are told of the filing by mail with what they need to act. */
static long staff_told(struct world *w)
{
    long id = file_report(w, &w->u[REPORTER], ",\"address\":\"Merarchias 12\"", NULL);
    if (!id)
        return 0;
    char *mail = smtp_sink_wait(w->sink, w->u[STAFF].email);
    CHECK(mail, "the department's staff get a mail of the new report");
    if (!mail)
        return id;
    char *subject = decoded_header(mail, "Subject"), *text = mail_part(mail, "text/plain");
    char expected[96];
    snprintf(expected, sizeof expected, "Αναφορά #%ld: νέα αναφορά", id);
    CHECK_STR("staff mail: subject (Greek, the staff member's language)", subject, expected);
    CHECK_HAS("staff mail: the category", text, "Καθαριότητα και απορρίμματα");
    CHECK_HAS("staff mail: the address", text, "Merarchias 12");
    CHECK_HAS("staff mail: the description", text, "Overflowing bins on the corner");
    free(subject);
    free(text);
    free(mail);
    return id;
}

/* Immediate, in English, threaded, with one-click unsubscribe; returns the
 * List-Unsubscribe URL (malloc'd) of the first. */
static char *immediate_mail(struct world *w, long id, const char *status_en, int first)
{
    char *mail = smtp_sink_wait(w->sink, w->u[F_NOW].email);
    CHECK(mail, "the follower who chose immediately gets a mail (%s)", status_en);
    if (!mail)
        return NULL;
    char *subject = decoded_header(mail, "Subject");
    char expected[160], thread[160], link[256];
    snprintf(expected, sizeof expected, "Report #%ld: %s", id, status_en);
    CHECK_STR("immediate mail: English subject for an English account", subject, expected);
    char *text = mail_part(mail, "text/plain"), *html = mail_part(mail, "text/html");
    snprintf(expected, sizeof expected, "Report #%ld changed status: %s.", id, status_en);
    CHECK_HAS("immediate mail: the text in English", text, expected);
    snprintf(link, sizeof link, "/#/reports/%ld\">", id);
    CHECK_HAS("immediate mail: the HTML part links to the report", html, link);
    CHECK(html && strstr(html, "<a href=\"http"), "immediate mail: the link is an <a>: %s",
          html ? html : "(none)");
    snprintf(thread, sizeof thread, "<report-%ld@" MAIL_DOMAIN ">", id);
    char *in_reply = mail_header(mail, "In-Reply-To"), *refs = mail_header(mail, "References");
    CHECK_STR("immediate mail: In-Reply-To the report's thread", in_reply, thread);
    CHECK_STR("immediate mail: References the report's thread", refs, thread);
    char *unsub = mail_header(mail, "List-Unsubscribe");
    char *post = mail_header(mail, "List-Unsubscribe-Post");
    CHECK_HAS("immediate mail: List-Unsubscribe", unsub, "/api/v1/unsubscribe?token=");
    CHECK(unsub && unsub[0] == '<' && !strncmp(unsub + 1, "http://127.0.0.1:", 17),
          "List-Unsubscribe is <POLIS_PUBLIC_URL/...>: %s", unsub ? unsub : "(none)");
    CHECK_STR("immediate mail: List-Unsubscribe-Post", post, "List-Unsubscribe=One-Click");
    char *url = NULL;
    if (first && unsub && unsub[0] == '<') {
        url = strdup(unsub + 1);
        url[strcspn(url, ">")] = '\0';
    }
    free(subject);
    free(text);
    free(html);
    free(in_reply);
    free(refs);
    free(unsub);
    free(post);
    free(mail);
    return url;
}

/* The path of a URL of one of the test's servers ("/api/...?token=..."). */
static const char *path_of(const char *url)
{
    const char *p = strstr(url, "/api/v1/unsubscribe");
    return p ? p : "/";
}

static long one_click(struct world *w, const char *path, const char *body)
{
    struct h_resp r;
    struct h_req q = {.method = "POST", .path = path,
                      .content_type = "application/x-www-form-urlencoded", .body = body};
    h_send(w->s, &q, &r);
    long status = r.status;
    h_resp_free(&r);
    return status;
}

/* The one-click POST as RFC 8058 recommends it: multipart/form-data. */
static long one_click_multipart(struct world *w, const char *path)
{
    struct h_part part = {.name = "List-Unsubscribe", .value = "One-Click"};
    static const char *const no_expect[] = {"Expect:", NULL};
    struct h_req q = {.method = "POST", .path = path, .headers = no_expect, .parts = &part,
                      .nparts = 1};
    struct h_resp r;
    h_send(w->s, &q, &r);
    long status = r.status;
    h_resp_free(&r);
    return status;
}

static void unsubscribe(struct world *w, const char *url, long id)
{
    /* once the mail is handed over, the database keeps only the token's
     * digest: nobody reading the outbox can unsubscribe anyone */
    free(hm_wait_value(w->db, "SELECT bool_and(status = 'sent') FROM outbox WHERE recipient = $1",
                       w->u[F_NOW].email, "t"));
    const char *token = strstr(url, "token=") ? strstr(url, "token=") + 6 : url;
    CHECK_INT("the outbox does not keep the mailed token",
              ha_count_where(w->db, "outbox", "list_unsubscribe LIKE '%' || $1 || '%'"
                             " OR body LIKE '%' || $1 || '%' OR unsubscribe_token = $1", token),
              0);
    struct h_resp r;
    h_get_url(url, &r);
    CHECK_INT("GET of the one-click URL: a page", r.status, 200);
    CHECK_HAS("the page has a button that POSTs", r.body, "<form method=\"post\"");
    CHECK_HAS("the page is bilingual", r.body, "Unsubscribe");
    h_resp_free(&r);
    char *mode = pref_of(w, F_NOW, "followed_reports");
    CHECK_STR("a GET does not unsubscribe", mode, "immediate");
    free(mode);

    CHECK_INT("one-click with another body", one_click(w, path_of(url), "List-Unsubscribe=no"),
              400);
    struct h_req json = {.method = "POST", .path = path_of(url),
                         .content_type = "application/json",
                         .body = "{\"List-Unsubscribe\":\"One-Click\"}"};
    h_send(w->s, &json, &r);
    CHECK_PROBLEM("one-click as JSON", &r, 415, NULL);
    h_resp_free(&r);
    CHECK_INT("one-click POST (RFC 8058)",
              one_click(w, path_of(url), "List-Unsubscribe=One-Click"), 200);
    mode = pref_of(w, F_NOW, "followed_reports");
    CHECK_STR("after one-click the preferences say off", mode, "off");
    free(mode);
    CHECK_INT("the same link again: 404",
              one_click(w, path_of(url), "List-Unsubscribe=One-Click"), 404);
    CHECK_INT("a made-up token: 404",
              one_click(w, "/api/v1/unsubscribe?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                        "List-Unsubscribe=One-Click"), 404);
    h_get(w->s, "/api/v1/unsubscribe?token=not%20a%20token", &r);
    CHECK_PROBLEM("GET with a bad token", &r, 404, NULL);
    h_resp_free(&r);

    long before = mails_to(w, w->u[F_NOW].email);
    move_to(w, id, "resolved");
    CHECK_INT("after unsubscribing, the next event mails nothing",
              mails_to(w, w->u[F_NOW].email), before);
    CHECK_INT("but it is in the mailbox", ha_inbox_count(w->s, w->db, &w->u[F_NOW], id, "to",
              "resolved"), 1);
}

static int run_digest(struct world *w)
{
    /* the links in the digest start with POLIS_PUBLIC_URL, as the server's do */
    setenv("POLIS_PUBLIC_URL", w->s->base, 1);
    static const char *const argv[] = {"mail", "digest", "--now", NULL};
    return h_polis_wait(h_polis_spawn(w->dburl, argv));
}

static void digest(struct world *w, long id)
{
    const char *to = w->u[F_DAILY].email;
    CHECK_INT("the follower who chose daily: no mail before the digest", mails_to(w, to), 0);
    CHECK_INT("polis mail digest --now", run_digest(w), 0);
    char *mail = smtp_sink_wait(w->sink, to);
    CHECK(mail, "the digest mail arrives");
    if (mail) {
        char *subject = decoded_header(mail, "Subject"), *text = mail_part(mail, "text/plain");
        CHECK_STR("digest: subject (Greek)", subject, "Η ημερήσια σύνοψή σας: 2 ειδοποιήσεις");
        char newer[128], older[128];
        snprintf(newer, sizeof newer, "Η αναφορά #%ld άλλαξε κατάσταση: Σε εξέλιξη.", id);
        snprintf(older, sizeof older, "Η αναφορά #%ld άλλαξε κατάσταση: Παρελήφθη.", id);
        CHECK_HAS("digest: lists the newer event", text, newer);
        CHECK_HAS("digest: lists the older event", text, older);
        const char *a = text ? strstr(text, newer) : NULL, *b = text ? strstr(text, older) : NULL;
        CHECK(a && b && a < b, "digest: newest first: %s", text ? text : "(none)");
        char *unsub = mail_header(mail, "List-Unsubscribe");
        CHECK_HAS("digest: one-click unsubscribe", unsub, "/api/v1/unsubscribe?token=");
        free(unsub);
        free(subject);
        free(text);
        free(mail);
    }
    CHECK_INT("one digest mail", mails_to(w, to), 1);
    CHECK_INT("polis mail digest --now again", run_digest(w), 0);
    CHECK_INT("the second run sends nothing", mails_to(w, to), 1);
}

static void anonymous_english(struct world *w)
{
    char email[160], extra[220];
    ha_unique_email(email, sizeof email, "prefs-anon");
    snprintf(extra, sizeof extra, ",\"contact_email\":\"%s\"", email);
    static const char *const headers[] = {"Accept-Language: en-GB,en;q=0.9,el;q=0.5", NULL};
    long id = file_report(w, NULL, extra, headers);
    if (!id)
        return;
    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/messages", id);
    long st = call(w, &w->u[STAFF], "POST", path, "{\"body\":\"We will empty them on Monday\"}",
                   NULL);
    CHECK(st == 200 || st == 201, "staff reply: expected 201, found %ld", st);
    char *mail = smtp_sink_wait(w->sink, email);
    CHECK(mail, "the anonymous reporter gets the reply by mail");
    if (!mail)
        return;
    char *subject = decoded_header(mail, "Subject"), *text = mail_part(mail, "text/plain");
    char expected[128];
    snprintf(expected, sizeof expected, "Report #%ld: reply from the municipality", id);
    CHECK_STR("anonymous mail: in the language of the filing (Accept-Language en)", subject,
              expected);
    CHECK_HAS("anonymous mail: the reply", text, "We will empty them on Monday");
    snprintf(expected, sizeof expected, "/track/%ld#secret=", id);
    CHECK_HAS("anonymous mail: the tracking link", text, expected);
    char *unsub = mail_header(mail, "List-Unsubscribe");
    CHECK_HAS("anonymous mail: one-click unsubscribe", unsub, "/api/v1/unsubscribe?token=");
    if (unsub && unsub[0] == '<') {
        unsub[strcspn(unsub, ">")] = '\0';
        CHECK_INT("anonymous one-click (multipart/form-data)",
                  one_click_multipart(w, path_of(unsub + 1)), 200);
        long before = mails_to(w, email);
        move_to(w, id, "acknowledged");
        CHECK_INT("after it, a status change mails the anonymous reporter nothing",
                  mails_to(w, email), before);
    }
    free(unsub);
    free(subject);
    free(text);
    free(mail);
}

int main(void)
{
    h_init("test_mail_prefs", 240);
    const char *own_db = h_private_db("mail_prefs");
    struct world w = {.dburl = own_db};
    w.db = h_pg_connect(own_db);
    w.sink = smtp_sink_start(0);

    /* accounts are made on a server that sends no mail: their confirmation
     * tokens are read from the outbox before a sender forgets them */
    const char *quiet_env[] = {"POLIS_RATE_REGISTER=1000", "POLIS_RATE_RESET=1000",
                               "POLIS_DIGEST_HOUR=off", NULL};
    struct h_server quiet;
    if (h_server_start(&quiet, own_db, quiet_env) != 0)
        return h_finish();
    static const char *const tags[NUSERS] = {"prefs-rep", "prefs-off", "prefs-now",
                                             "prefs-daily", "prefs-staff"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&quiet, w.db, tags[i], &w.u[i]))
            return h_finish();
    ha_set_role(w.db, &w.u[STAFF], "staff", "cleaning");
    free(h_pg_value(w.db, "UPDATE outbox SET status = 'sent', token = NULL,"
                          " handed_over_at = now() WHERE status = 'pending' RETURNING 1",
                    0, NULL));

    char smtp_url[64];
    snprintf(smtp_url, sizeof smtp_url, "POLIS_SMTP_URL=smtp://127.0.0.1:%d",
             smtp_sink_port(w.sink));
    const char *env[] = {smtp_url, "POLIS_MAIL_FROM=polis@" MAIL_DOMAIN,
                         "POLIS_RATE_REGISTER=1000", "POLIS_RATE_RESET=1000",
                         "POLIS_DIGEST_HOUR=off", NULL};
    struct h_server s;
    if (h_server_start(&s, own_db, env) != 0)
        return h_finish();
    w.s = &s;

    languages(&w);
    set_pref(&w, F_OFF, "followed_reports", "off");
    set_pref(&w, F_DAILY, "followed_reports", "daily");
    long id = staff_told(&w);
    if (!id)
        return h_finish();
    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/follow", id);
    for (int i = F_OFF; i <= F_DAILY; i++)
        CHECK(call(&w, &w.u[i], "POST", path, NULL, NULL) < 300, "follow the report");

    move_to(&w, id, "acknowledged");
    char *url = immediate_mail(&w, id, "Acknowledged", 1);
    CHECK_INT("off: the event is in the mailbox",
              ha_inbox_count(&s, w.db, &w.u[F_OFF], id, "to", "acknowledged"), 1);
    CHECK_INT("off: no mail", mails_to(&w, w.u[F_OFF].email), 0);
    move_to(&w, id, "in_progress");
    free(immediate_mail(&w, id, "In progress", 0));
    CHECK_INT("off: still no mail", mails_to(&w, w.u[F_OFF].email), 0);

    digest(&w, id);
    if (url)
        unsubscribe(&w, url, id);
    free(url);
    anonymous_english(&w);

    PQfinish(w.db);
    smtp_sink_stop(w.sink);
    return h_finish();
}
