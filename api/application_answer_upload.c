#include "api/application_answer_upload.h"
#include "gis/translit.h"
#include "http/multipart.h"
#include "http/params.h"
#include "http/polis.h"
#include "http/respond.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int refused(struct exchange *ex, int status, const char *name, const char *expected,
                   const char *found, const char *detail)
{
    json_t *errors = NULL;
    if (name)
        field_error_append(&errors, name, expected, found);
    respond_problem(ex->req, status, "/problems/invalid-body",
                    status == 413   ? "Content Too Large"
                    : status == 422 ? "Invalid field"
                                    : "Invalid request body",
                    errors, "%s", detail);
    return -1;
}

/* The request's Content-Type as a NUL-terminated text in its pool, "" for none. */
static const char *content_type(struct exchange *ex, size_t *len)
{
    ssize_t i = h2o_find_header(&ex->req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    *len = i < 0 ? 0 : ex->req->headers.entries[i].value.len;
    return i < 0 ? "" : ex->req->headers.entries[i].value.base;
}

/* A text part: at most max bytes of valid UTF-8 without NUL; NULL (after
 * answering 422) otherwise. */
static const char *text_part(struct exchange *ex, const struct multipart_part *p, size_t max)
{
    char *s = h2o_mem_alloc_pool(&ex->req->pool, p->len + 1);
    memcpy(s, p->data, p->len);
    s[p->len] = '\0';
    if (p->len > max || strlen(s) != p->len || !utf8_valid(s)) {
        refused(ex, 422, p->name,
                exchange_printf(ex, "UTF-8 text of at most %zu bytes", max),
                exchange_printf(ex, "%zu bytes%s", p->len,
                                p->len > max ? "" : " that are not UTF-8 text"),
                exchange_printf(ex, "the form part %s is not a text the approval takes",
                                p->name));
        return NULL;
    }
    return s;
}

static int version_of(struct exchange *ex, const char *text, long long *out)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || v < 1 || v > INT_MAX)
        return refused(ex, 422, "version", "the version read, a positive integer", text,
                       "version is not a version number");
    *out = v;
    return 0;
}

static int from_form(struct exchange *ex, const char *boundary, size_t comment_max,
                     struct answer_upload *out)
{
    char err[256];
    struct multipart *mp = h2o_mem_alloc_pool(&ex->req->pool, sizeof *mp);
    enum multipart_status s = multipart_parse(ex->req->entity.base, ex->req->entity.len,
                                              boundary, ex->app->cfg.upload_max_bytes, mp, err,
                                              sizeof err);
    if (s != MULTIPART_OK)
        return refused(ex, s == MULTIPART_TOO_LARGE ? 413 : 400, NULL, NULL, NULL,
                       s == MULTIPART_TOO_LARGE
                           ? exchange_printf(ex, "%s (POLIS_UPLOAD_MAX_MB=%zu)", err,
                                             ex->app->cfg.upload_max_bytes / (1024 * 1024))
                           : err);
    for (int i = 0; i < mp->n; i++) {
        const struct multipart_part *p = &mp->parts[i];
        const char *text = NULL;
        if (!strcmp(p->name, "file")) {
            out->data = p->data;
            out->len = p->len;
        } else if (!strcmp(p->name, "comment")) {
            if (!(out->comment = text_part(ex, p, comment_max)))
                return -1;
        } else if (!strcmp(p->name, "version")) {
            if (!(text = text_part(ex, p, 16)) || version_of(ex, text, &out->version))
                return -1;
        } else {
            return refused(ex, 422, p->name, "only the parts file, comment and version",
                           "a part of that name",
                           exchange_printf(ex, "the form has a part %s the approval does not "
                                           "take", p->name));
        }
    }
    if (!out->data)
        return refused(ex, 422, "file", "a form part called file holding the answer PDF",
                       "no such part", "the form has no part called file");
    return 1;
}

int answer_upload_read(struct exchange *ex, size_t comment_max, struct answer_upload *out)
{
    memset(out, 0, sizeof *out);
    size_t len;
    const char *type = content_type(ex, &len);
    size_t body = ex->req->entity.base ? ex->req->entity.len : 0;
    if ((len == 0 && body == 0) || (len >= 16 && !strncasecmp(type, "application/json", 16))) {
        params_allow_only(&ex->query, (const char *const[]){NULL});
        return respond_params_problem(ex->req, &ex->query) ? -1 : 0;
    }
    char boundary[MULTIPART_BOUNDARY_MAX + 1], err[256];
    int form = multipart_boundary(type, len, boundary, sizeof boundary, err, sizeof err);
    if (form < 0)
        return refused(ex, 400, NULL, NULL, NULL, err);
    if (form) {
        params_allow_only(&ex->query, (const char *const[]){NULL});
        if (respond_params_problem(ex->req, &ex->query))
            return -1;
        return from_form(ex, boundary, comment_max, out);
    }
    /* the raw body is the file; what comes with it is in the query string */
    static const char *const allowed[] = {"comment", "version", NULL};
    long version = 0;
    params_allow_only(&ex->query, allowed);
    params_long(&ex->query, "version", 1, INT_MAX, 0, &version);
    const char *comment = params_get(&ex->query, "comment");
    if (comment && strlen(comment) > comment_max)
        params_error(&ex->query, "comment",
                     exchange_printf(ex, "at most %zu bytes", comment_max),
                     exchange_printf(ex, "%zu bytes", strlen(comment)));
    if (respond_params_problem(ex->req, &ex->query))
        return -1;
    out->data = ex->req->entity.base;
    out->len = body;
    out->comment = comment && *comment ? comment : NULL;
    out->version = version;
    return 1;
}
