/* Documents attached to an application, as the applicant and staff see
 * them: a citizen applying for the demo's family status certificate cannot
 * submit it before attaching the required identity card (422 naming it,
 * still a draft); a real PDF (made here with Cairo, with a title) and a PNG
 * are attached, listed with their page count and PDF title, shown on the
 * application, and downloaded byte for byte with their type, nosniff and
 * the original (Greek) name as an RFC 6266 attachment; then the submission
 * passes. Bad files are refused, naming the document, with neither a row
 * nor a file left: a text file called x.pdf sent as application/pdf (415),
 * a PDF over POLIS_UPLOAD_MAX_PAGES (422), a file over the document's
 * max_kb (413), a PDF where only images are accepted (415), an unknown
 * document code (422), another user's application (404), an upload or a
 * deletion after the submission (409). Staff of the department read the
 * files of the submitted application; others get 404. */
#include "../unit/photo_fixtures.h"
#include "h_accounts.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAGES 3 /* POLIS_UPLOAD_MAX_PAGES of the server */

enum { CIT_A, CIT_B, STAFF_RIGHT, STAFF_OTHER, ADMIN, NUSERS };

static struct h_server srv;
static PGconn *db;
static struct ha_user u[NUSERS];
static char var[64];

/* ---- fixtures ---- */

struct bytes {
    unsigned char *p;
    size_t len;
};

static cairo_status_t append(void *closure, const unsigned char *data, unsigned int len)
{
    struct bytes *b = closure;
    unsigned char *grown = realloc(b->p, b->len + len);
    if (!grown)
        return CAIRO_STATUS_NO_MEMORY;
    memcpy(grown + b->len, data, len);
    b->p = grown;
    b->len += len;
    return CAIRO_STATUS_SUCCESS;
}

/* A real PDF of pages pages with the given Title in its Info dictionary
 * (free b.p). */
static struct bytes make_pdf(int pages, const char *title)
{
    struct bytes b = {0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(append, &b, 595, 842);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = cairo_create(s);
    for (int i = 0; i < pages; i++) {
        cairo_move_to(cr, 72, 72);
        cairo_show_text(cr, "polis test page");
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    if (!b.len)
        h_fatal("cairo made no PDF");
    return b;
}

/* Stored files (temporaries too) under $POLIS_VAR/application-files. */
static long stored_files(void)
{
    char dir[128];
    snprintf(dir, sizeof dir, "%s/application-files", var);
    DIR *d = opendir(dir);
    long n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static long rows_of(long application)
{
    char id[32];
    snprintf(id, sizeof id, "%ld", application);
    return ha_count_where(db, "application_files", "application_id = $1::bigint", id);
}

static const char *files_path(long id, const char *tail)
{
    static char path[160];
    snprintf(path, sizeof path, "/api/v1/applications/%ld%s", id, tail);
    return path;
}

static long new_draft(const char *service_code, const char *answers)
{
    char *service = h_pg_value(db, "SELECT s.id FROM services s JOIN boundaries b"
                                   " ON b.id = s.municipality_id WHERE b.code = '9054'"
                                   " AND s.code = $1", 1, (const char *[]){service_code});
    if (!service)
        h_fatal("no demo service %s", service_code);
    char body[300];
    snprintf(body, sizeof body, "{\"service\":%s,\"answers\":%s}", service, answers);
    free(service);
    struct h_resp r;
    ha_call(&srv, &u[CIT_A], "POST", "/api/v1/applications", body, &r);
    CHECK(r.status == 201, "a draft: expected 201, found %ld %.200s", r.status, r.body);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    return id;
}

/* POST of data as the multipart part "file" called file_name, as u. */
static void upload_form(const struct ha_user *who, const char *path, const char *file_name,
                        const struct bytes *b, struct h_resp *r)
{
    const struct h_part part = {.name = "file", .file_name = file_name,
                                .data = (const char *)b->p, .len = b->len};
    ha_post_form(&srv, who, path, &part, 1, r);
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, data, len);
    sodium_bin2hex(out, 65, d, sizeof d);
}

/* The file of the list answer r whose document_code is code, or NULL. */
static json_t *listed(const struct h_resp *r, const char *member, const char *code)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r->json, member), i, f)
        if (!strcmp(json_string_value(json_object_get(f, "document_code")) ?: "", code))
            return f;
    return NULL;
}

