/* multipart/form-data parsing in place (see multipart.h). */
#include "http/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_HEADERS 16
#define MAX_HEADER_LINE 2048

static int is_tspecial(char c)
{
    return strchr("()<>@,;:\\\"/[]?= \t", c) != NULL;
}

static int is_token_char(char c)
{
    return c > 32 && c < 127 && !is_tspecial(c);
}

/* Skips spaces and tabs. */
static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* Reads one parameter value at *pp (a quoted string with backslash escapes,
 * or a token) into out. Returns 0, or -1 when it is malformed. */
static int read_value(const char **pp, const char *end, char *out, size_t outlen)
{
    const char *p = *pp;
    size_t n = 0;
    if (p < end && *p == '"') {
        p++;
        for (;;) {
            if (p >= end)
                return -1; /* no closing quote */
            char c = *p++;
            if (c == '"')
                break;
            if (c == '\\') {
                if (p >= end)
                    return -1;
                c = *p++;
            }
            if (c == '\r' || c == '\n')
                return -1;
            if (n + 1 >= outlen)
                return -1;
            out[n++] = c;
        }
    } else {
        while (p < end && is_token_char(*p)) {
            if (n + 1 >= outlen)
                return -1;
            out[n++] = *p++;
        }
        if (n == 0)
            return -1;
    }
    out[n] = '\0';
    *pp = p;
    return 0;
}

/* Walks "; name=value" parameters after a media type or disposition type,
 * calling want for each; stops at the end. Returns 0, or -1 when malformed. */
static int each_param(const char *p, const char *end,
                      int (*want)(void *ud, const char *name, size_t nlen, const char *value),
                      void *ud)
{
    char value[1024];
    for (;;) {
        p = skip_ws(p, end);
        if (p >= end)
            return 0;
        if (*p != ';')
            return -1;
        p = skip_ws(p + 1, end);
        if (p >= end)
            return 0; /* a trailing ';' */
        const char *name = p;
        while (p < end && is_token_char(*p))
            p++;
        size_t nlen = (size_t)(p - name);
        p = skip_ws(p, end);
        if (nlen == 0 || p >= end || *p != '=')
            return -1;
        p = skip_ws(p + 1, end);
        if (read_value(&p, end, value, sizeof value))
            return -1;
        if (want(ud, name, nlen, value))
            return -1;
    }
}

struct boundary_want {
    char *out;
    size_t outlen;
    int found;
};

static int want_boundary(void *ud, const char *name, size_t nlen, const char *value)
{
    struct boundary_want *w = ud;
    if (nlen == 8 && !strncasecmp(name, "boundary", 8)) {
        snprintf(w->out, w->outlen, "%s", value);
        w->found = strlen(value) < w->outlen ? 1 : -1;
    }
    return 0;
}

int multipart_boundary(const char *content_type, size_t len, char *out, size_t outlen,
                       char *err, size_t errlen)
{
    static const char type[] = "multipart/form-data";
    const char *end = content_type + len;
    const char *p = skip_ws(content_type, end);
    if ((size_t)(end - p) < sizeof type - 1 || strncasecmp(p, type, sizeof type - 1))
        return 0;
    p += sizeof type - 1;
    if (p < end && *p != ';' && *p != ' ' && *p != '\t')
        return 0; /* multipart/form-datax */
    struct boundary_want w = {out, outlen, 0};
    if (each_param(p, end, want_boundary, &w)) {
        snprintf(err, errlen, "the Content-Type's parameters are malformed: expected "
                 "multipart/form-data; boundary=...");
        return -1;
    }
    size_t blen = w.found == 1 ? strlen(out) : 0;
    if (blen == 0 || blen > MULTIPART_BOUNDARY_MAX) {
        snprintf(err, errlen, "multipart/form-data needs a boundary parameter of 1 to %d "
                 "characters", MULTIPART_BOUNDARY_MAX);
        return -1;
    }
    return 1;
}

/* Copies s (n bytes) into the arena; NULL when it is full. */
static const char *arena_put(struct multipart *mp, const char *s, size_t n)
{
    if (mp->used + n + 1 > sizeof mp->text)
        return NULL;
    char *at = mp->text + mp->used;
    memcpy(at, s, n);
    at[n] = '\0';
    mp->used += n + 1;
    return at;
}

struct disposition_want {
    struct multipart *mp;
    struct multipart_part *part;
    int oom;
};

static int want_disposition(void *ud, const char *name, size_t nlen, const char *value)
{
    struct disposition_want *w = ud;
    const char **slot = NULL;
    if (nlen == 4 && !strncasecmp(name, "name", 4))
        slot = &w->part->name;
    else if (nlen == 8 && !strncasecmp(name, "filename", 8))
        slot = &w->part->filename;
    if (!slot)
        return 0; /* filename* and others: ignored (RFC 7578 4.2) */
    if (*slot)
        return -1; /* given twice */
    *slot = arena_put(w->mp, value, strlen(value));
    if (!*slot)
        w->oom = 1;
    return 0;
}

/* Finds needle in [p, end), or NULL. */
static const char *find(const char *p, const char *end, const char *needle, size_t nlen)
{
    if ((size_t)(end - p) < nlen)
        return NULL;
    return memmem(p, (size_t)(end - p), needle, nlen);
}

/* Parses the headers of one part, from p up to and including the empty
 * line; returns where the data starts, or NULL (err set). */
