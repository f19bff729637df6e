/* HTTP test harness: runs the real `polis serve` against a real PostGIS and
 * talks to it with libcurl, the way a client would.
 *
 * A test calls h_init(), starts a server (h_server_start), makes requests
 * (h_get), checks what a user would see (CHECK_*), and returns h_finish(),
 * which prints "N passed, N failed" and gives the exit status. Whatever the
 * test started (server, private PostgreSQL clusters) is stopped at exit,
 * also when a check fails, the test aborts or the time limit runs out.
 *
 * Environment (set by tests/http/CMakeLists.txt):
 *   POLIS_BIN           the polis binary under test
 *   POLIS_DB_SCRIPT     scripts/db, to create private clusters
 *   POLIS_TEST_DB_FILE  file holding the conninfo of the shared fixture db
 *   POLIS_SQL_DIR       sql/ of the source tree (to count migrations)
 */
#ifndef POLIS_TEST_HARNESS_H
#define POLIS_TEST_HARNESS_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- checks: each prints what was expected and what was found ---- */

void h_check(int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define CHECK(cond, ...) h_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define CHECK_INT(what, found, expected)                                           \
    do {                                                                           \
        long long f_ = (found), e_ = (expected);                                   \
        h_check(f_ == e_, __FILE__, __LINE__, "%s: expected %lld, found %lld",     \
                (what), e_, f_);                                                   \
    } while (0)

#define CHECK_STR(what, found, expected) \
    h_check_str(__FILE__, __LINE__, (what), (found), (expected))
#define CHECK_HAS(what, haystack, needle) \
    h_check_has(__FILE__, __LINE__, (what), (haystack), (needle))

void h_check_str(const char *file, int line, const char *what, const char *found,
                 const char *expected);
void h_check_has(const char *file, int line, const char *what, const char *haystack,
                 const char *needle);

/* Sets up cleanup at exit and on SIGINT/SIGTERM/SIGALRM, and a time limit
 * (seconds) after which the test gives up and cleans up before ctest kills it. */
void h_init(const char *test_name, int time_limit_s);

/* Prints "N passed, N failed" (and the server log's tail on failure);
 * returns the exit status for main. */
int h_finish(void);

/* Records a failure, prints the reason and exits through h_finish. */
void h_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* getenv that exits with a clear message when the variable is missing. */
const char *h_env(const char *name);

/* A command-line tool the test runs (zip, ogrinfo, xmllint...) must be
 * installed: when it is not on PATH the test fails here, naming it, instead
 * of skipping what needs it (scripts/test installs them: POLIS_PACKAGES and
 * POLIS_TEST_PACKAGES in scripts/lib.sh). */
void h_require_tool(const char *tool);

/* ---- the server under test ---- */

struct h_server {
    pid_t pid;              /* 0 once it has exited and been reaped */
    int port;
    char base[64];          /* http://127.0.0.1:PORT */
    char log_path[512];     /* its stderr (access log) */
    int exit_status;        /* wait status once reaped */
};

/* Starts `polis serve` on a free loopback port with POLIS_DATABASE_URL=dburl
 * (and POLIS_DATABASE_OWNER_URL, h_owner_dburl: its upload imports make tables),
 * POLIS_THREADS=2, POLIS_PUBLIC_URL=its own base (for mailed links),
 * POLIS_STATEMENT_TIMEOUT_MS=60000 (a query may wait on another test's lock) and
 * extra_env ("NAME=value", NULL-terminated, may be NULL; "POLIS_PUBLIC_URL="
 * leaves the server without a public address).
 * Returns 0 once GET /healthz answers 200, or -1 (failure recorded) when it
 * never does (H_EVENT_DEADLINE_MS). The server is killed when the test exits. */
int h_server_start(struct h_server *s, const char *dburl, const char *const *extra_env);

/* 1 while the child process is still running (reaps it otherwise). */
int h_server_alive(struct h_server *s);

/* Waits up to timeout_s for the server to exit; returns 1 when it did
 * (wait status in s->exit_status), 0 on timeout. */
int h_server_wait_exit(struct h_server *s, int timeout_s);

/* The server's stderr so far (malloc'd, "" when empty). */
char *h_server_log(const struct h_server *s);

/* ---- HTTP ---- */

/* A response body being received: grows by doubling, so a body of n bytes
 * costs O(n) copying whatever the chunk size (growing by each chunk made a
 * 40 MB OGC page take minutes under ASan, whose realloc always moves). */
struct h_body {
    char *p; /* NUL-terminated once anything arrived */
    size_t len, cap;
};

/* A libcurl CURLOPT_WRITEFUNCTION appending to the struct h_body given as
 * CURLOPT_WRITEDATA; returns 0 (curl then fails the transfer) when out of
 * memory. */
size_t h_body_append(char *data, size_t size, size_t n, void *body);


struct h_resp {
    long status;            /* 0 when no HTTP response arrived */
    char error[256];        /* curl's reason when status is 0 */
    char *body;             /* NUL-terminated; len excludes the NUL */
    size_t len;
    char *headers;          /* raw response header block */
    char media_type[128];   /* Content-Type without parameters, lower case */
    json_t *json;           /* parsed body when it is JSON, else NULL */
};

int h_get(const struct h_server *s, const char *path, struct h_resp *r);
int h_get_url(const char *url, struct h_resp *r);
int h_post(const struct h_server *s, const char *path, const char *content_type,
           const char *body, struct h_resp *r);
/* Any method, with extra header lines ("Name: value", NULL-terminated, may be
 * NULL) and a JSON body (sent as application/json; NULL for none). */
int h_request(const struct h_server *s, const char *method, const char *path,
              const char *const *headers, const char *json_body, struct h_resp *r);
/* One part of a multipart/form-data body: a text field (value), a file from
 * disk (file_path; file_name as sent, default the path's base name) or a
 * file from memory (data, len bytes, file_name). */
struct h_part {
    const char *name;
    const char *value;
    const char *file_path;
    const char *file_name;
    const char *data;
    size_t len;
};

/* A request with everything the shorthands above leave out. */
struct h_req {
    const char *method;         /* NULL: POST with a body, else GET */
    const char *path;           /* below the server's base */
    const char *const *headers; /* "Name: value" lines, NULL-terminated; may be NULL
                                 * ("Expect:" stops curl's 100-continue) */
    const char *content_type;   /* of body or data */
    const char *body;           /* a body that is a string, or NULL */
    const void *data;           /* or a body of data_len raw bytes */
    size_t data_len;
    const struct h_part *parts; /* or a multipart/form-data body */
    int nparts;
    int accept_gzip;            /* ask for gzip and keep the bytes as sent */
    int inflate;                /* ask for gzip and inflate it, as a browser does */
};
int h_send(const struct h_server *s, const struct h_req *q, struct h_resp *r);

/* The first response header called name (malloc'd value), or NULL. */
char *h_resp_header(const struct h_resp *r, const char *name);
void h_resp_free(struct h_resp *r);

/* Checks an RFC 9457 problem: status, application/problem+json, type/title/
 * detail present, "status" member equal; when param is not NULL, errors[]
 * has an entry whose name is param. `what` labels the messages. */
void h_check_problem_at(const char *file, int line, const char *what,
                        const struct h_resp *r, long status, const char *param);
#define CHECK_PROBLEM(what, r, status, param) \
    h_check_problem_at(__FILE__, __LINE__, (what), (r), (status), (param))

/* 1 when a new TCP connection to 127.0.0.1:port is refused. */
int h_connection_refused(int port);

/* ---- PostgreSQL ---- */

/* The shared fixture database's conninfo (from POLIS_TEST_DB_FILE). */
const char *h_shared_dburl(void);

/* The owner role's conninfo for a database whose dburl scripts/db printed
 * (`scripts/db url`: role polis_app): the same with user=polis_owner, as
 * `scripts/db owner-url` prints it. The application role may not create or
 * drop tables; migrate, layer imports and a test's cleanup of its layers
 * use this. Returns dburl itself when it names no polis_app. Static storage:
 * valid until the next call. */
const char *h_owner_dburl(const char *dburl);

/* Sets POLIS_DATABASE_URL=dburl and POLIS_DATABASE_OWNER_URL (h_owner_dburl)
 * for the polis commands the test runs itself (h_run). */
void h_use_database(const char *dburl);

/* Runs sql (one or more statements) on dburl's database as its owner
 * (h_owner_dburl): a test's cleanup of the layer tables it imported. A
 * failure is recorded as a failed check. */
void h_owner_exec(const char *dburl, const char *sql);

/* Connects or exits with the reason. */
PGconn *h_pg_connect(const char *conninfo);

/* The cluster superuser's conninfo (POLIS_TEST_DB_ADMIN_FILE, pg_fixture.sh):
 * only for making and dropping databases. */
const char *h_admin_dburl(void);

/* A database of the test's own (tag_<pid>, tag: lower case letters, digits
 * and _): a copy of the fixture's template, migrated and with the demo data
 * (pg_fixture.sh), made in seconds. For tests whose rows would change what
 * other tests see (routing rules over an area). Returns its conninfo (a
 * static buffer); h_private_db_drop removes it (the fixture's cleanup does
 * otherwise). */
const char *h_private_db(const char *tag);
void h_private_db_drop(const char *url);

/* First column of the first row as a malloc'd string; NULL for SQL NULL or
 * no row. Exits with the server's message if the query fails. */
char *h_pg_value(PGconn *db, const char *sql, int nparams, const char *const *params);

/* A private PostgreSQL + PostGIS cluster (scripts/db with its own POLIS_VAR
 * under /tmp), for tests that need an empty or disposable database.
 * It is stopped and removed at exit. */
struct h_cluster {
    char var[256];
    char url[512];
};
int h_cluster_create(struct h_cluster *c);
/* Runs `scripts/db CMD` (start, stop, ...) for this cluster; returns its exit status. */
int h_cluster_db(const struct h_cluster *c, const char *cmd);

/* ---- running polis subcommands ---- */

/* Starts POLIS_BIN with argv (argv[0] is the subcommand, NULL-terminated)
 * and POLIS_DATABASE_URL=dburl (and its owner's, h_use_database); its output
 * goes to the test's stderr. */
pid_t h_polis_spawn(const char *dburl, const char *const *argv);
/* Waits for a spawned command; returns its exit code, or -1 if it was killed. */
int h_polis_wait(pid_t pid);

/* How long a test waits for an event (a tile refreshed, a job finished, a
 * server gone) before it fails. Generous on purpose: the suite runs tests in
 * parallel on a shared machine, so a test polls until the state it expects
 * (returning as soon as it is there) and asserts that state, never how fast
 * it came. Only a waiting that never ends is a failure. */
#define H_EVENT_DEADLINE_MS 60000

/* Runs a shell command (printf-style); returns its exit status (-1 when it
 * did not exit) and, when out is not NULL, its standard output (malloc'd;
 * add 2>&1 to the command for stderr too). */
int h_run(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sleeps ms milliseconds: only between two polls of a state being waited
 * for, never to let something happen. */
void h_sleep_ms(int ms);

/* A new empty directory /tmp/polis-NAME-XXXXXX, removed when the test
 * exits (a server's POLIS_VAR, say). */
const char *h_temp_dir(const char *name);

/* The Web Mercator (XYZ) tile of zoom z that holds the point lat, lon. */
void h_tile_of(double lat, double lon, int z, long *x, long *y);
/* Monotonic clock in milliseconds. */
long long h_now_ms(void);

#endif
