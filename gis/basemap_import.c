/* Basemap importer: GDAL OSM driver -> COPY into staging -> clip, classify
 * and replace the basemap tables, in one transaction (see basemap_import.h). */
#include "gis/basemap_import.h"

#include "common/log_to.h"
#include "common/stopwatch.h"
#include "common/textbuf.h"
#include "gis/copy_line.h"
#include "gis/db.h"
#include "gis/translit.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const table_names[BASEMAP_NTABLES] = {
    [BASEMAP_ROADS] = "roads",           [BASEMAP_RAIL] = "rail",
    [BASEMAP_WATER_LINES] = "water_lines", [BASEMAP_WATER_AREAS] = "water_areas",
    [BASEMAP_LANDUSE] = "landuse",       [BASEMAP_BUILDINGS] = "buildings",
    [BASEMAP_PLACES] = "places",         [BASEMAP_ADDRESSES] = "addresses",
    [BASEMAP_STREETS] = "streets",
};

const char *basemap_table_name(enum basemap_table t)
{
    return t < BASEMAP_NTABLES ? table_names[t] : "?";
}

/* The tag fields staged, as gis/basemap_osmconf.ini names them; the staging
 * table has a column of the same name for each, in this order. */
static const char *const tag_fields[] = {
    "name",    "name_en", "int_name", "place",   "highway", "railway",          "waterway",
    "building", "landuse", "leisure", "natural", "water",   "addr_street", "addr_housenumber",
    "addr_postcode",
};
#define NTAGS (sizeof tag_fields / sizeof tag_fields[0])

static const char *const SQL_STAGE =
    "CREATE TEMP TABLE basemap_stage ("
    " idx bigint, layer text, osm_id bigint,"
    " name text, name_en text, int_name text, place text, highway text, railway text,"
    " waterway text, building text, landuse text, leisure text, \"natural\" text, water text,"
    " addr_street text, addr_housenumber text, addr_postcode text,"
    " geom geometry(Geometry, 4326)"
    ") ON COMMIT DROP";
static const char *const SQL_COPY = "COPY basemap_stage FROM STDIN";

/* The clip area: one row, one geometry (NULL when the municipality is not
 * there). */
static const char *const SQL_CLIP_TABLE =
    "CREATE TEMP TABLE basemap_clip (geom geometry) ON COMMIT DROP";
static const char *const SQL_CLIP_MUNICIPALITY =
    "INSERT INTO basemap_clip SELECT ST_Union(geom) FROM boundaries"
    " WHERE level = 'municipality' AND code = $1";
static const char *const SQL_CLIP_BBOX =
    "INSERT INTO basemap_clip"
    " SELECT ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)";
enum clip_bbox_param { CLIP_P_MINLON, CLIP_P_MINLAT, CLIP_P_MAXLON, CLIP_P_MAXLAT, CLIP_NPARAMS };
static const char *const SQL_CLIP_FOUND =
    "SELECT count(*) FILTER (WHERE geom IS NOT NULL) FROM basemap_clip";

/* Areas made valid first: the clip and ST_PointOnSurface need them valid. */
static const char *const SQL_REPAIR =
    "UPDATE basemap_stage SET geom = ST_CollectionExtract(ST_MakeValid(geom), 3)"
    " WHERE layer = 'multipolygons' AND NOT ST_IsValid(geom)";
/* What lies outside goes; what crosses the edge is cut, keeping its kind
 * (lines stay lines, areas areas). */
static const char *const SQL_CLIP[] = {
    "DELETE FROM basemap_stage s USING basemap_clip c WHERE NOT ST_Intersects(s.geom, c.geom)",
    "UPDATE basemap_stage s SET geom = ST_CollectionExtract(ST_Intersection(s.geom, c.geom),"
    "  CASE s.layer WHEN 'lines' THEN 2 ELSE 3 END)"
    " FROM basemap_clip c WHERE s.layer <> 'points' AND NOT ST_CoveredBy(s.geom, c.geom)",
};

static const char *const SQL_EMPTY =
    "DELETE FROM basemap.roads; DELETE FROM basemap.rail; DELETE FROM basemap.water_lines;"
    " DELETE FROM basemap.water_areas; DELETE FROM basemap.landuse;"
    " DELETE FROM basemap.buildings; DELETE FROM basemap.places;"
    " DELETE FROM basemap.addresses; DELETE FROM basemap.streets";

#define WATER_AREA                                                                           \
    "(\"natural\" = 'water' OR waterway IN ('riverbank', 'dock')"                            \
    " OR landuse IN ('reservoir', 'basin'))"
