#include "http/sse.h"

#include "common/textbuf.h"
#include "http/loop_timer.h"
#include "notify/change_feed.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SSE_BUCKETS 4096              /* streams by user id, per worker */
#define SSE_MAX_UNSENT (256 * 1024)   /* a client this far behind is cut: it
                                       * reconnects and resumes from its last id */
#define SSE_KEEP_RESUMED 64           /* stored entries sent on resume that are
                                       * remembered, so that the feed never sends
                                       * them again */

struct sse_worker {
    struct polis_worker *w;
    h2o_linklist_t buckets[SSE_BUCKETS];
    size_t count;
    h2o_multithread_receiver_t batches;
    struct loop_timer heartbeat;
};

/* A live event that came while the stored ones were read. */
struct sse_held {
    int64_t id;
    size_t off, len; /* in held_bytes */
};

struct sse_stream {
    h2o_generator_t gen;
    h2o_req_t *req;
    struct sse_worker *sw;
    long user_id;
    int64_t after;               /* the client has the entries up to this id */
    h2o_linklist_t link;         /* in sw->buckets */
    struct textbuf unsent;       /* written, not yet handed to h2o */
    struct textbuf sending;      /* handed to h2o, until proceed (an idle stream
                                  * holds neither) */
    int in_flight, closing, ended, failed;
    int resuming;
    int64_t *resumed_ids;        /* ids written on resume, ascending (the newest
                                  * SSE_KEEP_RESUMED once resumed) */
    size_t nresumed, resumed_cap;
    struct sse_held *held;
    size_t nheld, held_cap;
    struct textbuf held_bytes;
};

static void text_free(struct textbuf *t)
{
    free(t->buf);
    memset(t, 0, sizeof *t);
}

/* ---- sending ---- */

static void flush(struct sse_stream *s)
{
    if (s->in_flight || s->ended)
        return;
    if (s->closing && !s->unsent.len) {
        s->ended = 1;
        h2o_send(s->req, NULL, 0, s->failed ? H2O_SEND_STATE_ERROR : H2O_SEND_STATE_FINAL);
        return;
    }
    if (!s->unsent.len)
        return;
    s->sending = s->unsent;
    memset(&s->unsent, 0, sizeof s->unsent);
    s->in_flight = 1;
    h2o_iovec_t v = h2o_iovec_init(s->sending.buf, s->sending.len);
    h2o_send(s->req, &v, 1, H2O_SEND_STATE_IN_PROGRESS);
}

static void on_proceed(h2o_generator_t *gen, h2o_req_t *req)
{
    struct sse_stream *s = (struct sse_stream *)gen;
    s->in_flight = 0;
    text_free(&s->sending);
    flush(s);
}

static void on_stop(h2o_generator_t *gen, h2o_req_t *req)
{
    /* the connection is gone; the stream is freed with the request (dispose) */
    struct sse_stream *s = (struct sse_stream *)gen;
    s->ended = 1;
}

/* Ends the stream after what was written (failed: as an error, so the
 * client retries at once). */
static void close_stream(struct sse_stream *s, int failed)
{
    s->closing = 1;
    s->failed |= failed;
    flush(s);
}

/* 0 when n more bytes may wait for this client; else the stream ends */
static int room_for(struct sse_stream *s, size_t n)
{
    if (s->closing || s->ended)
        return -1;
    if (s->unsent.len + n <= SSE_MAX_UNSENT)
        return 0;
    close_stream(s, 1);
    return -1;
}

static void write_bytes(struct sse_stream *s, const char *p, size_t n)
{
    if (room_for(s, n))
        return;
    textbuf_printf(&s->unsent, "%.*s", (int)n, p);
    flush(s);
}

/* the id, event and data lines of one entry */
static void format_event(struct textbuf *t, int64_t id, const char *data, size_t len)
{
    textbuf_printf(t, "id: %" PRId64 "\nevent: inbox\ndata: %.*s\n\n", id, (int)len, data);
}

/* ---- streams ---- */

static void stream_dispose(void *p)
{
    struct sse_stream *s = p;
    if (h2o_linklist_is_linked(&s->link)) {
        h2o_linklist_unlink(&s->link);
        s->sw->count--;
    }
    text_free(&s->unsent);
    text_free(&s->sending);
    text_free(&s->held_bytes);
    free(s->held);
    free(s->resumed_ids);
}

