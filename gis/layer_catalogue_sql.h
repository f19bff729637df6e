/* SQL on the layer catalogue (sql/008_layers.sql, sql/052_layer_management.sql):
 * the list, and the admins' description and deletion of an imported layer,
 * each write with its audit_log row in the same statement. */
#ifndef POLIS_LAYER_CATALOGUE_SQL_H
#define POLIS_LAYER_CATALOGUE_SQL_H

#include "common/audit_actor.h"

/* $1 't' for staff. One row. */
extern const char LAYERS_LIST_SQL[];
enum layers_list_col {
    LAYERS_LIST_JSON, /* the catalogue as a JSON array text */
};

/* $1 layer name, then each NULL for unchanged: $2 title_el, $3 title_en,
 * $4 description, $5 licence, $6 attribution ('' for each of these three
 * clears it), $7 keywords (a JSON array of strings), $8 visibility, then
 * the actor. No row when there is no such layer; else one: the layer. */
extern const char LAYER_UPDATE_SQL[];
enum layer_update_param {
    LAYER_UPDATE_P_NAME,
    LAYER_UPDATE_P_TITLE_EL,
    LAYER_UPDATE_P_TITLE_EN,
    LAYER_UPDATE_P_DESCRIPTION,
    LAYER_UPDATE_P_LICENCE,
    LAYER_UPDATE_P_ATTRIBUTION,
    LAYER_UPDATE_P_KEYWORDS,
    LAYER_UPDATE_P_VISIBILITY,
    LAYER_UPDATE_P_ACTOR,
    LAYER_UPDATE_NPARAMS = LAYER_UPDATE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum layer_update_col {
    LAYER_UPDATE_JSON,
};

/* $1 layer name, then the actor. One row: whether the layer was there (its
 * catalogue row and its table are gone). */
extern const char LAYER_DELETE_SQL[];
enum layer_delete_param {
    LAYER_DELETE_P_NAME,
    LAYER_DELETE_P_ACTOR,
    LAYER_DELETE_NPARAMS = LAYER_DELETE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum layer_delete_col {
    LAYER_DELETE_FOUND,
};

#endif
