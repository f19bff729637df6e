/* "My reports" and the staff's text search, as their users see them:
 * GET /api/v1/me/reports lists the caller's own reports newest first, with
 * status, category, dates and the public part of the last step (never the
 * internal note), pages with a next link, and never shows another
 * citizen's; anonymous is 401. GET /api/v1/reports?q= finds reports by
 * their description or address whatever the case, accents or alphabet,
 * together with the other filters and paging; a bad q is a 400 naming it. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CIT_A, CIT_B, STAFF, NUSERS };

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
    char tag[32]; /* a word unique to this run, in every description */
};

static long file_report(struct world *w, struct ha_user *u, const char *description,
                        const char *address)
{
    char body[600];
    snprintf(body, sizeof body,
             "{\"category\":\"roads\",\"lat\":41.0912,\"lon\":23.5497,\"description\":\"%s %s\","
             "\"address\":\"%s\"}",
             description, w->tag, address);
    struct h_resp r;
    ha_call(w->s, u, "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file \"%s\": expected 201, found %ld %.200s", description, r.status,
          r.body);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    return id;
}

static void transition(struct world *w, long id, const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", id);
    struct h_resp r;
    ha_call(w->s, &w->u[STAFF], "POST", path, body, &r);
    CHECK(r.status == 200, "staff moves %ld: %ld %.200s", id, r.status, r.body);
    h_resp_free(&r);
}

/* The ids of a FeatureCollection, in order, into ids (at most n); the count. */
static size_t feature_ids(const json_t *fc, long *ids, size_t n)
{
    size_t i, k = 0;
    json_t *f;
    json_array_foreach(json_object_get(fc, "features"), i, f) if (k < n) ids[k++] =
        (long)json_integer_value(json_object_get(f, "id"));
    return k;
}

