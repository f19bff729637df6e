/* The one LISTEN connection of a process: polis_layers for the tile cache,
 * polis_changes and polis_inbox for the mailbox streams (one connection
 * however many channels, so that N processes hold N listeners). An extra
 * libpq connection driven from an event loop (the same non-blocking pattern as http/db_pool.c: a
 * dup of the socket on the loop, PQconsumeInput + PQnotifies when it is
 * readable), so every polis process learns within milliseconds that a write
 * changed a layer and stops serving its cached tiles, and that new inbox
 * rows may be there for its streams.
 *
 * After every (re)connect it runs LISTEN and then reads layer_versions, and
 * hands the rows over: notifications sent while it was not listening are
 * lost, the versions tell what changed meanwhile. While it is down, the
 * owner must not trust its cache (on_down). It reconnects by itself.
 *
 * It also LISTENs on polis_changes (notify/change_wake.h): writes no longer
 * notify inside their transaction; the process that wrote wakes everyone
 * after the commit, and on that wake the versions and the catalogue are
 * read again (on_versions), which bumps every layer whose version moved. */
#ifndef POLIS_LAYER_LISTENER_H
#define POLIS_LAYER_LISTENER_H

#include <h2o.h>
#include <libpq-fe.h>

#define LAYER_CHANNEL "polis_layers"
/* sent by the inbox triggers (sql/006, sql/014) inside the write */
#define INBOX_CHANNEL "polis_inbox"
/* the payload announcing a change of layer_catalogue (not a layer name):
 * the listener reads versions and catalogue again and calls on_versions */
#define LAYER_CATALOGUE_PAYLOAD ":catalogue"

struct layer_listener_callbacks {
    /* a NOTIFY on the channel; payload is the layer name */
    void (*on_change)(void *data, const char *layer);
    /* listening again, or the catalogue changed: rows of (layer text, version
     * bigint), and the rows of TILE_CATALOGUE_SQL (tiles/registry.h) */
    void (*on_versions)(void *data, const PGresult *versions, const PGresult *catalogue);
    /* the connection is lost (or could not be made) */
    void (*on_down)(void *data);
    void *data;
    /* a NOTIFY on CHANGE_CHANNEL (notify/change_wake.h) or INBOX_CHANNEL (new inbox rows), and
     * once each time listening starts again (what was missed meanwhile):
     * the mailbox streams' reader reads what is new (http/sse_feed.h).
     * Several notifications read at once make one call. */
    void (*on_wake)(void *wake_data);
    void *wake_data;
};

struct layer_listener;

/* Starts connecting at once; callbacks run on loop's thread. */
struct layer_listener *layer_listener_start(h2o_loop_t *loop, const char *conninfo,
                                            const struct layer_listener_callbacks *cb);
/* Closes the connection; no callback runs afterwards. */
void layer_listener_stop(struct layer_listener *l);

#endif
