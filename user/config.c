// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl config": show the settings of the namespace
 * (SIPCODE_CMD_CONFIG_GET) or change some of them in one request
 * (SIPCODE_CMD_CONFIG_SET): the dry-run mode, the per-method and reason
 * phrase tables, and the event rate. "sipcodectl dry-run" shows or sets
 * the first alone.
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

/* The settings, in the order they are printed. */
static const struct {
	const char *name;	/* on the command line: "by-method" */
	const char *key;	/* in JSON: "by_method" */
	int attr;		/* SIPCODE_A_* */
} keys[CONFIG_NKEYS] = {
	[CONFIG_DRY_RUN]	= { "dry-run", "dry_run", SIPCODE_A_DRY_RUN },
	[CONFIG_BY_METHOD]	= { "by-method", "by_method", SIPCODE_A_BY_METHOD },
	[CONFIG_REASONS]	= { "reasons", "reasons", SIPCODE_A_REASONS },
	[CONFIG_EVENT_RATE]	= { "event-rate", "event_rate", SIPCODE_A_EVENT_RATE },
};

static const struct nla_policy config_policy[SIPCODE_A_MAX + 1] = {
	[SIPCODE_A_DRY_RUN]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_A_BY_METHOD]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_A_REASONS]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_A_EVENT_RATE]	= { .type = NLA_U32, .maxlen = 4 },
};

static bool *config_switch(struct config *c, enum config_key k)
{
	switch (k) {
	case CONFIG_DRY_RUN:
		return &c->dry_run;
	case CONFIG_BY_METHOD:
		return &c->by_method;
	case CONFIG_REASONS:
		return &c->reasons;
	default:
		return NULL;
	}
}

static int config_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[SIPCODE_A_MAX + 1];
	struct config *c = arg;
	struct nlattr *a;
	unsigned int k;
	int ret;

	ret = genlmsg_parse(nlh, 0, tb, SIPCODE_A_MAX, config_policy);
	if (ret < 0)
		return ret;
	for (k = 0; k < CONFIG_NKEYS; k++) {
		a = tb[keys[k].attr];
		if (!a)
			continue;
		if (k == CONFIG_EVENT_RATE) {
			c->event_rate = nla_get_u32(a);
		} else {
			if (nla_get_u32(a) > 1)
				return -NLE_RANGE;
			*config_switch(c, k) = nla_get_u32(a);
		}
		c->have |= 1U << k;
	}
	return 0;
}

int config_read(const char *what, struct config *c)
{
	const struct sipnl_req req = {
		.what = what,
		.cmd = SIPCODE_CMD_CONFIG_GET,
		.reply = config_reply,
		.arg = c,
	};

	memset(c, 0, sizeof(*c));
	if (sipnl_run(&req) < 0)
		return -1;
	if (!(c->have & (1U << CONFIG_DRY_RUN))) {
		cli_err("%s: bad reply from the kernel: no dry-run state", what);
		return -1;
	}
	return 0;
}

int config_dry_run(const char *what, bool *on)
{
	struct config c;

	if (config_read(what, &c) < 0)
		return -1;
	*on = c.dry_run;
	return 0;
}

