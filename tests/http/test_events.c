/* Events, as the tourism office and the public see them: a weekly event
 * from Saturday 2026-10-17 19:00 in Europe/Athens stays at 19:00 local
 * across the end of summer time (Sunday 2026-10-25), so its instants move
 * from 16:00Z to 17:00Z; a date range returns just the occurrences inside;
 * past events leave the default list; a draft is invisible to the public
 * until published and gone again once archived; only the tourism office
 * and admins write (403 for citizens and other staff); bad input is a 422
 * naming the field and stores nothing; and the iCalendar feed passes a
 * strict line-by-line RFC 5545 check and is read back by libical. */
#include "h_accounts.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TOURISM, ADMIN, CITIZEN, CLEANING, NUSERS };

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
    char tag[32]; /* makes this run's titles unique on the shared database */
};

/* a point in Serres */
#define VENUE "\"lat\":41.0917,\"lon\":23.5494"

static long create_event(struct world *w, int who, const char *fields, long want)
{
    char body[4096];
    snprintf(body, sizeof body, "{%s}", fields);
    struct h_resp r;
    ha_call(w->s, &w->u[who], "POST", "/api/v1/events", body, &r);
    CHECK(r.status == want, "create %.120s: expected %ld, found %ld %.300s", fields, want,
          r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    if (r.status == 201) {
        char *loc = h_resp_header(&r, "location");
        char tail[48];
        snprintf(tail, sizeof tail, "/api/v1/events/%ld", id);
        CHECK(loc && strstr(loc, tail), "201 has Location %s, found %s", tail, loc ? loc : "none");
        free(loc);
    }
    h_resp_free(&r);
    return id;
}

static long call_status(struct world *w, int who, const char *method, const char *path,
                        const char *body)
{
    struct h_resp r;
    ha_call(w->s, who < 0 ? NULL : &w->u[who], method, path, body, &r);
    long st = r.status;
    h_resp_free(&r);
    return st;
}

/* The occurrences of event id in a list answer, as "starts_at|ends_at" lines. */
static char *occurrences_in(const struct h_resp *r, long id)
{
    static char out[2048];
    out[0] = '\0';
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r->json, "features"), i, f) {
        json_t *p = json_object_get(f, "properties");
        if (json_integer_value(json_object_get(p, "event_id")) != id)
            continue;
        size_t n = strlen(out);
        snprintf(out + n, sizeof out - n, "%s|%s\n",
                 json_string_value(json_object_get(p, "starts_at")),
                 json_string_value(json_object_get(p, "ends_at")));
    }
    return out;
}

static char *list(struct world *w, const char *query, long id)
{
    char path[512];
    snprintf(path, sizeof path, "/api/v1/events?%s", query);
    struct h_resp r;
    h_get(w->s, path, &r);
    CHECK(r.status == 200, "GET %s: expected 200, found %ld %.300s", path, r.status, r.body);
    CHECK_STR("list content type", r.media_type, "application/geo+json");
    char *occ = occurrences_in(&r, id);
    h_resp_free(&r);
    return occ;
}

static char *db_value1(struct world *w, const char *sql, long id)
{
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", id);
    const char *p[] = {ids};
    return h_pg_value(w->db, sql, 1, p);
}

/* ---- the must-show: weekly across the DST change ---- */

static long dst_event(struct world *w)
{
    char fields[1024];
    snprintf(fields, sizeof fields,
             "\"title_el\":\"Συναυλία %s\",\"title_en\":\"Concert %s\","
             "\"starts_at\":\"2026-10-17T19:00:00\",\"ends_at\":\"2026-10-17T21:00:00\","
             "\"rrule\":\"FREQ=WEEKLY;COUNT=4\",\"category\":\"concert\"," VENUE ","
             "\"venue_name\":\"Πλατεία Ελευθερίας\",\"free\":true,"
             "\"description_el\":\"Κάθε Σάββατο, δωρεάν; φέρτε καρέκλα, νερό και καλή διάθεση\\n"
             "Με τη Φιλαρμονική του Δήμου Σερρών και φίλους από όλη την Ελλάδα\"",
             w->tag, w->tag);
    long id = create_event(w, TOURISM, fields, 201);
    char *utc = db_value1(w,
                          "SELECT string_agg(to_char(starts_at AT TIME ZONE 'UTC',"
                          " 'YYYY-MM-DD\"T\"HH24:MI\"Z\"'), ',' ORDER BY starts_at)"
                          " FROM event_occurrences WHERE event_id = $1::bigint",
                          id);
    CHECK_STR("the four occurrences in UTC", utc,
              "2026-10-17T16:00Z,2026-10-24T16:00Z,2026-10-31T17:00Z,2026-11-07T17:00Z");
    free(utc);
    return id;
}

