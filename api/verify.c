/* GET /verify/{code}: what a document polis issued is, for anyone holding
 * it (no sign-in: its QR code opens this page on a phone). It shows what was
 * issued, by which municipality, when, to whom (masked: "Γ. Παπ*****") and
 * the SHA-256 of the signed file, so the holder can compare it with their
 * copy. Nothing else about the person or the application is shown.
 *
 * A small HTML page in Greek or English (?lang=, else Accept-Language, else
 * Greek), or the same as JSON for Accept: application/json. An unknown code
 * (or one we could never have made) is 404 in the same form. The route's
 * rate limit (RATE_RESET per client address, like the other public lookups
 * of a secret) makes trying codes slow; 80 random bits make it pointless. */
#include "api/verify.h"
#include "common/textbuf.h"
#include "http/accept_language.h"
#include "http/respond.h"
#include "services/issued_documents_sql.h"
#include "services/verification_code.h"

#include <stdlib.h>
#include <string.h>

struct verify_ask {
    const char *lang; /* el | en */
    int json;         /* Accept: application/json */
};

/* JSON when the client asks for it and not for HTML (a browser asks for
 * text/html first). */
static int wants_json(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT, -1);
    if (i < 0)
        return 0;
    const h2o_iovec_t *v = &req->headers.entries[i].value;
    const char *accept = h2o_mem_alloc_pool(&req->pool, v->len + 1);
    memcpy((char *)accept, v->base, v->len);
    ((char *)accept)[v->len] = '\0';
    return strstr(accept, "json") != NULL && strstr(accept, "text/html") == NULL;
}

/* ?lang= first, then the first of el/en in Accept-Language, then Greek. */
static const char *page_language(struct exchange *ex, const char *asked)
{
    if (asked)
        return asked;
    ssize_t i = h2o_find_header(&ex->req->headers, H2O_TOKEN_ACCEPT_LANGUAGE, -1);
    const h2o_iovec_t *v = i < 0 ? NULL : &ex->req->headers.entries[i].value;
    const char *picked = v ? accept_language_pick(v->base, v->len) : NULL;
    return picked ? picked : "el";
}

static void escaped(struct textbuf *t, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': textbuf_printf(t, "&amp;"); break;
        case '<': textbuf_printf(t, "&lt;"); break;
        case '>': textbuf_printf(t, "&gt;"); break;
        case '"': textbuf_printf(t, "&quot;"); break;
        case '\'': textbuf_printf(t, "&#39;"); break;
        default: textbuf_printf(t, "%c", *s);
        }
}

/* The page around body (already HTML), in lang; no script, no outside
 * resource. */
static void page(struct exchange *ex, int status, const char *lang, const char *title,
                 const char *body)
{
    const char *html = exchange_printf(
        ex,
        "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>%s</title></head>\n<body style=\"font-family: sans-serif; max-width: 40em; "
        "margin: 2em auto; padding: 0 1em\">\n<h1>%s</h1>\n%s\n<p><a href=\"?lang=%s\">%s</a>"
        "</p>\n</body></html>\n",
        lang, title, title, body, strcmp(lang, "en") ? "en" : "el",
        strcmp(lang, "en") ? "English" : "Ελληνικά");
    respond_private(ex->req);
    respond_header(ex->req, "vary", "Accept, Accept-Language");
    respond_bytes(ex->req, status, "text/html; charset=utf-8", html, strlen(html));
}

static void unknown(struct exchange *ex, const struct verify_ask *ask)
{
    if (ask->json) {
        respond_problem(ex->req, 404, "/problems/not-found", "Not Found", NULL,
                        "no document was issued with this verification code: expected the 16 "
                        "characters (A-Z, 2-7) printed on the document");
        return;
    }
    int en = !strcmp(ask->lang, "en");
    page(ex, 404, ask->lang, en ? "Unknown verification code" : "Άγνωστος κωδικός επαλήθευσης",
         en ? "<p>No document was issued with this verification code. Check the 16 "
              "characters (A-Z and 2-7) printed under the QR code of the document.</p>"
            : "<p>Δεν εκδόθηκε έγγραφο με αυτόν τον κωδικό επαλήθευσης. Ελέγξτε τους 16 "
              "χαρακτήρες (A-Z και 2-7) που είναι τυπωμένοι κάτω από τον κωδικό QR του "
              "εγγράφου.</p>");
}

