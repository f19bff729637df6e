/* Applying for an e-service as its users see it: a citizen saves a draft
 * of a demo certificate's form, edits it and submits it; the submission
 * answers with its protocol number N/YYYY, lands in the applicant's mailbox
 * (kind application_received) and in the queue of the service's department.
 * Bad input (an unknown service, a field of the wrong type, a missing
 * required field, a business without a valid tax number) is a 4xx naming
 * the member, with nothing stored. A draft is its applicant's alone;
 * another citizen, and staff of another department, get 404 for a
 * submitted one too. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CIT_A, CIT_B, STAFF_RIGHT, STAFF_OTHER, ADMIN, NUSERS };

static struct h_server srv;
static PGconn *db;
static struct ha_user u[NUSERS];
static char family[32], space[32], no_debts[32]; /* demo service ids */

static void service_id(const char *code, char *out, size_t len)
{
    char *id = h_pg_value(db, "SELECT s.id FROM services s JOIN boundaries b"
                              " ON b.id = s.municipality_id WHERE b.code = '9054'"
                              " AND s.code = $1", 1, (const char *[]){code});
    if (!id)
        h_fatal("no demo service %s", code);
    snprintf(out, len, "%s", id);
    free(id);
}

static long applications_of(const struct ha_user *who)
{
    return ha_count_of(db, "applications", "user_id", who);
}

/* A call whose answer is checked to be status; returns the id member. */
static long call_id(const struct ha_user *who, const char *method, const char *path,
                    const char *body, long status, struct h_resp *r)
{
    ha_call(&srv, who, method, path, body, r);
    CHECK(r->status == status, "%s %s: expected %ld, found %ld %.300s", method, path, status,
          r->status, r->body);
    return (long)json_integer_value(json_object_get(r->json, "id"));
}

static void bad_input(void)
{
    long before = applications_of(&u[CIT_A]);
    struct h_resp r;
    static const struct {
        const char *what, *body, *param;
    } cases[] = {
        {"an unknown service", "{\"service\":999999999,\"answers\":{}}", "service"},
        {"no service", "{\"answers\":{}}", "service"},
        {"a service given as text", "{\"service\":\"family_status\"}", "service"},
        {"a field of the wrong type", "{\"service\":%s,\"answers\":{\"copies\":\"two\"}}",
         "answers.copies"},
        {"a value not in the list", "{\"service\":%s,\"answers\":{\"purpose\":\"moon\"}}",
         "answers.purpose"},
        {"a field the form does not have", "{\"service\":%s,\"answers\":{\"nope\":1}}",
         "answers.nope"},
        {"answers that are not an object", "{\"service\":%s,\"answers\":[1]}", "answers"},
        {"a new application that is not a draft", "{\"service\":%s,\"status\":\"submitted\"}",
         "status"},
        {"a business for a certificate of persons",
         "{\"service\":%s,\"applicant_kind\":\"business\",\"tax_number\":\"094019282\"}",
         "applicant_kind"},
        {"a tax number of a person", "{\"service\":%s,\"tax_number\":\"094019282\"}",
         "tax_number"},
        {"an unknown member", "{\"service\":%s,\"notes\":\"x\"}", "notes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[400];
        snprintf(body, sizeof body, cases[i].body, family);
        ha_call(&srv, &u[CIT_A], "POST", "/api/v1/applications", body, &r);
        CHECK_PROBLEM(cases[i].what, &r, 422, cases[i].param);
        h_resp_free(&r);
    }
    /* a business's tax number must pass its check digit */
    char body[400];
    snprintf(body, sizeof body, "{\"service\":%s,\"applicant_kind\":\"business\","
             "\"tax_number\":\"094019281\",\"business_name\":\"Καφέ\"}", space);
    ha_call(&srv, &u[CIT_A], "POST", "/api/v1/applications", body, &r);
    CHECK_PROBLEM("a tax number with a wrong check digit", &r, 422, "tax_number");
    h_resp_free(&r);
    snprintf(body, sizeof body, "{\"service\":%s,\"applicant_kind\":\"citizen\"}", space);
    ha_call(&srv, &u[CIT_A], "POST", "/api/v1/applications", body, &r);
    CHECK_PROBLEM("a person applying for a service of businesses", &r, 422, "applicant_kind");
    h_resp_free(&r);
    ha_call(&srv, NULL, "POST", "/api/v1/applications", "{\"service\":1}", &r);
    CHECK_PROBLEM("an anonymous application", &r, 401, NULL);
    h_resp_free(&r);
    CHECK_INT("applications stored by refused requests", applications_of(&u[CIT_A]), before);
}

/* The path of application id, with a tail ("" or "/submit"). */
static const char *path_of(long id, const char *tail)
{
    static char path[96];
    snprintf(path, sizeof path, "/api/v1/applications/%ld%s", id, tail);
    return path;
}

/* 1 when the list answer r (member "applications") holds application id */
static int lists(const struct h_resp *r, long id)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(r->json, "applications"), i, a)
        if (json_integer_value(json_object_get(a, "id")) == id)
            return 1;
    return 0;
}

