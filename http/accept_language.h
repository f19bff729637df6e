/* The language of mail for a request without an account behind it (an
 * anonymous report): the first of Greek or English named in its
 * Accept-Language header. */
#ifndef POLIS_ACCEPT_LANGUAGE_H
#define POLIS_ACCEPT_LANGUAGE_H

#include <stddef.h>

/* "el" or "en": the first language range of value (len bytes, not
 * NUL-terminated, any bytes) whose primary tag is el or en, in the order
 * written (weights are not ranked: a browser lists its choices best
 * first); NULL when neither is named. */
const char *accept_language_pick(const char *value, size_t len);

#endif
