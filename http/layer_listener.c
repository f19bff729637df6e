#include "http/layer_listener.h"

#include "http/pg_socket.h"
#include "notify/change_wake.h"
#include "tiles/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RETRY_MS 500
#define CONNECT_TIMEOUT_MS 5000

enum state { L_DOWN, L_CONNECTING, L_SUBSCRIBING, L_LISTENING };

struct layer_listener {
    h2o_loop_t *loop;
    char *conninfo;
    struct layer_listener_callbacks cb;
    enum state state;
    PGconn *pg;
    h2o_socket_t *sock;        /* a dup() of PQsocket(pg) on the loop */
    int watched_fd;
    PGresult *versions;        /* the layer_versions rows while subscribing */
    PGresult *catalogue;       /* then the catalogue rows */
    int reload_pending;        /* the catalogue changed while a read was running */
    h2o_timeout_t retry_timeout, connect_timeout;
    h2o_timeout_entry_t timer;
    int reported_down;         /* log once per outage */
};

static void on_readable(h2o_socket_t *sock, const char *err);
static void start_connect(struct layer_listener *l);

static void drop_connection(struct layer_listener *l)
{
    pg_socket_close(&l->sock);
    PQclear(l->versions);
    PQclear(l->catalogue);
    l->versions = l->catalogue = NULL;
    l->reload_pending = 0;
    if (l->pg) {
        PQfinish(l->pg);
        l->pg = NULL;
    }
    if (h2o_timeout_is_linked(&l->timer))
        h2o_timeout_unlink(&l->timer);
}

/* Lost or failed: tell the owner (its cache is no longer trustworthy) and
 * try again after RETRY_MS. */
static void broken(struct layer_listener *l, const char *why_text)
{
    char why[256];
    snprintf(why, sizeof why, "%s", why_text ? why_text : "connection lost");
    why[strcspn(why, "\n")] = '\0';
    drop_connection(l);
    l->state = L_DOWN;
    if (!l->reported_down) {
        l->reported_down = 1;
        fprintf(stderr, "polis: LISTEN %s (tile invalidation, live mailbox) unavailable, tiles not "
                        "cached: %s\n",
                LAYER_CHANNEL, *why ? why : "connection lost");
    }
    h2o_timeout_link(l->loop, &l->retry_timeout, &l->timer);
    l->cb.on_down(l->cb.data);
}

#define READ_SQL "SELECT layer, version FROM layer_versions ORDER BY layer; "

/* Reads versions and catalogue again (the catalogue changed); the answers
 * come to on_readable like the first ones. */
static void reload(struct layer_listener *l)
{
    l->state = L_SUBSCRIBING;
    if (!PQsendQuery(l->pg, READ_SQL TILE_CATALOGUE_SQL) || PQflush(l->pg) < 0)
        broken(l, PQerrorMessage(l->pg));
}

static void subscribe(struct layer_listener *l)
{
    l->state = L_SUBSCRIBING;
    PQsetnonblocking(l->pg, 1);
    /* LISTEN first: a change committed after it is announced; one committed
     * before it is in the versions (and the catalogue) the SELECTs then read */
    if (!PQsendQuery(l->pg, "LISTEN " LAYER_CHANNEL "; LISTEN " CHANGE_CHANNEL "; "
                            "LISTEN " INBOX_CHANNEL "; " READ_SQL TILE_CATALOGUE_SQL)) {
        broken(l, PQerrorMessage(l->pg));
        return;
    }
    if (PQflush(l->pg) < 0) { /* a few bytes: a retry is never needed in practice */
        broken(l, PQerrorMessage(l->pg));
        return;
    }
    h2o_socket_read_start(l->sock, on_readable);
}

static void connect_step(struct layer_listener *l, PostgresPollingStatusType polling);

static void on_connect_io(h2o_socket_t *sock, const char *err)
{
    struct layer_listener *l = sock->data;
    if (!l)
        return;
    h2o_socket_read_stop(sock);
    connect_step(l, PQconnectPoll(l->pg));
}

static void connect_step(struct layer_listener *l, PostgresPollingStatusType polling)
{
    switch (pg_socket_connect_step(l->loop, l->pg, &l->sock, &l->watched_fd, l, polling,
                                   on_connect_io)) {
    case PGRES_POLLING_FAILED:
        broken(l, PQerrorMessage(l->pg));
        break;
    case PGRES_POLLING_OK:
        h2o_timeout_unlink(&l->timer);
        subscribe(l);
        break;
    default:
        break;
    }
}

/* The answers to LISTEN + SELECT: keep the rows, and once both are in,
 * hand them over: from here on, notifications are the news. */
