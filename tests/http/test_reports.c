/* Citizen reports, as the people involved see them: a citizen files a
 * report that lands in the right department, staff of that department move
 * it on (staff of another get 403), the reporter reads each step in their
 * inbox and reopens it; a private report is invisible to strangers; a
 * support counts once per account; bad input is a 4xx naming the problem
 * and stores nothing. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CIT_A, CIT_B, STAFF_CLEANING, STAFF_TOURISM, ADMIN, NUSERS };

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
};

#define SERRES_LAT "41.0910"
#define SERRES_LON "23.5496"

/* POSTs a report as u (NULL: anonymous); returns its id (0 unless 201). */
static long file_report(struct world *w, const struct ha_user *u, const char *body,
                        char *secret, size_t secretlen)
{
    struct h_resp r;
    ha_call(w->s, u, "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file %s: expected 201, found %ld %.300s", body, r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    CHECK_STR("a new report's status", json_string_value(json_object_get(r.json, "status")),
              "submitted");
    const char *sec = json_string_value(json_object_get(r.json, "secret"));
    CHECK(sec && strlen(sec) >= 32, "a new report carries a secret: %.300s", r.body);
    const char *track = json_string_value(json_object_get(r.json, "tracking_url"));
    char want[64];
    snprintf(want, sizeof want, "/api/v1/reports/%ld", id);
    CHECK(track && strstr(track, want), "tracking_url ends with %s: %.300s", want, r.body);
    if (secret)
        snprintf(secret, secretlen, "%s", sec ? sec : "");
    h_resp_free(&r);
    return id;
}

/* POST /transitions as u; returns the status. */
static long transition(struct world *w, const struct ha_user *u, long id, const char *body,
                       struct h_resp *out)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", id);
    struct h_resp r;
    ha_call(w->s, u, "POST", path, body, &r);
    long st = r.status;
    if (out)
        *out = r;
    else
        h_resp_free(&r);
    return st;
}

static char *report_status_sql(struct world *w, long id)
{
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", id);
    const char *p[] = {ids};
    return h_pg_value(w->db, "SELECT status FROM reports WHERE id = $1::bigint", 1, p);
}

