#include "auth/password.h"

#include "gis/translit.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

/* The commonest passwords of public breach statistics (and their obvious
 * Greek-keyboard and municipal variants). Rejected whatever their length. */
static const char *const common_passwords[] = {
    "123456", "password", "12345678", "qwerty", "123456789", "12345", "1234", "111111",
    "1234567", "dragon", "123123", "baseball", "abc123", "football", "monkey", "letmein",
    "696969", "shadow", "master", "666666", "qwertyuiop", "123321", "mustang", "1234567890",
    "michael", "654321", "superman", "1qaz2wsx", "7777777", "121212", "000000", "qazwsx",
    "123qwe", "killer", "trustno1", "jordan", "jennifer", "zxcvbnm", "asdfgh", "hunter",
    "buster", "soccer", "harley", "batman", "andrew", "tigger", "sunshine", "iloveyou",
    "2000", "charlie", "robert", "thomas", "hockey", "ranger", "daniel", "starwars",
    "klaster", "112233", "george", "computer", "michelle", "jessica", "pepper", "1111",
    "zxcvbn", "555555", "11111111", "131313", "freedom", "777777", "pass", "maggie",
    "159753", "aaaaaa", "ginger", "princess", "joshua", "cheese", "amanda", "summer",
    "love", "ashley", "nicole", "chelsea", "biteme", "matthew", "access", "yankees",
    "987654321", "dallas", "austin", "thunder", "taylor", "matrix", "password1",
    "password123", "passw0rd", "welcome", "welcome1", "admin", "admin123", "administrator",
    "qwerty123", "1q2w3e4r", "1q2w3e4r5t", "q1w2e3r4t5", "123456789a", "a123456789",
    "aa123456", "abcd1234", "iloveyou1", "princess1", "0123456789", "1234512345",
    "12341234", "qwertyuiop123", "changeme", "letmein123", "polis", "polis123",
    "serres", "serres123", "thessaloniki", "greece", "hellas", "ellada", "athens",
    "kodikos", "kwdikos", "password12", "football1", "monkey123", "dragon123",
    "abcdefghij", "0987654321", "1111111111", "0000000000", "aaaaaaaaaa", "qazwsxedc",
    "zaq12wsx", "1qazxsw2", "asdfghjkl", "zxcvbnm123", "qwertyui", "iloveyou12",
    NULL,
};

int password_hash(const char *password, char *out)
{
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/* A hash with today's parameters that no password the server is given can
 * match in practice (a random one). Verifying against it costs what
 * verifying against a real account's hash costs. Made once per process. */
static char dummy_hash[PASSWORD_HASH_MAX];
static int dummy_ready;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    unsigned char secret[32];
    char text[sizeof secret * 2 + 1];
    randombytes_buf(secret, sizeof secret);
    sodium_bin2hex(text, sizeof text, secret, sizeof secret);
    dummy_ready = password_hash(text, dummy_hash) == 0;
    sodium_memzero(text, sizeof text);
}

int password_prepare(void)
{
    pthread_once(&dummy_once, make_dummy_hash);
    return dummy_ready ? 0 : -1;
}

int password_verify(const char *hash, const char *password, struct password_work *work)
{
    if (!hash) {
        /* no such account: the same work as a real check, the answer no */
        if (password_prepare() == 0) {
            work->verifications++;
            if (crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
                return 0; /* a random secret: cannot happen, and the answer is no anyway */
        }
        return 0;
    }
    work->verifications++;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int password_needs_rehash(const char *hash)
{
    /* 1 when older (or other) parameters, -1 when not an argon2id string:
     * either way a fresh hash is better */
    return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

const char *password_policy_problem(const char *password, const char *email)
{
    if (utf8_chars(password) < PASSWORD_MIN_CHARS)
        return "a password of at least 10 characters";
    if (strlen(password) > PASSWORD_MAX_BYTES)
        return "a password of at most 256 bytes";
    for (int i = 0; common_passwords[i]; i++)
        if (!strcasecmp(password, common_passwords[i]))
            return "a password that is not one of the most common ones";
    /* one character repeated, e.g. "aaaaaaaaaaaa" */
    size_t same = 0;
    while (password[same] == password[0])
        same++;
    if (password[same] == '\0')
        return "a password that is not one character repeated";
    if (email && *email) {
        size_t at = strcspn(email, "@");
        if (!strcasecmp(password, email) || (at >= 4 && strlen(password) == at &&
                                             !strncasecmp(password, email, at)))
            return "a password that is not your email address";
    }
    return NULL;
}
