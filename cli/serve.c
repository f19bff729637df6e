/* polis serve: POLIS_THREADS worker threads, each with its own h2o event
 * loop, listening socket (SO_REUSEPORT spreads connections) and database
 * pool. The main thread only waits for SIGTERM/SIGINT and then drains:
 * workers stop accepting, finish the requests in flight, and exit. */
#include "api/tiles.h"
#include "api/web.h"
#include "cli/commands.h"
#include "http/conn_guard.h"
#include "http/exchange.h"
#include "http/layer_listener.h"
#include "http/sse.h"
#include "http/sse_feed.h"
#include "jobs/import_job.h"
#include "jobs/issuing.h"
#include "jobs/receipts.h"
#include "jobs/mail_sender.h"
#include "jobs/digest.h"
#include "jobs/notify_fanout.h"
#include "jobs/photo_sweep.h"
#include "tiles/tiles.h"
#include "http/polis.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Opens one of the SO_REUSEPORT listeners (one per worker). With probe set,
 * first binds without SO_REUSEPORT to find out whether another process
 * already listens there: SO_REUSEPORT would otherwise let a second polis
 * silently share the port with the first. */
static int open_listener(const struct polis_config *cfg, int probe, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *ai;
    char port[16];
    snprintf(port, sizeof port, "%d", cfg->listen_port);
    int rc = getaddrinfo(cfg->listen_host, port, &hints, &ai);
    if (rc) {
        snprintf(err, errlen, "POLIS_LISTEN: cannot resolve \"%s\": %s", cfg->listen_host,
                 gai_strerror(rc));
        return -1;
    }
    if (probe) {
        int p = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
        int busy = p >= 0 && (setsockopt(p, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) ||
                              bind(p, ai->ai_addr, ai->ai_addrlen));
        int saved = errno;
        if (p >= 0)
            close(p);
        if (busy) {
            snprintf(err, errlen, "cannot listen on %s:%d: %s", cfg->listen_host,
                     cfg->listen_port, strerror(saved));
            freeaddrinfo(ai);
            return -1;
        }
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, SOMAXCONN)) {
        snprintf(err, errlen, "cannot listen on %s:%d: %s", cfg->listen_host, cfg->listen_port,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct polis_worker *w = listener->data;
    if (err)
        return;
    h2o_socket_t *sock;
    for (int i = 0; i < 16 && (sock = h2o_evloop_socket_accept(listener)); i++)
        conn_guard_accept(w, sock);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What the worker threads share while they start and stop (cmd_serve). */
struct worker_start {
    pthread_barrier_t ready;   /* each worker is set up (or has failed), and main waits */
    pthread_barrier_t stopped; /* each worker's loop has stopped */
    pthread_mutex_t lock;
    int failed;                /* read after `ready`: then every worker has written it */
    char err[512];             /* the first failure */
};

/* One worker thread's start: its worker and the listening socket main
 * opened for it. */
struct worker_thread {
    struct polis_worker *w;
    struct worker_start *start;
    int index, listen_fd;
};

static int worker_init(struct polis_worker *w, struct polis_ctx *app, int index, int listen_fd,
                       char *err, size_t errlen)
{
    w->app = app;
    w->index = index;
    w->loop = h2o_evloop_create();
    h2o_context_init(&w->h2o, w->loop, &app->h2o);
    w->accept_ctx.ctx = &w->h2o;
    w->accept_ctx.hosts = app->h2o.hosts;
    offload_receiver_init(&w->offload_done, w->h2o.queue);
    conn_guard_init(w);
    struct db_pool_options dbo = {
        .conninfo = app->cfg.database_url,
        .connections = app->cfg.db_connections,
        .queue_max = app->cfg.db_queue_max,
        .statement_timeout_ms = app->cfg.statement_timeout_ms,
    };
    w->db = db_pool_create(w->loop, &dbo);
    w->tiles = tiles_worker_create(app->tiles, w->db);
    w->sse = sse_worker_create(w);
    if (!w->db || !w->tiles || !w->sse) {
        snprintf(err, errlen, "worker %d: out of memory", index);
        return -1;
    }
    if (index == 0) {
        /* one LISTEN connection per process keeps the tile cache coherent and
         * wakes the reader of new inbox rows for the mailbox streams */
        app->sse_feed = sse_feed_create(w);
        struct layer_listener_callbacks cb = {tiles_on_layer_change, tiles_on_versions,
                                              tiles_on_listener_down, app->tiles,
                                              sse_feed_wake, app->sse_feed};
        app->layer_listener =
            app->sse_feed ? layer_listener_start(w->loop, app->cfg.database_url, &cb) : NULL;
        if (!app->layer_listener) {
            snprintf(err, errlen, "tiles, streams: out of memory");
            return -1;
        }
    }
    w->listener = h2o_evloop_socket_create(w->loop, listen_fd, H2O_SOCKET_FLAG_DONT_READ);
    w->listener->data = w;
    h2o_socket_read_start(w->listener, on_accept);
    return 0;
}

/* Runs the loop until the shutdown flag is set and the requests in flight
 * are done (or the drain time is over). */
static void serve_until_drained(struct polis_worker *w)
{
    struct polis_ctx *app = w->app;
    double drain_deadline = 0;

    while (1) {
        h2o_evloop_run(w->loop, 100); /* wakes at least every 100 ms to see the flag */
        if (!atomic_load(&app->shutting_down))
            continue;
        if (w->listener) {
            /* stop accepting; keep-alive connections close after their
             * current request, HTTP/2 ones get GOAWAY */
            h2o_socket_read_stop(w->listener);
            h2o_socket_close(w->listener);
            w->listener = NULL;
            h2o_context_request_shutdown(&w->h2o);
            sse_worker_close_all(w->sse); /* streams never end by themselves */
            drain_deadline = now_seconds() + app->cfg.drain_seconds;
        }
        if (atomic_load(&w->in_flight) == 0)
            break;
        if (now_seconds() > drain_deadline) {
            fprintf(stderr, "polis: worker %d: %d requests still in flight after %d s, leaving\n",
                    w->index, atomic_load(&w->in_flight), app->cfg.drain_seconds);
            break;
        }
    }
}

/* Everything a worker's loop owns is made, run and closed on the worker's
 * own thread. h2o keeps thread-local state: a socket's read buffers come
 * from, and go back to, a free list of the thread that created the socket,
 * without a lock. The h2o context's message queue (offload replies, stream
 * batches) is such a socket: made on the main thread, every worker's queue
 * shared the main thread's list, and two workers woken at once corrupted
 * the heap. */
static void *worker_main(void *arg)
{
    struct worker_thread *t = arg;
    struct worker_start *start = t->start;
    struct polis_worker *w = t->w;
    char err[512];
    if (worker_init(w, w->app, t->index, t->listen_fd, err, sizeof err)) {
        pthread_mutex_lock(&start->lock);
        if (!start->failed)
            snprintf(start->err, sizeof start->err, "%s", err);
        start->failed = 1;
        pthread_mutex_unlock(&start->lock);
    }
    /* no loop runs before every worker is set up: worker 0's stream reader
     * hands batches to every worker's streams */
    pthread_barrier_wait(&start->ready);
    if (start->failed)
        return NULL; /* main reports it and exits */
    serve_until_drained(w);
    /* nor is anything closed while a loop still runs */
    pthread_barrier_wait(&start->stopped);
    db_pool_destroy(w->db);
    tiles_worker_destroy(w->tiles); /* after its pool: builds it failed are gone */
    if (w->index == 0) {
        layer_listener_stop(w->app->layer_listener);
        sse_feed_destroy(w->app->sse_feed); /* after the pool its reads ran on */
    }
    return NULL;
}

static void setup_h2o(struct polis_ctx *app)
{
    h2o_config_init(&app->h2o);
    app->h2o.server_name = h2o_iovec_init(H2O_STRLIT("polis"));
    /* Each route's limit is checked from Content-Length before the body is
     * read (http/conn_guard.c); h2o's own check (a plain 413) only stops
     * chunked bodies beyond the larger of the two limits. */
    app->h2o.max_request_entity_size = app->cfg.max_body_bytes > app->cfg.upload_max_bytes
                                           ? app->cfg.max_body_bytes
                                           : app->cfg.upload_max_bytes;
    /* POLIS_REQUEST_TIMEOUT_MS is a silence limit, enforced by conn_guard;
     * h2o's req_timeout is a deadline for the whole request (and the
     * keep-alive wait), so it only bounds what the silence limit allows */
    app->h2o.http1.req_timeout = REQUEST_DEADLINE_MS;
    app->h2o.http2.idle_timeout = (uint64_t)app->cfg.request_timeout_ms;
    /* h2c (Upgrade: h2c, or the HTTP/2 preface on a plain connection): one
     * h2o switch for both; off unless POLIS_HTTP2_CLEARTEXT=1 */
    app->h2o.http1.upgrade_to_http2 = app->cfg.http2_cleartext;
    h2o_hostconf_t *host =
        h2o_config_register_host(&app->h2o, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    h2o_handler_t *handler = h2o_create_handler(path, sizeof *handler);
    handler->on_req = router_on_req;
}

/* Waits for SIGTERM/SIGINT, starts the drain, and waits for the workers; a
 * second signal during the drain exits at once. */
static void wait_for_shutdown(struct polis_ctx *app, const sigset_t *sigs)
{
    int sig;
    sigwait(sigs, &sig);
    fprintf(stderr, "polis: %s received, draining (up to %d s)\n", strsignal(sig),
            app->cfg.drain_seconds);
    atomic_store(&app->shutting_down, 1);
    for (int i = 0; i < app->nworkers; i++) {
        struct timespec poll = {0, 100 * 1000 * 1000};
        while (pthread_tryjoin_np(app->workers[i].thread, NULL) == EBUSY) {
            if (sigtimedwait(sigs, NULL, &poll) > 0) {
                fprintf(stderr, "polis: second signal, exiting without draining\n");
                _exit(1);
            }
        }
    }
}

int cmd_serve(int argc, char **argv)
{
    if (argc > 1) {
        int help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
        fprintf(help ? stdout : stderr,
                "usage: polis serve\n\nServes the HTTP API. Configuration comes from POLIS_* "
                "environment variables (see README.md).\n");
        return help ? 0 : 2;
    }
    static struct polis_ctx app; /* large (metrics); lives for the whole process */
    char err[512];
    if (config_load(&app.cfg, err, sizeof err)) {
        fprintf(stderr, "polis serve: %s\n", err);
        return 2;
    }
    app.tiles = tiles_create(app.cfg.tile_cache_mb, err, sizeof err);
    if (!app.tiles) {
        fprintf(stderr, "polis serve: %s\n", err);
        return 2;
    }
    app.web = web_open(&app.cfg, err, sizeof err);
    if (!app.web) {
        fprintf(stderr, "polis serve: %s\n", err);
        return 2;
    }
    if (routes_first_undeclared() >= 0) {
        fprintf(stderr, "polis serve: route %s %s declares no access rule\n",
                polis_routes[routes_first_undeclared()].method,
                polis_routes[routes_first_undeclared()].pattern);
        return 1;
    }
    if (polis_route_count >= METRICS_MAX_ROUTES) {
        fprintf(stderr, "polis serve: %d routes exceed METRICS_MAX_ROUTES\n", polis_route_count);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* workers inherit: only main sees them */

    setup_h2o(&app);
    app.limits = rate_limiter_create();
    app.offload = offload_pool_create(app.cfg.offload_threads, 1024);
    app.imports = offload_pool_create(app.cfg.import_threads, IMPORT_QUEUE_MAX);
    app.issuing = issuing_open(&app.cfg, err, sizeof err);
    if (!app.issuing) {
        fprintf(stderr, "polis serve: out of memory\n");
        return 1;
    }
    if (*err) {
        /* a key configured but unusable is a mistake to fix before serving, not
         * a server that later refuses every approval (unset: signing is off) */
        fprintf(stderr, "polis serve: POLIS_SIGNING_KEY/POLIS_SIGNING_CERT: %s\n", err);
        return 1;
    }
    /* sign-in with an identity provider: its endpoints and keys, cached for all threads */
    app.oidc = app.cfg.oidc.enabled ? oidc_provider_new(&app.cfg.oidc) : NULL;
    import_jobs_reap_at_start(&app);
    photo_sweep_in_background(&app.cfg); /* orphaned photo files of a crash */
    if (*app.cfg.smtp_url)
        mail_sender_start(&app.cfg); /* the outbox, over SMTP */
    notify_fanout_start(&app.cfg, &app.shutting_down); /* inbox and mail rows of new events */
    receipts_start(app.issuing, &app.shutting_down); /* with a signer: submissions' receipts */
    if (app.cfg.digest_hour >= 0)
        digest_start(&app.cfg, &app.shutting_down); /* the daily digest, from POLIS_DIGEST_HOUR */
    app.nworkers = app.cfg.threads;
    app.workers = calloc((size_t)app.nworkers, sizeof *app.workers);
    struct worker_thread *threads = calloc((size_t)app.nworkers, sizeof *threads);
    static struct worker_start start; /* lives as long as the workers */
    if (!app.workers || !threads) {
        fprintf(stderr, "polis serve: out of memory\n");
        return 1;
    }
    /* the listeners first, here: the first one checks that no other process
     * listens on the port yet, before any SO_REUSEPORT socket is bound */
    for (int i = 0; i < app.nworkers; i++) {
        threads[i] = (struct worker_thread){&app.workers[i], &start, i, -1};
        app.workers[i].app = &app;
        if ((threads[i].listen_fd = open_listener(&app.cfg, i == 0, err, sizeof err)) < 0) {
            fprintf(stderr, "polis serve: %s\n", err);
            return 1;
        }
    }
    pthread_mutex_init(&start.lock, NULL);
    pthread_barrier_init(&start.ready, NULL, (unsigned)app.nworkers + 1);
    pthread_barrier_init(&start.stopped, NULL, (unsigned)app.nworkers);
    for (int i = 0; i < app.nworkers; i++)
        pthread_create(&app.workers[i].thread, NULL, worker_main, &threads[i]);
    pthread_barrier_wait(&start.ready);
    if (start.failed) {
        fprintf(stderr, "polis serve: %s\n", start.err);
        return 1;
    }
    fprintf(stderr, "polis: serving on http://%s:%d with %d threads\n", app.cfg.listen_host,
            app.cfg.listen_port, app.nworkers);

    wait_for_shutdown(&app, &sigs);
    free(threads);
    /* each worker has closed its database pool, its tile builds and (worker
     * 0) the listener and the stream reader on its own thread */
    for (int i = 0; i < app.nworkers; i++)
        sse_worker_destroy(app.workers[i].sse);
    tiles_destroy(app.tiles);
    web_close(app.web);
    offload_pool_destroy(app.imports); /* a running import sees the flag and stops */
    offload_pool_destroy(app.offload);
    /* app.issuing stays: the receipts job's detached thread may use it until exit */
    oidc_provider_free(app.oidc);
    /* an upload accepted just before the signal may still be queued (its file
     * was being saved when the loops stopped): fail it now, with our pid, so
     * its owner learns at once rather than at the next start */
    import_jobs_reap_at_start(&app);
    rate_limiter_destroy(app.limits);
    fprintf(stderr, "polis: stopped\n");
    return 0;
}
