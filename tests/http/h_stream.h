/* A client of Server-Sent Events for the HTTP tests (GET /api/v1/me/stream):
 * one open stream read with curl's multi interface, so that a test can wait
 * for events (within the harness's deadline) while the stream stays open. */
#ifndef POLIS_TEST_H_STREAM_H
#define POLIS_TEST_H_STREAM_H

#include "h_accounts.h"

#include <curl/curl.h>

#define MAX_EVENTS 32

struct event {
    long long id;
    char name[32];
    json_t *data;
};

struct stream {
    CURLM *multi;
    CURL *easy;
    struct curl_slist *headers;
    char *bytes;
    size_t len, cap, parsed;
    int ended;
    struct event ev[MAX_EVENTS];
    int nev;
};

/* Opens path on s as u (its cookie) or with an API key, and with a
 * Last-Event-ID header when last_id is not NULL. */
void stream_open(struct stream *st, const struct h_server *s, const char *path,
                 const struct ha_user *u, const char *key, const char *last_id);
void stream_close(struct stream *st);
/* Reads until until(st, n) holds, the stream ends or the deadline passes. */
void pump_until(struct stream *st, int (*until)(const struct stream *st, int n), int n);
/* until() conditions: n events or more arrived; the stream has answered. */
int has_events(const struct stream *st, int n);
int is_open(const struct stream *st, int n);
long stream_status(const struct stream *st);
/* Opens GET /api/v1/me/stream and waits until the server has answered (the
 * stream is registered from then on: what is written later reaches it);
 * checks 200 and text/event-stream. */
void stream_start(struct stream *st, const struct h_server *s, const struct ha_user *u,
                  const char *key, const char *last_id);

#endif
