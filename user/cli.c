// SPDX-License-Identifier: GPL-2.0
/*
 * What every sipcodectl command shares: the one-line error report and
 * option matching.
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

int cli_word(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (argv[i][0] != '-')
			break;
	return i;
}
