/* multipart/form-data (RFC 7578 on RFC 2046) request bodies, parsed in
 * place: h2o hands us the whole body in req->entity, and each part's data
 * is a pointer into it. Pure C, no HTTP library: the unit tests feed it
 * bytes directly.
 *
 * What it accepts: the boundary from the Content-Type's parameter (quoted
 * or not), a preamble before the first delimiter, each part's headers
 * ending in CRLF (a bare LF is tolerated in headers), Content-Disposition
 * form-data with name and filename parameters (quoted strings with
 * backslash escapes, or tokens), the close delimiter "--BOUNDARY--" and an
 * epilogue after it. What it refuses, with a message saying what was
 * expected and what was found: a body without the close delimiter, a part
 * without a name, too many parts or headers, and a part larger than the
 * caller's limit (MULTIPART_TOO_LARGE, so the caller can answer 413). */
#ifndef POLIS_MULTIPART_H
#define POLIS_MULTIPART_H

#include <stddef.h>

#define MULTIPART_MAX_PARTS 32
#define MULTIPART_BOUNDARY_MAX 70 /* RFC 2046 */

struct multipart_part {
    const char *name;         /* the form field's name (in the arena) */
    const char *filename;     /* the file's name as sent, or NULL when not a file */
    const char *content_type; /* the part's Content-Type, or NULL */
    const char *data;         /* into the body; not NUL-terminated */
    size_t len;
};

struct multipart {
    int n;
    struct multipart_part parts[MULTIPART_MAX_PARTS];
    size_t used;              /* of text */
    char text[8192];          /* names, file names, types (NUL-terminated) */
};

enum multipart_status {
    MULTIPART_OK = 0,
    MULTIPART_MALFORMED = -1, /* answer 400 */
    MULTIPART_TOO_LARGE = -2, /* a part exceeds max_part_bytes: answer 413 */
};

/* Copies the boundary parameter of a Content-Type value (len bytes, not
 * NUL-terminated) into out (at least MULTIPART_BOUNDARY_MAX + 1 bytes).
 * Returns 1 when the type is multipart/form-data with a usable boundary,
 * 0 when it is another type (or none), -1 when it is multipart/form-data
 * without a valid boundary (err says why). */
int multipart_boundary(const char *content_type, size_t len, char *out, size_t outlen,
                       char *err, size_t errlen);

/* Parses body into mp. Returns MULTIPART_OK, or an error with err saying
 * what was expected and what was found. */
enum multipart_status multipart_parse(const char *body, size_t len, const char *boundary,
                                      size_t max_part_bytes, struct multipart *mp, char *err,
                                      size_t errlen);

/* The first part called name, or NULL. */
const struct multipart_part *multipart_get(const struct multipart *mp, const char *name);

#endif
