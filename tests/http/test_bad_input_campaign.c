/* The bad-input campaign (issue #14): more than 10,000 malformed requests
 * spread over EVERY route of the router's own table (polis_routes, linked
 * from polis_core, so a route added later is covered without touching this
 * file), sent anonymously, as a citizen, a staff member, an admin and with
 * an admin's API key. Each request carries one kind of defect: a bad path
 * id, a broken or huge query string, invalid UTF-8, NUL bytes, wrong JSON
 * types (also one wrong member in an otherwise valid body), oversized,
 * truncated or deeply nested JSON, JSON that is not an
 * object, a wrong Content-Type, broken multipart bodies, bad headers, or
 * broken HTTP framing (sent on a raw socket, which libcurl cannot do).
 * First one request at a time (every route x caller x kind), then each route
 * and kind again from 8 clients at once, so requests queue for database
 * connections.
 *
 * A user would notice: any 5xx, a server that is gone, a request that got no
 * answer, a file outside the web root served, a mistake the API silently
 * ignored, or data changed by a request that should have been refused. So
 * the test asserts zero 5xx, an answer to every request whose HTTP framing
 * is sound, the process alive and /healthz 200 after each route's batch, a
 * 4xx for an unknown query parameter on the JSON and OGC APIs, and a
 * database identical before and after (row count and md5 of every table of
 * the public and layers schemas, computed in SQL).
 *
 * Deterministic: every choice comes from a PRNG seeded per request from a
 * fixed seed (POLIS_CAMPAIGN_SEED overrides it to explore), so a request is
 * the same whatever ran before it. Own cluster, loaded with the demo and two
 * imported layers, so the other tests' writes to the shared database never
 * show up as changes here. The summary (requests and statuses per route)
 * goes to stderr. */
#include "../unit/photo_fixtures.h"
#include "h_accounts.h"
#include "http/exchange.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* ------------------------------------------------------------ PRNG */

static _Thread_local uint64_t rng_state; /* see seed_request */

static uint64_t rng(void)
{
    /* xorshift64*: small, and the same sequence on every machine */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static size_t pick(size_t n)
{
    return (size_t)(rng() % n);
}

#define PICK(arr) (arr)[pick(sizeof(arr) / sizeof((arr)[0]))]

/* ------------------------------------------------------------ growable text */

struct sb {
    char *p;
    size_t len, cap;
};

static void sb_addn(struct sb *b, const void *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p)
            h_fatal("out of memory");
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_add(struct sb *b, const char *s)
{
    sb_addn(b, s, strlen(s));
}

static void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sb *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        sb_addn(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_addn(b, big, (size_t)n);
    free(big);
}

static void sb_repeat(struct sb *b, const char *s, size_t times)
{
    for (size_t i = 0; i < times; i++)
        sb_add(b, s);
}

/* ------------------------------------------------------------ the world */

enum { WHO_ANON, WHO_CITIZEN, WHO_STAFF, WHO_ADMIN, WHO_KEY, NWHO };
#define NCOLLECTIONS 3 /* see collections[] */
static const char *const who_name[NWHO] = {"anonymous", "citizen", "staff", "admin",
                                           "admin API key"};

struct world {
    struct h_server *s;
    struct ha_user u[NWHO]; /* citizen, staff, admin signed in with a session */
    char key[128];          /* the admin's API key, all scopes */
    char boundary_id[32], report_id[32], event_id[32], poi_id[32], school_id[32],
        category_id[32], citizen_id[32], subscription_id[32];
    char open311_request[48]; /* the report as "{id}.json" */
    char report_photo[32], poi_photo[32];
    char tilejson[NCOLLECTIONS][48]; /* "{layer}.json" */
};

/* Non-GET routes that need no input but the path: with a real id and valid
 * credentials, ANY request is a valid one (it publishes, deletes, follows,
 * signs out...), whatever else is wrong with it. So on these the path ids
 * are never real, and where there is no id (logout, DELETE /api/v1/me) the
 * signed-in callers send a wrong CSRF token or an unknown key. A route of
 * this kind added later without a row here shows up as a database change. */
static const char *const bodiless_actions[][2] = {
    {"POST", "/api/v1/auth/logout"},
    {"DELETE", "/api/v1/me"},
    {"DELETE", "/api/v1/me/keys/{id}"},
    {"POST", "/api/v1/reports/{id}/support"},
    {"POST", "/api/v1/reports/{id}/follow"},
    {"DELETE", "/api/v1/reports/{id}/follow"},
    {"DELETE", "/api/v1/me/subscriptions/{id}"},
    {"POST", "/api/v1/me/inbox/{id}/read"},
    {"POST", "/api/v1/events/{id}/publish"},
    {"POST", "/api/v1/events/{id}/archive"},
    {"POST", "/api/v1/pois/{id}/publish"},
    {"POST", "/api/v1/pois/{id}/archive"},
    {"POST", "/api/v1/pois/{id}/draft"},
    {"DELETE", "/api/v1/pois/{id}/photos/{photo}"},
};

static int is_bodiless_action(const struct route *r)
{
    for (size_t i = 0; i < sizeof bodiless_actions / sizeof bodiless_actions[0]; i++)
        if (!strcmp(r->method, bodiless_actions[i][0]) &&
            !strcmp(r->pattern, bodiless_actions[i][1]))
            return 1;
    return 0;
}

static int is_read(const struct route *r)
{
    return !strcmp(r->method, "GET");
}

/* The collections (and tile layers) the campaign reads: the boundaries, a
 * public imported layer and a staff one (404 to others), each with a
 * feature id that exists. */
static const char *const collections[NCOLLECTIONS] = {"boundaries", "parking",
                                                      "parking_staff"};

/* A real value for path parameter number idx of route r, or NULL;
 * collection picks one of collections[]. */
static const char *real_param(const struct world *w, const struct route *r, int idx,
                              int collection)
{
    const char *p = r->pattern;
    if (!strncmp(p, "/api/v1/boundaries/", 19))
        return w->boundary_id;
    if (!strncmp(p, "/ogc/collections/", 17))
        return idx == 0 ? collections[collection] : collection ? "1" : w->boundary_id;
    if (!strcmp(p, "/tiles/{layer}"))
        return w->tilejson[collection];
    if (!strncmp(p, "/tiles/{layer}/", 15)) {
        static const char *const tile[] = {NULL, "7", "72", "48.mvt"};
        return idx ? tile[idx] : collections[collection];
    }
    if (!strncmp(p, "/assets/", 8) || !strncmp(p, "/vendor/", 8)) {
        /* {file} comes last; no real asset hash or MapLibre version is known here */
        int file_idx = strstr(p, "{hash}") || strstr(p, "{version}");
        return idx == file_idx ? "app.js" : NULL;
    }
    if (!strncmp(p, "/api/v1/admin/users/", 20))
        return w->citizen_id;
    if (!strncmp(p, "/api/v1/categories/", 19))
        return w->category_id;
    if (!strncmp(p, "/api/v1/reports/", 16))
        return idx == 0 ? w->report_id : w->report_photo;
    if (!strncmp(p, "/api/v1/me/subscriptions/", 25))
        return w->subscription_id;
    if (!strcmp(p, "/open311/v2/{resource}"))
        return is_read(r) ? "services.json" : "requests.json";
    if (!strncmp(p, "/open311/v2/services/", 21))
        return "cleaning.json";
    if (!strncmp(p, "/open311/v2/requests/", 21))
        return w->open311_request;
    if (!strncmp(p, "/api/v1/events/", 15))
        return w->event_id;
    if (!strncmp(p, "/api/v1/schools/", 16))
        return w->school_id;
    if (!strncmp(p, "/api/v1/pois/", 13))
        return idx == 0 ? w->poi_id : w->poi_photo;
    if (!strncmp(p, "/api/v1/poi-categories/", 23))
        return "sight";
    return NULL; /* jobs, keys, inbox, tokens: none exist or none to spare */
}

/* ------------------------------------------------------------ the defects */

/* Path ids none of which names an existing object: no small positive
 * integers, nothing that a lenient integer parser reads as one. */
static const char *const bad_ids[] = {
    "0", "-1", "999999999", "abc", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "99999999999999999999999999999999", "1e309", "-1e309", "NaN",
    "nan", "inf", "-0", "0x10", "1.5", "999999999.0", "..", "%2e%2e", ".", "%00", "%00%00",
    "999999999%00", "%C3%28", "%FF", "%FF%FE%FD", "%C0%AF", "%ED%A0%80", "%F4%90%80%80",
    "%2F", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%252e%252e",
    "%27", "%27%3B%20DROP%20TABLE%20users%3B--", "%22", "%3Cscript%3E", "%0A", "%0D%0A",
    "~", "*", "%20", "%09", "null", "true", "[]", "%7B%7D", "%E2%80%AE", "%EF%BB%BF",
    "999999999.json", "%FF.json", "..%2Fapp.js", "%00.json",
};

/* A long segment: thousands of characters, digits, or invalid bytes. */
static void long_segment(struct sb *b)
{
    static const char *const units[] = {"a", "9", "%FF", "%C3%28", "%00", "%E2%82%AC", ".."};
    const char *u = PICK(units);
    size_t times = 1000 + pick(9000);
    sb_repeat(b, u, times / strlen(u) + 1);
}

static void bad_segment(struct sb *b)
{
    if (pick(8) == 0)
        long_segment(b);
    else
        sb_add(b, PICK(bad_ids));
}

/* Query parameter names the API uses (server/api_*.c), so values reach the
 * handlers' own checks instead of only the unknown-parameter check. */
static const char *const param_names[] = {
    "limit", "offset", "after", "bbox", "lat", "lon", "long", "q", "category", "status",
    "level", "near", "radius", "radius_m", "filter", "filter-lang", "filter-crs", "datetime",
    "f", "secret", "department", "since", "from", "to", "lang", "page", "page_size",
    "service_code", "service_request_id", "start_date", "end_date", "jurisdiction_id",
    "api_key", "crs", "bbox-crs", "properties", "sortby", "email", "role", "until", "kind",
    "t", "token", "mode", "id", "code", "include", "tags",
};

static const char *const bad_values[] = {
    "", "abc", "-1", "-999999999999", "0", "NaN", "nan", "Infinity", "-inf", "1e309",
    "-1e309", "1e-400", "0x1F", "1,2", "1;2", "true", "[]", "{}", "null", "%00", "1%00",
    "%00abc", "%C3%28", "%FF", "%FF%FE", "%C0%80", "%ED%A0%80", "%F8%88%80%80%80",
    "%E2%80%AE", "%27", "%27%20OR%201%3D1--", "%3B", "%25", "%", "%G1", "%2", "+", "++",
    "%2B", "..%2F..%2Fetc%2Fpasswd", "2026-13-45", "2026-02-30T25:61:61Z",
    "2026-01-01T00:00:00+99:99", "9999999999-01-01", "..", "1,2,3", "1,2,3,4,5", ",,,",
    "a,b,c,d", "180,90,-180,-90", "-181,-91,181,91", "NaN,NaN,NaN,NaN",
    "1e309,1,2,3", "23.5,41.0,23.6", "23.5,41.0,23.6,41.1,5", "41.09%0023.5",
    "code%20IN%20(", "name%20%3D%20%27", "S_INTERSECTS(geom,POINT(", "((((((((((((",
    "1%20AND%20", "draft", "all", "archived", "%E2%82%AC%E2%82%AC",
};

static void bad_value(struct sb *b)
{
    if (pick(12) == 0) {
        /* a long value: thousands of bytes */
        static const char *const units[] = {"a", "9", "%FF", "%00", "(", "1,", "%C3%28"};
        const char *u = PICK(units);
        sb_repeat(b, u, 2000 + pick(6000));
    } else {
        sb_add(b, PICK(bad_values));
    }
}

enum kind {
    K_PATH,          /* bad path ids */
    K_Q_REPEAT,      /* the same parameter twice or more */
    K_Q_MANY,        /* a thousand parameters */
    K_Q_UNKNOWN,     /* parameters no route knows */
    K_Q_WRONG_TYPE,  /* the API's parameter names, bad values */
    K_Q_NUMBERS,     /* negative, NaN, 1e309, huge integers */
    K_Q_BBOX,        /* bbox with 3 or 5 numbers, empty, inverted, not numbers */
    K_Q_EMPTY,       /* empty names and values */
    K_Q_UTF8,        /* invalid UTF-8 */
    K_Q_NUL,         /* NUL bytes */
    K_Q_HUGE,        /* a query string of 100 KB and more */
    K_Q_BROKEN,      /* broken syntax: %, &&, == */
    K_B_WRONG_TYPES, /* JSON with wrong types: string for number, object for array, null */
    K_B_ONE_WRONG,   /* a valid body but for one member of the wrong type */
    K_B_NOT_OBJECT,  /* JSON that is not an object */
    K_B_TRUNCATED,   /* JSON cut short */
    K_B_OVERSIZED,   /* bodies over the route's limit */
    K_B_DEEP,        /* deeply nested JSON */
    K_B_BYTES,       /* invalid UTF-8 and NUL bytes in JSON */
    K_B_CONTENT_TYPE, /* wrong or broken Content-Type */
    K_B_MULTIPART,   /* truncated, no boundary, huge part headers, many parts */
    K_H_COOKIE,      /* huge and broken cookies */
    K_H_AUTH,        /* broken Authorization */
    K_H_CONDITIONAL, /* garbage If-None-Match, Range, Accept-Encoding, ... */
    K_RAW,           /* broken HTTP framing on a raw socket */
    NKINDS
};
static const char *const kind_name[NKINDS] = {
    "path", "query:repeat", "query:1000", "query:unknown", "query:wrong-type",
    "query:numbers", "query:bbox", "query:empty", "query:utf8", "query:nul", "query:huge",
    "query:broken", "body:wrong-types", "body:one-wrong", "body:not-object", "body:truncated",
    "body:oversized", "body:deep", "body:bytes", "body:content-type", "body:multipart",
    "header:cookie", "header:auth", "header:conditional", "raw",
};

#define MAX_HEADERS 16

struct request {
    const char *method;
    struct sb target; /* path and query */
    char *headers[MAX_HEADERS];
    int nheaders;
    struct sb body;
    int has_body;
    struct sb raw; /* K_RAW: the bytes sent as they are */
    int may_drop;  /* the framing is broken on purpose: closing without an answer is fine */
    int shut_write; /* K_RAW: half-close after sending (the body is cut short) */
};

static void add_header(struct request *q, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_header(struct request *q, const char *fmt, ...)
{
    if (q->nheaders == MAX_HEADERS)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&q->headers[q->nheaders], fmt, ap) < 0)
        h_fatal("out of memory");
    va_end(ap);
    q->nheaders++;
}