static void draft_then_published(struct world *w, long id)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/events/%ld", id);
    const char *range = "from=2026-10-01&to=2026-11-30&limit=100";
    CHECK_INT("draft GET as anonymous", call_status(w, -1, "GET", path, NULL), 404);
    CHECK_INT("draft GET as citizen", call_status(w, CITIZEN, "GET", path, NULL), 404);
    CHECK_INT("draft GET as other staff", call_status(w, CLEANING, "GET", path, NULL), 404);
    CHECK_INT("draft GET as admin", call_status(w, ADMIN, "GET", path, NULL), 200);
    CHECK_STR("a draft is not in the public list", list(w, range, id), "");

    /* the tourism office lists its drafts (the editor does); nobody else may */
    struct h_resp r;
    char drafts[160];
    snprintf(drafts, sizeof drafts, "/api/v1/events?%s&status=draft", range);
    ha_call(w->s, &w->u[TOURISM], "GET", drafts, NULL, &r);
    CHECK(r.status == 200 && strstr(occurrences_in(&r, id), "2026-10-17T19:00:00+03:00"),
          "status=draft as tourism lists the draft: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    snprintf(drafts, sizeof drafts, "/api/v1/events?%s&status=all", range);
    ha_call(w->s, &w->u[ADMIN], "GET", drafts, NULL, &r);
    CHECK(r.status == 200 && strstr(occurrences_in(&r, id), "2026-10-17T19:00:00+03:00"),
          "status=all as admin lists the draft: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    CHECK_INT("status=draft as anonymous", call_status(w, -1, "GET", drafts, NULL), 403);
    CHECK_INT("status=draft as citizen", call_status(w, CITIZEN, "GET", drafts, NULL), 403);
    CHECK_INT("status=draft as other staff", call_status(w, CLEANING, "GET", drafts, NULL), 403);
    CHECK_INT("status=bogus", call_status(w, TOURISM, "GET", "/api/v1/events?status=bogus", NULL),
              400);

    ha_call(w->s, &w->u[TOURISM], "GET", path, NULL, &r);
    CHECK(r.status == 200, "draft GET as tourism: %ld", r.status);
    json_t *p = json_object_get(r.json, "properties");
    CHECK_STR("status", json_string_value(json_object_get(p, "status")), "draft");
    CHECK_STR("rrule", json_string_value(json_object_get(p, "rrule")), "FREQ=WEEKLY;COUNT=4");
    CHECK_STR("starts_at", json_string_value(json_object_get(p, "starts_at")),
              "2026-10-17T19:00:00+03:00");
    CHECK_STR("tzid", json_string_value(json_object_get(p, "tzid")), "Europe/Athens");
    h_resp_free(&r);

    snprintf(path, sizeof path, "/api/v1/events/%ld/publish", id);
    CHECK_INT("publish as citizen", call_status(w, CITIZEN, "POST", path, NULL), 403);
    CHECK_INT("publish as other staff", call_status(w, CLEANING, "POST", path, NULL), 403);
    CHECK_INT("publish as tourism", call_status(w, TOURISM, "POST", path, NULL), 200);
    CHECK_INT("publish again", call_status(w, TOURISM, "POST", path, NULL), 409);
    snprintf(path, sizeof path, "/api/v1/events/%ld", id);
    CHECK_INT("published GET as anonymous", call_status(w, -1, "GET", path, NULL), 200);

    /* 19:00 local every week, +03:00 before the change and +02:00 after */
    CHECK_STR("occurrences in October-November", list(w, range, id),
              "2026-10-17T19:00:00+03:00|2026-10-17T21:00:00+03:00\n"
              "2026-10-24T19:00:00+03:00|2026-10-24T21:00:00+03:00\n"
              "2026-10-31T19:00:00+02:00|2026-10-31T21:00:00+02:00\n"
              "2026-11-07T19:00:00+02:00|2026-11-07T21:00:00+02:00\n");
    /* a date range: just what is inside (a date "to" takes the whole day) */
    CHECK_STR("occurrences 20 Oct - 1 Nov", list(w, "from=2026-10-20&to=2026-11-01", id),
              "2026-10-24T19:00:00+03:00|2026-10-24T21:00:00+03:00\n"
              "2026-10-31T19:00:00+02:00|2026-10-31T21:00:00+02:00\n");
    CHECK_STR("occurrences by instants",
              list(w, "from=2026-10-31T16:59:00Z&to=2026-11-07T17:00:00Z", id),
              "2026-10-31T19:00:00+02:00|2026-10-31T21:00:00+02:00\n");
    struct h_resp en;
    h_get(w->s, "/api/v1/events?from=2026-10-17&to=2026-10-18&lang=en&limit=100", &en);
    char title[64];
    char *compact = json_dumps(en.json, JSON_COMPACT);
    snprintf(title, sizeof title, "\"title\":\"Concert %s\"", w->tag);
    CHECK_HAS("list in English", compact ? compact : "", title);
    free(compact);
    h_resp_free(&en);
    CHECK_STR("category filter", list(w, "from=2026-10-01&to=2026-11-30&category=market", id),
              "");
    CHECK_STR("bbox elsewhere", list(w, "from=2026-10-01&to=2026-11-30&bbox=22,40,22.1,40.1", id),
              "");
    /* the default list starts now (2026-11-23 or later): this one is past */
    CHECK_STR("past event not in the default list", list(w, "category=concert&limit=100", id),
              "");
}

/* A published event a week ahead shows in the default list. */
static void future_event(struct world *w)
{
    time_t t = time(NULL) + 7 * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    char start[32], end[32], fields[512];
    strftime(start, sizeof start, "%Y-%m-%dT10:00:00Z", &tm);
    strftime(end, sizeof end, "%Y-%m-%dT12:00:00Z", &tm);
    snprintf(fields, sizeof fields,
             "\"title_el\":\"Συνέδριο %s\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
             "\"category\":\"conference\"," VENUE,
             w->tag, start, end);
    long id = create_event(w, ADMIN, fields, 201);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/events/%ld/publish", id);
    CHECK_INT("publish as admin", call_status(w, ADMIN, "POST", path, NULL), 200);
    char *occ = list(w, "category=conference&limit=100", id);
    CHECK(strlen(occ) > 0, "a future event is in the default list");
    /* archived: gone for the public */
    snprintf(path, sizeof path, "/api/v1/events/%ld/archive", id);
    CHECK_INT("archive as other staff", call_status(w, CLEANING, "POST", path, NULL), 403);
    CHECK_INT("archive as tourism", call_status(w, TOURISM, "POST", path, NULL), 200);
    CHECK_STR("archived: not in the list", list(w, "category=conference&limit=100", id), "");
    snprintf(path, sizeof path, "/api/v1/events/%ld", id);
    CHECK_INT("archived GET as anonymous", call_status(w, -1, "GET", path, NULL), 404);
    CHECK_INT("archived GET as tourism", call_status(w, TOURISM, "GET", path, NULL), 200);
}

/* ---- who may write, bad input ---- */

static void forbidden_and_bad(struct world *w, long id)
{
    /* the refused writes are all on 5 December 2026 or about event id:
     * rows of this test's own (other tests write events at the same time) */
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%ld", id);
    static const char in_window[] = "starts_at >= '2026-12-04' AND starts_at < '2026-12-07'";
    static const char own_occurrences[] =
        "event_id = $1::bigint OR event_id IN (SELECT id FROM events WHERE starts_at >= "
        "'2026-12-04' AND starts_at < '2026-12-07')";
    char events_where[200];
    snprintf(events_where, sizeof events_where, "(%s) AND $1::bigint IS NOT NULL", in_window);
    long events = ha_count_where(w->db, "events", events_where, id_text),
         occ = ha_count_where(w->db, "event_occurrences", own_occurrences, id_text);
    const char *ok = "\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\","
                     "\"ends_at\":\"2026-12-05T21:00:00\",\"category\":\"theatre\"," VENUE;
    create_event(w, CITIZEN, ok, 403);
    create_event(w, CLEANING, ok, 403);
    CHECK_INT("anonymous create", call_status(w, -1, "POST", "/api/v1/events", "{}"), 401);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/events/%ld", id);
    CHECK_INT("PATCH as other staff", call_status(w, CLEANING, "PATCH", path, "{\"title_el\":\"x\"}"),
              403);
    CHECK_INT("PATCH unknown id", call_status(w, TOURISM, "PATCH", "/api/v1/events/999999999",
                                              "{\"title_el\":\"x\"}"), 404);

    static const struct {
        const char *fields, *field;
    } bad[] = {
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T18:00:00\","
         "\"category\":\"theatre\"," VENUE, "ends_at"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00+02:00\","
         "\"ends_at\":\"2026-12-05T17:00:00Z\",\"category\":\"theatre\"," VENUE, "ends_at"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"rrule\":\"FREQ=HOURLY;COUNT=3\"," VENUE, "rrule"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"rrule\":\"FREQ=WEEKLY;COUNT=2;UNTIL=20270101T000000Z\"," VENUE,
         "rrule"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"rrule\":\"FREQ=WEEKLY;BYDAY=XX\"," VENUE, "rrule"},
        /* 2026-12-05 is a Saturday: a Monday rule does not start there */
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"rrule\":\"FREQ=WEEKLY;BYDAY=MO\"," VENUE, "rrule"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"venue_poi_id\":999999999", "venue_poi_id"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\"", "venue_poi_id"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"lat\":41.09", "lon"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"tzid\":\"Mars/Olympus\"," VENUE, "tzid"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"colour\":\"red\"," VENUE, "colour"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"rave\"," VENUE, "category"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"tomorrow\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\"," VENUE, "starts_at"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-02-30T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\"," VENUE, "starts_at"},
        {"\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\"," VENUE, "title_el"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"url\":\"javascript:alert(1)\"," VENUE, "url"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"titles\":{\"de\":7}," VENUE, "titles"},
        {"\"title_el\":\"Χ\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
         "\"category\":\"theatre\",\"lat\":91,\"lon\":23.5", "lat"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[2048];
        snprintf(body, sizeof body, "{%s}", bad[i].fields);
        struct h_resp r;
        ha_call(w->s, &w->u[TOURISM], "POST", "/api/v1/events", body, &r);
        CHECK_PROBLEM(bad[i].fields, &r, 422, bad[i].field);
        h_resp_free(&r);
    }
    /* a title of 301 characters */
    char longtitle[1024] = "\"title_el\":\"";
    for (int i = 0; i < 301; i++)
        strcat(longtitle, "a");
    strcat(longtitle, "\",\"starts_at\":\"2026-12-05T19:00:00\",\"ends_at\":\"2026-12-05T21:00:00\","
                      "\"category\":\"theatre\"," VENUE);
    char body[2048];
    snprintf(body, sizeof body, "{%s}", longtitle);
    struct h_resp r;
    ha_call(w->s, &w->u[TOURISM], "POST", "/api/v1/events", body, &r);
    CHECK_PROBLEM("title of 301 characters", &r, 422, "title_el");
    h_resp_free(&r);
    /* PATCH with a bad rule or an end before the stored start */
    ha_call(w->s, &w->u[TOURISM], "PATCH", path, "{\"rrule\":\"FREQ=MINUTELY\"}", &r);
    CHECK_PROBLEM("PATCH rrule", &r, 422, "rrule");
    h_resp_free(&r);
    ha_call(w->s, &w->u[TOURISM], "PATCH", path, "{\"ends_at\":\"2026-10-17T18:00:00\"}", &r);
    CHECK_PROBLEM("PATCH ends_at before the start", &r, 422, "ends_at");
    h_resp_free(&r);
    ha_call(w->s, &w->u[TOURISM], "PATCH", path, "{\"title_el\":null}", &r);
    CHECK_PROBLEM("PATCH title_el null", &r, 422, "title_el");
    h_resp_free(&r);
    /* list parameters */
    h_get(w->s, "/api/v1/events?from=2026-11-30&to=2026-11-01", &r);
    CHECK_PROBLEM("to before from", &r, 400, "to");
    h_resp_free(&r);
    h_get(w->s, "/api/v1/events?from=2026-01-01&to=2027-06-01", &r);
    CHECK_PROBLEM("range over a year", &r, 400, "to");
    h_resp_free(&r);
    h_get(w->s, "/api/v1/events?from=yesterday", &r);
    CHECK_PROBLEM("from not a date", &r, 400, "from");
    h_resp_free(&r);
    h_get(w->s, "/api/v1/events?category=rave", &r);
    CHECK_PROBLEM("unknown category", &r, 400, "category");
    h_resp_free(&r);

    CHECK_INT("no event stored by refused writes",
              ha_count_where(w->db, "events", events_where, id_text), events);
    CHECK_INT("no occurrence stored by refused writes",
              ha_count_where(w->db, "event_occurrences", own_occurrences, id_text), occ);
}

