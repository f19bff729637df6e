#include "gis/ogc_sql.h"

#include "common/textbuf.h"
#include "gis/sql_ident.h"

#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#define BOUNDARY_ATTRIBUTES                                                                   \
    "'[{\"name\":\"level\",\"type\":\"text\"},{\"name\":\"code\",\"type\":\"text\"},"          \
    "{\"name\":\"name_el\",\"type\":\"text\"},{\"name\":\"name_en\",\"type\":\"text\"},"       \
    "{\"name\":\"parent_id\",\"type\":\"bigint\"}]'::jsonb"

const char OGC_COLLECTIONS_SQL[] =
    "SELECT c.name, c.title, c.description, ST_XMin(c.e), ST_YMin(c.e), ST_XMax(c.e),"
    "  ST_YMax(c.e), to_char(c.tmin AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  to_char(c.tmax AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), c.attributes::text,"
    "  c.geometry_type, c.visibility, c.n, c.title_en, c.time_column"
    " FROM (SELECT 'boundaries'::text AS name, 'Όρια δήμων'::text AS title,"
    "         'Administrative boundaries: municipalities (Kallikratis) and, where loaded, their"
    " units and communities'::text AS description,"
    "         (SELECT ST_Extent(geom) FROM boundaries) AS e, NULL::timestamptz AS tmin,"
    "         NULL::timestamptz AS tmax, " BOUNDARY_ATTRIBUTES " AS attributes,"
    "         'MULTIPOLYGON'::text AS geometry_type, 'public'::text AS visibility,"
    "         (SELECT count(*) FROM boundaries) AS n, 'Boundaries'::text AS title_en, 0 AS ord,"
    "         NULL::text AS time_column"
    "       UNION ALL"
    "       SELECT name, title_el, coalesce(description, title_en), extent, time_min, time_max,"
    "         attributes, geometry_type, visibility, feature_count, title_en, 1, time_column"
    "       FROM layer_catalogue WHERE visibility = 'public' OR $2::boolean) c"
    " WHERE $1::text IS NULL OR c.name = $1::text"
    " ORDER BY c.ord, c.name";

const char LAYERS_LIST_SQL[] =
    "SELECT coalesce(json_agg(json_build_object('name', name, 'title_el', title_el,"
    "  'title_en', title_en, 'description', description, 'licence', licence, 'source', source,"
    "  'visibility', visibility, 'feature_count', feature_count,"
    "  'bbox', CASE WHEN extent IS NOT NULL THEN json_build_array(ST_XMin(extent),"
    "    ST_YMin(extent), ST_XMax(extent), ST_YMax(extent)) END,"
    "  'geometry_type', geometry_type, 'attributes', attributes,"
    "  'time_column', time_column, 'updated_at', updated_at) ORDER BY name), '[]')::text"
    " FROM layer_catalogue WHERE visibility = 'public' OR $1::boolean";

/* The names passed sql_ident_ok, so quoting is "name": no quote characters
 * to double, nothing else to escape (what PQescapeIdentifier would give). */

static int is_boundaries(const struct ogc_items_query *q)
{
    return !strcmp(q->collection, "boundaries");
}

/* FROM and the feature expression for the collection. */
static void feature_expr(struct textbuf *t, const struct ogc_items_query *q)
{
    char geom[160];
    if (q->srid == 4326 && !q->latlon)
        snprintf(geom, sizeof geom, "t.geom");
    else
        snprintf(geom, sizeof geom, "%sST_Transform(t.geom, %d)%s", q->latlon ? "ST_FlipCoordinates(" : "",
                 q->srid, q->latlon ? ")" : "");
    int prec = q->srid == 4326 ? 7 : 2; /* about 1 cm either way */
    if (is_boundaries(q))
        textbuf_printf(t, "json_build_object('type', 'Feature', 'id', t.id, 'geometry',"
                          " ST_AsGeoJSON(%s, %d, 0)::json, 'properties', json_build_object("
                          "'level', t.level, 'code', t.code, 'name_el', t.name_el,"
                          " 'name_en', t.name_en, 'parent_id', t.parent_id))::text",
                       geom, prec);
    else
        textbuf_printf(t, "json_build_object('type', 'Feature', 'id', t.fid, 'geometry',"
                          " ST_AsGeoJSON(%s, %d, 0)::json, 'properties',"
                          " to_jsonb(t.*) - 'geom' - 'fid')::text",
                       geom, prec);
}

