/* The e-services catalogue as its users see it: everyone lists the active
 * services (the demo's certificates and permits, in Greek or English with
 * ?lang=) with their form fields, required documents, who may apply, the
 * target time and the kind of answer; an admin adds and changes services,
 * and every bad member is a 422 naming it with nothing stored; an inactive
 * service is gone for everyone but admins. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user admin, citizen;
    char code[40]; /* a service code unique to this run */
};

/* The service of code in a list answer, or NULL. */
static json_t *find_code(json_t *list, const char *code)
{
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s) {
        const char *c = json_string_value(json_object_get(s, "code"));
        if (c && !strcmp(c, code))
            return s;
    }
    return NULL;
}

static long count_code(struct world *w, const char *code)
{
    return ha_count_where(w->db, "services", "code = $1", code);
}

static void public_catalogue(struct world *w)
{
    struct h_resp r;
    ha_call(w->s, NULL, "GET", "/api/v1/services", NULL, &r);
    CHECK_INT("anonymous lists the services", r.status, 200);
    json_t *list = json_object_get(r.json, "services");
    json_t *fam = find_code(list, "family_status");
    CHECK(fam != NULL, "the demo's family status certificate is listed: %.300s", r.body);
    CHECK_STR("its Greek title (the default language)",
              json_string_value(json_object_get(fam, "title")),
              "Πιστοποιητικό οικογενειακής κατάστασης");
    CHECK_STR("its department", json_string_value(json_object_get(fam, "department")),
              "citizen_services");
    CHECK_STR("its answer kind", json_string_value(json_object_get(fam, "answer_kind")),
              "generated");
    CHECK_STR("who may apply", json_string_value(json_object_get(fam, "applicants")), "citizen");
    CHECK_INT("its target hours", json_integer_value(json_object_get(fam, "target_hours")), 48);
    CHECK(json_is_true(json_object_get(fam, "demo")), "a demo service says so");
    json_t *f0 = json_array_get(json_object_get(fam, "fields"), 0);
    CHECK_STR("its first form field", json_string_value(json_object_get(f0, "code")), "purpose");
    json_t *d0 = json_array_get(json_object_get(fam, "documents"), 0);
    CHECK_STR("its required document", json_string_value(json_object_get(d0, "code")), "id_card");
    CHECK(json_array_size(json_object_get(d0, "types")) == 3 &&
              json_integer_value(json_object_get(d0, "max_kb")) == 5120,
          "the document's accepted types and size: %.200s", r.body);
    json_t *tree = find_code(list, "tree_cutting");
    CHECK(tree && !strcmp(json_string_value(json_object_get(tree, "answer_kind")), "uploaded"),
          "the tree cutting permit is listed with an uploaded answer");
    CHECK(find_code(list, "permanent_residence") && find_code(list, "no_debts") &&
              find_code(list, "public_space_use"),
          "the other demo services are listed");
    h_resp_free(&r);

    ha_call(w->s, NULL, "GET", "/api/v1/services?lang=en", NULL, &r);
    CHECK_INT("the list in English", r.status, 200);
    fam = find_code(json_object_get(r.json, "services"), "family_status");
    CHECK_STR("the English title", fam ? json_string_value(json_object_get(fam, "title")) : NULL,
              "Family status certificate");
    long id = fam ? (long)json_integer_value(json_object_get(fam, "id")) : 0;
    h_resp_free(&r);

    char path[96];
    snprintf(path, sizeof path, "/api/v1/services/%ld?lang=en", id);
    ha_call(w->s, NULL, "GET", path, NULL, &r);
    CHECK_INT("one service", r.status, 200);
    CHECK_STR("its English description", json_string_value(json_object_get(r.json, "description")),
              "A certificate of the family members as the municipal registry lists them.");
    h_resp_free(&r);

    ha_call(w->s, NULL, "GET", "/api/v1/services?lang=fr", NULL, &r);
    CHECK_PROBLEM("a language that is not offered", &r, 400, "lang");
    h_resp_free(&r);
    ha_call(w->s, NULL, "GET", "/api/v1/services?sort=title", NULL, &r);
    CHECK_PROBLEM("an unknown parameter", &r, 400, "sort");
    h_resp_free(&r);
    ha_call(w->s, NULL, "GET", "/api/v1/services/999999999", NULL, &r);
    CHECK_PROBLEM("a service that does not exist", &r, 404, NULL);
    h_resp_free(&r);
    ha_call(w->s, NULL, "GET", "/api/v1/services/abc", NULL, &r);
    CHECK_PROBLEM("an id that is not a number", &r, 400, "id");
    h_resp_free(&r);
}