static void lifecycle(struct world *w)
{
    struct ha_user *a = &w->u[CIT_A];
    long id = file_report(w, a,
                          "{\"category\":\"cleaning\",\"lat\":" SERRES_LAT ",\"lon\":" SERRES_LON
                          ",\"description\":\"Overflowing bins on Merarchias street\","
                          "\"address\":\"Merarchias 10\",\"attributes\":{\"bin_type\":\"recycling\"}}",
                          NULL, 0);
    if (!id)
        return;
    char path[128];
    snprintf(path, sizeof path, "/api/v1/reports/%ld", id);

    /* staff view: routed to the cleaning department, with the reporter */
    struct h_resp r;
    ha_call(w->s, &w->u[STAFF_CLEANING], "GET", path, NULL, &r);
    CHECK(r.status == 200, "staff GET %s: expected 200, found %ld", path, r.status);
    CHECK_STR("staff GET: media type", r.media_type, "application/geo+json");
    json_t *props = json_object_get(r.json, "properties");
    CHECK_STR("routed department", json_string_value(json_object_get(props, "department")),
              "cleaning");
    CHECK_STR("staff sees the reporter's email",
              json_string_value(json_object_get(json_object_get(props, "reporter"), "email")),
              a->email);
    h_resp_free(&r);

    /* public view: no personal data */
    h_get(w->s, path, &r);
    CHECK(r.status == 200, "anonymous GET %s: expected 200, found %ld", path, r.status);
    CHECK(!strstr(r.body, a->email) && !strstr(r.body, "\"reporter\""),
          "anonymous GET %s must not show the reporter: %.400s", path, r.body);
    h_resp_free(&r);

    /* staff of another department: 403, nothing changes */
    long st = transition(w, &w->u[STAFF_TOURISM], id, "{\"to\":\"acknowledged\"}", &r);
    CHECK_PROBLEM("tourism staff acknowledges a cleaning report", &r, 403, NULL);
    h_resp_free(&r);
    char *now = report_status_sql(w, id);
    CHECK_STR("status after a refused transition", now, "submitted");
    free(now);
    /* another citizen: 403 too */
    st = transition(w, &w->u[CIT_B], id, "{\"to\":\"acknowledged\"}", NULL);
    CHECK_INT("citizen B acknowledges A's report", st, 403);

    st = transition(w, &w->u[STAFF_CLEANING], id,
                    "{\"to\":\"acknowledged\",\"public_comment\":\"We are on it\","
                    "\"internal_note\":\"crew 3, Tuesday\"}",
                    &r);
    CHECK(st == 200, "cleaning staff acknowledges: expected 200, found %ld %.300s", st, r.body);
    CHECK_STR("status after acknowledging", json_string_value(json_object_get(r.json, "status")),
              "acknowledged");
    h_resp_free(&r);

    /* illegal move: 409 naming both states, nothing stored */
    char report_id[24];
    snprintf(report_id, sizeof report_id, "%ld", id);
    long hist_before = ha_count_where(w->db, "report_history", "report_id = $1::bigint", report_id);
    st = transition(w, &w->u[STAFF_CLEANING], id, "{\"to\":\"reopened\"}", &r);
    CHECK_PROBLEM("acknowledged -> reopened", &r, 409, NULL);
    const char *detail = json_string_value(json_object_get(r.json, "detail"));
    CHECK(detail && strstr(detail, "acknowledged") && strstr(detail, "reopened"),
          "409 names from and to: %s", detail ? detail : "(none)");
    h_resp_free(&r);
    CHECK_INT("history rows after an illegal transition",
              ha_count_where(w->db, "report_history", "report_id = $1::bigint", report_id),
              hist_before);
    /* the reporter cannot resolve their own report */
    st = transition(w, a, id, "{\"to\":\"resolved\"}", NULL);
    CHECK(st == 409 || st == 403, "the reporter resolves: expected 409/403, found %ld", st);
    /* unknown status and duplicate without duplicate_of: 422 */
    st = transition(w, &w->u[STAFF_CLEANING], id, "{\"to\":\"done\"}", &r);
    CHECK_PROBLEM("to: done", &r, 422, "to");
    h_resp_free(&r);
    st = transition(w, &w->u[STAFF_CLEANING], id, "{\"to\":\"duplicate\"}", &r);
    CHECK_PROBLEM("to: duplicate without duplicate_of", &r, 422, "duplicate_of");
    h_resp_free(&r);

    st = transition(w, &w->u[STAFF_CLEANING], id,
                    "{\"to\":\"resolved\",\"public_comment\":\"Bins emptied\"}", NULL);
    CHECK_INT("cleaning staff resolves", st, 200);

    /* timeline: public comments for all, internal notes for staff only */
    char hpath[160];
    snprintf(hpath, sizeof hpath, "/api/v1/reports/%ld/history", id);
    h_get(w->s, hpath, &r);
    CHECK(r.status == 200 && strstr(r.body, "We are on it") && !strstr(r.body, "crew 3"),
          "public history: comment yes, internal note no: %ld %.500s", r.status, r.body);
    CHECK_INT("public history events", json_array_size(json_object_get(r.json, "events")), 3);
    h_resp_free(&r);
    ha_call(w->s, &w->u[STAFF_CLEANING], "GET", hpath, NULL, &r);
    CHECK(r.status == 200 && strstr(r.body, "crew 3"),
          "staff history shows the internal note: %ld %.500s", r.status, r.body);
    h_resp_free(&r);

    /* the reporter's inbox has every step, newest first */
    ha_fanout_settled(w->db);
    ha_call(w->s, a, "GET", "/api/v1/me/inbox", NULL, &r);
    CHECK(r.status == 200, "inbox: expected 200, found %ld %.300s", r.status, r.body);
    json_t *items = json_object_get(r.json, "items");
    static const char *const steps[] = {"resolved", "acknowledged", "submitted"};
    CHECK_INT("inbox items", json_array_size(items), 3);
    for (size_t i = 0; i < 3 && i < json_array_size(items); i++) {
        CHECK_STR("inbox step", json_string_value(json_object_get(json_array_get(items, i), "to")),
                  steps[i]);
        CHECK_INT("inbox item's report",
                  json_integer_value(json_object_get(json_array_get(items, i), "report_id")), id);
    }
    CHECK(!strstr(r.body, "crew 3"), "the inbox never shows internal notes: %.400s", r.body);
    CHECK_INT("unread", json_integer_value(json_object_get(r.json, "unread")), 3);
    long first = (long)json_integer_value(json_object_get(json_array_get(items, 0), "id"));
    h_resp_free(&r);
    char rpath[96];
    snprintf(rpath, sizeof rpath, "/api/v1/me/inbox/%ld/read", first);
    ha_call(w->s, &w->u[CIT_B], "POST", rpath, NULL, &r);
    CHECK_INT("B marks A's message read", r.status, 404);
    h_resp_free(&r);
    ha_call(w->s, a, "POST", rpath, NULL, &r);
    CHECK_INT("A marks a message read", r.status, 204);
    h_resp_free(&r);
    ha_call(w->s, a, "GET", "/api/v1/me/inbox?limit=1", NULL, &r);
    CHECK_INT("unread after reading one", json_integer_value(json_object_get(r.json, "unread")),
              2);
    CHECK(strstr(r.body, "\"next\"") != NULL, "inbox limit=1 has a next link: %.300s", r.body);
    h_resp_free(&r);

    /* the reporter reopens within 30 days */
    st = transition(w, a, id, "{\"to\":\"reopened\",\"public_comment\":\"Full again\"}", &r);
    CHECK(st == 200, "the reporter reopens: expected 200, found %ld %.300s", st, r.body);
    h_resp_free(&r);
    ha_fanout_settled(w->db);
    ha_call(w->s, a, "GET", "/api/v1/me/inbox", NULL, &r);
    CHECK_STR("newest inbox step",
              json_string_value(json_object_get(json_array_get(json_object_get(r.json, "items"), 0),
                                                "to")),
              "reopened");
    h_resp_free(&r);
    /* a reopen after the window is refused */
    transition(w, &w->u[STAFF_CLEANING], id, "{\"to\":\"resolved\"}", NULL);
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", id);
    free(h_pg_value(w->db,
                    "UPDATE reports SET resolved_at = now() - interval '31 days'"
                    " WHERE id = $1::bigint RETURNING id",
                    1, (const char *[]){ids}));
    st = transition(w, a, id, "{\"to\":\"reopened\"}", &r);
    CHECK_PROBLEM("reopen after 31 days", &r, 409, NULL);
    h_resp_free(&r);

    /* staff list filtered by department shows it; the reporter's data stays out of
     * the anonymous list */
    CHECK(ha_list_has(w->s, &w->u[STAFF_CLEANING], "/api/v1/reports?department=cleaning&limit=100", id),
          "report %ld in the cleaning department's list", id);
    h_get(w->s, "/api/v1/reports?limit=100", &r);
    CHECK(r.status == 200 && !strstr(r.body, a->email) && !strstr(r.body, "\"reporter\""),
          "the anonymous list carries no personal data");
    h_resp_free(&r);
}