#define GREEN_LEISURE                                                                        \
    "('park', 'garden', 'playground', 'pitch', 'nature_reserve', 'recreation_ground',"       \
    " 'golf_course', 'dog_park')"
#define NATURAL_LAND                                                                         \
    "('wood', 'scrub', 'grassland', 'heath', 'beach', 'sand', 'wetland', 'bare_rock')"
#define LATIN "basemap.latin_name(name, name_en, int_name)"
#define NOT_EMPTY " AND geom IS NOT NULL AND NOT ST_IsEmpty(geom)"

/* One statement per table, in the order of enum basemap_table. */
static const char *const SQL_FILL[BASEMAP_NTABLES] = {
    [BASEMAP_ROADS] =
        "INSERT INTO basemap.roads (osm_id, class, highway, name, name_latin, geom)"
        " SELECT osm_id, CASE"
        "  WHEN highway IN ('motorway', 'motorway_link') THEN 'motorway'"
        "  WHEN highway IN ('trunk', 'trunk_link') THEN 'trunk'"
        "  WHEN highway IN ('primary', 'primary_link') THEN 'primary'"
        "  WHEN highway IN ('secondary', 'secondary_link') THEN 'secondary'"
        "  WHEN highway IN ('tertiary', 'tertiary_link') THEN 'tertiary'"
        "  WHEN highway = 'service' THEN 'service'"
        "  WHEN highway IN ('footway', 'path', 'cycleway', 'steps', 'bridleway', 'track',"
        "   'corridor') THEN 'path'"
        "  ELSE 'minor' END,"
        " highway, name, " LATIN ", ST_Multi(geom)"
        " FROM basemap_stage WHERE layer = 'lines' AND highway IS NOT NULL"
        " AND highway NOT IN ('proposed', 'construction', 'abandoned', 'razed', 'platform')"
        NOT_EMPTY,
    [BASEMAP_RAIL] =
        "INSERT INTO basemap.rail (osm_id, class, name, geom)"
        " SELECT osm_id, railway, name, ST_Multi(geom) FROM basemap_stage"
        " WHERE layer = 'lines' AND railway IN ('rail', 'light_rail', 'subway', 'tram',"
        " 'narrow_gauge', 'funicular', 'monorail', 'preserved')" NOT_EMPTY,
    [BASEMAP_WATER_LINES] =
        "INSERT INTO basemap.water_lines (osm_id, class, name, name_latin, geom)"
        " SELECT osm_id, waterway, name, " LATIN ", ST_Multi(geom) FROM basemap_stage"
        " WHERE layer = 'lines' AND waterway IN ('river', 'stream', 'canal', 'drain', 'ditch',"
        " 'brook')" NOT_EMPTY,
    [BASEMAP_WATER_AREAS] =
        "INSERT INTO basemap.water_areas (osm_id, class, name, name_latin, geom)"
        " SELECT osm_id, coalesce(water, CASE WHEN waterway IN ('riverbank', 'dock')"
        "  THEN waterway END, CASE WHEN landuse IN ('reservoir', 'basin') THEN landuse END,"
        "  'water'), name, " LATIN ", ST_Multi(geom) FROM basemap_stage"
        " WHERE layer = 'multipolygons' AND " WATER_AREA NOT_EMPTY,
    [BASEMAP_LANDUSE] =
        "INSERT INTO basemap.landuse (osm_id, class, name, geom)"
        " SELECT osm_id, coalesce(landuse, CASE WHEN leisure IN " GREEN_LEISURE
        "  THEN leisure END, \"natural\"), name, ST_Multi(geom) FROM basemap_stage"
        " WHERE layer = 'multipolygons' AND NOT coalesce(" WATER_AREA ", false)"
        " AND (landuse IS NOT NULL OR leisure IN " GREEN_LEISURE
        "  OR \"natural\" IN " NATURAL_LAND ")" NOT_EMPTY,
    [BASEMAP_BUILDINGS] =
        "INSERT INTO basemap.buildings (osm_id, class, name, housenumber, geom)"
        " SELECT osm_id, building, name, addr_housenumber, ST_Multi(geom) FROM basemap_stage"
        " WHERE layer = 'multipolygons' AND building IS NOT NULL AND building <> 'no'" NOT_EMPTY,
    [BASEMAP_PLACES] =
        "INSERT INTO basemap.places (osm_id, class, name, name_latin, geom)"
        " SELECT osm_id, place, name, " LATIN ", ST_PointOnSurface(geom) FROM basemap_stage"
        " WHERE layer IN ('points', 'multipolygons') AND name IS NOT NULL"
        " AND place IN ('city', 'town', 'village', 'suburb', 'hamlet', 'neighbourhood',"
        " 'quarter')" NOT_EMPTY,
    [BASEMAP_ADDRESSES] =
        "INSERT INTO basemap.addresses (osm_id, street, housenumber, postcode, number, geom)"
        " SELECT osm_id, addr_street, addr_housenumber, addr_postcode,"
        " substring(addr_housenumber FROM '^[0-9]{1,6}')::int, ST_PointOnSurface(geom)"
        " FROM basemap_stage WHERE layer IN ('points', 'multipolygons')"
        " AND addr_street IS NOT NULL AND addr_housenumber IS NOT NULL" NOT_EMPTY,
    /* the named roads, merged per name and neighbourhood: pieces of one name
     * less than 0.002° (~200 m) apart are one street */
    [BASEMAP_STREETS] =
        "INSERT INTO basemap.streets (name, name_latin, geom)"
        " SELECT name, min(name_latin), ST_LineMerge(ST_Union(geom))"
        " FROM (SELECT name, name_latin, geom,"
        "  ST_ClusterDBSCAN(geom, 0.002, 1) OVER (PARTITION BY name) AS cluster"
        "  FROM basemap.roads WHERE name IS NOT NULL) r"
        " GROUP BY name, cluster",
};

