/* The basemap as a map client sees it, on a cluster of the test's own: after
 * `polis basemap import` of the generated town (h_osm.h), the basemap
 * tiles decode with GDAL's MVT driver with what their zoom should show (z12:
 * the main road and the town, no buildings or house numbers; z17: buildings
 * and house numbers too); /styles/basemap.json names only this server, and
 * every URL in it (the TileJSON, its tiles, the glyphs of each font it names)
 * answers 200; a glyph PBF decodes to the fontstack and a Greek capital
 * alpha with a bitmap of the size MapLibre expects; labels follow ?lang=;
 * and a re-import reaches a cached tile. */
#include "h_osm.h"
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GLYPH_BUFFER 3 /* the border MapLibre expects around each glyph bitmap */

struct tile {
    int z;
    long x, y;
};

static struct tile tile_at(double lon, double lat, int z)
{
    struct tile t = {.z = z};
    h_tile_of(lat, lon, z, &t.x, &t.y);
    return t;
}

static int import(const char *dburl, const char *path, const char *opt, const char *value)
{
    const char *const argv[] = {"basemap", "import", path, opt, value, NULL};
    return h_polis_wait(h_polis_spawn(dburl, argv));
}

/* GDAL's MVT driver on the tile's bytes: ogrinfo's report (malloc'd). */
static char *ogrinfo(const struct h_resp *r, struct tile t)
{
    char dir[] = "/tmp/polis-basemap-XXXXXX";
    if (!mkdtemp(dir))
        h_fatal("mkdtemp: %s", strerror(errno));
    char path[256], *out = NULL;
    snprintf(path, sizeof path, "%s/%ld.mvt", dir, t.y);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(r->body, 1, r->len, f) != r->len)
        h_fatal("cannot write %s", path);
    fclose(f);
    h_run(&out, "ogrinfo -ro -al -oo Z=%d -oo X=%ld -oo Y=%ld %s 2>&1", t.z, t.x, t.y, path);
    unlink(path);
    rmdir(dir);
    return out;
}

static int has_layer(const char *info, const char *layer)
{
    char line[64];
    snprintf(line, sizeof line, "Layer name: %s\n", layer);
    return strstr(info, line) != NULL;
}

static void get_tile(const struct h_server *s, struct tile t, struct h_resp *r)
{
    char path[128];
    snprintf(path, sizeof path, "/tiles/basemap/%d/%ld/%ld.mvt", t.z, t.x, t.y);
    h_get(s, path, r);
}

/* ---- the tiles by zoom ---- */

static void check_zoom(const struct h_server *s, struct tile t, const char *const *present,
                       const char *const *absent, const char *const *names,
                       const char *const *no_names)
{
    struct h_resp r;
    get_tile(s, t, &r);
    char what[160];
    snprintf(what, sizeof what, "basemap tile z%d: status", t.z);
    CHECK_INT(what, r.status, 200);
    char *info = ogrinfo(&r, t);
    CHECK(strstr(info, "FAILURE") == NULL && strstr(info, "ERROR") == NULL,
          "z%d: GDAL's MVT driver reads the tile: %s", t.z, info);
    for (; *present; present++)
        CHECK(has_layer(info, *present), "z%d: expected the layer %s in the tile, found: %s",
              t.z, *present, info);
    for (; *absent; absent++)
        CHECK(!has_layer(info, *absent), "z%d: expected no layer %s in the tile, found it: %s",
              t.z, *absent, info);
    for (; *names; names++)
        CHECK(strstr(info, *names) != NULL, "z%d: expected \"%s\" in the tile, found: %s", t.z,
              *names, info);
    for (; *no_names; no_names++)
        CHECK(strstr(info, *no_names) == NULL, "z%d: expected no \"%s\" at this zoom, found: %s",
              t.z, *no_names, info);
    free(info);
    h_resp_free(&r);
}

/* ---- the style and every URL in it ---- */

/* Every string of j that is a URL, into urls (at most max). */
static void collect_urls(json_t *j, const char **urls, int *n, int max)
{
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_string(j) && strstr(json_string_value(j), "://") && *n < max)
        urls[(*n)++] = json_string_value(j);
    else if (json_is_object(j))
        json_object_foreach(j, key, v) collect_urls(v, urls, n, max);
    else if (json_is_array(j))
        json_array_foreach(j, i, v) collect_urls(v, urls, n, max);
}

