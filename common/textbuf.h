/* A growing, NUL-terminated text buffer for building documents and SQL from
 * trusted parts (metrics, tile queries from the layer registry). Aborts when
 * memory runs out: these texts are small and the process cannot go on. */
#ifndef POLIS_TEXTBUF_H
#define POLIS_TEXTBUF_H

#include <stddef.h>

struct textbuf {
    char *buf; /* NULL until the first append; owned, free() it */
    size_t len, cap;
};

void textbuf_printf(struct textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
