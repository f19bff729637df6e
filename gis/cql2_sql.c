/* CQL2 text: the SQL writer (see cql2.h). Walks the tree, checks every
 * property against the collection's queryables and every literal against the
 * type it is compared with, and writes a WHERE fragment whose literals are all
 * $n parameters. */
#include "gis/cql2_internal.h"

#include "common/textbuf.h"
#include "gis/rfc3339.h"
#include "gis/sql_ident.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum vtype { V_NONE, V_STR, V_INT, V_NUM, V_BOOL, V_DATE, V_TIME, V_GEOM };

struct xlate {
    const struct cql2_expr *e;
    const struct cql2_queryable *q;
    int nq;
    int first;
    struct textbuf t;
    struct cql2_sql *out;
    int cap;
    struct cql2_error *err;
    int failed;
};

static void xfail(struct xlate *x, const struct cql2_node *n, const char *found, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));
static void xfail(struct xlate *x, const struct cql2_node *n, const char *found, const char *fmt,
                  ...)
{
    if (x->failed)
        return;
    x->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err->expected, sizeof x->err->expected, fmt, ap);
    va_end(ap);
    x->err->pos = cql2_char_pos(x->e->text, (size_t)n->pos);
    snprintf(x->err->found, sizeof x->err->found, "%s", found);
}

static const char *type_name(enum vtype v)
{
    static const char *const names[] = {"nothing", "a string", "an integer", "a number",
                                        "a boolean", "a date", "a timestamp", "a geometry"};
    return names[v];
}

static enum vtype sql_vtype(const char *t)
{
    if (!strcmp(t, "text") || !strcmp(t, "character varying"))
        return V_STR;
    if (!strcmp(t, "integer") || !strcmp(t, "bigint") || !strcmp(t, "smallint"))
        return V_INT;
    if (!strcmp(t, "double precision") || !strcmp(t, "real") || !strcmp(t, "numeric"))
        return V_NUM;
    if (!strcmp(t, "boolean"))
        return V_BOOL;
    if (!strcmp(t, "date"))
        return V_DATE;
    if (!strcmp(t, "timestamptz") || !strcmp(t, "timestamp with time zone"))
        return V_TIME;
    return V_STR; /* anything else is compared as text */
}

/* The queryable behind a property node, or NULL (error recorded). Returns
 * the geometry as a pseudo-queryable. */
static const struct cql2_queryable *lookup_prop(struct xlate *x, const struct cql2_node *n)
{
    static const struct cql2_queryable geometry = {"geometry", "geometry"};
    if (!strcmp(n->text, "geometry")) /* always the feature geometry */
        return &geometry;
    for (int i = 0; i < x->nq; i++)
        if (!strcmp(x->q[i].name, n->text) && sql_ident_ok(x->q[i].name))
            return &x->q[i];
    char found[80];
    snprintf(found, sizeof found, "\"%.60s\"", n->text);
    struct textbuf names = {0};
    for (int i = 0; i < x->nq && i < 12; i++)
        textbuf_printf(&names, "%s%s", i ? ", " : "", x->q[i].name);
    xfail(x, n, found, "a queryable of this collection (geometry%s%s)", x->nq ? ", " : "",
          names.buf ? names.buf : "");
    free(names.buf);
    return NULL;
}

static enum vtype node_vtype(struct xlate *x, const struct cql2_node *n)
{
    switch (n->kind) {
    case CQL2_PROP: {
        const struct cql2_queryable *q = lookup_prop(x, n);
        if (!q)
            return V_NONE;
        return !strcmp(q->type, "geometry") ? V_GEOM : sql_vtype(q->type);
    }
    case CQL2_STR: return V_STR;
    case CQL2_NUM: return strpbrk(n->text, ".eE") ? V_NUM : V_INT;
    case CQL2_BOOL: return V_BOOL;
    case CQL2_TIMESTAMP: return V_TIME;
    case CQL2_DATE: return V_DATE;
    case CQL2_GEOM: case CQL2_BBOX: return V_GEOM;
    default: return V_NONE;
    }
}