/* The fontstacks the style's layers name in text-font. */
static int fontstacks(json_t *style, const char **out, int max)
{
    int n = 0;
    size_t i, k;
    json_t *layer, *font;
    json_array_foreach(json_object_get(style, "layers"), i, layer) {
        json_t *fonts = json_object_get(json_object_get(layer, "layout"), "text-font");
        json_array_foreach(fonts, k, font) {
            int seen = 0;
            for (int f = 0; f < n; f++)
                seen |= !strcmp(out[f], json_string_value(font));
            if (!seen && n < max)
                out[n++] = json_string_value(font);
        }
    }
    return n;
}

/* url with {a} replaced by b (once), into out. */
static void replace(char *out, size_t outlen, const char *url, const char *a, const char *b)
{
    const char *at = strstr(url, a);
    if (!at) {
        snprintf(out, outlen, "%s", url);
        return;
    }
    snprintf(out, outlen, "%.*s%s%s", (int)(at - url), url, b, at + strlen(a));
}

static void expect_200(const char *url, const char *what, struct h_resp *r)
{
    h_get_url(url, r);
    CHECK(r->status == 200, "%s (%s): expected 200, found %ld", what, url, r->status);
}

/* ---- a glyph PBF, read by hand (the format of tools/make_glyphs.c) ---- */

struct pb {
    const uint8_t *p, *end;
};

static int pb_varint(struct pb *b, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; b->p < b->end && shift < 64; shift += 7) {
        uint8_t c = *b->p++;
        *v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return 0;
    }
    return -1;
}

/* The next field: its number, and a varint value or a length-delimited part. */
static int pb_field(struct pb *b, unsigned *field, uint64_t *value, struct pb *part)
{
    uint64_t key;
    if (b->p >= b->end || pb_varint(b, &key))
        return -1;
    *field = (unsigned)(key >> 3);
    if ((key & 7) == 0)
        return pb_varint(b, value);
    if ((key & 7) != 2 || pb_varint(b, value) || *value > (uint64_t)(b->end - b->p))
        return -1;
    part->p = b->p;
    part->end = b->p + *value;
    b->p += *value;
    return 0;
}

struct glyph_found {
    char name[64], range[32];
    int found;
    uint64_t width, height, bitmap_len;
};

static void read_glyphs(const struct h_resp *r, uint32_t want, struct glyph_found *g)
{
    memset(g, 0, sizeof *g);
    struct pb top = {(const uint8_t *)r->body, (const uint8_t *)r->body + r->len}, stack, part;
    unsigned field;
    uint64_t v;
    if (pb_field(&top, &field, &v, &stack) || field != 1)
        return;
    while (!pb_field(&stack, &field, &v, &part)) {
        if (field == 1 || field == 2)
            snprintf(field == 1 ? g->name : g->range, field == 1 ? sizeof g->name : sizeof g->range,
                     "%.*s", (int)(part.end - part.p), (const char *)part.p);
        if (field != 3)
            continue;
        struct glyph_found one = {0};
        uint64_t id = 0;
        struct pb glyph = part, bitmap;
        while (!pb_field(&glyph, &field, &v, &bitmap)) {
            if (field == 1)
                id = v;
            else if (field == 2)
                one.bitmap_len = v;
            else if (field == 3)
                one.width = v;
            else if (field == 4)
                one.height = v;
        }
        if (id == want) {
            g->found = 1;
            g->width = one.width;
            g->height = one.height;
            g->bitmap_len = one.bitmap_len;
        }
    }
}

