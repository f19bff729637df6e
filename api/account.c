/* The signed-in user's own account beyond sign-in: changing the password,
 * resetting a forgotten one with a mailed token, the export of everything
 * held about them, and deleting the account.
 *
 * The password change, the export and the deletion need a cookie session:
 * an API key given to an app must not be able to take the account over,
 * read everything held about the user or remove it. */
#include "auth/password_sql.h"
#include "auth/token.h"
#include "auth/users_sql.h"
#include "api/api.h"
#include "http/body.h"
#include "http/identity.h"
#include "http/request_limits.h"
#include "api/mail.h"
#include "api/password_job.h"
#include "api/token_body.h"
#include "http/respond.h"
#include "http/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void invalid_token(struct exchange *ex)
{
    token_body_invalid(ex, "a reset token that is unused and not expired",
                       "the reset token is unknown, already used or expired (1 hour); ask for a "
                       "new one with POST /api/v1/auth/reset-request");
}

/* ---- POST /api/v1/auth/password ----
 * Verifies the current password and hashes the new one off the loop, then
 * in one statement: sets it, revokes every session of the user and starts a
 * fresh one for this client, answered as at sign-in (200, new cookie and
 * CSRF token). Other browsers and devices must sign in again. API keys stay:
 * the owner, who knows the current password, changes it and keeps the apps
 * they set up (they revoke keys one by one). A reset is different: see
 * below. */

static void password_changed(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "the password was changed by another request meanwhile; sign in again");
        return;
    }
    session_respond(ex, ex->handler_data, PQgetvalue(res, 0, PASSWORD_CHANGE_USER));
}

static void password_verified(struct exchange *ex, struct password_job *pj)
{
    if (!pj->verified) {
        respond_invalid_field(ex->req, "current_password", "the current password",
                              "a password that does not match", "the current password is wrong");
        return;
    }
    if (password_job_failed(ex, pj))
        return;
    struct new_session *ns = session_new(ex);
    ex->handler_data = ns;
    const char *args[PASSWORD_CHANGE_NPARAMS] = {
        [PASSWORD_CHANGE_P_USER_ID] = exchange_printf(ex, "%ld", pj->user_id),
        [PASSWORD_CHANGE_P_VERIFIED_HASH] = exchange_strdup(ex, pj->hash),
        [PASSWORD_CHANGE_P_NEW_HASH] = exchange_strdup(ex, pj->new_hash),
        [PASSWORD_CHANGE_P_SESSION_DIGEST] = ns->digest,
        [PASSWORD_CHANGE_P_CSRF_TOKEN] = ns->csrf,
        [PASSWORD_CHANGE_P_CLIENT_IP] = ns->client_ip,
        [PASSWORD_CHANGE_P_USER_AGENT] = ns->user_agent,
        [PASSWORD_CHANGE_P_LIFETIME_HOURS] = ns->max_hours,
        [PASSWORD_CHANGE_P_ACTOR_KEY_ID] = NULL,
    };
    exchange_query(ex, PASSWORD_CHANGE_SQL, PASSWORD_CHANGE_NPARAMS, args, password_changed);
}

void api_auth_password(struct exchange *ex)
{
    static const char *const allowed[] = {"current_password", "new_password", NULL};
    if (identity_require_session(ex, "changing the password"))
        return;
    struct fields f;
    if (body_parse_object(ex, &f))
        return;
    const char *current = NULL, *fresh = NULL;
    fields_allow_only(&f, allowed);
    field_string(&f, "current_password", 1, PASSWORD_MAX_BYTES, 1, &current);
    if (field_string(&f, "new_password", 1, PASSWORD_MAX_BYTES, 1, &fresh) == 1) {
        const char *problem = password_policy_problem(fresh, ex->who.email);
        if (!problem && current && !strcmp(current, fresh))
            problem = "a password different from the current one";
        if (problem)
            field_error_append(&f.errors, "new_password", problem,
                               "a password that breaks the rule");
    }
    if (fields_reject(ex, &f))
        return;
    /* guessing the current password with a stolen session is as slow as
     * guessing it at sign-in (the same budget) */
    if (password_attempt_limited(ex, ex->who.email)) {
        fields_free(&f);
        return;
    }
    struct password_job *pj = password_job_new(ex, current, 1, password_verified);
    snprintf(pj->new_password, sizeof pj->new_password, "%s", fresh);
    pj->user_id = ex->who.user_id;
    fields_free(&f);
    password_job_verify_caller(pj);
}

/* ---- POST /api/v1/auth/reset-request ----
 * Always 202, whether or not the address has an account: only the
 * mailbox's owner learns which. */

static void reset_requested(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    respond_json(ex->req, 202,
                 json_pack("{s:s,s:s}", "status", "reset_sent", "detail",
                           "if the address has an account, a message with a reset link (valid "
                           "for 1 hour) is on its way to it"));
}

