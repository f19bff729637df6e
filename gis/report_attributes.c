#include "gis/report_attributes.h"

#include "gis/rfc3339.h"
#include "gis/sql_ident.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATTR_STRING_MAX 1000
#define ATTR_TEXT_MAX 5000
#define ATTR_DESCRIPTION_MAX 500

static const char *const datatypes[] = {"string", "number", "datetime", "text",
                                        "singlevaluelist", "multivaluelist", NULL};

/* found is a short rendering of the offending value */
void attr_error_append(json_t **errors, const char *name, const char *expected, const json_t *v)
{
    char found[160] = "absent";
    if (v) {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (text) {
            /* cut on a UTF-8 character boundary */
            size_t n = strlen(text);
            if (n > sizeof found - 4) {
                n = sizeof found - 4;
                while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
                    n--;
                snprintf(found, sizeof found, "%.*s...", (int)n, text);
            } else {
                snprintf(found, sizeof found, "%s", text);
            }
            free(text);
        }
    }
    if (!*errors)
        *errors = json_array();
    json_array_append_new(*errors, json_pack("{s:s,s:s,s:s}", "name", name, "expected",
                                             expected, "found", found));
}

static int is_list(const char *datatype)
{
    return !strcmp(datatype, "singlevaluelist") || !strcmp(datatype, "multivaluelist");
}

static int nonempty_string(const json_t *v, size_t max)
{
    return json_is_string(v) && json_string_length(v) >= 1 && json_string_length(v) <= max &&
           strlen(json_string_value(v)) == json_string_length(v);
}

/* The allowed values of a list field: [{key, name_el, name_en}], keys unique. */
static int values_check(const json_t *values, const char *name, json_t **errors)
{
    char at[200];
    snprintf(at, sizeof at, "%s.values", name);
    if (!json_is_array(values) || json_array_size(values) < 1 ||
        json_array_size(values) > ATTR_VALUES_MAX) {
        attr_error_append(errors, at, "an array of 1 to 100 {key, name_el, name_en} objects", values);
        return 1;
    }
    size_t i;
    const json_t *v;
    json_array_foreach(values, i, v) {
        snprintf(at, sizeof at, "%s.values[%zu]", name, i);
        const json_t *key = json_object_get(v, "key");
        if (!json_is_object(v) || json_object_size(v) != 3 || !nonempty_string(key, 100) ||
            !nonempty_string(json_object_get(v, "name_el"), 200) ||
            !nonempty_string(json_object_get(v, "name_en"), 200)) {
            attr_error_append(errors, at, "{key, name_el, name_en}, each a string of 1 to 100/200 bytes",
                      v);
            return 1;
        }
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_object_get(json_array_get(values, j), "key"), key)) {
                attr_error_append(errors, at, "a key not used by an earlier value", key);
                return 1;
            }
    }
    return 0;
}

/* One field of the definition; returns the errors appended. */
static int field_check(const json_t *f, size_t index, const char *name, json_t **errors)
{
    char at[160];
    snprintf(at, sizeof at, "%s[%zu]", name, index);
    if (!json_is_object(f)) {
        attr_error_append(errors, at, "an object {code, datatype, required, order, description_el, "
                              "description_en, values}", f);
        return 1;
    }
    int bad = 0;
    const char *key;
    const json_t *v;
    static const char *const members[] = {"code", "datatype", "required", "order",
                                          "description_el", "description_en", "values", NULL};
    json_object_foreach((json_t *)f, key, v) {
        int known = 0;
        for (int i = 0; members[i]; i++)
            known |= !strcmp(members[i], key);
        if (!known) {
            char m[220];
            snprintf(m, sizeof m, "%s.%.40s", at, key);
            attr_error_append(errors, m, "no such member (allowed: code, datatype, required, order, "
                                 "description_el, description_en, values)", v);
            bad++;
        }
    }
    char m[200];
    const json_t *code = json_object_get(f, "code");
    if (!json_is_string(code) || !lower_code_ok(json_string_value(code), 1, 40)) {
        snprintf(m, sizeof m, "%s.code", at);
        attr_error_append(errors, m, "1 to 40 of a-z, 0-9 and _, starting with a letter", code);
        bad++;
    }
    const json_t *dt = json_object_get(f, "datatype");
    int dt_ok = 0;
    for (int i = 0; json_is_string(dt) && datatypes[i]; i++)
        dt_ok |= !strcmp(datatypes[i], json_string_value(dt));
    if (!dt_ok) {
        snprintf(m, sizeof m, "%s.datatype", at);
        attr_error_append(errors, m, "one of string, number, datetime, text, singlevaluelist, "
                             "multivaluelist", dt);
        bad++;
    }
    const json_t *req = json_object_get(f, "required");
    if (req && !json_is_boolean(req)) {
        snprintf(m, sizeof m, "%s.required", at);
        attr_error_append(errors, m, "true or false", req);
        bad++;
    }
    const json_t *order = json_object_get(f, "order");
    if (order && (!json_is_integer(order) || json_integer_value(order) < 0 ||
                  json_integer_value(order) > 1000)) {
        snprintf(m, sizeof m, "%s.order", at);
        attr_error_append(errors, m, "an integer from 0 to 1000", order);
        bad++;
    }
    static const char *const descriptions[] = {"description_el", "description_en"};
    for (int i = 0; i < 2; i++) {
        const json_t *d = json_object_get(f, descriptions[i]);
        if (!nonempty_string(d, ATTR_DESCRIPTION_MAX)) {
            snprintf(m, sizeof m, "%s.%s", at, descriptions[i]);
            attr_error_append(errors, m, "a string of 1 to 500 bytes", d);
            bad++;
        }
    }
    const json_t *values = json_object_get(f, "values");
    if (dt_ok && is_list(json_string_value(dt))) {
        bad += values_check(values, at, errors);
    } else if (values) {
        snprintf(m, sizeof m, "%s.values", at);
        attr_error_append(errors, m, "no values: only list datatypes have them", values);
        bad++;
    }
    return bad;
}

