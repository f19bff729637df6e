/* Schools and school zones, as a parent and an engineer meet them:
 *  - the zone lookup for an address in Serres names one school per level
 *    that the demo has there (compared with the demo schools in the
 *    database, not a fixed list), the nearest one, with its distance;
 *  - level= narrows it; a point outside every zone (Athens, the sea) is a
 *    404 that names the point and where it is; bad parameters are 400s
 *    naming the parameter;
 *  - polis schools derive-zones gives provisional zones that cover the
 *    municipality once (areas add up, no overlaps), handles two schools at
 *    one point and leaves imported zones alone;
 *  - polis schools import / import-zones read generated files (schools in
 *    EPSG:2100), name the bad feature and then change nothing;
 *  - the list, one school, and the tile layers. */
#include "harness.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SERRES_LAT "41.0917"
#define SERRES_LON "23.5494"
#define THESS "9031" /* Thessaloniki: the imports go there, not into the demo */

static PGconn *db;
static struct h_server srv;
static char tmp[200], tag[32];

/* polis schools ARGS, output in *out. */
static int schools_cli(char **out, const char *args)
{
    return h_run(out, "'%s' schools %s 2>&1", h_env("POLIS_BIN"), args);
}

static char *sql1(const char *sql, const char *p1)
{
    const char *p[] = {p1};
    return h_pg_value(db, sql, p1 ? 1 : 0, p1 ? p : NULL);
}

static double sql_double(const char *sql, const char *p1)
{
    char *v = sql1(sql, p1);
    double d = v ? atof(v) : NAN;
    free(v);
    return d;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f))
        h_fatal("cannot write %s", path);
}

/* The levels, in school order, of the demo schools of Serres: "primary,...". */
static char *demo_levels(void)
{
    return sql1("SELECT string_agg(code, ',' ORDER BY sort_order) FROM school_levels l"
                " WHERE EXISTS (SELECT 1 FROM schools s JOIN boundaries b"
                "   ON b.id = s.municipality_id WHERE b.code = '9054' AND s.level = l.code)",
                NULL);
}

/* The "level" members of a zone answer's schools[], joined by commas. */
static void answer_levels(json_t *answer, char *out, size_t len)
{
    out[0] = '\0';
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(answer, "schools"), i, e)
        snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "," : "",
                 json_string_value(json_object_get(e, "level")));
}

/* ---- the lookup in Serres ---- */

static void lookup_serres(void)
{
    struct h_resp r;
    h_get(&srv, "/api/v1/schools/zone?lat=" SERRES_LAT "&lon=" SERRES_LON, &r);
    CHECK_INT("zone lookup in Serres: status", r.status, 200);
    CHECK_STR("zone lookup: content type", r.media_type, "application/json");
    char *want = demo_levels(), got[512];
    answer_levels(r.json, got, sizeof got);
    CHECK(want && want[0], "the demo has schools in Serres");
    CHECK_STR("one school per level the demo has in Serres", got, want ? want : "");
    CHECK_STR("municipality of the point",
              json_string_value(json_object_get(json_object_get(r.json, "municipality"), "code")),
              "9054");
    /* every level the demo lacks there is named as missing */
    char *missing = sql1("SELECT coalesce(string_agg(code, ',' ORDER BY sort_order), '')"
                         " FROM school_levels WHERE NOT (code = ANY (string_to_array($1, ',')))",
                         want);
    char got_missing[512] = "";
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(r.json, "missing_levels"), i, e)
        snprintf(got_missing + strlen(got_missing), sizeof got_missing - strlen(got_missing),
                 "%s%s", i ? "," : "", json_string_value(e));
    CHECK_STR("missing_levels", got_missing, missing ? missing : "");
    free(missing);
    /* each is the nearest school of its level, at the distance PostGIS gives */
    json_array_foreach(json_object_get(r.json, "schools"), i, e) {
        const char *level = json_string_value(json_object_get(e, "level"));
        json_t *school = json_object_get(e, "school");
        char id[32];
        snprintf(id, sizeof id, "%lld", json_integer_value(json_object_get(school, "id")));
        char *nearest = sql1("SELECT id FROM schools s WHERE level = $1 AND municipality_id ="
                             " (SELECT id FROM boundaries WHERE level = 'municipality'"
                             "  AND code = '9054') ORDER BY s.geom::geography <->"
                             " ST_MakePoint(" SERRES_LON ", " SERRES_LAT ")::geography, id LIMIT 1",
                             level);
        CHECK_STR(level, id, nearest ? nearest : "?");
        free(nearest);
        double d = sql_double("SELECT ST_Distance(geom::geography, ST_MakePoint(" SERRES_LON
                              ", " SERRES_LAT ")::geography) FROM schools WHERE id = $1", id);
        double got_d = json_number_value(json_object_get(e, "distance_m"));
        CHECK(fabs(got_d - d) < 0.2, "%s: distance_m expected %.1f, found %.1f", level, d, got_d);
        json_t *zone = json_object_get(e, "zone");
        CHECK(json_is_true(json_object_get(zone, "provisional")),
              "%s: the demo's zones are provisional", level);
        CHECK_STR(level, json_string_value(json_object_get(zone, "source")), "derived");
    }
    free(want);
    h_resp_free(&r);

    /* level= gives that level only; lang=en the English names */
    h_get(&srv, "/api/v1/schools/zone?lat=" SERRES_LAT "&lon=" SERRES_LON
                "&level=primary&lang=en", &r);
    CHECK_INT("level=primary: status", r.status, 200);
    answer_levels(r.json, got, sizeof got);
    CHECK_STR("level=primary: levels", got, "primary");
    CHECK_INT("level=primary: missing_levels",
              (long long)json_array_size(json_object_get(r.json, "missing_levels")), 0);
    json_t *props = json_object_get(
        json_object_get(json_array_get(json_object_get(r.json, "schools"), 0), "school"),
        "properties");
    CHECK_STR("lang=en: name", json_string_value(json_object_get(props, "name")),
              json_string_value(json_object_get(props, "name_en")));
    CHECK_HAS("lang=en: name", json_string_value(json_object_get(props, "name")),
              "Primary School of Serres");
    h_resp_free(&r);
}

