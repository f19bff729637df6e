/* Content coding and conditional requests, for every handler that sends
 * cacheable bytes (tiles, static files, photos). */
#ifndef POLIS_CONDITIONAL_H
#define POLIS_CONDITIONAL_H

#include <h2o.h>

/* 1 when Accept-Encoding names gzip (or *) with a q above 0. */
int request_accepts_gzip(h2o_req_t *req);

/* 1 when If-None-Match is "*" or lists etag (the quoted tag, e.g. "\"abc\""),
 * compared weakly as RFC 9110 asks for If-None-Match. */
int request_etag_listed(h2o_req_t *req, const char *etag);

/* The same two on a header's value (len bytes, not NUL-terminated), without
 * h2o: the parsing the two above do. */
int accept_encoding_gzip(const char *value, size_t len);
int etag_list_matches(const char *value, size_t len, const char *etag);

#endif
