/* polis tiles seed LAYER --zoom A-B [--bbox W,S,E,N] (--out FILE.mbtiles | --url URL)
 *
 * --out builds every tile of the range straight from PostGIS with the
 * server's own SQL (tiles/registry.c, tiles/layers.c) into an MBTiles file
 * (tiles/mbtiles.c); --url warms a running server's cache by requesting
 * every tile of the range from it. LAYER may be a composite "a,b". Without
 * --bbox the range covers the layers' extent. Progress goes to stderr. */
#include "cli/commands.h"
#include "cli/cli.h"

#include "common/stopwatch.h"
#include "gis/db.h"
#include "tiles/mbtiles.h"
#include "tiles/registry.h"
#include "tiles/tile_math.h"
#include "tiles/vector_layers.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED_MAX_TILES 50000000LL

static int usage(FILE *out)
{
    fprintf(out,
            "usage: polis tiles seed LAYER --zoom MIN-MAX [--bbox MINLON,MINLAT,MAXLON,MAXLAT]\n"
            "                        (--out FILE.mbtiles | --url http://127.0.0.1:8080)\n\n"
            "Builds every tile of LAYER (a tile layer of /tiles, or a composite a,b) in the\n"
            "zoom range and bounding box (default: the layer's extent):\n"
            "  --out FILE  into an MBTiles 1.3 file, straight from POLIS_DATABASE_URL\n"
            "  --url URL   by requesting each from a running server (warms its cache)\n");
    return out == stdout ? 0 : 2;
}

struct seed {
    const char *spec;
    int zmin, zmax;
    double bbox[4];
    int have_bbox;
    const char *out, *url;
    long long total, done, stored, bytes;
    struct timespec t0;
};

static void progress(struct seed *s, int last)
{
    if (!last && s->done % 500 != 0)
        return;
    fprintf(stderr, "tiles seed: %lld/%lld tiles, %lld with features, %lld bytes, %.1f s\n",
            s->done, s->total, s->stored, s->bytes, stopwatch_seconds(&s->t0));
}

/* Tile ranges of the bbox at zoom z: x0..x1, y0..y1 (y from the north). */
static void range(const struct seed *s, int z, long r[4])
{
    struct tile_id nw, se;
    tile_for_lonlat(z, s->bbox[0], s->bbox[3], &nw);
    tile_for_lonlat(z, s->bbox[2], s->bbox[1], &se);
    r[0] = nw.x, r[1] = se.x, r[2] = nw.y, r[3] = se.y;
}

static long long count_tiles(const struct seed *s)
{
    long long n = 0;
    for (int z = s->zmin; z <= s->zmax; z++) {
        long r[4];
        range(s, z, r);
        n += (long long)(r[1] - r[0] + 1) * (r[3] - r[2] + 1);
    }
    return n;
}

static int parse_args(int argc, char **argv, struct seed *s)
{
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "polis tiles seed: expected a layer name first\n");
        return -1;
    }
    s->spec = argv[1];
    int have_zoom = 0;
    for (int i = 2; i < argc; i += 2) { /* each option has a value */
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--zoom") && v) {
            char *end;
            long a = strtol(v, &end, 10), b = a;
            if (end != v && *end == '-')
                b = strtol(end + 1, &end, 10);
            if (end == v || *end || a < 0 || b < a || b > TILE_MAX_ZOOM) {
                fprintf(stderr, "polis tiles seed: --zoom: expected MIN-MAX or Z with 0 <= MIN <= "
                        "MAX <= %d, found \"%s\"\n", TILE_MAX_ZOOM, v);
                return -1;
            }
            s->zmin = (int)a, s->zmax = (int)b, have_zoom = 1;
        } else if (!strcmp(argv[i], "--bbox") && v) {
            char extra;
            double *b = s->bbox;
            if (sscanf(v, "%lf,%lf,%lf,%lf%c", &b[0], &b[1], &b[2], &b[3], &extra) != 4 ||
                !(b[0] >= -180 && b[0] < b[2] && b[2] <= 180 && b[1] >= -90 && b[1] < b[3] &&
                  b[3] <= 90)) {
                fprintf(stderr, "polis tiles seed: --bbox: expected MINLON,MINLAT,MAXLON,MAXLAT "
                        "in degrees with MIN < MAX, found \"%s\"\n", v);
                return -1;
            }
            s->have_bbox = 1;
        } else if (!strcmp(argv[i], "--out") && v) {
            s->out = v;
        } else if (!strcmp(argv[i], "--url") && v) {
            s->url = v;
        } else {
            fprintf(stderr, "polis tiles seed: unexpected argument \"%s\"%s\n", argv[i],
                    v ? "" : " (or its value is missing)");
            return -1;
        }
    }
    if (!have_zoom || !s->out == !s->url) {
        fprintf(stderr, "polis tiles seed: expected --zoom and one of --out or --url\n");
        return -1;
    }
    return 0;
}

