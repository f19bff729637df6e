#include "tiles/registry.h"

#include "common/textbuf.h"
#include "gis/layer_import.h"
#include "gis/sql_ident.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything a registry allocated for its catalogue layers, freed together. */
struct registry_mem {
    void **p;
    int n, cap;
};

static void *keep(struct registry_mem *m, void *p)
{
    if (!p)
        return NULL;
    if (m->n == m->cap) {
        int cap = m->cap ? m->cap * 2 : 64;
        void **np = realloc(m->p, (size_t)cap * sizeof *np);
        if (!np) {
            free(p);
            return NULL;
        }
        m->p = np;
        m->cap = cap;
    }
    m->p[m->n++] = p;
    return p;
}

static char *keep_printf(struct registry_mem *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static char *keep_printf(struct registry_mem *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    return n < 0 ? NULL : keep(m, s);
}

/* Only names the importer makes (gis/sql_ident.c: sql_ident_from_text) go
 * into SQL, and quoted even then. */
static int plain_identifier(const char *s)
{
    return sql_ident_ok(s) && strcmp(s, "mvt_fid") && strcmp(s, "mvt_geom") && strcmp(s, "fid") &&
           strcmp(s, "geom");
}

/* 1 when the tile_attributes array text ("{a,b}", or NULL for all) lets
 * column name through. */
static int whitelisted(const char *list, const char *name)
{
    if (!list)
        return 1;
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        while (*p == '{' || *p == ',' || *p == '"')
            p++;
        size_t len = strcspn(p, ",}\"");
        if (len == n && !memcmp(p, name, n))
            return 1;
        p += len;
        if (*p == '}')
            break;
    }
    return 0;
}

/* Column col of the row as a number, or dflt when NULL (or absent: a
 * result of an older shape). */
static double setting(const PGresult *res, int row, int col, double dflt)
{
    if (col >= PQnfields(res) || PQgetisnull(res, row, col))
        return dflt;
    return atof(PQgetvalue(res, row, col));
}

/* The layer's tile settings (sql/053_layer_tile_settings.sql): zooms,
 * simplification (stored in pixels of a 256-pixel tile, used in grid units),
 * minimum size and feature limit. The catalogue's CHECKs keep them in range;
 * the defaults are the database's. */
static void tile_settings(const PGresult *res, int row, struct tile_layer *l)
{
    l->minzoom = (int)setting(res, row, TILE_CATALOGUE_MINZOOM, 0);
    l->maxzoom = (int)setting(res, row, TILE_CATALOGUE_MAXZOOM, 18);
    double simplify = setting(res, row, TILE_CATALOGUE_SIMPLIFY_PX, 256.0 / TILE_EXTENT);
    l->simplify_px = l->polygonal ? simplify * TILE_EXTENT / 256 : 0;
    l->min_size_px = l->measure != TILE_MEASURE_NONE
                         ? setting(res, row, TILE_CATALOGUE_MIN_SIZE_PX, 0) : 0;
    l->feature_limit =
        (int)setting(res, row, TILE_CATALOGUE_FEATURE_LIMIT, TILE_FEATURE_LIMIT_DEFAULT);
}

/* One catalogue row as a tile layer in l (strings kept in m). 0, or -1
 * when the row cannot be served (reason in why). */
