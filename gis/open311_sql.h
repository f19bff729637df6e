/* SQL behind Open311 GeoReport v2 (api/open311.c), on the reports
 * tables of sql/006_reports.sql. Reports of private categories never appear
 * in any of these answers. Names come in the language $lang ('el'|'en'). */
#ifndef POLIS_OPEN311_SQL_H
#define POLIS_OPEN311_SQL_H

/* $1 served municipality code, $2 lang. One row: (json array of services). */
extern const char OPEN311_SERVICES_SQL[];

/* $1 served municipality code, $2 service code, $3 lang. Zero or one row:
 * (service definition json). */
extern const char OPEN311_SERVICE_DEFINITION_SQL[];

/* $1 served municipality code, $2 ids (bigint[] text) or NULL, $3 service
 * code or NULL, $4 'open'|'closed' or NULL, $5 start, $6 end (timestamptz
 * text or NULL), $7 lang, $8 page size, $9 offset. One row: (json array of
 * requests newest first, the window is valid (end after start, at most 90
 * days)). Without ids, the window defaults to the 90 days before end (or
 * now), as the spec says. $10 is this server's base URL ("http://host"): a
 * request without a media_url of its own gets its first photo's URL. */
extern const char OPEN311_REQUESTS_SQL[];

#endif
