/* The web pages (api/web.c): where their files come from, opened
 * once at start. The handlers are declared in api/api.h. */
#ifndef POLIS_API_WEB_H
#define POLIS_API_WEB_H

#include "http/config.h"
#include "http/static_file.h"
#include "http/static_snapshot.h"

struct web_state {
    struct static_dir site;      /* POLIS_WEB_DIR: index.html and /assets/ */
    struct static_snapshot *pages; /* its files as they were at start; NULL without it */
    struct static_dir maplibre;  /* POLIS_MAPLIBRE_DIR: MapLibre's dist/ */
    struct static_dir glyphs;    /* POLIS_GLYPHS_DIR: the label glyphs (/fonts/, api/fonts.c) */
    char maplibre_version[32];   /* from its package.json; "" when not found */
    struct static_gzip_cache *gz;
};

/* Opens the directories. A directory named explicitly in the environment
 * that cannot be opened is an error (-1, reason in err); a missing default
 * one only gets a warning on stderr: the API works without pages. */
struct web_state *web_open(const struct polis_config *cfg, char *err, size_t errlen);
void web_close(struct web_state *web);

#endif
