/* LISTEN polis_layers on one extra libpq connection per process, driven
 * from an event loop (the same non-blocking pattern as http/db_pool.c: a
 * dup of the socket on the loop, PQconsumeInput + PQnotifies when it is
 * readable), so every polis process learns within milliseconds that a write
 * changed a layer and stops serving its cached tiles.
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
};

struct layer_listener;

/* Starts connecting at once; callbacks run on loop's thread. */
struct layer_listener *layer_listener_start(h2o_loop_t *loop, const char *conninfo,
                                            const struct layer_listener_callbacks *cb);
/* Closes the connection; no callback runs afterwards. */
void layer_listener_stop(struct layer_listener *l);

#endif
