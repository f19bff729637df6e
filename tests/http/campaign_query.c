/* The bad-input campaign: bad path ids and broken query strings (campaign.h). */
#include "campaign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the defects */

/* Path ids none of which names an existing object: no small positive
 * integers, nothing that a lenient integer parser reads as one. */
static const char *const bad_ids[] = {
    "0", "-1", "999999999", "abc", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "99999999999999999999999999999999", "1e309", "-1e309", "NaN",
    "nan", "inf", "-0", "0x10", "1.5", "999999999.0", "..", "%2e%2e", ".", "%00", "%00%00",
    "999999999%00", "%C3%28", "%FF", "%FF%FE%FD", "%C0%AF", "%ED%A0%80", "%F4%90%80%80",
    "%2F", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%252e%252e",
    "%27", "%27%3B%20DROP%20TABLE%20users%3B--", "%22", "%3Cscript%3E", "%0A", "%0D%0A",
    "~", "*", "%20", "%09", "null", "true", "[]", "%7B%7D", "%E2%80%AE", "%EF%BB%BF",
    "999999999.json", "%FF.json", "..%2Fapp.js", "%00.json",
};

/* A long segment: thousands of characters, digits, or invalid bytes. */
static void long_segment(struct sb *b)
{
    static const char *const units[] = {"a", "9", "%FF", "%C3%28", "%00", "%E2%82%AC", ".."};
    const char *u = PICK(units);
    size_t times = 1000 + pick(9000);
    sb_repeat(b, u, times / strlen(u) + 1);
}

void bad_segment(struct sb *b)
{
    if (pick(8) == 0)
        long_segment(b);
    else
        sb_add(b, PICK(bad_ids));
}

/* Query parameter names the API uses (server/api_*.c), so values reach the
 * handlers' own checks instead of only the unknown-parameter check. */
static const char *const param_names[] = {
    "limit", "offset", "after", "bbox", "lat", "lon", "long", "q", "category", "status",
    "level", "near", "radius", "radius_m", "filter", "filter-lang", "filter-crs", "datetime",
    "f", "secret", "department", "since", "from", "to", "lang", "page", "page_size",
    "service_code", "service_request_id", "start_date", "end_date", "jurisdiction_id",
    "api_key", "crs", "bbox-crs", "properties", "sortby", "email", "role", "until", "kind",
    "t", "token", "mode", "id", "code", "include", "tags",
};

static const char *const bad_values[] = {
    "", "abc", "-1", "-999999999999", "0", "NaN", "nan", "Infinity", "-inf", "1e309",
    "-1e309", "1e-400", "0x1F", "1,2", "1;2", "true", "[]", "{}", "null", "%00", "1%00",
    "%00abc", "%C3%28", "%FF", "%FF%FE", "%C0%80", "%ED%A0%80", "%F8%88%80%80%80",
    "%E2%80%AE", "%27", "%27%20OR%201%3D1--", "%3B", "%25", "%", "%G1", "%2", "+", "++",
    "%2B", "..%2F..%2Fetc%2Fpasswd", "2026-13-45", "2026-02-30T25:61:61Z",
    "2026-01-01T00:00:00+99:99", "9999999999-01-01", "..", "1,2,3", "1,2,3,4,5", ",,,",
    "a,b,c,d", "180,90,-180,-90", "-181,-91,181,91", "NaN,NaN,NaN,NaN",
    "1e309,1,2,3", "23.5,41.0,23.6", "23.5,41.0,23.6,41.1,5", "41.09%0023.5",
    "code%20IN%20(", "name%20%3D%20%27", "S_INTERSECTS(geom,POINT(", "((((((((((((",
    "1%20AND%20", "draft", "all", "archived", "%E2%82%AC%E2%82%AC",
};

void bad_value(struct sb *b)
{
    if (pick(12) == 0) {
        /* a long value: thousands of bytes */
        static const char *const units[] = {"a", "9", "%FF", "%00", "(", "1,", "%C3%28"};
        const char *u = PICK(units);
        sb_repeat(b, u, 2000 + pick(6000));
    } else {
        sb_add(b, PICK(bad_values));
    }
}

const char *const kind_name[NKINDS] = {
    "path", "query:repeat", "query:1000", "query:unknown", "query:wrong-type",
    "query:numbers", "query:bbox", "query:empty", "query:utf8", "query:nul", "query:huge",
    "query:broken", "body:wrong-types", "body:one-wrong", "body:not-object", "body:truncated",
    "body:oversized", "body:deep", "body:bytes", "body:content-type", "body:multipart",
    "header:cookie", "header:auth", "header:conditional", "raw",
};

/* ---- query strings */

static void query_sep(struct sb *t)
{
    sb_add(t, strchr(t->p, '?') ? "&" : "?");
}

