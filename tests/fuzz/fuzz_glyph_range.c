/* The {range} of GET /fonts/{fontstack}/{range}.pbf (api/fonts.c): any
 * text gives -1 or the start of a range of 256 code points within the
 * Basic Multilingual Plane, and then the text is exactly that range's file
 * name (the server builds the file's name from the number alone). */
#include "api/fonts.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = fuzz_cstr(data, size);
    long start = glyph_range_start(name);
    FUZZ_CHECK(start == -1 || (start >= 0 && start <= 65280 && start % 256 == 0),
               "start %ld from \"%s\"", start, name);
    if (start >= 0) {
        char canonical[32];
        snprintf(canonical, sizeof canonical, "%ld-%ld.pbf", start, start + 255);
        FUZZ_CHECK(!strcmp(name, canonical), "\"%s\" accepted as %s", name, canonical);
    }
    free(name);
    return 0;
}
