#include "smtp_sink.h"

#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define SINK_MAX_MESSAGES 64

struct sink_message {
    char *rcpt; /* the envelope recipient, without <> */
    char *data;
    int taken;  /* returned by smtp_sink_wait already */
};

struct smtp_sink {
    int port, listen_fd, stop_pipe[2];
    pthread_t thread;
    pthread_mutex_t lock;
    char refuse[200]; /* reply to RCPT, "" for 250 */
    char auth_user[64], auth_password[64]; /* AUTH PLAIN needed when user is not "" */
    struct sink_message messages[SINK_MAX_MESSAGES];
    int nmessages;
};

static size_t b64_decode(const char *in, size_t n, char *out);

/* one client connection: a read buffer of lines */
struct sink_conn {
    struct smtp_sink *sink;
    int fd;
    char buf[65536];
    size_t len;
};

/* Reads one line (CRLF stripped) into line; 0 on success, -1 when the
 * client went away or the sink is stopping. */
static int read_line(struct sink_conn *c, char *line, size_t linelen)
{
    for (;;) {
        char *eol = memchr(c->buf, '\n', c->len);
        if (eol) {
            size_t n = (size_t)(eol - c->buf) + 1, keep = n - 1;
            if (keep && c->buf[keep - 1] == '\r')
                keep--;
            if (keep >= linelen)
                keep = linelen - 1;
            memcpy(line, c->buf, keep);
            line[keep] = '\0';
            memmove(c->buf, c->buf + n, c->len - n);
            c->len -= n;
            return 0;
        }
        if (c->len == sizeof c->buf)
            return -1;
        struct pollfd p[2] = {{c->fd, POLLIN, 0}, {c->sink->stop_pipe[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return -1;
        if (p[1].revents)
            return -1;
        if (!p[0].revents)
            continue;
        ssize_t got = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
        if (got <= 0)
            return -1;
        c->len += (size_t)got;
    }
}

static void reply(struct sink_conn *c, const char *text)
{
    char line[512];
    int n = snprintf(line, sizeof line, "%s\r\n", text);
    if (send(c->fd, line, (size_t)n, MSG_NOSIGNAL) < 0)
        return; /* the client went away; the next read says so */
}

/* DATA: lines up to the lone ".", dot-stuffing undone; malloc'd */
static char *read_data(struct sink_conn *c)
{
    size_t cap = 4096, len = 0;
    char *data = malloc(cap), line[8192];
    while (data && read_line(c, line, sizeof line) == 0) {
        if (!strcmp(line, "."))
            return data;
        const char *l = line[0] == '.' ? line + 1 : line;
        size_t n = strlen(l);
        if (len + n + 3 > cap && !(data = realloc(data, cap = (len + n + 3) * 2)))
            break;
        memcpy(data + len, l, n);
        memcpy(data + len + n, "\r\n", 3);
        len += n + 2;
    }
    free(data);
    return NULL;
}

static void store(struct smtp_sink *s, const char *rcpt, char *data)
{
    pthread_mutex_lock(&s->lock);
    if (s->nmessages < SINK_MAX_MESSAGES) {
        s->messages[s->nmessages].rcpt = strdup(rcpt);
        s->messages[s->nmessages++].data = data;
        data = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    free(data);
}

/* "MAIL FROM:<a@b>" -> "a@b" */
static void angle_addr(const char *line, char *out, size_t outlen)
{
    const char *lt = strchr(line, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    snprintf(out, outlen, "%.*s", lt && gt ? (int)(gt - lt - 1) : 0, lt ? lt + 1 : "");
}

/* AUTH PLAIN with its credentials in the command or on the next line:
 * 1 when they are the expected user and password */
static int auth_plain(struct sink_conn *c, const char *initial, const char *user,
                      const char *password)
{
    char line[1024], decoded[1024];
    if (!*initial) {
        reply(c, "334 ");
        if (read_line(c, line, sizeof line))
            return 0;
        initial = line;
    }
    size_t n = b64_decode(initial, strlen(initial), decoded); /* authzid NUL user NUL pw */
    const char *u = memchr(decoded, '\0', n);
    const char *pw = u ? memchr(u + 1, '\0', n - (size_t)(u + 1 - decoded)) : NULL;
    return pw && !strcmp(u + 1, user) && !strcmp(pw + 1, password) &&
           strlen(pw + 1) == n - (size_t)(pw + 1 - decoded);
}

static void serve_conn(struct sink_conn *c)
{
    char line[1024], rcpt[256] = "", user[64], password[64];
    int have_from = 0, authenticated = 0;
    pthread_mutex_lock(&c->sink->lock);
    snprintf(user, sizeof user, "%s", c->sink->auth_user);
    snprintf(password, sizeof password, "%s", c->sink->auth_password);
    pthread_mutex_unlock(&c->sink->lock);
    reply(c, "220 polis-test-sink ESMTP");
    while (read_line(c, line, sizeof line) == 0) {
        if (!strncasecmp(line, "EHLO", 4)) {
            reply(c, *user ? "250-polis-test-sink\r\n250-AUTH PLAIN\r\n250 8BITMIME"
                           : "250-polis-test-sink\r\n250 8BITMIME");
        } else if (*user && !strncasecmp(line, "AUTH PLAIN", 10)) {
            authenticated = auth_plain(c, line[10] ? line + 11 : "", user, password);
            reply(c, authenticated ? "235 2.7.0 Authentication successful"
                                   : "535 5.7.8 Authentication credentials invalid");
        } else if (*user && !authenticated && !strncasecmp(line, "MAIL FROM:", 10)) {
            reply(c, "530 5.7.0 Authentication required");
        } else if (!strncasecmp(line, "HELO", 4) || !strncasecmp(line, "NOOP", 4)) {
            reply(c, "250 Ok");
        } else if (!strncasecmp(line, "MAIL FROM:", 10)) {
            have_from = 1;
            rcpt[0] = '\0';
            reply(c, "250 2.1.0 Ok");
        } else if (!strncasecmp(line, "RCPT TO:", 8)) {
            char refuse[200];
            pthread_mutex_lock(&c->sink->lock);
            snprintf(refuse, sizeof refuse, "%s", c->sink->refuse);
            pthread_mutex_unlock(&c->sink->lock);
            if (*refuse) {
                reply(c, refuse);
            } else {
                angle_addr(line, rcpt, sizeof rcpt);
                reply(c, "250 2.1.5 Ok");
            }
        } else if (!strncasecmp(line, "DATA", 4)) {
            if (!have_from || !*rcpt) {
                reply(c, "503 5.5.1 need MAIL and RCPT first");
                continue;
            }
            reply(c, "354 End data with <CR><LF>.<CR><LF>");
            char *data = read_data(c);
            if (!data)
                return;
            store(c->sink, rcpt, data);
            reply(c, "250 2.0.0 Ok: queued by the test sink");
            have_from = 0;
            rcpt[0] = '\0';
        } else if (!strncasecmp(line, "RSET", 4)) {
            have_from = 0;
            rcpt[0] = '\0';
            reply(c, "250 Ok");
        } else if (!strncasecmp(line, "QUIT", 4)) {
            reply(c, "221 2.0.0 Bye");
            return;
        } else {
            reply(c, "502 5.5.2 command not recognised");
        }
    }
}

static void *sink_main(void *arg)
{
    struct smtp_sink *s = arg;
    for (;;) {
        struct pollfd p[2] = {{s->listen_fd, POLLIN, 0}, {s->stop_pipe[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return NULL;
        if (p[1].revents)
            return NULL;
        if (!p[0].revents)
            continue;
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        struct sink_conn *c = calloc(1, sizeof *c);
        if (c) {
            c->sink = s;
            c->fd = fd;
            serve_conn(c);
            free(c);
        }
        close(fd);
    }
}

struct smtp_sink *smtp_sink_start(int port)
{
    struct smtp_sink *s = calloc(1, sizeof *s);
    if (!s || pipe(s->stop_pipe))
        h_fatal("smtp sink: out of memory or pipes");
    pthread_mutex_init(&s->lock, NULL);
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (bind(s->listen_fd, (struct sockaddr *)&a, sizeof a) || listen(s->listen_fd, 16) ||
        getsockname(s->listen_fd, (struct sockaddr *)&a, &alen))
        h_fatal("smtp sink: cannot listen on 127.0.0.1:%d: %s", port, strerror(errno));
    s->port = ntohs(a.sin_port);
    if (pthread_create(&s->thread, NULL, sink_main, s))
        h_fatal("smtp sink: cannot start its thread");
    return s;
}

int smtp_sink_port(const struct smtp_sink *s)
{
    return s->port;
}

void smtp_sink_refuse_recipients(struct smtp_sink *s, const char *reply_line)
{
    pthread_mutex_lock(&s->lock);
    snprintf(s->refuse, sizeof s->refuse, "%s", reply_line ? reply_line : "");
    pthread_mutex_unlock(&s->lock);
}

void smtp_sink_require_auth(struct smtp_sink *s, const char *user, const char *password)
{
    pthread_mutex_lock(&s->lock);
    snprintf(s->auth_user, sizeof s->auth_user, "%s", user ? user : "");
    snprintf(s->auth_password, sizeof s->auth_password, "%s", password ? password : "");
    pthread_mutex_unlock(&s->lock);
}

void smtp_sink_stop(struct smtp_sink *s)
{
    if (write(s->stop_pipe[1], "x", 1) != 1)
        h_fatal("smtp sink: cannot signal its thread");
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
    close(s->stop_pipe[0]);
    close(s->stop_pipe[1]);
    for (int i = 0; i < s->nmessages; i++) {
        free(s->messages[i].rcpt);
        free(s->messages[i].data);
    }
    pthread_mutex_destroy(&s->lock);
    free(s);
}

char *smtp_sink_wait(struct smtp_sink *s, const char *rcpt)
{
    long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS;
    do {
        char *found = NULL;
        pthread_mutex_lock(&s->lock);
        for (int i = 0; i < s->nmessages && !found; i++)
            if (!s->messages[i].taken && !strcasecmp(s->messages[i].rcpt, rcpt)) {
                s->messages[i].taken = 1;
                found = strdup(s->messages[i].data);
            }
        pthread_mutex_unlock(&s->lock);
        if (found)
            return found;
        h_sleep_ms(100);
    } while (h_now_ms() < deadline);
    return NULL;
}

int smtp_sink_count(struct smtp_sink *s)
{
    pthread_mutex_lock(&s->lock);
    int n = s->nmessages;
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* ------------------------------------------------ reading what arrived */

static int b64_value(char c)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

/* base64 of n characters (others than the alphabet skipped) appended to out */
static size_t b64_decode(const char *in, size_t n, char *out)
{
    size_t len = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n && in[i] != '='; i++) {
        int v = b64_value(in[i]);
        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        if ((bits += 6) >= 8) {
            bits -= 8;
            out[len++] = (char)((acc >> bits) & 0xff);
        }
    }
    out[len] = '\0';
    return len;
}

char *mail_header(const char *message, const char *name)
{
    size_t nlen = strlen(name);
    const char *end = strstr(message, "\r\n\r\n");
    for (const char *line = message; line && line < end;) {
        const char *next = strstr(line, "\r\n");
        if (!strncasecmp(line, name, nlen) && line[nlen] == ':') {
            const char *v = line + nlen + 1;
            size_t cap = strlen(v) + 1, len = 0;
            char *out = malloc(cap);
            while (*v == ' ')
                v++;
            for (;;) { /* this line, then each continuation line */
                const char *eol = strstr(v, "\r\n");
                memcpy(out + len, v, (size_t)(eol - v));
                len += (size_t)(eol - v);
                if (eol[2] != ' ' && eol[2] != '\t')
                    break;
                for (v = eol + 2; *v == ' ' || *v == '\t'; v++)
                    ;
                out[len++] = ' ';
            }
            out[len] = '\0';
            return out;
        }
        line = next ? next + 2 : NULL;
    }
    return NULL;
}

char *mail_decode_words(const char *value)
{
    char *out = calloc(1, strlen(value) + 1);
    size_t len = 0;
    int after_word = 0;
    for (const char *p = value; *p;) {
        const char *end = !strncasecmp(p, "=?UTF-8?B?", 10) ? strstr(p + 10, "?=") : NULL;
        if (end) {
            len += b64_decode(p + 10, (size_t)(end - p - 10), out + len);
            p = end + 2;
            after_word = 1;
            continue;
        }
        size_t spaces = strspn(p, " ");
        /* white space between two encoded-words is not part of the text */
        if (after_word && spaces && !strncasecmp(p + spaces, "=?UTF-8?B?", 10)) {
            p += spaces;
            continue;
        }
        out[len++] = *p++;
        out[len] = '\0';
        after_word = 0;
    }
    return out;
}

char *mail_part(const char *message, const char *type)
{
    char needle[128];
    snprintf(needle, sizeof needle, "\r\nContent-Type: %s", type);
    const char *part = strstr(message, needle);
    const char *body = part ? strstr(part, "\r\n\r\n") : NULL;
    if (!body)
        return NULL;
    body += 4;
    const char *end = strstr(body, "\r\n--");
    size_t n = end ? (size_t)(end - body) : strlen(body);
    char *out = malloc(n + 1);
    b64_decode(body, n, out);
    return out;
}