/* What is known about one of the OSM driver's layers: whether it is staged,
 * where its fields are, and how many features it gave. */
struct osm_layer {
    OGRLayerH layer;
    const char *name;
    int staged; /* points, lines, multipolygons; the relations' layers are not */
    int osm_id, osm_way_id;
    int tag[NTAGS];
    long long read;
};
#define OSM_LAYERS_MAX 8 /* the driver has five */

/* The entry of layer in layers[0..*n), added on first sight. */
static struct osm_layer *layer_of(struct osm_layer *layers, int *n, OGRLayerH layer)
{
    for (int i = 0; i < *n; i++)
        if (layers[i].layer == layer)
            return &layers[i];
    if (*n == OSM_LAYERS_MAX)
        return NULL;
    struct osm_layer *l = &layers[(*n)++];
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(layer);
    l->layer = layer;
    l->name = OGR_L_GetName(layer);
    l->staged = !strcmp(l->name, "points") || !strcmp(l->name, "lines") ||
                !strcmp(l->name, "multipolygons");
    l->osm_id = OGR_FD_GetFieldIndex(d, "osm_id");
    l->osm_way_id = OGR_FD_GetFieldIndex(d, "osm_way_id");
    for (size_t t = 0; t < NTAGS; t++)
        l->tag[t] = OGR_FD_GetFieldIndex(d, tag_fields[t]);
    l->read = 0;
    return l;
}

static const char *field_or_null(OGRFeatureH f, int i)
{
    return i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsString(f, i) : NULL;
}

static void log_progress(const struct basemap_import_options *o,
                         const struct basemap_import_summary *s, const struct osm_layer *layers,
                         int n)
{
    char per[256] = "";
    size_t len = 0;
    for (int i = 0; i < n && len < sizeof per; i++)
        len += (size_t)snprintf(per + len, sizeof per - len, "%s%s %lld", i ? ", " : "",
                                layers[i].name, layers[i].read);
    log_to(o->log, "basemap: %s: %lld features read (%s)\n", o->path, s->read, per);
}

/* Appends the staging line of f (of layer l) to b. Returns 1 when it is to
 * be staged, 0 when it has nothing the basemap uses, -1 when it is skipped
 * (why in msg). */
static int stage_line(struct textbuf *b, const struct osm_layer *l, OGRFeatureH f, long long idx,
                      char *msg, size_t msglen)
{
    const char *id = field_or_null(f, l->osm_id);
    if (!id)
        id = field_or_null(f, l->osm_way_id);
    const char *tags[NTAGS];
    int any = 0;
    for (size_t t = 0; t < NTAGS; t++) {
        tags[t] = field_or_null(f, l->tag[t]);
        if (tags[t] && !utf8_valid(tags[t])) {
            snprintf(msg, msglen, "feature %lld (layer %s, osm_id %s): tag %s is not UTF-8", idx,
                     l->name, id ? id : "?", tag_fields[t]);
            return -1;
        }
        any |= tags[t] != NULL;
    }
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!any || !id || !g || OGR_G_IsEmpty(g))
        return 0;
    char sidx[32];
    snprintf(sidx, sizeof sidx, "%lld", idx);
    b->len = 0;
    copy_line_field(b, sidx, 0);
    copy_line_field(b, l->name, 0);
    copy_line_field(b, id, 0);
    for (size_t t = 0; t < NTAGS; t++)
        copy_line_field(b, tags[t], 0);
    copy_line_ewkb_hex(b, g);
    textbuf_append(b, "\n", 1);
    return 1;
}

