/* Messages on a report, as the people involved see them: a citizen files a
 * report, the department's staff writes "we will come tomorrow", the
 * citizen finds it in their inbox (and a supporter does not), answers, and
 * the staff member finds the answer in theirs; the thread reads in order,
 * with the employee's name shown to staff only. Staff of another department
 * and other citizens are refused (404 when the report is private), an
 * anonymous reporter writes and reads with the report's secret, and bad
 * input is a 4xx naming the body that stores nothing. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CIT_A, CIT_B, STAFF_CLEANING, STAFF_TOURISM, ADMIN, NUSERS };

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
};

#define STAFF_NAME "Γιάννης Υπάλληλος"
#define CLEANING_NAME_EL "Τμήμα Καθαριότητας"

/* POSTs a report as u (NULL: anonymous); its id, 0 unless 201. */
static long file_report(struct world *w, const struct ha_user *u, const char *category,
                        char *secret, size_t secretlen)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"category\":\"%s\",\"lat\":41.0912,\"lon\":23.5493,"
             "\"description\":\"Messages test report\"}",
             category);
    struct h_resp r;
    ha_call(w->s, u, "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file %s: expected 201, found %ld %.300s", body, r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    const char *sec = json_string_value(json_object_get(r.json, "secret"));
    if (secret)
        snprintf(secret, secretlen, "%s", sec ? sec : "");
    h_resp_free(&r);
    return id;
}

/* POST /messages as u with a JSON body; returns the status, r kept in out. */
static long post_message(struct world *w, const struct ha_user *u, long id, const char *query,
                         const char *body, struct h_resp *out)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/messages%s", id, query ? query : "");
    struct h_resp r;
    ha_call(w->s, u, "POST", path, body, &r);
    long st = r.status;
    if (out)
        *out = r;
    else
        h_resp_free(&r);
    return st;
}

static long get_thread(struct world *w, const struct ha_user *u, long id, const char *query,
                       struct h_resp *out)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/messages%s", id, query ? query : "");
    struct h_resp r;
    ha_call(w->s, u, "GET", path, NULL, &r);
    long st = r.status;
    if (out)
        *out = r;
    else
        h_resp_free(&r);
    return st;
}

static long unread(struct world *w, const struct ha_user *u)
{
    struct h_resp r;
    ha_fanout_settled(w->db);
    ha_call(w->s, u, "GET", "/api/v1/me/inbox", NULL, &r);
    CHECK(r.status == 200, "GET inbox of %s: expected 200, found %ld", u->email, r.status);
    long n = (long)json_integer_value(json_object_get(r.json, "unread"));
    h_resp_free(&r);
    return n;
}

/* The inbox entry of u for message_id, as a new reference (NULL: none). */
static json_t *inbox_entry(struct world *w, const struct ha_user *u, long message_id)
{
    struct h_resp r;
    ha_fanout_settled(w->db);
    ha_call(w->s, u, "GET", "/api/v1/me/inbox?limit=100", NULL, &r);
    CHECK(r.status == 200, "GET inbox of %s: expected 200, found %ld", u->email, r.status);
    json_t *found = NULL;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "items"), i, item)
        if (!found && json_integer_value(json_object_get(item, "message_id")) == message_id)
            found = json_incref(item);
    CHECK(!strstr(r.body ? r.body : "", STAFF_NAME) || u == &w->u[STAFF_CLEANING],
          "the inbox of %s must not name the employee: %.400s", u->email, r.body);
    h_resp_free(&r);
    return found;
}

