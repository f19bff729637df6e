/* Private to the CQL2 reader (gis/cql2_*.c); callers use gis/cql2.h.
 * The parse state is shared by its three parts: the lexer (cql2_lex.c) moves
 * through the tokens and records errors at the current one, the WKT reader
 * (cql2_wkt.c) reads geometry literals, and the parser (cql2_parse.c) builds
 * the tree. The SQL writer (cql2_sql.c) only needs cql2_char_pos. */
#ifndef POLIS_CQL2_INTERNAL_H
#define POLIS_CQL2_INTERNAL_H

#include "gis/cql2.h"

#include <stddef.h>

enum tok {
    T_END, T_IDENT, T_QIDENT, T_STRING, T_NUMBER, T_LPAREN, T_RPAREN, T_COMMA,
    T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_BAD,
};

struct cql2_parser {
    struct cql2_expr *e;
    const char *s;
    size_t p;          /* byte offset of the current token */
    size_t end;        /* byte offset just after it */
    enum tok tok;
    int depth;
    int failed;
    struct cql2_error *err;
};

/* ---- cql2_lex.c ---- */

/* The 1-based character (not byte) position of byte offset byte in s. */
int cql2_char_pos(const char *s, size_t byte);
/* Records the first error: what was expected (printf format) at the current
 * token, which is quoted as what was found. Later calls do nothing. */
void cql2_fail(struct cql2_parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Reads the token at ps->end into ps->tok / p / end. */
void cql2_next(struct cql2_parser *ps);
/* 1 when the current token is the keyword kw (case-insensitive). */
int cql2_is_kw(const struct cql2_parser *ps, const char *kw);
/* 1 when the token after the current one is "(" (one token of lookahead). */
int cql2_followed_by_paren(const struct cql2_parser *ps);
/* Moves past a token of type t, or fails expecting what. 0 or -1. */
int cql2_expect(struct cql2_parser *ps, enum tok t, const char *what);
/* The current token's text without its quotes, doubled quotes undoubled
 * (malloc'd). */
char *cql2_unquote(const struct cql2_parser *ps);
/* The current token's text as written (malloc'd). */
char *cql2_tok_text(const struct cql2_parser *ps);

/* ---- cql2_parse.c ---- */

/* A fresh node of the tree at byte offset pos, or NULL (the filter has too
 * many terms, or the parse already failed). */
struct cql2_node *cql2_new_node(struct cql2_parser *ps, enum cql2_kind kind, size_t pos);

/* ---- cql2_wkt.c ---- */

/* 1 when the current token starts a geometry literal (POINT, ..., BBOX). */
int cql2_is_geometry_kw(const struct cql2_parser *ps);
/* A geometry literal (the current token is its keyword), or NULL. */
struct cql2_node *cql2_parse_geometry(struct cql2_parser *ps);

#endif
