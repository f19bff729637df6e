#include "tiles/tilejson_sql.h"
#include "common/textbuf.h"
#include "gis/municipality_sql.h"

#include <stdlib.h>

char *tile_tilejson_sql(const struct tile_layer *const *layers, int n)
{
    char *bounds = tile_bounds_sql(layers, n);
    if (!bounds)
        return NULL;
    struct textbuf b = {0};
    /* the extent's four columns first, in tile_bounds_sql's order */
    textbuf_printf(&b, "SELECT e.*, m.lon, m.lat FROM (%s) e LEFT JOIN (" MUNICIPALITY_CENTRE_SQL
                       ") m ON true",
                   bounds);
    free(bounds);
    return b.buf;
}
