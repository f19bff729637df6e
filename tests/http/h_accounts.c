#include "h_accounts.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ha_unique_email(char *out, size_t outlen, const char *tag)
{
    static int n;
    snprintf(out, outlen, "%s-%d-%lld-%d@test.polis.example", tag, (int)getpid(),
             h_now_ms() % 100000000, ++n);
}

char *ha_outbox_token(PGconn *db, const char *email, const char *subject_part)
{
    const char *p[] = {email, subject_part};
    /* the text as the sender mails it: the token stored apart goes back in */
    char *body = h_pg_value(db, "SELECT outbox_rendered_body(o) FROM outbox o"
                                " WHERE recipient = $1 AND strpos(subject, $2) > 0"
                                " ORDER BY id DESC LIMIT 1",
                            2, p);
    if (!body)
        return NULL;
    char *t = strstr(body, "?token=");
    char *token = NULL;
    if (t) {
        t += 7;
        size_t n = strcspn(t, " \r\n\t");
        token = strndup(t, n);
    }
    free(body);
    return token;
}

char *ha_session_cookie(const struct h_resp *r, char *name, size_t namelen)
{
    static const char *const names[] = {"__Host-polis_session", "polis_session"};
    for (int i = 0; i < 2; i++) {
        char *v = ha_set_cookie(r, names[i]);
        if (v) {
            snprintf(name, namelen, "%s", names[i]);
            return v;
        }
    }
    return NULL;
}

char *ha_set_cookie(const struct h_resp *r, const char *name)
{
    char *v = h_resp_header(r, "set-cookie");
    if (!v)
        return NULL;
    size_t nlen = strlen(name);
    char *out = NULL;
    if (!strncmp(v, name, nlen) && v[nlen] == '=')
        out = strndup(v + nlen + 1, strcspn(v + nlen + 1, ";"));
    free(v);
    return out;
}

long ha_login(const struct h_server *s, struct ha_user *u)
{
    char body[512];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", u->email, u->password);
    struct h_resp r;
    h_post(s, "/api/v1/auth/login", "application/json", body, &r);
    long status = r.status;
    if (status == 200) {
        char *c = ha_session_cookie(&r, u->cookie_name, sizeof u->cookie_name);
        snprintf(u->cookie, sizeof u->cookie, "%s", c ? c : "");
        free(c);
        snprintf(u->csrf, sizeof u->csrf, "%s",
                 json_string_value(json_object_get(r.json, "csrf_token")) ?: "");
        u->id = (long)json_integer_value(
            json_object_get(json_object_get(r.json, "user"), "id"));
    }
    h_resp_free(&r);
    return status;
}

int ha_new_user(const struct h_server *s, PGconn *db, const char *tag, struct ha_user *u)
{
    memset(u, 0, sizeof *u);
    ha_unique_email(u->email, sizeof u->email, tag);
    snprintf(u->password, sizeof u->password, "Pw-%s-%d-correct horse", tag, (int)getpid());
    char body[512];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", u->email, u->password);
    struct h_resp r;
    h_post(s, "/api/v1/auth/register", "application/json", body, &r);
    CHECK(r.status == 202, "register %s: expected 202, found %ld %.300s", u->email, r.status,
          r.body);
    h_resp_free(&r);
    char *token = ha_outbox_token(db, u->email, "Confirm");
    CHECK(token != NULL, "register %s: expected a confirmation message in the outbox", u->email);
    if (!token)
        return -1;
    snprintf(body, sizeof body, "{\"token\":\"%s\"}", token);
    free(token);
    h_post(s, "/api/v1/auth/confirm", "application/json", body, &r);
    CHECK(r.status == 200, "confirm %s: expected 200, found %ld %.300s", u->email, r.status,
          r.body);
    h_resp_free(&r);
    long st = ha_login(s, u);
    CHECK(st == 200 && u->cookie[0] && u->csrf[0],
          "login %s: expected 200 with a cookie and a CSRF token, found %ld", u->email, st);
    return st == 200 ? 0 : -1;
}

int ha_world_start(struct h_server *s, PGconn *db, const char *const *extra_env,
                   const struct ha_member *members, size_t n, struct ha_user *users)
{
    static const char *const relaxed[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                                          "POLIS_RATE_RESET=100000",
                                          "POLIS_RATE_ANON_WRITE=100000"};
    size_t n_relaxed = sizeof relaxed / sizeof *relaxed, n_extra = 0;
    while (extra_env && extra_env[n_extra])
        n_extra++;
    const char **env = calloc(n_relaxed + n_extra + 1, sizeof *env);
    if (!env)
        h_fatal("out of memory");
    memcpy(env, relaxed, sizeof relaxed);
    for (size_t i = 0; i < n_extra; i++)
        env[n_relaxed + i] = extra_env[i];
    int rc = h_server_start(s, h_shared_dburl(), env);
    free(env);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = ha_new_user(s, db, members[i].tag, &users[i]);
        if (rc == 0 && members[i].role)
            ha_set_role(db, &users[i], members[i].role, members[i].departments);
    }
    return rc;
}

