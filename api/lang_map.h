/* The check of a translations member of a body, shared by POIs (names,
 * descriptions) and events (titles, descriptions): {"de": "...", ...}, at
 * most LANG_MAP_MAX language codes (2 or 3 letters a-z) to strings of 1
 * to max bytes. */
#ifndef POLIS_LANG_MAP_H
#define POLIS_LANG_MAP_H

#include <jansson.h>
#include <stddef.h>

#define LANG_MAP_MAX 20

/* 1 for a language code: 2 or 3 letters a-z (el, en, deu). */
int lang_code_ok(const char *s);

/* 0 when v is such a map; else appends the field error about name to
 * *errors (http/params.h field_error_append) and returns -1. */
int lang_map_check(json_t **errors, const char *name, json_t *v, size_t max);

#endif
