/* CQL2 text → SQL: valid filters give exactly this WHERE fragment and these
 * parameters; invalid ones say what was expected at which character; and
 * what an attacker might try (quotes, semicolons, comments, unknown or
 * quoted names) stays a parameter or is refused. */
#include "gis/cql2.h"
#include "tests/unit/check.h"

#include <stdlib.h>

static const struct cql2_queryable Q[] = {
    {"level", "text"},        {"code", "text"},       {"name_el", "text"},
    {"name_en", "text"},      {"parent_id", "bigint"}, {"objectid", "integer"},
    {"lon", "double precision"}, {"open", "boolean"},  {"day", "date"},
    {"at", "timestamptz"},
};
#define NQ (int)(sizeof Q / sizeof Q[0])

/* "WHERE || p1 | p2 ..." or "ERROR pos: expected [found]" */
static char out[8192];

static const char *run(const char *filter, int first)
{
    struct cql2_error err = {0};
    struct cql2_expr *e = cql2_parse(filter, &err);
    struct cql2_sql s;
    if (!e || cql2_to_sql(e, Q, NQ, first, &s, &err)) {
        snprintf(out, sizeof out, "ERROR %d: %s [%s]", err.pos, err.expected, err.found);
        cql2_free(e);
        return out;
    }
    size_t n = (size_t)snprintf(out, sizeof out, "%s ||", s.where);
    for (int i = 0; i < s.nparams && n < sizeof out; i++)
        n += (size_t)snprintf(out + n, sizeof out - n, " %s%s", s.params[i],
                              i + 1 < s.nparams ? " |" : "");
    cql2_sql_free(&s);
    cql2_free(e);
    return out;
}

#define OK(filter, want) CHECK_STR(run(filter, 1), want)
/* an error at character pos whose message contains needle */
#define BAD(filter, pos, needle)                                                         \
    do {                                                                                 \
        const char *r_ = run(filter, 1);                                                 \
        char p_[32];                                                                     \
        snprintf(p_, sizeof p_, "ERROR %d: ", pos);                                      \
        if (strncmp(r_, p_, strlen(p_)) == 0 && strstr(r_, needle)) {                    \
            check_passed++;                                                              \
        } else {                                                                         \
            check_failed++;                                                              \
            fprintf(stderr, "%s:%d: FAILED: %s\n  got:  %s\n  want: %s...%s\n", __FILE__, \
                    __LINE__, filter, r_, p_, needle);                                   \
        }                                                                                \
    } while (0)

