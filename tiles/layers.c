#include "common/textbuf.h"
#include "tiles/layers.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the built-in layers ---- */

static const struct tile_field boundary_fields[] = {
    {"id", "Number", "boundary id (as in /api/v1/boundaries/{id})", NULL},
    {"code", "String", "ministry code (KWD_YPES) of a municipality", NULL},
    {"name_el", "String", "name in Greek", NULL},
    {"name_en", "String", "name in English", NULL},
    {"level", "String", "municipality, unit or community", NULL},
};

/* Reports: the public fields of a report (the view reports_public, sql/
 * 020_report_privacy.sql, decides them for every output: the report list,
 * Open311 and these tiles), plus what a cluster is. Never the reporter, the
 * tracking secret, internal notes, nor any report of a private category.
 * MVT values are scalars: photos and attributes are their JSON text, and a
 * NULL field is absent from the feature. This list is the TileJSON
 * description; the attributes themselves come from the view. */
static const struct tile_field report_fields[] = {
    {"id", "Number", "report id (as in /api/v1/reports/{id}); single reports only", NULL},
    {"status", "String", "workflow status; single reports only", NULL},
    {"category", "String", "category code; for a cluster its most frequent category", NULL},
    {"category_name_el", "String", "category name in Greek; single reports only", NULL},
    {"category_name_en", "String", "category name in English; single reports only", NULL},
    {"department", "String", "code of the department handling it; single reports only", NULL},
    {"department_name_el", "String", "department name in Greek; single reports only", NULL},
    {"department_name_en", "String", "department name in English; single reports only", NULL},
    {"description", "String", "what the reporter wrote; single reports only", NULL},
    {"address", "String", "the address the reporter gave; single reports only", NULL},
    {"attributes", "String", "the category's extra fields answered (JSON text)", NULL},
    {"support_count", "Number", "supports (\"me too\"); single reports only", NULL},
    {"duplicate_of", "Number", "the report this one duplicates", NULL},
    {"created_at", "String", "when it was filed (RFC 3339); single reports only", NULL},
    {"updated_at", "String", "last change (RFC 3339); single reports only", NULL},
    {"resolved_at", "String", "when it was resolved, rejected or marked duplicate", NULL},
    {"photos", "String", "URLs of its photos (JSON text of an array)", NULL},
    {"media_url", "String", "a photo link given by an Open311 client", NULL},
    {"status_notes", "String", "the department's latest public comment", NULL},
    {"cluster", "Boolean", "true for a cluster of reports (zooms below 14)", NULL},
    {"count", "Number", "reports in the cluster (1 for a single report)", NULL},
    {"count_open", "Number", "of them, in an open status (GET /api/v1/report-statuses)", NULL},
};

/* Schools and their zones: public data; the names and level, nothing else. */
static const struct tile_field school_fields[] = {
    {"id", "Number", "school id (as in /api/v1/schools/{id})", NULL},
    {"name_el", "String", "name in Greek", NULL},
    {"name_en", "String", "name in English", NULL},
    {"level", "String", "nursery, kindergarten, primary, lower_secondary, upper_secondary or "
                        "vocational", NULL},
};

static const struct tile_field school_zone_fields[] = {
    {"id", "Number", "zone id", NULL},
    {"school_id", "Number", "the school it belongs to (as in /api/v1/schools/{id})", NULL},
    {"name_el", "String", "the school's name in Greek",
     "(SELECT s.name_el FROM schools s WHERE s.id = l.school_id)"},
    {"name_en", "String", "the school's name in English",
     "(SELECT s.name_en FROM schools s WHERE s.id = l.school_id)"},
    {"level", "String", "the school's level", NULL},
    {"provisional", "Boolean", "true for a zone derived from the schools (Voronoi), false "
                               "for an imported one", NULL},
};

/* POIs: what a map draws and labels; the rest is read from /api/v1/pois/{id}.
 * Published ones only (drafts are the tourism office's). */
static const struct tile_field poi_fields[] = {
    {"id", "Number", "POI id (as in /api/v1/pois/{id})", NULL},
    {"name_el", "String", "name in Greek", NULL},
    {"name_en", "String", "name in English", NULL},
    {"category", "String", "category code (as in /api/v1/poi-categories)", NULL},
};

