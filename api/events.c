/* Events: the public list of occurrences by date range (GeoJSON), one event
 * with its rule and next occurrences, the iCalendar feed, and the tourism
 * office's writes (create, edit, publish, archive). Only admins and staff
 * of department 'tourism' write or see drafts; the SQL decides
 * (gis/events_sql.h). A write checks the body in C, resolves times, zone
 * and venue in one query, expands the RRULE with libical
 * (gis/event_recurrence.h) and then writes the event, its occurrences and
 * the audit row in one statement. */
#include "gis/event_recurrence.h"
#include "gis/events_sql.h"
#include "gis/rfc3339.h"
#include "api/actor.h"
#include "api/api.h"
#include "http/body.h"
#include "api/geojson_page.h"
#include "api/ical_format.h"
#include "http/identity.h"
#include "http/respond.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CT_CALENDAR "text/calendar; charset=utf-8"
#define TITLE_MAX 300
#define DESCRIPTION_MAX 20000
#define LANG_MAP_MAX 20

static const char *const event_categories[] = {"concert",  "theatre",    "festival",
                                               "exhibition", "sport",    "market",
                                               "religious", "conference", "children",
                                               "other",    NULL};

/* The TOURISM parameters of gis/events_sql.h: admin, departments, served
 * municipality. An API key without the staff scope acts as a citizen. */
static void tourism_args(struct exchange *ex, const char *out[3])
{
    const char *v[3];
    identity_viewer_args(ex, v);
    out[0] = v[1];
    out[1] = v[2];
    out[2] = ex->app->cfg.municipality;
}

/* The event id of the path, or 0 after answering 400. */
static long path_event_id(struct exchange *ex)
{
    long id;
    if (parse_integer(ex->path_params[0], &id) || id < 1) {
        params_error(&ex->query, "id", "a positive integer event id", ex->path_params[0]);
        respond_params_problem(ex->req, &ex->query);
        return 0;
    }
    return id;
}

static void event_not_found(struct exchange *ex, long id)
{
    respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                    "there is no event with id %ld", id);
}

static void not_tourism(struct exchange *ex)
{
    respond_problem(ex->req, 403, "about:blank", "Forbidden", NULL,
                    "only the tourism office (staff of department tourism) and admins manage "
                    "events");
}

/* 1 for a language code such as el, en, de. */
static int lang_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 2 && n <= 3 && strspn(s, "abcdefghijklmnopqrstuvwxyz") == n;
}

/* "2026-10-17": a real calendar date. */
static int date_ok(const char *s)
{
    char buf[32];
    if (strlen(s) != 10)
        return 0;
    snprintf(buf, sizeof buf, "%sT00:00:00Z", s);
    return rfc3339_valid(buf);
}

/* An RFC 3339 date-time (an instant), or one without offset (a local time
 * in the event's zone) such as 2026-10-17T19:00:00. */
static int time_input_ok(const char *s)
{
    char buf[64];
    if (rfc3339_valid(s))
        return 1;
    size_t n = strlen(s);
    if (n < 19 || n > 40 || s[n - 1] == 'Z' || s[n - 1] == 'z')
        return 0;
    snprintf(buf, sizeof buf, "%sZ", s);
    return rfc3339_valid(buf);
}

/* ---- GET /api/v1/events ---- */

struct list_request {
    int restricted; /* drafts or archived events asked for: the tourism office only */
    struct geojson_page *page;
};

static void list_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct list_request *lr = ex->handler_data;
    if (lr->restricted && PQgetvalue(res, 0, 5)[0] != 't') {
        not_tourism(ex);
        return;
    }
    if (PQgetvalue(res, 0, 0)[0] == 't' || PQgetvalue(res, 0, 1)[0] == 't') {
        params_error(&ex->query, "to",
                     PQgetvalue(res, 0, 0)[0] == 't' ? "a time not before from"
                                                     : "at most a year after from",
                     params_get(&ex->query, "to") ? params_get(&ex->query, "to")
                                                  : "a year after from");
        respond_params_problem(ex->req, &ex->query);
        return;
    }
    geojson_page_respond(ex, lr->page, PQgetvalue(res, 0, 2),
                         PQgetvalue(res, 0, 3)[0] == 't',
                         exchange_printf(ex, "after=%s", PQgetvalue(res, 0, 4)));
}

