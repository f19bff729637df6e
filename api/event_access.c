/* Pieces every event route shares (api/events.c, api/events_ical.c,
 * api/event_writes.c): see api/event_access.h. */
#include "api/event_access.h"
#include "http/identity.h"
#include "http/respond.h"

#include <stdlib.h>

const char *const event_categories[] = {"concert",  "theatre",   "festival",   "exhibition",
                                        "sport",    "market",    "religious",  "conference",
                                        "children", "other",     NULL};

void event_tourism_args(struct exchange *ex, const char *out[3])
{
    const char *v[3];
    identity_viewer_args(ex, v);
    out[0] = v[1];
    out[1] = v[2];
    out[2] = ex->app->cfg.municipality;
}

long event_path_id(struct exchange *ex)
{
    long id;
    params_path_id(&ex->query, "id", ex->path_params[0], "event", &id);
    return respond_params_problem(ex->req, &ex->query) ? 0 : id;
}

void event_not_found(struct exchange *ex)
{
    respond_problem(ex->req, 404, "about:blank", "Not Found", NULL, EVENT_MISSING,
                    atol(ex->path_params[0]));
}

void event_not_tourism(struct exchange *ex)
{
    respond_problem(ex->req, 403, "about:blank", "Forbidden", NULL,
                    "only the tourism office (staff of department tourism) and admins manage "
                    "events");
}