static void set_body(struct request *q, const char *content_type)
{
    q->has_body = 1;
    if (content_type)
        add_header(q, "Content-Type: %s", content_type);
}

static void request_free(struct request *q)
{
    free(q->target.p);
    free(q->body.p);
    free(q->raw.p);
    for (int i = 0; i < q->nheaders; i++)
        free(q->headers[i]);
    memset(q, 0, sizeof *q);
}

/* ---- query strings */

static void query_sep(struct sb *t)
{
    sb_add(t, strchr(t->p, '?') ? "&" : "?");
}

static void build_query(struct request *q, enum kind k)
{
    struct sb *t = &q->target;
    switch (k) {
    case K_Q_REPEAT: {
        const char *name = PICK(param_names);
        for (int i = 0, n = 2 + (int)pick(5); i < n; i++) {
            query_sep(t);
            sb_printf(t, "%s=", name);
            sb_add(t, pick(2) ? "1" : PICK(bad_values));
        }
        break;
    }
    case K_Q_MANY:
        for (int i = 0; i < 1000; i++) {
            query_sep(t);
            if (pick(2))
                sb_printf(t, "p%d=%d", i, i);
            else
                sb_printf(t, "%s=%d", param_names[(size_t)i % (sizeof param_names /
                                                                sizeof param_names[0])], i);
        }
        break;
    case K_Q_UNKNOWN: {
        static const char *const unknown[] = {"foo", "__proto__", "constructor", "limit[]",
                                              "limit[0]", "LIMIT", "Limit", "x-debug",
                                              "callback", "format", "%00", "%FF", "a.b",
                                              "select", "where"};
        query_sep(t);
        sb_printf(t, "%s=", PICK(unknown));
        bad_value(t);
        break;
    }
    case K_Q_WRONG_TYPE:
        for (int i = 0, n = 1 + (int)pick(4); i < n; i++) {
            query_sep(t);
            sb_printf(t, "%s=", PICK(param_names));
            bad_value(t);
        }
        break;
    case K_Q_NUMBERS: {
        static const char *const numbers[] = {
            "-1", "-0", "0", "NaN", "-NaN", "1e309", "-1e309", "1e-309", "Infinity",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "99999999999999999999999999999999999999", "0.0000001",
            "1.", ".5", "1e", "0b101", "0o17", "1_000", "٣", "%D9%A3", "１"};
        static const char *const numeric[] = {"limit", "offset", "lat", "lon", "long",
                                              "radius", "radius_m", "page", "page_size",
                                              "near", "after", "since", "level", "t"};
        for (int i = 0, n = 1 + (int)pick(3); i < n; i++) {
            query_sep(t);
            sb_printf(t, "%s=%s", PICK(numeric), PICK(numbers));
        }
        break;
    }
    case K_Q_BBOX: {
        static const char *const bboxes[] = {
            "23,40,24", "23,40,24,41,5", "", ",", ",,,", "23,40,24,41,", "a,b,c,d",
            "24,40,23,41", "23,41,24,40", "-180,-90,180,90", "NaN,40,24,41", "23,40,24,1e309",
            "-1e309,-1e309,1e309,1e309", "23;40;24;41", "23%2040%2024%2041", "23,40,,41",
            "23.5,41.09,23.5,41.09", "1,1,1,1,1,1,1,1,1,1", "23%0040,24,41", "%FF,40,24,41",
            "200,100,300,120", "23,40,24,41&bbox=1,2,3,4"};
        query_sep(t);
        sb_printf(t, "bbox=%s", PICK(bboxes));
        if (pick(3) == 0)
            sb_printf(t, "&bbox-crs=%s", pick(2) ? "EPSG:99999" : "%FF");
        break;
    }
    case K_Q_EMPTY: {
        static const char *const empties[] = {"limit=", "bbox=", "lat=&lon=", "=", "=1",
                                              "&", "&&&", "q=", "filter=", "status=",
                                              "category=", "f=", "after=", "=&=&="};
        query_sep(t);
        sb_add(t, PICK(empties));
        break;
    }
    case K_Q_UTF8: {
        static const char *const utf8[] = {"%C3%28", "%FF", "%FE%FF", "%C0%AF", "%E0%80%AF",
                                           "%ED%A0%80", "%F4%90%80%80", "%80", "%BF",
                                           "%F0%28%8C%BC", "%E2%28%A1", "a%C3"};
        query_sep(t);
        if (pick(3) == 0)
            sb_printf(t, "%s=1", PICK(utf8)); /* in the name */
        else
            sb_printf(t, "%s=x%s", PICK(param_names), PICK(utf8));
        break;
    }
    case K_Q_NUL: {
        static const char *const nuls[] = {"%00", "1%00", "%001", "a%00b", "%00%00%00",
                                           "23,40%00,24,41", "cleaning%00"};
        query_sep(t);
        if (pick(4) == 0)
            sb_printf(t, "limit%%00=1");
        else
            sb_printf(t, "%s=%s", PICK(param_names), PICK(nuls));
        break;
    }
    case K_Q_HUGE: {
        query_sep(t);
        sb_printf(t, "%s=", PICK(param_names));
        /* 100 KB, and sometimes over h2o's request size limit */
        size_t n = pick(4) == 0 ? 600000 : 100000;
        sb_repeat(t, pick(2) ? "a" : "9", n);
        break;
    }
    case K_Q_BROKEN: {
        static const char *const broken[] = {"%", "%%", "%G1", "%1", "a=%", "a=%%%", "==",
                                             "&=&", "?", "??", "a=1=2", "a==1", ";",
                                             "a;b=1", "#frag", "a=1#", "%26%3D", "[]=1",
                                             "a[b]=1", "a=%u0041", "+=+"};
        query_sep(t);
        sb_add(t, PICK(broken));
        break;
    }
    default:
        break;
    }
}

