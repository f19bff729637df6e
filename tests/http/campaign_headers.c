/* The bad-input campaign: broken headers, and broken HTTP framing sent on a
 * raw socket (campaign.h). */
#include "campaign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- headers */

void header_cookie(struct request *q, const struct world *w, int who)
{
    const char *session = who >= WHO_CITIZEN && who <= WHO_ADMIN ? w->u[who].cookie : "x";
    struct sb c = {0};
    switch (pick(6)) {
    case 0: /* the session and a huge cookie beside it */
        sb_printf(&c, "polis_session=%s; junk=", session);
        sb_repeat(&c, "J", 4000 + pick(60000));
        break;
    case 1: /* hundreds of cookies */
        for (int i = 0; i < 500; i++)
            sb_printf(&c, "%sc%d=%d", i ? "; " : "", i, i);
        sb_printf(&c, "; polis_session=%s", session);
        break;
    case 2: /* a session value that is no session */
        sb_add(&c, "polis_session=");
        bad_value(&c);
        break;
    case 3: /* invalid bytes */
        sb_add(&c, "polis_session=\xff\xfe\xC3\x28; \x80=\x81");
        break;
    case 4: /* the cookie twice: garbage first */
        sb_printf(&c, "polis_session=garbage; polis_session=%s", session);
        break;
    default: /* broken syntax */
        sb_add(&c, PICK(((const char *const[]){"=", ";;;;", "polis_session", "polis_session=",
                                               "polis_session=;", "; ; =; ="})));
        break;
    }
    add_header(q, "Cookie: %s", c.p);
    free(c.p);
}

void header_auth(struct request *q, const struct world *w)
{
    struct sb a = {0};
    switch (pick(9)) {
    case 0: sb_add(&a, "Bearer"); break;
    case 1: sb_add(&a, "Bearer "); break;
    case 2: sb_add(&a, "Basic dXNlcjpwYXNzd29yZA=="); break;
    case 3: sb_add(&a, "Bearer "); sb_repeat(&a, "k", 201 + pick(20000)); break;
    case 4: sb_add(&a, "Bearer \xff\xfe\xC3\x28"); break;
    case 5: sb_printf(&a, "Bearer %s%s", w->key, PICK(((const char *const[]){
                                              "x", " extra", "%00", "\x01", ",", "="}))); break;
    case 6: sb_printf(&a, "Bearer %.20s", w->key); break;
    case 7: sb_add(&a, "Digest username=\"a\", realm=\"polis\""); break;
    default: sb_add(&a, "Bearer %00"); break;
    }
    add_header(q, "Authorization: %s", a.p);
    free(a.p);
}

void header_conditional(struct request *q)
{
    struct sb v = {0};
    switch (pick(9)) {
    case 0:
        sb_add(&v, "If-None-Match: ");
        sb_add(&v, PICK(((const char *const[]){"\"", "W/", "W/\"", "*, *", "\"a\"\"b\"",
                                              ",,,,", "\xff\xfe", "\"unterminated",
                                              "W/W/W/\"x\""})));
        break;
    case 1:
        sb_add(&v, "If-None-Match: ");
        sb_repeat(&v, "\"x\",", 2000 + pick(10000));
        break;
    case 2:
        sb_add(&v, "If-Modified-Since: ");
        sb_add(&v, PICK(((const char *const[]){"yesterday", "Thu, 99 Foo 99999 99:99:99 GMT",
                                              "", "0", "-1", "\xff"})));
        break;
    case 3:
        sb_add(&v, "Range: ");
        sb_add(&v, PICK(((const char *const[]){"bytes=-", "bytes=5-1",
                                              "bytes=99999999999999999999-",
                                              "bytes=-99999999999999999999", "items=0-1",
                                              "bytes=a-b", "bytes=0-0,-1,1-", "bytes"})));
        break;
    case 4:
        sb_add(&v, "Range: bytes=");
        for (int i = 0; i < 2000; i++)
            sb_printf(&v, "%s%d-%d", i ? "," : "", i, i);
        break;
    case 5:
        sb_add(&v, "Accept-Encoding: ");
        if (pick(2))
            sb_repeat(&v, "gzip;q=0.5, br, ", 1000 + pick(3000));
        else
            sb_add(&v, PICK(((const char *const[]){"gzip;q=nan", "br;q=-1, *;q=2", ";;;",
                                                  "gzip;q=", "\xff", "identity;q=0, *;q=0"})));
        break;
    case 6:
        sb_add(&v, PICK(((const char *const[]){"Accept: application/json;q=abc",
                                              "Accept: */*;;;", "Accept: \xff/\xfe",
                                              "X-Forwarded-For: 999.999.999.999, ::1, junk",
                                              "X-Forwarded-For: \xff\xfe",
                                              "Accept-Language: \xff;q=x", "Origin: null",
                                              "X-CSRF-Token: \xff\xfe",
                                              "Idempotency-Key: \xff\xfe", "Idempotency-Key:",
                                              "Idempotency-Key: a, b", "X-Report-Secret: \xff",
                                              "X-Report-Secret:", "X-Report-Secret: %00"})));
        break;
    case 7:
        sb_add(&v, PICK(((const char *const[]){"Idempotency-Key: ", "X-Report-Secret: "})));
        sb_repeat(&v, "k", 200 + pick(8000));
        break;
    default:
        sb_add(&v, "X-Forwarded-For: ");
        sb_repeat(&v, "1.2.3.4, ", 3000);
        break;
    }
    add_header(q, "%s", v.p);
    free(v.p);
}

