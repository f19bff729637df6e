/* Accounts for HTTP tests: a signed-in user (cookie + CSRF token) made the
 * way a client makes one (register, the token from the outbox, confirm,
 * login), calls made as that user or with an API key, and tokens read from
 * the outbox the way a mail client would. Emails are unique per run, so
 * tests on the shared fixture database never collide. */
#ifndef POLIS_TEST_H_ACCOUNTS_H
#define POLIS_TEST_H_ACCOUNTS_H

#include "harness.h"

struct ha_user {
    char email[160];
    char password[80];
    char cookie[128]; /* the session cookie's value, "" when signed out */
    char cookie_name[32]; /* its name as the server set it ("" before: polis_session) */
    char csrf[128];
    long id;
};

/* A unique address for this run: "<tag>-<pid>-<n>@test.polis.example". */
void ha_unique_email(char *out, size_t outlen, const char *tag);

/* The token in the newest outbox message to email whose subject contains
 * subject_part (from the link's "?token=" in the text as it is mailed:
 * outbox_rendered_body); malloc'd, NULL when none. */
char *ha_outbox_token(PGconn *db, const char *email, const char *subject_part);

/* Registers a new citizen (tag names it), confirms it and signs in.
 * Records a failure and returns -1 when any step does not work. */
int ha_new_user(const struct h_server *s, PGconn *db, const char *tag, struct ha_user *u);

/* One signed-in user a test needs: the tag of its e-mail, and its role
 * ("staff" of departments "cleaning,lighting", "admin"; NULL: a citizen). */
struct ha_member {
    const char *tag;
    const char *role;
    const char *departments;
};

/* The usual start of a test on the shared database: s serves it with the
 * rate limits on sign-up, sign-in, resets and anonymous writes out of the way
 * (plus extra_env, NULL-terminated, may be NULL), and users[i] is members[i]
 * signed in. Returns -1 after recording a failure. */
int ha_world_start(struct h_server *s, PGconn *db, const char *const *extra_env,
                   const struct ha_member *members, size_t n, struct ha_user *users);

/* POST /api/v1/auth/login with u's email and password; fills cookie and
 * csrf on 200. Returns the status. */
long ha_login(const struct h_server *s, struct ha_user *u);

/* Makes u a staff member of the served municipality's departments codes
 * ("cleaning,lighting"), or an admin/citizen (codes NULL), straight in SQL. */
void ha_set_role(PGconn *db, const struct ha_user *u, const char *role, const char *codes);

/* A request as u (cookie and, when csrf is set, X-CSRF-Token; u NULL for
 * anonymous), with a JSON body or NULL. */
int ha_call(const struct h_server *s, const struct ha_user *u, const char *method,
            const char *path, const char *body, struct h_resp *r);
/* ha_call for its status alone. */
long ha_status(const struct h_server *s, const struct ha_user *u, const char *method,
               const char *path, const char *body);
/* The item of the list in member array of GET path (as u) whose member key
 * equals value (stolen: json_string(...), json_integer(...)), or NULL when
 * none does; the caller owns it. Records a failure unless the answer is 200. */
json_t *ha_list_item(const struct h_server *s, const struct ha_user *u, const char *path,
                     const char *array, const char *key, json_t *value);
/* 1 when the FeatureCollection at path (GET as u) has a feature with this
 * id; records a failure unless the answer is 200. */
int ha_list_has(const struct h_server *s, const struct ha_user *u, const char *path, long id);
/* u's mailbox entry about application id (of that kind, or any when kind is
 * NULL) as compact JSON text (malloc'd), or NULL when there is none. */
char *ha_application_entry(const struct h_server *s, const struct ha_user *u, long id,
                           const char *kind);
/* A service made by a new admin (tag names it) from the JSON body of
 * POST /api/v1/services (checked: 201); its id. */
long ha_make_service(const struct h_server *s, PGconn *db, const char *tag, const char *body);
/* An application of u to service, a draft with no answers then submitted
 * (each step checked); its id. */
long ha_apply(const struct h_server *s, const struct ha_user *u, long service);
/* The status of application id as u reads it, "?" when unreadable (a
 * static buffer: the next call overwrites it). */
const char *ha_application_status(const struct h_server *s, const struct ha_user *u, long id);
/* POST of a multipart/form-data body of the parts as u, with the cookie
 * and CSRF token. */
void ha_post_form(const struct h_server *s, const struct ha_user *u, const char *path,
                  const struct h_part *parts, int nparts, struct h_resp *r);
/* Checks that /verify/{code} (as JSON) shows the document's SHA-256 and
 * protocol number. */
void ha_check_verified(const struct h_server *s, const char *code, const char *sha256,
                       const char *number);
/* The same with the cookie but without the CSRF header. */
int ha_call_no_csrf(const struct h_server *s, const struct ha_user *u, const char *method,
                    const char *path, const char *body, struct h_resp *r);
/* A request with Authorization: Bearer key. */
int ha_call_key(const struct h_server *s, const char *key, const char *method, const char *path,
                const char *body, struct h_resp *r);

/* The value of cookie name in r's Set-Cookie header (malloc'd) or NULL. */
char *ha_set_cookie(const struct h_resp *r, const char *name);

/* The session cookie in r's Set-Cookie (__Host-polis_session over https,
 * polis_session otherwise): its value (malloc'd) with its name copied into
 * name; NULL when none. */
char *ha_session_cookie(const struct h_resp *r, char *name, size_t namelen);

/* The session cookie name to send for u. */
const char *ha_cookie_name(const struct ha_user *u);

/* POST /api/v1/me/keys as u with u's password (minting needs it): scopes
 * is a JSON array ("[\"read\"]"). Copies the key into key (when not NULL;
 * "" unless 201) and returns the status. */
long ha_make_key(const struct h_server *s, const struct ha_user *u, const char *name,
                 const char *scopes, char *key, size_t keylen);

/* POST of len raw bytes with content_type as u (NULL: anonymous), with the
 * cookie and CSRF token: a file upload. */
void ha_upload(const struct h_server *s, const struct ha_user *u, const char *path,
               const char *content_type, const void *data, size_t len, struct h_resp *r);

/* For "nothing was stored" checks: SELECT count(*) FROM table WHERE where,
 * with $1 = param. Other tests write to the same tables at the same time
 * (ctest -j), so a test counts only rows of its own: of its users, its
 * items, the addresses it used. */
long ha_count_where(PGconn *db, const char *table, const char *where, const char *param);
/* The rows of table whose column is the user's id. */
long ha_count_of(PGconn *db, const char *table, const char *column, const struct ha_user *u);

/* Waits (up to 60 s) until the fan-out job (jobs/notify_fanout.h) has
 * handled every report event committed before the call: its inbox and
 * outbox rows are written. Records a failure and returns -1 otherwise. */
int ha_fanout_settled(PGconn *db);

/* How many items of u's mailbox (the newest 100, once the fan-out has
 * settled) are about report_id and, when field is not NULL, have that
 * field equal to value (e.g. "to" "acknowledged", "kind" "message"). */
int ha_inbox_count(const struct h_server *s, PGconn *db, const struct ha_user *u, long report_id,
                   const char *field, const char *value);

/* The entry of layer in GET /api/v1/layers as u (NULL: anonymous), as
 * compact JSON with sorted keys (malloc'd, comparable as text), or NULL
 * when it is not listed. */
char *ha_layer_entry(const struct h_server *s, const struct ha_user *u, const char *layer);

/* Drops an imported layer a test made (its table and catalogue row), as
 * the database's owner. */
void ha_drop_layer(const char *dburl, const char *layer);

#endif
