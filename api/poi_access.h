/* Pieces every POI route shares (api/pois.c, api/poi_photos.c):
 * the id in the path, the EDITOR parameters of gis/pois_sql.h, and the one
 * 403 and 404 answers. A draft or archived POI is 404 to anyone who is not
 * an editor (staff of the department 'tourism', or an admin), like one that
 * does not exist, so ids do not leak. */
#ifndef POLIS_POI_ACCESS_H
#define POLIS_POI_ACCESS_H

#include "http/exchange.h"

/* out[0] admin ("true"/"false"), out[1] the caller's departments (a
 * bigint[] literal): the EDITOR parameters. */
void poi_editor_args(struct exchange *ex, const char *out[2]);

/* 403: only the tourism office and admins may do this. */
void poi_forbidden(struct exchange *ex);

/* The POI id of the path as text, or NULL after answering 400 (with the
 * other errors ex->query holds). */
const char *poi_id_of_path(struct exchange *ex);

/* The detail of a 404 about a POI: printf, its id as text. */
#define POI_MISSING "there is no point of interest %s (or it is not published)"

/* 404 naming the POI id of path parameter 0. */
void poi_not_found(struct exchange *ex);

/* 1 when s is a category code: 2 to 40 of a-z, 0-9 and _, starting with a
 * letter (sql/015_pois.sql checks the same). */
int poi_code_ok(const char *s);

/* The languages of lang= ("el", "en"), NULL-terminated for params_choice. */
extern const char *const poi_langs[];

#endif
