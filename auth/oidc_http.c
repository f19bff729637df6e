#include "auth/oidc_http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reply {
    char *p;
    size_t len;
    int too_big;
};

static size_t collect(char *data, size_t size, size_t n, void *userdata)
{
    struct reply *r = userdata;
    size_t add = size * n;
    if (r->len + add > OIDC_HTTP_MAX_BYTES) {
        r->too_big = 1;
        return 0;
    }
    char *p = realloc(r->p, r->len + add + 1);
    if (!p)
        return 0;
    memcpy(p + r->len, data, add);
    r->p = p;
    r->len += add;
    p[r->len] = '\0';
    return add;
}

char *oidc_http_escape(const char *value)
{
    char *e = curl_easy_escape(NULL, value, 0);
    char *copy = e ? strdup(e) : NULL;
    curl_free(e);
    return copy;
}

json_t *oidc_http_json(const struct oidc_http_call *call, char **raw, char *err, size_t errlen)
{
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(err, errlen, "could not start an HTTP client");
        return NULL;
    }
    struct reply r = {0};
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
    char *auth = NULL;
    if (call->bearer) {
        size_t n = strlen(call->bearer) + 32;
        auth = malloc(n);
        if (auth) {
            snprintf(auth, n, "Authorization: Bearer %s", call->bearer);
            headers = curl_slist_append(headers, auth);
        }
    }
    curl_easy_setopt(curl, CURLOPT_URL, call->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "polis");
    if (call->basic_user) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(curl, CURLOPT_USERNAME, call->basic_user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, call->basic_pass ? call->basic_pass : "");
    }
    if (call->form)
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call->form);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    free(auth);
    curl_easy_cleanup(curl);
    json_t *j = NULL;
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s: %s", call->url,
                 r.too_big ? "the reply is larger than 256 KiB" : curl_easy_strerror(rc));
    } else if (!(j = json_loadb(r.p ? r.p : "", r.len, 0, NULL)) || !json_is_object(j)) {
        snprintf(err, errlen, "%s: expected a JSON object, found HTTP %ld with %zu bytes that "
                 "are not one", call->url, status, r.len);
        json_decref(j);
        j = NULL;
    } else if (status != 200) {
        const char *e = json_string_value(json_object_get(j, "error"));
        snprintf(err, errlen, "%s: expected HTTP 200, found %ld (error: %.100s)", call->url,
                 status, e ? e : "not given");
        json_decref(j);
        j = NULL;
    }
    if (j && raw) {
        *raw = r.p;
        r.p = NULL;
    }
    free(r.p);
    return j;
}