#define REPORTS_OPEN "report_status_is_open(l.status)" /* sql/022 */

static void reports_subquery(struct textbuf *b, const struct tile_layer *l);

/* Every built-in table is keyed by id and has its geometry in geom (EPSG:4326)
 * and geom_3857 (the tile index's column). */
#define BUILTIN_TABLE(name)                                                                        \
    .table = name, .id_column = "id", .geom_3857 = "l.geom_3857", .geom_4326 = "geom"
#define FIELDS(list) .fields = list, .nfields = sizeof list / sizeof list[0]

/* ---- the basemap (sql/031_basemap.sql, polis basemap import) ----
 * One tile layer of seven MVT layers, what a MapLibre basemap style draws
 * (/styles/basemap.json). What a tile holds depends on its zoom, so that a
 * low-zoom tile of a whole region stays small: major roads (motorway to
 * secondary), large water and places from zoom 6, the other roads from 13,
 * footpaths from 14, buildings from 16, house numbers from 17. Areas smaller
 * than about two pixels square are left out, and every line and area is
 * simplified to the tile's pixel size. Names: name_el as tagged, name_en its
 * Latin form (name:en, int_name or ELOT 743). */

/* an area of at least four square pixels (of 256 a tile) at zoom $1 */
#define BASEMAP_MIN_AREA "ST_Area(l.geom_3857) > (40075016.68557849 / (256 * 2 ^ $1::int)) ^ 2 * 4"

static const struct tile_field basemap_road_fields[] = {
    {"class", "String", "motorway, trunk, primary, secondary, tertiary, minor, service or path",
     NULL},
    {"highway", "String", "the OpenStreetMap highway tag", NULL},
    {"name_el", "String", "name as tagged (Greek)", "l.name"},
    {"name_en", "String", "name in Latin letters", "l.name_latin"},
};
static const struct tile_field basemap_rail_fields[] = {
    {"class", "String", "rail, light_rail, subway, tram, ...", NULL},
};
static const struct tile_field basemap_water_fields[] = {
    {"class", "String", "river, stream, canal, ... (lines); water, reservoir, ... (areas)", NULL},
    {"kind", "String", "line or area", NULL},
    {"name_el", "String", "name as tagged (Greek)", "l.name"},
    {"name_en", "String", "name in Latin letters", "l.name_latin"},
};
static const struct tile_field basemap_landuse_fields[] = {
    {"class", "String", "landuse, leisure (park, garden, ...) or natural (wood, ...) tag", NULL},
};
static const struct tile_field basemap_building_fields[] = {
    {"class", "String", "the building tag (yes, house, school, ...)", NULL},
};
static const struct tile_field basemap_place_fields[] = {
    {"class", "String", "city, town, village, suburb, hamlet, neighbourhood or quarter", NULL},
    {"name_el", "String", "name as tagged (Greek)", "l.name"},
    {"name_en", "String", "name in Latin letters", "l.name_latin"},
};
static const struct tile_field basemap_address_fields[] = {
    {"housenumber", "String", "house number", NULL},
    {"street", "String", "street name", NULL},
};

