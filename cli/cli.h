/* Helpers shared by the polis subcommands (one file each under cli/). */
#ifndef POLIS_CLI_H
#define POLIS_CLI_H

#include "gis/db.h"

#include <libpq-fe.h>
#include <stddef.h>
#include <stdio.h>

struct polis_config;

/* Reads the configuration (http/config.c: every POLIS_* variable). On a bad
 * value tells which on stderr, with cmd in front, and returns 2. */
int cli_config(const char *cmd, struct polis_config *cfg);

/* Tells err on stderr with cmd in front; returns 1, the exit status of a
 * subcommand whose work failed. */
int cli_failed(const char *cmd, const char *err);

/* 1 after writing usage on stdout when an argument from argv[from] on asks
 * for help (--help or -h); 0 otherwise. */
int cli_help(int argc, char **argv, int from, void (*usage)(FILE *out));

/* Connects to POLIS_DATABASE_URL (libpq's PG* variables when unset). On
 * failure tells why on stderr, with cmd in front, and returns NULL. */
PGconn *cli_connect(const char *cmd);

/* The same for the commands that create or drop tables (migrate, import,
 * backup, restore): POLIS_DATABASE_OWNER_URL, or POLIS_DATABASE_URL when that
 * is unset. */
PGconn *cli_connect_owner(const char *cmd);

/* argv[*i] is an option: finds it among names[0..n), sets *which and *value
 * (the next argument, or the part after '='; *i moves past what it used).
 * Returns 0, or 2 (the usage exit status) after telling on stderr, with cmd
 * in front, that the option is unknown or lacks a non-empty value. */
int cli_option(const char *cmd, int argc, char **argv, int *i, const char *const *names,
               size_t n, size_t *which, const char **value);

/* argv[*i] is the command's FILE argument (anything that is not an option,
 * "-" included) or one of the options names[0..n) with its value: stores the
 * FILE in *path (cli_file_arg) or the value in *slots[k] (cli_option; *i
 * moves past what it used). With path NULL the command takes no FILE and
 * every argument must be an option. Returns 0, or 2 after telling on
 * stderr, with cmd in front, what was wrong. */
int cli_file_or_option(const char *cmd, int argc, char **argv, int *i, const char *const *names,
                       const char **const *slots, size_t n, const char **path);

/* Connects (cli_connect), runs step on the connection and closes it. Returns
 * the exit status: 0 when the step succeeded, 1 when connecting or the step
 * failed (told on stderr with cmd in front). */
int cli_run_step(const char *cmd, db_step_fn step, void *arg);
/* The same on the owner's connection (cli_connect_owner). */
int cli_run_owner_step(const char *cmd, db_step_fn step, void *arg);

/* For a command that takes one subcommand word and nothing else ("polis
 * events refresh"): -1 when argv holds just that word (the caller runs it);
 * otherwise writes usage and returns the exit status: 0 for a lone --help or
 * -h (usage on stdout), 2 for anything else (usage on stderr). */
int cli_only_subcommand(int argc, char **argv, const char *sub, void (*usage)(FILE *out));

/* For a command that takes one argument, a directory, and the
 * configuration ("polis backup DIR", "polis restore DIR"): -1 with *dir and
 * *cfg set when the caller runs; otherwise the exit status: 0 after usage
 * on stdout for --help or -h, 2 after usage on stderr for no argument, more
 * than one or an option, 2 after telling a bad setting (cli_config). */
int cli_dir_command(const char *cmd, int argc, char **argv, void (*usage)(FILE *out),
                    const char **dir, struct polis_config *cfg);

/* For a command whose first word names its subcommand and options follow
 * ("polis basemap import FILE ..."): 0 when argv[1] is sub; otherwise 2
 * after usage on stderr, naming an unknown word with cmd in front. */
int cli_subcommand(const char *cmd, int argc, char **argv, const char *sub,
                   void (*usage)(FILE *out));

/* arg is a command's FILE argument: sets *path and returns 0, or returns 2
 * after telling on stderr, with cmd in front, that *path was given already. */
int cli_file_arg(const char *cmd, const char *arg, const char **path);

/* 0 when path (the FILE argument) was given; otherwise 2 after telling on
 * stderr, with cmd in front, that a FILE is expected. */
int cli_file_given(const char *cmd, const char *path);

#endif