/* ---- the refusals: each names the document and leaves nothing ---- */

static void refused(long id)
{
    long rows = rows_of(id), files = stored_files();
    struct h_resp r;
    const char *text = "This is not a PDF at all, just text pretending.\n";
    ha_upload(&srv, &u[CIT_A], files_path(id, "/files/id_card?name=x.pdf"), "application/pdf",
              text, strlen(text), &r);
    CHECK_PROBLEM("a text file named x.pdf sent as application/pdf", &r, 415, "file");
    CHECK_HAS("the refusal names the document", r.body, "id_card");
    CHECK_HAS("and says what the bytes are", r.body, "found text");
    h_resp_free(&r);

    struct bytes big = make_pdf(MAX_PAGES + 1, "too long");
    upload_form(&u[CIT_A], files_path(id, "/files/id_card"), "long.pdf", &big, &r);
    CHECK_PROBLEM("a PDF over the page limit", &r, 422, "file");
    CHECK_HAS("the refusal gives the pages", r.body, "4 pages");
    h_resp_free(&r);
    free(big.p);

    size_t huge = 5120 * 1024 + 1; /* id_card's max_kb is 5120 */
    char *zeros = calloc(1, huge);
    ha_upload(&srv, &u[CIT_A], files_path(id, "/files/id_card"), "application/pdf", zeros,
              huge, &r);
    CHECK_PROBLEM("a file over the document's max_kb", &r, 413, "file");
    CHECK_HAS("the refusal names the document", r.body, "id_card");
    h_resp_free(&r);
    free(zeros);

    ha_upload(&srv, &u[CIT_A], files_path(id, "/files/birth_certificate"), "image/png", fx_png,
              sizeof fx_png, &r);
    CHECK_PROBLEM("a document code the service does not ask for", &r, 422, "document_code");
    CHECK_HAS("the refusal names the code", r.body, "birth_certificate");
    h_resp_free(&r);

    ha_upload(&srv, &u[CIT_B], files_path(id, "/files/id_card"), "image/png", fx_png,
              sizeof fx_png, &r);
    CHECK_PROBLEM("another user's application", &r, 404, NULL);
    h_resp_free(&r);
    ha_upload(&srv, NULL, files_path(id, "/files/id_card"), "image/png", fx_png,
              sizeof fx_png, &r);
    CHECK_PROBLEM("anonymous", &r, 401, NULL);
    h_resp_free(&r);

    CHECK_INT("rows stored by refused uploads", rows_of(id), rows);
    CHECK_INT("files left by refused uploads", stored_files(), files);

    /* a PDF where the document takes only photos */
    long tree = new_draft("tree_cutting", "{}");
    struct bytes pdf = make_pdf(1, "tree");
    upload_form(&u[CIT_A], files_path(tree, "/files/photo"), "tree.pdf", &pdf, &r);
    CHECK_PROBLEM("a PDF for a document of JPEG or PNG", &r, 415, "file");
    CHECK_HAS("the refusal says what is accepted", r.body, "expected a JPEG or PNG file");
    h_resp_free(&r);
    free(pdf.p);
    CHECK_INT("rows of the tree application", rows_of(tree), 0);
    CHECK_INT("files left", stored_files(), files);
}

/* ---- attaching, reading, submitting ---- */

static void expect(const struct ha_user *who, const char *method, const char *path, long status,
                   const char *what)
{
    struct h_resp r;
    ha_call(&srv, who, method, path, NULL, &r);
    CHECK(r.status == status, "%s: expected %ld, found %ld %.200s", what, status, r.status,
          r.body);
    h_resp_free(&r);
}

