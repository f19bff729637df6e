/* The tile cache: stays within its byte bound, evicts the least recently
 * used tile first (a hit makes a tile recent), keeps versions apart (a bumped
 * layer never hits an old tile), drops a layer's tiles (also in composites),
 * and gzip round-trips. Also the layer registry's name lists and that the
 * generated SQL selects only the whitelisted attributes. */
#include "check.h"
#include "tiles/layers.h"
#include "tiles/tile_cache.h"
#include "tiles/tile_gzip.h"
#include "tiles/registry.h"
#include "http/config.h"
#include "tiles/tiles.h"

#include <stdlib.h>
#include <string.h>

static struct tile_key key(const char *layers, int z, long x, long y, uint64_t v)
{
    struct tile_key k;
    memset(&k, 0, sizeof k);
    snprintf(k.layers, sizeof k.layers, "%s", layers);
    k.z = z, k.x = x, k.y = y, k.version = v;
    return k;
}

static struct tile_blob *blob_of(size_t len, unsigned char fill)
{
    struct tile_blob *b = tile_blob_new(len);
    memset(b->data, fill, len);
    b->raw_len = len;
    b->hash = fill;
    return b;
}

/* 1 when key is in the cache (a lookup: it also makes the entry recent). */
static int has(struct tile_cache *c, struct tile_key k)
{
    struct tile_blob *b = tile_cache_get(c, &k);
    tile_blob_release(b);
    return b != NULL;
}

static void put(struct tile_cache *c, struct tile_key k, size_t len, unsigned char fill)
{
    struct tile_blob *b = blob_of(len, fill);
    tile_cache_put(c, &k, b);
    tile_blob_release(b);
}

static void test_lru_and_bound(void)
{
    struct tile_blob *probe = blob_of(1000, 0);
    size_t cost = tile_cache_entry_cost(probe);
    tile_blob_release(probe);
    struct tile_cache *c = tile_cache_create(3 * cost); /* room for three tiles */
    put(c, key("boundaries", 1, 0, 0, 1), 1000, 1);
    put(c, key("boundaries", 1, 0, 1, 1), 1000, 2);
    put(c, key("boundaries", 1, 1, 0, 1), 1000, 3);
    struct tile_cache_stats s;
    tile_cache_get_stats(c, &s);
    CHECK(s.entries == 3 && s.bytes == 3 * cost && s.evictions == 0);
    /* touch the oldest: now 0/1 is the least recently used */
    CHECK(has(c, key("boundaries", 1, 0, 0, 1)));
    put(c, key("boundaries", 1, 1, 1, 1), 1000, 4);
    tile_cache_get_stats(c, &s);
    CHECK(s.entries == 3 && s.bytes <= 3 * cost && s.evictions == 1);
    CHECK(!has(c, key("boundaries", 1, 0, 1, 1)));
    CHECK(has(c, key("boundaries", 1, 0, 0, 1)));
    CHECK(has(c, key("boundaries", 1, 1, 0, 1)));
    CHECK(has(c, key("boundaries", 1, 1, 1, 1)));
    /* a tile bigger than the bound is not stored and evicts nothing */
    put(c, key("boundaries", 2, 0, 0, 1), 8 * 1000, 5);
    CHECK(!has(c, key("boundaries", 2, 0, 0, 1)));
    tile_cache_get_stats(c, &s);
    CHECK_INT(s.entries, 3);
    /* a double-size tile evicts the two least recent */
    put(c, key("boundaries", 2, 1, 1, 1), 2000, 6);
    tile_cache_get_stats(c, &s);
    CHECK(s.bytes <= 3 * cost);
    CHECK(has(c, key("boundaries", 2, 1, 1, 1)));
    CHECK(has(c, key("boundaries", 1, 1, 1, 1)));
    CHECK(!has(c, key("boundaries", 1, 0, 0, 1)));
    /* the same key again replaces, and the bytes do not double count */
    put(c, key("boundaries", 1, 1, 1, 1), 1000, 7);
    struct tile_key k = key("boundaries", 1, 1, 1, 1);
    struct tile_blob *b = tile_cache_get(c, &k);
    CHECK(b && b->data[0] == 7);
    tile_blob_release(b);
    tile_cache_get_stats(c, &s);
    CHECK(s.entries == 2 && s.hits > 0 && s.misses > 0);
    tile_cache_destroy(c);
}

