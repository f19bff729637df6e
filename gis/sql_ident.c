#include "gis/sql_ident.h"

#include <string.h>

#define SQL_IDENT_MAX 63 /* NAMEDATALEN - 1: longer names are truncated by PostgreSQL */

int lower_code_ok(const char *s, size_t min, size_t max)
{
    if (!s)
        return 0;
    size_t n = strlen(s);
    return n >= min && n <= max && s[0] >= 'a' && s[0] <= 'z' &&
           strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

int sql_ident_ok(const char *name)
{
    return lower_code_ok(name, 1, SQL_IDENT_MAX);
}
