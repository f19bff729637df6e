/* The protocol book, for staff: its pages (filtered by year, direction and
 * channel, with the entries per channel, so the share of requests that
 * arrived electronically is known), and the registration of a request that
 * arrived at the counter, by phone, by post or by e-mail. Entries of the
 * web channel are only made by a submitted application
 * (api/application_submit.c). Every number is taken in the statement that
 * writes its entry (services/protocol_sql.h). */
#include "services/protocol_sql.h"
#include "api/actor.h"
#include "api/api.h"
#include "api/json_page.h"
#include "http/body.h"
#include "http/respond.h"

#include <string.h>

static const char *const directions[] = {"incoming", "outgoing", NULL};

_Static_assert((int)PROTOCOL_LIST_ITEMS == (int)JSON_PAGE_ITEMS &&
                   (int)PROTOCOL_LIST_MORE == (int)JSON_PAGE_MORE &&
                   (int)PROTOCOL_LIST_LAST_ID == (int)JSON_PAGE_LAST_ID &&
                   (int)PROTOCOL_LIST_CHANNELS == (int)JSON_PAGE_EXTRA,
               "the protocol page is a json_page");

/* ---- GET /api/v1/protocol ---- */

void api_protocol_list(struct exchange *ex)
{
    static const char *const allowed[] = {"year", "direction", "channel", "limit", "after",
                                          NULL};
    static const char *const channels[] = {"web", "counter", "phone", "post", "email", NULL};
    long limit, after, year;
    const char *direction = NULL, *channel = NULL;
    params_allow_only(&ex->query, allowed);
    struct json_page *p = json_page_new(ex, "/api/v1/protocol", "entries", &limit, &after);
    p->extra_member = "channels";
    int has_year = params_long(&ex->query, "year", 2000, 9999, 0, &year) == 1;
    params_choice(&ex->query, "direction", directions, 0, &direction);
    params_choice(&ex->query, "channel", channels, 0, &channel);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *year_text = has_year ? exchange_printf(ex, "%ld", year) : NULL;
    geojson_page_keep(ex, p->keep, "year", year_text);
    geojson_page_keep(ex, p->keep, "direction", direction);
    geojson_page_keep(ex, p->keep, "channel", channel);
    ex->handler_data = p;
    const char *args[PROTOCOL_LIST_NPARAMS] = {
        [PROTOCOL_LIST_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [PROTOCOL_LIST_P_YEAR] = year_text,
        [PROTOCOL_LIST_P_DIRECTION] = direction,
        [PROTOCOL_LIST_P_CHANNEL] = channel,
        [PROTOCOL_LIST_P_AFTER] = exchange_printf(ex, "%ld", after),
        [PROTOCOL_LIST_P_LIMIT] = exchange_printf(ex, "%ld", limit),
    };
    exchange_query_prepared(ex, PROTOCOL_LIST_SQL, PROTOCOL_LIST_NPARAMS, args, json_page_done);
}

/* ---- POST /api/v1/protocol ---- */

static void register_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetisnull(res, 0, PROTOCOL_REGISTER_JSON)) {
        respond_problem(ex->req, 503, "about:blank", "Service Unavailable", NULL,
                        "the served municipality %s is not loaded (polis import boundaries)",
                        ex->app->cfg.municipality);
        return;
    }
    respond_column(ex->req, 201, CT_JSON, res, PROTOCOL_REGISTER_JSON);
}

void api_protocol_register(struct exchange *ex)
{
    /* web: only a submitted application is registered so */
    static const char *const channels[] = {"counter", "phone", "post", "email", NULL};
    static const char *const allowed[] = {"direction", "subject", "correspondent", "channel",
                                          NULL};
    struct body {
        struct fields f;
    } *b = BODY_PARSE_RECORD(ex, struct body, allowed);
    if (!b)
        return;
    struct fields *f = &b->f;
    const char *args[PROTOCOL_REGISTER_NPARAMS] = {
        [PROTOCOL_REGISTER_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [PROTOCOL_REGISTER_P_DIRECTION] = "incoming",
    };
    field_choice(f, "direction", directions, 0, &args[PROTOCOL_REGISTER_P_DIRECTION]);
    field_string(f, "subject", 1, 500, 1, &args[PROTOCOL_REGISTER_P_SUBJECT]);
    field_string(f, "correspondent", 1, 300, 1, &args[PROTOCOL_REGISTER_P_CORRESPONDENT]);
    field_choice(f, "channel", channels, 1, &args[PROTOCOL_REGISTER_P_CHANNEL]);
    if (fields_reject(ex, f))
        return;
    actor_args(ex, args + PROTOCOL_REGISTER_P_ACTOR);
    exchange_query_prepared(ex, PROTOCOL_REGISTER_SQL, PROTOCOL_REGISTER_NPARAMS, args,
                            register_done);
}