/* ---- JSON bodies */

/* JSON member names the API reads (server/api_*.c), with what each holds,
 * so every value below is of a type the member cannot take. */
enum jtype { J_STRING, J_NUMBER, J_BOOL, J_ARRAY, J_OBJECT };
static const struct {
    const char *name;
    enum jtype type;
} members[] = {
    {"email", J_STRING}, {"password", J_STRING}, {"new_password", J_STRING},
    {"current_password", J_STRING}, {"token", J_STRING}, {"name", J_STRING},
    {"display_name", J_STRING}, {"phone", J_STRING}, {"role", J_STRING},
    {"category", J_STRING}, {"description", J_STRING}, {"address", J_STRING},
    {"to", J_STRING}, {"body", J_STRING}, {"kind", J_STRING}, {"code", J_STRING},
    {"department", J_STRING}, {"icon", J_STRING}, {"name_el", J_STRING},
    {"name_en", J_STRING}, {"title_el", J_STRING}, {"title_en", J_STRING},
    {"description_el", J_STRING}, {"description_en", J_STRING}, {"rrule", J_STRING},
    {"tzid", J_STRING}, {"starts_at", J_STRING}, {"ends_at", J_STRING},
    {"public_comment", J_STRING}, {"internal_note", J_STRING}, {"opening_hours", J_STRING},
    {"website", J_STRING}, {"contact_email", J_STRING}, {"contact_name", J_STRING},
    {"contact_phone", J_STRING}, {"venue_name", J_STRING}, {"organiser", J_STRING},
    {"lat", J_NUMBER}, {"lon", J_NUMBER}, {"sort_order", J_NUMBER},
    {"venue_poi_id", J_NUMBER}, {"duplicate_of", J_NUMBER}, {"report", J_NUMBER},
    {"active", J_BOOL}, {"private", J_BOOL}, {"free", J_BOOL},
    {"scopes", J_ARRAY}, {"departments", J_ARRAY}, {"tags", J_ARRAY}, {"fields", J_ARRAY},
    {"geometry", J_OBJECT}, {"attributes", J_OBJECT}, {"polygon", J_OBJECT},
    {"names", J_OBJECT}, {"titles", J_OBJECT}, {"descriptions", J_OBJECT},
};

static const char *wrong_value(enum jtype t)
{
    static const char *const for_string[] = {
        "1", "-1", "1.5e308", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":1}",
        "[[[]]]", "{\"$ne\":null}", "0"};
    static const char *const for_number[] = {
        "\"41.09\"", "\"abc\"", "\"NaN\"", "\"1e309\"", "true", "[]", "[41.09]", "{}",
        "{\"value\":1}", "\"\"", "\" 1\""};
    static const char *const for_bool[] = {"\"true\"", "\"yes\"", "1", "0", "[]", "{}",
                                           "\"\"", "[true]"};
    static const char *const for_array[] = {
        "\"read\"", "1", "true", "{}", "{\"0\":\"read\"}", "[1,2]", "[null]", "[true]",
        "[[\"read\"]]", "[{}]"};
    static const char *const for_object[] = {
        "\"Point\"", "1", "true", "[]", "[23.5,41.09]", "\"{}\"", "{\"type\":1}",
        "{\"type\":\"Point\",\"coordinates\":\"x\"}",
        "{\"type\":\"Point\",\"coordinates\":[1e309,1]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1]]]}"};
    switch (t) {
    case J_STRING: return PICK(for_string);
    case J_NUMBER: return PICK(for_number);
    case J_BOOL: return PICK(for_bool);
    case J_ARRAY: return PICK(for_array);
    case J_OBJECT: return PICK(for_object);
    }
    return "[]";
}

/* Valid bodies of the routes that take JSON (as their tests send them): a
 * copy with exactly one member of the wrong type must still be refused, so
 * a check that is missing cannot hide behind another mistake in the body.
 * A route without a row here gets the mixed bodies below only. */
static const struct {
    const char *method, *pattern, *body;
} templates[] = {
    {"POST", "/api/v1/auth/register",
     "{\"email\":\"campaign@test.polis.example\",\"password\":\"campaign passphrase\"}"},
    {"POST", "/api/v1/auth/confirm", "{\"token\":\"not-a-token-but-long-enough\"}"},
    {"POST", "/api/v1/auth/login",
     "{\"email\":\"campaign@test.polis.example\",\"password\":\"campaign passphrase\"}"},
    {"POST", "/api/v1/auth/password",
     "{\"current_password\":\"campaign passphrase\",\"new_password\":\"campaign new pass\"}"},
    {"POST", "/api/v1/auth/reset-request", "{\"email\":\"campaign@test.polis.example\"}"},
    {"POST", "/api/v1/auth/reset",
     "{\"token\":\"not-a-token-but-long-enough\",\"new_password\":\"campaign new pass\"}"},
    {"POST", "/api/v1/me/keys",
     "{\"name\":\"campaign\",\"scopes\":[\"read\"],\"password\":\"campaign passphrase\"}"},
    {"POST", "/api/v1/me/email",
     "{\"new_email\":\"campaign-new@test.polis.example\",\"password\":\"campaign passphrase\"}"},
    {"POST", "/api/v1/auth/email-confirm", "{\"token\":\"not-a-token-but-long-enough\"}"},
    {"POST", "/api/v1/admin/users",
     "{\"email\":\"campaign@test.polis.example\",\"role\":\"citizen\"}"},
    {"POST", "/api/v1/admin/users/{id}/keys", "{\"name\":\"campaign\",\"scopes\":[\"report\"]}"},
    {"POST", "/api/v1/categories",
     "{\"code\":\"campaign\",\"name_el\":\"x\",\"name_en\":\"x\",\"department\":\"cleaning\","
     "\"active\":true,\"private\":false}"},
    {"PATCH", "/api/v1/categories/{id}", "{\"name_en\":\"x\",\"active\":true}"},
    {"POST", "/api/v1/reports",
     "{\"category\":\"cleaning\",\"lat\":41.0917,\"lon\":23.5494,\"description\":\"campaign\"}"},
    {"POST", "/api/v1/reports/{id}/transitions",
     "{\"to\":\"acknowledged\",\"public_comment\":\"x\"}"},
    {"POST", "/api/v1/reports/{id}/messages", "{\"body\":\"campaign\"}"},
    {"POST", "/api/v1/me/subscriptions", "{\"kind\":\"category\",\"category\":\"roads\"}"},
    {"POST", "/api/v1/events",
     "{\"title_el\":\"x\",\"starts_at\":\"2026-10-17T19:00:00\","
     "\"ends_at\":\"2026-10-17T21:00:00\",\"category\":\"concert\",\"lat\":41.0917,"
     "\"lon\":23.5494,\"free\":true}"},
    {"PATCH", "/api/v1/events/{id}", "{\"title_el\":\"x\",\"free\":true}"},
    {"POST", "/api/v1/pois",
     "{\"category\":\"sight\",\"name_el\":\"x\",\"geometry\":{\"type\":\"Point\","
     "\"coordinates\":[23.55,41.09]}}"},
    {"PATCH", "/api/v1/pois/{id}", "{\"name_en\":\"x\",\"tags\":[\"a\"]}"},
    {"POST", "/api/v1/poi-categories",
     "{\"code\":\"campaign\",\"name_el\":\"x\",\"name_en\":\"x\",\"sort_order\":1,"
     "\"active\":true}"},
    {"PATCH", "/api/v1/poi-categories/{code}", "{\"name_en\":\"x\",\"active\":true}"},
};

static const char *template_of(const struct route *r)
{
    for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
        if (!strcmp(r->method, templates[i].method) && !strcmp(r->pattern, templates[i].pattern))
            return templates[i].body;
    return NULL;
}

static enum jtype type_of(const char *member)
{
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
        if (!strcmp(members[i].name, member))
            return members[i].type;
    return J_STRING;
}

/* tmpl with one member (picked at random) replaced by a value of a type
 * it cannot take. */
static void body_one_wrong(struct request *q, const char *tmpl)
{
    json_t *doc = json_loads(tmpl, 0, NULL);
    if (!doc)
        h_fatal("a campaign template is not JSON: %s", tmpl);
    size_t wrong = pick(json_object_size(doc)), i = 0;
    const char *name;
    json_t *value;
    sb_add(&q->body, "{");
    json_object_foreach(doc, name, value) {
        sb_printf(&q->body, "%s\"%s\":", i ? "," : "", name);
        if (i++ == wrong) {
            sb_add(&q->body, wrong_value(type_of(name)));
        } else {
            char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
            sb_add(&q->body, text);
            free(text);
        }
    }
    sb_add(&q->body, "}");
    json_decref(doc);
    set_body(q, "application/json");
}

