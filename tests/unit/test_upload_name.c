/* The name an uploaded file is stored under ($POLIS_VAR/uploads/<job>/NAME):
 * whatever a client sends, it stays inside the job's directory, is plain
 * ASCII, and keeps the extension GDAL picks its driver by. */
#include "check.h"
#include "jobs/import_job.h"

static const char *name_of(const char *in)
{
    static char out[128];
    upload_file_name(in, out, sizeof out);
    return out;
}

int main(void)
{
    CHECK_STR(name_of("roads.geojson"), "roads.geojson");
    CHECK_STR(name_of("../../etc/passwd"), "passwd");
    CHECK_STR(name_of("C:\\Users\\maria\\Δρόμοι 2024.zip"), "Dromoi_2024.zip");
    CHECK_STR(name_of("σημεία.csv"), "simeia.csv");
    CHECK_STR(name_of(".hidden.kml"), "hidden.kml");
    CHECK_STR(name_of(".."), "upload");
    CHECK_STR(name_of(""), "upload");
    CHECK_STR(name_of("dir/"), "upload");
    CHECK_STR(name_of("a;rm -rf *;.gpkg"), "a_rm_-rf_.gpkg");
    /* long names are cut, the extension kept */
    char longname[400];
    memset(longname, 'x', 300);
    strcpy(longname + 300, ".geojson");
    const char *n = name_of(longname);
    CHECK_INT(strlen(n), 100);
    CHECK_STR(n + strlen(n) - 8, ".geojson");
    /* a tiny buffer */
    char small[8];
    upload_file_name("abcdefghijkl.zip", small, sizeof small);
    CHECK(strlen(small) <= 7);
    return check_summary();
}