void build_query(struct request *q, enum kind k)
{
    struct sb *t = &q->target;
    switch (k) {
    case K_Q_REPEAT: {
        const char *name = PICK(param_names);
        for (int i = 0, n = 2 + (int)pick(5); i < n; i++) {
            query_sep(t);
            sb_printf(t, "%s=", name);
            sb_add(t, pick(2) ? "1" : PICK(bad_values));
        }
        break;
    }
    case K_Q_MANY:
        for (int i = 0; i < 1000; i++) {
            query_sep(t);
            if (pick(2))
                sb_printf(t, "p%d=%d", i, i);
            else
                sb_printf(t, "%s=%d", param_names[(size_t)i % (sizeof param_names /
                                                                sizeof param_names[0])], i);
        }
        break;
    case K_Q_UNKNOWN: {
        static const char *const unknown[] = {"foo", "__proto__", "constructor", "limit[]",
                                              "limit[0]", "LIMIT", "Limit", "x-debug",
                                              "callback", "format", "%00", "%FF", "a.b",
                                              "select", "where"};
        query_sep(t);
        sb_printf(t, "%s=", PICK(unknown));
        bad_value(t);
        break;
    }
    case K_Q_WRONG_TYPE:
        for (int i = 0, n = 1 + (int)pick(4); i < n; i++) {
            query_sep(t);
            sb_printf(t, "%s=", PICK(param_names));
            bad_value(t);
        }
        break;
    case K_Q_NUMBERS: {
        static const char *const numbers[] = {
            "-1", "-0", "0", "NaN", "-NaN", "1e309", "-1e309", "1e-309", "Infinity",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "99999999999999999999999999999999999999", "0.0000001",
            "1.", ".5", "1e", "0b101", "0o17", "1_000", "٣", "%D9%A3", "１"};
        static const char *const numeric[] = {"limit", "offset", "lat", "lon", "long",
                                              "radius", "radius_m", "page", "page_size",
                                              "near", "after", "since", "level", "t"};
        for (int i = 0, n = 1 + (int)pick(3); i < n; i++) {
            query_sep(t);
            sb_printf(t, "%s=%s", PICK(numeric), PICK(numbers));
        }
        break;
    }
    case K_Q_BBOX: {
        static const char *const bboxes[] = {
            "23,40,24", "23,40,24,41,5", "", ",", ",,,", "23,40,24,41,", "a,b,c,d",
            "24,40,23,41", "23,41,24,40", "-180,-90,180,90", "NaN,40,24,41", "23,40,24,1e309",
            "-1e309,-1e309,1e309,1e309", "23;40;24;41", "23%2040%2024%2041", "23,40,,41",
            "23.5,41.09,23.5,41.09", "1,1,1,1,1,1,1,1,1,1", "23%0040,24,41", "%FF,40,24,41",
            "200,100,300,120", "23,40,24,41&bbox=1,2,3,4"};
        query_sep(t);
        sb_printf(t, "bbox=%s", PICK(bboxes));
        if (pick(3) == 0)
            sb_printf(t, "&bbox-crs=%s", pick(2) ? "EPSG:99999" : "%FF");
        break;
    }
    case K_Q_EMPTY: {
        static const char *const empties[] = {"limit=", "bbox=", "lat=&lon=", "=", "=1",
                                              "&", "&&&", "q=", "filter=", "status=",
                                              "category=", "f=", "after=", "=&=&="};
        query_sep(t);
        sb_add(t, PICK(empties));
        break;
    }
    case K_Q_UTF8: {
        static const char *const utf8[] = {"%C3%28", "%FF", "%FE%FF", "%C0%AF", "%E0%80%AF",
                                           "%ED%A0%80", "%F4%90%80%80", "%80", "%BF",
                                           "%F0%28%8C%BC", "%E2%28%A1", "a%C3"};
        query_sep(t);
        if (pick(3) == 0)
            sb_printf(t, "%s=1", PICK(utf8)); /* in the name */
        else
            sb_printf(t, "%s=x%s", PICK(param_names), PICK(utf8));
        break;
    }
    case K_Q_NUL: {
        static const char *const nuls[] = {"%00", "1%00", "%001", "a%00b", "%00%00%00",
                                           "23,40%00,24,41", "cleaning%00"};
        query_sep(t);
        if (pick(4) == 0)
            sb_printf(t, "limit%%00=1");
        else
            sb_printf(t, "%s=%s", PICK(param_names), PICK(nuls));
        break;
    }
    case K_Q_HUGE: {
        query_sep(t);
        sb_printf(t, "%s=", PICK(param_names));
        /* 100 KB, and sometimes over h2o's request size limit */
        size_t n = pick(4) == 0 ? 600000 : 100000;
        sb_repeat(t, pick(2) ? "a" : "9", n);
        break;
    }
    case K_Q_BROKEN: {
        static const char *const broken[] = {"%", "%%", "%G1", "%1", "a=%", "a=%%%", "==",
                                             "&=&", "?", "??", "a=1=2", "a==1", ";",
                                             "a;b=1", "#frag", "a=1#", "%26%3D", "[]=1",
                                             "a[b]=1", "a=%u0041", "+=+"};
        query_sep(t);
        sb_add(t, PICK(broken));
        break;
    }
    default:
        break;
    }
}