static const char *range_param(struct exchange *ex, const char *name)
{
    const char *s = params_get(&ex->query, name);
    if (s && !date_ok(s) && !rfc3339_valid(s)) {
        params_error(&ex->query, name, "an RFC 3339 date (2026-10-17) or date-time "
                     "(2026-10-17T19:00:00+03:00)", s);
        return NULL;
    }
    return s;
}

void api_events_list(struct exchange *ex)
{
    static const char *const allowed[] = {"from",  "to",    "category", "bbox", "lang",
                                          "limit", "after", "status",   NULL};
    const struct polis_config *cfg = &ex->app->cfg;
    static const char *const statuses[] = {"published", "draft", "archived", "all", NULL};
    struct list_request *lr = h2o_mem_alloc_pool(&ex->req->pool, sizeof *lr);
    struct geojson_page *page = lr->page = geojson_page_new(ex, "/api/v1/events");
    ex->handler_data = lr;
    const char *status = "published";
    long limit = cfg->page_default;
    double bbox[4];
    const char *category = NULL, *lang = params_get(&ex->query, "lang");

    params_allow_only(&ex->query, allowed);
    const char *from = range_param(ex, "from"), *to = range_param(ex, "to");
    params_choice(&ex->query, "category", event_categories, 0, &category);
    int has_bbox = params_bbox(&ex->query, "bbox", cfg->bbox_max_km2, bbox) == 1;
    if (lang && !lang_ok(lang))
        params_error(&ex->query, "lang", "a language code such as el or en", lang);
    params_long(&ex->query, "limit", 1, cfg->page_max, 0, &limit);
    params_choice(&ex->query, "status", statuses, 0, &status);
    const char *after = params_get(&ex->query, "after");
    long after_start = 0, after_id = 0;
    if (after) {
        char tail;
        if (sscanf(after, "%ld_%ld%c", &after_start, &after_id, &tail) != 2 || after_id < 0)
            params_error(&ex->query, "after", "the cursor of a next link", after);
    }
    if (respond_params_problem(ex->req, &ex->query))
        return;
    geojson_page_keep(ex, page, "from", from);
    geojson_page_keep(ex, page, "to", to);
    geojson_page_keep(ex, page, "category", category);
    geojson_page_keep(ex, page, "bbox", params_get(&ex->query, "bbox"));
    geojson_page_keep(ex, page, "lang", lang);
    geojson_page_keep(ex, page, "limit", params_get(&ex->query, "limit"));
    geojson_page_keep(ex, page, "status", params_get(&ex->query, "status"));
    lr->restricted = strcmp(status, "published") != 0;
    if (lr->restricted && ex->who.rank < 2) { /* no query needed to know */
        not_tourism(ex);
        return;
    }
    const char *args[16] = {
        from, to, EVENT_TZID_DEFAULT, category, NULL, NULL, NULL, NULL, lang ? lang : "el",
        after ? exchange_printf(ex, "%ld", after_start) : NULL,
        exchange_printf(ex, "%ld", after_id), exchange_printf(ex, "%ld", limit),
        strcmp(status, "all") ? status : NULL};
    for (int i = 0; has_bbox && i < 4; i++)
        args[4 + i] = exchange_printf(ex, "%.9f", bbox[i]);
    tourism_args(ex, args + 13);
    exchange_query_static(ex, EVENT_LIST_SQL, 16, args, list_done);
}

/* ---- GET /api/v1/events/{id} ---- */

static void get_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        event_not_found(ex, *(long *)ex->handler_data);
        return;
    }
    respond_bytes(ex->req, 200, CT_GEOJSON, PQgetvalue(res, 0, 0),
                  (size_t)PQgetlength(res, 0, 0));
}

void api_events_get(struct exchange *ex)
{
    static const char *const allowed[] = {NULL};
    params_allow_only(&ex->query, allowed);
    long id = path_event_id(ex);
    if (!id || respond_params_problem(ex->req, &ex->query))
        return;
    long *idp = h2o_mem_alloc_pool(&ex->req->pool, sizeof *idp);
    *idp = id;
    ex->handler_data = idp;
    const char *t[3];
    tourism_args(ex, t);
    const char *args[] = {exchange_printf(ex, "%ld", id), t[0], t[1], t[2]};
    exchange_query_static(ex, EVENT_GET_SQL, 4, args, get_done);
}

/* ---- POST /api/v1/events, PATCH /api/v1/events/{id} ---- */

struct event_write {
    struct fields f;
    json_t *cols;      /* the columns to write (gis/events_sql.h) */
    long id;           /* 0 when creating */
    const char *starts, *ends, *tzid, *poi; /* valid ones only, for the check query */
    int rrule_given;   /* the body has rrule (a string, or null to remove it) */
    const char *rrule;
    int creating;
};

