#include "h_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t on_bytes(char *p, size_t size, size_t n, void *data)
{
    struct stream *st = data;
    size_t add = size * n;
    if (st->len + add + 1 > st->cap) {
        st->cap = (st->len + add + 1) * 2;
        st->bytes = realloc(st->bytes, st->cap);
    }
    memcpy(st->bytes + st->len, p, add);
    st->len += add;
    st->bytes[st->len] = '\0';
    return add;
}

/* Opens path on s as u (its cookie) or with an API key, and with a
 * Last-Event-ID header when last_id is not NULL. */
void stream_open(struct stream *st, const struct h_server *s, const char *path,
                 const struct ha_user *u, const char *key, const char *last_id)
{
    memset(st, 0, sizeof *st);
    char url[512], line[512];
    snprintf(url, sizeof url, "%s%s", s->base, path);
    if (u) {
        snprintf(line, sizeof line, "Cookie: %s=%s", ha_cookie_name(u), u->cookie);
        st->headers = curl_slist_append(st->headers, line);
    }
    if (key) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", key);
        st->headers = curl_slist_append(st->headers, line);
    }
    if (last_id) {
        snprintf(line, sizeof line, "Last-Event-ID: %s", last_id);
        st->headers = curl_slist_append(st->headers, line);
    }
    st->multi = curl_multi_init();
    st->easy = curl_easy_init();
    curl_easy_setopt(st->easy, CURLOPT_URL, url);
    curl_easy_setopt(st->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(st->easy, CURLOPT_HTTPHEADER, st->headers);
    curl_easy_setopt(st->easy, CURLOPT_WRITEFUNCTION, on_bytes);
    curl_easy_setopt(st->easy, CURLOPT_WRITEDATA, st);
    curl_multi_add_handle(st->multi, st->easy);
}

void stream_close(struct stream *st)
{
    curl_multi_remove_handle(st->multi, st->easy);
    curl_easy_cleanup(st->easy);
    curl_multi_cleanup(st->multi);
    curl_slist_free_all(st->headers);
    free(st->bytes);
    for (int i = 0; i < st->nev; i++)
        json_decref(st->ev[i].data);
    memset(st, 0, sizeof *st);
}

/* The complete events received so far (a block ending in a blank line
 * with a data line; comments and retry: lines are not events). */
static void parse_events(struct stream *st)
{
    char *end;
    while (st->bytes && (end = strstr(st->bytes + st->parsed, "\n\n"))) {
        *end = '\0';
        struct event e = {0};
        int has_data = 0;
        for (char *line = st->bytes + st->parsed; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            if (!strncmp(line, "id: ", 4))
                e.id = atoll(line + 4);
            else if (!strncmp(line, "event: ", 7))
                snprintf(e.name, sizeof e.name, "%s", line + 7);
            else if (!strncmp(line, "data: ", 6)) {
                e.data = json_loads(line + 6, 0, NULL);
                has_data = 1;
            }
            line = nl ? nl + 1 : NULL;
        }
        st->parsed = (size_t)(end - st->bytes) + 2;
        if (has_data && st->nev < MAX_EVENTS)
            st->ev[st->nev++] = e;
        else
            json_decref(e.data);
    }
}

/* Reads until until(st) holds, the stream ends or the deadline passes. */
void pump_until(struct stream *st, int (*until)(const struct stream *st, int n), int n)
{
    long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS;
    while (!until(st, n) && !st->ended && h_now_ms() < deadline) {
        int running = 0;
        curl_multi_perform(st->multi, &running);
        if (!running)
            st->ended = 1;
        parse_events(st);
        if (!until(st, n) && running)
            curl_multi_poll(st->multi, NULL, 0, 200, NULL);
    }
}

int has_events(const struct stream *st, int n)
{
    return st->nev >= n;
}

int is_open(const struct stream *st, int n)
{
    return st->bytes && strstr(st->bytes, "retry: ") != NULL;
}

long stream_status(const struct stream *st)
{
    long status = 0;
    curl_easy_getinfo(st->easy, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/* Opens a stream and waits until the server has answered (the stream is
 * registered from then on: what is written later reaches it). */
void stream_start(struct stream *st, const struct h_server *s, const struct ha_user *u,
                  const char *key, const char *last_id)
{
    stream_open(st, s, "/api/v1/me/stream", u, key, last_id);
    pump_until(st, is_open, 0);
    CHECK(stream_status(st) == 200 && is_open(st, 0),
          "stream on %s: expected 200 and a retry: line, found %ld \"%.200s\"", s->base,
          stream_status(st), st->bytes ? st->bytes : "");
    char *ctype = NULL;
    curl_easy_getinfo(st->easy, CURLINFO_CONTENT_TYPE, &ctype);
    CHECK(ctype && !strncmp(ctype, "text/event-stream", 17),
          "stream: expected text/event-stream, found %s", ctype ? ctype : "(none)");
}
