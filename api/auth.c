/* Accounts over HTTP: register, confirm the email, sign in and out, and the
 * signed-in user's own record. Password hashing runs off the loop; sign-in
 * does the same argon2id work whether or not the email has an account, and
 * upgrades a hash made with older parameters. */
#include "auth/accounts_sql.h"
#include "auth/password.h"
#include "api/api.h"
#include "api/token_body.h"
#include "http/body.h"
#include "http/identity.h"
#include "api/mail.h"
#include "api/password_job.h"
#include "http/respond.h"
#include "http/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- POST /api/v1/auth/register ---- */

static void register_stored(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    /* the same answer whether or not the address had an account: the
     * mailbox's owner learns which, nobody else does */
    respond_json(ex->req, 202,
                 json_pack("{s:s,s:s}", "status", "confirmation_sent", "detail",
                           "check your mailbox for a message with a confirmation link"));
}

static void register_hashed(struct exchange *ex, struct password_job *pj)
{
    if (password_job_failed(ex, pj))
        return;
    struct mail_token token = mail_token_new(ex);
    /* the body says where the token goes; the token is stored apart */
    const char *args[USER_REGISTER_NPARAMS] = {
        [USER_REGISTER_P_EMAIL] = exchange_strdup(ex, pj->email),
        [USER_REGISTER_P_PASSWORD_HASH] = exchange_strdup(ex, pj->hash),
        [USER_REGISTER_P_DISPLAY_NAME] =
            pj->has_display_name ? exchange_strdup(ex, pj->display_name) : NULL,
        [USER_REGISTER_P_PHONE] = pj->has_phone ? exchange_strdup(ex, pj->phone) : NULL,
        [USER_REGISTER_P_TOKEN_DIGEST] = token.digest,
        [USER_REGISTER_P_MAIL_NEW] = exchange_printf(ex,
                        "Καλώς ήρθατε στο polis. Για να επιβεβαιώσετε τη διεύθυνσή σας ανοίξτε:\n"
                        "%s\n\nWelcome to polis. To confirm your address open the link above,\n"
                        "or send this code to POST /api/v1/auth/confirm: " MAIL_TOKEN_PLACEHOLDER
                        "\n",
                        mail_link(ex, "/account/confirm")),
        [USER_REGISTER_P_MAIL_EXISTING] = exchange_printf(ex,
                        "Κάποιος προσπάθησε να εγγραφεί με αυτή τη διεύθυνση, που έχει ήδη "
                        "λογαριασμό.\nSomeone tried to register with this address, which already "
                        "has an account.\nIf it was you, sign in or reset your password.\n"),
        [USER_REGISTER_P_TOKEN] = token.text,
        [USER_REGISTER_P_LANGUAGE] = pj->extra[0] ? exchange_strdup(ex, pj->extra) : NULL,
    };
    exchange_query(ex, USER_REGISTER_SQL, USER_REGISTER_NPARAMS, args, register_stored);
}

void api_auth_register(struct exchange *ex)
{
    static const char *const allowed[] = {"email", "password", "display_name", "phone",
                                          "language", NULL};
    if (mail_links_unavailable(ex))
        return;
    struct fields f;
    if (body_parse_object(ex, &f))
        return;
    const char *email = NULL, *password = NULL, *name = NULL, *phone = NULL, *language = NULL;
    fields_allow_only(&f, allowed);
    field_email(&f, "email", 1, &email);
    if (field_string(&f, "password", 1, PASSWORD_MAX_BYTES, 1, &password) == 1) {
        const char *problem = password_policy_problem(password, email);
        if (problem)
            field_error_append(&f.errors, "password", problem, "a password that breaks the rule");
    }
    int has_name = field_string(&f, "display_name", 1, 200, 0, &name) == 1;
    int has_phone = field_string(&f, "phone", 3, 40, 0, &phone) == 1;
    field_language(&f, "language", 0, &language);
    if (fields_reject(ex, &f))
        return;
    struct password_job *pj = password_job_new(ex, password, 0, register_hashed);
    snprintf(pj->email, sizeof pj->email, "%s", email);
    if ((pj->has_display_name = has_name))
        snprintf(pj->display_name, sizeof pj->display_name, "%s", name);
    if ((pj->has_phone = has_phone))
        snprintf(pj->phone, sizeof pj->phone, "%s", phone);
    /* the language of the account's mail; "" when not given */
    snprintf(pj->extra, sizeof pj->extra, "%s", language ? language : "");
    fields_free(&f);
    password_job_submit(pj);
}

/* ---- POST /api/v1/auth/confirm ---- */

static void confirm_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        token_body_invalid(ex, "a confirmation token that is unused and not expired",
                           "the confirmation token is unknown, already used or expired (48 "
                           "hours)");
        return;
    }
    respond_json(ex->req, 200, json_pack("{s:s}", "status", "confirmed"));
}

void api_auth_confirm(struct exchange *ex)
{
    const char *digest = token_body_digest(ex);
    if (!digest)
        return;
    const char *args[] = {digest};
    exchange_query(ex, USER_CONFIRM_SQL, 1, args, confirm_done);
}

/* ---- POST /api/v1/auth/login ---- */

static void login_session_created(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    session_respond(ex, ex->handler_data, PQgetvalue(res, 0, SESSION_CREATE_USER));
}

