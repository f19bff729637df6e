/* Import of schools and of real school zones from any GDAL source (polis
 * schools import / import-zones), read through gis/ogr_reader (so a file in
 * EPSG:2100 arrives in EPSG:4326).
 *
 * Schools: one feature per school, a point (a polygon, e.g. a building, is
 * replaced by a point on its surface). Columns come from the fields of the
 * same names (ref, name_el, name_en, level, address, phone, email, website)
 * unless a field map says otherwise; level is a code (primary, ...) or a
 * Greek or transliterated name (Δημοτικό, ΓΥΜΝΑΣΙΟ, gymnasio, ΕΠΑΛ, ...).
 * The municipality is the one holding the point. A school with a ref is
 * matched on it (a school there without one, of the same municipality,
 * level and name_el, e.g. a demo school, takes it), one without on
 * (municipality, level, name_el): importing the same file again updates in
 * place.
 *
 * Zones: one (multi)polygon per school of one level, the school named by
 * its ref or its name_el in a field. They replace every zone of that level
 * (provisional or imported before) in the municipalities of their schools.
 *
 * Both run in ONE transaction. A feature that cannot be used (no name, an
 * unknown level, no or wrong geometry, outside every municipality, a zone
 * whose school is unknown, ...) is reported with its index, FID and field;
 * then nothing is written unless skip_bad is set. */
#ifndef POLIS_SCHOOL_IMPORT_H
#define POLIS_SCHOOL_IMPORT_H

#include "gis/ogr_reader.h"
#include "gis/school_import_options.h"

#include <libpq-fe.h>
#include <stdio.h>

/* "ref=KODIKOS,name_el=ONOMA": sets o->field[]. Returns 0, or -1 with err
 * naming the bad entry. The strings point into map (keep it alive). */
int school_field_map_parse(char *map, struct school_import_options *o, char *err,
                           size_t errlen);

/* The level code a text means ("primary", "Δημοτικό", "ΓΕΛ", ...), or NULL. */
const char *school_level_from_text(const char *text);

/* Each returns 0, or -1 with the reason in err (nothing written then). */
int school_import(PGconn *db, const struct school_import_options *o,
                  struct school_import_summary *s, char *err, size_t errlen);
int school_zones_import(PGconn *db, const struct school_import_options *o,
                        struct school_import_summary *s, char *err, size_t errlen);

#endif
