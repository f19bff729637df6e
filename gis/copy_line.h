/* One line of COPY ... FROM STDIN in text format, built in a textbuf (whose
 * size comes from the data: running out of memory sets its failed flag).
 * Shared by the importers that stream features into PostgreSQL. */
#ifndef POLIS_COPY_LINE_H
#define POLIS_COPY_LINE_H

#include "common/textbuf.h"

#include <ogr_api.h>

/* A text field followed by tab (or newline when last): NULL as \N, and
 * backslash, tab, newline and CR escaped. */
void copy_line_field(struct textbuf *b, const char *s, int last);

/* Geometry as hex EWKB with SRID 4326 (what a geometry(...,4326) column
 * takes from COPY), with nothing after it. */
void copy_line_ewkb_hex(struct textbuf *b, OGRGeometryH g);

#endif
