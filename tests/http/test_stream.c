/* The live mailbox, GET /api/v1/me/stream, as a client of Server-Sent
 * Events sees it: without a session or key it is 401; a staff reply to a
 * citizen's report arrives on the citizen's open stream as an inbox event
 * (the entry as GET /api/v1/me/inbox shows it, with the unread count); a
 * client that disconnects, misses 3 replies and reconnects with
 * Last-Event-ID gets exactly those 3, in order, once - also when the
 * replies were written through another polis process on the same database,
 * which then reaches a stream of the first process live, too; SIGTERM ends
 * the streams rather than waiting for them to go.
 *
 * Wakes: the inbox triggers (sql/006, sql/014) still NOTIFY polis_inbox in
 * the write; the server listens to it and to polis_changes (the wake sent
 * after commit once the write path sends it), so this test needs neither. */
#include "h_stream.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct world {
    struct h_server *a, *b; /* two polis processes on the same database */
    PGconn *db;
    struct ha_user citizen, staff;
    long report;
};

static long file_report(struct world *w)
{
    struct h_resp r;
    ha_call(w->a, &w->citizen, "POST", "/api/v1/reports",
            "{\"category\":\"cleaning\",\"lat\":41.0912,\"lon\":23.5493,"
            "\"description\":\"Stream test report\"}",
            &r);
    CHECK(r.status == 201, "file a report: expected 201, found %ld %.300s", r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    return id;
}

/* The staff member replies on the report through server s. */
static void staff_reply(struct world *w, const struct h_server *s, const char *text)
{
    char path[128], body[256];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/messages", w->report);
    snprintf(body, sizeof body, "{\"body\":\"%s\"}", text);
    struct h_resp r;
    ha_call(s, &w->staff, "POST", path, body, &r);
    CHECK(r.status == 201, "staff reply \"%s\": expected 201, found %ld %.300s", text, r.status,
          r.body);
    h_resp_free(&r);
}

/* The newest entry of the citizen's inbox, as text for Last-Event-ID: a
 * client shows the inbox, then streams what comes after it. */
static void newest_entry(struct world *w, char *out, size_t outlen)
{
    struct h_resp r;
    ha_call(w->a, &w->citizen, "GET", "/api/v1/me/inbox?limit=1", NULL, &r);
    CHECK(r.status == 200, "GET inbox: expected 200, found %ld", r.status);
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    snprintf(out, outlen, "%lld", (long long)json_integer_value(json_object_get(first, "id")));
    h_resp_free(&r);
}

static const char *event_body(const struct event *e)
{
    const char *b = json_string_value(json_object_get(e->data, "body"));
    return b ? b : "(none)";
}

static void requires_auth(struct world *w)
{
    struct h_resp r;
    h_get(w->a, "/api/v1/me/stream", &r);
    CHECK_PROBLEM("stream without a session", &r, 401, NULL);
    h_resp_free(&r);
    ha_call(w->a, &w->citizen, "GET", "/api/v1/me/stream?last_event_id=yesterday", NULL, &r);
    CHECK_PROBLEM("stream with last_event_id=yesterday", &r, 400, "last_event_id");
    h_resp_free(&r);
    ha_call(w->a, &w->citizen, "GET", "/api/v1/me/stream?since=1", NULL, &r);
    CHECK_PROBLEM("stream with an unknown parameter", &r, 400, "since");
    h_resp_free(&r);
}

/* A staff reply reaches the citizen's open stream: the entry with its id,
 * the report, the text and the unread count. Returns the event's id. */
static long long live_reply(struct world *w)
{
    struct stream st;
    char seen[32];
    newest_entry(w, seen, sizeof seen);
    stream_start(&st, w->a, &w->citizen, NULL, seen);
    staff_reply(w, w->a, "We will come tomorrow");
    pump_until(&st, has_events, 1);
    CHECK(st.nev == 1, "staff reply: expected 1 event on the citizen's stream, found %d", st.nev);
    long long id = 0;
    if (st.nev >= 1) {
        const struct event *e = &st.ev[0];
        id = e->id;
        CHECK_STR("event name", e->name, "inbox");
        CHECK_STR("event body", event_body(e), "We will come tomorrow");
        CHECK_STR("event kind", json_string_value(json_object_get(e->data, "kind")), "message");
        CHECK(json_integer_value(json_object_get(e->data, "report_id")) == w->report,
              "event report_id: expected %ld", w->report);
        CHECK(json_integer_value(json_object_get(e->data, "id")) == e->id,
              "the event's id line is the entry's id: %lld", e->id);
        /* the count the page's badge shows: the citizen's unread entries,
         * counted here in the database (polis keeps it stored, sql/038) */
        char uid[24];
        snprintf(uid, sizeof uid, "%ld", w->citizen.id);
        const char *args[] = {uid};
        char *counted = h_pg_value(w->db, "SELECT count(*) FROM inbox"
                                   " WHERE user_id = $1::bigint AND read_at IS NULL", 1, args);
        CHECK(counted && json_integer_value(json_object_get(e->data, "unread")) == atoll(counted),
              "event unread: expected %s (the citizen's unread entries), found %lld",
              counted ? counted : "?",
              (long long)json_integer_value(json_object_get(e->data, "unread")));
        free(counted);
        /* the same entry GET /api/v1/me/inbox lists first */
        struct h_resp r;
        ha_call(w->a, &w->citizen, "GET", "/api/v1/me/inbox?limit=1", NULL, &r);
        json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
        CHECK(json_integer_value(json_object_get(first, "id")) == e->id,
              "the inbox lists the event's entry first: %.300s", r.body);
        h_resp_free(&r);
    }
    stream_close(&st);
    return id;
}

/* Disconnected after last_id, 3 replies through `writer`, then a stream on
 * `reader` with Last-Event-ID: exactly the 3, in order; then one live
 * reply through `writer` arrives after them and nothing came twice.
 * Returns the id of the last event. */
static long long resume(struct world *w, const struct h_server *writer,
                        const struct h_server *reader, long long last_id, const char *tag)
{
    char texts[3][64];
    for (int i = 0; i < 3; i++) {
        snprintf(texts[i], sizeof texts[i], "%s missed %d", tag, i + 1);
        staff_reply(w, writer, texts[i]);
    }
    char last[32];
    snprintf(last, sizeof last, "%lld", last_id);
    struct stream st;
    stream_start(&st, reader, &w->citizen, NULL, last);
    pump_until(&st, has_events, 3);
    CHECK(st.nev == 3, "%s: expected the 3 missed events after %lld, found %d", tag, last_id,
          st.nev);
    for (int i = 0; i < st.nev && i < 3; i++) {
        CHECK_STR(tag, event_body(&st.ev[i]), texts[i]);
        CHECK(st.ev[i].id > (i ? st.ev[i - 1].id : last_id),
              "%s: event %d id %lld is not after the one before", tag, i + 1, st.ev[i].id);
    }
    char live[64];
    snprintf(live, sizeof live, "%s live", tag);
    staff_reply(w, writer, live);
    pump_until(&st, has_events, 4);
    /* the live one comes fourth: none of the 3 came again before it */
    CHECK(st.nev == 4, "%s: expected 4 events after the live reply, found %d", tag, st.nev);
    long long id = st.nev ? st.ev[st.nev - 1].id : last_id;
    if (st.nev == 4)
        CHECK_STR(tag, event_body(&st.ev[3]), live);
    stream_close(&st);
    return id;
}

/* An API key opens the stream like a session does. */
static void api_key_stream(struct world *w)
{
    char key[128];
    long st_key = ha_make_key(w->a, &w->citizen, "stream", "[\"read\"]", key, sizeof key);
    CHECK(st_key == 201, "mint a read key: expected 201, found %ld", st_key);
    if (st_key != 201)
        return;
    char seen[32];
    newest_entry(w, seen, sizeof seen);
    struct stream st;
    stream_start(&st, w->a, NULL, key, seen);
    staff_reply(w, w->a, "Seen with a key");
    pump_until(&st, has_events, 1);
    CHECK(st.nev == 1 && !strcmp(event_body(&st.ev[0]), "Seen with a key"),
          "API key stream: expected the reply, found %d events", st.nev);
    stream_close(&st);
}

/* SIGTERM ends the open streams (their clients reconnect to another
 * process) instead of holding the drain (600 s here) until they go. */
static void ends_on_sigterm(struct world *w)
{
    struct stream st;
    stream_start(&st, w->a, &w->citizen, NULL, NULL);
    kill(w->a->pid, SIGTERM);
    pump_until(&st, has_events, MAX_EVENTS + 1);
    CHECK(st.ended, "SIGTERM: expected the stream to end");
    CHECK(h_server_wait_exit(w->a, 60), "SIGTERM: expected the server to exit, streams closed");
    stream_close(&st);
}

int main(void)
{
    h_init("test_stream", 240);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *url = h_shared_dburl();
    struct world w = {0};
    w.db = h_pg_connect(url);
    struct h_server a, b;
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_USER_WRITE=0", "POLIS_DRAIN_SECONDS=600", NULL};
    if (h_server_start(&a, url, env) != 0 || h_server_start(&b, url, env) != 0)
        return h_finish();
    w.a = &a;
    w.b = &b;
    if (ha_new_user(&a, w.db, "stream-cit", &w.citizen) ||
        ha_new_user(&a, w.db, "stream-staff", &w.staff))
        return h_finish();
    ha_set_role(w.db, &w.staff, "staff", "cleaning");
    requires_auth(&w);
    w.report = file_report(&w);
    if (!w.report)
        return h_finish();
    /* the filing's own entry reaches the reporter's mailbox through the
     * fan-out job, after the answer: let it land before any stream opens */
    ha_fanout_settled(w.db);
    long long last = live_reply(&w);
    last = resume(&w, &a, &a, last, "same process");
    resume(&w, &b, &a, last, "other process");
    api_key_stream(&w);
    ends_on_sigterm(&w);
    PQfinish(w.db);
    curl_global_cleanup();
    return h_finish();
}
