/* RFC 8058 one-click unsubscribe: every notification mail's
 * List-Unsubscribe is POLIS_PUBLIC_URL/api/v1/unsubscribe?token=<token>
 * (a token per mail, its digest in unsubscribe_tokens, bound to an account
 * and a kind of notification, the digest, or an anonymous report).
 *
 * POST with the form body "List-Unsubscribe=One-Click" (what a mail client
 * sends, as multipart/form-data or x-www-form-urlencoded) stops that mail:
 * the kind set to off (a digest's token: every kind mailed daily), or no
 * more mail about the anonymous report. GET only shows a page whose button
 * makes that POST, because mail scanners follow links and must not
 * unsubscribe anyone. Unknown or used token: 404. The route is
 * ACCESS_TOKEN: the token is the credential, no session or CSRF token is
 * asked for (the mail client has neither). */
#include "gis/notification_preferences_sql.h"
#include "api/api.h"
#include "http/multipart.h"
#include "http/respond.h"

#include <string.h>
#include <strings.h>

#define TOKEN_MAX 100 /* ours are 43 characters */
#define ONE_CLICK_PART_MAX 64 /* "One-Click" is all a part may hold */

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

static void bad_body(struct exchange *ex, const char *found)
{
    json_t *errors = NULL;
    field_error_append(&errors, "List-Unsubscribe", "One-Click", found);
    respond_problem(ex->req, 400, "/problems/invalid-body", "Invalid request body", errors,
                    "expected the form body List-Unsubscribe=One-Click (RFC 8058)");
}

/* Whether the body is the one-click form: RFC 8058 recommends
 * multipart/form-data and allows application/x-www-form-urlencoded; each is
 * read by the parser every other body of that type goes through. Answers
 * and returns 0 when it is not. */
static int one_click_body(struct exchange *ex)
{
    h2o_req_t *req = ex->req;
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    const char *type = i < 0 ? "" : req->headers.entries[i].value.base;
    size_t type_len = i < 0 ? 0 : req->headers.entries[i].value.len;
    char boundary[MULTIPART_BOUNDARY_MAX + 1], err[256];
    int multipart = multipart_boundary(type, type_len, boundary, sizeof boundary, err, sizeof err);
    const char *value = NULL;
    size_t len = 0;
    if (multipart == 1) {
        struct multipart *mp = h2o_mem_alloc_pool(&req->pool, sizeof *mp);
        if (multipart_parse(req->entity.base, req->entity.len, boundary, ONE_CLICK_PART_MAX, mp,
                            err, sizeof err) != MULTIPART_OK) {
            bad_body(ex, err);
            return 0;
        }
        const struct multipart_part *part = multipart_get(mp, "List-Unsubscribe");
        if (part) {
            value = part->data;
            len = part->len;
        }
    } else if (multipart == 0 && type_len >= 33 &&
               !strncasecmp(type, "application/x-www-form-urlencoded", 33)) {
        struct params form;
        params_parse(&form, &req->pool, req->entity.base, req->entity.len);
        if ((value = params_get(&form, "List-Unsubscribe")))
            len = strlen(value);
        json_decref(params_take_errors(&form)); /* other fields: not ours to judge */
    } else {
        respond_problem(req, 415, "/problems/unsupported-media-type", "Unsupported Media Type",
                        NULL, "expected a multipart/form-data or "
                        "application/x-www-form-urlencoded body \"List-Unsubscribe=One-Click\" "
                        "(RFC 8058)%s%s", multipart < 0 ? ": " : "", multipart < 0 ? err : "");
        return 0;
    }
    if (len != 9 || memcmp(value, "One-Click", 9)) {
        bad_body(ex, value ? exchange_printf(ex, "%.*s", (int)(len < 40 ? len : 40), value)
                           : "no List-Unsubscribe field");
        return 0;
    }
    return 1;
}

void api_unsubscribe_one_click(struct exchange *ex)
{
    const char *token = query_token(ex);
    if (!token || !one_click_body(ex))
        return;
    const char *args[] = {token};
    exchange_query(ex, UNSUBSCRIBE_SQL, 1, args, unsubscribed);
}
