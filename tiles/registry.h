/* The tile layers of the moment: the built-in ones (tiles/layers.c) and
 * every layer of layer_catalogue, which become tile layers named like the
 * layer, with their attribute columns (all, or the tile_attributes
 * whitelist) and the tile settings of their row (zooms, simplification,
 * minimum size, feature limit: sql/053_layer_tile_settings.sql). A
 * staff-only layer is held with its flag set (staff_only): api/tiles.c
 * serves it to staff and admins only and answers everyone else exactly as
 * for an unknown layer.
 *
 * A registry is immutable once built and reference-counted: the server
 * builds a new one whenever the catalogue changes (tiles/tiles.c, on
 * NOTIFY ':catalogue') and swaps it in; a request holds the one it started
 * with until it is done. `polis tiles seed` builds one from a blocking
 * query. */
#ifndef POLIS_TILE_REGISTRY_H
#define POLIS_TILE_REGISTRY_H

#include "tiles/layers.h"

#include <libpq-fe.h>
#include <stdatomic.h>
#include <stddef.h>

struct tile_registry {
    atomic_int refs;
    int count;
    int catalogue_loaded;               /* 0: built-in layers only (catalogue not read yet) */
    const struct tile_layer **layers;   /* [count]: built-in first, then catalogue by name */
    char **mvt_sql;                     /* [count] */
    int *slot;                          /* [count] the owner's version slot, -1 if none */
    unsigned char *staff_only;          /* [count] 1: a staff-only layer (visibility 'staff') */
    struct registry_mem *mem;           /* strings and entries of catalogue layers */
};

/* An imported layer's tiles hold at most this many features unless its
 * catalogue row says otherwise (tile_feature_limit). */
#define TILE_FEATURE_LIMIT_DEFAULT 5000

/* The layers of the catalogue, as tile_registry_create reads them. */
#define TILE_CATALOGUE_SQL                                                                   \
    "SELECT name, title_en, coalesce(description, title_en), attributes::text, geometry_type," \
    " ST_XMin(extent), ST_YMin(extent), ST_XMax(extent), ST_YMax(extent),"                    \
    " tile_attributes::text, tile_minzoom, tile_maxzoom, tile_simplify_px, tile_min_size_px,"  \
    " tile_feature_limit, visibility = 'staff'"                                                \
    " FROM layer_catalogue WHERE to_regclass(format('layers.%I', name)) IS NOT NULL"          \
    " ORDER BY name"
enum tile_catalogue_col {
    TILE_CATALOGUE_NAME,
    TILE_CATALOGUE_TITLE_EN,
    TILE_CATALOGUE_DESCRIPTION,     /* or the English title */
    TILE_CATALOGUE_ATTRIBUTES,      /* json text, [{name,type,source_name}] */
    TILE_CATALOGUE_GEOMETRY_TYPE,
    TILE_CATALOGUE_XMIN,            /* the extent: NULLs when empty */
    TILE_CATALOGUE_YMIN,
    TILE_CATALOGUE_XMAX,
    TILE_CATALOGUE_YMAX,
    TILE_CATALOGUE_TILE_ATTRIBUTES, /* array text "{a,b}" of the attributes tiles carry|NULL: all */
    TILE_CATALOGUE_MINZOOM,         /* the tile settings (sql/053_layer_tile_settings.sql) */
    TILE_CATALOGUE_MAXZOOM,
    TILE_CATALOGUE_SIMPLIFY_PX,     /* in pixels of a 256-pixel tile */
    TILE_CATALOGUE_MIN_SIZE_PX,
    TILE_CATALOGUE_FEATURE_LIMIT,   /* NULL: TILE_FEATURE_LIMIT_DEFAULT */
    TILE_CATALOGUE_STAFF_ONLY,      /* boolean: visibility 'staff' */
};

/* A registry of the built-in layers and, when catalogue is not NULL, the
 * rows of TILE_CATALOGUE_SQL. A row whose name or attributes are not plain
 * identifiers is skipped (named on log when log is not NULL). Refs = 1.
 * NULL when out of memory. */
struct tile_registry *tile_registry_create(const PGresult *catalogue, void (*log)(const char *));

void tile_registry_ref(struct tile_registry *r);
void tile_registry_unref(struct tile_registry *r);

/* Index of the layer called name (length len), or -1. */
int tile_registry_find(const struct tile_registry *r, const char *name, size_t len);

/* Parses "a" or "a,b,c" into indexes of r. Returns the count (1..max),
 * 0 when a name is unknown (its text in *bad, length *bad_len), or -1 when
 * the list is malformed (empty name, a duplicate, more than max). Unless
 * staff is 1, a staff-only layer is unknown: every answer is then the same
 * as for a name no layer has ("a,a" too). */
int tile_registry_list(const struct tile_registry *r, const char *spec, int *out, int max,
                       int staff, const char **bad, size_t *bad_len);

/* Loads the registry with a blocking query (CLI use). NULL with err set. */
struct tile_registry *tile_registry_load(PGconn *db, char *err, size_t errlen);

#endif
