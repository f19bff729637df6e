/* Tile arithmetic: URL parts to z/x/y (and which part is wrong), tile bounds
 * (checked against PostGIS ST_TileEnvelope values), and which tile covers a
 * point (Serres city centre, the tiles the HTTP test fetches). */
#include "check.h"
#include "tiles/tile_math.h"

static const char *bad_part(const char *z, const char *x, const char *y)
{
    struct tile_id t;
    struct tile_parse_error e;
    char exp[128];
    if (tile_parse(z, x, y, "mvt", &t, &e, exp, sizeof exp) == 0)
        return "ok";
    return e.part;
}

static void test_parse(void)
{
    struct tile_id t;
    struct tile_parse_error e;
    char exp[128];
    CHECK_INT(tile_parse("10", "578", "383.mvt", "mvt", &t, &e, exp, sizeof exp), 0);
    CHECK(t.z == 10 && t.x == 578 && t.y == 383);
    CHECK(e.part == NULL);
    CHECK_STR(bad_part("0", "0", "0.mvt"), "ok");
    CHECK_STR(bad_part("22", "4194303", "4194303.mvt"), "ok");
    CHECK_STR(bad_part("010", "0", "0.mvt"), "ok"); /* leading zeros are still decimal */
    /* z */
    CHECK_STR(bad_part("23", "0", "0.mvt"), "z");
    CHECK_STR(bad_part("-1", "0", "0.mvt"), "z");
    CHECK_STR(bad_part("+1", "0", "0.mvt"), "z");
    CHECK_STR(bad_part("1x", "0", "0.mvt"), "z");
    CHECK_STR(bad_part("", "0", "0.mvt"), "z");
    CHECK_STR(bad_part("99999999999999999999", "0", "0.mvt"), "z");
    /* x */
    CHECK_STR(bad_part("10", "1024", "0.mvt"), "x");
    CHECK_STR(bad_part("0", "1", "0.mvt"), "x");
    CHECK_STR(bad_part("10", "-5", "0.mvt"), "x");
    CHECK_STR(bad_part("10", "0x10", "0.mvt"), "x");
    CHECK_STR(bad_part("10", " 1", "0.mvt"), "x");
    /* y and the extension */
    CHECK_STR(bad_part("10", "1", "1024.mvt"), "y");
    CHECK_STR(bad_part("10", "1", "-1.mvt"), "y");
    CHECK_STR(bad_part("10", "1", ".mvt"), "y");
    CHECK_STR(bad_part("10", "1", "1e2.mvt"), "y");
    CHECK_STR(bad_part("10", "1", "1"), "extension");
    CHECK_STR(bad_part("10", "1", "1.png"), "extension");
    CHECK_STR(bad_part("10", "1", "1.mvt.gz"), "extension");
    CHECK_STR(bad_part("10", "1", "1.MVT"), "extension");
    /* the message says what would have been valid */
    tile_parse("3", "8", "0.mvt", "mvt", &t, &e, exp, sizeof exp);
    CHECK_STR(e.expected, "a tile column from 0 to 7 at zoom 3");
}

static void test_valid(void)
{
    struct tile_id a = {0, 0, 0}, b = {1, 2, 0}, c = {22, 4194303, 0}, d = {23, 0, 0},
                   e = {3, -1, 0};
    CHECK(tile_valid(&a));
    CHECK(!tile_valid(&b));
    CHECK(tile_valid(&c));
    CHECK(!tile_valid(&d));
    CHECK(!tile_valid(&e));
}

static void test_bounds(void)
{
    double b[4];
    struct tile_id world = {0, 0, 0};
    tile_bounds_3857(&world, b);
    CHECK_NEAR(b[0], -20037508.342789244, 1e-6);
    CHECK_NEAR(b[3], 20037508.342789244, 1e-6);
    tile_bounds_lonlat(&world, b);
    CHECK_NEAR(b[0], -180, 1e-12);
    CHECK_NEAR(b[1], -85.0511287798066, 1e-9);
    CHECK_NEAR(b[2], 180, 1e-12);
    CHECK_NEAR(b[3], 85.0511287798066, 1e-9);
    /* ST_TileEnvelope(10, 578, 383) in PostGIS 3.3 */
    struct tile_id serres = {10, 578, 383};
    tile_bounds_3857(&serres, b);
    CHECK_NEAR(b[0], 2582960.059812676, 1e-4);
    CHECK_NEAR(b[1], 5009377.085697312, 1e-4);
    CHECK_NEAR(b[2], 2622095.8182946853, 1e-4);
    CHECK_NEAR(b[3], 5048512.844179321, 1e-4);
    tile_bounds_lonlat(&serres, b);
    CHECK(b[0] < 23.5496 && 23.5496 < b[2] && b[1] < 41.0910 && 41.0910 < b[3]);
    /* one quarter of the world per tile at z1: the north-west one */
    struct tile_id nw = {1, 0, 0};
    tile_bounds_lonlat(&nw, b);
    CHECK_NEAR(b[0], -180, 1e-12);
    CHECK_NEAR(b[1], 0, 1e-9);
    CHECK_NEAR(b[2], 0, 1e-12);
    CHECK_NEAR(tile_unit_metres(0, 4096), 40075016.68557849 / 4096, 1e-6);
}

static void test_for_lonlat(void)
{
    struct tile_id t;
    /* Serres: checked with ST_Contains(ST_TileEnvelope(...), point) */
    CHECK_INT(tile_for_lonlat(10, 23.5496, 41.0910, &t), 0);
    CHECK(t.z == 10 && t.x == 578 && t.y == 383);
    CHECK_INT(tile_for_lonlat(12, 23.5496, 41.0910, &t), 0);
    CHECK(t.x == 2315 && t.y == 1534);
    CHECK_INT(tile_for_lonlat(0, 23.5, 41, &t), 0);
    CHECK(t.x == 0 && t.y == 0);
    /* edges and beyond the mercator range are clamped into the grid */
    CHECK_INT(tile_for_lonlat(3, 180, -90, &t), 0);
    CHECK(t.x == 7 && t.y == 7);
    CHECK_INT(tile_for_lonlat(3, -180, 90, &t), 0);
    CHECK(t.x == 0 && t.y == 0);
    CHECK_INT(tile_for_lonlat(23, 0, 0, &t), -1);
    CHECK_INT(tile_for_lonlat(5, NAN, 0, &t), -1);
    /* the point lies inside the bounds of the tile found, at every zoom */
    for (int z = 0; z <= TILE_MAX_ZOOM; z++) {
        double b[4];
        tile_for_lonlat(z, 23.5496, 41.0910, &t);
        tile_bounds_lonlat(&t, b);
        CHECK(b[0] <= 23.5496 && 23.5496 < b[2] && b[1] <= 41.0910 && 41.0910 < b[3]);
    }
}

int main(void)
{
    test_parse();
    test_valid();
    test_bounds();
    test_for_lonlat();
    return check_summary();
}