static int add_param(struct xlate *x, const char *value)
{
    struct cql2_sql *o = x->out;
    if (o->nparams >= CQL2_MAX_PARAMS)
        abort(); /* cannot happen: the parser refuses more than CQL2_MAX_NODES terms */
    if (o->nparams == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 16;
        o->params = realloc(o->params, sizeof *o->params * (size_t)x->cap);
        if (!o->params)
            abort();
    }
    o->params[o->nparams] = strdup(value);
    if (!o->params[o->nparams])
        abort();
    return x->first + o->nparams++;
}

/* The SQL type a literal's parameter is cast to; against is the type of the
 * other side (V_NONE when there is none): a string compared with a date or
 * timestamp is one, a number takes the column's kind of number. */
static const char *literal_type(const struct cql2_node *n, enum vtype against)
{
    switch (n->kind) {
    case CQL2_STR:
        return against == V_DATE ? "date" : against == V_TIME ? "timestamptz" : "text";
    case CQL2_NUM: {
        errno = 0;
        (void)strtoll(n->text, NULL, 10);
        int fits = errno == 0 && !strpbrk(n->text, ".eE");
        return against == V_NUM ? "float8" : against == V_INT && fits ? "bigint" : "numeric";
    }
    case CQL2_BOOL:
        return "boolean";
    case CQL2_TIMESTAMP:
        return "timestamptz";
    default: /* CQL2_DATE */
        return "date";
    }
}

/* Writes operand n; against is the type of the other side (V_NONE when
 * there is none), which decides the cast of a literal. */
static void emit_operand(struct xlate *x, const struct cql2_node *n, enum vtype against)
{
    char buf[128];
    switch (n->kind) {
    case CQL2_PROP: {
        const struct cql2_queryable *q = lookup_prop(x, n);
        if (!q)
            return;
        if (!strcmp(q->type, "geometry"))
            textbuf_printf(&x->t, "t.geom");
        else
            textbuf_printf(&x->t, "t.\"%s\"", q->name);
        return;
    }
    case CQL2_STR:
    case CQL2_NUM:
    case CQL2_BOOL:
    case CQL2_TIMESTAMP:
    case CQL2_DATE:
        textbuf_printf(&x->t, "$%d::%s", add_param(x, n->text), literal_type(n, against));
        return;
    case CQL2_GEOM:
        textbuf_printf(&x->t, "ST_GeomFromText($%d::text, 4326)", add_param(x, n->text));
        return;
    case CQL2_BBOX: {
        int p[4];
        for (int i = 0; i < 4; i++) {
            snprintf(buf, sizeof buf, "%.17g", n->box[i]);
            p[i] = add_param(x, buf);
        }
        textbuf_printf(&x->t, "ST_MakeEnvelope($%d::float8, $%d::float8, $%d::float8,"
                              " $%d::float8, 4326)", p[0], p[1], p[2], p[3]);
        return;
    }
    default:
        xfail(x, n, "a predicate", "a value here");
        return;
    }
}

static int compatible(enum vtype a, enum vtype b)
{
    if (a == b)
        return 1;
    if ((a == V_INT || a == V_NUM) && (b == V_INT || b == V_NUM))
        return 1;
    if ((a == V_DATE || a == V_TIME) && (b == V_DATE || b == V_TIME))
        return 1;
    return 0;
}

/* Checks that operand o may be compared with something of type want;
 * a string literal may stand for a date or timestamp when it is one. */
