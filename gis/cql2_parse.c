/* CQL2 text: the recursive-descent parser (see cql2.h).
 *
 * Grammar accepted (keywords are case-insensitive):
 *   expr      = term { OR term }
 *   term      = factor { AND factor }
 *   factor    = NOT factor | primary
 *   primary   = "(" expr ")" | spatial | TRUE | FALSE | predicate
 *   spatial   = S_xxx "(" operand "," operand ")"
 *   predicate = scalar ( cmpop scalar | [NOT] LIKE scalar
 *               | [NOT] BETWEEN scalar AND scalar | [NOT] IN "(" scalar {"," scalar} ")"
 *               | IS [NOT] NULL )
 *   scalar    = property | 'string' | number | TRUE | FALSE
 *               | TIMESTAMP "(" 'string' ")" | DATE "(" 'string' ")"
 * The first error stops the parse; it says what was expected and where. */
#include "gis/cql2_internal.h"

#include "gis/rfc3339.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_error(struct cql2_error *err, const char *text, size_t byte, const char *found,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void set_error(struct cql2_error *err, const char *text, size_t byte, const char *found,
                      const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->expected, sizeof err->expected, fmt, ap);
    va_end(ap);
    err->pos = cql2_char_pos(text, byte);
    snprintf(err->found, sizeof err->found, "%s", found);
}

static const char *const reserved[] = {"AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS",
                                       "NULL", "TRUE", "FALSE", NULL};

static int is_reserved(const struct cql2_parser *ps)
{
    for (int i = 0; reserved[i]; i++)
        if (cql2_is_kw(ps, reserved[i]))
            return 1;
    return 0;
}

