/* The protocol book as the municipality relies on it: 100 applications
 * submitted at once get 100 distinct, consecutive numbers N/YYYY with no
 * gap; a submission that fails (a refused one before its transaction, and
 * one whose transaction fails after it took its number) burns no number;
 * requests that arrive at the counter, by phone or by post are registered
 * by staff with their channel and take the next numbers; the book's pages
 * tell the entries per channel, so the share of electronic requests is
 * known; an entry can be neither deleted nor renumbered.
 *
 * On a database of its own (h_private_db): every submission in the shared
 * one takes a number of the same counter, so the 100 could not be
 * consecutive there. */
#include "h_accounts.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARALLEL 100

static struct h_server srv;
static PGconn *db;
static struct ha_user citizen, staff, other;
static char service_id[32];
static int year;
static const char *protocol_db_url; /* the test's own database */

/* A new draft of the certificate of no debts; answers is its JSON object. */
static long new_draft(const char *answers)
{
    char body[300];
    snprintf(body, sizeof body, "{\"service\":%s,\"answers\":%s}", service_id, answers);
    struct h_resp r;
    ha_call(&srv, &citizen, "POST", "/api/v1/applications", body, &r);
    CHECK(r.status == 201, "a draft: expected 201, found %ld %.200s", r.status, r.body);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    return id;
}

/* The number N of "N/YYYY" when YYYY is this year, else -1. */
static long number_of(const char *protocol_number)
{
    long n;
    int y;
    char tail;
    if (!protocol_number || sscanf(protocol_number, "%ld/%d%c", &n, &y, &tail) != 2 ||
        y != year)
        return -1;
    return n;
}

