/* The HTML pages of OGC API - Features (api/ogc_html.c), as a browser and
 * as a GIS client meet them: every resource answers text/html to f=html
 * and to a browser's Accept, with what a reader looks for (the collections'
 * titles, a feature's property, the next link of a paged items page, the
 * queryables' names), in Greek or English (lang=, Accept-Language); JSON
 * stays the answer to clients that do not ask for HTML (curl's any type, GDAL's
 * JSON types, ogrinfo's OAPIF driver) and lists the HTML page as a
 * rel=alternate link; text from data (a layer's title, property names and
 * values) is escaped; a bad f= is a 400 naming html and json. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BROWSER_ACCEPT                                                                       \
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"   \
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"

#define BROWSER_ACCEPT_EN BROWSER_ACCEPT, "Accept-Language: en-GB,en;q=0.9"

static struct h_server srv;

/* GET path with up to two extra header lines (NULL: none). */
static void get2(const char *path, const char *header, const char *header2, struct h_resp *r)
{
    const char *headers[] = {header, header2, NULL};
    h_request(&srv, "GET", path, header ? headers : NULL, NULL, r);
}

static void get(const char *path, const char *header, struct h_resp *r)
{
    get2(path, header, NULL, r);
}

/* path, asked with the header lines given (NULL: none), is an HTML page in
 * lang holding each of wants (NULL-terminated), under a CSP and a Vary. */
static void check_page2(const char *path, const char *header, const char *header2,
                        const char *lang, const char *const *wants)
{
    struct h_resp r;
    get2(path, header, header2, &r);
    CHECK_INT(path, r.status, 200);
    CHECK_STR(path, r.media_type, "text/html");
    char tag[32];
    snprintf(tag, sizeof tag, "<html lang=\"%s\"", lang);
    CHECK_HAS(path, r.body ? r.body : "", tag);
    for (int i = 0; wants[i]; i++)
        CHECK_HAS(path, r.body ? r.body : "", wants[i]);
    char *csp = h_resp_header(&r, "content-security-policy");
    CHECK(csp && strstr(csp, "script-src 'self'"), "%s: a CSP allowing only own scripts, found %s",
          path, csp ? csp : "(none)");
    free(csp);
    char *vary = h_resp_header(&r, "vary");
    CHECK(vary && strstr(vary, "Accept"), "%s: Vary names Accept, found %s", path,
          vary ? vary : "(none)");
    free(vary);
    h_resp_free(&r);
}

static void check_page(const char *path, const char *header, const char *lang,
                       const char *const *wants)
{
    check_page2(path, header, NULL, lang, wants);
}

/* path without asking for HTML (and with a GIS client's Accept) is JSON of
 * media type type, with a rel=alternate text/html link. */
static void check_json(const char *path, const char *type)
{
    static const char *const accepts[] = {NULL, "Accept: application/geo+json, application/json",
                                          "Accept: application/json"};
    for (size_t a = 0; a < sizeof accepts / sizeof accepts[0]; a++) {
        struct h_resp r;
        get(path, accepts[a], &r);
        CHECK_INT(path, r.status, 200);
        CHECK(!strcmp(r.media_type, type), "%s with %s: expected %s, found %s", path,
              accepts[a] ? accepts[a] : "curl's Accept", type, r.media_type);
        CHECK(r.json != NULL, "%s: a JSON body", path);
        int alternate = 0;
        json_t *l;
        size_t i;
        json_array_foreach(json_object_get(r.json, "links"), i, l)
            if (!strcmp(json_string_value(json_object_get(l, "rel")) ?: "", "alternate") &&
                !strcmp(json_string_value(json_object_get(l, "type")) ?: "", "text/html") &&
                strstr(json_string_value(json_object_get(l, "href")) ?: "", "f=html"))
                alternate = 1;
        CHECK(alternate, "%s: a rel=alternate text/html link with f=html: %.400s", path, r.body);
        h_resp_free(&r);
    }
}

/* s with & < > " ' escaped as the pages do (malloc'd). */
static char *escaped(const char *s)
{
    char *out = malloc(6 * strlen(s) + 1), *o = out;
    for (; *s; s++) {
        const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                      : *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
        if (e)
            o += sprintf(o, "%s", e);
        else
            *o++ = *s;
    }
    *o = '\0';
    return out;
}

