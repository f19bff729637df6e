/* The start of every answer with an ETag (photos, the POI export): its
 * validators, and 304 when the client holds that version already. */
#ifndef POLIS_NOT_MODIFIED_H
#define POLIS_NOT_MODIFIED_H

#include "http/exchange.h"

/* Adds ETag (etag, quoted) and Cache-Control; when If-None-Match lists
 * etag, answers 304 without a body and returns 1. Otherwise returns 0 and
 * the caller answers. */
int not_modified(struct exchange *ex, const char *etag, const char *cache_control);

#endif
