/* Schools and real school zones from GDAL sources: ogr_reader -> one
 * staging row per feature -> checks in SQL -> upsert / replace, all in one
 * transaction (see gis/school_import.h). The files are small (a country has
 * some 15,000 schools), so rows go in as prepared INSERTs, not COPY. */
#include "common/log_to.h"
#include "gis/school_import.h"

#include "gis/db.h"
#include "gis/school_stage.h"
#include "gis/schools_sql.h"
#include "gis/translit.h"

#include <cpl_conv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const school_column_names[SC_COUNT] = {"ref",     "name_el", "name_en", "level",
                                                    "address", "phone",   "email",   "website"};
/* the longest value each column takes (sql/017_schools.sql), in bytes */
static const size_t column_max[SC_COUNT] = {40, 300, 300, 0 /* becomes a code */, 300, 40,
                                            254, 500};

/* ---- levels ---- */

/* Spellings of the levels, folded (translit_fold: lowercase, no accents,
 * σ for ς): the codes, Greek names and abbreviations, their ELOT 743
 * transliterations and English names. */
static const struct {
    const char *text, *level;
} level_names[] = {
    {"nursery", "nursery"},
    {"παιδικοσ σταθμοσ", "nursery"},
    {"βρεφονηπιακοσ σταθμοσ", "nursery"},
    {"βρεφικοσ σταθμοσ", "nursery"},
    {"paidikos stathmos", "nursery"},
    {"day care", "nursery"},
    {"kindergarten", "kindergarten"},
    {"νηπιαγωγειο", "kindergarten"},
    {"nipiagogeio", "kindergarten"},
    {"primary", "primary"},
    {"primary school", "primary"},
    {"δημοτικο", "primary"},
    {"δημοτικο σχολειο", "primary"},
    {"dimotiko", "primary"},
    {"dimotiko scholeio", "primary"},
    {"lower_secondary", "lower_secondary"},
    {"γυμνασιο", "lower_secondary"},
    {"gymnasio", "lower_secondary"},
    {"upper_secondary", "upper_secondary"},
    {"λυκειο", "upper_secondary"},
    {"γενικο λυκειο", "upper_secondary"},
    {"γελ", "upper_secondary"},
    {"lykeio", "upper_secondary"},
    {"geniko lykeio", "upper_secondary"},
    {"gel", "upper_secondary"},
    {"vocational", "vocational"},
    {"επαλ", "vocational"},
    {"επαγγελματικο λυκειο", "vocational"},
    {"epal", "vocational"},
    {"epaggelmatiko lykeio", "vocational"},
};

const char *school_level_from_text(const char *text)
{
    char folded[256];
    if (!text || translit_fold(text, folded, sizeof folded) >= sizeof folded)
        return NULL;
    char *start = folded, *end = folded + strlen(folded);
    while (*start == ' ' || *start == '\t')
        start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++)
        if (!strcmp(start, level_names[i].text))
            return level_names[i].level;
    return NULL;
}

static int level_code_valid(const char *level)
{
    for (int i = 0; school_levels[i]; i++)
        if (!strcmp(level, school_levels[i]))
            return 1;
    return 0;
}

int school_field_map_parse(char *map, struct school_import_options *o, char *err,
                           size_t errlen)
{
    for (char *save = NULL, *item = strtok_r(map, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq || eq == item || !eq[1]) {
            snprintf(err, errlen, "--field-map: expected column=FIELD, found \"%s\"", item);
            return -1;
        }
        *eq = '\0';
        int k = 0;
        while (k < SC_COUNT && strcmp(item, school_column_names[k]))
            k++;
        if (k == SC_COUNT) {
            snprintf(err, errlen, "--field-map: unknown column \"%s\" (expected ref, name_el, "
                     "name_en, level, address, phone, email or website)", item);
            return -1;
        }
        o->field[k] = eq + 1;
    }
    return 0;
}


/* ---- schools ---- */