static int catalogue_layer(const PGresult *res, int row, struct tile_layer *l,
                           struct registry_mem *m, char *why, size_t whylen)
{
    const char *name = PQgetvalue(res, row, TILE_CATALOGUE_NAME);
    if (!plain_identifier(name) || layer_name_reserved(name) ||
        tile_layer_find(name, strlen(name)) >= 0) {
        snprintf(why, whylen, "its name is not a plain identifier, or is reserved for a "
                 "built-in layer");
        return -1;
    }
    json_error_t jerr;
    json_t *attrs = json_loads(PQgetvalue(res, row, TILE_CATALOGUE_ATTRIBUTES), 0, &jerr);
    if (!json_is_array(attrs)) {
        json_decref(attrs);
        snprintf(why, whylen, "its attribute list is not a JSON array");
        return -1;
    }
    const char *list = PQgetisnull(res, row, TILE_CATALOGUE_TILE_ATTRIBUTES)
                           ? NULL
                           : PQgetvalue(res, row, TILE_CATALOGUE_TILE_ATTRIBUTES);
    size_t na = json_array_size(attrs);
    struct tile_field *f = keep(m, calloc(na ? na : 1, sizeof *f));
    int nf = 0;
    for (size_t i = 0; f && i < na; i++) {
        json_t *a = json_array_get(attrs, i);
        const char *col = json_string_value(json_object_get(a, "name"));
        const char *type = json_string_value(json_object_get(a, "type"));
        const char *src = json_string_value(json_object_get(a, "source_name"));
        if (!col || !type || !plain_identifier(col) || !whitelisted(list, col))
            continue;
        int number = !strcmp(type, "integer") || !strcmp(type, "bigint") ||
                     !strcmp(type, "double precision");
        int boolean = !strcmp(type, "boolean");
        int as_text = !number && !boolean && strcmp(type, "text");
        f[nf].column = keep_printf(m, "%s", col);
        f[nf].type = number ? "Number" : boolean ? "Boolean" : "String";
        f[nf].description = keep_printf(m, "%s (%s)", src ? src : col, type);
        f[nf].expr = as_text ? keep_printf(m, "l.\"%s\"::text", col) : keep_printf(m, "l.\"%s\"", col);
        if (!f[nf].column || !f[nf].description || !f[nf].expr)
            break;
        nf++;
    }
    json_decref(attrs);
    const char *gt = PQgetvalue(res, row, TILE_CATALOGUE_GEOMETRY_TYPE);
    memset(l, 0, sizeof *l);
    l->name = keep_printf(m, "%s", name);
    l->description = keep_printf(m, "%s", PQgetvalue(res, row, TILE_CATALOGUE_DESCRIPTION));
    l->table = keep_printf(m, "layers.\"%s\"", name);
    l->id_column = "fid";
    l->geom_3857 = "ST_Transform(l.geom, 3857)"; /* indexed: sql/013_tile_layers.sql */
    l->geom_4326 = "geom";
    l->polygonal = strstr(gt, "POLYGON") || strstr(gt, "LINE") || !strcmp(gt, "GEOMETRY");
    l->measure = strstr(gt, "POLYGON") ? TILE_MEASURE_AREA
                 : strstr(gt, "LINE")  ? TILE_MEASURE_LENGTH
                 : l->polygonal        ? TILE_MEASURE_DIMENSION
                                       : TILE_MEASURE_NONE;
    l->fields = f;
    l->nfields = nf;
    tile_settings(res, row, l);
    l->max_age = 300;
    if (!PQgetisnull(res, row, TILE_CATALOGUE_XMIN)) {
        l->center[0] = (atof(PQgetvalue(res, row, TILE_CATALOGUE_XMIN)) +
                        atof(PQgetvalue(res, row, TILE_CATALOGUE_XMAX))) / 2;
        l->center[1] = (atof(PQgetvalue(res, row, TILE_CATALOGUE_YMIN)) +
                        atof(PQgetvalue(res, row, TILE_CATALOGUE_YMAX))) / 2;
    } else {
        l->center[0] = l->center[1] = NAN; /* empty: the served municipality's centre */
    }
    l->center[2] = 12;
    if (!f || !l->name || !l->description || !l->table) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    return 0;
}

static void registry_free(struct tile_registry *r)
{
    if (!r)
        return;
    for (int i = 0; r->mvt_sql && i < r->count; i++)
        free(r->mvt_sql[i]);
    free(r->mvt_sql);
    free(r->slot);
    free(r->staff_only);
    free(r->layers);
    if (r->mem) {
        for (int i = 0; i < r->mem->n; i++)
            free(r->mem->p[i]);
        free(r->mem->p);
        free(r->mem);
    }
    free(r);
}

