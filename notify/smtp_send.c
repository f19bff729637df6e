#include "notify/smtp_send.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

struct upload {
    const char *data;
    size_t left;
};

static size_t read_message(char *buf, size_t size, size_t nitems, void *arg)
{
    struct upload *u = arg;
    size_t n = size * nitems < u->left ? size * nitems : u->left;
    memcpy(buf, u->data, n);
    u->data += n;
    u->left -= n;
    return n;
}

/* libcurl passes every SMTP reply line to the header callback: keep the
 * last one, but not the reply to QUIT (221), which says nothing about the
 * message. */
struct replies {
    char last[512];
};

static size_t on_reply(char *line, size_t size, size_t nitems, void *arg)
{
    struct replies *r = arg;
    size_t n = size * nitems;
    if (n >= 4 && !memcmp(line, "221", 3))
        return n;
    size_t keep = n < sizeof r->last - 1 ? n : sizeof r->last - 1;
    memcpy(r->last, line, keep);
    while (keep && (r->last[keep - 1] == '\n' || r->last[keep - 1] == '\r'))
        keep--;
    r->last[keep] = '\0';
    return n;
}

static enum smtp_outcome outcome_of(CURLcode rc, long code)
{
    if (rc == CURLE_OK)
        return SMTP_ACCEPTED;
    /* a refused AUTH or TLS is the configuration's trouble, not the
     * message's: it may be fixed before the give-up time */
    if (rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED)
        return SMTP_TRY_LATER;
    return code >= 500 && code < 600 ? SMTP_REFUSED : SMTP_TRY_LATER;
}

enum smtp_outcome smtp_send(const struct smtp_server *srv, const char *from_addr,
                            const char *to_addr, const char *message, char *answer,
                            size_t answerlen)
{
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(answer, answerlen, "not sent: libcurl could not start");
        return SMTP_TRY_LATER;
    }
    char from[320], to[320], error[CURL_ERROR_SIZE] = "";
    snprintf(from, sizeof from, "<%s>", from_addr);
    snprintf(to, sizeof to, "<%s>", to_addr);
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    struct upload up = {message, strlen(message)};
    struct replies replies = {""};
    curl_easy_setopt(curl, CURLOPT_URL, srv->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.left);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_reply);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &replies);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, srv->require_tls ? (long)CURLUSESSL_ALL
                                                             : (long)CURLUSESSL_TRY);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, srv->timeout_s);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, srv->timeout_s);
    if (srv->user && *srv->user) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, srv->user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, srv->password ? srv->password : "");
    }
    CURLcode rc = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);

    enum smtp_outcome outcome = outcome_of(rc, code);
    /* the server's refusal when there was one; else what went wrong (a
     * positive last reply, e.g. to EHLO, says nothing about the failure) */
    if (outcome == SMTP_ACCEPTED || (code >= 400 && *replies.last))
        snprintf(answer, answerlen, "%s", replies.last);
    else
        snprintf(answer, answerlen, "not sent: %s", *error ? error : curl_easy_strerror(rc));
    if (outcome != SMTP_ACCEPTED && code >= 400 && *error)
        snprintf(answer + strlen(answer), answerlen - strlen(answer), " (%s)", error);
    return outcome;
}
