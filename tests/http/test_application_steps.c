/* Processing an application as its people see it (issue 17): a citizen
 * with a Greek name applies; staff of the service's department assign it
 * (not to staff of another department), ask for more (a comment is
 * required), the citizen answers, staff approve it: the signed answer is in
 * the citizen's mailbox, downloadable by them (and staff), pdftotext finds
 * the Greek name and the outgoing protocol number in it, pdfsig validates
 * it, and /verify/{code} shows the SHA-256 of the very bytes downloaded.
 * A second approval is 409; a rejection needs a reason; another citizen
 * gets 404 for every step and for the document; a server without a signer
 * answers 503 to an approval and changes nothing (no number taken). Every
 * step leaves a history and an audit row. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME "Γεώργιος Παπαδόπουλος"

enum { CIT, CIT_B, STAFF, STAFF_OTHER, NUSERS };

static struct h_server srv, unsigned_srv;
static PGconn *db;
static struct ha_user u[NUSERS];
static char dir[] = "/tmp/polis_test_steps_XXXXXX";
static long service;

static const char *path_of(long id, const char *tail)
{
    static char path[96];
    snprintf(path, sizeof path, "/api/v1/applications/%ld%s", id, tail);
    return path;
}

static void expect(const struct h_server *s, const struct ha_user *who, const char *method,
                   const char *path, const char *body, long status, const char *what)
{
    struct h_resp r;
    ha_call(s, who, method, path, body, &r);
    CHECK(r.status == status, "%s: expected %ld, found %ld %.300s", what, status, r.status,
          r.body);
    h_resp_free(&r);
}

/* A POST as who answered with a problem of status naming param (NULL: any). */
static void expect_problem(const struct ha_user *who, const char *path, const char *body,
                           long status, const char *param, const char *what)
{
    struct h_resp r;
    ha_call(&srv, who, "POST", path, body, &r);
    CHECK_PROBLEM(what, &r, status, param);
    h_resp_free(&r);
}

/* A submitted application of CIT; its id. */
static long apply(void)
{
    return ha_apply(&srv, &u[CIT], service);
}

static void make_service(void)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"code\":\"steps_%d\",\"title_el\":\"Βεβαίωση μόνιμης κατοικίας\","
             "\"title_en\":\"Certificate of residence\","
             "\"description_el\":\"Βεβαιώνεται ότι ο αιτών κατοικεί μόνιμα στον Δήμο.\","
             "\"description_en\":\"The applicant lives in the municipality.\","
             "\"department\":\"citizen_services\",\"applicants\":\"citizen\","
             "\"target_hours\":24,\"answer_kind\":\"generated\",\"fields\":[],"
             "\"documents\":[]}", (int)getpid());
    service = ha_make_service(&srv, db, "steps-admin", body);
}

/* The entry of kind about application id in who's mailbox (malloc'd JSON), or NULL. */
/* The receipt in the mailbox soon after the submission: a signed PDF with
 * the application's incoming number (no new number taken). */
static void receipt(long id)
{
    struct h_resp r;
    ha_call(&srv, &u[CIT], "GET", path_of(id, ""), NULL, &r);
    char number[32];
    snprintf(number, sizeof number, "%s",
             json_string_value(json_object_get(r.json, "protocol_number")) ?: "?");
    h_resp_free(&r);
    char *e = NULL;
    for (int i = 0; i < 300 && !e; i++) {
        e = ha_application_entry(&srv, &u[CIT], id, "application_receipt");
        if (!e)
            usleep(100 * 1000);
    }
    CHECK(e != NULL, "a receipt in the mailbox within 30 s of the submission");
    json_t *entry = e ? json_loads(e, 0, NULL) : NULL;
    json_t *doc = json_object_get(entry, "document");
    CHECK_STR("its number is the submission's", json_string_value(json_object_get(doc,
              "protocol_number")), number);
    char path[96], file[400];
    snprintf(path, sizeof path, "/api/v1/documents/%lld",
             json_integer_value(json_object_get(doc, "id")));
    snprintf(file, sizeof file, "%s/receipt.pdf", dir);
    ha_call(&srv, &u[CIT], "GET", path, NULL, &r);
    CHECK_INT("the applicant downloads the receipt", r.status, 200);
    FILE *f = fopen(file, "wb");
    CHECK(f && fwrite(r.body, 1, r.len, f) == r.len && fclose(f) == 0, "saving %s", file);
    h_resp_free(&r);
    char *out = NULL;
    h_run(&out, "pdftotext '%s' - 2>&1; pdfsig '%s' 2>&1", file, file);
    CHECK_HAS("the receipt names the applicant", out, NAME);
    CHECK_HAS("and the incoming number", out, number);
    CHECK_HAS("and is signed", out, "Signature is Valid.");
    free(out);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", id);
    CHECK_INT("no outgoing number for a receipt", ha_count_where(db, "protocol_entries",
              "application_id = $1::bigint AND direction = 'outgoing'", idtext), 0);
    json_decref(entry);
    free(e);
}

