/* Answer documents per second, for scripts/bench documents. Not part of
 * the product.
 *
 *   bench_documents KEY CERT N DIR
 *
 * On one thread, N times each: rendering alone (services/answer_pdf.c:
 * Cairo, Pango, the QR code), signing alone (services/pdf_sign.c, of one
 * rendered PDF), and the whole of answer_document_make (a new code,
 * rendering, signing, SHA-256, the file written durably under DIR/documents).
 * Leaves DIR/rendered.pdf (one rendered, unsigned document: what the
 * reference, `openssl cms -sign`, signs) and prints
 *   render_per_s=... sign_per_s=... issue_per_s=... bytes=... signed_bytes=... */
#include "common/stopwatch.h"
#include "services/answer_document.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const body[] = {
    "Βεβαιώνεται ότι ο/η ανωτέρω δεν έχει ληξιπρόθεσμες οφειλές προς τον Δήμο Σερρών κατά την "
    "ημερομηνία έκδοσης της παρούσας. Η βεβαίωση εκδίδεται ύστερα από αίτηση του/της "
    "ενδιαφερόμενου/ης για κάθε νόμιμη χρήση και ισχύει για ένα μήνα από την έκδοσή της.",
    "This certifies that the person named above owes nothing to the Municipality of Serres "
    "on the date of issue. It is issued at their request for any lawful use and is valid for "
    "one month.",
    "Ο Προϊστάμενος του Τμήματος Εσόδων"};

static struct answer_pdf document(void)
{
    return (struct answer_pdf){.municipality_el = "Δήμος Σερρών",
                               .municipality_en = "Municipality of Serres",
                               .title = "Βεβαίωση μη οφειλής",
                               .protocol_number = "1234/2026",
                               .date = "02/12/2026",
                               .addressee = "Γεώργιος Παπαδόπουλος",
                               .paragraphs = body,
                               .nparagraphs = 3,
                               .code = "ABCDEFGHIJKLMNOP",
                               .verify_url = "https://polis.example.gr/verify/ABCDEFGHIJKLMNOP"};
}

static void fail(const char *what, const char *err)
{
    fprintf(stderr, "bench_documents: %s: %s\n", what, err);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 5 || atoi(argv[3]) < 1) {
        fprintf(stderr, "usage: bench_documents KEY CERT N DIR\n");
        return 2;
    }
    int n = atoi(argv[3]);
    char err[512], path[4096], documents[4096];
    struct pdf_signer signer;
    if (pdf_signer_load(&signer, argv[1], argv[2], err, sizeof err))
        fail("the signing pair", err);
    struct answer_pdf doc = document();
    struct textbuf pdf = {0};

    struct timespec t0 = stopwatch_start();
    for (int i = 0; i < n; i++) {
        pdf.len = 0;
        if (answer_pdf_render(&doc, &pdf, err, sizeof err))
            fail("rendering", err);
    }
    double render_s = stopwatch_seconds(&t0);

    struct textbuf signed_pdf = {0};
    t0 = stopwatch_start();
    for (int i = 0; i < n; i++) {
        signed_pdf.len = 0;
        if (pdf_sign(&signer, pdf.buf, pdf.len, &signed_pdf, err, sizeof err))
            fail("signing", err);
    }
    double sign_s = stopwatch_seconds(&t0);

    snprintf(documents, sizeof documents, "%s/documents", argv[4]);
    struct answer_issuer is = {.signer = &signer, .documents_dir = documents,
                               .public_url = "https://polis.example.gr", .logo_png = ""};
    t0 = stopwatch_start();
    for (int i = 0; i < n; i++) {
        struct answer_document d = {.kind = "answer", .protocol_entry_id = 1, .pdf = document()};
        struct answer_issued out;
        if (answer_document_make(&is, &d, &out, err, sizeof err))
            fail("issuing", err);
    }
    double issue_s = stopwatch_seconds(&t0);

    snprintf(path, sizeof path, "%s/rendered.pdf", argv[4]);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(pdf.buf, 1, pdf.len, f) != pdf.len || fclose(f))
        fail(path, "cannot write");
    printf("render_per_s=%.1f sign_per_s=%.1f issue_per_s=%.1f bytes=%zu signed_bytes=%zu\n",
           n / render_s, n / sign_s, n / issue_s, pdf.len, signed_pdf.len);
    free(pdf.buf);
    free(signed_pdf.buf);
    pdf_signer_free(&signer);
    return 0;
}