/* ---- outside every zone, bad parameters ---- */

static void outside_and_bad(void)
{
    struct h_resp r;
    h_get(&srv, "/api/v1/schools/zone?lat=37.9838&lon=23.7275", &r);
    CHECK_PROBLEM("a point in Athens", &r, 404, NULL);
    const char *detail = json_string_value(json_object_get(r.json, "detail"));
    CHECK_HAS("Athens: says no zone holds it", detail, "no school zone");
    CHECK_HAS("Athens: names the point", detail, "lat=37.9838 lon=23.7275");
    CHECK_HAS("Athens: names the municipality", detail, "Αθηναίων");
    h_resp_free(&r);
    h_get(&srv, "/api/v1/schools/zone?lat=37.9838&lon=23.7275&level=primary", &r);
    CHECK_PROBLEM("Athens, level=primary", &r, 404, NULL);
    CHECK_HAS("Athens: names the level", json_string_value(json_object_get(r.json, "detail")),
              "level primary");
    h_resp_free(&r);
    h_get(&srv, "/api/v1/schools/zone?lat=36.5&lon=20.5", &r);
    CHECK_PROBLEM("a point in the Ionian sea", &r, 404, NULL);
    CHECK_HAS("the sea", json_string_value(json_object_get(r.json, "detail")),
              "not inside any loaded municipality");
    h_resp_free(&r);

    static const struct {
        const char *path, *param;
    } bad[] = {
        {"/api/v1/schools/zone?lon=23.5", "lat"},
        {"/api/v1/schools/zone?lat=abc&lon=23.5", "lat"},
        {"/api/v1/schools/zone?lat=41&lon=200", "lon"},
        {"/api/v1/schools/zone?lat=41&lon=23.5&level=university", "level"},
        {"/api/v1/schools/zone?lat=41&lon=23.5&lang=fr", "lang"},
        {"/api/v1/schools/zone?lat=41&lon=23.5&radius=3", "radius"},
        {"/api/v1/schools?level=college", "level"},
        {"/api/v1/schools?bbox=1,2,3", "bbox"},
        {"/api/v1/schools?limit=0", "limit"},
        {"/api/v1/schools/0", "id"},
        {"/api/v1/schools/x1", "id"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        h_get(&srv, bad[i].path, &r);
        CHECK_PROBLEM(bad[i].path, &r, 400, bad[i].param);
        h_resp_free(&r);
    }
    /* the levels the API accepts are exactly the table's */
    char *table = sql1("SELECT 'one of: ' || string_agg(code, ', ' ORDER BY sort_order)"
                       " FROM school_levels", NULL);
    h_get(&srv, "/api/v1/schools?level=college", &r);
    CHECK_STR("level= expects the levels of school_levels",
              json_string_value(json_object_get(json_array_get(json_object_get(r.json, "errors"),
                                                               0), "expected")),
              table ? table : "?");
    free(table);
    h_resp_free(&r);
    h_get(&srv, "/api/v1/schools/999999999", &r);
    CHECK_PROBLEM("an unknown school", &r, 404, NULL);
    h_resp_free(&r);
}

/* ---- list, one school, tiles ---- */

static void list_and_get(void)
{
    struct h_resp r;
    char *n = sql1("SELECT count(*) FROM schools WHERE level = 'primary'", NULL);
    /* pages of 2 over the primary schools: each once, all of them */
    char url[1024];
    snprintf(url, sizeof url, "%s/api/v1/schools?level=primary&limit=2", srv.base);
    int seen = 0, pages = 0;
    long long last = 0;
    while (url[0] && pages++ < 50) {
        h_get_url(url, &r);
        CHECK_INT("list page: status", r.status, 200);
        CHECK_STR("list page: type", r.media_type, "application/geo+json");
        size_t i;
        json_t *f;
        json_array_foreach(json_object_get(r.json, "features"), i, f) {
            long long id = json_integer_value(json_object_get(f, "id"));
            CHECK(id > last, "list: ids rise across pages (%lld after %lld)", id, last);
            last = id;
            CHECK_STR("list: level", json_string_value(json_object_get(
                                         json_object_get(f, "properties"), "level")), "primary");
            seen++;
        }
        url[0] = '\0';
        json_t *l;
        json_array_foreach(json_object_get(r.json, "links"), i, l)
            if (!strcmp(json_string_value(json_object_get(l, "rel")), "next"))
                snprintf(url, sizeof url, "%s", json_string_value(json_object_get(l, "href")));
        h_resp_free(&r);
    }
    CHECK_INT("list: every primary school once", seen, n ? atoll(n) : -1);
    free(n);

    char *id = sql1("SELECT min(id) FROM schools WHERE demo AND level = 'primary'", NULL);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/schools/%s", id ? id : "0");
    h_get(&srv, path, &r);
    CHECK_INT("one school: status", r.status, 200);
    json_t *zones = json_object_get(json_object_get(r.json, "properties"), "zones");
    CHECK_INT("one school: its zones", (long long)json_array_size(zones), 1);
    CHECK(json_is_true(json_object_get(json_array_get(zones, 0), "provisional")),
          "one school: its zone is provisional");
    h_resp_free(&r);
    free(id);

    /* tiles: both layers exist and a city tile of Serres holds zones and schools */
    h_get(&srv, "/tiles/school_zones.json", &r);
    CHECK_INT("TileJSON of school_zones", r.status, 200);
    CHECK_HAS("TileJSON fields", r.body, "provisional");
    h_resp_free(&r);
    h_get(&srv, "/tiles/school_zones,schools/13/4631/3068.mvt", &r);
    CHECK_INT("composite tile of Serres: status", r.status, 200);
    CHECK(r.len > 0 && memmem(r.body, r.len, "school_zones", 12) && memmem(r.body, r.len, "schools", 7),
          "the tile of central Serres holds both layers (%zu bytes)", r.len);
    CHECK(!memmem(r.body, r.len, "source", 6), "the tile carries the whitelisted fields only");
    h_resp_free(&r);
}

/* ---- derive-zones ---- */

/* Provisional zones of Serres: per level they add up to the municipality
 * and do not overlap. */
static void check_cover(const char *what)
{
    double diff = sql_double(
        "SELECT coalesce(max(abs(a.area - m.area) / m.area), 0) FROM"
        " (SELECT z.level, sum(ST_Area(z.geom::geography)) AS area FROM school_zones z"
        "   JOIN boundaries b ON b.id = z.municipality_id WHERE b.code = '9054' GROUP BY z.level) a,"
        " (SELECT ST_Area(geom::geography) AS area FROM boundaries WHERE level = 'municipality'"
        "   AND code = '9054') m", NULL);
    CHECK(diff < 1e-4, "%s: the zones of each level add up to the municipality (off by %g)",
          what, diff);
    double overlap = sql_double(
        "SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)"
        " FROM school_zones a JOIN school_zones b ON a.id < b.id AND a.level = b.level"
        "  AND a.geom && b.geom AND ST_Relate(a.geom, b.geom, '2********')", NULL);
    CHECK(overlap < 1, "%s: zones of one level overlap by %.3f m²", what, overlap);
    char *levels = demo_levels();
    char *zl = sql1("SELECT string_agg(DISTINCT z.level, ',') FROM school_zones z"
                    " JOIN boundaries b ON b.id = z.municipality_id WHERE b.code = '9054'", NULL);
    char *sorted = sql1("SELECT string_agg(x, ',' ORDER BY x) FROM"
                        " unnest(string_to_array($1, ',')) x", levels);
    CHECK_STR(what, zl ? zl : "", sorted ? sorted : "?");
    free(levels);
    free(zl);
    free(sorted);
}

static void derive(void)
{
    char *out;
    int rc = schools_cli(&out, "derive-zones --municipality 9054");
    CHECK(rc == 0, "derive-zones: expected exit 0, found %d: %s", rc, out);
    CHECK_HAS("derive-zones: progress", out, "Δήμος Σερρών (9054), primary");
    CHECK_HAS("derive-zones: summary", out, "provisional zones written");
    free(out);
    check_cover("after derive-zones");

    /* a second school at the very point of a primary school */
    const char *p[] = {tag};
    char *twin = h_pg_value(db,
        "INSERT INTO schools (name_el, level, geom, municipality_id, source)"
        " SELECT 'Δίδυμο ' || $1, level, geom, municipality_id, 'test' FROM schools"
        " WHERE demo AND level = 'primary' ORDER BY id LIMIT 1 RETURNING id", 1, p);
    rc = schools_cli(&out, "derive-zones --municipality 9054 --level primary");
    CHECK(rc == 0, "derive-zones with two schools at one point: exit %d: %s", rc, out);
    CHECK_HAS("two schools at one point: named", out, "is at the same point as");
    free(out);
    check_cover("two schools at one point");
    free(h_pg_value(db, "DELETE FROM schools WHERE id = $1::bigint RETURNING id", 1,
                    (const char *const[]){twin}));
    free(twin);

    /* the database refuses an overlapping provisional zone and a zone of
     * another level than its school's */
    static const struct {
        const char *what, *sql, *error;
    } refused[] = {
        {"a second provisional zone over a primary zone",
         "INSERT INTO school_zones (school_id, level, municipality_id, geom, provisional, source)"
         " SELECT school_id, level, municipality_id, geom, true, 'test' FROM school_zones"
         " WHERE level = 'primary' AND provisional ORDER BY id LIMIT 1", "overlaps"},
        {"a kindergarten zone for a primary school",
         "INSERT INTO school_zones (school_id, level, municipality_id, geom, provisional, source)"
         " SELECT school_id, 'kindergarten', municipality_id, geom, false, 'test'"
         " FROM school_zones WHERE level = 'primary' ORDER BY id LIMIT 1", "foreign key"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        PGresult *res = PQexec(db, refused[i].sql);
        CHECK(PQresultStatus(res) == PGRES_FATAL_ERROR, "%s: expected an error, found %s",
              refused[i].what, PQresStatus(PQresultStatus(res)));
        CHECK_HAS(refused[i].what, PQresultErrorMessage(res), refused[i].error);
        PQclear(res);
    }

    rc = schools_cli(&out, "derive-zones --level college");
    CHECK(rc == 2, "derive-zones --level college: expected exit 2, found %d", rc);
    CHECK_HAS("a bad level is named", out, "college");
    free(out);
    rc = schools_cli(&out, "derive-zones --municipality 99999");
    CHECK(rc == 1, "derive-zones for an unknown municipality: expected exit 1, found %d", rc);
    CHECK_HAS("an unknown municipality is named", out, "99999");
    free(out);
}

/* ---- import ---- */

/* A point of Thessaloniki moved by dx, dy metres, in EPSG:2100 ("x y"). */
static char *thess_2100(int dx, int dy)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT round(ST_X(p)::numeric, 2) || ' ' || round(ST_Y(p)::numeric, 2) FROM"
             " (SELECT ST_Translate(ST_Transform(ST_PointOnSurface(geom), 2100), %d, %d) AS p"
             "  FROM boundaries WHERE level = 'municipality' AND code = '" THESS "') t", dx, dy);
    return sql1(sql, NULL);
}

