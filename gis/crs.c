/* PROJ-based transformation of OGR geometries to EPSG:4326 (lon/lat). */
#include "gis/crs.h"

#include <cpl_conv.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct crs_transformer {
    PJ_CONTEXT *ctx;
    PJ *pj;           /* normalised for visualisation: x = lon, y = lat */
    int identity;     /* source is already WGS 84 lon/lat */
    double *buf;      /* scratch for x, y, z, m of one part, grown on demand */
    size_t bufcap;    /* number of points buf holds */
};

void crs_transformer_free(crs_transformer *t)
{
    if (!t)
        return;
    if (t->pj)
        proj_destroy(t->pj);
    if (t->ctx)
        proj_context_destroy(t->ctx);
    free(t->buf);
    free(t);
}

crs_transformer *crs_transformer_from_string(const char *src, char *err, size_t errlen)
{
    crs_transformer *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->ctx = proj_context_create();
    if (t->ctx) /* we report errors ourselves, with the file and layer */
        proj_log_level(t->ctx, PJ_LOG_NONE);
    PJ *from = t->ctx ? proj_create(t->ctx, src) : NULL;
    if (!from) {
        snprintf(err, errlen, "unknown coordinate reference system \"%s\" (expected e.g. EPSG:2100): %s",
                 src, t->ctx ? proj_context_errno_string(t->ctx, proj_context_errno(t->ctx)) : "no PROJ context");
        crs_transformer_free(t);
        return NULL;
    }
    PJ_TYPE type = proj_get_type(from);
    if (type == PJ_TYPE_CONVERSION || type == PJ_TYPE_TRANSFORMATION ||
        type == PJ_TYPE_CONCATENATED_OPERATION || type == PJ_TYPE_OTHER_COORDINATE_OPERATION) {
        snprintf(err, errlen, "\"%s\" is a coordinate operation, expected a coordinate reference system", src);
        proj_destroy(from);
        crs_transformer_free(t);
        return NULL;
    }
    PJ *to = proj_create(t->ctx, "EPSG:4326");
    t->identity = to && proj_is_equivalent_to(from, to, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS);
    PJ *op = to ? proj_create_crs_to_crs_from_pj(t->ctx, from, to, NULL, NULL) : NULL;
    proj_destroy(from);
    proj_destroy(to);
    if (op) {
        t->pj = proj_normalize_for_visualization(t->ctx, op);
        proj_destroy(op);
    }
    if (!t->pj) {
        snprintf(err, errlen, "PROJ cannot transform from \"%s\" to EPSG:4326: %s", src,
                 proj_context_errno_string(t->ctx, proj_context_errno(t->ctx)));
        crs_transformer_free(t);
        return NULL;
    }
    return t;
}

/* An EPSG code is the most faithful way to hand a layer's CRS to PROJ (it
 * keeps PROJ's choice of datum shift); WKT2 covers CRSs without one. */
crs_transformer *crs_transformer_from_ogr(OGRSpatialReferenceH srs, char *err, size_t errlen)
{
    if (!srs) {
        snprintf(err, errlen, "no coordinate reference system");
        return NULL;
    }
    const char *auth = OSRGetAuthorityName(srs, NULL);
    const char *code = OSRGetAuthorityCode(srs, NULL);
    if (auth && code && !strcmp(auth, "EPSG")) {
        char s[64];
        snprintf(s, sizeof s, "EPSG:%s", code);
        return crs_transformer_from_string(s, err, errlen);
    }
    char *wkt = NULL;
    const char *opts[] = {"FORMAT=WKT2_2018", NULL};
    if (OSRExportToWktEx(srs, &wkt, opts) != OGRERR_NONE || !wkt) {
        CPLFree(wkt);
        snprintf(err, errlen, "cannot export the layer's coordinate reference system as WKT");
        return NULL;
    }
    crs_transformer *t = crs_transformer_from_string(wkt, err, errlen);
    CPLFree(wkt);
    return t;
}

int crs_transformer_is_identity(const crs_transformer *t)
{
    return t->identity;
}

int crs_transform_point(crs_transformer *t, double *x, double *y, char *err, size_t errlen)
{
    if (t->identity)
        return 0;
    PJ_COORD c = proj_coord(*x, *y, 0, 0);
    proj_errno_reset(t->pj);
    PJ_COORD r = proj_trans(t->pj, PJ_FWD, c);
    if (!isfinite(r.xy.x) || !isfinite(r.xy.y) || r.xy.x == HUGE_VAL) {
        snprintf(err, errlen, "cannot transform point (%.3f, %.3f) to EPSG:4326: %s", *x, *y,
                 proj_errno_string(proj_errno(t->pj)));
        return -1;
    }
    *x = r.xy.x;
    *y = r.xy.y;
    return 0;
}

/* Transforms the vertices of one simple part (point, line string, ring,
 * circular string). */
static int transform_part(crs_transformer *t, OGRGeometryH g, char *err, size_t errlen)
{
    int n = OGR_G_GetPointCount(g);
    if (n <= 0)
        return 0;
    if ((size_t)n > t->bufcap) {
        double *nb = realloc(t->buf, (size_t)n * 4 * sizeof(double));
        if (!nb) {
            snprintf(err, errlen, "out of memory for a part of %d points", n);
            return -1;
        }
        t->buf = nb;
        t->bufcap = (size_t)n;
    }
    double *x = t->buf, *y = x + n, *z = y + n, *m = z + n;
    int has_z = OGR_G_Is3D(g), has_m = OGR_G_IsMeasured(g);
    const int st = (int)sizeof(double);
    OGR_G_GetPointsZM(g, x, st, y, st, has_z ? z : NULL, st, has_m ? m : NULL, st);
    proj_errno_reset(t->pj);
    proj_trans_generic(t->pj, PJ_FWD, x, sizeof(double), (size_t)n, y, sizeof(double), (size_t)n,
                       has_z ? z : NULL, has_z ? sizeof(double) : 0, has_z ? (size_t)n : 0,
                       NULL, 0, 0);
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || x[i] == HUGE_VAL || y[i] == HUGE_VAL) {
            snprintf(err, errlen, "cannot transform vertex %d to EPSG:4326 (outside the source CRS's area?): %s",
                     i, proj_errno_string(proj_errno(t->pj)));
            return -1;
        }
    }
    OGR_G_SetPointsZM(g, n, x, st, y, st, has_z ? z : NULL, st, has_m ? m : NULL, st);
    return 0;
}

int crs_transform_geometry(crs_transformer *t, OGRGeometryH g, char *err, size_t errlen)
{
    if (!g || t->identity)
        return 0;
    OGRwkbGeometryType ft = wkbFlatten(OGR_G_GetGeometryType(g));
    if (ft == wkbPoint || ft == wkbLineString || ft == wkbLinearRing || ft == wkbCircularString)
        return transform_part(t, g, err, errlen);
    /* polygons (rings), multi* and collections, compound curves */
    int n = OGR_G_GetGeometryCount(g);
    for (int i = 0; i < n; i++)
        if (crs_transform_geometry(t, OGR_G_GetGeometryRef(g, i), err, errlen) < 0)
            return -1;
    return 0;
}
