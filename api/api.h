/* Route handlers, one file per resource under api/. The route table that
 * maps paths to them is api/routes.c. */
#ifndef POLIS_API_H
#define POLIS_API_H

#include "http/exchange.h"

/* api_health.c */
void api_healthz(struct exchange *ex);
void api_readyz(struct exchange *ex);
void api_metrics(struct exchange *ex);

/* api_boundaries.c */
void api_boundaries_list(struct exchange *ex);
void api_boundaries_get(struct exchange *ex);
void api_locate(struct exchange *ex);
/* api/geocode.c */
void api_geocode(struct exchange *ex);
void api_geocode_reverse(struct exchange *ex);

/* api_auth.c */
void api_auth_register(struct exchange *ex);
void api_auth_confirm(struct exchange *ex);
void api_auth_login(struct exchange *ex);
void api_auth_logout(struct exchange *ex);
void api_me(struct exchange *ex);
/* sign-in with an identity provider (api/oidc.c) */
void api_oidc_start(struct exchange *ex);
void api_oidc_callback(struct exchange *ex);
void api_oidc_info(struct exchange *ex);
void api_me_update(struct exchange *ex);
void api_unsubscribe_page(struct exchange *ex);
void api_unsubscribe_one_click(struct exchange *ex);

/* api_account.c */
void api_auth_password(struct exchange *ex);
void api_auth_reset_request(struct exchange *ex);
void api_auth_reset(struct exchange *ex);
void api_me_export(struct exchange *ex);
void api_me_delete(struct exchange *ex);

/* api/email_change.c */
void api_me_email_change(struct exchange *ex);
void api_auth_email_confirm(struct exchange *ex);

/* api_keys.c */
void api_me_keys_create(struct exchange *ex);
void api_me_keys_list(struct exchange *ex);
void api_me_keys_delete(struct exchange *ex);
void api_admin_user_keys_create(struct exchange *ex);

/* api_admin.c */
void api_admin_users_list(struct exchange *ex);
void api_admin_users_create(struct exchange *ex);
void api_admin_audit(struct exchange *ex);

/* api/styles.c, api/fonts.c: the basemap's MapLibre style and its glyphs */
void api_styles_basemap(struct exchange *ex);
void api_fonts_glyphs(struct exchange *ex);

/* api_tiles.c */
void api_tiles_catalog(struct exchange *ex);
void api_tiles_tilejson(struct exchange *ex);
void api_tiles_get(struct exchange *ex);

/* api/report_statuses.c */
void api_report_statuses_list(struct exchange *ex);

/* api_categories.c */
void api_categories_list(struct exchange *ex);
void api_categories_create(struct exchange *ex);
void api_categories_update(struct exchange *ex);

/* routing_rules.c */
void api_routing_rules_list(struct exchange *ex);
void api_routing_rules_create(struct exchange *ex);
void api_routing_rules_update(struct exchange *ex);
void api_routing_rules_delete(struct exchange *ex);

/* api_reports.c */
void api_reports_create(struct exchange *ex);
void api_reports_list(struct exchange *ex);
void api_reports_nearby(struct exchange *ex);
void api_reports_get(struct exchange *ex);
void api_reports_support(struct exchange *ex);
void api_reports_transition(struct exchange *ex);
/* report_assignment.c */
void api_reports_reassign(struct exchange *ex);
void api_reports_assign(struct exchange *ex);
void api_reports_history(struct exchange *ex);
void api_me_reports(struct exchange *ex);

/* api_photos.c */
void api_reports_photo_upload(struct exchange *ex);
void api_reports_photo_get(struct exchange *ex);

/* api_messages.c */
void api_reports_message_post(struct exchange *ex);
void api_reports_messages_list(struct exchange *ex);

/* api_subscriptions.c */
void api_reports_follow(struct exchange *ex);
void api_reports_unfollow(struct exchange *ex);
void api_me_subscriptions_create(struct exchange *ex);
void api_me_subscriptions_list(struct exchange *ex);
void api_me_subscriptions_delete(struct exchange *ex);

/* api/notification_preferences.c */
void api_me_notification_prefs_get(struct exchange *ex);
void api_me_notification_prefs_put(struct exchange *ex);

/* api_inbox.c */
void api_inbox_list(struct exchange *ex);
void api_inbox_read(struct exchange *ex);

/* api_stream.c */
void api_me_stream(struct exchange *ex);

