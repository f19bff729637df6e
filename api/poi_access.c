#include "api/poi_access.h"

#include "gis/sql_ident.h"
#include "http/identity.h"
#include "http/respond.h"

#include <string.h>

void poi_editor_args(struct exchange *ex, const char *out[2])
{
    const char *v[3];
    identity_viewer_args(ex, v);
    out[0] = v[1];
    out[1] = v[2];
}

void poi_forbidden(struct exchange *ex)
{
    respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                    "only staff of the tourism office (department tourism) and admins may "
                    "do this");
}

const char *poi_id_of_path(struct exchange *ex)
{
    long id;
    params_path_id(&ex->query, "id", ex->path_params[0], "point of interest", &id);
    return respond_params_problem(ex->req, &ex->query) ? NULL : exchange_printf(ex, "%ld", id);
}

void poi_not_found(struct exchange *ex)
{
    respond_problem(ex->req, 404, "about:blank", "Not Found", NULL, POI_MISSING,
                    ex->path_params[0]);
}

int poi_code_ok(const char *s)
{
    return lower_code_ok(s, 2, 40);
}

const char *const poi_langs[] = {"el", "en", NULL};
