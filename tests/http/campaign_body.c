/* The bad-input campaign: broken JSON, Content-Type and multipart bodies
 * (campaign.h). */
#include "campaign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON bodies */

/* JSON member names the API reads (server/api_*.c), with what each holds,
 * so every value below is of a type the member cannot take. */
enum jtype { J_STRING, J_NUMBER, J_BOOL, J_ARRAY, J_OBJECT };
static const struct {
    const char *name;
    enum jtype type;
} members[] = {
    {"email", J_STRING}, {"password", J_STRING}, {"new_password", J_STRING},
    {"current_password", J_STRING}, {"token", J_STRING}, {"name", J_STRING},
    {"display_name", J_STRING}, {"phone", J_STRING}, {"role", J_STRING},
    {"category", J_STRING}, {"description", J_STRING}, {"address", J_STRING},
    {"to", J_STRING}, {"body", J_STRING}, {"kind", J_STRING}, {"code", J_STRING},
    {"department", J_STRING}, {"icon", J_STRING}, {"name_el", J_STRING},
    {"name_en", J_STRING}, {"title_el", J_STRING}, {"title_en", J_STRING},
    {"description_el", J_STRING}, {"description_en", J_STRING}, {"rrule", J_STRING},
    {"tzid", J_STRING}, {"starts_at", J_STRING}, {"ends_at", J_STRING},
    {"public_comment", J_STRING}, {"internal_note", J_STRING}, {"opening_hours", J_STRING},
    {"website", J_STRING}, {"contact_email", J_STRING}, {"contact_name", J_STRING},
    {"contact_phone", J_STRING}, {"venue_name", J_STRING}, {"organiser", J_STRING},
    {"lat", J_NUMBER}, {"lon", J_NUMBER}, {"sort_order", J_NUMBER},
    {"venue_poi_id", J_NUMBER}, {"duplicate_of", J_NUMBER}, {"report", J_NUMBER},
    {"active", J_BOOL}, {"private", J_BOOL}, {"free", J_BOOL},
    {"scopes", J_ARRAY}, {"departments", J_ARRAY}, {"tags", J_ARRAY}, {"fields", J_ARRAY},
    {"geometry", J_OBJECT}, {"attributes", J_OBJECT}, {"polygon", J_OBJECT},
    {"names", J_OBJECT}, {"titles", J_OBJECT}, {"descriptions", J_OBJECT},
};

static const char *wrong_value(enum jtype t)
{
    static const char *const for_string[] = {
        "1", "-1", "1.5e308", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":1}",
        "[[[]]]", "{\"$ne\":null}", "0"};
    static const char *const for_number[] = {
        "\"41.09\"", "\"abc\"", "\"NaN\"", "\"1e309\"", "true", "[]", "[41.09]", "{}",
        "{\"value\":1}", "\"\"", "\" 1\""};
    static const char *const for_bool[] = {"\"true\"", "\"yes\"", "1", "0", "[]", "{}",
                                           "\"\"", "[true]"};
    static const char *const for_array[] = {
        "\"read\"", "1", "true", "{}", "{\"0\":\"read\"}", "[1,2]", "[null]", "[true]",
        "[[\"read\"]]", "[{}]"};
    static const char *const for_object[] = {
        "\"Point\"", "1", "true", "[]", "[23.5,41.09]", "\"{}\"", "{\"type\":1}",
        "{\"type\":\"Point\",\"coordinates\":\"x\"}",
        "{\"type\":\"Point\",\"coordinates\":[1e309,1]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1]]]}"};
    switch (t) {
    case J_STRING: return PICK(for_string);
    case J_NUMBER: return PICK(for_number);
    case J_BOOL: return PICK(for_bool);
    case J_ARRAY: return PICK(for_array);
    case J_OBJECT: return PICK(for_object);
    }
    return "[]";
}

/* Valid bodies of the routes that take JSON (as their tests send them): a
 * copy with exactly one member of the wrong type must still be refused, so
 * a check that is missing cannot hide behind another mistake in the body.
 * A route without a row here gets the mixed bodies below only. */