/* A school Feature for a GeoJSON file in EPSG:2100. */
static void school_feature(char *buf, size_t len, const char *ref, const char *name,
                           const char *level, int dx, int dy)
{
    char *xy = thess_2100(dx, dy);
    char x[64] = "0", y[64] = "0";
    if (xy)
        sscanf(xy, "%63s %63s", x, y);
    free(xy);
    snprintf(buf + strlen(buf), len - strlen(buf),
             "%s{\"type\":\"Feature\",\"properties\":{\"KODIKOS\":\"%s\",\"ONOMA\":\"%s\","
             "\"BATHMIDA\":\"%s\",\"phone\":\"2310000000\"},\"geometry\":{\"type\":\"Point\","
             "\"coordinates\":[%s,%s]}}", buf[strlen(buf) - 1] == '[' ? "" : ",",
             ref, name, level, x, y);
}

static void geojson_2100(const char *path, const char *features)
{
    char *doc = malloc(strlen(features) + 256);
    sprintf(doc, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
                 "{\"name\":\"urn:ogc:def:crs:EPSG::2100\"}},\"features\":%s]}", features);
    write_file(path, doc);
    free(doc);
}

static long long count_tagged(void)
{
    const char *p[] = {tag};
    char *v = h_pg_value(db, "SELECT count(*) FROM schools WHERE ref LIKE $1 || '-%'", 1, p);
    long long n = v ? atoll(v) : -1;
    free(v);
    return n;
}

