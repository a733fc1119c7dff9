// SPDX-License-Identifier: GPL-2.0
/*
 * sipcodectl: read and configure the sipcode kernel module, which counts
 * SIP responses per status code, over generic netlink.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "print.h"

#ifndef SIPCODE_VERSION
#define SIPCODE_VERSION "unknown"
#endif

static int help_main(int argc, char **argv, bool json);

/* Each command, with its lines in the usage (options: the man page). */
static const struct command {
	const char *name;
	int (*main)(int argc, char **argv, bool json);
	const char *synopsis;
} commands[] = {
	{ "stats", stats_main,
	  "  stats [show] [-a]          print the counters\n"
	  "  stats -o prometheus        print them for Prometheus\n"
	  "  stats -w [SECONDS]         print them again and again, with rates\n"
	  "  stats --by-method [MATCH]  print the counts per code and CSeq method\n"
	  "  stats --reasons [MATCH]    print the reason phrases sent with each code\n"
	  "  stats --delays             print the transactions and their delays\n"
	  "  stats --kpi [PEER]         print the RFC 6076 ratios (SER, SEER, ISA, IRA),\n"
	  "                             and each peer's or PEER's\n"
	  "  stats --by-peer [PEER]     print the codes by direction, and by peer\n"
	  "  stats reset                set every counter to zero\n" },
	{ "ports", config_main,
	  "  ports [show]               print the inspected ports (UDP and TCP)\n"
	  "  ports set PORT[,PORT...]   replace them (1 to 32 ports)\n"
	  "  ports add|del PORT[,...]   add to them, or delete some of them\n" },
	{ "rule", config_main,
	  "  rule [list|show]           print the rules\n"
	  "  rule add MATCH [peer NAME] [ACTION] [notify]\n"
	  "                             count, drop or mark a code, class or range,\n"
	  "                             of every response or of peer NAME's\n"
	  "  rule del MATCH [peer NAME] delete a rule\n"
	  "  rule flush                 delete every rule\n" },
	{ "peer", peer_main,
	  "  peer [list|show]           print the peers and their prefixes\n"
	  "  peer add NAME PREFIX...    add a peer with its prefixes, ADDR[/LEN]\n"
	  "  peer del NAME              delete a peer\n"
	  "  peer flush                 delete every peer\n" },
	{ "dry-run", config_main,
	  "  dry-run [on|off]           print or set the dry-run mode\n" },
	{ "config", config_main,
	  "  config [KEY VALUE...]      print or set dry-run, by-method, reasons,\n"
	  "                             event-rate, transactions,\n"
	  "                             transactions-max and relayed\n" },
	{ "monitor", monitor_main,
	  "  monitor [MATCH...]         print the events of notify rules as they come\n" },
	{ "top", top_main,
	  "  top [-i SECONDS]           show the rates of the classes and codes,\n"
	  "                             with a sparkline of the last minute\n" },
	{ "explain", explain_main,
	  "  explain CODE|Nxx           what a status code or a class means\n" },
	{ "exporter", exporter_main,
	  "  exporter [-l ADDR:PORT]    serve the counters to Prometheus\n"
	  "  exporter --textfile DIR [-w SECONDS]\n"
	  "                             write them to DIR/sipcode.prom\n" },
	{ "save", save_main,
	  "  save                       print the configuration as commands\n" },
	{ "restore", restore_main,
	  "  restore [-c] [FILE|-]      apply such commands in one request,\n"
	  "                             all or nothing\n" },
	{ "help", help_main,
	  "  help [COMMAND [SUBCOMMAND]]  print the usage of a command\n" },
};

/*
 * The command @name abbreviates (no name is the start of another); NULL
 * when none, or several (*@nmatch of them).
 */
static const struct command *find_command(const char *name, int *nmatch)
{
	const struct command *cmd = NULL;
	size_t i;

	*nmatch = 0;
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (name[0] && !strncmp(commands[i].name, name, strlen(name)))
			cmd = ++*nmatch == 1 ? &commands[i] : NULL;
	return cmd;
}

