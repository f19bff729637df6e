#include "gis/geojson_shape.h"

#include <math.h>
#include <string.h>

static const char *position_problem(const json_t *pos)
{
    if (!json_is_array(pos) || json_array_size(pos) < 2 || json_array_size(pos) > 3)
        return "each position: [lon, lat]";
    for (size_t c = 0; c < json_array_size(pos); c++)
        if (!json_is_number(json_array_get(pos, c)) ||
            !isfinite(json_number_value(json_array_get(pos, c))))
            return "each position: [lon, lat] numbers";
    double lon = json_number_value(json_array_get(pos, 0));
    double lat = json_number_value(json_array_get(pos, 1));
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
        return "positions with lon in [-180, 180] and lat in [-90, 90]";
    return NULL;
}

/* The rings of one polygon; *total counts positions across the geometry. */
static const char *rings_problem(const json_t *rings, size_t *total)
{
    if (!json_is_array(rings) || json_array_size(rings) < 1 ||
        json_array_size(rings) > GEOJSON_MAX_RINGS)
        return "coordinates: an array of 1 to 20 linear rings";
    size_t i;
    const json_t *ring;
    json_array_foreach(rings, i, ring) {
        size_t n = json_array_size(ring);
        if (!json_is_array(ring) || n < 4)
            return "each ring: an array of at least 4 [lon, lat] positions";
        *total += n;
        if (*total > GEOJSON_MAX_POSITIONS)
            return "at most 2000 positions";
        size_t k;
        const json_t *pos;
        json_array_foreach(ring, k, pos) {
            const char *p = position_problem(pos);
            if (p)
                return p;
        }
        const json_t *a = json_array_get(ring, 0), *b = json_array_get(ring, n - 1);
        if (json_number_value(json_array_get(a, 0)) != json_number_value(json_array_get(b, 0)) ||
            json_number_value(json_array_get(a, 1)) != json_number_value(json_array_get(b, 1)))
            return "closed rings (the last position equal to the first)";
    }
    return NULL;
}

static const char *type_expected(unsigned allowed)
{
    switch (allowed) {
    case GEOJSON_POINT: return "an object with \"type\": \"Point\"";
    case GEOJSON_POLYGON: return "an object with \"type\": \"Polygon\"";
    default: return "an object with \"type\" Point, Polygon or MultiPolygon";
    }
}

const char *geojson_shape_problem(const json_t *g, unsigned allowed)
{
    const json_t *type = json_object_get(g, "type");
    const char *t = json_is_string(type) ? json_string_value(type) : "";
    unsigned kind = !strcmp(t, "Point")          ? GEOJSON_POINT
                    : !strcmp(t, "Polygon")      ? GEOJSON_POLYGON
                    : !strcmp(t, "MultiPolygon") ? GEOJSON_MULTIPOLYGON
                                                 : 0;
    if (!json_is_object(g) || !(kind & allowed))
        return type_expected(allowed);
    const json_t *coords = json_object_get(g, "coordinates");
    size_t total = 0;
    if (kind == GEOJSON_POINT)
        return position_problem(coords);
    if (kind == GEOJSON_POLYGON)
        return rings_problem(coords, &total);
    if (!json_is_array(coords) || json_array_size(coords) < 1)
        return "coordinates: an array of at least one polygon";
    size_t i;
    const json_t *poly;
    json_array_foreach(coords, i, poly) {
        const char *p = rings_problem(poly, &total);
        if (p)
            return p;
    }
    return NULL;
}
