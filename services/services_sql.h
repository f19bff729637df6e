/* SQL on the e-services catalogue (sql/040_services.sql): the public list
 * and one service (active ones; admins also see inactive ones), and the
 * admin writes, each with its audit_log row in the same statement. Services
 * belong to the served municipality (by code). PostgreSQL builds the JSON. */
#ifndef POLIS_SERVICES_SQL_H
#define POLIS_SERVICES_SQL_H

#include "common/audit_actor.h"

/* $1 served municipality code, $2 include inactive ones (boolean), $3 the
 * language of the members title and description ("el" or "en"). One row. */
extern const char SERVICE_LIST_SQL[];
enum service_list_param {
    SERVICE_LIST_P_MUNICIPALITY,
    SERVICE_LIST_P_ALL,
    SERVICE_LIST_P_LANG,
    SERVICE_LIST_NPARAMS
};
enum service_list_col {
    SERVICE_LIST_ITEMS, /* json array of services, by title in the language */
};

/* The same parameters, then $4 the service id. Zero rows (no such service,
 * or inactive for a caller who is not an admin) or one. */
extern const char SERVICE_GET_SQL[];
enum service_get_param {
    SERVICE_GET_P_MUNICIPALITY,
    SERVICE_GET_P_ALL,
    SERVICE_GET_P_LANG,
    SERVICE_GET_P_ID,
    SERVICE_GET_NPARAMS
};
enum service_get_col {
    SERVICE_GET_JSON,
};

/* The parameters of SERVICE_CREATE_SQL and SERVICE_UPDATE_SQL, in the same
 * places: $1 served code, $2 the service (create: its new code; update: its
 * id), then the members (create: NULL for a default; update: NULL for
 * unchanged), then the actor (api/actor.h). fields and documents are jsonb
 * already checked (gis/report_attributes.h, services/service_documents.h). */
enum service_write_param {
    SERVICE_WRITE_P_MUNICIPALITY,
    SERVICE_WRITE_P_SERVICE,
    SERVICE_WRITE_P_TITLE_EL,
    SERVICE_WRITE_P_TITLE_EN,
    SERVICE_WRITE_P_DESCRIPTION_EL,
    SERVICE_WRITE_P_DESCRIPTION_EN,
    SERVICE_WRITE_P_DEPARTMENT,
    SERVICE_WRITE_P_FIELDS,
    SERVICE_WRITE_P_DOCUMENTS,
    SERVICE_WRITE_P_APPLICANTS,
    SERVICE_WRITE_P_TARGET_HOURS,
    SERVICE_WRITE_P_ANSWER_KIND,
    SERVICE_WRITE_P_ACTIVE,
    SERVICE_WRITE_P_ACTOR, /* the four actor parameters from here */
    SERVICE_WRITE_NPARAMS = SERVICE_WRITE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};

/* Parameters: enum service_write_param. One row. */
extern const char SERVICE_CREATE_SQL[];
enum service_create_col {
    SERVICE_CREATE_DEPARTMENT_FOUND, /* boolean */
    SERVICE_CREATE_JSON,             /* the service|NULL when the code is taken */
};

/* Parameters: enum service_write_param. One row. */
extern const char SERVICE_UPDATE_SQL[];
enum service_update_col {
    SERVICE_UPDATE_FOUND,            /* boolean: the service exists */
    SERVICE_UPDATE_DEPARTMENT_FOUND, /* boolean: it exists or none was given */
    SERVICE_UPDATE_JSON,             /* the service after the change */
};

#endif
