/* The one rule for a name polis writes into SQL text (a table, column or
 * collection name that cannot be a query parameter) and for the lower-case
 * codes that share its alphabet (category and POI codes, attribute codes). */
#ifndef POLIS_SQL_IDENT_H
#define POLIS_SQL_IDENT_H

#include <stddef.h>

/* 1 when s matches ^[a-z][a-z0-9_]*$ and has min..max characters. */
int lower_code_ok(const char *s, size_t min, size_t max);

/* 1 when name matches ^[a-z][a-z0-9_]{0,62}$: a PostgreSQL identifier that
 * needs no escaping inside double quotes and is never truncated (63 bytes).
 * No leading underscore, no capitals, nothing outside ASCII. */
int sql_ident_ok(const char *name);

/* A safe SQL name from any text (a field or layer name, Greek or not):
 * ELOT 743 transliteration, lowercase ASCII letters, digits and '_', starting
 * with a letter, at most 63 bytes ("field" when nothing is left). Writes into
 * out (at least 64 bytes). */
void sql_ident_from_text(const char *in, char *out, size_t outlen);

#endif
