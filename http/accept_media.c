/* Which media type an Accept header prefers: HTML or JSON (the OGC API's
 * pages, api/ogc_html.c). Reads only the bytes given. */
#include "http/accept_media.h"

#include <string.h>
#include <strings.h>

/* The q of the media range at s (n bytes, up to its ','): 1 when it has no
 * q parameter, 0 when q is malformed. */
static double range_q(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] == ';') {
            size_t k = i + 1;
            while (k < n && s[k] == ' ')
                k++;
            if (k + 2 > n || strncasecmp(s + k, "q=", 2))
                continue;
            k += 2;
            double q = 0, scale = 1;
            int digits = 0;
            for (; k < n && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.'); k++) {
                if (s[k] == '.') {
                    if (scale < 1)
                        return 0;
                    scale = 0.1;
                    continue;
                }
                if (scale < 1)
                    q += (s[k] - '0') * scale, scale /= 10;
                else
                    q = q * 10 + (s[k] - '0');
                digits++;
            }
            return digits && q <= 1 ? q : 0;
        }
    return 1;
}

/* 1 when the media range at s (n bytes) is type (exactly, before any ';'). */
static int range_is(const char *s, size_t n, const char *type)
{
    size_t len = strlen(type);
    return n >= len && !strncasecmp(s, type, len) &&
           (n == len || s[len] == ';' || s[len] == ' ');
}

/* 1 when the range is a JSON type (application/json, application/geo+json,
 * application/schema+json, ...) or a wildcard. */
static int range_is_json(const char *s, size_t n)
{
    size_t type = 0;
    while (type < n && s[type] != ';' && s[type] != ' ')
        type++;
    if (range_is(s, type, "*/*") || range_is(s, type, "application/*"))
        return 1;
    return type >= 4 && !strncasecmp(s + type - 4, "json", 4);
}

int accept_prefers_html(const char *v, size_t len)
{
    double html = 0, json = 0;
    int html_first = 0, json_seen = 0;
    size_t at = 0;
    while (at < len) {
        while (at < len && (v[at] == ' ' || v[at] == '\t'))
            at++;
        size_t end = at;
        while (end < len && v[end] != ',')
            end++;
        const char *s = v + at;
        size_t n = end - at;
        double q = range_q(s, n);
        if (range_is(s, n, "text/html") || range_is(s, n, "application/xhtml+xml")) {
            if (q > html)
                html = q;
            if (!json_seen)
                html_first = 1;
        } else if (range_is_json(s, n)) {
            if (q > json)
                json = q;
            json_seen = 1;
        }
        at = end + 1;
    }
    return html > 0 && (html > json || (html == json && html_first));
}
