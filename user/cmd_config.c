// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl ports", "dry-run" and "config": the ports inspected and
 * the settings of the namespace, shown or changed in one request each.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "print.h"

/*
 * The words of a command that takes -j, -p and -h only, at most @max
 * (or any number with @max < 0) into @w, which holds argc entries.
 * Returns their number, or -1 after an error line.
 */
static int words(int argc, char **argv, bool *json, const char **w, int max,
		 bool pairs, bool *help)
{
	const char *word;
	int c, n = 0;

	for (;;) {
		cli_value_next = pairs && n % 2;
		c = cli_next(argc, argv, "+:jph", cli_json_opts, &word);
		if (c == -1)
			break;
		if (c == 'j' || c == 'p')
			*json = true;
		print_pretty |= c == 'p';
		*help |= c == 'h';
		if (c == '?')
			return -1;
		if (c)
			continue;
		if (n == max) {
			cli_err("%s: unexpected argument \"%s\"", argv[0], word);
			return -1;
		}
		w[n++] = word;
	}
	return n;
}

/*
 * Runs the change @set of @what, or with no @set reads the settings (and
 * ports) into @c; says why it failed. 0 or an exit code.
 */
static int change(const char *what, struct sc_config *c,
		  int (*set)(struct sc_handle *h, const struct sc_config *c))
{
	struct sc_handle *h = cli_open(what);
	int ret;

	if (!h)
		return EXIT_FAILURE;
	ret = set ? set(h, c) : sc_config_get(h, c, false);
	if (ret)
		cli_fail(h, what, ret);
	sc_close(h);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

int ports_main(int argc, char **argv, bool json)
{
	const char **w = calloc(argc + 1, sizeof(*w));
	struct sc_config c = { .nports = 0 };
	bool set, help = false;
	int i, n, ret = EXIT_USAGE;

	if (!w)
		return EXIT_FAILURE;
	n = words(argc, argv, &json, w, -1, false, &help);
	set = n > 0 && !strcmp(w[0], "set");
	if (n > 0 && !set && strcmp(w[0], "show")) {
		cli_err("ports: unknown subcommand \"%s\"", w[0]);
	} else if (help) {
		cli_usage("ports");
		ret = EXIT_SUCCESS;
	} else if (set) {
		for (i = 1; i < n; i++)
			if (!cli_ports(w[i], &c))
				goto out;
		if (n == 1)
			cli_err("ports set: no port given");
		else
			ret = change("ports set", &c, sc_ports_set);
	} else if (n > 1) {
		cli_err("ports: unexpected argument \"%s\"", w[1]);
	} else if (n >= 0 && !(ret = change("ports", &c, NULL))) {
		print_start(stdout, json);
		open_json_object(NULL);
		open_json_array("ports");
		for (i = 0; i < (int)c.nports; i++)
			print_uint(PRINT_ANY, NULL, i ? " %" PRIu64 : "%" PRIu64,
				   c.ports[i]);
		close_json_array();
		close_json_object();
		print_fp("\n");
		print_end();
	}
out:
	free(w);
	return ret;
}

int dryrun_main(int argc, char **argv, bool json)
{
	struct sc_config c = { .have = 1U << SC_DRY_RUN };
	const char *w[1];
	bool help = false;
	int n, ret;

	n = words(argc, argv, &json, w, 1, false, &help);
	if (help) {
		cli_usage("dry-run");
		return EXIT_SUCCESS;
	}
	if (n < 0)
		return EXIT_USAGE;
	if (n && strcmp(w[0], "on") && strcmp(w[0], "off")) {
		cli_err("dry-run: invalid argument \"%s\": on or off", w[0]);
		return EXIT_USAGE;
	}
	if (n) {
		c.val[SC_DRY_RUN] = !strcmp(w[0], "on");
		return change(c.val[SC_DRY_RUN] ? "dry-run on" : "dry-run off",
			      &c, sc_config_set);
	}
	ret = change("dry-run", &c, NULL);
	if (ret)
		return ret;
	print_start(stdout, json);
	open_json_object(NULL);
	print_bool(PRINT_ANY, "dry_run", "%s\n", c.val[SC_DRY_RUN]);
	close_json_object();
	print_end();
	return EXIT_SUCCESS;
}

int config_main(int argc, char **argv, bool json)
{
	const char **w = calloc(argc + 1, sizeof(*w));
	struct sc_config c = { .have = 0 };
	int i, n, k, ret = EXIT_USAGE;
	bool help = false;

	if (!w)
		return EXIT_FAILURE;
	n = words(argc, argv, &json, w, -1, true, &help);
	if (help) {
		cli_usage("config");
		ret = EXIT_SUCCESS;
		goto out;
	}
	for (i = 0; i < n; i += 2)
		if (!cli_setting(w[i], w[i + 1], &c))
			goto out;
	if (n > 0)
		ret = change("config", &c, sc_config_set);
	else if (!n && !(ret = change("config", &c, NULL))) {
		print_start(stdout, json);
		open_json_object(NULL);
		for (k = 0; k < SC_NKEYS; k++) {
			if (!(c.have & (1U << k)))
				continue;
			print_fp("%s ", sc_keys[k].text);
			if (k == SC_EVENT_RATE)
				print_uint(PRINT_ANY, sc_keys[k].key,
					   "%" PRIu64 "\n", c.val[k]);
			else
				print_bool(PRINT_ANY, sc_keys[k].key, "%s\n",
					   c.val[k]);
		}
		close_json_object();
		print_end();
	}
out:
	free(w);
	return ret;
}
