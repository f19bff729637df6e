/* The process's one reader of new inbox rows, on worker 0's loop. The
 * process's LISTEN connection (http/layer_listener.h) wakes it on a NOTIFY
 * on polis_changes (sent after a write's commit, notify/) or polis_inbox
 * (still sent by the inbox triggers of sql/006 and sql/014), and after each
 * (re)connect. It reads the rows after its cursor once for all streams
 * (notify/change_feed.h keeps out-of-order commits from being skipped),
 * on worker 0's query pool, and hands them to every worker's streams
 * (http/sse.h). Wakes that come while a read runs make one more read. */
#ifndef POLIS_SSE_FEED_H
#define POLIS_SSE_FEED_H

#include "http/polis.h"

struct sse_feed;

/* Reads with w's query pool, on w's loop; broadcasts to all workers of app. */
struct sse_feed *sse_feed_create(struct polis_worker *w);
void sse_feed_destroy(struct sse_feed *f);

/* Something may be new: read it (callback of the LISTEN connection). */
void sse_feed_wake(void *feed);

#endif