static const struct tile_layer basemap_parts[] = {
    {
        .name = "landuse",
        .description = "Land use and green areas",
        BUILTIN_TABLE("basemap.landuse"),
        .filter = BASEMAP_MIN_AREA,
        .polygonal = 1,
        FIELDS(basemap_landuse_fields),
        .minzoom = 10,
        .maxzoom = 18,
        .feature_limit = 10000,
        .simplify_px = 1.0,
    },
    {
        .name = "water",
        .description = "Rivers, streams and canals (kind line), lakes and reservoirs (kind area)",
        BUILTIN_TABLE("basemap.water"),
        .filter = "(l.kind = 'area' AND " BASEMAP_MIN_AREA ")"
                  " OR (l.kind = 'line' AND (l.class IN ('river', 'canal') OR $1::int >= 13))",
        .polygonal = 1,
        FIELDS(basemap_water_fields),
        .minzoom = 6,
        .maxzoom = 18,
        .feature_limit = 10000,
        .simplify_px = 1.0,
    },
    {
        .name = "rail",
        .description = "Railways and tram lines",
        BUILTIN_TABLE("basemap.rail"),
        .polygonal = 1,
        FIELDS(basemap_rail_fields),
        .minzoom = 10,
        .maxzoom = 18,
        .feature_limit = 5000,
        .simplify_px = 1.0,
    },
    {
        .name = "roads",
        .description = "Roads by class: motorway to secondary from zoom 6, the others from 13, "
                       "paths from 14",
        BUILTIN_TABLE("basemap.roads"),
        .filter = "(l.class IN ('motorway', 'trunk', 'primary', 'secondary')"
                  " OR ($1::int >= 13 AND l.class <> 'path') OR $1::int >= 14)",
        .polygonal = 1,
        FIELDS(basemap_road_fields),
        .minzoom = 6,
        .maxzoom = 18,
        .feature_limit = 20000,
        .simplify_px = 1.0,
    },
    {
        .name = "buildings",
        .description = "Buildings, from zoom 16",
        BUILTIN_TABLE("basemap.buildings"),
        .polygonal = 1,
        FIELDS(basemap_building_fields),
        .minzoom = 16,
        .maxzoom = 18,
        .feature_limit = 20000,
        .simplify_px = 0.5,
    },
    {
        .name = "places",
        .description = "Cities and towns from zoom 6, villages from 10, suburbs and smaller "
                       "from 12",
        BUILTIN_TABLE("basemap.places"),
        .filter = "(l.class IN ('city', 'town') OR ($1::int >= 10 AND l.class = 'village')"
                  " OR $1::int >= 12)",
        FIELDS(basemap_place_fields),
        .minzoom = 6,
        .maxzoom = 18,
        .feature_limit = 2000,
    },
    {
        .name = "addresses",
        .description = "House numbers, from zoom 17",
        BUILTIN_TABLE("basemap.addresses"),
        FIELDS(basemap_address_fields),
        .minzoom = 17,
        .maxzoom = 18,
        .feature_limit = 20000,
    },
};

const struct tile_layer tile_layers[] = {
    {
        .name = "boundaries",
        .description = "Administrative boundaries: municipalities and their units and communities",
        BUILTIN_TABLE("boundaries"),
        .filter = NULL,
        .polygonal = 1,
        FIELDS(boundary_fields),
        .minzoom = 0,
        .maxzoom = 16,
        .feature_limit = 2000,
        .simplify_px = 1.0,
        .max_age = 300,
        .center = {NAN, NAN, 10},
    },
    {
        .name = "reports",
        .description = "Citizen reports of public categories: clusters below zoom 14, single "
                       "reports from zoom 14",
        BUILTIN_TABLE("reports_public"),
        .filter = NULL,
        .polygonal = 0,
        FIELDS(report_fields),
        .minzoom = 0,
        .maxzoom = 20,
        .feature_limit = 5000,
        .simplify_px = 0,
        .max_age = 60,
        .center = {NAN, NAN, 13},
        .subquery = reports_subquery,
    },
    {
        .name = "schools",
        .description = "Schools: nurseries, kindergartens, primary, secondary and vocational",
        BUILTIN_TABLE("schools"),
        FIELDS(school_fields),
        .minzoom = 8,
        .maxzoom = 20,
        .feature_limit = 5000,
        .max_age = 300,
        .center = {NAN, NAN, 13},
    },
    {
        .name = "school_zones",
        .description = "School zones: which school of each level serves an area (provisional "
                       "ones are derived from the schools)",
        BUILTIN_TABLE("school_zones"),
        .polygonal = 1,
        FIELDS(school_zone_fields),
        .minzoom = 8,
        .maxzoom = 18,
        .feature_limit = 2000,
        .simplify_px = 1.0,
        .max_age = 300,
        .center = {NAN, NAN, 12},
    },
    {
        .name = "pois",
        .description = "Published points of interest (sights, museums, churches, nature, ...)",
        BUILTIN_TABLE("pois"),
        .filter = "l.status = 'published'",
        .polygonal = 1,
        FIELDS(poi_fields),
        .minzoom = 0,
        .maxzoom = 20,
        .feature_limit = 5000,
        .simplify_px = 1.0,
        .max_age = 300,
        .center = {NAN, NAN, 13},
    },
    {
        .name = "basemap",
        .description = "The basemap from OpenStreetMap (polis basemap import): roads, rail, "
                       "water, landuse, buildings, places and addresses, by zoom",
        .parts = basemap_parts,
        .nparts = sizeof basemap_parts / sizeof basemap_parts[0],
        .minzoom = 6,
        .maxzoom = 18,
        .max_age = 3600,
        .center = {NAN, NAN, 14},
    },
};

