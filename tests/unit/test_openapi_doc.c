/* The OGC API's OpenAPI document (api/openapi/ogc.json, compiled in):
 * it parses with the server's own strict parser (the build's check lets a
 * trailing comma or a comment through), every "$ref" points at something in
 * it, and it describes exactly the /ogc routes the server has, so a client
 * generated from it calls what exists and finds everything that does. */
#include "check.h"
#include "http/exchange.h"
#include "api/openapi/openapi.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>

/* The node a local reference "#/a/b" names in doc, or NULL. */
static json_t *resolve(json_t *doc, const char *ref)
{
    if (strncmp(ref, "#/", 2))
        return NULL;
    char *path = strdup(ref + 2), *save = NULL;
    json_t *node = doc;
    for (char *key = strtok_r(path, "/", &save); key && node; key = strtok_r(NULL, "/", &save))
        node = json_object_get(node, key);
    free(path);
    return node;
}

/* Checks every "$ref" below node; counts them in *n. */
static void check_refs(json_t *doc, json_t *node, int *n)
{
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_object(node)) {
        json_object_foreach(node, key, v) {
            if (!strcmp(key, "$ref")) {
                (*n)++;
                int found = resolve(doc, json_string_value(v) ?: "") != NULL;
                if (!found)
                    fprintf(stderr, "unresolved $ref: %s\n", json_string_value(v));
                CHECK(found);
            } else {
                check_refs(doc, v, n);
            }
        }
    } else if (json_is_array(node)) {
        json_array_foreach(node, i, v)
            check_refs(doc, v, n);
    }
}

/* "GET /ogc/collections/{}": method in capitals, path under /ogc, parameter
 * names dropped, so the document's paths and the route patterns compare. */
static void route_key(char *out, size_t len, const char *method, const char *path)
{
    size_t o = (size_t)snprintf(out, len, "%s ", method);
    for (size_t i = 0; out[i]; i++)
        out[i] = (char)toupper((unsigned char)out[i]);
    if (strncmp(path, "/ogc", 4)) /* a path of the document */
        o += (size_t)snprintf(out + o, len - o, "/ogc%s", strcmp(path, "/") ? path : "");
    else
        o += (size_t)snprintf(out + o, len - o, "%s", path);
    char *w = out + strlen(method) + 1;
    for (const char *r = w; *r; r++) {
        *w++ = *r;
        if (*r == '{')
            while (r[1] && r[1] != '}')
                r++;
    }
    *w = '\0';
}

static int route_exists(const char *key)
{
    char k[256];
    for (int i = 0; i < polis_route_count; i++) {
        route_key(k, sizeof k, polis_routes[i].method, polis_routes[i].pattern);
        if (!strcmp(k, key))
            return 1;
    }
    return 0;
}

static int documented(json_t *doc, const char *key)
{
    const char *path, *method;
    json_t *item, *op;
    char k[256];
    json_object_foreach(json_object_get(doc, "paths"), path, item)
        json_object_foreach(item, method, op) {
            route_key(k, sizeof k, method, path);
            if (!strcmp(k, key))
                return 1;
        }
    return 0;
}

int main(void)
{
    json_error_t error;
    json_t *doc = json_loads(polis_openapi_ogc, JSON_REJECT_DUPLICATES, &error);
    if (!doc)
        fprintf(stderr, "api/openapi/ogc.json:%d:%d: %s\n", error.line, error.column,
                error.text);
    CHECK(doc != NULL);
    if (!doc)
        return check_summary();
    CHECK_STR(json_string_value(json_object_get(doc, "openapi")), "3.0.3");

    int refs = 0;
    check_refs(doc, doc, &refs);
    CHECK(refs > 10); /* the items operation alone refers to ten parameters */

    const char *path, *method;
    json_t *item, *op;
    char key[256];
    int ops = 0;
    json_object_foreach(json_object_get(doc, "paths"), path, item)
        json_object_foreach(item, method, op) {
            ops++;
            route_key(key, sizeof key, method, path);
            int routed = route_exists(key);
            if (!routed)
                fprintf(stderr, "documented but not routed: %s\n", key);
            CHECK(routed);
        }
    CHECK(ops >= 8);
    for (int i = 0; i < polis_route_count; i++) {
        if (strncmp(polis_routes[i].pattern, "/ogc", 4))
            continue;
        route_key(key, sizeof key, polis_routes[i].method, polis_routes[i].pattern);
        int described = documented(doc, key);
        if (!described)
            fprintf(stderr, "routed but not documented: %s\n", key);
        CHECK(described);
    }
    json_decref(doc);
    return check_summary();
}