/* Marks document code of application id as attached, straight in SQL:
 * submissions need their required documents (uploads themselves are
 * test_application_files's). */
static void attach(long id, const char *code)
{
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", id);
    char *row = h_pg_value(db, "INSERT INTO application_files (application_id, document_code,"
                               " original_name, media_type, bytes, sha256, metadata, file_name,"
                               " uploaded_while) VALUES ($1::bigint, $2, 'scan.png', 'image/png',"
                               " 1, repeat('0', 64), '{}', md5(random()::text) || '.png', 'draft')"
                               " RETURNING id", 2, (const char *[]){idtext, code});
    CHECK(row != NULL, "attaching %s to application %ld", code, id);
    free(row);
}

static void expect_status(const struct ha_user *who, const char *method, const char *path,
                          const char *body, long status, const char *what)
{
    struct h_resp r;
    ha_call(&srv, who, method, path, body, &r);
    CHECK(r.status == status, "%s: expected %ld, found %ld %.200s", what, status, r.status,
          r.body);
    h_resp_free(&r);
}

static void draft_edit_submit(void)
{
    char body[600];
    struct h_resp r;
    snprintf(body, sizeof body, "{\"service\":%s,\"status\":\"draft\","
             "\"answers\":{\"purpose\":\"bank\"}}", family);
    long id = call_id(&u[CIT_A], "POST", "/api/v1/applications", body, 201, &r);
    CHECK_STR("a new application", json_string_value(json_object_get(r.json, "status")), "draft");
    CHECK(json_is_null(json_object_get(r.json, "protocol_number")), "a draft has no number");
    json_t *docs = json_object_get(r.json, "required_documents");
    CHECK_STR("the documents it will need",
              json_string_value(json_object_get(json_array_get(docs, 0), "code")), "id_card");
    h_resp_free(&r);

    /* nobody else sees or touches a draft */
    for (int who = CIT_B; who < NUSERS; who++)
        expect_status(&u[who], "GET", path_of(id, ""), NULL, 404, "another reads a draft");
    expect_status(&u[CIT_B], "PATCH", path_of(id, ""), "{\"answers\":{}}", 404,
                  "another citizen edits it");
    expect_status(&u[CIT_B], "POST", path_of(id, "/submit"), NULL, 404,
                  "another citizen submits it");

    /* edits: a bad one changes nothing */
    ha_call(&srv, &u[CIT_A], "PATCH", path_of(id, ""),
            "{\"answers\":{\"purpose\":\"abroad\",\"copies\":\"two\"}}", &r);
    CHECK_PROBLEM("an edit with a field of the wrong type", &r, 422, "answers.copies");
    h_resp_free(&r);
    ha_call(&srv, &u[CIT_A], "PATCH", path_of(id, ""),
            "{\"answers\":{\"purpose\":\"abroad\",\"copies\":2}}", &r);
    CHECK_INT("an edit", r.status, 200);
    CHECK_STR("the edited answer", json_string_value(json_object_get(
              json_object_get(r.json, "answers"), "purpose")), "abroad");
    h_resp_free(&r);

    /* submitting a draft that lacks a required answer: refused, nothing taken */
    snprintf(body, sizeof body, "{\"service\":%s}", family);
    long incomplete = call_id(&u[CIT_A], "POST", "/api/v1/applications", body, 201, &r);
    h_resp_free(&r);
    ha_call(&srv, &u[CIT_A], "POST", path_of(incomplete, "/submit"), NULL, &r);
    CHECK_PROBLEM("a submission without a required field", &r, 422, "answers.purpose");
    h_resp_free(&r);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", incomplete);
    CHECK_INT("no protocol entry for it",
              ha_count_where(db, "protocol_entries", "application_id = $1::bigint", idtext), 0);

    /* the submission */
    attach(id, "id_card");
    ha_call(&srv, &u[CIT_A], "POST", path_of(id, "/submit"), NULL, &r);
    CHECK_INT("the submission", r.status, 200);
    CHECK_STR("its status", json_string_value(json_object_get(r.json, "status")), "submitted");
    const char *number = json_string_value(json_object_get(r.json, "protocol_number"));
    long n = 0;
    int y = 0;
    CHECK(number && sscanf(number, "%ld/%d", &n, &y) == 2 && n > 0 && y >= 2026,
          "a protocol number N/YYYY: found %s", number ? number : "none");
    char *num = strdup(number ? number : "");
    CHECK(json_is_string(json_object_get(r.json, "due_at")), "a deadline from the target time");
    CHECK_STR("its department", json_string_value(json_object_get(r.json, "department")),
              "citizen_services");
    h_resp_free(&r);
    snprintf(idtext, sizeof idtext, "%ld", id);
    CHECK_INT("its history row", ha_count_where(db, "application_history",
              "application_id = $1::bigint AND from_status = 'draft'"
              " AND to_status = 'submitted'", idtext), 1);
    CHECK_INT("its protocol entry, incoming by the web", ha_count_where(db, "protocol_entries",
              "application_id = $1::bigint AND channel = 'web' AND direction = 'incoming'",
              idtext), 1);
    char *entry = ha_application_entry(&srv, &u[CIT_A], id, NULL);
    CHECK(entry && strstr(entry, "\"kind\":\"application_received\"") && strstr(entry, num),
          "the mailbox tells the applicant the number %s: %s", num, entry ? entry : "nothing");
    free(entry);
    free(num);

    /* a submitted application no longer changes */
    expect_status(&u[CIT_A], "PATCH", path_of(id, ""), "{\"answers\":{\"purpose\":\"bank\"}}",
                  409, "an edit after the submission");
    expect_status(&u[CIT_A], "POST", path_of(id, "/submit"), NULL, 409, "a second submission");

    /* who reads it now */
    expect_status(&u[CIT_A], "GET", path_of(id, ""), NULL, 200, "the applicant");
    expect_status(&u[STAFF_RIGHT], "GET", path_of(id, ""), NULL, 200,
                  "staff of the service's department");
    expect_status(&u[ADMIN], "GET", path_of(id, ""), NULL, 200, "an admin");
    expect_status(&u[CIT_B], "GET", path_of(id, ""), NULL, 404, "another citizen");
    expect_status(&u[STAFF_OTHER], "GET", path_of(id, ""), NULL, 404,
                  "staff of another department");

    /* the department's queue */
    char path[128];
    snprintf(path, sizeof path, "/api/v1/applications?service=%s&status=submitted&limit=100",
             family);
    ha_call(&srv, &u[STAFF_RIGHT], "GET", path, NULL, &r);
    CHECK_INT("the department's queue", r.status, 200);
    CHECK(lists(&r, id), "the submission is in its department's queue");
    CHECK(!lists(&r, incomplete), "a draft is in no queue");
    h_resp_free(&r);
    ha_call(&srv, &u[STAFF_OTHER], "GET", path, NULL, &r);
    CHECK(r.status == 200 && !lists(&r, id), "another department's queue does not hold it");
    h_resp_free(&r);
    ha_call(&srv, &u[STAFF_RIGHT], "GET", "/api/v1/applications?status=draft", NULL, &r);
    CHECK_PROBLEM("a queue of drafts", &r, 400, "status");
    h_resp_free(&r);
    expect_status(&u[CIT_A], "GET", "/api/v1/applications", NULL, 403, "a citizen's queue");

    /* my applications */
    ha_call(&srv, &u[CIT_A], "GET", "/api/v1/me/applications", NULL, &r);
    CHECK(r.status == 200 && lists(&r, id) && lists(&r, incomplete),
          "the applicant lists both, the draft too");
    h_resp_free(&r);
    ha_call(&srv, &u[CIT_B], "GET", "/api/v1/me/applications", NULL, &r);
    CHECK(r.status == 200 && !lists(&r, id), "another citizen does not");
    h_resp_free(&r);
}

