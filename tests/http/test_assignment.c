/* Assignees and deadlines (issue 18), as staff see them: an admin sets a
 * category's target time (-1 is refused naming target_hours, and nothing
 * changes); a report filed in it is due that many hours later; staff of its
 * department assign it to a colleague, which writes a history event and an
 * audit row and reaches the colleague's open stream (GET /api/v1/me/stream)
 * as an 'assigned' entry; it is then in the colleague's assignee=me list
 * and not in anyone else's; an assignee who is not staff of the department
 * is refused naming assignee; a report past its due time is overdue in the
 * staff list (overdue=true) and a fresh one is not; reassigning it to
 * another department keeps its due time and clears its assignee. Anonymous
 * callers get 401 and citizens 403 on every staff action and filter.
 *
 * The test has a database of its own: it changes a demo category's target
 * time, which other tests' reports would inherit. */
#include "h_stream.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_server srv;
static PGconn *db;
static struct ha_user admin, staff_a, staff_b, lamp_staff, citizen;

static char *sql_value(const char *sql, const char *param)
{
    const char *p[] = {param};
    return h_pg_value(db, sql, param ? 1 : 0, param ? p : NULL);
}

static long file_report(const char *description)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"category\":\"cleaning\",\"lat\":41.0912,\"lon\":23.5493,"
             "\"description\":\"%s\"}",
             description);
    struct h_resp r;
    ha_call(&srv, &citizen, "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file a report: expected 201, found %ld %.300s", r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    return id;
}

/* The report with this id in a GET of path as u, or NULL (borrowed from r). */
static json_t *listed(const struct ha_user *u, const char *path, long id, struct h_resp *r)
{
    ha_call(&srv, u, "GET", path, NULL, r);
    CHECK(r->status == 200, "GET %s: expected 200, found %ld %.300s", path, r->status, r->body);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r->json, "features"), i, f)
        if (json_integer_value(json_object_get(f, "id")) == id)
            return json_object_get(f, "properties");
    return NULL;
}

static void target_hours(const char *category_id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/categories/%s", category_id);
    struct h_resp r;
    ha_call(&srv, NULL, "PATCH", path, "{\"target_hours\":48}", &r);
    CHECK_PROBLEM("set a target anonymously", &r, 401, NULL);
    h_resp_free(&r);
    ha_call(&srv, &citizen, "PATCH", path, "{\"target_hours\":48}", &r);
    CHECK_PROBLEM("set a target as a citizen", &r, 403, NULL);
    h_resp_free(&r);
    char *audit_before = sql_value("SELECT count(*) FROM audit_log WHERE entity_id = $1"
                                   " AND action = 'category.update'", category_id);
    ha_call(&srv, &admin, "PATCH", path, "{\"target_hours\":-1}", &r);
    CHECK_PROBLEM("a target of -1 hours", &r, 422, "target_hours");
    h_resp_free(&r);
    ha_call(&srv, &admin, "PATCH", path, "{\"target_hours\":\"48\"}", &r);
    CHECK_PROBLEM("a target as a string", &r, 422, "target_hours");
    h_resp_free(&r);
    char *target = sql_value("SELECT coalesce(target_hours::text, 'none') FROM"
                             " report_categories WHERE id = $1::bigint", category_id);
    char *audit_after = sql_value("SELECT count(*) FROM audit_log WHERE entity_id = $1"
                                  " AND action = 'category.update'", category_id);
    CHECK_STR("target after the refused ones", target, "none");
    CHECK_STR("category audit rows after the refused ones", audit_after, audit_before);
    free(target);
    free(audit_before);
    free(audit_after);
    ha_call(&srv, &admin, "PATCH", path, "{\"target_hours\":48}", &r);
    CHECK(r.status == 200 && json_integer_value(json_object_get(r.json, "target_hours")) == 48,
          "set a target of 48 h: expected 200 with target_hours 48, found %ld %.300s", r.status,
          r.body);
    h_resp_free(&r);
}

