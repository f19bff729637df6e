/* polis export NAME FILE [options]: a catalogued layer to a file (see
 * gis/layer_export.h). */
#include "gis/db.h"
#include "gis/layer_export.h"
#include "cli/commands.h"
#include "cli/cli.h"
#include "http/params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis export NAME FILE [--format GPKG|\"ESRI Shapefile\"|GeoJSON|CSV|KML|FlatGeobuf|DXF]\n"
            "           [--srs EPSG:n] [--bbox minlon,minlat,maxlon,maxlat] [--overwrite]\n"
            "\n"
            "Writes layer NAME (see GET /api/v1/layers) of POLIS_DATABASE_URL to FILE,\n"
            "streaming rows from the database (no layer has to fit in memory).\n"
            "\n"
            "  --format F    GDAL driver (default: from FILE's extension: .gpkg .shp\n"
            "                .geojson .csv .kml .fgb .dxf)\n"
            "  --srs EPSG:n  output CRS (default EPSG:4326; e.g. EPSG:2100 Greek Grid)\n"
            "  --bbox B      only features intersecting this lon/lat box\n"
            "  --overwrite   replace FILE when it exists\n"
            "\n"
            "Text is written as UTF-8 (a Shapefile gets a .cpg saying so).\n"
            "Exit status: 0 exported, 1 export failed, 2 usage error.\n");
}

/* "EPSG:n", "CRS84" or a URI ending in /EPSG/0/n: the EPSG code, or 0. */
static int parse_epsg(const char *s)
{
    if (!strcasecmp(s, "CRS84") || !strcasecmp(s, "OGC:CRS84"))
        return 4326;
    const char *num = !strncasecmp(s, "EPSG:", 5) ? s + 5 : NULL;
    long v;
    if (!num || parse_integer(num, &v) || v < 1024 || v > 999999)
        return 0;
    return (int)v;
}

static int parse_bbox(const char *s, double out[4])
{
    char extra;
    if (sscanf(s, "%lf,%lf,%lf,%lf%c", &out[0], &out[1], &out[2], &out[3], &extra) != 4)
        return -1;
    return out[0] < out[2] && out[1] < out[3] && out[0] >= -180 && out[2] <= 180 &&
                   out[1] >= -90 && out[3] <= 90
               ? 0
               : -1;
}

/* The export as cli_run_step runs it (arg is its options), then its summary. */
static int export_step(PGconn *db, void *arg, char *err, size_t errlen)
{
    const struct layer_export_options *o = arg;
    struct layer_export_summary s;
    if (layer_export(db, o, &s, err, errlen) < 0)
        return -1;
    fprintf(stderr, "export: layer %s -> %s (%s, EPSG:%d): %lld features, %.1f s\n", o->name,
            o->path, s.format, o->epsg ? o->epsg : 4326, s.written, s.seconds);
    return 0;
}

int cmd_export(int argc, char **argv)
{
    struct layer_export_options o = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--overwrite")) {
            o.overwrite = 1;
            continue;
        }
        if (!strcmp(a, "--format") || !strcmp(a, "--srs") || !strcmp(a, "--bbox")) {
            if (i + 1 >= argc || !*argv[i + 1]) {
                fprintf(stderr, "polis export: %s needs a value\n", a);
                return 2;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--format")) {
                o.format = v;
            } else if (!strcmp(a, "--srs")) {
                if (!(o.epsg = parse_epsg(v))) {
                    fprintf(stderr, "polis export: --srs expects EPSG:n (e.g. EPSG:2100), not "
                            "\"%s\"\n", v);
                    return 2;
                }
            } else if (parse_bbox(v, o.bbox) < 0) {
                fprintf(stderr, "polis export: --bbox expects minlon,minlat,maxlon,maxlat in "
                        "degrees with min < max, not \"%s\"\n", v);
                return 2;
            } else {
                o.has_bbox = 1;
            }
            continue;
        }
        if (a[0] == '-' && a[1]) {
            fprintf(stderr, "polis export: unknown option \"%s\" (see --help)\n", a);
            return 2;
        }
        if (!o.name)
            o.name = a;
        else if (!o.path)
            o.path = a;
        else {
            fprintf(stderr, "polis export: NAME and FILE expected, found a third \"%s\"\n", a);
            return 2;
        }
    }
    if (!o.path) {
        fprintf(stderr, "polis export: NAME and FILE expected (see --help)\n");
        return 2;
    }
    if (!layer_export_driver(o.format, o.path)) {
        fprintf(stderr, "polis export: unknown format \"%s\" (expected GPKG, \"ESRI Shapefile\", "
                "GeoJSON, CSV, KML, FlatGeobuf or DXF)\n", o.format ? o.format : o.path);
        return 2;
    }
    o.log = stderr;
    return cli_run_step("polis export", export_step, &o);
}