/* ---- --out: MBTiles from PostGIS ---- */

static char *metadata_json(const struct tile_registry *reg, const int *layers, int n)
{
    json_t *vls = json_array();
    for (int i = 0; i < n; i++)
        tile_vector_layers_append(vls, reg->layers[layers[i]]);
    json_t *j = json_pack("{s:o}", "vector_layers", vls);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return text;
}

static int seed_mbtiles(struct seed *s)
{
    char err[1024];
    PGconn *db = cli_connect("polis tiles seed");
    if (!db)
        return 1;
    struct tile_registry *reg = tile_registry_load(db, err, sizeof err);
    if (!reg) {
        fprintf(stderr, "polis tiles seed: %s\n", err);
        PQfinish(db);
        return 1;
    }
    int layers[TILE_COMPOSITE_MAX], rc = 1;
    const char *bad = NULL;
    size_t bad_len = 0;
    int n = tile_registry_list(reg, s->spec, layers, TILE_COMPOSITE_MAX, 1, &bad, &bad_len);
    const struct tile_layer *ls[TILE_COMPOSITE_MAX];
    struct mbtiles *m = NULL;
    char *json = NULL;
    if (n <= 0) {
        if (n == 0)
            fprintf(stderr, "polis tiles seed: there is no tile layer \"%.*s\" (public layers "
                    "only; the layers are listed at /tiles)\n", (int)bad_len, bad);
        else
            fprintf(stderr, "polis tiles seed: expected a layer name or up to %d different names "
                    "separated by commas, found \"%s\"\n", TILE_COMPOSITE_MAX, s->spec);
        goto done;
    }
    for (int i = 0; i < n; i++)
        ls[i] = reg->layers[layers[i]];
    if (!s->have_bbox) {
        char *sql = tile_bounds_sql(ls, n);
        PGresult *res = PQexec(db, sql);
        free(sql);
        if (PQresultStatus(res) != PGRES_TUPLES_OK || PQgetisnull(res, 0, TILE_BOUNDS_XMIN)) {
            fprintf(stderr, "polis tiles seed: %s: %s\n", s->spec,
                    PQresultStatus(res) == PGRES_TUPLES_OK ? "the layer has no features; nothing "
                    "to seed" : PQresultErrorMessage(res));
            PQclear(res);
            goto done;
        }
        s->bbox[0] = atof(PQgetvalue(res, 0, TILE_BOUNDS_XMIN));
        s->bbox[1] = atof(PQgetvalue(res, 0, TILE_BOUNDS_YMIN));
        s->bbox[2] = atof(PQgetvalue(res, 0, TILE_BOUNDS_XMAX));
        s->bbox[3] = atof(PQgetvalue(res, 0, TILE_BOUNDS_YMAX));
        PQclear(res);
    }
    s->total = count_tiles(s);
    if (s->total > SEED_MAX_TILES) {
        fprintf(stderr, "polis tiles seed: %lld tiles; at most %lld at once (narrow --zoom or "
                "--bbox)\n", s->total, SEED_MAX_TILES);
        goto done;
    }
    if (!(m = mbtiles_create(s->out, err, sizeof err))) {
        fprintf(stderr, "polis tiles seed: %s\n", err);
        goto done;
    }
    char v[256];
    json = metadata_json(reg, layers, n);
    snprintf(v, sizeof v, "%.9g,%.9g,%.9g,%.9g", s->bbox[0], s->bbox[1], s->bbox[2], s->bbox[3]);
    int bad_meta = mbtiles_metadata(m, "name", s->spec, err, sizeof err) ||
                   mbtiles_metadata(m, "format", "pbf", err, sizeof err) ||
                   mbtiles_metadata(m, "type", "overlay", err, sizeof err) ||
                   mbtiles_metadata(m, "version", "1", err, sizeof err) ||
                   mbtiles_metadata(m, "description", n == 1 ? ls[0]->description
                                                              : "composite of tile layers",
                                    err, sizeof err) ||
                   mbtiles_metadata(m, "bounds", v, err, sizeof err) || !json ||
                   mbtiles_metadata(m, "json", json, err, sizeof err);
    snprintf(v, sizeof v, "%.9g,%.9g,%d", (s->bbox[0] + s->bbox[2]) / 2,
             (s->bbox[1] + s->bbox[3]) / 2, s->zmin);
    bad_meta = bad_meta || mbtiles_metadata(m, "center", v, err, sizeof err);
    snprintf(v, sizeof v, "%d", s->zmin);
    bad_meta = bad_meta || mbtiles_metadata(m, "minzoom", v, err, sizeof err);
    snprintf(v, sizeof v, "%d", s->zmax);
    bad_meta = bad_meta || mbtiles_metadata(m, "maxzoom", v, err, sizeof err);
    if (bad_meta) {
        fprintf(stderr, "polis tiles seed: %s: %s\n", s->out, err);
        goto done;
    }
    fprintf(stderr, "tiles seed: %s, zoom %d-%d, bbox %.6f,%.6f,%.6f,%.6f: %lld tiles into %s\n",
            s->spec, s->zmin, s->zmax, s->bbox[0], s->bbox[1], s->bbox[2], s->bbox[3], s->total,
            s->out);
    for (int z = s->zmin; z <= s->zmax; z++) {
        /* the layers that have tiles at this zoom: the server's SQL for them */
        const struct tile_layer *act[TILE_COMPOSITE_MAX];
        int nact = 0;
        for (int i = 0; i < n; i++)
            if (z >= ls[i]->minzoom && z <= ls[i]->maxzoom)
                act[nact++] = ls[i];
        long r[4];
        range(s, z, r);
        if (!nact) {
            s->done += (long long)(r[1] - r[0] + 1) * (r[3] - r[2] + 1);
            continue;
        }
        char *sql = tile_composite_sql(act, nact);
        PGresult *prep = PQprepare(db, "", sql, 3, NULL);
        free(sql);
        if (PQresultStatus(prep) != PGRES_COMMAND_OK) {
            fprintf(stderr, "polis tiles seed: %s", PQresultErrorMessage(prep));
            PQclear(prep);
            goto done;
        }
        PQclear(prep);
        for (long x = r[0]; x <= r[1]; x++)
            for (long y = r[2]; y <= r[3]; y++) {
                char zs[8], xs[16], ys[16];
                snprintf(zs, sizeof zs, "%d", z);
                snprintf(xs, sizeof xs, "%ld", x);
                snprintf(ys, sizeof ys, "%ld", y);
                const char *p[] = {zs, xs, ys};
                PGresult *res = PQexecPrepared(db, "", 3, p, NULL, NULL, 1);
                if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
                    fprintf(stderr, "polis tiles seed: tile %d/%ld/%ld: %s", z, x, y,
                            PQresultErrorMessage(res));
                    PQclear(res);
                    goto done;
                }
                size_t len = PQgetisnull(res, 0, TILE_MVT_DATA) ? 0
                                                            : (size_t)PQgetlength(res, 0, TILE_MVT_DATA);
                size_t stored;
                if (len > 0) {
                    if (mbtiles_put(m, z, x, y,
                                    (const unsigned char *)PQgetvalue(res, 0, TILE_MVT_DATA), len,
                                    &stored, err, sizeof err) < 0) {
                        fprintf(stderr, "polis tiles seed: %s: %s\n", s->out, err);
                        PQclear(res);
                        goto done;
                    }
                    s->stored++;
                    s->bytes += (long long)stored;
                }
                PQclear(res);
                s->done++;
                progress(s, 0);
            }
    }
    if (mbtiles_close(m, 1, err, sizeof err) < 0) {
        m = NULL;
        fprintf(stderr, "polis tiles seed: %s: %s\n", s->out, err);
        goto done;
    }
    m = NULL;
    progress(s, 1);
    rc = 0;