/* Bad assignments: refused, nothing written. */
static void bad_assignments(const char *path, const char *report)
{
    struct h_resp r;
    ha_call(&srv, NULL, "POST", path, "{\"assignee\":null}", &r);
    CHECK_PROBLEM("assign anonymously", &r, 401, NULL);
    h_resp_free(&r);
    ha_call(&srv, &citizen, "POST", path, "{\"assignee\":null}", &r);
    CHECK_PROBLEM("assign as a citizen", &r, 403, NULL);
    h_resp_free(&r);
    char body[96];
    snprintf(body, sizeof body, "{\"assignee\":%ld}", staff_a.id);
    ha_call(&srv, &lamp_staff, "POST", path, body, &r);
    CHECK_PROBLEM("assign as staff of another department", &r, 403, NULL);
    h_resp_free(&r);
    const struct ha_user *not_staff[] = {&lamp_staff, &citizen};
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body, "{\"assignee\":%ld}", not_staff[i]->id);
        ha_call(&srv, &staff_b, "POST", path, body, &r);
        CHECK_PROBLEM(i ? "assign to a citizen" : "assign to staff of another department", &r,
                      422, "assignee");
        h_resp_free(&r);
    }
    ha_call(&srv, &staff_b, "POST", path, "{\"assignee\":\"me\"}", &r);
    CHECK_PROBLEM("assign to \"me\"", &r, 422, "assignee");
    h_resp_free(&r);
    ha_call(&srv, &staff_b, "POST", path, "{}", &r);
    CHECK_PROBLEM("assign without an assignee", &r, 422, "assignee");
    h_resp_free(&r);
    CHECK_INT("assignment events after the refused ones",
              ha_count_where(db, "report_history",
                             "report_id = $1::bigint AND event = 'assigned'", report),
              0);
    CHECK_INT("assignees after the refused ones",
              ha_count_where(db, "reports", "id = $1::bigint AND assignee_id IS NOT NULL",
                             report),
              0);
}

/* The newest entry of u's mailbox, for Last-Event-ID ("0": none). */
static void newest_entry(const struct ha_user *u, char *out, size_t outlen)
{
    struct h_resp r;
    ha_call(&srv, u, "GET", "/api/v1/me/inbox?limit=1", NULL, &r);
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    snprintf(out, outlen, "%lld", (long long)json_integer_value(json_object_get(first, "id")));
    h_resp_free(&r);
}

