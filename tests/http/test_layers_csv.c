/* polis import of the CSV files engineers are handed, and of multi-layer
 * files: coordinate columns are found by their usual names in any case
 * (lon/lat, easting/northing, ...) or named with --x/--y, a WKT column is the
 * geometry and is not kept as a text attribute, longitude/latitude ranges are
 * read as EPSG:4326 and the summary says it was assumed, projected
 * coordinates without --srs and a CSV without coordinates are refused naming
 * what was found; `--all-layers` imports every layer of a GeoPackage, one
 * transaction each, so a layer that fails leaves the others imported. Where
 * a point lands is checked against PostGIS's own transformation. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dir;
static char prefix[32];
static PGconn *db;

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f))
        h_fatal("cannot write %s", path);
}

/* Writes DIR/FILE with text; name gets the test's layer name PREFIX_SUFFIX
 * and args "--as" it. */
static void csv_case(const char *suffix, const char *file, const char *text, char name[64],
                     char args[128])
{
    snprintf(name, 64, "%s_%s", prefix, suffix);
    snprintf(args, 128, "--as %s", name);
    write_file(file, text);
}

/* Runs `polis import DIR/FILE ARGS`; returns its exit status, output in *out. */
static int import(char **out, const char *file, const char *args)
{
    return h_run(out, "'%s' import '%s/%s' %s 2>&1", h_env("POLIS_BIN"), dir, file, args);
}

/* The import of FILE ARGS fails, naming each of needles (NULL-ended). */
static void refused(const char *what, const char *file, const char *args,
                    const char *const *needles)
{
    char *out;
    int rc = import(&out, file, args);
    CHECK(rc != 0, "%s: expected a failure, found exit 0: %s", what, out);
    for (int i = 0; needles[i]; i++)
        CHECK_HAS(what, out, needles[i]);
    free(out);
}

/* The import of FILE ARGS succeeds; its output holds needle (or NULL). */
static void imported(const char *what, const char *file, const char *args, const char *needle)
{
    char *out;
    int rc = import(&out, file, args);
    CHECK(rc == 0, "%s: expected exit 0, found %d: %s", what, rc, out);
    if (needle)
        CHECK_HAS(what, out, needle);
    free(out);
}

static long long catalogue_count(const char *layer)
{
    const char *p[] = {layer};
    char *v = h_pg_value(db, "SELECT coalesce((SELECT feature_count FROM layer_catalogue WHERE "
                         "name = $1), -1)", 1, p);
    long long n = v ? atoll(v) : -2;
    free(v);
    return n;
}

static long long column_count(const char *layer, const char *column)
{
    const char *p[] = {layer, column};
    char *v = h_pg_value(db, "SELECT count(*) FROM information_schema.columns WHERE table_schema"
                         " = 'layers' AND table_name = $1 AND column_name = $2", 2, p);
    long long n = v ? atoll(v) : -1;
    free(v);
    return n;
}

/* Metres between the layer's only point and lon/lat (geography). */
static double metres_from(const char *layer, double lon, double lat)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(%.9f,"
             " %.9f), 4326)::geography) FROM layers.%s", lon, lat, layer);
    char *v = h_pg_value(db, sql, 0, NULL);
    double d = v ? atof(v) : 1e12;
    free(v);
    return d;
}

/* Serres' town hall, and where PostGIS puts it in the Greek Grid. */
static const double LON = 23.5477, LAT = 41.0910;
static double east, north;

static void greek_grid_of_town_hall(void)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT ST_X(p) || ' ' || ST_Y(p) FROM ST_Transform(ST_SetSRID("
             "ST_MakePoint(%.6f, %.6f), 4326), 2100) p", LON, LAT);
    char *v = h_pg_value(db, sql, 0, NULL);
    if (!v || sscanf(v, "%lf %lf", &east, &north) != 2)
        h_fatal("PostGIS gave no EPSG:2100 point: %s", v ? v : "(null)");
    free(v);
}

