/* h_write_osm PATH: writes the tests' OpenStreetMap file (h_osm.h) for the
 * browser tests, which import it into their server's database. */
#include "h_osm.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: h_write_osm PATH\n");
        return 2;
    }
    h_write_osm(argv[1]);
    return 0;
}
