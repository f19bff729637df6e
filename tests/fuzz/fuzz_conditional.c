/* Accept-Encoding and If-None-Match header values (http/conditional.c),
 * as tiles, static files and photos read them. The input's first line is
 * the ETag the server would send, the rest the header value. */
#include "http/conditional.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *value;
    size_t len;
    char *etag = fuzz_split_line(data, size, &value, &len);
    /* the header value in its own allocation, so ASan sees a read past it */
    char *copy = malloc(len ? len : 1);
    memcpy(copy, value, len);
    int gzip = accept_encoding_gzip(copy, len);
    FUZZ_CHECK(gzip == 0 || gzip == 1, "accept_encoding_gzip gave %d", gzip);
    int listed = etag_list_matches(copy, len, etag);
    FUZZ_CHECK(listed == 0 || listed == 1, "etag_list_matches gave %d", listed);
    /* a server's own tag, sent back alone, always matches */
    if (etag[0] == '"' && strlen(etag) >= 2 && etag[strlen(etag) - 1] == '"' &&
        !strpbrk(etag, ", \t"))
        FUZZ_CHECK(etag_list_matches(etag, strlen(etag), etag), "%s does not match itself",
                   etag);
    free(copy);
    free(etag);
    return 0;
}