/* ---- the raw socket: what libcurl cannot send */

void build_raw(struct request *q, const char *headers_block)
{
    struct sb *r = &q->raw;
    const char *target = q->target.p;
    switch (pick(9)) {
    case 0: /* Content-Length promises more than comes */
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                     "Content-Length: %d\r\n\r\n{\"email\":", q->method, target, headers_block,
                  1000 + (int)pick(100000));
        q->may_drop = q->shut_write = 1;
        break;
    case 1: /* raw invalid bytes in the request target */
        sb_printf(r, "%s %s\xff\xC3\x28?q=\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                     "Connection: close\r\n\r\n", q->method, target, headers_block);
        break;
    case 2: /* a NUL in the request line or in a header */
    {
        static const char in_line[] = "\0x HTTP/1.1\r\n";
        static const char in_header[] = " HTTP/1.1\r\nX-A: a\0b\r\n";
        sb_printf(r, "%s %s", q->method, target);
        if (pick(2))
            sb_addn(r, in_line, sizeof in_line - 1);
        else
            sb_addn(r, in_header, sizeof in_header - 1);
    }
        sb_printf(r, "Host: 127.0.0.1\r\n%sConnection: close\r\n\r\n", headers_block);
        q->may_drop = 1;
        break;
    case 3: { /* Content-Length that is not a length */
        const char *cl = PICK(((const char *const[]){"-1", "abc", "99999999999999999999",
                                                     "1, 2", "0x10", " ", "1e3"}));
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                     "Content-Length: %s\r\nConnection: close\r\n\r\n[]", q->method, target,
                  headers_block, cl);
        q->may_drop = 1;
        break;
    }
    case 4: /* two different Content-Lengths */
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                     "Content-Length: 2\r\nContent-Length: 40\r\nConnection: close\r\n\r\n[]",
                  q->method, target, headers_block);
        q->may_drop = 1;
        break;
    case 5: /* chunked bodies with broken chunk sizes */
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n%s", q->method,
                  target, headers_block,
                  PICK(((const char *const[]){"zz\r\n[]\r\n0\r\n\r\n",
                                             "FFFFFFFFFFFFFFFFFF\r\n[]\r\n",
                                             "2\r\n[]\r\n", "-2\r\n[]\r\n0\r\n\r\n",
                                             "2;ext=\xff\r\n[]\r\n0\r\n\r\n"})));
        q->may_drop = q->shut_write = 1;
        break;
    case 6: /* header lines that are not headers */
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s\r\nConnection: close\r\n\r\n",
                  q->method, target, headers_block,
                  PICK(((const char *const[]){"NoColonHere", ": empty name", "Bad Name: x",
                                             " folded: continuation", "X-\xff: y",
                                             "X-Long: \xff\xfe\xfd"})));
        q->may_drop = 1;
        break;
    case 7: /* a version that does not exist, or none */
        sb_printf(r, "%s %s %s\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n", q->method,
                  target, PICK(((const char *const[]){"HTTP/9.9", "HTTP/1.1.1", "HTTP/",
                                                     "FOO/1.1", ""})),
                  headers_block);
        q->may_drop = 1;
        break;
    default: /* the request stops in the middle of the headers */
        sb_printf(r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sX-Cut: ", q->method, target,
                  headers_block);
        q->may_drop = q->shut_write = 1;
        break;
    }
}
