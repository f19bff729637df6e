/* JSON request bodies: parsing (with a clear 4xx for anything that is not a
 * JSON object) and per-field validation that collects one error per bad
 * field, like http/params.h does for query strings. */
#ifndef POLIS_BODY_H
#define POLIS_BODY_H

#include "http/exchange.h"

#include <jansson.h>
#include <stddef.h>

struct fields {
    json_t *obj;    /* the parsed body (owned) */
    json_t *errors; /* NULL until the first error */
};

/* Parses the request body as a JSON object into f. On failure answers the
 * request (415 wrong Content-Type, 400 malformed JSON or not an object) and
 * returns -1. */
int body_parse_object(struct exchange *ex, struct fields *f);

/* Records an error for each member not in allowed (NULL-terminated). */
void fields_allow_only(struct fields *f, const char *const *allowed);

/* Readers return 1 and set *out when present and valid, 0 when absent (an
 * error too when required), -1 when invalid. Strings are checked for length
 * in characters (min) and bytes (max); *out points into f->obj. */
int field_string(struct fields *f, const char *name, size_t min_chars, size_t max_bytes,
                 int required, const char **out);
int field_email(struct fields *f, const char *name, int required, const char **out);
int field_bool(struct fields *f, const char *name, int required, int *out);
/* The language mail is written in: "el" or "en". */
int field_language(struct fields *f, const char *name, int required, const char **out);
/* A string among choices (NULL-terminated); *out is the matching entry of choices. */
int field_choice(struct fields *f, const char *name, const char *const *choices, int required,
                 const char **out);
/* A code as the catalogues use them (categories, departments, services):
 * 2 to 40 of a-z, 0-9 and _, starting with a letter. what says which code
 * is expected ("the code of a department") in the error. */
int field_code(struct fields *f, const char *name, const char *what, int required,
               const char **out);
/* A finite JSON number from min to max. */
int field_number(struct fields *f, const char *name, double min, double max, int required,
                 double *out);
/* A JSON integer (no fraction, no string) from min to max. */
int field_integer(struct fields *f, const char *name, long long min, long long max, int required,
                  long long *out);
/* A JSON array of min_items..max_items distinct strings of 1..max_bytes bytes;
 * out (room for max_items) points into f->obj, *n is how many. */
int field_string_array(struct fields *f, const char *name, size_t min_items, size_t max_items,
                       size_t max_bytes, int required, const char **out, size_t *n);

/* When any field was wrong: answers 422 with every error, frees f, returns 1.
 * Otherwise returns 0 and leaves f to the caller. */
int fields_reject(struct exchange *ex, struct fields *f);

void fields_free(struct fields *f);

/* The handler state (ex->handler_data) that carries a parsed body to its
 * query's callback: allocates from the request's pool a zeroed record of type
 * T whose first member is `struct fields f`, parses the body into f
 * (body_parse_object, then fields_allow_only(allowed) unless allowed is NULL) and frees f with the
 * request, whether the callback ran or the client went away. Returns NULL
 * after answering. Does not compile when f is not T's first member. */
#define BODY_PARSE_RECORD(ex, T, allowed) \
    ((T *)body_parse_record((ex), sizeof(T) + 0 * sizeof(char[offsetof(T, f) ? -1 : 1]), (allowed)))
void *body_parse_record(struct exchange *ex, size_t size, const char *const *allowed);

/* 1 when s looks like an email address a mail server would accept:
 * local@domain.tld, no spaces or control characters, at most 254 bytes. */
int email_is_plausible(const char *s);

#endif
