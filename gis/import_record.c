#include "gis/import_record.h"

#include "gis/db.h"

#include <string.h>

const char IMPORT_RECORD_SQL[] =
    "INSERT INTO imports (kind, source, layer, fingerprint, srs, features_read,"
    " features_written, features_repaired, features_rejected)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

int import_record(PGconn *db, const char *kind, const char *path, ogr_reader *r, const char *srs,
                  const struct import_counts *n, char *err, size_t errlen)
{
    char fp[64], read[32], written[32], repaired[32], rejected[32], e2[512];
    if (ogr_source_fingerprint(path, fp, sizeof fp, err, errlen) < 0)
        return -1;
    snprintf(read, sizeof read, "%lld", n->read);
    snprintf(written, sizeof written, "%lld", n->written);
    snprintf(repaired, sizeof repaired, "%lld", n->repaired);
    snprintf(rejected, sizeof rejected, "%lld", n->rejected);
    const char *p[IMPORT_RECORD_NPARAMS] = {
        [IMPORT_RECORD_P_KIND] = kind,
        [IMPORT_RECORD_P_SOURCE] = strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
        [IMPORT_RECORD_P_LAYER] = ogr_reader_layer_name(r),
        [IMPORT_RECORD_P_FINGERPRINT] = fp,
        [IMPORT_RECORD_P_SRS] = srs,
        [IMPORT_RECORD_P_READ] = read,
        [IMPORT_RECORD_P_WRITTEN] = written,
        [IMPORT_RECORD_P_REPAIRED] = repaired,
        [IMPORT_RECORD_P_REJECTED] = rejected,
    };
    if (db_exec(db, IMPORT_RECORD_SQL, IMPORT_RECORD_NPARAMS, p, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "recording the import failed: %s", e2);
        return -1;
    }
    return 0;
}
