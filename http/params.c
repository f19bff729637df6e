#include "http/params.h"

#include "gis/bbox.h"
#include "gis/translit.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes %XX and '+'; *outlen is the decoded length (a %00 makes it
 * longer than strlen of the result). */
static char *decode(h2o_mem_pool_t *pool, const char *s, size_t len, size_t *outlen)
{
    char *out = h2o_mem_alloc_pool(pool, len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+') {
            *o++ = ' ';
        } else if (s[i] == '%' && i + 2 < len && hexval((unsigned char)s[i + 1]) >= 0 &&
                   hexval((unsigned char)s[i + 2]) >= 0) {
            *o++ = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    *outlen = (size_t)(o - out);
    return out;
}

/* Text a handler can use as a C string and send to PostgreSQL: no NUL
 * byte (it would cut the value short: "limit=1%00x" read as 1) and
 * well-formed UTF-8 (anything else is a database error, not an answer). */
static int is_text(const char *s, size_t len)
{
    return strlen(s) == len && utf8_valid(s);
}

void params_parse(struct params *p, h2o_mem_pool_t *pool, const char *query, size_t len)
{
    memset(p, 0, sizeof *p);
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && query[end] != '&')
            end++;
        if (end > i) {
            const char *eq = memchr(query + i, '=', end - i);
            size_t namelen = eq ? (size_t)(eq - (query + i)) : end - i;
            size_t name_len, value_len = 0;
            const char *name = decode(pool, query + i, namelen, &name_len);
            const char *value =
                eq ? decode(pool, eq + 1, (size_t)(query + end - eq - 1), &value_len) : "";
            if (p->n == PARAMS_MAX) {
                params_error(p, name, "at most 32 query parameters", "more");
                return;
            }
            if (!is_text(name, name_len) || !is_text(value, value_len))
                params_error(p, name, "UTF-8 text without NUL bytes (%00)", value);
            p->items[p->n].name = name;
            p->items[p->n].value = value;
            p->n++;
        }
        i = end + 1;
    }
}

/* The length of the UTF-8 sequence at u as jansson accepts it (no overlong
 * form, surrogate or code point past U+10FFFF), or 0. */
static int utf8_sequence(const unsigned char *u)
{
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    int n;
    uint32_t c;
    if (u[0] < 0x80)
        return 1;
    if ((u[0] & 0xE0) == 0xC0)
        n = 2, c = u[0] & 0x1Fu;
    else if ((u[0] & 0xF0) == 0xE0)
        n = 3, c = u[0] & 0x0Fu;
    else if ((u[0] & 0xF8) == 0xF0)
        n = 4, c = u[0] & 0x07u;
    else
        return 0;
    for (int k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80) /* also stops at the NUL */
            return 0;
        c = c << 6 | (u[k] & 0x3Fu);
    }
    return c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) ? 0 : n;
}

/* s as a JSON string: bytes that are not valid UTF-8 and control characters
 * become '?' (jansson refuses invalid UTF-8, which would drop the member),
 * and text past max bytes becomes "...". */
static json_t *safe_string(const char *s, size_t max)
{
    size_t len = strlen(s);
    char *buf = malloc((len < max ? len : max) + 8);
    if (!buf)
        return json_string("?");
    size_t o = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (*u && o < max) {
        int n = utf8_sequence(u);
        if (n > 1 || (n == 1 && *u >= 0x20)) {
            memcpy(buf + o, u, (size_t)n);
            o += (size_t)n;
            u += n;
        } else {
            buf[o++] = '?';
            u++;
        }
    }
    if (*u) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    json_t *j = json_stringn(buf, o);
    free(buf);
    return j ? j : json_string("?");
}

void field_error_append(json_t **errors, const char *name, const char *expected,
                        const char *found)
{
    if (!*errors)
        *errors = json_array();
    json_t *e = json_object();
    /* name and found come from the request: shown cut; expected is ours, but
     * may quote the request too (an RRULE's part, say) */
    json_object_set_new(e, "name", safe_string(name, 80));
    json_object_set_new(e, "expected", safe_string(expected, SIZE_MAX));
    json_object_set_new(e, "found", safe_string(found, 80));
    json_array_append_new(*errors, e);
}

