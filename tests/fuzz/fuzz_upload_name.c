/* Upload file names (upload_file_name in jobs/import_job.c): whatever a
 * client sends as filename=, the name polis stores the file under is a
 * plain, non-hidden name of [A-Za-z0-9._-] that fits its buffer (and 100
 * bytes), never a path and never "." or "..". */
#include "jobs/import_job.h"
#include "tests/fuzz/fuzz.h"

static void check(const char *in, size_t outlen)
{
    char *out = malloc(outlen);
    upload_file_name(in, out, outlen);
    size_t len = strlen(out);
    FUZZ_CHECK(len >= 1 && len < outlen && len <= 100, "%zu bytes in %zu: %s", len, outlen, out);
    FUZZ_CHECK(strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
                   len, "a character outside [A-Za-z0-9._-]: %s", out);
    FUZZ_CHECK(out[0] != '.', "a hidden name: %s", out);
    FUZZ_CHECK(strcmp(out, "-"), "a lone dash");
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    check(in, 128); /* as struct import_job's file_name */
    check(in, 8);
    free(in);
    return 0;
}
