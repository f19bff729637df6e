/* CQL2 text (OGC 21-065, the filter language of OGC API Features Part 3):
 * a parser that turns a filter into a syntax tree, and a translator that
 * turns the tree into a SQL WHERE fragment over the collection's table
 * (alias t) with $n placeholders and the list of their values.
 *
 * Nothing from the filter text is pasted into SQL: every literal becomes a
 * parameter, and property names are only accepted when they are queryables
 * of the collection, whose names come from the catalogue (checked against
 * ^[a-z][a-z0-9_]{0,62}$ and double-quoted). Pure C, no HTTP, no database.
 *
 * Supported: comparisons (= <> < <= > >=), AND / OR / NOT with parentheses,
 * [NOT] LIKE (% and _), [NOT] IN (...), [NOT] BETWEEN ... AND ...,
 * IS [NOT] NULL, string / number / boolean literals, TIMESTAMP('...') and
 * DATE('...'), and the spatial functions S_INTERSECTS, S_DISJOINT,
 * S_EQUALS, S_TOUCHES, S_WITHIN, S_OVERLAPS, S_CROSSES, S_CONTAINS on the
 * property `geometry` and WKT literals in CRS84 (POINT, LINESTRING, POLYGON,
 * MULTIPOINT, MULTILINESTRING, MULTIPOLYGON, BBOX(w,s,e,n), and the draft's
 * ENVELOPE(w,e,n,s)). */
#ifndef POLIS_CQL2_H
#define POLIS_CQL2_H

#include <stddef.h>

#define CQL2_MAX_BYTES 4096 /* longer filters are refused */
#define CQL2_MAX_NODES 100  /* terms: predicates, operators, literals, names */
#define CQL2_MAX_DEPTH 32   /* nesting of parentheses and NOT */
/* SQL parameters one filter can produce: each term gives at most 4 (a BBOX
 * literal); cql2_to_sql checks it, so the caller can size its array. */
#define CQL2_MAX_PARAMS (4 * CQL2_MAX_NODES)

/* What went wrong, for a 400 that names the filter parameter. */
struct cql2_error {
    int pos;            /* 1-based character (not byte) position in the filter */
    char expected[200]; /* what the parser or translator expected there */
    char found[80];     /* what it found ("the end of the filter", a token, ...) */
};

enum cql2_kind {
    CQL2_AND, CQL2_OR, CQL2_NOT,
    CQL2_CMP,     /* a op b; op in cql2_node.op: CQL2_EQ ... */
    CQL2_LIKE,    /* a [NOT] LIKE b */
    CQL2_BETWEEN, /* a [NOT] BETWEEN b AND c */
    CQL2_IN,      /* a [NOT] IN (list) */
    CQL2_ISNULL,  /* a IS [NOT] NULL */
    CQL2_SPATIAL, /* S_xxx(a, b); function in op: CQL2_S_INTERSECTS ... */
    CQL2_PROP,    /* property name (text) */
    CQL2_STR,     /* string literal (text, quotes removed, '' undoubled) */
    CQL2_NUM,     /* number literal (text as written) */
    CQL2_BOOL,    /* TRUE / FALSE (text "true" / "false") */
    CQL2_TIMESTAMP, /* TIMESTAMP('...') (text: the RFC 3339 value) */
    CQL2_DATE,    /* DATE('...') (text: YYYY-MM-DD) */
    CQL2_GEOM,    /* WKT geometry (text: canonical WKT) */
    CQL2_BBOX,    /* BBOX / ENVELOPE (box: west, south, east, north) */
};

enum { CQL2_EQ, CQL2_NE, CQL2_LT, CQL2_LE, CQL2_GT, CQL2_GE };

enum {
    CQL2_S_INTERSECTS, CQL2_S_DISJOINT, CQL2_S_EQUALS, CQL2_S_TOUCHES,
    CQL2_S_WITHIN, CQL2_S_OVERLAPS, CQL2_S_CROSSES, CQL2_S_CONTAINS,
};

struct cql2_node {
    enum cql2_kind kind;
    int op;                 /* comparison operator or spatial function */
    int negated;            /* NOT LIKE / NOT BETWEEN / NOT IN / IS NOT NULL */
    int pos;                /* byte offset in the filter, for messages */
    char *text;             /* see cql2_kind; malloc'd, owned by the tree */
    double box[4];          /* CQL2_BBOX */
    struct cql2_node *a, *b, *c; /* operands */
    struct cql2_node *next; /* the next item of an IN list */
};

/* A parsed filter: the tree and the storage it lives in. */
struct cql2_expr {
    struct cql2_node *root;
    struct cql2_node nodes[CQL2_MAX_NODES];
    int nnodes;
    const char *text;       /* the filter (not owned), for positions */
};

/* Parses text into a tree (malloc'd, free with cql2_free). NULL with *err
 * filled in when the text is not a filter this parser accepts. */
struct cql2_expr *cql2_parse(const char *text, struct cql2_error *err);
void cql2_free(struct cql2_expr *e);

/* A property that may appear in a filter: a column of the collection. */
struct cql2_queryable {
    const char *name; /* column name from the catalogue */
    const char *type; /* its SQL type: text, integer, bigint, double precision,
                         boolean, date, timestamptz */
};

/* The translation: WHERE fragment and its parameter values. */
struct cql2_sql {
    char *where;   /* malloc'd; refers to columns as t."name" and t.geom */
    char **params; /* malloc'd array of malloc'd strings: $first.. in order */
    int nparams;
};

/* Translates e into SQL. Property `geometry` is the feature geometry
 * (t.geom, EPSG:4326); any other name must be one of q[0..nq). Literals are
 * checked against the type of what they are compared with. Parameters are
 * numbered from first_param. Returns 0, or -1 with *err filled in. */
int cql2_to_sql(const struct cql2_expr *e, const struct cql2_queryable *q, int nq,
                int first_param, struct cql2_sql *out, struct cql2_error *err);
void cql2_sql_free(struct cql2_sql *s);

#endif