const int tile_layer_count = sizeof tile_layers / sizeof tile_layers[0];

int tile_layer_find(const char *name, size_t len)
{
    for (int i = 0; i < tile_layer_count; i++)
        if (strlen(tile_layers[i].name) == len && memcmp(tile_layers[i].name, name, len) == 0)
            return i;
    return -1;
}

/* ---- SQL generation (registry text only) ---- */

#define ENVELOPE "ST_TileEnvelope($1::int, $2::int, $3::int)"

/* Reports. From zoom 14 every public report is a point with its whitelisted
 * attributes. Below it the reports in the tile itself (not its buffer: each
 * report counts in exactly one tile) are grouped by cell of a grid of
 * TILE_CLUSTER_CELLS^2 cells aligned with the tile, and each cell is one
 * point at the mean position of its reports, with their count, the open
 * ones and the most frequent category: a city-wide tile stays a few hundred
 * features whatever the number of reports. Only one branch runs (the zoom
 * is a parameter), and both select through the 3857 index. */
static void reports_subquery(struct textbuf *b, const struct tile_layer *l)
{
    textbuf_printf(b,
        "(SELECT coalesce(ST_AsMVT(t, '%s', %d, 'mvt_geom', 'mvt_fid'), ''::bytea) FROM ("
        "SELECT u.mvt_fid, u.fields, u.cluster, u.count, u.count_open,"
        " ST_AsMVTGeom(u.g, " ENVELOPE ", %d, %d, true) AS mvt_geom FROM ("
        /* single reports: every public field (ST_AsMVT makes the keys of the
         * jsonb column attributes; arrays and objects become JSON text) */
        "(SELECT l.id AS mvt_fid,"
        " (SELECT jsonb_object_agg(key, CASE WHEN jsonb_typeof(value) IN ('array', 'object')"
        "    THEN to_jsonb(value::text) ELSE value END)"
        "  FROM jsonb_each(jsonb_build_object('id', l.id) || l.properties))"
        "  AS fields,"
        " false AS cluster, 1 AS count, (" REPORTS_OPEN ")::int AS count_open, l.%s AS g"
        " FROM reports_public l"
        " WHERE $1::int >= %d AND %s && ST_TileEnvelope($1::int, $2::int, $3::int,"
        " margin => %d.0 / %d) ORDER BY l.id LIMIT %d)"
        " UNION ALL "
        /* clusters */
        "(SELECT min(l.id), jsonb_build_object('category', mode() WITHIN GROUP"
        " (ORDER BY l.category)), true, count(*)::int,"
        " (count(*) FILTER (WHERE " REPORTS_OPEN "))::int, ST_Centroid(ST_Collect(%s))"
        " FROM reports_public l, (SELECT " ENVELOPE " AS env) e"
        " WHERE $1::int < %d AND %s && e.env"
        " AND ST_X(%s) >= ST_XMin(e.env) AND ST_X(%s) < ST_XMax(e.env)"
        " AND ST_Y(%s) > ST_YMin(e.env) AND ST_Y(%s) <= ST_YMax(e.env)"
        " GROUP BY floor((ST_X(%s) - ST_XMin(e.env)) * %d / (ST_XMax(e.env) - ST_XMin(e.env))),"
        " floor((ST_Y(%s) - ST_YMin(e.env)) * %d / (ST_YMax(e.env) - ST_YMin(e.env)))"
        " LIMIT %d)"
        ") u) t WHERE mvt_geom IS NOT NULL)",
        l->name, TILE_EXTENT, TILE_EXTENT, TILE_BUFFER,
        "geom_3857", TILE_REPORTS_CLUSTER_BELOW, l->geom_3857, TILE_BUFFER, TILE_EXTENT,
        l->feature_limit,
        l->geom_3857, TILE_REPORTS_CLUSTER_BELOW, l->geom_3857, l->geom_3857, l->geom_3857,
        l->geom_3857, l->geom_3857, l->geom_3857, TILE_CLUSTER_CELLS, l->geom_3857,
        TILE_CLUSTER_CELLS, l->feature_limit);
}

