/* GET /api/v1/layers/{name}/download?format=...&crs=EPSG:n[&bbox=...][&filter=...]:
 * an imported layer as a file in any of the formats below, written by GDAL
 * (gis/layer_export.c) on an offload thread into a private directory under
 * POLIS_VAR/downloads, then sent from that file in chunks (memory stays one
 * chunk whatever the layer's size). The file is unlinked as soon as it is
 * opened for sending, so it is gone from the disk when the answer ends or
 * the client leaves; a client that leaves while GDAL writes stops the export
 * at its next batch and the directory is removed.
 *
 * bbox, bbox-crs and filter are read as OGC items reads them (api/ogc_params.c).
 * A staff-only layer is 404 to anyone but staff, like an unknown one. At most
 * POLIS_DOWNLOADS_MAX downloads are made or sent at once in the process;
 * beyond that 503 with Retry-After. */
#include "gis/layer_download_sql.h"
#include "gis/layer_export.h"
#include "gis/db.h"
#include "common/make_dirs.h"
#include "api/api.h"
#include "api/ogc.h"
#include "http/identity.h"
#include "http/offload.h"
#include "http/respond.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DOWNLOAD_CHUNK (64 * 1024)

static const struct download_format {
    const char *key;          /* format= */
    const char *driver;       /* GDAL driver */
    const char *file_suffix;  /* of the file GDAL writes */
    const char *ext;          /* of the name the client saves */
    const char *content_type;
} formats[] = {
    {"gpkg", "GPKG", ".gpkg", "gpkg", "application/geopackage+sqlite3"},
    {"shp", "ESRI Shapefile", ".shp.zip", "zip", "application/zip"}, /* GDAL zips it */
    {"geojson", "GeoJSON", ".geojson", "geojson", "application/geo+json"},
    {"csv", "CSV", ".csv", "csv", "text/csv; charset=utf-8"},
    {"kml", "KML", ".kml", "kml", "application/vnd.google-earth.kml+xml"},
    {"fgb", "FlatGeobuf", ".fgb", "fgb", "application/flatgeobuf"},
    {"dxf", "DXF", ".dxf", "dxf", "image/vnd.dxf"},
};
#define NFORMATS (sizeof formats / sizeof formats[0])
#define FORMAT_LIST "one of gpkg, shp, geojson, csv, kml, fgb, dxf"

/* Downloads being made or sent in this process. */
static atomic_int downloads_running;

/* The export, off the loop. Malloc'd; outlives the request when it leaves. */
struct download_job {
    struct offload_job job; /* first */
    struct download *dl;    /* the request's side; only read in done when not cancelled */
    atomic_int stop;        /* set on the loop when the client leaves */
    struct layer_export_options o;
    const struct download_format *fmt;
    const char *database_url, *var_dir;
    char *name, *where, **params, *dir, *path;
    int nparams, rc;
    char err[512];
};

/* The request's side, in its pool. */
struct download {
    h2o_generator_t gen; /* first: h2o hands it back */
    struct exchange *ex;
    struct download_job *job; /* while GDAL writes */
    const struct download_format *fmt;
    int epsg;
    int fd, holds_slot;
    off_t size, sent;
    char *buf;
};

static void release_slot(void)
{
    atomic_fetch_sub(&downloads_running, 1);
}

/* Removes the job's directory and whatever GDAL left in it. */
static void remove_dir(const char *dir)
{
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
    rmdir(dir);
}

static void job_free(struct download_job *j)
{
    remove_dir(j->dir);
    for (int i = 0; i < j->nparams; i++)
        free(j->params[i]);
    free(j->params);
    free(j->name);
    free(j->where);
    free(j->dir);
    free(j->path);
    free(j);
}

