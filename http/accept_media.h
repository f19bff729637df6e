/* Content negotiation by the Accept header, for resources that answer HTML
 * to a browser and JSON to every other client (the OGC API: api/ogc_html.c). */
#ifndef POLIS_ACCEPT_MEDIA_H
#define POLIS_ACCEPT_MEDIA_H

#include <stddef.h>

/* 1 when the Accept value (len bytes, not NUL-terminated, any bytes) ranks
 * text/html (or application/xhtml+xml) above every JSON type
 * (application/json, application/geo+json, ...) and every wildcard, as a
 * browser's does; a tie goes to the one written first. 0 otherwise: no
 * HTML range, a malformed q, a bare wildcard, GDAL's and QGIS's JSON types. */
int accept_prefers_html(const char *value, size_t len);

#endif
