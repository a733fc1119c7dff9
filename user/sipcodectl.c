// SPDX-License-Identifier: GPL-2.0
/*
 * sipcodectl: read and configure the sipcode kernel module, which counts
 * SIP responses per status code, over generic netlink.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "print.h"

#ifndef SIPCODE_VERSION
#define SIPCODE_VERSION "unknown"
#endif

struct command {
	const char *name;
	int (*main)(int argc, char **argv, bool json);
};

static int help_main(int argc, char **argv, bool json);

static const struct command commands[] = {
	{ "stats", stats_main },
	{ "ports", config_main },
	{ "rule", config_main },
	{ "dry-run", config_main },
	{ "config", config_main },
	{ "monitor", monitor_main },
	{ "explain", explain_main },
	{ "exporter", exporter_main },
	{ "save", save_main },
	{ "restore", restore_main },
	{ "help", help_main },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* "help [COMMAND [SUBCOMMAND]]": runs "COMMAND [SUBCOMMAND] -h". */
static int help_main(int argc, char **argv, bool json)
{
	const struct command *cmd;
	char *args[] = { argv[1], argc > 2 ? argv[2] : "-h", "-h", NULL };

	optind = 1;
	cmd = argc > 1 ? find_command(argv[1]) : NULL;
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    (cmd && cmd->main == help_main)) {
		cli_usage(NULL);
		return EXIT_SUCCESS;
	}
	if (!cmd) {
		cli_err("help: unknown command \"%s\"", argv[1]);
		return EXIT_USAGE;
	}
	if (argc > 3) {
		cli_err("help: unexpected argument \"%s\"", argv[3]);
		return EXIT_USAGE;
	}
	return cmd->main(argc > 2 ? 3 : 2, args, json);
}

/* Reports a failed write to stdout, such as a full disk or a closed pipe. */
static int finish(int ret)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return ret;
	cli_err("write error: %s", strerror(errno));
	return EXIT_FAILURE;
}

int main(int argc, char **argv)
{
	static const struct option o[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd;
	const char *file = NULL;
	bool json = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jpf:hV", o, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'p': json = print_pretty = true; break;
		case 'f': file = optarg; break;
		case 'h':
			cli_usage(NULL);
			return finish(EXIT_SUCCESS);
		case 'V':
			printf("sipcodectl %s\n", SIPCODE_VERSION);
			return finish(EXIT_SUCCESS);
		case ':':
			cli_err("%s needs a FILE (see sipcodectl --help)",
				argv[optind - 1]);
			return EXIT_USAGE;
		default:
			cli_err("unknown option \"%s\" (see sipcodectl --help)",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (file && optind < argc) {
		cli_err("-f and a command: give one (see sipcodectl --help)");
		return EXIT_USAGE;
	}
	if (file) {
		char *args[] = { "restore", "--", (char *)file, NULL };

		optind = 1;
		return finish(restore_main(3, args, json));
	}
	if (optind == argc) {
		cli_err("no command given (see sipcodectl --help)");
		return EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		cli_err("unknown command \"%s\" (see sipcodectl --help)",
			argv[optind]);
		return EXIT_USAGE;
	}
	argv += optind;
	argc -= optind;
	optind = 1;
	return finish(cmd->main(argc, argv, json));
}