static char *dup_printf(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

static void download_work(struct offload_job *job)
{
    struct download_job *j = (struct download_job *)job;
    j->rc = -1;
    char *parent = dup_printf(j->var_dir, "/downloads", "");
    j->dir = parent ? dup_printf(parent, "/", "XXXXXX") : NULL;
    if (!j->dir || (make_dirs(parent, 0700) && errno != EEXIST) || !mkdtemp(j->dir)) {
        snprintf(j->err, sizeof j->err, "cannot make a directory under %s/downloads: %s",
                 j->var_dir, strerror(errno));
        free(j->dir);
        j->dir = NULL;
        free(parent);
        return;
    }
    free(parent);
    char *file = dup_printf("/", j->name, j->fmt->file_suffix);
    j->path = file ? dup_printf(j->dir, file, "") : NULL;
    free(file);
    if (!j->path) {
        snprintf(j->err, sizeof j->err, "out of memory");
        return;
    }
    j->o.path = j->path;
    PGconn *db = db_connect(j->database_url, j->err, sizeof j->err);
    if (!db)
        return;
    struct layer_export_summary s;
    j->rc = layer_export(db, &j->o, &s, j->err, sizeof j->err);
    PQfinish(db);
}

/* h2o has sent the last chunk: the next one, FINAL at the end of the file. */
static void download_proceed(h2o_generator_t *gen, h2o_req_t *req)
{
    struct download *dl = (struct download *)gen;
    size_t want = dl->size - dl->sent < DOWNLOAD_CHUNK ? (size_t)(dl->size - dl->sent)
                                                       : DOWNLOAD_CHUNK;
    ssize_t n = want ? read(dl->fd, dl->buf, want) : 0;
    int failed = n < 0 || (n == 0 && want);
    if (!failed)
        dl->sent += n;
    int last = failed || dl->sent == dl->size;
    if (last && dl->holds_slot) { /* all handed to h2o: the next download may start now, not
                                   * when the request is freed (a client asking again at
                                   * once could overtake that) */
        dl->holds_slot = 0;
        release_slot();
    }
    if (failed) { /* the client sees a cut transfer, never a whole-looking file */
        h2o_send(req, NULL, 0, H2O_SEND_STATE_ERROR);
        return;
    }
    h2o_iovec_t b = h2o_iovec_init(dl->buf, (size_t)n);
    h2o_send(req, &b, 1, last ? H2O_SEND_STATE_FINAL : H2O_SEND_STATE_IN_PROGRESS);
}

/* The client went away: the fd is closed when the request is freed. */
static void download_stop(h2o_generator_t *gen, h2o_req_t *req)
{
    (void)gen, (void)req;
}

static void download_dispose(void *p)
{
    struct download *dl = p;
    if (dl->job) /* GDAL is still writing: stop it; its done frees it */
        atomic_store(&dl->job->stop, 1);
    if (dl->fd >= 0)
        close(dl->fd);
    free(dl->buf);
    if (dl->holds_slot)
        release_slot();
}

static void download_done(struct offload_job *job)
{
    struct download_job *j = (struct download_job *)job;
    if (job->cancelled) { /* the request is gone, and its download struct with it */
        job_free(j);
        release_slot();
        return;
    }
    struct download *dl = j->dl;
    struct exchange *ex = dl->ex;
    dl->job = NULL;
    ex->offload = NULL; /* freed below: the request's end must not mark it */
    struct stat st;
    if (j->rc == 0) {
        dl->fd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (dl->fd < 0 || fstat(dl->fd, &st) != 0) {
            snprintf(j->err, sizeof j->err, "cannot open the file written: %s", strerror(errno));
            j->rc = -1;
        }
    }
    const char *err = exchange_strdup(ex, j->err);
    int rc = j->rc;
    job_free(j); /* the open file stays readable; its name and directory are gone */
    if (rc != 0) {
        release_slot();
        fprintf(stderr, "polis: download of layer %s failed: %s\n", ex->path_params[0], err);
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "the %s file of layer %s could not be made (the server log says why)",
                        dl->fmt->key, ex->path_params[0]);
        return;
    }
    dl->holds_slot = 1;
    dl->size = st.st_size;
    dl->buf = malloc(DOWNLOAD_CHUNK);
    if (!dl->buf) {
        respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "the server is out of memory; try again shortly");
        return;
    }
    respond_private(ex->req);
    respond_header(ex->req, "x-content-type-options", "nosniff");
    respond_header(ex->req, "content-type", dl->fmt->content_type);
    respond_header(ex->req, "content-disposition",
                   exchange_printf(ex, "attachment; filename=\"%s.%s\"", ex->path_params[0],
                                   dl->fmt->ext));
    ex->req->res.status = 200;
    ex->req->res.reason = "OK";
    ex->req->res.content_length = (size_t)dl->size;
    h2o_start_response(ex->req, &dl->gen);
    download_proceed(&dl->gen, ex->req);
}

/* "EPSG:n" (any case): n, or 0. */
static int parse_epsg(const char *s)
{
    long v;
    if (strncasecmp(s, "EPSG:", 5) || parse_integer(s + 5, &v) || v < 1 || v > 999999)
        return 0;
    return (int)v;
}

static const char *const allowed[] = {"format", "crs", "bbox", "bbox-crs", "filter",
                                      "filter-lang", "filter-crs", NULL};

