#include "gis/layer_download_sql.h"

const char LAYER_DOWNLOAD_SQL[] =
    "SELECT c.name, c.attributes::text,"
    " EXISTS (SELECT 1 FROM spatial_ref_sys s WHERE s.srid = $3::int)"
    " FROM layer_catalogue c WHERE c.name = $1 AND (c.visibility = 'public' OR $2::boolean)";