static void import_schools(void)
{
    char features[8192] = "[", ref[3][64], name[3][96], path[512], *out;
    static const char *const names[] = {"1ο Δημοτικό", "2ο Δημοτικό", "1ο Νηπιαγωγείο"};
    for (int i = 0; i < 3; i++) {
        snprintf(ref[i], sizeof ref[i], "%s-%d", tag, i + 1);
        snprintf(name[i], sizeof name[i], "%s Δοκιμής %s", names[i], tag);
    }
    school_feature(features, sizeof features, ref[0], name[0], "Δημοτικό", 0, 0);
    school_feature(features, sizeof features, ref[1], name[1], "ΔΗΜΟΤΙΚΟ", 300, 0);
    school_feature(features, sizeof features, ref[2], name[2], "Νηπιαγωγείο", 0, 300);
    /* the 1st is in already, without its ministry code (as the demo's are) */
    const char *pre[] = {name[0]};
    free(h_pg_value(db, "INSERT INTO schools (name_el, level, geom, municipality_id, source)"
                        " SELECT $1, 'primary', ST_PointOnSurface(geom), id, 'test' FROM boundaries"
                        " WHERE level = 'municipality' AND code = '" THESS "' RETURNING id", 1, pre));
    snprintf(path, sizeof path, "%s/schools.geojson", tmp);
    geojson_2100(path, features);
    const char *map = "--field-map ref=KODIKOS,name_el=ONOMA,level=BATHMIDA";
    int rc = h_run(&out, "'%s' schools import '%s' %s 2>&1", h_env("POLIS_BIN"), path, map);
    CHECK(rc == 0, "import of 3 schools (EPSG:2100): exit %d: %s", rc, out);
    CHECK_HAS("import summary: the school without a ref is updated, not doubled", out,
              "3 written (2 new, 1 updated)");
    free(out);
    CHECK_INT("imported schools", count_tagged(), 3);
    char *left = sql1("SELECT count(*) FROM schools WHERE name_el = $1 AND ref IS NULL", name[0]);
    CHECK_STR("the school without a ref took the file's ref", left, "0");
    free(left);
    /* in Thessaloniki, where the file put them (EPSG:2100 -> 4326 within 1 m) */
    char *xy = thess_2100(300, 0);
    const char *p[] = {ref[1], xy};
    char *v = h_pg_value(db, "SELECT b.code || ' ' || s.level || ' ' ||"
                             " (ST_Distance(ST_Transform(s.geom, 2100), ST_SetSRID(ST_MakePoint("
                             "  split_part($2, ' ', 1)::float8, split_part($2, ' ', 2)::float8),"
                             "  2100)) < 1) FROM schools s JOIN boundaries b"
                             " ON b.id = s.municipality_id WHERE s.ref = $1", 2, p);
    CHECK_STR("2nd test school: municipality, level (from ΔΗΜΟΤΙΚΟ), place", v,
              THESS " primary true");
    free(v);
    free(xy);
    /* again: the same schools, updated in place */
    rc = h_run(&out, "'%s' schools import '%s' %s 2>&1", h_env("POLIS_BIN"), path, map);
    CHECK(rc == 0, "second import: exit %d: %s", rc, out);
    CHECK_HAS("second import: updates", out, "(0 new, 3 updated)");
    free(out);

    /* a bad file: an unknown level and a school out at sea; nothing written */
    char bad[4096] = "[", badref[2][64];
    snprintf(badref[0], sizeof badref[0], "%s-9", tag);
    snprintf(badref[1], sizeof badref[1], "%s-8", tag);
    school_feature(bad, sizeof bad, badref[0], "Σχολή Δοκιμής", "Πανεπιστήμιο", 0, 1200);
    school_feature(bad, sizeof bad, badref[1], "Σχολείο στη θάλασσα", "Γυμνάσιο", 0, -900000);
    snprintf(path, sizeof path, "%s/bad.geojson", tmp);
    geojson_2100(path, bad);
    rc = h_run(&out, "'%s' schools import '%s' %s 2>&1", h_env("POLIS_BIN"), path, map);
    CHECK(rc == 1, "import of a bad file: expected exit 1, found %d: %s", rc, out);
    CHECK_HAS("bad level: the feature", out, "feature 0 (FID");
    CHECK_HAS("bad level: the field", out, "field BATHMIDA (level)");
    CHECK_HAS("bad level: the value", out, "Πανεπιστήμιο");
    CHECK_HAS("outside: the feature", out, "feature 1 (FID");
    CHECK_HAS("outside: why", out, "not inside any loaded municipality");
    CHECK_HAS("nothing written", out, "nothing written");
    free(out);
    CHECK_INT("the bad file changed nothing", count_tagged(), 3);
}

