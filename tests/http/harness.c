/* HTTP test harness: see harness.h. Sections: checks, cleanup, server,
 * HTTP, PostgreSQL, subcommands. */
#include "harness.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int n_passed, n_failed;
static const char *test_name = "test";

/* ------------------------------------------------------------ checks */

void h_check(int ok, const char *file, int line, const char *fmt, ...)
{
    if (ok) {
        n_passed++;
        return;
    }
    n_failed++;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: FAILED: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void h_check_str(const char *file, int line, const char *what, const char *found,
                 const char *expected)
{
    int ok = found && expected && strcmp(found, expected) == 0;
    h_check(ok, file, line, "%s: expected \"%s\", found %s%s%s", what,
            expected ? expected : "(null)", found ? "\"" : "", found ? found : "(null)",
            found ? "\"" : "");
}

void h_check_has(const char *file, int line, const char *what, const char *haystack,
                 const char *needle)
{
    int ok = haystack && needle && strstr(haystack, needle) != NULL;
    /* Long bodies are cut so the message stays readable. */
    h_check(ok, file, line, "%s: expected to contain \"%s\", found \"%.300s%s\"", what,
            needle, haystack ? haystack : "(null)",
            haystack && strlen(haystack) > 300 ? "..." : "");
}

/* ------------------------------------------------------------ cleanup */

/* What this test started, so exit and signals can stop it. Kept by value:
 * a test's struct h_server or h_cluster may be a local of a function that
 * has returned (or of main, which has returned when exit runs this). */
#define H_MAX 16
static struct h_server servers[H_MAX];   /* pid 0 once stopped or reaped */
static struct h_cluster clusters[H_MAX]; /* var "" once removed */
static int n_servers, n_clusters;
static char own_dbs[H_MAX][64]; /* h_private_db's, "" once dropped */
static int n_own_dbs;

static char temp_dirs[8][64]; /* h_temp_dir */
static int n_temp_dirs;

static void cleanup(void)
{
    for (int i = 0; i < n_servers; i++)
        if (servers[i].pid > 0) {
            kill(servers[i].pid, SIGKILL);
            waitpid(servers[i].pid, NULL, 0);
            servers[i].pid = 0;
        }
    for (int i = 0; i < n_clusters; i++)
        if (clusters[i].var[0]) {
            char cmd[1024];
            h_cluster_db(&clusters[i], "stop");
            snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)sizeof clusters[i].var,
                     clusters[i].var);
            if (system(cmd) != 0)
                fprintf(stderr, "harness: could not remove %s\n", clusters[i].var);
            clusters[i].var[0] = '\0';
        }
    for (int i = 0; i < n_temp_dirs; i++)
        if (temp_dirs[i][0]) {
            char cmd[128];
            snprintf(cmd, sizeof cmd, "rm -rf '%.63s'", temp_dirs[i]);
            if (system(cmd) != 0)
                fprintf(stderr, "harness: could not remove %s\n", temp_dirs[i]);
            temp_dirs[i][0] = '\0';
        }
    for (int i = 0; i < n_own_dbs; i++)
        if (own_dbs[i][0]) {
            PGconn *db = PQconnectdb(h_admin_dburl());
            char sql[128];
            snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %.63s WITH (FORCE)", own_dbs[i]);
            PQclear(PQexec(db, sql));
            PQfinish(db);
            own_dbs[i][0] = '\0';
        }
}

/* A time limit or ctest's SIGTERM: clean up now, the test has failed. */
static void on_signal(int sig)
{
    static const char msg[] = "harness: interrupted (time limit or signal); cleaning up\n";
    if (write(2, msg, sizeof msg - 1) < 0) { /* nothing to do */ }
    cleanup();
    _exit(128 + sig);
}

void h_init(const char *name, int time_limit_s)
{
    test_name = name;
    setvbuf(stdout, NULL, _IOLBF, 0);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGALRM, on_signal);
    alarm(time_limit_s);
    atexit(cleanup);
}

static void print_log_tail(const struct h_server *s)
{
    char *log = h_server_log(s);
    size_t n = strlen(log);
    const char *tail = n > 3000 ? log + n - 3000 : log;
    fprintf(stderr, "---- last lines of %s ----\n%s\n----\n", s->log_path, tail);
    free(log);
}

int h_finish(void)
{
    if (n_failed)
        for (int i = 0; i < n_servers; i++)
            print_log_tail(&servers[i]);
    printf("%s: %d passed, %d failed\n", test_name, n_passed, n_failed);
    return n_failed ? 1 : 0;
}