/* A valid service body for code, with the members of the JSON object
 * extra ("{}" for none) in place of the same members. */
static void service_body(char *out, size_t len, const char *code, const char *extra)
{
    char base[2048];
    snprintf(base, sizeof base,
             "{\"code\":\"%s\",\"title_el\":\"Βεβαίωση δοκιμής\",\"title_en\":\"Test certificate\","
             "\"description_el\":\"Για τη δοκιμή.\",\"description_en\":\"For the test.\","
             "\"department\":\"citizen_services\",\"applicants\":\"any\",\"target_hours\":24,"
             "\"answer_kind\":\"generated\","
             "\"fields\":[{\"code\":\"reason\",\"datatype\":\"string\",\"required\":true,"
             "\"description_el\":\"Λόγος\",\"description_en\":\"Reason\"}],"
             "\"documents\":[{\"code\":\"id_card\",\"name_el\":\"Ταυτότητα\",\"name_en\":\"ID card\","
             "\"types\":[\"pdf\",\"png\"],\"max_kb\":2048}]}",
             code);
    json_t *b = json_loads(base, 0, NULL), *x = json_loads(extra, 0, NULL);
    CHECK(b && x, "the test's bodies are JSON: %s", extra);
    json_object_update(b, x);
    char *text = json_dumps(b, JSON_COMPACT);
    snprintf(out, len, "%s", text ? text : "");
    free(text);
    json_decref(b);
    json_decref(x);
}

/* A create with the members of extra in place of valid ones: refused with
 * status, naming param, and nothing stored. */
static void bad_create(struct world *w, const char *what, const char *extra, long status,
                       const char *param)
{
    char body[2048];
    service_body(body, sizeof body, w->code, extra);
    struct h_resp r;
    ha_call(w->s, &w->admin, "POST", "/api/v1/services", body, &r);
    CHECK_PROBLEM(what, &r, status, param);
    h_resp_free(&r);
    CHECK_INT(what, count_code(w, w->code), 0);
}