struct sse_stream *sse_stream_open(struct exchange *ex, long user_id, int64_t after)
{
    h2o_req_t *req = ex->req;
    struct sse_worker *sw = ex->worker->sse;
    struct sse_stream *s = h2o_mem_alloc_shared(&req->pool, sizeof *s, stream_dispose);
    *s = (struct sse_stream){.gen = {on_proceed, on_stop}, .req = req, .sw = sw,
                             .user_id = user_id, .after = after, .resuming = after >= 0};
    h2o_linklist_insert(&sw->buckets[(unsigned long)user_id % SSE_BUCKETS], &s->link);
    sw->count++;
    req->res.status = 200;
    req->res.reason = "OK";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("text/event-stream; charset=utf-8"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                   H2O_STRLIT("no-store"));
    /* proxies such as nginx would otherwise hold events back in a buffer */
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-accel-buffering"), 0,
                          NULL, H2O_STRLIT("no"));
    h2o_start_response(req, &s->gen);
    char retry[64];
    int n = snprintf(retry, sizeof retry, "retry: %d\n\n", ex->app->cfg.stream_retry_ms);
    write_bytes(s, retry, (size_t)n);
    return s;
}

static int resumed_has(const struct sse_stream *s, int64_t id)
{
    size_t at = change_feed_id_index(s->resumed_ids, s->nresumed, id);
    return at < s->nresumed && s->resumed_ids[at] == id;
}

/* Room for one more element in *arr (n used of *cap, each elem bytes); 0,
 * or -1 after ending the stream when memory ran out. */
static int room_in(struct sse_stream *s, void **arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *grown = realloc(*arr, ncap * elem);
    if (!grown) {
        close_stream(s, 1);
        return -1;
    }
    *arr = grown;
    *cap = ncap;
    return 0;
}

void sse_stream_write(struct sse_stream *s, int64_t id, const char *data, size_t len)
{
    if (room_in(s, (void **)&s->resumed_ids, s->nresumed, &s->resumed_cap,
                sizeof *s->resumed_ids))
        return;
    s->resumed_ids[s->nresumed++] = id;
    /* the stored entries may exceed the live limit: they go out as they drain */
    format_event(&s->unsent, id, data, len);
    flush(s);
}

void sse_stream_resumed(struct sse_stream *s, int ok)
{
    s->resuming = 0;
    if (!ok) {
        close_stream(s, 1);
        return;
    }
    for (size_t i = 0; i < s->nheld; i++)
        if (!resumed_has(s, s->held[i].id))
            write_bytes(s, s->held_bytes.buf + s->held[i].off, s->held[i].len);
    free(s->held);
    text_free(&s->held_bytes);
    s->held = NULL;
    s->nheld = s->held_cap = 0;
    /* the feed may still bring stored entries it read late (written through
     * another process, say): the newest ids sent stay known, older ones are
     * below the floor */
    if (s->nresumed > SSE_KEEP_RESUMED) {
        size_t cut = s->nresumed - SSE_KEEP_RESUMED;
        if (s->resumed_ids[cut - 1] > s->after)
            s->after = s->resumed_ids[cut - 1];
        memmove(s->resumed_ids, s->resumed_ids + cut, SSE_KEEP_RESUMED * sizeof *s->resumed_ids);
        s->nresumed = SSE_KEEP_RESUMED;
    }
}

/* a live entry for this stream's user */
static void deliver(struct sse_stream *s, const struct sse_event *e)
{
    if (e->id <= s->after || resumed_has(s, e->id)) /* the client has it */
        return;
    if (!s->resuming) {
        if (!room_for(s, e->len + 64)) {
            format_event(&s->unsent, e->id, e->data, e->len);
            flush(s);
        }
        return;
    }
    if (room_in(s, (void **)&s->held, s->nheld, &s->held_cap, sizeof *s->held))
        return;
    size_t off = s->held_bytes.len;
    format_event(&s->held_bytes, e->id, e->data, e->len);
    s->held[s->nheld++] = (struct sse_held){e->id, off, s->held_bytes.len - off};
}

/* ---- batches ---- */

struct sse_batch *sse_batch_new(size_t n, size_t text_bytes)
{
    struct sse_batch *b = malloc(sizeof *b + n * sizeof(struct sse_event) + text_bytes);
    if (!b)
        return NULL;
    atomic_init(&b->refs, 1);
    b->n = 0;
    b->events = (struct sse_event *)(b + 1);
    b->text_end = (char *)(b->events + n);
    return b;
}

