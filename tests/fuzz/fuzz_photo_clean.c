/* Photo cleaning (common/photo_clean.c): any bytes are either refused with
 * a reason or cleaned into an image of the kind they were sniffed as, no
 * longer than the input; and cleaning is a fixed point (a cleaned image has
 * nothing left to remove and comes out unchanged), so no metadata block can
 * hide behind another. */
#include "common/photo_clean.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *out = malloc(size ? size : 1), *again = malloc(size ? size : 1);
    size_t outlen = 0, againlen = 0;
    struct photo_info info, info2;
    char err[200];
    enum photo_kind kind = photo_sniff(data, size);
    if (photo_clean(data, size, out, &outlen, &info, err, sizeof err) == 0) {
        FUZZ_CHECK(outlen <= size, "%zu bytes out of %zu", outlen, size);
        FUZZ_CHECK(info.kind == kind && kind != PHOTO_UNKNOWN, "kind %d, sniffed %d", info.kind,
                   kind);
        FUZZ_CHECK(photo_sniff(out, outlen) == kind, "the cleaned image is another kind");
        FUZZ_CHECK(photo_media_type(kind) && photo_extension(kind), "kind %d unnamed", kind);
        int r = photo_clean(out, outlen, again, &againlen, &info2, err, sizeof err);
        FUZZ_CHECK(r == 0, "the cleaned image is refused: %s", err);
        FUZZ_CHECK(info2.removed == 0, "%zu blocks left after cleaning", info2.removed);
        FUZZ_CHECK(againlen == outlen && !memcmp(again, out, outlen),
                   "cleaning again changed the image");
    } else {
        FUZZ_CHECK(memchr(err, '\0', sizeof err) && err[0], "refused without a reason");
    }
    free(out);
    free(again);
    return 0;
}