done:
    if (m)
        mbtiles_close(m, 0, NULL, 0);
    free(json);
    tile_registry_unref(reg);
    PQfinish(db);
    return rc;
}

/* ---- --url: warm a server's cache ---- */

struct body {
    char *p;
    size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
    struct body *b = ud;
    size_t add = size * n;
    char *q = realloc(b->p, b->len + add + 1);
    if (!q)
        return 0;
    memcpy(q + b->len, p, add);
    b->len += add;
    q[b->len] = '\0';
    b->p = q;
    return add;
}

static int seed_url(struct seed *s)
{
    char base[1024];
    snprintf(base, sizeof base, "%s", s->url);
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/')
        base[--bl] = '\0';
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *c = curl_easy_init(); /* one handle: the connection is kept alive */
    if (!c) {
        fprintf(stderr, "polis tiles seed: out of memory\n");
        return 1;
    }
    struct body b = {0};
    char url[1400];
    long status = 0;
    int rc = 1;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip"); /* what browsers ask: the cached form */
    curl_easy_setopt(c, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    if (!s->have_bbox) {
        snprintf(url, sizeof url, "%s/tiles/%s.json", base, s->spec);
        curl_easy_setopt(c, CURLOPT_URL, url);
        CURLcode cc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        json_t *tj = cc == CURLE_OK && status == 200 ? json_loadb(b.p, b.len, 0, NULL) : NULL;
        json_t *bounds = json_object_get(tj, "bounds");
        if (json_array_size(bounds) != 4) {
            fprintf(stderr, "polis tiles seed: GET %s: %s\n", url,
                    cc != CURLE_OK ? curl_easy_strerror(cc)
                    : status != 200 ? "not 200 (is the layer served there?)"
                                    : "no bounds in the TileJSON");
            json_decref(tj);
            goto done;
        }
        for (int i = 0; i < 4; i++)
            s->bbox[i] = json_number_value(json_array_get(bounds, i));
        json_decref(tj);
    }
    s->total = count_tiles(s);
    if (s->total > SEED_MAX_TILES) {
        fprintf(stderr, "polis tiles seed: %lld tiles; at most %lld at once\n", s->total,
                SEED_MAX_TILES);
        goto done;
    }
    fprintf(stderr, "tiles seed: %s, zoom %d-%d, bbox %.6f,%.6f,%.6f,%.6f: %lld tiles from %s\n",
            s->spec, s->zmin, s->zmax, s->bbox[0], s->bbox[1], s->bbox[2], s->bbox[3], s->total,
            base);
    long long failed = 0;
    for (int z = s->zmin; z <= s->zmax; z++) {
        long r[4];
        range(s, z, r);
        for (long x = r[0]; x <= r[1]; x++)
            for (long y = r[2]; y <= r[3]; y++) {
                snprintf(url, sizeof url, "%s/tiles/%s/%d/%ld/%ld.mvt", base, s->spec, z, x, y);
                curl_easy_setopt(c, CURLOPT_URL, url);
                b.len = 0;
                status = 0;
                CURLcode cc = curl_easy_perform(c);
                curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
                if (cc != CURLE_OK || (status != 200 && status != 204 && status != 404)) {
                    if (failed++ < 10)
                        fprintf(stderr, "polis tiles seed: GET %s: %s (status %ld)\n", url,
                                cc != CURLE_OK ? curl_easy_strerror(cc) : "failed", status);
                } else if (status == 200) {
                    s->stored++;
                    s->bytes += (long long)b.len;
                }
                s->done++;
                progress(s, 0);
            }
    }
    progress(s, 1);
    if (failed)
        fprintf(stderr, "polis tiles seed: %lld tiles failed\n", failed);
    rc = failed ? 1 : 0;
done:
    free(b.p);
    curl_easy_cleanup(c);
    curl_global_cleanup();
    return rc;
}

int cmd_tiles(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return usage(argc < 2 ? stderr : stdout);
    if (strcmp(argv[1], "seed") != 0) {
        fprintf(stderr, "polis tiles: unknown subcommand \"%s\"\n\n", argv[1]);
        return usage(stderr);
    }
    struct seed s = {0};
    if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")))
        return usage(stdout);
    if (parse_args(argc - 1, argv + 1, &s) < 0)
        return 2;
    s.t0 = stopwatch_start();
    return s.out ? seed_mbtiles(&s) : seed_url(&s);
}