/* The catalogue row is there: read the rest, then offload the export. */
static void layer_found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure_or_missing(ex->req, res, "there is no layer %s", ex->path_params[0]))
        return;
    struct download *dl = ex->handler_data;
    const char *crs = params_get(&ex->query, "crs");
    int epsg = dl->epsg;
    if (strcmp(PQgetvalue(res, 0, LAYER_DOWNLOAD_CRS_KNOWN), "t"))
        params_error(&ex->query, "crs", "an EPSG code PROJ knows (EPSG:4326, EPSG:2100, ...)", crs);
    else if (epsg != 4326 && !strcmp(dl->fmt->key, "kml"))
        params_error(&ex->query, "crs", "EPSG:4326 or none (KML is always lon/lat)", crs);
    int bbox_srid, bbox_latlon, has_bbox;
    double bbox[4];
    ogc_read_crs(ex, "bbox-crs", &bbox_srid, &bbox_latlon, NULL);
    if (bbox_srid == 4326 && !bbox_latlon)
        has_bbox = params_bbox(&ex->query, "bbox", ex->app->cfg.bbox_max_km2, bbox) == 1;
    else
        has_bbox = ogc_read_bbox_any(ex, bbox) == 1;
    if (has_bbox && bbox_latlon) { /* given lat,lon: the export takes lon,lat */
        double b[4] = {bbox[1], bbox[0], bbox[3], bbox[2]};
        memcpy(bbox, b, sizeof b);
    }
    json_t *attrs = json_loads(PQgetvalue(res, 0, LAYER_DOWNLOAD_ATTRIBUTES), 0, NULL);
    struct ogc_items_query q = {0};
    const char **cql_params = NULL;
    int ncql = 0;
    ogc_read_filter(ex, attrs, LAYER_EXPORT_FIRST_PARAM(has_bbox), &q, &cql_params, &ncql);
    json_decref(attrs);
    if (respond_params_problem(ex->req, &ex->query))
        return;

    int max = ex->app->cfg.downloads_max;
    if (atomic_fetch_add(&downloads_running, 1) >= max) {
        release_slot();
        respond_header(ex->req, "retry-after", "10");
        respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "%d layer downloads are being made already (POLIS_DOWNLOADS_MAX); "
                        "try again shortly", max);
        return;
    }
    struct download_job *j = calloc(1, sizeof *j);
    int ok = j != NULL;
    if (ok) {
        j->job.work = download_work;
        j->job.done = download_done;
        j->dl = dl;
        j->fmt = dl->fmt;
        j->database_url = ex->app->cfg.database_url;
        j->var_dir = ex->app->cfg.var_dir;
        j->name = strdup(PQgetvalue(res, 0, LAYER_DOWNLOAD_NAME));
        j->where = q.cql_where ? strdup(q.cql_where) : NULL;
        j->params = calloc((size_t)ncql + 1, sizeof *j->params);
        ok = j->name && (!q.cql_where || j->where) && j->params;
        for (int i = 0; ok && i < ncql; i++, j->nparams++)
            ok = (j->params[i] = strdup(cql_params[i])) != NULL;
    }
    if (!ok) {
        if (j)
            job_free(j);
        release_slot();
        respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "the server is out of memory; try again shortly");
        return;
    }
    struct layer_export_options *o = &j->o;
    o->name = j->name;
    o->format = dl->fmt->driver;
    o->epsg = epsg;
    o->has_bbox = has_bbox;
    memcpy(o->bbox, bbox, sizeof bbox);
    o->bbox_srid = bbox_srid;
    o->where = j->where;
    o->where_params = (const char *const *)j->params;
    o->where_nparams = j->nparams;
    o->stop = &j->stop;
    dl->job = j;
    if (exchange_offload(ex, &j->job)) { /* answered 503 */
        dl->job = NULL;
        job_free(j);
        release_slot();
    }
}

void api_layer_download(struct exchange *ex)
{
    params_allow_only(&ex->query, allowed);
    const char *key = params_get(&ex->query, "format");
    const struct download_format *fmt = NULL;
    for (size_t i = 0; key && i < NFORMATS; i++)
        if (!strcmp(key, formats[i].key))
            fmt = &formats[i];
    if (!fmt)
        params_error(&ex->query, "format", FORMAT_LIST, key ? key : "(none)");
    const char *crs = params_get(&ex->query, "crs");
    int epsg = crs ? parse_epsg(crs) : 4326;
    if (!epsg)
        params_error(&ex->query, "crs", "EPSG:n, an EPSG code (EPSG:2100 for the Greek Grid)",
                     crs);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    struct download *dl = h2o_mem_alloc_shared(&ex->req->pool, sizeof *dl, download_dispose);
    *dl = (struct download){.gen = {download_proceed, download_stop}, .ex = ex, .fmt = fmt,
                            .epsg = epsg, .fd = -1};
    ex->handler_data = dl;
    const char *args[LAYER_DOWNLOAD_NPARAMS];
    args[LAYER_DOWNLOAD_P_NAME] = ex->path_params[0];
    args[LAYER_DOWNLOAD_P_STAFF] = identity_acts_as_staff(&ex->who) ? "t" : "f";
    args[LAYER_DOWNLOAD_P_SRID] = exchange_printf(ex, "%d", epsg);
    exchange_query_prepared(ex, LAYER_DOWNLOAD_SQL, LAYER_DOWNLOAD_NPARAMS, args, layer_found);
}
