/* SQL on points of interest (sql/015_pois.sql): the public lists (plain,
 * ranked search, nearest first), one POI, the tourism office's writes (each
 * with its audit_log row in the same statement), photos and categories.
 *
 * EDITOR is two parameters: admin (boolean) and the departments the caller
 * is staff of (a bigint[] literal), as identity_viewer_args gives them. An
 * editor is an admin or staff of the department with code 'tourism'; only
 * editors see drafts and archived POIs and may write. ACTOR is the four
 * parameters of api/actor.h. A POI as JSON is a GeoJSON Feature whose
 * properties hold every public column (and "distance_m" for near=). */
#ifndef POLIS_POIS_SQL_H
#define POLIS_POIS_SQL_H

#include "common/audit_actor.h"
#include "gis/photos_sql.h"

#define POI_PHOTOS_MAX 10
/* near= pages through this many nearest POIs at most (offset + limit) */
#define POI_NEAR_MAX 1000

/* The three list queries answer one row (poi_list_col). Common parameters:
 * status 'published'|'draft'|'archived' or NULL for all (anything but
 * 'published' only for editors), categories text[]|NULL,
 * bbox minlon, minlat, maxlon, maxlat (float8|NULL), lang 'el'|'en'. */

/* By id. $1 status, $2 categories, $3..$6 bbox, $7 lang, $8 offset,
 * $9 limit, $10..$11 EDITOR. */
extern const char POI_LIST_SQL[];
enum poi_list_param {
    POI_LIST_P_STATUS,
    POI_LIST_P_CATEGORIES,
    POI_LIST_P_BBOX, /* 4 slots: minlon, minlat, maxlon, maxlat */
    POI_LIST_P_LANG = POI_LIST_P_BBOX + 4,
    POI_LIST_P_OFFSET,
    POI_LIST_P_LIMIT,
    POI_LIST_P_EDITOR, /* 2 slots, as poi_editor_args fills them */
    POI_LIST_NPARAMS = POI_LIST_P_EDITOR + 2
};
enum poi_list_col {
    POI_LIST_FEATURES,           /* json array */
    POI_LIST_MORE,               /* boolean: more rows after this page */
    POI_LIST_EDITOR,             /* boolean: the caller is an editor */
    POI_LIST_UNKNOWN_CATEGORIES, /* the codes of $categories that are no category "a,b"|NULL */
};

/* q= search, ranked: whole-word matches of the folded query first, then
 * word-prefix, then substring, then trigram word similarity; ties by
 * the shorter key (the closer name), then id. $1 q (raw; folded by polis_search_norm), $2 status,
 * $3 categories, $4..$7 bbox, $8 lang, $9 offset, $10 limit,
 * $11..$12 EDITOR. */
extern const char POI_SEARCH_SQL[];
enum poi_search_param {
    POI_SEARCH_P_Q,
    POI_SEARCH_P_STATUS,
    POI_SEARCH_P_CATEGORIES,
    POI_SEARCH_P_BBOX, /* 4 slots */
    POI_SEARCH_P_LANG = POI_SEARCH_P_BBOX + 4,
    POI_SEARCH_P_OFFSET,
    POI_SEARCH_P_LIMIT,
    POI_SEARCH_P_EDITOR, /* 2 slots */
    POI_SEARCH_NPARAMS = POI_SEARCH_P_EDITOR + 2
};

/* near=: nearest first (distance on the sphere, through the KNN index on
 * geom::geography), "distance_m" in each feature, among the POI_NEAR_MAX
 * nearest. POI_NEAR_SQL without q ($1 NULL), POI_NEAR_Q_SQL with q=
 * (matched as in POI_SEARCH_SQL). $1 q|NULL, $2 status, $3 categories,
 * $4..$7 bbox, $8 lat, $9 lon, $10 lang, $11 offset, $12 limit,
 * $13..$14 EDITOR. */