static void body_wrong_types(struct request *q)
{
    struct sb *b = &q->body;
    sb_add(b, "{");
    int n = 1 + (int)pick(5);
    size_t first = pick(sizeof members / sizeof members[0]);
    for (int i = 0; i < n; i++) {
        size_t m = (first + (size_t)i * 7) % (sizeof members / sizeof members[0]);
        sb_printf(b, "%s\"%s\":%s", i ? "," : "", members[m].name,
                  wrong_value(members[m].type));
    }
    /* null beside them: "absent" to some readers, so never the only defect */
    if (pick(2))
        sb_printf(b, ",\"%s\":null", members[pick(sizeof members / sizeof members[0])].name);
    sb_add(b, "}");
    set_body(q, "application/json");
}

static void body_not_object(struct request *q)
{
    static const char *const docs[] = {
        "[]", "[{}]", "\"x\"", "\"{}\"", "1", "-1", "1e309", "null", "true", "false", "[1,2,3]",
        "[{\"email\":\"a@b.c\"}]", "\"\\u0000\"", "  ", "", "\xEF\xBB\xBF{}", "{}{}", "{} []",
        "{},", "{\"a\":1}}", "{\"a\":1,\"a\":2}"};
    sb_add(&q->body, PICK(docs));
    set_body(q, "application/json");
}

static void body_truncated(struct request *q)
{
    static const char *const full[] = {
        "{\"email\":\"someone@example.org\",\"password\":\"long enough passphrase\"}",
        "{\"category\":\"cleaning\",\"lat\":41.0917,\"lon\":23.5494,\"description\":\"x\"}",
        "{\"name\":\"k\",\"scopes\":[\"read\",\"report\"]}",
        "{\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.55,41.09]},\"name_el\":\"x\"}",
        "{\"to\":\"acknowledged\",\"public_comment\":\"\\u03b1\\u03b2\"}",
        "{\"title_el\":\"\\u03b1\",\"starts_at\":\"2026-12-24T18:00:00+02:00\"}"};
    const char *doc = PICK(full);
    size_t cut = 1 + pick(strlen(doc) - 1); /* at least the '{', never the whole */
    sb_addn(&q->body, doc, cut);
    set_body(q, "application/json");
}

static void body_oversized(struct request *q, const struct route *r)
{
    /* the test server's limits: POLIS_MAX_BODY_KB=64, POLIS_UPLOAD_MAX_MB=1 */
    size_t over = r->body == BODY_UPLOAD ? 1024 * 1024 + 1 + pick(2 * 1024 * 1024)
                                         : 64 * 1024 + 1 + pick(256 * 1024);
    struct sb *b = &q->body;
    switch (pick(3)) {
    case 0: /* one long string member */
        sb_add(b, "{\"description\":\"");
        while (b->len < over)
            sb_add(b, "abcdefghijklmnopqrstuvwxyz0123456789");
        sb_add(b, "\"}");
        break;
    case 1: /* a huge array */
        sb_add(b, "{\"tags\":[");
        while (b->len < over)
            sb_add(b, "\"t\",");
        sb_add(b, "\"t\"]}");
        break;
    default: /* many members */
        sb_add(b, "{");
        for (int i = 0; b->len < over; i++)
            sb_printf(b, "%s\"m%d\":%d", i ? "," : "", i, i);
        sb_add(b, "}");
        break;
    }
    set_body(q, "application/json");
}

static void body_deep(struct request *q)
{
    size_t depth = pick(2) ? 5000 + pick(20000) : 100 + pick(2000);
    struct sb *b = &q->body;
    int objects = (int)pick(2);
    sb_add(b, objects ? "{\"geometry\":" : "{\"fields\":");
    for (size_t i = 0; i < depth; i++)
        sb_add(b, objects ? "{\"a\":" : "[");
    sb_add(b, "1");
    if (pick(3)) /* closed; or left open: deep and truncated */
        for (size_t i = 0; i < depth; i++)
            sb_add(b, objects ? "}" : "]");
    sb_add(b, "}");
    set_body(q, "application/json");
}

static void body_bytes(struct request *q)
{
    static const char *const strings[] = {"\xC3\x28", "\xFF", "\xFE\xFF", "\xC0\xAF",
                                          "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80",
                                          "\\u0000", "\\ud800", "\\udfff", "\\ud800\\u0041",
                                          "\x01\x02\x1f", "\\uZZZZ", "\\x41"};
    struct sb *b = &q->body;
    const char *name = members[pick(sizeof members / sizeof members[0])].name;
    switch (pick(4)) {
    case 0: /* a NUL byte inside the document */
        sb_printf(b, "{\"%s\":\"a", name);
        sb_addn(b, "\0", 1);
        sb_add(b, "b\"}");
        break;
    case 1: /* NUL right after a valid document */
        sb_printf(b, "{\"%s\":1}", name);
        sb_addn(b, "\0\0", 2);
        break;
    case 2: /* in a member name */
        sb_printf(b, "{\"%s%s\":\"x\"}", name, PICK(strings));
        break;
    default:
        sb_printf(b, "{\"%s\":\"x%sy\"}", name, PICK(strings));
        break;
    }
    set_body(q, "application/json");
}

static void body_content_type(struct request *q)
{
    static const char *const types[] = {
        NULL, "text/plain", "application/xml", "application/x-www-form-urlencoded",
        "application/jsonx", "application/json-patch+json", "application/json; charset=utf-16",
        "application/json;;;", "application/json; charset=\xff", "APPLICATION/JSON ",
        "json", "", "*/*", "multipart/form-data", "image/jpeg", "image/png",
        "application/octet-stream", "application/geo+json", "text/json\x01"};
    static const char *const bodies[] = {
        "{\"lat\":\"x\"}", "lat=abc&long=1e309&service_code=%FF&description=%00",
        "service_code=cleaning&lat=NaN&long=23.5&description=x",
        "service_code=&lat=&long=", "%", "a=%&b=%%", "<xml/>", "\x89PNG\r\n\x1a\n",
        "\xFF\xD8\xFF\xE0", "{\"scopes\":\"read\"}"};
    const char *t = PICK(types);
    sb_add(&q->body, PICK(bodies));
    if (pick(6) == 0) { /* a form with a thousand fields, all broken */
        for (int i = 0; i < 1000; i++)
            sb_printf(&q->body, "&f%d=%%FF", i);
    }
    set_body(q, t);
}

static void body_multipart(struct request *q)
{
    struct sb *b = &q->body;
    const char *bd = "campaignB0undary";
    char ct[400];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", bd);
    const char *field = pick(2) ? "file" : "photo";
    switch (pick(8)) {
    case 0: /* truncated: no closing boundary, the file cut short */
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                     "filename=\"x.geojson\"\r\nContent-Type: application/geo+json\r\n\r\n"
                     "{\"type\":\"FeatureCollection\",\"features\":[", bd, field);
        break;
    case 1: /* truncated inside the part headers */
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filena", bd, field);
        break;
    case 2: /* no boundary parameter */
        snprintf(ct, sizeof ct, "%s", PICK(((const char *const[]){
                                      "multipart/form-data", "multipart/form-data; boundary=",
                                      "multipart/form-data; boundary=\"unterminated",
                                      "multipart/form-data; charset=utf-8",
                                      "multipart/mixed; boundary=campaignB0undary"})));
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\nx\r\n--%s--\r\n",
                  bd, field, bd);
        break;
    case 3: { /* a huge part header, and the part is not the file */
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"", bd);
        sb_repeat(b, "n", 20000 + pick(30000));
        sb_printf(b, "\"\r\nX-Junk: ");
        sb_repeat(b, "j", 5000);
        sb_printf(b, "\r\n\r\nvalue\r\n--%s--\r\n", bd);
        break;
    }
    case 4: /* many parts, none of them the file */
        for (int i = 0, n = 1000 + (int)pick(3000); i < n; i++)
            sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"p%d\"\r\n\r\nv\r\n",
                      bd, i);
        sb_printf(b, "--%s--\r\n", bd);
        break;
    case 5: { /* a boundary longer than RFC 2046's 70 characters, body cut */
        struct sb longb = {0};
        sb_repeat(&longb, "b", 100 + pick(2000));
        snprintf(ct, sizeof ct, "multipart/form-data; boundary=%.300s", longb.p);
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\nx", longb.p,
                  field);
        free(longb.p);
        break;
    }
    case 6: /* a part without the blank line after its headers */
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n--%s--\r\n", bd,
                  field, bd);
        break;
    default: /* broken part headers: no name, bad quoting, NUL and invalid UTF-8 */
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s; filename=\"..%%2F"
                     "..%%2Fetc%%2Fpasswd\xff\"\r\nContent-Disposition: form-data; name=\"",
                  bd, field);
        sb_addn(b, "\0\xC3\x28", 3);
        sb_printf(b, "\"\r\n\r\n{}\r\n--%s", bd);
        break;
    }
    set_body(q, ct);
}

/* ---- headers */

static void header_cookie(struct request *q, const struct world *w, int who)
{
    const char *session = who >= WHO_CITIZEN && who <= WHO_ADMIN ? w->u[who].cookie : "x";
    struct sb c = {0};
    switch (pick(6)) {
    case 0: /* the session and a huge cookie beside it */
        sb_printf(&c, "polis_session=%s; junk=", session);
        sb_repeat(&c, "J", 4000 + pick(60000));
        break;
    case 1: /* hundreds of cookies */
        for (int i = 0; i < 500; i++)
            sb_printf(&c, "%sc%d=%d", i ? "; " : "", i, i);
        sb_printf(&c, "; polis_session=%s", session);
        break;
    case 2: /* a session value that is no session */
        sb_add(&c, "polis_session=");
        bad_value(&c);
        break;
    case 3: /* invalid bytes */
        sb_add(&c, "polis_session=\xff\xfe\xC3\x28; \x80=\x81");
        break;
    case 4: /* the cookie twice: garbage first */
        sb_printf(&c, "polis_session=garbage; polis_session=%s", session);
        break;
    default: /* broken syntax */
        sb_add(&c, PICK(((const char *const[]){"=", ";;;;", "polis_session", "polis_session=",
                                               "polis_session=;", "; ; =; ="})));
        break;
    }
    add_header(q, "Cookie: %s", c.p);
    free(c.p);
}

