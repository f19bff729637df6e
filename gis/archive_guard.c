/* Zip and gzip containers: inflated bytes counted against a limit. */
#include "gis/archive_guard.h"

#include <cpl_vsi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CHUNK 65536
#define EOCD_SIZE 22
#define EOCD_SEARCH (65535 + EOCD_SIZE) /* the record plus the longest comment */

struct guard {
    VSILFILE *f;
    unsigned long long size;
    const char *label;
    long long limit, total;
    unsigned char *in, *out; /* CHUNK bytes each */
    char *err;
    size_t errlen;
};

static unsigned long long le(const unsigned char *p, int n)
{
    unsigned long long v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static int read_at(struct guard *g, unsigned long long off, void *buf, size_t n)
{
    return off <= g->size && n <= g->size - off && VSIFSeekL(g->f, off, SEEK_SET) == 0 &&
                   VSIFReadL(buf, 1, n, g->f) == n
               ? 0
               : -1;
}

static void limit_text(long long limit, char *out, size_t outlen)
{
    if (limit % (1024 * 1024) == 0)
        snprintf(out, outlen, "%lld MB", limit / (1024 * 1024));
    else
        snprintf(out, outlen, "%lld bytes", limit);
}

static int too_big(struct guard *g, const char *kind, const char *entry)
{
    char lim[48];
    limit_text(g->limit, lim, sizeof lim);
    if (entry)
        snprintf(g->err, g->errlen, "%s: the %s unpacks to more than %s (the limit, "
                 "POLIS_IMPORT_MAX_UNZIPPED_MB; entry \"%s\" passed it): refused as a possible "
                 "zip bomb", g->label, kind, lim, entry);
    else
        snprintf(g->err, g->errlen, "%s: the %s unpacks to more than %s (the limit, "
                 "POLIS_IMPORT_MAX_UNZIPPED_MB): refused as a possible zip bomb", g->label, kind,
                 lim);
    return 1;
}

/* Inflates from off (raw deflate, or gzip members one after another),
 * adding the output to g->total. Returns 1 once past the limit, else 0 at
 * the stream's end, the file's end or corrupt data (which GDAL reports
 * when it reads the file), or -1 when zlib cannot start. */
static int inflate_count(struct guard *g, unsigned long long off, int gzip)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, gzip ? 15 + 16 : -15) != Z_OK || VSIFSeekL(g->f, off, SEEK_SET) != 0)
        return -1;
    int rc = 0;
    for (;;) {
        if (z.avail_in == 0) {
            size_t n = VSIFReadL(g->in, 1, CHUNK, g->f);
            if (n == 0)
                break; /* truncated: nothing more can come out */
            z.next_in = g->in;
            z.avail_in = (uInt)n;
        }
        z.next_out = g->out;
        z.avail_out = CHUNK;
        int r = inflate(&z, Z_NO_FLUSH);
        size_t produced = CHUNK - z.avail_out;
        g->total += (long long)produced;
        if (g->total > g->limit) {
            rc = 1;
            break;
        }
        if (r == Z_STREAM_END) {
            if (!gzip)
                break;
            /* a gzip file may hold several members: go on with the next */
            if (z.avail_in == 0) {
                size_t n = VSIFReadL(g->in, 1, CHUNK, g->f);
                if (n == 0)
                    break;
                z.next_in = g->in;
                z.avail_in = (uInt)n;
            }
            inflateReset(&z);
            continue;
        }
        if (r != Z_OK && !(r == Z_BUF_ERROR && produced > 0))
            break; /* corrupt data or no progress */
    }
    inflateEnd(&z);
    return rc;
}

/* Finds the end-of-central-directory record as zip readers do (scanning
 * back from the end). Returns its offset, or -1 when there is none. */
static long long find_eocd(struct guard *g, unsigned char *buf)
{
    if (g->size < EOCD_SIZE)
        return -1;
    unsigned long long span = g->size < EOCD_SEARCH ? g->size : EOCD_SEARCH;
    unsigned long long start = g->size - span;
    if (read_at(g, start, buf, (size_t)span))
        return -1;
    for (long long i = (long long)span - EOCD_SIZE; i >= 0; i--)
        if (buf[i] == 'P' && buf[i + 1] == 'K' && buf[i + 2] == 5 && buf[i + 3] == 6)
            return (long long)start + i;
    return -1;
}

/* The central directory's place and entry count, from the EOCD record (or
 * its Zip64 version). Returns 0, or -1 when it is not a zip GDAL reads. */
static int central_directory(struct guard *g, unsigned long long eocd, unsigned long long *cd_off,
                             unsigned long long *cd_size, unsigned long long *entries,
                             unsigned long long *shift)
{
    unsigned char e[EOCD_SIZE], loc[20], z64[56];
    if (read_at(g, eocd, e, sizeof e))
        return -1;
    *entries = le(e + 10, 2);
    *cd_size = le(e + 12, 4);
    *cd_off = le(e + 16, 4);
    unsigned long long end = eocd; /* where the directory must end */
    if ((*entries == 0xFFFF || *cd_size == 0xFFFFFFFF || *cd_off == 0xFFFFFFFF) && eocd >= 20 &&
        read_at(g, eocd - 20, loc, sizeof loc) == 0 && !memcmp(loc, "PK\x06\x07", 4)) {
        unsigned long long at = le(loc + 8, 8);
        if (read_at(g, at, z64, sizeof z64) || memcmp(z64, "PK\x06\x06", 4))
            return -1;
        *entries = le(z64 + 32, 8);
        *cd_size = le(z64 + 40, 8);
        *cd_off = le(z64 + 48, 8);
        end = at;
    }
    /* data in front of the zip (a self-extractor) shifts every offset, as
     * minizip (GDAL's /vsizip/) allows */
    if (*cd_off > end || *cd_size > end - *cd_off)
        return -1;
    *shift = end - (*cd_off + *cd_size);
    return 0;
}

