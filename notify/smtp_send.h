/* Hands one composed message (notify/smtp_message.h) to an SMTP server with
 * libcurl: smtp:// with STARTTLS when the server offers it (or required,
 * POLIS_SMTP_REQUIRE_TLS), smtps:// with TLS from the start, AUTH when a
 * user is given (in the URL or apart). libcurl escapes a line that starts
 * with a dot (RFC 5321 dot-stuffing) and ends the data itself. */
#ifndef POLIS_SMTP_SEND_H
#define POLIS_SMTP_SEND_H

#include <stddef.h>

struct smtp_server {
    const char *url;      /* smtp://host[:port] or smtps://host[:port], may hold user:password@ */
    const char *user;     /* "" or NULL: none (or the URL's) */
    const char *password;
    int require_tls;      /* smtp://: refuse to send without STARTTLS */
    long timeout_s;       /* the whole exchange, connection included */
};

enum smtp_outcome {
    SMTP_ACCEPTED, /* the server took responsibility for the message (2xx after the data) */
    SMTP_REFUSED,  /* the server refused it for good (a 5xx to the sender, recipient or data) */
    SMTP_TRY_LATER /* no connection, a 4xx, TLS or AUTH trouble, a timeout: try again */
};

/* Sends message from from_addr to to_addr. answer receives the server's
 * last reply line ("250 2.0.0 Ok: queued as ...") or, when none came, what
 * went wrong ("could not connect: Couldn't connect to server"). */
enum smtp_outcome smtp_send(const struct smtp_server *srv, const char *from_addr,
                            const char *to_addr, const char *message, char *answer,
                            size_t answerlen);

#endif
