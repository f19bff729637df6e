/* Options of the polis subcommands: "--name VALUE" or "--name=VALUE". */
#ifndef POLIS_CLI_OPTION_H
#define POLIS_CLI_OPTION_H

#include <stddef.h>

/* argv[*i] is an option: finds it among names[0..n), sets *which and *value
 * (the next argument, or the part after '='; *i moves past what it used).
 * Returns 0, or 2 (the usage exit status) after telling on stderr, with cmd
 * in front, that the option is unknown or lacks a non-empty value. */
int cli_option(const char *cmd, int argc, char **argv, int *i, const char *const *names,
               size_t n, size_t *which, const char **value);

#endif
