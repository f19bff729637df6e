/* The verification code printed on an issued document and in its QR code
 * (POLIS_PUBLIC_URL/verify/{code}): 16 characters of RFC 4648 base32
 * (A-Z, 2-7), 80 random bits from libsodium, so codes can be neither
 * guessed nor enumerated. */
#ifndef POLIS_VERIFICATION_CODE_H
#define POLIS_VERIFICATION_CODE_H

#define VERIFICATION_CODE_LEN 16

/* Writes a new code and its NUL into out (VERIFICATION_CODE_LEN + 1 bytes). */
void verification_code_new(char out[VERIFICATION_CODE_LEN + 1]);

/* 1 when s is a code we could have made (16 characters of A-Z, 2-7), else 0. */
int verification_code_valid(const char *s);

#endif
