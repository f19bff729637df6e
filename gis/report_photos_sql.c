#include "gis/report_photos_sql.h"
#include "gis/notify_fanout_sql.h"

#define STAFF_OF(adm, deps) "(" adm "::boolean OR r.department_id = ANY (" deps "::bigint[]))"
#define REPORTER(uid, sec)                                                                  \
    "(coalesce(r.user_id = " uid "::bigint, false) OR coalesce(r.secret_hash = " sec        \
    "::bytea, false) OR " REPORT_TRACK_TOKEN_OK(sec) ")"

const char PHOTO_UPLOAD_CHECK_SQL[] =
    "SELECT (SELECT count(*) FROM report_photos p WHERE p.report_id = r.id),"
    "  " STAFF_OF("$3", "$4") " OR " REPORTER("$2", "$5")
    " FROM reports r JOIN report_public_fields pf ON pf.id = r.id"
    " WHERE r.id = $1::bigint AND (pf.public OR " STAFF_OF("$3", "$4") " OR "
    REPORTER("$2", "$5") ")";

const char PHOTO_INSERT_SQL[] =
    "INSERT INTO report_photos (report_id, file_name, media_type, bytes, sha256, width, height,"
    "  uploaded_by)"
    " SELECT $1::bigint, $2, $3, $4::int, decode($5, 'hex'), $6::int, $7::int, $8::bigint"
    " RETURNING id";

const char PHOTO_GET_SQL[] =
    "SELECT p.file_name, p.media_type, encode(p.sha256, 'hex'), pf.public"
    " FROM report_photos p JOIN reports r ON r.id = p.report_id"
    " JOIN report_public_fields pf ON pf.id = r.id"
    " WHERE p.id = $2::bigint AND r.id = $1::bigint"
    "   AND (pf.public OR " STAFF_OF("$4", "$5") " OR " REPORTER("$3", "$6") ")";
