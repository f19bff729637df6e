#include "http/body.h"

#include "gis/sql_ident.h"
#include "gis/translit.h"

#include "http/params.h"
#include "http/respond.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int content_type_is_json(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (i < 0)
        return 0;
    h2o_iovec_t v = req->headers.entries[i].value;
    static const char json[] = "application/json";
    return v.len >= sizeof json - 1 && !strncasecmp(v.base, json, sizeof json - 1) &&
           (v.len == sizeof json - 1 || v.base[sizeof json - 1] == ';');
}

int body_parse_object(struct exchange *ex, struct fields *f)
{
    memset(f, 0, sizeof *f);
    h2o_req_t *req = ex->req;
    if (!content_type_is_json(req)) {
        respond_problem(req, 415, "/problems/unsupported-media-type", "Unsupported Media Type",
                        NULL, "the body must be JSON, sent with Content-Type: application/json");
        return -1;
    }
    json_error_t err;
    json_t *obj = json_loadb(req->entity.base, req->entity.len,
                             JSON_REJECT_DUPLICATES, &err);
    if (!obj) {
        respond_problem(req, 400, "/problems/malformed-json", "Malformed JSON", NULL,
                        "the body is not valid JSON: %s (line %d, column %d)", err.text,
                        err.line, err.column);
        return -1;
    }
    if (!json_is_object(obj)) {
        json_decref(obj);
        respond_problem(req, 400, "/problems/malformed-json", "Malformed JSON", NULL,
                        "the body must be a JSON object ({...})");
        return -1;
    }
    f->obj = obj;
    return 0;
}

void fields_allow_only(struct fields *f, const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach(f->obj, key, value)
    {
        int known = 0;
        for (int k = 0; allowed[k] && !known; k++)
            known = !strcmp(key, allowed[k]);
        if (!known) {
            char expected[512] = "one of: ";
            for (int k = 0; allowed[k]; k++) {
                if (k)
                    strncat(expected, ", ", sizeof expected - strlen(expected) - 1);
                strncat(expected, allowed[k], sizeof expected - strlen(expected) - 1);
            }
            field_error_append(&f->errors, key, expected, "an unknown field");
        }
    }
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* The member name, or NULL when it is absent or null (an error when it is
 * required): every reader treats null as absent. */
static json_t *member(struct fields *f, const char *name, const char *expected, int required)
{
    json_t *v = json_object_get(f->obj, name);
    if (v && !json_is_null(v))
        return v;
    if (required)
        field_error_append(&f->errors, name, expected, "nothing (the field is required)");
    return NULL;
}

/* The member name when it is of JSON type want (JSON_TRUE stands for either
 * boolean) in *v: returns 1, or 0 when it is absent or null (see member),
 * or -1 after recording what was found instead. */
static int typed_member(struct fields *f, const char *name, const char *expected, int required,
                        json_type want, json_t **v)
{
    *v = member(f, name, expected, required);
    if (!*v)
        return 0;
    json_type t = json_typeof(*v);
    if (t == want || (want == JSON_TRUE && t == JSON_FALSE))
        return 1;
    field_error_append(&f->errors, name, expected, type_name(*v));
    return -1;
}

int field_string(struct fields *f, const char *name, size_t min_chars, size_t max_bytes,
                 int required, const char **out)
{
    char expected[128];
    snprintf(expected, sizeof expected, "a string of %zu to %zu characters", min_chars,
             max_bytes);
    json_t *v;
    int r = typed_member(f, name, expected, required, JSON_STRING, &v);
    if (r != 1)
        return r;
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len) {
        field_error_append(&f->errors, name, "text without NUL characters", "a NUL character");
        return -1;
    }
    if (len > max_bytes) {
        char found[64];
        snprintf(found, sizeof found, "%zu bytes", len);
        field_error_append(&f->errors, name, expected, found);
        return -1;
    }
    if (utf8_chars(s) < min_chars) {
        field_error_append(&f->errors, name, expected, *s ? s : "an empty string");
        return -1;
    }
    *out = s;
    return 1;
}

int email_is_plausible(const char *s)
{
    size_t len = strlen(s);
    const char *at = strchr(s, '@');
    if (len < 6 || len > 254 || !at || at == s || strchr(at + 1, '@'))
        return 0;
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == '"' || *c == '<' || *c == '>' || *c == ',' ||
            *c == ';' || *c == '\\' || (unsigned char)*c == 0x7f)
            return 0;
    const char *dot = strrchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1] != '\0' && at - s <= 64;
}

int field_email(struct fields *f, const char *name, int required, const char **out)
{
    const char *s;
    int r = field_string(f, name, 1, 254, required, &s);
    if (r != 1)
        return r;
    if (!email_is_plausible(s)) {
        field_error_append(&f->errors, name, "an email address such as name@example.gr", s);
        return -1;
    }
    *out = s;
    return 1;
}

int field_bool(struct fields *f, const char *name, int required, int *out)
{
    json_t *v;
    int r = typed_member(f, name, "true or false", required, JSON_TRUE, &v);
    if (r != 1)
        return r;
    *out = json_is_true(v);
    return 1;
}