void params_error(struct params *p, const char *name, const char *expected, const char *found)
{
    field_error_append(&p->errors, name, expected, found);
}

void params_allow_only(struct params *p, const char *const *allowed)
{
    char expected[512] = "one of: ";
    for (int k = 0; allowed[k]; k++) {
        if (k)
            strncat(expected, ", ", sizeof expected - strlen(expected) - 1);
        strncat(expected, allowed[k], sizeof expected - strlen(expected) - 1);
    }
    if (!allowed[0])
        snprintf(expected, sizeof expected, "no query parameters");
    for (int i = 0; i < p->n; i++) {
        int known = 0;
        for (int k = 0; allowed[k] && !known; k++)
            known = !strcmp(p->items[i].name, allowed[k]);
        if (!known) {
            params_error(p, p->items[i].name, expected, "an unknown parameter");
            continue;
        }
        for (int j = 0; j < i; j++)
            if (!strcmp(p->items[i].name, p->items[j].name)) {
                params_error(p, p->items[i].name, "the parameter at most once",
                             "it more than once");
                break;
            }
    }
}

const char *params_get(const struct params *p, const char *name)
{
    for (int i = 0; i < p->n; i++)
        if (!strcmp(p->items[i].name, name))
            return p->items[i].value;
    return NULL;
}

/* Steps *c over an optional sign. */
static void skip_sign(const char **c)
{
    if (**c == '-' || **c == '+')
        (*c)++;
}

/* Steps *c over a run of decimal digits; returns how many. */
static int skip_digits(const char **c)
{
    int n = 0;
    while (isdigit((unsigned char)**c))
        (*c)++, n++;
    return n;
}

