/* multipart/form-data (http/multipart.c). The input's first line is the
 * Content-Type header, the rest the body. Every part found must lie inside
 * the body and have a name; a part over the limit is MULTIPART_TOO_LARGE. */
#include "http/multipart.h"
#include "tests/fuzz/fuzz.h"

#define MAX_PART 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *body;
    size_t len;
    char *type = fuzz_split_line(data, size, &body, &len);
    char boundary[MULTIPART_BOUNDARY_MAX + 1], err[256];
    int b = multipart_boundary(type, strlen(type), boundary, sizeof boundary, err, sizeof err);
    if (b == 1) {
        FUZZ_CHECK(strlen(boundary) >= 1 && strlen(boundary) <= MULTIPART_BOUNDARY_MAX,
                   "boundary of %zu bytes", strlen(boundary));
        /* the body in its own allocation, so ASan sees a read past its end */
        char *copy = malloc(len ? len : 1);
        memcpy(copy, body, len);
        static struct multipart mp;
        enum multipart_status st =
            multipart_parse(copy, len, boundary, MAX_PART, &mp, err, sizeof err);
        if (st == MULTIPART_OK) {
            FUZZ_CHECK(mp.n >= 0 && mp.n <= MULTIPART_MAX_PARTS, "%d parts", mp.n);
            for (int i = 0; i < mp.n; i++) {
                const struct multipart_part *p = &mp.parts[i];
                FUZZ_CHECK(p->name, "part %d without a name", i);
                FUZZ_CHECK(p->data >= copy && p->data + p->len <= copy + len,
                           "part %d outside the body", i);
                FUZZ_CHECK(p->len <= MAX_PART, "part %d of %zu bytes", i, p->len);
                FUZZ_CHECK(multipart_get(&mp, p->name), "part %d not found by name", i);
            }
        } else {
            FUZZ_CHECK(st == MULTIPART_MALFORMED || st == MULTIPART_TOO_LARGE, "status %d", st);
            FUZZ_CHECK(memchr(err, '\0', sizeof err) && err[0], "no reason given");
        }
        free(copy);
    } else if (b < 0) {
        FUZZ_CHECK(memchr(err, '\0', sizeof err) && err[0], "no reason given");
    }
    free(type);
    return 0;
}
