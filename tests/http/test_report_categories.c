/* Report categories as the admin manages them: the public list, creating
 * one with typed fields (staff may not; each write is audited; a code is
 * taken once), reports checked against those fields, a category made
 * inactive takes no new report, and the answers to a category that does not
 * exist. (Split from test_reports.c, which follows the reports themselves.) */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CIT_B, STAFF_CLEANING, ADMIN, NUSERS };

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
};

/* A request that must be refused: what it is, its body, the field the
 * problem must name, the status. */
struct bad {
    const char *what, *body, *field;
    long status;
};

static void categories(struct world *w)
{
    struct h_resp r;
    h_get(w->s, "/api/v1/categories", &r);
    CHECK(r.status == 200 && strstr(r.body, "\"street_lighting\"") &&
              strstr(r.body, "\"incidents\""),
          "public categories: %ld %.200s", r.status, r.body);
    h_resp_free(&r);

    char code[40], body[1024];
    snprintf(code, sizeof code, "graffiti%d", (int)getpid() % 100000);
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"name_el\":\"Γκράφιτι\",\"name_en\":\"Graffiti\","
             "\"department\":\"cleaning\",\"icon\":\"spray\",\"fields\":[{\"code\":\"surface\","
             "\"datatype\":\"multivaluelist\",\"required\":true,\"order\":1,"
             "\"description_el\":\"Επιφάνεια\",\"description_en\":\"Surface\",\"values\":["
             "{\"key\":\"wall\",\"name_el\":\"Τοίχος\",\"name_en\":\"Wall\"},"
             "{\"key\":\"sign\",\"name_el\":\"Πινακίδα\",\"name_en\":\"Sign\"}]}]}",
             code);
    ha_call(w->s, &w->u[STAFF_CLEANING], "POST", "/api/v1/categories", body, &r);
    CHECK_INT("staff creates a category", r.status, 403);
    h_resp_free(&r);
    /* the admin's own audit rows: other tests' admins act at the same time */
    long audit = ha_count_of(w->db, "audit_log", "actor_user_id", &w->u[ADMIN]);
    ha_call(w->s, &w->u[ADMIN], "POST", "/api/v1/categories", body, &r);
    CHECK(r.status == 201, "admin creates a category: %ld %.300s", r.status, r.body);
    long cid = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    CHECK_INT("audit rows after creating a category",
              ha_count_of(w->db, "audit_log", "actor_user_id", &w->u[ADMIN]), audit + 1);
    ha_call(w->s, &w->u[ADMIN], "POST", "/api/v1/categories", body, &r);
    CHECK_INT("the same code again", r.status, 409);
    h_resp_free(&r);

    char report[512];
    snprintf(report, sizeof report,
             "{\"category\":\"%s\",\"lat\":41.09,\"lon\":23.55,\"description\":\"tags\","
             "\"attributes\":{\"surface\":[\"wall\",\"sign\"]}}",
             code);
    ha_call(w->s, &w->u[CIT_B], "POST", "/api/v1/reports", report, &r);
    CHECK(r.status == 201, "a report with a valid multivaluelist: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    snprintf(report, sizeof report,
             "{\"category\":\"%s\",\"lat\":41.09,\"lon\":23.55,\"description\":\"tags\","
             "\"attributes\":{\"surface\":[\"wall\",\"roof\"]}}",
             code);
    ha_call(w->s, &w->u[CIT_B], "POST", "/api/v1/reports", report, &r);
    CHECK_PROBLEM("multivaluelist with an unknown key", &r, 422, "attributes.surface");
    h_resp_free(&r);

    static const struct bad bad_defs[] = {
        {"datatype", "{\"fields\":[{\"code\":\"x1\",\"datatype\":\"colour\","
                     "\"description_el\":\"a\",\"description_en\":\"a\"}]}",
         "fields[0].datatype", 422},
        {"list without values", "{\"fields\":[{\"code\":\"x1\",\"datatype\":\"singlevaluelist\","
                                "\"description_el\":\"a\",\"description_en\":\"a\"}]}",
         "fields[0].values", 422},
        {"department", "{\"department\":\"no_such_department\"}", "department", 422},
        {"icon", "{\"icon\":\"<script>\"}", "icon", 422},
    };
    char path[96];
    snprintf(path, sizeof path, "/api/v1/categories/%ld", cid);
    audit = ha_count_of(w->db, "audit_log", "actor_user_id", &w->u[ADMIN]);
    for (size_t i = 0; i < sizeof bad_defs / sizeof bad_defs[0]; i++) {
        ha_call(w->s, &w->u[ADMIN], "PATCH", path, bad_defs[i].body, &r);
        CHECK_PROBLEM(bad_defs[i].what, &r, bad_defs[i].status, bad_defs[i].field);
        h_resp_free(&r);
    }
    CHECK_INT("audit rows after bad patches",
              ha_count_of(w->db, "audit_log", "actor_user_id", &w->u[ADMIN]), audit);

    ha_call(w->s, &w->u[ADMIN], "PATCH", path, "{\"active\":false}", &r);
    CHECK(r.status == 200, "deactivate: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    CHECK_INT("audit rows after a patch",
              ha_count_of(w->db, "audit_log", "actor_user_id", &w->u[ADMIN]), audit + 1);
    h_get(w->s, "/api/v1/categories", &r);
    CHECK(!strstr(r.body, code), "an inactive category is not listed publicly");
    h_resp_free(&r);
    snprintf(report, sizeof report,
             "{\"category\":\"%s\",\"lat\":41.09,\"lon\":23.55,\"description\":\"tags\","
             "\"attributes\":{\"surface\":[\"wall\"]}}",
             code);
    ha_call(w->s, &w->u[CIT_B], "POST", "/api/v1/reports", report, &r);
    CHECK_PROBLEM("filing in an inactive category", &r, 422, "category");
    h_resp_free(&r);
    /* without extra fields, one statement checks and files: an inactive
     * category still files nothing */
    ha_call(w->s, &w->u[ADMIN], "PATCH", path, "{\"fields\":[]}", &r);
    CHECK(r.status == 200, "no extra fields: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    snprintf(report, sizeof report,
             "{\"category\":\"%s\",\"lat\":41.09,\"lon\":23.55,\"description\":\"tags\"}", code);
    ha_call(w->s, &w->u[CIT_B], "POST", "/api/v1/reports", report, &r);
    CHECK_PROBLEM("filing in an inactive category without fields", &r, 422, "category");
    h_resp_free(&r);
    char cid_text[24];
    snprintf(cid_text, sizeof cid_text, "%ld", cid);
    CHECK_INT("reports in the category after filing in it inactive",
              ha_count_where(w->db, "reports", "category_id = $1::bigint", cid_text), 1);
    ha_call(w->s, &w->u[ADMIN], "PATCH", "/api/v1/categories/999999999", "{\"active\":true}",
            &r);
    CHECK_INT("patch of a category that does not exist", r.status, 404);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_report_categories", 240);
    struct world w = {0};
    w.db = h_pg_connect(h_shared_dburl());
    struct h_server s;
    static const struct ha_member members[NUSERS] = {
        {"cat-b", NULL, NULL}, {"cat-clean", "staff", "cleaning,lighting"}, {"cat-adm", "admin", NULL}};
    if (ha_world_start(&s, w.db, NULL, members, NUSERS, w.u) != 0)
        return h_finish();
    w.s = &s;

    categories(&w);
    PQfinish(w.db);
    return h_finish();
}