/* A square zone of side 2*r metres around a test school, as GeoJSON. */
static void zone_feature(char *buf, size_t len, const char *ref, int r)
{
    const char *p[] = {ref};
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT ST_AsGeoJSON(ST_Transform(ST_Expand(ST_Transform(geom,"
                              " 2100), %d), 4326), 7) FROM schools WHERE ref = $1", r);
    char *g = h_pg_value(db, sql, 1, p);
    snprintf(buf + strlen(buf), len - strlen(buf),
             "%s{\"type\":\"Feature\",\"properties\":{\"SCHOOL\":\"%s\"},\"geometry\":%s}",
             buf[strlen(buf) - 1] == '[' ? "" : ",", ref, g ? g : "null");
    free(g);
}

static void import_zones(void)
{
    char features[16384] = "[", ref[3][64], unknown[64], path[512], *out, args[1024];
    for (int i = 0; i < 3; i++)
        snprintf(ref[i], sizeof ref[i], "%s-%d", tag, i + 1);
    snprintf(unknown, sizeof unknown, "%s-77", tag);
    zone_feature(features, sizeof features, ref[0], 120);
    zone_feature(features, sizeof features, ref[1], 120);
    snprintf(features + strlen(features), sizeof features - strlen(features),
             ",{\"type\":\"Feature\",\"properties\":{\"SCHOOL\":\"%s\"},\"geometry\":"
             "{\"type\":\"Polygon\",\"coordinates\":[[[22.9,40.6],[22.91,40.6],[22.91,40.61],"
             "[22.9,40.6]]]}}]", unknown);
    snprintf(path, sizeof path, "%s/zones.geojson", tmp);
    char *doc = malloc(strlen(features) + 64);
    sprintf(doc, "{\"type\":\"FeatureCollection\",\"features\":%s}", features);
    write_file(path, doc);
    free(doc);

    snprintf(args, sizeof args, "import-zones '%s' --level primary --school-ref-field SCHOOL", path);
    int rc = schools_cli(&out, args);
    CHECK(rc == 1, "zones with an unknown school: expected exit 1, found %d: %s", rc, out);
    CHECK_HAS("unknown school: the feature", out, "feature 2 (FID");
    CHECK_HAS("unknown school: named", out, unknown);
    CHECK_HAS("unknown school: why", out, "unknown school");
    free(out);
    char *n = sql1("SELECT count(*) FROM school_zones z JOIN schools s ON s.id = z.school_id"
                   " WHERE s.ref LIKE $1 || '-%'", tag);
    CHECK_STR("a failed zone import writes nothing", n, "0");
    free(n);

    snprintf(args, sizeof args,
             "import-zones '%s' --level primary --school-ref-field SCHOOL --skip-bad", path);
    rc = schools_cli(&out, args);
    CHECK(rc == 0, "zones with --skip-bad: exit %d: %s", rc, out);
    CHECK_HAS("--skip-bad still names the unknown school", out, unknown);
    CHECK_HAS("--skip-bad: the others written", out, "2 written");
    free(out);

    /* derive-zones keeps them and derives the kindergarten */
    rc = schools_cli(&out, "derive-zones --municipality " THESS);
    CHECK(rc == 0, "derive-zones in Thessaloniki: exit %d: %s", rc, out);
    CHECK_HAS("derive-zones leaves imported zones alone", out, "primary: 2 imported zones; left alone");
    CHECK_HAS("derive-zones derives the kindergarten", out, "kindergarten: 1 schools -> 1");
    free(out);
    n = sql1("SELECT count(*) FILTER (WHERE NOT z.provisional) || ' ' ||"
             " count(*) FILTER (WHERE z.provisional) FROM school_zones z"
             " JOIN schools s ON s.id = z.school_id WHERE s.ref LIKE $1 || '-%'", tag);
    CHECK_STR("Thessaloniki: imported + provisional zones of the test schools", n, "2 1");
    free(n);

    /* the lookup at the 2nd school: its real zone, and the kindergarten's provisional one */
    char *ll = sql1("SELECT ST_Y(geom) || ',' || ST_X(geom) FROM schools WHERE ref = $1", ref[1]);
    char lat[64] = "0", lon[64] = "0", path2[256];
    if (ll && strchr(ll, ','))
        sscanf(ll, "%63[^,],%63s", lat, lon);
    free(ll);
    snprintf(path2, sizeof path2, "/api/v1/schools/zone?lat=%s&lon=%s", lat, lon);
    struct h_resp r;
    h_get(&srv, path2, &r);
    CHECK_INT("lookup in Thessaloniki: status", r.status, 200);
    json_t *first = json_array_get(json_object_get(r.json, "schools"), 0);
    json_t *second = json_array_get(json_object_get(r.json, "schools"), 1);
    CHECK_STR("kindergarten first", json_string_value(json_object_get(first, "level")),
              "kindergarten");
    CHECK_STR("then primary", json_string_value(json_object_get(second, "level")), "primary");
    CHECK_STR("the primary school of that zone",
              json_string_value(json_object_get(json_object_get(json_object_get(second, "school"),
                                                                "properties"), "ref")), ref[1]);
    CHECK(json_is_false(json_object_get(json_object_get(second, "zone"), "provisional")),
          "an imported zone is not provisional");
    CHECK_HAS("its source is the file", json_string_value(json_object_get(
                  json_object_get(second, "zone"), "source")), "zones.geojson");
    CHECK(json_number_value(json_object_get(second, "distance_m")) < 1,
          "distance to the school at its own point: %f",
          json_number_value(json_object_get(second, "distance_m")));
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_schools", 240);
    const char *url = h_shared_dburl();
    h_use_database(url);
    db = h_pg_connect(url);
    snprintf(tag, sizeof tag, "T%ld", (long)getpid());
    snprintf(tmp, sizeof tmp, "/tmp/polis-schools-%ld", (long)getpid());
    h_run(NULL, "rm -rf '%s' && mkdir -p '%s'", tmp, tmp);
    if (h_server_start(&srv, url, NULL) != 0)
        return h_finish();

    lookup_serres();
    outside_and_bad();
    list_and_get();
    derive();
    lookup_serres(); /* the same answers after derive-zones ran again */
    import_schools();
    import_zones();

    /* the test schools go (their zones with them); the demo stays as it was */
    const char *p[] = {tag};
    free(h_pg_value(db, "DELETE FROM schools WHERE ref LIKE $1 || '-%' RETURNING 1", 1, p));
    h_run(NULL, "rm -rf '%s'", tmp);
    PQfinish(db);
    return h_finish();
}
