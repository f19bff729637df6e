#include "tiles/mbtiles.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

struct mbtiles {
    sqlite3 *db;
    sqlite3_stmt *put, *meta;
};

static int fail(struct mbtiles *m, const char *what, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: %s", what, m->db ? sqlite3_errmsg(m->db) : "out of memory");
    return -1;
}

struct mbtiles *mbtiles_create(const char *path, char *err, size_t errlen)
{
    struct mbtiles *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    unlink(path);
    if (sqlite3_open_v2(path, &m->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(m->db,
                     "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                     " PRAGMA application_id = 0x4d504258;" /* "MPBX", MBTiles */
                     " BEGIN;"
                     " CREATE TABLE metadata (name text, value text);"
                     " CREATE UNIQUE INDEX name ON metadata (name);"
                     " CREATE TABLE tiles (zoom_level integer, tile_column integer,"
                     "   tile_row integer, tile_data blob);"
                     " CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m->db, "INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)", -1, &m->put,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m->db, "INSERT OR REPLACE INTO metadata VALUES (?, ?)", -1, &m->meta,
                           NULL) != SQLITE_OK) {
        char what[600];
        snprintf(what, sizeof what, "%s: cannot create an MBTiles file", path);
        fail(m, what, err, errlen);
        mbtiles_close(m, 0, NULL, 0);
        return NULL;
    }
    return m;
}

int mbtiles_metadata(struct mbtiles *m, const char *name, const char *value, char *err,
                     size_t errlen)
{
    sqlite3_reset(m->meta);
    sqlite3_bind_text(m->meta, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(m->meta, 2, value, -1, SQLITE_TRANSIENT);
    return sqlite3_step(m->meta) == SQLITE_DONE ? 0 : fail(m, "writing metadata", err, errlen);
}

unsigned char *mbtiles_gzip(const unsigned char *p, size_t len, size_t *out_len)
{
    z_stream z = {0};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, (uLong)len) + 32;
    unsigned char *out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (unsigned char *)p;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

int mbtiles_put(struct mbtiles *m, int z, long x, long y, const unsigned char *mvt, size_t len,
                size_t *stored_len, char *err, size_t errlen)
{
    size_t glen;
    unsigned char *g = mbtiles_gzip(mvt, len, &glen);
    if (!g) {
        snprintf(err, errlen, "out of memory compressing tile %d/%ld/%ld", z, x, y);
        return -1;
    }
    sqlite3_reset(m->put);
    sqlite3_bind_int(m->put, 1, z);
    sqlite3_bind_int64(m->put, 2, x);
    sqlite3_bind_int64(m->put, 3, ((1L << z) - 1) - y); /* TMS: rows count from the south */
    sqlite3_bind_blob(m->put, 4, g, (int)glen, free);
    if (sqlite3_step(m->put) != SQLITE_DONE)
        return fail(m, "writing a tile", err, errlen);
    if (stored_len)
        *stored_len = glen;
    return 0;
}

int mbtiles_close(struct mbtiles *m, int commit, char *err, size_t errlen)
{
    int rc = 0;
    if (!m)
        return 0;
    sqlite3_finalize(m->put);
    sqlite3_finalize(m->meta);
    if (m->db && commit && sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = fail(m, "committing the MBTiles file", err, errlen);
    if (m->db && sqlite3_close(m->db) != SQLITE_OK && rc == 0)
        rc = fail(m, "closing the MBTiles file", err, errlen);
    free(m);
    return rc;
}
