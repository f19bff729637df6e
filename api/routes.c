/* Every endpoint polis serves, and who may call it. Add a route here and its
 * handler in the file of its resource under api/. */
#include "api/api.h"
#include "api/application_steps.h"
#include "api/verify.h"

/* a route may leave out its last fields: body is then BODY_JSON */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

const struct route polis_routes[] = {
    {"GET", "/healthz", api_healthz, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/readyz", api_readyz, ACCESS_PUBLIC, RATE_NONE},
    /* admins, or Prometheus with POLIS_METRICS_TOKEN as its Bearer token */
    {"GET", "/metrics", api_metrics, ACCESS_METRICS, RATE_NONE},
    {"GET", "/api/v1", api_index, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/municipality", api_municipality, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/boundaries", api_boundaries_list, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/boundaries/{id}", api_boundaries_get, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/locate", api_locate, ACCESS_PUBLIC, RATE_NONE},
    /* the geocoder over the basemap and the POIs (api/geocode.c) */
    {"GET", "/api/v1/geocode", api_geocode, ACCESS_PUBLIC, RATE_EXPENSIVE},
    {"GET", "/api/v1/geocode/reverse", api_geocode_reverse, ACCESS_PUBLIC, RATE_EXPENSIVE},
    {"GET", "/api/v1/layers", api_layers_list, ACCESS_PUBLIC_WHO, RATE_NONE},
    /* an imported layer's description, visibility and deletion (api/layer_admin.c) */
    {"PATCH", "/api/v1/layers/{name}", api_layers_update, ACCESS_ADMIN, RATE_NONE},
    {"DELETE", "/api/v1/layers/{name}", api_layers_delete, ACCESS_ADMIN, RATE_NONE},
    /* a layer as a file made by GDAL (api/layer_download.c); staff layers are 404 to others */
    {"GET", "/api/v1/layers/{name}/download", api_layer_download, ACCESS_PUBLIC_WHO, RATE_EXPENSIVE},
    /* uploads become background import jobs (api/jobs.c) */
    {"POST", "/api/v1/layers", api_layers_upload, ACCESS_STAFF, RATE_NONE, BODY_UPLOAD},
    {"GET", "/api/v1/jobs", api_jobs_list, ACCESS_STAFF, RATE_NONE},
    {"GET", "/api/v1/jobs/{id}", api_jobs_get, ACCESS_SIGNED_IN, RATE_NONE},
    /* OGC API Features (api/ogc.c); staff layers are 404 to others. Each also
     * answers with a trailing slash (/ogc/), as clients and documents write it */
    {"GET", "/ogc", api_ogc_landing, ACCESS_PUBLIC, RATE_NONE, BODY_JSON, SLASH_OPTIONAL},
    {"GET", "/ogc/conformance", api_ogc_conformance, ACCESS_PUBLIC, RATE_NONE, BODY_JSON,
     SLASH_OPTIONAL},
    {"GET", "/ogc/api", api_ogc_api, ACCESS_PUBLIC, RATE_NONE, BODY_JSON, SLASH_OPTIONAL},
    {"GET", "/ogc/collections", api_ogc_collections, ACCESS_PUBLIC_WHO, RATE_NONE, BODY_JSON,
     SLASH_OPTIONAL},
    {"GET", "/ogc/collections/{id}", api_ogc_collection, ACCESS_PUBLIC_WHO, RATE_NONE,
     BODY_JSON, SLASH_OPTIONAL},
    {"GET", "/ogc/collections/{id}/queryables", api_ogc_queryables, ACCESS_PUBLIC_WHO,
     RATE_NONE, BODY_JSON, SLASH_OPTIONAL},
    {"GET", "/ogc/collections/{id}/items", api_ogc_items, ACCESS_PUBLIC_WHO, RATE_EXPENSIVE,
     BODY_JSON, SLASH_OPTIONAL},
    {"GET", "/ogc/collections/{id}/items/{fid}", api_ogc_item, ACCESS_PUBLIC_WHO, RATE_NONE,
     BODY_JSON, SLASH_OPTIONAL},
    {"GET", "/tiles", api_tiles_catalog, ACCESS_PUBLIC, RATE_NONE},
    /* who asks matters: staff-only layers are for staff and admins (api/tiles.c) */
    {"GET", "/tiles/{layer}", api_tiles_tilejson, ACCESS_PUBLIC_WHO, RATE_NONE},      /* {layer}.json */
    {"GET", "/tiles/{layer}/{z}/{x}/{y}", api_tiles_get, ACCESS_PUBLIC_WHO, RATE_NONE}, /* {y}.mvt */
    {"GET", "/styles/basemap.json", api_styles_basemap, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/fonts/{fontstack}/{range}", api_fonts_glyphs, ACCESS_PUBLIC, RATE_NONE}, /* {range}.pbf */
    /* the web pages (api/web.c): files of POLIS_WEB_DIR and MapLibre */
    {"GET", "/", api_web_index, ACCESS_PUBLIC, RATE_NONE},
    /* the pages that mailed links open: the same page, which reads the path */
    {"GET", "/account/confirm", api_web_index, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/account/reset", api_web_index, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/account/email", api_web_index, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/track/{id}", api_web_index, ACCESS_PUBLIC, RATE_NONE},
    /* an issued document's check, from its QR code (api/verify.c): its code is the secret */
    {"GET", "/verify/{code}", api_verify, ACCESS_PUBLIC, RATE_RESET},
    {"GET", "/assets/{file}", api_web_asset, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/assets/v/{hash}/{file}", api_web_versioned, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/vendor/maplibre-gl/{version}/{file}", api_web_vendor, ACCESS_PUBLIC, RATE_NONE},
    {"POST", "/api/v1/auth/register", api_auth_register, ACCESS_PUBLIC, RATE_REGISTER},
    {"POST", "/api/v1/auth/confirm", api_auth_confirm, ACCESS_PUBLIC, RATE_RESET},
    {"POST", "/api/v1/auth/login", api_auth_login, ACCESS_PUBLIC, RATE_LOGIN},
    /* sign-in with an identity provider (api/oidc.c): the browser is sent there and back;
     * 404 when POLIS_OIDC_* is not configured */
    {"GET", "/auth/oidc/start", api_oidc_start, ACCESS_PUBLIC, RATE_LOGIN},
    {"GET", "/auth/oidc/callback", api_oidc_callback, ACCESS_PUBLIC, RATE_LOGIN},
    {"GET", "/api/v1/auth/oidc", api_oidc_info, ACCESS_PUBLIC, RATE_NONE},
    {"POST", "/api/v1/auth/logout", api_auth_logout, ACCESS_SIGNED_IN, RATE_NONE},
    {"GET", "/api/v1/me", api_me, ACCESS_SIGNED_IN, RATE_NONE},
    {"PATCH", "/api/v1/me", api_me_update, ACCESS_SIGNED_IN, RATE_NONE},
    {"POST", "/api/v1/auth/password", api_auth_password, ACCESS_SIGNED_IN, RATE_NONE},
    {"POST", "/api/v1/auth/reset-request", api_auth_reset_request, ACCESS_PUBLIC, RATE_RESET},
    {"POST", "/api/v1/auth/reset", api_auth_reset, ACCESS_PUBLIC, RATE_RESET},
    {"GET", "/api/v1/me/export", api_me_export, ACCESS_SIGNED_IN, RATE_EXPENSIVE},
    {"DELETE", "/api/v1/me", api_me_delete, ACCESS_SIGNED_IN, RATE_NONE},
    /* changing the e-mail address (api/email_change.c): confirmed from the mailed link */
    {"POST", "/api/v1/me/email", api_me_email_change, ACCESS_SIGNED_IN, RATE_NONE},
    {"POST", "/api/v1/auth/email-confirm", api_auth_email_confirm, ACCESS_PUBLIC, RATE_RESET},
    {"POST", "/api/v1/me/keys", api_me_keys_create, ACCESS_SIGNED_IN, RATE_NONE},
    {"GET", "/api/v1/me/keys", api_me_keys_list, ACCESS_SIGNED_IN, RATE_NONE},
    {"DELETE", "/api/v1/me/keys/{id}", api_me_keys_delete, ACCESS_SIGNED_IN, RATE_NONE},
    {"GET", "/api/v1/admin/users", api_admin_users_list, ACCESS_ADMIN, RATE_NONE},
    {"POST", "/api/v1/admin/users", api_admin_users_create, ACCESS_ADMIN, RATE_NONE},
    {"POST", "/api/v1/admin/users/{id}/keys", api_admin_user_keys_create, ACCESS_ADMIN, RATE_NONE},
    {"GET", "/api/v1/admin/audit", api_admin_audit, ACCESS_ADMIN, RATE_NONE},
    {"GET", "/api/v1/categories", api_categories_list, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"POST", "/api/v1/categories", api_categories_create, ACCESS_ADMIN, RATE_NONE},
    {"PATCH", "/api/v1/categories/{id}", api_categories_update, ACCESS_ADMIN, RATE_NONE},
    /* routing by area (api/routing_rules.c): staff read, admins write */
    {"GET", "/api/v1/routing-rules", api_routing_rules_list, ACCESS_STAFF, RATE_NONE},
    {"POST", "/api/v1/routing-rules", api_routing_rules_create, ACCESS_ADMIN, RATE_NONE},
    {"PATCH", "/api/v1/routing-rules/{id}", api_routing_rules_update, ACCESS_ADMIN, RATE_NONE},
    {"DELETE", "/api/v1/routing-rules/{id}", api_routing_rules_delete, ACCESS_ADMIN,
     RATE_NONE},
    {"GET", "/api/v1/report-statuses", api_report_statuses_list, ACCESS_PUBLIC, RATE_NONE},
    {"POST", "/api/v1/reports", api_reports_create, ACCESS_PUBLIC, RATE_ANON_WRITE},
    {"GET", "/api/v1/reports", api_reports_list, ACCESS_PUBLIC_WHO, RATE_EXPENSIVE},
    /* before /api/v1/reports/{id}: the first matching route wins */
    {"GET", "/api/v1/reports/nearby", api_reports_nearby, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"GET", "/api/v1/reports/{id}", api_reports_get, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"POST", "/api/v1/reports/{id}/support", api_reports_support, ACCESS_SIGNED_IN, RATE_NONE},
    {"POST", "/api/v1/reports/{id}/transitions", api_reports_transition, ACCESS_SIGNED_IN,
     RATE_NONE},
    /* staff of the report's department and admins (api/report_assignment.c) */
    {"POST", "/api/v1/reports/{id}/reassign", api_reports_reassign, ACCESS_STAFF, RATE_NONE},
    {"POST", "/api/v1/reports/{id}/assign", api_reports_assign, ACCESS_STAFF, RATE_NONE},
    {"GET", "/api/v1/reports/{id}/history", api_reports_history, ACCESS_PUBLIC_WHO, RATE_NONE},
    /* photos (api/photos.c): the reporter (or ?secret=), department staff, admins */
    {"POST", "/api/v1/reports/{id}/photos", api_reports_photo_upload, ACCESS_PUBLIC_WHO,
     RATE_ANON_WRITE, BODY_UPLOAD},
    {"GET", "/api/v1/reports/{id}/photos/{photo}", api_reports_photo_get, ACCESS_PUBLIC_WHO,
     RATE_NONE},
    /* messages (api/messages.c): the reporter (or ?secret=), department staff, admins */
    {"POST", "/api/v1/reports/{id}/messages", api_reports_message_post, ACCESS_PUBLIC_WHO,
     RATE_ANON_WRITE},
    {"GET", "/api/v1/reports/{id}/messages", api_reports_messages_list, ACCESS_PUBLIC_WHO,
     RATE_NONE},
    /* following (api/subscriptions.c) */
    {"POST", "/api/v1/reports/{id}/follow", api_reports_follow, ACCESS_SIGNED_IN, RATE_NONE},
    {"DELETE", "/api/v1/reports/{id}/follow", api_reports_unfollow, ACCESS_SIGNED_IN, RATE_NONE},
    {"POST", "/api/v1/me/subscriptions", api_me_subscriptions_create, ACCESS_SIGNED_IN,
     RATE_NONE},
    {"GET", "/api/v1/me/subscriptions", api_me_subscriptions_list, ACCESS_SIGNED_IN, RATE_NONE},
    {"DELETE", "/api/v1/me/subscriptions/{id}", api_me_subscriptions_delete, ACCESS_SIGNED_IN,
     RATE_NONE},
    /* what is also mailed, per kind of notification (api/notification_preferences.c) */
    {"GET", "/api/v1/me/notification-preferences", api_me_notification_prefs_get,
     ACCESS_SIGNED_IN, RATE_NONE},
    {"PUT", "/api/v1/me/notification-preferences", api_me_notification_prefs_put,
     ACCESS_SIGNED_IN, RATE_NONE},
    /* RFC 8058 one-click unsubscribe from a mail (api/unsubscribe.c): the token is the
     * credential; GET only shows a page whose button POSTs */
    {"GET", "/api/v1/unsubscribe", api_unsubscribe_page, ACCESS_TOKEN, RATE_RESET},
    {"POST", "/api/v1/unsubscribe", api_unsubscribe_one_click, ACCESS_TOKEN, RATE_RESET},
    {"GET", "/open311/v2/{resource}", api_open311_get, ACCESS_PUBLIC, RATE_NONE},
    {"POST", "/open311/v2/{resource}", api_open311_post, ACCESS_PUBLIC, RATE_ANON_WRITE},
    {"GET", "/open311/v2/services/{code}", api_open311_service_definition, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/open311/v2/requests/{id}", api_open311_request, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/open311/v2/tokens/{token}", api_open311_token, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/me/inbox", api_inbox_list, ACCESS_SIGNED_IN, RATE_NONE},
    {"POST", "/api/v1/me/inbox/{id}/read", api_inbox_read, ACCESS_SIGNED_IN, RATE_NONE},
    /* the mailbox live, as Server-Sent Events (api/stream.c); a session or an API key */
    {"GET", "/api/v1/me/stream", api_me_stream, ACCESS_SIGNED_IN, RATE_NONE},
    /* the caller's own reports, newest first (api/reports.c) */
    {"GET", "/api/v1/me/reports", api_me_reports, ACCESS_SIGNED_IN, RATE_NONE},
    /* events (api/events.c): the tourism office (department tourism) and admins
     * write and see drafts; everyone reads published ones */
    {"GET", "/api/v1/events", api_events_list, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"GET", "/api/v1/events.ics", api_events_ical, ACCESS_PUBLIC, RATE_EXPENSIVE},
    {"POST", "/api/v1/events", api_events_create, ACCESS_STAFF, RATE_NONE},
    {"GET", "/api/v1/events/{id}", api_events_get, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"PATCH", "/api/v1/events/{id}", api_events_update, ACCESS_STAFF, RATE_NONE},
    {"POST", "/api/v1/events/{id}/publish", api_events_publish, ACCESS_STAFF, RATE_NONE},
    {"POST", "/api/v1/events/{id}/archive", api_events_archive, ACCESS_STAFF, RATE_NONE},
    /* news and press releases (api/news.c, api/news_writes.c, api/news_feeds.c): staff
     * and admins write and read every status; everyone reads the published and due ones
     * and their feeds; categories before {id} */
    {"GET", "/api/v1/news", api_news_list, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"GET", "/api/v1/news/categories", api_news_categories, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/news/{id}", api_news_get, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"POST", "/api/v1/news", api_news_create, ACCESS_STAFF, RATE_NONE},
    {"PATCH", "/api/v1/news/{id}", api_news_update, ACCESS_STAFF, RATE_NONE},
    {"GET", "/news/rss.xml", api_news_rss, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/news/atom.xml", api_news_atom, ACCESS_PUBLIC, RATE_NONE},
    /* schools and school zones (api/schools.c); zone before {id} */
    {"GET", "/api/v1/schools", api_schools_list, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/schools/zone", api_schools_zone, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/schools/{id}", api_schools_get, ACCESS_PUBLIC, RATE_NONE},
    /* points of interest (api/pois.c, api_poi_photos.c, api_poi_categories.c):
     * writes by staff of department tourism and admins, checked in the handler */
    {"GET", "/api/v1/pois", api_pois_list, ACCESS_PUBLIC_WHO, RATE_EXPENSIVE},
    {"GET", "/api/v1/pois/export.geojson", api_pois_export, ACCESS_PUBLIC, RATE_EXPENSIVE},
    {"GET", "/api/v1/pois/{id}", api_pois_get, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"POST", "/api/v1/pois", api_pois_create, ACCESS_STAFF, RATE_NONE},
    {"PATCH", "/api/v1/pois/{id}", api_pois_update, ACCESS_STAFF, RATE_NONE},
    {"POST", "/api/v1/pois/{id}/publish", api_pois_publish, ACCESS_STAFF, RATE_NONE},
    {"POST", "/api/v1/pois/{id}/archive", api_pois_archive, ACCESS_STAFF, RATE_NONE},
    {"POST", "/api/v1/pois/{id}/draft", api_pois_draft, ACCESS_STAFF, RATE_NONE},
    {"POST", "/api/v1/pois/{id}/photos", api_pois_photo_upload, ACCESS_STAFF, RATE_NONE,
     BODY_UPLOAD},
    {"GET", "/api/v1/pois/{id}/photos/{photo}", api_pois_photo_get, ACCESS_PUBLIC_WHO,
     RATE_NONE},
    {"DELETE", "/api/v1/pois/{id}/photos/{photo}", api_pois_photo_delete, ACCESS_STAFF,
     RATE_NONE},
    /* the e-services catalogue (api/services.c): active services for everyone, all of
     * them and the writes for admins */
    {"GET", "/api/v1/services", api_services_list, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"GET", "/api/v1/services/{id}", api_services_get, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"POST", "/api/v1/services", api_services_create, ACCESS_ADMIN, RATE_NONE},
    {"PATCH", "/api/v1/services/{id}", api_services_update, ACCESS_ADMIN, RATE_NONE},
    /* the protocol book (api/protocol.c): staff read it and register what arrived
     * at the counter, by phone, post or e-mail */
    {"GET", "/api/v1/protocol", api_protocol_list, ACCESS_STAFF, RATE_NONE},
    {"POST", "/api/v1/protocol", api_protocol_register, ACCESS_STAFF, RATE_NONE},
    /* applications (api/applications.c, api/application_reads.c): the applicant writes
     * a draft and submits it; staff of the service's department and admins read it
     * once submitted */
    {"POST", "/api/v1/applications", api_applications_create, ACCESS_SIGNED_IN, RATE_NONE},
    {"GET", "/api/v1/applications", api_applications_list, ACCESS_STAFF, RATE_NONE},
    {"GET", "/api/v1/applications/{id}", api_applications_get, ACCESS_SIGNED_IN, RATE_NONE},
    {"PATCH", "/api/v1/applications/{id}", api_applications_update, ACCESS_SIGNED_IN,
     RATE_NONE},
    /* documents attached to applications (api/application_files.c): the applicant
     * attaches (a draft, or while more information is asked for) and deletes (a draft);
     * whoever reads the application reads them */
    {"POST", "/api/v1/applications/{id}/files/{document_code}", api_application_files_upload,
     ACCESS_SIGNED_IN, RATE_NONE, BODY_UPLOAD},
    {"GET", "/api/v1/applications/{id}/files", api_application_files_list, ACCESS_SIGNED_IN,
     RATE_NONE},
    {"GET", "/api/v1/applications/{id}/files/{file_id}", api_application_files_get,
     ACCESS_SIGNED_IN, RATE_NONE},
    {"DELETE", "/api/v1/applications/{id}/files/{file_id}", api_application_files_delete,
     ACCESS_SIGNED_IN, RATE_NONE},
    {"POST", "/api/v1/applications/{id}/submit", api_applications_submit, ACCESS_SIGNED_IN,
     RATE_NONE},
    {"GET", "/api/v1/me/applications", api_me_applications, ACCESS_SIGNED_IN, RATE_NONE},
    /* processing (api/application_steps.c, api/application_approve.c): staff of the
     * department and admins assign, ask for more, approve, reject; the applicant answers */
    {"POST", "/api/v1/applications/{id}/assign", api_applications_assign, ACCESS_STAFF,
     RATE_NONE},
    {"POST", "/api/v1/applications/{id}/request-info", api_applications_request_info,
     ACCESS_STAFF, RATE_NONE},
    {"POST", "/api/v1/applications/{id}/respond", api_applications_respond, ACCESS_SIGNED_IN,
     RATE_NONE},
    /* the approval of a service whose answer staff upload carries the PDF */
    {"POST", "/api/v1/applications/{id}/approve", api_applications_approve, ACCESS_STAFF,
     RATE_NONE, BODY_UPLOAD},
    {"POST", "/api/v1/applications/{id}/reject", api_applications_reject, ACCESS_STAFF,
     RATE_NONE},
    /* a department's staff, to assign to a colleague (api/department_staff.c) */
    {"GET", "/api/v1/departments/{id}/staff", api_department_staff, ACCESS_STAFF, RATE_NONE},
    /* an issued document (api/documents.c): its addressee, staff of its department, admins */
    {"GET", "/api/v1/documents/{id}", api_documents_get, ACCESS_SIGNED_IN, RATE_NONE},
    {"GET", "/api/v1/poi-categories", api_poi_categories_list, ACCESS_PUBLIC_WHO, RATE_NONE},
    {"POST", "/api/v1/poi-categories", api_poi_categories_create, ACCESS_ADMIN, RATE_NONE},
    {"PATCH", "/api/v1/poi-categories/{code}", api_poi_categories_update, ACCESS_ADMIN,
     RATE_NONE},
};

const int polis_route_count = sizeof polis_routes / sizeof polis_routes[0];

int routes_first_undeclared(void)
{
    for (int i = 0; i < polis_route_count; i++)
        if (polis_routes[i].access == ACCESS_UNDECLARED)
            return i;
    return -1;
}