static void business(void)
{
    char body[700];
    struct h_resp r;
    snprintf(body, sizeof body,
             "{\"service\":%s,\"tax_number\":\"094019282\",\"business_name\":\"Καφέ Η Πλατεία\","
             "\"answers\":{\"address\":\"Πλατεία Ελευθερίας 1\",\"area_m2\":24,"
             "\"use\":\"tables_chairs\",\"starts\":\"2026-05-01T09:00:00+03:00\","
             "\"ends\":\"2026-09-30T23:00:00+03:00\"}}", space);
    long id = call_id(&u[CIT_B], "POST", "/api/v1/applications", body, 201, &r);
    CHECK_STR("a business's application (the kind the service takes)",
              json_string_value(json_object_get(r.json, "applicant_kind")), "business");
    h_resp_free(&r);
    ha_call(&srv, &u[CIT_B], "PATCH", path_of(id, ""), "{\"tax_number\":\"12345678\"}", &r);
    CHECK_PROBLEM("a tax number of eight digits", &r, 422, "tax_number");
    h_resp_free(&r);
    attach(id, "layout_plan");
    attach(id, "insurance");
    ha_call(&srv, &u[CIT_B], "POST", path_of(id, "/submit"), NULL, &r);
    CHECK_INT("the business submits", r.status, 200);
    h_resp_free(&r);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", id);
    CHECK_INT("the protocol names the business and its tax number",
              ha_count_where(db, "protocol_entries", "application_id = $1::bigint AND"
                             " correspondent = 'Καφέ Η Πλατεία (ΑΦΜ 094019282)'", idtext), 1);

    /* a business with no tax number may save a draft, not submit it */
    snprintf(body, sizeof body, "{\"service\":%s,\"applicant_kind\":\"business\"}", no_debts);
    id = call_id(&u[CIT_B], "POST", "/api/v1/applications", body, 201, &r);
    h_resp_free(&r);
    ha_call(&srv, &u[CIT_B], "POST", path_of(id, "/submit"), NULL, &r);
    CHECK_PROBLEM("a business without its tax number submits", &r, 422, "tax_number");
    CHECK_PROBLEM("nor its name", &r, 422, "business_name");
    CHECK_PROBLEM("nor the required answer", &r, 422, "answers.purpose");
    h_resp_free(&r);
    /* becoming a person drops the business's members */
    ha_call(&srv, &u[CIT_B], "PATCH", path_of(id, ""),
            "{\"applicant_kind\":\"citizen\",\"answers\":{\"purpose\":\"a loan\"}}", &r);
    CHECK(r.status == 200 && json_is_null(json_object_get(r.json, "tax_number")),
          "the draft now of a person: %ld %.200s", r.status, r.body);
    h_resp_free(&r);
    expect_status(&u[CIT_B], "POST", path_of(id, "/submit"), NULL, 200, "the person submits");
}

int main(void)
{
    h_init("test_applications", 240);
    const char *url = h_shared_dburl();
    db = h_pg_connect(url);
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_USER_WRITE=0", NULL};
    if (h_server_start(&srv, url, env) != 0)
        return h_finish();
    static const char *const tags[NUSERS] = {"app-a", "app-b", "app-staff", "app-other",
                                             "app-admin"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&srv, db, tags[i], &u[i]))
            return h_finish();
    ha_set_role(db, &u[STAFF_RIGHT], "staff", "citizen_services");
    ha_set_role(db, &u[STAFF_OTHER], "staff", "greenery");
    ha_set_role(db, &u[ADMIN], "admin", NULL);
    service_id("family_status", family, sizeof family);
    service_id("public_space_use", space, sizeof space);
    service_id("no_debts", no_debts, sizeof no_debts);

    bad_input();
    draft_edit_submit();
    business();

    PQfinish(db);
    return h_finish();
}