static int has_id(const long *ids, size_t n, long id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* The href of the "next" link (malloc'd, path and query only) or NULL. */
static char *next_link(const json_t *fc)
{
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(fc, "links"), i, l)
    {
        const char *rel = json_string_value(json_object_get(l, "rel"));
        const char *href = json_string_value(json_object_get(l, "href"));
        if (rel && href && !strcmp(rel, "next")) {
            const char *p = strstr(href, "/api/");
            return strdup(p ? p : href);
        }
    }
    return NULL;
}

static void my_reports(struct world *w)
{
    long a1 = file_report(w, &w->u[CIT_A], "Λακκούβα μπροστά στο σχολείο", "Ερμού 12");
    long b1 = file_report(w, &w->u[CIT_B], "Σπασμένο πεζοδρόμιο", "Μεραρχίας 3");
    long a2 = file_report(w, &w->u[CIT_A], "Broken kerb near the bakery", "Venizelou 40");
    transition(w, a1,
               "{\"to\":\"acknowledged\",\"public_comment\":\"Θα έρθει συνεργείο\","
               "\"internal_note\":\"secret crew note\"}");

    struct h_resp r;
    ha_call(w->s, &w->u[CIT_A], "GET", "/api/v1/me/reports", NULL, &r);
    CHECK_INT("A lists own reports", r.status, 200);
    long ids[200];
    size_t n = feature_ids(r.json, ids, 200);
    CHECK(n == 2 && ids[0] == a2 && ids[1] == a1,
          "A sees exactly A's two reports, newest first (%ld, %ld); found %zu: %.300s", a2, a1, n,
          r.body);
    CHECK(!has_id(ids, n, b1), "A never sees B's report %ld", b1);
    CHECK(!strstr(r.body, "secret crew note"), "the internal note is not shown to the reporter");
    json_t *older = json_array_get(json_object_get(r.json, "features"), 1);
    json_t *p = json_object_get(older, "properties");
    CHECK_STR("status of A's first report", json_string_value(json_object_get(p, "status")),
              "acknowledged");
    CHECK_STR("its category", json_string_value(json_object_get(p, "category")), "roads");
    CHECK(json_is_string(json_object_get(p, "created_at")) &&
              json_is_string(json_object_get(p, "updated_at")),
          "created_at and updated_at are given");
    json_t *last = json_object_get(p, "last_event");
    CHECK_STR("the last step", json_string_value(json_object_get(last, "to")), "acknowledged");
    CHECK_STR("its public comment", json_string_value(json_object_get(last, "public_comment")),
              "Θα έρθει συνεργείο");
    CHECK(json_is_true(json_object_get(p, "following")), "the reporter follows their report");
    h_resp_free(&r);

    /* paging: one a page, the next link gives the older one, then no more */
    ha_call(w->s, &w->u[CIT_A], "GET", "/api/v1/me/reports?limit=1", NULL, &r);
    n = feature_ids(r.json, ids, 200);
    CHECK(n == 1 && ids[0] == a2, "page 1 holds the newest report; found %zu", n);
    char *next = next_link(r.json);
    CHECK(next != NULL, "page 1 has a next link: %.300s", r.body);
    h_resp_free(&r);
    if (next) {
        ha_call(w->s, &w->u[CIT_A], "GET", next, NULL, &r);
        n = feature_ids(r.json, ids, 200);
        CHECK(n == 1 && ids[0] == a1, "page 2 (%s) holds the older report; found %zu", next, n);
        char *again = next_link(r.json);
        CHECK(again == NULL, "page 2 is the last");
        free(again);
        h_resp_free(&r);
        free(next);
    }

    ha_call(w->s, &w->u[CIT_B], "GET", "/api/v1/me/reports", NULL, &r);
    n = feature_ids(r.json, ids, 200);
    CHECK(n == 1 && ids[0] == b1, "B sees only B's report; found %zu: %.200s", n, r.body);
    h_resp_free(&r);

    h_get(w->s, "/api/v1/me/reports", &r);
    CHECK_PROBLEM("anonymous", &r, 401, NULL);
    h_resp_free(&r);
    ha_call(w->s, &w->u[CIT_A], "GET", "/api/v1/me/reports?limit=0", NULL, &r);
    CHECK_PROBLEM("limit=0", &r, 400, "limit");
    h_resp_free(&r);
    ha_call(w->s, &w->u[CIT_A], "GET", "/api/v1/me/reports?status=open", NULL, &r);
    CHECK_PROBLEM("an unknown parameter", &r, 400, "status");
    h_resp_free(&r);
}

/* Staff lists with q (percent-encoded UTF-8): the ids found, at most n. */
static size_t staff_search(struct world *w, const char *query, long *ids, size_t n, long *status)
{
    char path[600];
    snprintf(path, sizeof path, "/api/v1/reports?%s", query);
    struct h_resp r;
    ha_call(w->s, &w->u[STAFF], "GET", path, NULL, &r);
    *status = r.status;
    size_t k = r.status == 200 ? feature_ids(r.json, ids, n) : 0;
    h_resp_free(&r);
    return k;
}

static void text_search(struct world *w)
{
    long pothole = file_report(w, &w->u[CIT_B], "Βαθιά λακκούβα στη διάβαση", "Οδός Ερμού 7");
    long kerb = file_report(w, &w->u[CIT_B], "Broken KERB by the café", "Merarchias 20");
    long other = file_report(w, &w->u[CIT_B], "Πεσμένη πινακίδα", "Πλατεία Ελευθερίας");
    transition(w, kerb, "{\"to\":\"acknowledged\"}");

    struct {
        const char *what, *query;
        long want; /* the one report of this run found, or 0 for none */
    } cases[] = {
        /* λακκουβα without accents, in capitals, and in Latin letters */
        {"Greek without accents", "q=%CE%BB%CE%B1%CE%BA%CE%BA%CE%BF%CF%85%CE%B2%CE%B1", pothole},
        {"Greek in capitals",
         "q=%CE%9B%CE%91%CE%9A%CE%9A%CE%9F%CE%A5%CE%92%CE%91", pothole},
        {"Greek written in Latin letters", "q=lakkouva", pothole},
        /* ερμου: the address */
        {"the address", "q=%CE%B5%CF%81%CE%BC%CE%BF%CF%85", pothole},
        {"English in another case", "q=kerb%20BY%20the", kerb},
        {"with the status filter", "q=kerb&status=acknowledged", kerb},
        {"a filter that excludes it", "q=kerb&status=resolved", 0},
        {"a word in none of them", "q=zzqxw", 0},
        /* % and _ are not wildcards */
        {"a LIKE wildcard", "q=b_oken", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long ids[200], status;
        size_t n = staff_search(w, cases[i].query, ids, 200, &status);
        CHECK(status == 200, "%s: expected 200, found %ld", cases[i].what, status);
        int mine[3] = {has_id(ids, n, pothole), has_id(ids, n, kerb), has_id(ids, n, other)};
        CHECK(mine[0] == (cases[i].want == pothole) && mine[1] == (cases[i].want == kerb) &&
                  !mine[2],
              "%s (%s): found pothole %d, kerb %d, sign %d", cases[i].what, cases[i].query,
              mine[0], mine[1], mine[2]);
    }

    /* the run's tag finds its reports; one a page, the next link keeps q */
    char query[96];
    snprintf(query, sizeof query, "q=%s&limit=1", w->tag);
    struct h_resp r;
    char path[160];
    snprintf(path, sizeof path, "/api/v1/reports?%s", query);
    ha_call(w->s, &w->u[STAFF], "GET", path, NULL, &r);
    long ids[4];
    size_t n = feature_ids(r.json, ids, 4);
    CHECK(n == 1 && ids[0] == other, "the newest report with the tag comes first; found %zu", n);
    char *next = next_link(r.json);
    CHECK(next && strstr(next, w->tag), "the next link keeps q: %s", next ? next : "(none)");
    h_resp_free(&r);
    if (next) {
        ha_call(w->s, &w->u[STAFF], "GET", next, NULL, &r);
        n = feature_ids(r.json, ids, 4);
        CHECK(n == 1 && ids[0] == kerb, "page 2 of the search is the next older one; found %zu",
              n);
        h_resp_free(&r);
        free(next);
    }

    const struct {
        const char *what, *path;
    } bads[] = {
        {"an empty q", "/api/v1/reports?q="},
        {"only punctuation", "/api/v1/reports?q=%25%25"},
        {"not UTF-8", "/api/v1/reports?q=%FF%FE"},
        {"too long",
         "/api/v1/reports?q="
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
    };
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        ha_call(w->s, &w->u[STAFF], "GET", bads[i].path, NULL, &r);
        CHECK_PROBLEM(bads[i].what, &r, 400, "q");
        h_resp_free(&r);
    }
}

int main(void)
{
    h_init("test_my_reports", 240);
    struct world w = {0};
    w.db = h_pg_connect(h_shared_dburl());
    struct h_server s;
    /* roads go to the technical works department */
    static const struct ha_member members[NUSERS] = {
        {"mine-a", NULL, NULL}, {"mine-b", NULL, NULL}, {"mine-staff", "staff", "technical_works"}};
    if (ha_world_start(&s, w.db, NULL, members, NUSERS, w.u) != 0)
        return h_finish();
    w.s = &s;
    snprintf(w.tag, sizeof w.tag, "myrep%ldx", (long)getpid());

    my_reports(&w);
    text_search(&w);
    PQfinish(w.db);
    return h_finish();
}
