/* GET /fonts/{fontstack}/{range}.pbf: MapLibre's label glyphs, one file per
 * fontstack and range of 256 code points ("0-255", "256-511", ...), rendered
 * at build time (tools/make_glyphs.c) into POLIS_GLYPHS_DIR as
 * <file prefix>.<range>.pbf. Only the fontstacks of the table below and
 * well-formed ranges name a file; anything else is a 404 naming what exists.
 * The files never change for a given build: served like MapLibre's own
 * (an ETag, revalidated daily by the browser). */
#include "api/api.h"
#include "api/fonts.h"
#include "api/web.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *fontstack; /* as a style's text-font names it */
    const char *prefix;    /* its files in POLIS_GLYPHS_DIR */
} fontstacks[] = {
    {FONTSTACK_REGULAR, "dejavu-sans"},
    {FONTSTACK_BOLD, "dejavu-sans-bold"},
};

long glyph_range_start(const char *name)
{
    char *end, canonical[48];
    if (*name < '0' || *name > '9' || strlen(name) > 16)
        return -1;
    long start = strtol(name, &end, 10);
    if (*end != '-' || start < 0 || start % 256 || start > 65280)
        return -1;
    /* only the one spelling (no leading zeros, no sign): one URL per file */
    snprintf(canonical, sizeof canonical, "%ld-%ld.pbf", start, start + 255);
    return strcmp(name, canonical) ? -1 : start;
}

void api_fonts_glyphs(struct exchange *ex)
{
    const char *stack = ex->path_params[0], *range = ex->path_params[1];
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    const char *prefix = NULL;
    for (size_t i = 0; i < sizeof fontstacks / sizeof fontstacks[0]; i++)
        if (!strcmp(stack, fontstacks[i].fontstack))
            prefix = fontstacks[i].prefix;
    if (!prefix) {
        respond_problem(ex->req, 404, "/problems/unknown-fontstack", "Unknown fontstack", NULL,
                        "there are no glyphs for the fontstack \"%.100s\"; this server has "
                        "\"" FONTSTACK_REGULAR "\" and \"" FONTSTACK_BOLD "\"", stack);
        return;
    }
    long start = glyph_range_start(range);
    if (start < 0) {
        respond_problem(ex->req, 404, "/problems/unknown-glyph-range", "Unknown glyph range",
                        NULL, "expected a range of 256 code points such as 0-255.pbf or "
                        "256-511.pbf, found \"%.40s\"", range);
        return;
    }
    char name[96];
    snprintf(name, sizeof name, "%s.%ld-%ld.pbf", prefix, start, start + 255);
    respond_header(ex->req, "access-control-allow-origin", "*");
    static_send(ex->req, &ex->app->web->glyphs, name, STATIC_REVALIDATE, ex->app->web->gz);
}
