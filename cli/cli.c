#include "cli/cli.h"

#include "gis/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_option(const char *cmd, int argc, char **argv, int *i, const char *const *names,
               size_t n, size_t *which, const char **value)
{
    const char *a = argv[*i];
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(names[k]);
        const char *val = NULL;
        if (!strcmp(a, names[k])) {
            if (*i + 1 >= argc) {
                fprintf(stderr, "%s: %s needs a value\n", cmd, a);
                return 2;
            }
            val = argv[++*i];
        } else if (!strncmp(a, names[k], len) && a[len] == '=') {
            val = a + len + 1;
        } else {
            continue;
        }
        if (!*val) {
            fprintf(stderr, "%s: %s needs a non-empty value\n", cmd, names[k]);
            return 2;
        }
        *which = k;
        *value = val;
        return 0;
    }
    fprintf(stderr, "%s: unknown option \"%s\" (see --help)\n", cmd, a);
    return 2;
}

PGconn *cli_connect(const char *cmd)
{
    char err[2048];
    const char *url = getenv("POLIS_DATABASE_URL");
    PGconn *db = db_connect(url ? url : "", err, sizeof err);
    if (!db)
        fprintf(stderr, "%s: %s\n", cmd, err);
    return db;
}