static int school_prepare(struct school_importer *im, ogr_reader *r, char *err, size_t errlen)
{
    const struct school_import_options *o = im->o;
    OGRFeatureDefnH defn = ogr_reader_defn(r);
    for (int k = 0; k < SC_COUNT; k++) {
        if (o->field[k])
            im->field[k] = ogr_reader_field_index(r, o->field[k], err, errlen);
        else
            im->field[k] = OGR_FD_GetFieldIndex(defn, school_column_names[k]);
        if (o->field[k] && im->field[k] < 0)
            return -1;
    }
    if (im->field[SC_NAME_EL] < 0) {
        ogr_reader_field_index(r, "name_el", err, errlen);
        snprintf(err + strlen(err), errlen - strlen(err),
                 " (map the school's Greek name with --field-map name_el=FIELD)");
        return -1;
    }
    if (im->field[SC_LEVEL] < 0 && !o->level) {
        ogr_reader_field_index(r, "level", err, errlen);
        snprintf(err + strlen(err), errlen - strlen(err),
                 " (map it with --field-map level=FIELD, or give every school one --level)");
        return -1;
    }
    return 0;
}

static int school_fields(const struct school_importer *im, ogr_reader *r, OGRFeatureH f,
                         const char **p, char *msg, size_t msglen, char *err, size_t errlen)
{
    for (int k = 0; k < SC_COUNT; k++) {
        p[k] = NULL;
        if (im->field[k] < 0)
            continue;
        if (ogr_reader_string(r, f, im->field[k], &p[k], err, errlen) < 0)
            return -1;
        /* "field ONOMA (name_el)", or "field name_el" when they are the same */
        const char *fname = OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, im->field[k]));
        char label[200];
        snprintf(label, sizeof label, strcmp(fname, school_column_names[k]) ? "%s (%s)" : "%s",
                 fname, school_column_names[k]);
        if (p[k] && !p[k][0])
            p[k] = NULL;
        if (p[k] && column_max[k] && strlen(p[k]) > column_max[k]) {
            snprintf(msg, msglen, "field %s: expected at most %zu bytes, found %zu", label,
                     column_max[k], strlen(p[k]));
            return 0;
        }
        if (k == SC_NAME_EL && !p[k]) {
            snprintf(msg, msglen, "field %s: expected the school's name, found nothing", label);
            return 0;
        }
        if (k == SC_LEVEL && p[k]) {
            const char *code = school_level_from_text(p[k]);
            if (!code) {
                snprintf(msg, msglen, "field %s: expected nursery, kindergarten, "
                         "primary, lower_secondary, upper_secondary or vocational (or a Greek "
                         "name such as Δημοτικό, Γυμνάσιο, ΕΠΑΛ), found \"%.80s\"", label, p[k]);
                return 0;
            }
            p[k] = code;
        }
    }
    if (!p[SC_LEVEL])
        p[SC_LEVEL] = im->o->level;
    if (!p[SC_LEVEL]) {
        snprintf(msg, msglen, "field %s (level) is empty and no --level was given",
                 OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, im->field[SC_LEVEL])));
        return 0;
    }
    return 1;
}

