/* Transliteration and folding (gis/translit.c), used on names, search
 * keys and upload file names. Their documented contract: the result is
 * never longer than the input, the return value is the full length like
 * snprintf's, a shorter buffer gets a NUL-terminated prefix; transliteration
 * always yields valid UTF-8 (bad bytes become '?'), folding keeps valid
 * UTF-8 valid. */
#include "gis/translit.h"
#include "tests/fuzz/fuzz.h"

typedef size_t (*convert)(const char *in, char *out, size_t outlen);

static void check(convert f, const char *what, const char *in, int must_be_valid)
{
    size_t len = strlen(in);
    char *out = malloc(len + 1);
    size_t need = f(in, out, len + 1);
    FUZZ_CHECK(need <= len, "%s: %zu bytes for an input of %zu", what, need, len);
    FUZZ_CHECK(strlen(out) == need, "%s: wrote %zu, said %zu", what, strlen(out), need);
    if (must_be_valid)
        FUZZ_CHECK(utf8_valid(out), "%s: invalid UTF-8 out", what);
    size_t cut = need / 2;
    char *part = malloc(cut + 1);
    FUZZ_CHECK(f(in, part, cut + 1) == need, "%s: another length with a short buffer", what);
    FUZZ_CHECK(strlen(part) == cut && !memcmp(part, out, cut), "%s: not a prefix", what);
    free(part);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    int valid = utf8_valid(s);
    FUZZ_CHECK(utf8_chars(s) <= strlen(s), "more characters than bytes");
    check(translit_elot743, "translit_elot743", s, 1);
    check(translit_fold, "translit_fold", s, valid);
    free(s);
    return 0;
}
