/* The signed-in user's notification preferences: for each kind of
 * notification (sql/025_notification_preferences.sql), whether it is also
 * mailed: "off", "immediate" or "daily" (one digest a day). The mailbox
 * gets every notification whatever is chosen; the list says so
 * ("mailbox": true). Staff and admins have one more kind (their
 * department's new reports and citizens' messages).
 *
 * PUT takes {"email": {"<kind>": "<mode>", ...}}: only the kinds named
 * change; an unknown kind or mode is a 422 naming it, and nothing is
 * stored. Both answer the whole list. */
#include "gis/notification_preferences_sql.h"
#include "api/api.h"
#include "http/body.h"
#include "http/respond.h"

#include <string.h>

#define KINDS_MAX 20

static const char *staff_flag(struct exchange *ex)
{
    return ex->who.rank >= 2 ? "true" : "false";
}

/* ---- GET /api/v1/me/notification-preferences ---- */

static void listed(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    respond_header(ex->req, "cache-control", "no-store");
    respond_column(ex->req, 200, CT_JSON, res, NOTIFICATION_PREFS_LIST_BODY);
}

void api_me_notification_prefs_get(struct exchange *ex)
{
    params_allow_only(&ex->query, (const char *const[]){NULL});
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *args[NOTIFICATION_PREFS_LIST_NPARAMS] = {
        [NOTIFICATION_PREFS_LIST_P_USER_ID] = exchange_printf(ex, "%ld", ex->who.user_id),
        [NOTIFICATION_PREFS_LIST_P_STAFF] = staff_flag(ex),
    };
    exchange_query(ex, NOTIFICATION_PREFS_LIST_SQL, NOTIFICATION_PREFS_LIST_NPARAMS, args, listed);
}

/* ---- PUT /api/v1/me/notification-preferences ---- */

static void stored(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetisnull(res, 0, NOTIFICATION_PREFS_SET_BODY)) {
        json_t *errors = NULL;
        field_error_append(&errors, "email",
                           exchange_printf(ex, "kinds of notification you have: %s",
                                           PQgetvalue(res, 0, NOTIFICATION_PREFS_SET_KNOWN)),
                           exchange_printf(ex, "%s",
                                           PQgetvalue(res, 0, NOTIFICATION_PREFS_SET_UNKNOWN)));
        respond_problem(ex->req, 422, "/problems/invalid-body", "Invalid request body", errors,
                        "a kind of notification is not one you have; nothing was changed");
        return;
    }
    respond_column(ex->req, 200, CT_JSON, res, NOTIFICATION_PREFS_SET_BODY);
}

static int kind_name_ok(const char *k)
{
    size_t n = strlen(k);
    if (n < 1 || n > 40 || k[0] < 'a' || k[0] > 'z')
        return 0;
    return strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static int mode_ok(const char *m)
{
    return m && (!strcmp(m, "off") || !strcmp(m, "immediate") || !strcmp(m, "daily"));
}

/* Appends item to a text[] literal being built ("{a,b"); the items are
 * checked names and modes, so nothing needs quoting. */
static const char *array_add(struct exchange *ex, const char *array, const char *item)
{
    return exchange_printf(ex, "%s%s%s", array, array[1] ? "," : "", item);
}

void api_me_notification_prefs_put(struct exchange *ex)
{
    static const char *const allowed[] = {"email", NULL};
    struct fields f;
    if (body_parse_object(ex, &f))
        return;
    fields_allow_only(&f, allowed);
    json_t *email = json_object_get(f.obj, "email");
    const char *kinds = "{", *modes = "{";
    if (!json_is_object(email) || json_object_size(email) < 1 ||
        json_object_size(email) > KINDS_MAX) {
        field_error_append(&f.errors, "email",
                           "an object of 1 to 20 members, kind of notification: \"off\", "
                           "\"immediate\" or \"daily\"",
                           !email                ? "nothing"
                           : json_is_object(email) ? exchange_printf(ex, "%zu members",
                                                                     json_object_size(email))
                                                   : "not an object");
    } else {
        const char *kind;
        json_t *value;
        json_object_foreach(email, kind, value) {
            const char *mode = json_string_value(value);
            if (!kind_name_ok(kind))
                field_error_append(&f.errors, "email",
                                   "kinds named by GET /api/v1/me/notification-preferences",
                                   exchange_printf(ex, "%.60s", kind));
            else if (!mode_ok(mode))
                field_error_append(&f.errors, exchange_printf(ex, "email.%s", kind),
                                   "\"off\", \"immediate\" or \"daily\"",
                                   mode ? exchange_printf(ex, "\"%.40s\"", mode) : "not a string");
            else {
                kinds = array_add(ex, kinds, kind);
                modes = array_add(ex, modes, mode);
            }
        }
    }
    if (fields_reject(ex, &f))
        return;
    fields_free(&f);
    const char *args[NOTIFICATION_PREFS_SET_NPARAMS] = {
        [NOTIFICATION_PREFS_SET_P_USER_ID] = exchange_printf(ex, "%ld", ex->who.user_id),
        [NOTIFICATION_PREFS_SET_P_STAFF] = staff_flag(ex),
        [NOTIFICATION_PREFS_SET_P_KINDS] = exchange_printf(ex, "%s}", kinds),
        [NOTIFICATION_PREFS_SET_P_EMAILS] = exchange_printf(ex, "%s}", modes),
    };
    exchange_query(ex, NOTIFICATION_PREFS_SET_SQL, NOTIFICATION_PREFS_SET_NPARAMS, args, stored);
}