void h_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FATAL: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    n_failed++;
    exit(h_finish());
}

const char *h_env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        h_fatal("environment variable %s is not set (run the test through ctest)", name);
    return v;
}

void h_require_tool(const char *tool)
{
    const char *path = getenv("PATH");
    char dir[4096];
    for (const char *p = path ? path : ""; *p;) {
        size_t len = strcspn(p, ":");
        snprintf(dir, sizeof dir, "%.*s/%s", (int)len, p, tool);
        if (len && access(dir, X_OK) == 0)
            return;
        p += len;
        p += *p == ':';
    }
    h_fatal("this test runs `%s`, which is not installed (not on PATH); scripts/test installs "
            "it (scripts/lib.sh, POLIS_PACKAGES / POLIS_TEST_PACKAGES)", tool);
}

void h_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

long long h_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------ server */

/* Binds port 0 on loopback to learn a free port. Another process could take
 * it before polis binds it; on a test machine that is rare enough. */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0)
        h_fatal("cannot find a free port: %s", strerror(errno));
    close(fd);
    return ntohs(a.sin_port);
}

int h_server_start(struct h_server *s, const char *dburl, const char *const *extra_env)
{
    static int n_started;
    const char *bin = h_env("POLIS_BIN");
    memset(s, 0, sizeof *s);
    s->port = free_port();
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
    snprintf(s->log_path, sizeof s->log_path, "%s.server%d.log", test_name, n_started++);

    int logfd = open(s->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (logfd < 0)
        h_fatal("cannot create %s: %s", s->log_path, strerror(errno));
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        h_fatal("fork: %s", strerror(errno));
    if (pid == 0) {
        /* The server must not outlive the test, even if the test is SIGKILLed. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        dup2(logfd, 1);
        dup2(logfd, 2);
        /* A server that crashes leaves a core file (named by the kernel's
         * core_pattern, "core" in this directory by default) to read with
         * gdb: a crash seen once in a parallel run could not be reproduced.
         * The sanitized build turns cores off itself and reports instead. */
        struct rlimit core;
        if (getrlimit(RLIMIT_CORE, &core) == 0) {
            core.rlim_cur = core.rlim_max;
            setrlimit(RLIMIT_CORE, &core);
        }
        char listen[64];
        snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
        setenv("POLIS_LISTEN", listen, 1);
        h_use_database(dburl);
        setenv("POLIS_THREADS", "2", 1);
        /* mailed links need it; a test may override or empty it in extra_env */
        setenv("POLIS_PUBLIC_URL", s->base, 1);
        /* Tests run in parallel on the shared database, and a few hold table
         * locks for some seconds (test_sigterm, test_client_gone): a query
         * waiting on one must wait, not time out. A test may set its own. */
        setenv("POLIS_STATEMENT_TIMEOUT_MS", "60000", 1);
        for (int i = 0; extra_env && extra_env[i]; i++)
            putenv((char *)extra_env[i]);
        signal(SIGPIPE, SIG_DFL);
        execl(bin, "polis", "serve", (char *)NULL);
        fprintf(stderr, "harness: cannot run %s: %s\n", bin, strerror(errno));
        _exit(127);
    }
    close(logfd);
    s->pid = pid;
    if (n_servers == H_MAX)
        h_fatal("more than %d servers in one test", H_MAX);
    servers[n_servers++] = *s;

    /* Ready when /healthz answers; give up if it died or never answers. */
    char url[128];
    snprintf(url, sizeof url, "%s/healthz", s->base);
    long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS;
    while (h_now_ms() < deadline) {
        if (!h_server_alive(s)) {
            h_check(0, __FILE__, __LINE__, "polis serve exited during start-up (wait status %d)",
                    s->exit_status);
            print_log_tail(s);
            return -1;
        }
        struct h_resp r;
        h_get_url(url, &r);
        long st = r.status;
        h_resp_free(&r);
        if (st == 200)
            return 0;
        h_sleep_ms(50);
    }
    h_check(0, __FILE__, __LINE__, "polis serve: GET /healthz never answered 200 (waited %d s)",
            H_EVENT_DEADLINE_MS / 1000);
    print_log_tail(s);
    return -1;
}

int h_server_alive(struct h_server *s)
{
    if (s->pid <= 0)
        return 0;
    int st;
    pid_t r = waitpid(s->pid, &st, WNOHANG);
    if (r == s->pid) {
        for (int i = 0; i < n_servers; i++)
            if (servers[i].pid == r)
                servers[i].pid = 0; /* reaped: cleanup must not kill a reused pid */
        s->exit_status = st;
        s->pid = 0;
        return 0;
    }
    return 1;
}

int h_server_wait_exit(struct h_server *s, int timeout_s)
{
    long long deadline = h_now_ms() + timeout_s * 1000LL;
    while (h_now_ms() < deadline) {
        if (!h_server_alive(s))
            return 1;
        h_sleep_ms(50);
    }
    return 0;
}

char *h_server_log(const struct h_server *s)
{
    FILE *f = fopen(s->log_path, "rb");
    char *buf = NULL;
    size_t len = 0;
    if (f) {
        FILE *m = open_memstream(&buf, &len);
        char chunk[8192];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            fwrite(chunk, 1, n, m);
        fclose(m);
        fclose(f);
    }
    return buf ? buf : strdup("");
}

/* ------------------------------------------------------------ PostgreSQL */

const char *h_shared_dburl(void)
{
    static char url[1024];
    if (url[0])
        return url;
    const char *path = h_env("POLIS_TEST_DB_FILE");
    FILE *f = fopen(path, "r");
    if (!f || !fgets(url, sizeof url, f))
        h_fatal("cannot read the fixture's conninfo from %s (did the pg fixture run?)", path);
    fclose(f);
    url[strcspn(url, "\n")] = '\0';
    return url;
}

const char *h_owner_dburl(const char *dburl)
{
    static char owner[2048];
    const char *app = "user=polis_app", *at = strstr(dburl, app);
    if (!at || strlen(dburl) + 8 >= sizeof owner)
        return dburl;
    snprintf(owner, sizeof owner, "%.*suser=polis_owner%s", (int)(at - dburl), dburl,
             at + strlen(app));
    return owner;
}

void h_use_database(const char *dburl)
{
    setenv("POLIS_DATABASE_URL", dburl, 1);
    setenv("POLIS_DATABASE_OWNER_URL", h_owner_dburl(dburl), 1);
}

void h_owner_exec(const char *dburl, const char *sql)
{
    PGconn *db = h_pg_connect(h_owner_dburl(dburl));
    PGresult *res = PQexec(db, sql);
    ExecStatusType st = PQresultStatus(res);
    h_check(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, __FILE__, __LINE__,
            "as the owner: %s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
    PQfinish(db);
}

PGconn *h_pg_connect(const char *conninfo)
{
    PGconn *db = PQconnectdb(conninfo);
    if (PQstatus(db) != CONNECTION_OK)
        h_fatal("cannot connect to %s: %s", conninfo, PQerrorMessage(db));
    return db;
}

char *h_pg_value(PGconn *db, const char *sql, int nparams, const char *const *params)
{
    PGresult *res = PQexecParams(db, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        h_fatal("SQL failed: %s\n  %s", sql, PQresultErrorMessage(res));
    char *v = NULL;
    if (st == PGRES_TUPLES_OK && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
        v = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return v;
}

int h_cluster_db(const struct h_cluster *c, const char *cmd)
{
    char *line = NULL; /* sized for what it holds: paths and cmd have no set bound */
    if (asprintf(&line, "POLIS_VAR='%s' POLIS_PG_FSYNC=off '%s' %s", c->var,
                 h_env("POLIS_DB_SCRIPT"), cmd) < 0)
        h_fatal("out of memory");
    int st = system(line);
    free(line);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int h_cluster_create(struct h_cluster *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->var, sizeof c->var, "/tmp/polis-test-XXXXXX");
    if (!mkdtemp(c->var))
        h_fatal("mkdtemp: %s", strerror(errno));
    /* PostgreSQL runs as user postgres when we are root: it must traverse this. */
    chmod(c->var, 0755);
    if (n_clusters == H_MAX)
        h_fatal("more than %d clusters in one test", H_MAX);
    clusters[n_clusters++] = *c;
    if (h_cluster_db(c, "start") != 0)
        h_fatal("scripts/db start failed for POLIS_VAR=%s", c->var);
    char line[2048];
    snprintf(line, sizeof line, "POLIS_VAR='%s' '%s' url", c->var, h_env("POLIS_DB_SCRIPT"));
    FILE *p = popen(line, "r");
    if (!p || !fgets(c->url, sizeof c->url, p))
        h_fatal("scripts/db url printed nothing for POLIS_VAR=%s", c->var);
    pclose(p);
    c->url[strcspn(c->url, "\n")] = '\0';
    return 0;
}

/* ------------------------------------------------------------ subcommands */

pid_t h_polis_spawn(const char *dburl, const char *const *argv)
{
    const char *bin = h_env("POLIS_BIN");
    const char *args[32] = {"polis"};
    int n = 1;
    for (; argv[n - 1] && n < 31; n++)
        args[n] = argv[n - 1];
    args[n] = NULL;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        h_fatal("fork: %s", strerror(errno));
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        h_use_database(dburl);
        signal(SIGPIPE, SIG_DFL);
        execv(bin, (char *const *)args);
        fprintf(stderr, "harness: cannot run %s: %s\n", bin, strerror(errno));
        _exit(127);
    }
    return pid;
}

int h_polis_wait(pid_t pid)
{
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int h_run(char **out, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p)
        h_fatal("popen %s", cmd);
    char *text = NULL, chunk[4096];
    size_t size = 0, n;
    FILE *m = open_memstream(&text, &size);
    if (!m)
        h_fatal("out of memory");
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(m);
    int st = pclose(p);
    if (out)
        *out = text;
    else
        free(text);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *h_admin_dburl(void)
{
    static char url[1024];
    if (!url[0]) {
        FILE *f = fopen(h_env("POLIS_TEST_DB_ADMIN_FILE"), "r");
        if (!f || !fgets(url, sizeof url, f))
            h_fatal("cannot read POLIS_TEST_DB_ADMIN_FILE %s", h_env("POLIS_TEST_DB_ADMIN_FILE"));
        fclose(f);
        url[strcspn(url, "\n")] = '\0';
    }
    return url;
}

/* The fixture's template is <dbname>_template (pg_fixture.sh). */
const char *h_private_db(const char *tag)
{
    static char url[1024];
    const char *shared = h_shared_dburl();
    const char *at = strstr(shared, "dbname=");
    if (!at)
        h_fatal("no dbname= in the fixture's conninfo: %s", shared);
    char fixture[128], name[160];
    size_t n = strcspn(at + 7, " ");
    snprintf(fixture, sizeof fixture, "%.*s", (int)n, at + 7);
    snprintf(name, sizeof name, "%s_%ld", tag, (long)getpid());
    /* the cluster's superuser makes and drops databases (polis's roles may not) */
    PGconn *db = h_pg_connect(h_admin_dburl());
    char sql[512];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
    PQclear(PQexec(db, sql));
    snprintf(sql, sizeof sql, "CREATE DATABASE %s OWNER polis_owner TEMPLATE %s_template", name,
             fixture);
    PGresult *res = PQexec(db, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        h_fatal("%s: %s", sql, PQerrorMessage(db));
    PQclear(res);
    PQfinish(db);
    if (n_own_dbs < H_MAX) /* dropped at exit, even when the test is cut short */
        snprintf(own_dbs[n_own_dbs++], sizeof own_dbs[0], "%.63s", name);
    snprintf(url, sizeof url, "%.*sdbname=%s%s", (int)(at - shared), shared, name,
             at + 7 + n);
    return url;
}

void h_private_db_drop(const char *url)
{
    const char *at = strstr(url, "dbname=");
    if (!at)
        return;
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %.*s WITH (FORCE)",
             (int)strcspn(at + 7, " "), at + 7);
    PGconn *db = h_pg_connect(h_admin_dburl());
    PQclear(PQexec(db, sql));
    PQfinish(db);
}

void h_tile_of(double lat, double lon, int z, long *x, long *y)
{
    double n = (double)(1L << z), rad = lat * M_PI / 180;
    *x = (long)floor((lon + 180) / 360 * n);
    *y = (long)floor((1 - asinh(tan(rad)) / M_PI) / 2 * n);
}

const char *h_temp_dir(const char *name)
{
    if (n_temp_dirs == (int)(sizeof temp_dirs / sizeof *temp_dirs))
        h_fatal("h_temp_dir: more than %d directories", n_temp_dirs);
    char *dir = temp_dirs[n_temp_dirs];
    snprintf(dir, sizeof temp_dirs[0], "/tmp/polis-%.20s-XXXXXX", name);
    if (!mkdtemp(dir))
        h_fatal("mkdtemp %s: %s", dir, strerror(errno));
    n_temp_dirs++;
    return dir;
}
