/* The bad-input campaign: which routes act without a body, and real values
 * for path parameters (campaign.h). */
#include "campaign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the world */

const char *const who_name[NWHO] = {"anonymous", "citizen", "staff", "admin",
                                           "admin API key"};

/* Non-GET routes that need no input but the path: with a real id and valid
 * credentials, ANY request is a valid one (it publishes, deletes, follows,
 * signs out...), whatever else is wrong with it. So on these the path ids
 * are never real, and where there is no id (logout, DELETE /api/v1/me) the
 * signed-in callers send a wrong CSRF token or an unknown key. A route of
 * this kind added later without a row here shows up as a database change. */
static const char *const bodiless_actions[][2] = {
    {"POST", "/api/v1/auth/logout"},
    {"DELETE", "/api/v1/me"},
    {"DELETE", "/api/v1/me/keys/{id}"},
    {"POST", "/api/v1/reports/{id}/support"},
    {"POST", "/api/v1/reports/{id}/follow"},
    {"DELETE", "/api/v1/reports/{id}/follow"},
    {"DELETE", "/api/v1/me/subscriptions/{id}"},
    {"POST", "/api/v1/me/inbox/{id}/read"},
    {"POST", "/api/v1/events/{id}/publish"},
    {"POST", "/api/v1/events/{id}/archive"},
    {"POST", "/api/v1/pois/{id}/publish"},
    {"POST", "/api/v1/pois/{id}/archive"},
    {"POST", "/api/v1/pois/{id}/draft"},
    {"DELETE", "/api/v1/pois/{id}/photos/{photo}"},
};

int is_bodiless_action(const struct route *r)
{
    for (size_t i = 0; i < sizeof bodiless_actions / sizeof bodiless_actions[0]; i++)
        if (!strcmp(r->method, bodiless_actions[i][0]) &&
            !strcmp(r->pattern, bodiless_actions[i][1]))
            return 1;
    return 0;
}

int is_read(const struct route *r)
{
    return !strcmp(r->method, "GET");
}

/* The collections (and tile layers) the campaign reads: the boundaries, a
 * public imported layer and a staff one (404 to others), each with a
 * feature id that exists. */
const char *const collections[NCOLLECTIONS] = {"boundaries", "parking",
                                                      "parking_staff"};

/* A real value for path parameter number idx of route r, or NULL;
 * collection picks one of collections[]. */
const char *real_param(const struct world *w, const struct route *r, int idx,
                              int collection)
{
    const char *p = r->pattern;
    if (!strncmp(p, "/api/v1/boundaries/", 19))
        return w->boundary_id;
    if (!strncmp(p, "/ogc/collections/", 17))
        return idx == 0 ? collections[collection] : collection ? "1" : w->boundary_id;
    if (!strcmp(p, "/tiles/{layer}"))
        return w->tilejson[collection];
    if (!strncmp(p, "/tiles/{layer}/", 15)) {
        static const char *const tile[] = {NULL, "7", "72", "48.mvt"};
        return idx ? tile[idx] : collections[collection];
    }
    if (!strncmp(p, "/assets/", 8) || !strncmp(p, "/vendor/", 8)) {
        /* {file} comes last; no real asset hash or MapLibre version is known here */
        int file_idx = strstr(p, "{hash}") || strstr(p, "{version}");
        return idx == file_idx ? "app.js" : NULL;
    }
    if (!strncmp(p, "/api/v1/admin/users/", 20))
        return w->citizen_id;
    if (!strncmp(p, "/api/v1/categories/", 19))
        return w->category_id;
    if (!strncmp(p, "/api/v1/reports/", 16))
        return idx == 0 ? w->report_id : w->report_photo;
    if (!strncmp(p, "/api/v1/me/subscriptions/", 25))
        return w->subscription_id;
    if (!strcmp(p, "/open311/v2/{resource}"))
        return is_read(r) ? "services.json" : "requests.json";
    if (!strncmp(p, "/open311/v2/services/", 21))
        return "cleaning.json";
    if (!strncmp(p, "/open311/v2/requests/", 21))
        return w->open311_request;
    if (!strncmp(p, "/api/v1/events/", 15))
        return w->event_id;
    if (!strncmp(p, "/api/v1/schools/", 16))
        return w->school_id;
    if (!strncmp(p, "/api/v1/pois/", 13))
        return idx == 0 ? w->poi_id : w->poi_photo;
    if (!strncmp(p, "/api/v1/poi-categories/", 23))
        return "sight";
    return NULL; /* jobs, keys, inbox, tokens: none exist or none to spare */
}