static void row(struct textbuf *t, const char *label, const char *value, int code)
{
    textbuf_printf(t, "<tr><th style=\"text-align: left; padding-right: 1em\">%s</th><td%s>",
                   label, code ? " style=\"font-family: monospace; word-break: break-all\"" : "");
    escaped(t, value);
    textbuf_printf(t, "</td></tr>\n");
}

static void found(struct exchange *ex, PGresult *res)
{
    const struct verify_ask *ask = ex->handler_data;
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) != 1) {
        unknown(ex, ask);
        return;
    }
    if (ask->json) {
        respond_private(ex->req);
        respond_header(ex->req, "vary", "Accept, Accept-Language");
        respond_column(ex->req, 200, CT_JSON, res, ISSUED_DOCUMENT_VERIFY_JSON);
        return;
    }
    int en = !strcmp(ask->lang, "en");
    const char *kind = PQgetvalue(res, 0, ISSUED_DOCUMENT_VERIFY_KIND);
    int answer = !strcmp(kind, "answer");
    struct textbuf t = {0};
    textbuf_printf(&t, "<p>%s <strong>", en ? "This document was issued by" : "Το έγγραφο "
                   "εκδόθηκε από");
    escaped(&t, PQgetvalue(res, 0, ISSUED_DOCUMENT_VERIFY_MUNICIPALITY));
    textbuf_printf(&t, "</strong>%s</p>\n<table>\n",
                   en ? " and is recorded as follows." : " και είναι καταχωρισμένο ως εξής.");
    row(&t, en ? "Document" : "Έγγραφο", PQgetvalue(res, 0, ISSUED_DOCUMENT_VERIFY_TITLE), 0);
    row(&t, en ? "Kind" : "Είδος",
        answer ? (en ? "answer to an application" : "απάντηση σε αίτηση")
               : (en ? "receipt" : "απόδειξη"), 0);
    row(&t, en ? "Protocol number" : "Αριθμός πρωτοκόλλου",
        PQgetvalue(res, 0, ISSUED_DOCUMENT_VERIFY_PROTOCOL_NUMBER), 0);
    row(&t, en ? "Issued (Greek time)" : "Εκδόθηκε (ώρα Ελλάδας)",
        PQgetvalue(res, 0, ISSUED_DOCUMENT_VERIFY_ISSUED_AT), 0);
    row(&t, en ? "To" : "Προς", PQgetvalue(res, 0, ISSUED_DOCUMENT_VERIFY_ADDRESSEE), 0);
    row(&t, "SHA-256", PQgetvalue(res, 0, ISSUED_DOCUMENT_VERIFY_SHA256), 1);
    textbuf_printf(&t, "</table>\n<p>%s</p>",
                   en ? "Your copy is this document when its SHA-256 (e.g. <code>sha256sum "
                        "file.pdf</code>) is the one above. Its digital signature can be checked "
                        "in any PDF reader."
                      : "Το αντίγραφό σας είναι αυτό το έγγραφο όταν το SHA-256 του (π.χ. "
                        "<code>sha256sum αρχείο.pdf</code>) είναι το παραπάνω. Την ψηφιακή "
                        "υπογραφή του ελέγχει κάθε πρόγραμμα ανάγνωσης PDF.");
    page(ex, 200, ask->lang, en ? "Document verification" : "Επαλήθευση εγγράφου",
         exchange_strdup(ex, t.buf));
    free(t.buf);
}

void api_verify(struct exchange *ex)
{
    static const char *const allowed[] = {"lang", NULL};
    static const char *const langs[] = {"el", "en", NULL};
    struct verify_ask *ask = h2o_mem_alloc_pool(&ex->req->pool, sizeof *ask);
    const char *lang = NULL;
    params_allow_only(&ex->query, allowed);
    params_choice(&ex->query, "lang", langs, 0, &lang);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    ask->lang = page_language(ex, lang);
    ask->json = wants_json(ex->req);
    ex->handler_data = ask;
    const char *code = ex->path_params[0];
    if (!verification_code_valid(code)) { /* not one of ours: no query */
        unknown(ex, ask);
        return;
    }
    const char *args[ISSUED_DOCUMENT_VERIFY_NPARAMS] = {
        [ISSUED_DOCUMENT_VERIFY_P_CODE] = code,
        [ISSUED_DOCUMENT_VERIFY_P_LANG] = ask->lang,
    };
    exchange_query_prepared(ex, ISSUED_DOCUMENT_VERIFY_SQL, ISSUED_DOCUMENT_VERIFY_NPARAMS, args,
                            found);
}
