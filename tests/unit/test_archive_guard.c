/* gis/archive_guard.c on zips built byte by byte: what counts is what the
 * entries really inflate to, whatever the archive declares; a zip behind
 * other bytes (a self-extractor), entries sharing their data (overlapping
 * files, each inflated again) and gzip files are counted too; files that
 * only look like zips, stored entries that lie, and methods GDAL cannot
 * read end without a crash. */
#include "check.h"
#include "gis/archive_guard.h"

#include <cpl_vsi.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#define MB (1024LL * 1024)

struct zbuf {
    unsigned char *p;
    size_t len, cap;
};

static void put(struct zbuf *b, const void *d, size_t n)
{
    if (n == 0)
        return; /* an empty buffer has no pointer yet: nothing to offset */
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void put16(struct zbuf *b, unsigned v)
{
    unsigned char c[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    put(b, c, 2);
}

static void put32(struct zbuf *b, unsigned long v)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put(b, c, 4);
}

/* n zero bytes, deflated (raw, as in a zip) or gzip-wrapped */
static struct zbuf squeeze(size_t n, int gzip)
{
    struct zbuf out = {0};
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 9, Z_DEFLATED, gzip ? 15 + 16 : -15, 9, Z_DEFAULT_STRATEGY);
    unsigned char zeros[65536] = {0}, buf[65536];
    size_t left = n;
    int flush;
    do {
        size_t take = left < sizeof zeros ? left : sizeof zeros;
        left -= take;
        flush = left ? Z_NO_FLUSH : Z_FINISH;
        z.next_in = zeros;
        z.avail_in = (uInt)take;
        do {
            z.next_out = buf;
            z.avail_out = sizeof buf;
            deflate(&z, flush);
            put(&out, buf, sizeof buf - z.avail_out);
        } while (z.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&z);
    return out;
}

/* A zip after `prefix` junk bytes: one local entry (method, data,
 * declared size), listed `copies` times by the central directory (all
 * pointing at the same data when copies > 1). */
static struct zbuf make_zip(size_t prefix, unsigned method, const struct zbuf *data,
                            unsigned long declared, int copies)
{
    struct zbuf z = {0};
    for (size_t i = 0; i < prefix; i++)
        put(&z, "x", 1);
    size_t local = z.len - prefix;
    put32(&z, 0x04034b50);
    put16(&z, 20), put16(&z, 0), put16(&z, method), put16(&z, 0), put16(&z, 0);
    put32(&z, 0), put32(&z, (unsigned long)data->len), put32(&z, declared);
    put16(&z, 7), put16(&z, 0);
    put(&z, "doc.kml", 7);
    put(&z, data->p, data->len);
    size_t cd = z.len - prefix;
    for (int i = 0; i < copies; i++) {
        put32(&z, 0x02014b50);
        put16(&z, 20), put16(&z, 20), put16(&z, 0), put16(&z, method), put16(&z, 0);
        put16(&z, 0), put32(&z, 0), put32(&z, (unsigned long)data->len), put32(&z, declared);
        put16(&z, 7), put16(&z, 0), put16(&z, 0), put16(&z, 0), put16(&z, 0), put32(&z, 0);
        put32(&z, (unsigned long)local);
        put(&z, "doc.kml", 7);
    }
    size_t cd_size = z.len - prefix - cd;
    put32(&z, 0x06054b50);
    put16(&z, 0), put16(&z, 0), put16(&z, (unsigned)copies), put16(&z, (unsigned)copies);
    put32(&z, (unsigned long)cd_size), put32(&z, (unsigned long)cd), put16(&z, 0);
    return z;
}

/* archive_guard_check on the bytes, as /vsimem/ file name */
static int check_bytes(const char *name, const struct zbuf *b, long long limit, char *err,
                       size_t errlen)
{
    char path[128];
    snprintf(path, sizeof path, "/vsimem/guard/%s", name);
    VSIFCloseL(VSIFileFromMemBuffer(path, b->p, (vsi_l_offset)b->len, FALSE));
    err[0] = '\0';
    int rc = archive_guard_check(path, name, limit, err, errlen);
    VSIUnlink(path);
    return rc;
}

int main(void)
{
    char err[512];
    struct zbuf bomb = squeeze(30 * MB, 0), small = squeeze(1000, 0);
    CHECK(bomb.len < 100000);

    /* a 30 MB entry in a small zip: refused under 10 MB, accepted under 64 */
    struct zbuf z = make_zip(0, 8, &bomb, 30 * MB, 1);
    CHECK_INT(check_bytes("bomb.kmz", &z, 10 * MB, err, sizeof err), 1);
    CHECK(strstr(err, "bomb.kmz") && strstr(err, "10 MB") && strstr(err, "doc.kml") &&
          strstr(err, "zip bomb"));
    CHECK_INT(check_bytes("bomb.kmz", &z, 64 * MB, err, sizeof err), 0);
    free(z.p);

    /* the directory says 100 bytes: still refused */
    z = make_zip(0, 8, &bomb, 100, 1);
    CHECK_INT(check_bytes("liar.kmz", &z, 10 * MB, err, sizeof err), 1);
    free(z.p);

    /* behind 1000 other bytes, named .geojson: still a zip to /vsizip/, refused */
    z = make_zip(1000, 8, &bomb, 100, 1);
    CHECK_INT(check_bytes("disguised.geojson", &z, 10 * MB, err, sizeof err), 1);
    free(z.p);

    /* 40 directory entries sharing one 1 MB deflate stream: 40 MB for a reader */
    struct zbuf one_mb = squeeze((size_t)MB, 0);
    z = make_zip(0, 8, &one_mb, (unsigned long)MB, 40);
    CHECK_INT(check_bytes("overlap.zip", &z, 10 * MB, err, sizeof err), 1);
    CHECK_INT(check_bytes("overlap.zip", &z, 64 * MB, err, sizeof err), 0);
    free(z.p);
    free(one_mb.p);

    /* a stored entry declaring 4 GB holds only its bytes */
    z = make_zip(0, 0, &small, 0xFFFFFFF0UL, 1);
    CHECK_INT(check_bytes("stored.zip", &z, 10 * MB, err, sizeof err), 0);
    free(z.p);

    /* bzip2 (method 12): GDAL cannot read it; said so, nothing inflated */
    z = make_zip(0, 12, &small, 1000, 1);
    CHECK_INT(check_bytes("bzip2.zip", &z, 10 * MB, err, sizeof err), -1);
    CHECK(strstr(err, "method 12") != NULL);
    free(z.p);

    /* a small honest zip; the same cut before its directory is no zip */
    z = make_zip(0, 8, &small, 1000, 1);
    CHECK_INT(check_bytes("ok.zip", &z, 10 * MB, err, sizeof err), 0);
    z.len -= 30;
    CHECK_INT(check_bytes("cut.zip", &z, 10 * MB, err, sizeof err), 0);
    free(z.p);

    /* garbage instead of deflate data: counting stops, no crash */
    struct zbuf junk = {0};
    for (int i = 0; i < 5000; i++)
        put(&junk, "\xff\x13\x7e", 3);
    z = make_zip(0, 8, &junk, 100, 1);
    CHECK_INT(check_bytes("junk.zip", &z, 10 * MB, err, sizeof err), 0);
    free(z.p);
    free(junk.p);

    /* text that happens to hold an end-of-directory signature */
    struct zbuf text = {0};
    put(&text, "{\"a\":\"PK\x05\x06 and more text here, not a zip at all\"}", 48);
    CHECK_INT(check_bytes("text.geojson", &text, 10 * MB, err, sizeof err), 0);
    free(text.p);

    /* gzip: 30 MB of zeros refused, two small members accepted */
    struct zbuf gz = squeeze(30 * MB, 1);
    CHECK_INT(check_bytes("bomb.gml.gz", &gz, 10 * MB, err, sizeof err), 1);
    CHECK(strstr(err, "gzip") != NULL);
    free(gz.p);
    gz = squeeze(1000, 1);
    struct zbuf two = {0};
    put(&two, gz.p, gz.len);
    put(&two, gz.p, gz.len);
    CHECK_INT(check_bytes("two.gz", &two, 1500, err, sizeof err), 1); /* 2000 bytes out */
    CHECK_INT(check_bytes("two.gz", &two, 10 * MB, err, sizeof err), 0);
    free(gz.p);
    free(two.p);

    /* the real all-Greece Shapefile zip: fine under 2 GB, too big under 1 MB */
    const char *data = getenv("POLIS_SHARED_DATA");
    if (data) {
        char path[512];
        snprintf(path, sizeof path, "%s/kallikratis_dimoi_ellada_egsa87.zip", data);
        CHECK_INT(archive_guard_check(path, "ellada.zip", 2048 * MB, err, sizeof err), 0);
        CHECK_INT(archive_guard_check(path, "ellada.zip", MB, err, sizeof err), 1);
    }
    free(bomb.p);
    free(small.p);
    return check_summary();
}
