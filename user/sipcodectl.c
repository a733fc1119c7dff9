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
#include "config.h"
#include "explain.h"
#include "exporter.h"
#include "monitor.h"
#include "ports.h"
#include "restore.h"
#include "rule.h"
#include "save.h"
#include "stats.h"

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
	{ "ports", ports_main },
	{ "rule", rule_main },
	{ "dry-run", dryrun_main },
	{ "config", config_main },
	{ "monitor", monitor_main },
	{ "explain", explain_main },
	{ "exporter", exporter_main },
	{ "save", save_main },
	{ "restore", restore_main },
	{ "help", help_main },
};

static void usage(void)
{
	puts("Usage: sipcodectl [OPTIONS] COMMAND [ARGS]\n"
	     "Read and configure sipcode, the kernel module that counts SIP\n"
	     "responses per status code, in this network namespace.\n"
	     "\n"
	     "Commands:\n"
	     "  stats [show] [-a]          print the counters\n"
	     "  stats -o prometheus        print them for Prometheus\n"
	     "  stats -w [SECONDS]         print them again and again, with rates\n"
	     "  stats --by-method [MATCH]  print the counts per code and CSeq method\n"
	     "  stats --reasons [MATCH]    print the reason phrases sent with each code\n"
	     "  stats reset                set every counter to zero\n"
	     "  ports [show]               print the inspected UDP ports\n"
	     "  ports set PORT[,PORT...]   replace the inspected UDP ports\n"
	     "  rule [list|show]           print the rules\n"
	     "  rule add MATCH [ACTION] [notify]\n"
	     "                             count, drop or mark a code, class or range\n"
	     "  rule del MATCH             delete a rule\n"
	     "  rule flush                 delete every rule\n"
	     "  dry-run [on|off]           print or set the dry-run mode\n"
	     "  config [KEY VALUE...]      print or set dry-run, by-method, reasons\n"
	     "                             and event-rate\n"
	     "  monitor [MATCH...]         print the events of notify rules as they come\n"
	     "  explain CODE|Nxx           what a status code or a class means\n"
	     "  exporter [-l ADDR:PORT]    serve the counters to Prometheus\n"
	     "  save                       print the configuration as commands\n"
	     "  restore [FILE|-]           apply such commands, all or nothing\n"
	     "  help [COMMAND [SUBCOMMAND]]  print the usage of a command\n"
	     "\n"
	     "Options:\n"
	     "  -j, --json      print JSON (also after the command)\n"
	     "  -f FILE         restore the configuration in FILE\n"
	     "  -h, --help      print this help (also after a command)\n"
	     "  -V, --version   print the version\n"
	     "\n"
	     "See sipcodectl(8).");
}

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
	char help_opt[] = "-h";
	const struct command *cmd;
	char *args[2];
	int n = 0;

	cmd = argc ? find_command(argv[0]) : NULL;
	if (!argc || cli_opt(argv[0], "-h", "--help") ||
	    (cmd && cmd->main == help_main)) {
		usage();
		return EXIT_SUCCESS;
	}
	if (!cmd) {
		cli_err("help: unknown command \"%s\"", argv[0]);
		return EXIT_USAGE;
	}
	if (argc > 2) {
		cli_err("help: unexpected argument \"%s\"", argv[2]);
		return EXIT_USAGE;
	}
	if (argc > 1)
		args[n++] = argv[1];
	args[n++] = help_opt;
	return cmd->main(n, args, json);
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
	const struct command *cmd;
	const char *file = NULL;
	bool json = false;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (cli_opt(argv[i], "-j", "--json")) {
			json = true;
		} else if (cli_opt(argv[i], "-h", "--help")) {
			usage();
			return finish(EXIT_SUCCESS);
		} else if (cli_opt(argv[i], "-f", "--file")) {
			if (i + 1 == argc) {
				cli_err("%s needs a FILE (see sipcodectl --help)",
					argv[i]);
				return EXIT_USAGE;
			}
			file = argv[++i];
		} else if (cli_opt(argv[i], "-V", "--version")) {
			printf("sipcodectl %s\n", SIPCODE_VERSION);
			return finish(EXIT_SUCCESS);
		} else {
			cli_err("unknown option \"%s\" (see sipcodectl --help)",
				argv[i]);
			return EXIT_USAGE;
		}
	}
	if (file && i < argc) {
		cli_err("-f and a command: give one (see sipcodectl --help)");
		return EXIT_USAGE;
	}
	if (file && json) {
		cli_err("restore: no JSON output");
		return EXIT_USAGE;
	}
	if (file)
		return finish(restore_file(file, false));
	if (i == argc) {
		cli_err("no command given (see sipcodectl --help)");
		return EXIT_USAGE;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		cli_err("unknown command \"%s\" (see sipcodectl --help)",
			argv[i]);
		return EXIT_USAGE;
	}
	return finish(cmd->main(argc - i - 1, argv + i + 1, json));
}
