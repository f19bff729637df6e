#include "http/sse_feed.h"

#include "http/loop_timer.h"
#include "http/sse.h"
#include "notify/change_feed.h"
#include "notify/change_feed_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEED_READ_ROWS 500  /* rows per read; a full read is followed by another */
#define FEED_RECHECK_MS 1000 /* while an id may still commit below the highest
                              * read, or after a failed read: read again */

struct sse_feed {
    struct polis_worker *w;
    struct change_feed cursor;
    int started;   /* the cursor has its starting point */
    int reading;   /* a query is in flight */
    int again;     /* a wake came meanwhile */
    struct db_query q;
    const char *params[FEED_READ_NPARAMS];
    char after[24], limit[16];
    struct loop_timer recheck;
};

static void start_read(struct sse_feed *f);

static void on_recheck(h2o_timeout_entry_t *entry)
{
    struct sse_feed *f = H2O_STRUCT_FROM_MEMBER(struct sse_feed, recheck.entry, entry);
    sse_feed_wake(f);
}

/* The new rows of one read as a batch for the workers: only the ids the
 * cursor has not delivered yet. */
static struct sse_batch *news_of(struct sse_feed *f, const PGresult *res)
{
    int rows = PQntuples(res);
    char *news = calloc((size_t)rows + 1, 1);
    size_t n = 0, bytes = 0;
    for (int i = 0; news && i < rows; i++) {
        if (PQgetisnull(res, i, FEED_READ_ID))
            continue;
        if (change_feed_take(&f->cursor, strtoll(PQgetvalue(res, i, FEED_READ_ID), NULL, 10))) {
            news[i] = 1;
            n++;
            bytes += (size_t)PQgetlength(res, i, FEED_READ_DATA);
        }
    }
    struct sse_batch *b = n ? sse_batch_new(n, bytes) : NULL;
    for (int i = 0; b && i < rows; i++)
        if (news[i])
            sse_batch_add(b, strtoll(PQgetvalue(res, i, FEED_READ_ID), NULL, 10),
                          strtol(PQgetvalue(res, i, FEED_READ_USER_ID), NULL, 10),
                          PQgetvalue(res, i, FEED_READ_DATA),
                          (size_t)PQgetlength(res, i, FEED_READ_DATA));
    free(news);
    return b;
}

static void read_done(struct db_query *q, PGresult *res)
{
    struct sse_feed *f = q->data;
    f->reading = 0;
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1) {
        /* the database is away: the listener wakes us when it is back */
        loop_timer_start(f->w->loop, &f->recheck);
        return;
    }
    if (!f->started) {
        change_feed_init(&f->cursor, strtoll(PQgetvalue(res, 0, FEED_START_MAX_ID), NULL, 10));
        f->started = 1;
        f->again = 1;
    } else {
        struct sse_batch *b = news_of(f, res);
        change_feed_end_read(&f->cursor,
                             strtoull(PQgetvalue(res, 0, FEED_READ_SNAPSHOT_XMIN), NULL, 10),
                             strtoull(PQgetvalue(res, 0, FEED_READ_SNAPSHOT_XMAX), NULL, 10));
        if (b)
            sse_broadcast(f->w->app, b);
        if (PQntuples(res) >= FEED_READ_ROWS)
            f->again = 1;
        if (change_feed_has_gaps(&f->cursor))
            loop_timer_start(f->w->loop, &f->recheck);
    }
    if (f->again)
        start_read(f);
}

static void start_read(struct sse_feed *f)
{
    f->again = 0;
    f->reading = 1;
    memset(&f->q, 0, sizeof f->q);
    f->q.cb = read_done;
    f->q.data = f;
    f->q.prepare = 1;
    if (!f->started) {
        f->q.sql = FEED_START_SQL;
    } else {
        snprintf(f->after, sizeof f->after, "%lld", (long long)change_feed_after(&f->cursor));
        snprintf(f->limit, sizeof f->limit, "%d", FEED_READ_ROWS);
        f->params[FEED_READ_AFTER] = f->after;
        f->params[FEED_READ_LIMIT] = f->limit;
        f->q.sql = FEED_READ_SQL;
        f->q.nparams = FEED_READ_NPARAMS;
        f->q.params = f->params;
    }
    db_pool_submit(f->w->db, &f->q);
}

void sse_feed_wake(void *feed)
{
    struct sse_feed *f = feed;
    if (f->reading)
        f->again = 1;
    else
        start_read(f);
}

struct sse_feed *sse_feed_create(struct polis_worker *w)
{
    struct sse_feed *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->w = w;
    loop_timer_init(w->loop, &f->recheck, FEED_RECHECK_MS, on_recheck);
    return f;
}

void sse_feed_destroy(struct sse_feed *f)
{
    if (!f)
        return;
    loop_timer_dispose(f->w->loop, &f->recheck);
    change_feed_free(&f->cursor);
    free(f);
}
