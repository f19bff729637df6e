#include "gis/ogc_sql.h"

#include "common/textbuf.h"
#include "gis/ogc_collections.h"
#include "gis/sql_ident.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s as an SQL string literal (quotes doubled): for the trusted texts of
 * gis/ogc_collections.c only. */
static void literal(struct textbuf *t, const char *s)
{
    textbuf_printf(t, "'");
    for (const char *q; (q = strchr(s, '\'')); s = q + 1)
        textbuf_printf(t, "%.*s''", (int)(q - s), s);
    textbuf_printf(t, "%s'", s);
}

/* The relation a built-in collection is read through: its public rows with
 * the id as fid, the geometry as geom, the properties, and each column
 * under its name (what filters and CQL2 refer to as t."name"). A plain
 * subquery, so PostgreSQL pulls it up and uses the source's indexes. */
static void builtin_source(struct textbuf *t, const struct ogc_builtin *b)
{
    textbuf_printf(t, "(SELECT %s AS fid, %s AS geom, ", b->id_expr, b->geom_expr);
    if (b->properties) {
        textbuf_printf(t, "%s", b->properties);
    } else {
        textbuf_printf(t, "json_build_object(");
        for (int i = 0; i < b->ncolumns; i++)
            textbuf_printf(t, "%s'%s', %s%s", i ? ", " : "", b->columns[i].name,
                           b->columns[i].expr ? "" : "s.",
                           b->columns[i].expr ? b->columns[i].expr : b->columns[i].name);
        textbuf_printf(t, ")");
    }
    textbuf_printf(t, " AS properties");
    for (int i = 0; i < b->ncolumns; i++)
        textbuf_printf(t, ", %s%s AS \"%s\"", b->columns[i].expr ? "" : "s.",
                       b->columns[i].expr ? b->columns[i].expr : b->columns[i].name,
                       b->columns[i].name);
    textbuf_printf(t, " FROM %s%s%s)", b->source, b->where ? " WHERE " : "",
                   b->where ? b->where : "");
}

/* The catalogue's attribute list of a built-in collection. */
static char *builtin_attributes(const struct ogc_builtin *b)
{
    json_t *a = json_array();
    for (int i = 0; i < b->ncolumns; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "name", b->columns[i].name, "type",
                                           b->columns[i].type, "title", b->columns[i].title));
    char *text = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    if (!text)
        abort(); /* out of memory while building a constant */
    return text;
}

/* One row of the collections list for built-in collection b (position ord):
 * with extents, the extent, time extent and count from one scan of its
 * public rows; without, NULLs and no scan (what a lookup needs). */
static void builtin_row(struct textbuf *t, const struct ogc_builtin *b, int ord, int extents)
{
    textbuf_printf(t, "SELECT ");
    literal(t, b->id);
    textbuf_printf(t, "::text, ");
    literal(t, b->title_el);
    textbuf_printf(t, "::text, ");
    literal(t, b->description);
    textbuf_printf(t, "::text, x.e, x.tmin, x.tmax, ");
    char *attrs = builtin_attributes(b);
    literal(t, attrs);
    free(attrs);
    textbuf_printf(t, "::jsonb, '%s'::text, 'public'::text, x.n, ", b->geometry_type);
    literal(t, b->title_en);
    textbuf_printf(t, "::text, %d, %s%s%s::text, %s%s%s::text", ord, b->time_start ? "'" : "",
                   b->time_start ? b->time_start : "NULL", b->time_start ? "'" : "",
                   b->time_end ? "'" : "", b->time_end ? b->time_end : "NULL",
                   b->time_end ? "'" : "");
    if (!extents) {
        textbuf_printf(t, " FROM (SELECT NULL::geometry AS e, NULL::timestamptz AS tmin,"
                          " NULL::timestamptz AS tmax, NULL::bigint AS n) x UNION ALL ");
        return;
    }
    textbuf_printf(t, " FROM (SELECT ST_Extent(t.geom) AS e, ");
    if (b->time_start)
        textbuf_printf(t, "min(t.\"%s\") AS tmin, max(t.\"%s\") AS tmax", b->time_start,
                       b->time_end ? b->time_end : b->time_start);
    else
        textbuf_printf(t, "NULL::timestamptz AS tmin, NULL::timestamptz AS tmax");
    textbuf_printf(t, ", count(*) AS n FROM ");
    builtin_source(t, b);
    textbuf_printf(t, " t) x UNION ALL ");
}

static char *collections_sql, *lookup_sql;

