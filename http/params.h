/* Query-string parameters: decoding, and validation that collects one
 * RFC 9457 field error per bad parameter ({"name","expected","found"}), so
 * a client learns about every mistake in one answer. */
#ifndef POLIS_PARAMS_H
#define POLIS_PARAMS_H

#include <h2o.h>
#include <jansson.h>

#define PARAMS_MAX 32

struct params {
    int n;
    struct {
        const char *name;
        const char *value;
    } items[PARAMS_MAX];
    json_t *errors; /* NULL until the first error */
};

/* Decodes "a=1&b=x%20y" (%XX and '+') into p; strings live in pool.
 * More than PARAMS_MAX parameters is itself an error. */
void params_parse(struct params *p, h2o_mem_pool_t *pool, const char *query, size_t len);

/* Records an error about parameter name. found is shown truncated and with
 * invalid UTF-8 replaced, so any input makes a valid JSON answer. */
void params_error(struct params *p, const char *name, const char *expected, const char *found);

/* Appends {"name","expected","found"} to *errors (created when NULL): the
 * shape of every field error polis reports, in query strings and bodies. */
void field_error_append(json_t **errors, const char *name, const char *expected,
                        const char *found);

/* Records an error for every parameter not in allowed (NULL-terminated) and
 * for every parameter given more than once. */
void params_allow_only(struct params *p, const char *const *allowed);

/* The value of name, or NULL when absent. */
const char *params_get(const struct params *p, const char *name);

/* Each reader returns 1 and sets *out when the parameter is present and
 * valid, 0 when absent (an error too when required), -1 when invalid. */
int params_double(struct params *p, const char *name, double min, double max, int required,
                  double *out);
int params_long(struct params *p, const char *name, long min, long max, int required,
                long *out);
int params_choice(struct params *p, const char *name, const char *const *choices, int required,
                  const char **out);
/* A positive integer id taken from the path (value is the path segment):
 * records an error naming `name` and expecting "a positive integer <what>
 * id" otherwise. Returns 0 when *out was set. */
int params_path_id(struct params *p, const char *name, const char *value, const char *what,
                   long *out);
/* "lat,lon" in degrees (the near= of searches). */
int params_lat_lon(struct params *p, const char *name, double *lat, double *lon);
/* "minlon,minlat,maxlon,maxlat" in degrees, ordered, at most max_km2. */
int params_bbox(struct params *p, const char *name, double max_km2, double out[4]);

/* Strict decimal number (no hex, inf, nan, spaces). Returns 0 on success. */
int parse_decimal(const char *s, double *out);
/* Strict base-10 integer. Returns 0 on success. */
int parse_integer(const char *s, long *out);

static inline int params_failed(const struct params *p)
{
    return p->errors != NULL;
}

/* Hands the error array to the caller (for respond_problem). */
json_t *params_take_errors(struct params *p);

#endif