static void supports(struct world *w)
{
    long id = file_report(w, NULL,
                          "{\"category\":\"street_lighting\",\"lat\":41.0925,\"lon\":23.5510,"
                          "\"description\":\"Lamp out at the square\","
                          "\"attributes\":{\"lamps_out\":2,\"pole_number\":\"A-17\"}}",
                          NULL, 0);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/support", id);
    struct h_resp r;
    h_post(w->s, path, "application/json", "{}", &r);
    CHECK_INT("anonymous support", r.status, 401);
    h_resp_free(&r);
    for (int i = 0; i < 2; i++) {
        ha_call(w->s, &w->u[CIT_B], "POST", path, NULL, &r);
        CHECK(r.status == 200, "B supports (%d): expected 200, found %ld %.200s", i, r.status,
              r.body);
        CHECK_INT("support_count after B's support",
                  json_integer_value(json_object_get(r.json, "support_count")), 1);
        h_resp_free(&r);
    }
    ha_call(w->s, &w->u[CIT_A], "POST", path, NULL, &r);
    CHECK_INT("support_count after A's support",
              json_integer_value(json_object_get(r.json, "support_count")), 2);
    h_resp_free(&r);
    ha_call(w->s, &w->u[CIT_B], "POST", "/api/v1/reports/999999999/support", NULL, &r);
    CHECK_INT("support of a report that does not exist", r.status, 404);
    h_resp_free(&r);

    /* nearby duplicates: this one, 20 m away, with its distance */
    h_get(w->s, "/api/v1/reports/nearby?lat=41.0926&lon=23.5512&category=street_lighting", &r);
    CHECK(r.status == 200, "nearby: expected 200, found %ld %.300s", r.status, r.body);
    /* earlier runs on the shared database may have left reports at the same spot */
    json_t *f0 = NULL, *f;
    size_t i;
    double last = -1;
    json_array_foreach(json_object_get(r.json, "features"), i, f) {
        double d = json_number_value(json_object_get(json_object_get(f, "properties"),
                                                     "distance_m"));
        CHECK(d >= last, "nearby: nearest first (%g after %g)", d, last);
        last = d;
        if (json_integer_value(json_object_get(f, "id")) == id)
            f0 = f;
    }
    CHECK(f0 != NULL, "nearby lists report %ld: %.300s", id, r.body);
    json_t *dist = json_object_get(json_object_get(f0, "properties"), "distance_m");
    CHECK(json_is_number(dist) && json_number_value(dist) > 5 && json_number_value(dist) < 50,
          "distance_m about 20: %.300s", r.body);
    CHECK_INT("nearby support_count",
              json_integer_value(json_object_get(json_object_get(f0, "properties"),
                                                 "support_count")), 2);
    h_resp_free(&r);
    CHECK(!ha_list_has(w->s, NULL, "/api/v1/reports/nearby?lat=41.0990&lon=23.5512&category=street_lighting", id),
          "900 m away is not nearby");
    h_get(w->s, "/api/v1/reports/nearby?lat=41.0926&lon=23.5512&category=nope", &r);
    CHECK_PROBLEM("nearby with an unknown category", &r, 400, "category");
    h_resp_free(&r);
    h_get(w->s, "/api/v1/reports/nearby?lat=41.0926&lon=23.5512&category=roads&radius=5000",
          &r);
    CHECK_PROBLEM("nearby radius over the maximum", &r, 400, "radius");
    h_resp_free(&r);
}

