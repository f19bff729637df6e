/* GET /api/v1/departments/{id}/staff: the colleagues a staff member can
 * assign an application to. Staff of the department see its staff (by id or
 * by code, the way applications name their department), by name, each as
 * {id, name} only (no e-mail when a name is known); a member demoted to
 * citizen is no longer listed; admins see any department; staff of another
 * department get the 404 of a department that does not exist; a key that is
 * neither an id nor a code is a 400 naming it. On a database of its own, so
 * the list is exactly this test's users. */
#include "h_accounts.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ADMIN, STAFF_B, STAFF_A, DEMOTED, OTHER, CITIZEN, NUSERS };

/* sign-ups, sign-ins and confirmations of six users in a row */
static const char *const RELAXED[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                                      "POLIS_RATE_RESET=100000", NULL};
static struct h_server srv;
static struct ha_user u[NUSERS];
static PGconn *db;

static void set_name(const struct ha_user *who, const char *name)
{
    const char *p[] = {who->email, name};
    free(h_pg_value(db, "UPDATE users SET display_name = $2 WHERE email = $1 RETURNING id", 2,
                    p));
}

/* The list at path as u: "id:name,id:name" (malloc'd), after checking the
 * answer is 200 and each item has exactly the members id and name. */
static char *listed(const struct ha_user *who, const char *path)
{
    struct h_resp r;
    ha_call(&srv, who, "GET", path, NULL, &r);
    CHECK(r.status == 200 && json_is_array(r.json), "GET %s: expected 200 [..], found %ld %.300s",
          path, r.status, r.body);
    char *out = calloc(1, 4096);
    size_t i;
    json_t *item;
    json_array_foreach(r.json, i, item)
    {
        CHECK(json_object_size(item) == 2, "item %zu has more than id and name: %.300s", i,
              r.body);
        size_t n = strlen(out);
        snprintf(out + n, 4096 - n, "%s%lld:%s", i ? "," : "",
                 (long long)json_integer_value(json_object_get(item, "id")),
                 json_string_value(json_object_get(item, "name")) ?: "(none)");
    }
    h_resp_free(&r);
    return out;
}

static void expect_status(const struct ha_user *who, const char *path, long status,
                          const char *what)
{
    long found = ha_status(&srv, who, "GET", path, NULL);
    CHECK(found == status, "%s: GET %s expected %ld, found %ld", what, path, status, found);
}

/* The users: signed up, then given their roles and names straight in SQL.
 * Returns -1 after recording a failure. */
static int make_users(void)
{
    static const char *const tags[NUSERS] = {"dstaff-admin", "dstaff-b",     "dstaff-a",
                                             "dstaff-demoted", "dstaff-other", "dstaff-cit"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&srv, db, tags[i], &u[i]))
            return -1;
    ha_set_role(db, &u[ADMIN], "admin", NULL);
    ha_set_role(db, &u[STAFF_A], "staff", "greenery");
    ha_set_role(db, &u[STAFF_B], "staff", "greenery,cleaning");
    ha_set_role(db, &u[DEMOTED], "staff", "greenery");
    ha_set_role(db, &u[OTHER], "staff", "tourism");
    set_name(&u[STAFF_A], "Άννα Δημητρίου");
    set_name(&u[STAFF_B], "Βασίλης Κωνσταντίνου");
    set_name(&u[DEMOTED], "Αλέξης Πρώην");
    /* demoted: still in user_departments, but a citizen now */
    const char *demoted[] = {u[DEMOTED].email};
    free(h_pg_value(db, "UPDATE users SET role = 'citizen' WHERE email = $1 RETURNING id", 1,
                    demoted));
    return 0;
}

/* The server stopped, then its database dropped (it holds connections). */
static void stop_and_drop(const char *url)
{
    kill(srv.pid, SIGTERM);
    h_server_wait_exit(&srv, 30);
    h_private_db_drop(url);
}

int main(void)
{
    h_init("test_department_staff", 240);
    const char *url = h_private_db("department_staff");
    db = h_pg_connect(url);
    if (h_server_start(&srv, url, RELAXED) != 0 || make_users() != 0)
        return h_finish();
    char *greenery = h_pg_value(db, "SELECT d.id FROM departments d JOIN boundaries b ON"
                                    " b.id = d.municipality_id WHERE b.level = 'municipality'"
                                    " AND b.code = '9054' AND d.code = 'greenery'", 0, NULL);
    if (!greenery)
        h_fatal("no greenery department in the demo data");

    char want[256], by_id[96];
    snprintf(want, sizeof want, "%ld:Άννα Δημητρίου,%ld:Βασίλης Κωνσταντίνου", u[STAFF_A].id,
             u[STAFF_B].id);
    snprintf(by_id, sizeof by_id, "/api/v1/departments/%s/staff", greenery);
    char *a = listed(&u[STAFF_A], "/api/v1/departments/greenery/staff");
    CHECK_STR("staff see their colleagues by name, the demoted one left out", a, want);
    char *b = listed(&u[STAFF_B], by_id);
    CHECK_STR("the same by the department's id", b, want);
    char *c = listed(&u[ADMIN], "/api/v1/departments/greenery/staff");
    CHECK_STR("an admin sees any department's staff", c, want);
    free(a);
    free(b);
    free(c);
    /* a member without a display name is named by the e-mail address */
    char tourism[200];
    snprintf(tourism, sizeof tourism, "%ld:%s", u[OTHER].id, u[OTHER].email);
    char *t = listed(&u[ADMIN], "/api/v1/departments/tourism/staff");
    CHECK_STR("a member without a name", t, tourism);
    free(t);

    expect_status(&u[OTHER], "/api/v1/departments/greenery/staff", 404,
                  "staff of another department (by code)");
    expect_status(&u[OTHER], by_id, 404, "staff of another department (by id)");
    expect_status(&u[STAFF_A], "/api/v1/departments/no_such_dept/staff", 404,
                  "a department that does not exist");
    expect_status(&u[STAFF_A], "/api/v1/departments/999999999/staff", 404,
                  "an id that does not exist");
    expect_status(&u[CITIZEN], "/api/v1/departments/greenery/staff", 403, "a citizen");
    expect_status(&u[DEMOTED], "/api/v1/departments/greenery/staff", 403,
                  "a member demoted to citizen");
    expect_status(NULL, "/api/v1/departments/greenery/staff", 401, "anonymous");

    struct h_resp r;
    ha_call(&srv, &u[STAFF_A], "GET", "/api/v1/departments/Green%20ery/staff", NULL, &r);
    CHECK_PROBLEM("a key that is neither an id nor a code", &r, 400, "id");
    h_resp_free(&r);
    ha_call(&srv, &u[STAFF_A], "GET", "/api/v1/departments/greenery/staff?active=false", NULL,
            &r);
    CHECK_PROBLEM("an unknown parameter", &r, 400, "active");
    h_resp_free(&r);

    free(greenery);
    PQfinish(db);
    stop_and_drop(url);
    return h_finish();
}
