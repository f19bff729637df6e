/* The reader on the real Kallikratis data: Shapefile (CP1253 via .cpg),
 * GeoJSON, and the zipped Shapefile of all Greece. */
#include "gis/ogr_reader.h"
#include "tests/unit/check.h"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <stdlib.h>

struct found {
    long long count;
    int serres, athos, andros, bad_coord;
    char serres_name[64];
};

/* Reads every feature, looking for Σερρών/9054 and the CP1253 traps. */
static void scan(ogr_reader *r, struct found *fd)
{
    char err[512];
    int name = ogr_reader_field_index(r, "NAME", err, sizeof err);
    int code = ogr_reader_field_index(r, "KWD_YPES", err, sizeof err);
    CHECK(name >= 0 && code >= 0);
    memset(fd, 0, sizeof *fd);
    OGRFeatureH f;
    int rc;
    while ((rc = ogr_reader_next(r, &f, err, sizeof err)) != 0) {
        CHECK_INT(rc, 1);
        if (rc != 1) {
            fprintf(stderr, "%s\n", err);
            continue;
        }
        fd->count++;
        const char *n = NULL, *c = NULL;
        CHECK_INT(ogr_reader_string(r, f, name, &n, err, sizeof err), 1);
        ogr_reader_string(r, f, code, &c, err, sizeof err);
        if (c && !strcmp(c, "9054")) {
            fd->serres++;
            snprintf(fd->serres_name, sizeof fd->serres_name, "%s", n ? n : "");
        }
        if (n && !strcmp(n, "Άθως") && !c)
            fd->athos++;
        if (n && !strcmp(n, "Άνδρου"))
            fd->andros++;
        OGREnvelope e;
        OGR_G_GetEnvelope(OGR_F_GetGeometryRef(f), &e);
        /* Greece, lon/lat: roughly 19.3..29.7 E, 34.7..41.8 N */
        if (e.MinX < 19 || e.MaxX > 30 || e.MinY < 34.5 || e.MaxY > 42)
            fd->bad_coord++;
        OGR_F_Destroy(f);
    }
}

