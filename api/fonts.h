/* The label glyphs polis serves (api/fonts.c): the fontstacks a style may
 * name in text-font. Their PBFs are rendered at build time by
 * tools/make_glyphs.c under these names (CMakeLists.txt: target glyphs). */
#ifndef POLIS_API_FONTS_H
#define POLIS_API_FONTS_H

#define FONTSTACK_REGULAR "DejaVu Sans"
#define FONTSTACK_BOLD "DejaVu Sans Bold"

#endif
