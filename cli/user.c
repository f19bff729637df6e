/* polis user add | list: accounts from the command line, e.g. the first
 * administrator of a new installation. Writes are audited as "cli". */
#include "auth/password.h"
#include "auth/users_sql.h"
#include "gis/db.h"
#include "cli/accounts.h"
#include "cli/commands.h"
#include "cli/cli.h"
#include "http/config.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DEPARTMENTS 32

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis user add --email E --role admin|staff|citizen [--department D]...\n"
            "                      [--name NAME]\n"
            "       polis user list\n"
            "\n"
            "add   creates a user in POLIS_DATABASE_URL with the email confirmed. A staff\n"
            "      user belongs to one or more departments (--department CODE, repeatable:\n"
            "      codes of the municipality POLIS_MUNICIPALITY, default 9054). The password\n"
            "      is read from stdin when stdin is not a terminal (one line); otherwise, or\n"
            "      when that line is empty, one is generated and printed once.\n"
            "list  prints every user: id, email, role, confirmed, departments.\n");
}

/* The password from stdin when it is not a terminal; "" otherwise. */
static int read_password(char *out, size_t outlen)
{
    out[0] = '\0';
    if (isatty(STDIN_FILENO))
        return 0;
    if (!fgets(out, (int)outlen, stdin))
        return 0;
    size_t n = strlen(out);
    if (n == outlen - 1 && out[n - 1] != '\n')
        return -1; /* longer than allowed */
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    return 0;
}

static int user_add(int argc, char **argv)
{
    const char *email = NULL, *role = NULL, *name = NULL, *codes[MAX_DEPARTMENTS];
    int ncodes = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--email") && v)
            email = argv[++i];
        else if (!strcmp(a, "--role") && v)
            role = argv[++i];
        else if (!strcmp(a, "--name") && v)
            name = argv[++i];
        else if (!strcmp(a, "--department") && v && ncodes < MAX_DEPARTMENTS)
            codes[ncodes++] = argv[++i];
        else {
            fprintf(stderr, "polis user add: unexpected \"%s\"\n\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!email || !role) {
        fprintf(stderr, "polis user add: --email and --role are required\n\n");
        usage(stderr);
        return 2;
    }
    if (strcmp(role, "admin") && strcmp(role, "staff") && strcmp(role, "citizen")) {
        fprintf(stderr, "polis user add: --role must be admin, staff or citizen, not \"%s\"\n",
                role);
        return 2;
    }
    if (!strcmp(role, "staff") != (ncodes > 0)) {
        fprintf(stderr, "polis user add: %s\n",
                ncodes ? "only staff belong to departments (--department)"
                       : "a staff user needs at least one --department CODE");
        return 2;
    }
    char password[PASSWORD_MAX_BYTES + 2];
    if (read_password(password, sizeof password)) {
        fprintf(stderr, "polis user add: the password on stdin is longer than %d bytes\n",
                PASSWORD_MAX_BYTES);
        return 2;
    }
    int generated = !password[0];
    if (generated)
        cli_password_generate(password, sizeof password);
    const char *problem = password_policy_problem(password, email);
    if (problem) {
        sodium_memzero(password, sizeof password);
        fprintf(stderr, "polis user add: the password on stdin is refused: expected %s\n",
                problem);
        return 2;
    }
    struct polis_config cfg;
    if (cli_config("polis user add", &cfg)) {
        sodium_memzero(password, sizeof password);
        return 2;
    }
    const char *muni = cfg.municipality;
    char err[1024];
    PGconn *db = cli_connect("polis user add");
    if (!db) {
        sodium_memzero(password, sizeof password);
        return 1;
    }
    long id = 0;
    int rc = cli_user_create(db, email, role, name, codes, ncodes, muni, password, &id, err,
                             sizeof err);
    PQfinish(db);
    if (rc < 0)
        fprintf(stderr, "polis user add: %s\n", err);
    else if (rc == 0)
        fprintf(stderr, "polis user add: %s already has an account; nothing changed\n", email);
    else {
        fprintf(stderr, "polis user add: created user %ld, %s (%s)\n", id, email, role);
        if (generated)
            printf("%s %s\n", email, password);
    }
    sodium_memzero(password, sizeof password);
    return rc == 1 ? 0 : 1;
}

static int user_list(void)
{
    char err[1024];
    PGconn *db = cli_connect("polis user list");
    if (!db)
        return 1;
    char after[32] = "0";
    int rc = 0;
    printf("%-6s %-40s %-8s %-9s %s\n", "id", "email", "role", "confirmed", "departments");
    for (;;) {
        const char *args[] = {after, "500"};
        PGresult *res = db_query(db, USER_LIST_SQL, 2, args, err, sizeof err);
        if (!res) {
            rc = cli_failed("polis user list", err);
            break;
        }
        int rows = PQntuples(res);
        for (int i = 0; i < rows; i++) {
            json_t *u = json_loads(PQgetvalue(res, i, USER_LIST_USER), 0, NULL);
            json_t *d = json_object_get(u, "departments"), *c;
            char depts[512] = "";
            size_t k;
            json_array_foreach(d, k, c) {
                if (k)
                    strncat(depts, ",", sizeof depts - strlen(depts) - 1);
                strncat(depts, json_string_value(c), sizeof depts - strlen(depts) - 1);
            }
            printf("%-6s %-40s %-8s %-9s %s\n", PQgetvalue(res, i, USER_LIST_ID),
                   json_string_value(json_object_get(u, "email")),
                   json_string_value(json_object_get(u, "role")),
                   json_is_true(json_object_get(u, "email_confirmed")) ? "yes" : "no", depts);
            json_decref(u);
        }
        if (rows)
            snprintf(after, sizeof after, "%s", PQgetvalue(res, rows - 1, USER_LIST_ID));
        PQclear(res);
        if (rows < 500)
            break;
    }
    PQfinish(db);
    return rc;
}

int cmd_user(int argc, char **argv)
{
    if (cli_help(argc, argv, 1, usage))
        return 0;
    if (argc >= 2 && !strcmp(argv[1], "add"))
        return user_add(argc, argv);
    if (argc == 2 && !strcmp(argv[1], "list"))
        return user_list();
    usage(stderr);
    return 2;
}
