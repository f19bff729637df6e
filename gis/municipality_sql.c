#include "gis/municipality_sql.h"

const char MUNICIPALITY_GET_SQL[] =
    "SELECT json_build_object('code', b.code, 'name_el', b.name_el, 'name_en', b.name_en,"
    " 'center', json_build_array(round(m.lon::numeric, 6), round(m.lat::numeric, 6)),"
    " 'bbox', json_build_array(round(ST_XMin(b.geom)::numeric, 6),"
    "  round(ST_YMin(b.geom)::numeric, 6), round(ST_XMax(b.geom)::numeric, 6),"
    "  round(ST_YMax(b.geom)::numeric, 6)))"
    " FROM boundaries b, (" MUNICIPALITY_CENTRE_SQL ") m"
    " WHERE b.level = 'municipality' AND b.code = $1";
