/* Files attached to applications (services/upload_check.c): whatever bytes
 * arrive, the check never crashes and says either what the file is (a
 * PDF with 1 to max_pages pages and an object of metadata, or a JPEG or
 * PNG that the document accepts) or why it is refused, in a message that
 * names the document. The same bytes as a sent file name give a kept name
 * that is valid UTF-8, fits its buffer, is no path and is not hidden, and
 * a Content-Disposition that is one header line. */
#include "services/upload_check.h"
#include "tests/fuzz/fuzz.h"

#include <glib.h>

static void check_file(const uint8_t *data, size_t size, unsigned allowed)
{
    struct upload_facts f;
    char err[512] = "";
    enum upload_verdict v = upload_check(data, size, allowed, 5, "doc_code", &f, err, sizeof err);
    if (v == UPLOAD_OK) {
        FUZZ_CHECK(f.kind != UPLOAD_UNKNOWN && (allowed & UPLOAD_KIND_BIT(f.kind)),
                   "an accepted kind %d not in %u", (int)f.kind, allowed);
        FUZZ_CHECK(json_is_object(f.metadata), "no metadata object");
        FUZZ_CHECK(f.kind == UPLOAD_PDF ? f.pages >= 1 && f.pages <= 5 : f.pages == 0,
                   "pages %ld for kind %d", f.pages, (int)f.kind);
        json_decref(f.metadata);
    } else {
        FUZZ_CHECK(f.metadata == NULL, "metadata on a refusal");
        FUZZ_CHECK(strstr(err, "\"doc_code\""), "a refusal that does not name the document: %s",
                   err);
    }
}

static void check_name(const char *in)
{
    char out[64], cd[UPLOAD_DISPOSITION_MAX];
    size_t n = upload_original_name(in, out, sizeof out);
    FUZZ_CHECK(n == strlen(out) && n < sizeof out, "length %zu of %s", n, out);
    FUZZ_CHECK(g_utf8_validate(out, -1, NULL), "not UTF-8: %s", out);
    FUZZ_CHECK(!strpbrk(out, "/\\\"\r\n"), "a separator, quote or line break: %s", out);
    FUZZ_CHECK(out[0] != '.' && out[0] != ' ', "a hidden or padded name: %s", out);
    upload_content_disposition(out, cd, sizeof cd);
    FUZZ_CHECK(!strpbrk(cd, "\r\n") && strlen(cd) < sizeof cd - 1,
               "a header that is not one line or was cut: %s", cd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_file(data, size, UPLOAD_KIND_BIT(UPLOAD_PDF) | UPLOAD_KIND_BIT(UPLOAD_JPEG) |
                               UPLOAD_KIND_BIT(UPLOAD_PNG));
    check_file(data, size, UPLOAD_KIND_BIT(UPLOAD_PNG));
    char *in = fuzz_cstr(data, size);
    check_name(in);
    free(in);
    return 0;
}
