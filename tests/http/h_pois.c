/* The POI tests' shared world and calls (h_pois.h). */
#include "h_pois.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int hp_world_start(struct poi_world *w, struct h_server *s)
{
    w->run = (int)getpid();
    w->db = h_pg_connect(h_shared_dburl());
    w->var = h_temp_dir("pois");
    char var_env[100];
    snprintf(var_env, sizeof var_env, "POLIS_VAR=%s", w->var);
    const char *env[] = {var_env, NULL};
    static const struct ha_member members[NUSERS] = {
        {"poi-cit", NULL, NULL},
        {"poi-tour", "staff", "tourism"},
        {"poi-other", "staff", "cleaning"},
        {"poi-adm", "admin", NULL}};
    w->s = s;
    return ha_world_start(s, w->db, env, members, NUSERS, w->u);
}

void hp_world_end(struct poi_world *w)
{
    PQfinish(w->db);
}

/* A POI body: name, category, geometry JSON, and extra members (with a
 * leading comma) or "". */
char *hp_poi_body(const char *name, const char *category, const char *geometry,
                      const char *extra)
{
    static char body[2048];
    snprintf(body, sizeof body,
             "{\"category\":\"%s\",\"name_el\":\"%s\",\"geometry\":%s%s}", category, name,
             geometry, extra);
    return body;
}

const char *hp_point(double lat, double lon)
{
    static char g[128];
    snprintf(g, sizeof g, "{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]}", lon, lat);
    return g;
}

/* POST /api/v1/pois as u; the new id, or 0 after recording a failure. */
long hp_create(struct poi_world *w, int who, const char *body)
{
    struct h_resp r;
    ha_call(w->s, &w->u[who], "POST", "/api/v1/pois", body, &r);
    CHECK(r.status == 201, "create a POI: expected 201, found %ld %.300s", r.status, r.body);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    CHECK_STR("a new POI's status",
              json_string_value(json_object_get(json_object_get(r.json, "properties"), "status")),
              "draft");
    h_resp_free(&r);
    return id;
}

long hp_act(struct poi_world *w, int who, long id, const char *action)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/pois/%ld/%s", id, action);
    return ha_status(w->s, who < 0 ? NULL : &w->u[who], "POST", path, NULL);
}

long hp_status(struct poi_world *w, int who, long id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/pois/%ld", id);
    return ha_status(w->s, who < 0 ? NULL : &w->u[who], "GET", path, NULL);
}

long hp_audit_rows(struct poi_world *w, long id, const char *action)
{
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", id);
    const char *p[] = {ids, action};
    char *v = h_pg_value(w->db, "SELECT count(*) FROM audit_log WHERE entity = 'poi'"
                                " AND entity_id = $1 AND action = $2", 2, p);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

int hp_listed(struct poi_world *w, int who, const char *path, long id)
{
    return ha_list_has(w->s, who < 0 ? NULL : &w->u[who], path, id);
}
