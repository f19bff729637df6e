/* OSM opening_hours (gis/opening_hours.c): a value is accepted or refused
 * with a message; the message goes into a JSON answer, so for text that is
 * valid UTF-8 (all a JSON body can carry) it must be valid UTF-8 too, also
 * when it is cut to the handler's buffer. */
#include "gis/opening_hours.h"
#include "gis/translit.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    char err[256]; /* as server/api_pois.c */
    if (opening_hours_check(s, err, sizeof err) != 0) {
        FUZZ_CHECK(memchr(err, '\0', sizeof err) && err[0], "refused without a reason");
        if (utf8_valid(s))
            FUZZ_CHECK(utf8_valid(err), "invalid UTF-8 in the message: %s", err);
    }
    char tiny[16];
    if (opening_hours_check(s, tiny, sizeof tiny) != 0)
        FUZZ_CHECK(memchr(tiny, '\0', sizeof tiny), "message not terminated");
    free(s);
    return 0;
}