static void private_reports(struct world *w)
{
    char secret[64];
    long id = file_report(w, &w->u[CIT_A],
                          "{\"category\":\"incidents\",\"lat\":41.0915,\"lon\":23.5480,"
                          "\"description\":\"Elderly neighbour needs help\"}",
                          NULL, 0);
    long anon_id = file_report(w, NULL,
                               "{\"category\":\"incidents\",\"lat\":41.0915,\"lon\":23.5481,"
                               "\"description\":\"Person sleeping in the park\","
                               "\"contact_name\":\"Eleni P\",\"contact_email\":\"eleni@example.gr\","
                               "\"contact_phone\":\"+30 6900000000\"}",
                               secret, sizeof secret);
    static const char *const lists[] = {"/api/v1/reports?limit=100",
                                        "/api/v1/reports?category=incidents&limit=100",
                                        ("/api/v1/reports/nearby?lat=41.0915&lon=23.5480&"
                                         "category=incidents")};
    for (int i = 0; i < 3; i++) {
        CHECK(!ha_list_has(w->s, NULL, lists[i], id) && !ha_list_has(w->s, NULL, lists[i], anon_id),
              "private reports absent from the anonymous %s", lists[i]);
        CHECK(!ha_list_has(w->s, &w->u[CIT_B], lists[i], id),
              "A's private report absent from B's %s", lists[i]);
        CHECK(!ha_list_has(w->s, &w->u[STAFF_TOURISM], lists[i], id),
              "A's private report absent for staff of another department: %s", lists[i]);
    }
    CHECK(ha_list_has(w->s, &w->u[CIT_A], "/api/v1/reports?category=incidents&limit=100", id),
          "A sees their own private report in the list");
    CHECK(ha_list_has(w->s, &w->u[ADMIN], "/api/v1/reports?category=incidents&limit=100", anon_id),
          "an admin sees private reports");

    char path[160];
    struct h_resp r;
    snprintf(path, sizeof path, "/api/v1/reports/%ld", id);
    h_get(w->s, path, &r);
    CHECK_INT("anonymous GET of a private report", r.status, 404);
    h_resp_free(&r);
    ha_call(w->s, &w->u[CIT_B], "GET", path, NULL, &r);
    CHECK_INT("citizen B GET of A's private report", r.status, 404);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/reports/%ld/history", id);
    ha_call(w->s, &w->u[CIT_B], "GET", path, NULL, &r);
    CHECK_INT("citizen B GET of A's private report's history", r.status, 404);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/reports/%ld", id);
    ha_call(w->s, &w->u[CIT_A], "GET", path, NULL, &r);
    CHECK_INT("A GET of their private report", r.status, 200);
    h_resp_free(&r);

    /* the anonymous reporter follows theirs with the secret */
    snprintf(path, sizeof path, "/api/v1/reports/%ld?secret=%s", anon_id, secret);
    h_get(w->s, path, &r);
    CHECK(r.status == 200 && strstr(r.body, "eleni@example.gr"),
          "GET with the secret shows the reporter's own contact: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/reports/%ld?secret=wrong-secret", anon_id);
    h_get(w->s, path, &r);
    CHECK_INT("GET with a wrong secret", r.status, 404);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/reports/%ld/support", id);
    ha_call(w->s, &w->u[CIT_B], "POST", path, NULL, &r);
    CHECK_INT("B supports A's private report", r.status, 404);
    h_resp_free(&r);
}