int attr_fields_check(const json_t *fields, const char *name, json_t **errors)
{
    if (!json_is_array(fields) || json_array_size(fields) > ATTR_FIELDS_MAX) {
        attr_error_append(errors, name, "an array of at most 30 field objects", fields);
        return 1;
    }
    int bad = 0;
    size_t i;
    const json_t *f;
    json_array_foreach(fields, i, f) {
        int b = field_check(f, i, name, errors);
        bad += b;
        if (b)
            continue;
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_object_get(json_array_get(fields, j), "code"),
                           json_object_get(f, "code"))) {
                char m[160];
                snprintf(m, sizeof m, "%s[%zu].code", name, i);
                attr_error_append(errors, m, "a code not used by an earlier field",
                          json_object_get(f, "code"));
                bad++;
                break;
            }
    }
    return bad;
}

static int value_allowed(const json_t *values, const json_t *v)
{
    size_t i;
    const json_t *item;
    if (!json_is_string(v))
        return 0;
    json_array_foreach(values, i, item)
        if (json_equal(json_object_get(item, "key"), v))
            return 1;
    return 0;
}

/* One answer against its field; returns 1 when it is wrong. */
static int answer_check(const json_t *field, const json_t *v, const char *at, json_t **errors)
{
    const char *dt = json_string_value(json_object_get(field, "datatype"));
    const json_t *values = json_object_get(field, "values");
    if (!strcmp(dt, "string") || !strcmp(dt, "text")) {
        size_t max = !strcmp(dt, "string") ? ATTR_STRING_MAX : ATTR_TEXT_MAX;
        if (!json_is_string(v) || json_string_length(v) > max ||
            strlen(json_string_value(v)) != json_string_length(v)) {
            attr_error_append(errors, at, max == ATTR_STRING_MAX ? "a string of at most 1000 bytes"
                                                         : "a string of at most 5000 bytes", v);
            return 1;
        }
    } else if (!strcmp(dt, "number")) {
        if (!json_is_number(v) || !isfinite(json_number_value(v))) {
            attr_error_append(errors, at, "a number", v);
            return 1;
        }
    } else if (!strcmp(dt, "datetime")) {
        if (!json_is_string(v) || !rfc3339_valid(json_string_value(v))) {
            attr_error_append(errors, at, "an RFC 3339 date-time such as 2024-05-01T09:30:00+03:00", v);
            return 1;
        }
    } else if (!strcmp(dt, "singlevaluelist")) {
        if (!value_allowed(values, v)) {
            attr_error_append(errors, at, "one of the keys listed in the field's values", v);
            return 1;
        }
    } else { /* multivaluelist */
        size_t i;
        const json_t *item;
        int ok = json_is_array(v) && json_array_size(v) >= 1 &&
                 json_array_size(v) <= json_array_size(values);
        if (ok)
            json_array_foreach(v, i, item) {
                ok &= value_allowed(values, item);
                for (size_t j = 0; ok && j < i; j++)
                    ok &= !json_equal(json_array_get(v, j), item);
            }
        if (!ok) {
            attr_error_append(errors, at, "an array of distinct keys listed in the field's values",
                      v);
            return 1;
        }
    }
    return 0;
}

int attr_values_check(const json_t *fields, const json_t *answers, json_t **errors)
{
    return attr_values_check_named(fields, answers, "attributes", 0, errors);
}

int attr_values_check_named(const json_t *fields, const json_t *answers, const char *name,
                            int draft, json_t **errors)
{
    if (answers && !json_is_object(answers)) {
        attr_error_append(errors, name, "an object {field code: value}", answers);
        return 1;
    }
    int bad = 0;
    char at[100];
    const char *code;
    const json_t *v;
    if (answers)
        json_object_foreach((json_t *)answers, code, v) {
            const json_t *field = NULL, *f;
            size_t i;
            json_array_foreach(fields, i, f)
                if (!strcmp(json_string_value(json_object_get(f, "code")), code))
                    field = f;
            snprintf(at, sizeof at, "%.20s.%.60s", name, code);
            if (!field) {
                attr_error_append(errors, at, "no such field in this form", v);
                bad++;
            } else if (!json_is_null(v)) {
                bad += answer_check(field, v, at, errors);
            }
        }
    size_t i;
    const json_t *f;
    json_array_foreach(fields, i, f) {
        const char *c = json_string_value(json_object_get(f, "code"));
        const json_t *a = answers ? json_object_get(answers, c) : NULL;
        if (!draft && json_is_true(json_object_get(f, "required")) && (!a || json_is_null(a))) {
            snprintf(at, sizeof at, "%.20s.%.60s", name, c);
            attr_error_append(errors, at, "a value: this field is required", NULL);
            bad++;
        }
    }
    return bad;
}
