/* Passwords (auth/password.c): a verification for an unknown account does
 * the same argon2id work as one for a real account (one verification, no
 * hashing) and never succeeds; a hash with weaker parameters than today's
 * is flagged for an upgrade, a fresh one is not. */
#include "check.h"
#include "auth/password.h"

#include <sodium.h>

int main(void)
{
    CHECK(sodium_init() >= 0);
    const char *pw = "a unit test passphrase";
    char hash[PASSWORD_HASH_MAX];
    CHECK_INT(password_hash(pw, hash), 0);
    CHECK_INT(password_needs_rehash(hash), 0);

    struct password_work known = {0}, unknown = {0};
    CHECK_INT(password_verify(hash, pw, &known), 1);
    CHECK_INT(password_verify(hash, "another passphrase", &known), 0);
    CHECK(known.verifications == 2 && known.hashes == 0);

    CHECK_INT(password_prepare(), 0); /* the dummy hash, made once */
    CHECK_INT(password_verify(NULL, pw, &unknown), 0);
    CHECK_INT(password_verify(NULL, "", &unknown), 0);
    CHECK(unknown.verifications == 2 && unknown.hashes == 0);

    char weak[crypto_pwhash_STRBYTES];
    CHECK_INT(crypto_pwhash_str(weak, pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN,
                                crypto_pwhash_MEMLIMIT_MIN), 0);
    CHECK_INT(password_needs_rehash(weak), 1);
    struct password_work w = {0};
    CHECK_INT(password_verify(weak, pw, &w), 1); /* still accepted, then upgraded by the caller */
    CHECK_INT(password_needs_rehash("not a hash"), 1);
    return check_summary();
}