static long message_count(struct world *w, long report_id)
{
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", report_id);
    const char *p[] = {ids};
    char *v = h_pg_value(w->db, "SELECT count(*) FROM report_messages WHERE report_id = $1::bigint",
                         1, p);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

static long inbox_rows_of_message(struct world *w, long message_id)
{
    ha_fanout_settled(w->db);
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", message_id);
    const char *p[] = {ids};
    char *v = h_pg_value(w->db, "SELECT count(*) FROM inbox WHERE message_id = $1::bigint", 1, p);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

static void conversation(struct world *w)
{
    struct ha_user *a = &w->u[CIT_A], *staff = &w->u[STAFF_CLEANING];
    long id = file_report(w, a, "cleaning", NULL, 0);
    if (!id)
        return;
    /* B supports the report (and follows it): the public never gets messages */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/support", id);
    struct h_resp r;
    ha_call(w->s, &w->u[CIT_B], "POST", path, NULL, &r);
    CHECK(r.status / 100 == 2, "B supports A's report: expected 2xx, found %ld", r.status);
    h_resp_free(&r);

    /* A's mailbox holds only A's reports; a staff member's also every new
     * report of the department, which tests running alongside file at any
     * time: the staff's checks count the entries about this report */
    long a_unread = unread(w, a);
    long st = post_message(w, staff, id, NULL, "{\"body\":\"we will come tomorrow\"}", &r);
    CHECK(st == 201, "staff writes: expected 201, found %ld %.300s", st, r.body);
    CHECK_STR("a staff message is from", json_string_value(json_object_get(r.json, "from")),
              "staff");
    CHECK(json_string_value(json_object_get(r.json, "at")), "a message has at: %.200s", r.body);
    long m1 = (long)json_integer_value(json_object_get(r.json, "id"));
    CHECK(m1 > 0, "a message has an id: %.200s", r.body);
    h_resp_free(&r);

    CHECK_INT("A's unread count after the staff message", unread(w, a), a_unread + 1);
    json_t *e = inbox_entry(w, a, m1);
    CHECK(e != NULL, "A's inbox has the staff message %ld", m1);
    if (e) {
        CHECK_STR("inbox entry kind", json_string_value(json_object_get(e, "kind")), "message");
        CHECK_STR("inbox entry body", json_string_value(json_object_get(e, "body")),
                  "we will come tomorrow");
        CHECK_STR("inbox entry from", json_string_value(json_object_get(e, "message_from")),
                  "staff");
        CHECK_INT("inbox entry report", json_integer_value(json_object_get(e, "report_id")), id);
        CHECK(json_is_false(json_object_get(e, "read")), "a new inbox entry is unread");
        json_decref(e);
    }
    e = inbox_entry(w, &w->u[CIT_B], m1);
    CHECK(e == NULL, "a supporter's inbox must not get the staff's message to the reporter");
    json_decref(e);
    CHECK_INT("the staff member's own message is not in their inbox",
              ha_inbox_count(w->s, w->db, staff, id, "kind", "message"), 0);

    st = post_message(w, a, id, NULL, "{\"body\":\"Ευχαριστώ! The bins are by the school\"}",
                      &r);
    CHECK(st == 201, "A answers: expected 201, found %ld %.300s", st, r.body);
    CHECK_STR("the reporter's message is from", json_string_value(json_object_get(r.json, "from")),
              "reporter");
    long m2 = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    /* what a citizen wrote is part of everything held about them */
    ha_call(w->s, a, "GET", "/api/v1/me/export", NULL, &r);
    CHECK(r.status == 200 && strstr(r.body, "Ευχαριστώ! The bins are by the school"),
          "A's export holds A's message: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    CHECK_INT("messages about the report in the staff's mailbox after the answer",
              ha_inbox_count(w->s, w->db, staff, id, "kind", "message"), 1);
    e = inbox_entry(w, staff, m2);
    CHECK(e != NULL, "the staff's inbox has A's answer %ld", m2);
    if (e) {
        CHECK_STR("staff inbox entry kind", json_string_value(json_object_get(e, "kind")),
                  "message");
        CHECK_STR("staff inbox entry body", json_string_value(json_object_get(e, "body")),
                  "Ευχαριστώ! The bins are by the school");
        CHECK_STR("staff inbox entry from", json_string_value(json_object_get(e, "message_from")),
                  "reporter");
        json_decref(e);
    }
    e = inbox_entry(w, &w->u[STAFF_TOURISM], m2);
    CHECK(e == NULL, "staff of another department must not get A's answer");
    json_decref(e);
    e = inbox_entry(w, a, m2);
    CHECK(e == NULL, "A's own answer must not land in A's inbox");
    json_decref(e);

    /* the thread, oldest first; the employee's name for staff only */
    st = get_thread(w, a, id, NULL, &r);
    CHECK(st == 200, "A reads the thread: expected 200, found %ld %.300s", st, r.body);
    json_t *msgs = json_object_get(r.json, "messages");
    CHECK_INT("messages in the thread", json_array_size(msgs), 2);
    if (json_array_size(msgs) == 2) {
        json_t *first = json_array_get(msgs, 0), *second = json_array_get(msgs, 1);
        CHECK_INT("first message", json_integer_value(json_object_get(first, "id")), m1);
        CHECK_INT("second message", json_integer_value(json_object_get(second, "id")), m2);
        CHECK_STR("first from", json_string_value(json_object_get(first, "from")), "staff");
        CHECK_STR("first body", json_string_value(json_object_get(first, "body")),
                  "we will come tomorrow");
        CHECK_STR("citizens see the department", json_string_value(json_object_get(first,
                  "author")), CLEANING_NAME_EL);
        CHECK_STR("second from", json_string_value(json_object_get(second, "from")), "reporter");
    }
    CHECK(!strstr(r.body, STAFF_NAME) && !strstr(r.body, staff->email) &&
              !strstr(r.body, "staff_user_id"),
          "the reporter must not see who the employee is: %.500s", r.body);
    h_resp_free(&r);
    st = get_thread(w, staff, id, NULL, &r);
    CHECK(st == 200, "staff reads the thread: expected 200, found %ld", st);
    msgs = json_object_get(r.json, "messages");
    CHECK_STR("staff see the employee's name",
              json_string_value(json_object_get(json_array_get(msgs, 0), "staff_name")),
              STAFF_NAME);
    h_resp_free(&r);
    CHECK_INT("an admin reads the thread", get_thread(w, &w->u[ADMIN], id, NULL, NULL), 200);

    /* not a party: 403 on a public report, nothing stored */
    long before = message_count(w, id);
    st = post_message(w, &w->u[STAFF_TOURISM], id, NULL, "{\"body\":\"not mine\"}", &r);
    CHECK_PROBLEM("tourism staff writes on a cleaning report", &r, 403, NULL);
    h_resp_free(&r);
    CHECK_INT("tourism staff reads the thread", get_thread(w, &w->u[STAFF_TOURISM], id, NULL,
              NULL), 403);
    st = post_message(w, &w->u[CIT_B], id, NULL, "{\"body\":\"me too\"}", NULL);
    CHECK_INT("citizen B writes on A's report", st, 403);
    CHECK_INT("citizen B reads A's thread", get_thread(w, &w->u[CIT_B], id, NULL, NULL), 403);
    st = post_message(w, NULL, id, NULL, "{\"body\":\"anonymous\"}", &r);
    CHECK_PROBLEM("anonymous writes without the secret", &r, 401, NULL);
    h_resp_free(&r);
    CHECK_INT("anonymous reads without the secret", get_thread(w, NULL, id, NULL, NULL), 401);
    CHECK_INT("refused messages store nothing", message_count(w, id), before);

    /* an admin writes as the municipality */
    st = post_message(w, &w->u[ADMIN], id, NULL, "{\"body\":\"from the mayor's office\"}", &r);
    CHECK(st == 201, "an admin writes: expected 201, found %ld %.300s", st, r.body);
    CHECK_STR("an admin's message is from", json_string_value(json_object_get(r.json, "from")),
              "staff");
    h_resp_free(&r);
    CHECK_INT("A's unread count after the admin's message", unread(w, a), a_unread + 2);
}

static void private_report(struct world *w)
{
    long id = file_report(w, &w->u[CIT_A], "incidents", NULL, 0);
    if (!id)
        return;
    struct h_resp r;
    long st = post_message(w, &w->u[CIT_B], id, NULL, "{\"body\":\"hello\"}", &r);
    CHECK_PROBLEM("citizen B writes on A's private report", &r, 404, NULL);
    h_resp_free(&r);
    CHECK_INT("citizen B reads A's private thread", get_thread(w, &w->u[CIT_B], id, NULL, NULL),
              404);
    st = post_message(w, &w->u[STAFF_TOURISM], id, NULL, "{\"body\":\"hello\"}", NULL);
    CHECK_INT("staff of another department writes on a private report", st, 404);
    CHECK_INT("anonymous reads a private thread", get_thread(w, NULL, id, NULL, NULL), 404);
    st = post_message(w, NULL, id, NULL, "{\"body\":\"hello\"}", NULL);
    CHECK_INT("anonymous writes on a private report", st, 404);
    CHECK_INT("refused messages on a private report store nothing", message_count(w, id), 0);
    st = post_message(w, &w->u[CIT_A], id, NULL, "{\"body\":\"please hurry\"}", NULL);
    CHECK_INT("A writes on their private report", st, 201);
    CHECK_INT("an admin reads the private thread", get_thread(w, &w->u[ADMIN], id, NULL, NULL),
              200);
}

static void anonymous_reporter(struct world *w)
{
    char secret[128], q[200], bad[64];
    long id = file_report(w, NULL, "cleaning", secret, sizeof secret);
    if (!id)
        return;
    snprintf(q, sizeof q, "?secret=%s", secret);
    snprintf(bad, sizeof bad, "?secret=%s", "not-the-secret-of-this-report-0000");
    struct h_resp r;
    long st = post_message(w, NULL, id, q, "{\"body\":\"is anyone coming?\"}", &r);
    CHECK(st == 201, "the anonymous reporter writes with the secret: expected 201, found %ld %.300s",
          st, r.body);
    CHECK_STR("anonymous reporter's message is from",
              json_string_value(json_object_get(r.json, "from")), "reporter");
    long m = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    json_t *e = inbox_entry(w, &w->u[STAFF_CLEANING], m);
    CHECK(e != NULL, "the anonymous reporter's message reaches the department's staff");
    json_decref(e);
    st = post_message(w, NULL, id, bad, "{\"body\":\"guess\"}", NULL);
    CHECK_INT("anonymous with a wrong secret writes", st, 401);
    st = post_message(w, &w->u[STAFF_CLEANING], id, NULL, "{\"body\":\"yes, on Monday\"}", &r);
    CHECK(st == 201, "staff answer the anonymous reporter: expected 201, found %ld", st);
    long reply = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    CHECK_INT("a reporter without an account gets no inbox entry", inbox_rows_of_message(w, reply),
              0);
    st = get_thread(w, NULL, id, q, &r);
    CHECK(st == 200, "the anonymous reporter reads with the secret: expected 200, found %ld", st);
    CHECK_INT("the anonymous reporter's thread",
              json_array_size(json_object_get(r.json, "messages")), 2);
    CHECK(!strstr(r.body, STAFF_NAME), "no employee name for the anonymous reporter: %.300s",
          r.body);
    h_resp_free(&r);
    CHECK_INT("anonymous with a wrong secret reads", get_thread(w, NULL, id, bad, NULL), 401);
}

static void bad_input(struct world *w)
{
    struct ha_user *a = &w->u[CIT_A];
    long id = file_report(w, a, "cleaning", NULL, 0);
    if (!id)
        return;
    size_t n = 5001;
    char *long_body = malloc(n * 2 + 32);
    char *p = long_body + sprintf(long_body, "{\"body\":\"");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "α");
    sprintf(p, "\"}");
    /* of this report only: other tests post messages at the same time */
    char report_id[24];
    snprintf(report_id, sizeof report_id, "%ld", id);
    ha_fanout_settled(w->db); /* the filing's own entries first */
    long msgs = ha_count_where(w->db, "report_messages", "report_id = $1::bigint", report_id),
         inbox = ha_count_where(w->db, "inbox", "report_id = $1::bigint", report_id);
    static const struct {
        const char *what, *body;
        long status;
        const char *field;
    } bads[] = {
        {"empty body", "{\"body\":\"\"}", 422, "body"},
        {"white space only", "{\"body\":\"  \\n \"}", 422, "body"},
        {"no body", "{}", 422, "body"},
        {"body not a string", "{\"body\":42}", 422, "body"},
        {"unknown field", "{\"text\":\"hello\"}", 422, "body"},
        {"unknown field beside body", "{\"body\":\"hello\",\"to\":\"mayor\"}", 422, "to"},
        {"5001 characters", NULL, 422, "body"},
        {"not JSON", "body=hello", 400, NULL},
        {"a JSON array", "[\"hello\"]", 400, NULL},
    };
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        struct h_resp r;
        post_message(w, a, id, NULL, bads[i].body ? bads[i].body : long_body, &r);
        CHECK_PROBLEM(bads[i].what, &r, bads[i].status, bads[i].field);
        if (!bads[i].field)
            CHECK_HAS(bads[i].what, r.body, "body");
        h_resp_free(&r);
    }
    CHECK_INT("refused messages store nothing",
              ha_count_where(w->db, "report_messages", "report_id = $1::bigint", report_id), msgs);
    ha_fanout_settled(w->db);
    CHECK_INT("refused messages deliver nothing",
              ha_count_where(w->db, "inbox", "report_id = $1::bigint", report_id), inbox);
    struct h_resp r;
    long st = post_message(w, a, id, "?secret=", "{\"body\":\"hi\"}", &r);
    CHECK_PROBLEM("an empty secret", &r, 400, "secret");
    h_resp_free(&r);
    st = post_message(w, a, 0, NULL, "{\"body\":\"hi\"}", &r);
    CHECK_PROBLEM("report id 0", &r, 400, "id");
    h_resp_free(&r);
    /* exactly 5000 characters (10000 bytes) is fine */
    p = long_body + sprintf(long_body, "{\"body\":\"");
    for (size_t i = 0; i < 5000; i++)
        p += sprintf(p, "α");
    sprintf(p, "\"}");
    st = post_message(w, a, id, NULL, long_body, NULL);
    CHECK_INT("a message of 5000 characters", st, 201);
    free(long_body);
}

int main(void)
{
    h_init("test_report_messages", 240);
    struct world w = {0};
    w.db = h_pg_connect(h_shared_dburl());
    struct h_server s;
    static const struct ha_member members[NUSERS] = {
        {"msg-a", NULL, NULL},
        {"msg-b", NULL, NULL},
        {"msg-clean", "staff", "cleaning"},
        {"msg-tour", "staff", "tourism"},
        {"msg-adm", "admin", NULL}};
    if (ha_world_start(&s, w.db, NULL, members, NUSERS, w.u) != 0)
        return h_finish();
    w.s = &s;
    const char *p[] = {w.u[STAFF_CLEANING].email};
    free(h_pg_value(w.db, "UPDATE users SET display_name = '" STAFF_NAME "'"
                          " WHERE email = $1 RETURNING id", 1, p));

    conversation(&w);
    private_report(&w);
    anonymous_reporter(&w);
    bad_input(&w);
    PQfinish(w.db);
    return h_finish();
}
