/* JSON request bodies: jansson with the options body_parse_object uses,
 * then the field readers of http/body.c on every member (as string,
 * email, boolean and string list), and the report attribute checks of
 * gis/report_attributes.c on "fields" and "attributes". Whatever the body,
 * the collected errors must make a valid JSON problem. */
#include "gis/report_attributes.h"
#include "gis/translit.h"
#include "http/body.h"
#include "tests/fuzz/field_errors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj)
        return 0;
    if (!json_is_object(obj)) {
        json_decref(obj);
        return 0;
    }
    struct fields f = {.obj = obj, .errors = NULL};
    static const char *const allowed[] = {"title", "email", "public", "tags", "fields",
                                          "attributes", NULL};
    fields_allow_only(&f, allowed);

    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        const char *s, *items[8];
        size_t n;
        int b;
        if (field_string(&f, key, 2, 40, 0, &s) == 1)
            FUZZ_CHECK(strlen(s) <= 40 && utf8_chars(s) >= 2, "%s accepted", key);
        if (field_email(&f, key, 0, &s) == 1)
            FUZZ_CHECK(email_is_plausible(s), "%s accepted", key);
        field_bool(&f, key, 0, &b);
        if (field_string_array(&f, key, 1, 8, 30, 0, items, &n) == 1)
            FUZZ_CHECK(n >= 1 && n <= 8, "%zu items", n);
    }
    const char *s;
    field_string(&f, "missing", 1, 10, 1, &s);

    const json_t *defs = json_object_get(obj, "fields");
    if (defs && attr_fields_check(defs, "fields", &f.errors) == 0)
        attr_values_check(defs, json_object_get(obj, "attributes"), &f.errors);
    fuzz_check_field_errors(f.errors);
    fields_free(&f);
    return 0;
}
