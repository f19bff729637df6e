/* News and press releases as staff and the public see them: the list and
 * the RSS 2.0 and Atom 1.0 feeds hold only articles that are published and
 * due (a draft, one in review, a withdrawn one and one scheduled for
 * tomorrow are absent; one moved to published appears; one whose time came
 * appears without anyone touching it); the feeds are well-formed (xmllint),
 * have absolute links, RFC 822 / RFC 3339 dates, their media types, Greek
 * text with & and < intact, and a per-category feed holds only that
 * category. Staff publish what is in review, but not their own article
 * (admins may); citizens may not write (403), anonymous callers 401; bad
 * input is a 4xx naming the field and changes nothing. On a database of
 * its own, so that its lists are exactly what it wrote. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { AUTHOR, EDITOR, ADMIN, CITIZEN, NUSERS };

static struct h_server *srv;
static struct ha_user users[NUSERS];
static PGconn *db;

/* POST /api/v1/news as who; the new id, or 0 (checked against want). */
static long create(int who, const char *body, long want)
{
    struct h_resp r;
    ha_call(srv, &users[who], "POST", "/api/v1/news", body, &r);
    CHECK(r.status == want, "create %.100s: expected %ld, found %ld %.300s", body, want,
          r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    return id;
}

static void patch(int who, long id, const char *body, long want)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/news/%ld", id);
    struct h_resp r;
    ha_call(srv, who < 0 ? NULL : &users[who], "PATCH", path, body, &r);
    CHECK(r.status == want, "PATCH %s %s: expected %ld, found %ld %.300s", path, body, want,
          r.status, r.body);
    h_resp_free(&r);
}

/* The ids of the public list at path (anonymous), as ",id,id,". */
static char *public_ids(const char *path)
{
    static char out[1024];
    struct h_resp r;
    h_get(srv, path, &r);
    CHECK(r.status == 200, "GET %s: expected 200, found %ld %.200s", path, r.status, r.body);
    snprintf(out, sizeof out, ",");
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "news"), i, item) {
        size_t n = strlen(out);
        snprintf(out + n, sizeof out - n, "%lld,",
                 (long long)json_integer_value(json_object_get(item, "id")));
    }
    h_resp_free(&r);
    return out;
}

static const char *ids(long a, long b)
{
    static char out[64];
    if (b)
        snprintf(out, sizeof out, ",%ld,%ld,", a, b);
    else
        snprintf(out, sizeof out, ",%ld,", a);
    return out;
}

/* Writes body to a file and runs xmllint --noout on it. */
static void check_well_formed(const char *what, const struct h_resp *r)
{
    char path[512];
    snprintf(path, sizeof path, "%s/feed.xml", h_temp_dir("news"));
    FILE *f = fopen(path, "w");
    if (!f || fwrite(r->body, 1, r->len, f) != r->len)
        h_fatal("cannot write %s", path);
    fclose(f);
    char *out = NULL;
    int rc = h_run(&out, "xmllint --noout '%s' 2>&1", path);
    CHECK(rc == 0, "%s: xmllint rejects it: %s\n%.600s", what, out ? out : "", r->body);
    free(out);
}

/* GET of a feed (anonymous): 200, its media type, well-formed; the body (malloc'd). */
static char *feed(const char *path, const char *media_type)
{
    struct h_resp r;
    h_get(srv, path, &r);
    CHECK(r.status == 200, "GET %s: expected 200, found %ld %.200s", path, r.status, r.body);
    CHECK_STR(path, r.media_type, media_type);
    check_well_formed(path, &r);
    char *body = strdup(r.body ? r.body : "");
    h_resp_free(&r);
    return body;
}

/* The text of the first <tag> element after from, in a static buffer. */
static const char *first_text(const char *xml, const char *from, const char *tag)
{
    static char out[256];
    char open[64];
    out[0] = '\0';
    const char *p = strstr(xml, from);
    snprintf(open, sizeof open, "<%s>", tag);
    if (p && (p = strstr(p, open))) {
        p += strlen(open);
        size_t n = strcspn(p, "<");
        snprintf(out, sizeof out, "%.*s", (int)(n < sizeof out ? n : sizeof out - 1), p);
    }
    return out;
}

static void check_date(const char *what, const char *s, const char *format)
{
    struct tm tm = {0};
    const char *end = strptime(s, format, &tm);
    CHECK(end && *end == '\0' && tm.tm_year > 120, "%s: expected a date as %s, found '%s'",
          what, format, s);
}

static const char *title_of(const char *what)
{
    static char out[8][128];
    static int next;
    char *t = out[next++ % 8];
    snprintf(t, 128, "%s %d", what, (int)getpid());
    return t;
}

