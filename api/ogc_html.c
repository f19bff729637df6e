/* The HTML pages of OGC API - Features (api/ogc_html.h): negotiation, the
 * labels in Greek and English, the frame every page shares and one
 * renderer per kind of document. Markup comes from the constants here;
 * everything from the document (data) goes through text(), which escapes
 * it, attributes included. */
#include "api/api.h"
#include "api/ogc.h"
#include "api/ogc_html.h"
#include "api/web.h"
#include "common/textbuf.h"
#include "http/accept_language.h"
#include "http/accept_media.h"
#include "http/respond.h"

#include <stdlib.h>
#include <string.h>

/* ---- which representation ---- */

/* 1 when the request asks for HTML (f=, else Accept); no side effect. */
static int wants_html(struct exchange *ex)
{
    const char *f = params_get(&ex->query, "f");
    if (f)
        return !strcmp(f, "html") || !strcmp(f, "text/html");
    ssize_t i = h2o_find_header(&ex->req->headers, H2O_TOKEN_ACCEPT, -1);
    if (i < 0)
        return 0;
    const h2o_iovec_t *v = &ex->req->headers.entries[i].value;
    return accept_prefers_html(v->base, v->len);
}

int ogc_negotiate(struct exchange *ex)
{
    respond_header(ex->req, "vary", "Accept, Accept-Language");
    return wants_html(ex);
}

int ogc_english(struct exchange *ex)
{
    const char *lang = params_get(&ex->query, "lang");
    if (!lang && wants_html(ex)) {
        ssize_t i = h2o_find_header(&ex->req->headers, H2O_TOKEN_ACCEPT_LANGUAGE, -1);
        if (i >= 0)
            lang = accept_language_pick(ex->req->headers.entries[i].value.base,
                                        ex->req->headers.entries[i].value.len);
    }
    return lang && !strcmp(lang, "en");
}

const char *ogc_url_with(struct exchange *ex, const char *path, const char *name,
                         const char *value)
{
    const char *q = "";
    for (int i = 0; i < ex->query.n; i++)
        if (strcmp(ex->query.items[i].name, name))
            q = exchange_printf(ex, "%s%s=%s&", q, ogc_url_encode(ex, ex->query.items[i].name),
                                ogc_url_encode(ex, ex->query.items[i].value));
    return exchange_url(ex, exchange_printf(ex, "%s?%s%s=%s", path, q, name,
                                            ogc_url_encode(ex, value)));
}

/* ---- labels ---- */

enum label {
    L_HOME,
    L_COLLECTIONS,
    L_CONFORMANCE,
    L_API,
    L_TITLE,
    L_DESCRIPTION,
    L_EXTENT,
    L_LINKS,
    L_ITEMS,
    L_QUERYABLES,
    L_AS_JSON,
    L_NEXT,
    L_PREV,
    L_MATCHED,
    L_RETURNED,
    L_NAME,
    L_TYPE,
    L_PROPERTY,
    L_VALUE,
    L_MAP,
    L_OTHER_LANGUAGE,
    L_FEATURE,
    L_NO_FEATURES,
    L_NAVIGATION,
    L_COUNT
};

/* [label][0] Greek, [1] English */
static const char *const labels[L_COUNT][2] = {
    [L_HOME] = {"OGC API", "OGC API"},
    [L_COLLECTIONS] = {"Συλλογές", "Collections"},
    [L_CONFORMANCE] = {"Κλάσεις συμμόρφωσης", "Conformance classes"},
    [L_API] = {"Ορισμός του API (OpenAPI)", "API definition (OpenAPI)"},
    [L_TITLE] = {"Τίτλος", "Title"},
    [L_DESCRIPTION] = {"Περιγραφή", "Description"},
    [L_EXTENT] = {"Έκταση", "Extent"},
    [L_LINKS] = {"Σύνδεσμοι", "Links"},
    [L_ITEMS] = {"Αντικείμενα", "Features"},
    [L_QUERYABLES] = {"Πεδία αναζήτησης", "Queryables"},
    [L_AS_JSON] = {"JSON", "JSON"},
    [L_NEXT] = {"Επόμενη σελίδα", "Next page"},
    [L_PREV] = {"Προηγούμενη σελίδα", "Previous page"},
    [L_MATCHED] = {"Ταιριάζουν", "Matched"},
    [L_RETURNED] = {"Σε αυτή τη σελίδα", "On this page"},
    [L_NAME] = {"Όνομα", "Name"},
    [L_TYPE] = {"Τύπος", "Type"},
    [L_PROPERTY] = {"Ιδιότητα", "Property"},
    [L_VALUE] = {"Τιμή", "Value"},
    [L_MAP] = {"Χάρτης των αντικειμένων", "Map of the features"},
    [L_OTHER_LANGUAGE] = {"English", "Ελληνικά"},
    [L_FEATURE] = {"Αντικείμενο", "Feature"},
    [L_NO_FEATURES] = {"Κανένα αντικείμενο.", "No features."},
    [L_NAVIGATION] = {"Πλοήγηση", "Navigation"},
};

