#include "http/accept_language.h"

#include <strings.h>

/* 1 when the range at s (n bytes, spaces trimmed) has the primary tag tag
 * (two letters): "el", "EL", "el-GR", "el;q=0.8". */
static int range_is(const char *s, size_t n, const char *tag)
{
    return n >= 2 && !strncasecmp(s, tag, 2) && (n == 2 || s[2] == '-' || s[2] == ';');
}

const char *accept_language_pick(const char *value, size_t len)
{
    size_t at = 0;
    while (at < len) {
        while (at < len && (value[at] == ' ' || value[at] == '\t'))
            at++;
        size_t end = at;
        while (end < len && value[end] != ',')
            end++;
        size_t n = end - at;
        while (n && (value[at + n - 1] == ' ' || value[at + n - 1] == '\t'))
            n--;
        if (range_is(value + at, n, "el"))
            return "el";
        if (range_is(value + at, n, "en"))
            return "en";
        at = end + 1;
    }
    return NULL;
}