static void event_write_dispose(void *p)
{
    struct event_write *ew = p;
    fields_free(&ew->f);
    json_decref(ew->cols);
}

/* A string member copied into cols: null clears it when nullable. */
static void copy_string(struct event_write *ew, const char *name, size_t min, size_t max,
                        int nullable, const char **out)
{
    struct fields *f = &ew->f;
    const char *s = NULL;
    json_t *v = json_object_get(f->obj, name);
    if (v && json_is_null(v)) {
        if (nullable) {
            json_object_set_new(ew->cols, name, json_null());
        } else {
            char expected[96];
            snprintf(expected, sizeof expected, "a string of %zu to %zu characters", min, max);
            field_error_append(&f->errors, name, expected, "null (it cannot be removed)");
        }
        return;
    }
    if (field_string(f, name, min, max, ew->creating && !nullable, &s) == 1) {
        json_object_set_new(ew->cols, name, json_string(s));
        if (out)
            *out = s;
    }
}

/* {"de": "...", ...}: language code to a string of 1..max bytes. */
static void copy_lang_map(struct event_write *ew, const char *name, size_t max)
{
    struct fields *f = &ew->f;
    json_t *v = json_object_get(f->obj, name);
    char expected[160];
    snprintf(expected, sizeof expected, "an object of at most %d language codes (de, bg, ...) "
             "to strings of 1 to %zu bytes", LANG_MAP_MAX, max);
    if (!v)
        return;
    if (!json_is_object(v) || json_object_size(v) > LANG_MAP_MAX) {
        field_error_append(&f->errors, name, expected,
                           json_is_object(v) ? "too many languages" : "not an object");
        return;
    }
    const char *k;
    json_t *s;
    json_object_foreach(v, k, s) {
        if (!lang_ok(k) || !json_is_string(s) || json_string_length(s) < 1 ||
            json_string_length(s) > max || strlen(json_string_value(s)) != json_string_length(s)) {
            field_error_append(&f->errors, name, expected, k);
            return;
        }
    }
    json_object_set(ew->cols, name, v);
}

static void read_times(struct event_write *ew)
{
    struct fields *f = &ew->f;
    const char *names[2] = {"starts_at", "ends_at"};
    const char **outs[2] = {&ew->starts, &ew->ends};
    for (int i = 0; i < 2; i++) {
        const char *s = NULL;
        if (field_string(f, names[i], 10, 40, ew->creating, &s) == 1 && !time_input_ok(s))
            field_error_append(&f->errors, names[i], "an RFC 3339 date-time "
                               "(2026-10-17T19:00:00+03:00), or a local one in tzid "
                               "(2026-10-17T19:00:00)", s);
        else
            *outs[i] = s;
    }
}

static void read_venue(struct exchange *ex, struct event_write *ew)
{
    struct fields *f = &ew->f;
    json_t *poi = json_object_get(f->obj, "venue_poi_id");
    if (poi && json_is_null(poi)) {
        json_object_set_new(ew->cols, "venue_poi_id", json_null());
    } else if (poi) {
        long long id;
        if (field_integer(f, "venue_poi_id", 1, LLONG_MAX, 0, &id) == 1) {
            json_object_set(ew->cols, "venue_poi_id", poi);
            ew->poi = exchange_printf(ex, "%lld", id);
        }
    }
    double lat = 0, lon = 0;
    int has_lat = field_number(f, "lat", -90, 90, 0, &lat);
    int has_lon = field_number(f, "lon", -180, 180, 0, &lon);
    if (has_lat == 1 && has_lon == 1) {
        json_object_set_new(ew->cols, "lat", json_real(lat));
        json_object_set_new(ew->cols, "lon", json_real(lon));
    } else if (has_lat + has_lon == 1) {
        field_error_append(&f->errors, has_lat == 1 ? "lon" : "lat",
                           "lat and lon together (the venue's point)", "only one of them");
    }
    if (ew->creating && !poi && has_lat == 0 && has_lon == 0)
        field_error_append(&f->errors, "venue_poi_id",
                           "a venue: a POI (venue_poi_id) or a point (lat and lon)", "neither");
}

