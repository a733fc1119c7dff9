// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl save": the configuration of the namespace as commands for
 * "sipcodectl restore", made of what "ports", "dry-run", "config" and
 * "rule list" print, so that it is in their syntax by construction:
 *
 *   ports set 5060,5080
 *   dry-run off
 *   config by-method off reasons on event-rate 100
 *   rule flush
 *   rule add 503 drop
 *   rule add 4xx mark 0x10/0xff notify
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "cli.h"
#include "config.h"
#include "ports.h"
#include "rule.h"
#include "save.h"

/* Runs @main with no argument, what it prints on stdout into @out. */
static int run_captured(int (*main)(int, char **, bool), char **out)
{
	char *argv[] = { NULL };
	struct capture c;
	int ret;

	*out = NULL;
	if (capture_begin(&c, &stdout) < 0)
		goto nomem;
	ret = main(0, argv, false);
	*out = capture_end(&c, NULL);
	if (!*out)
		goto nomem;
	return ret ? -1 : 0;
nomem:
	cli_err("save: %s", strerror(ENOMEM));
	return -1;
}

/*
 * The settings "config" prints, one "KEY VALUE" a line, but the dry-run
 * mode (on a line of its own), as one "config" line; none when the
 * module has no other setting.
 */
static void save_settings(FILE *f, char *settings)
{
	const char *sep = "config ";
	char *line, *p;

	for (line = strtok_r(settings, "\n", &p); line;
	     line = strtok_r(NULL, "\n", &p)) {
		if (!strncmp(line, "dry-run ", 8))
			continue;
		fprintf(f, "%s%s", sep, line);
		sep = " ";
	}
	if (sep[0] == ' ')
		fputc('\n', f);
}

int save_config(FILE *f)
{
	char *ports = NULL, *dry = NULL, *settings = NULL, *rules = NULL;
	char *line, *p;
	int ret = -1;

	if (run_captured(ports_main, &ports) < 0 ||
	    run_captured(dryrun_main, &dry) < 0 ||
	    run_captured(config_main, &settings) < 0 ||
	    run_captured(rule_main, &rules) < 0)
		goto out;
	ports[strcspn(ports, "\n")] = '\0';
	for (p = ports; *p; p++)
		if (*p == ' ')
			*p = ',';
	dry[strcspn(dry, "\n")] = '\0';
	fprintf(f, "ports set %s\ndry-run %s\n", ports, dry);
	save_settings(f, settings);
	fputs("rule flush\n", f);
	for (line = strtok_r(rules, "\n", &p); line;
	     line = strtok_r(NULL, "\n", &p))
		fprintf(f, "rule add %s\n", line);
	ret = 0;
out:
	free(rules);
	free(settings);
	free(dry);
	free(ports);
	return ret;
}

static void usage(void)
{
	puts("Usage: sipcodectl save\n"
	     "Print the configuration of this network namespace as the\n"
	     "commands that restore it, one a line: ports set, dry-run,\n"
	     "config (by-method, reasons and event-rate), rule flush, then\n"
	     "a rule add per rule. Feed it back with sipcodectl restore FILE\n"
	     "or sipcodectl -f FILE.\n"
	     "  -h, --help   print this help");
}

int save_main(int argc, char **argv, bool json)
{
	if (cli_help(argc, argv)) {
		usage();
		return EXIT_SUCCESS;
	}
	if (cli_words("save", argc, argv, &json, NULL, 0) < 0)
		return EXIT_USAGE;
	if (json) {
		cli_err("save: no JSON output: the configuration is commands");
		return EXIT_USAGE;
	}
	return save_config(stdout) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