static void header_auth(struct request *q, const struct world *w)
{
    struct sb a = {0};
    switch (pick(9)) {
    case 0: sb_add(&a, "Bearer"); break;
    case 1: sb_add(&a, "Bearer "); break;
    case 2: sb_add(&a, "Basic dXNlcjpwYXNzd29yZA=="); break;
    case 3: sb_add(&a, "Bearer "); sb_repeat(&a, "k", 201 + pick(20000)); break;
    case 4: sb_add(&a, "Bearer \xff\xfe\xC3\x28"); break;
    case 5: sb_printf(&a, "Bearer %s%s", w->key, PICK(((const char *const[]){
                                              "x", " extra", "%00", "\x01", ",", "="}))); break;
    case 6: sb_printf(&a, "Bearer %.20s", w->key); break;
    case 7: sb_add(&a, "Digest username=\"a\", realm=\"polis\""); break;
    default: sb_add(&a, "Bearer %00"); break;
    }
    add_header(q, "Authorization: %s", a.p);
    free(a.p);
}

static void header_conditional(struct request *q)
{
    struct sb v = {0};
    switch (pick(9)) {
    case 0:
        sb_add(&v, "If-None-Match: ");
        sb_add(&v, PICK(((const char *const[]){"\"", "W/", "W/\"", "*, *", "\"a\"\"b\"",
                                              ",,,,", "\xff\xfe", "\"unterminated",
                                              "W/W/W/\"x\""})));
        break;
    case 1:
        sb_add(&v, "If-None-Match: ");
        sb_repeat(&v, "\"x\",", 2000 + pick(10000));
        break;
    case 2:
        sb_add(&v, "If-Modified-Since: ");
        sb_add(&v, PICK(((const char *const[]){"yesterday", "Thu, 99 Foo 99999 99:99:99 GMT",
                                              "", "0", "-1", "\xff"})));
        break;
    case 3:
        sb_add(&v, "Range: ");
        sb_add(&v, PICK(((const char *const[]){"bytes=-", "bytes=5-1",
                                              "bytes=99999999999999999999-",
                                              "bytes=-99999999999999999999", "items=0-1",
                                              "bytes=a-b", "bytes=0-0,-1,1-", "bytes"})));
        break;
    case 4:
        sb_add(&v, "Range: bytes=");
        for (int i = 0; i < 2000; i++)
            sb_printf(&v, "%s%d-%d", i ? "," : "", i, i);
        break;
    case 5:
        sb_add(&v, "Accept-Encoding: ");
        if (pick(2))
            sb_repeat(&v, "gzip;q=0.5, br, ", 1000 + pick(3000));
        else
            sb_add(&v, PICK(((const char *const[]){"gzip;q=nan", "br;q=-1, *;q=2", ";;;",
                                                  "gzip;q=", "\xff", "identity;q=0, *;q=0"})));
        break;
    case 6:
        sb_add(&v, PICK(((const char *const[]){"Accept: application/json;q=abc",
                                              "Accept: */*;;;", "Accept: \xff/\xfe",
                                              "X-Forwarded-For: 999.999.999.999, ::1, junk",
                                              "X-Forwarded-For: \xff\xfe",
                                              "Accept-Language: \xff;q=x", "Origin: null",
                                              "X-CSRF-Token: \xff\xfe",
                                              "Idempotency-Key: \xff\xfe", "Idempotency-Key:",
                                              "Idempotency-Key: a, b", "X-Report-Secret: \xff",
                                              "X-Report-Secret:", "X-Report-Secret: %00"})));
        break;
    case 7:
        sb_add(&v, PICK(((const char *const[]){"Idempotency-Key: ", "X-Report-Secret: "})));
        sb_repeat(&v, "k", 200 + pick(8000));
        break;
    default:
        sb_add(&v, "X-Forwarded-For: ");
        sb_repeat(&v, "1.2.3.4, ", 3000);
        break;
    }
    add_header(q, "%s", v.p);
    free(v.p);
}

/* ---- the raw socket: what libcurl cannot send */

static void build_raw(struct request *q, const char *headers_block)
{
    struct sb *r = &q->raw;
    const char *target = q->target.p;
    switch (pick(9)) {
    case 0: /* Content-Length promises more than comes */
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                     "Content-Length: %d\r\n\r\n{\"email\":", q->method, target, headers_block,
                  1000 + (int)pick(100000));
        q->may_drop = q->shut_write = 1;
        break;
    case 1: /* raw invalid bytes in the request target */
        sb_printf(r, "%s %s\xff\xC3\x28?q=\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                     "Connection: close\r\n\r\n", q->method, target, headers_block);
        break;
    case 2: /* a NUL in the request line or in a header */
    {
        static const char in_line[] = "\0x HTTP/1.1\r\n";
        static const char in_header[] = " HTTP/1.1\r\nX-A: a\0b\r\n";
        sb_printf(r, "%s %s", q->method, target);
        if (pick(2))
            sb_addn(r, in_line, sizeof in_line - 1);
        else
            sb_addn(r, in_header, sizeof in_header - 1);
    }
        sb_printf(r, "Host: 127.0.0.1\r\n%sConnection: close\r\n\r\n", headers_block);
        q->may_drop = 1;
        break;
    case 3: { /* Content-Length that is not a length */
        const char *cl = PICK(((const char *const[]){"-1", "abc", "99999999999999999999",
                                                     "1, 2", "0x10", " ", "1e3"}));
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                     "Content-Length: %s\r\nConnection: close\r\n\r\n[]", q->method, target,
                  headers_block, cl);
        q->may_drop = 1;
        break;
    }
    case 4: /* two different Content-Lengths */
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                     "Content-Length: 2\r\nContent-Length: 40\r\nConnection: close\r\n\r\n[]",
                  q->method, target, headers_block);
        q->may_drop = 1;
        break;
    case 5: /* chunked bodies with broken chunk sizes */
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n%s", q->method,
                  target, headers_block,
                  PICK(((const char *const[]){"zz\r\n[]\r\n0\r\n\r\n",
                                             "FFFFFFFFFFFFFFFFFF\r\n[]\r\n",
                                             "2\r\n[]\r\n", "-2\r\n[]\r\n0\r\n\r\n",
                                             "2;ext=\xff\r\n[]\r\n0\r\n\r\n"})));
        q->may_drop = q->shut_write = 1;
        break;
    case 6: /* header lines that are not headers */
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s\r\nConnection: close\r\n\r\n",
                  q->method, target, headers_block,
                  PICK(((const char *const[]){"NoColonHere", ": empty name", "Bad Name: x",
                                             " folded: continuation", "X-\xff: y",
                                             "X-Long: \xff\xfe\xfd"})));
        q->may_drop = 1;
        break;
    case 7: /* a version that does not exist, or none */
        sb_printf(r, "%s %s %s\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n", q->method,
                  target, PICK(((const char *const[]){"HTTP/9.9", "HTTP/1.1.1", "HTTP/",
                                                     "FOO/1.1", ""})),
                  headers_block);
        q->may_drop = 1;
        break;
    default: /* the request stops in the middle of the headers */
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sX-Cut: ", q->method, target,
                  headers_block);
        q->may_drop = q->shut_write = 1;
        break;
    }
}

/* ------------------------------------------------------------ building one request */

/* Fills in the route's path: real ids where that cannot make a valid
 * request of an action, bad ones otherwise (always in K_PATH). */
static void build_path(struct request *q, const struct world *w, const struct route *r,
                       enum kind k)
{
    int nparams = 0;
    for (const char *p = r->pattern; (p = strchr(p, '{')); p++)
        nparams++;
    int bad_one = k == K_PATH && nparams ? (int)pick((size_t)nparams) : -1;
    int collection = (int)pick(NCOLLECTIONS);
    int idx = 0;
    for (const char *p = r->pattern; *p;) {
        if (*p != '{') {
            sb_addn(&q->target, p++, 1);
            continue;
        }
        const char *real = real_param(w, r, idx, collection);
        if (idx == bad_one || !real || is_bodiless_action(r) || (k == K_PATH && pick(3) == 0))
            bad_segment(&q->target);
        else
            sb_add(&q->target, real);
        p = strchr(p, '}') + 1;
        idx++;
    }
}

/* The caller's credentials; on a bodiless action without a path id a
 * signed-in caller sends a wrong CSRF token or an unknown key (see
 * bodiless_actions). */
static void add_identity(struct request *q, const struct world *w, const struct route *r,
                         int who, int wrong)
{
    if (who == WHO_KEY) {
        add_header(q, "Authorization: Bearer %s%s", w->key, wrong ? "unknown" : "");
    } else if (who != WHO_ANON) {
        add_header(q, "Cookie: polis_session=%s", w->u[who].cookie);
        if (!is_read(r))
            add_header(q, "X-CSRF-Token: %s%s", w->u[who].csrf, wrong ? "wrong" : "");
    }
}

