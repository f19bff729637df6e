/* Who a client is for the rate limits: IPv6 clients are keyed by their /64,
 * and X-Forwarded-For counts only when the peer is a trusted proxy, from
 * the right, up to the first address that is not a trusted proxy. */
#include "check.h"
#include "http/client_addr.h"

static const char *key_of(const char *addr)
{
    static char out[CLIENT_ADDR_MAX];
    client_addr_key(addr, out);
    return out;
}

static const char *resolve(const struct trusted_proxies *t, const char *peer, const char *xff)
{
    static char out[CLIENT_ADDR_MAX];
    client_addr_resolve(t, peer, xff, xff ? strlen(xff) : 0, out);
    return out;
}

int main(void)
{
    /* IPv6: one /64 is one client; the next /64 is another */
    CHECK_STR(key_of("2001:db8:1:2::1"), "2001:db8:1:2::/64");
    CHECK_STR(key_of("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
    CHECK(strcmp(key_of("2001:db8:1:3::1"), "2001:db8:1:2::/64") != 0);
    CHECK_STR(key_of("2001:DB8:1:2:0:0:0:7"), "2001:db8:1:2::/64");
    /* IPv4 (also written as IPv4-mapped IPv6) is its own key */
    CHECK_STR(key_of("192.0.2.7"), "192.0.2.7");
    CHECK_STR(key_of("::ffff:192.0.2.7"), "192.0.2.7");
    CHECK_STR(key_of("192.0.2.8"), "192.0.2.8");

    struct trusted_proxies none, t;
    char err[256];
    CHECK(trusted_proxies_parse("", &none, err, sizeof err) == 0 && none.count == 0);
    CHECK(trusted_proxies_parse(" 127.0.0.1, 10.0.0.0/8 ,fd00::/8", &t, err, sizeof err) == 0);
    CHECK(t.count == 3);
    CHECK(trusted_proxies_contain(&t, "10.200.3.4"));
    CHECK(trusted_proxies_contain(&t, "fd12::1"));
    CHECK(!trusted_proxies_contain(&t, "11.0.0.1"));
    CHECK(!trusted_proxies_contain(&t, "127.0.0.2"));
    CHECK(!trusted_proxies_contain(&t, "fe80::1"));
    /* a bad list is refused at start-up, naming the entry */
    struct trusted_proxies bad;
    CHECK(trusted_proxies_parse("127.0.0.1,10.0.0.0/33", &bad, err, sizeof err) == -1);
    CHECK(strstr(err, "10.0.0.0/33") != NULL);
    CHECK(trusted_proxies_parse("localhost", &bad, err, sizeof err) == -1);
    CHECK(strstr(err, "localhost") != NULL);
    CHECK(trusted_proxies_parse("127.0.0.1,", &bad, err, sizeof err) == 0 && bad.count == 1);

    /* an untrusted peer: X-Forwarded-For is ignored */
    CHECK_STR(resolve(&t, "203.0.113.5", "198.51.100.1"), "203.0.113.5");
    CHECK_STR(resolve(&none, "127.0.0.1", "198.51.100.1"), "127.0.0.1");
    /* a trusted peer: the rightmost address that is not a trusted proxy */
    CHECK_STR(resolve(&t, "127.0.0.1", "198.51.100.1"), "198.51.100.1");
    CHECK_STR(resolve(&t, "127.0.0.1", "6.6.6.6, 198.51.100.1"), "198.51.100.1");
    CHECK_STR(resolve(&t, "127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.1.1"), "198.51.100.1");
    CHECK_STR(resolve(&t, "127.0.0.1", "2001:db8::9"), "2001:db8::9");
    /* only proxies: the leftmost; no header: the peer */
    CHECK_STR(resolve(&t, "127.0.0.1", "10.0.0.2,10.0.0.3"), "10.0.0.2");
    CHECK_STR(resolve(&t, "127.0.0.1", NULL), "127.0.0.1");
    /* garbage where an address should be: the trusted hop that wrote it */
    CHECK_STR(resolve(&t, "127.0.0.1", "198.51.100.1, not-an-ip"), "127.0.0.1");
    CHECK_STR(resolve(&t, "127.0.0.1", "198.51.100.1, not-an-ip, 10.0.0.9"), "10.0.0.9");
    return check_summary();
}