/* PATCH rewrites the occurrences in the same statement, audited. */
static void patch_event(struct world *w, long id)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/events/%ld", id);
    struct h_resp r;
    ha_call(w->s, &w->u[TOURISM], "PATCH", path,
            "{\"rrule\":\"FREQ=WEEKLY;COUNT=3\",\"price\":\"δωρεάν\"}", &r);
    CHECK(r.status == 200, "PATCH: expected 200, found %ld %.300s", r.status, r.body);
    json_t *p = json_object_get(r.json, "properties");
    CHECK_STR("rrule after PATCH", json_string_value(json_object_get(p, "rrule")),
              "FREQ=WEEKLY;COUNT=3");
    CHECK_STR("title kept", json_string_value(json_object_get(p, "title_en")) ? "kept" : "lost",
              "kept");
    h_resp_free(&r);
    char *n = db_value1(w, "SELECT count(*) FROM event_occurrences WHERE event_id = $1::bigint",
                        id);
    CHECK_STR("occurrences after PATCH", n, "3");
    free(n);
    char *audit = db_value1(w, "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log"
                               " WHERE entity = 'event' AND entity_id = $1::text", id);
    CHECK_STR("audit trail", audit, "event.create,event.publish,event.update");
    free(audit);
}

/* ---- the iCalendar feed ---- */

