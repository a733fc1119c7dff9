// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl rule": list, add, delete and flush the rules that count,
 * drop or mark the responses of a code, a range or a class.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "print.h"

/* "rule add" refused with EEXIST: the rule in the way, dumped now. */
static void add_refused(struct sc_handle *h, const struct sc_rule *r)
{
	struct sc_config c;
	char m[16];
	size_t i;

	cli_match_str(r, m);
	if (r->type == SC_MATCH_RANGE && !sc_config_get(h, &c, true)) {
		for (i = 0; i < c.nrules; i++) {
			if (c.rules[i].type != SC_MATCH_RANGE ||
			    c.rules[i].low > r->high || c.rules[i].high < r->low ||
			    (c.rules[i].low == r->low && c.rules[i].high == r->high))
				continue;
			cli_err("rule add %s: overlaps range %u-%u", m,
				c.rules[i].low, c.rules[i].high);
			free(c.rules);
			return;
		}
		free(c.rules);
	}
	cli_err("rule add %s: a rule for %s exists (rule del first)", m, m);
}

int rule_main(int argc, char **argv, bool json)
{
	static const char *const subs[] = { "list", "show", "add", "del", "flush" };
	const char **w = calloc(argc + 1, sizeof(*w)), *word;
	struct sc_handle *h = NULL;
	struct sc_config c;
	struct sc_rule r;
	bool help = false;
	int i, s, n = 0, ret = EXIT_USAGE;
	char what[32], m[16];

	if (!w)
		return EXIT_FAILURE;
	while ((i = cli_next(argc, argv, "+:jph", cli_json_opts,
			     &word)) != -1) {
		if (i == '?')
			goto out;
		json |= i == 'j' || i == 'p';
		print_pretty |= i == 'p';
		help |= i == 'h';
		if (!i)
			w[n++] = word;
		/* "mark -1": a value, even if it looks like an option. */
		cli_value_next = !i && !strcmp(word, "mark");
	}
	if (!n)
		w[n++] = "list";
	for (s = 0; s < (int)ARRAY_SIZE(subs) && strcmp(w[0], subs[s]); s++)
		;
	/* -h with an unknown subcommand: that error. */
	if (help && s < (int)ARRAY_SIZE(subs)) {
		cli_usage("rule");
		ret = EXIT_SUCCESS;
		goto out;
	}
	if (!cli_rule_args(w, n, &r))
		goto out;
	snprintf(what, sizeof(what), "rule %s", subs[s]);
	ret = EXIT_FAILURE;
	h = cli_open(what);
	if (!h)
		goto out;
	if (s == 2)
		i = sc_rule_add(h, &r);
	else if (s == 3)
		i = sc_rule_del(h, &r);
	else if (s == 4)
		i = sc_rule_flush(h);
	else
		i = sc_config_get(h, &c, true);
	if (i == -EEXIST && s == 2)
		add_refused(h, &r);
	else if (i == -ENOENT && s == 3)
		cli_err("rule del %s: no such rule", cli_match_str(&r, m));
	else if (i)
		cli_fail(h, what, i);
	if (i)
		goto out;
	ret = EXIT_SUCCESS;
	if (s > 1)
		goto out;
	print_start(stdout, json);
	open_json_object(NULL);
	print_bool(PRINT_JSON, "dry_run", NULL, c.val[SC_DRY_RUN]);
	open_json_array("rules");
	for (i = 0; i < (int)c.nrules; i++)
		rule_print(&c.rules[i]);
	close_json_array();
	close_json_object();
	print_end();
	free(c.rules);
out:
	sc_close(h);
	free(w);
	return ret;
}
