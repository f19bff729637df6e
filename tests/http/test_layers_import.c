/* polis import / polis export on the real data files, as an engineer would
 * use them: every file of ../shared/data imports into its own layer, exports
 * to GeoPackage and Shapefile in EPSG:2100, and ogrinfo reads back the same
 * feature count and the same Greek names («Σερρών», «Άθως»). Bad files
 * (truncated, no .prj, wrong encoding, empty, zip bomb) fail with a message
 * naming the file, and a failed --replace leaves the served layer intact. The
 * names of the built-in datasets are refused. */
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp[200];
static char prefix[32];

static long long layer_count(PGconn *db, const char *name)
{
    const char *p[] = {name};
    char *v = h_pg_value(db, "SELECT feature_count FROM layer_catalogue WHERE name = $1", 1, p);
    long long n = v ? atoll(v) : -1;
    free(v);
    return n;
}

/* Imports file as layer name with extra options; checks the exit status. */
static void import_ok(PGconn *db, const char *file, const char *name, const char *opts,
                      long long expect)
{
    char *out;
    int rc = h_run(&out, "'%s' import '%s/%s' --as %s %s 2>&1", h_env("POLIS_BIN"),
                 h_env("POLIS_DATA"), file, name, opts);
    CHECK(rc == 0, "import %s: expected exit 0, found %d: %s", file, rc, out);
    CHECK_HAS("import summary", out, "written");
    free(out);
    CHECK_INT(name, layer_count(db, name), expect);
}

/* Exports name to FILE in EPSG:2100 and reads it back with ogrinfo. */
static void export_check(const char *name, const char *ext, const char *format, long long count,
                         const char *greek)
{
    char path[512], *out;
    snprintf(path, sizeof path, "%s/%s.%s", tmp, name, ext);
    int rc = h_run(&out, "'%s' export %s '%s' --format '%s' --srs EPSG:2100 2>&1",
                 h_env("POLIS_BIN"), name, path, format);
    CHECK(rc == 0, "export %s as %s: expected exit 0, found %d: %s", name, format, rc, out);
    free(out);
    h_run(&out, "ogrinfo -ro -al -so '%s' 2>&1", path);
    char want[64];
    snprintf(want, sizeof want, "Feature Count: %lld", count);
    CHECK_HAS(path, out, want);
    CHECK_HAS(path, out, "Greek Grid");
    free(out);
    h_run(&out, "ogrinfo -ro -al '%s' 2>&1 | grep -E '(String|Integer|Real)[^=]*= '", path);
    CHECK_HAS(path, out, greek);
    CHECK_HAS(path, out, "Σερρών");
    free(out);
}

/* A bad import: non-zero exit, and the message names what it should. */
static void import_fails(const char *what, const char *file_and_opts, const char *name,
                         const char *env, const char *needle, const char *needle2)
{
    char *out;
    int rc = h_run(&out, "%s '%s' import %s --as %s 2>&1", env ? env : "", h_env("POLIS_BIN"),
                 file_and_opts, name);
    CHECK(rc != 0, "%s: expected a non-zero exit, found 0: %s", what, out);
    CHECK_HAS(what, out, needle);
    if (needle2)
        CHECK_HAS(what, out, needle2);
    free(out);
}

static long long items_matched(const struct h_server *s, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/ogc/collections/%s/items?limit=1", name);
    struct h_resp r;
    h_get(s, path, &r);
    long long n = r.status == 200 ? json_integer_value(json_object_get(r.json, "numberMatched"))
                                  : -r.status;
    h_resp_free(&r);
    return n;
}

