/* The OpenAPI documents in this folder, compiled into the binary at build
 * time by cmake/embed_json.cmake (so the installed binary needs no file
 * beside it). Each is the JSON file's text, NUL-terminated. */
#ifndef POLIS_OPENAPI_H
#define POLIS_OPENAPI_H

/* api/openapi/ogc.json: the OGC API - Features under /ogc, served at
 * /ogc/api with the server's URL added (api/ogc.c) */
extern const char polis_openapi_ogc[];

#endif