/* Reads every writable member into ew->cols, collecting errors in ew->f. */
static void read_event(struct exchange *ex, struct event_write *ew)
{
    struct fields *f = &ew->f;
    static const char *const allowed[] = {
        "title_el", "title_en",  "titles",       "description_el", "description_en",
        "descriptions", "starts_at", "ends_at",  "tzid",           "rrule",
        "category", "venue_poi_id", "venue_name", "lat",           "lon",
        "free",     "price",     "organiser",    "url",            NULL};
    fields_allow_only(f, allowed);
    copy_string(ew, "title_el", 1, TITLE_MAX, 0, NULL);
    copy_string(ew, "title_en", 1, TITLE_MAX, 1, NULL);
    copy_lang_map(ew, "titles", TITLE_MAX);
    copy_string(ew, "description_el", 1, DESCRIPTION_MAX, 1, NULL);
    copy_string(ew, "description_en", 1, DESCRIPTION_MAX, 1, NULL);
    copy_lang_map(ew, "descriptions", DESCRIPTION_MAX);
    read_times(ew);

    const char *tzid = NULL;
    if (field_string(f, "tzid", 1, 64, 0, &tzid) == 1 && !event_tzid_supported(tzid))
        field_error_append(&f->errors, "tzid", "Europe/Athens (the zones the iCalendar feed "
                           "has a VTIMEZONE for)", tzid);
    else if (tzid)
        ew->tzid = tzid;
    if (!ew->tzid && ew->creating)
        ew->tzid = EVENT_TZID_DEFAULT;

    json_t *rr = json_object_get(f->obj, "rrule");
    if (rr) {
        const char *s = NULL;
        char err[256];
        ew->rrule_given = 1;
        if (field_string(f, "rrule", 6, EVENT_RRULE_MAX, 0, &s) == 1) {
            if (event_rrule_check(s, NULL, err, sizeof err) < 0)
                field_error_append(&f->errors, "rrule", err, s);
            else
                ew->rrule = s;
        }
        if (json_is_null(rr) || ew->rrule)
            json_object_set_new(ew->cols, "rrule", ew->rrule ? json_string(ew->rrule) : json_null());
    }

    const char *category = NULL;
    if (field_string(f, "category", 1, 40, ew->creating, &category) == 1) {
        int k = 0;
        while (event_categories[k] && strcmp(event_categories[k], category))
            k++;
        if (event_categories[k])
            json_object_set_new(ew->cols, "category", json_string(category));
        else
            field_error_append(&f->errors, "category", "one of concert, theatre, festival, "
                               "exhibition, sport, market, religious, conference, children, "
                               "other", category);
    }
    read_venue(ex, ew);
    copy_string(ew, "venue_name", 1, TITLE_MAX, 1, NULL);
    int free_ = 0;
    if (field_bool(f, "free", 0, &free_) == 1)
        json_object_set_new(ew->cols, "free", json_boolean(free_));
    copy_string(ew, "price", 1, 200, 1, NULL);
    copy_string(ew, "organiser", 1, 300, 1, NULL);
    const char *url = NULL;
    copy_string(ew, "url", 8, 500, 1, &url);
    if (url && ((strncmp(url, "https://", 8) && strncmp(url, "http://", 7)) ||
                strpbrk(url, " \t\r\n\"<>"))) {
        field_error_append(&f->errors, "url", "an http:// or https:// address without spaces",
                           url);
    }
}

static void write_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct event_write *ew = ex->handler_data;
    if (PQntuples(res) == 0) {
        event_not_found(ex, ew->id);
        return;
    }
    if (ew->creating) {
        const char *id = PQgetvalue(res, 0, 0);
        respond_header(ex->req, "location",
                       exchange_url(ex, exchange_printf(ex, "/api/v1/events/%s", id)));
        respond_bytes(ex->req, 201, CT_GEOJSON, PQgetvalue(res, 0, 1),
                      (size_t)PQgetlength(res, 0, 1));
        return;
    }
    respond_bytes(ex->req, 200, CT_GEOJSON, PQgetvalue(res, 0, 0),
                  (size_t)PQgetlength(res, 0, 0));
}

/* The check query's answer: who may write, the resolved local times and
 * zone, the venue; then the rule is expanded and the write sent. */
