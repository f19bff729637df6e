/* CQL2 text: geometry literals, WKT in CRS84 (POINT, LINESTRING, POLYGON,
 * their MULTI forms, GEOMETRYCOLLECTION) and BBOX / ENVELOPE. Positions are
 * checked to be longitude latitude in range and written back as canonical
 * WKT, which becomes a parameter of the SQL. */
#include "gis/cql2_internal.h"

#include "common/textbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wkt {
    struct textbuf t;
    int npts;
};

static int read_number(struct cql2_parser *ps, double *v, const char *what)
{
    if (ps->tok != T_NUMBER) {
        cql2_fail(ps, "%s", what);
        return -1;
    }
    char buf[64];
    size_t n = ps->end - ps->p;
    if (n >= sizeof buf) {
        cql2_fail(ps, "%s", what);
        return -1;
    }
    memcpy(buf, ps->s + ps->p, n);
    buf[n] = '\0';
    *v = strtod(buf, NULL);
    if (!isfinite(*v)) {
        cql2_fail(ps, "%s", what);
        return -1;
    }
    cql2_next(ps);
    return 0;
}

/* "x y" with x a longitude and y a latitude; appended to w. */
static int read_position(struct cql2_parser *ps, struct wkt *w, double *x, double *y)
{
    size_t at = ps->p;
    if (read_number(ps, x, "a longitude (CRS84: longitude latitude)") ||
        read_number(ps, y, "a latitude after the longitude (CRS84: longitude latitude)"))
        return -1;
    if (*x < -180 || *x > 180 || *y < -90 || *y > 90) {
        ps->p = at;
        cql2_fail(ps,
                  "a position in CRS84 (longitude -180..180, latitude -90..90), not %.10g %.10g",
                  *x, *y);
        return -1;
    }
    textbuf_printf(&w->t, "%s%.15g %.15g", w->npts++ ? "," : "", *x, *y);
    return 0;
}

/* "(x y, x y, ...)": at least min positions; closed when ring. */
static int read_points(struct cql2_parser *ps, struct wkt *w, int min, int ring)
{
    size_t at = ps->p;
    if (cql2_expect(ps, T_LPAREN, "\"(\" to start a list of positions"))
        return -1;
    textbuf_printf(&w->t, "(");
    w->npts = 0;
    double x0 = 0, y0 = 0, x = 0, y = 0;
    int n = 0;
    do {
        if (n && cql2_expect(ps, T_COMMA, "\",\""))
            return -1;
        if (read_position(ps, w, &x, &y))
            return -1;
        if (!n++)
            x0 = x, y0 = y;
    } while (ps->tok == T_COMMA);
    if (n < min || (ring && (x != x0 || y != y0))) {
        ps->p = at;
        cql2_fail(ps, ring ? "a closed ring of at least 4 positions (the last equal to the first)"
                           : "at least %d positions", min);
        return -1;
    }
    textbuf_printf(&w->t, ")");
    return cql2_expect(ps, T_RPAREN, "\",\" or \")\" after a position");
}

/* "((ring), (ring), ...)" */
static int read_polygon(struct cql2_parser *ps, struct wkt *w)
{
    if (cql2_expect(ps, T_LPAREN, "\"(\" to start a polygon"))
        return -1;
    textbuf_printf(&w->t, "(");
    int n = 0;
    do {
        if (n++) {
            cql2_next(ps);
            textbuf_printf(&w->t, ",");
        }
        if (read_points(ps, w, 4, 1))
            return -1;
    } while (ps->tok == T_COMMA);
    textbuf_printf(&w->t, ")");
    return cql2_expect(ps, T_RPAREN, "\",\" or \")\" after a ring");
}

static const char *const geom_names[] = {"POINT", "LINESTRING", "POLYGON", "MULTIPOINT",
                                         "MULTILINESTRING", "MULTIPOLYGON", NULL};

int cql2_is_geometry_kw(const struct cql2_parser *ps)
{
    for (int i = 0; geom_names[i]; i++)
        if (cql2_is_kw(ps, geom_names[i]))
            return 1;
    return cql2_is_kw(ps, "BBOX") || cql2_is_kw(ps, "ENVELOPE") ||
           cql2_is_kw(ps, "GEOMETRYCOLLECTION");
}

static int read_wkt(struct cql2_parser *ps, struct wkt *w, int depth);

