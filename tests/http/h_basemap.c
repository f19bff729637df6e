#include "h_basemap.h"
#include "harness.h"

#include <stdio.h>

/* Ids increase, nodes before ways, as in every OSM file (GDAL relies on it). */
void h_write_basemap_osm(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        h_fatal("cannot write %s", path);
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<osm version=\"0.6\" generator=\"test_basemap\">\n"
            /* Ερμού (no name:en: Greeklish comes from the transliteration) */
            " <node id=\"1\" lat=\"41.0900\" lon=\"23.5400\"/>\n"
            " <node id=\"2\" lat=\"41.0900\" lon=\"23.5500\"/>\n"
            /* Μεγάλου Αλεξάνδρου, primary, with name:en */
            " <node id=\"3\" lat=\"41.0880\" lon=\"23.5400\"/>\n"
            " <node id=\"4\" lat=\"41.0880\" lon=\"23.5500\"/>\n"
            /* a building (Ερμού 30) */
            " <node id=\"5\" lat=\"41.0902\" lon=\"23.5480\"/>\n"
            " <node id=\"6\" lat=\"41.0902\" lon=\"23.5482\"/>\n"
            " <node id=\"7\" lat=\"41.0904\" lon=\"23.5482\"/>\n"
            " <node id=\"8\" lat=\"41.0904\" lon=\"23.5480\"/>\n"
            " <node id=\"10\" lat=\"%.5f\" lon=\"%.4f\"><tag k=\"addr:street\" v=\"Ερμού\"/>"
            "<tag k=\"addr:housenumber\" v=\"10\"/><tag k=\"addr:postcode\" v=\"62124\"/></node>\n"
            " <node id=\"11\" lat=\"%.5f\" lon=\"%.4f\"><tag k=\"addr:street\" v=\"Ερμού\"/>"
            "<tag k=\"addr:housenumber\" v=\"20\"/></node>\n"
            " <node id=\"12\" lat=\"41.0910\" lon=\"23.5450\"><tag k=\"place\" v=\"town\"/>"
            "<tag k=\"name\" v=\"Σέρρες\"/><tag k=\"name:en\" v=\"Serres\"/></node>\n"
            /* a river and a railway, north of the streets */
            " <node id=\"20\" lat=\"41.0950\" lon=\"23.5300\"/>\n"
            " <node id=\"21\" lat=\"41.0960\" lon=\"23.5600\"/>\n"
            " <node id=\"22\" lat=\"41.0970\" lon=\"23.5300\"/>\n"
            " <node id=\"23\" lat=\"41.0980\" lon=\"23.5600\"/>\n"
            " <way id=\"100\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"residential\"/>"
            "<tag k=\"name\" v=\"Ερμού\"/></way>\n"
            " <way id=\"101\"><nd ref=\"3\"/><nd ref=\"4\"/><tag k=\"highway\" v=\"primary\"/>"
            "<tag k=\"name\" v=\"Μεγάλου Αλεξάνδρου\"/>"
            "<tag k=\"name:en\" v=\"Megalou Alexandrou\"/></way>\n"
            " <way id=\"102\"><nd ref=\"5\"/><nd ref=\"6\"/><nd ref=\"7\"/><nd ref=\"8\"/>"
            "<nd ref=\"5\"/><tag k=\"building\" v=\"yes\"/><tag k=\"addr:street\" v=\"Ερμού\"/>"
            "<tag k=\"addr:housenumber\" v=\"30\"/></way>\n"
            " <way id=\"103\"><nd ref=\"20\"/><nd ref=\"21\"/><tag k=\"waterway\" v=\"river\"/>"
            "<tag k=\"name\" v=\"Αγίων Αναργύρων\"/></way>\n"
            " <way id=\"104\"><nd ref=\"22\"/><nd ref=\"23\"/><tag k=\"railway\" v=\"rail\"/></way>\n"
            "</osm>\n",
            ADDR_LAT, ERMOU_10_LON, ADDR_LAT, ERMOU_20_LON);
    fclose(f);
}
