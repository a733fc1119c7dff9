// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl ports", "dry-run", "config" and "rule": the configuration
 * of the namespace (the ports inspected, the settings, and the rules that
 * count, drop or mark the responses of a code, a range or a class),
 * printed, or changed in one request. cli_change() parses them, as it
 * parses the lines of a restore file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "print.h"

/* "rule add" refused with EEXIST: the rule in the way, dumped now. */
static void add_refused(struct sc_handle *h, const struct sc_rule *r)
{
	const struct sc_rule *o = NULL;
	struct sc_config c;
	char m[CLI_RULE_LEN], n[CLI_RULE_LEN];

	cli_rule_str(r, m);
	if (!sc_config_get(h, &c, SC_GET_RULES))
		o = cli_clash(&c, r, true);
	if (o && (o->low != r->low || o->high != r->high))
		cli_err("rule add %s: overlaps range %s", m,
			cli_rule_str(o, n));
	else
		cli_err("rule add %s: a rule for %s exists (rule del first)",
			m, m);
	sc_config_free(&c);
}

/*
 * A refusal of "rule add" or "rule del" @ch said in its words: true, or
 * false when the kernel's message says it better.
 */
static bool rule_refused(struct sc_handle *h, const struct cli_change *ch,
			 int err)
{
	bool add = ch->cmd == SIPCODE_CMD_RULE_ADD;
	char m[CLI_RULE_LEN];

	cli_rule_str(&ch->r, m);
	if (add && err == -EEXIST)
		add_refused(h, &ch->r);
	else if (add && err == -ENOENT && ch->r.peer[0])
		cli_err("rule add %s: no peer named %s", m, ch->r.peer);
	else if (add && err == -ENOSPC && ch->r.peer[0])
		cli_err("rule add %s: too many peers with rules: at most %d",
			m, SIPCODE_RULE_PEERS_MAX);
	else if (ch->cmd == SIPCODE_CMD_RULE_DEL && err == -ENOENT)
		cli_err("rule del %s: no such rule", m);
	else
		return false;
	return true;
}

/* What "ports", "dry-run", "config" or "rule list" (@cmd) prints of @c. */
static void show(const char *cmd, const struct sc_config *c, bool json)
{
	unsigned int i;

	print_start(stdout, json);
	open_json_object(NULL);
	if (!strcmp(cmd, "ports")) {
		open_json_array("ports");
		for (i = 0; i < c->nports; i++)
			print_uint(PRINT_ANY, NULL, i ? " %" PRIu64 : "%" PRIu64,
				   c->ports[i]);
		close_json_array();
		print_fp("\n");
	} else if (!strcmp(cmd, "rule")) {
		print_bool(PRINT_JSON, "dry_run", NULL, c->val[SC_DRY_RUN]);
		open_json_array("rules");
		for (i = 0; i < c->nrules; i++)
			rule_print(&c->rules[i]);
		close_json_array();
	} else if (!strcmp(cmd, "dry-run")) {
		print_bool(PRINT_ANY, "dry_run", "%s\n", c->val[SC_DRY_RUN]);
	}
	for (i = 0; i < SC_NKEYS && !strcmp(cmd, "config"); i++) {
		if (!(c->have & (1U << i)))
			continue;
		print_fp("%s ", sc_keys[i].text);
		if (sc_key_number(i))
			print_uint(PRINT_ANY, sc_keys[i].key, "%" PRIu64 "\n",
				   c->val[i]);
		else
			print_bool(PRINT_ANY, sc_keys[i].key, "%s\n",
				   c->val[i]);
	}
	close_json_object();
	print_end();
}

int config_main(int argc, char **argv, bool json)
{
	const char **w = calloc(argc + 1, sizeof(*w));
	struct sc_config c = { .rules = NULL };
	struct sc_handle *h = NULL;
	struct cli_change ch;
	int n, err, ret = EXIT_USAGE;
	bool help = false;

	if (!w)
		return EXIT_FAILURE;
	n = cli_words(argc, argv, w, &json, &help);
	if (n < 0 || !cli_change(w, n, help, &ch))
		goto out;
	ret = help ? EXIT_HELP : EXIT_FAILURE;
	h = help ? NULL : cli_open(ch.what);
	if (!h)
		goto out;
	if (ch.ports_op == 'a' || ch.ports_op == 'd') {
		/* The ports now, and this change to them. */
		err = sc_config_get(h, &c, 0);
		if (!err && !cli_ports_apply(&ch, &c))
			goto out;
		if (!err)
			err = sc_change(h, ch.cmd, &c, NULL);
	} else if (ch.cmd) {
		err = sc_change(h, ch.cmd, &ch.c, &ch.r);
	} else {
		err = sc_config_get(h, &c, !strcmp(w[0], "rule") ?
				    SC_GET_RULES : 0);
	}
	if (err && !rule_refused(h, &ch, err))
		cli_fail(h, ch.what, err);
	else if (!ch.cmd)
		show(w[0], &c, json);
	ret = err ? EXIT_FAILURE : EXIT_SUCCESS;
out:
	sc_close(h);
	sc_config_free(&c);
	free(w);
	return ret;
}
