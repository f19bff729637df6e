/* The built-in collections of OGC API Features (gis/ogc_collections.h).
 * What each one shows is what the rest of polis already shows the public:
 * published POIs and events only, schools and their zones with the names
 * people read, and reports through the one public view of them
 * (reports_public, sql/020_report_privacy.sql) with the properties that
 * view decides, so that private categories, reporters and internal notes
 * never appear. */
#include "gis/ogc_collections.h"

#include <string.h>

#define COLUMNS(list) .columns = list, .ncolumns = (int)(sizeof list / sizeof list[0])

static const struct ogc_column boundary_columns[] = {
    {"level", "text", "municipality, unit or community", NULL},
    {"code", "text", "ministry code (KWD_YPES) of a municipality", NULL},
    {"name_el", "text", "name in Greek", NULL},
    {"name_en", "text", "name in English", NULL},
    {"parent_id", "bigint", "the boundary it lies in", NULL},
};

static const struct ogc_column poi_columns[] = {
    {"category", "text", "category code (GET /api/v1/poi-categories)", NULL},
    {"category_name_el", "text", "category name in Greek",
     "(SELECT k.name_el FROM poi_categories k WHERE k.code = s.category)"},
    {"category_name_en", "text", "category name in English",
     "(SELECT k.name_en FROM poi_categories k WHERE k.code = s.category)"},
    {"name_el", "text", "name in Greek", NULL},
    {"name_en", "text", "name in English", NULL},
    {"description_el", "text", "description in Greek", NULL},
    {"description_en", "text", "description in English", NULL},
    {"address", "text", "address", NULL},
    {"phone", "text", "telephone", NULL},
    {"website", "text", "web site", NULL},
    {"opening_hours", "text", "opening hours (OpenStreetMap syntax)", NULL},
    {"published_at", "timestamptz", "when it was published", NULL},
    {"updated_at", "timestamptz", "last change", NULL},
};

static const struct ogc_column event_columns[] = {
    {"title_el", "text", "title in Greek", NULL},
    {"title_en", "text", "title in English", NULL},
    {"category", "text", "concert, theatre, festival, exhibition, sport, market, ...", NULL},
    {"starts_at", "timestamptz", "start of the first occurrence", NULL},
    {"ends_at", "timestamptz", "end of the first occurrence", NULL},
    {"rrule", "text", "how it repeats (RFC 5545 RRULE), if it does", NULL},
    {"venue_name", "text", "the venue", NULL},
    {"venue_poi_id", "bigint", "the venue's POI (collection pois)", NULL},
    {"free", "boolean", "free entry", NULL},
    {"price", "text", "price", NULL},
    {"organiser", "text", "organiser", NULL},
    {"url", "text", "web page", NULL},
    {"description_el", "text", "description in Greek", NULL},
    {"description_en", "text", "description in English", NULL},
};

static const struct ogc_column school_columns[] = {
    {"ref", "text", "the ministry's code", NULL},
    {"name_el", "text", "name in Greek", NULL},
    {"name_en", "text", "name in English", NULL},
    {"level", "text", "nursery, kindergarten, primary, lower_secondary, upper_secondary or "
                      "vocational", NULL},
    {"address", "text", "address", NULL},
    {"phone", "text", "telephone", NULL},
    {"email", "text", "the school's e-mail address", NULL},
    {"website", "text", "web site", NULL},
    {"municipality_id", "bigint", "its municipality (collection boundaries)", NULL},
};

static const struct ogc_column school_zone_columns[] = {
    {"school_id", "bigint", "the school it belongs to (collection schools)", NULL},
    {"name_el", "text", "the school's name in Greek",
     "(SELECT k.name_el FROM schools k WHERE k.id = s.school_id)"},
    {"name_en", "text", "the school's name in English",
     "(SELECT k.name_en FROM schools k WHERE k.id = s.school_id)"},
    {"level", "text", "the school's level", NULL},
    {"provisional", "boolean", "derived from the schools (Voronoi) rather than imported", NULL},
    {"municipality_id", "bigint", "its municipality (collection boundaries)", NULL},
};

/* The public fields of reports_public that are scalars; the properties are
 * the view's own `properties` (also the photos and the answered fields). */
