/* CQL2 text: recursive-descent parser and SQL translator (see cql2.h).
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
#include "gis/cql2.h"

#include "common/textbuf.h"
#include "gis/rfc3339.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- tokens ---- */

enum tok {
    T_END, T_IDENT, T_QIDENT, T_STRING, T_NUMBER, T_LPAREN, T_RPAREN, T_COMMA,
    T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_BAD,
};

struct parser {
    struct cql2_expr *e;
    const char *s;
    size_t p;          /* byte offset of the current token */
    size_t end;        /* byte offset just after it */
    enum tok tok;
    int depth;
    int failed;
    struct cql2_error *err;
};

static int char_pos(const char *s, size_t byte)
{
    int n = 1;
    for (size_t i = 0; i < byte && s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

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
    err->pos = char_pos(text, byte);
    snprintf(err->found, sizeof err->found, "%s", found);
}

/* The current token as the user wrote it, quoted and shortened. */
static void describe_tok(const struct parser *ps, char *buf, size_t len)
{
    if (ps->tok == T_END) {
        snprintf(buf, len, "the end of the filter");
        return;
    }
    size_t n = ps->end - ps->p;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)ps->s[ps->p + n] & 0xC0) == 0x80)
            n--; /* do not cut a UTF-8 character */
        snprintf(buf, len, "\"%.*s...\"", (int)n, ps->s + ps->p);
    } else {
        snprintf(buf, len, "\"%.*s\"", (int)n, ps->s + ps->p);
    }
}

static void fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct parser *ps, const char *fmt, ...)
{
    if (ps->failed)
        return;
    ps->failed = 1;
    char found[80];
    describe_tok(ps, found, sizeof found);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err->expected, sizeof ps->err->expected, fmt, ap);
    va_end(ap);
    ps->err->pos = char_pos(ps->s, ps->p);
    snprintf(ps->err->found, sizeof ps->err->found, "%s", found);
}

static int ident_start(int c)
{
    return isalpha(c) || c == '_';
}

static int ident_char(int c)
{
    return isalnum(c) || c == '_' || c == '.' || c == ':';
}

/* Reads the token at ps->end into ps->tok / p / end. */
static void next(struct parser *ps)
{
    const char *s = ps->s;
    size_t i = ps->end;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    ps->p = i;
    unsigned char c = (unsigned char)s[i];
    if (!c) {
        ps->tok = T_END, ps->end = i;
        return;
    }
    if (ident_start(c)) {
        while (ident_char((unsigned char)s[i]))
            i++;
        ps->tok = T_IDENT, ps->end = i;
        return;
    }
    if (c == '"' || c == '\'') {
        for (i++;; i++) {
            if (!s[i]) {
                ps->tok = T_BAD, ps->end = i;
                return;
            }
            if (s[i] == (char)c) {
                if (s[i + 1] == (char)c) { /* doubled quote inside */
                    i++;
                    continue;
                }
                break;
            }
        }
        ps->tok = c == '"' ? T_QIDENT : T_STRING, ps->end = i + 1;
        return;
    }
    if (isdigit(c) || ((c == '-' || c == '+' || c == '.') &&
                       (isdigit((unsigned char)s[i + 1]) ||
                        (s[i + 1] == '.' && isdigit((unsigned char)s[i + 2]))))) {
        if (c == '-' || c == '+')
            i++;
        int digits = 0;
        while (isdigit((unsigned char)s[i]))
            i++, digits++;
        if (s[i] == '.') {
            i++;
            while (isdigit((unsigned char)s[i]))
                i++, digits++;
        }
        if (digits && (s[i] == 'e' || s[i] == 'E')) {
            size_t j = i + 1;
            if (s[j] == '+' || s[j] == '-')
                j++;
            if (isdigit((unsigned char)s[j])) {
                while (isdigit((unsigned char)s[j]))
                    j++;
                i = j;
            }
        }
        ps->tok = digits ? T_NUMBER : T_BAD, ps->end = i;
        if (ident_char((unsigned char)s[i])) { /* 12abc */
            while (ident_char((unsigned char)s[i]))
                i++;
            ps->tok = T_BAD, ps->end = i;
        }
        return;
    }
    ps->end = i + 1;
    switch (c) {
    case '(': ps->tok = T_LPAREN; return;
    case ')': ps->tok = T_RPAREN; return;
    case ',': ps->tok = T_COMMA; return;
    case '=': ps->tok = T_EQ; return;
    case '<':
        if (s[i + 1] == '>')
            ps->tok = T_NE, ps->end = i + 2;
        else if (s[i + 1] == '=')
            ps->tok = T_LE, ps->end = i + 2;
        else
            ps->tok = T_LT;
        return;
    case '>':
        if (s[i + 1] == '=')
            ps->tok = T_GE, ps->end = i + 2;
        else
            ps->tok = T_GT;
        return;
    default:
        /* one whole UTF-8 character, so the message shows it intact */
        while (((unsigned char)s[ps->end] & 0xC0) == 0x80)
            ps->end++;
        ps->tok = T_BAD;
        return;
    }
}