void ha_set_role(PGconn *db, const struct ha_user *u, const char *role, const char *codes)
{
    const char *p[] = {u->email, role, codes ? codes : ""};
    free(h_pg_value(db,
                    "WITH u AS (UPDATE users SET role = $2 WHERE email = $1 RETURNING id),"
                    " gone AS (DELETE FROM user_departments WHERE user_id IN (SELECT id FROM u)),"
                    " ins AS (INSERT INTO user_departments (user_id, department_id)"
                    "   SELECT u.id, d.id FROM u, departments d"
                    "   JOIN boundaries b ON b.id = d.municipality_id AND b.code = '9054'"
                    "   WHERE d.code = ANY (string_to_array(nullif($3, ''), ',')) RETURNING 1)"
                    " SELECT count(*) FROM ins",
                    3, p));
}

static int call(const struct h_server *s, const struct ha_user *u, int with_csrf,
                const char *method, const char *path, const char *body, struct h_resp *r)
{
    char cookie[200], csrf[200];
    const char *headers[3] = {NULL, NULL, NULL};
    int n = 0;
    if (u && u->cookie[0]) {
        snprintf(cookie, sizeof cookie, "Cookie: %s=%s", ha_cookie_name(u), u->cookie);
        headers[n++] = cookie;
        if (with_csrf && u->csrf[0]) {
            snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", u->csrf);
            headers[n++] = csrf;
        }
    }
    return h_request(s, method, path, headers, body, r);
}

int ha_call(const struct h_server *s, const struct ha_user *u, const char *method,
            const char *path, const char *body, struct h_resp *r)
{
    return call(s, u, 1, method, path, body, r);
}

long ha_status(const struct h_server *s, const struct ha_user *u, const char *method,
               const char *path, const char *body)
{
    struct h_resp r;
    ha_call(s, u, method, path, body, &r);
    long st = r.status;
    h_resp_free(&r);
    return st;
}

json_t *ha_list_item(const struct h_server *s, const struct ha_user *u, const char *path,
                     const char *array, const char *key, json_t *value)
{
    struct h_resp r;
    ha_call(s, u, "GET", path, NULL, &r);
    CHECK(r.status == 200, "GET %s: expected 200, found %ld %.200s", path, r.status, r.body);
    json_t *found = NULL;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r.json, array), i, item)
        if (!found && json_equal(json_object_get(item, key), value))
            found = json_incref(item);
    json_decref(value);
    h_resp_free(&r);
    return found;
}

int ha_list_has(const struct h_server *s, const struct ha_user *u, const char *path, long id)
{
    json_t *f = ha_list_item(s, u, path, "features", "id", json_integer(id));
    int found = f != NULL;
    json_decref(f);
    return found;
}

long ha_make_service(const struct h_server *s, PGconn *db, const char *tag, const char *body)
{
    struct ha_user admin;
    ha_new_user(s, db, tag, &admin);
    ha_set_role(db, &admin, "admin", NULL);
    struct h_resp r;
    ha_call(s, &admin, "POST", "/api/v1/services", body, &r);
    CHECK_INT("the admin makes a service", r.status, 201);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    return id;
}

long ha_apply(const struct h_server *s, const struct ha_user *u, long service)
{
    char body[128], path[96];
    struct h_resp r;
    snprintf(body, sizeof body, "{\"service\":%ld,\"answers\":{}}", service);
    ha_call(s, u, "POST", "/api/v1/applications", body, &r);
    CHECK_INT("a draft", r.status, 201);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/applications/%ld/submit", id);
    CHECK_INT("its submission", ha_status(s, u, "POST", path, NULL), 200);
    return id;
}

const char *ha_application_status(const struct h_server *s, const struct ha_user *u, long id)
{
    static char status[32];
    char path[96];
    struct h_resp r;
    snprintf(path, sizeof path, "/api/v1/applications/%ld", id);
    ha_call(s, u, "GET", path, NULL, &r);
    snprintf(status, sizeof status, "%s",
             json_string_value(json_object_get(r.json, "status")) ?: "?");
    h_resp_free(&r);
    return status;
}

void ha_post_form(const struct h_server *s, const struct ha_user *u, const char *path,
                  const struct h_part *parts, int nparts, struct h_resp *r)
{
    char cookie[200], csrf[200];
    snprintf(cookie, sizeof cookie, "Cookie: %s=%s", ha_cookie_name(u), u->cookie);
    snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", u->csrf);
    const char *headers[] = {"Expect:", cookie, csrf, NULL};
    const struct h_req q = {.method = "POST", .path = path, .headers = headers, .parts = parts,
                            .nparts = nparts};
    h_send(s, &q, r);
}

void ha_check_verified(const struct h_server *s, const char *code, const char *sha256,
                       const char *number)
{
    char path[96];
    struct h_resp r;
    snprintf(path, sizeof path, "/verify/%s", code);
    h_request(s, "GET", path, (const char *[]){"Accept: application/json", NULL}, NULL, &r);
    CHECK_INT("its verification", r.status, 200);
    CHECK_STR("/verify shows the same hash", json_string_value(json_object_get(r.json, "sha256")),
              sha256);
    CHECK_STR("and number", json_string_value(json_object_get(r.json, "protocol_number")),
              number);
    h_resp_free(&r);
}

