/* Who the client is, as an address: the peer of the TCP connection, or,
 * when that peer is one of POLIS_TRUSTED_PROXIES, the rightmost address of
 * X-Forwarded-For that is not a trusted proxy (addresses to its left were
 * written by the client itself and prove nothing). Rate limits key clients
 * by client_addr_key: an IPv4 address, or the /64 of an IPv6 address (one
 * subscriber usually holds a whole /64, so per-address keys would let it
 * rotate through 2^64 buckets). */
#ifndef POLIS_CLIENT_ADDR_H
#define POLIS_CLIENT_ADDR_H

#include <stddef.h>

/* One trusted network: an address and how many leading bits must match. */
struct trusted_net {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int bits;
};

#define TRUSTED_PROXIES_MAX 64 /* entries of POLIS_TRUSTED_PROXIES (the operator's list) */

struct trusted_proxies {
    int count;
    struct trusted_net nets[TRUSTED_PROXIES_MAX];
};

#define CLIENT_ADDR_MAX 64 /* text of an address or key, with its NUL */

/* Parses a comma-separated list of addresses and CIDRs ("127.0.0.1,
 * 10.0.0.0/8, fd00::/8"); "" is the empty list. Returns 0, or -1 after
 * writing what entry is wrong (or that there are more than
 * TRUSTED_PROXIES_MAX) into err. */
int trusted_proxies_parse(const char *spec, struct trusted_proxies *out, char *err,
                          size_t errlen);

/* 1 when the address (text) is within one of the trusted networks. */
int trusted_proxies_contain(const struct trusted_proxies *list, const char *addr);

/* Writes the client's address into out (CLIENT_ADDR_MAX bytes), in the
 * canonical text form (IPv4-mapped IPv6 as IPv4): peer itself unless peer
 * is trusted; then the rightmost untrusted address of forwarded_for (the
 * X-Forwarded-For values joined by commas, may be NULL). */
void client_addr_resolve(const struct trusted_proxies *list, const char *peer,
                         const char *forwarded_for, size_t forwarded_len, char *out);

/* The rate-limit key of an address (CLIENT_ADDR_MAX bytes): IPv4 as is,
 * IPv6 as its /64 ("2001:db8:1:2::/64"); anything else unchanged. */
void client_addr_key(const char *addr, char *out);

#endif