static void test_versions_and_drop(void)
{
    struct tile_cache *c = tile_cache_create(1 << 20);
    put(c, key("boundaries", 5, 1, 2, 1), 100, 1);
    put(c, key("boundaries,reports", 5, 1, 2, 2), 100, 2);
    put(c, key("reports", 5, 1, 2, 1), 100, 3);
    put(c, key("boundaries_x", 5, 1, 2, 1), 100, 4);
    CHECK(has(c, key("boundaries", 5, 1, 2, 1)));
    CHECK(!has(c, key("boundaries", 5, 1, 2, 2))); /* a new version misses */
    CHECK(!has(c, key("boundaries", 5, 2, 1, 1)));  /* x and y are not interchangeable */
    /* a blob stays valid for its reader while the cache drops it */
    struct tile_key k = key("boundaries", 5, 1, 2, 1);
    struct tile_blob *held = tile_cache_get(c, &k);
    tile_cache_drop_layer(c, "boundaries");
    CHECK(held && held->len == 100 && held->data[99] == 1);
    tile_blob_release(held);
    CHECK(!has(c, key("boundaries", 5, 1, 2, 1)));
    CHECK(!has(c, key("boundaries,reports", 5, 1, 2, 2)));
    CHECK(has(c, key("reports", 5, 1, 2, 1)));
    CHECK(has(c, key("boundaries_x", 5, 1, 2, 1))); /* a prefix is another layer */
    tile_cache_destroy(c);

    /* a disabled cache stores nothing */
    c = tile_cache_create(0);
    put(c, key("boundaries", 0, 0, 0, 1), 10, 1);
    CHECK(!has(c, key("boundaries", 0, 0, 0, 1)));
    tile_cache_destroy(c);

    /* many entries: the table grows, every one is found */
    c = tile_cache_create(64 << 20);
    for (long i = 0; i < 5000; i++)
        put(c, key("boundaries", 14, i, i / 3, 1), 16, (unsigned char)i);
    int found = 0;
    for (long i = 0; i < 5000; i++)
        found += has(c, key("boundaries", 14, i, i / 3, 1));
    CHECK_INT(found, 5000);
    tile_cache_destroy(c);
}

static void test_gzip(void)
{
    unsigned char mvt[5000];
    for (size_t i = 0; i < sizeof mvt; i++)
        mvt[i] = (unsigned char)(i % 7 == 0 ? i : 'a');
    struct tile_blob *b = tile_gzip_blob(mvt, sizeof mvt);
    CHECK(b && b->gzipped && b->raw_len == sizeof mvt && b->len < sizeof mvt / 2);
    CHECK(b->data[0] == 0x1f && b->data[1] == 0x8b); /* a gzip member */
    CHECK(b->hash == tile_hash(mvt, sizeof mvt));
    unsigned char out[5000];
    CHECK(tile_gunzip(b, out) == 0 && memcmp(out, mvt, sizeof mvt) == 0);
    /* both codings: the same gzip bytes, the MVT after them, counted in the cost */
    CHECK(!b->plain);
    struct tile_blob *both = tile_blob_with_plain(b);
    CHECK(both && both->gzipped && both->len == b->len && both->raw_len == b->raw_len);
    CHECK(both->hash == b->hash && memcmp(both->data, b->data, b->len) == 0);
    CHECK(both->plain && memcmp(both->plain, mvt, sizeof mvt) == 0);
    CHECK(tile_cache_entry_cost(both) == tile_cache_entry_cost(b) + sizeof mvt);
    CHECK(tile_blob_with_plain(both) == NULL); /* nothing more to keep */
    tile_blob_release(both);
    b->raw_len--; /* a length that does not match is an error, not an overflow */
    CHECK_INT(tile_gunzip(b, out), -1);
    tile_blob_release(b);
    /* a tile gzip would not shrink is kept as it is */
    struct tile_blob *tiny = tile_gzip_blob((const unsigned char *)"\x1a\x02" "ab", 4);
    CHECK(tiny && !tiny->gzipped && tiny->len == 4 && tiny->raw_len == 4);
    CHECK(tile_gunzip(tiny, out) == 0 && memcmp(out, "\x1a\x02" "ab", 4) == 0);
    CHECK(tile_blob_with_plain(tiny) == NULL); /* its bytes are the MVT already */
    tile_blob_release(tiny);
    struct tile_blob *empty = tile_gzip_blob((const unsigned char *)"", 0);
    CHECK(empty && empty->len == 0 && empty->raw_len == 0 && tile_gunzip(empty, out) == 0);
    tile_blob_release(empty);
}