static long article(int who, const char *title, const char *category, const char *status)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"title_el\":\"%s\",\"title_en\":\"EN %s\",\"summary_el\":\"Περίληψη\","
             "\"body_el\":\"Κείμενο\",\"category\":\"%s\",\"status\":\"%s\"}",
             title, title, category, status);
    return create(who, body, 201);
}

/* The state bad input must not change: the public list, the number of
 * articles, and the published article as staff read it. */
static char *snapshot(long pub)
{
    struct h_resp a, b;
    char path[64];
    snprintf(path, sizeof path, "/api/v1/news/%ld", pub);
    h_get(srv, "/api/v1/news", &a);
    ha_call(srv, &users[EDITOR], "GET", path, NULL, &b);
    char *count = h_pg_value(db, "SELECT count(*) FROM news", 0, NULL);
    size_t n = a.len + b.len + 64;
    char *out = malloc(n);
    snprintf(out, n, "%s\n%s\n%s", a.body ? a.body : "", b.body ? b.body : "", count);
    free(count);
    h_resp_free(&a);
    h_resp_free(&b);
    return out;
}

/* a 4xx problem naming field */
static void bad(int who, const char *method, const char *path, const char *body, long status,
                const char *field)
{
    struct h_resp r;
    ha_call(srv, who < 0 ? NULL : &users[who], method, path, body, &r);
    char what[256];
    snprintf(what, sizeof what, "%s %s %s", method, path, body ? body : "");
    CHECK_PROBLEM(what, &r, status, field);
    h_resp_free(&r);
}

