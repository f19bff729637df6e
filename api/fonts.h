/* The label glyphs polis serves (api/fonts.c): the fontstacks a style may
 * name in text-font. Their PBFs are rendered at build time by
 * tools/make_glyphs.c under these names (CMakeLists.txt: target glyphs). */
#ifndef POLIS_API_FONTS_H
#define POLIS_API_FONTS_H

#define FONTSTACK_REGULAR "DejaVu Sans"
#define FONTSTACK_BOLD "DejaVu Sans Bold"

/* The first code point of the glyph file name, which must be exactly
 * "N-M.pbf" with N a multiple of 256 from 0 to 65280 and M = N + 255
 * ("0-255.pbf", "768-1023.pbf"); -1 for anything else. */
long glyph_range_start(const char *name);

#endif