static const struct {
    const char *method, *pattern, *body;
} templates[] = {
    {"POST", "/api/v1/auth/register",
     "{\"email\":\"campaign@test.polis.example\",\"password\":\"campaign passphrase\"}"},
    {"POST", "/api/v1/auth/confirm", "{\"token\":\"not-a-token-but-long-enough\"}"},
    {"POST", "/api/v1/auth/login",
     "{\"email\":\"campaign@test.polis.example\",\"password\":\"campaign passphrase\"}"},
    {"POST", "/api/v1/auth/password",
     "{\"current_password\":\"campaign passphrase\",\"new_password\":\"campaign new pass\"}"},
    {"POST", "/api/v1/auth/reset-request", "{\"email\":\"campaign@test.polis.example\"}"},
    {"POST", "/api/v1/auth/reset",
     "{\"token\":\"not-a-token-but-long-enough\",\"new_password\":\"campaign new pass\"}"},
    {"POST", "/api/v1/me/keys",
     "{\"name\":\"campaign\",\"scopes\":[\"read\"],\"password\":\"campaign passphrase\"}"},
    {"POST", "/api/v1/me/email",
     "{\"new_email\":\"campaign-new@test.polis.example\",\"password\":\"campaign passphrase\"}"},
    {"POST", "/api/v1/auth/email-confirm", "{\"token\":\"not-a-token-but-long-enough\"}"},
    {"POST", "/api/v1/admin/users",
     "{\"email\":\"campaign@test.polis.example\",\"role\":\"citizen\"}"},
    {"POST", "/api/v1/admin/users/{id}/keys", "{\"name\":\"campaign\",\"scopes\":[\"report\"]}"},
    {"POST", "/api/v1/categories",
     "{\"code\":\"campaign\",\"name_el\":\"x\",\"name_en\":\"x\",\"department\":\"cleaning\","
     "\"active\":true,\"private\":false}"},
    {"PATCH", "/api/v1/categories/{id}", "{\"name_en\":\"x\",\"active\":true}"},
    {"POST", "/api/v1/reports",
     "{\"category\":\"cleaning\",\"lat\":41.0917,\"lon\":23.5494,\"description\":\"campaign\"}"},
    {"POST", "/api/v1/reports/{id}/transitions",
     "{\"to\":\"acknowledged\",\"public_comment\":\"x\"}"},
    {"POST", "/api/v1/reports/{id}/messages", "{\"body\":\"campaign\"}"},
    {"POST", "/api/v1/me/subscriptions", "{\"kind\":\"category\",\"category\":\"roads\"}"},
    {"POST", "/api/v1/events",
     "{\"title_el\":\"x\",\"starts_at\":\"2026-10-17T19:00:00\","
     "\"ends_at\":\"2026-10-17T21:00:00\",\"category\":\"concert\",\"lat\":41.0917,"
     "\"lon\":23.5494,\"free\":true}"},
    {"PATCH", "/api/v1/events/{id}", "{\"title_el\":\"x\",\"free\":true}"},
    {"POST", "/api/v1/pois",
     "{\"category\":\"sight\",\"name_el\":\"x\",\"geometry\":{\"type\":\"Point\","
     "\"coordinates\":[23.55,41.09]}}"},
    {"PATCH", "/api/v1/pois/{id}", "{\"name_en\":\"x\",\"tags\":[\"a\"]}"},
    {"POST", "/api/v1/poi-categories",
     "{\"code\":\"campaign\",\"name_el\":\"x\",\"name_en\":\"x\",\"sort_order\":1,"
     "\"active\":true}"},
    {"PATCH", "/api/v1/poi-categories/{code}", "{\"name_en\":\"x\",\"active\":true}"},
};

const char *template_of(const struct route *r)
{
    for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
        if (!strcmp(r->method, templates[i].method) && !strcmp(r->pattern, templates[i].pattern))
            return templates[i].body;
    return NULL;
}

static enum jtype type_of(const char *member)
{
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
        if (!strcmp(members[i].name, member))
            return members[i].type;
    return J_STRING;
}

/* tmpl with one member (picked at random) replaced by a value of a type
 * it cannot take. */
void body_one_wrong(struct request *q, const char *tmpl)
{
    json_t *doc = json_loads(tmpl, 0, NULL);
    if (!doc)
        h_fatal("a campaign template is not JSON: %s", tmpl);
    size_t wrong = pick(json_object_size(doc)), i = 0;
    const char *name;
    json_t *value;
    sb_add(&q->body, "{");
    json_object_foreach(doc, name, value) {
        sb_printf(&q->body, "%s\"%s\":", i ? "," : "", name);
        if (i++ == wrong) {
            sb_add(&q->body, wrong_value(type_of(name)));
        } else {
            char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
            sb_add(&q->body, text);
            free(text);
        }
    }
    sb_add(&q->body, "}");
    json_decref(doc);
    set_body(q, "application/json");
}

