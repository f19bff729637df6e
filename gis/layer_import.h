/* `polis import FILE`: any vector source GDAL reads becomes one table in
 * schema `layers` plus its row in layer_catalogue (sql/008_layers.sql).
 *
 *   ogr_reader (zip, encoding, CRS -> EPSG:4326)
 *   -> columns: the source's fields, typed (integer, bigint, double
 *      precision, text, date, timestamptz, boolean), named safely
 *   -> COPY into a table built under a temporary name, in one transaction
 *   -> invalid geometries repaired with ST_MakeValid (or rejected, with the
 *      feature and the reason), GIST index, catalogue row
 *   -> create, replace (drop + rename in the same transaction: readers see
 *      the old layer or the new one, never half of it) or append.
 * Errors name the file, the layer and the feature. */
#ifndef POLIS_LAYER_IMPORT_H
#define POLIS_LAYER_IMPORT_H

#include "gis/layer_import_options.h"
#include "gis/ogr_reader.h"

#include <libpq-fe.h>
#include <stdio.h>

/* Imports opts->path. Returns 0, or -1 with err naming file, layer and
 * (where one is to blame) feature; nothing is changed then. */
int layer_import(PGconn *db, const struct layer_import_options *opts,
                 struct layer_import_summary *s, char *err, size_t errlen);

/* The names of polis's own datasets: the built-in OGC collections
 * (gis/ogc_collections.c) and tile layers (tiles/layers.c). A layer named
 * like one would be hidden behind it in OGC API and tiles, so importing one
 * is refused; the tile registry and the OGC collections leave out a layer
 * catalogued earlier under a name they use. The one list, kept in step with
 * both tables. */
#define LAYER_RESERVED_NAMES "basemap, boundaries, events, pois, reports, school_zones, schools"

/* What a layer name must be, for the messages that refuse one. */
#define LAYER_NAME_EXPECTED                                                                    \
    "a layer name matching ^[a-z][a-z0-9_]{0,62}$ other than the built-in datasets' ("         \
    LAYER_RESERVED_NAMES ")"

/* 1 when name is one of LAYER_RESERVED_NAMES. */
int layer_name_reserved(const char *name);

/* 1 when name is a valid layer name: ^[a-z][a-z0-9_]{0,62}$, not reserved. */
int layer_name_valid(const char *name);


#endif