static void build_request(struct request *q, const struct world *w, const struct route *r,
                          int who, enum kind k)
{
    memset(q, 0, sizeof *q);
    q->method = r->method;
    int has_path_params = strchr(r->pattern, '{') != NULL;
    if (k == K_PATH && !has_path_params)
        k = K_Q_WRONG_TYPE; /* nothing to break in the path: break the query instead */
    build_path(q, w, r, k);
    int wrong = is_bodiless_action(r) && !has_path_params;
    if (k == K_H_AUTH) {
        /* a signed-in caller keeps the session: the broken Authorization wins */
        if (who != WHO_ANON && who != WHO_KEY)
            add_identity(q, w, r, who, wrong);
        header_auth(q, w);
    } else if (k == K_H_COOKIE) {
        /* the broken cookies replace the session (some keep it beside them) */
        if (who == WHO_KEY)
            add_identity(q, w, r, who, wrong);
        header_cookie(q, w, who);
        if (who != WHO_ANON && who != WHO_KEY && !is_read(r))
            add_header(q, "X-CSRF-Token: %s%s", w->u[who].csrf, wrong ? "wrong" : "");
    } else {
        add_identity(q, w, r, who, wrong);
    }

    switch (k) {
    case K_Q_REPEAT: case K_Q_MANY: case K_Q_UNKNOWN: case K_Q_WRONG_TYPE: case K_Q_NUMBERS:
    case K_Q_BBOX: case K_Q_EMPTY: case K_Q_UTF8: case K_Q_NUL: case K_Q_HUGE: case K_Q_BROKEN:
        build_query(q, k);
        break;
    case K_B_WRONG_TYPES: body_wrong_types(q); break;
    case K_B_ONE_WRONG:
        if (template_of(r))
            body_one_wrong(q, template_of(r));
        else
            body_wrong_types(q);
        break;
    case K_B_NOT_OBJECT: body_not_object(q); break;
    case K_B_TRUNCATED: body_truncated(q); break;
    case K_B_OVERSIZED: body_oversized(q, r); break;
    case K_B_DEEP: body_deep(q); break;
    case K_B_BYTES: body_bytes(q); break;
    case K_B_CONTENT_TYPE: body_content_type(q); break;
    case K_B_MULTIPART: body_multipart(q); break;
    case K_H_CONDITIONAL: header_conditional(q); break;
    case K_RAW: {
        struct sb hb = {0};
        sb_add(&hb, ""); /* a string even when there are no headers */
        for (int i = 0; i < q->nheaders; i++)
            sb_printf(&hb, "%s\r\n", q->headers[i]);
        build_raw(q, hb.p);
        free(hb.p);
        break;
    }
    default: break;
    }
}

/* ------------------------------------------------------------ sending */

struct answer {
    long status;        /* 0: no answer */
    struct sb body;
    char error[256];
    CURL *curl;         /* the handle it came on */
    int stream;         /* text/event-stream: read up to its first bytes */
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct sb *b = ud;
    /* keep the start only: enough to show and to look for leaks */
    if (b->len < 65536)
        sb_addn(b, p, size * n < 65536 - b->len ? size * n : 65536 - b->len);
    return size * n;
}

/* A Server-Sent Events stream (GET /api/v1/me/stream) never ends: its
 * status and first bytes are the whole answer. */
static size_t on_body_or_stream(char *p, size_t size, size_t n, void *ud)
{
    struct answer *a = ud;
    char *ctype = NULL;
    curl_easy_getinfo(a->curl, CURLINFO_CONTENT_TYPE, &ctype);
    size_t kept = on_body(p, size, n, &a->body);
    a->stream = ctype && !strncmp(ctype, "text/event-stream", 17);
    return a->stream ? 0 : kept;
}

/* One request on a kept-alive libcurl handle (reconnects when the server
 * closed the connection after an error). */
static void send_curl(CURL *c, const struct h_server *s, struct request *q, struct answer *a)
{
    curl_easy_reset(c);
    struct sb url = {0};
    sb_printf(&url, "%s%s", s->base, q->target.p);
    struct curl_slist *hdrs = curl_slist_append(NULL, "Expect:");
    for (int i = 0; i < q->nheaders; i++)
        hdrs = curl_slist_append(hdrs, q->headers[i]);
    int has_ct = 0;
    for (int i = 0; i < q->nheaders; i++)
        has_ct |= !strncasecmp(q->headers[i], "Content-Type:", 13);
    if (q->has_body && !has_ct) /* libcurl would add a form Content-Type: send none */
        hdrs = curl_slist_append(hdrs, "Content-Type:");
    curl_easy_setopt(c, CURLOPT_URL, url.p);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); /* send "..", "%2e%2e" as they are */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    a->curl = c;
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body_or_stream);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
    if (q->has_body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body.len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body.p ? q->body.p : "");
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && a->stream)) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
    } else {
        snprintf(a->error, sizeof a->error, "%s", curl_easy_strerror(rc));
    }
    curl_slist_free_all(hdrs);
    free(url.p);
}

/* Sends q->raw on a new connection and reads the answer's status line
 * (the server closes: every raw request is the connection's last). */
static void send_raw(const struct h_server *s, const struct request *q, struct answer *a)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        snprintf(a->error, sizeof a->error, "connect: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return;
    }
    size_t off = 0;
    while (off < q->raw.len) {
        ssize_t n = send(fd, q->raw.p + off, q->raw.len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may close early on a broken request: read what it said */
        off += (size_t)n;
    }
    if (q->shut_write)
        shutdown(fd, SHUT_WR);
    /* a generous deadline: the answer is an event we wait for, not a timing */
    long long deadline = h_now_ms() + 30000;
    char buf[4096];
    struct sb in = {0};
    for (;;) {
        long long left = deadline - h_now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
            snprintf(a->error, sizeof a->error, "no answer within 30 s");
            break;
        }
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        if (in.len < 65536)
            sb_addn(&in, buf, (size_t)n);
    }
    close(fd);
    int major, minor, status;
    if (in.p && sscanf(in.p, "HTTP/%d.%d %d", &major, &minor, &status) == 3) {
        a->status = status;
        const char *body = strstr(in.p, "\r\n\r\n");
        if (body)
            sb_add(&a->body, body + 4);
    } else if (!a->error[0]) {
        snprintf(a->error, sizeof a->error, "connection closed without an answer");
    }
    free(in.p);
}

/* ------------------------------------------------------------ the database */

/* Columns that legitimately change on reads, left out of the checksums:
 * - sessions.last_seen_at: every signed-in request touches it (at most once a
 *   minute, SESSION_LOOKUP_SQL) for the idle timeout;
 * - api_keys.last_used_at: the same for API keys (API_KEY_LOOKUP_SQL), so
 *   an owner can see a key is in use.
 * Every other column of every table is compared. */
static const char *const volatile_columns = "{public.sessions.last_seen_at,"
                                            "public.api_keys.last_used_at}";

struct table_sum {
    char *name, *rows, *md5;
    char *text; /* the rows themselves, one a line, for small tables (to show a change) */
};

/* Row count and md5 of every table of the public and layers schemas; the
 * layer versions are compared as the view layer_versions reads them, since
 * the fan-out job folds layer_changes into layer_version_base at any time
 * without changing a version (sql/026_write_path.sql). The
 * statement for each table is built by SQL itself (format %I quoting). */
static int snapshot(PGconn *db, struct table_sum **out)
{
    const char *params[] = {volatile_columns};
    PGresult *list = PQexecParams(
        db,
        "SELECT t.table_schema || '.' || t.table_name,"
        "  format('SELECT count(*), md5(coalesce(string_agg(r, E''\\n'' ORDER BY r), '''')),"
        "                 CASE WHEN count(*) <= 300 THEN string_agg(r, E''\\n'' ORDER BY r) END"
        "          FROM (SELECT ROW(%s)::text AS r FROM %I.%I) s',"
        "    (SELECT string_agg(quote_ident(c.column_name), ',' ORDER BY c.ordinal_position)"
        "       FROM information_schema.columns c"
        "      WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name"
        "        AND NOT (c.table_schema || '.' || c.table_name || '.' || c.column_name"
        "                 = ANY ($1::text[]))),"
        "    t.table_schema, t.table_name)"
        " FROM information_schema.tables t"
        " WHERE t.table_schema IN ('public', 'layers')"
        "   AND ((t.table_type = 'BASE TABLE'"
        "         AND (t.table_schema, t.table_name) NOT IN (('public', 'layer_changes'),"
        "                                                  ('public', 'layer_version_base')))"
        "        OR (t.table_schema, t.table_name) = ('public', 'layer_versions'))"
        " ORDER BY 1",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(list) != PGRES_TUPLES_OK)
        h_fatal("listing the tables: %s", PQresultErrorMessage(list));
    int n = PQntuples(list);
    *out = calloc((size_t)n, sizeof **out);
    for (int i = 0; i < n; i++) {
        PGresult *sum = PQexec(db, PQgetvalue(list, i, 1));
        if (PQresultStatus(sum) != PGRES_TUPLES_OK)
            h_fatal("checksum of %s: %s", PQgetvalue(list, i, 0), PQresultErrorMessage(sum));
        (*out)[i].name = strdup(PQgetvalue(list, i, 0));
        (*out)[i].rows = strdup(PQgetvalue(sum, 0, 0));
        (*out)[i].md5 = strdup(PQgetvalue(sum, 0, 1));
        (*out)[i].text = PQgetisnull(sum, 0, 2) ? NULL : strdup(PQgetvalue(sum, 0, 2));
        PQclear(sum);
    }
    PQclear(list);
    return n;
}

static void snapshot_free(struct table_sum *t, int n)
{
    for (int i = 0; i < n; i++) {
        free(t[i].name);
        free(t[i].rows);
        free(t[i].md5);
        free(t[i].text);
    }
    free(t);
}

/* Prints the lines of a that are not in b (rows gone or added). */
static void print_missing(const char *label, const char *a, const char *b)
{
    if (!a)
        return;
    for (const char *line = a; *line;) {
        size_t len = strcspn(line, "\n");
        char *one = strndup(line, len);
        int found = 0;
        for (const char *p = b ? b : ""; !found && (p = strstr(p, one)); p++)
            found = (p == b || p[-1] == '\n') && (p[len] == '\n' || p[len] == '\0');
        if (!found)
            fprintf(stderr, "    %s %.400s\n", label, one);
        free(one);
        line += len + (line[len] == '\n');
    }
}

