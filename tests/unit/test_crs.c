/* PROJ transformer: Greek Grid (EPSG:2100) to WGS 84 lon/lat. */
#include "gis/crs.h"
#include "tests/unit/check.h"

#include <ogr_srs_api.h>

int main(void)
{
    char err[512] = "";
    crs_transformer *t = crs_transformer_from_string("EPSG:2100", err, sizeof err);
    CHECK(t != NULL);
    if (!t) {
        fprintf(stderr, "%s\n", err);
        return check_summary();
    }
    CHECK(!crs_transformer_is_identity(t));
    /* the point checked against PostGIS ST_Transform: lon first */
    double x = 476000, y = 4206000;
    CHECK_INT(crs_transform_point(t, &x, &y, err, sizeof err), 0);
    CHECK_NEAR(x, 23.728334, 1e-6);
    CHECK_NEAR(y, 38.003948, 1e-6);

    /* a polygon (with a hole) inside a multipolygon: every ring is walked */
    OGRGeometryH g = NULL;
    char wkt[] = "MULTIPOLYGON(((476000 4206000,477000 4206000,477000 4207000,476000 4206000),"
                 "(476100 4206100,476900 4206100,476900 4206800,476100 4206100)),"
                 "((400000 4500000,401000 4500000,401000 4501000,400000 4500000)))";
    char *p = wkt;
    CHECK_INT(OGR_G_CreateFromWkt(&p, NULL, &g), OGRERR_NONE);
    CHECK_INT(crs_transform_geometry(t, g, err, sizeof err), 0);
    OGRGeometryH poly0 = OGR_G_GetGeometryRef(g, 0);
    OGRGeometryH ring0 = OGR_G_GetGeometryRef(poly0, 0);
    OGRGeometryH hole = OGR_G_GetGeometryRef(poly0, 1);
    CHECK_NEAR(OGR_G_GetX(ring0, 0), 23.728334, 1e-6);
    CHECK_NEAR(OGR_G_GetY(ring0, 0), 38.003948, 1e-6);
    CHECK(OGR_G_GetX(hole, 0) > 23.7 && OGR_G_GetX(hole, 0) < 23.8);
    OGRGeometryH ring1 = OGR_G_GetGeometryRef(OGR_G_GetGeometryRef(g, 1), 0);
    /* central Macedonia: lon 22..24, lat 40..41 */
    CHECK(OGR_G_GetX(ring1, 2) > 22 && OGR_G_GetX(ring1, 2) < 24);
    CHECK(OGR_G_GetY(ring1, 2) > 40 && OGR_G_GetY(ring1, 2) < 41);
    CHECK(!OGR_G_Is3D(g));
    OGR_G_DestroyGeometry(g);

    /* a 3D point keeps its Z */
    char wkt3[] = "POINT Z (476000 4206000 100)";
    p = wkt3;
    CHECK_INT(OGR_G_CreateFromWkt(&p, NULL, &g), OGRERR_NONE);
    CHECK_INT(crs_transform_geometry(t, g, err, sizeof err), 0);
    CHECK_NEAR(OGR_G_GetX(g, 0), 23.728334, 1e-6);
    CHECK(OGR_G_Is3D(g));
    OGR_G_DestroyGeometry(g);
    crs_transformer_free(t);

    /* from an OGR SRS, as a layer gives it */
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 2100);
    t = crs_transformer_from_ogr(srs, err, sizeof err);
    CHECK(t != NULL);
    x = 476000, y = 4206000;
    CHECK(t && crs_transform_point(t, &x, &y, err, sizeof err) == 0);
    CHECK_NEAR(x, 23.728334, 1e-6);
    crs_transformer_free(t);
    OSRDestroySpatialReference(srs);

    /* WGS 84 source is an identity */
    t = crs_transformer_from_string("EPSG:4326", err, sizeof err);
    CHECK(t && crs_transformer_is_identity(t));
    x = 23.5, y = 40.5;
    CHECK(t && crs_transform_point(t, &x, &y, err, sizeof err) == 0);
    CHECK_NEAR(x, 23.5, 1e-12);
    crs_transformer_free(t);

    /* errors name what was given */
    t = crs_transformer_from_string("EPSG:999999", err, sizeof err);
    CHECK(t == NULL);
    CHECK(strstr(err, "EPSG:999999") != NULL);
    t = crs_transformer_from_string("not a crs", err, sizeof err);
    CHECK(t == NULL);
    return check_summary();
}
