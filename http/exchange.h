/* One request as polis sees it: the h2o request, its route, its parsed query
 * and the database query it may be waiting on. Allocated in the request's
 * memory pool; when h2o frees the pool the exchange is disposed: metrics and
 * the access-log line are written there, and a query still pending is
 * cancelled so its result can never reach a request that is gone. */
#ifndef POLIS_EXCHANGE_H
#define POLIS_EXCHANGE_H

#include "http/db_pool.h"
#include "http/params.h"
#include "http/polis.h"

#include <h2o.h>
#include <time.h>

#define ROUTE_MAX_PATH_PARAMS 4

struct exchange;
typedef void (*route_handler)(struct exchange *ex);
typedef void (*exchange_result_cb)(struct exchange *ex, PGresult *res);

/* Who may call a route. Every route must say (0 is "not declared" and the
 * server refuses to start): the rule is checked in one place, the router,
 * before any handler runs. Finer rules (own items, own department) are the
 * handler's, on top of this. */
enum route_access {
    ACCESS_UNDECLARED = 0,
    ACCESS_PUBLIC,    /* anyone, signed in or not */
    ACCESS_TOKEN,     /* anyone holding the token in the URL (a mailed one-click link): no
                       * cookie or key is looked up, so no CSRF token is asked for; the
                       * unguessable token is the credential */
    ACCESS_PUBLIC_WHO, /* anyone, but the answer depends on who asks (own items, personal
                        * data): the credential is resolved even for reads */
    ACCESS_SIGNED_IN, /* any account: citizen, staff or admin */
    ACCESS_STAFF,     /* staff or admin */
    ACCESS_ADMIN,     /* admin only */
    ACCESS_METRICS,   /* admin, or the POLIS_METRICS_TOKEN Bearer token (a scraper) */
};

/* Which per-client limit a route meets before it runs (http/request_limits.h);
 * on top of it, every write by a signed-in caller draws from its account's
 * POLIS_RATE_USER_WRITE bucket. */
enum route_rate {
    RATE_NONE = 0,
    RATE_LOGIN,      /* token bucket per client address */
    RATE_REGISTER,
    RATE_RESET,
    RATE_ANON_WRITE, /* writes by callers who are not signed in, per address */
    RATE_EXPENSIVE,  /* reads that may hold a database connection for long (counts, text
                      * search, exports): POLIS_EXPENSIVE_PER_CLIENT at once per client */
};

/* Which body size limit the router applies before the route runs. */
enum route_body {
    BODY_JSON = 0, /* POLIS_MAX_BODY_KB */
    BODY_UPLOAD,   /* POLIS_UPLOAD_MAX_MB: file uploads */
};

/* Whether a route also answers its path with one trailing slash ("/ogc/" as
 * "/ogc"): for the routes whose clients and documents write it both ways.
 * The links polis gives stay the canonical ones, without the slash. */
enum route_slash {
    SLASH_EXACT = 0,
    SLASH_OPTIONAL,
};

struct route {
    const char *method;  /* "GET", "POST", ...; GET routes also answer HEAD */
    const char *pattern; /* "/api/v1/boundaries/{id}": {name} is one path segment */
    route_handler handle;
    enum route_access access;
    enum route_rate rate;
    enum route_body body; /* omitted in api/routes.c: BODY_JSON */
    enum route_slash slash; /* omitted: SLASH_EXACT */
};

enum credential_kind { CRED_NONE, CRED_SESSION, CRED_API_KEY };

#define SCOPE_READ 1u
#define SCOPE_REPORT 2u
#define SCOPE_STAFF 4u
#define IDENTITY_MAX_DEPARTMENTS 32

/* Who is asking, resolved by the router from a session cookie or an API key
 * before the handler runs. All strings live in the request pool. */
struct identity {
    enum credential_kind via;
    long user_id;              /* 0 when anonymous */
    const char *email;
    const char *role;          /* "citizen", "staff", "admin"; NULL when anonymous */
    int rank;                  /* 0 anonymous, 1 citizen, 2 staff, 3 admin */
    long key_id;               /* API key used, or 0 */
    unsigned scopes;           /* SCOPE_* of the API key; all for sessions */
    const char *csrf_token;    /* of the session */
    const char *session_digest; /* of the session, to revoke it on logout */
    long departments[IDENTITY_MAX_DEPARTMENTS];
    int ndepartments;
};

/* Returns the index of the first route without a declared access rule, or -1. */
int routes_first_undeclared(void);

/* The route table, in api/routes.c: every endpoint polis serves. */
extern const struct route polis_routes[];
extern const int polis_route_count;

struct exchange {
    h2o_req_t *req;
    struct polis_worker *worker;
    struct polis_ctx *app;
    int route;                               /* index in polis_routes, -1 when none */
    const char *path_params[ROUTE_MAX_PATH_PARAMS];
    struct params query;                     /* decoded query string */
    struct timespec started;
    struct db_query db;                      /* the query in flight, if any */
    int db_pending;
    exchange_result_cb on_result;
    struct identity who;
    void (*identity_then)(struct exchange *ex, int found); /* see identity_use_api_key */
    struct offload_job *offload;             /* running off the loop for this request */
    char client_ip[64];                      /* the client's address, as text (behind a
                                              * trusted proxy: from X-Forwarded-For) */
    char client_key[64];                     /* its rate-limit key (IPv6: the /64) */
    int limits_hold;                         /* expensive-read slot held + 1, or 0 */
    const char *password_account;            /* whose password this request checks: its
                                              * outcome counts (password_attempt_limited) */
    h2o_linklist_t waiting_db;               /* in the worker's list while db_pending */
    void *handler_data;                      /* per-handler state, in the request pool */
};

/* The h2o handler that routes every request (registered on "/"). */
int router_on_req(h2o_handler_t *self, h2o_req_t *req);


/* The query is no longer awaited (answered, cancelled or the request is
 * going away): off the worker's list of requests waiting on the database. */
void exchange_stop_waiting(struct exchange *ex);

/* Which of the two to call: a statement whose text is a compile-time
 * constant (a const char[] of gis/, auth/) is prepared once per connection
 * and run by name (exchange_query_prepared), sparing PostgreSQL the parse and
 * plan of every call; SQL built at run time goes through exchange_query. */

/* Runs one parameterised query on this thread's pool; cb gets the result on
 * the loop (NULL when the database is unreachable: see respond_db_failure).
 * The array is copied (a stack array is fine); the strings it points at must
 * stay valid until then (use the request pool). */
void exchange_query(struct exchange *ex, const char *sql, int nparams, const char *const *params,
                    exchange_result_cb cb);

/* The same for sql that is a compile-time constant: prepared once per
 * connection (keyed by the text's address), then run by name. Never for SQL
 * built at run time. */
void exchange_query_prepared(struct exchange *ex, const char *sql, int nparams,
                           const char *const *params, exchange_result_cb cb);

/* Runs job->work on the offload pool; job->done comes back on this loop.
 * When the request goes away first, job->cancelled is set before done runs.
 * Returns 0, or -1 after answering 503 when the pool is saturated. */
int exchange_offload(struct exchange *ex, struct offload_job *job);

/* Copies a string into the request pool (for query parameters). */
const char *exchange_strdup(struct exchange *ex, const char *s);
const char *exchange_printf(struct exchange *ex, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The absolute URL of path on this server, as the client addressed it. */
const char *exchange_url(struct exchange *ex, const char *path_and_query);

#endif