/* ---- the page being written ---- */

struct page {
    struct exchange *ex;
    struct textbuf t;
    int en;           /* English, else Greek */
    const char *lang; /* lang= as given, kept in the links between pages; or NULL */
};

static void raw(struct page *p, const char *s)
{
    textbuf_append(&p->t, s, strlen(s));
}

/* s with & < > " ' escaped: safe in text and in a quoted attribute. */
static void text(struct page *p, const char *s)
{
    for (;;) {
        size_t n = strcspn(s, "&<>\"'");
        textbuf_append(&p->t, s, n);
        s += n;
        if (!*s)
            return;
        switch (*s++) {
        case '&': raw(p, "&amp;"); break;
        case '<': raw(p, "&lt;"); break;
        case '>': raw(p, "&gt;"); break;
        case '"': raw(p, "&quot;"); break;
        default: raw(p, "&#39;"); break;
        }
    }
}

static void label(struct page *p, enum label l)
{
    raw(p, labels[l][p->en]);
}

/* Any JSON value as text: strings as they are, null as nothing. */
static void value(struct page *p, json_t *v)
{
    if (json_is_string(v)) {
        text(p, json_string_value(v));
    } else if (v && !json_is_null(v)) {
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        if (s)
            text(p, s);
        free(s);
    }
}

/* The HTML page of path on this server, keeping lang= when it was given. */
static const char *page_url(struct page *p, const char *path)
{
    return exchange_url(p->ex, exchange_printf(p->ex, "%s?f=html%s%s", path,
                                               p->lang ? "&lang=" : "", p->lang ? p->lang : ""));
}

/* <a href="href">label or text</a>, both escaped. */
static void anchor(struct page *p, const char *href, const char *label_text)
{
    raw(p, "<a href=\"");
    text(p, href);
    raw(p, "\">");
    text(p, label_text);
    raw(p, "</a>");
}

/* The head, the header with the way back and the other language, and the
 * title. map: the page previews its GeoJSON (alt_href) on a MapLibre map. */
