/* News articles, written by staff and admins: create (a draft, or straight
 * into review) and edit, including the status: draft -> review -> published
 * -> withdrawn, back from review to draft and from withdrawn to draft. An
 * article in review is published by an admin, or by a staff member who is
 * not its author (four eyes: nobody but an admin publishes alone). A write
 * checks the body in C, looks up the article and the category in one
 * query, then writes the article and its audit row in one statement
 * (publish/news_sql.h). */
#include "publish/news_sql.h"
#include "gis/rfc3339.h"
#include "api/actor.h"
#include "api/api.h"
#include "api/news_access.h"
#include "http/body.h"
#include "http/respond.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 300
#define SUMMARY_MAX 1000
#define BODY_MAX 50000

struct news_write {
    struct fields f;   /* first: BODY_PARSE_RECORD */
    json_t *cols;      /* the columns to write (publish/news_sql.h) */
    long id;           /* 0 when creating */
    const char *category, *status;
};

static const char *const statuses[] = {"draft", "review", "published", "withdrawn", NULL};

/* The moves an edit may make, and what a staff member may not do alone. */
static const struct {
    const char *from, *to;
} moves[] = {
    {"draft", "review"},     {"review", "draft"},     {"review", "published"},
    {"published", "withdrawn"}, {"withdrawn", "draft"},
};

static int move_allowed(const char *from, const char *to)
{
    if (!strcmp(from, to))
        return 1;
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if (!strcmp(moves[i].from, from) && !strcmp(moves[i].to, to))
            return 1;
    return 0;
}

/* The statuses an article in status from may move to, for the error. */
static const char *moves_from(struct exchange *ex, const char *from)
{
    const char *out = "";
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if (!strcmp(moves[i].from, from))
            out = exchange_printf(ex, "%s%s%s", out, *out ? " or " : "", moves[i].to);
    return exchange_printf(ex, "from %s: %s (or %s, unchanged)", from, out, from);
}

static void cols_dispose(void *p)
{
    json_decref(*(json_t **)p);
}

/* Records an error when member name is null: it cannot be removed. Returns 1 then. */
static int refuse_null(struct fields *f, const char *name)
{
    json_t *v = json_object_get(f->obj, name);
    if (!v || !json_is_null(v))
        return 0;
    field_error_append(&f->errors, name, "a value (it cannot be removed)", "null");
    return 1;
}

/* A string member copied into cols: null clears it when nullable. */
static void copy_string(struct news_write *nw, const char *name, size_t max, int required,
                        int nullable)
{
    struct fields *f = &nw->f;
    const char *s = NULL;
    json_t *v = json_object_get(f->obj, name);
    if (!nullable && refuse_null(f, name))
        return;
    if (v && json_is_null(v)) {
        json_object_set_new(nw->cols, name, json_null());
        return;
    }
    if (field_string(f, name, 1, max, required, &s) == 1)
        json_object_set_new(nw->cols, name, json_string(s));
}

static void read_article(struct news_write *nw)
{
    struct fields *f = &nw->f;
    int creating = nw->id == 0;
    copy_string(nw, "title_el", TITLE_MAX, creating, 0);
    copy_string(nw, "title_en", TITLE_MAX, 0, 1);
    copy_string(nw, "summary_el", SUMMARY_MAX, 0, 1);
    copy_string(nw, "summary_en", SUMMARY_MAX, 0, 1);
    copy_string(nw, "body_el", BODY_MAX, 0, 1);
    copy_string(nw, "body_en", BODY_MAX, 0, 1);
    if (!refuse_null(f, "category"))
        field_string(f, "category", 1, 40, creating, &nw->category);
    static const char *const first[] = {"draft", "review", NULL}; /* of a new article */
    if (!refuse_null(f, "status"))
        field_choice(f, "status", creating ? first : statuses, 0, &nw->status);
    if (nw->status)
        json_object_set_new(nw->cols, "status", json_string(nw->status));
    json_t *at = json_object_get(f->obj, "publish_at");
    const char *s = NULL;
    if (at && json_is_null(at))
        json_object_set_new(nw->cols, "publish_at", json_null());
    else if (field_string(f, "publish_at", 10, 40, 0, &s) == 1 && !rfc3339_valid(s))
        field_error_append(&f->errors, "publish_at",
                           "an RFC 3339 date-time (2026-12-24T09:00:00+02:00)", s);
    else if (s)
        json_object_set_new(nw->cols, "publish_at", json_string(s));
}

