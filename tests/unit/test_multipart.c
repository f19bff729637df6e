/* multipart/form-data parsing: what a browser, curl or a hand-made client
 * sends, and the broken bodies a client must get a clear 400 (or 413) for. */
#include "check.h"
#include "http/multipart.h"

#include <stdlib.h>

static char err[512];

static int boundary_of(const char *ct, char *out)
{
    return multipart_boundary(ct, strlen(ct), out, MULTIPART_BOUNDARY_MAX + 1, err, sizeof err);
}

static void test_boundary(void)
{
    char b[MULTIPART_BOUNDARY_MAX + 1];
    CHECK_INT(boundary_of("multipart/form-data; boundary=abc123", b), 1);
    CHECK_STR(b, "abc123");
    CHECK_INT(boundary_of("Multipart/Form-Data;boundary=\"a b:c\"; charset=utf-8", b), 1);
    CHECK_STR(b, "a b:c");
    CHECK_INT(boundary_of("multipart/form-data; charset=utf-8; BOUNDARY=x", b), 1);
    CHECK_STR(b, "x");
    CHECK_INT(boundary_of("multipart/form-data; boundary=\"q\\\"uote\"", b), 1);
    CHECK_STR(b, "q\"uote");
    /* other types: 0 (the caller answers 415) */
    CHECK_INT(boundary_of("application/json", b), 0);
    CHECK_INT(boundary_of("multipart/form-dataX; boundary=a", b), 0);
    CHECK_INT(boundary_of("multipart/mixed; boundary=a", b), 0);
    CHECK_INT(boundary_of("", b), 0);
    /* form-data without a usable boundary: -1 with a reason */
    CHECK_INT(boundary_of("multipart/form-data", b), -1);
    CHECK(strstr(err, "boundary") != NULL);
    CHECK_INT(boundary_of("multipart/form-data; boundary=", b), -1);
    CHECK_INT(boundary_of("multipart/form-data; boundary=\"unterminated", b), -1);
    CHECK_INT(boundary_of("multipart/form-data; boundary=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", b), -1); /* 73 > 70 */
}

static enum multipart_status parse(const char *body, size_t max, struct multipart *mp)
{
    return multipart_parse(body, strlen(body), "XyZ", max, mp, err, sizeof err);
}

static void test_parts(void)
{
    static struct multipart mp;
    const char *body = "preamble is ignored\r\n"
                       "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"name\"\r\n"
                       "\r\n"
                       "roads\r\n"
                       "--XyZ\r\n"
                       "content-disposition: form-data; name=file; filename=\"Δρόμοι \\\"1\\\".zip\"\r\n"
                       "Content-Type: application/zip\r\n"
                       "\r\n"
                       "PK\r\n--not the boundary\r\n\r\nend\r\n"
                       "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"empty\"\r\n"
                       "\r\n"
                       "\r\n"
                       "--XyZ--\r\n"
                       "epilogue too";
    CHECK_INT(parse(body, 1000, &mp), MULTIPART_OK);
    CHECK_INT(mp.n, 3);
    const struct multipart_part *p = multipart_get(&mp, "name");
    CHECK(p && p->len == 5 && !memcmp(p->data, "roads", 5) && p->filename == NULL);
    p = multipart_get(&mp, "file");
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->filename, "Δρόμοι \"1\".zip");
        CHECK_STR(p->content_type, "application/zip");
        /* CRLFs and "--" inside the data are data */
        const char *want = "PK\r\n--not the boundary\r\n\r\nend";
        CHECK(p->len == strlen(want) && !memcmp(p->data, want, p->len));
    }
    p = multipart_get(&mp, "empty");
    CHECK(p && p->len == 0);
    CHECK(multipart_get(&mp, "missing") == NULL);
}

static void test_first_delimiter_at_start(void)
{
    static struct multipart mp;
    /* no preamble; padding after the boundary; bare LF in the headers */
    const char *body = "--XyZ  \r\nContent-Disposition: form-data; name=a\n\nvalue\r\n--XyZ--";
    CHECK_INT(parse(body, 1000, &mp), MULTIPART_OK);
    CHECK(mp.n == 1 && mp.parts[0].len == 5 && !memcmp(mp.parts[0].data, "value", 5));
}

static void test_malformed(void)
{
    static struct multipart mp;
    /* the closing boundary is missing: a truncated upload */
    CHECK_INT(parse("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=a.zip\r\n\r\n"
                    "PK...", 1000, &mp), MULTIPART_MALFORMED);
    CHECK(strstr(err, "closing boundary") != NULL);
    CHECK(strstr(err, "file") != NULL);
    /* the last delimiter is not the close delimiter */
    CHECK_INT(parse("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ", 1000, &mp),
              MULTIPART_MALFORMED);
    CHECK(strstr(err, "--BOUNDARY--") != NULL);
    /* no boundary at all */
    CHECK_INT(parse("just some bytes", 1000, &mp), MULTIPART_MALFORMED);
    CHECK(strstr(err, "--XyZ") != NULL);
    /* a part without a name */
    CHECK_INT(parse("--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--", 1000, &mp),
              MULTIPART_MALFORMED);
    CHECK(strstr(err, "name") != NULL);
    /* not form-data */
    CHECK_INT(parse("--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--XyZ--", 1000,
                    &mp), MULTIPART_MALFORMED);
    /* an unterminated quoted name */
    CHECK_INT(parse("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--", 1000,
                    &mp), MULTIPART_MALFORMED);
    /* headers that never end */
    CHECK_INT(parse("--XyZ\r\nContent-Disposition: form-data; name=a", 1000, &mp),
              MULTIPART_MALFORMED);
    /* a header line without a colon */
    CHECK_INT(parse("--XyZ\r\nnonsense\r\n\r\nv\r\n--XyZ--", 1000, &mp), MULTIPART_MALFORMED);
    /* the delimiter must start a line: "x--XyZ" is data, so the close is missing */
    CHECK_INT(parse("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nx--XyZ--", 1000, &mp),
              MULTIPART_MALFORMED);
    /* the same name twice in one disposition */
    CHECK_INT(parse("--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--XyZ--",
                    1000, &mp), MULTIPART_MALFORMED);
}

static void test_too_large(void)
{
    static struct multipart mp;
    const char *body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=big\r\n\r\n"
                       "0123456789\r\n--XyZ--\r\n";
    CHECK_INT(parse(body, 10, &mp), MULTIPART_OK);
    CHECK_INT(parse(body, 9, &mp), MULTIPART_TOO_LARGE);
    CHECK(strstr(err, "file") != NULL && strstr(err, "10 bytes") != NULL);
}

static void test_too_many_parts(void)
{
    static struct multipart mp;
    size_t cap = 100 * (MULTIPART_MAX_PARTS + 2);
    char *body = malloc(cap);
    size_t n = 0;
    for (int i = 0; i < MULTIPART_MAX_PARTS + 1; i++)
        n += (size_t)snprintf(body + n, cap - n,
                              "--XyZ\r\nContent-Disposition: form-data; name=p%d\r\n\r\nv\r\n", i);
    snprintf(body + n, cap - n, "--XyZ--\r\n");
    CHECK_INT(parse(body, 1000, &mp), MULTIPART_MALFORMED);
    CHECK(strstr(err, "parts") != NULL);
    free(body);
}

int main(void)
{
    test_boundary();
    test_parts();
    test_first_delimiter_at_start();
    test_malformed();
    test_too_large();
    test_too_many_parts();
    return check_summary();
}