/* RFC 5545 3.1 line by line: CRLF only, at most 75 octets, continuation
 * lines start with a space, every logical line is NAME[;params]:value,
 * BEGIN/END nest and match. Returns the number of problems. */
static int ical_strict(const char *s, size_t len)
{
    int bad = 0, depth = 0;
    char stack[16][32];
    const char *end = s + len;
    char logical[8192];
    size_t ll = 0;
    int lineno = 0;
    while (s < end) {
        const char *crlf = memchr(s, '\r', (size_t)(end - s));
        lineno++;
        if (!crlf || crlf + 1 >= end || crlf[1] != '\n') {
            CHECK(0, "ics line %d does not end in CRLF", lineno);
            return bad + 1;
        }
        size_t n = (size_t)(crlf - s);
        if (memchr(s, '\n', n)) {
            CHECK(0, "ics line %d has a bare LF", lineno);
            bad++;
        }
        if (n > 75) {
            CHECK(0, "ics line %d has %zu octets (at most 75)", lineno, n);
            bad++;
        }
        if (n && (((unsigned char)s[s[0] == ' ' ? 1 : 0]) & 0xC0) == 0x80) {
            CHECK(0, "ics line %d starts inside a UTF-8 character", lineno);
            bad++;
        }
        int continuation = n > 0 && (s[0] == ' ' || s[0] == '\t');
        if (continuation && ll == 0) {
            CHECK(0, "ics line %d continues nothing", lineno);
            bad++;
        }
        const char *next = crlf + 2;
        if (continuation) {
            if (ll + n - 1 < sizeof logical) {
                memcpy(logical + ll, s + 1, n - 1);
                ll += n - 1;
            }
        } else {
            ll = n < sizeof logical ? n : sizeof logical - 1;
            memcpy(logical, s, ll);
        }
        int last_of_logical = next >= end || (*next != ' ' && *next != '\t');
        if (last_of_logical) {
            logical[ll] = '\0';
            size_t name_len = strcspn(logical, ";:");
            if (name_len == 0 || !strchr(logical, ':') ||
                strspn(logical, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-") < name_len) {
                CHECK(0, "ics line %d is not NAME:value: %.60s", lineno, logical);
                bad++;
            } else if (!strncmp(logical, "BEGIN:", 6)) {
                if (depth < 16)
                    snprintf(stack[depth], sizeof stack[0], "%.31s", logical + 6);
                depth++;
            } else if (!strncmp(logical, "END:", 4)) {
                if (depth == 0 || strcmp(stack[depth - 1], logical + 4)) {
                    CHECK(0, "ics line %d: %s does not close %s", lineno, logical,
                          depth ? stack[depth - 1] : "anything");
                    bad++;
                }
                if (depth)
                    depth--;
            }
            ll = 0;
        }
        s = next;
    }
    CHECK(depth == 0, "ics: %d components left open", depth);
    return bad + (depth != 0);
}

static void ical_feed(struct world *w, long id)
{
    struct h_resp r;
    h_get(w->s, "/api/v1/events.ics", &r);
    CHECK(r.status == 200, "GET /api/v1/events.ics: expected 200, found %ld", r.status);
    char *ct = h_resp_header(&r, "content-type");
    CHECK_STR("ics content type", ct, "text/calendar; charset=utf-8");
    free(ct);
    CHECK(r.len > 20 && !strncmp(r.body, "BEGIN:VCALENDAR\r\n", 17), "starts with BEGIN:VCALENDAR");
    CHECK(r.len > 20 && !strcmp(r.body + r.len - 15, "END:VCALENDAR\r\n"),
          "ends with END:VCALENDAR");
    CHECK_HAS("ics", r.body, "\r\nVERSION:2.0\r\n");
    CHECK_HAS("ics", r.body, "\r\nPRODID:");
    CHECK_INT("strict RFC 5545 line problems", ical_strict(r.body, r.len), 0);
    CHECK(strstr(r.body, "\r\n ") != NULL, "the long Greek description is folded");

    /* libical reads it back */
    icalcomponent *cal = icalparser_parse_string(r.body);
    CHECK(cal != NULL, "libical parses the feed");
    if (!cal) {
        h_resp_free(&r);
        return;
    }
    CHECK_STR("VERSION", icalproperty_get_version(
                             icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY)),
              "2.0");
    icalcomponent *tz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
    CHECK(tz != NULL, "a VTIMEZONE");
    if (tz) {
        icaltimezone *z = icaltimezone_new();
        CHECK(icaltimezone_set_component(z, icalcomponent_new_clone(tz)), "VTIMEZONE usable");
        CHECK_STR("VTIMEZONE TZID", icaltimezone_get_tzid(z), "Europe/Athens");
        struct icaltimetype t = icaltime_from_string("20261024T190000");
        int dst;
        CHECK_INT("offset on 24 Oct 19:00", icaltimezone_get_utc_offset(z, &t, &dst), 3 * 3600);
        t = icaltime_from_string("20261031T190000");
        CHECK_INT("offset on 31 Oct 19:00", icaltimezone_get_utc_offset(z, &t, &dst), 2 * 3600);
        icaltimezone_free(z, 1);
    }
    char uid_prefix[48];
    snprintf(uid_prefix, sizeof uid_prefix, "event-%ld@", id);
    int found = 0;
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        const char *uid = icalcomponent_get_uid(ev);
        CHECK(uid && icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY),
              "every VEVENT has UID and DTSTAMP");
        if (!uid || strncmp(uid, uid_prefix, strlen(uid_prefix)))
            continue;
        found++;
        icalproperty *dt = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
        icalparameter *tzp = dt ? icalproperty_get_first_parameter(dt, ICAL_TZID_PARAMETER) : NULL;
        CHECK_STR("DTSTART TZID", tzp ? icalparameter_get_tzid(tzp) : NULL, "Europe/Athens");
        CHECK_STR("DTSTART", dt ? icaltime_as_ical_string(icalproperty_get_dtstart(dt)) : NULL,
                  "20261017T190000");
        icalproperty *de = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
        CHECK_STR("DTEND", de ? icaltime_as_ical_string(icalproperty_get_dtend(de)) : NULL,
                  "20261017T210000");
        icalproperty *rr = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
        struct icalrecurrencetype rt;
        if (rr)
            rt = icalproperty_get_rrule(rr);
        CHECK_STR("RRULE", rr ? icalrecurrencetype_as_string(&rt) : NULL, "FREQ=WEEKLY;COUNT=4");
        /* TEXT escaping undone by the parser gives the text back */
        CHECK_STR("DESCRIPTION", icalcomponent_get_description(ev),
                  "Κάθε Σάββατο, δωρεάν; φέρτε καρέκλα, νερό και καλή διάθεση\n"
                  "Με τη Φιλαρμονική του Δήμου Σερρών και φίλους από όλη την Ελλάδα");
        CHECK_STR("LOCATION", icalcomponent_get_location(ev), "Πλατεία Ελευθερίας");
        icalproperty *geo = icalcomponent_get_first_property(ev, ICAL_GEO_PROPERTY);
        struct icalgeotype g = geo ? icalproperty_get_geo(geo) : (struct icalgeotype){0};
        CHECK(geo && g.lat > 41.09 && g.lat < 41.093 && g.lon > 23.549 && g.lon < 23.55,
              "GEO is the venue");
    }
    CHECK_INT("VEVENTs of the test event", found, 1);
    icalcomponent_free(cal);
    /* English */
    h_resp_free(&r);
    h_get(w->s, "/api/v1/events.ics?lang=en", &r);
    char summary[96];
    snprintf(summary, sizeof summary, "SUMMARY:Concert %s\r\n", w->tag);
    CHECK_HAS("ics in English", r.body, summary);
    h_resp_free(&r);
}