char *ha_application_entry(const struct h_server *s, const struct ha_user *u, long id,
                           const char *kind)
{
    struct h_resp r;
    ha_call(s, u, "GET", "/api/v1/me/inbox", NULL, &r);
    size_t i;
    json_t *e;
    char *found = NULL;
    json_array_foreach(json_object_get(r.json, "items"), i, e)
        if (json_integer_value(json_object_get(e, "application_id")) == id && !found &&
            (!kind || !strcmp(json_string_value(json_object_get(e, "kind")) ?: "", kind)))
            found = json_dumps(e, JSON_COMPACT);
    h_resp_free(&r);
    return found;
}

int ha_call_no_csrf(const struct h_server *s, const struct ha_user *u, const char *method,
                    const char *path, const char *body, struct h_resp *r)
{
    return call(s, u, 0, method, path, body, r);
}

const char *ha_cookie_name(const struct ha_user *u)
{
    return u->cookie_name[0] ? u->cookie_name : "polis_session";
}

long ha_make_key(const struct h_server *s, const struct ha_user *u, const char *name,
                 const char *scopes, char *key, size_t keylen)
{
    char body[512];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"scopes\":%s,\"password\":\"%s\"}", name,
             scopes, u->password);
    struct h_resp r;
    ha_call(s, u, "POST", "/api/v1/me/keys", body, &r);
    long status = r.status;
    if (key)
        snprintf(key, keylen, "%s",
                 status == 201 ? json_string_value(json_object_get(r.json, "key")) ?: "" : "");
    h_resp_free(&r);
    return status;
}

int ha_call_key(const struct h_server *s, const char *key, const char *method, const char *path,
                const char *body, struct h_resp *r)
{
    char auth[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
    const char *headers[] = {auth, NULL};
    return h_request(s, method, path, headers, body, r);
}

long ha_count_where(PGconn *db, const char *table, const char *where, const char *param)
{
    char sql[1000];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s", table, where);
    const char *p[] = {param};
    char *v = h_pg_value(db, sql, 1, p);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

long ha_count_of(PGconn *db, const char *table, const char *column, const struct ha_user *u)
{
    char where[100], id[24];
    snprintf(where, sizeof where, "%s = $1::bigint", column);
    snprintf(id, sizeof id, "%ld", u->id);
    return ha_count_where(db, table, where, id);
}

void ha_upload(const struct h_server *s, const struct ha_user *u, const char *path,
               const char *content_type, const void *data, size_t len, struct h_resp *r)
{
    char cookie[200], csrf[200];
    const char *headers[4] = {"Expect:", NULL};
    if (u) {
        snprintf(cookie, sizeof cookie, "Cookie: %s=%s", ha_cookie_name(u), u->cookie);
        snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", u->csrf);
        headers[1] = cookie;
        headers[2] = csrf;
    }
    const struct h_req q = {.method = "POST", .path = path, .headers = headers,
                            .content_type = content_type, .data = data, .data_len = len};
    h_send(s, &q, r);
}


int ha_fanout_settled(PGconn *db)
{
    char *last = h_pg_value(db, "SELECT coalesce(max(id), 0) FROM notify_queue", 0, NULL);
    const char *p[] = {last ? last : "0"};
    int settled = 0;
    for (long long until = h_now_ms() + 60000; !settled && h_now_ms() < until;) {
        char *v = h_pg_value(db, "SELECT NOT EXISTS (SELECT 1 FROM notify_queue"
                                 " WHERE id <= $1::bigint)", 1, p);
        settled = v && !strcmp(v, "t");
        free(v);
        if (!settled)
            h_sleep_ms(20);
    }
    free(last);
    CHECK(settled, "the fan-out job handled the events queued so far within 60 s");
    return settled ? 0 : -1;
}

int ha_inbox_count(const struct h_server *s, PGconn *db, const struct ha_user *u, long report_id,
                   const char *field, const char *value)
{
    ha_fanout_settled(db);
    struct h_resp r;
    ha_call(s, u, "GET", "/api/v1/me/inbox?limit=100", NULL, &r);
    CHECK(r.status == 200, "GET inbox of %s: expected 200, found %ld %.200s", u->email, r.status,
          r.body);
    int n = 0;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "items"), i, item)
        if (json_integer_value(json_object_get(item, "report_id")) == report_id &&
            (!field || !strcmp(json_string_value(json_object_get(item, field)) ?: "", value)))
            n++;
    h_resp_free(&r);
    return n;
}

char *ha_layer_entry(const struct h_server *s, const struct ha_user *u, const char *layer)
{
    json_t *l = ha_list_item(s, u, "/api/v1/layers", "layers", "name", json_string(layer));
    char *text = l ? json_dumps(l, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(l);
    return text;
}

void ha_drop_layer(const char *dburl, const char *layer)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS layers.%s; DELETE FROM layer_catalogue"
             " WHERE name = '%s'", layer, layer);
    h_owner_exec(dburl, sql);
}
