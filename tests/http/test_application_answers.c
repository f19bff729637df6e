/* Approving with an uploaded answer, and an application's history, as the
 * people involved see them (issue 17). Staff approve an application of a
 * service whose answer they upload: as multipart/form-data (part file, and
 * a comment) and as a raw application/pdf body with ?comment=. The answer
 * takes the next outgoing protocol number, is in the applicant's mailbox,
 * downloads byte for byte as sent (never rewritten: pdftotext still finds
 * its text) and /verify/{code} shows the SHA-256 of those bytes. Every
 * refusal leaves nothing (no file under POLIS_VAR/documents, no number
 * taken, still in progress): no file (422 naming file), a text called a PDF
 * (415), a PDF over POLIS_UPLOAD_MAX_PAGES (422), a body over
 * POLIS_UPLOAD_MAX_MB (413), an unexpected form part (422), the applicant
 * approving (403), a second approval (409), a file for a service whose
 * answer is generated (422 naming file). The answer is addressed to the
 * name the applicant's identity provider verified. The history lists every step in
 * order; staff see who acted and to whom it was assigned, the applicant
 * sees "the municipality" and no staff name. */
#include "h_accounts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STAFF_NAME "Ελένη Υπαλλήλου"
#define ANSWER_TEXT "Answer of the municipality"
#define VERIFIED_NAME "Μαρία Επαληθευμένη"

enum { CIT, STAFF, NUSERS };

static struct h_server srv;
static PGconn *db;
static struct ha_user u[NUSERS];
static const char *dir; /* h_temp_dir: the server's POLIS_VAR is dir/var */
static long uploaded_service, generated_service;

struct pdf {
    char *p;
    size_t len;
};

/* Appends printf-style text to b. */
static void put(struct pdf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct pdf *b, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    b->p = realloc(b->p, b->len + (size_t)k + 1);
    if (!b->p)
        h_fatal("out of memory");
    memcpy(b->p + b->len, line, (size_t)k + 1);
    b->len += (size_t)k;
}

/* A small real PDF of pages pages (at most 20), each showing text (free
 * b.p): its objects written with their offsets in the xref table, so
 * poppler reads it as is. */
