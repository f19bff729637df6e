/* Who may call what, for EVERY route of the router (polis_routes, linked
 * from polis_core): each route has a row here with the status expected for
 * six callers - anonymous, citizen A, citizen B, staff of another
 * department, staff of the right department, admin. A route without a row
 * fails the test, so a route added later without a rule here fails too.
 *
 * Paths are filled with things owned by citizen A ({A_ID}, {A_KEY}, {A_APP}, {A_FILE}), so the
 * row shows that B, staff and admin cannot reach A's own items (IDOR):
 * another's key is 404, never 403 or 204. A is called last on every route,
 * after the others tried A's items. Calls that end a session (logout,
 * password change) are followed by a new sign-in; deleting the account
 * comes last of all. */
#include "../unit/photo_fixtures.h"
#include "h_accounts.h"
#include "http/exchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ANON, CIT_A, CIT_B, STAFF_OTHER, STAFF_RIGHT, ADMIN, NWHO };
static const char *const who_name[NWHO] = {"anonymous", "citizen A", "citizen B",
                                           "staff (other department)",
                                           "staff (right department)", "admin"};
/* calling order: A last, after everyone else tried A's items */
static const int order[NWHO] = {ANON, CIT_B, STAFF_OTHER, STAFF_RIGHT, ADMIN, CIT_A};

#define ANY_2XX 2 /* any 2xx (the same class for everyone): public tiles, empty or not */

struct rule {
    const char *method, *pattern;
    const char *path; /* with {A_ID}, {A_KEY}, {SERRES}; NULL: the pattern itself */
    const char *body; /* JSON; %s becomes a fresh unique email, {PASSWORD} the caller's
                       * password; NULL for none */
    int expect[NWHO]; /* anon, A, B, staff other, staff right, admin */
    int last;         /* 1: ends sessions (re-sign-in after), 2: deletes the caller */
};

