#include "gis/report_statuses_sql.h"

const char REPORT_STATUSES_SQL[] =
    "SELECT coalesce(json_agg(json_build_object('name', name, 'open', open,"
    "  'label_el', label_el, 'label_en', label_en) ORDER BY position), '[]')::text"
    " FROM report_statuses";
