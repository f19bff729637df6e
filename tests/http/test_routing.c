/* Routing by area (issue 18), as staff and citizens see it: a rule for
 * (street lighting, a municipal unit) sends a lighting report filed inside
 * the unit to the lighting contractor, through the JSON API and through
 * Open311 alike, and one filed outside to the category's department; a
 * rule for one category beats a rule for any category over the same point,
 * which beats the category's own department; making, changing or deleting
 * a rule leaves the reports already filed where they were; bad rules (a
 * self-intersecting polygon, an unknown department, category or boundary,
 * both or neither of boundary and polygon) are 4xx problems naming the
 * field, and nothing is stored; staff reassign a report with a reason,
 * which writes a history event and an audit row and reaches the new
 * department's staff. Every endpoint: anonymous 401, citizen 403.
 *
 * The test has a database of its own (a copy of the fixture's template):
 * its unit and its rules would otherwise route other tests' reports. */
#include "h_accounts.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_server srv;
static PGconn *db;
static struct ha_user admin, staff, cleaner, citizen;

/* A small square inside the unit, over the point "inside" below. */
#define SQUARE                                                                               \
    "{\"type\":\"Polygon\",\"coordinates\":[[[23.545,41.088],[23.555,41.088],"               \
    "[23.555,41.095],[23.545,41.095],[23.545,41.088]]]}"

static char *sql_value(const char *sql, const char *param)
{
    const char *p[] = {param};
    return h_pg_value(db, sql, param ? 1 : 0, param ? p : NULL);
}

/* Files a report of category at lat, lon as the citizen; returns its id. */
static long file_report(const char *category, const char *latlon)
{
    double lat, lon;
    sscanf(latlon, "%lf,%lf", &lat, &lon);
    char body[512];
    snprintf(body, sizeof body,
             "{\"category\":\"%s\",\"lat\":%.7f,\"lon\":%.7f,"
             "\"description\":\"Routing test report\"}",
             category, lat, lon);
    struct h_resp r;
    ha_call(&srv, &citizen, "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file %s at %s: expected 201, found %ld %.300s", category, latlon,
          r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    return id;
}

/* The department of report id as staff see it (GET, properties.department). */
static char *department_of(long id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/reports/%ld", id);
    struct h_resp r;
    ha_call(&srv, &admin, "GET", path, NULL, &r);
    const char *d = json_string_value(
        json_object_get(json_object_get(r.json, "properties"), "department"));
    char *out = strdup(d ? d : "(none)");
    h_resp_free(&r);
    return out;
}

static void expect_department(const char *what, long id, const char *expected)
{
    char *d = department_of(id);
    CHECK_STR(what, d, expected);
    free(d);
}

/* POST a rule as the admin; returns its id (0 unless 201). */
static long make_rule(const char *body)
{
    struct h_resp r;
    ha_call(&srv, &admin, "POST", "/api/v1/routing-rules", body, &r);
    CHECK(r.status == 201, "create rule %s: expected 201, found %ld %.300s", body, r.status,
          r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    return id;
}

static void who_may_call(long rule)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/routing-rules/%ld", rule);
    static const char body[] = "{\"boundary\":1,\"department\":\"lighting\"}";
    struct {
        const char *method, *path, *body;
    } calls[] = {{"GET", "/api/v1/routing-rules", NULL},
                 {"POST", "/api/v1/routing-rules", body},
                 {"PATCH", path, "{\"department\":\"cleaning\"}"},
                 {"DELETE", path, NULL}};
    struct h_resp r;
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        ha_call(&srv, NULL, calls[i].method, calls[i].path, calls[i].body, &r);
        CHECK_PROBLEM(calls[i].method, &r, 401, NULL);
        h_resp_free(&r);
        ha_call(&srv, &citizen, calls[i].method, calls[i].path, calls[i].body, &r);
        CHECK_PROBLEM(calls[i].method, &r, 403, NULL);
        h_resp_free(&r);
        if (i > 0) { /* staff read the rules, only admins write them */
            ha_call(&srv, &staff, calls[i].method, calls[i].path, calls[i].body, &r);
            CHECK_PROBLEM(calls[i].method, &r, 403, NULL);
            h_resp_free(&r);
        }
    }
    ha_call(&srv, &staff, "GET", "/api/v1/routing-rules", NULL, &r);
    CHECK(r.status == 200 && json_array_size(json_object_get(r.json, "rules")) >= 1,
          "staff GET routing-rules: expected 200 with the rules, found %ld %.300s", r.status,
          r.body);
    h_resp_free(&r);
}

