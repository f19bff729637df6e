/* Accept-Language (http/accept_language.c), as an anonymous report's
 * filing reads it: any bytes give "el", "en" or nothing, reading only the
 * bytes given (the header is not NUL-terminated), and a header that names
 * neither language gives nothing. */
#include "http/accept_language.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size copy: ASan sees any read past the header */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    const char *lang = accept_language_pick(copy, size);
    FUZZ_CHECK(!lang || !strcmp(lang, "el") || !strcmp(lang, "en"), "picked %s", lang);
    int names_one = 0;
    for (size_t i = 0; i + 1 < size; i++)
        if ((copy[i] | 0x20) == 'e' && ((copy[i + 1] | 0x20) == 'l' || (copy[i + 1] | 0x20) == 'n'))
            names_one = 1;
    FUZZ_CHECK(names_one || !lang, "picked %s from a header without el or en", lang);
    free(copy);
    return 0;
}
