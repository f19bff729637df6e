#include "services/service_documents.h"

#include "gis/report_attributes.h"
#include "gis/sql_ident.h"

#include <stdio.h>
#include <string.h>

static const char *const file_types[] = {"pdf", "jpeg", "png", NULL};

static int text_ok(const json_t *v, size_t max)
{
    return json_is_string(v) && json_string_length(v) >= 1 && json_string_length(v) <= max &&
           strlen(json_string_value(v)) == json_string_length(v);
}

static int file_type_ok(const json_t *v)
{
    for (int i = 0; json_is_string(v) && file_types[i]; i++)
        if (!strcmp(file_types[i], json_string_value(v)))
            return 1;
    return 0;
}

/* types: a non-empty array of distinct known file types */
static int types_ok(const json_t *types)
{
    if (!json_is_array(types) || json_array_size(types) < 1 || json_array_size(types) > 3)
        return 0;
    size_t i;
    const json_t *t;
    json_array_foreach(types, i, t) {
        if (!file_type_ok(t))
            return 0;
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_array_get(types, j), t))
                return 0;
    }
    return 1;
}

/* One document's definition; returns the errors appended. */
static int document_check(const json_t *d, const char *at, json_t **errors)
{
    if (!json_is_object(d)) {
        attr_error_append(errors, at, "an object {code, name_el, name_en, types, max_kb, "
                                      "required}", d);
        return 1;
    }
    static const char *const members[] = {"code", "name_el", "name_en", "types", "max_kb",
                                          "required", NULL};
    int bad = 0;
    char m[200];
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)d, key, v) {
        int known = 0;
        for (int i = 0; members[i]; i++)
            known |= !strcmp(members[i], key);
        if (!known) {
            snprintf(m, sizeof m, "%.150s.%.40s", at, key);
            attr_error_append(errors, m, "no such member (allowed: code, name_el, name_en, "
                                         "types, max_kb, required)", v);
            bad++;
        }
    }
    const json_t *code = json_object_get(d, "code");
    if (!json_is_string(code) || !lower_code_ok(json_string_value(code), 1, 40)) {
        snprintf(m, sizeof m, "%.150s.code", at);
        attr_error_append(errors, m, "1 to 40 of a-z, 0-9 and _, starting with a letter", code);
        bad++;
    }
    static const char *const names[] = {"name_el", "name_en"};
    for (int i = 0; i < 2; i++)
        if (!text_ok(json_object_get(d, names[i]), 200)) {
            snprintf(m, sizeof m, "%.150s.%s", at, names[i]);
            attr_error_append(errors, m, "a string of 1 to 200 bytes", json_object_get(d, names[i]));
            bad++;
        }
    if (!types_ok(json_object_get(d, "types"))) {
        snprintf(m, sizeof m, "%.150s.types", at);
        attr_error_append(errors, m, "an array of distinct file types among pdf, jpeg and png",
                          json_object_get(d, "types"));
        bad++;
    }
    const json_t *max_kb = json_object_get(d, "max_kb");
    if (!json_is_integer(max_kb) || json_integer_value(max_kb) < 1 ||
        json_integer_value(max_kb) > SERVICE_DOCUMENT_MAX_KB) {
        snprintf(m, sizeof m, "%.150s.max_kb", at);
        attr_error_append(errors, m, "an integer number of kilobytes from 1 to 51200", max_kb);
        bad++;
    }
    const json_t *required = json_object_get(d, "required");
    if (required && !json_is_boolean(required)) {
        snprintf(m, sizeof m, "%.150s.required", at);
        attr_error_append(errors, m, "true or false", required);
        bad++;
    }
    return bad;
}

int service_documents_check(const json_t *documents, const char *name, json_t **errors)
{
    if (!json_is_array(documents) || json_array_size(documents) > SERVICE_DOCUMENTS_MAX) {
        attr_error_append(errors, name, "an array of at most 20 document objects", documents);
        return 1;
    }
    int bad = 0;
    size_t i;
    const json_t *d;
    char at[160];
    json_array_foreach(documents, i, d) {
        snprintf(at, sizeof at, "%.40s[%zu]", name, i);
        int b = document_check(d, at, errors);
        bad += b;
        for (size_t j = 0; !b && j < i; j++)
            if (json_equal(json_object_get(json_array_get(documents, j), "code"),
                           json_object_get(d, "code"))) {
                char m[200];
                snprintf(m, sizeof m, "%.150s.code", at);
                attr_error_append(errors, m, "a code not used by an earlier document",
                                  json_object_get(d, "code"));
                bad++;
                break;
            }
    }
    return bad;
}
