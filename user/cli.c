// SPDX-License-Identifier: GPL-2.0
/*
 * What every sipcodectl command shares: the one-line error report,
 * option matching, the parsing of counts and seconds, and the width of
 * a number in a table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_err(const char *fmt, ...)
{
	va_list ap;

	fputs("sipcodectl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool cli_opt(const char *arg, const char *s, const char *l)
{
	return !strcmp(arg, s) || !strcmp(arg, l);
}

bool cli_help(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (cli_opt(argv[i], "-h", "--help"))
			return true;
	return false;
}

void cli_unexpected(const char *cmd, const char *arg)
{
	cli_err("%s: unexpected %s \"%s\"", cmd,
		arg[0] == '-' ? "option" : "argument", arg);
}

int cli_words(const char *cmd, int argc, char **argv, bool *json,
	      const char **words, int max)
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if (cli_opt(argv[i], "-j", "--json")) {
			*json = true;
		} else if (argv[i][0] == '-' || n == max) {
			cli_unexpected(cmd, argv[i]);
			return -1;
		} else {
			words[n++] = argv[i];
		}
	}
	return n;
}

int cli_word(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (argv[i][0] != '-')
			break;
	return i;
}

int cli_width(uint64_t v, int w)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n > w ? n : w;
}

bool cli_count(const char *s, unsigned long *count)
{
	unsigned long v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9' && v <= 1000000000; p++)
		v = v * 10 + (*p - '0');
	if (*p || p == s || !v || v > 1000000000)
		return false;
	*count = v;
	return true;
}

bool cli_seconds(const char *s, double *secs)
{
	unsigned long ipart = 0, frac = 0, scale = 1;
	const char *p = s;

	for (; *p >= '0' && *p <= '9' && ipart <= 86400; p++)
		ipart = ipart * 10 + (*p - '0');
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && scale < 1000000; p++) {
			frac = frac * 10 + (*p - '0');
			scale *= 10;
		}
	}
	if (*p || p == s || !strcmp(s, "."))
		return false;
	*secs = ipart + (double)frac / scale;
	return *secs >= 0.1 && *secs <= 86400;
}
