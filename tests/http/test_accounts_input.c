/* Bad input on every accounts endpoint: malformed JSON, wrong types,
 * overlong fields, invalid emails, unknown fields, unknown scopes, bad ids
 * and paging parameters. Each answer is a 400/422 problem+json naming the
 * field, and nothing changes in the accounts tables (row counts). */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bad {
    const char *method, *path, *body;
    long status;
    const char *field; /* NULL: no field to name (malformed JSON) */
};

/* What a bad request could wrongly store, as rows of this test's own: $1
 * is the admin's id, the addresses are those the requests name; user 1 and
 * 999999999 are the ids they name. Other tests write to the same tables. */
#define NAMED_USERS                                                                        \
    "(user_id IN ($1::bigint, 1, 999999999) OR user_id IN (SELECT id FROM users WHERE "    \
    "email = ANY ('{a@test.polis.example,ok@test.polis.example,x@y.zz,nope,not-an-email}')))"
static const struct {
    const char *table, *where;
} touched[] = {
    {"users", "email = ANY ('{a@test.polis.example,ok@test.polis.example,x@y.zz,nope,"
              "not-an-email}') AND $1::bigint IS NOT NULL"},
    {"user_departments", NAMED_USERS},
    {"sessions", NAMED_USERS},
    {"api_keys", NAMED_USERS},
    {"user_tokens", NAMED_USERS},
    {"outbox", NAMED_USERS},
    {"audit_log", "actor_user_id = $1::bigint"},
};
#define NTABLES (sizeof touched / sizeof touched[0])