static const struct ogc_column report_columns[] = {
    {"status", "text", "workflow status (GET /api/v1/report-statuses)", NULL},
    {"category", "text", "category code", NULL},
    {"category_name_el", "text", "category name in Greek", NULL},
    {"category_name_en", "text", "category name in English", NULL},
    {"department", "text", "code of the department handling it", NULL},
    {"department_name_el", "text", "department name in Greek", NULL},
    {"department_name_en", "text", "department name in English", NULL},
    {"description", "text", "what the reporter wrote", NULL},
    {"address", "text", "the address the reporter gave", NULL},
    {"support_count", "integer", "supports (\"me too\")", NULL},
    {"duplicate_of", "bigint", "the report this one duplicates", NULL},
    {"created_at", "timestamptz", "when it was filed", NULL},
    {"updated_at", "timestamptz", "last change", NULL},
    {"resolved_at", "timestamptz", "when it was resolved, rejected or marked duplicate", NULL},
    {"media_url", "text", "a photo link given by an Open311 client", NULL},
    {"status_notes", "text", "the department's latest public comment", NULL},
};

const struct ogc_builtin ogc_builtins[] = {
    {
        .id = "boundaries",
        .title_el = "Όρια δήμων",
        .title_en = "Boundaries",
        .description = "Administrative boundaries: municipalities (Kallikratis) and, where "
                       "loaded, their units and communities",
        .source = "boundaries s",
        .id_expr = "s.id",
        .geom_expr = "s.geom",
        .geometry_type = "MULTIPOLYGON",
        COLUMNS(boundary_columns),
    },
    {
        .id = "pois",
        .title_el = "Σημεία ενδιαφέροντος",
        .title_en = "Points of interest",
        .description = "Published points of interest: sights, museums, churches, nature, "
                       "services, ...",
        .source = "pois s",
        .where = "s.status = 'published'",
        .id_expr = "s.id",
        .geom_expr = "s.geom",
        .geometry_type = "GEOMETRY",
        COLUMNS(poi_columns),
    },
    {
        .id = "events",
        .title_el = "Εκδηλώσεις",
        .title_en = "Events",
        .description = "Published events; datetime selects the events with an occurrence "
                       "in the interval",
        .source = "events s",
        .where = "s.status = 'published'",
        .id_expr = "s.id",
        .geom_expr = "s.geom",
        .geometry_type = "POINT",
        .time_start = "starts_at",
        .time_end = "ends_at",
        .time_rows = "event_occurrences o WHERE o.event_id = t.fid",
        COLUMNS(event_columns),
    },
    {
        .id = "schools",
        .title_el = "Σχολεία",
        .title_en = "Schools",
        .description = "Schools: nurseries, kindergartens, primary, secondary and vocational",
        .source = "schools s",
        .id_expr = "s.id",
        .geom_expr = "s.geom",
        .geometry_type = "POINT",
        COLUMNS(school_columns),
    },
    {
        .id = "school_zones",
        .title_el = "Σχολικές περιφέρειες",
        .title_en = "School zones",
        .description = "Which school of each level serves an area (provisional ones are "
                       "derived from the schools)",
        .source = "school_zones s",
        .id_expr = "s.id",
        .geom_expr = "s.geom",
        .geometry_type = "MULTIPOLYGON",
        COLUMNS(school_zone_columns),
    },
    {
        .id = "reports",
        .title_el = "Αναφορές πολιτών",
        .title_en = "Citizen reports",
        .description = "Citizen reports of public categories, with their public fields only; "
                       "datetime selects on when they were filed",
        .source = "reports_public s",
        .id_expr = "s.id",
        .geom_expr = "s.geom",
        .geometry_type = "POINT",
        .properties = "s.properties",
        .time_start = "created_at",
        COLUMNS(report_columns),
    },
};

const int ogc_builtin_count = (int)(sizeof ogc_builtins / sizeof ogc_builtins[0]);

const struct ogc_builtin *ogc_builtin_find(const char *id)
{
    for (int i = 0; i < ogc_builtin_count; i++)
        if (!strcmp(ogc_builtins[i].id, id))
            return &ogc_builtins[i];
    return NULL;
}