static void layer_row(struct textbuf *b, const struct tile_layer *l);

/* A layer of parts: their tiles concatenated, each only queried at the
 * zooms where it has features (CASE evaluates the other branches' subqueries
 * not at all). */
static void parts_subquery(struct textbuf *b, const struct tile_layer *l)
{
    textbuf_printf(b, "(");
    for (int i = 0; i < l->nparts; i++) {
        const struct tile_layer *p = &l->parts[i];
        textbuf_printf(b, "%sCASE WHEN $1::int BETWEEN %d AND %d THEN (SELECT p.d FROM ",
                       i ? " || " : "", p->minzoom, p->maxzoom);
        layer_row(b, p);
        textbuf_printf(b, " p) ELSE ''::bytea END");
    }
    textbuf_printf(b, ")");
}

/* One pixel of a 256-pixel tile at zoom $1, in Web Mercator metres. */
#define PIXEL_M "(40075016.68557849 / (256 * 2 ^ $1::int))"

/* The size of a feature in Web Mercator metres, as l->measure says (the
 * length of a line, the side of a square of a polygon's area; NULL for a
 * point of a mixed layer), or NULL when the layer is not measured. */
static const char *size_expr(char *out, size_t len, const struct tile_layer *l)
{
    const char *g = l->geom_3857;
    switch (l->measure) {
    case TILE_MEASURE_LENGTH:
        snprintf(out, len, "ST_Length(%s)", g);
        return out;
    case TILE_MEASURE_AREA:
        snprintf(out, len, "sqrt(ST_Area(%s))", g);
        return out;
    case TILE_MEASURE_DIMENSION:
        snprintf(out, len, "CASE ST_Dimension(%s) WHEN 2 THEN sqrt(ST_Area(%s))"
                 " WHEN 1 THEN ST_Length(%s) END", g, g, g);
        return out;
    case TILE_MEASURE_NONE:
        break;
    }
    return NULL;
}

/* The features of l a tile at $1/$2/$3 may hold, over "l.* FROM table l,
 * (envelopes) e": in the tile's area with its buffer (through the 3857
 * index), passing the layer's filter and its minimum size at this zoom. */
static void candidates(struct textbuf *b, const struct tile_layer *l, const char *size)
{
    textbuf_printf(b,
                   " FROM %s l, (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,"
                   " ST_TileEnvelope($1::int, $2::int, $3::int, margin => %d.0 / %d) AS margin) e"
                   " WHERE %s && e.margin",
                   l->table, TILE_BUFFER, TILE_EXTENT, l->geom_3857);
    if (l->filter)
        textbuf_printf(b, " AND %s", l->filter);
    if (size && l->min_size_px > 0)
        textbuf_printf(b, " AND coalesce(%s >= %.6g * " PIXEL_M ", true)", size, l->min_size_px);
}

/* The layer as one row (d bytea: its MVT, kept: its features in the tile,
 * total: when the feature limit left some out, how many there were, else
 * NULL).
 *
 * The envelope with the buffer margin selects features through the 3857
 * index; clipping before simplifying keeps a tile's work proportional to what
 * it shows, not to the size of a whole municipality; the tolerance is
 * simplify_px grid units at this zoom, below what a renderer can show. When
 * the limit applies, the largest features are kept (a measured layer; else
 * the lowest ids), and only then are the candidates counted again (a
 * CASE branch not taken runs no subquery). */