static const char *parse_headers(const char *p, const char *end, struct multipart *mp,
                                 struct multipart_part *part, int index, char *err,
                                 size_t errlen)
{
    int nheaders = 0, has_disposition = 0;
    for (;;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) {
            snprintf(err, errlen, "part %d: its headers do not end (expected an empty line "
                     "before the data)", index + 1);
            return NULL;
        }
        const char *line_end = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
        if (line_end == p)
            return eol + 1; /* the empty line */
        if (++nheaders > MAX_HEADERS || line_end - p > MAX_HEADER_LINE) {
            snprintf(err, errlen, "part %d: expected at most %d header lines of at most %d "
                     "bytes each", index + 1, MAX_HEADERS, MAX_HEADER_LINE);
            return NULL;
        }
        const char *colon = memchr(p, ':', (size_t)(line_end - p));
        if (!colon || colon == p) {
            snprintf(err, errlen, "part %d: expected a header line \"Name: value\", found "
                     "\"%.*s\"", index + 1, (int)(line_end - p > 80 ? 80 : line_end - p), p);
            return NULL;
        }
        size_t nlen = (size_t)(colon - p);
        const char *v = skip_ws(colon + 1, line_end);
        const char *vend = line_end;
        while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
            vend--;
        if (nlen == 19 && !strncasecmp(p, "Content-Disposition", 19)) {
            static const char fd[] = "form-data";
            if ((size_t)(vend - v) < sizeof fd - 1 || strncasecmp(v, fd, sizeof fd - 1)) {
                snprintf(err, errlen, "part %d: expected Content-Disposition: form-data, found "
                         "\"%.*s\"", index + 1, (int)(vend - v > 80 ? 80 : vend - v), v);
                return NULL;
            }
            struct disposition_want w = {mp, part, 0};
            if (has_disposition || each_param(v + sizeof fd - 1, vend, want_disposition, &w)) {
                snprintf(err, errlen, "part %d: malformed Content-Disposition \"%.*s\"",
                         index + 1, (int)(vend - v > 200 ? 200 : vend - v), v);
                return NULL;
            }
            if (w.oom) {
                snprintf(err, errlen, "part %d: its names are too long", index + 1);
                return NULL;
            }
            has_disposition = 1;
        } else if (nlen == 12 && !strncasecmp(p, "Content-Type", 12)) {
            part->content_type = arena_put(mp, v, (size_t)(vend - v));
            if (!part->content_type) {
                snprintf(err, errlen, "part %d: its headers are too long", index + 1);
                return NULL;
            }
        }
        p = eol + 1;
    }
}

enum multipart_status multipart_parse(const char *body, size_t len, const char *boundary,
                                      size_t max_part_bytes, struct multipart *mp, char *err,
                                      size_t errlen)
{
    memset(mp, 0, offsetof(struct multipart, text));
    mp->used = 0;
    char delim[MULTIPART_BOUNDARY_MAX + 8];
    size_t blen = strlen(boundary);
    if (blen == 0 || blen > MULTIPART_BOUNDARY_MAX) {
        snprintf(err, errlen, "the boundary must have 1 to %d characters",
                 MULTIPART_BOUNDARY_MAX);
        return MULTIPART_MALFORMED;
    }
    /* "\r\n--boundary": every delimiter but a first one at the very start */
    size_t dlen = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    const char *end = body + len, *p;
    if (len >= dlen - 2 && !memcmp(body, delim + 2, dlen - 2))
        p = body + dlen - 2;
    else if ((p = find(body, end, delim, dlen)))
        p += dlen;
    else {
        snprintf(err, errlen, "expected the boundary \"--%s\" given in the Content-Type; the "
                 "body does not contain it", boundary);
        return MULTIPART_MALFORMED;
    }
    for (;;) {
        /* p is just after a delimiter: "--" closes, else padding and CRLF */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return MULTIPART_OK; /* the close delimiter; the epilogue is ignored */
        p = skip_ws(p, end);
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
            p += 2;
        else if (p < end && p[0] == '\n')
            p += 1;
        else {
            snprintf(err, errlen, "expected a line break or \"--\" after the boundary, found %s",
                     p < end ? "other bytes" : "the end of the body (no closing \"--BOUNDARY--\")");
            return MULTIPART_MALFORMED;
        }
        if (mp->n == MULTIPART_MAX_PARTS) {
            snprintf(err, errlen, "expected at most %d parts", MULTIPART_MAX_PARTS);
            return MULTIPART_MALFORMED;
        }
        struct multipart_part *part = &mp->parts[mp->n];
        memset(part, 0, sizeof *part);
        const char *data = parse_headers(p, end, mp, part, mp->n, err, errlen);
        if (!data)
            return MULTIPART_MALFORMED;
        if (!part->name) {
            snprintf(err, errlen, "part %d: expected Content-Disposition: form-data; name=\"...\","
                     " found no name", mp->n + 1);
            return MULTIPART_MALFORMED;
        }
        const char *next = find(data, end, delim, dlen);
        if (!next) {
            snprintf(err, errlen, "part \"%s\": the body ends before the closing boundary "
                     "\"--%s--\" (truncated upload?)", part->name, boundary);
            return MULTIPART_MALFORMED;
        }
        part->data = data;
        part->len = (size_t)(next - data);
        if (part->len > max_part_bytes) {
            snprintf(err, errlen, "part \"%s\" has %zu bytes; at most %zu are accepted",
                     part->name, part->len, max_part_bytes);
            return MULTIPART_TOO_LARGE;
        }
        mp->n++;
        p = next + dlen;
    }
}

const struct multipart_part *multipart_get(const struct multipart *mp, const char *name)
{
    for (int i = 0; i < mp->n; i++)
        if (!strcmp(mp->parts[i].name, name))
            return &mp->parts[i];
    return NULL;
}