/* The Zip64 extra field's values for the 32-bit fields set to 0xFFFFFFFF. */
static void zip64_extra(const unsigned char *x, size_t n, unsigned long long *usize,
                        unsigned long long *csize, unsigned long long *off)
{
    for (size_t i = 0; i + 4 <= n;) {
        unsigned id = (unsigned)le(x + i, 2), len = (unsigned)le(x + i + 2, 2);
        if (i + 4 + len > n)
            return;
        if (id == 1) {
            const unsigned char *p = x + i + 4, *end = p + len;
            unsigned long long *fields[] = {usize, csize, off};
            for (int k = 0; k < 3; k++)
                if (*fields[k] == 0xFFFFFFFF && p + 8 <= end) {
                    *fields[k] = le(p, 8);
                    p += 8;
                }
            return;
        }
        i += 4 + len;
    }
}

/* Walks the central directory and inflates every entry. Returns 0, 1 (too
 * big) or -1 (err set). */
static int check_zip(struct guard *g, unsigned long long cd, unsigned long long cd_size,
                     unsigned long long entries, unsigned long long shift)
{
    unsigned char h[46], lh[30], *extra = g->out; /* free until inflating */
    char name[256];
    unsigned long long pos = cd + shift, end = cd + shift + cd_size;
    for (unsigned long long i = 0; i < entries && pos + sizeof h <= end; i++) {
        if (read_at(g, pos, h, sizeof h) || memcmp(h, "PK\x01\x02", 4))
            break; /* a broken directory: GDAL refuses the zip itself */
        unsigned method = (unsigned)le(h + 10, 2);
        unsigned long long csize = le(h + 20, 4), usize = le(h + 24, 4), off = le(h + 42, 4);
        size_t nlen = (size_t)le(h + 28, 2), xlen = (size_t)le(h + 30, 2),
               clen = (size_t)le(h + 32, 2);
        size_t shown = nlen < sizeof name - 1 ? nlen : sizeof name - 1;
        if (read_at(g, pos + sizeof h, name, shown) ||
            read_at(g, pos + sizeof h + nlen, extra, xlen))
            break;
        name[shown] = '\0';
        zip64_extra(extra, xlen, &usize, &csize, &off);
        pos += sizeof h + nlen + xlen + clen;
        off += shift;
        if (read_at(g, off, lh, sizeof lh) || memcmp(lh, "PK\x03\x04", 4))
            continue; /* unreadable entry: GDAL fails on it, nothing is inflated */
        unsigned long long data = off + sizeof lh + le(lh + 26, 2) + le(lh + 28, 2);
        if (data > g->size)
            continue;
        if (method == 0) {
            /* stored: what comes out is at most what the file holds */
            unsigned long long have = g->size - data;
            g->total += (long long)(usize < have ? usize : have);
            if (g->total > g->limit)
                return too_big(g, "zip", name);
        } else if (method == 8) {
            int r = inflate_count(g, data, 0);
            if (r > 0)
                return too_big(g, "zip", name);
            if (r < 0) {
                snprintf(g->err, g->errlen, "%s: out of memory inflating \"%s\"", g->label, name);
                return -1;
            }
        } else {
            snprintf(g->err, g->errlen, "%s: entry \"%s\" uses zip compression method %u; only "
                     "stored and deflate entries can be read", g->label, name, method);
            return -1;
        }
    }
    return 0;
}

int archive_guard_check(const char *path, const char *label, long long limit, char *err,
                        size_t errlen)
{
    struct guard g = {.label = label, .limit = limit, .err = err, .errlen = errlen};
    g.f = VSIFOpenL(path, "rb");
    if (!g.f)
        return 0; /* the reader says "no such file" */
    int rc = 0;
    unsigned char *search = NULL;
    g.in = malloc(CHUNK);
    g.out = malloc(CHUNK);
    if (!g.in || !g.out || VSIFSeekL(g.f, 0, SEEK_END) != 0) {
        snprintf(err, errlen, "%s: out of memory or unreadable", label);
        rc = -1;
        goto out;
    }
    g.size = VSIFTellL(g.f);
    unsigned char magic[2];
    if (read_at(&g, 0, magic, 2) == 0 && magic[0] == 0x1f && magic[1] == 0x8b) {
        rc = inflate_count(&g, 0, 1);
        if (rc > 0)
            too_big(&g, "gzip file", NULL);
        else if (rc < 0)
            snprintf(err, errlen, "%s: out of memory inflating it", label);
        goto out;
    }
    search = malloc(EOCD_SEARCH);
    if (!search) {
        snprintf(err, errlen, "%s: out of memory", label);
        rc = -1;
        goto out;
    }
    long long eocd = find_eocd(&g, search);
    unsigned long long cd, cd_size, entries, shift;
    if (eocd >= 0 && central_directory(&g, (unsigned long long)eocd, &cd, &cd_size, &entries,
                                       &shift) == 0)
        rc = check_zip(&g, cd, cd_size, entries, shift);
out:
    free(search);
    free(g.in);
    free(g.out);
    VSIFCloseL(g.f);
    return rc;
}