static void layer_row(struct textbuf *b, const struct tile_layer *l)
{
    if (l->subquery || l->nparts) {
        textbuf_printf(b, "(SELECT ");
        if (l->subquery)
            l->subquery(b, l);
        else
            parts_subquery(b, l);
        textbuf_printf(b, " AS d, 0::bigint AS kept, NULL::bigint AS total)");
        return;
    }
    const char *g = l->geom_3857;
    char geom_expr[512], size_buf[512];
    const char *size = size_expr(size_buf, sizeof size_buf, l);
    if (l->simplify_px > 0 && l->polygonal)
        snprintf(geom_expr, sizeof geom_expr,
                 "ST_Simplify(ST_ClipByBox2D(%s, e.margin),"
                 " %.6g * 40075016.68557849 / (%d * 2 ^ $1::int), true)",
                 g, l->simplify_px, TILE_EXTENT);
    else if (l->polygonal)
        snprintf(geom_expr, sizeof geom_expr, "ST_ClipByBox2D(%s, e.margin)", g);
    else
        snprintf(geom_expr, sizeof geom_expr, "%s", g);

    textbuf_printf(b, "(SELECT coalesce(ST_AsMVT(t, '%s', %d, 'mvt_geom', 'mvt_fid')"
                      " FILTER (WHERE t.mvt_geom IS NOT NULL), ''::bytea) AS d,"
                      " count(t.mvt_geom) AS kept,"
                      " CASE WHEN count(*) = %d THEN (SELECT nullif(count(*), %d)",
                   l->name, TILE_EXTENT, l->feature_limit, l->feature_limit);
    candidates(b, l, size);
    textbuf_printf(b, ") END AS total FROM (SELECT l.%s AS mvt_fid", l->id_column);
    for (int i = 0; i < l->nfields; i++) {
        if (l->fields[i].expr)
            textbuf_printf(b, ", %s AS \"%s\"", l->fields[i].expr, l->fields[i].column);
        else
            textbuf_printf(b, ", l.%s", l->fields[i].column);
    }
    textbuf_printf(b, ", ST_AsMVTGeom(%s, e.env, %d, %d, true) AS mvt_geom", geom_expr,
                   TILE_EXTENT, TILE_BUFFER);
    candidates(b, l, size);
    if (size)
        textbuf_printf(b, " ORDER BY %s DESC NULLS LAST, l.%s", size, l->id_column);
    else
        textbuf_printf(b, " ORDER BY l.%s", l->id_column);
    textbuf_printf(b, " LIMIT %d) t)", l->feature_limit);
}

char *tile_layer_mvt_sql(const struct tile_layer *l)
{
    return tile_composite_sql(&l, 1);
}

/* The layers' rows s0, s1, ...: their tiles concatenated (a concatenation of
 * MVT messages is one MVT with all their layers) and the ones cut. */
char *tile_composite_sql(const struct tile_layer *const *layers, int n)
{
    struct textbuf b = {0};
    textbuf_printf(&b, "SELECT ");
    for (int i = 0; i < n; i++)
        textbuf_printf(&b, "%ss%d.d", i ? " || " : "", i);
    textbuf_printf(&b, ", nullif(concat_ws(', '");
    for (int i = 0; i < n; i++)
        textbuf_printf(&b, ", '%s ' || s%d.kept || ' of ' || s%d.total", layers[i]->name, i, i);
    textbuf_printf(&b, "), '') FROM ");
    for (int i = 0; i < n; i++) {
        if (i)
            textbuf_printf(&b, ", ");
        layer_row(&b, layers[i]);
        textbuf_printf(&b, " s%d", i);
    }
    return b.buf;
}

/* The geometries of l (of its parts, for a layer of parts) as rows of g,
 * appended to a UNION ALL. */
static void bounds_rows(struct textbuf *b, const struct tile_layer *l, int *first)
{
    if (l->nparts) {
        for (int i = 0; i < l->nparts; i++)
            bounds_rows(b, &l->parts[i], first);
        return;
    }
    /* the filter may name the zoom ($1 of a tile query): not here */
    textbuf_printf(b, "%sSELECT l.%s AS g FROM %s l", *first ? "" : " UNION ALL ", l->geom_4326,
                   l->table);
    if (l->filter && !strstr(l->filter, "$1"))
        textbuf_printf(b, " WHERE %s", l->filter);
    *first = 0;
}

char *tile_bounds_sql(const struct tile_layer *const *layers, int n)
{
    struct textbuf b = {0};
    textbuf_printf(&b, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(g) AS e"
                  " FROM (");
    int first = 1;
    for (int i = 0; i < n; i++)
        bounds_rows(&b, layers[i], &first);
    textbuf_printf(&b, ") u) s");
    return b.buf;
}