int parse_decimal(const char *s, double *out)
{
    /* [-+]?digits[.digits]([eE][-+]?digits)? : what a person types */
    const char *c = s;
    skip_sign(&c);
    int digits = skip_digits(&c);
    if (*c == '.') {
        c++;
        digits += skip_digits(&c);
    }
    if (!digits)
        return -1;
    if (*c == 'e' || *c == 'E') {
        c++;
        skip_sign(&c);
        if (!skip_digits(&c))
            return -1;
    }
    if (*c)
        return -1;
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int parse_integer(const char *s, long *out)
{
    const char *c = s;
    skip_sign(&c);
    if (!skip_digits(&c) || *c)
        return -1;
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

static int absent(struct params *p, const char *name, int required, const char *expected)
{
    if (required)
        params_error(p, name, expected, "nothing (the parameter is required)");
    return 0;
}

/* A numeric parameter: an integer when l is set (read into *l), else a
 * decimal (into *d), within its bounds. */
struct number {
    long *l, lmin, lmax;
    double *d, dmin, dmax;
};

/* Parses text into n's place when it is a number within n's bounds;
 * returns 0 then, -1 otherwise (the place left as it was). */
static int number_read(const struct number *n, const char *text)
{
    if (n->l) {
        long v;
        if (parse_integer(text, &v) || v < n->lmin || v > n->lmax)
            return -1;
        *n->l = v;
        return 0;
    }
    double v;
    if (parse_decimal(text, &v) || v < n->dmin || v > n->dmax)
        return -1;
    *n->d = v;
    return 0;
}

/* What params_double and params_long do: absent, invalid or read. */
static int params_number(struct params *p, const char *name, int required,
                         const struct number *n)
{
    char expected[128];
    if (n->l)
        snprintf(expected, sizeof expected, "an integer from %ld to %ld", n->lmin, n->lmax);
    else
        snprintf(expected, sizeof expected, "a number from %g to %g", n->dmin, n->dmax);
    const char *v = params_get(p, name);
    if (!v)
        return absent(p, name, required, expected);
    if (number_read(n, v)) {
        params_error(p, name, expected, *v ? v : "an empty value");
        return -1;
    }
    return 1;
}

int params_double(struct params *p, const char *name, double min, double max, int required,
                  double *out)
{
    const struct number n = {.d = out, .dmin = min, .dmax = max};
    return params_number(p, name, required, &n);
}

int params_long(struct params *p, const char *name, long min, long max, int required, long *out)
{
    const struct number n = {.l = out, .lmin = min, .lmax = max};
    return params_number(p, name, required, &n);
}

int params_path_id(struct params *p, const char *name, const char *value, const char *what,
                   long *out)
{
    if (!parse_integer(value, out) && *out >= 1)
        return 0;
    char expected[128];
    snprintf(expected, sizeof expected, "a positive integer %s id", what);
    params_error(p, name, expected, value);
    return -1;
}

int params_choice(struct params *p, const char *name, const char *const *choices, int required,
                  const char **out)
{
    char expected[256] = "one of: ";
    for (int k = 0; choices[k]; k++) {
        if (k)
            strncat(expected, ", ", sizeof expected - strlen(expected) - 1);
        strncat(expected, choices[k], sizeof expected - strlen(expected) - 1);
    }
    const char *v = params_get(p, name);
    if (!v)
        return absent(p, name, required, expected);
    for (int k = 0; choices[k]; k++)
        if (!strcmp(v, choices[k])) {
            *out = choices[k];
            return 1;
        }
    params_error(p, name, expected, *v ? v : "an empty value");
    return -1;
}

int params_lat_lon(struct params *p, const char *name, double *lat, double *lon)
{
    const char *s = params_get(p, name);
    if (!s)
        return 0;
    const char *comma = strchr(s, ',');
    char la[64];
    if (comma && (size_t)(comma - s) < sizeof la) {
        memcpy(la, s, (size_t)(comma - s));
        la[comma - s] = '\0';
        if (!parse_decimal(la, lat) && !parse_decimal(comma + 1, lon) && *lat >= -90 &&
            *lat <= 90 && *lon >= -180 && *lon <= 180)
            return 1;
    }
    params_error(p, name, "lat,lon in degrees, such as 41.0917,23.5494", s);
    return -1;
}

int params_bbox(struct params *p, const char *name, double max_km2, double out[4])
{
    static const char expected[] =
        "minlon,minlat,maxlon,maxlat in degrees (lon -180..180, lat -90..90)";
    const char *v = params_get(p, name);
    if (!v)
        return 0;
    double box[4];
    int n = 0;
    const char *c = v;
    while (n < 5) {
        const char *comma = strchr(c, ',');
        size_t len = comma ? (size_t)(comma - c) : strlen(c);
        char part[64];
        if (len == 0 || len >= sizeof part || n == 4)
            break;
        memcpy(part, c, len);
        part[len] = '\0';
        if (parse_decimal(part, &box[n]))
            break;
        n++;
        if (!comma) {
            c = NULL;
            break;
        }
        c = comma + 1;
    }
    if (n != 4 || c != NULL || box[0] < -180 || box[2] > 180 || box[0] > 180 || box[2] < -180 ||
        box[1] < -90 || box[3] > 90 || box[1] > 90 || box[3] < -90) {
        params_error(p, name, expected, *v ? v : "an empty value");
        return -1;
    }
    if (box[0] > box[2] || box[1] > box[3]) {
        params_error(p, name, "minlon <= maxlon and minlat <= maxlat", v);
        return -1;
    }
    double area = bbox_area_km2(box);
    if (area > max_km2) {
        char exp[128], found[128];
        snprintf(exp, sizeof exp, "a box of at most %.0f km² (POLIS_BBOX_MAX_KM2)", max_km2);
        snprintf(found, sizeof found, "%s, which covers %.0f km²", v, area);
        params_error(p, name, exp, found);
        return -1;
    }
    memcpy(out, box, sizeof box);
    return 1;
}

json_t *params_take_errors(struct params *p)
{
    json_t *e = p->errors;
    p->errors = NULL;
    return e;
}