void body_wrong_types(struct request *q)
{
    struct sb *b = &q->body;
    sb_add(b, "{");
    int n = 1 + (int)pick(5);
    size_t first = pick(sizeof members / sizeof members[0]);
    for (int i = 0; i < n; i++) {
        size_t m = (first + (size_t)i * 7) % (sizeof members / sizeof members[0]);
        sb_printf(b, "%s\"%s\":%s", i ? "," : "", members[m].name,
                  wrong_value(members[m].type));
    }
    /* null beside them: "absent" to some readers, so never the only defect */
    if (pick(2))
        sb_printf(b, ",\"%s\":null", members[pick(sizeof members / sizeof members[0])].name);
    sb_add(b, "}");
    set_body(q, "application/json");
}

void body_not_object(struct request *q)
{
    static const char *const docs[] = {
        "[]", "[{}]", "\"x\"", "\"{}\"", "1", "-1", "1e309", "null", "true", "false", "[1,2,3]",
        "[{\"email\":\"a@b.c\"}]", "\"\\u0000\"", "  ", "", "\xEF\xBB\xBF{}", "{}{}", "{} []",
        "{},", "{\"a\":1}}", "{\"a\":1,\"a\":2}"};
    sb_add(&q->body, PICK(docs));
    set_body(q, "application/json");
}

void body_truncated(struct request *q)
{
    static const char *const full[] = {
        "{\"email\":\"someone@example.org\",\"password\":\"long enough passphrase\"}",
        "{\"category\":\"cleaning\",\"lat\":41.0917,\"lon\":23.5494,\"description\":\"x\"}",
        "{\"name\":\"k\",\"scopes\":[\"read\",\"report\"]}",
        "{\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.55,41.09]},\"name_el\":\"x\"}",
        "{\"to\":\"acknowledged\",\"public_comment\":\"\\u03b1\\u03b2\"}",
        "{\"title_el\":\"\\u03b1\",\"starts_at\":\"2026-12-24T18:00:00+02:00\"}"};
    const char *doc = PICK(full);
    size_t cut = 1 + pick(strlen(doc) - 1); /* at least the '{', never the whole */
    sb_addn(&q->body, doc, cut);
    set_body(q, "application/json");
}

void body_oversized(struct request *q, const struct route *r)
{
    /* the test server's limits: POLIS_MAX_BODY_KB=64, POLIS_UPLOAD_MAX_MB=1 */
    size_t over = r->body == BODY_UPLOAD ? 1024 * 1024 + 1 + pick(2 * 1024 * 1024)
                                         : 64 * 1024 + 1 + pick(256 * 1024);
    struct sb *b = &q->body;
    switch (pick(3)) {
    case 0: /* one long string member */
        sb_add(b, "{\"description\":\"");
        while (b->len < over)
            sb_add(b, "abcdefghijklmnopqrstuvwxyz0123456789");
        sb_add(b, "\"}");
        break;
    case 1: /* a huge array */
        sb_add(b, "{\"tags\":[");
        while (b->len < over)
            sb_add(b, "\"t\",");
        sb_add(b, "\"t\"]}");
        break;
    default: /* many members */
        sb_add(b, "{");
        for (int i = 0; b->len < over; i++)
            sb_printf(b, "%s\"m%d\":%d", i ? "," : "", i, i);
        sb_add(b, "}");
        break;
    }
    set_body(q, "application/json");
}

void body_deep(struct request *q)
{
    size_t depth = pick(2) ? 5000 + pick(20000) : 100 + pick(2000);
    struct sb *b = &q->body;
    int objects = (int)pick(2);
    sb_add(b, objects ? "{\"geometry\":" : "{\"fields\":");
    for (size_t i = 0; i < depth; i++)
        sb_add(b, objects ? "{\"a\":" : "[");
    sb_add(b, "1");
    if (pick(3)) /* closed; or left open: deep and truncated */
        for (size_t i = 0; i < depth; i++)
            sb_add(b, objects ? "}" : "]");
    sb_add(b, "}");
    set_body(q, "application/json");
}