/* The next transaction id PostgreSQL will hand out: it moves only when
 * something wrote (or tried to), so it points at the request that did. */
static char *next_xid(PGconn *db)
{
    return h_pg_value(db, "SELECT pg_snapshot_xmax(pg_current_snapshot())::text", 0, NULL);
}

/* ------------------------------------------------------------ setup */

static void value_of(PGconn *db, const char *sql, char *out, size_t outlen)
{
    char *v = h_pg_value(db, sql, 0, NULL);
    if (!v)
        h_fatal("the demo data has nothing for: %s", sql);
    snprintf(out, outlen, "%s", v);
    free(v);
}

/* POST as u; returns the "id" of the 201 answer, or fails the test. */
static void create(const struct h_server *s, const struct ha_user *u, const char *path,
                   const char *body, char *id, size_t idlen)
{
    struct h_resp r;
    ha_call(s, u, "POST", path, body, &r);
    if (r.status != 201)
        h_fatal("setup: POST %s: expected 201, found %ld %.300s", path, r.status, r.body);
    snprintf(id, idlen, "%lld", json_integer_value(json_object_get(r.json, "id")));
    h_resp_free(&r);
}

static void setup_world(struct world *w, PGconn *db)
{
    static const char *const tags[NWHO] = {NULL, "campaign-cit", "campaign-staff",
                                           "campaign-admin", NULL};
    for (int who = WHO_CITIZEN; who <= WHO_ADMIN; who++)
        if (ha_new_user(w->s, db, tags[who], &w->u[who]))
            h_fatal("setup: could not make the %s account", who_name[who]);
    /* staff of cleaning and of the tourism office: reaches the POI and event handlers */
    ha_set_role(db, &w->u[WHO_STAFF], "staff", "cleaning,lighting,tourism");
    ha_set_role(db, &w->u[WHO_ADMIN], "admin", NULL);
    snprintf(w->citizen_id, sizeof w->citizen_id, "%ld", w->u[WHO_CITIZEN].id);

    /* the admin's key with every scope */
    long st = ha_make_key(w->s, &w->u[WHO_ADMIN], "campaign", "[\"read\",\"report\",\"staff\"]",
                          w->key, sizeof w->key);
    if (st != 201)
        h_fatal("setup: the admin's API key: expected 201, found %ld", st);
    struct h_resp r;
    /* its first use stamps last_used_at: before the snapshot, not as a change during it */
    ha_call_key(w->s, w->key, "GET", "/api/v1/me", NULL, &r);
    h_resp_free(&r);

    create(w->s, &w->u[WHO_CITIZEN], "/api/v1/reports",
           "{\"category\":\"cleaning\",\"lat\":41.0917,\"lon\":23.5494,"
           "\"description\":\"campaign report\"}", w->report_id, sizeof w->report_id);
    snprintf(w->open311_request, sizeof w->open311_request, "%s.json", w->report_id);
    for (int i = 0; i < NCOLLECTIONS; i++)
        snprintf(w->tilejson[i], sizeof w->tilejson[i], "%s.json", collections[i]);
    create(w->s, &w->u[WHO_CITIZEN], "/api/v1/me/subscriptions",
           "{\"kind\":\"category\",\"category\":\"roads\"}", w->subscription_id,
           sizeof w->subscription_id);
    value_of(db, "SELECT id FROM boundaries WHERE level = 'municipality' AND code = '9054'",
             w->boundary_id, sizeof w->boundary_id);
    value_of(db, "SELECT min(id) FROM events", w->event_id, sizeof w->event_id);
    value_of(db, "SELECT min(id) FROM pois", w->poi_id, sizeof w->poi_id);
    value_of(db, "SELECT min(id) FROM schools", w->school_id, sizeof w->school_id);
    value_of(db, "SELECT min(id) FROM report_categories", w->category_id,
             sizeof w->category_id);

    /* a photo of the report (by its reporter) and of the POI (by the tourism office) */
    char path[128];
    struct h_resp r2;
    snprintf(path, sizeof path, "/api/v1/reports/%s/photos", w->report_id);
    ha_upload(w->s, &w->u[WHO_CITIZEN], path, "image/jpeg", fx_jpeg, sizeof fx_jpeg, &r2);
    if (r2.status != 201)
        h_fatal("setup: POST %s: expected 201, found %ld %.300s", path, r2.status, r2.body);
    snprintf(w->report_photo, sizeof w->report_photo, "%lld",
             json_integer_value(json_object_get(r2.json, "id")));
    h_resp_free(&r2);
    snprintf(path, sizeof path, "/api/v1/pois/%s/photos", w->poi_id);
    ha_upload(w->s, &w->u[WHO_STAFF], path, "image/jpeg", fx_jpeg, sizeof fx_jpeg, &r2);
    if (r2.status != 201)
        h_fatal("setup: POST %s: expected 201, found %ld %.300s", path, r2.status, r2.body);
    snprintf(w->poi_photo, sizeof w->poi_photo, "%lld",
             json_integer_value(json_object_get(r2.json, "id")));
    h_resp_free(&r2);
}

/* ------------------------------------------------------------ the campaign */

#define MAX_SHOWN 40
#define BURST_CLIENTS 8

/* The PRNG state of request (phase, route, caller, kind): each request is
 * the same whatever ran before it, or on which thread (splitmix64). */
static void seed_request(uint64_t base, int phase, int ri, int who, enum kind k)
{
    uint64_t z = base ^ ((uint64_t)phase << 48) ^ ((uint64_t)ri << 24) ^ ((uint64_t)who << 12) ^
                 (uint64_t)k;
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    rng_state = (z ^ (z >> 31)) | 1;
}

struct outcome {
    long status; /* 0: no answer */
    int bad;     /* a 5xx, or no answer to a request whose framing was fine */
    int leak;    /* a path traversal reached a file outside the web root */
    int ignored; /* an unknown query parameter silently ignored by the JSON or OGC API */
};

/* Builds request (phase, ri, who, k), sends it and judges the answer; when
 * it went wrong, what (if not NULL) says what was sent and what came back. */
static void exchange_one(CURL *c, const struct world *w, uint64_t seed, int phase, int ri,
                         int who, enum kind k, struct outcome *o, char *what, size_t whatlen)
{
    const struct route *r = &polis_routes[ri];
    struct request q;
    seed_request(seed, phase, ri, who, k);
    build_request(&q, w, r, who, k);
    struct answer a = {0};
    if (q.raw.len)
        send_raw(w->s, &q, &a);
    else
        send_curl(c, w->s, &q, &a);
    o->status = a.status >= 0 && a.status < 600 ? a.status : 0;
    o->bad = a.status >= 500 || (a.status == 0 && !q.may_drop);
    o->leak = a.body.p && strstr(a.body.p, "root:x:0:0:");
    /* both APIs answer an unknown query parameter with a 400 naming it */
    o->ignored = k == K_Q_UNKNOWN && a.status / 100 == 2 &&
                 (!strncmp(r->pattern, "/api/", 5) || !strncmp(r->pattern, "/ogc", 4));
    if (what) {
        snprintf(what, whatlen, "%s %.200s%s [%s, %s, route %s, body %zu bytes%s] -> %ld%s%s "
                 "%.300s", r->method, q.target.p, q.target.len > 200 ? "..." : "",
                 kind_name[k], who_name[who], r->pattern, q.has_body ? q.body.len : q.raw.len,
                 q.raw.len ? ", raw socket" : "", a.status, a.error[0] ? " " : "", a.error,
                 o->leak      ? "served /etc/passwd"
                 : o->ignored ? "the unknown parameter was ignored"
                 : a.body.p   ? a.body.p
                              : "");
    }
    free(a.body.p);
    request_free(&q);
}

struct tally {
    long by_status[600]; /* [0]: no answer */
    long by_kind[NKINDS];
    long total, failures;
};

static void count(struct tally *t, long *per_route, enum kind k, const struct outcome *o,
                  const char *what)
{
    t->total++;
    t->by_kind[k]++;
    t->by_status[o->status]++;
    per_route[o->status]++;
    if (o->bad || o->leak || o->ignored) {
        if (t->failures++ < MAX_SHOWN)
            CHECK(0, "expected a 4xx (or a 2xx where the defect is harmless, never a file "
                     "outside the web root): %s", what);
    }
}

/* The same process, still answering /healthz. */
static int server_up(struct h_server *s, pid_t pid, const char *after)
{
    struct h_resp r;
    h_get(s, "/healthz", &r);
    int up = h_server_alive(s) && s->pid == pid && r.status == 200;
    h_resp_free(&r);
    CHECK(up, "after %s: expected polis (pid %d) alive with /healthz 200; it is gone (wait "
              "status %d)", after, (int)pid, s->exit_status);
    return up;
}

/* The campaign is cut in shards (POLIS_CAMPAIGN_SHARD="i/n", default "0/1"),
 * each run by its own ctest test on its own cluster, so the routes' requests
 * are sent side by side: route ri belongs to shard ri % n. */
static int shard_index, shard_count = 1;

static void read_shard(void)
{
    const char *v = getenv("POLIS_CAMPAIGN_SHARD");
    if (!v || !*v)
        return;
    int i, n;
    char end;
    if (sscanf(v, "%d/%d%c", &i, &n, &end) != 2 || n < 1 || i < 0 || i >= n)
        h_fatal("POLIS_CAMPAIGN_SHARD: expected i/n with 0 <= i < n, found \"%s\"", v);
    shard_index = i;
    shard_count = n;
}

static int in_shard(int ri)
{
    return ri % shard_count == shard_index;
}