static const char *const school_checks[] = {
    "UPDATE school_stage SET geom = ST_GeomFromText(wkt, 4326), wkt = NULL",
    /* a building's outline: a point on it */
    "UPDATE school_stage SET geom = ST_PointOnSurface(ST_MakeValid(geom))"
    " WHERE GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')",
    "UPDATE school_stage SET geom = ST_GeometryN(geom, 1)"
    " WHERE GeometryType(geom) = 'MULTIPOINT' AND ST_NumGeometries(geom) = 1",
    "UPDATE school_stage SET reject = 'geometry: expected a Point, found ' || GeometryType(geom)"
    " WHERE GeometryType(geom) <> 'POINT' OR ST_IsEmpty(geom)",
    "UPDATE school_stage st SET municipality_id = (SELECT b.id FROM boundary_parts p"
    "   JOIN boundaries b ON b.id = p.boundary_id"
    "   WHERE b.level = 'municipality' AND ST_Intersects(p.geom, st.geom) ORDER BY b.id LIMIT 1)"
    " WHERE reject IS NULL",
    "UPDATE school_stage SET reject = format('the point (lon %s, lat %s) is not inside any"
    " loaded municipality', round(ST_X(geom)::numeric, 6), round(ST_Y(geom)::numeric, 6))"
    " WHERE reject IS NULL AND municipality_id IS NULL",
    "UPDATE school_stage s SET reject = format('ref %s is used by feature %s too', d.ref, d.first)"
    " FROM (SELECT idx, ref, first_value(idx) OVER w AS first, row_number() OVER w AS rn"
    "       FROM school_stage WHERE reject IS NULL AND ref IS NOT NULL"
    "       WINDOW w AS (PARTITION BY ref ORDER BY idx)) d"
    " WHERE s.idx = d.idx AND d.rn > 1",
    "UPDATE school_stage s SET reject = format('no ref, and feature %s has the same name, level"
    " and municipality', d.first)"
    " FROM (SELECT idx, first_value(idx) OVER w AS first, row_number() OVER w AS rn"
    "       FROM school_stage WHERE reject IS NULL AND ref IS NULL"
    "       WINDOW w AS (PARTITION BY municipality_id, level, name_el ORDER BY idx)) d"
    " WHERE s.idx = d.idx AND d.rn > 1",
    NULL,
};

/* $1 source; rows with a ref (match on ref) or without (on municipality,
 * level, name). One row: (inserted, updated). */
#define SCHOOL_UPSERT(which, target)                                                         \
    "WITH up AS (INSERT INTO schools AS t (ref, name_el, name_en, level, address, phone,"    \
    "   email, website, geom, municipality_id, source)"                                      \
    " SELECT ref, name_el, name_en, level, address, phone, email, website, geom,"            \
    "   municipality_id, $1 FROM school_stage WHERE reject IS NULL AND " which               \
    " ON CONFLICT " target " DO UPDATE SET ref = EXCLUDED.ref, name_el = EXCLUDED.name_el,"  \
    "   name_en = EXCLUDED.name_en, level = EXCLUDED.level, address = EXCLUDED.address,"     \
    "   phone = EXCLUDED.phone, email = EXCLUDED.email, website = EXCLUDED.website,"         \
    "   geom = EXCLUDED.geom, municipality_id = EXCLUDED.municipality_id,"                   \
    "   source = EXCLUDED.source, demo = false, updated_at = now()"                          \
    " RETURNING (xmax = 0) AS inserted)"                                                     \
    " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up"

static int school_write(PGconn *db, const struct school_importer *im,
                        struct school_import_summary *s, char *err, size_t errlen)
{
    /* a school entered without its ministry code (the demo's) takes the
     * file's code instead of being doubled */
    static const char adopt[] =
        "UPDATE schools t SET ref = st.ref FROM school_stage st"
        " WHERE st.reject IS NULL AND st.ref IS NOT NULL AND t.ref IS NULL"
        "   AND t.municipality_id = st.municipality_id AND t.level = st.level"
        "   AND t.name_el = st.name_el AND NOT EXISTS (SELECT 1 FROM schools x WHERE x.ref = st.ref)";
    static const char *const upserts[] = {
        SCHOOL_UPSERT("ref IS NOT NULL", "(ref)"),
        SCHOOL_UPSERT("ref IS NULL", "(municipality_id, level, name_el) WHERE ref IS NULL"),
    };
    const char *p[] = {s->source};
    char e2[1024];
    if (db_exec(db, adopt, 0, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "matching the schools without a ref failed: %s", e2);
        return -1;
    }
    for (int i = 0; i < 2; i++)
        if (school_stage_count(db, upserts[i], 1, p, &s->inserted, &s->updated, e2, sizeof e2) < 0) {
            snprintf(err, errlen, "writing the schools failed: %s", e2);
            return -1;
        }
    s->written = s->inserted + s->updated;
    return 0;
}

