/* API keys for apps and Open311 clients: a user creates, lists and revokes
 * their own; an administrator creates one for any user. The key is shown
 * once, in the answer that creates it; the database holds its digest and a
 * short prefix to tell keys apart. Another user's key is "not found", never
 * "forbidden", so key ids do not leak.
 *
 * Making one's own key needs the account's password again (a key outlives
 * the session: a stolen session or key must not be able to mint lasting
 * access), counted like a sign-in attempt. */
#include "auth/keys_sql.h"
#include "auth/token.h"
#include "api/actor.h"
#include "api/api.h"
#include "http/body.h"
#include "http/params.h"
#include "api/own_row.h"
#include "api/password_job.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


struct key_request {
    struct password_job *check; /* own keys: the password to verify first */
    const char *name;
    char scopes[40]; /* text[] literal: "{read,report,staff}" */
    unsigned mask;
    char key[TOKEN_TEXT_MAX + sizeof API_KEY_PREFIX];
};

static void key_password_checked(struct exchange *ex, struct password_job *pj);

/* {name, scopes:[...]} (and password when own) into kr, answering 422 (or
 * 400/415) when wrong. For one's own key, kr->check holds the password to
 * verify (the caller owns the job). */
static int parse_key_request(struct exchange *ex, struct key_request *kr, int own)
{
    static const char *const allowed_own[] = {"name", "scopes", "password", NULL};
    static const char *const allowed_admin[] = {"name", "scopes", NULL};
    static const char *const names[] = {"read", "report", "staff"};
    struct fields f;
    if (body_parse_object(ex, &f))
        return -1;
    const char *name = NULL, *scopes[3], *password = NULL;
    size_t n = 0;
    fields_allow_only(&f, own ? allowed_own : allowed_admin);
    field_string(&f, "name", 1, 100, 1, &name);
    if (own)
        field_string(&f, "password", 1, PASSWORD_MAX_BYTES, 1, &password);
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
    if (own)
        kr->check = password_job_new(ex, password, 1, key_password_checked);
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
    respond_invalid_field(ex->req, "scopes",
                          "read and/or report (the staff scope is for municipal staff)", "staff",
                          "a citizen's key can only have the read and report scopes");
}

static void key_created(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetisnull(res, 0, KEY_CREATE_OWNER_ROLE)) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no user with this id");
        return;
    }
    if (PQgetisnull(res, 0, KEY_CREATE_KEY)) {
        staff_scope_refused(ex);
        return;
    }
    const struct key_request *kr = ex->handler_data;
    json_t *key = json_loads(PQgetvalue(res, 0, KEY_CREATE_KEY), 0, NULL);
    json_object_set_new(key, "key", json_string(kr->key));
    json_object_set_new(key, "detail", json_string("the key is shown only this once: keep it "
                                                   "now; send it as Authorization: Bearer <key>"));
    respond_private(ex->req);
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
    const char *args[KEY_CREATE_NPARAMS] = {
        [KEY_CREATE_P_OWNER_ID] = exchange_printf(ex, "%ld", owner_id),
        [KEY_CREATE_P_NAME] = kr->name,
        [KEY_CREATE_P_PREFIX] = exchange_printf(ex, "%.*s", API_KEY_SHOWN_CHARS, kr->key),
        [KEY_CREATE_P_DIGEST] = digest,
        [KEY_CREATE_P_SCOPES] = kr->scopes,
        [KEY_CREATE_P_ACTOR] = actor[0], actor[1], actor[2], actor[3],
    };
    ex->handler_data = kr;
    exchange_query(ex, KEY_CREATE_SQL, KEY_CREATE_NPARAMS, args, key_created);
}

/* ---- POST /api/v1/me/keys ---- */

static void key_password_checked(struct exchange *ex, struct password_job *pj)
{
    if (!pj->verified) {
        respond_invalid_field(ex->req, "password", "your account's password",
                              "a password that does not match",
                              "the password is wrong; making an API key needs your account's "
                              "password");
        return;
    }
    key_create(ex, pj->data, ex->who.user_id);
}

void api_me_keys_create(struct exchange *ex)
{
    struct key_request *kr = h2o_mem_alloc_pool(&ex->req->pool, sizeof *kr);
    memset(kr, 0, sizeof *kr);
    if (parse_key_request(ex, kr, 1))
        return;
    if ((kr->mask & SCOPE_STAFF) && ex->who.rank < 2) {
        staff_scope_refused(ex);
    } else if (ex->who.via == CRED_API_KEY && (kr->mask & ~ex->who.scopes)) {
        /* a key cannot make a key that may do more than itself */
        respond_problem(ex->req, 403, "/problems/insufficient-scope", "Forbidden", NULL,
                        "an API key can only create keys with scopes it has itself");
    } else if (!password_attempt_limited(ex, ex->who.email)) {
        kr->check->data = kr;
        password_job_verify_caller(kr->check);
        return;
    }
    password_job_free(kr->check);
}

/* ---- POST /api/v1/admin/users/{id}/keys ---- */

void api_admin_user_keys_create(struct exchange *ex)
{
    long id;
    params_path_id(&ex->query, "id", ex->path_params[0], "user", &id);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    struct key_request *kr = h2o_mem_alloc_pool(&ex->req->pool, sizeof *kr);
    memset(kr, 0, sizeof *kr);
    if (parse_key_request(ex, kr, 0))
        return;
    key_create(ex, kr, id);
}

/* ---- GET /api/v1/me/keys ---- */

void api_me_keys_list(struct exchange *ex)
{
    own_rows_list(ex, KEY_LIST_SQL, "keys", KEY_LIST_KEYS);
}

/* ---- DELETE /api/v1/me/keys/{id} ---- */

static void key_revoked(struct exchange *ex, PGresult *res)
{
    respond_no_content_or_missing(ex->req, res, "you have no active API key with id %s",
                                  ex->path_params[0]);
}

void api_me_keys_delete(struct exchange *ex)
{
    long id;
    params_path_id(&ex->query, "id", ex->path_params[0], "key", &id);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *actor[4];
    actor_args(ex, actor);
    const char *args[KEY_REVOKE_NPARAMS] = {
        [KEY_REVOKE_P_KEY_ID] = exchange_printf(ex, "%ld", id),
        [KEY_REVOKE_P_OWNER_ID] = exchange_printf(ex, "%ld", ex->who.user_id),
        [KEY_REVOKE_P_ACTOR] = actor[0], actor[1], actor[2], actor[3],
    };
    exchange_query(ex, KEY_REVOKE_SQL, KEY_REVOKE_NPARAMS, args, key_revoked);
}
