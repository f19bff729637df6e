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

/* One member of a parenthesised list, appended to w; depth is that of the
 * geometry holding the list (only collections use it). 0 or -1. */
typedef int (*read_member_fn)(struct cql2_parser *ps, struct wkt *w, int depth);

/* "(" member {"," member} ")", written to w as "(member,member)": the one
 * shape of a polygon's rings, the MULTI forms' members and a collection's
 * geometries. open and close are what the messages expect instead of the
 * "(" and of the "," or ")" after a member. */
static int read_list(struct cql2_parser *ps, struct wkt *w, const char *open, const char *close,
                     read_member_fn member, int depth)
{
    if (cql2_expect(ps, T_LPAREN, open))
        return -1;
    textbuf_printf(&w->t, "(");
    for (int n = 0; n == 0 || ps->tok == T_COMMA; n++) {
        if (n) {
            cql2_next(ps);
            textbuf_printf(&w->t, ",");
        }
        if (member(ps, w, depth))
            return -1;
    }
    textbuf_printf(&w->t, ")");
    return cql2_expect(ps, T_RPAREN, close);
}

static int read_ring(struct cql2_parser *ps, struct wkt *w, int depth)
{
    (void)depth;
    return read_points(ps, w, 4, 1);
}

static int read_linestring(struct cql2_parser *ps, struct wkt *w, int depth)
{
    (void)depth;
    return read_points(ps, w, 2, 0);
}

/* "((ring), (ring), ...)" */
static int read_polygon(struct cql2_parser *ps, struct wkt *w, int depth)
{
    return read_list(ps, w, "\"(\" to start a polygon", "\",\" or \")\" after a ring", read_ring,
                     depth);
}

/* A member of MULTIPOINT: "(x y)", or "x y" without the parentheses. */
static int read_multipoint_member(struct cql2_parser *ps, struct wkt *w, int depth)
{
    (void)depth;
    double x, y;
    w->npts = 0;
    if (ps->tok != T_LPAREN)
        return read_position(ps, w, &x, &y);
    textbuf_printf(&w->t, "(");
    cql2_next(ps);
    int rc = read_position(ps, w, &x, &y) || cql2_expect(ps, T_RPAREN, "\")\" after a position");
    textbuf_printf(&w->t, ")");
    return rc;
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

/* A member of a geometry collection: any WKT geometry, not a box. */
static int read_collection_member(struct cql2_parser *ps, struct wkt *w, int depth)
{
    if (!cql2_is_geometry_kw(ps) || cql2_is_kw(ps, "BBOX") || cql2_is_kw(ps, "ENVELOPE")) {
        cql2_fail(ps, "a WKT geometry (POINT, LINESTRING, POLYGON, MULTI..., "
                      "GEOMETRYCOLLECTION)");
        return -1;
    }
    return read_wkt(ps, w, depth + 1);
}

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
        textbuf_printf(&w->t, "GEOMETRYCOLLECTION");
        return read_list(ps, w, "\"(\" to start a geometry collection",
                         "\",\" or \")\" in a geometry collection", read_collection_member, depth);
    }
    int kind = 0;
    while (!cql2_is_kw(ps, geom_names[kind]))
        kind++;
    cql2_next(ps);
    textbuf_printf(&w->t, "%s", geom_names[kind]);
    switch (kind) {
    case 0: /* POINT (x y) */
        if (read_points(ps, w, 1, 0))
            return -1;
        if (w->npts != 1) {
            ps->p = at;
            cql2_fail(ps, "one position in POINT");
            return -1;
        }
        return 0;
    case 1:
        return read_linestring(ps, w, depth);
    case 2:
        return read_polygon(ps, w, depth);
    case 3: /* MULTIPOINT ((x y), (x y)) or MULTIPOINT (x y, x y) */
        return read_list(ps, w, "\"(\" to start a multipoint", "\",\" or \")\" in a multipoint",
                         read_multipoint_member, depth);
    default: /* MULTILINESTRING ((..), (..)), MULTIPOLYGON (((..)), ((..))) */
        return read_list(ps, w, "\"(\" to start a multi-geometry",
                         "\",\" or \")\" in a multi-geometry",
                         kind == 4 ? read_linestring : read_polygon, depth);
    }
}