int main(void)
{
    h_init("test_layers_import", 240);
    h_require_tool("zip");
    h_require_tool("ogrinfo");
    const char *url = h_shared_dburl();
    h_use_database(url);
    PGconn *db = h_pg_connect(url);
    snprintf(prefix, sizeof prefix, "li%ld", (long)getpid());
    snprintf(tmp, sizeof tmp, "/tmp/polis-layers-%ld", (long)getpid());
    h_run(NULL, "rm -rf '%s' && mkdir -p '%s'", tmp, tmp);
    const char *data = h_env("POLIS_DATA");

    /* every real file imports */
    char n_shp[64], n_zip[64], n_gj[64], n_park[64];
    snprintf(n_shp, sizeof n_shp, "%s_kmak_shp", prefix);
    snprintf(n_zip, sizeof n_zip, "%s_ellada", prefix);
    snprintf(n_gj, sizeof n_gj, "%s_kmak_gj", prefix);
    snprintf(n_park, sizeof n_park, "%s_amea", prefix);
    long long t0 = h_now_ms();
    import_ok(db, "kallikratis_dimoi_kentriki_makedonia_egsa87.shp", n_shp,
              "--title-el 'Δήμοι Κεντρικής Μακεδονίας' --title-en 'Municipalities'", 38);
    import_ok(db, "kallikratis_dimoi_ellada_egsa87.zip", n_zip, "", 326);
    fprintf(stderr, "test_layers_import: two imports took %lld ms\n", h_now_ms() - t0);
    import_ok(db, "kallikratis_dimoi_kentriki_makedonia.geojson", n_gj, "", 38);
    import_ok(db, "thessaloniki_amea_parking_spots.geojson", n_park, "--staff", 254);

    /* typed, safely named columns, Greek values kept */
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT name FROM layers.%s WHERE kwd_ypes = '9054'", n_zip);
    char *v = h_pg_value(db, sql, 0, NULL);
    CHECK_STR("Σερρών in the imported table", v, "Σερρών");
    free(v);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM layers.%s WHERE name = 'Άθως' AND kwd_ypes IS NULL", n_zip);
    v = h_pg_value(db, sql, 0, NULL);
    CHECK_STR("Άθως (CP1253 capital alpha with tonos) with a NULL code", v, "1");
    free(v);
    snprintf(sql, sizeof sql, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
             " WHERE attrelid = 'layers.%s'::regclass AND attname = 'objectid'", n_park);
    v = h_pg_value(db, sql, 0, NULL);
    CHECK_STR("objectid column type", v, "integer");
    free(v);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'layers'"
             " AND tablename = '%s' AND indexdef LIKE '%%gist (geom)%%'", n_zip);
    v = h_pg_value(db, sql, 0, NULL);
    CHECK_STR("GIST index on geom", v, "1");
    free(v);
    const char *vp[] = {n_park};
    v = h_pg_value(db, "SELECT visibility || ' ' || geometry_type || ' ' || (attributes->0->>'name')"
                   " FROM layer_catalogue WHERE name = $1", 1, vp);
    CHECK_STR("catalogue row", v, "staff POINT objectid");
    free(v);

    /* a second import under the same name needs --replace or --append */
    char opt[1024];
    snprintf(opt, sizeof opt, "'%s/kallikratis_dimoi_kentriki_makedonia_egsa87.shp'", data);
    import_fails("same name again", opt, n_shp, NULL, "--replace", NULL);

    /* exports in EPSG:2100 read back by ogrinfo */
    export_check(n_shp, "gpkg", "GPKG", 38, "Σερρών");
    export_check(n_shp, "shp", "ESRI Shapefile", 38, "Σερρών");
    export_check(n_zip, "gpkg", "GPKG", 326, "Άθως");
    export_check(n_zip, "shp", "ESRI Shapefile", 326, "Άθως");
    char *out;
    snprintf(opt, sizeof opt, "%s/%s.cpg", tmp, n_zip);
    h_run(&out, "cat '%s'", opt);
    CHECK_HAS("the Shapefile's .cpg", out, "UTF-8");
    free(out);
    /* bbox export: Serres regional unit only */
    snprintf(opt, sizeof opt, "%s/serres.geojson", tmp);
    CHECK(h_run(NULL, "'%s' export %s '%s' --bbox 23.5,41.05,23.6,41.12 2>/dev/null",
              h_env("POLIS_BIN"), n_zip, opt) == 0, "export with --bbox");
    h_run(&out, "ogrinfo -ro -al '%s' 2>&1", opt);
    CHECK_HAS("bbox export", out, "Σερρών");
    CHECK(!strstr(out, "Άθως"), "bbox export must not hold Άθως");
    free(out);

    /* the server serves the layer; a failed --replace leaves it as it was */
    struct h_server s;
    if (h_server_start(&s, url, NULL) != 0)
        return h_finish();
    CHECK_INT("items of the shapefile layer", items_matched(&s, n_shp), 38);

    /* bad files */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/trunc", tmp);
    h_run(NULL, "mkdir -p '%s' && for e in shx dbf prj cpg; do cp '%s/kallikratis_dimoi_kentriki_"
              "makedonia_egsa87.'$e '%s/k.'$e; done && head -c 700000 '%s/kallikratis_dimoi_"
              "kentriki_makedonia_egsa87.shp' > '%s/k.shp'", bad, data, bad, data, bad);
    snprintf(opt, sizeof opt, "'%s/k.shp' --replace", bad);
    import_fails("truncated .shp with --replace", opt, n_shp, NULL, "k.shp", "feature");
    CHECK_INT("layer after the failed replace", layer_count(db, n_shp), 38);
    CHECK_INT("served items after the failed replace", items_matched(&s, n_shp), 38);

    snprintf(bad, sizeof bad, "%s/noprj", tmp);
    h_run(NULL, "mkdir -p '%s' && for e in shp shx dbf cpg; do cp '%s/kallikratis_dimoi_kentriki_"
              "makedonia_egsa87.'$e '%s/k.'$e; done", bad, data, bad);
    snprintf(opt, sizeof opt, "'%s/k.shp'", bad);
    import_fails("missing .prj", opt, "li_noprj", NULL, "k.shp", "--srs");
    snprintf(opt, sizeof opt, "'%s/k.shp' --srs EPSG:2100 --as %s_noprj --replace", bad, prefix);
    CHECK(h_run(NULL, "'%s' import %s 2>/dev/null", h_env("POLIS_BIN"), opt) == 0,
          "missing .prj with --srs EPSG:2100 imports");

    snprintf(opt, sizeof opt, "'%s/kallikratis_dimoi_kentriki_makedonia_egsa87.shp' --encoding "
             "UTF-8 --replace", data);
    import_fails("wrong --encoding", opt, n_shp, NULL, "not valid UTF-8", "feature");
    CHECK_INT("layer after the wrong encoding", items_matched(&s, n_shp), 38);

    snprintf(bad, sizeof bad, "%s/empty.geojson", tmp);
    FILE *f = fopen(bad, "w");
    fputs("{\"type\":\"FeatureCollection\",\"features\":[]}\n", f);
    fclose(f);
    snprintf(opt, sizeof opt, "'%s'", bad);
    import_fails("empty FeatureCollection", opt, "li_empty", NULL, "empty.geojson",
                 "no usable feature");

    snprintf(bad, sizeof bad, "%s/bomb", tmp);
    if (h_run(NULL, "mkdir -p '%s' && cd '%s' && head -c 30000000 /dev/zero > big.geojson && "
                  "zip -q -9 bomb.zip big.geojson && rm big.geojson", bad, bad) != 0)
        h_fatal("could not build %s/bomb.zip", bad);
    snprintf(opt, sizeof opt, "'%s/bomb.zip'", bad);
    import_fails("zip bomb", opt, "li_bomb", "POLIS_IMPORT_MAX_UNZIPPED_MB=10", "bomb.zip",
                 "zip bomb");

    /* the names of built-in datasets are refused, with --as or from the
     * file's own name, and the message names them all; nothing is stored */
    static const char *const reserved[] = {"pois", "events", "schools", "school_zones",
                                           "reports", "boundaries", "basemap"};
    snprintf(opt, sizeof opt, "'%s/thessaloniki_amea_parking_spots.geojson'", data);
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "--as %s", reserved[i]);
        import_fails(what, opt, reserved[i], NULL, "other than the built-in datasets'",
                     "basemap, boundaries, events, pois, reports, school_zones, schools");
    }
    snprintf(bad, sizeof bad, "%s/schools.geojson", tmp);
    f = fopen(bad, "w");
    if (!f)
        h_fatal("cannot write %s", bad);
    fputs("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
          "{\"a\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.55,41.09]}}]}", f);
    fclose(f);
    int rc = h_run(&out, "'%s' import '%s' 2>&1", h_env("POLIS_BIN"), bad);
    CHECK(rc != 0, "schools.geojson without --as: expected a non-zero exit, found 0: %s", out);
    CHECK_HAS("schools.geojson without --as", out, "\"schools\"");
    CHECK_HAS("schools.geojson without --as", out, "other than the built-in datasets'");
    free(out);
    char *stored = h_pg_value(db, "SELECT count(*) FROM layer_catalogue WHERE name IN ('pois',"
                              " 'events', 'schools', 'school_zones', 'reports', 'basemap')",
                              0, NULL);
    CHECK_STR("catalogue rows under reserved names", stored, "0");
    free(stored);

    /* a good --replace swaps the table, readers see the new one */
    snprintf(opt, sizeof opt, "'%s/kallikratis_dimoi_ellada_egsa87.zip' --replace", data);
    CHECK(h_run(NULL, "'%s' import %s --as %s 2>/dev/null", h_env("POLIS_BIN"), opt, n_shp) == 0,
          "replace with the all-Greece zip");
    CHECK_INT("served items after replace", items_matched(&s, n_shp), 326);
    /* --append adds to it */
    snprintf(opt, sizeof opt, "'%s/kallikratis_dimoi_kentriki_makedonia_egsa87.shp' --append",
             data);
    CHECK(h_run(NULL, "'%s' import %s --as %s 2>/dev/null", h_env("POLIS_BIN"), opt, n_shp) == 0,
          "append the 38 municipalities");
    CHECK_INT("items after append", items_matched(&s, n_shp), 364);

    /* clean up the shared database */
    const char *names[] = {n_shp, n_zip, n_gj, n_park, NULL};
    for (int i = 0; names[i]; i++) {
        snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS layers.%s; DELETE FROM layer_catalogue"
                 " WHERE name = '%s'", names[i], names[i]);
        h_owner_exec(url, sql);
    }
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS layers.%s_noprj; DELETE FROM layer_catalogue"
             " WHERE name = '%s_noprj'", prefix, prefix);
    h_owner_exec(url, sql);
    h_run(NULL, "rm -rf '%s'", tmp);
    PQfinish(db);
    return h_finish();
}
