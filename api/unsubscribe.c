/* RFC 8058 one-click unsubscribe: every notification mail's
 * List-Unsubscribe is POLIS_PUBLIC_URL/api/v1/unsubscribe?token=<token>
 * (a token per mail, its digest in unsubscribe_tokens, bound to an account
 * and a kind of notification, the digest, or an anonymous report).
 *
 * POST with the form body "List-Unsubscribe=One-Click" (what a mail client
 * sends) stops that mail: the kind set to off (a digest's token: every kind
 * mailed daily), or no more mail about the anonymous report. GET only shows
 * a page whose button makes that POST, because mail scanners follow links
 * and must not unsubscribe anyone. Unknown or used token: 404. The route is
 * ACCESS_TOKEN: the token is the credential, no session or CSRF token is
 * asked for (the mail client has neither). */
#include "gis/notification_preferences_sql.h"
#include "api/api.h"
#include "http/respond.h"

#include <string.h>
#include <strings.h>

#define TOKEN_MAX 100 /* ours are 43 characters */

/* The token of the query, or NULL after answering: a token we could have
 * made (base64url) is looked up, anything else is unknown (404). */
static const char *query_token(struct exchange *ex)
{
    static const char *const allowed[] = {"token", NULL};
    params_allow_only(&ex->query, allowed);
    if (respond_params_problem(ex->req, &ex->query))
        return NULL;
    const char *token = params_get(&ex->query, "token");
    size_t n = token ? strlen(token) : 0;
    if (n < 1 || n > TOKEN_MAX ||
        strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n) {
        respond_problem(ex->req, 404, "/problems/not-found", "Not Found", NULL,
                        "no such unsubscribe link: expected ?token= as given in the mail's "
                        "List-Unsubscribe");
        return NULL;
    }
    return token;
}

static void unknown_token(struct exchange *ex)
{
    respond_problem(ex->req, 404, "/problems/not-found", "Not Found", NULL,
                    "this unsubscribe link is unknown or was used already");
}

/* A small page in both languages (no script, no outside resource). */
static void page(struct exchange *ex, const char *body_el, const char *body_en)
{
    const char *html = exchange_printf(
        ex,
        "<!DOCTYPE html>\n<html lang=\"el\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>polis: διακοπή μηνυμάτων / unsubscribe</title></head>\n"
        "<body style=\"font-family: sans-serif; max-width: 36em; margin: 2em auto; "
        "padding: 0 1em\">\n%s\n<div lang=\"en\">%s</div>\n</body></html>\n",
        body_el, body_en);
    respond_private(ex->req);
    respond_bytes(ex->req, 200, "text/html; charset=utf-8", html, strlen(html));
}

/* ---- GET /api/v1/unsubscribe?token= ---- */

static void found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) != 1) {
        unknown_token(ex);
        return;
    }
    const char *token = ex->handler_data;
    const char *form = exchange_printf(
        ex,
        "<form method=\"post\" action=\"/api/v1/unsubscribe?token=%s\">"
        "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
        "<button type=\"submit\">Διακοπή / Unsubscribe</button></form>",
        token); /* the token is base64url (query_token): nothing to escape */
    page(ex,
         exchange_printf(ex, "<h1>Διακοπή μηνυμάτων</h1><p>Να μη σας στέλνουμε πια αυτά τα "
                             "μηνύματα; Θα βρίσκετε τις ειδοποιήσεις στο γραμματοκιβώτιό σας "
                             "στο polis.</p>%s",
                         form),
         "<h1>Unsubscribe</h1><p>Press the button to stop these e-mails. Notifications stay "
         "in your polis mailbox.</p>");
}

void api_unsubscribe_page(struct exchange *ex)
{
    const char *token = query_token(ex);
    if (!token)
        return;
    ex->handler_data = (void *)token;
    const char *args[] = {token};
    exchange_query(ex, UNSUBSCRIBE_FIND_SQL, 1, args, found);
}

/* ---- POST /api/v1/unsubscribe?token= ---- */

static void unsubscribed(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (strcmp(PQgetvalue(res, 0, UNSUBSCRIBE_USED), "1")) {
        unknown_token(ex);
        return;
    }
    page(ex,
         "<h1>Έγινε</h1><p>Δεν θα λαμβάνετε πια αυτά τα μηνύματα. Μπορείτε να το αλλάξετε "
         "στις ρυθμίσεις ειδοποιήσεων του λογαριασμού σας.</p>",
         "<h1>Done</h1><p>You will no longer get these e-mails. You can change this in your "
         "account's notification settings.</p>");
}

void api_unsubscribe_one_click(struct exchange *ex)
{
    ssize_t ct = h2o_find_header(&ex->req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (ct < 0 || strncasecmp(ex->req->headers.entries[ct].value.base,
                              "application/x-www-form-urlencoded", 33)) {
        respond_problem(ex->req, 415, "/problems/unsupported-media-type",
                        "Unsupported Media Type", NULL,
                        "expected an application/x-www-form-urlencoded body "
                        "\"List-Unsubscribe=One-Click\" (RFC 8058)");
        return;
    }
    const char *token = query_token(ex);
    if (!token)
        return;
    /* the body is a form like a query string: the same parser and checks */
    struct params form;
    params_parse(&form, &ex->req->pool, ex->req->entity.base, ex->req->entity.len);
    static const char *const allowed[] = {"List-Unsubscribe", NULL};
    params_allow_only(&form, allowed);
    const char *value = params_get(&form, "List-Unsubscribe");
    if (!params_failed(&form) && (!value || strcmp(value, "One-Click")))
        params_error(&form, "List-Unsubscribe", "One-Click", value ? value : "nothing");
    if (params_failed(&form)) {
        respond_problem(ex->req, 400, "/problems/invalid-body", "Invalid request body",
                        params_take_errors(&form),
                        "expected the form body List-Unsubscribe=One-Click (RFC 8058)");
        return;
    }
    const char *args[] = {token};
    exchange_query(ex, UNSUBSCRIBE_SQL, 1, args, unsubscribed);
}
