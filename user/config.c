// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl dry-run": show whether the rules of the namespace only
 * count what they would drop or mark (SIPCODE_CMD_CONFIG_GET), or turn
 * that mode on or off (SIPCODE_CMD_CONFIG_SET).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sipcode.h>
#include <netlink/genl/genl.h>

#include "cli.h"
#include "config.h"
#include "json.h"
#include "nl.h"

struct config {
	bool dry_run;
	bool reply;	/* SIPCODE_A_DRY_RUN came from the kernel */
};

static const struct nla_policy config_policy[SIPCODE_A_MAX + 1] = {
	[SIPCODE_A_DRY_RUN]	= { .type = NLA_U8, .maxlen = 1 },
};

static int config_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[SIPCODE_A_MAX + 1];
	struct config *c = arg;
	int ret;

	ret = genlmsg_parse(nlh, 0, tb, SIPCODE_A_MAX, config_policy);
	if (ret < 0)
		return ret;
	if (!tb[SIPCODE_A_DRY_RUN])
		return 0;
	if (nla_get_u8(tb[SIPCODE_A_DRY_RUN]) > 1)
		return -NLE_RANGE;
	c->dry_run = nla_get_u8(tb[SIPCODE_A_DRY_RUN]);
	c->reply = true;
	return 0;
}

int config_dry_run(const char *what, bool *on)
{
	struct config c = { 0 };
	const struct sipnl_req req = {
		.what = what,
		.cmd = SIPCODE_CMD_CONFIG_GET,
		.reply = config_reply,
		.arg = &c,
	};

	if (sipnl_run(&req) < 0)
		return -1;
	if (!c.reply) {
		cli_err("%s: bad reply from the kernel: no dry-run state", what);
		return -1;
	}
	*on = c.dry_run;
	return 0;
}

static int config_fill(struct nl_msg *msg, void *arg)
{
	const struct config *c = arg;

	return nla_put_u8(msg, SIPCODE_A_DRY_RUN, c->dry_run);
}

static int dryrun_show(bool json)
{
	struct json j;
	bool on;

	if (config_dry_run("dry-run", &on) < 0)
		return EXIT_FAILURE;
	if (json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_bool(&j, "dry_run", on);
		json_obj_end(&j);
		json_finish(&j);
	} else {
		puts(on ? "on" : "off");
	}
	return EXIT_SUCCESS;
}

static int dryrun_set(bool on)
{
	struct config c = { .dry_run = on };
	const struct sipnl_req req = {
		.what = on ? "dry-run on" : "dry-run off",
		.cmd = SIPCODE_CMD_CONFIG_SET,
		.fill = config_fill,
		.arg = &c,
	};

	return sipnl_run(&req) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

static void usage(void)
{
	puts("Usage: sipcodectl dry-run [-j|--json]\n"
	     "       sipcodectl dry-run on|off\n"
	     "Without an argument, print \"on\" when the rules of this network\n"
	     "namespace are in dry-run mode, else \"off\". In dry-run mode no\n"
	     "rule drops or marks a response, but the DROPPED and MARKED\n"
	     "counters count what the rules would have done. \"on\" and \"off\"\n"
	     "turn the mode on and off; they need CAP_NET_ADMIN.\n"
	     "  -j, --json   print {\"dry_run\":true} or {\"dry_run\":false}\n"
	     "  -h, --help   print this help");
}

/* dryrun_main(), or with @check, dryrun_check(). */
static int dryrun_run(int argc, char **argv, bool json, bool check)
{
	const char *state = NULL;
	int i;

	if (cli_help(argc, argv)) {
		usage();
		return EXIT_SUCCESS;
	}
	for (i = 0; i < argc; i++) {
		if (cli_opt(argv[i], "-j", "--json")) {
			json = true;
		} else if (argv[i][0] == '-') {
			cli_err("dry-run: unexpected option \"%s\"", argv[i]);
			return EXIT_USAGE;
		} else if (state) {
			cli_err("dry-run: unexpected argument \"%s\"", argv[i]);
			return EXIT_USAGE;
		} else if (!strcmp(argv[i], "on") || !strcmp(argv[i], "off")) {
			state = argv[i];
		} else {
			cli_err("dry-run: invalid argument \"%s\": on or off",
				argv[i]);
			return EXIT_USAGE;
		}
	}
	if (check)
		return EXIT_SUCCESS;
	if (!state)
		return dryrun_show(json);
	return dryrun_set(!strcmp(state, "on"));
}

int dryrun_main(int argc, char **argv, bool json)
{
	return dryrun_run(argc, argv, json, false);
}

int dryrun_check(int argc, char **argv)
{
	return dryrun_run(argc, argv, false, true);
}
