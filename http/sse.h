/* Server-Sent Events of the mailbox (GET /api/v1/me/stream): the open
 * streams of one worker thread, found by user id, and the batches of new
 * inbox entries the process's one feed reader (http/sse_feed.h) hands to
 * every worker through h2o's multithread queue. A stream costs its
 * connection, this small struct and the bytes not yet sent; no database
 * connection and no query of its own after it has started. */
#ifndef POLIS_SSE_H
#define POLIS_SSE_H

#include "http/exchange.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* One new inbox entry: whose, its id and its JSON text. */
struct sse_event {
    int64_t id;
    long user_id;
    const char *data;
    size_t len;
};

/* Entries read once, shared by all workers; freed by the last one. */
struct sse_batch {
    atomic_int refs;
    size_t n;
    struct sse_event *events; /* n entries; their texts follow in the same block */
    char *text_end;           /* where the next text goes */
};

/* A batch for n events whose texts take text_bytes in all; fill events[i]
 * with sse_batch_add. NULL when out of memory. */
struct sse_batch *sse_batch_new(size_t n, size_t text_bytes);
void sse_batch_add(struct sse_batch *b, int64_t id, long user_id, const char *data, size_t len);
/* Hands the batch to every worker of app (the caller's reference is given
 * up): each writes the events to its streams of those users. */
void sse_broadcast(struct polis_ctx *app, struct sse_batch *b);

struct sse_worker;
/* The streams of worker w (called in worker_init, before the threads run). */
struct sse_worker *sse_worker_create(struct polis_worker *w);
void sse_worker_destroy(struct sse_worker *sw);
/* Shutdown: ends every stream of the worker (clients reconnect elsewhere). */
void sse_worker_close_all(struct sse_worker *sw);
/* Streams open on this worker. */
size_t sse_worker_count(const struct sse_worker *sw);

struct sse_stream;
/* Answers ex with 200 text/event-stream and keeps it open for the events
 * of user_id. after >= 0: the client has seen the entries up to this id;
 * the caller writes the stored ones after it first (sse_stream_write, then
 * sse_stream_resumed), meanwhile live events are held back, then sent
 * unless the stored ones had them; none up to after is ever sent. */
struct sse_stream *sse_stream_open(struct exchange *ex, long user_id, int64_t after);
/* One stored entry while resuming, in id order. */
void sse_stream_write(struct sse_stream *s, int64_t id, const char *data, size_t len);
/* The stored entries are written (ok) or could not be read (!ok: the
 * stream ends, the client retries). */
void sse_stream_resumed(struct sse_stream *s, int ok);

#endif