int school_import(PGconn *db, const struct school_import_options *o,
                  struct school_import_summary *s, char *err, size_t errlen)
{
    if (o->level && !level_code_valid(o->level)) {
        snprintf(err, errlen, "--level: expected nursery, kindergarten, primary, "
                 "lower_secondary, upper_secondary or vocational, found \"%s\"", o->level);
        return -1;
    }
    const struct school_importer im = {
        .what = "schools",
        .stage_table = "school_stage",
        .stage_sql = "CREATE TEMP TABLE school_stage (idx bigint, fid bigint, ref text,"
                     " name_el text, name_en text, level text, address text, phone text,"
                     " email text, website text, wkt text, geom geometry,"
                     " municipality_id bigint, reject text) ON COMMIT DROP",
        .insert_sql = "INSERT INTO school_stage (idx, fid, ref, name_el, name_en, level,"
                      " address, phone, email, website, wkt)"
                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        .nparams = STAGE_P_FIELDS + SC_COUNT + 1 /* the WKT */,
        .fields = school_fields,
        .prepare = school_prepare,
        .write = school_write,
        .o = o,
        .checks = school_checks,
    };
    return school_stage_run(db, &im, s, err, errlen);
}

/* ---- zones ---- */

static int zone_prepare(struct school_importer *im, ogr_reader *r, char *err, size_t errlen)
{
    const char *name = im->o->school_ref_field ? im->o->school_ref_field
                                               : im->o->school_name_field;
    im->field[0] = ogr_reader_field_index(r, name, err, errlen);
    return im->field[0] < 0 ? -1 : 0;
}

/* The zone staging insert's fields (after idx and fid, before the WKT). */
enum zone_field {
    ZONE_F_SCHOOL_KEY,
    ZONE_F_BY_REF,
    ZONE_F_COUNT
};

static int zone_fields(const struct school_importer *im, ogr_reader *r, OGRFeatureH f,
                       const char **p, char *msg, size_t msglen, char *err, size_t errlen)
{
    if (ogr_reader_string(r, f, im->field[0], &p[ZONE_F_SCHOOL_KEY], err, errlen) < 0)
        return -1;
    if (!p[ZONE_F_SCHOOL_KEY] || !p[ZONE_F_SCHOOL_KEY][0]) {
        snprintf(msg, msglen, "field %s: expected the school's %s, found nothing",
                 OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, im->field[0])),
                 im->o->school_ref_field ? "ref" : "name");
        return 0;
    }
    p[ZONE_F_BY_REF] = im->o->school_ref_field ? "t" : "f";
    return 1;
}

/* $1 level. By ref or by name: the zone_stage column school_key holds
 * either; by_ref tells which ("t" or "f", set by the importer). */
