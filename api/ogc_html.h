/* The HTML representation of the OGC API - Features resources (api/ogc.c,
 * api/ogc_items.c): which representation a request asks for (f=html, or
 * an Accept that ranks text/html above JSON, as a browser's does), and the
 * pages, built in one place from the JSON document the resource answers
 * otherwise, in Greek or English (lang=, else Accept-Language, else Greek).
 * Every text from data (titles, descriptions, property names and values)
 * is HTML-escaped. A page of items and an item carry a MapLibre preview:
 * web/ogc_preview.js, which reads the page's GeoJSON alternate link (the
 * pages allow no inline script). */
#ifndef POLIS_API_OGC_HTML_H
#define POLIS_API_OGC_HTML_H

#include "http/exchange.h"

#include <jansson.h>

#define CT_HTML "text/html"

/* 1 when the answer is to be HTML: f=html or f=text/html, or no f and an
 * Accept header that ranks text/html (or application/xhtml+xml) above every
 * JSON type and above any wildcard (a browser's); 0 for JSON, the default
 * (no Accept, a bare wildcard, GDAL's and QGIS's JSON types). Adds Vary: Accept,
 * Accept-Language to the response: call it once, when answering. */
int ogc_negotiate(struct exchange *ex);

/* 1 when the answer is in English: lang=en, or, for an HTML page without
 * lang=, a browser whose Accept-Language prefers English. A JSON answer
 * follows lang= alone (Greek without it), so that it stays one document
 * per URL. Picks the titles of collections and the words of the pages. */
int ogc_english(struct exchange *ex);

/* The URL of path with the request's query, parameter name set to value
 * (replacing the one given, if any): the same resource in another
 * representation (f=html, f=json) or language (lang=en). */
const char *ogc_url_with(struct exchange *ex, const char *path, const char *name,
                         const char *value);

/* The pages. */
enum ogc_html_page {
    OGC_HTML_LANDING,
    OGC_HTML_CONFORMANCE,
    OGC_HTML_COLLECTIONS,
    OGC_HTML_COLLECTION,
    OGC_HTML_QUERYABLES,
    OGC_HTML_ITEMS,
    OGC_HTML_ITEM,
};

/* Answers 200 with the page of kind built from doc, the JSON document of
 * the resource (borrowed): the landing page, conformance, collections, a
 * collection, its queryables (a JSON Schema), a FeatureCollection page or
 * a Feature. collection is the collection's id (NULL for the first three). */
void ogc_html_respond(struct exchange *ex, enum ogc_html_page kind, const char *collection,
                      json_t *doc);

#endif
