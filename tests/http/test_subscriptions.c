/* Subscriptions, as citizens and staff see them: someone who follows a
 * category, or an area (a circle or a polygon), finds each new matching
 * report (and its later steps) in their inbox and nothing else; a private
 * category's reports only reach subscribers who may see them; following one
 * report works until it is unfollowed; each user sees and removes only their
 * own subscriptions; bad input is a 422 naming the field and stores
 * nothing. Then the account's export holds the reports, supports,
 * subscriptions and inbox, and deleting the account anonymises the reports
 * and uncounts the supports. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    REPORTER,
    CAT_SUB,
    AREA_SUB,
    POLY_SUB,
    PRIVATE_CIT,
    STAFF_CIVIL,
    FOLLOWER,
    AREA_CAT_SUB, /* a circle narrowed to one category (sql/018) */
    NUSERS
};

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
};

/* The report: 41.0910, 23.5496. The circle (100 m) holds it; the polygon
 * holds a point about 200 m away, 41.0925, 23.5510, and not this one. */
#define P_LAT "41.0910"
#define P_LON "23.5496"
#define Q_LAT "41.0925"
#define Q_LON "23.5510"

static long subscribe(struct world *w, struct ha_user *u, const char *body, long want)
{
    struct h_resp r;
    ha_call(w->s, u, "POST", "/api/v1/me/subscriptions", body, &r);
    CHECK(r.status == want, "subscribe %s: expected %ld, found %ld %.300s", body, want, r.status,
          r.body);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    return id;
}

static long file_report(struct world *w, const char *category, const char *lat,
                        const char *lon)
{
    char body[300];
    snprintf(body, sizeof body,
             "{\"category\":\"%s\",\"lat\":%s,\"lon\":%s,\"description\":\"subscription test\","
             "\"contact_name\":\"Maria K\",\"contact_email\":\"maria@example.gr\"}",
             category, lat, lon);
    struct h_resp r;
    ha_call(w->s, &w->u[REPORTER], "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file %s: expected 201, found %ld %.200s", category, r.status, r.body);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    return id;
}

/* How many inbox items of u are about report id; with step, only that "to". */
static int inbox_has(struct world *w, struct ha_user *u, long id, const char *step)
{
    return ha_inbox_count(w->s, w->db, u, id, step ? "to" : NULL, step);
}