static void check_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct event_write *ew = ex->handler_data;
    struct fields *f = &ew->f;
    if (PQgetvalue(res, 0, 0)[0] != 't') {
        not_tourism(ex);
        return;
    }
    if (PQgetvalue(res, 0, 1)[0] != 't') {
        event_not_found(ex, ew->id);
        return;
    }
    if ((ew->starts || ew->ends) && !PQgetisnull(res, 0, 3) && !PQgetisnull(res, 0, 4) &&
        PQgetvalue(res, 0, 5)[0] != 't')
        field_error_append(&f->errors, ew->ends ? "ends_at" : "starts_at",
                           "ends_at after starts_at",
                           exchange_printf(ex, "from %s to %s (local time)",
                                           PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4)));
    if (ew->poi && PQgetvalue(res, 0, 6)[0] != 't')
        field_error_append(&f->errors, "venue_poi_id", "the id of a POI that is not archived",
                           ew->poi);
    if (fields_reject(ex, f))
        return;
    const char *start_local = exchange_strdup(ex, PQgetvalue(res, 0, 3));
    const char *rrule = ew->rrule_given ? ew->rrule
                        : PQgetisnull(res, 0, 7) ? NULL
                                                 : exchange_strdup(ex, PQgetvalue(res, 0, 7));
    char err[256], until[21] = "";
    if (rrule)
        event_rrule_check(rrule, until, err, sizeof err);
    event_local_time *times =
        h2o_mem_alloc_pool(&ex->req->pool, sizeof(event_local_time) * EVENT_OCCURRENCES_MAX);
    int complete = 1;
    int n = event_rrule_expand(rrule, start_local, time(NULL), EVENT_OCCURRENCES_MAX, times,
                               &complete, err, sizeof err);
    if (n < 0) {
        field_error_append(&f->errors, "rrule", err, rrule ? rrule : "none");
        fields_reject(ex, f);
        return;
    }
    char *lit = event_local_times_literal(times, n);
    json_object_set_new(ew->cols, "tzid", json_string(PQgetvalue(res, 0, 2)));
    json_object_set_new(ew->cols, "starts_local", json_string(start_local));
    json_object_set_new(ew->cols, "ends_local", json_string(PQgetvalue(res, 0, 4)));
    char *cols = json_dumps(ew->cols, JSON_COMPACT);
    if (!lit || !cols) {
        free(lit);
        free(cols);
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "out of memory");
        return;
    }
    const char *args[9];
    int k = 0;
    if (!ew->creating)
        args[k++] = exchange_printf(ex, "%ld", ew->id);
    args[k++] = exchange_strdup(ex, cols);
    args[k++] = exchange_strdup(ex, lit);
    args[k++] = until[0] ? exchange_strdup(ex, until) : NULL;
    args[k++] = complete ? "true" : "false";
    actor_args(ex, args + k);
    free(lit);
    free(cols);
    exchange_query_static(ex, ew->creating ? EVENT_CREATE_SQL : EVENT_UPDATE_SQL, k + 4, args,
                          write_done);
}

static void event_write(struct exchange *ex, long id)
{
    struct event_write *ew =
        h2o_mem_alloc_shared(&ex->req->pool, sizeof *ew, event_write_dispose);
    memset(ew, 0, sizeof *ew);
    ew->id = id;
    ew->creating = id == 0;
    ew->cols = json_object();
    ex->handler_data = ew;
    if (body_parse_object(ex, &ew->f) < 0)
        return;
    read_event(ex, ew);
    /* who may write is answered first (403 before 422): the check runs
     * with the valid values only and the field errors wait for it */
    const char *t[3];
    tourism_args(ex, t);
    const char *args[] = {t[0], t[1], t[2], id ? exchange_printf(ex, "%ld", id) : NULL,
                          ew->starts, ew->ends, ew->tzid, ew->poi};
    exchange_query_static(ex, EVENT_WRITE_CHECK_SQL, 8, args, check_done);
}

void api_events_create(struct exchange *ex)
{
    event_write(ex, 0);
}

void api_events_update(struct exchange *ex)
{
    long id = path_event_id(ex);
    if (id)
        event_write(ex, id);
}

/* ---- POST /api/v1/events/{id}/publish, /archive ---- */

struct status_change {
    long id;
    const char *to;
};

static void status_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct status_change *sc = ex->handler_data;
    if (PQgetvalue(res, 0, 0)[0] != 't') {
        not_tourism(ex);
    } else if (PQgetvalue(res, 0, 1)[0] != 't') {
        event_not_found(ex, sc->id);
    } else if (PQgetisnull(res, 0, 3)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "event %ld is %s already", sc->id, PQgetvalue(res, 0, 2));
    } else {
        respond_bytes(ex->req, 200, CT_GEOJSON, PQgetvalue(res, 0, 3),
                      (size_t)PQgetlength(res, 0, 3));
    }
}

