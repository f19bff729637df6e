/* Shape checks of client GeoJSON: what a POI or an area may be, and the
 * reason given for what it may not. */
#include "gis/geojson_shape.h"
#include "tests/unit/check.h"

static const char *problem(const char *text, unsigned allowed)
{
    json_t *g = json_loads(text, JSON_DECODE_ANY, NULL);
    const char *p = geojson_shape_problem(g, allowed);
    json_decref(g);
    return p ? p : "ok";
}

#define ANY (GEOJSON_POINT | GEOJSON_POLYGON | GEOJSON_MULTIPOLYGON)

int main(void)
{
    CHECK_STR(problem("{\"type\":\"Point\",\"coordinates\":[23.55,41.09]}", ANY), "ok");
    CHECK_STR(problem("{\"type\":\"Point\",\"coordinates\":[23.55,41.09,120]}", ANY), "ok");
    CHECK_STR(problem("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}", ANY),
              "ok");
    CHECK_STR(problem("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
                      "[[[2,2],[3,2],[3,3],[2,2]]]]}", ANY), "ok");

    CHECK_STR(problem("{\"type\":\"Point\",\"coordinates\":[23.55,91]}", ANY),
              "positions with lon in [-180, 180] and lat in [-90, 90]");
    CHECK_STR(problem("{\"type\":\"Point\",\"coordinates\":[181,41]}", ANY),
              "positions with lon in [-180, 180] and lat in [-90, 90]");
    CHECK_STR(problem("{\"type\":\"Point\",\"coordinates\":[\"23\",41]}", ANY),
              "each position: [lon, lat] numbers");
    CHECK_STR(problem("{\"type\":\"Point\",\"coordinates\":[23]}", ANY),
              "each position: [lon, lat]");
    CHECK_STR(problem("{\"type\":\"Point\"}", ANY), "each position: [lon, lat]");
    CHECK_STR(problem("{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}", ANY),
              "an object with \"type\" Point, Polygon or MultiPolygon");
    CHECK_STR(problem("[23.55,41.09]", ANY),
              "an object with \"type\" Point, Polygon or MultiPolygon");
    CHECK_STR(problem("{\"type\":\"Point\",\"coordinates\":[23.55,41.09]}", GEOJSON_POLYGON),
              "an object with \"type\": \"Polygon\"");
    CHECK_STR(problem("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}", ANY),
              "closed rings (the last position equal to the first)");
    CHECK_STR(problem("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}", ANY),
              "each ring: an array of at least 4 [lon, lat] positions");
    CHECK_STR(problem("{\"type\":\"Polygon\",\"coordinates\":[]}", ANY),
              "coordinates: an array of 1 to 20 linear rings");
    CHECK_STR(problem("{\"type\":\"MultiPolygon\",\"coordinates\":[]}", ANY),
              "coordinates: an array of at least one polygon");
    CHECK_STR(problem("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
                      "[[[2,2],[3,2],[3,3],[2,3]]]]}", ANY),
              "closed rings (the last position equal to the first)");

    /* the position limit counts across the polygons of a MultiPolygon */
    json_t *multi = json_array();
    for (int p = 0; p < 3; p++) {
        json_t *ring = json_array();
        for (int i = 0; i < 700; i++)
            json_array_append_new(ring, json_pack("[f,f]", i * 0.001, p + (i % 2) * 0.001));
        json_array_append_new(ring, json_deep_copy(json_array_get(ring, 0)));
        json_array_append_new(multi, json_pack("[o]", ring));
    }
    json_t *g = json_pack("{s:s,s:o}", "type", "MultiPolygon", "coordinates", multi);
    CHECK_STR(geojson_shape_problem(g, ANY), "at most 2000 positions");
    json_decref(g);
    return check_summary();
}
