/* The report statuses come from one place (sql/022, table report_statuses):
 * GET /api/v1/report-statuses gives the pages their order, labels and which
 * statuses are open, and the SQL that colours tiles, finds nearby duplicates
 * and answers Open311's open/closed asks the same table; so does a status
 * change: leaving the open statuses stamps resolved_at, coming back to one
 * clears it, closing keeps it. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    h_init("test_report_statuses", 240);
    struct h_server s;
    if (h_server_start(&s, h_shared_dburl(), NULL) != 0)
        return h_finish();
    struct h_resp r;

    h_get(&s, "/api/v1/report-statuses", &r);
    CHECK_INT("GET /api/v1/report-statuses status", r.status, 200);
    CHECK_STR("its type", r.media_type, "application/json");
    json_t *list = r.json ? json_object_get(r.json, "statuses") : NULL;
    CHECK(json_is_array(list), "expected {\"statuses\":[...]}, found %.300s", r.body);

    /* the workflow's order, the four open ones first, with both labels */
    static const struct {
        const char *name;
        int open;
        const char *label_el, *label_en;
    } want[] = {
        {"submitted", 1, "Υποβλήθηκε", "Submitted"},
        {"acknowledged", 1, "Παρελήφθη", "Acknowledged"},
        {"in_progress", 1, "Σε εξέλιξη", "In progress"},
        {"reopened", 1, "Άνοιξε ξανά", "Reopened"},
        {"resolved", 0, "Επιλύθηκε", "Resolved"},
        {"rejected", 0, "Απορρίφθηκε", "Rejected"},
        {"duplicate", 0, "Διπλότυπη", "Duplicate"},
        {"closed", 0, "Έκλεισε", "Closed"},
    };
    size_t n = sizeof want / sizeof want[0];
    CHECK_INT("number of statuses", (long long)json_array_size(list), (long long)n);
    PGconn *db = h_pg_connect(h_shared_dburl());
    for (size_t i = 0; i < n && i < json_array_size(list); i++) {
        json_t *st = json_array_get(list, i);
        char what[80];
        snprintf(what, sizeof what, "status #%zu", i + 1);
        CHECK_STR(what, json_string_value(json_object_get(st, "name")), want[i].name);
        char *found = json_dumps(st, JSON_COMPACT);
        CHECK(json_is_boolean(json_object_get(st, "open")) &&
                  json_is_true(json_object_get(st, "open")) == want[i].open,
              "%s: expected open %s, found %.200s", want[i].name,
              want[i].open ? "true" : "false", found);
        free(found);
        CHECK_STR(what, json_string_value(json_object_get(st, "label_el")), want[i].label_el);
        CHECK_STR(what, json_string_value(json_object_get(st, "label_en")), want[i].label_en);
        /* the rule the tiles, nearby duplicates and Open311 ask */
        const char *args[] = {want[i].name};
        char *open = h_pg_value(db, "SELECT report_status_is_open($1)", 1, args);
        CHECK_STR(want[i].name, open, want[i].open ? "t" : "f");
        free(open);
    }

    /* a status outside the table cannot be stored */
    char *refused = h_pg_value(db,
                               "SELECT 'refused' FROM pg_constraint WHERE conname = "
                               "'reports_status_known' AND contype = 'f'",
                               0, NULL);
    CHECK_STR("reports.status references report_statuses", refused, "refused");
    free(refused);
    PQfinish(db);
    h_resp_free(&r);

    /* the report's life: resolved_at follows the open rule */
    PGconn *pg = h_pg_connect(h_shared_dburl());
    struct ha_user staff;
    if (ha_new_user(&s, pg, "statuses-staff", &staff))
        return h_finish();
    ha_set_role(pg, &staff, "staff", "cleaning");
    ha_call(&s, NULL, "POST", "/api/v1/reports",
            "{\"category\":\"cleaning\",\"lat\":41.0911,\"lon\":23.5497,"
            "\"description\":\"Statuses test: bins overflowing\"}",
            &r);
    CHECK_INT("filing a report", r.status, 201);
    char id[32], path[96];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(r.json, "id")));
    snprintf(path, sizeof path, "/api/v1/reports/%s/transitions", id);
    h_resp_free(&r);
    static const struct {
        const char *to;
        const char *stamped; /* resolved_at afterwards: "t" set, "f" NULL */
    } steps[] = {{"acknowledged", "f"}, {"resolved", "t"}, {"in_progress", "f"},
                 {"rejected", "t"}, {"closed", "t"}};
    const char *ids[] = {id};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        char body[64];
        snprintf(body, sizeof body, "{\"to\":\"%s\"}", steps[i].to);
        ha_call(&s, &staff, "POST", path, body, &r);
        CHECK(r.status == 200, "-> %s: expected 200, found %ld %.300s", steps[i].to, r.status,
              r.body);
        h_resp_free(&r);
        char *set = h_pg_value(
            pg, "SELECT resolved_at IS NOT NULL FROM reports WHERE id = $1::bigint", 1, ids);
        char what[64];
        snprintf(what, sizeof what, "resolved_at set after -> %s", steps[i].to);
        CHECK_STR(what, set, steps[i].stamped);
        free(set);
    }
    PQfinish(pg);

    h_get(&s, "/api/v1/report-statuses?open=true", &r);
    CHECK_PROBLEM("an unknown parameter", &r, 400, "open");
    h_resp_free(&r);
    return h_finish();
}