extern const char POI_NEAR_SQL[];
extern const char POI_NEAR_Q_SQL[];
enum poi_near_param {
    POI_NEAR_P_Q,
    POI_NEAR_P_STATUS,
    POI_NEAR_P_CATEGORIES,
    POI_NEAR_P_BBOX, /* 4 slots */
    POI_NEAR_P_LAT = POI_NEAR_P_BBOX + 4,
    POI_NEAR_P_LON,
    POI_NEAR_P_LANG,
    POI_NEAR_P_OFFSET,
    POI_NEAR_P_LIMIT,
    POI_NEAR_P_EDITOR, /* 2 slots */
    POI_NEAR_NPARAMS = POI_NEAR_P_EDITOR + 2
};

/* The parameters of the statements on one POI (POI_GET_SQL, POI_UPDATE_SQL,
 * POI_TRANSITION_SQL): $1 id, $2 what the statement takes (see each),
 * $3..$4 EDITOR and, for the writes, $5..$8 ACTOR. */
enum poi_one_param {
    POI_ONE_P_ID,
    POI_ONE_P_VALUE,
    POI_ONE_P_EDITOR, /* 2 slots */
    POI_ONE_READ_NPARAMS = POI_ONE_P_EDITOR + 2,
    POI_ONE_P_ACTOR = POI_ONE_READ_NPARAMS, /* writes: 4 slots */
    POI_ONE_WRITE_NPARAMS = POI_ONE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};

/* enum poi_one_param, $2 lang. One row when the POI is published or the
 * caller an editor; none otherwise. */
extern const char POI_GET_SQL[];
enum poi_get_col {
    POI_GET_FEATURE, /* feature json */
};

/* One page of the export of published POIs, by id. $1 lang, $2 the last id
 * sent (0 at first), $3 page size. One row. */
extern const char POI_EXPORT_PAGE_SQL[];
enum poi_export_page_col {
    POI_EXPORT_PAGE_FEATURES, /* JSON texts joined by commas|NULL when none are left */
    POI_EXPORT_PAGE_LAST_ID,
    POI_EXPORT_PAGE_COUNT,    /* how many */
    POI_EXPORT_PAGE_VERSION,  /* of layer 'pois' */
};

/* Create and update answer one row. */
enum poi_write_col {
    POI_WRITE_EDITOR,           /* boolean: the caller is an editor */
    POI_WRITE_FOUND,            /* boolean */
    POI_WRITE_CATEGORY_KNOWN,   /* boolean */
    POI_WRITE_GEOMETRY_VALID,   /* boolean */
    POI_WRITE_GEOMETRY_PROBLEM, /* why the geometry is invalid|NULL */
    POI_WRITE_POI,              /* the POI json after the change|NULL when nothing was written */
};

/* $1 the POI as a JSON object of checked members (geometry as GeoJSON),
 * $2..$3 EDITOR, $4..$7 ACTOR. A draft, created_by the actor. found is
 * always true. */
extern const char POI_CREATE_SQL[];
enum poi_create_param {
    POI_CREATE_P_POI,
    POI_CREATE_P_EDITOR, /* 2 slots */
    POI_CREATE_P_ACTOR = POI_CREATE_P_EDITOR + 2, /* 4 slots, as actor_args fills them */
    POI_CREATE_NPARAMS = POI_CREATE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};

/* enum poi_one_param, $2 the members to change (a member with null clears
 * an optional column). */
extern const char POI_UPDATE_SQL[];

/* enum poi_one_param, $2 target status 'published'|'archived'|'draft'.
 * Publishing sets published_by (the actor) and published_at;
 * archiving sets archived_at. Already in that status: no write, no audit
 * row, the POI json as it is. One row. */
extern const char POI_TRANSITION_SQL[];
enum poi_transition_col {
    POI_TRANSITION_EDITOR, /* boolean */
    POI_TRANSITION_FOUND,  /* boolean */
    POI_TRANSITION_POI,    /* POI json|NULL */
};

/* Photos, in the shapes of gis/photos_sql.h. */

