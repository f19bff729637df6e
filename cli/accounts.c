#include "cli/accounts.h"

#include "auth/keys_sql.h"
#include "auth/password.h"
#include "auth/token.h"
#include "auth/users_sql.h"
#include "gis/db.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_password_generate(char *out, size_t outlen)
{
    token_new(NULL, out, outlen);
}

int cli_user_create(PGconn *db, const char *email, const char *role, const char *name,
                    const char *const *codes, int n, const char *muni, const char *password,
                    long *id, char *err, size_t errlen)
{
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash)) {
        snprintf(err, errlen, "cannot hash the password (out of memory)");
        return -1;
    }
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_string(codes[i]));
    char *list_text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    const char *args[USER_CREATE_NPARAMS] = {
        [USER_CREATE_P_EMAIL] = email,
        [USER_CREATE_P_PASSWORD_HASH] = hash,
        [USER_CREATE_P_ROLE] = role,
        [USER_CREATE_P_DISPLAY_NAME] = name,
        [USER_CREATE_P_DEPARTMENTS] = list_text ? list_text : "[]",
        [USER_CREATE_P_MUNICIPALITY] = muni,
        [USER_CREATE_P_ACTOR] = NULL, NULL, "cli", NULL,
    };
    PGresult *res = PQexecParams(db, USER_CREATE_SQL, USER_CREATE_NPARAMS, NULL, args, NULL,
                                 NULL, 0);
    free(list_text);
    sodium_memzero(hash, sizeof hash);
    int rc = -1;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_result_error(res, err, errlen);
    } else if (!PQgetisnull(res, 0, USER_CREATE_UNKNOWN_DEPARTMENTS)) {
        snprintf(err, errlen, "unknown department code(s) %s for municipality %s",
                 PQgetvalue(res, 0, USER_CREATE_UNKNOWN_DEPARTMENTS), muni);
    } else if (PQgetisnull(res, 0, USER_CREATE_USER)) {
        rc = 0;
    } else {
        json_t *u = json_loads(PQgetvalue(res, 0, USER_CREATE_USER), 0, NULL);
        *id = (long)json_integer_value(json_object_get(u, "id"));
        json_decref(u);
        rc = 1;
    }
    PQclear(res);
    return rc;
}

int cli_key_create(PGconn *db, const char *email, const char *name, const char *scopes,
                   char *key, size_t keylen, char *err, size_t errlen)
{
    /* "read,report" -> "{read,report}", each one known */
    char list[64], literal[80];
    snprintf(list, sizeof list, "%s", scopes);
    for (char *s = strtok(list, ","); s; s = strtok(NULL, ","))
        if (strcmp(s, "read") && strcmp(s, "report") && strcmp(s, "staff")) {
            snprintf(err, errlen, "unknown scope \"%s\" (expected read, report, staff)", s);
            return -1;
        }
    snprintf(literal, sizeof literal, "{%s}", scopes);
    const char *who[] = {email};
    PGresult *res = PQexecParams(db, KEY_OWNER_SQL, 1, NULL, who, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        if (PQresultStatus(res) != PGRES_TUPLES_OK)
            db_result_error(res, err, errlen);
        else
            snprintf(err, errlen, "there is no user with email %s", email);
        PQclear(res);
        return -1;
    }
    char owner[32];
    snprintf(owner, sizeof owner, "%s", PQgetvalue(res, 0, KEY_OWNER_ID));
    PQclear(res);

    token_new(API_KEY_PREFIX, key, keylen);
    char digest[TOKEN_DIGEST_HEX_MAX], prefix[16];
    token_digest_hex(key, digest);
    snprintf(prefix, sizeof prefix, "%.*s", API_KEY_SHOWN_CHARS, key);
    const char *args[KEY_CREATE_NPARAMS] = {
        [KEY_CREATE_P_OWNER_ID] = owner,
        [KEY_CREATE_P_NAME] = name,
        [KEY_CREATE_P_PREFIX] = prefix,
        [KEY_CREATE_P_DIGEST] = digest,
        [KEY_CREATE_P_SCOPES] = literal,
        [KEY_CREATE_P_ACTOR] = NULL, NULL, "cli", NULL,
    };
    res = PQexecParams(db, KEY_CREATE_SQL, KEY_CREATE_NPARAMS, NULL, args, NULL, NULL, 0);
    int rc = -1;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        db_result_error(res, err, errlen);
    else if (PQgetisnull(res, 0, KEY_CREATE_KEY))
        snprintf(err, errlen, "%s is a citizen: a citizen's key can only have the read and "
                 "report scopes", email);
    else
        rc = 0;
    PQclear(res);
    if (rc)
        sodium_memzero(key, keylen);
    return rc;
}