static const char *status_of(long id)
{
    return ha_application_status(&srv, &u[CIT], id);
}

/* Whom who's queue at path shows application id assigned to: its id, 0
 * for nobody, -1 when the queue does not list it. */
static long queue_assignee(const struct ha_user *who, const char *path, long id)
{
    json_t *a = ha_list_item(&srv, who, path, "applications", "id", json_integer(id));
    long found = a ? (long)json_integer_value(json_object_get(json_object_get(a, "assignee"), "id"))
                   : -1;
    json_decref(a);
    return found;
}

static int queue_lists(const struct ha_user *who, const char *path, long id)
{
    return queue_assignee(who, path, id) >= 0;
}

/* The member assignee of application id as who reads it: its id, 0 for
 * null, -1 when the member is absent. */
static long read_assignee(const struct ha_user *who, long id)
{
    struct h_resp r;
    ha_call(&srv, who, "GET", path_of(id, ""), NULL, &r);
    json_t *m = json_object_get(r.json, "assignee");
    long v = !m ? -1 : json_integer_value(json_object_get(m, "id"));
    h_resp_free(&r);
    return v;
}

/* The staff's own queue: ?assignee=me or a user id. */
static void queue(long id)
{
    char path[128];
    CHECK_INT("the assignee's queue (assignee=me) lists it, assigned to them",
              queue_assignee(&u[STAFF],
                             "/api/v1/applications?assignee=me&status=in_progress&limit=100", id),
              u[STAFF].id);
    CHECK_INT("staff read whom it is assigned to", read_assignee(&u[STAFF], id), u[STAFF].id);
    CHECK(read_assignee(&u[CIT], id) <= 0, "the applicant is not told which employee has it");
    snprintf(path, sizeof path, "/api/v1/applications?assignee=%ld&limit=100", u[STAFF].id);
    CHECK(queue_lists(&u[STAFF], path, id), "assignee=<id> lists it");
    snprintf(path, sizeof path, "/api/v1/applications?assignee=%ld&limit=100", u[CIT].id);
    CHECK(!queue_lists(&u[STAFF], path, id), "another assignee's queue does not");
    struct h_resp r;
    ha_call(&srv, &u[STAFF], "GET", "/api/v1/applications?assignee=someone", NULL, &r);
    CHECK_PROBLEM("an assignee that is neither me nor an id", &r, 400, "assignee");
    h_resp_free(&r);
}

