/* COPY text-format lines: fields and EWKB geometry (see copy_line.h). */
#include "gis/copy_line.h"

#include <stdlib.h>

/* A COPY text-format field followed by tab (or newline when last): NULL as
 * \N, and backslash, tab, newline and CR escaped. */
void copy_line_field(struct textbuf *b, const char *s, int last)
{
    if (!s) {
        textbuf_append(b, "\\N", 2);
    } else {
        for (; *s; s++) {
            char c = *s;
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                char e[2] = {'\\', c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\'};
                textbuf_append(b, e, 2);
            } else {
                textbuf_append(b, &c, 1);
            }
        }
    }
    textbuf_append(b, last ? "\n" : "\t", 1);
}

/* Geometry as hex EWKB with SRID 4326 (what a geometry(Geometry,4326)
 * column takes from COPY): OGR's little-endian WKB with the SRID flag and
 * the SRID put into its header. */
void copy_line_ewkb_hex(struct textbuf *b, OGRGeometryH g)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = (size_t)OGR_G_WkbSize(g);
    unsigned char *w = malloc(n + 4);
    if (!w || n < 5) {
        free(w);
        b->failed = 1;
        return;
    }
    OGR_G_ExportToIsoWkb(g, wkbNDR, w);
    unsigned type = (unsigned)w[1] | (unsigned)w[2] << 8 | (unsigned)w[3] << 16 |
                    (unsigned)w[4] << 24;
    type |= 0x20000000u; /* has SRID */
    unsigned char head[9] = {1,
                             (unsigned char)type, (unsigned char)(type >> 8),
                             (unsigned char)(type >> 16), (unsigned char)(type >> 24),
                             4326 & 0xff, 4326 >> 8, 0, 0};
    char pair[2];
    for (size_t i = 0; i < 9 + n - 5; i++) {
        unsigned char c = i < 9 ? head[i] : w[i - 9 + 5];
        pair[0] = hex[c >> 4];
        pair[1] = hex[c & 15];
        textbuf_append(b, pair, 2);
    }
    free(w);
}
