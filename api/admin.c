/* Administration: the users (list, create) and the audit log. Every write
 * records its audit_log row in the same statement as the change.
 *
 * A user created here gets a generated password, shown once in the answer
 * (the administrator hands it over; the user changes it with POST
 * /api/v1/auth/password, or ignores it and uses the password reset). The
 * email counts as confirmed: the administrator vouches for it. */
#include "auth/audit_sql.h"
#include "auth/token.h"
#include "auth/users_sql.h"
#include "api/actor.h"
#include "api/api.h"
#include "http/body.h"
#include "http/paging.h"
#include "http/params.h"
#include "api/password_job.h"
#include "http/respond.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN_MAX_DEPARTMENTS 32

/* The lists paged by id (?limit=&after=): sql takes the id to start after
 * and limit + 1, and returns (id, json) rows (http/paging.h). */
_Static_assert((int)USER_LIST_ID == (int)ID_PAGE_ID && (int)USER_LIST_USER == (int)ID_PAGE_JSON &&
                   (int)AUDIT_PAGE_ID == (int)ID_PAGE_ID &&
                   (int)AUDIT_PAGE_ENTRY == (int)ID_PAGE_JSON,
               "the paged statements return (id, json)");
static void page_query(struct exchange *ex, const char *path, const char *member,
                       const char *sql)
{
    struct id_page *pg = h2o_mem_alloc_pool(&ex->req->pool, sizeof *pg);
    long after;
    pg->path = path;
    pg->member = member;
    if (id_page_parse(ex, pg, &after))
        return;
    ex->handler_data = pg;
    const char *args[] = {exchange_printf(ex, "%ld", after),
                          exchange_printf(ex, "%ld", pg->limit + 1)};
    exchange_query(ex, sql, 2, args, id_page_done);
}

/* ---- GET /api/v1/admin/users ---- */

void api_admin_users_list(struct exchange *ex)
{
    page_query(ex, "/api/v1/admin/users", "users", USER_LIST_SQL);
}

/* ---- GET /api/v1/admin/audit: newest first ---- */

void api_admin_audit(struct exchange *ex)
{
    page_query(ex, "/api/v1/admin/audit", "entries", AUDIT_PAGE_SQL);
}

/* ---- POST /api/v1/admin/users ---- */

struct user_request {
    char password[TOKEN_TEXT_MAX + 1]; /* generated; in the answer once */
    const char *role;
    const char *departments; /* JSON array of codes */
};

static void user_created(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (!PQgetisnull(res, 0, USER_CREATE_UNKNOWN_DEPARTMENTS)) {
        json_t *errors = NULL;
        field_error_append(&errors, "departments",
                           exchange_printf(ex, "codes of departments of municipality %s",
                                           ex->app->cfg.municipality),
                           PQgetvalue(res, 0, USER_CREATE_UNKNOWN_DEPARTMENTS));
        respond_problem(ex->req, 422, "/problems/invalid-field", "Invalid field", errors,
                        "unknown department code(s): %s",
                        PQgetvalue(res, 0, USER_CREATE_UNKNOWN_DEPARTMENTS));
        return;
    }
    if (PQgetisnull(res, 0, USER_CREATE_USER)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "there is already an account with this email");
        return;
    }
    const struct user_request *ur = ex->handler_data;
    json_t *user = json_loads(PQgetvalue(res, 0, USER_CREATE_USER), 0, NULL);
    json_t *body = json_pack("{s:o,s:s,s:s}", "user", user ? user : json_null(), "password",
                             ur->password, "detail",
                             "the password is shown only this once: hand it to the user, who "
                             "should change it (POST /api/v1/auth/password)");
    respond_private(ex->req);
    respond_json(ex->req, 201, body);
}

static void user_hashed(struct exchange *ex, struct password_job *pj)
{
    if (password_job_failed(ex, pj))
        return;
    const struct user_request *ur = ex->handler_data;
    const char *actor[4];
    actor_args(ex, actor);
    const char *args[USER_CREATE_NPARAMS] = {
        [USER_CREATE_P_EMAIL] = exchange_strdup(ex, pj->email),
        [USER_CREATE_P_PASSWORD_HASH] = exchange_strdup(ex, pj->hash),
        [USER_CREATE_P_ROLE] = ur->role,
        [USER_CREATE_P_DISPLAY_NAME] =
            pj->has_display_name ? exchange_strdup(ex, pj->display_name) : NULL,
        [USER_CREATE_P_DEPARTMENTS] = ur->departments,
        [USER_CREATE_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [USER_CREATE_P_ACTOR] = actor[0], actor[1], actor[2], actor[3],
    };
    exchange_query(ex, USER_CREATE_SQL, USER_CREATE_NPARAMS, args, user_created);
}

void api_admin_users_create(struct exchange *ex)
{
    static const char *const allowed[] = {"email", "role", "departments", "display_name", NULL};
    static const char *const roles[] = {"citizen", "staff", "admin", NULL};
    struct fields f;
    if (body_parse_object(ex, &f))
        return;
    const char *email = NULL, *role = NULL, *name = NULL, *codes[ADMIN_MAX_DEPARTMENTS];
    size_t ncodes = 0;
    fields_allow_only(&f, allowed);
    field_email(&f, "email", 1, &email);
    if (field_string(&f, "role", 1, 20, 1, &role) == 1) {
        int k = 0;
        while (roles[k] && strcmp(roles[k], role))
            k++;
        if (!roles[k]) {
            field_error_append(&f.errors, "role", "one of: citizen, staff, admin", role);
            role = NULL;
        }
    }
    int has_codes = field_string_array(&f, "departments", 0, ADMIN_MAX_DEPARTMENTS, 40, 0,
                                       codes, &ncodes) >= 0;
    int has_name = field_string(&f, "display_name", 1, 200, 0, &name) == 1;
    if (role && has_codes && !strcmp(role, "staff") && ncodes == 0)
        field_error_append(&f.errors, "departments",
                           "one or more department codes: staff belong to departments",
                           "no departments");
    if (role && has_codes && strcmp(role, "staff") && ncodes > 0)
        field_error_append(&f.errors, "departments",
                           "no departments: only staff belong to departments",
                           "department codes");
    if (fields_reject(ex, &f))
        return;
    struct user_request *ur = h2o_mem_alloc_pool(&ex->req->pool, sizeof *ur);
    token_new(NULL, ur->password, sizeof ur->password);
    ur->role = exchange_strdup(ex, role);
    json_t *list = json_array();
    for (size_t i = 0; i < ncodes; i++)
        json_array_append_new(list, json_string(codes[i]));
    char *list_text = json_dumps(list, JSON_COMPACT);
    ur->departments = exchange_strdup(ex, list_text ? list_text : "[]");
    free(list_text);
    json_decref(list);
    ex->handler_data = ur;

    struct password_job *pj = password_job_new(ex, ur->password, 0, user_hashed);
    snprintf(pj->email, sizeof pj->email, "%s", email);
    if ((pj->has_display_name = has_name))
        snprintf(pj->display_name, sizeof pj->display_name, "%s", name);
    fields_free(&f);
    password_job_submit(pj);
}
