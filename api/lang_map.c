#include "api/lang_map.h"
#include "http/params.h"

#include <stdio.h>
#include <string.h>

int lang_code_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 2 && n <= 3 && strspn(s, "abcdefghijklmnopqrstuvwxyz") == n;
}

int lang_map_check(json_t **errors, const char *name, json_t *v, size_t max)
{
    char expected[160];
    snprintf(expected, sizeof expected, "an object of at most %d language codes (de, bg, ...) "
             "to strings of 1 to %zu bytes", LANG_MAP_MAX, max);
    if (!json_is_object(v) || json_object_size(v) > LANG_MAP_MAX) {
        field_error_append(errors, name, expected,
                           json_is_object(v) ? "too many languages" : "not an object");
        return -1;
    }
    const char *k;
    json_t *s;
    json_object_foreach(v, k, s) {
        if (!lang_code_ok(k) || !json_is_string(s) || json_string_length(s) < 1 ||
            json_string_length(s) > max || strlen(json_string_value(s)) != json_string_length(s)) {
            field_error_append(errors, name, expected, k);
            return -1;
        }
    }
    return 0;
}