/* Records that name should be expected but v was found (as its JSON text). */
static void wrong_value(struct fields *f, const char *name, const char *expected, const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    field_error_append(&f->errors, name, expected, text ? text : type_name(v));
    free(text);
}

int field_number(struct fields *f, const char *name, double min, double max, int required,
                 double *out)
{
    char expected[96];
    snprintf(expected, sizeof expected, "a number from %g to %g", min, max);
    json_t *v = member(f, name, expected, required);
    if (!v)
        return 0;
    double d = json_is_number(v) ? json_number_value(v) : NAN;
    if (!isfinite(d) || d < min || d > max) {
        wrong_value(f, name, expected, v);
        return -1;
    }
    *out = d;
    return 1;
}

int field_integer(struct fields *f, const char *name, long long min, long long max, int required,
                  long long *out)
{
    char expected[96];
    snprintf(expected, sizeof expected, "an integer from %lld to %lld", min, max);
    json_t *v = member(f, name, expected, required);
    if (!v)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        wrong_value(f, name, expected, v);
        return -1;
    }
    *out = json_integer_value(v);
    return 1;
}

void fields_free(struct fields *f)
{
    json_decref(f->obj);
    json_decref(f->errors);
    f->obj = f->errors = NULL;
}

/* The pool's destructor of a BODY_PARSE_RECORD record: p is its f. */
static void body_record_dispose(void *p)
{
    fields_free(p);
}

void *body_parse_record(struct exchange *ex, size_t size, const char *const *allowed)
{
    struct fields *f = h2o_mem_alloc_shared(&ex->req->pool, size, body_record_dispose);
    memset(f, 0, size);
    ex->handler_data = f;
    if (body_parse_object(ex, f) < 0)
        return NULL;
    if (allowed)
        fields_allow_only(f, allowed);
    return f;
}

int fields_reject(struct exchange *ex, struct fields *f)
{
    if (!f->errors)
        return 0;
    json_t *errors = f->errors;
    f->errors = NULL;
    fields_free(f);
    respond_problem(ex->req, 422, "/problems/invalid-field", "Invalid field", errors,
                    "one or more fields are missing or invalid; see errors");
    return 1;
}

int field_string_array(struct fields *f, const char *name, size_t min_items, size_t max_items,
                       size_t max_bytes, int required, const char **out, size_t *n)
{
    char expected[160];
    snprintf(expected, sizeof expected,
             "an array of %zu to %zu different strings of at most %zu bytes", min_items,
             max_items, max_bytes);
    *n = 0;
    json_t *v;
    int r = typed_member(f, name, expected, required, JSON_ARRAY, &v);
    if (r != 1)
        return r;
    size_t count = json_array_size(v);
    if (count < min_items || count > max_items) {
        char found[64];
        snprintf(found, sizeof found, "%zu items", count);
        field_error_append(&f->errors, name, expected, found);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        json_t *item = json_array_get(v, i);
        const char *s = json_string_value(item);
        if (!s || strlen(s) != json_string_length(item) || !*s || strlen(s) > max_bytes) {
            field_error_append(&f->errors, name, expected,
                               s ? (*s ? "a string that is too long or has a NUL character"
                                       : "an empty string")
                                 : type_name(item));
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(out[j], s)) {
                field_error_append(&f->errors, name, expected, s);
                return -1;
            }
        out[i] = s;
    }
    *n = count;
    return 1;
}

int field_language(struct fields *f, const char *name, int required, const char **out)
{
    static const char expected[] = "\"el\" (Greek) or \"en\" (English)";
    json_t *v = member(f, name, expected, required);
    if (!v)
        return 0;
    const char *s = json_string_value(v);
    if (!s || (strcmp(s, "el") && strcmp(s, "en"))) {
        wrong_value(f, name, expected, v);
        return -1;
    }
    *out = s;
    return 1;
}

int field_code(struct fields *f, const char *name, const char *what, int required,
               const char **out)
{
    int r = field_string(f, name, 2, 40, required, out);
    if (r != 1 || lower_code_ok(*out, 2, 40))
        return r;
    char expected[200];
    snprintf(expected, sizeof expected, "%s: 2 to 40 of a-z, 0-9 and _, starting with a letter",
             what);
    field_error_append(&f->errors, name, expected, *out);
    return -1;
}

int field_choice(struct fields *f, const char *name, const char *const *choices, int required,
                 const char **out)
{
    char expected[200] = "one of ";
    size_t n = strlen(expected);
    for (int i = 0; choices[i] && n < sizeof expected; i++)
        n += (size_t)snprintf(expected + n, sizeof expected - n, "%s%s", i ? ", " : "",
                              choices[i]);
    json_t *v = member(f, name, expected, required);
    if (!v)
        return 0;
    const char *s = json_string_value(v);
    for (int i = 0; s && choices[i]; i++)
        if (!strcmp(s, choices[i])) {
            *out = choices[i];
            return 1;
        }
    wrong_value(f, name, expected, v);
    return -1;
}
