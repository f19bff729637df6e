/* One outbox message as the bytes handed to an SMTP server (RFC 5322 with
 * MIME): multipart/alternative of the text and an HTML part, both UTF-8 in
 * base64 (so no line is too long and none starts with a dot), a subject
 * that is not ASCII encoded per RFC 2047, a Message-ID, threading headers
 * that group one report's mails, and RFC 8058 one-click unsubscribe on
 * notification mail. Lines end in CRLF. No I/O here. */
#ifndef POLIS_SMTP_MESSAGE_H
#define POLIS_SMTP_MESSAGE_H

#include <stddef.h>
#include <time.h>

struct mail_message {
    const char *from;             /* address (POLIS_MAIL_FROM) */
    const char *to;               /* address */
    const char *subject;          /* UTF-8 */
    const char *text;             /* UTF-8, lines end in "\n" */
    const char *html;             /* UTF-8 document, or NULL: made from text, escaped */
    const char *message_id;       /* without <> */
    const char *thread_root;      /* the thread's root Message-ID without <>, or NULL */
    const char *list_unsubscribe; /* one-click URL (notification mail), or NULL */
    time_t date;
};

/* The message as a malloc'd NUL-terminated string; NULL, with the reason in
 * err, when a header value holds a line break or another control character
 * (it would inject headers). */
char *mail_message_compose(const struct mail_message *m, char *err, size_t errlen);

/* The domain of an address ("polis@serres.gr" -> "serres.gr"), or "" when
 * it has no '@'. */
const char *mail_address_domain(const char *address);

#endif
