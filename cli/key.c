/* polis key create: an API key for a user, from the command line (e.g. for
 * an Open311 client or an import job). The key is printed once; the
 * database keeps only its digest. Audited as "cli". */
#include "auth/token.h"
#include "gis/db.h"
#include "cli/accounts.h"
#include "cli/commands.h"
#include "cli/cli.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis key create --user EMAIL --scope S[,S] [--name NAME]\n"
            "\n"
            "Creates an API key for the user with EMAIL in POLIS_DATABASE_URL and prints it\n"
            "once (send it as \"Authorization: Bearer <key>\"). Scopes: read, report, staff\n"
            "(staff only for staff and admin users). NAME tells keys apart (default \"cli\").\n");
}

int cmd_key(int argc, char **argv)
{
    const char *email = NULL, *scopes = NULL, *name = "cli";
    int create = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "create") && i == 1) {
            create = 1;
        } else if (!strcmp(a, "--user") && v) {
            email = argv[++i];
        } else if (!strcmp(a, "--scope") && v) {
            scopes = argv[++i];
        } else if (!strcmp(a, "--name") && v) {
            name = argv[++i];
        } else {
            fprintf(stderr, "polis key: unexpected \"%s\"\n\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!create || !email || !scopes || !*scopes || strlen(name) > 100 || !*name) {
        usage(stderr);
        return 2;
    }
    char err[1024], key[TOKEN_TEXT_MAX + 8];
    PGconn *db = cli_connect("polis key create");
    if (!db)
        return 1;
    int rc = cli_key_create(db, email, name, scopes, key, sizeof key, err, sizeof err);
    PQfinish(db);
    if (rc)
        return cli_failed("polis key create", err);
    fprintf(stderr, "polis key create: key for %s with scopes %s (shown only now):\n", email,
            scopes);
    printf("%s\n", key);
    sodium_memzero(key, sizeof key);
    return 0;
}
