#include "http/client_addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Parses addr as IPv4 or IPv6 into bytes; an IPv4-mapped IPv6 address
 * becomes IPv4. Returns the family, or 0 when it is not an address. */
static int parse_addr(const char *text, unsigned char bytes[16])
{
    if (inet_pton(AF_INET, text, bytes) == 1)
        return AF_INET;
    if (inet_pton(AF_INET6, text, bytes) != 1)
        return 0;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!memcmp(bytes, mapped, sizeof mapped)) {
        memmove(bytes, bytes + 12, 4);
        return AF_INET;
    }
    return AF_INET6;
}

/* Copies the token [b, e) without surrounding blanks into buf; 0 when it
 * does not fit. */
static int copy_trimmed(const char *b, const char *e, char *buf, size_t bufsize)
{
    while (b < e && isspace((unsigned char)*b))
        b++;
    while (e > b && isspace((unsigned char)e[-1]))
        e--;
    if ((size_t)(e - b) >= bufsize)
        return 0;
    memcpy(buf, b, (size_t)(e - b));
    buf[e - b] = '\0';
    return 1;
}

int trusted_proxies_parse(const char *spec, struct trusted_proxies *out, char *err,
                          size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = spec;
    while (*p) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        char item[80];
        int ok = copy_trimmed(p, end, item, sizeof item);
        if (ok && *item && out->count == TRUSTED_PROXIES_MAX) {
            snprintf(err, errlen, "POLIS_TRUSTED_PROXIES: expected at most %d addresses or CIDRs",
                     TRUSTED_PROXIES_MAX);
            memset(out, 0, sizeof *out);
            return -1;
        }
        if (ok && *item) {
            struct trusted_net *n = &out->nets[out->count];
            char *slash = strchr(item, '/');
            long bits = -1;
            if (slash) {
                char *bend;
                *slash = '\0';
                bits = strtol(slash + 1, &bend, 10);
                ok = slash[1] != '\0' && *bend == '\0';
            }
            n->family = ok ? parse_addr(item, n->addr) : 0;
            int max = n->family == AF_INET ? 32 : 128;
            /* an IPv4-mapped CIDR counts its bits in IPv6 terms */
            if (n->family == AF_INET && strchr(item, ':') && bits >= 96)
                bits -= 96;
            n->bits = bits < 0 ? max : (int)bits;
            ok = n->family && n->bits >= 0 && n->bits <= max;
            if (slash)
                *slash = '/';
            out->count += ok;
        }
        if (!ok) {
            snprintf(err, errlen,
                     "POLIS_TRUSTED_PROXIES: expected comma-separated addresses or CIDRs such "
                     "as 127.0.0.1,10.0.0.0/8,fd00::/8; found \"%.*s\"",
                     (int)(end - p > 100 ? 100 : end - p), p);
            memset(out, 0, sizeof *out);
            return -1;
        }
        p = comma ? comma + 1 : end;
    }
    return 0;
}

static int net_contains(const struct trusted_net *n, int family, const unsigned char *a)
{
    if (n->family != family)
        return 0;
    int full = n->bits / 8, rest = n->bits % 8;
    if (memcmp(n->addr, a, (size_t)full))
        return 0;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return rest == 0 || (n->addr[full] & mask) == (a[full] & mask);
}

static int contains_bytes(const struct trusted_proxies *list, int family, const unsigned char *a)
{
    for (int i = 0; i < list->count; i++)
        if (net_contains(&list->nets[i], family, a))
            return 1;
    return 0;
}

int trusted_proxies_contain(const struct trusted_proxies *list, const char *addr)
{
    unsigned char a[16];
    int family = parse_addr(addr, a);
    return family && contains_bytes(list, family, a);
}

static void canonical(int family, const unsigned char *a, char *out)
{
    if (!inet_ntop(family, a, out, CLIENT_ADDR_MAX))
        snprintf(out, CLIENT_ADDR_MAX, "unknown");
}

void client_addr_resolve(const struct trusted_proxies *list, const char *peer,
                         const char *forwarded_for, size_t forwarded_len, char *out)
{
    unsigned char a[16];
    int family = parse_addr(peer, a);
    if (!family) {
        snprintf(out, CLIENT_ADDR_MAX, "%s", peer);
        return;
    }
    /* walk X-Forwarded-For from the right while the hop that reported the
     * next address is trusted */
    const char *end = forwarded_for ? forwarded_for + forwarded_len : NULL;
    while (contains_bytes(list, family, a) && end && end > forwarded_for) {
        const char *start = end;
        while (start > forwarded_for && start[-1] != ',')
            start--;
        char item[CLIENT_ADDR_MAX];
        unsigned char b[16];
        int fb = copy_trimmed(start, end, item, sizeof item) ? parse_addr(item, b) : 0;
        if (!fb)
            break; /* not an address: keep the trusted hop that wrote it */
        family = fb;
        memcpy(a, b, sizeof a);
        end = start > forwarded_for ? start - 1 : NULL;
    }
    canonical(family, a, out);
}

void client_addr_key(const char *addr, char *out)
{
    unsigned char a[16];
    int family = parse_addr(addr, a);
    if (family == AF_INET6) {
        memset(a + 8, 0, 8);
        char text[CLIENT_ADDR_MAX];
        canonical(AF_INET6, a, text);
        snprintf(out, CLIENT_ADDR_MAX, "%.59s/64", text);
    } else if (family == AF_INET) {
        canonical(AF_INET, a, out);
    } else {
        snprintf(out, CLIENT_ADDR_MAX, "%s", addr);
    }
}
