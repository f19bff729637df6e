/* API keys for apps and Open311 clients: a user creates, lists and revokes
 * their own; an administrator creates one for any user. The key is shown
 * once, in the answer that creates it; the database holds its digest and a
 * short prefix to tell keys apart. Another user's key is "not found", never
 * "forbidden", so key ids do not leak. */
#include "auth/keys_sql.h"
#include "auth/token.h"
#include "server/actor.h"
#include "server/api.h"
#include "server/body.h"
#include "server/params.h"
#include "server/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


struct key_request {
    const char *name;
    char scopes[40]; /* text[] literal: "{read,report,staff}" */
    unsigned mask;
    char key[TOKEN_TEXT_MAX + sizeof API_KEY_PREFIX];
};

/* {name, scopes:[...]} into kr, answering 422 (or 400/415) when wrong. */
static int parse_key_request(struct exchange *ex, struct key_request *kr)
{
    static const char *const allowed[] = {"name", "scopes", NULL};
    static const char *const names[] = {"read", "report", "staff"};
    struct fields f;
    if (body_parse_object(ex, &f))
        return -1;
    const char *name = NULL, *scopes[3];
    size_t n = 0;
    fields_allow_only(&f, allowed);
    field_string(&f, "name", 1, 100, 1, &name);
    if (field_string_array(&f, "scopes", 1, 3, 10, 1, scopes, &n) == 1) {
        for (size_t i = 0; i < n; i++) {
            int k = 0;
            while (k < 3 && strcmp(scopes[i], names[k]))
                k++;
            if (k == 3) {
                field_error_append(&f.errors, "scopes", "scopes among read, report, staff",
                                   scopes[i]);
                break;
            }
            kr->mask |= 1u << k;
        }
    }
    if (fields_reject(ex, &f))
        return -1;
    kr->name = exchange_strdup(ex, name);
    snprintf(kr->scopes, sizeof kr->scopes, "{%s%s%s%s%s}",
             kr->mask & SCOPE_READ ? "read" : "",
             (kr->mask & SCOPE_READ) && (kr->mask & ~SCOPE_READ) ? "," : "",
             kr->mask & SCOPE_REPORT ? "report" : "",
             (kr->mask & SCOPE_REPORT) && (kr->mask & SCOPE_STAFF) ? "," : "",
             kr->mask & SCOPE_STAFF ? "staff" : "");
    fields_free(&f);
    return 0;
}

static void staff_scope_refused(struct exchange *ex)
{
    json_t *errors = NULL;
    field_error_append(&errors, "scopes",
                       "read and/or report (the staff scope is for municipal staff)", "staff");
    respond_problem(ex->req, 422, "/problems/invalid-field", "Invalid field", errors,
                    "a citizen's key can only have the read and report scopes");
}

static void key_created(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetisnull(res, 0, 0)) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no user with this id");
        return;
    }
    if (PQgetisnull(res, 0, 1)) {
        staff_scope_refused(ex);
        return;
    }
    const struct key_request *kr = ex->handler_data;
    json_t *key = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
    json_object_set_new(key, "key", json_string(kr->key));
    json_object_set_new(key, "detail", json_string("the key is shown only this once: keep it "
                                                   "now; send it as Authorization: Bearer <key>"));
    respond_header(ex->req, "cache-control", "no-store");
    respond_json(ex->req, 201, key);
}

/* Creates the key for owner_id in one statement with its audit row. */
static void key_create(struct exchange *ex, struct key_request *kr, long owner_id)
{
    token_new(API_KEY_PREFIX, kr->key, sizeof kr->key);
    char *digest = h2o_mem_alloc_pool(&ex->req->pool, TOKEN_DIGEST_HEX_MAX);
    token_digest_hex(kr->key, digest);
    const char *actor[4];
    actor_args(ex, actor);
    const char *args[9] = {
        exchange_printf(ex, "%ld", owner_id),
        kr->name,
        exchange_printf(ex, "%.*s", API_KEY_SHOWN_CHARS, kr->key),
        digest,
        kr->scopes,
        actor[0], actor[1], actor[2], actor[3],
    };
    ex->handler_data = kr;
    exchange_query(ex, KEY_CREATE_SQL, 9, args, key_created);
}

/* ---- POST /api/v1/me/keys ---- */

void api_me_keys_create(struct exchange *ex)
{
    struct key_request *kr = h2o_mem_alloc_pool(&ex->req->pool, sizeof *kr);
    memset(kr, 0, sizeof *kr);
    if (parse_key_request(ex, kr))
        return;
    if ((kr->mask & SCOPE_STAFF) && ex->who.rank < 2) {
        staff_scope_refused(ex);
        return;
    }
    /* a key cannot make a key that may do more than itself */
    if (ex->who.via == CRED_API_KEY && (kr->mask & ~ex->who.scopes)) {
        respond_problem(ex->req, 403, "/problems/insufficient-scope", "Forbidden", NULL,
                        "an API key can only create keys with scopes it has itself");
        return;
    }
    key_create(ex, kr, ex->who.user_id);
}

/* ---- POST /api/v1/admin/users/{id}/keys ---- */

void api_admin_user_keys_create(struct exchange *ex)
{
    long id = 0;
    if (parse_integer(ex->path_params[0], &id) || id < 1)
        params_error(&ex->query, "id", "a positive integer user id", ex->path_params[0]);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    struct key_request *kr = h2o_mem_alloc_pool(&ex->req->pool, sizeof *kr);
    memset(kr, 0, sizeof *kr);
    if (parse_key_request(ex, kr))
        return;
    key_create(ex, kr, id);
}

/* ---- GET /api/v1/me/keys ---- */

static void keys_listed(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    respond_header(ex->req, "cache-control", "no-store");
    const char *body = exchange_printf(ex, "{\"keys\":%s}", PQgetvalue(res, 0, 0));
    respond_bytes(ex->req, 200, CT_JSON, body, strlen(body));
}

void api_me_keys_list(struct exchange *ex)
{
    const char *args[] = {exchange_printf(ex, "%ld", ex->who.user_id)};
    exchange_query(ex, KEY_LIST_SQL, 1, args, keys_listed);
}

/* ---- DELETE /api/v1/me/keys/{id} ---- */

static void key_revoked(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "you have no active API key with id %s", ex->path_params[0]);
        return;
    }
    respond_bytes(ex->req, 204, CT_JSON, "", 0);
}

void api_me_keys_delete(struct exchange *ex)
{
    long id = 0;
    if (parse_integer(ex->path_params[0], &id) || id < 1)
        params_error(&ex->query, "id", "a positive integer key id", ex->path_params[0]);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *actor[4];
    actor_args(ex, actor);
    const char *args[6] = {exchange_printf(ex, "%ld", id),
                           exchange_printf(ex, "%ld", ex->who.user_id),
                           actor[0], actor[1], actor[2], actor[3]};
    exchange_query(ex, KEY_REVOKE_SQL, 6, args, key_revoked);
}
