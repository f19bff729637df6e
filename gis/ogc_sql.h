/* SQL behind OGC API Features (/ogc/...) and GET /api/v1/layers.
 *
 * A collection is either a built-in one (gis/ogc_collections.h: boundaries,
 * POIs, events, schools, school zones, public reports), read through a
 * subquery that exposes its id as fid, its geometry as geom, its properties
 * and its queryable columns by name, or a layer of layer_catalogue (table
 * layers.NAME). Either way the page, filters and CQL2 see one relation t.
 * Identifiers that go into SQL come from the catalogue row or the built-in
 * table, never from the request: the layer's name and its attribute names
 * are re-checked against ^[a-z][a-z0-9_]{0,62}$ and quoted;
 * every value from the request is a parameter. PostGIS builds the GeoJSON. */
#ifndef POLIS_OGC_SQL_H
#define POLIS_OGC_SQL_H

#include <stddef.h>

/* $1 collection id or NULL (all), $2 't' when the caller is staff (staff
 * layers visible). Rows: the built-in collections in their order, then
 * layers by name (a catalogued layer named like a built-in one is left
 * out). Built once from gis/ogc_collections.c; the text is constant. */
const char *ogc_collections_sql(void);
/* The same rows and parameters for a lookup (the catalogue entry behind an
 * items page, an item or queryables): the built-in collections' extents,
 * time extents and counts are NULL, so that none of their tables is read. */
const char *ogc_lookup_sql(void);
enum ogc_collections_col {
    OGC_COLLECTIONS_NAME,
    OGC_COLLECTIONS_TITLE,
    OGC_COLLECTIONS_DESCRIPTION,
    OGC_COLLECTIONS_XMIN,        /* the extent: NULLs when empty */
    OGC_COLLECTIONS_YMIN,
    OGC_COLLECTIONS_XMAX,
    OGC_COLLECTIONS_YMAX,
    OGC_COLLECTIONS_TIME_MIN,    /* RFC 3339|NULL */
    OGC_COLLECTIONS_TIME_MAX,    /* RFC 3339|NULL */
    OGC_COLLECTIONS_ATTRIBUTES,  /* jsonb text, [{name,type,source_name|title}] */
    OGC_COLLECTIONS_GEOMETRY_TYPE,
    OGC_COLLECTIONS_VISIBILITY,
    OGC_COLLECTIONS_FEATURE_COUNT,
    OGC_COLLECTIONS_TITLE_EN,
    OGC_COLLECTIONS_TIME_COLUMN, /* NULL when the layer has no time */
    OGC_COLLECTIONS_TIME_END_COLUMN, /* the end of an interval, or NULL: an instant */
};


#define OGC_MAX_FILTERS 8

struct ogc_filter {
    const char *column; /* an attribute name from the catalogue */
    const char *type;   /* its SQL type from the catalogue */
};

/* What an items query selects from. */
struct ogc_items_query {
    const char *collection; /* a built-in collection's id or a catalogue layer name */
    int srid;               /* output CRS: 4326 (CRS84 order), 4326 with lat/lon
                               order when latlon, 3857, 2100, ... */
    int latlon;             /* 1: swap axes (EPSG:4326 as the EPSG defines it) */
    int bbox_srid;          /* CRS of the bbox parameters ($1..$4) */
    int bbox_latlon;        /* 1: the bbox is given lat,lon */
    struct ogc_filter filters[OGC_MAX_FILTERS];
    int nfilters;
    const char *time_column; /* datetime: the catalogue's time column, or NULL */
    int time_is_date;        /* 1: that column is a date (a whole UTC day) */
    int time_param;          /* datetime: $n is the start, $n+1 the end (NULL: open) */
    const char *cql_where;   /* a translated CQL2 filter (gis/cql2.h), or NULL */
};

/* Builds the page query into a malloc'd string, or NULL when a name fails
 * the check. $1..$4 bbox (or NULLs), $5 limit, $6 offset, $7 the most rows
 * counted for numberMatched, $8.. one value per filter, then the datetime
 * bounds at time_param and the CQL2 filter's own parameters. One row. */
char *ogc_items_sql(const struct ogc_items_query *q);
enum ogc_items_param {
    OGC_ITEMS_P_BBOX, /* 4 slots, in bbox_srid (and bbox_latlon order) */
    OGC_ITEMS_P_LIMIT = OGC_ITEMS_P_BBOX + 4,
    OGC_ITEMS_P_OFFSET,
    OGC_ITEMS_P_COUNT_MAX, /* OGC_COUNT_MAX + 1: a count that reaches it is not given */
    OGC_ITEMS_P_FILTERS,   /* one per filter; the datetime and CQL2 ones follow */
};
/* numberMatched is given up to this many features: counting every feature a
 * page of a large layer matches would cost more than the page. Beyond, it is
 * left out (it is optional in OGC API - Features) and a full page has a next
 * link. */
#define OGC_COUNT_MAX 10000
enum ogc_items_col {
    OGC_ITEMS_MATCHED,  /* numberMatched, or NULL: more than OGC_COUNT_MAX counted */
    OGC_ITEMS_RETURNED, /* numberReturned */
    OGC_ITEMS_FEATURES, /* the page's Features joined by ',' as text */
};

/* One feature: $1 id. Zero or one row. */
char *ogc_item_sql(const struct ogc_items_query *q);
enum ogc_item_col {
    OGC_ITEM_FEATURE, /* Feature json text */
};

#endif