int main(void)
{
    h_init("test_basemap_tiles", 240);
    h_require_tool("ogrinfo");
    struct h_cluster cl;
    h_cluster_create(&cl);
    static const char *const migrate[] = {"migrate", NULL};
    if (h_polis_wait(h_polis_spawn(cl.url, migrate)) != 0)
        h_fatal("polis migrate on the test's cluster failed");
    char osm[300];
    snprintf(osm, sizeof osm, "%s/town.osm", cl.var);
    h_write_osm(osm);
    CHECK_INT("polis basemap import: exit status", import(cl.url, osm, NULL, NULL), 0);

    char var[300];
    snprintf(var, sizeof var, "POLIS_VAR=%s", cl.var);
    const char *env[] = {var, NULL};
    struct h_server s;
    if (h_server_start(&s, cl.url, env) != 0)
        return h_finish();

    /* z12: the primary road and the town, not the residential street (from
     * 13), nor buildings or house numbers; z17 over Ερμού 30: those too */
    struct tile z12 = tile_at(ERMOU_30_LON, ERMOU_30_LAT, 12);
    struct tile z17 = tile_at(ERMOU_30_LON, ERMOU_30_LAT, 17);
    static const char *const z12_layers[] = {"roads", "places", "water", NULL};
    static const char *const z12_not[] = {"buildings", "addresses", NULL};
    static const char *const z12_names[] = {"Μεγάλου Αλεξάνδρου", "Megalou Alexandrou", "Σέρρες",
                                            NULL};
    static const char *const z12_no_names[] = {"Ερμού", NULL};
    check_zoom(&s, z12, z12_layers, z12_not, z12_names, z12_no_names);
    static const char *const z17_layers[] = {"buildings", "addresses", NULL};
    static const char *const none[] = {NULL};
    static const char *const z17_names[] = {"housenumber (String) = 30", NULL};
    check_zoom(&s, z17, z17_layers, none, z17_names, none);

    struct h_resp r;
    h_get(&s, "/tiles/basemap/5/18/12.mvt", &r);
    CHECK_INT("a basemap tile below its zoom range: empty", r.status, 204);
    h_resp_free(&r);

    /* TileJSON: every MVT layer the tiles carry */
    h_get(&s, "/tiles/basemap.json", &r);
    CHECK_INT("TileJSON of the basemap: status", r.status, 200);
    static const char *const vector_layers[] = {"landuse", "water", "rail", "roads",
                                                "buildings", "places", "addresses"};
    for (size_t i = 0; i < sizeof vector_layers / sizeof vector_layers[0]; i++) {
        int found = 0;
        size_t k;
        json_t *vl;
        json_array_foreach(json_object_get(r.json, "vector_layers"), k, vl)
            found |= !strcmp(json_string_value(json_object_get(vl, "id")) ?: "", vector_layers[i]);
        CHECK(found, "TileJSON: expected vector layer %s, found %s", vector_layers[i], r.body);
    }
    h_resp_free(&r);

    /* the style: only this server's URLs, and each answers */
    struct h_resp style;
    h_get(&s, "/styles/basemap.json?lang=en", &style);
    CHECK_INT("GET /styles/basemap.json?lang=en: status", style.status, 200);
    const char *urls[64];
    int nurls = 0;
    collect_urls(style.json, urls, &nurls, 64);
    CHECK(nurls >= 2, "the style names its TileJSON and glyphs: expected 2 URLs or more, found %d",
          nurls);
    for (int i = 0; i < nurls; i++)
        CHECK(!strncmp(urls[i], s.base, strlen(s.base)) && urls[i][strlen(s.base)] == '/',
              "every URL of the style is on this server (%s): found %s", s.base, urls[i]);
    const char *tilejson = json_string_value(
        json_object_get(json_object_get(json_object_get(style.json, "sources"), "basemap"), "url"));
    CHECK(tilejson != NULL, "the style's source basemap has a TileJSON url: %s", style.body);
    struct h_resp tj;
    expect_200(tilejson ? tilejson : "", "the style's TileJSON", &tj);
    const char *tiles = json_string_value(json_array_get(json_object_get(tj.json, "tiles"), 0));
    CHECK(tiles && !strncmp(tiles, s.base, strlen(s.base)),
          "the TileJSON's tiles are on this server: found %s", tiles ? tiles : "(none)");
    char url[1024], zs[16], xs[24], ys[24], step[1024];
    snprintf(zs, sizeof zs, "%d", z17.z);
    snprintf(xs, sizeof xs, "%ld", z17.x);
    snprintf(ys, sizeof ys, "%ld", z17.y);
    replace(step, sizeof step, tiles ? tiles : "", "{z}", zs);
    replace(url, sizeof url, step, "{x}", xs);
    replace(step, sizeof step, url, "{y}", ys);
    expect_200(step, "a tile of the style's TileJSON", &r);
    h_resp_free(&r);
    h_resp_free(&tj);
    CHECK(json_object_get(style.json, "sprite") == NULL || json_is_string(json_object_get(style.json, "sprite")),
          "sprite: a URL when present");
    if (json_is_string(json_object_get(style.json, "sprite"))) {
        snprintf(url, sizeof url, "%s.json", json_string_value(json_object_get(style.json, "sprite")));
        expect_200(url, "the style's sprite", &r);
        h_resp_free(&r);
    }
    const char *glyphs = json_string_value(json_object_get(style.json, "glyphs"));
    const char *fonts[8];
    int nfonts = fontstacks(style.json, fonts, 8);
    CHECK(glyphs && nfonts > 0, "the style has glyphs and names fonts: %s", style.body);
    static const char *const ranges[] = {"0-255", "768-1023"}; /* Latin, Greek */
    for (int f = 0; glyphs && f < nfonts; f++)
        for (size_t g = 0; g < sizeof ranges / sizeof ranges[0]; g++) {
            char *enc = curl_easy_escape(NULL, fonts[f], 0);
            replace(step, sizeof step, glyphs, "{fontstack}", enc);
            curl_free(enc);
            replace(url, sizeof url, step, "{range}", ranges[g]);
            expect_200(url, "the glyphs of a font the style names", &r);
            h_resp_free(&r);
        }

    /* labels in the language asked for */
    CHECK(strstr(style.body, "\"name_en\"") != NULL, "?lang=en: labels read name_en: %s",
          style.body);
    h_resp_free(&style);
    h_get(&s, "/styles/basemap.json", &style);
    CHECK(style.status == 200 && strstr(style.body, "\"name_el\"") &&
              !strstr(style.body, "\"name_en\""),
          "no lang: labels read name_el only: %s", style.body);
    h_resp_free(&style);
    h_get(&s, "/styles/basemap.json?lang=fr", &r);
    CHECK_PROBLEM("?lang=fr", &r, 400, "lang");
    h_resp_free(&r);

    /* a glyph range, decoded: the Greek capital alpha, with its border */
    h_get(&s, "/fonts/DejaVu%20Sans/768-1023.pbf", &r);
    CHECK_INT("the Greek glyphs of DejaVu Sans: status", r.status, 200);
    struct glyph_found alpha;
    read_glyphs(&r, 0x391, &alpha);
    CHECK_STR("the glyph PBF's fontstack name", alpha.name, "DejaVu Sans");
    CHECK_STR("the glyph PBF's range", alpha.range, "768-1023");
    CHECK(alpha.found && alpha.width > 0 && alpha.height > 0,
          "U+0391 Α is in the range with a size: found=%d %llux%llu", alpha.found,
          (unsigned long long)alpha.width, (unsigned long long)alpha.height);
    CHECK(alpha.bitmap_len == (alpha.width + 2 * GLYPH_BUFFER) * (alpha.height + 2 * GLYPH_BUFFER),
          "U+0391's bitmap is its size plus a %d px border: expected %llu bytes, found %llu",
          GLYPH_BUFFER,
          (unsigned long long)((alpha.width + 2 * GLYPH_BUFFER) * (alpha.height + 2 * GLYPH_BUFFER)),
          (unsigned long long)alpha.bitmap_len);
    h_resp_free(&r);
    h_get(&s, "/fonts/Comic%20Sans/0-255.pbf", &r);
    CHECK_PROBLEM("glyphs of a font the server does not have", &r, 404, NULL);
    h_resp_free(&r);
    h_get(&s, "/fonts/DejaVu%20Sans/0-300.pbf", &r);
    CHECK_PROBLEM("a glyph range that is not 256 code points", &r, 404, NULL);
    h_resp_free(&r);

    /* a re-import of the west end only: the cached z17 tile over Ερμού 30
     * (in the east) loses its building, in this server too */
    struct h_resp before, again;
    get_tile(&s, z17, &before);
    get_tile(&s, z17, &again);
    char *cache = h_resp_header(&again, "x-cache");
    CHECK_STR("the z17 tile the second time: x-cache", cache, "hit");
    free(cache);
    h_resp_free(&again);
    CHECK_INT("re-import of the west end: exit status",
              import(cl.url, osm, "--bbox", "23.539,41.085,23.544,41.093"), 0);
    long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS;
    int changed = 0;
    while (!changed && h_now_ms() < deadline) {
        get_tile(&s, z17, &r);
        changed = r.status != before.status || r.len != before.len ||
                  memcmp(r.body, before.body, r.len);
        if (!changed) {
            h_resp_free(&r);
            h_sleep_ms(100);
        }
    }
    CHECK(changed, "after the re-import the z17 tile changes (the cached one is dropped)");
    if (changed) {
        char *info = r.status == 200 ? ogrinfo(&r, z17) : NULL;
        CHECK(r.status == 204 || (info && !has_layer(info, "buildings")),
              "after the re-import the z17 tile has no building: status %ld, %s", r.status,
              info ? info : "");
        free(info);
        h_resp_free(&r);
    }
    h_resp_free(&before);
    return h_finish();
}
