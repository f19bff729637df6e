/* The calls polis makes to an identity provider (discovery, JWKS, token,
 * userinfo), with libcurl. Blocking: run them only off the event loop (the
 * offload pool). No redirects are followed; a reply is at most
 * OIDC_HTTP_MAX_BYTES and takes at most 10 s. */
#ifndef POLIS_OIDC_HTTP_H
#define POLIS_OIDC_HTTP_H

#include <jansson.h>
#include <stddef.h>

#define OIDC_HTTP_MAX_BYTES (256 * 1024)

struct oidc_http_call {
    const char *url;
    const char *bearer;      /* Authorization: Bearer (userinfo), or NULL */
    const char *basic_user;  /* client_secret_basic (token), or NULL */
    const char *basic_pass;
    const char *form;        /* an application/x-www-form-urlencoded body: POST; NULL: GET */
};

/* Makes the call; a 200 whose body is a JSON object gives it (json_decref
 * it; *raw, when raw is not NULL, gets the body as text, malloc'd). NULL
 * otherwise, with what went wrong (status, the provider's error) in err. */
json_t *oidc_http_json(const struct oidc_http_call *call, char **raw, char *err, size_t errlen);

/* value, form-urlencoded (malloc'd). */
char *oidc_http_escape(const char *value);

#endif