static void assign_and_ask(long id)
{
    char body[128];
    struct h_resp r;
    expect(&srv, &u[CIT], "POST", path_of(id, "/assign"), "{\"assignee\":null}", 403,
           "the applicant assigns it");
    expect(&srv, &u[CIT_B], "POST", path_of(id, "/assign"), "{\"assignee\":null}", 403,
           "another citizen assigns it");
    expect(&srv, &u[STAFF_OTHER], "POST", path_of(id, "/assign"), "{\"assignee\":null}", 404,
           "staff of another department assign it");
    snprintf(body, sizeof body, "{\"assignee\":%ld}", u[STAFF_OTHER].id);
    expect_problem(&u[STAFF], path_of(id, "/assign"), body, 422, "assignee", "an assignee of another department");
    expect_problem(&u[STAFF], path_of(id, "/assign"), "{}", 422, "assignee", "no assignee");
    CHECK_STR("refused assignments change nothing", status_of(id), "submitted");
    snprintf(body, sizeof body, "{\"assignee\":%ld,\"comment\":\"Αναλαμβάνω\"}", u[STAFF].id);
    ha_call(&srv, &u[STAFF], "POST", path_of(id, "/assign"), body, &r);
    CHECK_INT("staff assign it to themselves", r.status, 200);
    CHECK_STR("it is in progress", json_string_value(json_object_get(r.json, "status")),
              "in_progress");
    h_resp_free(&r);
    CHECK(!ha_application_entry(&srv, &u[CIT], id, "application_assigned"),
          "the applicant is not told of the assignment");
    queue(id);

    expect_problem(&u[STAFF], path_of(id, "/request-info"), "{}", 422, "comment", "a request for more without a comment");
    expect(&srv, &u[CIT], "POST", path_of(id, "/request-info"), "{\"comment\":\"x\"}", 403,
           "the applicant asks for more");
    ha_call(&srv, &u[STAFF], "POST", path_of(id, "/request-info"),
            "{\"comment\":\"Χρειάζεται αντίγραφο ταυτότητας\",\"documents\":[\"id_card\"]}", &r);
    CHECK_INT("staff ask for one more document", r.status, 200);
    CHECK_STR("it waits for the applicant", json_string_value(json_object_get(r.json, "status")),
              "info_requested");
    h_resp_free(&r);
    ha_fanout_settled(db); /* the mailbox entry is the fan-out job's (sql/050) */
    char *e = ha_application_entry(&srv, &u[CIT], id, "application_info_requested");
    CHECK(e && strstr(e, "Χρειάζεται αντίγραφο ταυτότητας") && strstr(e, "id_card"),
          "the mailbox shows the request with its comment: %s", e ? e : "nothing");
    free(e);
    expect(&srv, &u[STAFF], "POST", path_of(id, "/approve"), "{}", 409,
           "an approval while waiting for the applicant");

    expect(&srv, &u[CIT_B], "POST", path_of(id, "/respond"), "{}", 404,
           "another citizen answers");
    expect(&srv, &u[STAFF], "POST", path_of(id, "/respond"), "{}", 403, "staff answer");
    ha_call(&srv, &u[CIT], "POST", path_of(id, "/respond"), "{\"comment\":\"Το επισύναψα\"}",
            &r);
    CHECK_INT("the applicant answers", r.status, 200);
    CHECK_STR("back in progress", json_string_value(json_object_get(r.json, "status")),
              "in_progress");
    h_resp_free(&r);
    expect(&srv, &u[CIT], "POST", path_of(id, "/respond"), "{}", 409, "a second answer");
}

/* No signer: 503, nothing changed, no number taken. */
static void approve_unsigned(long id)
{
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", id);
    struct h_resp r;
    ha_call(&unsigned_srv, &u[STAFF], "POST", path_of(id, "/approve"), "{}", &r);
    CHECK_PROBLEM("an approval on a server without a signer", &r, 503, NULL);
    CHECK_HAS("saying why", r.body, "signing is not configured");
    h_resp_free(&r);
    CHECK_STR("still in progress", status_of(id), "in_progress");
    CHECK_INT("no outgoing number taken", ha_count_where(db, "protocol_entries",
              "application_id = $1::bigint AND direction = 'outgoing'", idtext), 0);
}

static void check_document(long doc_id, const char *code, const char *number,
                           const char *sha256)
{
    char path[96], file[400];
    snprintf(path, sizeof path, "/api/v1/documents/%ld", doc_id);
    snprintf(file, sizeof file, "%s/answer.pdf", dir);
    struct h_resp r;
    ha_call(&srv, &u[CIT], "GET", path, NULL, &r);
    CHECK_INT("the applicant downloads the answer", r.status, 200);
    CHECK_STR("a PDF", r.media_type, "application/pdf");
    char *sniff = h_resp_header(&r, "x-content-type-options");
    CHECK_STR("never sniffed", sniff, "nosniff");
    free(sniff);
    char *disp = h_resp_header(&r, "content-disposition"), want[64];
    long n = 0;
    int y = 0;
    sscanf(number, "%ld/%d", &n, &y);
    snprintf(want, sizeof want, "protocol-%ld-%d.pdf", n, y);
    CHECK_HAS("saved under its protocol number", disp ? disp : "", want);
    free(disp);
    FILE *f = fopen(file, "wb");
    CHECK(f && fwrite(r.body, 1, r.len, f) == r.len && fclose(f) == 0, "saving %s", file);
    h_resp_free(&r);
    char *out = NULL;
    h_run(&out, "sha256sum '%s' | cut -c1-64 | tr -d '\\n'", file);
    CHECK_STR("the downloaded bytes are the issued ones", out, sha256);
    free(out);
    h_run(&out, "pdftotext '%s' - 2>&1", file);
    CHECK_HAS("pdftotext finds the Greek name", out, NAME);
    CHECK_HAS("pdftotext finds the outgoing protocol number", out, number);
    CHECK_HAS("and the paragraph staff wrote", out, "Η αίτηση εγκρίνεται");
    free(out);
    h_run(&out, "pdfsig '%s' 2>&1", file);
    CHECK_HAS("pdfsig validates it", out, "Signature is Valid.");
    free(out);
    ha_check_verified(&srv, code, sha256, number);
    snprintf(path, sizeof path, "/api/v1/documents/%ld", doc_id);
    expect(&srv, &u[STAFF], "GET", path, NULL, 200, "staff of the department download it");
    expect(&srv, &u[CIT_B], "GET", path, NULL, 404, "another citizen downloads it");
    expect(&srv, &u[STAFF_OTHER], "GET", path, NULL, 404, "staff of another department");
    expect(&srv, NULL, "GET", path, NULL, 401, "anonymous");
    expect(&srv, &u[CIT], "GET", "/api/v1/documents/999999999", NULL, 404, "no such document");
}

