/* The answer file of an approval (issue 17): for a service whose answer is
 * a document staff upload, POST /api/v1/applications/{id}/approve carries
 * the PDF either as multipart/form-data (part "file", optional parts
 * "comment" and "version") or as the raw body of any other type
 * (application/pdf) with ?comment= and ?version=. A JSON body (or none) is
 * the approval without a file (a generated answer). What the file is comes
 * from its bytes (services/upload_check.h), checked later off the loop. */
#ifndef POLIS_APPLICATION_ANSWER_UPLOAD_H
#define POLIS_APPLICATION_ANSWER_UPLOAD_H

#include "http/exchange.h"

#include <stddef.h>

struct answer_upload {
    const char *data;    /* the file, into the request's body */
    size_t len;
    const char *comment; /* |NULL: shown to the applicant */
    long long version;   /* 0: not checked */
};

/* 1 when the request carries an answer file (out filled), 0 when it is a
 * JSON approval (the query string must then be empty: checked here), -1
 * after answering 400, 413 (over POLIS_UPLOAD_MAX_MB) or 422 (no part
 * "file", a part that is not expected, a comment or version that is not
 * one). */
int answer_upload_read(struct exchange *ex, size_t comment_max, struct answer_upload *out);

#endif
