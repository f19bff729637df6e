/* Prints one of the server's SQL statements, so that scripts/bench runs in
 * pgbench exactly the text polis sends. Not part of the product.
 *
 *   bench_sql locate | boundaries_page | boundaries_get
 *   bench_sql report_create
 *   bench_sql ogc_collection              lookup before every items page
 *   bench_sql ogc_items COLLECTION        items page, bbox in CRS84, output CRS84
 *   bench_sql tile LAYER                  MVT of a registry layer ($1 z, $2 x, $3 y)
 *   bench_sql tile_layers                 the registry's layer names, one a line
 *   bench_sql poi_search | poi_near       GET /api/v1/pois?q= and ?near= (gis/pois_sql.h) */
#include "gis/boundaries.h"
#include "gis/ogc_sql.h"
#include "gis/pois_sql.h"
#include "gis/reports_sql.h"
#include "tiles/layers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr, "usage: bench_sql locate|boundaries_page|boundaries_get|"
                    "report_create|ogc_collection|poi_search|poi_near\n"
                    "       bench_sql ogc_items COLLECTION | tile LAYER | tile_layers\n");
    return 2;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name, *sql;
    } statements[] = {
        {"locate", BOUNDARIES_LOCATE_SQL},
        {"boundaries_page", BOUNDARIES_PAGE_SQL},
        {"boundaries_get", BOUNDARIES_GET_SQL},
        {"report_create", REPORT_CREATE_SQL},
        {"poi_search", POI_SEARCH_SQL},
        {"poi_near", POI_NEAR_SQL},
    };
    if (argc < 2)
        return usage();
    if (argc == 2 && !strcmp(argv[1], "ogc_collection")) {
        puts(ogc_lookup_sql()); /* built at run time from gis/ogc_collections.c */
        return 0;
    }
    for (size_t i = 0; argc == 2 && i < sizeof statements / sizeof statements[0]; i++)
        if (!strcmp(argv[1], statements[i].name)) {
            puts(statements[i].sql);
            return 0;
        }
    if (argc == 3 && !strcmp(argv[1], "ogc_items")) {
        /* what GET /ogc/collections/C/items?bbox=...&limit=N sends (no crs,
         * no bbox-crs, no property filters) */
        struct ogc_items_query q = {.collection = argv[2], .srid = 4326, .bbox_srid = 4326};
        char *sql = ogc_items_sql(&q);
        if (!sql) {
            fprintf(stderr, "bench_sql: \"%s\" is not a usable collection name\n", argv[2]);
            return 1;
        }
        puts(sql);
        free(sql);
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "tile")) {
        int idx = tile_layer_find(argv[2], strlen(argv[2]));
        if (idx < 0) {
            fprintf(stderr, "bench_sql: no tile layer \"%s\" in tiles/layers.c\n", argv[2]);
            return 1;
        }
        char *sql = tile_layer_mvt_sql(&tile_layers[idx]);
        puts(sql);
        free(sql);
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "tile_layers")) {
        for (int i = 0; i < tile_layer_count; i++)
            puts(tile_layers[i].name);
        return 0;
    }
    return usage();
}
