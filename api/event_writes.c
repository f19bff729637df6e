/* Events, written by the tourism office: create, edit, publish, archive.
 * Only admins and staff of department 'tourism' write; the SQL decides
 * (gis/events_sql.h). A write checks the body in C, resolves times, zone
 * and venue in one query, expands the RRULE with libical
 * (gis/event_recurrence.h) and then writes the event, its occurrences and
 * the audit row in one statement. */
#include "gis/event_recurrence.h"
#include "gis/events_sql.h"
#include "gis/rfc3339.h"
#include "api/actor.h"
#include "api/api.h"
#include "api/event_access.h"
#include "api/lang_map.h"
#include "api/row_refusal.h"
#include "http/body.h"
#include "http/respond.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 300
#define DESCRIPTION_MAX 20000

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

/* A map of translations (api/lang_map.h) copied into cols. */
static void copy_lang_map(struct event_write *ew, const char *name, size_t max)
{
    json_t *v = json_object_get(ew->f.obj, name);
    if (v && lang_map_check(&ew->f.errors, name, v, max) == 0)
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
    const struct event_write *ew = ex->handler_data;
    if (respond_db_failure_or_missing(ex->req, res, EVENT_MISSING, ew->id))
        return;
    if (!ew->creating) {
        respond_column(ex->req, 200, CT_GEOJSON, res, EVENT_UPDATE_FEATURE);
        return;
    }
    const char *id = PQgetvalue(res, 0, EVENT_CREATE_ID);
    respond_header(ex->req, "location",
                   exchange_url(ex, exchange_printf(ex, "/api/v1/events/%s", id)));
    respond_column(ex->req, 201, CT_GEOJSON, res, EVENT_CREATE_FEATURE);
}

/* The check query's answer: who may write, the resolved local times and
 * zone, the venue; then the rule is expanded and the write sent. */
