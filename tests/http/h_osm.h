/* The small OpenStreetMap XML file the basemap and geocoder tests import
 * (tests/http/test_basemap.c, test_report_address.c, and the browser tests
 * through the h_write_osm program): near Serres, Greek streets (one with
 * name:en), numbered address nodes (Ερμού 10 and 20) and a numbered
 * building (Ερμού 30), a town, a river, a railway. Ids increase, nodes
 * before ways, as in every OSM file (GDAL relies on it). Ερμού runs
 * west-east along lat 41.0900 from lon 23.5400 to 23.5500; Μεγάλου
 * Αλεξάνδρου along lat 41.0880. */
#ifndef POLIS_TEST_H_OSM_H
#define POLIS_TEST_H_OSM_H

#define ERMOU_10_LON 23.5420
#define ERMOU_20_LON 23.5460
#define ADDR_LAT 41.09005
#define ERMOU_30_LON 23.5481 /* the building's middle */
#define ERMOU_30_LAT 41.0903

/* Writes the file at path; exits (h_fatal) when it cannot. */
void h_write_osm(const char *path);

#endif