/* 1 when the current token is the keyword kw (case-insensitive). */
static int is_kw(const struct parser *ps, const char *kw)
{
    size_t n = strlen(kw);
    return ps->tok == T_IDENT && ps->end - ps->p == n && !strncasecmp(ps->s + ps->p, kw, n);
}

/* 1 when the token after the current one is "(" (one token of lookahead). */
static int followed_by_paren(const struct parser *ps)
{
    size_t i = ps->end;
    while (ps->s[i] == ' ' || ps->s[i] == '\t' || ps->s[i] == '\n' || ps->s[i] == '\r')
        i++;
    return ps->s[i] == '(';
}

static const char *const reserved[] = {"AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS",
                                       "NULL", "TRUE", "FALSE", NULL};

static int is_reserved(const struct parser *ps)
{
    for (int i = 0; reserved[i]; i++)
        if (is_kw(ps, reserved[i]))
            return 1;
    return 0;
}

static struct cql2_node *new_node(struct parser *ps, enum cql2_kind kind, size_t pos)
{
    if (ps->failed)
        return NULL;
    struct cql2_expr *e = ps->e;
    if (e->nnodes == CQL2_MAX_NODES) {
        fail(ps, "a filter of at most %d terms", CQL2_MAX_NODES);
        return NULL;
    }
    struct cql2_node *n = &e->nodes[e->nnodes++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->pos = (int)pos;
    return n;
}

/* The current token's text without its quotes, doubled quotes undoubled. */
static char *unquote(const struct parser *ps)
{
    const char *s = ps->s + ps->p + 1;
    size_t n = ps->end - ps->p - 2;
    char *out = malloc(n + 1), *o = out;
    if (!out)
        abort();
    for (size_t i = 0; i < n; i++) {
        *o++ = s[i];
        if (s[i] == s[-1] && i + 1 < n && s[i + 1] == s[-1])
            i++;
    }
    *o = '\0';
    return out;
}

static char *tok_text(const struct parser *ps)
{
    return strndup(ps->s + ps->p, ps->end - ps->p);
}

/* ---- geometry literals (WKT in CRS84) ---- */

struct wkt {
    struct textbuf t;
    int npts;
};

static int read_number(struct parser *ps, double *v, const char *what)
{
    if (ps->tok != T_NUMBER) {
        fail(ps, "%s", what);
        return -1;
    }
    char buf[64];
    size_t n = ps->end - ps->p;
    if (n >= sizeof buf) {
        fail(ps, "%s", what);
        return -1;
    }
    memcpy(buf, ps->s + ps->p, n);
    buf[n] = '\0';
    *v = strtod(buf, NULL);
    if (!isfinite(*v)) {
        fail(ps, "%s", what);
        return -1;
    }
    next(ps);
    return 0;
}

static int expect(struct parser *ps, enum tok t, const char *what)
{
    if (ps->failed)
        return -1;
    if (ps->tok != t) {
        fail(ps, "%s", what);
        return -1;
    }
    next(ps);
    return 0;
}

/* "x y" with x a longitude and y a latitude; appended to w. */
static int read_position(struct parser *ps, struct wkt *w, double *x, double *y)
{
    size_t at = ps->p;
    if (read_number(ps, x, "a longitude (CRS84: longitude latitude)") ||
        read_number(ps, y, "a latitude after the longitude (CRS84: longitude latitude)"))
        return -1;
    if (*x < -180 || *x > 180 || *y < -90 || *y > 90) {
        ps->p = at;
        fail(ps, "a position in CRS84 (longitude -180..180, latitude -90..90), not %.10g %.10g",
             *x, *y);
        return -1;
    }
    textbuf_printf(&w->t, "%s%.15g %.15g", w->npts++ ? "," : "", *x, *y);
    return 0;
}

/* "(x y, x y, ...)": at least min positions; closed when ring. */
static int read_points(struct parser *ps, struct wkt *w, int min, int ring)
{
    size_t at = ps->p;
    if (expect(ps, T_LPAREN, "\"(\" to start a list of positions"))
        return -1;
    textbuf_printf(&w->t, "(");
    w->npts = 0;
    double x0 = 0, y0 = 0, x = 0, y = 0;
    int n = 0;
    do {
        if (n && expect(ps, T_COMMA, "\",\""))
            return -1;
        if (read_position(ps, w, &x, &y))
            return -1;
        if (!n++)
            x0 = x, y0 = y;
    } while (ps->tok == T_COMMA);
    if (n < min || (ring && (x != x0 || y != y0))) {
        ps->p = at;
        fail(ps, ring ? "a closed ring of at least 4 positions (the last equal to the first)"
                      : "at least %d positions", min);
        return -1;
    }
    textbuf_printf(&w->t, ")");
    return expect(ps, T_RPAREN, "\",\" or \")\" after a position");
}

/* "((ring), (ring), ...)" */
static int read_polygon(struct parser *ps, struct wkt *w)
{
    if (expect(ps, T_LPAREN, "\"(\" to start a polygon"))
        return -1;
    textbuf_printf(&w->t, "(");
    int n = 0;
    do {
        if (n++) {
            next(ps);
            textbuf_printf(&w->t, ",");
        }
        if (read_points(ps, w, 4, 1))
            return -1;
    } while (ps->tok == T_COMMA);
    textbuf_printf(&w->t, ")");
    return expect(ps, T_RPAREN, "\",\" or \")\" after a ring");
}

static const char *const geom_names[] = {"POINT", "LINESTRING", "POLYGON", "MULTIPOINT",
                                         "MULTILINESTRING", "MULTIPOLYGON", NULL};

static int is_geometry_kw(const struct parser *ps)
{
    for (int i = 0; geom_names[i]; i++)
        if (is_kw(ps, geom_names[i]))
            return 1;
    return is_kw(ps, "BBOX") || is_kw(ps, "ENVELOPE") || is_kw(ps, "GEOMETRYCOLLECTION");
}

static int read_wkt(struct parser *ps, struct wkt *w, int depth);

/* A geometry literal (the current token is its keyword). */
static struct cql2_node *parse_geometry(struct parser *ps)
{
    size_t at = ps->p;
    if (is_kw(ps, "BBOX") || is_kw(ps, "ENVELOPE")) {
        int envelope = is_kw(ps, "ENVELOPE");
        next(ps);
        double v[4];
        if (expect(ps, T_LPAREN, "\"(\" after BBOX"))
            return NULL;
        for (int i = 0; i < 4; i++)
            if ((i && expect(ps, T_COMMA, "\",\" between the four numbers of the box")) ||
                read_number(ps, &v[i], envelope ? "a number (ENVELOPE(west, east, north, south))"
                                                : "a number (BBOX(west, south, east, north))"))
                return NULL;
        if (expect(ps, T_RPAREN, "\")\" after the four numbers of the box"))
            return NULL;
        struct cql2_node *n = new_node(ps, CQL2_BBOX, at);
        if (!n)
            return NULL;
        if (envelope)
            n->box[0] = v[0], n->box[1] = v[3], n->box[2] = v[1], n->box[3] = v[2];
        else
            memcpy(n->box, v, sizeof v);
        if (!(n->box[0] >= -180 && n->box[2] <= 180 && n->box[1] >= -90 && n->box[3] <= 90 &&
              n->box[0] <= n->box[2] && n->box[1] <= n->box[3])) {
            ps->p = at;
            fail(ps, "a box in CRS84 with west <= east and south <= north (degrees)");
            return NULL;
        }
        return n;
    }
    struct wkt w = {{0}, 0};
    struct cql2_node *n = read_wkt(ps, &w, 0) ? NULL : new_node(ps, CQL2_GEOM, at);
    if (!n) {
        free(w.t.buf);
        return NULL;
    }
    n->text = w.t.buf;
    return n;
}

/* One WKT geometry (the current token is its keyword) appended to w;
 * GEOMETRYCOLLECTION holds any of them, nested at most 4 deep. */
static int read_wkt(struct parser *ps, struct wkt *w, int depth)
{
    size_t at = ps->p;
    if (is_kw(ps, "GEOMETRYCOLLECTION")) {
        next(ps);
        if (depth == 4) {
            ps->p = at;
            fail(ps, "geometry collections nested at most 4 deep");
            return -1;
        }
        if (expect(ps, T_LPAREN, "\"(\" to start a geometry collection"))
            return -1;
        textbuf_printf(&w->t, "GEOMETRYCOLLECTION(");
        for (int k = 0; k == 0 || ps->tok == T_COMMA; k++) {
            if (k) {
                next(ps);
                textbuf_printf(&w->t, ",");
            }
            if (!is_geometry_kw(ps) || is_kw(ps, "BBOX") || is_kw(ps, "ENVELOPE")) {
                fail(ps, "a WKT geometry (POINT, LINESTRING, POLYGON, MULTI..., "
                         "GEOMETRYCOLLECTION)");
                return -1;
            }
            if (read_wkt(ps, w, depth + 1))
                return -1;
        }
        textbuf_printf(&w->t, ")");
        return expect(ps, T_RPAREN, "\",\" or \")\" in a geometry collection");
    }
    int kind = 0;
    while (!is_kw(ps, geom_names[kind]))
        kind++;
    next(ps);
    textbuf_printf(&w->t, "%s", geom_names[kind]);
    int rc = 0;
    switch (kind) {
    case 0: /* POINT (x y) */
        rc = read_points(ps, w, 1, 0);
        if (!rc && w->npts != 1) {
            ps->p = at;
            fail(ps, "one position in POINT");
            rc = -1;
        }
        break;
    case 1:
        rc = read_points(ps, w, 2, 0);
        break;
    case 2:
        rc = read_polygon(ps, w);
        break;
    case 3: /* MULTIPOINT ((x y), (x y)) or MULTIPOINT (x y, x y) */
        if (expect(ps, T_LPAREN, "\"(\" to start a multipoint")) {
            rc = -1;
            break;
        }
        textbuf_printf(&w->t, "(");
        for (int n = 0; !rc && (n == 0 || ps->tok == T_COMMA); n++) {
            if (n) {
                next(ps);
                textbuf_printf(&w->t, ",");
            }
            double x, y;
            if (ps->tok == T_LPAREN) {
                w->npts = 0;
                textbuf_printf(&w->t, "(");
                next(ps);
                rc = read_position(ps, w, &x, &y) ||
                     expect(ps, T_RPAREN, "\")\" after a position");
                textbuf_printf(&w->t, ")");
            } else {
                w->npts = 0;
                rc = read_position(ps, w, &x, &y);
            }
        }
        if (!rc)
            rc = expect(ps, T_RPAREN, "\",\" or \")\" in a multipoint");
        textbuf_printf(&w->t, ")");
        break;
    default: /* MULTILINESTRING ((..), (..)), MULTIPOLYGON (((..)), ((..))) */
        if (expect(ps, T_LPAREN, "\"(\" to start a multi-geometry")) {
            rc = -1;
            break;
        }
        textbuf_printf(&w->t, "(");
        for (int n = 0; !rc && (n == 0 || ps->tok == T_COMMA); n++) {
            if (n) {
                next(ps);
                textbuf_printf(&w->t, ",");
            }
            rc = kind == 4 ? read_points(ps, w, 2, 0) : read_polygon(ps, w);
        }
        if (!rc)
            rc = expect(ps, T_RPAREN, "\",\" or \")\" in a multi-geometry");
        textbuf_printf(&w->t, ")");
        break;
    }
    return rc;
}

/* ---- expressions ---- */

static struct cql2_node *parse_or(struct parser *ps);

static struct cql2_node *parse_scalar(struct parser *ps)
{
    if (ps->failed)
        return NULL;
    size_t at = ps->p;
    struct cql2_node *n;
    switch (ps->tok) {
    case T_STRING:
        if (!(n = new_node(ps, CQL2_STR, at)))
            return NULL;
        n->text = unquote(ps);
        next(ps);
        return n;
    case T_NUMBER: {
        char *v = tok_text(ps);
        if (!isfinite(strtod(v, NULL))) {
            free(v);
            fail(ps, "a number within the range of a double");
            return NULL;
        }
        if (!(n = new_node(ps, CQL2_NUM, at))) {
            free(v);
            return NULL;
        }
        n->text = v;
        next(ps);
        return n;
    }
    case T_QIDENT:
        if (!(n = new_node(ps, CQL2_PROP, at)))
            return NULL;
        n->text = unquote(ps);
        next(ps);
        return n;
    case T_IDENT:
        if (is_kw(ps, "TRUE") || is_kw(ps, "FALSE")) {
            if (!(n = new_node(ps, CQL2_BOOL, at)))
                return NULL;
            n->text = strdup(is_kw(ps, "TRUE") ? "true" : "false");
            next(ps);
            return n;
        }
        if ((is_kw(ps, "TIMESTAMP") || is_kw(ps, "DATE")) && followed_by_paren(ps)) {
            int ts = is_kw(ps, "TIMESTAMP");
            next(ps);
            next(ps); /* ( */
            if (ps->tok != T_STRING) {
                fail(ps, ts ? "a quoted RFC 3339 date-time in TIMESTAMP('...')"
                            : "a quoted date in DATE('YYYY-MM-DD')");
                return NULL;
            }
            char *v = unquote(ps);
            char probe[64];
            snprintf(probe, sizeof probe, "%sT00:00:00Z", v);
            if (ts ? !rfc3339_valid(v) : (strlen(v) != 10 || !rfc3339_valid(probe))) {
                free(v);
                fail(ps, ts ? "an RFC 3339 date-time such as '2024-05-01T12:00:00Z'"
                            : "a date such as '2024-05-01'");
                return NULL;
            }
            next(ps);
            if (expect(ps, T_RPAREN, "\")\" after the quoted value") ||
                !(n = new_node(ps, ts ? CQL2_TIMESTAMP : CQL2_DATE, at))) {
                free(v);
                return NULL;
            }
            n->text = v;
            return n;
        }
        if (is_geometry_kw(ps) && followed_by_paren(ps))
            return parse_geometry(ps);
        if (is_reserved(ps))
            break;
        if (!(n = new_node(ps, CQL2_PROP, at)))
            return NULL;
        n->text = tok_text(ps);
        next(ps);
        return n;
    case T_BAD:
        if (ps->s[ps->p] == '\'' || ps->s[ps->p] == '"') {
            fail(ps, "a closing %c for the quote that starts here", ps->s[ps->p]);
            return NULL;
        }
        break;
    default:
        break;
    }
    fail(ps, "a property name or a literal (a 'string', a number, TRUE, FALSE, "
             "TIMESTAMP('...'), DATE('...'))");
    return NULL;
}

static const char *const spatial_names[] = {"S_INTERSECTS", "S_DISJOINT", "S_EQUALS",
                                            "S_TOUCHES", "S_WITHIN", "S_OVERLAPS",
                                            "S_CROSSES", "S_CONTAINS", NULL};

static struct cql2_node *parse_predicate(struct parser *ps)
{
    size_t at = ps->p;
    for (int f = 0; spatial_names[f]; f++)
        if (is_kw(ps, spatial_names[f])) {
            next(ps);
            struct cql2_node *n = new_node(ps, CQL2_SPATIAL, at);
            if (!n || expect(ps, T_LPAREN, "\"(\" after the spatial function"))
                return NULL;
            n->op = f;
            n->a = parse_scalar(ps);
            if (expect(ps, T_COMMA, "\",\" between the two arguments of the spatial function"))
                return NULL;
            n->b = parse_scalar(ps);
            if (expect(ps, T_RPAREN, "\")\" after the second argument of the spatial function"))
                return NULL;
            return n;
        }
    if ((is_kw(ps, "TRUE") || is_kw(ps, "FALSE"))) {
        /* a boolean literal is a predicate of its own, or compared */
        struct cql2_node *lit = parse_scalar(ps);
        if (!lit || !(ps->tok == T_EQ || ps->tok == T_NE))
            return lit;
        at = lit->pos;
        struct cql2_node *n = new_node(ps, CQL2_CMP, at);
        if (!n)
            return NULL;
        n->op = ps->tok == T_EQ ? CQL2_EQ : CQL2_NE;
        next(ps);
        n->a = lit;
        n->b = parse_scalar(ps);
        return n;
    }
    struct cql2_node *a = parse_scalar(ps);
    if (!a)
        return NULL;
    size_t opat = ps->p;
    struct cql2_node *n;
    if (ps->tok >= T_EQ && ps->tok <= T_GE) {
        if (!(n = new_node(ps, CQL2_CMP, opat)))
            return NULL;
        n->op = CQL2_EQ + (int)(ps->tok - T_EQ);
        next(ps);
        n->a = a;
        n->b = parse_scalar(ps);
        return n;
    }
    if (is_kw(ps, "IS")) {
        next(ps);
        if (!(n = new_node(ps, CQL2_ISNULL, opat)))
            return NULL;
        n->a = a;
        if (is_kw(ps, "NOT")) {
            n->negated = 1;
            next(ps);
        }
        if (!is_kw(ps, "NULL")) {
            fail(ps, n->negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
            return NULL;
        }
        next(ps);
        return n;
    }
    int negated = 0;
    if (is_kw(ps, "NOT")) {
        negated = 1;
        next(ps);
        if (!is_kw(ps, "LIKE") && !is_kw(ps, "BETWEEN") && !is_kw(ps, "IN")) {
            fail(ps, "LIKE, BETWEEN or IN after NOT");
            return NULL;
        }
    }
    if (is_kw(ps, "LIKE")) {
        next(ps);
        if (!(n = new_node(ps, CQL2_LIKE, opat)))
            return NULL;
        n->negated = negated;
        n->a = a;
        n->b = parse_scalar(ps);
        return n;
    }
    if (is_kw(ps, "BETWEEN")) {
        next(ps);
        if (!(n = new_node(ps, CQL2_BETWEEN, opat)))
            return NULL;
        n->negated = negated;
        n->a = a;
        n->b = parse_scalar(ps);
        if (!ps->failed && !is_kw(ps, "AND")) {
            fail(ps, "AND between the two bounds of BETWEEN");
            return NULL;
        }
        next(ps);
        n->c = parse_scalar(ps);
        return n;
    }
    if (is_kw(ps, "IN")) {
        next(ps);
        if (!(n = new_node(ps, CQL2_IN, opat)))
            return NULL;
        n->negated = negated;
        n->a = a;
        if (expect(ps, T_LPAREN, "\"(\" to start the list after IN"))
            return NULL;
        struct cql2_node **tail = &n->b;
        do {
            if (*tail && expect(ps, T_COMMA, "\",\""))
                return NULL;
            if (n->b)
                tail = &(*tail)->next;
            if (!(*tail = parse_scalar(ps)))
                return NULL;
        } while (ps->tok == T_COMMA);
        if (expect(ps, T_RPAREN, "\",\" or \")\" in the list after IN"))
            return NULL;
        return n;
    }
    fail(ps, "a comparison (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN, IS NULL) after \"%s\"",
         a->kind == CQL2_PROP || a->kind == CQL2_NUM ? a->text : "the literal");
    return NULL;
}

static struct cql2_node *parse_factor(struct parser *ps)
{
    if (ps->failed)
        return NULL;
    if (++ps->depth > CQL2_MAX_DEPTH) {
        fail(ps, "at most %d nested parentheses or NOTs", CQL2_MAX_DEPTH);
        return NULL;
    }
    size_t at = ps->p;
    struct cql2_node *r;
    if (is_kw(ps, "NOT")) {
        next(ps);
        r = new_node(ps, CQL2_NOT, at);
        if (r && !(r->a = parse_factor(ps)))
            r = NULL;
    } else if (ps->tok == T_LPAREN) {
        next(ps);
        r = parse_or(ps);
        if (expect(ps, T_RPAREN, "\")\" or AND / OR"))
            r = NULL;
    } else {
        r = parse_predicate(ps);
    }
    ps->depth--;
    return ps->failed ? NULL : r;
}

static struct cql2_node *parse_binary(struct parser *ps, const char *kw, enum cql2_kind kind,
                                      struct cql2_node *(*sub)(struct parser *))
{
    struct cql2_node *l = sub(ps);
    while (l && is_kw(ps, kw)) {
        size_t at = ps->p;
        next(ps);
        struct cql2_node *n = new_node(ps, kind, at);
        if (!n)
            return NULL;
        n->a = l;
        if (!(n->b = sub(ps)))
            return NULL;
        l = n;
    }
    return ps->failed ? NULL : l;
}

static struct cql2_node *parse_and(struct parser *ps)
{
    return parse_binary(ps, "AND", CQL2_AND, parse_factor);
}

static struct cql2_node *parse_or(struct parser *ps)
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
    struct parser ps = {.e = e, .s = text, .err = err};
    next(&ps);
    if (ps.tok == T_END) {
        fail(&ps, "a filter expression");
    } else {
        e->root = parse_or(&ps);
        if (!ps.failed && ps.tok != T_END)
            fail(&ps, "AND, OR or the end of the filter");
    }
    if (ps.failed) {
        cql2_free(e);
        return NULL;
    }
    return e;
}

/* ---- translation to SQL ---- */

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
    x->err->pos = char_pos(x->e->text, (size_t)n->pos);
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

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 || n > 63 || !(name[0] >= 'a' && name[0] <= 'z'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '_'))
            return 0;
    return 1;
}