/* A rule without end is cut at the horizon; polis events refresh expands it
 * again (here after its occurrences were lost) and leaves complete ones be. */
static void refresh(struct world *w)
{
    char fields[512];
    snprintf(fields, sizeof fields,
             "\"title_el\":\"Αγορά %s\",\"starts_at\":\"2026-12-05T08:00:00\","
             "\"ends_at\":\"2026-12-05T14:00:00\",\"rrule\":\"FREQ=WEEKLY;BYDAY=SA\","
             "\"category\":\"market\"," VENUE,
             w->tag);
    long id = create_event(w, TOURISM, fields, 201);
    const char *count = "SELECT count(*) FROM event_occurrences WHERE event_id = $1::bigint";
    char *before = db_value1(w, count, id);
    /* two years of Saturdays, not one more */
    CHECK(before && atol(before) >= 100 && atol(before) <= 106,
          "weekly without end: 100 to 106 occurrences up to the horizon, found %s", before);
    char *horizon = db_value1(w, "SELECT expanded_until > now() + interval '729 days'"
                                 " FROM events WHERE id = $1::bigint", id);
    CHECK_STR("expanded_until records the horizon", horizon, "t");
    free(horizon);
    free(db_value1(w, "DELETE FROM event_occurrences WHERE event_id = $1::bigint"
                      " AND starts_at > '2027-01-01' RETURNING 1", id));
    const char *argv[] = {"events", "refresh", NULL};
    CHECK_INT("polis events refresh exit status",
              h_polis_wait(h_polis_spawn(h_shared_dburl(), argv)), 0);
    char *after = db_value1(w, count, id);
    CHECK_STR("occurrences after refresh", after, before);
    free(before);
    free(after);
}

int main(void)
{
    h_init("test_events", 240);
    const char *url = h_shared_dburl();
    struct world w = {0};
    w.db = h_pg_connect(url);
    struct h_server s;
    if (h_server_start(&s, url, NULL) != 0)
        return h_finish();
    w.s = &s;
    snprintf(w.tag, sizeof w.tag, "t%d", (int)getpid());
    static const char *tags[NUSERS] = {"ev-tourism", "ev-admin", "ev-citizen", "ev-cleaning"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&s, w.db, tags[i], &w.u[i]))
            return h_finish();
    ha_set_role(w.db, &w.u[TOURISM], "staff", "tourism");
    ha_set_role(w.db, &w.u[ADMIN], "admin", NULL);
    ha_set_role(w.db, &w.u[CLEANING], "staff", "cleaning");

    long id = dst_event(&w);
    if (id) {
        draft_then_published(&w, id);
        ical_feed(&w, id);
        forbidden_and_bad(&w, id);
        patch_event(&w, id);
    }
    future_event(&w);
    refresh(&w);
    PQfinish(w.db);
    return h_finish();
}