static void transition(struct world *w, long id, const char *to)
{
    char path[96], body[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", id);
    snprintf(body, sizeof body, "{\"to\":\"%s\"}", to);
    struct h_resp r;
    ha_call(w->s, &w->u[STAFF_CIVIL], "POST", path, body, &r);
    CHECK(r.status == 200, "admin moves %ld to %s: %ld %.200s", id, to, r.status, r.body);
    h_resp_free(&r);
}

static void matching(struct world *w)
{
    subscribe(w, &w->u[CAT_SUB], "{\"kind\":\"category\",\"category\":\"street_lighting\"}", 201);
    /* the same again: 200 with the same subscription */
    subscribe(w, &w->u[CAT_SUB], "{\"kind\":\"category\",\"category\":\"street_lighting\"}", 200);
    subscribe(w, &w->u[AREA_SUB],
              "{\"kind\":\"area\",\"lat\":" P_LAT ",\"lon\":" P_LON ",\"radius_m\":100}", 201);
    subscribe(w, &w->u[POLY_SUB],
              "{\"kind\":\"area\",\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[["
              "[23.5505,41.0920],[23.5515,41.0920],[23.5515,41.0930],[23.5505,41.0930],"
              "[23.5505,41.0920]]]}}",
              201);
    subscribe(w, &w->u[AREA_CAT_SUB],
              "{\"kind\":\"area\",\"lat\":" P_LAT ",\"lon\":" P_LON ",\"radius_m\":100,"
              "\"category\":\"street_lighting\"}",
              201);
    subscribe(w, &w->u[PRIVATE_CIT], "{\"kind\":\"category\",\"category\":\"incidents\"}", 201);
    subscribe(w, &w->u[STAFF_CIVIL], "{\"kind\":\"category\",\"category\":\"incidents\"}", 201);

    long lamp = file_report(w, "street_lighting", P_LAT, P_LON);
    long bins = file_report(w, "cleaning", Q_LAT, Q_LON);
    long incident = file_report(w, "incidents", P_LAT, P_LON);
    long pothole = file_report(w, "roads", P_LAT, P_LON);

    CHECK_INT("category subscriber: the lamp report", inbox_has(w, &w->u[CAT_SUB], lamp,
                                                                "submitted"), 1);
    CHECK_INT("category subscriber: not the bins", inbox_has(w, &w->u[CAT_SUB], bins, NULL), 0);
    CHECK_INT("circle subscriber: the lamp report inside", inbox_has(w, &w->u[AREA_SUB], lamp,
                                                                     "submitted"), 1);
    CHECK_INT("circle subscriber: not the bins 200 m away",
              inbox_has(w, &w->u[AREA_SUB], bins, NULL), 0);
    CHECK_INT("circle subscriber: not the private incident at the same spot",
              inbox_has(w, &w->u[AREA_SUB], incident, NULL), 0);
    CHECK_INT("circle of one category: the lamp report inside",
              inbox_has(w, &w->u[AREA_CAT_SUB], lamp, "submitted"), 1);
    CHECK_INT("circle of one category: not another category at the same spot",
              inbox_has(w, &w->u[AREA_CAT_SUB], pothole, NULL), 0);
    CHECK_INT("circle of one category: not the bins outside",
              inbox_has(w, &w->u[AREA_CAT_SUB], bins, NULL), 0);
    CHECK_INT("circle subscriber: any category inside",
              inbox_has(w, &w->u[AREA_SUB], pothole, "submitted"), 1);
    CHECK_INT("polygon subscriber: the bins inside", inbox_has(w, &w->u[POLY_SUB], bins,
                                                               "submitted"), 1);
    CHECK_INT("polygon subscriber: not the lamp outside",
              inbox_has(w, &w->u[POLY_SUB], lamp, NULL), 0);
    CHECK_INT("a citizen subscribed to a private category hears nothing",
              inbox_has(w, &w->u[PRIVATE_CIT], incident, NULL), 0);
    CHECK_INT("the department's staff subscribed to it hear of it",
              inbox_has(w, &w->u[STAFF_CIVIL], incident, "submitted"), 1);

    /* later steps arrive too, once per subscriber */
    struct h_resp r;
    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", lamp);
    ha_call(w->s, &w->u[FOLLOWER], "POST", path, "{\"to\":\"acknowledged\"}", &r);
    CHECK_INT("a citizen acknowledges", r.status, 403);
    h_resp_free(&r);
    /* the follower follows the lamp report explicitly */
    snprintf(path, sizeof path, "/api/v1/reports/%ld/follow", lamp);
    ha_call(w->s, &w->u[FOLLOWER], "POST", path, NULL, &r);
    CHECK(r.status == 200, "follow: %ld %.200s", r.status, r.body);
    h_resp_free(&r);
    transition(w, lamp, "acknowledged");
    CHECK_INT("category subscriber: the next step", inbox_has(w, &w->u[CAT_SUB], lamp,
                                                              "acknowledged"), 1);
    CHECK_INT("circle subscriber: the next step", inbox_has(w, &w->u[AREA_SUB], lamp,
                                                            "acknowledged"), 1);
    CHECK_INT("follower: the next step", inbox_has(w, &w->u[FOLLOWER], lamp, "acknowledged"), 1);
    CHECK_INT("follower: nothing from before following", inbox_has(w, &w->u[FOLLOWER], lamp,
                                                                    "submitted"), 0);
    ha_call(w->s, &w->u[FOLLOWER], "DELETE", path, NULL, &r);
    CHECK_INT("unfollow", r.status, 204);
    h_resp_free(&r);
    ha_call(w->s, &w->u[FOLLOWER], "DELETE", path, NULL, &r);
    CHECK_INT("unfollow again", r.status, 404);
    h_resp_free(&r);
    transition(w, lamp, "in_progress");
    CHECK_INT("after unfollowing: nothing new", inbox_has(w, &w->u[FOLLOWER], lamp,
                                                          "in_progress"), 0);
    /* following a private report one may not see: 404 */
    snprintf(path, sizeof path, "/api/v1/reports/%ld/follow", incident);
    ha_call(w->s, &w->u[FOLLOWER], "POST", path, NULL, &r);
    CHECK_INT("follow a private report of someone else", r.status, 404);
    h_resp_free(&r);
    /* a report subscription (kind report) works like following */
    char body[96];
    snprintf(body, sizeof body, "{\"kind\":\"report\",\"report\":%ld}", bins);
    subscribe(w, &w->u[FOLLOWER], body, 201);
    snprintf(body, sizeof body, "{\"kind\":\"report\",\"report\":%ld}", incident);
    ha_call(w->s, &w->u[FOLLOWER], "POST", "/api/v1/me/subscriptions", body, &r);
    CHECK_PROBLEM("subscribe to a private report of someone else", &r, 422, "report");
    h_resp_free(&r);
}

static void own_only(struct world *w)
{
    long mine = subscribe(w, &w->u[FOLLOWER], "{\"kind\":\"category\",\"category\":\"roads\"}",
                          201);
    struct h_resp r;
    ha_call(w->s, &w->u[CAT_SUB], "GET", "/api/v1/me/subscriptions", NULL, &r);
    CHECK(r.status == 200 && json_array_size(json_object_get(r.json, "items")) == 1,
          "one's own list holds only one's own: %.300s", r.body);
    CHECK_STR("the listed subscription's category",
              json_string_value(json_object_get(
                  json_array_get(json_object_get(r.json, "items"), 0), "category")),
              "street_lighting");
    h_resp_free(&r);
    ha_call(w->s, &w->u[AREA_SUB], "GET", "/api/v1/me/subscriptions", NULL, &r);
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    CHECK(json_integer_value(json_object_get(first, "radius_m")) == 100 &&
              json_is_number(json_object_get(first, "lat")),
          "a circle is listed with its centre and radius: %.300s", r.body);
    h_resp_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/me/subscriptions/%ld", mine);
    ha_call(w->s, &w->u[CAT_SUB], "DELETE", path, NULL, &r);
    CHECK_INT("delete another's subscription", r.status, 404);
    h_resp_free(&r);
    ha_call(w->s, &w->u[FOLLOWER], "DELETE", path, NULL, &r);
    CHECK_INT("delete one's own subscription", r.status, 204);
    h_resp_free(&r);
    ha_call(w->s, &w->u[FOLLOWER], "DELETE", path, NULL, &r);
    CHECK_INT("delete it again", r.status, 404);
    h_resp_free(&r);
    long roads = file_report(w, "roads", P_LAT, P_LON);
    CHECK_INT("after unsubscribing: nothing", inbox_has(w, &w->u[FOLLOWER], roads, NULL), 0);
}

struct bad {
    const char *what, *body, *field;
};

static void bad_input(struct world *w)
{
    static const struct bad bads[] = {
        {"no kind", "{\"category\":\"roads\"}", "kind"},
        {"unknown kind", "{\"kind\":\"street\"}", "kind"},
        {"unknown category", "{\"kind\":\"category\",\"category\":\"potholes\"}", "category"},
        {"category missing", "{\"kind\":\"category\"}", "category"},
        {"an area with an unknown category",
         "{\"kind\":\"area\",\"lat\":" P_LAT ",\"lon\":" P_LON ",\"radius_m\":100,"
         "\"category\":\"potholes\"}",
         "category"},
        {"a report with a category",
         "{\"kind\":\"report\",\"report\":1,\"category\":\"roads\"}", "category"},
        {"radius over 5 km",
         "{\"kind\":\"area\",\"lat\":" P_LAT ",\"lon\":" P_LON ",\"radius_m\":6000}", "radius_m"},
        {"area without lat", "{\"kind\":\"area\",\"lon\":" P_LON ",\"radius_m\":100}", "lat"},
        {"lat out of range", "{\"kind\":\"area\",\"lat\":91,\"lon\":23,\"radius_m\":100}", "lat"},
        {"polygon not closed",
         "{\"kind\":\"area\",\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[23.5,41.0],"
         "[23.6,41.0],[23.6,41.1],[23.5,41.1]]]}}",
         "polygon"},
        {"a point instead of a polygon",
         "{\"kind\":\"area\",\"polygon\":{\"type\":\"Point\",\"coordinates\":[23.5,41.0]}}",
         "polygon"},
        {"self-intersecting polygon",
         "{\"kind\":\"area\",\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[23.5,41.0],"
         "[23.51,41.01],[23.51,41.0],[23.5,41.01],[23.5,41.0]]]}}",
         "polygon"},
        {"polygon over POLIS_BBOX_MAX_KM2 (100 here)",
         "{\"kind\":\"area\",\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[23.0,41.0],"
         "[24.0,41.0],[24.0,42.0],[23.0,42.0],[23.0,41.0]]]}}",
         "polygon"},
        {"polygon and circle",
         "{\"kind\":\"area\",\"lat\":41,\"lon\":23,\"radius_m\":10,\"polygon\":{\"type\":"
         "\"Polygon\",\"coordinates\":[[[23.5,41.0],[23.51,41.0],[23.51,41.01],[23.5,41.0]]]}}",
         "polygon"},
        {"category with an area", "{\"kind\":\"category\",\"category\":\"roads\",\"lat\":41}",
         "lat"},
        {"report that does not exist", "{\"kind\":\"report\",\"report\":999999999}", "report"},
        {"unknown member", "{\"kind\":\"category\",\"category\":\"roads\",\"x\":1}", "x"},
    };
    long before = ha_count_of(w->db, "report_subscriptions", "user_id", &w->u[FOLLOWER]);
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        struct h_resp r;
        ha_call(w->s, &w->u[FOLLOWER], "POST", "/api/v1/me/subscriptions", bads[i].body, &r);
        CHECK_PROBLEM(bads[i].what, &r, 422, bads[i].field);
        h_resp_free(&r);
    }
    CHECK_INT("subscriptions after bad input",
              ha_count_of(w->db, "report_subscriptions", "user_id", &w->u[FOLLOWER]), before);
    struct h_resp r;
    h_post(w->s, "/api/v1/me/subscriptions", "application/json", "{\"kind\":\"category\"}", &r);
    CHECK_INT("anonymous subscribe", r.status, 401);
    h_resp_free(&r);
}

