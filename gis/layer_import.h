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

/* 1 when name is a valid layer name: ^[a-z][a-z0-9_]{0,62}$, not "boundaries". */
int layer_name_valid(const char *name);


#endif