static void test_registry(void)
{
    int l[TILE_COMPOSITE_MAX];
    const char *bad = NULL;
    size_t bad_len = 0;
    CHECK_INT(tile_layer_find("boundaries", 10), 0);
    CHECK_INT(tile_layer_find("boundarie", 9), -1);
    struct tile_registry *reg = tile_registry_create(NULL, NULL);
    CHECK(reg && !reg->catalogue_loaded && reg->count == tile_layer_count);
    CHECK(tile_registry_list(reg, "boundaries", l, TILE_COMPOSITE_MAX, 0, &bad, &bad_len) == 1 &&
          l[0] == 0);
    CHECK(tile_registry_list(reg, "boundaries,reports", l, TILE_COMPOSITE_MAX, 0, &bad,
                             &bad_len) == 2 &&
          l[1] == 1);
    CHECK_INT(tile_registry_list(reg, "boundaries,nope", l, TILE_COMPOSITE_MAX, 0, &bad, &bad_len),
              0);
    CHECK(bad_len == 4 && strncmp(bad, "nope", 4) == 0);
    CHECK_INT(tile_registry_list(reg, "boundaries,boundaries", l, TILE_COMPOSITE_MAX, 0, &bad,
                                 &bad_len), -1);
    CHECK_INT(tile_registry_list(reg, "", l, TILE_COMPOSITE_MAX, 0, &bad, &bad_len), -1);
    CHECK_INT(tile_registry_list(reg, "boundaries,", l, TILE_COMPOSITE_MAX, 0, &bad, &bad_len), -1);
    tile_registry_unref(reg);
    /* the tile SQL names the whitelisted columns, the geometry and nothing else */
    char *sql = tile_layer_mvt_sql(&tile_layers[0]);
    CHECK(strstr(sql, "ST_AsMVT(t, 'boundaries', 4096") != NULL);
    CHECK(strstr(sql, "l.name_el") && strstr(sql, "l.name_en") && strstr(sql, "l.code"));
    CHECK(strstr(sql, "l.level") && strstr(sql, "l.id AS mvt_fid, l.id"));
    CHECK(!strstr(sql, "name_source") && !strstr(sql, "natural_key") && !strstr(sql, "source"));
    CHECK(strstr(sql, "l.geom_3857 && e.margin") != NULL); /* the indexed 3857 column */
    free(sql);
    /* reports: only the public view (sql/020_report_privacy.sql) and its
     * public fields; never the table itself, the reporter or the secret */
    sql = tile_layer_mvt_sql(&tile_layers[tile_layer_find("reports", 7)]);
    CHECK(strstr(sql, "ST_AsMVT(t, 'reports', 4096") && strstr(sql, "FROM reports_public l") &&
          strstr(sql, "l.properties"));
    CHECK(!strstr(sql, "FROM reports l") && !strstr(sql, "user_id") && !strstr(sql, "contact_") &&
          !strstr(sql, "secret"));
    CHECK(strstr(sql, "$1::int < 14") && strstr(sql, "$1::int >= 14"));
    free(sql);
    const struct tile_layer *two[2] = {&tile_layers[0], &tile_layers[1]};
    sql = tile_composite_sql(two, 2);
    CHECK(strstr(sql, "SELECT s0.d || s1.d, ") != NULL);
    CHECK(strstr(sql, "'boundaries ' || s0.kept || ' of ' || s0.total") != NULL);
    free(sql);
}


/* Catalogue rows become tile layers: plain column names only, the
 * tile_attributes whitelist respected, a built-in name never shadowed, the
 * tile settings of the row or the defaults, a staff-only layer held with its
 * flag. */
