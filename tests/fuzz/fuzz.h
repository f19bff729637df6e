/* Shared by the libFuzzer harnesses of tests/fuzz/: a NUL-terminated copy
 * of the fuzzer's bytes, and FUZZ_CHECK, which stops the run on a broken
 * property (libFuzzer then saves the input as a crash). */
#ifndef POLIS_FUZZ_H
#define POLIS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...)                                                   \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: property broken: %s: ", __FILE__, __LINE__, \
                    #cond);                                                     \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
            abort();                                                            \
        }                                                                       \
    } while (0)

/* data as a malloc'd C string; an embedded NUL ends it, as it would end a
 * string a handler received. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Splits data at its first '\n' into a header line (a malloc'd C string)
 * and the rest (*rest, *restlen): how harnesses whose parser takes two
 * inputs (a header and a body) get both from one byte string. */
static inline char *fuzz_split_line(const uint8_t *data, size_t size, const uint8_t **rest,
                                    size_t *restlen)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) : size;
    *rest = nl ? nl + 1 : data + size;
    *restlen = size - head - (nl ? 1 : 0);
    return fuzz_cstr(data, head);
}

#endif
