/* SQL on the routing rules (sql/033_routing_rules.sql): the list, and the
 * admin writes, each with its audit_log row in the same statement. Rules
 * belong to the served municipality (by code); route_report() in the
 * filing statement applies them. Nothing here moves a report. */
#ifndef POLIS_ROUTING_RULES_SQL_H
#define POLIS_ROUTING_RULES_SQL_H

#include "common/audit_actor.h"

/* $1 served municipality code. One row: the rules as a JSON array, most
 * specific first. */
extern const char ROUTING_RULE_LIST_SQL[];
enum routing_rule_list_col {
    ROUTING_RULE_LIST_ITEMS,
};

/* The columns CREATE and UPDATE both return, one row: whether the rule was
 * found (always true for CREATE) and whether each part named by the request
 * is acceptable (true when not given), then the rule|NULL when nothing was
 * written. */
enum routing_rule_write_col {
    ROUTING_RULE_WRITE_FOUND,
    ROUTING_RULE_WRITE_CATEGORY_OK,   /* a category code of the municipality */
    ROUTING_RULE_WRITE_BOUNDARY_OK,   /* a unit or community of the municipality */
    ROUTING_RULE_WRITE_POLYGON_OK,    /* valid (ST_IsValid: no self-intersection) */
    ROUTING_RULE_WRITE_DEPARTMENT_OK, /* a department code of the municipality */
    ROUTING_RULE_WRITE_JSON,
};

/* $1 served code, $2 category code|NULL (any), $3 boundary id|NULL,
 * $4 polygon (GeoJSON Polygon or MultiPolygon)|NULL (exactly one of $3, $4),
 * $5 department code, $6..$9 the actor (api/actor.h; $6 is created_by). */
extern const char ROUTING_RULE_CREATE_SQL[];
enum routing_rule_create_param {
    ROUTING_RULE_CREATE_P_MUNICIPALITY,
    ROUTING_RULE_CREATE_P_CATEGORY,
    ROUTING_RULE_CREATE_P_BOUNDARY,
    ROUTING_RULE_CREATE_P_POLYGON,
    ROUTING_RULE_CREATE_P_DEPARTMENT,
    ROUTING_RULE_CREATE_P_ACTOR, /* the four actor parameters from here */
    ROUTING_RULE_CREATE_NPARAMS = ROUTING_RULE_CREATE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};

/* $1 served code, $2 rule id, then each NULL for unchanged: $3 category
 * code ('' for any), $4 boundary id, $5 polygon (at most one of $4, $5: the
 * new area), $6 department code, $7..$10 the actor. */
extern const char ROUTING_RULE_UPDATE_SQL[];
enum routing_rule_update_param {
    ROUTING_RULE_UPDATE_P_MUNICIPALITY,
    ROUTING_RULE_UPDATE_P_ID,
    ROUTING_RULE_UPDATE_P_CATEGORY,
    ROUTING_RULE_UPDATE_P_BOUNDARY,
    ROUTING_RULE_UPDATE_P_POLYGON,
    ROUTING_RULE_UPDATE_P_DEPARTMENT,
    ROUTING_RULE_UPDATE_P_ACTOR,
    ROUTING_RULE_UPDATE_NPARAMS = ROUTING_RULE_UPDATE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};

/* $1 served code, $2 rule id, $3..$6 the actor. One row: rules deleted (0|1). */
extern const char ROUTING_RULE_DELETE_SQL[];
enum routing_rule_delete_param {
    ROUTING_RULE_DELETE_P_MUNICIPALITY,
    ROUTING_RULE_DELETE_P_ID,
    ROUTING_RULE_DELETE_P_ACTOR,
    ROUTING_RULE_DELETE_NPARAMS = ROUTING_RULE_DELETE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum routing_rule_delete_col {
    ROUTING_RULE_DELETE_COUNT,
};

#endif