static void approve(long id)
{
    struct h_resp r;
    expect(&srv, &u[CIT], "POST", path_of(id, "/approve"), "{}", 403, "the applicant approves");
    expect(&srv, &u[STAFF_OTHER], "POST", path_of(id, "/approve"), "{}", 404,
           "staff of another department approve");
    expect_problem(&u[STAFF], path_of(id, "/approve"), "{\"text\":[]}", 422, "text", "an empty body text");
    ha_call(&srv, &u[STAFF], "POST", path_of(id, "/approve"),
            "{\"comment\":\"Εγκρίθηκε\",\"text\":[\"Η αίτηση εγκρίνεται.\","
            "\"Με εκτίμηση.\"]}", &r);
    CHECK_INT("staff approve it", r.status, 200);
    CHECK_STR("approved", json_string_value(json_object_get(r.json, "status")), "approved");
    json_t *doc = json_object_get(r.json, "document");
    long doc_id = (long)json_integer_value(json_object_get(doc, "id"));
    char code[32], number[32], sha[80];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(doc, "code")) ?: "");
    snprintf(number, sizeof number, "%s",
             json_string_value(json_object_get(doc, "protocol_number")) ?: "");
    snprintf(sha, sizeof sha, "%s", json_string_value(json_object_get(doc, "sha256")) ?: "");
    CHECK(doc_id > 0 && strlen(code) == 16 && strlen(sha) == 64 && strchr(number, '/'),
          "the answer names its document: %.400s", r.body);
    h_resp_free(&r);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", id);
    CHECK_INT("its number is an outgoing entry of the book", ha_count_where(db,
              "protocol_entries", "application_id = $1::bigint AND direction = 'outgoing'",
              idtext), 1);
    ha_fanout_settled(db); /* its mailbox entry and mail */
    char *e = ha_application_entry(&srv, &u[CIT], id, "application_answer");
    CHECK(e && strstr(e, code) && strstr(e, number),
          "the answer is in the mailbox with its document: %s", e ? e : "nothing");
    free(e);
    CHECK_INT("a mail tells the applicant of the answer (own_applications: immediate)",
              ha_count_where(db, "outbox", "recipient = $1 AND subject LIKE"
                             " 'Απάντηση στην αίτησή σας %'", u[CIT].email), 1);
    CHECK_INT("and of the request for more", ha_count_where(db, "outbox", "recipient = $1 AND"
              " subject LIKE 'Χρειάζονται συμπληρώματα%'", u[CIT].email), 1);
    CHECK_INT("the receipt, the request and the answer: not the assignment nor their own answer", ha_count_where(db, "outbox",
              "recipient = $1 AND subject LIKE '%αίτησ%'", u[CIT].email), 3);
    expect(&srv, &u[STAFF], "POST", path_of(id, "/approve"), "{}", 409, "a second approval");
    expect(&srv, &u[STAFF], "POST", path_of(id, "/reject"), "{\"reason\":\"x\"}", 409,
           "a rejection after the approval");
    check_document(doc_id, code, number, sha);
    CHECK_INT("the history of every step", ha_count_where(db, "application_history",
              "application_id = $1::bigint AND event IN ('assigned', 'info_requested',"
              " 'info_given', 'approved')", idtext), 4);
    CHECK_INT("the history row of the approval names the document", ha_count_where(db,
              "application_history", "application_id = $1::bigint AND event = 'approved'"
              " AND document_id IS NOT NULL", idtext), 1);
    CHECK_INT("an audit row for every step", ha_count_where(db, "audit_log",
              "entity = 'application' AND entity_id = $1 AND action IN ('application.assigned',"
              " 'application.info_requested', 'application.info_given', 'application.approve')",
              idtext), 4);
}