static void check_done(struct exchange *ex, PGresult *res)
{
    if (row_refused_or_missing(ex, res, EVENT_WRITE_CHECK_MAY_WRITE, EVENT_WRITE_CHECK_EXISTS,
                               event_not_tourism, event_not_found))
        return;
    struct event_write *ew = ex->handler_data;
    struct fields *f = &ew->f;
    if ((ew->starts || ew->ends) && !PQgetisnull(res, 0, EVENT_WRITE_CHECK_START_LOCAL) &&
        !PQgetisnull(res, 0, EVENT_WRITE_CHECK_END_LOCAL) &&
        PQgetvalue(res, 0, EVENT_WRITE_CHECK_END_AFTER_START)[0] != 't')
        field_error_append(&f->errors, ew->ends ? "ends_at" : "starts_at",
                           "ends_at after starts_at",
                           exchange_printf(ex, "from %s to %s (local time)",
                                           PQgetvalue(res, 0, EVENT_WRITE_CHECK_START_LOCAL),
                                           PQgetvalue(res, 0, EVENT_WRITE_CHECK_END_LOCAL)));
    if (ew->poi && PQgetvalue(res, 0, EVENT_WRITE_CHECK_POI_OK)[0] != 't')
        field_error_append(&f->errors, "venue_poi_id", "the id of a POI that is not archived",
                           ew->poi);
    if (fields_reject(ex, f))
        return;
    const char *start_local =
        exchange_strdup(ex, PQgetvalue(res, 0, EVENT_WRITE_CHECK_START_LOCAL));
    const char *rrule = ew->rrule_given ? ew->rrule
                        : PQgetisnull(res, 0, EVENT_WRITE_CHECK_RRULE)
                            ? NULL
                            : exchange_strdup(ex, PQgetvalue(res, 0, EVENT_WRITE_CHECK_RRULE));
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
    json_object_set_new(ew->cols, "tzid",
                        json_string(PQgetvalue(res, 0, EVENT_WRITE_CHECK_ZONE)));
    json_object_set_new(ew->cols, "starts_local", json_string(start_local));
    json_object_set_new(ew->cols, "ends_local",
                        json_string(PQgetvalue(res, 0, EVENT_WRITE_CHECK_END_LOCAL)));
    char *cols = json_dumps(ew->cols, JSON_COMPACT);
    if (!lit || !cols) {
        free(lit);
        free(cols);
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "out of memory");
        return;
    }
    const char *cols_arg = exchange_strdup(ex, cols), *starts_arg = exchange_strdup(ex, lit);
    const char *until_arg = until[0] ? exchange_strdup(ex, until) : NULL;
    const char *complete_arg = complete ? "true" : "false";
    free(lit);
    free(cols);
    /* an update is $1 the id, then the parameters of a create */
    const char *args[EVENT_UPDATE_NPARAMS] = {
        [EVENT_UPDATE_P_ID] = exchange_printf(ex, "%ld", ew->id),
    };
    const char **write_args = ew->creating ? args : args + EVENT_UPDATE_P_WRITE;
    write_args[EVENT_WRITE_P_EVENT] = cols_arg;
    write_args[EVENT_WRITE_P_STARTS] = starts_arg;
    write_args[EVENT_WRITE_P_UNTIL] = until_arg;
    write_args[EVENT_WRITE_P_COMPLETE] = complete_arg;
    actor_args(ex, write_args + EVENT_WRITE_P_ACTOR);
    exchange_query_prepared(ex, ew->creating ? EVENT_CREATE_SQL : EVENT_UPDATE_SQL,
                            ew->creating ? EVENT_WRITE_NPARAMS : EVENT_UPDATE_NPARAMS, args,
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
    const char *args[EVENT_WRITE_CHECK_NPARAMS] = {
        [EVENT_WRITE_CHECK_P_ID] = id ? exchange_printf(ex, "%ld", id) : NULL,
        [EVENT_WRITE_CHECK_P_STARTS] = ew->starts,
        [EVENT_WRITE_CHECK_P_ENDS] = ew->ends,
        [EVENT_WRITE_CHECK_P_TZID] = ew->tzid,
        [EVENT_WRITE_CHECK_P_POI] = ew->poi,
    };
    event_tourism_args(ex, &args[EVENT_WRITE_CHECK_P_TOURISM]);
    exchange_query_prepared(ex, EVENT_WRITE_CHECK_SQL, EVENT_WRITE_CHECK_NPARAMS, args,
                          check_done);
}

void api_events_create(struct exchange *ex)
{
    event_write(ex, 0);
}

void api_events_update(struct exchange *ex)
{
    long id = event_path_id(ex);
    if (id)
        event_write(ex, id);
}

/* ---- POST /api/v1/events/{id}/publish, /archive ---- */

static void status_done(struct exchange *ex, PGresult *res)
{
    if (row_refused_or_missing(ex, res, EVENT_STATUS_MAY_WRITE, EVENT_STATUS_EXISTS,
                               event_not_tourism, event_not_found))
        return;
    if (PQgetisnull(res, 0, EVENT_STATUS_FEATURE)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "event %ld is %s already", atol(ex->path_params[0]),
                        PQgetvalue(res, 0, EVENT_STATUS_BEFORE));
        return;
    }
    respond_column(ex->req, 200, CT_GEOJSON, res, EVENT_STATUS_FEATURE);
}

static void status_change(struct exchange *ex, const char *to)
{
    long id = event_path_id(ex);
    if (!id)
        return;
    const char *args[EVENT_STATUS_NPARAMS] = {
        [EVENT_STATUS_P_ID] = exchange_printf(ex, "%ld", id),
        [EVENT_STATUS_P_STATUS] = to,
    };
    event_tourism_args(ex, &args[EVENT_STATUS_P_TOURISM]);
    actor_args(ex, &args[EVENT_STATUS_P_ACTOR]);
    exchange_query_prepared(ex, EVENT_STATUS_SQL, EVENT_STATUS_NPARAMS, args, status_done);
}

void api_events_publish(struct exchange *ex)
{
    status_change(ex, "published");
}

void api_events_archive(struct exchange *ex)
{
    status_change(ex, "archived");
}