static void bad_input(long pub, long draft, long review)
{
    char *before = snapshot(pub);
    char p_pub[64], p_draft[64], p_review[64];
    snprintf(p_pub, sizeof p_pub, "/api/v1/news/%ld", pub);
    snprintf(p_draft, sizeof p_draft, "/api/v1/news/%ld", draft);
    snprintf(p_review, sizeof p_review, "/api/v1/news/%ld", review);
    const char *ok = "{\"title_el\":\"Καλό\",\"category\":\"press\"}";
    bad(AUTHOR, "POST", "/api/v1/news", "{\"category\":\"press\"}", 422, "title_el");
    bad(AUTHOR, "POST", "/api/v1/news", "{\"title_el\":\"\",\"category\":\"press\"}", 422,
        "title_el");
    bad(AUTHOR, "POST", "/api/v1/news", "{\"title_el\":\"Α\",\"category\":\"sports\"}", 422,
        "category");
    bad(AUTHOR, "POST", "/api/v1/news",
        "{\"title_el\":\"Α\",\"category\":\"press\",\"publish_at\":\"tomorrow\"}", 422,
        "publish_at");
    bad(AUTHOR, "POST", "/api/v1/news",
        "{\"title_el\":\"Α\",\"category\":\"press\",\"status\":\"published\"}", 422, "status");
    bad(AUTHOR, "POST", "/api/v1/news", "{\"title_el\":\"Α\",\"category\":\"press\",\"x\":1}",
        422, "x");
    bad(EDITOR, "PATCH", p_draft, "{\"status\":\"published\"}", 422, "status");
    bad(EDITOR, "PATCH", p_pub, "{\"status\":\"review\"}", 422, "status");
    bad(EDITOR, "PATCH", p_pub, "{\"status\":\"gone\"}", 422, "status");
    bad(EDITOR, "PATCH", p_pub, "{\"publish_at\":\"2026-13-45T00:00:00Z\"}", 422, "publish_at");
    bad(EDITOR, "PATCH", p_pub, "{\"title_el\":null}", 422, "title_el");
    bad(EDITOR, "PATCH", p_pub, "{\"category\":null}", 422, "category");
    bad(EDITOR, "PATCH", p_pub, "{\"status\":null}", 422, "status");
    bad(EDITOR, "PATCH", p_pub, "{\"category\":\"nope\"}", 422, "category");
    bad(EDITOR, "PATCH", p_pub, "[1]", 400, NULL);
    bad(CITIZEN, "POST", "/api/v1/news", ok, 403, NULL);
    bad(-1, "POST", "/api/v1/news", ok, 401, NULL);
    bad(CITIZEN, "PATCH", p_review, "{\"status\":\"published\"}", 403, NULL);
    bad(-1, "PATCH", p_review, "{\"status\":\"published\"}", 401, NULL);
    bad(EDITOR, "PATCH", "/api/v1/news/999999999", "{\"title_el\":\"Α\"}", 404, NULL);
    bad(-1, "GET", "/api/v1/news?category=nope", NULL, 400, "category");
    bad(-1, "GET", "/api/v1/news?lang=de", NULL, 400, "lang");
    bad(-1, "GET", "/api/v1/news?status=draft", NULL, 401, NULL);
    bad(CITIZEN, "GET", "/api/v1/news?status=draft", NULL, 403, NULL);
    bad(-1, "GET", "/news/rss.xml?category=nope", NULL, 400, "category");
    bad(-1, "GET", "/news/atom.xml?lang=xx", NULL, 400, "lang");
    char *after = snapshot(pub);
    CHECK_STR("list, count and article after bad input", after, before);
    free(before);
    free(after);
    /* staff list by status: the draft and the one in review */
    struct h_resp r;
    ha_call(srv, &users[EDITOR], "GET", "/api/v1/news?status=draft", NULL, &r);
    CHECK(r.status == 200 && r.body && strstr(r.body, "Πρόχειρο"),
          "staff list the drafts: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_news", 240);
    h_require_tool("xmllint");
    static char url[1024]; /* a copy: h_private_db answers in a buffer of its own */
    snprintf(url, sizeof url, "%s", h_private_db("news"));
    db = h_pg_connect(url);
    static struct h_server s;
    if (h_server_start(&s, url, NULL) != 0)
        return h_finish();
    srv = &s;
    static const char *tags[NUSERS] = {"news-author", "news-editor", "news-admin", "news-cit"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&s, db, tags[i], &users[i]))
            return h_finish();
    ha_set_role(db, &users[AUTHOR], "staff", "cleaning");
    ha_set_role(db, &users[EDITOR], "staff", "lighting");
    ha_set_role(db, &users[ADMIN], "admin", NULL);

    /* the titles: Greek, with the characters XML escapes */
    const char *t_pub = title_of("Διακοπή νερού & ρεύματος <Σέρρες>");
    const char *t_draft = title_of("Πρόχειρο");
    const char *t_review = title_of("Υπό έλεγχο");
    const char *t_withdrawn = title_of("Ανακλήθηκε");
    const char *t_tomorrow = title_of("Αύριο");
    const char *t_press = title_of("Δελτίο Τύπου");
    char escaped[256];
    snprintf(escaped, sizeof escaped, "Διακοπή νερού &amp; ρεύματος &lt;Σέρρες&gt; %d",
             (int)getpid());

    long pub = article(AUTHOR, t_pub, "announcements", "review");
    long draft = article(AUTHOR, t_draft, "press", "draft");
    long review = article(AUTHOR, t_review, "press", "review");
    long withdrawn = article(AUTHOR, t_withdrawn, "announcements", "review");
    long tomorrow = article(AUTHOR, t_tomorrow, "announcements", "review");
    long press = article(AUTHOR, t_press, "press", "review");
    if (!pub || !draft || !review || !withdrawn || !tomorrow || !press)
        return h_finish();

    /* four eyes: the author may not publish their own article; another staff
     * member and an admin may */
    patch(AUTHOR, pub, "{\"status\":\"published\"}", 403);
    patch(EDITOR, pub, "{\"status\":\"published\"}", 200);
    patch(ADMIN, withdrawn, "{\"status\":\"published\"}", 200);
    patch(AUTHOR, withdrawn, "{\"status\":\"withdrawn\"}", 200);
    char *future = NULL;
    h_run(&future, "date -u -d tomorrow +%%Y-%%m-%%dT%%H:%%M:%%SZ | tr -d '\\n'");
    char body[256];
    snprintf(body, sizeof body, "{\"status\":\"published\",\"publish_at\":\"%s\"}",
             future ? future : "");
    patch(EDITOR, tomorrow, body, 200);
    free(future);

    /* the public sees the published and due one only */
    CHECK_STR("public list", public_ids("/api/v1/news"), ids(pub, 0));
    char path[128];
    snprintf(path, sizeof path, "/api/v1/news/%ld", draft);
    CHECK_INT("a draft to the public", ha_status(&s, NULL, "GET", path, NULL), 404);
    CHECK_INT("a draft to a citizen", ha_status(&s, &users[CITIZEN], "GET", path, NULL), 404);
    CHECK_INT("a draft to staff", ha_status(&s, &users[EDITOR], "GET", path, NULL), 200);
    snprintf(path, sizeof path, "/api/v1/news/%ld", tomorrow);
    CHECK_INT("a scheduled one to the public", ha_status(&s, NULL, "GET", path, NULL), 404);
    snprintf(path, sizeof path, "/api/v1/news/%ld?lang=en", pub);
    struct h_resp r;
    char link[256];
    h_get(&s, path, &r);
    CHECK(r.status == 200, "GET %s: expected 200, found %ld", path, r.status);
    snprintf(link, sizeof link, "EN %s", t_pub);
    CHECK_STR("English title", json_string_value(json_object_get(r.json, "title")), link);
    h_resp_free(&r);

    char *rss = feed("/news/rss.xml", "application/rss+xml");
    char *atom = feed("/news/atom.xml", "application/atom+xml");
    CHECK_HAS("RSS: the published title, escaped", rss, escaped);
    CHECK_HAS("Atom: the published title, escaped", atom, escaped);
    const char *absent[] = {t_draft, t_review, t_withdrawn, t_tomorrow, t_press};
    for (int i = 0; i < 5; i++) {
        CHECK(!strstr(rss, absent[i]), "RSS holds '%s', which is not public", absent[i]);
        CHECK(!strstr(atom, absent[i]), "Atom holds '%s', which is not public", absent[i]);
    }
    snprintf(link, sizeof link, "<link>%s/assets/news.html?id=%ld&amp;lang=el</link>", s.base, pub);
    CHECK_HAS("RSS: the item's absolute link", rss, link);
    snprintf(link, sizeof link, "href=\"%s/assets/news.html?id=%ld&amp;lang=el\"", s.base, pub);
    CHECK_HAS("Atom: the entry's absolute link", atom, link);
    check_date("RSS pubDate", first_text(rss, "<item>", "pubDate"), "%a, %d %b %Y %H:%M:%S GMT");
    check_date("Atom published", first_text(atom, "<entry>", "published"), "%Y-%m-%dT%H:%M:%SZ");
    check_date("Atom updated", first_text(atom, "<feed", "updated"), "%Y-%m-%dT%H:%M:%SZ");
    free(rss);
    free(atom);

    /* the press feed is empty until the press release is published */
    rss = feed("/news/rss.xml?category=press", "application/rss+xml");
    CHECK(!strstr(rss, "<item>"), "the press feed has items before any is published: %.400s",
          rss);
    free(rss);
    patch(EDITOR, press, "{\"status\":\"published\"}", 200);
    CHECK_STR("public list after publishing", public_ids("/api/v1/news"), ids(press, pub));
    rss = feed("/news/rss.xml?category=press", "application/rss+xml");
    atom = feed("/news/atom.xml?category=press&lang=en", "application/atom+xml");
    CHECK_HAS("press RSS: the press release", rss, t_press);
    CHECK(!strstr(rss, escaped), "press RSS holds an announcement");
    char en[160];
    snprintf(en, sizeof en, "EN %s", t_press);
    CHECK_HAS("press Atom in English", atom, en);
    CHECK(!strstr(atom, "ρεύματος"), "press Atom holds an announcement");
    free(rss);
    free(atom);
    rss = feed("/news/rss.xml?category=announcements", "application/rss+xml");
    CHECK(!strstr(rss, t_press), "announcements RSS holds the press release");
    CHECK_HAS("announcements RSS", rss, escaped);
    free(rss);
    CHECK_STR("press list", public_ids("/api/v1/news?category=press"), ids(press, 0));

    /* paging: one a page, newest first, the next link to the rest */
    h_get(&s, "/api/v1/news?limit=1", &r);
    json_t *links = json_object_get(r.json, "links");
    const char *next = NULL;
    size_t i;
    json_t *l;
    json_array_foreach(links, i, l) {
        const char *rel = json_string_value(json_object_get(l, "rel"));
        if (rel && !strcmp(rel, "next"))
            next = json_string_value(json_object_get(l, "href"));
    }
    CHECK(next != NULL, "a page of 1 of 2 has a next link: %.300s", r.body);
    if (next) {
        struct h_resp r2;
        h_get_url(next, &r2);
        json_t *items = json_object_get(r2.json, "news");
        CHECK(json_array_size(items) == 1 &&
                  json_integer_value(json_object_get(json_array_get(items, 0), "id")) == pub,
              "the next page holds the older article: %.300s", r2.body);
        h_resp_free(&r2);
    }
    h_resp_free(&r);

    /* a scheduled article appears when its time has come, by itself */
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", tomorrow);
    const char *p[] = {idtext};
    free(h_pg_value(db, "UPDATE news SET publish_at = now() - interval '1 minute'"
                        " WHERE id = $1::bigint RETURNING id", 1, p));
    char three[96];
    snprintf(three, sizeof three, ",%ld,%ld,%ld,", press, pub, tomorrow);
    CHECK_STR("public list once due", public_ids("/api/v1/news"), three);

    bad_input(pub, draft, review);
    PQfinish(db);
    return h_finish();
}