static int check_against(struct xlate *x, const struct cql2_node *o, enum vtype have,
                         enum vtype want, const struct cql2_node *other)
{
    if (x->failed)
        return -1;
    if (o->kind == CQL2_STR && (want == V_DATE || want == V_TIME)) {
        char probe[64];
        snprintf(probe, sizeof probe, "%.20sT00:00:00Z", o->text);
        if (rfc3339_valid(o->text) || (strlen(o->text) == 10 && rfc3339_valid(probe)))
            return 0;
    }
    if (compatible(have, want))
        return 0;
    char found[80];
    snprintf(found, sizeof found, "%s", type_name(have));
    if (other->kind == CQL2_PROP)
        xfail(x, o, found, "%s to compare with %s", type_name(want == V_INT ? V_NUM : want),
              other->text);
    else
        xfail(x, o, found, "%s (the type of the other side)",
              type_name(want == V_INT ? V_NUM : want));
    return -1;
}

static void emit(struct xlate *x, const struct cql2_node *n);

/* Type of the comparison: the property's side decides. */
static void emit_compare(struct xlate *x, const struct cql2_node *n)
{
    static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">="};
    enum vtype ta = node_vtype(x, n->a), tb = node_vtype(x, n->b);
    if (x->failed)
        return;
    if (ta == V_GEOM || tb == V_GEOM) {
        xfail(x, ta == V_GEOM ? n->a : n->b, "a geometry",
              "a value that is not a geometry (compare geometries with S_EQUALS, "
              "S_INTERSECTS, ...)");
        return;
    }
    if (ta == V_BOOL && n->op != CQL2_EQ && n->op != CQL2_NE) {
        xfail(x, n, "an order comparison of booleans", "= or <> between booleans");
        return;
    }
    /* a literal is checked against the property */
    if (n->a->kind == CQL2_PROP || n->b->kind != CQL2_PROP) {
        if (check_against(x, n->b, tb, ta, n->a))
            return;
    } else if (check_against(x, n->a, ta, tb, n->b)) {
        return;
    }
    emit_operand(x, n->a, tb);
    textbuf_printf(&x->t, " %s ", ops[n->op]);
    emit_operand(x, n->b, ta);
}