/* Each bad rule is refused naming the field, and no rule is stored. */
static void bad_rules(const char *unit)
{
    char both[512], unknown_boundary[128];
    snprintf(both, sizeof both,
             "{\"boundary\":%s,\"polygon\":" SQUARE ",\"department\":\"lighting\"}", unit);
    /* the municipality itself is not a unit or community */
    char *serres = sql_value("SELECT id FROM boundaries WHERE level = 'municipality'"
                             " AND code = '9054'", NULL);
    snprintf(unknown_boundary, sizeof unknown_boundary,
             "{\"boundary\":%s,\"department\":\"lighting\"}", serres);
    free(serres);
    struct {
        const char *what, *body, *field;
    } bad[] = {
        {"a self-intersecting polygon (a bow tie)",
         "{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[23.54,41.08],[23.56,41.10],"
         "[23.56,41.08],[23.54,41.10],[23.54,41.08]]]},\"department\":\"lighting\"}",
         "polygon"},
        {"an unknown department", "{\"polygon\":" SQUARE ",\"department\":\"no_such_dept\"}",
         "department"},
        {"an unknown category",
         "{\"category\":\"no_such_cat\",\"polygon\":" SQUARE ",\"department\":\"lighting\"}",
         "category"},
        {"the municipality as the boundary", unknown_boundary, "boundary"},
        {"both a boundary and a polygon", both, "polygon"},
        {"neither a boundary nor a polygon", "{\"department\":\"lighting\"}", "boundary"},
        {"an open ring", "{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[23.54,41.08],"
         "[23.56,41.10],[23.56,41.08],[23.55,41.07]]]},\"department\":\"lighting\"}", "polygon"},
        {"no department", "{\"polygon\":" SQUARE "}", "department"},
    };
    char *before = sql_value("SELECT count(*) FROM routing_rules", NULL);
    char *audit_before = sql_value("SELECT count(*) FROM audit_log WHERE entity = "
                                   "'routing_rule'", NULL);
    struct h_resp r;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ha_call(&srv, &admin, "POST", "/api/v1/routing-rules", bad[i].body, &r);
        CHECK(r.status >= 400 && r.status < 500, "%s: expected 4xx, found %ld", bad[i].what,
              r.status);
        CHECK_PROBLEM(bad[i].what, &r, r.status, bad[i].field);
        h_resp_free(&r);
    }
    char *after = sql_value("SELECT count(*) FROM routing_rules", NULL);
    char *audit_after = sql_value("SELECT count(*) FROM audit_log WHERE entity = "
                                  "'routing_rule'", NULL);
    CHECK_STR("routing rules after the bad ones", after, before);
    CHECK_STR("rule audit rows after the bad ones", audit_after, audit_before);
    free(before);
    free(after);
    free(audit_before);
    free(audit_after);
}

/* A point (as "lat,lon") from SQL over the unit, the square and Serres. */
static char *point(const char *where)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "WITH m AS (SELECT geom FROM boundaries WHERE level = 'municipality'"
             "   AND code = '9054'),"
             " u AS (SELECT geom FROM boundaries WHERE natural_key = 'routing-test-unit'),"
             " sq AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON('%s'), 4326) AS geom),"
             " p AS (SELECT ST_PointOnSurface(%s) AS g FROM m, u, sq)"
             " SELECT ST_Y(g) || ',' || ST_X(g) FROM p",
             SQUARE, where);
    return sql_value(sql, NULL);
}

