/* Prints one of the server's SQL statements, so that scripts/bench runs in
 * pgbench exactly the text polis sends. Not part of the product. */
#include "gis/boundaries.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    static const struct {
        const char *name, *sql;
    } statements[] = {
        {"locate", BOUNDARIES_LOCATE_SQL},
        {"boundaries_page", BOUNDARIES_PAGE_SQL},
        {"boundaries_get", BOUNDARIES_GET_SQL},
    };
    for (size_t i = 0; argc == 2 && i < sizeof statements / sizeof statements[0]; i++)
        if (!strcmp(argv[1], statements[i].name)) {
            puts(statements[i].sql);
            return 0;
        }
    fprintf(stderr, "usage: bench_sql locate|boundaries_page|boundaries_get\n");
    return 2;
}