static void write_done(struct exchange *ex, PGresult *res)
{
    struct news_write *nw = ex->handler_data;
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) { /* gone, or moved by someone else since the check */
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "news article %ld changed while this edit was checked; read it again",
                        nw->id);
        return;
    }
    if (nw->id) {
        respond_column(ex->req, 200, CT_JSON, res, NEWS_UPDATE_ITEM);
        return;
    }
    respond_header(ex->req, "location",
                   exchange_url(ex, exchange_printf(ex, "/api/v1/news/%s",
                                                    PQgetvalue(res, 0, NEWS_CREATE_ID))));
    respond_column(ex->req, 201, CT_JSON, res, NEWS_CREATE_ITEM);
}

/* The check's answer: the article exists, the category is known, the move
 * is allowed and allowed to this caller; then the write. */
static void check_done(struct exchange *ex, PGresult *res)
{
    struct news_write *nw = ex->handler_data;
    struct fields *f = &nw->f;
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetvalue(res, 0, NEWS_WRITE_CHECK_EXISTS)[0] != 't') {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL, NEWS_MISSING, nw->id);
        return;
    }
    if (nw->category && PQgetisnull(res, 0, NEWS_WRITE_CHECK_CATEGORY_ID))
        field_error_append(&f->errors, "category",
                           "the slug of a news category (GET /api/v1/news/categories)",
                           nw->category);
    else if (nw->category)
        json_object_set_new(nw->cols, "category_id",
                            json_integer(atoll(PQgetvalue(res, 0, NEWS_WRITE_CHECK_CATEGORY_ID))));
    const char *from = nw->id ? PQgetvalue(res, 0, NEWS_WRITE_CHECK_STATUS) : "draft";
    if (nw->id && nw->status && !move_allowed(from, nw->status))
        field_error_append(&f->errors, "status", moves_from(ex, from), nw->status);
    if (fields_reject(ex, f))
        return;
    if (nw->id && nw->status && !strcmp(nw->status, "published") && strcmp(from, "published") &&
        ex->who.rank < 3 &&
        atol(PQgetvalue(res, 0, NEWS_WRITE_CHECK_AUTHOR)) == ex->who.user_id) {
        respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                        "an article in review is published by an admin or by a staff member "
                        "other than its author");
        return;
    }
    char *cols = json_dumps(nw->cols, JSON_COMPACT);
    if (!cols) {
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "out of memory");
        return;
    }
    const char *cols_arg = exchange_strdup(ex, cols);
    free(cols);
    if (!nw->id) {
        const char *args[NEWS_CREATE_NPARAMS] = {[NEWS_CREATE_P_ARTICLE] = cols_arg};
        actor_args(ex, &args[NEWS_CREATE_P_ACTOR]);
        exchange_query_prepared(ex, NEWS_CREATE_SQL, NEWS_CREATE_NPARAMS, args, write_done);
        return;
    }
    const char *args[NEWS_UPDATE_NPARAMS] = {
        [NEWS_UPDATE_P_ID] = exchange_printf(ex, "%ld", nw->id),
        [NEWS_UPDATE_P_CHANGES] = cols_arg,
        [NEWS_UPDATE_P_STATUS_SEEN] = exchange_strdup(ex, from),
    };
    actor_args(ex, &args[NEWS_UPDATE_P_ACTOR]);
    exchange_query_prepared(ex, NEWS_UPDATE_SQL, NEWS_UPDATE_NPARAMS, args, write_done);
}

static void news_write(struct exchange *ex, long id)
{
    static const char *const allowed[] = {"title_el",   "title_en", "summary_el", "summary_en",
                                          "body_el",    "body_en",  "category",   "status",
                                          "publish_at", NULL};
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    struct news_write *nw = BODY_PARSE_RECORD(ex, struct news_write, allowed);
    if (!nw)
        return;
    nw->id = id;
    json_t **cols = h2o_mem_alloc_shared(&ex->req->pool, sizeof *cols, cols_dispose);
    *cols = nw->cols = json_object(); /* freed with the request */
    ex->handler_data = nw;
    read_article(nw);
    const char *args[NEWS_WRITE_CHECK_NPARAMS] = {
        [NEWS_WRITE_CHECK_P_ID] = id ? exchange_printf(ex, "%ld", id) : NULL,
        [NEWS_WRITE_CHECK_P_CATEGORY] = nw->category,
    };
    exchange_query_prepared(ex, NEWS_WRITE_CHECK_SQL, NEWS_WRITE_CHECK_NPARAMS, args,
                            check_done);
}

void api_news_create(struct exchange *ex)
{
    news_write(ex, 0);
}

void api_news_update(struct exchange *ex)
{
    long id = news_path_id(ex);
    if (id)
        news_write(ex, id);
}
