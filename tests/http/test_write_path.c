/* The write path (issue 16): no trigger function sends a NOTIFY inside a
 * write's transaction any more; filing a report does not wait for another
 * uncommitted write of the reports layer (the layer's version used to be
 * one row that every filing updated, so concurrent filings queued on it);
 * both writes still move the layer's version once committed; and after a
 * filing the server wakes the listeners with NOTIFY polis_changes. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#define REPORT_BODY                                                                          \
    "{\"category\":\"cleaning\",\"lat\":41.0911,\"lon\":23.5494,"                            \
    "\"description\":\"Write path test report\"}"

static long file_report(const struct h_server *s)
{
    struct h_resp r;
    ha_call(s, NULL, "POST", "/api/v1/reports", REPORT_BODY, &r);
    CHECK(r.status == 201, "file a report: expected 201, found %ld %.300s", r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    return id;
}

static void no_notify_in_triggers(PGconn *db)
{
    char *names = h_pg_value(db,
        "SELECT coalesce(string_agg(p.proname, ', ' ORDER BY p.proname), '')"
        " FROM pg_proc p WHERE p.prorettype = 'trigger'::regtype"
        "   AND p.prosrc ILIKE '%pg_notify%'", 0, NULL);
    CHECK_STR("trigger functions that call pg_notify", names, "");
    free(names);
    char *n = h_pg_value(db,
        "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
        " WHERE t.tgrelid IN ('reports'::regclass, 'report_history'::regclass,"
        "   'report_messages'::regclass) AND NOT t.tgisinternal"
        "   AND (p.prosrc ILIKE '%pg_notify%' OR p.prosrc ~* '\\mnotify\\s')", 0, NULL);
    CHECK_STR("triggers on the report tables whose function notifies", n, "0");
    free(n);
}

static long long reports_version(PGconn *db)
{
    char *v = h_pg_value(db, "SELECT version FROM layer_versions WHERE layer = 'reports'", 0,
                         NULL);
    long long n = v ? atoll(v) : -1;
    free(v);
    return n;
}

/* Another write of the reports layer is open (not committed): a filing
 * still answers, and both move the version once committed. */
static void filings_do_not_queue(const struct h_server *s, PGconn *db, const char *url)
{
    long first = file_report(s);
    if (!first)
        return;
    long long before = reports_version(db);
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", first);
    const char *p[] = {ids};
    PGconn *other = h_pg_connect(url);
    free(h_pg_value(other, "BEGIN", 0, NULL));
    free(h_pg_value(other, "UPDATE reports SET address = 'open write' WHERE id = $1::bigint"
                           " RETURNING id", 1, p));
    long second = file_report(s);
    CHECK(second > 0, "a filing answers while another write of the layer is uncommitted");
    free(h_pg_value(other, "COMMIT", 0, NULL));
    PQfinish(other);
    CHECK(reports_version(db) >= before + 2,
          "both writes moved the reports layer's version: %lld, then %lld", before,
          reports_version(db));
}

/* After a filing a NOTIFY polis_changes arrives (within 60 s). */
static void filing_wakes_listeners(const struct h_server *s, const char *url)
{
    PGconn *listen = h_pg_connect(url);
    free(h_pg_value(listen, "LISTEN polis_changes", 0, NULL));
    long id = file_report(s);
    int woken = 0;
    for (long long until = h_now_ms() + 60000; id && !woken && h_now_ms() < until;) {
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(PQsocket(listen), &fds);
        struct timeval tv = {1, 0};
        if (select(PQsocket(listen) + 1, &fds, NULL, NULL, &tv) > 0 && PQconsumeInput(listen)) {
            PGnotify *n;
            while ((n = PQnotifies(listen))) {
                woken = 1;
                PQfreemem(n);
            }
        }
    }
    CHECK(woken, "a NOTIFY polis_changes arrives after a filing");
    PQfinish(listen);
}

int main(void)
{
    h_init("test_write_path", 240);
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_ANON_WRITE=100000", NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    no_notify_in_triggers(db);
    filings_do_not_queue(&s, db, url);
    filing_wakes_listeners(&s, url);
    PQfinish(db);
    return h_finish();
}