void api_auth_reset_request(struct exchange *ex)
{
    static const char *const allowed[] = {"email", NULL};
    if (mail_links_unavailable(ex))
        return;
    struct fields f;
    if (body_parse_object(ex, &f))
        return;
    const char *email = NULL;
    fields_allow_only(&f, allowed);
    field_email(&f, "email", 1, &email);
    if (fields_reject(ex, &f))
        return;
    /* per address as well as per IP: nobody floods one mailbox */
    char bucket[300];
    snprintf(bucket, sizeof bucket, "reset account %s", email);
    for (char *c = bucket; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    if (request_limits_take(ex, bucket, ex->app->cfg.rate_reset)) {
        fields_free(&f);
        return;
    }
    struct mail_token token = mail_token_new(ex);
    /* the body says where the token goes; the token is stored apart */
    const char *args[RESET_REQUEST_NPARAMS] = {
        [RESET_REQUEST_P_EMAIL] = exchange_strdup(ex, email),
        [RESET_REQUEST_P_TOKEN_DIGEST] = token.digest,
        [RESET_REQUEST_P_MAIL_BODY] = exchange_printf(ex,
                        "Ζητήθηκε επαναφορά του κωδικού σας στο polis. Ανοίξτε μέσα σε μία ώρα:\n"
                        "%s\n\nA password reset was requested for your polis account. Open the "
                        "link above within an hour,\nor send this code with a new password to "
                        "POST /api/v1/auth/reset: " MAIL_TOKEN_PLACEHOLDER "\n\nIf it was not "
                        "you, ignore this message: your password stays as it is.\n",
                        mail_link(ex, "/account/reset")),
        [RESET_REQUEST_P_TOKEN] = token.text,
    };
    fields_free(&f);
    exchange_query(ex, RESET_REQUEST_SQL, RESET_REQUEST_NPARAMS, args, reset_requested);
}

/* ---- POST /api/v1/auth/reset ----
 * Looks the token up (for the password rules, which depend on the email),
 * hashes the new password off the loop, then uses the token, sets the
 * password and revokes every session and every API key in one statement
 * (whoever knew the old password may have made keys with it). 204: sign
 * in anew. */

static void reset_applied(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        invalid_token(ex);
        return;
    }
    respond_no_content(ex->req);
}

static void reset_hashed(struct exchange *ex, struct password_job *pj)
{
    if (password_job_failed(ex, pj))
        return;
    const char *args[3] = {exchange_strdup(ex, pj->extra), exchange_strdup(ex, pj->hash),
                           strcmp(ex->client_ip, "unknown") ? ex->client_ip : NULL};
    exchange_query(ex, RESET_APPLY_SQL, 3, args, reset_applied);
}

static void reset_found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct password_job *pj = password_job_unpark(ex);
    if (PQntuples(res) == 0) {
        password_job_free(pj);
        invalid_token(ex);
        return;
    }
    const char *problem =
        password_policy_problem(pj->password, PQgetvalue(res, 0, RESET_LOOKUP_EMAIL));
    if (problem) {
        password_job_free(pj);
        respond_invalid_field(ex->req, "new_password", problem, "a password that breaks the rule",
                              "the new password breaks a rule; see errors");
        return;
    }
    password_job_submit(pj);
}

void api_auth_reset(struct exchange *ex)
{
    static const char *const allowed[] = {"token", "new_password", NULL};
    struct fields f;
    if (body_parse_object(ex, &f))
        return;
    const char *token = NULL, *fresh = NULL;
    fields_allow_only(&f, allowed);
    field_string(&f, "token", 20, 200, 1, &token);
    if (field_string(&f, "new_password", 1, PASSWORD_MAX_BYTES, 1, &fresh) == 1) {
        const char *problem = password_policy_problem(fresh, NULL);
        if (problem)
            field_error_append(&f.errors, "new_password", problem,
                               "a password that breaks the rule");
    }
    if (fields_reject(ex, &f))
        return;
    struct password_job *pj = password_job_new(ex, fresh, 0, reset_hashed);
    token_digest_hex(token, pj->extra);
    fields_free(&f);
    password_job_park(pj);
    const char *args[] = {exchange_strdup(ex, pj->extra)};
    exchange_query(ex, RESET_LOOKUP_SQL, 1, args, reset_found);
}

/* ---- GET /api/v1/me/export ---- */

static void export_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure_or_missing(ex->req, res, "the account is gone"))
        return;
    respond_private(ex->req);
    respond_header(ex->req, "content-disposition", "attachment; filename=\"polis-export.json\"");
    respond_column(ex->req, 200, CT_JSON, res, USER_EXPORT_JSON);
}

void api_me_export(struct exchange *ex)
{
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    if (identity_require_session(ex,
                                 "the export (everything held about you, your mail included)"))
        return;
    const char *args[] = {exchange_printf(ex, "%ld", ex->who.user_id), ex->who.session_digest};
    exchange_query(ex, USER_EXPORT_SQL, 2, args, export_done);
}

/* ---- DELETE /api/v1/me ---- */

static void delete_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (atol(PQgetvalue(res, 0, USER_DELETE_COUNT)) == 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL, "the account is gone");
        return;
    }
    session_clear_cookie(ex);
    respond_no_content(ex->req);
}

void api_me_delete(struct exchange *ex)
{
    if (identity_require_session(ex, "deleting the account"))
        return;
    const char *args[] = {exchange_printf(ex, "%ld", ex->who.user_id),
                          strcmp(ex->client_ip, "unknown") ? ex->client_ip : NULL};
    exchange_query(ex, USER_DELETE_SQL, 2, args, delete_done);
}
