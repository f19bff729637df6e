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

/* The envelope with the buffer margin selects features through the 3857
 * index; clipping before simplifying keeps a tile's work proportional to what
 * it shows, not to the size of a whole municipality; the tolerance is
 * simplify_px grid units at this zoom, below what a renderer can show. */
static void layer_subquery(struct textbuf *b, const struct tile_layer *l)
{
    if (l->subquery) {
        l->subquery(b, l);
        return;
    }
    const char *g = l->geom_3857;
    char geom_expr[512];
    if (l->simplify_px > 0 && l->polygonal)
        snprintf(geom_expr, sizeof geom_expr,
                 "ST_Simplify(ST_ClipByBox2D(%s, e.margin),"
                 " %.6g * 40075016.68557849 / (%d * 2 ^ $1::int), true)",
                 g, l->simplify_px, TILE_EXTENT);
    else if (l->polygonal)
        snprintf(geom_expr, sizeof geom_expr, "ST_ClipByBox2D(%s, e.margin)", g);
    else
        snprintf(geom_expr, sizeof geom_expr, "%s", g);

    textbuf_printf(b, "(SELECT coalesce(ST_AsMVT(t, '%s', %d, 'mvt_geom', 'mvt_fid'), ''::bytea)"
                 " FROM (SELECT l.%s AS mvt_fid",
              l->name, TILE_EXTENT, l->id_column);
    for (int i = 0; i < l->nfields; i++) {
        if (l->fields[i].expr)
            textbuf_printf(b, ", %s AS \"%s\"", l->fields[i].expr, l->fields[i].column);
        else
            textbuf_printf(b, ", l.%s", l->fields[i].column);
    }
    textbuf_printf(b,
              ", ST_AsMVTGeom(%s, e.env, %d, %d, true) AS mvt_geom"
              " FROM %s l, (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,"
              " ST_TileEnvelope($1::int, $2::int, $3::int, margin => %d.0 / %d) AS margin) e"
              " WHERE %s && e.margin%s%s"
              " ORDER BY l.%s LIMIT %d) t WHERE mvt_geom IS NOT NULL)",
              geom_expr, TILE_EXTENT, TILE_BUFFER, l->table, TILE_BUFFER, TILE_EXTENT, g,
              l->filter ? " AND " : "", l->filter ? l->filter : "", l->id_column,
              l->feature_limit);
}

char *tile_layer_mvt_sql(const struct tile_layer *l)
{
    return tile_composite_sql(&l, 1);
}

char *tile_composite_sql(const struct tile_layer *const *layers, int n)
{
    struct textbuf b = {0};
    textbuf_printf(&b, "SELECT ");
    for (int i = 0; i < n; i++) {
        if (i)
            textbuf_printf(&b, " || ");
        layer_subquery(&b, layers[i]);
    }
    return b.buf;
}

char *tile_bounds_sql(const struct tile_layer *const *layers, int n)
{
    struct textbuf b = {0};
    textbuf_printf(&b, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(g) AS e"
                  " FROM (");
    for (int i = 0; i < n; i++) {
        const struct tile_layer *l = layers[i];
        textbuf_printf(&b, "%sSELECT l.%s AS g FROM %s l%s%s", i ? " UNION ALL " : "", l->geom_4326,
                       l->table, l->filter ? " WHERE " : "", l->filter ? l->filter : "");
    }
    textbuf_printf(&b, ") u) s");
    return b.buf;
}
