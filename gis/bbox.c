#include "gis/bbox.h"

#include <math.h>

#define EARTH_RADIUS_KM 6371.0088
#define DEG2RAD (3.14159265358979323846 / 180.0)

double bbox_area_km2(const double box[4])
{
    double dlon = (box[2] - box[0]) * DEG2RAD;
    double band = fabs(sin(box[3] * DEG2RAD) - sin(box[1] * DEG2RAD));
    return EARTH_RADIUS_KM * EARTH_RADIUS_KM * fabs(dlon) * band;
}