struct tile_registry *tile_registry_create(const PGresult *catalogue, void (*log)(const char *))
{
    int rows = catalogue ? PQntuples(catalogue) : 0;
    int cap = tile_layer_count + rows;
    struct tile_registry *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    atomic_init(&r->refs, 1);
    r->catalogue_loaded = catalogue != NULL;
    r->layers = calloc((size_t)cap, sizeof *r->layers);
    r->mvt_sql = calloc((size_t)cap, sizeof *r->mvt_sql);
    r->slot = calloc((size_t)cap, sizeof *r->slot);
    r->staff_only = calloc((size_t)cap, sizeof *r->staff_only);
    r->mem = calloc(1, sizeof *r->mem);
    struct tile_layer *owned = rows ? calloc((size_t)rows, sizeof *owned) : NULL;
    if (!r->layers || !r->mvt_sql || !r->slot || !r->staff_only || !r->mem ||
        (rows && !keep(r->mem, owned))) {
        registry_free(r);
        return NULL;
    }
    for (int i = 0; i < tile_layer_count; i++)
        r->layers[r->count++] = &tile_layers[i];
    for (int row = 0; row < rows; row++) {
        char why[128];
        struct tile_layer *l = &owned[row];
        if (catalogue_layer(catalogue, row, l, r->mem, why, sizeof why) < 0) {
            if (log) {
                char msg[256];
                snprintf(msg, sizeof msg, "tiles: layer \"%.64s\" is not served as tiles: %s",
                         PQgetvalue(catalogue, row, TILE_CATALOGUE_NAME), why);
                log(msg);
            }
            continue;
        }
        r->staff_only[r->count] =
            !strcmp(PQgetvalue(catalogue, row, TILE_CATALOGUE_STAFF_ONLY), "t");
        r->layers[r->count++] = l;
    }
    for (int i = 0; i < r->count; i++) {
        r->slot[i] = -1;
        if (!(r->mvt_sql[i] = tile_layer_mvt_sql(r->layers[i]))) {
            registry_free(r);
            return NULL;
        }
    }
    return r;
}

void tile_registry_ref(struct tile_registry *r)
{
    atomic_fetch_add(&r->refs, 1);
}

void tile_registry_unref(struct tile_registry *r)
{
    if (r && atomic_fetch_sub(&r->refs, 1) == 1)
        registry_free(r);
}

int tile_registry_find(const struct tile_registry *r, const char *name, size_t len)
{
    for (int i = 0; i < r->count; i++)
        if (strlen(r->layers[i]->name) == len && memcmp(r->layers[i]->name, name, len) == 0)
            return i;
    return -1;
}

int tile_registry_list(const struct tile_registry *r, const char *spec, int *out, int max,
                       int staff, const char **bad, size_t *bad_len)
{
    int n = 0;
    const char *p = spec;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0 || n == max)
            return -1;
        int idx = tile_registry_find(r, p, len);
        if (idx < 0 || (r->staff_only[idx] && !staff)) {
            *bad = p;
            *bad_len = len;
            return 0;
        }
        for (int i = 0; i < n; i++)
            if (out[i] == idx)
                return -1;
        out[n++] = idx;
        if (!comma)
            return n;
        p = comma + 1;
    }
}

static void log_stderr(const char *msg)
{
    fprintf(stderr, "polis: %s\n", msg);
}

struct tile_registry *tile_registry_load(PGconn *db, char *err, size_t errlen)
{
    PGresult *res = PQexec(db, TILE_CATALOGUE_SQL);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        snprintf(err, errlen, "reading the layer catalogue: %s", PQresultErrorMessage(res));
        err[strcspn(err, "\n")] = '\0';
        PQclear(res);
        return NULL;
    }
    struct tile_registry *r = tile_registry_create(res, log_stderr);
    PQclear(res);
    if (!r)
        snprintf(err, errlen, "out of memory");
    return r;
}