static const struct rule rules[] = {
    {"GET", "/healthz", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/readyz", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    /* admins (or the POLIS_METRICS_TOKEN scraper: test_privacy) */
    {"GET", "/metrics", NULL, NULL, {401, 403, 403, 403, 403, 200}, 0},
    {"GET", "/api/v1", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/municipality", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/boundaries", "/api/v1/boundaries?limit=2", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/boundaries/{id}", "/api/v1/boundaries/{SERRES}", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/locate", "/api/v1/locate?lat=41.0917&lon=23.5494", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/geocode", "/api/v1/geocode?q=Serres", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    /* the middle of the Gulf of Guinea: no address anywhere near */
    {"GET", "/api/v1/geocode/reverse", "/api/v1/geocode/reverse?lat=0&lon=0", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"GET", "/api/v1/layers", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    /* a JSON body is not an upload: staff get as far as 415 (test_layer_upload) */
    {"POST", "/api/v1/layers", NULL, "{}", {401, 403, 403, 415, 415, 415}, 0},
    /* admins describe and delete layers; no layer has this name (test_layer_admin) */
    {"PATCH", "/api/v1/layers/{name}", "/api/v1/layers/no_such_layer_authz",
     "{\"licence\":\"CC BY 4.0\"}", {401, 403, 403, 403, 403, 404}, 0},
    {"DELETE", "/api/v1/layers/{name}", "/api/v1/layers/no_such_layer_authz", NULL,
     {401, 403, 403, 403, 403, 404}, 0},
    /* anyone may download a public layer; a staff-only one is 404 like this unknown one
     * to all but staff (test_layer_download) */
    {"GET", "/api/v1/layers/{name}/download",
     "/api/v1/layers/no_such_layer_authz/download?format=gpkg", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"GET", "/api/v1/jobs", NULL, NULL, {401, 403, 403, 200, 200, 200}, 0},
    {"GET", "/api/v1/jobs/{id}", "/api/v1/jobs/999999999", NULL,
     {401, 404, 404, 404, 404, 404}, 0},
    {"GET", "/ogc", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/ogc/conformance", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/ogc/api", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/ogc/collections", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/ogc/collections/{id}", "/ogc/collections/boundaries", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/ogc/collections/{id}/queryables", "/ogc/collections/boundaries/queryables", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/ogc/collections/{id}/items", "/ogc/collections/boundaries/items?limit=2", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/ogc/collections/{id}/items/{fid}", "/ogc/collections/boundaries/items/{SERRES}",
     NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/tiles", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/tiles/{layer}", "/tiles/boundaries.json", NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/tiles/{layer}/{z}/{x}/{y}", "/tiles/boundaries/7/72/48.mvt", NULL,
     {ANY_2XX, ANY_2XX, ANY_2XX, ANY_2XX, ANY_2XX, ANY_2XX}, 0},
    {"GET", "/styles/basemap.json", "/styles/basemap.json?lang=en", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/fonts/{fontstack}/{range}", "/fonts/DejaVu%20Sans/0-255.pbf", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/account/confirm", "/account/confirm?token=abc", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/account/reset", "/account/reset?token=abc", NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/account/email", "/account/email?token=abc", NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/track/{id}", "/track/1", NULL, {200, 200, 200, 200, 200, 200}, 0},
    /* an issued document's public check: the same for everyone (test_verify) */
    {"GET", "/verify/{code}", "/verify/AAAAAAAAAAAAAAAA", NULL, {404, 404, 404, 404, 404, 404}, 0},
    {"GET", "/assets/{file}", "/assets/app.js", NULL, {200, 200, 200, 200, 200, 200}, 0},
    /* a version (content hash) this server does not have: 404 for everyone */
    {"GET", "/assets/v/{hash}/{file}", "/assets/v/0000000000000000/app.js", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    /* a version this server does not have: 404 for everyone, npm ci or not */
    {"GET", "/vendor/maplibre-gl/{version}/{file}", "/vendor/maplibre-gl/0.0.0/maplibre-gl.mjs",
     NULL, {404, 404, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/auth/register", NULL,
     "{\"email\":\"%s\",\"password\":\"authz test passphrase\"}",
     {202, 202, 202, 202, 202, 202}, 0},
    {"POST", "/api/v1/auth/confirm", NULL, "{\"token\":\"not-a-token-but-long-enough\"}",
     {422, 422, 422, 422, 422, 422}, 0},
    {"POST", "/api/v1/auth/login", NULL, "{\"email\":\"%s\",\"password\":\"no such account\"}",
     {401, 401, 401, 401, 401, 401}, 0},
    /* sign-in with an identity provider: public; this server has none configured, so
     * 404 for everyone (test_oidc runs them against a mock provider) */
    {"GET", "/auth/oidc/start", "/auth/oidc/start?return_to=/", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"GET", "/auth/oidc/callback", "/auth/oidc/callback?code=c&state=s", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"GET", "/api/v1/auth/oidc", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"POST", "/api/v1/auth/logout", NULL, NULL, {401, 204, 204, 204, 204, 204}, 1},
    {"GET", "/api/v1/me", NULL, NULL, {401, 200, 200, 200, 200, 200}, 0},
    {"PATCH", "/api/v1/me", NULL, "{\"language\":\"el\"}", {401, 200, 200, 200, 200, 200}, 0},
    {"POST", "/api/v1/auth/password", NULL, "PASSWORD", {401, 200, 200, 200, 200, 200}, 1},
    {"POST", "/api/v1/auth/reset-request", NULL, "{\"email\":\"%s\"}",
     {202, 202, 202, 202, 202, 202}, 0},
    {"POST", "/api/v1/auth/reset", NULL,
     "{\"token\":\"not-a-token-but-long-enough\",\"new_password\":\"authz new passphrase\"}",
     {422, 422, 422, 422, 422, 422}, 0},
    {"GET", "/api/v1/me/export", NULL, NULL, {401, 200, 200, 200, 200, 200}, 0},
    {"DELETE", "/api/v1/me", NULL, NULL, {401, 204, 204, 204, 204, 204}, 2},
    /* the change is only asked for: the address changes when the mailed link is followed */
    {"POST", "/api/v1/me/email", NULL, "{\"new_email\":\"%s\",\"password\":\"{PASSWORD}\"}",
     {401, 202, 202, 202, 202, 202}, 0},
    {"POST", "/api/v1/auth/email-confirm", NULL, "{\"token\":\"not-a-token-but-long-enough\"}",
     {422, 422, 422, 422, 422, 422}, 0},
    {"POST", "/api/v1/me/keys", NULL,
     "{\"name\":\"authz\",\"scopes\":[\"read\"],\"password\":\"{PASSWORD}\"}",
     {401, 201, 201, 201, 201, 201}, 0},
    {"GET", "/api/v1/me/keys", NULL, NULL, {401, 200, 200, 200, 200, 200}, 0},
    {"DELETE", "/api/v1/me/keys/{id}", "/api/v1/me/keys/{A_KEY}", NULL,
     {401, 204, 404, 404, 404, 404}, 0},
    {"GET", "/api/v1/admin/users", NULL, NULL, {401, 403, 403, 403, 403, 200}, 0},
    {"POST", "/api/v1/admin/users", NULL, "{\"email\":\"%s\",\"role\":\"citizen\"}",
     {401, 403, 403, 403, 403, 201}, 0},
    {"POST", "/api/v1/admin/users/{id}/keys", "/api/v1/admin/users/{A_ID}/keys",
     "{\"name\":\"by admin\",\"scopes\":[\"report\"]}", {401, 403, 403, 403, 403, 201}, 0},
    {"GET", "/api/v1/admin/audit", NULL, NULL, {401, 403, 403, 403, 403, 200}, 0},
    /* reports: who sees whose reports is checked in detail by test_reports */
    {"GET", "/api/v1/report-statuses", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/categories", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"POST", "/api/v1/categories", NULL, "{}", {401, 403, 403, 403, 403, 422}, 0},
    {"PATCH", "/api/v1/categories/{id}", "/api/v1/categories/999999999", "{\"active\":true}",
     {401, 403, 403, 403, 403, 404}, 0},
    /* routing rules: staff read them, admins write them */
    {"GET", "/api/v1/routing-rules", NULL, NULL, {401, 403, 403, 200, 200, 200}, 0},
    {"POST", "/api/v1/routing-rules", NULL, "{}", {401, 403, 403, 403, 403, 422}, 0},
    {"PATCH", "/api/v1/routing-rules/{id}", "/api/v1/routing-rules/999999999",
     "{\"department\":\"cleaning\"}", {401, 403, 403, 403, 403, 404}, 0},
    {"DELETE", "/api/v1/routing-rules/{id}", "/api/v1/routing-rules/999999999", NULL,
     {401, 403, 403, 403, 403, 404}, 0},
    {"POST", "/api/v1/reports", NULL,
     "{\"category\":\"cleaning\",\"lat\":41.0917,\"lon\":23.5494,\"description\":\"authz\"}",
     {201, 201, 201, 201, 201, 201}, 0},
    {"GET", "/api/v1/reports", "/api/v1/reports?limit=2", NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/reports/nearby",
     "/api/v1/reports/nearby?lat=41.0917&lon=23.5494&category=cleaning", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/reports/{id}", "/api/v1/reports/999999999", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/reports/{id}/support", "/api/v1/reports/999999999/support", NULL,
     {401, 404, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/reports/{id}/transitions", "/api/v1/reports/999999999/transitions",
     "{\"to\":\"acknowledged\"}", {401, 404, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/reports/{id}/reassign", "/api/v1/reports/999999999/reassign",
     "{\"department\":\"cleaning\",\"reason\":\"authz\"}", {401, 403, 403, 404, 404, 404}, 0},
    {"POST", "/api/v1/reports/{id}/assign", "/api/v1/reports/999999999/assign",
     "{\"assignee\":null}", {401, 403, 403, 404, 404, 404}, 0},
    {"GET", "/api/v1/reports/{id}/history", "/api/v1/reports/999999999/history", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    /* photos: a body that is not an image is refused before the report is looked up;
     * who may add and see photos is checked by test_report_photos */
    {"POST", "/api/v1/reports/{id}/photos", "/api/v1/reports/999999999/photos", "{}",
     {415, 415, 415, 415, 415, 415}, 0},
    {"GET", "/api/v1/reports/{id}/photos/{photo}", "/api/v1/reports/999999999/photos/1", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    /* messages: who may write and read them is checked by test_report_messages */
    {"POST", "/api/v1/reports/{id}/messages", "/api/v1/reports/999999999/messages",
     "{\"body\":\"authz\"}", {404, 404, 404, 404, 404, 404}, 0},
    {"GET", "/api/v1/reports/{id}/messages", "/api/v1/reports/999999999/messages", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/reports/{id}/follow", "/api/v1/reports/999999999/follow", NULL,
     {401, 404, 404, 404, 404, 404}, 0},
    {"DELETE", "/api/v1/reports/{id}/follow", "/api/v1/reports/999999999/follow", NULL,
     {401, 404, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/me/subscriptions", NULL, "{\"kind\":\"category\",\"category\":\"roads\"}",
     {401, 201, 201, 201, 201, 201}, 0},
    {"GET", "/api/v1/me/subscriptions", NULL, NULL, {401, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/me/notification-preferences", NULL, NULL, {401, 200, 200, 200, 200, 200}, 0},
    {"PUT", "/api/v1/me/notification-preferences", NULL, "{\"email\":{\"subscriptions\":\"off\"}}",
     {401, 200, 200, 200, 200, 200}, 0},
    /* one-click unsubscribe: the token is the credential, whoever asks (an unknown one is
     * 404; a JSON body is not the one-click form: 415, and no CSRF token is asked for) */
    {"GET", "/api/v1/unsubscribe", "/api/v1/unsubscribe?token=authzUnknownToken", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/unsubscribe", "/api/v1/unsubscribe?token=authzUnknownToken", "{}",
     {415, 415, 415, 415, 415, 415}, 0},
    /* another's subscription is 404 (test_subscriptions), like one that does not exist */
    {"DELETE", "/api/v1/me/subscriptions/{id}", "/api/v1/me/subscriptions/999999999", NULL,
     {401, 404, 404, 404, 404, 404}, 0},
    /* Open311 answers the same to everyone; private categories never show */
    {"GET", "/open311/v2/{resource}", "/open311/v2/services.json", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"POST", "/open311/v2/{resource}", "/open311/v2/requests.json", "{}",
     {400, 400, 400, 400, 400, 400}, 0},
    {"GET", "/open311/v2/services/{code}", "/open311/v2/services/cleaning.json", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/open311/v2/requests/{id}", "/open311/v2/requests/999999999.json", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"GET", "/open311/v2/tokens/{token}", "/open311/v2/tokens/999999999.json", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"GET", "/api/v1/me/inbox", NULL, NULL, {401, 200, 200, 200, 200, 200}, 0},
    {"POST", "/api/v1/me/inbox/{id}/read", "/api/v1/me/inbox/999999999/read", NULL,
     {401, 404, 404, 404, 404, 404}, 0},
    /* an open stream never ends: a bad last_event_id shows the rule was passed (400) */
    {"GET", "/api/v1/me/stream", "/api/v1/me/stream?last_event_id=x", NULL,
     {401, 400, 400, 400, 400, 400}, 0},
    /* only the caller's own; test_my_reports checks B never sees A's */
    {"GET", "/api/v1/me/reports", NULL, NULL, {401, 200, 200, 200, 200, 200}, 0},
    /* events: "staff (other department)" is the tourism office here, the one that may
     * write; the cleaning staff may not (test_events checks the details) */
    {"GET", "/api/v1/events", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/events.ics", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"POST", "/api/v1/events", NULL, "{}", {401, 403, 403, 422, 403, 422}, 0},
    {"GET", "/api/v1/events/{id}", "/api/v1/events/999999999", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"PATCH", "/api/v1/events/{id}", "/api/v1/events/999999999", "{\"title_el\":\"x\"}",
     {401, 403, 403, 404, 403, 404}, 0},
    {"POST", "/api/v1/events/{id}/publish", "/api/v1/events/999999999/publish", NULL,
     {401, 403, 403, 404, 403, 404}, 0},
    {"POST", "/api/v1/events/{id}/archive", "/api/v1/events/999999999/archive", NULL,
     {401, 403, 403, 404, 403, 404}, 0},
    /* news: any staff member and admins write (test_news: who publishes, bad input);
     * everyone reads the published and due ones and the feeds */
    {"GET", "/api/v1/news", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/news/categories", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/news/{id}", "/api/v1/news/999999999", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/news", NULL, "{}", {401, 403, 403, 422, 422, 422}, 0},
    {"PATCH", "/api/v1/news/{id}", "/api/v1/news/999999999", "{\"title_el\":\"x\"}",
     {401, 403, 403, 404, 404, 404}, 0},
    {"GET", "/news/rss.xml", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/news/atom.xml", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    /* schools: public, the same for everyone */
    {"GET", "/api/v1/schools", "/api/v1/schools?limit=2", NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/schools/zone", "/api/v1/schools/zone?lat=41.0917&lon=23.5494", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/schools/{id}", "/api/v1/schools/999999999", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    /* POIs: the "other department" staff here ARE the tourism office (the department
     * that may write POIs), the "right department" ones (cleaning) may not;
     * test_pois checks the workflow in detail */
    {"GET", "/api/v1/pois", "/api/v1/pois?limit=2", NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/pois/export.geojson", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/pois/{id}", "/api/v1/pois/999999999", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/pois", NULL,
     "{\"category\":\"sight\",\"name_el\":\"authz\",\"geometry\":{\"type\":\"Point\","
     "\"coordinates\":[23.55,41.09]}}", {401, 403, 403, 201, 403, 201}, 0},
    {"PATCH", "/api/v1/pois/{id}", "/api/v1/pois/999999999", "{\"name_en\":\"authz\"}",
     {401, 403, 403, 404, 403, 404}, 0},
    {"POST", "/api/v1/pois/{id}/publish", "/api/v1/pois/999999999/publish", NULL,
     {401, 403, 403, 404, 403, 404}, 0},
    {"POST", "/api/v1/pois/{id}/archive", "/api/v1/pois/999999999/archive", NULL,
     {401, 403, 403, 404, 403, 404}, 0},
    {"POST", "/api/v1/pois/{id}/draft", "/api/v1/pois/999999999/draft", NULL,
     {401, 403, 403, 404, 403, 404}, 0},
    /* a body that is not an image is refused before the POI or the department is looked up */
    {"POST", "/api/v1/pois/{id}/photos", "/api/v1/pois/999999999/photos", "{}",
     {401, 403, 403, 415, 415, 415}, 0},
    {"GET", "/api/v1/pois/{id}/photos/{photo}", "/api/v1/pois/999999999/photos/1", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"DELETE", "/api/v1/pois/{id}/photos/{photo}", "/api/v1/pois/999999999/photos/1", NULL,
     {401, 403, 403, 404, 403, 404}, 0},
    /* the e-services catalogue: everyone reads the active services, admins write
     * (test_services checks the details) */
    {"GET", "/api/v1/services", "/api/v1/services?lang=en", NULL,
     {200, 200, 200, 200, 200, 200}, 0},
    {"GET", "/api/v1/services/{id}", "/api/v1/services/999999999", NULL,
     {404, 404, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/services", NULL, "{}", {401, 403, 403, 403, 403, 422}, 0},
    {"PATCH", "/api/v1/services/{id}", "/api/v1/services/999999999", "{\"active\":true}",
     {401, 403, 403, 403, 403, 404}, 0},
    /* the protocol book: staff of any department and admins (test_protocol) */
    {"GET", "/api/v1/protocol", "/api/v1/protocol?limit=2", NULL,
     {401, 403, 403, 200, 200, 200}, 0},
    {"POST", "/api/v1/protocol", NULL,
     "{\"subject\":\"authz\",\"correspondent\":\"authz\",\"channel\":\"counter\"}",
     {401, 403, 403, 201, 201, 201}, 0},
    /* applications: {A_APP} is citizen A's draft, which nobody else sees (a draft is
     * its applicant's alone; test_applications checks staff and submitted ones) */
    {"POST", "/api/v1/applications", NULL, "{}", {401, 422, 422, 422, 422, 422}, 0},
    {"GET", "/api/v1/applications", NULL, NULL, {401, 403, 403, 200, 200, 200}, 0},
    {"GET", "/api/v1/applications/{id}", "/api/v1/applications/{A_APP}", NULL,
     {401, 200, 404, 404, 404, 404}, 0},
    {"PATCH", "/api/v1/applications/{id}", "/api/v1/applications/{A_APP}",
     "{\"answers\":{\"purpose\":\"authz\"}}", {401, 200, 404, 404, 404, 404}, 0},
    /* files: {A_APP}'s service asks for no documents (A gets as far as 422); {A_FILE} is
     * a PNG attached to A's draft {A_FAPP} of the family status certificate
     * (test_application_files checks staff and submitted ones) */
    {"POST", "/api/v1/applications/{id}/files/{document_code}",
     "/api/v1/applications/{A_APP}/files/id_card", NULL, {401, 422, 404, 404, 404, 404}, 0},
    {"GET", "/api/v1/applications/{id}/files", "/api/v1/applications/{A_FAPP}/files", NULL,
     {401, 200, 404, 404, 404, 404}, 0},
    {"GET", "/api/v1/applications/{id}/files/{file_id}",
     "/api/v1/applications/{A_FAPP}/files/{A_FILE}", NULL, {401, 200, 404, 404, 404, 404}, 0},
    {"DELETE", "/api/v1/applications/{id}/files/{file_id}",
     "/api/v1/applications/{A_FAPP}/files/{A_FILE}", NULL, {401, 204, 404, 404, 404, 404}, 0},
    {"POST", "/api/v1/applications/{id}/submit", "/api/v1/applications/{A_APP}/submit", NULL,
     {401, 200, 404, 404, 404, 404}, 0},
    {"GET", "/api/v1/me/applications", NULL, NULL, {401, 200, 200, 200, 200, 200}, 0},
    /* processing {A_APP}, submitted by the row above (of citizen_services: neither staff
     * department here): the admin assigns it, asks for more, A answers, the approval
     * finds no signer on this server (503, nothing changed: test_application_steps
     * approves with one), the admin rejects it; A is refused the staff steps */
    {"POST", "/api/v1/applications/{id}/assign", "/api/v1/applications/{A_APP}/assign",
     "{\"assignee\":null}", {401, 403, 403, 404, 404, 200}, 0},
    {"POST", "/api/v1/applications/{id}/request-info",
     "/api/v1/applications/{A_APP}/request-info", "{\"comment\":\"authz\"}",
     {401, 403, 403, 404, 404, 200}, 0},
    {"POST", "/api/v1/applications/{id}/respond", "/api/v1/applications/{A_APP}/respond", "{}",
     {401, 200, 404, 404, 404, 403}, 0},
    {"POST", "/api/v1/applications/{id}/approve", "/api/v1/applications/{A_APP}/approve", "{}",
     {401, 403, 403, 404, 404, 503}, 0},
    {"POST", "/api/v1/applications/{id}/reject", "/api/v1/applications/{A_APP}/reject",
     "{\"reason\":\"authz\"}", {401, 403, 403, 404, 404, 200}, 0},
    /* no document of A's exists here (test_application_steps: its addressee and staff) */
    {"GET", "/api/v1/documents/{id}", "/api/v1/documents/999999999", NULL,
     {401, 404, 404, 404, 404, 404}, 0},
    /* the staff of "right department" staff's own department (cleaning): another's is 404 */
    {"GET", "/api/v1/departments/{id}/staff", "/api/v1/departments/cleaning/staff", NULL,
     {401, 403, 403, 404, 200, 200}, 0},
    {"GET", "/api/v1/poi-categories", NULL, NULL, {200, 200, 200, 200, 200, 200}, 0},
    {"POST", "/api/v1/poi-categories", NULL, "{}", {401, 403, 403, 403, 403, 422}, 0},
    {"PATCH", "/api/v1/poi-categories/{code}", "/api/v1/poi-categories/no_such_code",
     "{\"active\":true}", {401, 403, 403, 403, 403, 404}, 0},
};
#define NRULES (int)(sizeof rules / sizeof rules[0])

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NWHO];
    char a_id[32], a_key[32], a_app[32], a_fapp[32], a_file[32], serres[32];
};

static void replace(char *buf, size_t len, const char *token, const char *value)
{
    char *at;
    while ((at = strstr(buf, token))) {
        char rest[1024];
        snprintf(rest, sizeof rest, "%s", at + strlen(token));
        snprintf(at, len - (size_t)(at - buf), "%s%s", value, rest);
    }
}

static const struct rule *rule_for(const struct route *r)
{
    for (int i = 0; i < NRULES; i++)
        if (!strcmp(rules[i].method, r->method) && !strcmp(rules[i].pattern, r->pattern))
            return &rules[i];
    return NULL;
}

/* One call of a rule by one caller; returns the status. */
static long call_as(struct world *w, const struct rule *ru, int who)
{
    char path[512], body[1024] = "", email[160];
    snprintf(path, sizeof path, "%s", ru->path ? ru->path : ru->pattern);
    replace(path, sizeof path, "{A_ID}", w->a_id);
    replace(path, sizeof path, "{A_KEY}", w->a_key);
    replace(path, sizeof path, "{A_APP}", w->a_app);
    replace(path, sizeof path, "{A_FAPP}", w->a_fapp);
    replace(path, sizeof path, "{A_FILE}", w->a_file);
    replace(path, sizeof path, "{SERRES}", w->serres);
    struct ha_user *u = who == ANON ? NULL : &w->u[who];
    char fresh_password[100] = "";
    if (ru->body && !strcmp(ru->body, "PASSWORD")) {
        snprintf(fresh_password, sizeof fresh_password, "%.70s+1",
                 u ? u->password : "anon pass 1");
        snprintf(body, sizeof body, "{\"current_password\":\"%s\",\"new_password\":\"%s\"}",
                 u ? u->password : "anon pass 1", fresh_password);
    } else if (ru->body) {
        ha_unique_email(email, sizeof email, "authz");
        snprintf(body, sizeof body, ru->body, email);
        replace(body, sizeof body, "{PASSWORD}", u ? u->password : "anon pass 1");
    }
    struct h_resp r;
    ha_call(w->s, u, ru->method, path, ru->body ? body : NULL, &r);
    long st = r.status;
    if (ru->last == 1 && u && st / 100 == 2) {
        if (fresh_password[0])
            snprintf(u->password, sizeof u->password, "%.75s", fresh_password);
        CHECK(ha_login(w->s, u) == 200, "%s: sign in again after %s %s", who_name[who],
              ru->method, path);
    }
    h_resp_free(&r);
    return st;
}

static void run_rule(struct world *w, const struct route *route, const struct rule *ru)
{
    for (int k = 0; k < NWHO; k++) {
        int who = order[k];
        long st = call_as(w, ru, who);
        int want = ru->expect[who];
        int ok = want == ANY_2XX ? st / 100 == 2 : st == want;
        CHECK(ok, "%s %s as %s: expected %d, found %ld", route->method, route->pattern,
              who_name[who], want == ANY_2XX ? 200 : want, st);
    }
}

/* B, staff and admin never see A's keys or A's data through their own
 * resources. */
static void idor_reads(struct world *w)
{
    for (int who = CIT_B; who < NWHO; who++) {
        struct h_resp r;
        ha_call(w->s, &w->u[who], "GET", "/api/v1/me/export", NULL, &r);
        CHECK(r.status == 200 && !strstr(r.body, w->u[CIT_A].email),
              "%s: own export must not mention citizen A (%ld)", who_name[who], r.status);
        h_resp_free(&r);
        ha_call(w->s, &w->u[who], "GET", "/api/v1/me/keys", NULL, &r);
        char idpat[48];
        snprintf(idpat, sizeof idpat, "\"id\":%s,", w->a_key);
        CHECK(r.status == 200 && !strstr(r.body, idpat),
              "%s: own key list must not hold citizen A's key %s", who_name[who], w->a_key);
        h_resp_free(&r);
    }
}

int main(void)
{
    h_init("test_authz", 240);
    const char *url = h_shared_dburl();
    struct world w = {0};
    w.db = h_pg_connect(url);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_RESET=100000", "POLIS_RATE_ANON_WRITE=100000", NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    w.s = &s;

    /* every route must have a row */
    for (int i = 0; i < polis_route_count; i++)
        CHECK(rule_for(&polis_routes[i]) != NULL,
              "route %s %s has no row in test_authz's table: add the statuses expected for "
              "each caller", polis_routes[i].method, polis_routes[i].pattern);

    static const char *tags[NWHO] = {NULL, "authz-a", "authz-b", "authz-so", "authz-sr",
                                     "authz-adm"};
    for (int who = CIT_A; who < NWHO; who++)
        if (ha_new_user(&s, w.db, tags[who], &w.u[who]))
            return h_finish();
    ha_set_role(w.db, &w.u[STAFF_OTHER], "staff", "tourism");
    ha_set_role(w.db, &w.u[STAFF_RIGHT], "staff", "cleaning,lighting");
    ha_set_role(w.db, &w.u[ADMIN], "admin", NULL);
    snprintf(w.a_id, sizeof w.a_id, "%ld", w.u[CIT_A].id);
    char *serres = h_pg_value(w.db, "SELECT id FROM boundaries WHERE level = 'municipality'"
                                    " AND code = '9054'", 0, NULL);
    snprintf(w.serres, sizeof w.serres, "%s", serres ? serres : "0");
    free(serres);

    /* A's key, the one the others try to revoke */
    struct h_resp r;
    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"A's key\",\"scopes\":[\"read\"],\"password\":\"%s\"}",
             w.u[CIT_A].password);
    ha_call(&s, &w.u[CIT_A], "POST", "/api/v1/me/keys", body, &r);
    CHECK(r.status == 201, "citizen A's key: expected 201, found %ld", r.status);
    snprintf(w.a_key, sizeof w.a_key, "%lld", json_integer_value(json_object_get(r.json, "id")));
    h_resp_free(&r);

    /* A's draft application for the demo's certificate of no debts */
    char *no_debts = h_pg_value(w.db, "SELECT id FROM services WHERE code = 'no_debts'", 0, NULL);
    snprintf(body, sizeof body,
             "{\"service\":%s,\"answers\":{\"purpose\":\"authz\"}}", no_debts ? no_debts : "0");
    free(no_debts);
    ha_call(&s, &w.u[CIT_A], "POST", "/api/v1/applications", body, &r);
    CHECK(r.status == 201, "citizen A's draft: expected 201, found %ld %.200s", r.status, r.body);
    snprintf(w.a_app, sizeof w.a_app, "%lld", json_integer_value(json_object_get(r.json, "id")));
    h_resp_free(&r);

    /* A's draft of the family status certificate with a PNG attached */
    char *family = h_pg_value(w.db, "SELECT id FROM services WHERE code = 'family_status'", 0,
                              NULL);
    snprintf(body, sizeof body, "{\"service\":%s}", family ? family : "0");
    free(family);
    ha_call(&s, &w.u[CIT_A], "POST", "/api/v1/applications", body, &r);
    snprintf(w.a_fapp, sizeof w.a_fapp, "%lld", json_integer_value(json_object_get(r.json, "id")));
    h_resp_free(&r);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/applications/%s/files/id_card", w.a_fapp);
    ha_upload(&s, &w.u[CIT_A], path, "image/png", fx_png, sizeof fx_png, &r);
    CHECK(r.status == 201, "citizen A's file: expected 201, found %ld %.200s", r.status, r.body);
    snprintf(w.a_file, sizeof w.a_file, "%lld", json_integer_value(json_object_get(r.json, "id")));
    h_resp_free(&r);

    idor_reads(&w);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < polis_route_count; i++) {
            const struct rule *ru = rule_for(&polis_routes[i]);
            if (ru && (ru->last == 2) == (pass == 1))
                run_rule(&w, &polis_routes[i], ru);
        }
    PQfinish(w.db);
    return h_finish();
}