/* A geometry literal (the current token is its keyword). */
struct cql2_node *cql2_parse_geometry(struct cql2_parser *ps)
{
    size_t at = ps->p;
    if (cql2_is_kw(ps, "BBOX") || cql2_is_kw(ps, "ENVELOPE")) {
        int envelope = cql2_is_kw(ps, "ENVELOPE");
        cql2_next(ps);
        double v[4];
        if (cql2_expect(ps, T_LPAREN, "\"(\" after BBOX"))
            return NULL;
        for (int i = 0; i < 4; i++)
            if ((i && cql2_expect(ps, T_COMMA, "\",\" between the four numbers of the box")) ||
                read_number(ps, &v[i], envelope ? "a number (ENVELOPE(west, east, north, south))"
                                                : "a number (BBOX(west, south, east, north))"))
                return NULL;
        if (cql2_expect(ps, T_RPAREN, "\")\" after the four numbers of the box"))
            return NULL;
        struct cql2_node *n = cql2_new_node(ps, CQL2_BBOX, at);
        if (!n)
            return NULL;
        if (envelope)
            n->box[0] = v[0], n->box[1] = v[3], n->box[2] = v[1], n->box[3] = v[2];
        else
            memcpy(n->box, v, sizeof v);
        if (!(n->box[0] >= -180 && n->box[2] <= 180 && n->box[1] >= -90 && n->box[3] <= 90 &&
              n->box[0] <= n->box[2] && n->box[1] <= n->box[3])) {
            ps->p = at;
            cql2_fail(ps, "a box in CRS84 with west <= east and south <= north (degrees)");
            return NULL;
        }
        return n;
    }
    struct wkt w = {{0}, 0};
    struct cql2_node *n = read_wkt(ps, &w, 0) ? NULL : cql2_new_node(ps, CQL2_GEOM, at);
    if (!n) {
        free(w.t.buf);
        return NULL;
    }
    n->text = w.t.buf;
    return n;
}

/* One WKT geometry (the current token is its keyword) appended to w;
 * GEOMETRYCOLLECTION holds any of them, nested at most 4 deep. */
static int read_wkt(struct cql2_parser *ps, struct wkt *w, int depth)
{
    size_t at = ps->p;
    if (cql2_is_kw(ps, "GEOMETRYCOLLECTION")) {
        cql2_next(ps);
        if (depth == 4) {
            ps->p = at;
            cql2_fail(ps, "geometry collections nested at most 4 deep");
            return -1;
        }
        if (cql2_expect(ps, T_LPAREN, "\"(\" to start a geometry collection"))
            return -1;
        textbuf_printf(&w->t, "GEOMETRYCOLLECTION(");
        for (int k = 0; k == 0 || ps->tok == T_COMMA; k++) {
            if (k) {
                cql2_next(ps);
                textbuf_printf(&w->t, ",");
            }
            if (!cql2_is_geometry_kw(ps) || cql2_is_kw(ps, "BBOX") || cql2_is_kw(ps, "ENVELOPE")) {
                cql2_fail(ps, "a WKT geometry (POINT, LINESTRING, POLYGON, MULTI..., "
                              "GEOMETRYCOLLECTION)");
                return -1;
            }
            if (read_wkt(ps, w, depth + 1))
                return -1;
        }
        textbuf_printf(&w->t, ")");
        return cql2_expect(ps, T_RPAREN, "\",\" or \")\" in a geometry collection");
    }
    int kind = 0;
    while (!cql2_is_kw(ps, geom_names[kind]))
        kind++;
    cql2_next(ps);
    textbuf_printf(&w->t, "%s", geom_names[kind]);
    int rc = 0;
    switch (kind) {
    case 0: /* POINT (x y) */
        rc = read_points(ps, w, 1, 0);
        if (!rc && w->npts != 1) {
            ps->p = at;
            cql2_fail(ps, "one position in POINT");
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
        if (cql2_expect(ps, T_LPAREN, "\"(\" to start a multipoint")) {
            rc = -1;
            break;
        }
        textbuf_printf(&w->t, "(");
        for (int n = 0; !rc && (n == 0 || ps->tok == T_COMMA); n++) {
            if (n) {
                cql2_next(ps);
                textbuf_printf(&w->t, ",");
            }
            double x, y;
            if (ps->tok == T_LPAREN) {
                w->npts = 0;
                textbuf_printf(&w->t, "(");
                cql2_next(ps);
                rc = read_position(ps, w, &x, &y) ||
                     cql2_expect(ps, T_RPAREN, "\")\" after a position");
                textbuf_printf(&w->t, ")");
            } else {
                w->npts = 0;
                rc = read_position(ps, w, &x, &y);
            }
        }
        if (!rc)
            rc = cql2_expect(ps, T_RPAREN, "\",\" or \")\" in a multipoint");
        textbuf_printf(&w->t, ")");
        break;
    default: /* MULTILINESTRING ((..), (..)), MULTIPOLYGON (((..)), ((..))) */
        if (cql2_expect(ps, T_LPAREN, "\"(\" to start a multi-geometry")) {
            rc = -1;
            break;
        }
        textbuf_printf(&w->t, "(");
        for (int n = 0; !rc && (n == 0 || ps->tok == T_COMMA); n++) {
            if (n) {
                cql2_next(ps);
                textbuf_printf(&w->t, ",");
            }
            rc = kind == 4 ? read_points(ps, w, 2, 0) : read_polygon(ps, w);
        }
        if (!rc)
            rc = cql2_expect(ps, T_RPAREN, "\",\" or \")\" in a multi-geometry");
        textbuf_printf(&w->t, ")");
        break;
    }
    return rc;
}
