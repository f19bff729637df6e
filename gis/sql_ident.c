#include "gis/sql_ident.h"

#include "gis/translit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

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

void sql_ident_from_text(const char *in, char *out, size_t outlen)
{
    size_t need = strlen(in) + 1;
    char *lat = malloc(need);
    if (!lat) {
        snprintf(out, outlen, "field");
        return;
    }
    translit_elot743(in, lat, need);
    size_t n = 0;
    size_t max = outlen - 1 < 63 ? outlen - 1 : 63;
    for (const char *p = lat; *p && n < max; p++) {
        unsigned char c = (unsigned char)*p;
        char d = isalnum(c) && c < 128 ? (char)tolower(c) : '_';
        if (d == '_' && (n == 0 || out[n - 1] == '_'))
            continue; /* no leading or doubled '_' */
        out[n++] = d;
    }
    while (n > 0 && out[n - 1] == '_')
        n--;
    out[n] = '\0';
    free(lat);
    if (n == 0) {
        snprintf(out, outlen, "field");
    } else if (!(out[0] >= 'a' && out[0] <= 'z')) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "f_%.60s", out);
        snprintf(out, outlen, "%s", tmp);
    }
}
