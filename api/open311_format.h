/* Open311 GeoReport v2 answers in the spec's two formats. Handlers build one
 * JSON value (PostgreSQL does most of it); this renders it as the spec's
 * JSON, or as its XML: an array becomes a root element holding one element
 * per item, an object one child element per member, and the item elements
 * are named by the spec's singulars (services -> service, ...). */
#ifndef POLIS_OPEN311_FORMAT_H
#define POLIS_OPEN311_FORMAT_H

#include <jansson.h>
#include <stddef.h>

enum open311_format { OPEN311_JSON, OPEN311_XML };

/* Splits "services.json" into "services" (copied into name) and the format.
 * Returns 0, or -1 when the extension is neither .json nor .xml. */
int open311_split_format(const char *segment, char *name, size_t namelen,
                         enum open311_format *format);

/* The text of value in format; root names the XML root element (e.g.
 * "services", "service_requests", "errors"). malloc'd; NULL when out of
 * memory. */
char *open311_render(const json_t *value, const char *root, enum open311_format format);

#endif