static void longitude_latitude_columns(void)
{
    char name[64], args[128];
    csv_case("ll", "lonlat.csv", "Όνομα,LON,Lat\nΔημαρχείο Σερρών,23.5477,41.0910\n", name, args);
    imported("LON/Lat CSV, the CRS said to be assumed", "lonlat.csv", args, "EPSG:4326 (assumed");
    CHECK_INT("LON/Lat CSV: features", catalogue_count(name), 1);
    double d = metres_from(name, LON, LAT);
    CHECK(d < 0.01, "LON/Lat CSV: the point lies %.3f m from where its columns say", d);
    CHECK_INT("LON/Lat CSV: no lon column kept", column_count(name, "lon"), 0);
    CHECK_INT("LON/Lat CSV: no lat column kept", column_count(name, "lat"), 0);
}

/* A CSV of the town hall in the Greek Grid under the given header. */
static void town_hall_csv(const char *suffix, const char *file, const char *header,
                          char name[64], char args[128])
{
    char csv[256];
    snprintf(csv, sizeof csv, "%s\nΔημαρχείο,%.3f,%.3f\n", header, east, north);
    csv_case(suffix, file, csv, name, args);
}

static void greek_grid_columns(void)
{
    char name[64], args[128];
    town_hall_csv("egsa", "egsa.csv", "name,Easting,Northing", name, args);
    static const char *const why[] = {"egsa.csv", "not longitude/latitude", "--srs EPSG:n", NULL};
    refused("Easting/Northing without --srs", "egsa.csv", args, why);
    CHECK_INT("Easting/Northing without --srs: nothing stored", catalogue_count(name), -1);

    snprintf(args, 128, "--as %s --srs EPSG:2100", name);
    imported("Easting/Northing with --srs", "egsa.csv", args, NULL);
    /* PROJ's EPSG:2100 and PostGIS's may take different GGRS87 datum
     * shifts; a swapped axis or a wrong CRS is kilometres off */
    double d = metres_from(name, LON, LAT);
    CHECK(d < 3, "Easting/Northing: the point lies %.2f m from the town hall", d);
    CHECK_INT("Easting/Northing: no easting column kept", column_count(name, "easting"), 0);
}

static void named_columns(void)
{
    char name[64], args[128];
    town_hall_csv("named", "named.csv", "Κωδικός,Χ_ΕΓΣΑ,Υ_ΕΓΣΑ", name, args);
    snprintf(args, 128, "--as %s --srs EPSG:2100", name);
    static const char *const why[] = {"no geometry found", "Κωδικός, Χ_ΕΓΣΑ, Υ_ΕΓΣΑ", NULL};
    refused("unusual column names without --x/--y", "named.csv", args, why);
    snprintf(args, 128, "--as %s --srs EPSG:2100 --x Χ_ΕΓΣΑ --y Υ_ΕΓΣΑ", name);
    imported("--x/--y", "named.csv", args, NULL);
    double d = metres_from(name, LON, LAT);
    CHECK(d < 3, "--x/--y: the point lies %.2f m from the town hall", d);

    char *out;
    int rc = import(&out, "named.csv", "--x Χ_ΕΓΣΑ");
    CHECK(rc == 2, "--x without --y: expected exit 2, found %d", rc);
    CHECK_HAS("--x without --y", out, "--x and --y go together");
    free(out);
    rc = h_run(&out, "'%s' import '%s/thessaloniki_amea_parking_spots.geojson' --x a --y b 2>&1",
               h_env("POLIS_BIN"), h_env("POLIS_DATA"));
    CHECK(rc != 0, "--x/--y on a GeoJSON file: expected a failure, found 0");
    CHECK_HAS("--x/--y on a GeoJSON file", out, "apply to CSV files only");
    free(out);
}

static void wkt_and_no_coordinates(void)
{
    char name[64], args[128];
    csv_case("wkt", "wkt.csv", "id,WKT,name\n1,\"LINESTRING (23.54 41.09, 23.55 41.10)\",Οδός\n",
             name, args);
    imported("WKT CSV", "wkt.csv", args, NULL);
    CHECK_INT("WKT CSV: features", catalogue_count(name), 1);
    CHECK_INT("WKT CSV: the WKT is not kept as a text column", column_count(name, "wkt"), 0);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT GeometryType(geom) FROM layers.%s", name);
    char *v = h_pg_value(db, sql, 0, NULL);
    CHECK_STR("WKT CSV: the geometry", v, "LINESTRING");
    free(v);

    csv_case("none", "plain.csv", "street,lamps\nΕρμού,12\n", name, args);
    static const char *const why[] = {"plain.csv", "its columns are: street, lamps",
                                      "easting/northing", NULL};
    refused("CSV without coordinates", "plain.csv", args, why);
    CHECK_INT("CSV without coordinates: nothing stored", catalogue_count(name), -1);
}