int main(void)
{
    h_init("test_ogc_html", 240);
    h_require_tool("ogrinfo");
    const char *url = h_shared_dburl();
    h_use_database(url);

    /* a layer whose title, property names and values are hostile */
    char layer[64];
    snprintf(layer, sizeof layer, "ogchtml%ld_bad", (long)getpid());
    const char *dir = h_temp_dir("ogchtml");
    char file[512];
    snprintf(file, sizeof file, "%s/bad.geojson", dir);
    FILE *f = fopen(file, "w");
    if (!f)
        h_fatal("cannot write %s", file);
    fputs("{\"type\":\"FeatureCollection\",\"features\":[", f);
    for (int i = 0; i < 3; i++)
        fprintf(f, "%s{\"type\":\"Feature\",\"properties\":{\"note\":\"<script>alert(%d)</script>"
                   " & \\\"q\\\" 'x'\",\"<b>k</b>\":\"v%d\"},\"geometry\":{\"type\":\"Point\","
                   "\"coordinates\":[23.55%d,41.09]}}",
                i ? "," : "", i, i, i);
    fputs("]}\n", f);
    fclose(f);
    CHECK(h_run(NULL, "'%s' import '%s' --as %s --title-el '<script>t()</script> & \"Τίτλος\"' "
                      "2>/dev/null", h_env("POLIS_BIN"), file, layer) == 0,
          "import the hostile layer");

    if (h_server_start(&srv, url, NULL) != 0)
        return h_finish();

    /* a POI and its name, from the JSON */
    struct h_resp r;
    h_get(&srv, "/ogc/collections/pois/items?limit=1", &r);
    CHECK_INT("pois items", r.status, 200);
    json_t *first = json_array_get(json_object_get(r.json, "features"), 0);
    long long poi = json_integer_value(json_object_get(first, "id"));
    const char *name = json_string_value(json_object_get(json_object_get(first, "properties"),
                                                         "name_el"));
    char *poi_name = escaped(name ? name : "(no POI)");
    CHECK(poi > 0 && name, "the fixture has a published POI with a Greek name: %.300s", r.body);
    h_resp_free(&r);

    /* every resource, asked with f=html and with a browser's Accept */
    char item[128], item_html[160];
    snprintf(item, sizeof item, "/ogc/collections/pois/items/%lld", poi);
    snprintf(item_html, sizeof item_html, "%s?f=html", item);
    static const char *const landing[] = {"OGC API - Features", "/ogc/collections?f=html",
                                          "/ogc/conformance?f=html", NULL};
    static const char *const conformance[] = {"/conf/core<", "/conf/html<", NULL};
    static const char *const collections[] = {">Συλλογές<", "/ogc/collections/pois?f=html",
                                              "/ogc/collections/pois/items?f=html",
                                              "/ogc/collections/pois/queryables?f=html", NULL};
    static const char *const collection[] = {"/ogc/collections/pois/items?f=html",
                                             "type=\"application/json\"", NULL};
    static const char *const queryables[] = {"<code>name_el</code>",
                                             "<code>geometry</code>", NULL};
    const char *const items[] = {poi_name, "rel=\"next\"", "offset=2", ">Επόμενη σελίδα",
                                 "type=\"application/geo+json\"", "id=\"map\"",
                                 "ogc_preview.js", NULL};
    const char *const one[] = {poi_name, ">name_el<", "id=\"map\"", NULL};
    static const struct {
        const char *path, *json_type;
    } resources[] = {
        {"/ogc", "application/json"},
        {"/ogc/conformance", "application/json"},
        {"/ogc/collections", "application/json"},
        {"/ogc/collections/pois", "application/json"},
        {"/ogc/collections/pois/queryables", "application/schema+json"},
        {"/ogc/collections/pois/items?limit=2", "application/geo+json"},
        {NULL, "application/geo+json"},
    };
    const char *const *wants[] = {landing, conformance, collections, collection,
                                  queryables, items, one};
    for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++) {
        const char *path = resources[i].path ? resources[i].path : item;
        char html[256];
        snprintf(html, sizeof html, "%s%cf=html", path, strchr(path, '?') ? '&' : '?');
        check_page(html, NULL, "el", wants[i]);
        check_page(path, BROWSER_ACCEPT, "el", wants[i]);
        check_json(path, resources[i].json_type);
    }
    /* the trailing-slash form too */
    check_page("/ogc/collections/?f=html", NULL, "el", collections);

    /* English: lang= or Accept-Language */
    static const char *const items_en[] = {">Next page", "Matched: ", "lang=el", NULL};
    check_page("/ogc/collections/pois/items?limit=2&f=html&lang=en", NULL, "en", items_en);
    check_page2("/ogc/collections/pois/items?limit=2", BROWSER_ACCEPT_EN,
               "en", items_en);
    static const char *const collections_en[] = {">Collections<", ">Queryables<",
                                                 "Points of interest</a>", NULL};
    check_page("/ogc/collections?f=html&lang=en", NULL, "en", collections_en);
    check_page2("/ogc/collections", BROWSER_ACCEPT_EN, "en", collections_en);
    static const char *const collections_el[] = {"Σημεία ενδιαφέροντος</a>", NULL};
    check_page("/ogc/collections?f=html", NULL, "el", collections_el);
    /* a collection's title in JSON follows lang= alone: one document per URL */
    static const struct {
        const char *path, *header, *title;
    } titles[] = {{"/ogc/collections/pois", NULL, "Σημεία ενδιαφέροντος"},
                  {"/ogc/collections/pois?lang=en", NULL, "Points of interest"},
                  {"/ogc/collections/pois", "Accept-Language: en", "Σημεία ενδιαφέροντος"},
                  {"/ogc/collections/pois/queryables?lang=en", NULL, "Points of interest"}};
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        get(titles[i].path, titles[i].header, &r);
        CHECK_INT(titles[i].path, r.status, 200);
        CHECK_STR(titles[i].path, json_string_value(json_object_get(r.json, "title")) ?: "(none)",
                  titles[i].title);
        h_resp_free(&r);
    }
    /* the pages link each other keeping f=html and lang */
    static const char *const keep_lang[] = {"/ogc/collections/pois?f=html&amp;lang=en", NULL};
    check_page("/ogc/collections?f=html&lang=en", NULL, "en", keep_lang);

    /* the next link works and leads to the next page */
    get("/ogc/collections/pois/items?limit=1&f=html", NULL, &r);
    CHECK_HAS("page 1", r.body ? r.body : "", "offset=1\"");
    h_resp_free(&r);
    static const char *const page2[] = {"rel=\"prev\"", "offset=0", NULL};
    check_page("/ogc/collections/pois/items?f=html&limit=1&offset=1", NULL, "el", page2);

    /* hostile text is escaped everywhere it shows */
    char hostile_items[256], hostile_queryables[256], hostile_collection[256];
    snprintf(hostile_items, sizeof hostile_items, "/ogc/collections/%s/items?f=html&limit=1",
             layer);
    snprintf(hostile_queryables, sizeof hostile_queryables,
             "/ogc/collections/%s/queryables?f=html", layer);
    snprintf(hostile_collection, sizeof hostile_collection, "/ogc/collections/%s?f=html", layer);
    const char *hostile[] = {"/ogc/collections?f=html", hostile_collection, hostile_items,
                             hostile_queryables};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        get(hostile[i], NULL, &r);
        CHECK_INT(hostile[i], r.status, 200);
        const char *b = r.body ? r.body : "";
        CHECK(!strstr(b, "<script>") && !strstr(b, "<b>k"),
              "%s: data written as markup: %.2000s", hostile[i], b);
        if (i < 2)
            CHECK_HAS(hostile[i], b, "&lt;script&gt;t()&lt;/script&gt; &amp; &quot;Τίτλος&quot;");
        h_resp_free(&r);
    }
    get(hostile_items, NULL, &r);
    CHECK_HAS("hostile value", r.body ? r.body : "",
              "&lt;script&gt;alert(0)&lt;/script&gt; &amp; &quot;q&quot; &#39;x&#39;");
    CHECK_HAS("next link of the hostile layer", r.body ? r.body : "", "rel=\"next\"");
    h_resp_free(&r);
    get(hostile_queryables, NULL, &r);
    CHECK_HAS("hostile property name", r.body ? r.body : "", "&lt;b&gt;k&lt;/b&gt;");
    h_resp_free(&r);

    /* a bad f= or lang= names what is spoken */
    static const char *const bad[] = {"/ogc?f=xml", "/ogc/collections?f=csv",
                                      "/ogc/collections/pois/items?f=kml",
                                      "/ogc/collections/pois/queryables?f=htm"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        h_get(&srv, bad[i], &r);
        CHECK_PROBLEM(bad[i], &r, 400, "f");
        CHECK_HAS(bad[i], r.body ? r.body : "", "html");
        CHECK_HAS(bad[i], r.body ? r.body : "", "json");
        h_resp_free(&r);
    }
    h_get(&srv, "/ogc/collections?f=html&lang=fr", &r);
    CHECK_PROBLEM("lang=fr", &r, 400, "lang");
    h_resp_free(&r);

    /* GDAL's OAPIF driver still reads JSON */
    char *out = NULL;
    int rc = h_run(&out, "ogrinfo -ro -so 'OAPIF:%s/ogc' 2>&1", srv.base);
    CHECK(rc == 0, "ogrinfo OAPIF: exit %d: %.500s", rc, out ? out : "");
    CHECK_HAS("ogrinfo lists pois", out ? out : "", "pois");
    CHECK_HAS("ogrinfo lists the layer", out ? out : "", layer);
    free(out);

    free(poi_name);
    char sql[256];
    snprintf(sql, sizeof sql, "DROP TABLE layers.%s; DELETE FROM layer_catalogue WHERE name = '%s'",
             layer, layer);
    h_owner_exec(url, sql);
    return h_finish();
}
