/* The tile API's per-worker state (api/tiles.c): the tile builds in
 * flight on this worker's loop, each with the requests waiting for it, so
 * that concurrent misses for one tile cost one query. The handlers are
 * declared in api/api.h; the process-wide part is tiles/tiles.h. */
#ifndef POLIS_API_TILES_H
#define POLIS_API_TILES_H

#include "http/db_pool.h"
#include "tiles/tiles.h"

struct tiles_worker;

struct tiles_worker *tiles_worker_create(struct tiles_state *st, struct db_pool *db);
/* After db_pool_destroy of the same worker: frees builds still in flight. */
void tiles_worker_destroy(struct tiles_worker *tw);

#endif