static void attach_and_submit(long id)
{
    struct h_resp r;
    ha_call(&srv, &u[CIT_A], "POST", files_path(id, "/submit"), NULL, &r);
    CHECK_PROBLEM("a submission without the required document", &r, 422, "documents.id_card");
    CHECK_HAS("it says none is attached", r.body,
              "document \\\"id_card\\\" is required; none attached");
    h_resp_free(&r);
    ha_call(&srv, &u[CIT_A], "GET", files_path(id, ""), NULL, &r);
    CHECK_STR("the application is still a draft",
              json_string_value(json_object_get(r.json, "status")), "draft");
    h_resp_free(&r);

    /* a PDF, as a form's file part with a Greek name */
    struct bytes pdf = make_pdf(2, "Ταυτότητα Α. Παπαδόπουλου");
    upload_form(&u[CIT_A], files_path(id, "/files/id_card"), "scans/2026/Ταυτότητα μου.pdf", &pdf,
                &r);
    CHECK(r.status == 201, "a PDF: expected 201, found %ld %.300s", r.status, r.body);
    CHECK_STR("its type", json_string_value(json_object_get(r.json, "media_type")),
              "application/pdf");
    CHECK_INT("its pages", json_integer_value(json_object_get(r.json, "pages")), 2);
    CHECK_STR("its name as sent, without the sender's folders",
              json_string_value(json_object_get(r.json, "original_name")), "Ταυτότητα μου.pdf");
    long pdf_id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);

    /* a PNG as the raw body; its Content-Type lies, its bytes do not */
    ha_upload(&srv, &u[CIT_A], files_path(id, "/files/id_card?name=%22back%22.png"),
              "application/octet-stream", fx_png, sizeof fx_png, &r);
    CHECK(r.status == 201, "a PNG: expected 201, found %ld %.300s", r.status, r.body);
    CHECK_STR("its type", json_string_value(json_object_get(r.json, "media_type")), "image/png");
    CHECK(json_is_null(json_object_get(r.json, "pages")), "an image has no pages");
    CHECK_STR("its ?name=, quotes made safe",
              json_string_value(json_object_get(r.json, "original_name")), "_back_.png");
    CHECK_INT("its width", json_integer_value(json_object_get(
              json_object_get(r.json, "metadata"), "width")), 2);
    long png_id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    CHECK_INT("two rows", rows_of(id), 2);

    /* the listing keeps the metadata */
    ha_call(&srv, &u[CIT_A], "GET", files_path(id, "/files"), NULL, &r);
    CHECK_INT("the listing", r.status, 200);
    json_t *f = listed(&r, "files", "id_card");
    CHECK(json_array_size(json_object_get(r.json, "files")) == 2, "two files listed: %.300s",
          r.body);
    CHECK_STR("the PDF's title", json_string_value(json_object_get(
              json_object_get(f, "metadata"), "Title")), "Ταυτότητα Α. Παπαδόπουλου");
    char want[65];
    sha256_hex(pdf.p, pdf.len, want);
    CHECK_STR("the PDF's SHA-256", json_string_value(json_object_get(f, "sha256")), want);
    h_resp_free(&r);
    ha_call(&srv, &u[CIT_A], "GET", files_path(id, ""), NULL, &r);
    CHECK(json_array_size(json_object_get(r.json, "files")) == 2,
          "the application lists its files: %.300s", r.body);
    h_resp_free(&r);

    /* the download: the same bytes, as an attachment with its name */
    char tail[64];
    snprintf(tail, sizeof tail, "/files/%ld", pdf_id);
    ha_call(&srv, &u[CIT_A], "GET", files_path(id, tail), NULL, &r);
    CHECK_INT("the download", r.status, 200);
    CHECK_STR("its type", r.media_type, "application/pdf");
    char got[65];
    sha256_hex(r.body, r.len, got);
    CHECK_STR("the same bytes", got, want);
    char *nosniff = h_resp_header(&r, "x-content-type-options");
    CHECK_STR("nosniff", nosniff, "nosniff");
    free(nosniff);
    char *cd = h_resp_header(&r, "content-disposition");
    CHECK_HAS("an attachment with an ASCII name", cd ? cd : "", "attachment; filename=\"");
    CHECK_HAS("and the UTF-8 name, percent-encoded", cd ? cd : "",
              "filename*=UTF-8''%CE%A4%CE%B1");
    free(cd);
    h_resp_free(&r);
    free(pdf.p);

    /* the PNG goes again */
    snprintf(tail, sizeof tail, "/files/%ld", png_id);
    expect(&u[CIT_B], "DELETE", files_path(id, tail), 404, "another user deletes a file");
    long before = stored_files();
    expect(&u[CIT_A], "DELETE", files_path(id, tail), 204, "the applicant deletes the PNG");
    CHECK_INT("its file is gone", stored_files(), before - 1);
    CHECK_INT("one row left", rows_of(id), 1);

    /* now the submission passes */
    expect(&u[CIT_A], "POST", files_path(id, "/submit"), 200, "the submission");
    ha_upload(&srv, &u[CIT_A], files_path(id, "/files/id_card"), "image/png", fx_png,
              sizeof fx_png, &r);
    CHECK_PROBLEM("an upload after the submission (no information asked)", &r, 409, NULL);
    h_resp_free(&r);
    snprintf(tail, sizeof tail, "/files/%ld", pdf_id);
    expect(&u[CIT_A], "DELETE", files_path(id, tail), 409, "a deletion after the submission");
    CHECK_INT("still one row", rows_of(id), 1);

    /* who reads the submitted application's files */
    expect(&u[STAFF_RIGHT], "GET", files_path(id, "/files"), 200, "staff of the department");
    expect(&u[STAFF_RIGHT], "GET", files_path(id, tail), 200, "staff download it");
    expect(&u[ADMIN], "GET", files_path(id, tail), 200, "an admin downloads it");
    expect(&u[STAFF_OTHER], "GET", files_path(id, "/files"), 404, "staff of another department");
    expect(&u[STAFF_OTHER], "GET", files_path(id, tail), 404, "their download");
    expect(&u[CIT_B], "GET", files_path(id, "/files"), 404, "another citizen");
    expect(&u[CIT_B], "GET", files_path(id, tail), 404, "their download");
}