static void login_verified(struct exchange *ex, struct password_job *pj)
{
    if (!pj->ok || !pj->user_id) {
        respond_problem(ex->req, 401, "/problems/bad-credentials", "Unauthorized", NULL,
                        "the email or the password is wrong");
        return;
    }
    if (!pj->confirmed) {
        respond_problem(ex->req, 403, "/problems/email-unconfirmed", "Forbidden", NULL,
                        "confirm your email address first: open the link in the message we "
                        "sent to it");
        return;
    }
    struct new_session *ns = session_new(ex);
    ex->handler_data = ns;
    /* a hash made with older parameters is replaced now that we have the
     * password (only if it is still the one stored) */
    const char *args[SESSION_CREATE_NPARAMS] = {
        [SESSION_CREATE_P_DIGEST] = ns->digest,
        [SESSION_CREATE_P_USER_ID] = exchange_printf(ex, "%ld", pj->user_id),
        [SESSION_CREATE_P_CSRF_TOKEN] = ns->csrf,
        [SESSION_CREATE_P_CLIENT_IP] = ns->client_ip,
        [SESSION_CREATE_P_USER_AGENT] = ns->user_agent,
        [SESSION_CREATE_P_LIFETIME_HOURS] = ns->max_hours,
        [SESSION_CREATE_P_UPGRADED_HASH] = pj->rehashed ? exchange_strdup(ex, pj->new_hash) : NULL,
        [SESSION_CREATE_P_VERIFIED_HASH] = pj->rehashed ? exchange_strdup(ex, pj->hash) : NULL,
    };
    exchange_query(ex, SESSION_CREATE_SQL, SESSION_CREATE_NPARAMS, args, login_session_created);
}

static void login_found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    /* from here the offload pool (then password_done) owns the job */
    struct password_job *pj = password_job_unpark(ex);
    if (PQntuples(res) == 1) {
        pj->user_id = atol(PQgetvalue(res, 0, USER_LOGIN_LOOKUP_ID));
        snprintf(pj->hash, sizeof pj->hash, "%s",
                 PQgetvalue(res, 0, USER_LOGIN_LOOKUP_PASSWORD_HASH));
        pj->confirmed = PQgetvalue(res, 0, USER_LOGIN_LOOKUP_CONFIRMED)[0] == 't';
    }
    /* verify even when there is no account: the answer takes as long */
    password_job_submit(pj);
}

void api_auth_login(struct exchange *ex)
{
    static const char *const allowed[] = {"email", "password", NULL};
    struct fields f;
    if (body_parse_object(ex, &f))
        return;
    const char *email = NULL, *password = NULL;
    fields_allow_only(&f, allowed);
    field_string(&f, "email", 1, 254, 1, &email);
    field_string(&f, "password", 1, PASSWORD_MAX_BYTES, 1, &password);
    if (fields_reject(ex, &f))
        return;
    /* failures count per account and client address: an attacker's address
     * is made to wait while the owner, elsewhere, still signs in */
    if (password_attempt_limited(ex, email)) {
        fields_free(&f);
        return;
    }
    /* the job holds the password from now on; the request keeps it while
     * the account is looked up */
    struct password_job *pj = password_job_new(ex, password, 1, login_verified);
    pj->upgrade = 1;
    password_job_park(pj);
    const char *args[] = {exchange_strdup(ex, email)};
    fields_free(&f);
    exchange_query(ex, USER_LOGIN_LOOKUP_SQL, 1, args, login_found);
}

/* ---- POST /api/v1/auth/logout ---- */

static void logout_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    session_clear_cookie(ex);
    respond_no_content(ex->req);
}

void api_auth_logout(struct exchange *ex)
{
    if (ex->who.via != CRED_SESSION) {
        respond_problem(ex->req, 400, "/problems/not-a-session", "Bad Request", NULL,
                        "logout ends a cookie session; API keys are revoked with DELETE "
                        "/api/v1/me/keys/{id}");
        return;
    }
    const char *args[] = {ex->who.session_digest};
    exchange_query(ex, SESSION_REVOKE_SQL, 1, args, logout_done);
}

/* ---- GET /api/v1/me ---- */

static void me_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure_or_missing(ex->req, res, "the account is gone"))
        return;
    respond_private(ex->req);
    const char *body =
        ex->who.via == CRED_SESSION
            ? exchange_printf(ex, "{\"user\":%s,\"csrf_token\":\"%s\"}",
                              PQgetvalue(res, 0, USER_ME_USER),
                              ex->who.csrf_token)
            : exchange_printf(ex, "{\"user\":%s}", PQgetvalue(res, 0, USER_ME_USER));
    respond_bytes(ex->req, 200, CT_JSON, body, strlen(body));
}

void api_me(struct exchange *ex)
{
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    const char *args[] = {exchange_printf(ex, "%ld", ex->who.user_id)};
    exchange_query(ex, USER_ME_SQL, 1, args, me_done);
}

/* ---- PATCH /api/v1/me ---- */

/* The account's own settings: {"language": "el"|"en"} (the language of its
 * mail). Answers the account as GET /api/v1/me does. */
void api_me_update(struct exchange *ex)
{
    static const char *const allowed[] = {"language", NULL};
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    struct fields f;
    if (body_parse_object(ex, &f))
        return;
    fields_allow_only(&f, allowed);
    const char *language = NULL;
    if (field_language(&f, "language", 1, &language) == 1)
        language = exchange_strdup(ex, language);
    if (fields_reject(ex, &f))
        return;
    fields_free(&f);
    const char *args[USER_UPDATE_NPARAMS] = {
        [USER_UPDATE_P_USER_ID] = exchange_printf(ex, "%ld", ex->who.user_id),
        [USER_UPDATE_P_LANGUAGE] = language,
    };
    exchange_query(ex, USER_UPDATE_SQL, USER_UPDATE_NPARAMS, args, me_done);
}