static void reassign(long report)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/reassign", report);
    static const char body[] =
        "{\"department\":\"cleaning\",\"reason\":\"A fallen lamp post: litter, not light\"}";
    struct h_resp r;
    ha_call(&srv, NULL, "POST", path, body, &r);
    CHECK_PROBLEM("reassign anonymously", &r, 401, NULL);
    h_resp_free(&r);
    ha_call(&srv, &citizen, "POST", path, body, &r);
    CHECK_PROBLEM("reassign as a citizen", &r, 403, NULL);
    h_resp_free(&r);
    /* the cleaner is staff, but not of the report's department */
    ha_call(&srv, &cleaner, "POST", path, body, &r);
    CHECK_PROBLEM("reassign as staff of another department", &r, 403, NULL);
    h_resp_free(&r);
    ha_call(&srv, &staff, "POST", path, "{\"department\":\"cleaning\"}", &r);
    CHECK_PROBLEM("reassign without a reason", &r, 422, "reason");
    h_resp_free(&r);
    ha_call(&srv, &staff, "POST", path, "{\"department\":\"nowhere\",\"reason\":\"x\"}", &r);
    CHECK_PROBLEM("reassign to an unknown department", &r, 422, "department");
    h_resp_free(&r);
    expect_department("after the refused reassignments", report, "lighting_contractor");

    ha_call(&srv, &staff, "POST", path, body, &r);
    CHECK(r.status == 200, "reassign: expected 200, found %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    expect_department("after the reassignment", report, "cleaning");
    char id[24];
    snprintf(id, sizeof id, "%ld", report);
    CHECK_INT("reassigned history events with the reason",
              ha_count_where(db, "report_history",
                             "report_id = $1::bigint AND event = 'reassigned'"
                             " AND internal_note LIKE 'A fallen lamp post%'",
                             id),
              1);
    CHECK_INT("reassign audit rows",
              ha_count_where(db, "audit_log",
                             "action = 'report.reassign' AND entity_id = $1"
                             " AND after->>'department' = 'cleaning'",
                             id),
              1);
    /* the new department's staff are told (the fan-out's department kind) */
    CHECK(ha_inbox_count(&srv, db, &cleaner, report, NULL, NULL) >= 1,
          "the cleaner's mailbox has report %ld after it was reassigned to cleaning", report);
}