static void admin_writes(struct world *w)
{
    /* every mistake is named, nothing is stored */
    bad_create(w, "a field of an unknown datatype",
               "{\"fields\":[{\"code\":\"a\",\"datatype\":\"integer\",\"description_el\":\"α\","
               "\"description_en\":\"a\"}]}", 422, "fields[0].datatype");
    bad_create(w, "a document of a type not accepted",
               "{\"documents\":[{\"code\":\"d\",\"name_el\":\"δ\",\"name_en\":\"d\","
               "\"types\":[\"docx\"],\"max_kb\":100}]}", 422, "documents[0].types");
    bad_create(w, "a document of no size",
               "{\"documents\":[{\"code\":\"d\",\"name_el\":\"δ\",\"name_en\":\"d\","
               "\"types\":[\"pdf\"],\"max_kb\":0}]}", 422, "documents[0].max_kb");
    bad_create(w, "two documents with one code",
               "{\"documents\":[{\"code\":\"d\",\"name_el\":\"δ\",\"name_en\":\"d\","
               "\"types\":[\"pdf\"],\"max_kb\":10},{\"code\":\"d\",\"name_el\":\"δ\","
               "\"name_en\":\"d\",\"types\":[\"pdf\"],\"max_kb\":10}]}", 422, "documents[1].code");
    bad_create(w, "documents that are not a list", "{\"documents\":{}}", 422, "documents");
    bad_create(w, "an unknown kind of applicant", "{\"applicants\":\"everyone\"}", 422,
               "applicants");
    bad_create(w, "an unknown kind of answer", "{\"answer_kind\":\"mailed\"}", 422, "answer_kind");
    bad_create(w, "no target time", "{\"target_hours\":0}", 422, "target_hours");
    bad_create(w, "a target time as text", "{\"target_hours\":\"24\"}", 422, "target_hours");
    bad_create(w, "an empty Greek title", "{\"title_el\":\"\"}", 422, "title_el");
    bad_create(w, "a department that does not exist", "{\"department\":\"no_such_department\"}",
               422, "department");
    bad_create(w, "an unknown member", "{\"price\":10}", 422, "price");
    struct h_resp r;
    ha_call(w->s, &w->admin, "POST", "/api/v1/services", "{\"code\":\"x_only\"}", &r);
    CHECK_PROBLEM("a service without a title", &r, 422, "title_el");
    CHECK_PROBLEM("nor a department", &r, 422, "department");
    h_resp_free(&r);

    /* a good one */
    char body[2048];
    service_body(body, sizeof body, w->code, "{}");
    ha_call(w->s, &w->admin, "POST", "/api/v1/services", body, &r);
    CHECK_INT("the admin adds a service", r.status, 201);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    CHECK(id > 0 && json_is_true(json_object_get(r.json, "active")) &&
              json_is_false(json_object_get(r.json, "demo")),
          "the new service is active and not demo data: %.300s", r.body);
    h_resp_free(&r);
    ha_call(w->s, &w->admin, "POST", "/api/v1/services", body, &r);
    CHECK_PROBLEM("the same code again", &r, 409, NULL);
    h_resp_free(&r);
    CHECK_INT("one service of the code", count_code(w, w->code), 1);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", id);
    CHECK_INT("its creation is in the audit log",
              ha_count_where(w->db, "audit_log", "action = 'service.create' AND entity_id = $1",
                             idtext), 1);

    ha_call(w->s, &w->citizen, "GET", "/api/v1/services", NULL, &r);
    CHECK(find_code(json_object_get(r.json, "services"), w->code) != NULL,
          "a citizen sees the new service");
    h_resp_free(&r);

    /* changes: a bad one changes nothing, a good one shows */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/services/%ld", id);
    ha_call(w->s, &w->admin, "PATCH", path,
            "{\"title_en\":\"Renamed\",\"department\":\"no_such_department\"}", &r);
    CHECK_PROBLEM("a change to a department that does not exist", &r, 422, "department");
    h_resp_free(&r);
    ha_call(w->s, &w->admin, "PATCH", path, "{\"fields\":[{\"code\":\"Bad Code\"}]}", &r);
    CHECK_PROBLEM("a change to broken fields", &r, 422, "fields[0].code");
    h_resp_free(&r);
    ha_call(w->s, NULL, "GET", path, NULL, &r);
    CHECK_STR("the title after refused changes", json_string_value(json_object_get(r.json,
              "title_en")), "Test certificate");
    h_resp_free(&r);
    ha_call(w->s, &w->admin, "PATCH", path,
            "{\"title_en\":\"Renamed certificate\",\"target_hours\":12,\"active\":false}", &r);
    CHECK_INT("the admin changes and deactivates it", r.status, 200);
    CHECK_STR("the new title", json_string_value(json_object_get(r.json, "title_en")),
              "Renamed certificate");
    CHECK_INT("the new target", json_integer_value(json_object_get(r.json, "target_hours")), 12);
    CHECK_STR("the Greek title is kept", json_string_value(json_object_get(r.json, "title_el")),
              "Βεβαίωση δοκιμής");
    h_resp_free(&r);

    /* inactive: gone for everyone but admins */
    ha_call(w->s, NULL, "GET", path, NULL, &r);
    CHECK_PROBLEM("an inactive service, anonymously", &r, 404, NULL);
    h_resp_free(&r);
    ha_call(w->s, &w->citizen, "GET", "/api/v1/services", NULL, &r);
    CHECK(r.status == 200 && !find_code(json_object_get(r.json, "services"), w->code),
          "an inactive service is not in a citizen's list");
    h_resp_free(&r);
    ha_call(w->s, &w->admin, "GET", "/api/v1/services", NULL, &r);
    json_t *mine = find_code(json_object_get(r.json, "services"), w->code);
    CHECK(mine && json_is_false(json_object_get(mine, "active")),
          "the admin still lists it, inactive");
    h_resp_free(&r);
    ha_call(w->s, &w->admin, "GET", path, NULL, &r);
    CHECK_INT("the admin still reads it", r.status, 200);
    h_resp_free(&r);
    ha_call(w->s, &w->admin, "PATCH", "/api/v1/services/999999999", "{\"active\":true}", &r);
    CHECK_PROBLEM("a change of a service that does not exist", &r, 404, NULL);
    h_resp_free(&r);
    ha_call(w->s, &w->citizen, "PATCH", path, "{\"active\":true}", &r);
    CHECK_PROBLEM("a citizen may not change a service", &r, 403, NULL);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_services", 240);
    const char *url = h_shared_dburl();
    struct world w = {0};
    w.db = h_pg_connect(url);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000", NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    w.s = &s;
    snprintf(w.code, sizeof w.code, "test_service_%d", (int)getpid());
    if (ha_new_user(&s, w.db, "svc-admin", &w.admin) ||
        ha_new_user(&s, w.db, "svc-citizen", &w.citizen))
        return h_finish();
    ha_set_role(w.db, &w.admin, "admin", NULL);

    public_catalogue(&w);
    admin_writes(&w);

    PQfinish(w.db);
    return h_finish();
}