static int from_table(struct textbuf *t, const struct ogc_items_query *q)
{
    if (is_boundaries(q)) {
        textbuf_printf(t, " FROM boundaries t");
        return 0;
    }
    if (!sql_ident_ok(q->collection))
        return -1;
    textbuf_printf(t, " FROM layers.\"%s\" t", q->collection);
    return 0;
}

/* The WHERE of a page: bbox ($1..$4) and one equality per filter (from
 * OGC_ITEMS_P_FILTERS; $n counts from 1). */
static int where(struct textbuf *t, const struct ogc_items_query *q)
{
    if (q->bbox_srid == 4326 && !q->bbox_latlon)
        textbuf_printf(t, " WHERE ($1::float8 IS NULL OR (t.geom && ST_MakeEnvelope($1::float8,"
                          " $2::float8, $3::float8, $4::float8, 4326) AND ST_Intersects(t.geom,"
                          " ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326))))");
    else if (q->bbox_latlon)
        textbuf_printf(t, " WHERE ($1::float8 IS NULL OR ST_Intersects(t.geom,"
                          " ST_MakeEnvelope($2::float8, $1::float8, $4::float8, $3::float8, 4326)))");
    else
        textbuf_printf(t, " WHERE ($1::float8 IS NULL OR ST_Intersects(t.geom, ST_Transform("
                          "ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, %d),"
                          " 4326)))",
                       q->bbox_srid);
    for (int i = 0; i < q->nfilters; i++) {
        const struct ogc_filter *f = &q->filters[i];
        if (!sql_ident_ok(f->column))
            return -1;
        const char *ty = f->type;
        if (!strcmp(ty, "integer") || !strcmp(ty, "bigint") || !strcmp(ty, "double precision") ||
            !strcmp(ty, "boolean"))
            textbuf_printf(t, " AND t.\"%s\" = $%d::%s", f->column, OGC_ITEMS_P_FILTERS + 1 + i,
                           ty);
        else
            textbuf_printf(t, " AND t.\"%s\"::text = $%d", f->column,
                           OGC_ITEMS_P_FILTERS + 1 + i);
    }
    if (q->time_column) {
        if (!sql_ident_ok(q->time_column))
            return -1;
        int s = q->time_param, e = q->time_param + 1;
        if (q->time_is_date) /* the day [D, D+1) in UTC intersects [start, end] */
            textbuf_printf(t, " AND ($%d::timestamptz IS NULL OR ((t.\"%s\" + 1)::timestamp"
                              " AT TIME ZONE 'UTC') > $%d::timestamptz)"
                              " AND ($%d::timestamptz IS NULL OR (t.\"%s\"::timestamp"
                              " AT TIME ZONE 'UTC') <= $%d::timestamptz)",
                           s, q->time_column, s, e, q->time_column, e);
        else
            textbuf_printf(t, " AND ($%d::timestamptz IS NULL OR t.\"%s\" >= $%d::timestamptz)"
                              " AND ($%d::timestamptz IS NULL OR t.\"%s\" <= $%d::timestamptz)",
                           s, q->time_column, s, e, q->time_column, e);
    }
    if (q->cql_where)
        textbuf_printf(t, " AND (%s)", q->cql_where);
    return 0;
}

char *ogc_items_sql(const struct ogc_items_query *q)
{
    const char *id = is_boundaries(q) ? "t.id" : "t.fid";
    struct textbuf t = {0};
    textbuf_printf(&t, "SELECT (SELECT count(*)");
    int bad = from_table(&t, q) | where(&t, q);
    textbuf_printf(&t, "), (SELECT coalesce(string_agg(x.f, ',' ORDER BY x.id), '') FROM"
                       " (SELECT %s AS id, ", id);
    feature_expr(&t, q);
    textbuf_printf(&t, " AS f");
    bad |= from_table(&t, q) | where(&t, q);
    textbuf_printf(&t, " ORDER BY %s LIMIT $5::int OFFSET $6::bigint) x)", id);
    if (bad) {
        free(t.buf);
        return NULL;
    }
    return t.buf;
}

char *ogc_item_sql(const struct ogc_items_query *q)
{
    struct textbuf t = {0};
    textbuf_printf(&t, "SELECT ");
    feature_expr(&t, q);
    int bad = from_table(&t, q);
    textbuf_printf(&t, " WHERE %s = $1::bigint", is_boundaries(q) ? "t.id" : "t.fid");
    if (bad) {
        free(t.buf);
        return NULL;
    }
    return t.buf;
}
