/* An issued document checked the way its holder checks it: staff register
 * an outgoing protocol entry; answer_document_issue (what the approval of
 * an application calls) renders the answer with a Greek name, signs it with
 * a key and certificate from `polis signing demo-cert` (the certificate's
 * CN read from the served municipality), stores the file and records it.
 * Then, as anyone would: pdfsig says the stored file's signature is valid,
 * the QR code on its page (zbarimg) is this server's /verify/{code}, and
 * that page (HTML, Greek or English; JSON on request) shows the title, the
 * protocol number and the SHA-256 of the very file, with the addressee
 * masked and no other personal data. An unknown or malformed code is 404 in
 * the same form, bad parameters 400; a document whose printed number is not
 * its entry's is refused and leaves no file and no row. */
#include "h_accounts.h"
#include "services/answer_document.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME "Γεώργιος Παπαδόπουλος"
#define MASKED "Γ. Παπ*****"

static struct h_server srv;
static PGconn *db;
static char dir[] = "/tmp/polis_test_verify_XXXXXX";
static char documents[300];

struct entry {
    long id;
    char number[32];
    char date[16];
};

/* An outgoing entry registered by staff, as the approval step will. */
static void outgoing_entry(struct ha_user *staff, struct entry *e)
{
    struct h_resp r;
    ha_call(&srv, staff, "POST", "/api/v1/protocol",
            "{\"direction\":\"outgoing\",\"subject\":\"Βεβαίωση μη οφειλής\","
            "\"correspondent\":\"" NAME "\",\"channel\":\"post\"}", &r);
    CHECK_INT("staff register the outgoing entry", r.status, 201);
    e->id = (long)json_integer_value(json_object_get(r.json, "id"));
    snprintf(e->number, sizeof e->number, "%s",
             json_string_value(json_object_get(r.json, "protocol_number")) ?: "");
    const char *date = json_string_value(json_object_get(r.json, "date")) ?: "";
    /* printed as DD/MM/YYYY */
    snprintf(e->date, sizeof e->date, "%.2s/%.2s/%.4s", date + 8, date + 5, date);
    h_resp_free(&r);
}

static void document_of(struct answer_document *d, const struct entry *e, const char *number)
{
    static const char *const body[] = {
        "Βεβαιώνεται ότι ο ανωτέρω δεν έχει ληξιπρόθεσμες οφειλές προς τον Δήμο Σερρών."};
    memset(d, 0, sizeof *d);
    d->kind = "answer";
    d->protocol_entry_id = e->id;
    d->pdf = (struct answer_pdf){.municipality_el = "Δήμος Σερρών",
                                 .municipality_en = "Municipality of Serres",
                                 .title = "Βεβαίωση μη οφειλής",
                                 .protocol_number = number,
                                 .date = e->date,
                                 .addressee = NAME,
                                 .paragraphs = body,
                                 .nparagraphs = 1};
}

static void check_json(const char *code, const struct answer_issued *out, const struct entry *e)
{
    char path[64];
    snprintf(path, sizeof path, "/verify/%s", code);
    struct h_resp r;
    h_request(&srv, "GET", path, (const char *[]){"Accept: application/json", NULL}, NULL, &r);
    CHECK_INT("the check as JSON", r.status, 200);
    CHECK_STR("its media type", r.media_type, "application/json");
    CHECK_STR("the SHA-256 of the stored file",
              json_string_value(json_object_get(r.json, "sha256")), out->sha256);
    CHECK_STR("the addressee, masked", json_string_value(json_object_get(r.json, "addressee")),
              MASKED);
    CHECK_STR("the protocol number",
              json_string_value(json_object_get(r.json, "protocol_number")), e->number);
    CHECK_STR("the title", json_string_value(json_object_get(r.json, "title")),
              "Βεβαίωση μη οφειλής");
    CHECK_STR("the issuer", json_string_value(json_object_get(
                                json_object_get(r.json, "municipality"), "name_el")),
              "Δήμος Σερρών");
    CHECK(json_string_value(json_object_get(r.json, "issued_at")) != NULL,
          "when it was issued: %.300s", r.body);
    static const char *const members[] = {"code", "kind", "title", "protocol_number",
                                          "issued_at", "addressee", "sha256", "bytes",
                                          "municipality"};
    CHECK_INT("nothing but these members", json_object_size(r.json),
              sizeof members / sizeof members[0]);
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
        CHECK(json_object_get(r.json, members[i]) != NULL, "member %s: %.300s", members[i],
              r.body);
    CHECK(!strstr(r.body, "Παπαδόπουλος"), "no full name in the JSON: %.300s", r.body);
    h_resp_free(&r);
}

static void check_pages(const char *code, const struct answer_issued *out, const struct entry *e)
{
    char path[64];
    snprintf(path, sizeof path, "/verify/%s", code);
    struct h_resp r;
    h_get(&srv, path, &r);
    CHECK_INT("the page", r.status, 200);
    CHECK_STR("its media type", r.media_type, "text/html");
    CHECK_HAS("in Greek by default", r.body, "Επαλήθευση εγγράφου");
    CHECK_HAS("the page shows the hash", r.body, out->sha256);
    CHECK_HAS("the page shows the number", r.body, e->number);
    CHECK_HAS("the page shows the masked name", r.body, MASKED);
    CHECK(!strstr(r.body, "Παπαδόπουλος"), "no full name in the page");
    h_resp_free(&r);
    char en[96];
    snprintf(en, sizeof en, "%s?lang=en", path);
    h_get(&srv, en, &r);
    CHECK_HAS("?lang=en", r.body, "Document verification");
    CHECK_HAS("the issuer in English", r.body, "Serres");
    h_resp_free(&r);
    h_request(&srv, "GET", path, (const char *[]){"Accept-Language: en-GB,en;q=0.8", NULL},
              NULL, &r);
    CHECK_HAS("Accept-Language: en", r.body, "Document verification");
    h_resp_free(&r);
}