void body_bytes(struct request *q)
{
    static const char *const strings[] = {"\xC3\x28", "\xFF", "\xFE\xFF", "\xC0\xAF",
                                          "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80",
                                          "\\u0000", "\\ud800", "\\udfff", "\\ud800\\u0041",
                                          "\x01\x02\x1f", "\\uZZZZ", "\\x41"};
    struct sb *b = &q->body;
    const char *name = members[pick(sizeof members / sizeof members[0])].name;
    switch (pick(4)) {
    case 0: /* a NUL byte inside the document */
        sb_printf(b, "{\"%s\":\"a", name);
        sb_addn(b, "\0", 1);
        sb_add(b, "b\"}");
        break;
    case 1: /* NUL right after a valid document */
        sb_printf(b, "{\"%s\":1}", name);
        sb_addn(b, "\0\0", 2);
        break;
    case 2: /* in a member name */
        sb_printf(b, "{\"%s%s\":\"x\"}", name, PICK(strings));
        break;
    default:
        sb_printf(b, "{\"%s\":\"x%sy\"}", name, PICK(strings));
        break;
    }
    set_body(q, "application/json");
}

void body_content_type(struct request *q)
{
    static const char *const types[] = {
        NULL, "text/plain", "application/xml", "application/x-www-form-urlencoded",
        "application/jsonx", "application/json-patch+json", "application/json; charset=utf-16",
        "application/json;;;", "application/json; charset=\xff", "APPLICATION/JSON ",
        "json", "", "*/*", "multipart/form-data", "image/jpeg", "image/png",
        "application/octet-stream", "application/geo+json", "text/json\x01"};
    static const char *const bodies[] = {
        "{\"lat\":\"x\"}", "lat=abc&long=1e309&service_code=%FF&description=%00",
        "service_code=cleaning&lat=NaN&long=23.5&description=x",
        "service_code=&lat=&long=", "%", "a=%&b=%%", "<xml/>", "\x89PNG\r\n\x1a\n",
        "\xFF\xD8\xFF\xE0", "{\"scopes\":\"read\"}"};
    const char *t = PICK(types);
    sb_add(&q->body, PICK(bodies));
    if (pick(6) == 0) { /* a form with a thousand fields, all broken */
        for (int i = 0; i < 1000; i++)
            sb_printf(&q->body, "&f%d=%%FF", i);
    }
    set_body(q, t);
}

void body_multipart(struct request *q)
{
    struct sb *b = &q->body;
    const char *bd = "campaignB0undary";
    char ct[400];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", bd);
    const char *field = pick(2) ? "file" : "photo";
    switch (pick(8)) {
    case 0: /* truncated: no closing boundary, the file cut short */
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                     "filename=\"x.geojson\"\r\nContent-Type: application/geo+json\r\n\r\n"
                     "{\"type\":\"FeatureCollection\",\"features\":[", bd, field);
        break;
    case 1: /* truncated inside the part headers */
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filena", bd, field);
        break;
    case 2: /* no boundary parameter */
        snprintf(ct, sizeof ct, "%s", PICK(((const char *const[]){
                                      "multipart/form-data", "multipart/form-data; boundary=",
                                      "multipart/form-data; boundary=\"unterminated",
                                      "multipart/form-data; charset=utf-8",
                                      "multipart/mixed; boundary=campaignB0undary"})));
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\nx\r\n--%s--\r\n",
                  bd, field, bd);
        break;
    case 3: { /* a huge part header, and the part is not the file */
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"", bd);
        sb_repeat(b, "n", 20000 + pick(30000));
        sb_printf(b, "\"\r\nX-Junk: ");
        sb_repeat(b, "j", 5000);
        sb_printf(b, "\r\n\r\nvalue\r\n--%s--\r\n", bd);
        break;
    }
    case 4: /* many parts, none of them the file */
        for (int i = 0, n = 1000 + (int)pick(3000); i < n; i++)
            sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"p%d\"\r\n\r\nv\r\n",
                      bd, i);
        sb_printf(b, "--%s--\r\n", bd);
        break;
    case 5: { /* a boundary longer than RFC 2046's 70 characters, body cut */
        struct sb longb = {0};
        sb_repeat(&longb, "b", 100 + pick(2000));
        snprintf(ct, sizeof ct, "multipart/form-data; boundary=%.300s", longb.p);
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\nx", longb.p,
                  field);
        free(longb.p);
        break;
    }
    case 6: /* a part without the blank line after its headers */
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n--%s--\r\n", bd,
                  field, bd);
        break;
    default: /* broken part headers: no name, bad quoting, NUL and invalid UTF-8 */
        sb_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s; filename=\"..%%2F"
                     "..%%2Fetc%%2Fpasswd\xff\"\r\nContent-Disposition: form-data; name=\"",
                  bd, field);
        sb_addn(b, "\0\xC3\x28", 3);
        sb_printf(b, "\"\r\n\r\n{}\r\n--%s", bd);
        break;
    }
    set_body(q, ct);
}