/* api_open311.c */
void api_open311_get(struct exchange *ex);
void api_open311_post(struct exchange *ex);
void api_open311_service_definition(struct exchange *ex);
void api_open311_request(struct exchange *ex);
void api_open311_token(struct exchange *ex);

/* api_index.c */
void api_index(struct exchange *ex);

/* api_municipality.c: the served municipality, where the page opens */
void api_municipality(struct exchange *ex);

/* api_layers.c */
void api_layers_list(struct exchange *ex);

/* api/layer_admin.c: admins describe, hide or delete an imported layer */
void api_layers_update(struct exchange *ex);
void api_layers_delete(struct exchange *ex);

/* api/layer_download.c: a layer as a GPKG, zipped Shapefile, GeoJSON, CSV, KML, FlatGeobuf
 * or DXF file */
void api_layer_download(struct exchange *ex);

/* api_jobs.c: uploads imported as background jobs */
void api_layers_upload(struct exchange *ex);
void api_jobs_get(struct exchange *ex);
void api_jobs_list(struct exchange *ex);

/* api_ogc.c */
void api_ogc_landing(struct exchange *ex);
void api_ogc_conformance(struct exchange *ex);
void api_ogc_api(struct exchange *ex);
void api_ogc_collections(struct exchange *ex);
void api_ogc_collection(struct exchange *ex);
void api_ogc_queryables(struct exchange *ex);
void api_ogc_items(struct exchange *ex);
void api_ogc_item(struct exchange *ex);

/* api_pois.c */
void api_pois_list(struct exchange *ex);
void api_pois_export(struct exchange *ex);
void api_pois_get(struct exchange *ex);
void api_pois_create(struct exchange *ex);
void api_pois_update(struct exchange *ex);
void api_pois_publish(struct exchange *ex);
void api_pois_archive(struct exchange *ex);
void api_pois_draft(struct exchange *ex);

/* api_poi_photos.c */
void api_pois_photo_upload(struct exchange *ex);
void api_pois_photo_get(struct exchange *ex);
void api_pois_photo_delete(struct exchange *ex);

/* api_poi_categories.c */
void api_poi_categories_list(struct exchange *ex);
void api_poi_categories_create(struct exchange *ex);
void api_poi_categories_update(struct exchange *ex);

/* api_web.c */
void api_web_index(struct exchange *ex);
void api_web_asset(struct exchange *ex);
void api_web_vendor(struct exchange *ex);
void api_web_versioned(struct exchange *ex);

/* api_events.c */
void api_events_list(struct exchange *ex);
void api_events_ical(struct exchange *ex);
void api_events_create(struct exchange *ex);
void api_events_get(struct exchange *ex);
void api_events_update(struct exchange *ex);
void api_events_publish(struct exchange *ex);
void api_events_archive(struct exchange *ex);
/* api/news.c, api/news_writes.c, api/news_feeds.c: news and press releases */
void api_news_list(struct exchange *ex);
void api_news_get(struct exchange *ex);
void api_news_categories(struct exchange *ex);
void api_news_create(struct exchange *ex);
void api_news_update(struct exchange *ex);
void api_news_rss(struct exchange *ex);
void api_news_atom(struct exchange *ex);
/* api/services.c: the e-services catalogue */
void api_services_list(struct exchange *ex);
void api_services_get(struct exchange *ex);
void api_services_create(struct exchange *ex);
void api_services_update(struct exchange *ex);

/* api/protocol.c: the protocol book (staff) */
void api_protocol_list(struct exchange *ex);
void api_protocol_register(struct exchange *ex);

/* api/applications.c (writes), api/application_reads.c: applications for e-services */
void api_applications_create(struct exchange *ex);
void api_applications_update(struct exchange *ex);
void api_applications_get(struct exchange *ex);
void api_applications_list(struct exchange *ex);
void api_applications_submit(struct exchange *ex);
void api_me_applications(struct exchange *ex);
/* api/department_staff.c: a department's staff */
void api_department_staff(struct exchange *ex);
/* api/application_files.c: documents attached to applications */
void api_application_files_upload(struct exchange *ex);
void api_application_files_list(struct exchange *ex);
void api_application_files_get(struct exchange *ex);
void api_application_files_delete(struct exchange *ex);

/* api_schools.c */
void api_schools_list(struct exchange *ex);
void api_schools_zone(struct exchange *ex);
void api_schools_get(struct exchange *ex);

#endif