void sse_batch_add(struct sse_batch *b, int64_t id, long user_id, const char *data, size_t len)
{
    struct sse_event *e = &b->events[b->n++];
    memcpy(b->text_end, data, len);
    e->id = id;
    e->user_id = user_id;
    e->data = b->text_end;
    e->len = len;
    b->text_end += len;
}

static void batch_release(struct sse_batch *b)
{
    if (atomic_fetch_sub(&b->refs, 1) == 1)
        free(b);
}

struct batch_message {
    h2o_multithread_message_t super;
    struct sse_batch *batch;
};

void sse_broadcast(struct polis_ctx *app, struct sse_batch *b)
{
    for (int i = 0; i < app->nworkers; i++) {
        struct batch_message *m = calloc(1, sizeof *m);
        if (!m)
            continue; /* that worker's streams miss it; their clients resume later */
        atomic_fetch_add(&b->refs, 1);
        m->batch = b;
        h2o_multithread_send_message(&app->workers[i].sse->batches, &m->super);
    }
    batch_release(b);
}

static void on_batches(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct sse_worker *sw = H2O_STRUCT_FROM_MEMBER(struct sse_worker, batches, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        struct batch_message *m =
            H2O_STRUCT_FROM_MEMBER(struct batch_message, super.link, messages->next);
        h2o_linklist_unlink(&m->super.link);
        for (size_t i = 0; i < m->batch->n; i++) {
            const struct sse_event *e = &m->batch->events[i];
            h2o_linklist_t *bucket = &sw->buckets[(unsigned long)e->user_id % SSE_BUCKETS];
            for (h2o_linklist_t *l = bucket->next; l != bucket; l = l->next) {
                struct sse_stream *s = H2O_STRUCT_FROM_MEMBER(struct sse_stream, link, l);
                if (s->user_id == e->user_id)
                    deliver(s, e);
            }
        }
        batch_release(m->batch);
        free(m);
    }
}

/* ---- the worker ---- */

/* Calls fn on every stream of the worker (a stream fn closes stays linked
 * until its request is freed, so the walk is safe). */
static void each_stream(struct sse_worker *sw, void (*fn)(struct sse_stream *s))
{
    for (size_t b = 0; b < SSE_BUCKETS; b++)
        for (h2o_linklist_t *l = sw->buckets[b].next; l != &sw->buckets[b]; l = l->next)
            fn(H2O_STRUCT_FROM_MEMBER(struct sse_stream, link, l));
}

/* a comment line keeps proxies from closing a quiet stream, and shows that
 * a client has gone (h2o notices when it writes) */
static void heartbeat_one(struct sse_stream *s)
{
    if (!s->resuming && !s->in_flight && !s->unsent.len)
        write_bytes(s, ":\n\n", 3);
}

static void on_heartbeat(h2o_timeout_entry_t *entry)
{
    struct sse_worker *sw = H2O_STRUCT_FROM_MEMBER(struct sse_worker, heartbeat.entry, entry);
    each_stream(sw, heartbeat_one);
    loop_timer_start(sw->w->loop, &sw->heartbeat);
}

struct sse_worker *sse_worker_create(struct polis_worker *w)
{
    struct sse_worker *sw = calloc(1, sizeof *sw);
    if (!sw)
        return NULL;
    sw->w = w;
    for (size_t b = 0; b < SSE_BUCKETS; b++)
        h2o_linklist_init_anchor(&sw->buckets[b]);
    h2o_multithread_register_receiver(w->h2o.queue, &sw->batches, on_batches);
    loop_timer_init(w->loop, &sw->heartbeat, (uint64_t)w->app->cfg.stream_heartbeat_ms,
                    on_heartbeat);
    loop_timer_start(w->loop, &sw->heartbeat);
    return sw;
}

static void close_one(struct sse_stream *s)
{
    close_stream(s, 0);
}

void sse_worker_close_all(struct sse_worker *sw)
{
    each_stream(sw, close_one);
}

size_t sse_worker_count(const struct sse_worker *sw)
{
    return sw->count;
}

void sse_worker_destroy(struct sse_worker *sw)
{
    if (!sw)
        return;
    loop_timer_dispose(sw->w->loop, &sw->heartbeat);
    h2o_multithread_unregister_receiver(sw->w->h2o.queue, &sw->batches);
    free(sw);
}
