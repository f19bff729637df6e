/* Helpers shared by the polis subcommands (one file each under cli/). */
#ifndef POLIS_CLI_H
#define POLIS_CLI_H

#include <libpq-fe.h>
#include <stddef.h>

struct polis_config;

/* Reads the configuration (http/config.c: every POLIS_* variable). On a bad
 * value tells which on stderr, with cmd in front, and returns 2. */
int cli_config(const char *cmd, struct polis_config *cfg);

/* Tells err on stderr with cmd in front; returns 1, the exit status of a
 * subcommand whose work failed. */
int cli_failed(const char *cmd, const char *err);

/* 1 when an argument from argv[from] on asks for help (--help or -h). */
int cli_wants_help(int argc, char **argv, int from);

/* Connects to POLIS_DATABASE_URL (libpq's PG* variables when unset). On
 * failure tells why on stderr, with cmd in front, and returns NULL. */
PGconn *cli_connect(const char *cmd);

/* argv[*i] is an option: finds it among names[0..n), sets *which and *value
 * (the next argument, or the part after '='; *i moves past what it used).
 * Returns 0, or 2 (the usage exit status) after telling on stderr, with cmd
 * in front, that the option is unknown or lacks a non-empty value. */
int cli_option(const char *cmd, int argc, char **argv, int *i, const char *const *names,
               size_t n, size_t *which, const char **value);

#endif
