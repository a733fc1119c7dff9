/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every sipcodectl command shares: exit codes, the one-line error
 * report and option matching.
 */
#ifndef SIPCODECTL_CLI_H
#define SIPCODECTL_CLI_H

#include <stdbool.h>
#include <stdint.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit codes, as ip(8): 0 success, 1 runtime or kernel error. */
#define EXIT_USAGE	2

/* Prints "sipcodectl: <message>" and a newline on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when @arg is the short option @s or the long option @l. */
bool cli_opt(const char *arg, const char *s, const char *l);
/* Is -h or --help among the @argc words at @argv? */
bool cli_help(int argc, char **argv);

/* Reports @arg of @cmd: "unexpected option" when it starts with '-'. */
void cli_unexpected(const char *cmd, const char *arg);
/*
 * The arguments of @cmd when it takes -j/--json (sets *@json) and at
 * most @max words, stored in @words: their number, or -1 after an error
 * line for any other option or one word too many.
 */
int cli_words(const char *cmd, int argc, char **argv, bool *json,
	      const char **words, int max);

/* Index of the first argument that is not an option, or @argc. */
int cli_word(int argc, char **argv);

/* The wider of @w and the decimal digits of @v: a table's column. */
int cli_width(uint64_t v, int w);

/* A count (of tables, of events): decimal digits, 1 to 1000000000. */
bool cli_count(const char *s, unsigned long *count);
/* Seconds: a decimal number, 0.1 to 86400. */
bool cli_seconds(const char *s, double *secs);

#endif /* SIPCODECTL_CLI_H */