static char *build_collections_sql(int extents)
{
    struct textbuf t = {0};
    textbuf_printf(&t, "SELECT c.name, c.title, c.description, ST_XMin(c.e), ST_YMin(c.e),"
                       " ST_XMax(c.e), ST_YMax(c.e),"
                       " to_char(c.tmin AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                       " to_char(c.tmax AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                       " c.attributes::text, c.geometry_type, c.visibility, c.n, c.title_en,"
                       " c.time_column, c.time_end_column"
                       " FROM (SELECT NULL::text AS name, NULL::text AS title,"
                       " NULL::text AS description, NULL::geometry AS e,"
                       " NULL::timestamptz AS tmin, NULL::timestamptz AS tmax,"
                       " NULL::jsonb AS attributes, NULL::text AS geometry_type,"
                       " NULL::text AS visibility, NULL::bigint AS n, NULL::text AS title_en,"
                       " 0 AS ord, NULL::text AS time_column, NULL::text AS time_end_column"
                       " WHERE false UNION ALL ");
    for (int i = 0; i < ogc_builtin_count; i++)
        builtin_row(&t, &ogc_builtins[i], i, extents);
    textbuf_printf(&t, "SELECT name, title_el, coalesce(description, title_en), extent, time_min,"
                       " time_max, attributes, geometry_type, visibility, feature_count,"
                       " title_en, %d, time_column, NULL::text FROM layer_catalogue"
                       " WHERE (visibility = 'public' OR $2::boolean) AND name NOT IN (",
                   ogc_builtin_count);
    for (int i = 0; i < ogc_builtin_count; i++) {
        textbuf_printf(&t, "%s", i ? ", " : "");
        literal(&t, ogc_builtins[i].id);
    }
    textbuf_printf(&t, ")) c WHERE $1::text IS NULL OR c.name = $1::text ORDER BY c.ord, c.name");
    return t.buf;
}

static void build_sql(void)
{
    collections_sql = build_collections_sql(1);
    lookup_sql = build_collections_sql(0);
}

/* Built on first use and never changed after: as constant as literals. */
static pthread_once_t built = PTHREAD_ONCE_INIT;

const char *ogc_collections_sql(void)
{
    pthread_once(&built, build_sql);
    return collections_sql;
}

const char *ogc_lookup_sql(void)
{
    pthread_once(&built, build_sql);
    return lookup_sql;
}

/* The names passed sql_ident_ok, so quoting is "name": no quote characters
 * to double, nothing else to escape (what PQescapeIdentifier would give). */

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
    textbuf_printf(t, "json_build_object('type', 'Feature', 'id', t.fid, 'geometry',"
                      " ST_AsGeoJSON(%s, %d, 0)::json, 'properties', %s)::text",
                   geom, prec, ogc_builtin_find(q->collection) ? "t.properties"
                                                               : "to_jsonb(t.*) - 'geom' - 'fid'");
}

static int from_table(struct textbuf *t, const struct ogc_items_query *q)
{
    const struct ogc_builtin *b = ogc_builtin_find(q->collection);
    if (b) {
        textbuf_printf(t, " FROM ");
        builtin_source(t, b);
        textbuf_printf(t, " t");
        return 0;
    }
    if (!sql_ident_ok(q->collection))
        return -1;
    textbuf_printf(t, " FROM layers.\"%s\" t", q->collection);
    return 0;
}

/* datetime ($s start, $e end, NULL: open) against the collection's time:
 * an instant or a date column of t, an interval [time_start, time_end] of
 * t, or of other rows tied to the feature (an event's occurrences). */
static void time_where(struct textbuf *t, const struct ogc_items_query *q)
{
    int s = q->time_param, e = q->time_param + 1;
    const struct ogc_builtin *b = ogc_builtin_find(q->collection);
    if (b && b->time_end) {
        const char *rel = b->time_rows ? "o" : "t";
        if (b->time_rows)
            textbuf_printf(t, " AND EXISTS (SELECT FROM %s", b->time_rows);
        else
            textbuf_printf(t, " AND (true");
        textbuf_printf(t, " AND ($%d::timestamptz IS NULL OR %s.\"%s\" >= $%d::timestamptz)"
                          " AND ($%d::timestamptz IS NULL OR %s.\"%s\" <= $%d::timestamptz))",
                       s, rel, b->time_end, s, e, rel, b->time_start, e);
    } else if (q->time_is_date) { /* the day [D, D+1) in UTC intersects [start, end] */
        textbuf_printf(t, " AND ($%d::timestamptz IS NULL OR ((t.\"%s\" + 1)::timestamp"
                          " AT TIME ZONE 'UTC') > $%d::timestamptz)"
                          " AND ($%d::timestamptz IS NULL OR (t.\"%s\"::timestamp"
                          " AT TIME ZONE 'UTC') <= $%d::timestamptz)",
                       s, q->time_column, s, e, q->time_column, e);
    } else {
        textbuf_printf(t, " AND ($%d::timestamptz IS NULL OR t.\"%s\" >= $%d::timestamptz)"
                          " AND ($%d::timestamptz IS NULL OR t.\"%s\" <= $%d::timestamptz)",
                       s, q->time_column, s, e, q->time_column, e);
    }
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
        time_where(t, q);
    }
    if (q->cql_where)
        textbuf_printf(t, " AND (%s)", q->cql_where);
    return 0;
}

char *ogc_items_sql(const struct ogc_items_query *q)
{
    struct textbuf t = {0};
    /* numberMatched without a count when the page tells it (a page short of
     * the limit and not past the end: offset + returned); else counted, but
     * at most $7 rows, NULL when it reaches them (a CASE runs its subquery
     * only when reached) */
    textbuf_printf(&t, "SELECT CASE WHEN p.returned < $5::int AND (p.returned > 0 OR"
                       " $6::bigint = 0) THEN $6::bigint + p.returned"
                       " ELSE (SELECT nullif(count(*), $7::bigint) FROM (SELECT 1");
    int bad = from_table(&t, q) | where(&t, q);
    textbuf_printf(&t, " LIMIT $7::bigint) c) END, p.returned, p.features"
                       " FROM (SELECT count(*) AS returned,"
                       " coalesce(string_agg(x.f, ',' ORDER BY x.id), '') AS features FROM"
                       " (SELECT t.fid AS id, ");
    feature_expr(&t, q);
    textbuf_printf(&t, " AS f");
    bad |= from_table(&t, q) | where(&t, q);
    textbuf_printf(&t, " ORDER BY t.fid LIMIT $5::int OFFSET $6::bigint) x) p");
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
    textbuf_printf(&t, " WHERE t.fid = $1::bigint");
    if (bad) {
        free(t.buf);
        return NULL;
    }
    return t.buf;
}
