/* SQL behind Open311 GeoReport v2 (api/open311.c), on the reports
 * tables of sql/006_reports.sql. Reports of private categories never appear
 * in any of these answers. Names come in the language $lang ('el'|'en'). */
#ifndef POLIS_OPEN311_SQL_H
#define POLIS_OPEN311_SQL_H

/* $1 served municipality code, $2 lang. One row. */
extern const char OPEN311_SERVICES_SQL[];
enum open311_services_col {
    OPEN311_SERVICES_LIST, /* json array of services */
};

/* $1 served municipality code, $2 service code, $3 lang. Zero or one row. */
extern const char OPEN311_SERVICE_DEFINITION_SQL[];
enum open311_service_definition_col {
    OPEN311_SERVICE_DEFINITION_JSON, /* the service definition */
};

/* $1 served municipality code, $2 ids (bigint[] text) or NULL, $3 service
 * code or NULL, $4 'open'|'closed' or NULL, $5 start, $6 end (timestamptz
 * text or NULL), $7 lang, $8 page size, $9 offset. One row. Without ids,
 * the window defaults to the 90 days before end (or now), as the spec
 * says. $10 is this server's base URL ("http://host"): a request without a
 * media_url of its own gets its first photo's URL. */
extern const char OPEN311_REQUESTS_SQL[];
enum open311_requests_param {
    OPEN311_REQUESTS_P_MUNICIPALITY,
    OPEN311_REQUESTS_P_IDS,
    OPEN311_REQUESTS_P_SERVICE_CODE,
    OPEN311_REQUESTS_P_STATUS,
    OPEN311_REQUESTS_P_START,
    OPEN311_REQUESTS_P_END,
    OPEN311_REQUESTS_P_LANG,
    OPEN311_REQUESTS_P_PAGE_SIZE,
    OPEN311_REQUESTS_P_OFFSET,
    OPEN311_REQUESTS_P_BASE_URL,
    OPEN311_REQUESTS_NPARAMS
};
enum open311_requests_col {
    OPEN311_REQUESTS_LIST,         /* json array of requests, newest first */
    OPEN311_REQUESTS_WINDOW_VALID, /* boolean: end after start, at most 90 days apart */
};

#endif