static void begin(struct page *p, const char *title, const char *self_path, const char *alt_type,
                  const char *alt_href, int map, const char *collection)
{
    struct exchange *ex = p->ex;
    const struct web_state *web = ex->app->web;
    const char *assets = web && web->pages ? exchange_printf(ex, "/assets/v/%s", web->pages->hash)
                                           : NULL;
    map = map && assets && web->maplibre_version[0];
    raw(p, "<!DOCTYPE html>\n<html lang=\"");
    raw(p, p->en ? "en" : "el");
    raw(p, "\"");
    if (map) {
        raw(p, exchange_printf(ex, " data-maplibre=\"/vendor/maplibre-gl/%s\"",
                               web->maplibre_version));
        raw(p, p->en ? " data-basemap-style=\"/styles/basemap.json?lang=en\""
                     : " data-basemap-style=\"/styles/basemap.json?lang=el\"");
    }
    raw(p, "><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    text(p, title);
    raw(p, " · polis OGC API</title>\n");
    if (assets)
        raw(p, exchange_printf(ex, "<link rel=\"stylesheet\" href=\"%s/ogc_preview.css\">\n",
                               assets));
    if (map)
        raw(p, exchange_printf(ex,
                               "<link rel=\"stylesheet\" href=\"/vendor/maplibre-gl/%s/"
                               "maplibre-gl.css\">\n<script type=\"module\" "
                               "src=\"%s/ogc_preview.js\"></script>\n",
                               web->maplibre_version, assets));
    raw(p, "<link rel=\"alternate\" type=\"");
    raw(p, alt_type);
    raw(p, "\" href=\"");
    text(p, alt_href);
    raw(p, "\">\n</head>\n<body>\n<header><nav aria-label=\"");
    label(p, L_NAVIGATION);
    raw(p, "\">");
    anchor(p, page_url(p, "/ogc"), labels[L_HOME][p->en]);
    if (strcmp(self_path, "/ogc") && strcmp(self_path, "/ogc/conformance")) {
        raw(p, " › ");
        anchor(p, page_url(p, "/ogc/collections"), labels[L_COLLECTIONS][p->en]);
    }
    if (collection) {
        raw(p, " › ");
        anchor(p, page_url(p, exchange_printf(ex, "/ogc/collections/%s", collection)), collection);
    }
    raw(p, "</nav> <a class=\"lang\" lang=\"");
    raw(p, p->en ? "el" : "en");
    raw(p, "\" href=\"");
    text(p, ogc_url_with(ex, self_path, "lang", p->en ? "el" : "en"));
    raw(p, "\">");
    label(p, L_OTHER_LANGUAGE);
    raw(p, "</a> <a class=\"json\" type=\"");
    raw(p, alt_type);
    raw(p, "\" href=\"");
    text(p, alt_href);
    raw(p, "\">");
    label(p, L_AS_JSON);
    raw(p, "</a></header>\n<main>\n<h1>");
    text(p, title);
    raw(p, "</h1>\n");
    if (map) {
        raw(p, "<div id=\"map\" class=\"ogc-map\" role=\"region\" aria-label=\"");
        label(p, L_MAP);
        raw(p, "\"></div>\n");
    }
}

/* Sends the page, or 500 when it could not be built. */
static void finish(struct page *p)
{
    raw(p, "</main>\n</body>\n</html>\n");
    h2o_req_t *req = p->ex->req;
    if (p->t.failed) {
        free(p->t.buf);
        respond_problem(req, 500, "about:blank", "Internal Server Error", NULL,
                        "out of memory while writing the page");
        return;
    }
    /* as the map page (api/web.c): everything from this server, no inline
     * script or style */
    respond_header(req, "content-security-policy",
                   "default-src 'self'; script-src 'self'; style-src 'self'; "
                   "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; "
                   "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                   "frame-ancestors 'none'");
    respond_header(req, "referrer-policy", "same-origin");
    respond_bytes(req, 200, "text/html; charset=utf-8", p->t.buf, p->t.len);
    free(p->t.buf);
}

/* ---- pieces ---- */

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The extent of a collection document: bbox and time interval. */
static void extent(struct page *p, json_t *c)
{
    json_t *e = json_object_get(c, "extent");
    json_t *bbox = json_array_get(json_object_get(json_object_get(e, "spatial"), "bbox"), 0);
    if (json_array_size(bbox) == 4)
        raw(p, exchange_printf(p->ex, "%.5f, %.5f – %.5f, %.5f",
                               json_number_value(json_array_get(bbox, 0)),
                               json_number_value(json_array_get(bbox, 1)),
                               json_number_value(json_array_get(bbox, 2)),
                               json_number_value(json_array_get(bbox, 3))));
    json_t *t = json_array_get(json_object_get(json_object_get(e, "temporal"), "interval"), 0);
    if (json_array_size(t) == 2) {
        raw(p, "<br>");
        value(p, json_array_get(t, 0));
        raw(p, " – ");
        value(p, json_array_get(t, 1));
    }
}

/* The links of a collection: its items, queryables and JSON. */
static void collection_links(struct page *p, const char *id)
{
    const char *base = exchange_printf(p->ex, "/ogc/collections/%s", id);
    anchor(p, page_url(p, exchange_printf(p->ex, "%s/items", base)), labels[L_ITEMS][p->en]);
    raw(p, " · ");
    anchor(p, page_url(p, exchange_printf(p->ex, "%s/queryables", base)),
         labels[L_QUERYABLES][p->en]);
    raw(p, " · ");
    anchor(p, exchange_url(p->ex, exchange_printf(p->ex, "%s?f=json", base)),
         labels[L_AS_JSON][p->en]);
}

/* The href of the link rel of doc, or NULL. */
static const char *link_href(json_t *doc, const char *rel)
{
    json_t *l;
    size_t i;
    json_array_foreach(json_object_get(doc, "links"), i, l)
        if (!strcmp(str(l, "rel"), rel))
            return json_string_value(json_object_get(l, "href"));
    return NULL;
}

/* <table class="cls"> and its head row: the labels of the n columns. */
static void table_head(struct page *p, const char *cls, const enum label *cols, int n)
{
    raw(p, "<table class=\"");
    raw(p, cls);
    raw(p, "\"><thead><tr>");
    for (int i = 0; i < n; i++) {
        raw(p, "<th scope=\"col\">");
        label(p, cols[i]);
        raw(p, "</th>");
    }
    raw(p, "</tr></thead><tbody>\n");
}

/* A table of property name and value. */
static void properties_table(struct page *p, json_t *props)
{
    static const enum label cols[] = {L_PROPERTY, L_VALUE};
    table_head(p, "properties", cols, 2);
    const char *k;
    json_t *v;
    json_object_foreach(props, k, v) {
        raw(p, "<tr><th scope=\"row\">");
        text(p, k);
        raw(p, "</th><td>");
        value(p, v);
        raw(p, "</td></tr>\n");
    }
    raw(p, "</tbody></table>\n");
}

/* ---- the pages ---- */

static void landing(struct page *p, json_t *doc)
{
    raw(p, "<p>");
    text(p, str(doc, "description"));
    raw(p, "</p>\n<ul class=\"links\">\n<li>");
    anchor(p, page_url(p, "/ogc/collections"), labels[L_COLLECTIONS][p->en]);
    raw(p, "</li>\n<li>");
    anchor(p, page_url(p, "/ogc/conformance"), labels[L_CONFORMANCE][p->en]);
    raw(p, "</li>\n<li>");
    anchor(p, exchange_url(p->ex, "/ogc/api"), labels[L_API][p->en]);
    raw(p, "</li>\n</ul>\n");
}

static void conformance(struct page *p, json_t *doc)
{
    raw(p, "<ul class=\"conformance\">\n");
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(doc, "conformsTo"), i, c) {
        raw(p, "<li>");
        value(p, c);
        raw(p, "</li>\n");
    }
    raw(p, "</ul>\n");
}

static void collections(struct page *p, json_t *doc)
{
    static const enum label cols[] = {L_TITLE, L_DESCRIPTION, L_EXTENT, L_LINKS};
    table_head(p, "collections", cols, 4);
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(doc, "collections"), i, c) {
        const char *id = str(c, "id");
        raw(p, "<tr><td>");
        anchor(p, page_url(p, exchange_printf(p->ex, "/ogc/collections/%s", id)), str(c, "title"));
        raw(p, "</td><td>");
        text(p, str(c, "description"));
        raw(p, "</td><td>");
        extent(p, c);
        raw(p, "</td><td>");
        collection_links(p, id);
        raw(p, "</td></tr>\n");
    }
    raw(p, "</tbody></table>\n");
}