static const char *const zone_checks[] = {
    "UPDATE zone_stage SET geom = ST_GeomFromText(wkt, 4326), wkt = NULL",
    "UPDATE zone_stage SET reject = 'geometry: expected a Polygon or MultiPolygon, found '"
    " || GeometryType(geom) WHERE GeometryType(geom) NOT IN ('POLYGON', 'MULTIPOLYGON')",
    "UPDATE zone_stage SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))"
    " WHERE reject IS NULL",
    "UPDATE zone_stage SET reject = 'geometry: nothing polygonal is left after ST_MakeValid'"
    " WHERE reject IS NULL AND ST_IsEmpty(geom)",
    "UPDATE zone_stage st SET school_id = m.id, matches = m.n, other_level = m.other"
    " FROM (SELECT z.idx, min(s.id) FILTER (WHERE s.level = $1::text) AS id,"
    "         count(s.id) FILTER (WHERE s.level = $1::text) AS n,"
    "         min(s.level) FILTER (WHERE s.level <> $1::text) AS other"
    "       FROM zone_stage z LEFT JOIN schools s"
    "         ON CASE WHEN z.by_ref THEN s.ref = z.school_key ELSE s.name_el = z.school_key END"
    "       GROUP BY z.idx) m"
    " WHERE st.idx = m.idx AND st.reject IS NULL",
    "UPDATE zone_stage SET reject = CASE"
    "   WHEN matches > 1 THEN format('%s schools of level %s are called \"%s\"; name the school "
    "by its ref (--school-ref-field)', matches, $1::text, school_key)"
    "   WHEN other_level IS NOT NULL THEN format('the school with %s \"%s\" is a %s school, not "
    "%s', CASE WHEN by_ref THEN 'ref' ELSE 'name' END, school_key, other_level, $1::text)"
    "   ELSE format('no school of level %s with %s \"%s\" (unknown school: import it first with "
    "polis schools import)', $1::text, CASE WHEN by_ref THEN 'ref' ELSE 'name' END, school_key)"
    "   END WHERE reject IS NULL AND (matches IS DISTINCT FROM 1)",
    "UPDATE zone_stage s SET reject = format('school %s already has a zone from feature %s',"
    "   d.school_key, d.first)"
    " FROM (SELECT idx, school_key, first_value(idx) OVER w AS first, row_number() OVER w AS rn"
    "       FROM zone_stage WHERE reject IS NULL WINDOW w AS (PARTITION BY school_id ORDER BY idx)) d"
    " WHERE s.idx = d.idx AND d.rn > 1",
    NULL,
};

static int zone_write(PGconn *db, const struct school_importer *im,
                      struct school_import_summary *s, char *err, size_t errlen)
{
    const char *p[] = {im->o->level, s->source};
    char e2[1024];
    if (school_stage_count(db, "DELETE FROM school_zones WHERE level = $1 AND municipality_id IN"
                        " (SELECT s.municipality_id FROM zone_stage z JOIN schools s"
                        "  ON s.id = z.school_id WHERE z.reject IS NULL)",
                    1, p, &s->replaced, NULL, e2, sizeof e2) < 0 ||
        school_stage_count(db, "INSERT INTO school_zones (school_id, level, municipality_id, geom,"
                        " provisional, source)"
                        " SELECT z.school_id, $1, s.municipality_id, z.geom, false, $2"
                        " FROM zone_stage z JOIN schools s ON s.id = z.school_id"
                        " WHERE z.reject IS NULL",
                    2, p, &s->inserted, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "writing the %s zones failed: %s", im->o->level, e2);
        return -1;
    }
    s->written = s->inserted;
    return 0;
}

int school_zones_import(PGconn *db, const struct school_import_options *o,
                        struct school_import_summary *s, char *err, size_t errlen)
{
    if (!o->level || !level_code_valid(o->level)) {
        snprintf(err, errlen, "--level: expected nursery, kindergarten, primary, "
                 "lower_secondary, upper_secondary or vocational, found \"%s\"",
                 o->level ? o->level : "nothing");
        return -1;
    }
    if (!o->school_ref_field == !o->school_name_field) {
        snprintf(err, errlen, "name the field that says which school a zone is for: "
                 "--school-ref-field F or --school-name-field F (one of them)");
        return -1;
    }
    const struct school_importer im = {
        .what = "school zones",
        .stage_table = "zone_stage",
        .stage_sql = "CREATE TEMP TABLE zone_stage (idx bigint, fid bigint, school_key text,"
                     " by_ref boolean NOT NULL, wkt text, geom geometry, school_id bigint,"
                     " matches bigint, other_level text, reject text) ON COMMIT DROP",
        .insert_sql = "INSERT INTO zone_stage (idx, fid, school_key, by_ref, wkt)"
                      " VALUES ($1, $2, $3, $4, $5)",
        .nparams = STAGE_P_FIELDS + ZONE_F_COUNT + 1 /* the WKT */,
        .fields = zone_fields,
        .prepare = zone_prepare,
        .write = zone_write,
        .o = o,
        .checks = zone_checks,
    };
    return school_stage_run(db, &im, s, err, errlen);
}