/* Reads every feature of ds (all layers, interleaved) and sends the staged
 * ones to the open COPY. Returns 0, or -1 with err naming the file and the
 * feature. */
static int copy_features(PGconn *db, GDALDatasetH ds, const struct basemap_import_options *o,
                         struct basemap_import_summary *s, char *err, size_t errlen)
{
    struct osm_layer layers[OSM_LAYERS_MAX];
    int nlayers = 0;
    long long every = o->progress_every > 0 ? o->progress_every : 100000;
    struct textbuf b = {0}; /* one COPY line: its size comes from the file */
    char msg[512];
    int rc = 0;
    CPLErrorReset();
    for (;;) {
        OGRLayerH layer = NULL;
        OGRFeatureH f = GDALDatasetGetNextFeature(ds, &layer, NULL, NULL, NULL);
        if (!f) {
            if (CPLGetLastErrorType() >= CE_Failure) {
                snprintf(err, errlen, "%s: reading failed after feature %lld (truncated or "
                         "corrupt?): %s", o->path, s->read, CPLGetLastErrorMsg());
                rc = -1;
            }
            break;
        }
        long long idx = s->read++;
        struct osm_layer *l = layer_of(layers, &nlayers, layer);
        if (l)
            l->read++;
        if (s->read % every == 0)
            log_progress(o, s, layers, nlayers);
        int got = l && l->staged ? stage_line(&b, l, f, idx, msg, sizeof msg) : 0;
        OGR_F_Destroy(f);
        if (got < 0) {
            s->skipped++;
            log_to(o->log, "basemap: %s: skipped %s\n", o->path, msg);
            continue;
        }
        if (got == 0)
            continue;
        if (b.failed) {
            snprintf(err, errlen, "%s: out of memory at feature %lld", o->path, idx);
            rc = -1;
            break;
        }
        if (PQputCopyData(db, b.buf, (int)b.len) != 1) {
            snprintf(err, errlen, "%s: COPY failed at feature %lld: %s", o->path, idx,
                     PQerrorMessage(db));
            rc = -1;
            break;
        }
    }
    free(b.buf);
    if (rc == 0)
        log_progress(o, s, layers, nlayers);
    return rc;
}

/* The clip area into basemap_clip (none without --municipality or --bbox). */
static int make_clip(PGconn *db, const struct basemap_import_options *o, int *clipped, char *err,
                     size_t errlen)
{
    char e2[512], found[32];
    *clipped = o->municipality || o->has_bbox;
    if (!*clipped)
        return 0;
    if (db_exec(db, SQL_CLIP_TABLE, 0, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "cannot create the clip table: %s", e2);
        return -1;
    }
    int rc;
    if (o->municipality) {
        const char *p[] = {o->municipality};
        rc = db_exec(db, SQL_CLIP_MUNICIPALITY, 1, p, e2, sizeof e2);
    } else {
        char v[CLIP_NPARAMS][32];
        const char *p[CLIP_NPARAMS];
        for (int i = 0; i < CLIP_NPARAMS; i++) {
            snprintf(v[i], sizeof v[i], "%.9f", o->bbox[i]);
            p[i] = v[i];
        }
        rc = db_exec(db, SQL_CLIP_BBOX, CLIP_NPARAMS, p, e2, sizeof e2);
    }
    if (rc < 0 || db_query_value(db, SQL_CLIP_FOUND, 0, NULL, found, sizeof found, e2,
                                 sizeof e2) < 0) {
        snprintf(err, errlen, "cannot make the clip area: %s", e2);
        return -1;
    }
    if (!strcmp(found, "0")) {
        snprintf(err, errlen, "no municipality with code \"%s\" in the boundaries table "
                 "(import it first: polis boundaries import)", o->municipality);
        return -1;
    }
    return 0;
}

struct basemap_tx {
    GDALDatasetH ds;
    const struct basemap_import_options *o;
    struct basemap_import_summary *s;
};

