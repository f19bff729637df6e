/* Greek text helpers: ELOT 743 transliteration to Latin, accent-insensitive
 * folding, and a UTF-8 validity check. Pure functions, no allocation: the
 * caller passes a buffer. */
#ifndef POLIS_TRANSLIT_H
#define POLIS_TRANSLIT_H

#include <stddef.h>

/* Transliterates UTF-8 Greek text to Latin following ELOT 743 (the Greek
 * standard used on road signs and passports): θ->th, χ->ch, ψ->ps, η->i,
 * ω->o, υ->y, ου->ou, αυ/ευ/ηυ->av/ev/iv before a vowel or voiced consonant
 * and af/ef/if otherwise, μπ->b at the start or end of a word (mp inside),
 * γγ/γξ/γχ->ng/nx/nch; accents and diaeresis are dropped. Case follows the
 * source: "Θεσσαλονίκη" -> "Thessaloniki", "ΘΕΣΣΑΛΟΝΙΚΗ" -> "THESSALONIKI".
 * Everything that is not a Greek letter (ASCII, punctuation) is copied.
 *
 * Writes at most outlen bytes including the terminating NUL (always written
 * when outlen > 0) and returns the length the full result needs (without the
 * NUL), like snprintf. The result is never longer than the input, so a
 * buffer of strlen(in) + 1 bytes is always enough. Invalid UTF-8 bytes are
 * replaced by '?'. */
size_t translit_elot743(const char *in, char *out, size_t outlen);

/* Folds text for accent- and case-insensitive comparison: lowercase (ASCII
 * and Greek), Greek accents and diaeresis removed, final sigma ς -> σ.
 * "Άθως" -> "αθωσ", "ΣΕΡΡΩΝ" -> "σερρων". Same buffer contract as
 * translit_elot743 (the result is never longer than the input). */
size_t translit_fold(const char *in, char *out, size_t outlen);

/* Returns 1 when s (NUL-terminated) is well-formed UTF-8 (no overlong forms,
 * no surrogates), else 0. Used to catch a wrong source encoding early. */
int utf8_valid(const char *s);

/* Number of characters (code points) in UTF-8 text: what a length limit
 * that a person reads ("at least 10 characters") counts. */
size_t utf8_chars(const char *s);

#endif
