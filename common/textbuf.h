/* A growing, NUL-terminated text buffer, the one home of "append and grow".
 * Two policies for running out of memory, chosen by what sizes the text:
 * - textbuf_printf aborts: for documents and SQL built from trusted parts
 *   (metrics, tile queries from the layer registry), small texts the process
 *   cannot go on without;
 * - textbuf_append sets failed and ignores later appends: for texts whose
 *   size comes from data (an iCal feed of many events, the COPY line of an
 *   imported feature), where the caller answers or stops cleanly instead.
 * Use one policy per buffer. */
#ifndef POLIS_TEXTBUF_H
#define POLIS_TEXTBUF_H

#include <stddef.h>

struct textbuf {
    char *buf; /* NULL until the first append; owned, free() it */
    size_t len, cap;
    int failed; /* textbuf_append ran out of memory; buf holds what came before */
};

void textbuf_printf(struct textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends the n bytes at s (and keeps a NUL after them). */
void textbuf_append(struct textbuf *t, const char *s, size_t n);

#endif
