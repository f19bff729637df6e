/* OSM opening_hours (gis/opening_hours.c): a value is accepted or refused
 * with a message, which becomes the "found" of a field error (as in
 * api/pois.c) that must be complete. */
#include "gis/opening_hours.h"
#include "http/params.h"
#include "tests/fuzz/field_errors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    char err[256]; /* as api/pois.c */
    if (opening_hours_check(s, err, sizeof err) != 0) {
        FUZZ_CHECK(memchr(err, '\0', sizeof err) && err[0], "refused without a reason");
        json_t *errors = NULL;
        field_error_append(&errors, "opening_hours", "OSM opening_hours", err);
        fuzz_check_field_errors(errors);
        json_decref(errors);
    }
    char tiny[16];
    if (opening_hours_check(s, tiny, sizeof tiny) != 0)
        FUZZ_CHECK(memchr(tiny, '\0', sizeof tiny), "message not terminated");
    free(s);
    return 0;
}