static void status_change(struct exchange *ex, const char *to)
{
    long id = path_event_id(ex);
    if (!id)
        return;
    struct status_change *sc = h2o_mem_alloc_pool(&ex->req->pool, sizeof *sc);
    sc->id = id;
    sc->to = to;
    ex->handler_data = sc;
    const char *args[9];
    args[0] = exchange_printf(ex, "%ld", id);
    args[1] = to;
    tourism_args(ex, args + 2);
    actor_args(ex, args + 5);
    exchange_query_static(ex, EVENT_STATUS_SQL, 9, args, status_done);
}

void api_events_publish(struct exchange *ex)
{
    status_change(ex, "published");
}

void api_events_archive(struct exchange *ex)
{
    status_change(ex, "archived");
}

/* ---- GET /api/v1/events.ics ---- */

/* The host part of UIDs: of POLIS_PUBLIC_URL when set (stable whatever
 * address a client used), else of the request. */
static const char *uid_host(struct exchange *ex)
{
    const char *url = ex->app->cfg.public_url;
    const char *h;
    size_t n;
    if (url && *url && (h = strstr(url, "://"))) {
        h += 3;
        n = strcspn(h, ":/");
    } else {
        h = ex->req->authority.base;
        n = strcspn(h, ":/");
        if (n > ex->req->authority.len)
            n = ex->req->authority.len;
    }
    return exchange_printf(ex, "%.*s", (int)n, h);
}

static void ical_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct ical_writer w;
    ical_init(&w);
    ical_line(&w, "BEGIN", "VCALENDAR");
    ical_line(&w, "VERSION", "2.0");
    ical_line(&w, "PRODID", "-//polis//events " POLIS_VERSION "//EN");
    ical_line(&w, "CALSCALE", "GREGORIAN");
    ical_line(&w, "METHOD", "PUBLISH");
    ical_text(&w, "X-WR-CALNAME", "polis events");
    ical_line(&w, "X-WR-TIMEZONE", EVENT_TZID_DEFAULT);
    ical_vtimezone(&w, EVENT_TZID_DEFAULT);
    const char *host = uid_host(ex);
    char name[96], value[128];
    for (int i = 0; i < PQntuples(res); i++) {
        const char *tzid = PQgetvalue(res, i, 3);
        ical_line(&w, "BEGIN", "VEVENT");
        snprintf(value, sizeof value, "event-%s@%s", PQgetvalue(res, i, 0), host);
        ical_line(&w, "UID", value);
        ical_line(&w, "DTSTAMP", PQgetvalue(res, i, 11));
        snprintf(name, sizeof name, "DTSTART;TZID=%s", tzid);
        ical_line(&w, name, PQgetvalue(res, i, 1));
        snprintf(name, sizeof name, "DTEND;TZID=%s", tzid);
        ical_line(&w, name, PQgetvalue(res, i, 2));
        if (!PQgetisnull(res, i, 4))
            ical_line(&w, "RRULE", PQgetvalue(res, i, 4));
        ical_text(&w, "SUMMARY", PQgetvalue(res, i, 5));
        ical_text(&w, "DESCRIPTION", PQgetvalue(res, i, 6));
        ical_text(&w, "LOCATION", PQgetvalue(res, i, 7));
        snprintf(value, sizeof value, "%s;%s", PQgetvalue(res, i, 8), PQgetvalue(res, i, 9));
        ical_line(&w, "GEO", value);
        if (!PQgetisnull(res, i, 10))
            ical_line(&w, "URL", PQgetvalue(res, i, 10));
        ical_text(&w, "CATEGORIES", PQgetvalue(res, i, 12));
        ical_line(&w, "END", "VEVENT");
    }
    ical_line(&w, "END", "VCALENDAR");
    if (w.failed) {
        ical_free(&w);
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "out of memory");
        return;
    }
    respond_header(ex->req, "content-disposition", "inline; filename=\"events.ics\"");
    respond_bytes(ex->req, 200, CT_CALENDAR, w.buf, w.len);
    ical_free(&w);
}

void api_events_ical(struct exchange *ex)
{
    static const char *const allowed[] = {"lang", NULL};
    params_allow_only(&ex->query, allowed);
    const char *lang = params_get(&ex->query, "lang");
    if (lang && !lang_ok(lang))
        params_error(&ex->query, "lang", "a language code such as el or en", lang);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *args[] = {lang ? lang : "el"};
    exchange_query_static(ex, EVENT_ICAL_SQL, 1, args, ical_done);
}
