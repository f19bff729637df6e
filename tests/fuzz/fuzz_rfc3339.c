/* RFC 3339 date-times (gis/rfc3339.c). An accepted value has the shape
 * YYYY-MM-DD(T| )HH:MM:SS[.frac](Z|+hh:mm|-hh:mm), which PostgreSQL reads
 * the same way. */
#include "gis/rfc3339.h"
#include "tests/fuzz/fuzz.h"

#include <ctype.h>

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    if (rfc3339_valid(s)) {
        size_t len = strlen(s);
        FUZZ_CHECK(len >= 20, "accepted %zu bytes: %s", len, s);
        FUZZ_CHECK(digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
                       digits(s + 8, 2) && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') && digits(s + 11, 2) &&
                       s[13] == ':' && digits(s + 14, 2) && s[16] == ':' && digits(s + 17, 2),
                   "accepted %s", s);
        char last = s[len - 1];
        FUZZ_CHECK(last == 'Z' || last == 'z' || isdigit((unsigned char)last), "accepted %s", s);
    }
    free(s);
    return 0;
}