/* The export holds the reporter's reports with history, supports,
 * subscriptions and inbox; deleting the account keeps the reports without
 * the person and uncounts their supports. */
static void export_and_delete(struct world *w)
{
    struct ha_user *rep = &w->u[REPORTER];
    long own = file_report(w, "roads", Q_LAT, Q_LON);
    long other = 0;
    {
        struct h_resp r;
        ha_call(w->s, &w->u[FOLLOWER], "POST", "/api/v1/reports",
                "{\"category\":\"roads\",\"lat\":" P_LAT ",\"lon\":" P_LON
                ",\"description\":\"someone else's\"}",
                &r);
        other = (long)json_integer_value(json_object_get(r.json, "id"));
        h_resp_free(&r);
    }
    char path[96];
    struct h_resp r;
    snprintf(path, sizeof path, "/api/v1/reports/%ld/support", other);
    ha_call(w->s, rep, "POST", path, NULL, &r);
    CHECK_INT("the reporter supports another report",
              json_integer_value(json_object_get(r.json, "support_count")), 1);
    h_resp_free(&r);
    subscribe(w, rep, "{\"kind\":\"category\",\"category\":\"roads\"}", 201);

    ha_call(w->s, rep, "GET", "/api/v1/me/export", NULL, &r);
    CHECK(r.status == 200, "export: %ld", r.status);
    json_t *reports = json_object_get(r.json, "reports");
    int found = 0;
    size_t i;
    json_t *it;
    json_array_foreach(reports, i, it) if (json_integer_value(json_object_get(it, "id")) == own)
    {
        found = 1;
        CHECK(json_array_size(json_object_get(it, "history")) >= 1,
              "the exported report has its history");
        CHECK_STR("the exported report's contact", json_string_value(json_object_get(
                                                       it, "contact_email")),
                  "maria@example.gr");
    }
    CHECK(found, "the export holds the user's report %ld", own);
    char *supports = json_dumps(json_object_get(r.json, "supports"), 0);
    CHECK(json_array_size(json_object_get(r.json, "supports")) == 1,
          "the export holds the support: %.200s", supports);
    free(supports);
    CHECK(json_array_size(json_object_get(r.json, "subscriptions")) == 1,
          "the export holds the subscription");
    CHECK(json_array_size(json_object_get(r.json, "inbox")) >= 1, "the export holds the inbox");
    h_resp_free(&r);

    ha_call(w->s, rep, "DELETE", "/api/v1/me", NULL, &r);
    CHECK_INT("delete the account", r.status, 204);
    h_resp_free(&r);
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", own);
    const char *p[] = {ids};
    char *v = h_pg_value(w->db,
                         "SELECT concat_ws(',', coalesce(user_id::text, 'no user'),"
                         " coalesce(contact_name, 'no name'), coalesce(contact_email, 'no email'))"
                         " FROM reports WHERE id = $1::bigint",
                         1, p);
    CHECK_STR("the deleted user's report stays, anonymised", v, "no user,no name,no email");
    free(v);
    snprintf(ids, sizeof ids, "%ld", other);
    v = h_pg_value(w->db, "SELECT support_count FROM reports WHERE id = $1::bigint", 1, p);
    CHECK_STR("the deleted user's support no longer counts", v, "0");
    free(v);
}

int main(void)
{
    h_init("test_subscriptions", 240);
    const char *url = h_shared_dburl();
    struct world w = {0};
    w.db = h_pg_connect(url);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_ANON_WRITE=100000", "POLIS_RATE_RESET=100000",
                         "POLIS_BBOX_MAX_KM2=100", NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    w.s = &s;
    static const char *const tags[NUSERS] = {"sub-rep", "sub-cat", "sub-area", "sub-poly",
                                             "sub-priv", "sub-civil", "sub-fol",
                                             "sub-acat"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&s, w.db, tags[i], &w.u[i]))
            return h_finish();
    /* civil protection handles incidents; the admin role moves any report */
    ha_set_role(w.db, &w.u[STAFF_CIVIL], "staff", "civil_protection,lighting");

    matching(&w);
    own_only(&w);
    bad_input(&w);
    export_and_delete(&w);
    PQfinish(w.db);
    return h_finish();
}
