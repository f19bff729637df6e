/* The tile layers: what /tiles serves. A layer is one entry: its table, its
 * indexed Web Mercator geometry, the attributes a tile may carry (nothing
 * else ever leaves the database), zoom range, feature limit, simplification
 * and HTTP cache lifetime. The built-in layers are the entries of
 * tiles/layers.c (boundaries, reports, pois); the public imported layers of
 * layer_catalogue join them at run time (tiles/registry.c). Every tile
 * query is generated from these entries; a request only picks entries by
 * name, its text never reaches SQL. */
#ifndef POLIS_TILE_LAYERS_H
#define POLIS_TILE_LAYERS_H

#include <stddef.h>

#define TILE_EXTENT 4096     /* MVT grid units per tile side */
#define TILE_BUFFER 64       /* grid units drawn beyond the edge (no seams) */
#define TILE_COMPOSITE_MAX 8 /* layers in one composite tile */

/* reports: below this zoom a tile holds clusters (one per cell of
 * TILE_CLUSTER_CELLS x TILE_CLUSTER_CELLS per tile), from it single reports */
#define TILE_REPORTS_CLUSTER_BELOW 14
#define TILE_CLUSTER_CELLS 64

struct textbuf;

struct tile_field {
    const char *column;      /* the MVT attribute name (and the column, without expr) */
    const char *type;        /* TileJSON: "Number", "String" or "Boolean" */
    const char *description;
    const char *expr;        /* SQL over alias l giving the value, or NULL for l.column */
};

/* How a layer's features are measured for its min_size_px and for which
 * ones a full tile keeps (the largest first): not at all (by id), lines by
 * length, polygons by area (as the side of a square of that area), or each
 * feature by its own dimension (a layer of mixed geometries; points are
 * never too small). */
enum tile_measure {
    TILE_MEASURE_NONE,
    TILE_MEASURE_LENGTH,
    TILE_MEASURE_AREA,
    TILE_MEASURE_DIMENSION,
};

struct tile_layer {
    const char *name;        /* URL segment, MVT layer name, layer_versions.layer */
    const char *description;
    const char *table;       /* table or view (a trusted, quoted identifier) */
    const char *id_column;   /* integer feature id */
    const char *geom_3857;   /* GIST-indexed EPSG:3857 geometry, an expression over alias l */
    const char *geom_4326;   /* the stored geometry, for the TileJSON bounds */
    const char *filter;      /* extra SQL condition on the table (alias l), or NULL */
    int polygonal;           /* clip to the tile before simplifying (lines, polygons) */
    const struct tile_field *fields;
    int nfields;
    int minzoom, maxzoom;
    int feature_limit;       /* at most this many features per tile (the largest first when
                              * measure is set, else the lowest ids) */
    double simplify_px;      /* simplification tolerance in tile grid units; 0: none */
    enum tile_measure measure;
    double min_size_px;      /* with measure: features smaller than this many pixels of a
                              * 256-pixel tile at the tile's zoom are left out; 0: none */
    int max_age;             /* Cache-Control: public, max-age (seconds) */
    double center[3];        /* TileJSON center: lon, lat, zoom; lon and lat NAN: the served
                              * municipality's centre, read from its boundary */
    /* writes the layer's "(SELECT bytea)" itself instead of the generic
     * query (reports: clusters at low zoom), or NULL */
    void (*subquery)(struct textbuf *b, const struct tile_layer *l);
    /* A layer made of several MVT layers (the basemap: roads, water, ...):
     * each part is described like a layer (its name is the MVT layer name,
     * its minzoom/maxzoom where it has features) and the tile is their
     * concatenation; table, fields and geometry of the parent are unused
     * but for the TileJSON bounds, which cover every part. */
    const struct tile_layer *parts;
    int nparts;
};

/* The built-in layers. */
extern const struct tile_layer tile_layers[];
extern const int tile_layer_count;

/* Index of the built-in layer called name (length len), or -1. */
int tile_layer_find(const char *name, size_t len);

/* SQL returning one row: the MVT of layer l for $1 z, $2 x, $3 y (int),
 * empty when no feature falls in the tile, and which layers the feature
 * limit cut. malloc'd. */
char *tile_layer_mvt_sql(const struct tile_layer *l);
enum tile_mvt_col {
    TILE_MVT_DATA,      /* bytea, also of tile_composite_sql */
    TILE_MVT_TRUNCATED, /* text "layer kept of total[, ...]" for each layer whose feature
                         * limit left features out (kept: features in the tile; total:
                         * the layer's features in the tile's area, buffer included, that
                         * pass its filters), or NULL */
};

/* SQL concatenating the tiles of several layers (a concatenation of MVT
 * messages is one MVT with all their layers), same parameters. malloc'd. */
char *tile_composite_sql(const struct tile_layer *const *layers, int n);

/* SQL returning the extent in degrees of the layers together (NULLs when
 * they are empty). malloc'd. */
char *tile_bounds_sql(const struct tile_layer *const *layers, int n);
enum tile_bounds_col {
    TILE_BOUNDS_XMIN,
    TILE_BOUNDS_YMIN,
    TILE_BOUNDS_XMAX,
    TILE_BOUNDS_YMAX,
};

#endif
