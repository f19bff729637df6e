/* The registry of public tile layers: what /tiles serves. A layer is one
 * entry (tiles/layers.c): its table, its indexed Web Mercator geometry, the
 * attributes a tile may carry (nothing else ever leaves the database), zoom
 * range, feature limit, simplification and HTTP cache lifetime. Every tile
 * query is generated from these entries at start-up; a request only picks
 * entries by name, its text never reaches SQL. */
#ifndef POLIS_TILE_LAYERS_H
#define POLIS_TILE_LAYERS_H

#include <stddef.h>

#define TILE_EXTENT 4096     /* MVT grid units per tile side */
#define TILE_BUFFER 64       /* grid units drawn beyond the edge (no seams) */
#define TILE_COMPOSITE_MAX 8 /* layers in one composite tile */

struct tile_field {
    const char *column;      /* column in the table, also the MVT attribute name */
    const char *type;        /* TileJSON: "Number", "String" or "Boolean" */
    const char *description;
};

struct tile_layer {
    const char *name;        /* URL segment, MVT layer name, layer_versions.layer */
    const char *description;
    const char *table;       /* table or view (a trusted identifier from this file) */
    const char *id_column;   /* integer feature id */
    const char *geom_3857;   /* GIST-indexed geometry in EPSG:3857 */
    const char *geom_4326;   /* the stored geometry, for the TileJSON bounds */
    const char *filter;      /* extra SQL condition on the table, or NULL */
    int polygonal;           /* clip to the tile before simplifying (lines, polygons) */
    const struct tile_field *fields;
    int nfields;
    int minzoom, maxzoom;
    int feature_limit;       /* at most this many features per tile */
    double simplify_px;      /* simplification tolerance in tile grid units; 0: none */
    int max_age;             /* Cache-Control: public, max-age (seconds) */
    double center[3];        /* TileJSON center: lon, lat, zoom */
};

extern const struct tile_layer tile_layers[];
extern const int tile_layer_count;

/* Index of the layer called name (length len), or -1. */
int tile_layer_find(const char *name, size_t len);

/* Parses "a" or "a,b,c" into registry indexes. Returns the count (1..max),
 * 0 when a name is unknown (its text in *bad, length *bad_len), or -1 when
 * the list is malformed (empty name, a duplicate, more than max). */
int tile_layer_list(const char *spec, int *out, int max, const char **bad, size_t *bad_len);

/* SQL returning one bytea: the MVT of layer l for $1 z, $2 x, $3 y (int),
 * empty when no feature falls in the tile. malloc'd. */
char *tile_layer_mvt_sql(const struct tile_layer *l);

/* SQL concatenating the tiles of several layers (a concatenation of MVT
 * messages is one MVT with all their layers), same parameters. malloc'd. */
char *tile_composite_sql(const int *layers, int n);

/* SQL returning the extent in degrees of the layers together: xmin, ymin,
 * xmax, ymax (NULLs when they are empty). malloc'd. */
char *tile_bounds_sql(const int *layers, int n);

#endif