int main(void)
{
    h_init("test_application_files", 240);
    if (sodium_init() < 0)
        h_fatal("sodium_init failed");
    const char *url = h_shared_dburl();
    db = h_pg_connect(url);
    snprintf(var, sizeof var, "/tmp/polis-appfiles-XXXXXX");
    if (!mkdtemp(var))
        h_fatal("mkdtemp failed");
    char var_env[100];
    snprintf(var_env, sizeof var_env, "POLIS_VAR=%s", var);
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_USER_WRITE=0", "POLIS_UPLOAD_MAX_PAGES=3", var_env, NULL};
    if (h_server_start(&srv, url, env) != 0)
        return h_finish();
    static const struct {
        const char *tag, *role, *departments; /* role NULL: a citizen */
    } who[NUSERS] = {
        [CIT_A] = {"af-a", NULL, NULL}, [CIT_B] = {"af-b", NULL, NULL},
        [STAFF_RIGHT] = {"af-staff", "staff", "citizen_services"},
        [STAFF_OTHER] = {"af-other", "staff", "greenery"}, [ADMIN] = {"af-admin", "admin", NULL},
    };
    for (int i = 0; i < NUSERS; i++) {
        if (ha_new_user(&srv, db, who[i].tag, &u[i]))
            return h_finish();
        if (who[i].role)
            ha_set_role(db, &u[i], who[i].role, who[i].departments);
    }

    long id = new_draft("family_status", "{\"purpose\":\"bank\"}");
    refused(id);
    attach_and_submit(id);

    char *rm;
    h_run(&rm, "rm -rf '%s'", var);
    free(rm);
    PQfinish(db);
    return h_finish();
}
