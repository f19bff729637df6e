/* CQL2 text: the lexer (see cql2_internal.h). Tokens are read one at a
 * time from the filter; an error is recorded at the current token, with its
 * character position and the token as the user wrote it. */
#include "gis/cql2_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cql2_char_pos(const char *s, size_t byte)
{
    int n = 1;
    for (size_t i = 0; i < byte && s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* The current token as the user wrote it, quoted and shortened. */
static void describe_tok(const struct cql2_parser *ps, char *buf, size_t len)
{
    if (ps->tok == T_END) {
        snprintf(buf, len, "the end of the filter");
        return;
    }
    size_t n = ps->end - ps->p;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)ps->s[ps->p + n] & 0xC0) == 0x80)
            n--; /* do not cut a UTF-8 character */
        snprintf(buf, len, "\"%.*s...\"", (int)n, ps->s + ps->p);
    } else {
        snprintf(buf, len, "\"%.*s\"", (int)n, ps->s + ps->p);
    }
}

void cql2_fail(struct cql2_parser *ps, const char *fmt, ...)
{
    if (ps->failed)
        return;
    ps->failed = 1;
    char found[80];
    describe_tok(ps, found, sizeof found);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err->expected, sizeof ps->err->expected, fmt, ap);
    va_end(ap);
    ps->err->pos = cql2_char_pos(ps->s, ps->p);
    snprintf(ps->err->found, sizeof ps->err->found, "%s", found);
}

static int ident_start(int c)
{
    return isalpha(c) || c == '_';
}

static int ident_char(int c)
{
    return isalnum(c) || c == '_' || c == '.' || c == ':';
}

/* Reads the token at ps->end into ps->tok / p / end. */
void cql2_next(struct cql2_parser *ps)
{
    const char *s = ps->s;
    size_t i = ps->end;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    ps->p = i;
    unsigned char c = (unsigned char)s[i];
    if (!c) {
        ps->tok = T_END, ps->end = i;
        return;
    }
    if (ident_start(c)) {
        while (ident_char((unsigned char)s[i]))
            i++;
        ps->tok = T_IDENT, ps->end = i;
        return;
    }
    if (c == '"' || c == '\'') {
        for (i++;; i++) {
            if (!s[i]) {
                ps->tok = T_BAD, ps->end = i;
                return;
            }
            if (s[i] == (char)c) {
                if (s[i + 1] == (char)c) { /* doubled quote inside */
                    i++;
                    continue;
                }
                break;
            }
        }
        ps->tok = c == '"' ? T_QIDENT : T_STRING, ps->end = i + 1;
        return;
    }
    if (isdigit(c) || ((c == '-' || c == '+' || c == '.') &&
                       (isdigit((unsigned char)s[i + 1]) ||
                        (s[i + 1] == '.' && isdigit((unsigned char)s[i + 2]))))) {
        if (c == '-' || c == '+')
            i++;
        int digits = 0;
        while (isdigit((unsigned char)s[i]))
            i++, digits++;
        if (s[i] == '.') {
            i++;
            while (isdigit((unsigned char)s[i]))
                i++, digits++;
        }
        if (digits && (s[i] == 'e' || s[i] == 'E')) {
            size_t j = i + 1;
            if (s[j] == '+' || s[j] == '-')
                j++;
            if (isdigit((unsigned char)s[j])) {
                while (isdigit((unsigned char)s[j]))
                    j++;
                i = j;
            }
        }
        ps->tok = digits ? T_NUMBER : T_BAD, ps->end = i;
        if (ident_char((unsigned char)s[i])) { /* 12abc */
            while (ident_char((unsigned char)s[i]))
                i++;
            ps->tok = T_BAD, ps->end = i;
        }
        return;
    }
    ps->end = i + 1;
    switch (c) {
    case '(': ps->tok = T_LPAREN; return;
    case ')': ps->tok = T_RPAREN; return;
    case ',': ps->tok = T_COMMA; return;
    case '=': ps->tok = T_EQ; return;
    case '<':
        if (s[i + 1] == '>')
            ps->tok = T_NE, ps->end = i + 2;
        else if (s[i + 1] == '=')
            ps->tok = T_LE, ps->end = i + 2;
        else
            ps->tok = T_LT;
        return;
    case '>':
        if (s[i + 1] == '=')
            ps->tok = T_GE, ps->end = i + 2;
        else
            ps->tok = T_GT;
        return;
    default:
        /* one whole UTF-8 character, so the message shows it intact */
        while (((unsigned char)s[ps->end] & 0xC0) == 0x80)
            ps->end++;
        ps->tok = T_BAD;
        return;
    }
}

/* 1 when the current token is the keyword kw (case-insensitive). */
int cql2_is_kw(const struct cql2_parser *ps, const char *kw)
{
    size_t n = strlen(kw);
    return ps->tok == T_IDENT && ps->end - ps->p == n && !strncasecmp(ps->s + ps->p, kw, n);
}

/* 1 when the token after the current one is "(" (one token of lookahead). */
int cql2_followed_by_paren(const struct cql2_parser *ps)
{
    size_t i = ps->end;
    while (ps->s[i] == ' ' || ps->s[i] == '\t' || ps->s[i] == '\n' || ps->s[i] == '\r')
        i++;
    return ps->s[i] == '(';
}


/* The current token's text without its quotes, doubled quotes undoubled. */
char *cql2_unquote(const struct cql2_parser *ps)
{
    const char *s = ps->s + ps->p + 1;
    size_t n = ps->end - ps->p - 2;
    char *out = malloc(n + 1), *o = out;
    if (!out)
        abort();
    for (size_t i = 0; i < n; i++) {
        *o++ = s[i];
        if (s[i] == s[-1] && i + 1 < n && s[i + 1] == s[-1])
            i++;
    }
    *o = '\0';
    return out;
}

char *cql2_tok_text(const struct cql2_parser *ps)
{
    return strndup(ps->s + ps->p, ps->end - ps->p);
}

int cql2_expect(struct cql2_parser *ps, enum tok t, const char *what)
{
    if (ps->failed)
        return -1;
    if (ps->tok != t) {
        cql2_fail(ps, "%s", what);
        return -1;
    }
    cql2_next(ps);
    return 0;
}