/* Everything between BEGIN and COMMIT (a db_step_fn on a struct basemap_tx). */
static int import_in_tx(PGconn *db, void *arg, char *err, size_t errlen)
{
    const struct basemap_tx *tx = arg;
    const struct basemap_import_options *o = tx->o;
    struct basemap_import_summary *s = tx->s;
    char e2[512];
    int clipped;
    /* the clip first: a wrong municipality code fails before the long read */
    if (make_clip(db, o, &clipped, err, errlen) < 0)
        return -1;
    if (db_stage_copy_begin(db, SQL_STAGE, SQL_COPY, err, errlen) < 0)
        return -1;
    int failed = copy_features(db, tx->ds, o, s, err, errlen) < 0;
    if (db_copy_end(db, failed, err, errlen) < 0)
        return -1;
    if (db_exec(db, SQL_REPAIR, 0, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "%s: making the areas valid failed: %s", o->path, e2);
        return -1;
    }
    for (size_t i = 0; clipped && i < sizeof SQL_CLIP / sizeof SQL_CLIP[0]; i++)
        if (db_exec(db, SQL_CLIP[i], 0, NULL, e2, sizeof e2) < 0) {
            snprintf(err, errlen, "%s: cutting with the clip area failed: %s", o->path, e2);
            return -1;
        }
    if (db_exec(db, SQL_EMPTY, 0, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "emptying the basemap failed: %s", e2);
        return -1;
    }
    for (int t = 0; t < BASEMAP_NTABLES; t++) {
        PGresult *res = db_query(db, SQL_FILL[t], 0, NULL, e2, sizeof e2);
        if (!res) {
            snprintf(err, errlen, "%s: filling basemap.%s failed: %s", o->path, table_names[t], e2);
            return -1;
        }
        s->written[t] = atoll(PQcmdTuples(res));
        PQclear(res);
        log_to(o->log, "basemap: %s: %lld\n", table_names[t], s->written[t]);
    }
    return 0;
}

#define OSMCONF_PATH "/vsimem/polis_basemap_osmconf.ini"

/* Opens path with the OSM driver only, configured by the compiled-in
 * osmconf. Returns NULL with the reason in err. */
static GDALDatasetH open_osm(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (!strncmp(path, "/vsi", 4) || stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a file here (expected a local .osm or .osm.pbf file)", path);
        return NULL;
    }
    GDALAllRegister();
    VSILFILE *conf = VSIFileFromMemBuffer(OSMCONF_PATH, (GByte *)polis_basemap_osmconf,
                                          (vsi_l_offset)strlen(polis_basemap_osmconf), FALSE);
    if (!conf) {
        snprintf(err, errlen, "cannot hand the OSM configuration to GDAL");
        return NULL;
    }
    VSIFCloseL(conf);
    static const char *const drivers[] = {"OSM", NULL};
    static const char *const open_options[] = {"CONFIG_FILE=" OSMCONF_PATH,
                                               "INTERLEAVED_READING=YES", NULL};
    CPLErrorReset();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, open_options,
                                 NULL);
    if (!ds)
        snprintf(err, errlen, "%s: not an OpenStreetMap file GDAL can read (expected .osm XML or "
                 ".osm.pbf)%s%s", path, CPLGetLastErrorMsg()[0] ? ": " : "",
                 CPLGetLastErrorMsg());
    return ds;
}

int basemap_import(PGconn *db, const struct basemap_import_options *o,
                   struct basemap_import_summary *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    struct timespec t0 = stopwatch_start();
    GDALDatasetH ds = open_osm(o->path, err, errlen);
    if (!ds) {
        VSIUnlink(OSMCONF_PATH);
        return -1;
    }
    log_to(o->log, "basemap: reading %s%s%s\n", o->path,
           o->municipality ? ", cut with municipality " : o->has_bbox ? ", cut with the bbox" : "",
           o->municipality ? o->municipality : "");
    struct basemap_tx tx = {.ds = ds, .o = o, .s = s};
    int rc = db_transaction(db, import_in_tx, &tx, err, errlen);
    GDALClose(ds);
    VSIUnlink(OSMCONF_PATH);
    s->seconds = stopwatch_seconds(&t0);
    if (rc == 0)
        log_to(o->log, "basemap: %s: %lld features read, %lld skipped, %lld roads, %lld "
               "addresses, %lld streets, %.1f s\n", o->path, s->read, s->skipped,
               s->written[BASEMAP_ROADS], s->written[BASEMAP_ADDRESSES],
               s->written[BASEMAP_STREETS], s->seconds);
    return rc;
}