static void emit(struct xlate *x, const struct cql2_node *n)
{
    if (x->failed)
        return;
    switch (n->kind) {
    case CQL2_AND:
    case CQL2_OR:
        textbuf_printf(&x->t, "(");
        emit(x, n->a);
        textbuf_printf(&x->t, n->kind == CQL2_AND ? " AND " : " OR ");
        emit(x, n->b);
        textbuf_printf(&x->t, ")");
        return;
    case CQL2_NOT:
        textbuf_printf(&x->t, "(NOT ");
        emit(x, n->a);
        textbuf_printf(&x->t, ")");
        return;
    case CQL2_BOOL:
        emit_operand(x, n, V_BOOL);
        return;
    case CQL2_CMP:
        emit_compare(x, n);
        return;
    case CQL2_LIKE: {
        enum vtype ta = node_vtype(x, n->a), tb = node_vtype(x, n->b);
        if (x->failed)
            return;
        if (ta != V_STR) {
            xfail(x, n->a, type_name(ta), "a string property before LIKE");
            return;
        }
        if (tb != V_STR) {
            xfail(x, n->b, type_name(tb), "a string pattern after LIKE ('%%' any text, '_' one "
                                          "character)");
            return;
        }
        if (n->b->kind == CQL2_STR) {
            size_t len = strlen(n->b->text), k = 0;
            while (k < len && n->b->text[len - 1 - k] == '\\')
                k++;
            if (k % 2) {
                xfail(x, n->b, "a pattern ending in \\",
                      "a pattern that does not end with a lone \\ (it escapes the next "
                      "character)");
                return;
            }
        }
        emit_operand(x, n->a, V_STR);
        textbuf_printf(&x->t, n->negated ? " NOT LIKE " : " LIKE ");
        emit_operand(x, n->b, V_STR);
        return;
    }
    case CQL2_BETWEEN: {
        enum vtype ta = node_vtype(x, n->a), tb = node_vtype(x, n->b), tc = node_vtype(x, n->c);
        if (x->failed)
            return;
        if (!(ta == V_INT || ta == V_NUM || ta == V_DATE || ta == V_TIME)) {
            xfail(x, n->a, type_name(ta), "a number, date or timestamp before BETWEEN");
            return;
        }
        if (check_against(x, n->b, tb, ta, n->a) || check_against(x, n->c, tc, ta, n->a))
            return;
        textbuf_printf(&x->t, "(");
        emit_operand(x, n->a, tb);
        textbuf_printf(&x->t, n->negated ? " NOT BETWEEN " : " BETWEEN ");
        emit_operand(x, n->b, ta);
        textbuf_printf(&x->t, " AND ");
        emit_operand(x, n->c, ta);
        textbuf_printf(&x->t, ")");
        return;
    }
    case CQL2_IN: {
        enum vtype ta = node_vtype(x, n->a);
        if (x->failed)
            return;
        if (ta == V_GEOM) {
            xfail(x, n->a, "a geometry", "a value that is not a geometry before IN");
            return;
        }
        for (const struct cql2_node *i = n->b; i; i = i->next)
            if (check_against(x, i, node_vtype(x, i), ta, n->a))
                return;
        emit_operand(x, n->a, node_vtype(x, n->b));
        textbuf_printf(&x->t, n->negated ? " NOT IN (" : " IN (");
        for (const struct cql2_node *i = n->b; i; i = i->next) {
            emit_operand(x, i, ta);
            textbuf_printf(&x->t, i->next ? ", " : ")");
        }
        return;
    }
    case CQL2_ISNULL:
        node_vtype(x, n->a); /* an unknown property is an error here too */
        if (x->failed)
            return;
        emit_operand(x, n->a, V_NONE);
        textbuf_printf(&x->t, n->negated ? " IS NOT NULL" : " IS NULL");
        return;
    case CQL2_SPATIAL: {
        static const char *const fn[] = {"ST_Intersects", "ST_Disjoint", "ST_Equals",
                                         "ST_Touches", "ST_Within", "ST_Overlaps",
                                         "ST_Crosses", "ST_Contains"};
        enum vtype ta = node_vtype(x, n->a), tb = node_vtype(x, n->b);
        if (x->failed)
            return;
        if (ta != V_GEOM || tb != V_GEOM) {
            const struct cql2_node *bad = ta != V_GEOM ? n->a : n->b;
            xfail(x, bad, type_name(ta != V_GEOM ? ta : tb),
                  "a geometry: the property geometry or a WKT literal such as POINT(23.5 41.1) "
                  "or BBOX(23.4, 41.0, 23.7, 41.2)");
            return;
        }
        textbuf_printf(&x->t, "%s(", fn[n->op]);
        emit_operand(x, n->a, V_GEOM);
        textbuf_printf(&x->t, ", ");
        emit_operand(x, n->b, V_GEOM);
        textbuf_printf(&x->t, ")");
        return;
    }
    default: {
        /* a bare value where a predicate belongs */
        xfail(x, n, n->kind == CQL2_PROP ? n->text : "a value",
              "a predicate (a comparison, LIKE, BETWEEN, IN, IS NULL or S_INTERSECTS)");
        return;
    }
    }
}

void cql2_sql_free(struct cql2_sql *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nparams; i++)
        free(s->params[i]);
    free(s->params);
    free(s->where);
    memset(s, 0, sizeof *s);
}

int cql2_to_sql(const struct cql2_expr *e, const struct cql2_queryable *q, int nq,
                int first_param, struct cql2_sql *out, struct cql2_error *err)
{
    struct cql2_error dummy;
    memset(out, 0, sizeof *out);
    struct xlate x = {.e = e, .q = q, .nq = nq, .first = first_param, .out = out,
                      .err = err ? err : &dummy};
    emit(&x, e->root);
    if (x.failed) {
        free(x.t.buf);
        cql2_sql_free(out);
        return -1;
    }
    out->where = x.t.buf;
    return 0;
}
