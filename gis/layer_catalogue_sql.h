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
 * clears it), $7 keywords (a JSON array of strings), $8 visibility, the
 * tile settings (sql/053_layer_tile_settings.sql): $9 minzoom, $10 maxzoom,
 * $11 the attribute whitelist (a JSON array of names, or JSON null for all
 * attributes), $12 simplify_px, $13 min_size_px, $14 feature_limit ('' for
 * the default), then $15 department_id ('' for none), then the actor. No
 * row when there is no such layer; else one: the layer, or NULL when a
 * check against the stored row failed (nothing changed) and the other
 * columns say which. */
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
    LAYER_UPDATE_P_MINZOOM,
    LAYER_UPDATE_P_MAXZOOM,
    LAYER_UPDATE_P_TILE_ATTRIBUTES,
    LAYER_UPDATE_P_SIMPLIFY_PX,
    LAYER_UPDATE_P_MIN_SIZE_PX,
    LAYER_UPDATE_P_FEATURE_LIMIT,
    LAYER_UPDATE_P_DEPARTMENT,
    LAYER_UPDATE_P_ACTOR,
    LAYER_UPDATE_NPARAMS = LAYER_UPDATE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum layer_update_col {
    LAYER_UPDATE_JSON,               /* the layer as changed; NULL: refused */
    LAYER_UPDATE_MINZOOM,            /* the zooms the layer would have */
    LAYER_UPDATE_MAXZOOM,
    LAYER_UPDATE_UNKNOWN_ATTRIBUTES, /* whitelisted names the layer has no attribute of, or NULL */
    LAYER_UPDATE_UNKNOWN_DEPARTMENT, /* 't' when department_id names no department */
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