static void collection(struct page *p, json_t *doc)
{
    raw(p, "<p>");
    text(p, str(doc, "description"));
    raw(p, "</p>\n<dl><dt>");
    label(p, L_EXTENT);
    raw(p, "</dt><dd>");
    extent(p, doc);
    raw(p, "</dd><dt>");
    label(p, L_LINKS);
    raw(p, "</dt><dd>");
    collection_links(p, str(doc, "id"));
    raw(p, "</dd></dl>\n");
}

static void queryables(struct page *p, json_t *doc)
{
    static const enum label cols[] = {L_NAME, L_TYPE, L_DESCRIPTION};
    table_head(p, "queryables", cols, 3);
    const char *name;
    json_t *s;
    json_object_foreach(json_object_get(doc, "properties"), name, s) {
        raw(p, "<tr><td><code>");
        text(p, name);
        raw(p, "</code></td><td>");
        text(p, json_object_get(s, "type") ? str(s, "type") : str(s, "format"));
        if (json_object_get(s, "type") && json_object_get(s, "format")) {
            raw(p, " (");
            text(p, str(s, "format"));
            raw(p, ")");
        }
        raw(p, "</td><td>");
        text(p, str(s, "title"));
        raw(p, "</td></tr>\n");
    }
    raw(p, "</tbody></table>\n");
}

/* Next and previous links of an items page, from its JSON links. */
static void paging(struct page *p, json_t *doc)
{
    const char *prev = link_href(doc, "prev"), *next = link_href(doc, "next");
    if (!prev && !next)
        return;
    raw(p, "<nav class=\"paging\">");
    if (prev) {
        raw(p, "<a rel=\"prev\" href=\"");
        text(p, prev);
        raw(p, "\">← ");
        label(p, L_PREV);
        raw(p, "</a> ");
    }
    if (next) {
        raw(p, "<a rel=\"next\" href=\"");
        text(p, next);
        raw(p, "\">");
        label(p, L_NEXT);
        raw(p, " →</a>");
    }
    raw(p, "</nav>\n");
}