/* The queryable behind a property node, or NULL (error recorded). Returns
 * the geometry as a pseudo-queryable. */
static const struct cql2_queryable *lookup_prop(struct xlate *x, const struct cql2_node *n)
{
    static const struct cql2_queryable geometry = {"geometry", "geometry"};
    if (!strcmp(n->text, "geometry")) /* always the feature geometry */
        return &geometry;
    for (int i = 0; i < x->nq; i++)
        if (!strcmp(x->q[i].name, n->text) && name_ok(x->q[i].name))
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
        if (against == V_DATE || against == V_TIME)
            textbuf_printf(&x->t, "$%d::%s", add_param(x, n->text),
                           against == V_DATE ? "date" : "timestamptz");
        else
            textbuf_printf(&x->t, "$%d::text", add_param(x, n->text));
        return;
    case CQL2_NUM: {
        errno = 0;
        (void)strtoll(n->text, NULL, 10);
        int fits = errno == 0 && !strpbrk(n->text, ".eE");
        const char *cast = against == V_NUM ? "float8" : against == V_INT && fits ? "bigint"
                                                                                  : "numeric";
        textbuf_printf(&x->t, "$%d::%s", add_param(x, n->text), cast);
        return;
    }
    case CQL2_BOOL:
        textbuf_printf(&x->t, "$%d::boolean", add_param(x, n->text));
        return;
    case CQL2_TIMESTAMP:
        textbuf_printf(&x->t, "$%d::timestamptz", add_param(x, n->text));
        return;
    case CQL2_DATE:
        textbuf_printf(&x->t, "$%d::date", add_param(x, n->text));
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