static int config_fill(struct nl_msg *msg, void *arg)
{
	struct config *c = arg;
	unsigned int k;
	int ret;

	for (k = 0; k < CONFIG_NKEYS; k++) {
		if (!(c->have & (1U << k)))
			continue;
		if (k == CONFIG_EVENT_RATE)
			ret = nla_put_u32(msg, keys[k].attr, c->event_rate);
		else
			ret = nla_put_u32(msg, keys[k].attr,
					  *config_switch(c, k));
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int config_set(const char *what, struct config *c)
{
	const struct sipnl_req req = {
		.what = what,
		.cmd = SIPCODE_CMD_CONFIG_SET,
		.fill = config_fill,
		.arg = c,
	};

	return sipnl_run(&req) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int config_show(bool json)
{
	struct config c;
	struct json j;
	unsigned int k;

	if (config_read("config", &c) < 0)
		return EXIT_FAILURE;
	if (json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
	}
	for (k = 0; k < CONFIG_NKEYS; k++) {
		if (!(c.have & (1U << k)))
			continue;
		if (k == CONFIG_EVENT_RATE && json)
			json_u64(&j, keys[k].key, c.event_rate);
		else if (k == CONFIG_EVENT_RATE)
			printf("%s %u\n", keys[k].name, c.event_rate);
		else if (json)
			json_bool(&j, keys[k].key, *config_switch(&c, k));
		else
			printf("%s %s\n", keys[k].name,
			       *config_switch(&c, k) ? "on" : "off");
	}
	if (json) {
		json_obj_end(&j);
		json_finish(&j);
	}
	return EXIT_SUCCESS;
}

/* An event rate: decimal digits, SIPCODE_EVENT_RATE_MIN to _MAX. */
static bool parse_rate(const char *s, uint32_t *rate)
{
	unsigned long v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9' && v <= SIPCODE_EVENT_RATE_MAX; p++)
		v = v * 10 + (*p - '0');
	if (*p || p == s || v < SIPCODE_EVENT_RATE_MIN ||
	    v > SIPCODE_EVENT_RATE_MAX)
		return false;
	*rate = v;
	return true;
}

/*
 * "KEY VALUE" into @c, @value NULL when the pair lacks it; false after
 * an error line.
 */
static bool parse_pair(const char *key, const char *value, struct config *c)
{
	unsigned int k;

	for (k = 0; k < CONFIG_NKEYS; k++)
		if (!strcmp(key, keys[k].name))
			break;
	if (k == CONFIG_NKEYS) {
		cli_err("config: unknown setting \"%s\": dry-run, by-method, reasons or event-rate",
			key);
		return false;
	}
	if (c->have & (1U << k)) {
		cli_err("config: %s given twice", key);
		return false;
	}
	c->have |= 1U << k;
	if (k == CONFIG_EVENT_RATE) {
		if (value && parse_rate(value, &c->event_rate))
			return true;
		if (value)
			cli_err("config: invalid event-rate \"%s\": %d to %d events a second",
				value, SIPCODE_EVENT_RATE_MIN,
				SIPCODE_EVENT_RATE_MAX);
		else
			cli_err("config: event-rate needs a value: %d to %d events a second",
				SIPCODE_EVENT_RATE_MIN, SIPCODE_EVENT_RATE_MAX);
		return false;
	}
	if (value && (!strcmp(value, "on") || !strcmp(value, "off"))) {
		*config_switch(c, k) = !strcmp(value, "on");
		return true;
	}
	if (value)
		cli_err("config: invalid %s \"%s\": on or off", key, value);
	else
		cli_err("config: %s needs a value: on or off", key);
	return false;
}

static void usage_config(void)
{
	printf("Usage: sipcodectl config [-j|--json]\n"
	       "       sipcodectl config KEY VALUE [KEY VALUE...]\n"
	       "Without an argument, print the settings of this network\n"
	       "namespace, one \"KEY VALUE\" a line. With arguments, change the\n"
	       "settings given, all in one request; this needs CAP_NET_ADMIN.\n"
	       "  dry-run on|off     rules only count what they would drop or mark\n"
	       "  by-method on|off   count responses per code and CSeq method\n"
	       "                     (sipcodectl stats --by-method)\n"
	       "  reasons on|off     keep the %d most frequent reason phrases of\n"
	       "                     each code (sipcodectl stats --reasons)\n"
	       "  event-rate N       events a second that notify rules may send,\n"
	       "                     %d to %d (default %d)\n"
	       "Switching a table on allocates it; switching it off frees it and\n"
	       "its counts.\n"
	       "  -j, --json   print {\"dry_run\":false,\"by_method\":false,...}\n"
	       "  -h, --help   print this help\n",
	       SIPCODE_REASONS_PER_CODE, SIPCODE_EVENT_RATE_MIN,
	       SIPCODE_EVENT_RATE_MAX, SIPCODE_EVENT_RATE_DEFAULT);
}

/* config_main(), or with @check, config_check(). */
static int config_run(int argc, char **argv, bool json, bool check)
{
	struct config c = { 0 };
	const char **words;
	int i, n = 0, ret = EXIT_USAGE;

	if (cli_help(argc, argv)) {
		usage_config();
		return EXIT_SUCCESS;
	}
	words = calloc(argc + 1, sizeof(*words));
	if (!words) {
		cli_err("config: out of memory");
		return EXIT_FAILURE;
	}
	for (i = 0; i < argc; i++) {
		if (cli_opt(argv[i], "-j", "--json")) {
			json = true;
		} else if (argv[i][0] == '-' && !(n % 2)) {
			cli_err("config: unexpected option \"%s\"", argv[i]);
			goto out;
		} else {
			words[n++] = argv[i];
		}
	}
	for (i = 0; i < n; i += 2)
		if (!parse_pair(words[i], words[i + 1], &c))
			goto out;
	if (check)
		ret = EXIT_SUCCESS;
	else if (!n)
		ret = config_show(json);
	else
		ret = config_set("config", &c);
out:
	free(words);
	return ret;
}

int config_main(int argc, char **argv, bool json)
{
	return config_run(argc, argv, json, false);
}

int config_check(int argc, char **argv)
{
	return config_run(argc, argv, false, true);
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
	struct config c = {
		.dry_run = on,
		.have = 1U << CONFIG_DRY_RUN,
	};

	return config_set(on ? "dry-run on" : "dry-run off", &c);
}

static void usage_dryrun(void)
{
	puts("Usage: sipcodectl dry-run [-j|--json]\n"
	     "       sipcodectl dry-run on|off\n"
	     "Without an argument, print \"on\" when the rules of this network\n"
	     "namespace are in dry-run mode, else \"off\". In dry-run mode no\n"
	     "rule drops or marks a response, but the DROPPED and MARKED\n"
	     "counters count what the rules would have done. \"on\" and \"off\"\n"
	     "turn the mode on and off; they need CAP_NET_ADMIN. The same as\n"
	     "sipcodectl config dry-run on|off.\n"
	     "  -j, --json   print {\"dry_run\":true} or {\"dry_run\":false}\n"
	     "  -h, --help   print this help");
}

/* dryrun_main(), or with @check, dryrun_check(). */
static int dryrun_run(int argc, char **argv, bool json, bool check)
{
	const char *state = NULL;
	int i;

	if (cli_help(argc, argv)) {
		usage_dryrun();
		return EXIT_SUCCESS;
	}
	for (i = 0; i < argc; i++) {
		if (cli_opt(argv[i], "-j", "--json")) {
			json = true;
		} else if (argv[i][0] == '-' || state) {
			cli_unexpected("dry-run", argv[i]);
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
