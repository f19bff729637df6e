/* The built-in collections of OGC API Features: every public dataset polis
 * keeps in its own tables (boundaries, POIs, events, schools, school zones,
 * public reports), each described once in gis/ogc_collections.c: where its
 * public rows come from, its id and geometry, and the columns its features
 * carry as properties, which are also its queryables (property filters and
 * CQL2). gis/ogc_sql.c builds every query from these entries; imported
 * layers (layer_catalogue) are the other collections.
 *
 * Every text here is trusted SQL written in this file; a request only picks
 * an entry by its id. */
#ifndef POLIS_OGC_COLLECTIONS_H
#define POLIS_OGC_COLLECTIONS_H

/* A property of a built-in collection's features, and a queryable. */
struct ogc_column {
    const char *name;  /* property name: ^[a-z][a-z0-9_]*$, never fid, geom or properties */
    const char *type;  /* its SQL type, as the catalogue writes it: text, integer, bigint,
                        * double precision, boolean, date, timestamptz */
    const char *title; /* what it is, in English (the queryables' title) */
    const char *expr;  /* SQL over the source's alias s, or NULL for s.name */
};

struct ogc_builtin {
    const char *id;            /* the collection id (/ogc/collections/{id}) */
    const char *title_el, *title_en, *description;
    const char *source;        /* the relation, with alias s: "pois s" */
    const char *where;         /* the rows that are public (over s), or NULL for all */
    const char *id_expr;       /* the feature id: an integer unique in the source */
    const char *geom_expr;     /* the geometry, EPSG:4326, GIST-indexed */
    const char *geometry_type; /* POINT, MULTIPOLYGON, ... or GEOMETRY (several) */
    /* the feature's properties as one JSON value over s, or NULL: the columns */
    const char *properties;
    /* datetime selects on these queryables (timestamptz): an instant
     * (time_start only) or an interval [time_start, time_end]; NULL: none */
    const char *time_start, *time_end;
    /* when datetime selects on other rows than the feature's own (the
     * occurrences of a recurring event): their relation, alias o, and the
     * condition that ties them to the feature (alias t, its id t.fid); the
     * time columns are then o's */
    const char *time_rows;
    const struct ogc_column *columns;
    int ncolumns;
};

extern const struct ogc_builtin ogc_builtins[];
extern const int ogc_builtin_count;

/* The built-in collection called id, or NULL (an imported layer, or none). */
const struct ogc_builtin *ogc_builtin_find(const char *id);

#endif
