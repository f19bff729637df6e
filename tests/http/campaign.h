/* The bad-input campaign's parts (test_bad_input_campaign.c runs it; its
 * opening comment says what it does and why). One file per job:
 *  campaign_text.c      the per-request PRNG, growable text, a request's parts
 *  campaign_routes.c    the callers, and real path values for the routes
 *  campaign_query.c     bad path ids and broken query strings
 *  campaign_body.c      broken JSON, Content-Type and multipart bodies
 *  campaign_headers.c   broken headers, and broken HTTP framing on a raw socket
 *  campaign_send.c      one request built and sent (libcurl or the raw socket)
 *  campaign_snapshot.c  every table's row count and md5, before and after */
#ifndef POLIS_TEST_CAMPAIGN_H
#define POLIS_TEST_CAMPAIGN_H

#include "h_accounts.h"
#include "http/exchange.h"

#include <curl/curl.h>
#include <stdint.h>

/* ---- the PRNG and growable text (campaign_text.c) */

uint64_t rng(void);
size_t pick(size_t n);
#define PICK(arr) (arr)[pick(sizeof(arr) / sizeof((arr)[0]))]

struct sb {
    char *p;
    size_t len, cap;
};
void sb_addn(struct sb *b, const void *s, size_t n);
void sb_add(struct sb *b, const char *s);
void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_repeat(struct sb *b, const char *s, size_t times);

/* ---- the callers and the routes (campaign_routes.c) */

enum { WHO_ANON, WHO_CITIZEN, WHO_STAFF, WHO_ADMIN, WHO_KEY, NWHO };
#define NCOLLECTIONS 3 /* see collections[] */
extern const char *const who_name[NWHO];
/* The collections (and tile layers) the campaign reads. */
extern const char *const collections[NCOLLECTIONS];

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

int is_bodiless_action(const struct route *r);
int is_read(const struct route *r);
const char *real_param(const struct world *w, const struct route *r, int idx,
                       int collection);

/* ---- one request (campaign_text.c) and its defects */

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
extern const char *const kind_name[NKINDS];

/* Seeds the PRNG for request (phase, route, caller, kind): each request is
 * the same whatever ran before it, or on which thread. */
void seed_request(uint64_t base, int phase, int ri, int who, enum kind k);

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

void add_header(struct request *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void set_body(struct request *q, const char *content_type);
void request_free(struct request *q);

/* campaign_query.c */
void bad_segment(struct sb *b);
void bad_value(struct sb *b);
void build_query(struct request *q, enum kind k);
/* campaign_body.c */
const char *template_of(const struct route *r);
void body_one_wrong(struct request *q, const char *tmpl);
void body_wrong_types(struct request *q);
void body_not_object(struct request *q);
void body_truncated(struct request *q);
void body_oversized(struct request *q, const struct route *r);
void body_deep(struct request *q);
void body_bytes(struct request *q);
void body_content_type(struct request *q);
void body_multipart(struct request *q);
/* campaign_headers.c */
void header_cookie(struct request *q, const struct world *w, int who);
void header_auth(struct request *q, const struct world *w);
void header_conditional(struct request *q);
void build_raw(struct request *q, const char *headers_block);

/* ---- sending (campaign_send.c) */

struct answer {
    long status;        /* 0: no answer */
    struct sb body;
    char error[256];
    CURL *curl;         /* the handle it came on */
    int stream;         /* text/event-stream: read up to its first bytes */
};

void build_request(struct request *q, const struct world *w, const struct route *r,
                   int who, enum kind k);
void send_curl(CURL *c, const struct h_server *s, struct request *q, struct answer *a);
void send_raw(const struct h_server *s, const struct request *q, struct answer *a);

/* ---- the database (campaign_snapshot.c) */

struct table_sum {
    char *name, *rows, *md5;
    char *text; /* the rows themselves, one a line, for small tables (to show a change) */
};

int snapshot(PGconn *db, struct table_sum **out);
void snapshot_free(struct table_sum *t, int n);
void print_missing(const char *label, const char *a, const char *b);
char *next_xid(PGconn *db);

#endif
