/* The MapLibre style template of the basemap (tiles/basemap_style.json,
 * compiled in by CMakeLists.txt): GET /styles/basemap.json (api/styles.c)
 * fills in its placeholders. */
#ifndef POLIS_BASEMAP_STYLE_H
#define POLIS_BASEMAP_STYLE_H

extern const char polis_basemap_style[];

#endif