/* A GeoPackage of four map layers and one attribute table: --all-layers
 * imports the four, names the table that failed, and exits 1. */
static void all_layers(void)
{
    const char *data = h_env("POLIS_DATA");
    static const char *const src[] = {"kallikratis_dimoi_kentriki_makedonia.geojson",
                                      "thessaloniki_amea_parking_spots.geojson",
                                      "kallikratis_dimoi_kentriki_makedonia_egsa87.shp", NULL};
    static const char *const suffix[] = {"dimoi", "amea", "dimoi_egsa"};
    static const long long expect[] = {38, 254, 38};
    for (int i = 0; src[i]; i++)
        if (h_run(NULL, "ogr2ogr %s -f GPKG '%s/four.gpkg' '%s/%s' -nln %s_%s 2>&1",
                  i ? "-update" : "", dir, data, src[i], prefix, suffix[i]))
            h_fatal("ogr2ogr could not write layer %d of four.gpkg", i);
    if (h_run(NULL, "ogr2ogr -update '%s/four.gpkg' '%s/lonlat.csv' -nln %s_points -a_srs "
              "EPSG:4326 -oo X_POSSIBLE_NAMES=LON -oo Y_POSSIBLE_NAMES=Lat 2>&1 && ogr2ogr "
              "-update '%s/four.gpkg' '%s/plain.csv' -nln %s_lamps 2>&1", dir, dir, prefix, dir,
              dir, prefix))
        h_fatal("ogr2ogr could not add the points and the attribute table to four.gpkg");

    char *out;
    int rc = import(&out, "four.gpkg", "--all-layers --as x");
    CHECK(rc == 2, "--all-layers with --as: expected exit 2, found %d", rc);
    CHECK_HAS("--all-layers with --as", out, "cannot go with it");
    free(out);

    rc = import(&out, "four.gpkg", "--all-layers");
    CHECK(rc == 1, "--all-layers with an attribute table: expected exit 1, found %d: %s", rc, out);
    CHECK_HAS("--all-layers: the progress names each layer", out, "layer 5 of 5");
    CHECK_HAS("--all-layers: the failed layer is named", out, "1 of 5 layers failed");
    CHECK_HAS("--all-layers: why it failed", out, "no geometry in this layer");
    free(out);
    char name[64];
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s_%s", prefix, suffix[i]);
        CHECK_INT(name, catalogue_count(name), expect[i]);
    }
    snprintf(name, sizeof name, "%s_points", prefix);
    CHECK_INT(name, catalogue_count(name), 1);
    snprintf(name, sizeof name, "%s_lamps", prefix);
    CHECK_INT("the attribute table is not a layer", catalogue_count(name), -1);
}

int main(void)
{
    h_init("test_layers_csv", 240);
    h_require_tool("ogr2ogr");
    const char *url = h_shared_dburl();
    h_use_database(url);
    db = h_pg_connect(url);
    dir = h_temp_dir("layers-csv");
    snprintf(prefix, sizeof prefix, "lc%ld", (long)getpid());
    greek_grid_of_town_hall();

    longitude_latitude_columns();
    greek_grid_columns();
    named_columns();
    wkt_and_no_coordinates();
    all_layers();

    static const char *const made[] = {"ll", "egsa", "named", "wkt", "dimoi", "amea",
                                       "dimoi_egsa", "points"};
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS layers.%s_%s; DELETE FROM layer_catalogue"
                 " WHERE name = '%s_%s'", prefix, made[i], prefix, made[i]);
        h_owner_exec(url, sql);
    }
    PQfinish(db);
    return h_finish();
}
