/* GET /api/v1/departments/{id}/staff: the staff of a department, [{id,
 * name}] by name, so that staff can assign an application to a colleague.
 * {id} is the department's id or its code (applications name their
 * department by code). Staff see their own departments, admins every one;
 * another's department is the 404 of one that does not exist, as for
 * reports (api/report_access.h), so department ids do not leak. */
#include "api/department_staff_sql.h"
#include "api/api.h"
#include "http/identity.h"
#include "http/respond.h"

#include <string.h>

#define CODE_MAX 40

/* An id (digits) or a code as departments write them: [a-z][a-z0-9_]+. */
static int valid_key(const char *v)
{
    size_t n = strlen(v);
    if (!n || n > CODE_MAX)
        return 0;
    if (strspn(v, "0123456789") == n)
        return v[0] != '0';
    return v[0] >= 'a' && v[0] <= 'z' && n >= 2 &&
           strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static void staff_done(struct exchange *ex, PGresult *res)
{
    respond_private(ex->req);
    respond_column_or_missing(ex->req, res, CT_JSON, DEPARTMENT_STAFF_LIST,
                              "there is no department %s of yours", ex->path_params[0]);
}

void api_department_staff(struct exchange *ex)
{
    const char *key = ex->path_params[0];
    if (!valid_key(key))
        params_error(&ex->query, "id",
                     "a positive integer department id or a department code "
                     "([a-z][a-z0-9_], 2 to 40 characters)",
                     key);
    params_allow_only(&ex->query, (const char *const[]){NULL});
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *viewer[3];
    identity_viewer_args(ex, viewer);
    const char *args[DEPARTMENT_STAFF_NPARAMS] = {
        [DEPARTMENT_STAFF_P_KEY] = key,
        [DEPARTMENT_STAFF_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [DEPARTMENT_STAFF_P_ADMIN] = viewer[1],
        [DEPARTMENT_STAFF_P_DEPARTMENTS] = viewer[2],
    };
    exchange_query_prepared(ex, DEPARTMENT_STAFF_SQL, DEPARTMENT_STAFF_NPARAMS, args,
                            staff_done);
}
