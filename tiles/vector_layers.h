/* The TileJSON / MBTiles "vector_layers" entries of a tile layer: one per
 * MVT layer its tiles carry (itself, or each of its parts). */
#ifndef POLIS_TILE_VECTOR_LAYERS_H
#define POLIS_TILE_VECTOR_LAYERS_H

#include "tiles/layers.h"

#include <jansson.h>

/* Appends l's entries ({id, description, fields, minzoom, maxzoom,
 * "polis:feature_limit": at most this many features of the layer in a
 * tile, the header Polis-Tile-Truncated saying when a tile was cut}) to
 * list. */
void tile_vector_layers_append(json_t *list, const struct tile_layer *l);

#endif