int main(void)
{
    /* comparisons, typed by the property */
    OK("code='9054'", "t.\"code\" = $1::text || 9054");
    OK("code = '9054'", "t.\"code\" = $1::text || 9054");
    OK("objectid < 100", "t.\"objectid\" < $1::bigint || 100");
    OK("objectid >= -3", "t.\"objectid\" >= $1::bigint || -3");
    OK("objectid <> 2.5", "t.\"objectid\" <> $1::numeric || 2.5");
    OK("objectid <= 99999999999999999999", "t.\"objectid\" <= $1::numeric || 99999999999999999999");
    OK("lon > 22.9", "t.\"lon\" > $1::float8 || 22.9");
    OK("lon > 1e-3", "t.\"lon\" > $1::float8 || 1e-3");
    OK("100 > objectid", "$1::bigint > t.\"objectid\" || 100");
    OK("open = TRUE", "t.\"open\" = $1::boolean || true");
    OK("open <> false", "t.\"open\" <> $1::boolean || false");
    OK("\"name_en\" = 'Serres'", "t.\"name_en\" = $1::text || Serres");
    OK("at > TIMESTAMP('2024-05-01T12:00:00Z')",
       "t.\"at\" > $1::timestamptz || 2024-05-01T12:00:00Z");
    OK("day = DATE('2024-02-29')", "t.\"day\" = $1::date || 2024-02-29");
    OK("day < '2024-02-29'", "t.\"day\" < $1::date || 2024-02-29");
    OK("at <= '2024-05-01T12:00:00+03:00'",
       "t.\"at\" <= $1::timestamptz || 2024-05-01T12:00:00+03:00");
    OK("day < TIMESTAMP('2024-05-01T00:00:00Z')",
       "t.\"day\" < $1::timestamptz || 2024-05-01T00:00:00Z");
    OK("code = name_el", "t.\"code\" = t.\"name_el\" ||");
    OK("parent_id = objectid", "t.\"parent_id\" = t.\"objectid\" ||");
    /* boolean logic and precedence: NOT > AND > OR, left to right */
    OK("code='1' AND level='municipality'",
       "(t.\"code\" = $1::text AND t.\"level\" = $2::text) || 1 | municipality");
    OK("code='1' OR code='2' AND level='x'",
       "(t.\"code\" = $1::text OR (t.\"code\" = $2::text AND t.\"level\" = $3::text)) || 1 | 2 | x");
    OK("(code='1' OR code='2') AND level='x'",
       "((t.\"code\" = $1::text OR t.\"code\" = $2::text) AND t.\"level\" = $3::text) || 1 | 2 | x");
    OK("NOT code='1' AND objectid=2",
       "((NOT t.\"code\" = $1::text) AND t.\"objectid\" = $2::bigint) || 1 | 2");
    OK("not (code='1' or code='2')",
       "(NOT (t.\"code\" = $1::text OR t.\"code\" = $2::text)) || 1 | 2");
    OK("TRUE", "$1::boolean || true");
    OK("code='1' and code='2' and code='3'",
       "((t.\"code\" = $1::text AND t.\"code\" = $2::text) AND t.\"code\" = $3::text) || 1 | 2 | 3");
    OK("((((code='1'))))", "t.\"code\" = $1::text || 1");
    /* LIKE, IN, BETWEEN, IS NULL */
    OK("name_el LIKE 'Δήμος Σ%'", "t.\"name_el\" LIKE $1::text || Δήμος Σ%");
    OK("name_en NOT LIKE '_erres'", "t.\"name_en\" NOT LIKE $1::text || _erres");
    OK("code IN ('9054', '9055')", "t.\"code\" IN ($1::text, $2::text) || 9054 | 9055");
    OK("objectid NOT IN (1,2,3)",
       "t.\"objectid\" NOT IN ($1::bigint, $2::bigint, $3::bigint) || 1 | 2 | 3");
    OK("objectid BETWEEN 10 AND 20", "(t.\"objectid\" BETWEEN $1::bigint AND $2::bigint) || 10 | 20");
    OK("lon NOT BETWEEN 22 AND 23.5",
       "(t.\"lon\" NOT BETWEEN $1::float8 AND $2::float8) || 22 | 23.5");
    OK("at BETWEEN TIMESTAMP('2024-01-01T00:00:00Z') AND TIMESTAMP('2024-12-31T23:59:59Z')",
       "(t.\"at\" BETWEEN $1::timestamptz AND $2::timestamptz) || 2024-01-01T00:00:00Z | "
       "2024-12-31T23:59:59Z");
    OK("code IS NULL", "t.\"code\" IS NULL ||");
    OK("code is not null", "t.\"code\" IS NOT NULL ||");
    OK("geometry IS NULL", "t.geom IS NULL ||");
    /* spatial */
    OK("S_INTERSECTS(geometry, POINT(23.5496 41.0910))",
       "ST_Intersects(t.geom, ST_GeomFromText($1::text, 4326)) || POINT(23.5496 41.091)");
    OK("s_intersects(geometry,bbox(23.4,41.0,23.7,41.2))",
       "ST_Intersects(t.geom, ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8,"
       " 4326)) || 23.399999999999999 | 41 | 23.699999999999999 | 41.200000000000003");
    OK("S_INTERSECTS(geometry, ENVELOPE(23.4, 23.7, 41.2, 41.0))",
       "ST_Intersects(t.geom, ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8,"
       " 4326)) || 23.399999999999999 | 41 | 23.699999999999999 | 41.200000000000003");
    OK("S_WITHIN(geometry, POLYGON((23 41, 24 41, 24 42, 23 42, 23 41)))",
       "ST_Within(t.geom, ST_GeomFromText($1::text, 4326)) || "
       "POLYGON((23 41,24 41,24 42,23 42,23 41))");
    OK("S_CONTAINS(POLYGON((0 0, 1 0, 1 1, 0 0), (0.1 0.1, 0.2 0.1, 0.2 0.2, 0.1 0.1)), geometry)",
       "ST_Contains(ST_GeomFromText($1::text, 4326), t.geom) || "
       "POLYGON((0 0,1 0,1 1,0 0),(0.1 0.1,0.2 0.1,0.2 0.2,0.1 0.1))");
    OK("S_CROSSES(geometry, LINESTRING(23 41, 24 42))",
       "ST_Crosses(t.geom, ST_GeomFromText($1::text, 4326)) || LINESTRING(23 41,24 42)");
    OK("S_DISJOINT(geometry, MULTIPOINT((23 41), (24 42)))",
       "ST_Disjoint(t.geom, ST_GeomFromText($1::text, 4326)) || MULTIPOINT((23 41),(24 42))");
    OK("S_TOUCHES(geometry, MULTIPOINT(23 41, 24 42))",
       "ST_Touches(t.geom, ST_GeomFromText($1::text, 4326)) || MULTIPOINT(23 41,24 42)");
    OK("S_OVERLAPS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2))))",
       "ST_Overlaps(t.geom, ST_GeomFromText($1::text, 4326)) || "
       "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2)))");
    OK("S_EQUALS(geometry, MULTILINESTRING((0 0, 1 1), (2 2, 3 3)))",
       "ST_Equals(t.geom, ST_GeomFromText($1::text, 4326)) || "
       "MULTILINESTRING((0 0,1 1),(2 2,3 3))");
    OK("S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1)))",
       "ST_Intersects(t.geom, ST_GeomFromText($1::text, 4326)) || "
       "GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1))");
    BAD("S_INTERSECTS(geometry, GEOMETRYCOLLECTION(BBOX(0,0,1,1)))", 43, "a WKT geometry");
    OK("code='9054' AND S_INTERSECTS(geometry, POINT(23.5 41.1))",
       "(t.\"code\" = $1::text AND ST_Intersects(t.geom, ST_GeomFromText($2::text, 4326))) || "
       "9054 | POINT(23.5 41.1)");
    /* numbering starts where the caller says */
    CHECK_STR(run("code='a' OR objectid=1", 9),
              "(t.\"code\" = $9::text OR t.\"objectid\" = $10::bigint) || a | 1");

    /* injection attempts stay parameters */
    OK("code = 'x''; DROP TABLE boundaries; --'",
       "t.\"code\" = $1::text || x'; DROP TABLE boundaries; --");
    OK("name_el = '/* */ OR 1=1'", "t.\"name_el\" = $1::text || /* */ OR 1=1");
    BAD("code = '\\'' OR ''=''", 8, "a closing ' for the quote");
    OK("code = '\\' OR 1=1", "(t.\"code\" = $1::text OR $2::bigint = $3::bigint) || \\ | 1 | 1");
    BAD("code = '1'; DROP TABLE boundaries", 11, "AND, OR or the end of the filter");
    BAD("code = '1' -- comment", 12, "AND, OR or the end");
    BAD("code = '1' /* x */", 12, "AND, OR or the end");
    BAD("\"code\"\"; DROP TABLE x; --\" = '1'", 1, "a queryable of this collection");
    BAD("\"Code\" = '1'", 1, "a queryable of this collection");
    BAD("pg_sleep = 1", 1, "a queryable of this collection (geometry, level, code");
    BAD("t.code = '1'", 1, "a queryable");

    /* syntax errors: what was expected, at which character */
    BAD("", 1, "a filter expression");
    BAD("code =", 7, "a property name or a literal");
    BAD("code = '9054", 8, "a closing ' for the quote");
    BAD("code '9054'", 6, "a comparison (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN, IS NULL)");
    BAD("(code = '1'", 12, "\")\" or AND / OR");
    BAD("code = '1')", 11, "AND, OR or the end");
    BAD("code = '1' AND", 15, "a property name or a literal");
    BAD("code IS NOTNULL", 9, "NULL or NOT NULL after IS");
    BAD("code NOT = '1'", 10, "LIKE, BETWEEN or IN after NOT");
    BAD("objectid BETWEEN 1 OR 2", 20, "AND between the two bounds");
    BAD("code IN '1'", 9, "\"(\" to start the list after IN");
    BAD("code IN ('1' '2')", 14, "\",\" or \")\" in the list after IN");
    BAD("S_INTERSECTS(geometry POINT(1 2))", 23, "\",\" between the two arguments");
    BAD("S_INTERSECTS(geometry, POINT(1))", 31, "a latitude after the longitude");
    BAD("S_INTERSECTS(geometry, POINT(200 41))", 30, "a position in CRS84");
    BAD("S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1)))", 32, "a closed ring");
    BAD("S_INTERSECTS(geometry, BBOX(24, 41, 23, 42))", 24, "west <= east");
    BAD("S_INTERSECTS(geometry, BBOX(1,2,3))", 34, "\",\" between the four numbers");
    BAD("at > TIMESTAMP('2024-13-01T00:00:00Z')", 16, "an RFC 3339 date-time");
    BAD("day = DATE('2023-02-29')", 12, "a date such as");
    BAD("code = 'Σέρρες' ∧ level = 'x'", 17, "AND, OR or the end");
    BAD("code = 1e999", 8, "a number within the range");
    BAD("code = 12abc", 8, "a property name or a literal");
    /* positions count characters, not bytes: "Σέρρες" is 6 characters */
    BAD("name_el = 'Σέρρες' AND", 23, "a property name or a literal");

    /* type errors name the property */
    BAD("objectid = 'abc'", 12, "a number to compare with objectid");
    BAD("code = 9054", 8, "a string to compare with code");
    BAD("open = 1", 8, "a boolean to compare with open");
    BAD("open < TRUE", 6, "= or <> between booleans");
    BAD("day = 'yesterday'", 7, "a date to compare with day");
    BAD("objectid LIKE '1%'", 1, "a string property before LIKE");
    BAD("code LIKE 5", 11, "a string pattern after LIKE");
    BAD("code LIKE 'ab\\'", 11, "a lone \\");
    BAD("code BETWEEN 'a' AND 'b'", 1, "a number, date or timestamp before BETWEEN");
    BAD("objectid IN (1, 'two')", 17, "a number to compare with objectid");
    BAD("S_INTERSECTS(code, POINT(1 2))", 14, "a geometry: the property geometry or a WKT");
    BAD("geometry = POINT(1 2)", 1, "a value that is not a geometry");
    BAD("code", 5, "a comparison (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN, IS NULL) after \"code\"");
    BAD("nosuch IS NULL", 1, "a queryable of this collection");
    BAD("S_INTERSECTS(geom, POINT(1 2))", 14, "a queryable of this collection");

    /* limits */
    {
        char big[CQL2_MAX_BYTES + 64];
        memset(big, ' ', sizeof big);
        memcpy(big, "code='1'", 8);
        big[sizeof big - 1] = '\0';
        BAD(big, CQL2_MAX_BYTES + 1, "at most 4096 bytes");
        char many[4096] = "code='0'";
        for (int i = 1; i < 60; i++)
            snprintf(many + strlen(many), sizeof many - strlen(many), " OR code='%d'", i);
        const char *r = run(many, 1);
        CHECK(strstr(r, "ERROR") && strstr(r, "at most 100 terms"));
        char deep[512] = "";
        for (int i = 0; i < 40; i++)
            strcat(deep, "(");
        strcat(deep, "code='1'");
        for (int i = 0; i < 40; i++)
            strcat(deep, ")");
        BAD(deep, 33, "at most 32 nested");
        char nots[512] = "";
        for (int i = 0; i < 40; i++)
            strcat(nots, "NOT ");
        strcat(nots, "code='1'");
        BAD(nots, 129, "at most 32 nested");
    }
    return check_summary();
}
