#include "common/textbuf.h"
#include "tiles/layers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the registry: one entry per public layer ---- */

static const struct tile_field boundary_fields[] = {
    {"id", "Number", "boundary id (as in /api/v1/boundaries/{id})"},
    {"code", "String", "ministry code (KWD_YPES) of a municipality"},
    {"name_el", "String", "name in Greek"},
    {"name_en", "String", "name in English"},
    {"level", "String", "municipality, unit or community"},
};

const struct tile_layer tile_layers[] = {
    {
        .name = "boundaries",
        .description = "Administrative boundaries: municipalities and their units and communities",
        .table = "boundaries",
        .id_column = "id",
        .geom_3857 = "geom_3857",
        .geom_4326 = "geom",
        .filter = NULL,
        .polygonal = 1,
        .fields = boundary_fields,
        .nfields = sizeof boundary_fields / sizeof boundary_fields[0],
        .minzoom = 0,
        .maxzoom = 16,
        .feature_limit = 2000,
        .simplify_px = 1.0,
        .max_age = 300,
        .center = {23.5496, 41.0910, 10},
    },
};

const int tile_layer_count = sizeof tile_layers / sizeof tile_layers[0];

/* ---- lookups ---- */

int tile_layer_find(const char *name, size_t len)
{
    for (int i = 0; i < tile_layer_count; i++)
        if (strlen(tile_layers[i].name) == len && memcmp(tile_layers[i].name, name, len) == 0)
            return i;
    return -1;
}

int tile_layer_list(const char *spec, int *out, int max, const char **bad, size_t *bad_len)
{
    int n = 0;
    const char *p = spec;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0 || n == max)
            return -1;
        int idx = tile_layer_find(p, len);
        if (idx < 0) {
            *bad = p;
            *bad_len = len;
            return 0;
        }
        for (int i = 0; i < n; i++)
            if (out[i] == idx)
                return -1;
        out[n++] = idx;
        if (!comma)
            return n;
        p = comma + 1;
    }
}

/* ---- SQL generation (registry text only) ---- */

/* The envelope with the buffer margin selects features through the 3857
 * index; clipping before simplifying keeps a tile's work proportional to what
 * it shows, not to the size of a whole municipality; the tolerance is
 * simplify_px grid units at this zoom, below what a renderer can show. */
static void layer_subquery(struct textbuf *b, const struct tile_layer *l)
{
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
    for (int i = 0; i < l->nfields; i++)
        textbuf_printf(b, ", l.%s", l->fields[i].column);
    textbuf_printf(b,
              ", ST_AsMVTGeom(%s, e.env, %d, %d, true) AS mvt_geom"
              " FROM %s l, (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,"
              " ST_TileEnvelope($1::int, $2::int, $3::int, margin => %d.0 / %d) AS margin) e"
              " WHERE l.%s && e.margin%s%s"
              " ORDER BY l.%s LIMIT %d) t WHERE mvt_geom IS NOT NULL)",
              geom_expr, TILE_EXTENT, TILE_BUFFER, l->table, TILE_BUFFER, TILE_EXTENT, g,
              l->filter ? " AND " : "", l->filter ? l->filter : "", l->id_column,
              l->feature_limit);
}

char *tile_layer_mvt_sql(const struct tile_layer *l)
{
    int idx = (int)(l - tile_layers);
    return tile_composite_sql(&idx, 1);
}

char *tile_composite_sql(const int *layers, int n)
{
    struct textbuf b = {0};
    textbuf_printf(&b, "SELECT ");
    for (int i = 0; i < n; i++) {
        if (i)
            textbuf_printf(&b, " || ");
        layer_subquery(&b, &tile_layers[layers[i]]);
    }
    return b.buf;
}

char *tile_bounds_sql(const int *layers, int n)
{
    struct textbuf b = {0};
    textbuf_printf(&b, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(g) AS e"
                  " FROM (");
    for (int i = 0; i < n; i++) {
        const struct tile_layer *l = &tile_layers[layers[i]];
        textbuf_printf(&b, "%sSELECT %s AS g FROM %s%s%s", i ? " UNION ALL " : "", l->geom_4326, l->table,
                  l->filter ? " WHERE " : "", l->filter ? l->filter : "");
    }
    textbuf_printf(&b, ") u) s");
    return b.buf;
}