static void items(struct page *p, json_t *doc, const char *collection_id)
{
    json_t *features = json_object_get(doc, "features"), *f, *v;
    json_t *matched = json_object_get(doc, "numberMatched");
    raw(p, exchange_printf(p->ex, "<p class=\"counts\">%s: <span id=\"matched\">%s%lld</span> · "
                                  "%s: <span id=\"returned\">%lld</span></p>\n",
                           labels[L_MATCHED][p->en], matched ? "" : "&gt; ",
                           (long long)(matched ? json_integer_value(matched) : OGC_COUNT_MAX),
                           labels[L_RETURNED][p->en],
                           (long long)json_integer_value(json_object_get(doc, "numberReturned"))));
    paging(p, doc);
    if (!json_array_size(features)) {
        raw(p, "<p>");
        label(p, L_NO_FEATURES);
        raw(p, "</p>\n");
        return;
    }
    /* the columns: every property any feature of the page has, in the
     * order first seen */
    json_t *columns = json_object();
    size_t i;
    const char *k;
    json_array_foreach(features, i, f)
        json_object_foreach(json_object_get(f, "properties"), k, v)
            json_object_set_new(columns, k, json_true());
    raw(p, "<table class=\"items\"><thead><tr><th scope=\"col\">id</th>");
    json_object_foreach(columns, k, v) {
        raw(p, "<th scope=\"col\">");
        text(p, k);
        raw(p, "</th>");
    }
    raw(p, "</tr></thead><tbody>\n");
    json_array_foreach(features, i, f) {
        json_t *props = json_object_get(f, "properties"), *id = json_object_get(f, "id");
        raw(p, "<tr><td>");
        if (json_is_integer(id))
            anchor(p, page_url(p, exchange_printf(p->ex, "/ogc/collections/%s/items/%lld",
                                                collection_id, (long long)json_integer_value(id))),
                 exchange_printf(p->ex, "%lld", (long long)json_integer_value(id)));
        raw(p, "</td>");
        json_object_foreach(columns, k, v) {
            raw(p, "<td>");
            value(p, json_object_get(props, k));
            raw(p, "</td>");
        }
        raw(p, "</tr>\n");
    }
    raw(p, "</tbody></table>\n");
    json_decref(columns);
    paging(p, doc);
}

void ogc_html_respond(struct exchange *ex, enum ogc_html_page kind, const char *collection_id,
                      json_t *doc)
{
    struct page p = {.ex = ex, .lang = params_get(&ex->query, "lang"), .en = ogc_english(ex)};
    const char *cpath = collection_id ? exchange_printf(ex, "/ogc/collections/%s", collection_id)
                                      : NULL;
    const char *title = str(doc, "title"), *path = "/ogc", *type = CT_JSON;
    int map = 0;
    switch (kind) {
    case OGC_HTML_LANDING:
        break;
    case OGC_HTML_CONFORMANCE:
        title = labels[L_CONFORMANCE][p.en], path = "/ogc/conformance";
        break;
    case OGC_HTML_COLLECTIONS:
        title = labels[L_COLLECTIONS][p.en], path = "/ogc/collections";
        break;
    case OGC_HTML_COLLECTION:
        path = cpath;
        break;
    case OGC_HTML_QUERYABLES:
        title = exchange_printf(ex, "%s: %s", labels[L_QUERYABLES][p.en], title);
        path = exchange_printf(ex, "%s/queryables", cpath), type = "application/schema+json";
        break;
    case OGC_HTML_ITEMS:
        title = exchange_printf(ex, "%s: %s", labels[L_ITEMS][p.en], collection_id);
        path = exchange_printf(ex, "%s/items", cpath), type = CT_GEOJSON, map = 1;
        break;
    case OGC_HTML_ITEM:
        title = exchange_printf(ex, "%s %lld", labels[L_FEATURE][p.en],
                                (long long)json_integer_value(json_object_get(doc, "id")));
        path = exchange_printf(ex, "%s/items/%lld", cpath,
                               (long long)json_integer_value(json_object_get(doc, "id")));
        type = CT_GEOJSON, map = 1;
        break;
    }
    begin(&p, title, path, type, ogc_url_with(ex, path, "f", "json"), map,
          kind >= OGC_HTML_QUERYABLES ? collection_id : NULL);
    switch (kind) {
    case OGC_HTML_LANDING: landing(&p, doc); break;
    case OGC_HTML_CONFORMANCE: conformance(&p, doc); break;
    case OGC_HTML_COLLECTIONS: collections(&p, doc); break;
    case OGC_HTML_COLLECTION: collection(&p, doc); break;
    case OGC_HTML_QUERYABLES: queryables(&p, doc); break;
    case OGC_HTML_ITEMS: items(&p, doc, collection_id); break;
    case OGC_HTML_ITEM: properties_table(&p, json_object_get(doc, "properties")); break;
    }
    finish(&p);
}
