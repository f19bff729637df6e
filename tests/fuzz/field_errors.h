/* The field errors a parser collected must make a valid answer: every entry
 * has its name, expected and found as strings (jansson refuses invalid
 * UTF-8, which would silently drop a member), and the array serialises. */
#ifndef POLIS_FUZZ_FIELD_ERRORS_H
#define POLIS_FUZZ_FIELD_ERRORS_H

#include "tests/fuzz/fuzz.h"

#include <jansson.h>

static inline void fuzz_check_field_errors(const json_t *errors)
{
    if (!errors)
        return;
    FUZZ_CHECK(json_is_array(errors) && json_array_size(errors) > 0, "errors not a list");
    size_t i;
    const json_t *e;
    json_array_foreach(errors, i, e) {
        FUZZ_CHECK(json_is_string(json_object_get(e, "name")), "error %zu without a name", i);
        FUZZ_CHECK(json_is_string(json_object_get(e, "expected")), "error %zu without expected",
                   i);
        FUZZ_CHECK(json_is_string(json_object_get(e, "found")), "error %zu without found", i);
    }
    char *text = json_dumps(errors, JSON_COMPACT);
    FUZZ_CHECK(text, "the errors do not serialise");
    free(text);
}

#endif
