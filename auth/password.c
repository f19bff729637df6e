#include "auth/password.h"

#include "gis/translit.h"

#include <ctype.h>
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

int password_verify(const char *hash, const char *password)
{
    if (!hash) {
        /* spend the same time as a real check against an account */
        char dummy[PASSWORD_HASH_MAX];
        if (password_hash("polis: no such account", dummy) == 0)
            if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
                return 0; /* cannot happen; the result is ignored either way */
        return 0;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
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
