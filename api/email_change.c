/* Changing the signed-in user's e-mail address. The request (with the
 * password, and only with the session cookie: an API key must not move
 * the account to another mailbox) mails a link to the new address and a
 * notice to the old one; the address changes only when the link is
 * followed, so a typo cannot lock the owner out and nobody takes an
 * address they cannot read. Sessions and API keys stay valid. */
#include "auth/email_change_sql.h"
#include "api/api.h"
#include "api/token_body.h"
#include "api/mail.h"
#include "api/password_job.h"
#include "common/stringify.h"
#include "http/body.h"
#include "http/identity.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *client_ip_or_null(struct exchange *ex)
{
    return strcmp(ex->client_ip, "unknown") ? ex->client_ip : NULL;
}

/* ---- POST /api/v1/me/email ---- */

static void change_requested(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (atol(PQgetvalue(res, 0, EMAIL_CHANGE_REQUEST_USER)) == 0) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "the password was changed by another request meanwhile; sign in again");
        return;
    }
    if (atol(PQgetvalue(res, 0, EMAIL_CHANGE_REQUEST_TAKEN)) != 0) {
        json_t *errors = NULL;
        field_error_append(&errors, "new_email", "an address that has no account",
                           "an address another account uses");
        respond_problem(ex->req, 409, "/problems/email-taken", "Conflict", errors,
                        "another account uses this address; nothing was changed");
        return;
    }
    respond_json(ex->req, 202,
                 json_pack("{s:s,s:s}", "status", "confirmation_sent", "detail",
                           "a message with a confirmation link (valid for "
                           STRINGIFY(EMAIL_CHANGE_TOKEN_HOURS) " hours) is on its way to the "
                           "new address; the address changes when the link is opened"));
}

static void change_password_checked(struct exchange *ex, struct password_job *pj)
{
    if (!pj->verified) {
        respond_invalid_field(ex->req, "password", "your account's password",
                              "a password that does not match",
                              "the password is wrong; changing the e-mail address needs your "
                              "account's password");
        return;
    }
    if (password_job_failed(ex, pj))
        return;
    struct mail_token token = mail_token_new(ex);
    const char *fresh = exchange_strdup(ex, pj->email);
    /* the body says where the token goes; the token is stored apart */
    const char *args[EMAIL_CHANGE_REQUEST_NPARAMS] = {
        [EMAIL_CHANGE_REQUEST_P_USER_ID] = exchange_printf(ex, "%ld", pj->user_id),
        [EMAIL_CHANGE_REQUEST_P_VERIFIED_HASH] = exchange_strdup(ex, pj->hash),
        [EMAIL_CHANGE_REQUEST_P_NEW_EMAIL] = fresh,
        [EMAIL_CHANGE_REQUEST_P_TOKEN_DIGEST] = token.digest,
        [EMAIL_CHANGE_REQUEST_P_MAIL_NEW] = exchange_printf(ex,
                        "Ζητήθηκε αυτή η διεύθυνση να γίνει το email ενός λογαριασμού στο polis. "
                        "Για να το επιβεβαιώσετε ανοίξτε μέσα σε "
                        STRINGIFY(EMAIL_CHANGE_TOKEN_HOURS) " ώρες:\n%s\n\n"
                        "Someone asked to make this the e-mail address of a polis account. To "
                        "confirm, open the link above within " STRINGIFY(EMAIL_CHANGE_TOKEN_HOURS)
                        " hours,\nor send this code to POST /api/v1/auth/email-confirm: "
                        MAIL_TOKEN_PLACEHOLDER "\n\nIf it was not you, ignore this message: "
                        "nothing changes.\n",
                        mail_link(ex, "/account/email")),
        [EMAIL_CHANGE_REQUEST_P_TOKEN] = token.text,
        [EMAIL_CHANGE_REQUEST_P_MAIL_OLD] = exchange_printf(ex,
                        "Ζητήθηκε να αλλάξει το email του λογαριασμού σας στο polis σε %s. "
                        "Η αλλαγή γίνεται μόνο όταν ανοιχτεί ο σύνδεσμος που στάλθηκε εκεί.\n\n"
                        "A change of your polis account's e-mail address to %s was asked for. "
                        "It happens only when the link mailed there is opened.\nIf it was not "
                        "you, sign in and change your password now.\n",
                        fresh, fresh),
        [EMAIL_CHANGE_REQUEST_P_CLIENT_IP] = client_ip_or_null(ex),
    };
    exchange_query(ex, EMAIL_CHANGE_REQUEST_SQL, EMAIL_CHANGE_REQUEST_NPARAMS, args,
                   change_requested);
}

void api_me_email_change(struct exchange *ex)
{
    static const char *const allowed[] = {"new_email", "password", NULL};
    if (identity_require_session(ex, "changing the e-mail address"))
        return;
    if (mail_links_unavailable(ex))
        return;
    struct fields f;
    if (body_parse_object(ex, &f))
        return;
    const char *fresh = NULL, *password = NULL;
    fields_allow_only(&f, allowed);
    /* citext compares without case; so does this, for the ASCII a typo would change */
    if (field_email(&f, "new_email", 1, &fresh) == 1 && !strcasecmp(fresh, ex->who.email))
        field_error_append(&f.errors, "new_email", "an address other than the current one",
                           "the account's current address");
    field_string(&f, "password", 1, PASSWORD_MAX_BYTES, 1, &password);
    if (fields_reject(ex, &f))
        return;
    /* guessing the password with a stolen session is as slow as at sign-in */
    if (password_attempt_limited(ex, ex->who.email)) {
        fields_free(&f);
        return;
    }
    struct password_job *pj = password_job_new(ex, password, 1, change_password_checked);
    snprintf(pj->email, sizeof pj->email, "%s", fresh);
    pj->user_id = ex->who.user_id;
    fields_free(&f);
    password_job_verify_caller(pj);
}

/* ---- POST /api/v1/auth/email-confirm ----
 * Public, like the sign-up confirmation: the link may be opened in a
 * browser that is not signed in. */

static void change_confirmed(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (atol(PQgetvalue(res, 0, EMAIL_CHANGE_CONFIRM_TOKEN_OK)) == 0) {
        token_body_invalid(ex, "an e-mail change token that is unused and not expired",
                           "the e-mail change token is unknown, already used or expired ("
                           STRINGIFY(EMAIL_CHANGE_TOKEN_HOURS) " hours); ask for the change "
                           "again");
        return;
    }
    if (PQgetisnull(res, 0, EMAIL_CHANGE_CONFIRM_EMAIL)) {
        respond_problem(ex->req, 409, "/problems/email-taken", "Conflict", NULL,
                        "another account took this address meanwhile; the account keeps its "
                        "old address");
        return;
    }
    respond_json(ex->req, 200, json_pack("{s:s,s:s}", "status", "email_changed", "email",
                                         PQgetvalue(res, 0, EMAIL_CHANGE_CONFIRM_EMAIL)));
}

void api_auth_email_confirm(struct exchange *ex)
{
    const char *digest = token_body_digest(ex);
    if (!digest)
        return;
    const char *args[EMAIL_CHANGE_CONFIRM_NPARAMS] = {
        [EMAIL_CHANGE_CONFIRM_P_TOKEN_DIGEST] = digest,
        [EMAIL_CHANGE_CONFIRM_P_CLIENT_IP] = client_ip_or_null(ex),
    };
    exchange_query(ex, EMAIL_CHANGE_CONFIRM_SQL, EMAIL_CHANGE_CONFIRM_NPARAMS, args,
                   change_confirmed);
}