/* -n NAME: the network namespace of "ip netns" NAME, or at path NAME. */
static bool enter_netns(const char *name)
{
	char path[4096];
	bool ok;
	int fd;

	snprintf(path, sizeof(path), "%s%s",
		 strchr(name, '/') ? "" : "/run/netns/", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ok = fd >= 0 && !setns(fd, CLONE_NEWNET);
	if (!ok)
		cli_err("netns %s: %s", name, strerror(errno));
	if (fd >= 0)
		close(fd);
	return ok;
}

/* The usage of @cmd, or of sipcodectl (NULL). */
static void usage(const struct command *cmd)
{
	size_t i;

	if (cmd) {
		printf("Usage: sipcodectl %s ...\n%s"
		       "  -j, --json, -p, --pretty   print JSON, -p indented\n"
		       "  -h, --help                 print this help\n"
		       "See sipcodectl(8).\n", cmd->name, cmd->synopsis);
		return;
	}
	fputs("Usage: sipcodectl [OPTIONS] COMMAND [ARGS]\n"
	      "Read and configure sipcode, the kernel module that counts SIP\n"
	      "responses per status code, in this network namespace.\n"
	      "\n"
	      "Commands:\n", stdout);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fputs(commands[i].synopsis, stdout);
	puts("\n"
	     "Options:\n"
	     "  -j, --json      print JSON (also after the command)\n"
	     "  -p, --pretty    print JSON, indented (also after the command)\n"
	     "  -f FILE         restore the configuration in FILE\n"
	     "  -n NETNS        in network namespace NETNS (ip netns, or a path)\n"
	     "  -h, --help      print this help (also after a command)\n"
	     "  -V, --version   print the version\n"
	     "\n"
	     "See sipcodectl(8).");
}

/* Runs @cmd; its usage when it asks for it (EXIT_HELP). */
static int run(const struct command *cmd, int argc, char **argv, bool json)
{
	int ret = cmd->main(argc, argv, json);

	if (ret != EXIT_HELP)
		return ret;
	usage(cmd);
	return EXIT_SUCCESS;
}

/* "help [COMMAND [SUBCOMMAND]]": runs "COMMAND [SUBCOMMAND] -h". */
static int help_main(int argc, char **argv, bool json)
{
	const struct command *cmd;
	char *args[] = { argv[1], argc > 2 ? argv[2] : "-h", "-h", NULL };
	int n;

	optind = 1;
	cmd = argc > 1 ? find_command(argv[1], &n) : NULL;
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    (cmd && cmd->main == help_main)) {
		usage(NULL);
		return EXIT_SUCCESS;
	}
	if (!cmd) {
		cli_err("help: %s command \"%s\"", n ? "ambiguous" : "unknown",
			argv[1]);
		return EXIT_USAGE;
	}
	args[0] = (char *)cmd->name;
	if (argc > 3) {
		cli_err("help: unexpected argument \"%s\"", argv[3]);
		return EXIT_USAGE;
	}
	return run(cmd, argc > 2 ? 3 : 2, args, json);
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
		{ "netns", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd;
	const char *file = NULL;
	bool json = false;
	int c, n;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jpf:n:hV", o, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'p': json = print_pretty = true; break;
		case 'f': file = optarg; break;
		case 'n':
			if (!enter_netns(optarg))
				return EXIT_FAILURE;
			break;
		case 'h':
			usage(NULL);
			return finish(EXIT_SUCCESS);
		case 'V':
			printf("sipcodectl %s\n", SIPCODE_VERSION);
			return finish(EXIT_SUCCESS);
		case ':':
			cli_err("%s needs a %s (see sipcodectl --help)",
				argv[optind - 1], optopt == 'n' ? "NETNS" : "FILE");
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
	cmd = find_command(argv[optind], &n);
	if (!cmd) {
		cli_err("%s command \"%s\" (see sipcodectl --help)",
			n ? "ambiguous" : "unknown", argv[optind]);
		return EXIT_USAGE;
	}
	argv[optind] = (char *)cmd->name;
	argv += optind;
	argc -= optind;
	optind = 1;
	return finish(run(cmd, argc, argv, json));
}