static long counter(void)
{
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    char *v = h_pg_value(db, "SELECT coalesce((SELECT last_number FROM protocol_counters c"
                             " JOIN boundaries b ON b.id = c.municipality_id"
                             " WHERE b.code = '9054' AND c.year = $1::int), 0)",
                         1, (const char *[]){y});
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

struct submission {
    pthread_t t;
    long id;
    long status;
    long number;
};

static void *submit(void *arg)
{
    struct submission *sub = arg;
    char path[96];
    snprintf(path, sizeof path, "/api/v1/applications/%ld/submit", sub->id);
    struct h_resp r;
    ha_call(&srv, &citizen, "POST", path, NULL, &r);
    sub->status = r.status;
    sub->number = number_of(json_string_value(json_object_get(r.json, "protocol_number")));
    h_resp_free(&r);
    return NULL;
}

static int by_number(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* 100 at once: 100 distinct, consecutive numbers after the counter. */
static void hundred_at_once(void)
{
    static struct submission subs[PARALLEL];
    for (int i = 0; i < PARALLEL; i++)
        subs[i].id = new_draft("{\"purpose\":\"parallel\"}");
    long before = counter();
    for (int i = 0; i < PARALLEL; i++)
        pthread_create(&subs[i].t, NULL, submit, &subs[i]);
    for (int i = 0; i < PARALLEL; i++)
        pthread_join(subs[i].t, NULL);
    long numbers[PARALLEL];
    int ok = 0;
    for (int i = 0; i < PARALLEL; i++) {
        ok += subs[i].status == 200;
        numbers[i] = subs[i].number;
    }
    CHECK_INT("submissions at once answered 200", ok, PARALLEL);
    qsort(numbers, PARALLEL, sizeof numbers[0], by_number);
    int consecutive = 1;
    for (int i = 0; i < PARALLEL; i++)
        consecutive &= numbers[i] == before + 1 + i;
    CHECK(consecutive, "100 submissions at once: expected the numbers %ld to %ld, one each; "
          "found %ld to %ld", before + 1, before + PARALLEL, numbers[0], numbers[PARALLEL - 1]);
    CHECK_INT("the counter after them", counter(), before + PARALLEL);
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    /* each application is linked to its own entry, and the entry to it */
    char *linked = h_pg_value(db, "SELECT count(*) FROM applications a JOIN protocol_entries e"
                                  " ON e.id = a.protocol_entry_id AND e.application_id = a.id"
                                  " WHERE e.year = $1::int AND e.channel = 'web'",
                              1, (const char *[]){y});
    CHECK_STR("applications and their entries linked both ways", linked, "100");
    free(linked);
}

/* A refused submission and one whose transaction fails take no number. */
static void failures_burn_nothing(void)
{
    long incomplete = new_draft("{}");
    long before = counter();
    char path[96];
    snprintf(path, sizeof path, "/api/v1/applications/%ld/submit", incomplete);
    struct h_resp r;
    ha_call(&srv, &citizen, "POST", path, NULL, &r);
    CHECK_PROBLEM("a submission without a required answer", &r, 422, "answers.purpose");
    h_resp_free(&r);
    CHECK_INT("the counter after a refused submission", counter(), before);

    /* a failure inside the statement, after the number was taken: the history row
     * of this one application cannot be written */
    long doomed = new_draft("{\"purpose\":\"rolled back\"}");
    char sql[600];
    snprintf(sql, sizeof sql,
             "CREATE FUNCTION test_protocol_fail() RETURNS trigger LANGUAGE plpgsql AS $$"
             " BEGIN IF NEW.application_id = %ld THEN RAISE EXCEPTION 'forced by test_protocol';"
             " END IF; RETURN NEW; END $$;"
             "CREATE TRIGGER test_protocol_fail BEFORE INSERT ON application_history"
             " FOR EACH ROW EXECUTE FUNCTION test_protocol_fail()", doomed);
    h_owner_exec(protocol_db_url, sql);
    snprintf(path, sizeof path, "/api/v1/applications/%ld/submit", doomed);
    ha_call(&srv, &citizen, "POST", path, NULL, &r);
    CHECK(r.status == 500, "a submission whose transaction fails: expected 500, found %ld",
          r.status);
    h_resp_free(&r);
    CHECK_INT("the counter after a rolled back submission", counter(), before);
    char id[32];
    snprintf(id, sizeof id, "%ld", doomed);
    CHECK_INT("no entry for the rolled back submission",
              ha_count_where(db, "protocol_entries", "application_id = $1::bigint", id), 0);
    CHECK_INT("it is still a draft",
              ha_count_where(db, "applications", "id = $1::bigint AND status = 'draft'", id), 1);
    h_owner_exec(protocol_db_url, "DROP TRIGGER test_protocol_fail ON application_history;"
                                  "DROP FUNCTION test_protocol_fail()");
    ha_call(&srv, &citizen, "POST", path, NULL, &r);
    CHECK_INT("the same submission once it can be written", r.status, 200);
    CHECK_INT("it takes the number the failed one gave back",
              number_of(json_string_value(json_object_get(r.json, "protocol_number"))),
              before + 1);
    h_resp_free(&r);
}

/* Staff register what arrived at the counter, by phone and by post. */
static void registered_by_staff(void)
{
    static const char *const channels[] = {"counter", "phone", "post"};
    long before = counter();
    for (int i = 0; i < 3; i++) {
        char body[300];
        snprintf(body, sizeof body,
                 "{\"subject\":\"Αίτηση βεβαίωσης (%s)\",\"correspondent\":\"Μαρία Παπαδοπούλου\","
                 "\"channel\":\"%s\"}", channels[i], channels[i]);
        struct h_resp r;
        ha_call(&srv, &staff, "POST", "/api/v1/protocol", body, &r);
        CHECK(r.status == 201, "a request by %s: expected 201, found %ld %.200s", channels[i],
              r.status, r.body);
        CHECK_STR("its channel", json_string_value(json_object_get(r.json, "channel")),
                  channels[i]);
        CHECK_STR("its direction", json_string_value(json_object_get(r.json, "direction")),
                  "incoming");
        CHECK_INT("its number", number_of(json_string_value(json_object_get(r.json,
                  "protocol_number"))), before + 1 + i);
        CHECK_STR("who registered it", json_string_value(json_object_get(r.json,
                  "registered_by")), staff.email);
        h_resp_free(&r);
    }
    struct h_resp r;
    ha_call(&srv, &staff, "POST", "/api/v1/protocol",
            "{\"subject\":\"x\",\"correspondent\":\"y\",\"channel\":\"web\"}", &r);
    CHECK_PROBLEM("staff registering a web request", &r, 422, "channel");
    h_resp_free(&r);
    ha_call(&srv, &staff, "POST", "/api/v1/protocol",
            "{\"correspondent\":\"y\",\"channel\":\"post\",\"direction\":\"sideways\"}", &r);
    CHECK_PROBLEM("an entry without a subject", &r, 422, "subject");
    CHECK_PROBLEM("nor a known direction", &r, 422, "direction");
    h_resp_free(&r);
    ha_call(&srv, &other, "POST", "/api/v1/protocol",
            "{\"subject\":\"x\",\"correspondent\":\"y\",\"channel\":\"post\"}", &r);
    CHECK_PROBLEM("a citizen registering an entry", &r, 403, NULL);
    h_resp_free(&r);
    CHECK_INT("the counter after refused registrations", counter(), before + 3);
}

/* The book's pages: per channel, filtered, paged; the electronic share. */
static void the_book(void)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/protocol?year=%d&direction=incoming", year);
    struct h_resp r;
    ha_call(&srv, &staff, "GET", path, NULL, &r);
    CHECK_INT("the book of the year", r.status, 200);
    json_t *ch = json_object_get(r.json, "channels");
    long web = (long)json_integer_value(json_object_get(ch, "web"));
    long total = 0;
    const char *k;
    json_t *v;
    json_object_foreach(ch, k, v) total += (long)json_integer_value(v);
    char *per = json_dumps(ch, JSON_COMPACT);
    CHECK(web == PARALLEL + 1 && total == PARALLEL + 4,
          "entries per channel: expected 101 web of 104, found %ld of %ld (%s)", web, total,
          per ? per : "none");
    free(per);
    CHECK(total > 0 && (double)web / (double)total > 0.97,
          "the share of electronic requests: 101/104, found %ld/%ld", web, total);
    json_t *first = json_array_get(json_object_get(r.json, "entries"), 0);
    CHECK_STR("the newest entry first", json_string_value(json_object_get(first, "channel")),
              "post");
    h_resp_free(&r);

    snprintf(path, sizeof path, "/api/v1/protocol?year=%d&channel=phone", year);
    ha_call(&srv, &staff, "GET", path, NULL, &r);
    json_t *entries = json_object_get(r.json, "entries");
    CHECK(json_array_size(entries) == 1 &&
              !strcmp(json_string_value(json_object_get(json_array_get(entries, 0), "subject")),
                      "Αίτηση βεβαίωσης (phone)"),
          "only the phone request: %.300s", r.body);
    h_resp_free(&r);

    /* paging: every entry once */
    snprintf(path, sizeof path, "/api/v1/protocol?year=%d&limit=40", year);
    int seen = 0, pages = 0;
    long last = -1;
    int ordered = 1;
    while (path[0] && pages < 10) {
        ha_call(&srv, &staff, "GET", path, NULL, &r);
        CHECK_INT("a page of the book", r.status, 200);
        size_t i;
        json_array_foreach(json_object_get(r.json, "entries"), i, v) {
            long n = (long)json_integer_value(json_object_get(v, "number"));
            ordered &= last < 0 || n < last;
            last = n;
            seen++;
        }
        path[0] = '\0';
        json_array_foreach(json_object_get(r.json, "links"), i, v) {
            const char *rel = json_string_value(json_object_get(v, "rel"));
            const char *href = json_string_value(json_object_get(v, "href"));
            if (rel && href && !strcmp(rel, "next") && strstr(href, "/api/"))
                snprintf(path, sizeof path, "%s", strstr(href, "/api/"));
        }
        h_resp_free(&r);
        pages++;
    }
    CHECK(seen == PARALLEL + 4 && pages == 3,
          "paged by 40: expected 104 entries on 3 pages, found %d on %d", seen, pages);
    CHECK(ordered, "newest first, every number once");

    ha_call(&srv, &staff, "GET", "/api/v1/protocol?year=26", NULL, &r);
    CHECK_PROBLEM("a year of two digits", &r, 400, "year");
    h_resp_free(&r);
    ha_call(&srv, &other, "GET", "/api/v1/protocol", NULL, &r);
    CHECK_PROBLEM("a citizen reading the book", &r, 403, NULL);
    h_resp_free(&r);
}

/* Whoever asks, the database keeps every entry and its number. */
static void never_deleted(void)
{
    PGconn *owner = h_pg_connect(h_owner_dburl(protocol_db_url));
    static const char *const attempts[] = {
        "DELETE FROM protocol_entries WHERE id = (SELECT max(id) FROM protocol_entries)",
        /* one statement over two lines: the parentheses tell clang so */
        ("UPDATE protocol_entries SET number = number + 100000 "
         "WHERE id = (SELECT max(id) FROM protocol_entries)"),
        "TRUNCATE protocol_entries CASCADE"};
    for (int i = 0; i < 3; i++) {
        PGresult *res = PQexec(owner, attempts[i]);
        CHECK(PQresultStatus(res) == PGRES_FATAL_ERROR,
              "the owner tries %s: expected an error, found %s", attempts[i],
              PQresStatus(PQresultStatus(res)));
        PQclear(res);
    }
    PQfinish(owner);
    char *n = h_pg_value(db, "SELECT count(*) FROM protocol_entries", 0, NULL);
    CHECK_STR("entries after the attempts", n, "104");
    free(n);
}

int main(void)
{
    h_init("test_protocol", 240);
    curl_global_init(CURL_GLOBAL_DEFAULT); /* before the threads */
    static char url[1024];
    snprintf(url, sizeof url, "%s", h_private_db("protocol"));
    protocol_db_url = url;
    db = h_pg_connect(url);
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_USER_WRITE=0", NULL};
    if (h_server_start(&srv, url, env) != 0)
        return h_finish();
    if (ha_new_user(&srv, db, "protocol-citizen", &citizen) ||
        ha_new_user(&srv, db, "protocol-staff", &staff) ||
        ha_new_user(&srv, db, "protocol-other", &other))
        return h_finish();
    ha_set_role(db, &staff, "staff", "citizen_services");
    char *id = h_pg_value(db, "SELECT id FROM services WHERE code = 'no_debts'", 0, NULL);
    if (!id)
        h_fatal("no demo service no_debts");
    snprintf(service_id, sizeof service_id, "%s", id);
    free(id);
    char *y = h_pg_value(db, "SELECT extract(year FROM now() AT TIME ZONE 'Europe/Athens')", 0,
                         NULL);
    year = y ? atoi(y) : 0;
    free(y);
    char *entries = h_pg_value(db, "SELECT count(*) FROM protocol_entries", 0, NULL);
    CHECK_STR("a new database's book is empty", entries, "0");
    free(entries);

    hundred_at_once();
    failures_burn_nothing();
    registered_by_staff();
    the_book();
    never_deleted();

    PQfinish(db);
    h_private_db_drop(url);
    return h_finish();
}