static void test_registry_catalogue(void)
{
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    static const char *const cols[] = {"name", "title_en", "description", "attributes",
                                       "geometry_type", "xmin", "ymin", "xmax", "ymax",
                                       "tile_attributes", "tile_minzoom", "tile_maxzoom",
                                       "tile_simplify_px", "tile_min_size_px",
                                       "tile_feature_limit", "staff_only"};
    enum { NCOLS = sizeof cols / sizeof cols[0] };
    PGresAttDesc attrs[NCOLS];
    memset(attrs, 0, sizeof attrs);
    for (int i = 0; i < NCOLS; i++) {
        attrs[i].name = (char *)cols[i];
        attrs[i].typid = 25; /* text */
        attrs[i].typlen = -1;
        attrs[i].atttypmod = -1;
    }
    CHECK(PQsetResultAttrs(res, NCOLS, attrs));
    const char *rows[3][NCOLS] = {
        {"parks", "Parks", "Parks of Serres",
         "[{\"name\":\"name_el\",\"type\":\"text\",\"source_name\":\"NAME\"},"
         "{\"name\":\"area\",\"type\":\"double precision\"},"
         "{\"name\":\"bad\\\"; DROP TABLE x; --\",\"type\":\"text\"},"
         "{\"name\":\"opened\",\"type\":\"date\"}]",
         "MULTIPOLYGON", "22", "40", "23", "41", NULL, "14", "20", "0.5", "2", "300", "f"},
        {"reports", "Fake", "shadowing a built-in layer", "[]", "POINT", NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, "f"},
        {"lights", "Lights", "Street lights",
         "[{\"name\":\"pole\",\"type\":\"text\"},{\"name\":\"owner_phone\",\"type\":\"text\"}]",
         "POINT", NULL, NULL, NULL, NULL, "{pole}", NULL, NULL, NULL, NULL, NULL, "t"},
    };
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < NCOLS; c++)
            CHECK(PQsetvalue(res, r, c, (char *)rows[r][c], rows[r][c] ? (int)strlen(rows[r][c]) : -1));
    struct tile_registry *reg = tile_registry_create(res, NULL);
    PQclear(res);
    CHECK(reg && reg->catalogue_loaded && reg->count == tile_layer_count + 2);
    int parks = tile_registry_find(reg, "parks", 5), lights = tile_registry_find(reg, "lights", 6);
    CHECK(parks >= 0 && lights >= 0);
    CHECK(tile_registry_find(reg, "reports", 7) == tile_layer_find("reports", 7));
    CHECK(!reg->staff_only[parks] && reg->staff_only[lights]);
    CHECK(!reg->staff_only[tile_layer_find("reports", 7)]);
    /* a staff-only layer is unknown but to staff, also twice in a list */
    const char *bad = NULL;
    size_t bad_len = 0;
    int l2[TILE_COMPOSITE_MAX];
    CHECK(tile_registry_list(reg, "parks,lights", l2, TILE_COMPOSITE_MAX, 1, &bad, &bad_len) == 2);
    CHECK(tile_registry_list(reg, "parks,lights", l2, TILE_COMPOSITE_MAX, 0, &bad, &bad_len) == 0 &&
          bad_len == 6 && !memcmp(bad, "lights", 6));
    CHECK(tile_registry_list(reg, "lights,lights", l2, TILE_COMPOSITE_MAX, 0, &bad, &bad_len) == 0);
    const struct tile_layer *p = reg->layers[parks], *l = reg->layers[lights];
    CHECK(p->nfields == 3 && p->polygonal && l->nfields == 1 && !l->polygonal);
    CHECK(!strcmp(l->fields[0].column, "pole"));
    CHECK(strstr(reg->mvt_sql[parks], "FROM layers.\"parks\" l") != NULL);
    CHECK(strstr(reg->mvt_sql[parks], "ST_Transform(l.geom, 3857) && e.margin") != NULL);
    CHECK(strstr(reg->mvt_sql[parks], "l.\"opened\"::text AS \"opened\"") != NULL);
    CHECK(!strstr(reg->mvt_sql[parks], "DROP"));
    CHECK(!strstr(reg->mvt_sql[lights], "owner_phone"));
    CHECK(p->center[0] == 22.5 && p->center[1] == 40.5);
    /* the row's settings: simplification from pixels to grid units, the
     * largest polygons first, the smallest left out */
    CHECK(p->minzoom == 14 && p->maxzoom == 20 && p->simplify_px == 8 && p->min_size_px == 2 &&
          p->feature_limit == 300 && p->measure == TILE_MEASURE_AREA);
    CHECK(strstr(reg->mvt_sql[parks], "ORDER BY sqrt(ST_Area(ST_Transform(l.geom, 3857))) DESC") &&
          strstr(reg->mvt_sql[parks], "LIMIT 300") &&
          strstr(reg->mvt_sql[parks], "coalesce(sqrt(ST_Area(ST_Transform(l.geom, 3857))) >= 2 *"));
    /* NULLs: the defaults; points are not measured */
    CHECK(l->minzoom == 0 && l->maxzoom == 18 && l->feature_limit == TILE_FEATURE_LIMIT_DEFAULT &&
          l->measure == TILE_MEASURE_NONE && l->min_size_px == 0);
    CHECK(strstr(reg->mvt_sql[lights], "ORDER BY l.fid LIMIT 5000") != NULL);
    tile_registry_unref(reg);
}
static void test_metrics_text(void)
{
    char err[256];
    struct tiles_state *t = tiles_create(1, err, sizeof err);
    CHECK(t != NULL);
    tiles_observe_build(t, 0.003, 0);
    tiles_observe_build(t, 2.0, 1);
    char *text;
    size_t len;
    tiles_metrics_text(t, &text, &len);
    CHECK_INT(strlen(text), len);
    CHECK(strstr(text, "polis_tile_cache_max_bytes 1048576\n") != NULL);
    CHECK(strstr(text, "polis_tile_build_seconds_bucket{le=\"0.005\"} 1\n") != NULL);
    CHECK(strstr(text, "polis_tile_build_seconds_bucket{le=\"+Inf\"} 2\n") != NULL);
    CHECK(strstr(text, "polis_tile_build_seconds_count 2\n") != NULL);
    CHECK(strstr(text, "polis_tile_build_failures_total 1\n") != NULL);
    CHECK(strstr(text, "polis_tile_cache_usable 0\n") != NULL); /* not listening yet */
    free(text);
    /* a bump moves the version of the layer and of composites with it */
    int b[2] = {0, 1};
    struct tile_registry *reg = tiles_registry(t);
    uint64_t v = tiles_version_of(t, reg, b, 1), v2 = tiles_version_of(t, reg, b, 2);
    tiles_layer_changed(t, "boundaries");
    tiles_layer_changed(t, "not-a-layer");
    CHECK(tiles_version_of(t, reg, b, 1) == v + 1);
    CHECK(tiles_version_of(t, reg, b, 2) == v2 + 1);
    tiles_layer_changed(t, "reports");
    CHECK(tiles_version_of(t, reg, b, 1) == v + 1);
    CHECK(tiles_version_of(t, reg, b, 2) == v2 + 2);
    tile_registry_unref(reg);
    tiles_destroy(t);
    /* POLIS_TILE_CACHE_MB is read with the rest of the configuration */
    struct polis_config cfg;
    setenv("POLIS_TILE_CACHE_MB", "lots", 1);
    CHECK(config_load(&cfg, err, sizeof err) == -1 && strstr(err, "POLIS_TILE_CACHE_MB"));
    setenv("POLIS_TILE_CACHE_MB", "0", 1);
    CHECK(config_load(&cfg, err, sizeof err) == 0 && cfg.tile_cache_mb == 0);
    unsetenv("POLIS_TILE_CACHE_MB");
    CHECK(config_load(&cfg, err, sizeof err) == 0 && cfg.tile_cache_mb == 64);
    t = tiles_create(0, err, sizeof err);
    CHECK(t && t->cache == NULL && !tiles_cache_usable(t));
    tiles_destroy(t);
}

int main(void)
{
    test_lru_and_bound();
    test_versions_and_drop();
    test_gzip();
    test_registry();
    test_registry_catalogue();
    test_metrics_text();
    return check_summary();
}
