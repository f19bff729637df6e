/* Paging an OGC API items list of a large layer (issue 21: a page does the
 * least work): numberMatched is exact whenever it is given, is read off a
 * short page without counting, and is left out (it is optional) when more
 * than 10,000 features match, instead of counting them all for every page;
 * then a full page links to the next one and the last page does not. A
 * layer of 10,050 points (a CSV with lon/lat, imported by the CLI). */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_POINTS 10050

static struct h_server srv;
static char layer[64];

static void drop_layer(void)
{
    char sql[200];
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS layers.%s; DELETE FROM layer_catalogue"
             " WHERE name = '%s'", layer, layer);
    h_owner_exec(h_shared_dburl(), sql);
}

/* 1 when page r has a link of rel. */
static int has_link(const struct h_resp *r, const char *rel)
{
    json_t *l;
    size_t i;
    json_array_foreach(json_object_get(r->json, "links"), i, l)
        if (!strcmp(json_string_value(json_object_get(l, "rel")) ?: "", rel))
            return 1;
    return 0;
}

/* GET the items page with query q: numberMatched is matched (-1: absent),
 * numberReturned returned, and a next link exactly when next. */
static void check_page(const char *q, long long matched, long long returned, int next)
{
    char path[300];
    snprintf(path, sizeof path, "/ogc/collections/%s/items?%s", layer, q);
    struct h_resp r;
    h_get(&srv, path, &r);
    CHECK_INT(path, r.status, 200);
    json_t *m = json_object_get(r.json, "numberMatched");
    if (matched < 0)
        CHECK(!m, "%s: expected no numberMatched (more than 10,000 match), found %lld", path,
              (long long)json_integer_value(m));
    else
        CHECK(json_is_integer(m) && json_integer_value(m) == matched,
              "%s: expected numberMatched %lld, found %lld%s", path, matched,
              (long long)json_integer_value(m), m ? "" : " (none)");
    json_t *n = json_object_get(r.json, "numberReturned");
    CHECK(json_integer_value(n) == returned && json_array_size(json_object_get(r.json,
                                                                              "features")) ==
                                                   (size_t)returned,
          "%s: expected %lld features returned, found numberReturned %lld and %zu features",
          path, returned, (long long)json_integer_value(n),
          json_array_size(json_object_get(r.json, "features")));
    CHECK(has_link(&r, "next") == next, "%s: expected %s next link", path, next ? "a" : "no");
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_ogc_paging", 180);
    const char *url = h_shared_dburl();
    h_use_database(url);
    snprintf(layer, sizeof layer, "ogcpage%ld_pts", (long)getpid());
    atexit(drop_layer);
    /* a grid of 10,050 points over Serres, 201 columns of 50 */
    char file[512];
    snprintf(file, sizeof file, "%s/points.csv", h_temp_dir("ogcpaging"));
    FILE *f = fopen(file, "w");
    if (!f)
        h_fatal("cannot write %s", file);
    fputs("n,kind,part,lon,lat\n", f);
    for (int i = 0; i < N_POINTS; i++)
        fprintf(f, "%d,%s,%s,%.5f,%.5f\n", i, i % 1000 == 0 ? "rare" : "common",
                i < 10000 ? "first" : "rest",
                23.50 + 0.0005 * (i % 201), 41.07 + 0.0005 * (i / 201));
    fclose(f);
    char *out = NULL;
    if (h_run(&out, "'%s' import '%s' --as %s 2>&1", h_env("POLIS_BIN"), file, layer))
        h_fatal("the layer could not be imported: %s", out);
    free(out);
    if (h_server_start(&srv, url, NULL) != 0)
        return h_finish();

    /* more than 10,000: no count, a next link while pages are full */
    check_page("limit=100", -1, 100, 1);
    check_page("limit=1000&offset=9000", -1, 1000, 1);
    /* the last page is short: numberMatched read off it, exact, no next link */
    check_page("limit=100&offset=10000", N_POINTS, 50, 0);
    /* past the end: nothing returned and nothing counted to 10,000 */
    check_page("limit=100&offset=20000", -1, 0, 0);
    /* a filter that matches a few: counted on a full page, read off a short one */
    check_page("kind=rare&limit=5", 11, 5, 1);
    check_page("kind=rare&limit=5&offset=5", 11, 5, 1);
    check_page("kind=rare&limit=5&offset=10", 11, 1, 0);
    check_page("kind=rare&limit=100", 11, 11, 0);
    check_page("kind=rare&limit=5&offset=11", 11, 0, 0);
    /* a bbox of the grid's first 3 x 2 points */
    check_page("bbox=23.4999,41.0699,23.5011,41.0706&limit=4", 6, 4, 1);
    check_page("bbox=23.4999,41.0699,23.5011,41.0706&limit=10", 6, 6, 0);
    /* exactly 10,000 match: still counted (the first page is full) */
    check_page("part=first&limit=10", 10000, 10, 1);
    check_page("filter=part%3D%27first%27&limit=10", 10000, 10, 1);
    return h_finish();
}
