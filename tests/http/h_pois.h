/* The world the points-of-interest tests share (test_pois.c, test_poi_search.c):
 * a server on the shared database with its own POLIS_VAR, four signed-in
 * users (a citizen, tourism staff, staff of another department, an admin),
 * and the calls the tests make on POIs. */
#ifndef POLIS_TEST_H_POIS_H
#define POLIS_TEST_H_POIS_H

#include "h_accounts.h"

enum { CITIZEN, TOURISM, OTHER_STAFF, ADMIN, NUSERS };

struct poi_world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
    const char *var; /* POLIS_VAR of the server: h_temp_dir */
    int run; /* this process, to make names unique */
};

/* Starts the server (POLIS_VAR a new temporary directory) and the users;
 * -1 after recording why. */
int hp_world_start(struct poi_world *w, struct h_server *s);
/* Closes the connection (h_finish stops the server, removes the directory). */
void hp_world_end(struct poi_world *w);

/* A POI body: name, category, geometry JSON, and extra members (with a
 * leading comma) or "". In a static buffer. */
char *hp_poi_body(const char *name, const char *category, const char *geometry,
                  const char *extra);
/* A GeoJSON point, in a static buffer. */
const char *hp_point(double lat, double lon);
/* POST /api/v1/pois as who; the new id, or 0 after recording a failure. */
long hp_create(struct poi_world *w, int who, const char *body);
/* POST /api/v1/pois/{id}/{action} as who (-1: anonymous); the status. */
long hp_act(struct poi_world *w, int who, long id, const char *action);
/* GET /api/v1/pois/{id} as who (-1: anonymous); the status. */
long hp_status(struct poi_world *w, int who, long id);
/* Whether a list answer (GET path as who) holds POI id. */
int hp_listed(struct poi_world *w, int who, const char *path, long id);
/* The audit rows of action on POI id. */
long hp_audit_rows(struct poi_world *w, long id, const char *action);

#endif