struct cql2_node *cql2_new_node(struct cql2_parser *ps, enum cql2_kind kind, size_t pos)
{
    if (ps->failed)
        return NULL;
    struct cql2_expr *e = ps->e;
    if (e->nnodes == CQL2_MAX_NODES) {
        cql2_fail(ps, "a filter of at most %d terms", CQL2_MAX_NODES);
        return NULL;
    }
    struct cql2_node *n = &e->nodes[e->nnodes++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->pos = (int)pos;
    return n;
}

/* A leaf of the tree at pos holding text (malloc'd; freed when no node can be
 * made), the current token then passed. */
static struct cql2_node *token_node(struct cql2_parser *ps, enum cql2_kind kind, size_t pos,
                                    char *text)
{
    struct cql2_node *n = cql2_new_node(ps, kind, pos);
    if (!n) {
        free(text);
        return NULL;
    }
    n->text = text;
    cql2_next(ps);
    return n;
}

static struct cql2_node *parse_or(struct cql2_parser *ps);

static struct cql2_node *parse_scalar(struct cql2_parser *ps)
{
    if (ps->failed)
        return NULL;
    size_t at = ps->p;
    struct cql2_node *n;
    switch (ps->tok) {
    case T_STRING:
        return token_node(ps, CQL2_STR, at, cql2_unquote(ps));
    case T_NUMBER: {
        char *v = cql2_tok_text(ps);
        if (!isfinite(strtod(v, NULL))) {
            free(v);
            cql2_fail(ps, "a number within the range of a double");
            return NULL;
        }
        return token_node(ps, CQL2_NUM, at, v);
    }
    case T_QIDENT:
        return token_node(ps, CQL2_PROP, at, cql2_unquote(ps));
    case T_IDENT:
        if (cql2_is_kw(ps, "TRUE") || cql2_is_kw(ps, "FALSE"))
            return token_node(ps, CQL2_BOOL, at, strdup(cql2_is_kw(ps, "TRUE") ? "true" : "false"));
        if ((cql2_is_kw(ps, "TIMESTAMP") || cql2_is_kw(ps, "DATE")) && cql2_followed_by_paren(ps)) {
            int ts = cql2_is_kw(ps, "TIMESTAMP");
            cql2_next(ps);
            cql2_next(ps); /* ( */
            if (ps->tok != T_STRING) {
                cql2_fail(ps, ts ? "a quoted RFC 3339 date-time in TIMESTAMP('...')"
                                 : "a quoted date in DATE('YYYY-MM-DD')");
                return NULL;
            }
            char *v = cql2_unquote(ps);
            char probe[64];
            snprintf(probe, sizeof probe, "%sT00:00:00Z", v);
            if (ts ? !rfc3339_valid(v) : (strlen(v) != 10 || !rfc3339_valid(probe))) {
                free(v);
                cql2_fail(ps, ts ? "an RFC 3339 date-time such as '2024-05-01T12:00:00Z'"
                                 : "a date such as '2024-05-01'");
                return NULL;
            }
            cql2_next(ps);
            if (cql2_expect(ps, T_RPAREN, "\")\" after the quoted value") ||
                !(n = cql2_new_node(ps, ts ? CQL2_TIMESTAMP : CQL2_DATE, at))) {
                free(v);
                return NULL;
            }
            n->text = v;
            return n;
        }
        if (cql2_is_geometry_kw(ps) && cql2_followed_by_paren(ps))
            return cql2_parse_geometry(ps);
        if (is_reserved(ps))
            break;
        return token_node(ps, CQL2_PROP, at, cql2_tok_text(ps));
    case T_BAD:
        if (ps->s[ps->p] == '\'' || ps->s[ps->p] == '"') {
            cql2_fail(ps, "a closing %c for the quote that starts here", ps->s[ps->p]);
            return NULL;
        }
        break;
    default:
        break;
    }
    cql2_fail(ps, "a property name or a literal (a 'string', a number, TRUE, FALSE, "
                  "TIMESTAMP('...'), DATE('...'))");
    return NULL;
}

static const char *const spatial_names[] = {"S_INTERSECTS", "S_DISJOINT", "S_EQUALS",
                                            "S_TOUCHES", "S_WITHIN", "S_OVERLAPS",
                                            "S_CROSSES", "S_CONTAINS", NULL};

/* A node of kind at pos whose left operand is a, or NULL (see cql2_new_node). */
static struct cql2_node *operator_node(struct cql2_parser *ps, enum cql2_kind kind, size_t pos,
                                       struct cql2_node *a, int negated)
{
    struct cql2_node *n = cql2_new_node(ps, kind, pos);
    if (n) {
        n->a = a;
        n->negated = negated;
    }
    return n;
}

/* "a op b" at pos, the operator (= <> < <= > >=) the current token. */
static struct cql2_node *parse_comparison(struct cql2_parser *ps, struct cql2_node *a, size_t pos)
{
    struct cql2_node *n = operator_node(ps, CQL2_CMP, pos, a, 0);
    if (!n)
        return NULL;
    n->op = CQL2_EQ + (int)(ps->tok - T_EQ);
    cql2_next(ps);
    n->b = parse_scalar(ps);
    return n;
}

/* The kind of the operator that NOT may negate (LIKE, BETWEEN, IN) when the
 * current token is one; CQL2_NOT otherwise. */
static enum cql2_kind negatable_kind(const struct cql2_parser *ps)
{
    return cql2_is_kw(ps, "LIKE")      ? CQL2_LIKE
           : cql2_is_kw(ps, "BETWEEN") ? CQL2_BETWEEN
           : cql2_is_kw(ps, "IN")      ? CQL2_IN
                                       : CQL2_NOT;
}

/* "(" scalar {"," scalar} ")" after IN, as the list n->b linked by next. */
static struct cql2_node *parse_in_list(struct cql2_parser *ps, struct cql2_node *n)
{
    if (cql2_expect(ps, T_LPAREN, "\"(\" to start the list after IN"))
        return NULL;
    struct cql2_node **tail = &n->b;
    do {
        if (*tail && cql2_expect(ps, T_COMMA, "\",\""))
            return NULL;
        if (n->b)
            tail = &(*tail)->next;
        if (!(*tail = parse_scalar(ps)))
            return NULL;
    } while (ps->tok == T_COMMA);
    if (cql2_expect(ps, T_RPAREN, "\",\" or \")\" in the list after IN"))
        return NULL;
    return n;
}

static struct cql2_node *parse_predicate(struct cql2_parser *ps)
{
    size_t at = ps->p;
    for (int f = 0; spatial_names[f]; f++)
        if (cql2_is_kw(ps, spatial_names[f])) {
            cql2_next(ps);
            struct cql2_node *n = cql2_new_node(ps, CQL2_SPATIAL, at);
            if (!n || cql2_expect(ps, T_LPAREN, "\"(\" after the spatial function"))
                return NULL;
            n->op = f;
            n->a = parse_scalar(ps);
            if (cql2_expect(ps, T_COMMA, "\",\" between the two arguments of the spatial function"))
                return NULL;
            n->b = parse_scalar(ps);
            if (cql2_expect(ps, T_RPAREN,
                            "\")\" after the second argument of the spatial function"))
                return NULL;
            return n;
        }
    if ((cql2_is_kw(ps, "TRUE") || cql2_is_kw(ps, "FALSE"))) {
        /* a boolean literal is a predicate of its own, or compared */
        struct cql2_node *lit = parse_scalar(ps);
        if (!lit || !(ps->tok == T_EQ || ps->tok == T_NE))
            return lit;
        return parse_comparison(ps, lit, lit->pos);
    }
    struct cql2_node *a = parse_scalar(ps);
    if (!a)
        return NULL;
    size_t opat = ps->p;
    if (ps->tok >= T_EQ && ps->tok <= T_GE)
        return parse_comparison(ps, a, opat);
    if (cql2_is_kw(ps, "IS")) {
        cql2_next(ps);
        struct cql2_node *n = operator_node(ps, CQL2_ISNULL, opat, a, 0);
        if (!n)
            return NULL;
        if (cql2_is_kw(ps, "NOT")) {
            n->negated = 1;
            cql2_next(ps);
        }
        if (!cql2_is_kw(ps, "NULL")) {
            cql2_fail(ps, n->negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
            return NULL;
        }
        cql2_next(ps);
        return n;
    }
    int negated = 0;
    if (cql2_is_kw(ps, "NOT")) {
        negated = 1;
        cql2_next(ps);
        if (negatable_kind(ps) == CQL2_NOT) {
            cql2_fail(ps, "LIKE, BETWEEN or IN after NOT");
            return NULL;
        }
    }
    enum cql2_kind kind = negatable_kind(ps);
    if (kind != CQL2_NOT) {
        cql2_next(ps);
        struct cql2_node *n = operator_node(ps, kind, opat, a, negated);
        if (!n)
            return NULL;
        if (kind == CQL2_IN)
            return parse_in_list(ps, n);
        n->b = parse_scalar(ps);
        if (kind == CQL2_BETWEEN) {
            if (!ps->failed && !cql2_is_kw(ps, "AND")) {
                cql2_fail(ps, "AND between the two bounds of BETWEEN");
                return NULL;
            }
            cql2_next(ps);
            n->c = parse_scalar(ps);
        }
        return n;
    }
    cql2_fail(ps, "a comparison (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN, IS NULL) after \"%s\"",
              a->kind == CQL2_PROP || a->kind == CQL2_NUM ? a->text : "the literal");
    return NULL;
}

static struct cql2_node *parse_factor(struct cql2_parser *ps)
{
    if (ps->failed)
        return NULL;
    if (++ps->depth > CQL2_MAX_DEPTH) {
        cql2_fail(ps, "at most %d nested parentheses or NOTs", CQL2_MAX_DEPTH);
        return NULL;
    }
    size_t at = ps->p;
    struct cql2_node *r;
    if (cql2_is_kw(ps, "NOT")) {
        cql2_next(ps);
        r = cql2_new_node(ps, CQL2_NOT, at);
        if (r && !(r->a = parse_factor(ps)))
            r = NULL;
    } else if (ps->tok == T_LPAREN) {
        cql2_next(ps);
        r = parse_or(ps);
        if (cql2_expect(ps, T_RPAREN, "\")\" or AND / OR"))
            r = NULL;
    } else {
        r = parse_predicate(ps);
    }
    ps->depth--;
    return ps->failed ? NULL : r;
}

static struct cql2_node *parse_binary(struct cql2_parser *ps, const char *kw, enum cql2_kind kind,
                                      struct cql2_node *(*sub)(struct cql2_parser *))
{
    struct cql2_node *l = sub(ps);
    while (l && cql2_is_kw(ps, kw)) {
        size_t at = ps->p;
        cql2_next(ps);
        struct cql2_node *n = cql2_new_node(ps, kind, at);
        if (!n)
            return NULL;
        n->a = l;
        if (!(n->b = sub(ps)))
            return NULL;
        l = n;
    }
    return ps->failed ? NULL : l;
}

static struct cql2_node *parse_and(struct cql2_parser *ps)
{
    return parse_binary(ps, "AND", CQL2_AND, parse_factor);
}

static struct cql2_node *parse_or(struct cql2_parser *ps)
{
    return parse_binary(ps, "OR", CQL2_OR, parse_and);
}

void cql2_free(struct cql2_expr *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->nnodes; i++)
        free(e->nodes[i].text);
    free(e);
}

struct cql2_expr *cql2_parse(const char *text, struct cql2_error *err)
{
    struct cql2_error dummy;
    if (!err)
        err = &dummy;
    size_t len = strlen(text);
    if (len > CQL2_MAX_BYTES) {
        set_error(err, text, CQL2_MAX_BYTES, "a longer filter", "a filter of at most %d bytes",
                  CQL2_MAX_BYTES);
        return NULL;
    }
    struct cql2_expr *e = calloc(1, sizeof *e);
    if (!e)
        abort();
    e->text = text;
    struct cql2_parser ps = {.e = e, .s = text, .err = err};
    cql2_next(&ps);
    if (ps.tok == T_END) {
        cql2_fail(&ps, "a filter expression");
    } else {
        e->root = parse_or(&ps);
        if (!ps.failed && ps.tok != T_END)
            cql2_fail(&ps, "AND, OR or the end of the filter");
    }
    if (ps.failed) {
        cql2_free(e);
        return NULL;
    }
    return e;
}