int main(void)
{
    const char *dir = getenv("POLIS_SHARED_DATA");
    if (!dir)
        dir = "../shared/data";
    char path[1024], err[1024];
    struct found fd;

    snprintf(path, sizeof path, "%s/kallikratis_dimoi_kentriki_makedonia_egsa87.shp", dir);
    ogr_reader *r = ogr_reader_open(path, NULL, err, sizeof err);
    CHECK(r != NULL);
    if (!r)
        fprintf(stderr, "%s\n", err);
    if (r) {
        CHECK_STR(ogr_reader_driver(r), "ESRI Shapefile");
        CHECK_STR(ogr_reader_srs_label(r), "EPSG:2100");
        CHECK_INT(ogr_reader_feature_count(r), 38);
        scan(r, &fd);
        CHECK_INT(fd.count, 38);
        CHECK_INT(fd.serres, 1);
        CHECK_STR(fd.serres_name, "Σερρών");
        CHECK_INT(fd.bad_coord, 0);
        CHECK_INT(ogr_reader_field_index(r, "NOPE", err, sizeof err), -1);
        CHECK(strstr(err, "NOPE") && strstr(err, "KWD_YPES"));
        ogr_reader_close(r);
    }

    snprintf(path, sizeof path, "%s/kallikratis_dimoi_kentriki_makedonia.geojson", dir);
    r = ogr_reader_open(path, NULL, err, sizeof err);
    CHECK(r != NULL);
    if (r) {
        CHECK_STR(ogr_reader_driver(r), "GeoJSON");
        scan(r, &fd);
        CHECK_INT(fd.count, 38);
        CHECK_STR(fd.serres_name, "Σερρών");
        CHECK_INT(fd.bad_coord, 0);
        ogr_reader_close(r);
    }
    /* an encoding override makes no sense for GeoJSON */
    struct ogr_reader_options bad_enc = {.encoding = "CP1253"};
    r = ogr_reader_open(path, &bad_enc, err, sizeof err);
    CHECK(r == NULL);
    ogr_reader_close(r);

    /* the zip of all Greece: Ά is 0xA2 in CP1253 and would be garbled as ISO-8859-7 */
    snprintf(path, sizeof path, "%s/kallikratis_dimoi_ellada_egsa87.zip", dir);
    r = ogr_reader_open(path, NULL, err, sizeof err);
    CHECK(r != NULL);
    if (!r)
        fprintf(stderr, "%s\n", err);
    if (r) {
        CHECK_STR(ogr_reader_layer_name(r), "oria_dhmwn_kallikraths_egsa87");
        CHECK_STR(ogr_reader_source_label(r),
                  "kallikratis_dimoi_ellada_egsa87.zip:oria_dhmwn_kallikraths_egsa87");
        scan(r, &fd);
        CHECK_INT(fd.count, 326);
        CHECK_INT(fd.serres, 1);
        CHECK_INT(fd.athos, 1);
        CHECK_INT(fd.andros, 1);
        CHECK_INT(fd.bad_coord, 0);
        ogr_reader_close(r);
    }
    /* the trap, shown: read as ISO-8859-7 the Ά names no longer match */
    struct ogr_reader_options iso = {.encoding = "iso-8859-7"};
    r = ogr_reader_open(path, &iso, err, sizeof err);
    CHECK(r != NULL);
    if (r) {
        scan(r, &fd);
        CHECK_INT(fd.count, 326);
        CHECK_INT(fd.andros, 0);
        ogr_reader_close(r);
    }

    /* clear errors */
    struct ogr_reader_options nolayer = {.layer = "nope"};
    r = ogr_reader_open(path, &nolayer, err, sizeof err);
    CHECK(r == NULL && strstr(err, "nope") && strstr(err, "oria_dhmwn_kallikraths_egsa87"));
    struct ogr_reader_options badenc = {.encoding = "KOI8-R"};
    r = ogr_reader_open(path, &badenc, err, sizeof err);
    CHECK(r == NULL && strstr(err, "KOI8-R"));
    r = ogr_reader_open("/nonexistent/x.zip", NULL, err, sizeof err);
    CHECK(r == NULL && strstr(err, "/nonexistent/x.zip"));
    r = ogr_reader_open("/nonexistent/x.shp", NULL, err, sizeof err);
    CHECK(r == NULL && strstr(err, "/nonexistent/x.shp"));

    /* a Shapefile without .prj: refused unless --srs is given */
    {
        const char *ext[] = {"shp", "shx", "dbf", "cpg"};
        char src[1024], dst[256];
        for (int i = 0; i < 4; i++) {
            snprintf(src, sizeof src, "%s/kallikratis_dimoi_kentriki_makedonia_egsa87.%s", dir, ext[i]);
            snprintf(dst, sizeof dst, "/vsimem/noprj/m.%s", ext[i]);
            CHECK_INT(CPLCopyFile(dst, src), 0);
        }
        r = ogr_reader_open("/vsimem/noprj/m.shp", NULL, err, sizeof err);
        CHECK(r == NULL && strstr(err, "/vsimem/noprj/m.shp") && strstr(err, "--srs"));
        struct ogr_reader_options srs = {.srs = "EPSG:2100"};
        r = ogr_reader_open("/vsimem/noprj/m.shp", &srs, err, sizeof err);
        CHECK(r != NULL);
        if (r) {
            scan(r, &fd);
            CHECK(fd.count == 38 && fd.serres == 1 && fd.bad_coord == 0);
            ogr_reader_close(r);
        }
        for (int i = 0; i < 4; i++) {
            snprintf(dst, sizeof dst, "/vsimem/noprj/m.%s", ext[i]);
            VSIUnlink(dst);
        }
    }

    char fp[64];
    CHECK_INT(ogr_source_fingerprint(path, fp, sizeof fp, err, sizeof err), 0);
    CHECK(strncmp(fp, "10187590:", 9) == 0);
    return check_summary();
}