static void reject(void)
{
    long id = apply();
    struct h_resp r;
    expect_problem(&u[STAFF], path_of(id, "/reject"), "{}", 422, "reason", "a rejection without a reason");
    expect(&srv, &u[CIT_B], "POST", path_of(id, "/reject"), "{\"reason\":\"x\"}", 403,
           "another citizen rejects it");
    ha_call(&srv, &u[STAFF], "POST", path_of(id, "/reject"),
            "{\"reason\":\"Δεν είστε δημότης\"}", &r);
    CHECK_INT("staff reject it", r.status, 200);
    CHECK_STR("rejected", json_string_value(json_object_get(r.json, "status")), "rejected");
    h_resp_free(&r);
    ha_fanout_settled(db);
    char *e = ha_application_entry(&srv, &u[CIT], id, "application_rejected");
    CHECK(e && strstr(e, "Δεν είστε δημότης"), "the mailbox gives the reason: %s",
          e ? e : "nothing");
    free(e);
    ha_call(&srv, &u[STAFF], "POST", path_of(id, "/approve"), "{}", &r);
    CHECK_PROBLEM("an approval after the rejection", &r, 409, NULL);
    CHECK_HAS("naming the status", r.body, "rejected");
    h_resp_free(&r);
    expect(&srv, &u[CIT_B], "POST", path_of(id, "/respond"), "{}", 404,
           "another citizen answers a rejected one");
}

int main(void)
{
    h_init("test_application_steps", 240);
    h_require_tool("pdfsig");
    h_require_tool("pdftotext");
    const char *url = h_shared_dburl();
    db = h_pg_connect(url);
    if (!mkdtemp(dir))
        h_fatal("mkdtemp");
    h_use_database(url);
    char *made = NULL;
    CHECK_INT("polis signing demo-cert",
              h_run(&made, "'%s' signing demo-cert '%s' 2>&1", h_env("POLIS_BIN"), dir), 0);
    free(made);
    /* a key configured but unusable: serve refuses to start, naming the setting */
    char *refused = NULL;
    int rc = h_run(&refused, "POLIS_LISTEN=127.0.0.1:1 POLIS_SIGNING_KEY='%s/signing-cert.pem'"
                             " POLIS_SIGNING_CERT='%s/signing-cert.pem' timeout 60 '%s' serve 2>&1",
                   dir, dir, h_env("POLIS_BIN"));
    CHECK(rc != 0 && rc != 124 && refused && strstr(refused, "POLIS_SIGNING_KEY"),
          "serve with a certificate given as the key: exit %d, %.300s", rc,
          refused ? refused : "(no output)");
    free(refused);
    static char key[400], cert[400], var[400];
    snprintf(key, sizeof key, "POLIS_SIGNING_KEY=%s/signing-key.pem", dir);
    snprintf(cert, sizeof cert, "POLIS_SIGNING_CERT=%s/signing-cert.pem", dir);
    snprintf(var, sizeof var, "POLIS_VAR=%s/var", dir);
    const char *env[] = {key, cert, var, "POLIS_RATE_RESET=100000", NULL};
    if (h_server_start(&srv, url, env) != 0 ||
        h_server_start(&unsigned_srv, url, (const char *[]){var, NULL}) != 0)
        h_fatal("no server");
    const char *tags[NUSERS] = {"steps-cit", "steps-cit-b", "steps-staff", "steps-other"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&srv, db, tags[i], &u[i]))
            h_fatal("no user %s", tags[i]);
    ha_set_role(db, &u[STAFF], "staff", "citizen_services");
    ha_set_role(db, &u[STAFF_OTHER], "staff", "greenery");
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", u[CIT].id);
    PQclear(PQexecParams(db, "UPDATE users SET display_name = '" NAME "' WHERE id = $1::bigint",
                         1, NULL, (const char *[]){idtext}, NULL, NULL, 0));
    make_service();

    long id = apply();
    receipt(id);
    assign_and_ask(id);
    approve_unsigned(id);
    approve(id);
    reject();

    char *gone = NULL;
    h_run(&gone, "rm -rf '%s'", dir);
    free(gone);
    PQfinish(db);
    return h_finish();
}
