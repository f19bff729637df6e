/* The bad-input campaign: the database before and after, every table's row
 * count and md5 computed in SQL (campaign.h). */
#include "campaign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the database */

/* Columns that legitimately change on reads, left out of the checksums:
 * - sessions.last_seen_at: every signed-in request touches it (at most once a
 *   minute, SESSION_LOOKUP_SQL) for the idle timeout;
 * - api_keys.last_used_at: the same for API keys (API_KEY_LOOKUP_SQL), so
 *   an owner can see a key is in use.
 * Every other column of every table is compared. */
static const char *const volatile_columns = "{public.sessions.last_seen_at,"
                                            "public.api_keys.last_used_at}";

/* Row count and md5 of every table of the public and layers schemas; the
 * layer versions are compared as the view layer_versions reads them, since
 * the fan-out job folds layer_changes into layer_version_base at any time
 * without changing a version (sql/026_write_path.sql). The
 * statement for each table is built by SQL itself (format %I quoting). */
int snapshot(PGconn *db, struct table_sum **out)
{
    const char *params[] = {volatile_columns};
    PGresult *list = PQexecParams(
        db,
        "SELECT t.table_schema || '.' || t.table_name,"
        "  format('SELECT count(*), md5(coalesce(string_agg(r, E''\\n'' ORDER BY r), '''')),"
        "                 CASE WHEN count(*) <= 300 THEN string_agg(r, E''\\n'' ORDER BY r) END"
        "          FROM (SELECT ROW(%s)::text AS r FROM %I.%I) s',"
        "    (SELECT string_agg(quote_ident(c.column_name), ',' ORDER BY c.ordinal_position)"
        "       FROM information_schema.columns c"
        "      WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name"
        "        AND NOT (c.table_schema || '.' || c.table_name || '.' || c.column_name"
        "                 = ANY ($1::text[]))),"
        "    t.table_schema, t.table_name)"
        " FROM information_schema.tables t"
        " WHERE t.table_schema IN ('public', 'layers')"
        "   AND ((t.table_type = 'BASE TABLE'"
        "         AND (t.table_schema, t.table_name) NOT IN (('public', 'layer_changes'),"
        "                                                  ('public', 'layer_version_base')))"
        "        OR (t.table_schema, t.table_name) = ('public', 'layer_versions'))"
        " ORDER BY 1",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(list) != PGRES_TUPLES_OK)
        h_fatal("listing the tables: %s", PQresultErrorMessage(list));
    int n = PQntuples(list);
    *out = calloc((size_t)n, sizeof **out);
    for (int i = 0; i < n; i++) {
        PGresult *sum = PQexec(db, PQgetvalue(list, i, 1));
        if (PQresultStatus(sum) != PGRES_TUPLES_OK)
            h_fatal("checksum of %s: %s", PQgetvalue(list, i, 0), PQresultErrorMessage(sum));
        (*out)[i].name = strdup(PQgetvalue(list, i, 0));
        (*out)[i].rows = strdup(PQgetvalue(sum, 0, 0));
        (*out)[i].md5 = strdup(PQgetvalue(sum, 0, 1));
        (*out)[i].text = PQgetisnull(sum, 0, 2) ? NULL : strdup(PQgetvalue(sum, 0, 2));
        PQclear(sum);
    }
    PQclear(list);
    return n;
}

void snapshot_free(struct table_sum *t, int n)
{
    for (int i = 0; i < n; i++) {
        free(t[i].name);
        free(t[i].rows);
        free(t[i].md5);
        free(t[i].text);
    }
    free(t);
}

/* Prints the lines of a that are not in b (rows gone or added). */
void print_missing(const char *label, const char *a, const char *b)
{
    if (!a)
        return;
    for (const char *line = a; *line;) {
        size_t len = strcspn(line, "\n");
        char *one = strndup(line, len);
        int found = 0;
        for (const char *p = b ? b : ""; !found && (p = strstr(p, one)); p++)
            found = (p == b || p[-1] == '\n') && (p[len] == '\n' || p[len] == '\0');
        if (!found)
            fprintf(stderr, "    %s %.400s\n", label, one);
        free(one);
        line += len + (line[len] == '\n');
    }
}

/* The next transaction id PostgreSQL will hand out: it moves only when
 * something wrote (or tried to), so it points at the request that did. */
char *next_xid(PGconn *db)
{
    return h_pg_value(db, "SELECT pg_snapshot_xmax(pg_current_snapshot())::text", 0, NULL);
}