/* B assigns the report to A, whose open stream gets the 'assigned' entry. */
static void assign_reaches_stream(const char *path, long report)
{
    char seen[32], body[96];
    ha_fanout_settled(db); /* the filing's entries are in A's mailbox already */
    newest_entry(&staff_a, seen, sizeof seen);
    struct stream st;
    stream_start(&st, &srv, &staff_a, NULL, seen);
    snprintf(body, sizeof body, "{\"assignee\":%ld}", staff_a.id);
    struct h_resp r;
    ha_call(&srv, &staff_b, "POST", path, body, &r);
    CHECK(r.status == 200, "assign to A: expected 200, found %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    pump_until(&st, has_events, 1);
    CHECK(st.nev == 1, "assignment: expected 1 event on the assignee's stream, found %d",
          st.nev);
    if (st.nev >= 1) {
        CHECK_STR("event kind", json_string_value(json_object_get(st.ev[0].data, "kind")),
                  "assigned");
        json_int_t about = json_integer_value(json_object_get(st.ev[0].data, "report_id"));
        CHECK(about == report, "the event is about report %ld: found %lld", report,
              (long long)about);
    }
    stream_close(&st);
    char id[24];
    snprintf(id, sizeof id, "%ld", report);
    char where[160];
    snprintf(where, sizeof where,
             "report_id = $1::bigint AND event = 'assigned' AND assignee_id = %ld", staff_a.id);
    CHECK_INT("assignment history events", ha_count_where(db, "report_history", where, id), 1);
    CHECK_INT("assignment audit rows",
              ha_count_where(db, "audit_log", "action = 'report.assign' AND entity_id = $1", id),
              1);
    /* the reporter is not told who works on it */
    CHECK_INT("the reporter's mailbox entries of kind assigned",
              ha_inbox_count(&srv, db, &citizen, report, "kind", "assigned"), 0);
}

static void mine_lists(long report)
{
    struct h_resp r;
    json_t *p = listed(&staff_a, "/api/v1/reports?assignee=me", report, &r);
    CHECK(p != NULL, "A's assignee=me list has report %ld: %.300s", report, r.body);
    CHECK(p && json_integer_value(json_object_get(json_object_get(p, "assignee"), "id")) ==
                   staff_a.id,
          "the list shows A as the assignee");
    h_resp_free(&r);
    p = listed(&staff_b, "/api/v1/reports?assignee=me", report, &r);
    CHECK(p == NULL, "B's assignee=me list does not have report %ld", report);
    h_resp_free(&r);
    ha_call(&srv, &citizen, "GET", "/api/v1/reports?assignee=me", NULL, &r);
    CHECK_PROBLEM("assignee=me as a citizen", &r, 403, NULL);
    h_resp_free(&r);
    ha_call(&srv, NULL, "GET", "/api/v1/reports?overdue=true", NULL, &r);
    CHECK_PROBLEM("overdue=true anonymously", &r, 401, NULL);
    h_resp_free(&r);
    ha_call(&srv, &staff_a, "GET", "/api/v1/reports?overdue=maybe", NULL, &r);
    CHECK_PROBLEM("overdue=maybe", &r, 400, "overdue");
    h_resp_free(&r);
}

static void overdue(long late, long fresh)
{
    char id[24];
    snprintf(id, sizeof id, "%ld", late);
    /* filed 50 hours ago with its 48 hours target: due 2 hours ago */
    char *ok = sql_value("UPDATE reports SET created_at = now() - interval '50 hours',"
                         " due_at = now() - interval '2 hours' WHERE id = $1::bigint"
                         " RETURNING id", id);
    free(ok);
    struct h_resp r;
    json_t *p = listed(&staff_a, "/api/v1/reports?overdue=true", late, &r);
    CHECK(p && json_is_true(json_object_get(p, "overdue")),
          "report %ld is in the overdue list, marked overdue: %.300s", late, r.body);
    h_resp_free(&r);
    p = listed(&staff_a, "/api/v1/reports?overdue=true", fresh, &r);
    CHECK(p == NULL, "the fresh report %ld is not in the overdue list", fresh);
    h_resp_free(&r);
    p = listed(&staff_a, "/api/v1/reports?overdue=false", fresh, &r);
    CHECK(p && json_is_false(json_object_get(p, "overdue")) &&
              json_string_value(json_object_get(p, "due_at")),
          "the fresh report %ld is listed as not overdue, with its due_at: %.300s", fresh,
          r.body);
    h_resp_free(&r);
}

static void reassign_keeps_deadline(long report)
{
    char id[24], path[96];
    snprintf(id, sizeof id, "%ld", report);
    snprintf(path, sizeof path, "/api/v1/reports/%ld/reassign", report);
    char *due_before = sql_value("SELECT due_at FROM reports WHERE id = $1::bigint", id);
    struct h_resp r;
    ha_call(&srv, &staff_a, "POST", path,
            "{\"department\":\"lighting\",\"reason\":\"The bin hides a broken lamp\"}", &r);
    CHECK(r.status == 200, "reassign: expected 200, found %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    char *due_after = sql_value("SELECT due_at FROM reports WHERE id = $1::bigint", id);
    CHECK_STR("due_at after the reassignment", due_after ? due_after : "(null)",
              due_before ? due_before : "(null)");
    CHECK_INT("assignee after the reassignment",
              ha_count_where(db, "reports", "id = $1::bigint AND assignee_id IS NULL", id), 1);
    free(due_before);
    free(due_after);
}

int main(void)
{
    h_init("test_assignment", 240);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *url = h_private_db("assignment");
    db = h_pg_connect(url);
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_USER_WRITE=0", NULL};
    if (h_server_start(&srv, url, env) != 0)
        return h_finish();
    if (ha_new_user(&srv, db, "assign-admin", &admin) ||
        ha_new_user(&srv, db, "assign-a", &staff_a) ||
        ha_new_user(&srv, db, "assign-b", &staff_b) ||
        ha_new_user(&srv, db, "assign-lamp", &lamp_staff) ||
        ha_new_user(&srv, db, "assign-citizen", &citizen))
        return h_finish();
    ha_set_role(db, &admin, "admin", NULL);
    ha_set_role(db, &staff_a, "staff", "cleaning");
    ha_set_role(db, &staff_b, "staff", "cleaning");
    ha_set_role(db, &lamp_staff, "staff", "lighting");
    char *cleaning = sql_value("SELECT c.id FROM report_categories c JOIN boundaries b"
                               " ON b.id = c.municipality_id WHERE b.code = '9054'"
                               " AND c.code = 'cleaning'", NULL);
    if (!cleaning)
        h_fatal("no cleaning category in the demo data");

    target_hours(cleaning);
    long report = file_report("Assignment test: bins overflowing");
    char id[24], path[96];
    snprintf(id, sizeof id, "%ld", report);
    snprintf(path, sizeof path, "/api/v1/reports/%ld/assign", report);
    CHECK_INT("reports due 48 hours after filing",
              ha_count_where(db, "reports",
                             "id = $1::bigint AND due_at = created_at + interval '48 hours'", id),
              1);

    bad_assignments(path, id);
    assign_reaches_stream(path, report);
    mine_lists(report);
    long fresh = file_report("Assignment test: a fresh one");
    overdue(report, fresh);
    reassign_keeps_deadline(report);

    free(cleaning);
    PQfinish(db);
    kill(srv.pid, SIGTERM);
    h_server_wait_exit(&srv, 30);
    h_private_db_drop(url);
    curl_global_cleanup();
    return h_finish();
}