int main(void)
{
    h_init("test_routing", 240);
    const char *url = h_private_db("routing");
    db = h_pg_connect(url);
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_USER_WRITE=0", NULL};
    if (h_server_start(&srv, url, env) != 0)
        return h_finish();
    if (ha_new_user(&srv, db, "routing-admin", &admin) ||
        ha_new_user(&srv, db, "routing-staff", &staff) ||
        ha_new_user(&srv, db, "routing-cleaner", &cleaner) ||
        ha_new_user(&srv, db, "routing-citizen", &citizen))
        return h_finish();
    /* the lighting contractor, a department made in SQL (no API yet), and a
     * municipal unit of Serres around the city centre */
    PQclear(PQexec(db, "INSERT INTO departments (municipality_id, code, name_el, name_en)"
                       " SELECT id, 'lighting_contractor', 'Ανάδοχος ηλεκτροφωτισμού',"
                       " 'Lighting contractor' FROM boundaries"
                       " WHERE level = 'municipality' AND code = '9054'"));
    char *unit = sql_value(
        "INSERT INTO boundaries (level, parent_id, natural_key, name_el, name_en, name_source,"
        "   source, geom)"
        " SELECT 'unit', id, 'routing-test-unit', 'Δημοτική Ενότητα Δοκιμής', 'Test unit',"
        "   'test', 'test_routing', ST_Multi(ST_Intersection(geom,"
        "     ST_MakeEnvelope(23.53, 41.08, 23.57, 41.10, 4326)))"
        " FROM boundaries WHERE level = 'municipality' AND code = '9054' RETURNING id",
        NULL);
    if (!unit)
        h_fatal("could not make the test unit");
    ha_set_role(db, &admin, "admin", NULL);
    ha_set_role(db, &staff, "staff", "lighting_contractor");
    ha_set_role(db, &cleaner, "staff", "cleaning");

    char *in_square = point("ST_Intersection(sq.geom, m.geom)");
    char *in_unit = point("ST_Difference(u.geom, ST_Buffer(sq.geom, 0.001))");
    char *outside = point("ST_Difference(m.geom, ST_Buffer(u.geom, 0.01))");

    /* before any rule: the category's department */
    long early = file_report("street_lighting", in_unit);
    expect_department("lighting in the unit before any rule", early, "lighting");

    char body[512];
    snprintf(body, sizeof body,
             "{\"category\":\"street_lighting\",\"boundary\":%s,"
             "\"department\":\"lighting_contractor\"}",
             unit);
    long unit_rule = make_rule(body);
    who_may_call(unit_rule);
    bad_rules(unit);

    long inside = file_report("street_lighting", in_unit);
    long away = file_report("street_lighting", outside);
    expect_department("lighting inside the unit", inside, "lighting_contractor");
    expect_department("lighting outside the unit", away, "lighting");
    expect_department("the report filed before the rule", early, "lighting");

    /* Open311 files through the same statement */
    char key[128];
    if (ha_make_key(&srv, &citizen, "open311", "[\"report\"]", key, sizeof key) == 201) {
        double lat, lon;
        sscanf(in_unit, "%lf,%lf", &lat, &lon);
        char form[512];
        snprintf(form, sizeof form,
                 "api_key=%s&jurisdiction_id=9054&service_code=street_lighting&lat=%.7f"
                 "&long=%.7f&description=Lamp+out+via+Open311",
                 key, lat, lon);
        struct h_resp r;
        h_post(&srv, "/open311/v2/requests.json", "application/x-www-form-urlencoded", form,
               &r);
        CHECK(r.status == 201, "Open311 POST: expected 201, found %ld %.300s", r.status,
              r.body);
        h_resp_free(&r);
        char *d = sql_value("SELECT d.code FROM reports r JOIN departments d"
                            " ON d.id = r.department_id"
                            " WHERE r.description = 'Lamp out via Open311'", NULL);
        CHECK_STR("Open311 lighting report inside the unit", d ? d : "(none)",
                  "lighting_contractor");
        free(d);
    } else {
        CHECK(0, "mint a report key for Open311");
    }

    /* any category in the square: beats the category's own department, not
     * a rule for the report's category */
    long square_rule = make_rule("{\"polygon\":" SQUARE ",\"department\":\"greenery\"}");
    long lamp = file_report("street_lighting", in_square);
    long bin = file_report("cleaning", in_square);
    long bin_away = file_report("cleaning", in_unit);
    expect_department("lighting in the square (category + area rule)", lamp,
                      "lighting_contractor");
    expect_department("cleaning in the square (area rule)", bin, "greenery");
    expect_department("cleaning in the unit outside the square (category)", bin_away,
                      "cleaning");

    /* changing and deleting rules moves nothing */
    struct h_resp r;
    char path[64];
    snprintf(path, sizeof path, "/api/v1/routing-rules/%ld", square_rule);
    ha_call(&srv, &admin, "PATCH", path, "{\"department\":\"water_sewage\"}", &r);
    CHECK(r.status == 200, "PATCH rule: expected 200, found %ld %.300s", r.status, r.body);
    CHECK_STR("PATCHed rule's department",
              json_string_value(json_object_get(r.json, "department")), "water_sewage");
    h_resp_free(&r);
    ha_call(&srv, &admin, "PATCH", path, "{\"department\":\"nope_dept\"}", &r);
    CHECK_PROBLEM("PATCH rule to an unknown department", &r, 422, "department");
    h_resp_free(&r);
    expect_department("cleaning in the square after the rule changed", bin, "greenery");
    long bin2 = file_report("cleaning", in_square);
    expect_department("cleaning in the square filed after the change", bin2, "water_sewage");
    ha_call(&srv, &admin, "DELETE", path, NULL, &r);
    CHECK(r.status == 204, "DELETE rule: expected 204, found %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    ha_call(&srv, &admin, "DELETE", path, NULL, &r);
    CHECK_PROBLEM("DELETE the rule again", &r, 404, NULL);
    h_resp_free(&r);
    expect_department("cleaning in the square after the rule went", bin2, "water_sewage");
    long bin3 = file_report("cleaning", in_square);
    expect_department("cleaning in the square after the rule went", bin3, "cleaning");
    char rule_id[24];
    snprintf(rule_id, sizeof rule_id, "%ld", square_rule);
    CHECK_INT("audit rows of the square rule (create, update, delete)",
              ha_count_where(db, "audit_log", "entity = 'routing_rule' AND entity_id = $1",
                             rule_id),
              3);

    reassign(inside);

    free(in_square);
    free(in_unit);
    free(outside);
    free(unit);
    PQfinish(db);
    kill(srv.pid, SIGTERM);
    h_server_wait_exit(&srv, 30);
    h_private_db_drop(url);
    return h_finish();
}
