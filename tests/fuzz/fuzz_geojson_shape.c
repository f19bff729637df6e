/* GeoJSON geometry shape checks (gis/geojson_shape.c) on any JSON value;
 * the first byte picks the allowed types, as the handlers do. An accepted
 * geometry is one of the allowed types. */
#include "gis/geojson_shape.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned allowed = data[0] & 7u;
    json_t *g = json_loadb((const char *)data + 1, size - 1, JSON_DECODE_ANY, NULL);
    if (!g)
        return 0;
    const char *problem = geojson_shape_problem(g, allowed);
    if (!problem) {
        const char *type = json_string_value(json_object_get(g, "type"));
        FUZZ_CHECK(type, "accepted without a type");
        unsigned bit = !strcmp(type, "Point")          ? GEOJSON_POINT
                       : !strcmp(type, "Polygon")      ? GEOJSON_POLYGON
                       : !strcmp(type, "MultiPolygon") ? GEOJSON_MULTIPOLYGON
                                                       : 0;
        FUZZ_CHECK(bit & allowed, "accepted a %s with allowed %u", type, allowed);
    } else {
        FUZZ_CHECK(problem[0], "an empty problem");
    }
    json_decref(g);
    return 0;
}
