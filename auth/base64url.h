/* base64url (RFC 4648 §5) without padding, as JOSE (RFC 7515 §2) and PKCE
 * (RFC 7636) write it. Untrusted input: the decoder refuses anything that
 * is not the canonical unpadded form. */
#ifndef POLIS_BASE64URL_H
#define POLIS_BASE64URL_H

#include <stddef.h>

/* Decodes len bytes of in into a malloc'd buffer (NUL-terminated for
 * convenience; *outlen excludes the NUL). NULL when in has a character
 * outside the alphabet, padding, a length of 4k+1 or non-zero unused bits. */
unsigned char *base64url_decode(const char *in, size_t len, size_t *outlen);

/* Encodes len bytes into out, which holds at least base64url_size(len)
 * bytes (NUL included). */
#define base64url_size(len) (((len) * 4 + 2) / 3 + 1)
void base64url_encode(const unsigned char *in, size_t len, char *out);

#endif
