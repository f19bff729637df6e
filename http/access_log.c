/* The access log: one line per request on stderr (time, method, path
 * without its query, status, bytes, milliseconds). Method and path come
 * from the client, so control bytes, backslashes and invalid UTF-8 are
 * written as \\xHH: a request cannot forge log lines or send terminal
 * escapes to whoever reads the log. */
#include "http/access_log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 when the
 * bytes there are not one (stray continuation, overlong form, surrogate,
 * beyond U+10FFFF, truncated). */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || len > n)
        return 0;
    unsigned long cp = len == 1 ? c : c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const unsigned long min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Copies at most max bytes of in into out (room for 4 * max + 1) so that a
 * log line can hold no control character (a newline would forge a line, an
 * ESC would drive the terminal) and no invalid UTF-8: those bytes, and the
 * backslash that introduces the escapes, become \xHH. Returns out. */
static char *log_escape(char *out, const char *in, size_t len, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)in;
    size_t n = len < max ? len : max, o = 0;
    for (size_t i = 0; i < n;) {
        size_t seq = utf8_sequence(s + i, n - i);
        if (seq && (seq > 1 || (s[i] >= 0x20 && s[i] != 0x7F && s[i] != '\\'))) {
            memcpy(out + o, s + i, seq);
            o += seq, i += seq;
            continue;
        }
        out[o++] = '\\', out[o++] = 'x';
        out[o++] = hex[s[i] >> 4], out[o++] = hex[s[i] & 15];
        i++;
    }
    out[o] = '\0';
    return out;
}

#define LOG_PATH_MAX 300  /* bytes of the path logged */
#define LOG_METHOD_MAX 24

void access_log_write(struct exchange *ex, double seconds)
{
    h2o_req_t *req = ex->req;
    char line[64 + 4 * (LOG_METHOD_MAX + LOG_PATH_MAX) + 64];
    char method[4 * LOG_METHOD_MAX + 1], path[4 * LOG_PATH_MAX + 1];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* the path without its query: query strings may carry keys or tokens */
    int n = snprintf(line, sizeof line, "%s %s %s %d %zuB %.1fms\n", ts,
                     log_escape(method, req->method.base, req->method.len, LOG_METHOD_MAX),
                     log_escape(path, req->path_normalized.base, req->path_normalized.len,
                                LOG_PATH_MAX),
                     req->res.status, req->bytes_sent, seconds * 1000);
    if (n > 0)
        (void)!write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}