static void check_unknown(void)
{
    struct h_resp r;
    h_get(&srv, "/verify/AAAAAAAAAAAAAAAA", &r);
    CHECK_INT("an unknown code", r.status, 404);
    CHECK_STR("in the same page style", r.media_type, "text/html");
    CHECK_HAS("saying so", r.body, "Άγνωστος κωδικός επαλήθευσης");
    h_resp_free(&r);
    h_request(&srv, "GET", "/verify/AAAAAAAAAAAAAAAA",
              (const char *[]){"Accept: application/json", NULL}, NULL, &r);
    CHECK_PROBLEM("an unknown code as JSON", &r, 404, NULL);
    h_resp_free(&r);
    h_get(&srv, "/verify/not-a-code%27%3B", &r);
    CHECK_INT("a code we could never have made", r.status, 404);
    h_resp_free(&r);
    static const struct {
        const char *path, *what, *param;
    } bad[] = {
        {"/verify/AAAAAAAAAAAAAAAA?lang=de", "a language we do not have", "lang"},
        {"/verify/AAAAAAAAAAAAAAAA?name=x", "an unknown parameter", "name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        h_get(&srv, bad[i].path, &r);
        CHECK_PROBLEM(bad[i].what, &r, 400, bad[i].param);
        h_resp_free(&r);
    }
}

/* A printed number that is not its entry's: refused, nothing left. */
static void check_refused(const struct answer_issuer *is, const struct entry *e)
{
    struct answer_document d;
    struct answer_issued out;
    char err[512] = "";
    document_of(&d, e, "999999/1999");
    CHECK_INT("a document whose number is not its entry's",
              answer_document_issue(db, is, &d, &out, err, sizeof err), -1);
    CHECK_HAS("the reason", err, "999999/1999");
    CHECK(access(out.path[0] ? out.path : "/nonexistent", F_OK) != 0, "its file is removed");
    CHECK_INT("no row", ha_count_where(db, "issued_documents", "code = $1", out.code), 0);
}

int main(void)
{
    h_init("test_verify", 240);
    h_require_tool("pdfsig");
    h_require_tool("pdftoppm");
    h_require_tool("zbarimg");
    const char *url = h_shared_dburl();
    db = h_pg_connect(url);
    const char *env[] = {"POLIS_RATE_RESET=100000", NULL};
    if (!mkdtemp(dir) || h_server_start(&srv, url, env) != 0)
        h_fatal("no server");
    snprintf(documents, sizeof documents, "%s/documents", dir);
    struct ha_user staff;
    ha_new_user(&srv, db, "verify-staff", &staff);
    ha_set_role(db, &staff, "staff", "citizen_services");

    /* the demo pair, its CN from the served municipality's row */
    h_use_database(url);
    char *made = NULL;
    CHECK_INT("polis signing demo-cert",
              h_run(&made, "'%s' signing demo-cert '%s' 2>&1", h_env("POLIS_BIN"), dir), 0);
    CHECK_HAS("its CN is the municipality's name", made, "CN=Δήμος Σερρών");
    free(made);
    char key[400], cert[400], err[512] = "";
    snprintf(key, sizeof key, "%s/signing-key.pem", dir);
    snprintf(cert, sizeof cert, "%s/signing-cert.pem", dir);
    struct pdf_signer signer;
    if (pdf_signer_load(&signer, key, cert, err, sizeof err))
        h_fatal("the demo pair: %s", err);

    struct entry e;
    outgoing_entry(&staff, &e);
    struct answer_issuer is = {.signer = &signer, .documents_dir = documents,
                               .public_url = srv.base, .logo_png = ""};
    struct answer_document d;
    struct answer_issued out;
    document_of(&d, &e, e.number);
    if (answer_document_issue(db, &is, &d, &out, err, sizeof err))
        h_fatal("issuing: %s", err);
    char *sum = NULL;
    h_run(&sum, "sha256sum '%s' | cut -c1-64 | tr -d '\\n'", out.path);
    CHECK_STR("the recorded SHA-256 is the stored file's", sum, out.sha256);
    free(sum);
    char *sig = NULL;
    h_run(&sig, "pdfsig '%s' 2>&1", out.path);
    CHECK_HAS("pdfsig on the stored file", sig, "Signature Validation: Signature is Valid.");
    free(sig);
    char *qr = NULL, expected[200];
    h_run(&qr, "cd '%s' && pdftoppm -png -r 100 -f 1 -l 1 '%s' page >/dev/null 2>&1 && "
               "zbarimg -q --raw page-1.png 2>/dev/null | tr -d '\\n'", dir, out.path);
    snprintf(expected, sizeof expected, "%s/verify/%s", srv.base, out.code);
    CHECK_STR("the QR code on the page", qr, expected);
    free(qr);

    check_json(out.code, &out, &e);
    check_pages(out.code, &out, &e);
    check_unknown();
    check_refused(&is, &e);

    pdf_signer_free(&signer);
    char *gone = NULL;
    h_run(&gone, "rm -rf '%s'", dir);
    free(gone);
    PQfinish(db);
    return h_finish();
}
