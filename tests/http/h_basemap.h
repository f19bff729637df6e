/* The OpenStreetMap file the basemap tests import (test_basemap,
 * test_basemap_tiles): a small town near Serres. Ερμού (residential, no
 * name:en) runs west-east along lat 41.0900 from lon 23.5400 to 23.5500,
 * Μεγάλου Αλεξάνδρου (primary, name:en) along lat 41.0880; numbered address
 * nodes (Ερμού 10 and 20) and a numbered building (Ερμού 30, at lon 23.5481,
 * lat 41.0903), a town (Σέρρες), a river and a railway to the north. */
#ifndef H_BASEMAP_H
#define H_BASEMAP_H

#define ERMOU_10_LON 23.5420
#define ERMOU_20_LON 23.5460
#define ADDR_LAT 41.09005
#define ERMOU_30_LON 23.5481 /* the building's middle */
#define ERMOU_30_LAT 41.0903

/* Writes the file to path (exits the test when it cannot). */
void h_write_basemap_osm(const char *path);

#endif
