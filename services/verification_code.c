#include "services/verification_code.h"

#include <sodium.h>
#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* 10 random bytes are 80 bits, 16 groups of 5: one character each. */
void verification_code_new(char out[VERIFICATION_CODE_LEN + 1])
{
    unsigned char rnd[VERIFICATION_CODE_LEN * 5 / 8];
    randombytes_buf(rnd, sizeof rnd);
    for (int i = 0; i < VERIFICATION_CODE_LEN; i++) {
        int bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned v = (unsigned)rnd[byte] << 8 | (byte + 1 < (int)sizeof rnd ? rnd[byte + 1] : 0);
        out[i] = alphabet[(v >> (11 - shift)) & 31];
    }
    out[VERIFICATION_CODE_LEN] = '\0';
    sodium_memzero(rnd, sizeof rnd);
}

int verification_code_valid(const char *s)
{
    return s && strlen(s) == VERIFICATION_CODE_LEN &&
           strspn(s, alphabet) == VERIFICATION_CODE_LEN;
}