struct bad {
    const char *what, *body, *field;
    long status;
};

static void bad_input(struct world *w)
{
    static const struct bad bads[] = {
        {"no category", "{\"lat\":41.09,\"lon\":23.55,\"description\":\"something\"}", "category",
         422},
        {"unknown category",
         "{\"category\":\"potholes\",\"lat\":41.09,\"lon\":23.55,\"description\":\"something\"}",
         "category", 422},
        {"lat out of range",
         "{\"category\":\"roads\",\"lat\":95,\"lon\":23.55,\"description\":\"something\"}", "lat",
         422},
        {"lon out of range",
         "{\"category\":\"roads\",\"lat\":41.09,\"lon\":-200,\"description\":\"something\"}",
         "lon", 422},
        {"lat as text",
         "{\"category\":\"roads\",\"lat\":\"41.09\",\"lon\":23.55,\"description\":\"something\"}",
         "lat", 422},
        {"Thessaloniki, outside the served municipality",
         "{\"category\":\"roads\",\"lat\":40.6401,\"lon\":22.9444,\"description\":\"pothole\"}",
         "lat", 422},
        {"the sea, in no municipality",
         "{\"category\":\"roads\",\"lat\":36,\"lon\":20,\"description\":\"pothole\"}", "lat", 422},
        {"missing required attribute",
         "{\"category\":\"water_sewage\",\"lat\":41.09,\"lon\":23.55,\"description\":\"leak\"}",
         "attributes.kind", 422},
        {"attribute not among the values",
         "{\"category\":\"water_sewage\",\"lat\":41.09,\"lon\":23.55,\"description\":\"leak\","
         "\"attributes\":{\"kind\":\"flood\"}}",
         "attributes.kind", 422},
        {"wrong attribute type",
         "{\"category\":\"street_lighting\",\"lat\":41.09,\"lon\":23.55,\"description\":\"dark\","
         "\"attributes\":{\"lamps_out\":\"many\"}}",
         "attributes.lamps_out", 422},
        {"unknown attribute",
         "{\"category\":\"roads\",\"lat\":41.09,\"lon\":23.55,\"description\":\"pothole\","
         "\"attributes\":{\"depth\":3}}",
         "attributes.depth", 422},
        {"description too short",
         "{\"category\":\"roads\",\"lat\":41.09,\"lon\":23.55,\"description\":\"\"}",
         "description", 422},
        {"unknown member",
         "{\"category\":\"roads\",\"lat\":41.09,\"lon\":23.55,\"description\":\"pothole\","
         "\"priority\":1}",
         "priority", 422},
        {"bad contact email",
         "{\"category\":\"roads\",\"lat\":41.09,\"lon\":23.55,\"description\":\"pothole\","
         "\"contact_email\":\"not an email\"}",
         "contact_email", 422},
        {"NUL in an attribute",
         "{\"category\":\"street_lighting\",\"lat\":41.09,\"lon\":23.55,\"description\":\"dark\","
         "\"attributes\":{\"pole_number\":\"A\\u0000B\"}}",
         NULL, 400},
        {"malformed JSON", "{\"category\":", NULL, 400},
    };
    /* rows of this test's own: other tests file reports at the same time;
     * the anonymous one is the only report anyone files in Thessaloniki */
    static const char own_reports[] =
        "user_id = $1::bigint OR (user_id IS NULL AND geom = "
        "ST_SetSRID(ST_MakePoint(22.9444, 40.6401), 4326))";
    char own_history[300], cit_b[24];
    snprintf(own_history, sizeof own_history, "report_id IN (SELECT id FROM reports WHERE %s)",
             own_reports);
    snprintf(cit_b, sizeof cit_b, "%ld", w->u[CIT_B].id);
    long reports = ha_count_where(w->db, "reports", own_reports, cit_b),
         history = ha_count_where(w->db, "report_history", own_history, cit_b);
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        struct h_resp r;
        ha_call(w->s, &w->u[CIT_B], "POST", "/api/v1/reports", bads[i].body, &r);
        CHECK_PROBLEM(bads[i].what, &r, bads[i].status, bads[i].field);
        h_resp_free(&r);
    }
    struct h_resp r;
    h_post(w->s, "/api/v1/reports", "application/json",
           "{\"category\":\"roads\",\"lat\":40.6401,\"lon\":22.9444,\"description\":\"pothole\"}",
           &r);
    const char *detail = json_string_value(json_object_get(r.json, "detail"));
    CHECK(detail && strstr(detail, "outside the served area") && strstr(detail, "Θεσσαλονίκης"),
          "outside: the detail names the municipality: %s", detail ? detail : r.body);
    h_resp_free(&r);
    CHECK_INT("reports after bad input", ha_count_where(w->db, "reports", own_reports, cit_b),
              reports);
    CHECK_INT("history rows after bad input",
              ha_count_where(w->db, "report_history", own_history, cit_b), history);

    static const char *const bad_gets[] = {
        "/api/v1/reports?status=fixed",   "/api/v1/reports?since=2024-02-30T00:00:00Z",
        "/api/v1/reports?limit=100000",   "/api/v1/reports?bbox=1,2,3",
        "/api/v1/reports/abc",            "/api/v1/reports?until=yesterday",
        "/api/v1/reports/nearby?lat=41",  "/api/v1/reports/1?secret="};
    for (size_t i = 0; i < sizeof bad_gets / sizeof bad_gets[0]; i++) {
        h_get(w->s, bad_gets[i], &r);
        CHECK_PROBLEM(bad_gets[i], &r, 400, NULL);
        h_resp_free(&r);
    }
}

