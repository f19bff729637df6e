/* CQL2 filters (the OGC items' ?filter=, gis/cql2.c): parse, translate
 * against a small set of queryables, and check the SQL that comes out: its
 * $n placeholders are exactly the parameters (each used once, numbered from
 * the first), their count stays within the bound the database layer is
 * given, and no quote of the filter reaches the SQL text. A refusal must
 * make a complete field error. */
#include "gis/cql2.h"
#include "http/params.h"
#include "tests/fuzz/field_errors.h"

#include <ctype.h>

static const struct cql2_queryable Q[] = {
    {"level", "text"},        {"code", "text"},        {"name_el", "text"},
    {"parent_id", "bigint"},  {"objectid", "integer"}, {"lon", "double precision"},
    {"open", "boolean"},      {"day", "date"},         {"at", "timestamptz"},
};
#define NQ (int)(sizeof Q / sizeof Q[0])

/* A BBOX literal is four parameters, every other literal one; each node is
 * emitted once. */
#define PARAMS_BOUND (4 * CQL2_MAX_NODES)

static void check_error(const struct cql2_error *err, size_t len)
{
    FUZZ_CHECK(memchr(err->expected, '\0', sizeof err->expected), "expected not terminated");
    FUZZ_CHECK(memchr(err->found, '\0', sizeof err->found), "found not terminated");
    FUZZ_CHECK(err->expected[0], "an error without what was expected");
    FUZZ_CHECK(err->pos >= 0 && (size_t)err->pos <= len + 1, "position %d of %zu", err->pos, len);
    /* as api/ogc.c reports it */
    char expected[300];
    snprintf(expected, sizeof expected, "%s at character %d", err->expected, err->pos);
    json_t *errors = NULL;
    field_error_append(&errors, "filter", expected, err->found);
    fuzz_check_field_errors(errors);
    json_decref(errors);
}

static void check_sql(const struct cql2_sql *s, int first)
{
    FUZZ_CHECK(s->nparams >= 0 && s->nparams <= PARAMS_BOUND, "%d parameters", s->nparams);
    FUZZ_CHECK(!strchr(s->where, '\''), "a quote in the SQL: %s", s->where);
    FUZZ_CHECK(!strchr(s->where, ';'), "a semicolon in the SQL: %s", s->where);
    unsigned char used[PARAMS_BOUND + 1] = {0};
    int placeholders = 0;
    for (const char *p = s->where; (p = strchr(p, '$'));) {
        p++;
        FUZZ_CHECK(isdigit((unsigned char)*p), "a $ without a number: %s", s->where);
        long n = strtol(p, (char **)&p, 10);
        FUZZ_CHECK(n >= first && n < first + s->nparams, "$%ld outside $%d..$%d: %s", n, first,
                   first + s->nparams - 1, s->where);
        FUZZ_CHECK(!used[n - first]++, "$%ld used twice: %s", n, s->where);
        placeholders++;
    }
    FUZZ_CHECK(placeholders == s->nparams, "%d placeholders for %d parameters: %s", placeholders,
               s->nparams, s->where);
    for (int i = 0; i < s->nparams; i++)
        FUZZ_CHECK(s->params[i], "parameter %d is NULL", i + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    struct cql2_error err = {0};
    struct cql2_expr *e = cql2_parse(text, &err);
    if (!e) {
        check_error(&err, strlen(text));
        free(text);
        return 0;
    }
    /* the OGC handler numbers the filter's parameters after its own */
    int first = 1 + (int)(size % 5);
    struct cql2_sql s;
    memset(&err, 0, sizeof err);
    if (cql2_to_sql(e, Q, NQ, first, &s, &err) == 0) {
        check_sql(&s, first);
        cql2_sql_free(&s);
    } else {
        check_error(&err, strlen(text));
    }
    cql2_free(e);
    free(text);
    return 0;
}
