/* An SMTP server of the tests' own: listens on a loopback port, takes mail
 * (EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS) on a
 * thread of its own and keeps each message as it arrived, dot-stuffing
 * undone. It can be told to refuse recipients, and stopped and started
 * again on the same port to play a server that is down. */
#ifndef POLIS_TEST_SMTP_SINK_H
#define POLIS_TEST_SMTP_SINK_H

struct smtp_sink;

/* Starts a sink on 127.0.0.1:port (0: a free port). Exits the test (via
 * h_fatal) when it cannot listen. */
struct smtp_sink *smtp_sink_start(int port);
int smtp_sink_port(const struct smtp_sink *s);

/* The reply to RCPT TO from now on, e.g. "550 5.1.1 no such mailbox";
 * NULL: "250 2.1.5 Ok". */
void smtp_sink_refuse_recipients(struct smtp_sink *s, const char *reply);

/* From the next connection on, mail is taken only after AUTH PLAIN with
 * this user and password (advertised in EHLO); user NULL: no AUTH. */
void smtp_sink_require_auth(struct smtp_sink *s, const char *user, const char *password);

/* Closes the port and every connection, and frees the sink. */
void smtp_sink_stop(struct smtp_sink *s);

/* Waits up to H_EVENT_DEADLINE_MS for a message whose envelope recipient
 * is rcpt; returns the message's data (headers and body, CRLF line ends,
 * malloc'd), or NULL when none came. A message is returned once. */
char *smtp_sink_wait(struct smtp_sink *s, const char *rcpt);

/* Messages received so far, any recipient. */
int smtp_sink_count(struct smtp_sink *s);

/* ---- reading a received message ---- */

/* The value of header name (unfolded: continuation lines joined with one
 * space; malloc'd), or NULL when the message has none. */
char *mail_header(const char *message, const char *name);

/* A header value with its RFC 2047 encoded-words (=?UTF-8?B?...?=) decoded
 * (malloc'd). */
char *mail_decode_words(const char *value);

/* The decoded content of the first MIME part whose Content-Type starts with
 * type ("text/plain"), base64 undone (malloc'd), or NULL when none. */
char *mail_part(const char *message, const char *type);

#endif
