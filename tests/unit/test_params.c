/* Query-string parsing and validation: what a client sees in a 400. */
#include "check.h"
#include "gis/bbox.h"
#include "http/params.h"

static h2o_mem_pool_t pool;

static struct params parse(const char *qs)
{
    struct params p;
    params_parse(&p, &pool, qs, strlen(qs));
    return p;
}

/* The name of the first field error, or "" when there is none. */
static const char *first_error(const struct params *p)
{
    if (!p->errors || json_array_size(p->errors) == 0)
        return "";
    return json_string_value(json_object_get(json_array_get(p->errors, 0), "name"));
}

static void test_decoding(void)
{
    struct params p = parse("q=%CE%A3%CE%AD%CF%81%CF%81%CE%B5%CF%82&a=x+y&empty=&flag&bad=%zz%4");
    CHECK_INT(p.n, 5);
    CHECK_STR(params_get(&p, "q"), "Σέρρες");
    CHECK_STR(params_get(&p, "a"), "x y");
    CHECK_STR(params_get(&p, "empty"), "");
    CHECK_STR(params_get(&p, "flag"), "");
    CHECK_STR(params_get(&p, "bad"), "%zz%4");
    CHECK(params_get(&p, "missing") == NULL);
}

static void test_numbers(void)
{
    double d;
    long n;
    CHECK(parse_decimal("41.0910", &d) == 0 && d == 41.091);
    CHECK(parse_decimal("-23", &d) == 0 && d == -23);
    CHECK(parse_decimal("1e2", &d) == 0 && d == 100);
    CHECK(parse_decimal(".5", &d) == 0 && d == 0.5);
    const char *bad[] = {"", "abc", "nan", "inf", "1e999", "0x10", " 1", "1 ", "1,5", "-", "."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(parse_decimal(bad[i], &d) != 0);
    CHECK(parse_integer("42", &n) == 0 && n == 42);
    CHECK(parse_integer("99999999999999999999", &n) != 0);
    CHECK(parse_integer("4.2", &n) != 0);
    CHECK(parse_integer("ten", &n) != 0);
}

static void test_lat_lon(void)
{
    double lat = 0, lon = 0;
    struct params p = parse("lat=41.091&lon=23.5496");
    CHECK(params_double(&p, "lat", -90, 90, 1, &lat) == 1 && lat == 41.091);
    CHECK_INT(params_double(&p, "lon", -180, 180, 1, &lon), 1);
    CHECK(!params_failed(&p));

    p = parse("lat=91");
    CHECK_INT(params_double(&p, "lat", -90, 90, 1, &lat), -1);
    CHECK_STR(first_error(&p), "lat");
    json_t *e = json_array_get(p.errors, 0);
    CHECK_STR(json_string_value(json_object_get(e, "found")), "91");
    CHECK_STR(json_string_value(json_object_get(e, "expected")), "a number from -90 to 90");
    json_decref(p.errors);

    p = parse("");
    CHECK_INT(params_double(&p, "lon", -180, 180, 1, &lon), 0);
    CHECK_STR(first_error(&p), "lon");
    json_decref(p.errors);
}

/* near=lat,lon: one parameter, both numbers in range */
static void test_near(void)
{
    double lat = 0, lon = 0;
    struct params p = parse("near=41.0917,23.5494");
    CHECK(params_lat_lon(&p, "near", &lat, &lon) == 1 && lat == 41.0917 && lon == 23.5494);
    CHECK(!params_failed(&p));
    p = parse("");
    CHECK_INT(params_lat_lon(&p, "near", &lat, &lon), 0);
    CHECK(!params_failed(&p));
    const char *bad[] = {"near=abc", "near=91,23", "near=41,181", "near=41", "near=41,",
                         "near=,23", "near=41,23,1", "near=41;23"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        p = parse(bad[i]);
        CHECK_INT(params_lat_lon(&p, "near", &lat, &lon), -1);
        CHECK_STR(first_error(&p), "near");
        json_decref(p.errors);
    }
}

static void test_unknown_and_repeated(void)
{
    static const char *const allowed[] = {"lat", "lon", NULL};
    struct params p = parse("lat=1&lon=2&foo=3&lat=4");
    params_allow_only(&p, allowed);
    CHECK_INT(json_array_size(p.errors), 2);
    CHECK_STR(first_error(&p), "foo");
    json_decref(p.errors);
}

static void test_bbox(void)
{
    double box[4];
    struct params p = parse("bbox=23,41,23.5,41.2");
    CHECK(params_bbox(&p, "bbox", 1e6, box) == 1 && box[0] == 23 && box[3] == 41.2);
    const char *bad[] = {"bbox=1,2,3", "bbox=a,b,c,d", "bbox=1,2,3,4,5", "bbox=", "bbox=1,,2,3",
                         "bbox=24,41,23,42", "bbox=23,42,24,41", "bbox=-180,-90,180,90",
                         "bbox=0,0,0,91", "bbox=1,2,3,4,"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        p = parse(bad[i]);
        CHECK_INT(params_bbox(&p, "bbox", 1e6, box), -1);
        CHECK_STR(first_error(&p), "bbox");
        json_decref(p.errors);
    }
    /* a 1°x1° box at the equator is about 12,364 km² */
    double eq[4] = {0, 0, 1, 1};
    CHECK_NEAR(bbox_area_km2(eq), 12364, 10);
}

static void test_invalid_utf8_found(void)
{
    struct params p = parse("lat=%FF%FE");
    double lat;
    params_double(&p, "lat", -90, 90, 1, &lat);
    char *text = json_dumps(p.errors, 0);
    CHECK(text != NULL); /* the error still serialises: bad bytes were replaced */
    free(text);
    json_decref(p.errors);
}

/* Found by tests/fuzz/fuzz_rrule.c: an RRULE message quotes the first 40
 * bytes of the rule, which can cut a Greek letter in two; the field error
 * lost its "expected" (jansson refuses the invalid UTF-8) and the 422 said
 * nothing of what was expected. */
static void test_expected_keeps_cut_text(void)
{
    json_t *errors = NULL;
    /* "... "INTEFREPļļ" with the last ļ cut after its first byte */
    field_error_append(&errors, "rrule", "NAME=VALUE parts; \"INTEFREP\xc4\xbc\xc4\" is not one",
                       "INTEFREP\xc4\xbc\xc4\xbc");
    json_t *e = json_array_get(errors, 0);
    CHECK_STR(json_string_value(json_object_get(e, "expected")),
              "NAME=VALUE parts; \"INTEFREP\xc4\xbc?\" is not one");
    CHECK_STR(json_string_value(json_object_get(e, "found")), "INTEFREP\xc4\xbc\xc4\xbc");
    /* overlong forms and surrogates are not UTF-8 either */
    field_error_append(&errors, "q\xc0\xaf", "x", "\xed\xa0\x80z");
    e = json_array_get(errors, 1);
    CHECK_STR(json_string_value(json_object_get(e, "name")), "q??");
    CHECK_STR(json_string_value(json_object_get(e, "found")), "???z");
    json_decref(errors);
}

int main(void)
{
    h2o_mem_init_pool(&pool);
    test_decoding();
    test_numbers();
    test_lat_lon();
    test_near();
    test_unknown_and_repeated();
    test_bbox();
    test_invalid_utf8_found();
    test_expected_keeps_cut_text();
    h2o_mem_clear_pool(&pool);
    return check_summary();
}
