/* The Accept header's HTML-or-JSON choice (http/accept_media.c), as every
 * OGC API request reads it: any bytes give 0 or 1, reading only the bytes
 * given (the header is not NUL-terminated), and a header that names no
 * HTML type never gives HTML. */
#include "http/accept_media.h"
#include "tests/fuzz/fuzz.h"

#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size copy: ASan sees any read past the header */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    int html = accept_prefers_html(copy, size);
    FUZZ_CHECK(html == 0 || html == 1, "answered %d", html);
    int names_html = 0;
    for (size_t i = 0; i + 4 <= size; i++)
        if (!strncasecmp(copy + i, "html", 4))
            names_html = 1;
    FUZZ_CHECK(names_html || !html, "chose HTML from a header that names no HTML type");
    free(copy);
    return 0;
}
