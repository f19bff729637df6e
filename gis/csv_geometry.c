/* A CSV's geometry columns and the CRS assumed for them (see csv_geometry.h). */
#include "gis/csv_geometry.h"

#include <ogr_api.h>
#include <stdio.h>

#define X_NAMES "x,lon,long,lng,longitude,easting,east"
#define Y_NAMES "y,lat,latitude,northing,north"
#define WKT_NAMES "WKT,geometry,geom,the_geom,wkt_geom"

void csv_geometry_open_options(struct csv_open_options *o, const char *x_column,
                               const char *y_column)
{
    snprintf(o->x, sizeof o->x, "X_POSSIBLE_NAMES=%s", x_column ? x_column : X_NAMES);
    snprintf(o->y, sizeof o->y, "Y_POSSIBLE_NAMES=%s", y_column ? y_column : Y_NAMES);
    o->list[0] = o->x;
    o->list[1] = o->y;
    o->list[2] = "GEOM_POSSIBLE_NAMES=" WKT_NAMES;
    o->list[3] = "KEEP_GEOM_COLUMNS=NO"; /* the geometry's columns are not attributes too */
    o->list[4] = NULL;
}

int csv_geometry_looks_geographic(OGRLayerH layer, char *extent_text, size_t len)
{
    OGREnvelope e;
    if (OGR_L_GetExtent(layer, &e, 1) != OGRERR_NONE) {
        snprintf(extent_text, len, "none");
        return -1;
    }
    snprintf(extent_text, len, "x from %.10g to %.10g, y from %.10g to %.10g", e.MinX, e.MaxX, e.MinY,
             e.MaxY);
    return e.MinX >= -180 && e.MaxX <= 180 && e.MinY >= -90 && e.MaxY <= 90;
}