static struct pdf make_pdf(int pages, const char *text)
{
    struct pdf b = {0};
    long offset[48];
    int n = 3 + 2 * pages; /* catalog, pages, font, then each page and its content */
    put(&b, "%%PDF-1.4\n");
    offset[1] = (long)b.len;
    put(&b, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    offset[2] = (long)b.len;
    put(&b, "2 0 obj << /Type /Pages /Count %d /Kids [", pages);
    for (int i = 0; i < pages; i++)
        put(&b, "%d 0 R ", 4 + 2 * i);
    put(&b, "] >> endobj\n");
    offset[3] = (long)b.len;
    put(&b, "3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
    for (int i = 0; i < pages; i++) {
        char stream[160];
        int len = snprintf(stream, sizeof stream, "BT /F1 14 Tf 72 720 Td (%s %d) Tj ET", text,
                           i + 1);
        offset[4 + 2 * i] = (long)b.len;
        put(&b, "%d 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources"
                " << /Font << /F1 3 0 R >> >> /Contents %d 0 R >> endobj\n", 4 + 2 * i,
            5 + 2 * i);
        offset[5 + 2 * i] = (long)b.len;
        put(&b, "%d 0 obj << /Length %d >>\nstream\n%s\nendstream endobj\n", 5 + 2 * i, len,
            stream);
    }
    long xref = (long)b.len;
    put(&b, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
    for (int i = 1; i <= n; i++)
        put(&b, "%010ld 00000 n \n", offset[i]);
    put(&b, "trailer << /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", n + 1, xref);
    return b;
}

static const char *path_of(long id, const char *tail)
{
    static char path[160];
    snprintf(path, sizeof path, "/api/v1/applications/%ld%s", id, tail);
    return path;
}

/* Files (temporaries too) under $POLIS_VAR/documents. */
static long stored_documents(void)
{
    char *out = NULL;
    h_run(&out, "ls -A '%s/var/documents' 2>/dev/null | wc -l", dir);
    long n = out ? atol(out) : -1;
    free(out);
    return n;
}

static long outgoing_numbers(long id)
{
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", id);
    return ha_count_where(db, "protocol_entries",
                          "application_id = $1::bigint AND direction = 'outgoing'", idtext);
}

static long service_of(const char *kind)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"code\":\"answers_%s_%d\",\"title_el\":\"Άδεια κοπής δέντρου\","
             "\"title_en\":\"Tree cutting permit\",\"description_el\":\"Άδεια.\","
             "\"description_en\":\"A permit.\",\"department\":\"citizen_services\","
             "\"applicants\":\"citizen\",\"target_hours\":24,\"answer_kind\":\"%s\","
             "\"fields\":[],\"documents\":[]}", kind, (int)getpid(), kind);
    return ha_make_service(&srv, db, "answers-admin", body);
}

/* A refused approval of id: status, naming param (NULL: any), nothing kept. */
static void refused(long id, struct h_resp *r, long status, const char *param, const char *what)
{
    CHECK_PROBLEM(what, r, status, param);
    h_resp_free(r);
    CHECK_INT("no document stored", stored_documents(), 0);
    CHECK_INT("no outgoing number taken", outgoing_numbers(id), 0);
    CHECK_STR("still in progress", ha_application_status(&srv, &u[CIT], id), "in_progress");
}

static void refusals(long id, long generated)
{
    struct h_resp r;
    struct pdf good = make_pdf(1, ANSWER_TEXT), long_pdf = make_pdf(3, ANSWER_TEXT);
    ha_call(&srv, &u[STAFF], "POST", path_of(id, "/approve"), "{}", &r);
    refused(id, &r, 422, "file", "a JSON approval of an uploaded-answer service");
    const struct h_part comment_only[] = {{.name = "comment", .value = "Εγκρίνεται"}};
    ha_post_form(&srv, &u[STAFF], path_of(id, "/approve"), comment_only, 1, &r);
    refused(id, &r, 422, "file", "a form without the part file");
    ha_upload(&srv, &u[STAFF], path_of(id, "/approve"), "application/pdf", "hello, not a PDF",
              16, &r);
    refused(id, &r, 415, "file", "a text sent as application/pdf");
    const struct h_part text_file[] = {{.name = "file", .file_name = "answer.pdf",
                                        .data = "just text", .len = 9}};
    ha_post_form(&srv, &u[STAFF], path_of(id, "/approve"), text_file, 1, &r);
    refused(id, &r, 415, "file", "a text as the form's file");
    const struct h_part too_long[] = {{.name = "file", .file_name = "long.pdf",
                                       .data = long_pdf.p, .len = long_pdf.len}};
    ha_post_form(&srv, &u[STAFF], path_of(id, "/approve"), too_long, 1, &r);
    refused(id, &r, 422, "file", "a PDF over POLIS_UPLOAD_MAX_PAGES");
    size_t big_len = 1024 * 1024 + 4096;
    char *big = calloc(1, big_len);
    memcpy(big, good.p, good.len);
    ha_upload(&srv, &u[STAFF], path_of(id, "/approve"), "application/pdf", big, big_len, &r);
    CHECK_HAS("the 413 names the limit", r.body, "POLIS_UPLOAD_MAX_MB");
    refused(id, &r, 413, NULL, "a body over POLIS_UPLOAD_MAX_MB");
    free(big);
    const struct h_part extra[] = {{.name = "file", .file_name = "a.pdf", .data = good.p,
                                    .len = good.len},
                                   {.name = "text", .value = "x"}};
    ha_post_form(&srv, &u[STAFF], path_of(id, "/approve"), extra, 2, &r);
    refused(id, &r, 422, "text", "a form part the approval does not take");
    const struct h_part file[] = {{.name = "file", .file_name = "a.pdf", .data = good.p,
                                   .len = good.len}};
    ha_post_form(&srv, &u[CIT], path_of(id, "/approve"), file, 1, &r);
    refused(id, &r, 403, NULL, "the applicant approves");
    ha_post_form(&srv, &u[STAFF], path_of(generated, "/approve"), file, 1, &r);
    CHECK_PROBLEM("a file for a generated answer", &r, 422, "file");
    CHECK_HAS("saying it is not expected", r.body, "not expected");
    h_resp_free(&r);
    CHECK_INT("no number for the generated one either", outgoing_numbers(generated), 0);
    free(good.p);
    free(long_pdf.p);
}

/* The answer downloaded is the one sent, and /verify shows its hash. */
static void check_answer(long id, const json_t *doc, const struct pdf *sent)
{
    char path[96], file[400], *out = NULL;
    const char *code = json_string_value(json_object_get(doc, "code")) ?: "";
    const char *sha = json_string_value(json_object_get(doc, "sha256")) ?: "";
    const char *number = json_string_value(json_object_get(doc, "protocol_number")) ?: "";
    CHECK_INT("one outgoing number", outgoing_numbers(id), 1);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", id);
    CHECK_INT("both entries of the book are addressed to the verified name",
              ha_count_where(db, "protocol_entries", "application_id = $1::bigint"
                             " AND correspondent = '" VERIFIED_NAME "'", idtext), 2);
    ha_fanout_settled(db); /* the mailbox entry is the fan-out job's (sql/050) */
    char *e = ha_application_entry(&srv, &u[CIT], id, "application_answer");
    CHECK(e && strstr(e, code) && strstr(e, number),
          "the answer is in the mailbox with its document: %s", e ? e : "nothing");
    free(e);
    snprintf(path, sizeof path, "/api/v1/documents/%lld",
             json_integer_value(json_object_get(doc, "id")));
    struct h_resp r;
    ha_call(&srv, &u[CIT], "GET", path, NULL, &r);
    CHECK_INT("the applicant downloads the answer", r.status, 200);
    CHECK_STR("a PDF", r.media_type, "application/pdf");
    CHECK(r.len == sent->len && !memcmp(r.body, sent->p, sent->len),
          "the download is the bytes sent (%zu bytes, %zu sent)", r.len, sent->len);
    snprintf(file, sizeof file, "%s/answer.pdf", dir);
    FILE *f = fopen(file, "wb");
    CHECK(f && fwrite(r.body, 1, r.len, f) == r.len && fclose(f) == 0, "saving %s", file);
    h_resp_free(&r);
    h_run(&out, "sha256sum '%s' | cut -c1-64 | tr -d '\\n'", file);
    CHECK_STR("the download's SHA-256 is the document's", out, sha);
    free(out);
    h_run(&out, "pdftotext '%s' - 2>&1", file);
    CHECK_HAS("pdftotext finds the answer's text", out, ANSWER_TEXT);
    free(out);
    ha_check_verified(&srv, code, sha, number);
}

static void approve_form(long id)
{
    struct pdf pdf = make_pdf(2, ANSWER_TEXT);
    const struct h_part parts[] = {{.name = "file", .file_name = "άδεια.pdf", .data = pdf.p,
                                    .len = pdf.len},
                                   {.name = "comment", .value = "Εγκρίνεται η άδεια"}};
    struct h_resp r;
    ha_post_form(&srv, &u[STAFF], path_of(id, "/approve"), parts, 2, &r);
    CHECK_INT("staff approve with the answer as a form", r.status, 200);
    CHECK_STR("approved", json_string_value(json_object_get(r.json, "status")), "approved");
    check_answer(id, json_object_get(r.json, "document"), &pdf);
    h_resp_free(&r);
    CHECK_INT("one document stored", stored_documents(), 1);
    ha_post_form(&srv, &u[STAFF], path_of(id, "/approve"), parts, 1, &r);
    CHECK_PROBLEM("a second approval", &r, 409, NULL);
    h_resp_free(&r);
    CHECK_INT("still one document", stored_documents(), 1);
    CHECK_INT("and one number", outgoing_numbers(id), 1);
    free(pdf.p);
}

static void approve_raw(long id)
{
    struct pdf pdf = make_pdf(1, ANSWER_TEXT);
    struct h_resp r;
    /* ?comment=Εντάξει */
    ha_upload(&srv, &u[STAFF],
              path_of(id, "/approve?comment=%CE%95%CE%BD%CF%84%CE%AC%CE%BE%CE%B5%CE%B9"),
              "application/pdf", pdf.p, pdf.len, &r);
    CHECK_INT("staff approve with the answer as the body", r.status, 200);
    check_answer(id, json_object_get(r.json, "document"), &pdf);
    h_resp_free(&r);
    free(pdf.p);
}

/* The history of id as who sees it: its kinds joined with ",". */
static void history(long id, const struct ha_user *who, char *kinds, size_t len,
                    struct h_resp *r)
{
    ha_call(&srv, who, "GET", path_of(id, ""), NULL, r);
    CHECK_INT("the application", r->status, 200);
    size_t i;
    json_t *h;
    kinds[0] = '\0';
    json_array_foreach(json_object_get(r->json, "history"), i, h) {
        size_t used = strlen(kinds);
        snprintf(kinds + used, len - used, "%s%s", used ? "," : "",
                 json_string_value(json_object_get(h, "kind")) ?: "?");
    }
}

static void check_history(long id)
{
    char kinds[256];
    struct h_resp r;
    history(id, &u[CIT], kinds, sizeof kinds, &r);
    CHECK_STR("the applicant sees every step in order", kinds, "submitted,assigned,approved");
    json_t *steps = json_object_get(r.json, "history");
    json_t *approved = json_array_get(steps, 2), *assigned = json_array_get(steps, 1);
    CHECK_STR("the approval's comment", json_string_value(json_object_get(approved, "comment")),
              "Εγκρίνεται η άδεια");
    CHECK_STR("its status", json_string_value(json_object_get(approved, "status")), "approved");
    json_t *doc = json_object_get(approved, "document");
    CHECK(json_integer_value(json_object_get(doc, "id")) > 0,
          "the approval names its document: %.300s", r.body);
    CHECK_STR("an answer", json_string_value(json_object_get(doc, "kind")), "answer");
    CHECK_STR("by the municipality", json_string_value(json_object_get(json_object_get(approved,
              "by"), "kind")), "municipality");
    CHECK_STR("the submission by the applicant", json_string_value(json_object_get(
              json_object_get(json_array_get(steps, 0), "by"), "kind")), "applicant");
    CHECK(!strstr(r.body, STAFF_NAME), "the applicant sees no staff name: %.600s", r.body);
    CHECK(json_object_get(assigned, "assignee") == NULL ||
              json_is_null(json_object_get(assigned, "assignee")),
          "nor the assignee");
    h_resp_free(&r);
    history(id, &u[STAFF], kinds, sizeof kinds, &r);
    CHECK_STR("staff see the same steps", kinds, "submitted,assigned,approved");
    steps = json_object_get(r.json, "history");
    CHECK_STR("and who approved it", json_string_value(json_object_get(json_object_get(
              json_array_get(steps, 2), "by"), "name")), STAFF_NAME);
    CHECK_STR("and whom it was assigned to", json_string_value(json_object_get(json_object_get(
              json_array_get(steps, 1), "assignee"), "name")), STAFF_NAME);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_application_answers", 240);
    h_require_tool("pdftotext");
    dir = h_temp_dir("answers");
    const char *url = h_shared_dburl();
    h_use_database(url);
    db = h_pg_connect(url);
    static char var[400];
    snprintf(var, sizeof var, "POLIS_VAR=%s/var", dir);
    const char *env[] = {var, "POLIS_UPLOAD_MAX_MB=1", "POLIS_UPLOAD_MAX_PAGES=2",
                         "POLIS_RATE_RESET=100000", NULL};
    if (h_server_start(&srv, url, env) != 0)
        h_fatal("no server");
    const char *tags[NUSERS] = {"answers-cit", "answers-staff"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&srv, db, tags[i], &u[i]))
            h_fatal("no user %s", tags[i]);
    ha_set_role(db, &u[STAFF], "staff", "citizen_services");
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", u[STAFF].id);
    PQclear(PQexecParams(db, "UPDATE users SET display_name = '" STAFF_NAME "'"
                         " WHERE id = $1::bigint", 1, NULL, (const char *[]){idtext}, NULL,
                         NULL, 0));
    /* the applicant signed in with an identity provider once (sql/047): the
     * answer is addressed to the name it verified */
    snprintf(idtext, sizeof idtext, "%ld", u[CIT].id);
    PQclear(PQexecParams(db, "INSERT INTO user_identities (user_id, issuer, subject, label,"
                         " verified_name) VALUES ($1::bigint, 'https://idp.test', 'sub-' || $1,"
                         " 'TAXISnet', '" VERIFIED_NAME "')", 1, NULL, (const char *[]){idtext},
                         NULL, NULL, 0));
    uploaded_service = service_of("uploaded");
    generated_service = service_of("generated");

    long id = ha_apply(&srv, &u[CIT], uploaded_service);
    long generated = ha_apply(&srv, &u[CIT], generated_service);
    char body[96];
    snprintf(body, sizeof body, "{\"assignee\":%ld}", u[STAFF].id);
    CHECK_INT("staff assign it", ha_status(&srv, &u[STAFF], "POST", path_of(id, "/assign"),
              body), 200);
    refusals(id, generated);
    approve_form(id);
    check_history(id);
    long second = ha_apply(&srv, &u[CIT], uploaded_service);
    approve_raw(second);

    PQfinish(db);
    return h_finish();
}