int main(void)
{
    h_init("test_accounts_input", 240);
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_REGISTER=1000", "POLIS_RATE_LOGIN=1000",
                         "POLIS_RATE_RESET=1000", NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    struct ha_user admin;
    if (ha_new_user(&s, db, "input-admin", &admin))
        return h_finish();
    ha_set_role(db, &admin, "admin", NULL);

    char long_name[400], long_pw[400];
    memset(long_name, 'n', 300);
    long_name[300] = '\0';
    memset(long_pw, 'p', 300);
    long_pw[300] = '\0';
    char b_long_name[600], b_long_pw[600], b_long_display[700];
    snprintf(b_long_name, sizeof b_long_name, "{\"name\":\"%s\",\"scopes\":[\"read\"]}",
             long_name);
    snprintf(b_long_pw, sizeof b_long_pw,
             "{\"current_password\":\"x\",\"new_password\":\"%s\"}", long_pw);
    snprintf(b_long_display, sizeof b_long_display,
             "{\"email\":\"ok@test.polis.example\",\"role\":\"citizen\",\"display_name\":\"%s\"}",
             long_name);

    const struct bad cases[] = {
        /* POST /api/v1/auth/password */
        {"POST", "/api/v1/auth/password", "{\"current_password\":", 400, NULL},
        {"POST", "/api/v1/auth/password", "[1,2]", 400, NULL},
        {"POST", "/api/v1/auth/password", "{\"current_password\":5,\"new_password\":\"a fine "
         "new passphrase\"}", 422, "current_password"},
        {"POST", "/api/v1/auth/password", b_long_pw, 422, "new_password"},
        {"POST", "/api/v1/auth/password", "{\"current_password\":\"x\",\"new_password\":"
         "\"password123\"}", 422, "new_password"},
        {"POST", "/api/v1/auth/password", "{\"current_password\":\"x\",\"new_password\":"
         "\"a fine new passphrase\",\"admin\":true}", 422, "admin"},
        {"POST", "/api/v1/auth/password", "{}", 422, "new_password"},
        /* POST /api/v1/auth/reset-request */
        {"POST", "/api/v1/auth/reset-request", "{\"email\":", 400, NULL},
        {"POST", "/api/v1/auth/reset-request", "{\"email\":\"not-an-email\"}", 422, "email"},
        {"POST", "/api/v1/auth/reset-request", "{\"email\":42}", 422, "email"},
        {"POST", "/api/v1/auth/reset-request",
         "{\"email\":\"a@test.polis.example\",\"role\":\"admin\"}", 422, "role"},
        /* POST /api/v1/auth/reset */
        {"POST", "/api/v1/auth/reset", "nonsense", 400, NULL},
        {"POST", "/api/v1/auth/reset", "{\"token\":\"short\",\"new_password\":\"a fine new "
         "passphrase\"}", 422, "token"},
        {"POST", "/api/v1/auth/reset", "{\"token\":[\"x\"],\"new_password\":\"a fine new "
         "passphrase\"}", 422, "token"},
        {"POST", "/api/v1/auth/reset", "{\"token\":\"a-token-of-plausible-length\","
         "\"new_password\":\"short\"}", 422, "new_password"},
        {"POST", "/api/v1/auth/reset", "{\"token\":\"a-token-of-plausible-length\","
         "\"new_password\":\"a fine new passphrase\",\"email\":\"x@y.zz\"}", 422, "email"},
        /* POST /api/v1/me/keys */
        {"POST", "/api/v1/me/keys", "{\"name\":\"k\",", 400, NULL},
        {"POST", "/api/v1/me/keys", "{\"name\":\"\",\"scopes\":[\"read\"]}", 422, "name"},
        {"POST", "/api/v1/me/keys", b_long_name, 422, "name"},
        {"POST", "/api/v1/me/keys", "{\"name\":7,\"scopes\":[\"read\"]}", 422, "name"},
        {"POST", "/api/v1/me/keys", "{\"name\":\"k\",\"scopes\":\"read\"}", 422, "scopes"},
        {"POST", "/api/v1/me/keys", "{\"name\":\"k\",\"scopes\":[\"root\"]}", 422, "scopes"},
        {"POST", "/api/v1/me/keys", "{\"name\":\"k\",\"scopes\":[]}", 422, "scopes"},
        {"POST", "/api/v1/me/keys", "{\"name\":\"k\",\"scopes\":[\"read\",\"read\"]}", 422,
         "scopes"},
        {"POST", "/api/v1/me/keys", "{\"name\":\"k\",\"scopes\":[1]}", 422, "scopes"},
        {"POST", "/api/v1/me/keys", "{\"name\":\"k\",\"scopes\":[\"read\"],\"user_id\":1}", 422,
         "user_id"},
        /* DELETE /api/v1/me/keys/{id} */
        {"DELETE", "/api/v1/me/keys/abc", NULL, 400, "id"},
        {"DELETE", "/api/v1/me/keys/-3", NULL, 400, "id"},
        /* POST /api/v1/admin/users */
        {"POST", "/api/v1/admin/users", "{\"email\"", 400, NULL},
        {"POST", "/api/v1/admin/users", "{\"email\":\"nope\",\"role\":\"citizen\"}", 422,
         "email"},
        {"POST", "/api/v1/admin/users", "{\"email\":\"ok@test.polis.example\",\"role\":\"king\"}",
         422, "role"},
        {"POST", "/api/v1/admin/users", "{\"email\":\"ok@test.polis.example\",\"role\":\"staff\","
         "\"departments\":\"cleaning\"}", 422, "departments"},
        {"POST", "/api/v1/admin/users", "{\"email\":\"ok@test.polis.example\",\"role\":\"staff\"}",
         422, "departments"},
        {"POST", "/api/v1/admin/users", "{\"email\":\"ok@test.polis.example\",\"role\":\"staff\","
         "\"departments\":[\"nosuchdept\"]}", 422, "departments"},
        {"POST", "/api/v1/admin/users", "{\"email\":\"ok@test.polis.example\",\"role\":"
         "\"citizen\",\"departments\":[\"cleaning\"]}", 422, "departments"},
        {"POST", "/api/v1/admin/users", b_long_display, 422, "display_name"},
        {"POST", "/api/v1/admin/users", "{\"email\":\"ok@test.polis.example\",\"role\":"
         "\"citizen\",\"password\":\"chosen by admin\"}", 422, "password"},
        /* POST /api/v1/admin/users/{id}/keys */
        {"POST", "/api/v1/admin/users/x/keys", "{\"name\":\"k\",\"scopes\":[\"read\"]}", 400,
         "id"},
        {"POST", "/api/v1/admin/users/1/keys", "{\"name\":\"k\",\"scopes\":[\"god\"]}", 422,
         "scopes"},
        {"POST", "/api/v1/admin/users/999999999/keys", "{\"name\":\"k\",\"scopes\":[\"read\"]}",
         404, NULL},
        /* paging */
        {"GET", "/api/v1/admin/audit?limit=0", NULL, 400, "limit"},
        {"GET", "/api/v1/admin/audit?limit=abc", NULL, 400, "limit"},
        {"GET", "/api/v1/admin/audit?after=-1", NULL, 400, "after"},
        {"GET", "/api/v1/admin/audit?actor=1", NULL, 400, "actor"},
        {"GET", "/api/v1/admin/users?limit=100000", NULL, 400, "limit"},
    };

    char admin_id[24];
    snprintf(admin_id, sizeof admin_id, "%ld", admin.id);
    long before[NTABLES];
    for (size_t t = 0; t < NTABLES; t++)
        before[t] = ha_count_where(db, touched[t].table, touched[t].where, admin_id);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bad *c = &cases[i];
        struct h_resp r;
        ha_call(&s, &admin, c->method, c->path, c->body, &r);
        char what[700];
        snprintf(what, sizeof what, "%s %s %.120s", c->method, c->path, c->body ? c->body : "");
        CHECK_PROBLEM(what, &r, c->status, c->field);
        h_resp_free(&r);
    }
    for (size_t t = 0; t < NTABLES; t++) {
        long after = ha_count_where(db, touched[t].table, touched[t].where, admin_id);
        CHECK(after == before[t], "after the bad requests: expected %ld rows in %s (%s), found %ld",
              before[t], touched[t].table, touched[t].where, after);
    }
    PQfinish(db);
    return h_finish();
}