/* $1 poi id, $2..$3 EDITOR. One row: enum photo_check_col, then these. */
extern const char POI_PHOTO_CHECK_SQL[];
enum poi_photo_check_param {
    POI_PHOTO_CHECK_P_POI_ID = PHOTO_P_OWNER_ID,
    POI_PHOTO_CHECK_P_EDITOR, /* the two EDITOR parameters from here */
    POI_PHOTO_CHECK_NPARAMS = POI_PHOTO_CHECK_P_EDITOR + 2
};
enum poi_photo_check_col {
    POI_PHOTO_CHECK_EDITOR = PHOTO_CHECK_OWNER_COLUMNS, /* boolean: the caller may edit POIs */
    POI_PHOTO_CHECK_FOUND,                              /* boolean: the POI exists */
};

/* enum photo_insert_param, then $8..$11 ACTOR. A trigger counts the photos
 * under a lock on the POI, so concurrent uploads cannot exceed
 * POI_PHOTOS_MAX. Audited as poi.photo_add. */
extern const char POI_PHOTO_INSERT_SQL[];
enum poi_photo_insert_param {
    POI_PHOTO_INSERT_P_ACTOR = PHOTO_INSERT_P_REST, /* the four ACTOR parameters */
    POI_PHOTO_INSERT_NPARAMS = POI_PHOTO_INSERT_P_ACTOR + AUDIT_ACTOR_NPARAMS
};

/* The parameters of POI_PHOTO_GET_SQL and POI_PHOTO_DELETE_SQL: enum
 * photo_get_param, then $3..$4 EDITOR; DELETE then has $5..$8 ACTOR. */
enum poi_photo_param {
    POI_PHOTO_P_EDITOR = PHOTO_GET_P_REST, /* the two EDITOR parameters from here */
    POI_PHOTO_GET_NPARAMS = POI_PHOTO_P_EDITOR + 2,
    POI_PHOTO_P_ACTOR = POI_PHOTO_GET_NPARAMS, /* DELETE: the four ACTOR parameters */
    POI_PHOTO_DELETE_NPARAMS = POI_PHOTO_P_ACTOR + AUDIT_ACTOR_NPARAMS
};

/* Zero rows unless the POI is published or the caller an editor and has
 * that photo; else one row, enum photo_get_col (public: the POI is
 * published). */
extern const char POI_PHOTO_GET_SQL[];

/* Parameters: enum poi_photo_param. One row. Audited. */
extern const char POI_PHOTO_DELETE_SQL[];
enum poi_photo_delete_col {
    POI_PHOTO_DELETE_EDITOR,    /* boolean: the caller may edit POIs */
    POI_PHOTO_DELETE_FILE_NAME, /* the deleted photo's file|NULL when there was none */
};

/* $1 include inactive ones (boolean). One row. */
extern const char POI_CATEGORY_LIST_SQL[];
enum poi_category_list_col {
    POI_CATEGORY_LIST_JSON, /* {"categories": [...]}, by sort_order */
};

/* $1 code, $2 name_el, $3 name_en, $4 icon|NULL, $5 sort_order|NULL,
 * $6 active|NULL, $7..$10 ACTOR. One row: the category json, NULL when
 * the code is taken. */
extern const char POI_CATEGORY_CREATE_SQL[];

/* $1 code, $2 name_el, $3 name_en, $4 icon, $5 sort_order, $6 active (each
 * NULL: unchanged), $7..$10 ACTOR. One row: the category json after
 * the change, NULL when there is no such category. */
extern const char POI_CATEGORY_UPDATE_SQL[];

/* The parameters of POI_CATEGORY_CREATE_SQL and POI_CATEGORY_UPDATE_SQL,
 * and their one column. */
enum poi_category_write_param {
    POI_CATEGORY_P_CODE,
    POI_CATEGORY_P_NAME_EL,
    POI_CATEGORY_P_NAME_EN,
    POI_CATEGORY_P_ICON,
    POI_CATEGORY_P_SORT_ORDER,
    POI_CATEGORY_P_ACTIVE,
    POI_CATEGORY_P_ACTOR, /* 4 slots */
    POI_CATEGORY_NPARAMS = POI_CATEGORY_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum poi_category_write_col {
    POI_CATEGORY_WRITE_JSON, /* the category json|NULL (see each statement) */
};

#endif
