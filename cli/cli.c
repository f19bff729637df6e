#include "cli/cli.h"

#include "gis/db.h"
#include "http/config.h"

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

int cli_config(const char *cmd, struct polis_config *cfg)
{
    char err[1024];
    if (config_load(cfg, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "%s: %s\n", cmd, err);
    return 2;
}

static PGconn *connect_as(const char *cmd, int owner)
{
    char err[2048];
    struct polis_config cfg;
    if (cli_config(cmd, &cfg))
        return NULL;
    PGconn *db = db_connect(owner ? cfg.database_owner_url : cfg.database_url, err, sizeof err);
    if (!db)
        fprintf(stderr, "%s: %s\n", cmd, err);
    return db;
}

PGconn *cli_connect(const char *cmd) { return connect_as(cmd, 0); }

PGconn *cli_connect_owner(const char *cmd) { return connect_as(cmd, 1); }

int cli_help(int argc, char **argv, int from, void (*usage)(FILE *out))
{
    for (int i = from; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 1;
        }
    return 0;
}

int cli_failed(const char *cmd, const char *err)
{
    fprintf(stderr, "%s: %s\n", cmd, err);
    return 1;
}

static int run_step_as(const char *cmd, int owner, db_step_fn step, void *arg)
{
    PGconn *db = connect_as(cmd, owner);
    if (!db)
        return 1;
    char err[2048];
    int rc = step(db, arg, err, sizeof err);
    PQfinish(db);
    return rc < 0 ? cli_failed(cmd, err) : 0;
}

int cli_run_step(const char *cmd, db_step_fn step, void *arg)
{
    return run_step_as(cmd, 0, step, arg);
}

int cli_run_owner_step(const char *cmd, db_step_fn step, void *arg)
{
    return run_step_as(cmd, 1, step, arg);
}

int cli_only_subcommand(int argc, char **argv, const char *sub, void (*usage)(FILE *out))
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], sub))
        return -1;
    usage(stderr);
    return 2;
}

int cli_dir_command(const char *cmd, int argc, char **argv, void (*usage)(FILE *out),
                    const char **dir, struct polis_config *cfg)
{
    if (cli_help(argc, argv, 1, usage))
        return 0;
    if (argc != 2 || argv[1][0] == '-') {
        usage(stderr);
        return 2;
    }
    *dir = argv[1];
    return cli_config(cmd, cfg) ? 2 : -1;
}

int cli_subcommand(const char *cmd, int argc, char **argv, const char *sub,
                   void (*usage)(FILE *out))
{
    if (argc >= 2 && !strcmp(argv[1], sub))
        return 0;
    if (argc >= 2)
        fprintf(stderr, "%s: unknown subcommand \"%s\"\n\n", cmd, argv[1]);
    usage(stderr);
    return 2;
}

int cli_file_arg(const char *cmd, const char *arg, const char **path)
{
    if (*path) {
        fprintf(stderr, "%s: one FILE expected, found \"%s\" and \"%s\"\n", cmd, *path, arg);
        return 2;
    }
    *path = arg;
    return 0;
}

int cli_file_given(const char *cmd, const char *path)
{
    if (path)
        return 0;
    fprintf(stderr, "%s: FILE expected (see --help)\n", cmd);
    return 2;
}

int cli_file_or_option(const char *cmd, int argc, char **argv, int *i, const char *const *names,
                       const char **const *slots, size_t n, const char **path)
{
    const char *a = argv[*i];
    if (path && (a[0] != '-' || !a[1]))
        return cli_file_arg(cmd, a, path);
    size_t k;
    const char *val;
    if (cli_option(cmd, argc, argv, i, names, n, &k, &val))
        return 2;
    *slots[k] = val;
    return 0;
}