/* Phase 1: every route, every caller, every kind of defect, one at a time;
 * the server checked after each route, and each request that made
 * PostgreSQL hand out a transaction id noted (it wrote, or tried to). */
static void sequential(const struct world *w, uint64_t seed, PGconn *watch, pid_t pid,
                       struct tally *t, long (*per_route)[600])
{
    CURL *c = curl_easy_init();
    char *xid = next_xid(watch), what[1024];
    int writes_shown = 0;
    for (int ri = 0; ri < polis_route_count; ri++) {
        if (!in_shard(ri))
            continue;
        for (int who = 0; who < NWHO; who++)
            for (int k = 0; k < NKINDS; k++) {
                struct outcome o;
                exchange_one(c, w, seed, 1, ri, who, (enum kind)k, &o, what, sizeof what);
                count(t, per_route[ri], (enum kind)k, &o, what);
                char *now = next_xid(watch);
                if (strcmp(now, xid) && writes_shown++ < MAX_SHOWN)
                    fprintf(stderr, "note: the database had a new transaction after %s\n",
                            what);
                free(xid);
                xid = now;
            }
        char after[200];
        snprintf(after, sizeof after, "the requests to %s %s", polis_routes[ri].method,
                 polis_routes[ri].pattern);
        if (!server_up(w->s, pid, after))
            break;
    }
    free(xid);
    curl_easy_cleanup(c);
}

/* Phase 2: each route and kind once more (a caller picked at random), from
 * BURST_CLIENTS clients at once, so requests wait for database connections
 * and statements are prepared while others are queued: the paths one client
 * at a time never takes. */
struct burst {
    const struct world *w;
    uint64_t seed;
    int n;
    _Atomic int next;
    struct outcome *out; /* [n] */
    int *who;            /* [n] */
};

static int burst_who(uint64_t seed, int i)
{
    seed_request(seed, 2, i / NKINDS, 0, (enum kind)(i % NKINDS));
    return (int)pick(NWHO);
}

static void *burst_client(void *arg)
{
    struct burst *b = arg;
    CURL *c = curl_easy_init();
    for (int i; (i = b->next++) < b->n;) {
        if (!in_shard(i / NKINDS))
            continue;
        b->who[i] = burst_who(b->seed, i);
        exchange_one(c, b->w, b->seed, 2, i / NKINDS, b->who[i], (enum kind)(i % NKINDS),
                     &b->out[i], NULL, 0);
    }
    curl_easy_cleanup(c);
    return NULL;
}

static void concurrent(const struct world *w, uint64_t seed, struct tally *t,
                       long (*per_route)[600])
{
    struct burst b = {.w = w, .seed = seed, .n = polis_route_count * NKINDS};
    b.out = calloc((size_t)b.n, sizeof *b.out);
    b.who = calloc((size_t)b.n, sizeof *b.who);
    pthread_t th[BURST_CLIENTS];
    for (int i = 0; i < BURST_CLIENTS; i++)
        if (pthread_create(&th[i], NULL, burst_client, &b))
            h_fatal("pthread_create failed");
    for (int i = 0; i < BURST_CLIENTS; i++)
        pthread_join(th[i], NULL);
    /* judged here, on one thread; a failure is built again to be shown */
    CURL *c = curl_easy_init();
    for (int i = 0; i < b.n; i++) {
        if (!in_shard(i / NKINDS))
            continue;
        char what[1024] = "";
        if (b.out[i].bad || b.out[i].leak || b.out[i].ignored) {
            struct outcome again;
            exchange_one(c, w, seed, 2, i / NKINDS, b.who[i], (enum kind)(i % NKINDS), &again,
                         what, sizeof what);
            snprintf(what + strlen(what), sizeof what - strlen(what),
                     " (with %d clients at once: %ld)", BURST_CLIENTS, b.out[i].status);
        }
        count(t, per_route[i / NKINDS], (enum kind)(i % NKINDS), &b.out[i], what);
    }
    curl_easy_cleanup(c);
    free(b.out);
    free(b.who);
}

static void print_statuses(const long *by_status)
{
    for (int st = 0; st < 600; st++)
        if (by_status[st] && st)
            fprintf(stderr, " %d×%ld", st, by_status[st]);
        else if (by_status[st])
            fprintf(stderr, " no-answer×%ld", by_status[st]);
    fputc('\n', stderr);
}

static void print_summary(const struct tally *t, long (*per_route)[600], double seconds,
                          uint64_t seed)
{
    fprintf(stderr,
            "\nbad-input campaign: %ld requests to the routes of shard %d/%d in %.1f s (seed %llu)\n",
            t->total, shard_index, shard_count, seconds, (unsigned long long)seed);
    for (int ri = 0; ri < polis_route_count; ri++) {
        if (!in_shard(ri))
            continue;
        long n = 0;
        for (int st = 0; st < 600; st++)
            n += per_route[ri][st];
        fprintf(stderr, "  %-6s %-42s %4ld:", polis_routes[ri].method, polis_routes[ri].pattern,
                n);
        print_statuses(per_route[ri]);
    }
    fprintf(stderr, "  by kind:");
    for (int k = 0; k < NKINDS; k++)
        fprintf(stderr, " %s×%ld", kind_name[k], t->by_kind[k]);
    fprintf(stderr, "\n  statuses:");
    print_statuses(t->by_status);
}

int main(void)
{
    h_init("test_bad_input_campaign", 560);
    read_shard();
    const char *seed_env = getenv("POLIS_CAMPAIGN_SEED");
    uint64_t seed = seed_env && *seed_env ? strtoull(seed_env, NULL, 10) : 20261202;

    /* own cluster with the demo: the shared one has other tests writing to it */
    struct h_cluster cl;
    h_cluster_create(&cl);
    static const char *const migrate[] = {"migrate", NULL};
    if (h_polis_wait(h_polis_spawn(cl.url, migrate)) != 0)
        h_fatal("polis migrate on the campaign's cluster failed");
    const char *const demo[] = {"demo", "load", "--data", h_env("POLIS_DATA"), NULL};
    if (h_polis_wait(h_polis_spawn(cl.url, demo)) != 0)
        h_fatal("polis demo load on the campaign's cluster failed");
    /* two imported layers, so the layers schema has tables to compare too */
    char parking[512];
    snprintf(parking, sizeof parking, "%s/thessaloniki_amea_parking_spots.geojson",
             h_env("POLIS_DATA"));
    const char *const import_public[] = {"import", parking, "--as", collections[1], "--public",
                                         NULL};
    const char *const import_staff[] = {"import", parking, "--as", collections[2], "--staff",
                                        NULL};
    if (h_polis_wait(h_polis_spawn(cl.url, import_public)) != 0 ||
        h_polis_wait(h_polis_spawn(cl.url, import_staff)) != 0)
        h_fatal("polis import of %s on the campaign's cluster failed", parking);

    /* no rate limit, cap or busy state can turn a request into a 429 or 503
     * that hides what the handler would have done; small body limits keep the
     * oversized bodies cheap */
    char var[300];
    snprintf(var, sizeof var, "POLIS_VAR=%s", cl.var);
    const char *env[] = {"POLIS_RATE_LOGIN=0", "POLIS_RATE_REGISTER=0", "POLIS_RATE_RESET=0",
                         "POLIS_RATE_ANON_WRITE=0", "POLIS_RATE_USER_WRITE=0",
                         "POLIS_LOGIN_FAILURES=1000", "POLIS_EXPENSIVE_PER_CLIENT=100000",
                         "POLIS_DB_QUEUE_MAX=100000", "POLIS_MAX_BODY_KB=64",
                         "POLIS_UPLOAD_MAX_MB=1", var,
                         "POLIS_PUBLIC_URL=http://polis.campaign.test", NULL};
    struct h_server s;
    if (h_server_start(&s, cl.url, env) != 0)
        return h_finish();
    pid_t pid = s.pid;

    PGconn *db = h_pg_connect(cl.url);
    struct world w = {.s = &s};
    setup_world(&w, db);

    struct table_sum *before;
    int nbefore = snapshot(db, &before);
    PGconn *watch = h_pg_connect(cl.url);

    struct tally t = {0};
    long (*per_route)[600] = calloc((size_t)polis_route_count, sizeof *per_route);
    long long started = h_now_ms();
    sequential(&w, seed, watch, pid, &t, per_route);
    if (h_server_alive(&s)) {
        concurrent(&w, seed, &t, per_route);
        server_up(&s, pid, "the concurrent requests");
    }
    print_summary(&t, per_route, (double)(h_now_ms() - started) / 1000.0, seed);

    CHECK(t.total >= 10000 / shard_count, "expected at least %d requests, sent %ld",
          10000 / shard_count, t.total);
    CHECK(t.failures == 0, "expected no 5xx, no request without an answer and no unknown "
                           "parameter ignored by the API; found %ld (the first %d are listed "
                           "above)", t.failures, MAX_SHOWN);

    /* the database, table by table */
    struct table_sum *after;
    int nafter = snapshot(db, &after);
    CHECK_INT("tables in the public and layers schemas after the campaign", nafter, nbefore);
    for (int i = 0; i < nbefore && i < nafter; i++) {
        CHECK_STR("table name", after[i].name, before[i].name);
        CHECK(!strcmp(after[i].rows, before[i].rows) && !strcmp(after[i].md5, before[i].md5),
              "%s: expected unchanged (%s rows, md5 %s), found %s rows, md5 %s",
              before[i].name, before[i].rows, before[i].md5, after[i].rows, after[i].md5);
        if (strcmp(after[i].md5, before[i].md5)) {
            print_missing("before:", before[i].text, after[i].text);
            print_missing("after: ", after[i].text, before[i].text);
        }
    }
    snapshot_free(before, nbefore);
    snapshot_free(after, nafter);
    free(per_route);
    PQfinish(watch);
    PQfinish(db);
    return h_finish();
}
