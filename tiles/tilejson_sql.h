/* The query behind a TileJSON document (GET /tiles/{layers}.json). */
#ifndef POLIS_TILEJSON_SQL_H
#define POLIS_TILEJSON_SQL_H

#include "tiles/layers.h"

/* SQL over $1, the served municipality's code. One row: the extent in
 * degrees of the layers together (NULLs when they are empty) and the
 * served municipality's centre (NULLs when it is not loaded), where the
 * built-in layers' TileJSON centre is. malloc'd. */
char *tile_tilejson_sql(const struct tile_layer *const *layers, int n);
enum tile_tilejson_col {
    TILEJSON_XMIN,            /* the layers' extent: west */
    TILEJSON_YMIN,            /* south */
    TILEJSON_XMAX,            /* east */
    TILEJSON_YMAX,            /* north */
    TILEJSON_MUNICIPALITY_LON, /* the served municipality's centre */
    TILEJSON_MUNICIPALITY_LAT,
};

#endif