static void read_results(struct layer_listener *l)
{
    while (!PQisBusy(l->pg)) {
        PGresult *r = PQgetResult(l->pg);
        if (!r) {
            if (!l->versions || !l->catalogue) {
                broken(l, "layer_versions or layer_catalogue could not be read");
                return;
            }
            l->state = L_LISTENING;
            if (l->reported_down) {
                l->reported_down = 0;
                fprintf(stderr, "polis: LISTEN %s (tile invalidation, live mailbox) restored\n",
                        LAYER_CHANNEL);
            }
            l->cb.on_versions(l->cb.data, l->versions, l->catalogue);
            if (l->cb.on_wake) /* what was committed while not listening */
                l->cb.on_wake(l->cb.wake_data);
            PQclear(l->versions);
            PQclear(l->catalogue);
            l->versions = l->catalogue = NULL;
            if (l->reload_pending) {
                l->reload_pending = 0;
                reload(l);
            }
            return;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_TUPLES_OK && !l->versions) {
            l->versions = r;
        } else if (st == PGRES_TUPLES_OK && !l->catalogue) {
            l->catalogue = r;
        } else {
            if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
                /* e.g. layer_versions missing: migrations not applied yet */
                char msg[256];
                snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(r));
                PQclear(r);
                while ((r = PQgetResult(l->pg)))
                    PQclear(r);
                broken(l, msg);
                return;
            }
            PQclear(r);
        }
    }
}

static void on_readable(h2o_socket_t *sock, const char *err)
{
    struct layer_listener *l = sock->data;
    if (!l)
        return;
    if (!PQconsumeInput(l->pg) || PQstatus(l->pg) == CONNECTION_BAD) {
        broken(l, PQerrorMessage(l->pg));
        return;
    }
    if (l->state == L_SUBSCRIBING) {
        read_results(l);
        if (l->state != L_LISTENING)
            return;
    }
    PGnotify *n;
    int wake = 0;
    while (l->pg && (n = PQnotifies(l->pg))) {
        /* polis_changes: a write committed somewhere (its layers are in the
         * versions, its inbox rows in the table); polis_inbox: inbox rows only */
        int changes = !strcmp(n->relname, CHANGE_CHANNEL);
        int layers = !strcmp(n->relname, LAYER_CHANNEL);
        if (!layers)
            wake = 1;
        if (!layers && !changes)
            ;
        else if (layers && strcmp(n->extra, LAYER_CATALOGUE_PAYLOAD) != 0)
            l->cb.on_change(l->cb.data, n->extra);
        else if (l->state == L_LISTENING)
            reload(l);
        else
            l->reload_pending = 1;
        PQfreemem(n);
    }
    if (wake && l->cb.on_wake)
        l->cb.on_wake(l->cb.wake_data);
}

static void on_timer(h2o_timeout_entry_t *entry)
{
    struct layer_listener *l = H2O_STRUCT_FROM_MEMBER(struct layer_listener, timer, entry);
    if (l->state == L_DOWN)
        start_connect(l);
    else if (l->state == L_CONNECTING)
        broken(l, "timed out connecting to the database");
}

static void ignore_notice(void *arg, const char *message)
{
}

static void start_connect(struct layer_listener *l)
{
    const char *keys[] = {"dbname", "application_name", NULL};
    const char *vals[] = {l->conninfo, "polis-tiles-listen", NULL};
    l->pg = PQconnectStartParams(keys, vals, 1);
    if (l->pg) /* a FATAL on an idle connection (shutdown) is handled as a loss, not printed */
        PQsetNoticeProcessor(l->pg, ignore_notice, NULL);
    l->state = L_CONNECTING;
    h2o_timeout_link(l->loop, &l->connect_timeout, &l->timer);
    if (!l->pg || PQstatus(l->pg) == CONNECTION_BAD) {
        broken(l, l->pg ? PQerrorMessage(l->pg) : "out of memory");
        return;
    }
    connect_step(l, PGRES_POLLING_WRITING);
}

struct layer_listener *layer_listener_start(h2o_loop_t *loop, const char *conninfo,
                                            const struct layer_listener_callbacks *cb)
{
    struct layer_listener *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->loop = loop;
    l->conninfo = strdup(conninfo ? conninfo : "");
    l->cb = *cb;
    l->timer.cb = on_timer;
    h2o_timeout_init(loop, &l->retry_timeout, RETRY_MS);
    h2o_timeout_init(loop, &l->connect_timeout, CONNECT_TIMEOUT_MS);
    start_connect(l);
    return l;
}

void layer_listener_stop(struct layer_listener *l)
{
    if (!l)
        return;
    drop_connection(l);
    h2o_timeout_dispose(l->loop, &l->retry_timeout);
    h2o_timeout_dispose(l->loop, &l->connect_timeout);
    free(l->conninfo);
    free(l);
}
