/* Who is told what (issue 16), as the people involved see it: a report filed
 * in the cleaning category reaches the mailbox of the cleaning department's
 * staff and not the tourism office's; a staff reply reaches the reporter's
 * mailbox; an anonymous reporter who left an e-mail gets a mail on a staff
 * reply and on a status change, whose link starts with POLIS_PUBLIC_URL and
 * whose token opens the report like its secret does. With 1,000 area
 * subscriptions around it, filing answers while the fan-out cannot write a
 * single inbox row (the inbox is locked), and every subscriber's row
 * appears once the job can run. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CIT_A, STAFF_CLEANING, STAFF_TOURISM, NUSERS };

#define PUBLIC_URL "https://polis.example.gr"
#define FANS 1000
#define FANS_TEXT "1000"

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
};

/* POSTs a cleaning report as u (NULL: anonymous, with contact_email when
 * given); its id, 0 unless 201. */
static long file_report(struct world *w, const struct ha_user *u, const char *contact_email)
{
    char body[300];
    snprintf(body, sizeof body,
             "{\"category\":\"cleaning\",\"lat\":41.0913,\"lon\":23.5491,"
             "\"description\":\"Fan-out test report\"%s%s%s}",
             contact_email ? ",\"contact_email\":\"" : "", contact_email ? contact_email : "",
             contact_email ? "\"" : "");
    struct h_resp r;
    ha_call(w->s, u, "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file %s: expected 201, found %ld %.300s", body, r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    return id;
}

static long post_as(struct world *w, const struct ha_user *u, const char *path, const char *body)
{
    struct h_resp r;
    ha_call(w->s, u, "POST", path, body, &r);
    CHECK(r.status == 201 || r.status == 200, "POST %s %s: expected 200/201, found %ld %.300s",
          path, body, r.status, r.body);
    long st = r.status;
    h_resp_free(&r);
    return st;
}

/* How many items of u's mailbox are about report id (kind "status" or
 * "message", NULL: any), as the mailbox page reads them. */
static int mailbox_items(struct world *w, const struct ha_user *u, long id, const char *kind)
{
    return ha_inbox_count(w->s, w->db, u, id, kind ? "kind" : NULL, kind);
}

static void staff_told_of_filing(struct world *w)
{
    long id = file_report(w, &w->u[CIT_A], NULL);
    if (!id)
        return;
    CHECK_INT("the cleaning staff's mailbox has the new report",
              mailbox_items(w, &w->u[STAFF_CLEANING], id, NULL), 1);
    CHECK_INT("the tourism staff's mailbox does not",
              mailbox_items(w, &w->u[STAFF_TOURISM], id, NULL), 0);

    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/messages", id);
    post_as(w, &w->u[STAFF_CLEANING], path, "{\"body\":\"we are on our way\"}");
    CHECK_INT("the staff reply reaches the reporter's mailbox",
              mailbox_items(w, &w->u[CIT_A], id, "message"), 1);
    CHECK_INT("and not the mailbox of the staff member who wrote it",
              mailbox_items(w, &w->u[STAFF_CLEANING], id, "message"), 0);
}

/* The newest mail to email, rendered as it is sent; NULL when none. */
static char *newest_mail(struct world *w, const char *email, int *count)
{
    const char *p[] = {email};
    char *n = h_pg_value(w->db, "SELECT count(*) FROM outbox WHERE recipient = $1", 1, p);
    *count = n ? atoi(n) : -1;
    free(n);
    return h_pg_value(w->db, "SELECT outbox_rendered_body(o) FROM outbox o WHERE recipient = $1"
                             " ORDER BY id DESC LIMIT 1", 1, p);
}

/* Where mail links to the tracking page of report id ("/track/<id>#secret="),
 * or NULL. On the shared test database every test's server runs a fan-out
 * job, each with its own POLIS_PUBLIC_URL, and any of them may claim the
 * event; in a deployment every process has the same one. So the link starts
 * with this server's base or another test server's. */
static const char *tracking_link(const char *mail, long id)
{
    char link[64];
    snprintf(link, sizeof link, "/track/%ld#secret=", id);
    const char *at = strstr(mail, link);
    if (!at)
        return NULL;
    const char *line = at;
    while (line > mail && line[-1] != ' ' && line[-1] != '\n')
        line--;
    int ours = !strncmp(line, PUBLIC_URL "/track/", strlen(PUBLIC_URL "/track/"));
    return ours || !strncmp(line, "http://127.0.0.1:", 17) ? at : NULL;
}

static void anonymous_reporter_mailed(struct world *w)
{
    char email[160];
    ha_unique_email(email, sizeof email, "fan-anon");
    long id = file_report(w, NULL, email);
    if (!id)
        return;
    ha_fanout_settled(w->db);
    int mails;
    free(newest_mail(w, email, &mails));
    CHECK_INT("no mail for the filing itself", mails, 0);

    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/messages", id);
    post_as(w, &w->u[STAFF_CLEANING], path, "{\"body\":\"the bins are emptied on Monday\"}");
    ha_fanout_settled(w->db);
    char *mail = newest_mail(w, email, &mails);
    CHECK_INT("a staff reply mails the anonymous reporter", mails, 1);
    if (!mail)
        return;
    const char *at = tracking_link(mail, id);
    CHECK(at, "the mail links to POLIS_PUBLIC_URL/track/%ld#secret=...: %.500s", id, mail);
    CHECK(strstr(mail, "the bins are emptied on Monday"), "the mail carries the reply: "
          "%.500s", mail);

    /* the token in the link opens the report as the reporter */
    const char *token = at ? strchr(at, '=') + 1 : "";
    char tok[128];
    snprintf(tok, sizeof tok, "%.*s", (int)strcspn(token, " \n\r"), token);
    char get[256];
    snprintf(get, sizeof get, "/api/v1/reports/%ld/messages?secret=%s", id, tok);
    struct h_resp r;
    ha_call(w->s, NULL, "GET", get, NULL, &r);
    CHECK(r.status == 200, "the mail's token reads the thread: expected 200, found %ld %.300s",
          r.status, r.body);
    h_resp_free(&r);
    free(mail);

    snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", id);
    post_as(w, &w->u[STAFF_CLEANING], path, "{\"to\":\"acknowledged\"}");
    ha_fanout_settled(w->db);
    mail = newest_mail(w, email, &mails);
    CHECK_INT("a status change mails the anonymous reporter", mails, 2);
    CHECK(mail && tracking_link(mail, id), "the status mail's link: %.500s",
          mail ? mail : "(none)");
    free(mail);
}

/* 1,000 citizens follow a circle around the report's point. */
static void make_fans(struct world *w, const char *tag)
{
    const char *p[] = {tag};
    free(h_pg_value(w->db,
                    "WITH u AS (INSERT INTO users (email, password_hash, role)"
                    "   SELECT $1 || '-' || g || '@test.polis.example', 'x', 'citizen'"
                    "   FROM generate_series(1, " FANS_TEXT ") g RETURNING id),"
                    " s AS (INSERT INTO report_subscriptions (user_id, kind, center, radius_m, area)"
                    "   SELECT id, 'area', ST_SetSRID(ST_MakePoint(23.5491, 41.0913), 4326), 200,"
                    "     ST_Buffer(ST_SetSRID(ST_MakePoint(23.5491, 41.0913), 4326)::geography,"
                    "       200)::geometry FROM u RETURNING 1)"
                    " SELECT count(*) FROM s", 1, p));
}

static long fan_rows(struct world *w, const char *tag, long id)
{
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", id);
    const char *p[] = {tag, ids};
    char *v = h_pg_value(w->db, "SELECT count(*) FROM inbox i JOIN users u ON u.id = i.user_id"
                                " WHERE u.email LIKE $1 || '-%' AND i.report_id = $2::bigint",
                         2, p);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

static void many_subscribers(struct world *w, const char *url)
{
    char tag[64];
    snprintf(tag, sizeof tag, "fan-%d", (int)getpid());
    make_fans(w, tag);
    /* hold the fan-out: no inbox row can be written until this commits */
    PGconn *lock = h_pg_connect(url);
    free(h_pg_value(lock, "BEGIN", 0, NULL));
    free(h_pg_value(lock, "LOCK TABLE inbox IN SHARE MODE", 0, NULL));
    long id = file_report(w, NULL, NULL);
    CHECK(id > 0, "filing answers while the fan-out is held");
    CHECK_INT("no subscriber's row before the fan-out runs", fan_rows(w, tag, id), 0);
    free(h_pg_value(lock, "COMMIT", 0, NULL));
    PQfinish(lock);
    if (!id)
        return;
    ha_fanout_settled(w->db);
    CHECK_INT("every subscriber's mailbox has the report", fan_rows(w, tag, id), FANS);
}

int main(void)
{
    h_init("test_fanout", 240);
    const char *url = h_shared_dburl();
    struct world w = {0};
    w.db = h_pg_connect(url);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_ANON_WRITE=100000", "POLIS_PUBLIC_URL=" PUBLIC_URL, NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    w.s = &s;
    static const char *const tags[NUSERS] = {"fan-a", "fan-clean", "fan-tour"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&s, w.db, tags[i], &w.u[i]))
            return h_finish();
    ha_set_role(w.db, &w.u[STAFF_CLEANING], "staff", "cleaning");
    ha_set_role(w.db, &w.u[STAFF_TOURISM], "staff", "tourism");

    staff_told_of_filing(&w);
    anonymous_reporter_mailed(&w);
    many_subscribers(&w, url);
    PQfinish(w.db);
    return h_finish();
}
