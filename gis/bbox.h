/* Longitude/latitude boxes. */
#ifndef POLIS_BBOX_H
#define POLIS_BBOX_H

/* Area in km² of the box [minlon, minlat, maxlon, maxlat] on a sphere of the
 * Earth's mean radius: exact for a lat/lon rectangle, which is what a bbox
 * query selects. */
double bbox_area_km2(const double box[4]);

#endif