/* Keyset paging: two pages of one never repeat a report, and since/until
 * filter on the creation time. */
static void paging(struct world *w)
{
    struct h_resp r;
    h_get(w->s, "/api/v1/reports?limit=1&since=2000-01-01T00:00:00Z", &r);
    CHECK(r.status == 200, "page 1: %ld %.200s", r.status, r.body);
    long first = (long)json_integer_value(
        json_object_get(json_array_get(json_object_get(r.json, "features"), 0), "id"));
    const char *next = NULL;
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(r.json, "links"), i, l)
        if (!strcmp(json_string_value(json_object_get(l, "rel")), "next"))
            next = json_string_value(json_object_get(l, "href"));
    CHECK(next != NULL, "page 1 has a next link: %.400s", r.body);
    if (next) {
        struct h_resp r2;
        h_get_url(next, &r2);
        CHECK(r2.status == 200, "next page: %ld %.200s", r2.status, r2.body);
        long second = (long)json_integer_value(
            json_object_get(json_array_get(json_object_get(r2.json, "features"), 0), "id"));
        CHECK(second > 0 && second < first, "page 2 starts below page 1 (%ld < %ld)", second,
              first);
        h_resp_free(&r2);
    }
    h_resp_free(&r);
    h_get(w->s, "/api/v1/reports?until=2000-01-01T00:00:00%2B02:00", &r);
    CHECK(r.status == 200 && json_array_size(json_object_get(r.json, "features")) == 0,
          "nothing before 2000: %ld %.200s", r.status, r.body);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_reports", 240);
    struct world w = {0};
    w.db = h_pg_connect(h_shared_dburl());
    struct h_server s;
    static const struct ha_member members[NUSERS] = {
        {"rep-a", NULL, NULL},
        {"rep-b", NULL, NULL},
        {"rep-clean", "staff", "cleaning,lighting"},
        {"rep-tour", "staff", "tourism"},
        {"rep-adm", "admin", NULL}};
    if (ha_world_start(&s, w.db, NULL, members, NUSERS, w.u) != 0)
        return h_finish();
    w.s = &s;

    lifecycle(&w);
    supports(&w);
    private_reports(&w);
    bad_input(&w);
    paging(&w);
    PQfinish(w.db);
    return h_finish();
}
