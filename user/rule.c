// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl rule": add (SIPCODE_CMD_RULE_ADD), delete
 * (SIPCODE_CMD_RULE_DEL), list (SIPCODE_CMD_RULE_GET dump) and flush
 * (SIPCODE_CMD_RULE_FLUSH) the rules that count, drop or mark the SIP
 * responses of a code, a range of codes or a class, and may also send
 * each as an event (SIPCODE_RULE_A_NOTIFY).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sipcode.h>
#include <netlink/genl/genl.h>

#include "cli.h"
#include "config.h"
#include "json.h"
#include "match.h"
#include "nl.h"
#include "rule.h"

#define CLASS_MIN	(SIPCODE_CODE_MIN / 100)
#define CLASS_MAX	(SIPCODE_CODE_MAX / 100)
#define MASK_ALL	0xffffffffU

struct rule {
	struct match m;
	uint8_t action;		/* SIPCODE_ACTION_* */
	uint32_t mark, mask;	/* SIPCODE_ACTION_MARK */
	bool notify;		/* also send an event */
};

/* The rules of a dump, in the kernel's order. */
struct rules {
	struct rule *r;
	size_t n, size;
};

static const char *const type_names[] = {
	[MATCH_CODE]	= "code",
	[MATCH_RANGE]	= "range",
	[MATCH_CLASS]	= "class",
};

static const char *const action_names[SIPCODE_ACTION_MAX + 1] = {
	[SIPCODE_ACTION_COUNT]	= "count",
	[SIPCODE_ACTION_DROP]	= "drop",
	[SIPCODE_ACTION_MARK]	= "mark",
};

static const struct nla_policy rules_policy[SIPCODE_A_MAX + 1] = {
	[SIPCODE_A_RULE]	= { .type = NLA_NESTED },
};

static const struct nla_policy rule_policy[SIPCODE_RULE_A_MAX + 1] = {
	[SIPCODE_RULE_A_CODE]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_RULE_A_CLASS]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_RULE_A_LOW]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_RULE_A_HIGH]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_RULE_A_ACTION]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_RULE_A_MARK]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_RULE_A_MASK]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_RULE_A_NOTIFY]	= { .type = NLA_FLAG },
};

static bool code_ok(unsigned int code)
{
	return code >= SIPCODE_CODE_MIN && code <= SIPCODE_CODE_MAX;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A u32 of @len bytes at @s: decimal digits, or 0x and hex digits. */
static bool parse_u32(const char *s, size_t len, uint32_t *v)
{
	unsigned int base = 10;
	uint64_t n = 0;
	size_t i = 0;
	int d;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return false;
	for (; i < len; i++) {
		d = hex_digit(s[i]);
		if (d < 0 || (unsigned int)d >= base)
			return false;
		n = n * base + d;
		if (n > UINT32_MAX)
			return false;
	}
	*v = n;
	return true;
}

/* "VALUE[/MASK]" of "mark"; false after an error line. */
static bool parse_mark(const char *s, struct rule *r)
{
	size_t len = strcspn(s, "/");

	if (!parse_u32(s, len, &r->mark)) {
		cli_err("invalid mark \"%.*s\": a u32, decimal or 0x hex",
			(int)len, s);
		return false;
	}
	r->mask = MASK_ALL;
	if (s[len] && !parse_u32(s + len + 1, strlen(s + len + 1), &r->mask)) {
		cli_err("invalid mask \"%s\": a u32, decimal or 0x hex",
			s + len + 1);
		return false;
	}
	if (!r->mask) {
		cli_err("mask 0x0: must be non-zero");
		return false;
	}
	if (r->mark & ~r->mask) {
		cli_err("mark 0x%x has bits outside mask 0x%x", r->mark, r->mask);
		return false;
	}
	return true;
}

/*
 * The action in @args (@n words, after the match), count when none,
 * then "notify" or not. False after an error line.
 */
static bool parse_action(char **args, int n, struct rule *r)
{
	int used = 1;

	r->action = SIPCODE_ACTION_COUNT;
	if (n && !strcmp(args[n - 1], "notify")) {
		r->notify = true;
		n--;
	}
	if (!n)
		return true;
	if (!strcmp(args[0], "count")) {
		r->action = SIPCODE_ACTION_COUNT;
	} else if (!strcmp(args[0], "drop")) {
		r->action = SIPCODE_ACTION_DROP;
	} else if (!strcmp(args[0], "mark")) {
		r->action = SIPCODE_ACTION_MARK;
		if (n < 2) {
			cli_err("rule add: mark needs VALUE[/MASK]");
			return false;
		}
		if (!parse_mark(args[1], r))
			return false;
		used = 2;
	} else {
		cli_err("unknown action \"%s\": count, drop or mark VALUE[/MASK], then notify",
			args[0]);
		return false;
	}
	if (n > used) {
		cli_err("rule add: unexpected argument \"%s\"", args[used]);
		return false;
	}
	return true;
}

static int put_match(struct nl_msg *msg, const struct match *m)
{
	int ret;

	switch (m->type) {
	case MATCH_CODE:
		return nla_put_u32(msg, SIPCODE_RULE_A_CODE, m->low);
	case MATCH_RANGE:
		ret = nla_put_u32(msg, SIPCODE_RULE_A_LOW, m->low);
		if (ret < 0)
			return ret;
		return nla_put_u32(msg, SIPCODE_RULE_A_HIGH, m->high);
	case MATCH_CLASS:
		return nla_put_u32(msg, SIPCODE_RULE_A_CLASS, m->low / 100);
	}
	return -NLE_INVAL;
}

/*
 * SIPCODE_A_RULE with the match of @r, and unless @del, its action and
 * whether it notifies.
 */
static int rule_fill(struct nl_msg *msg, const struct rule *r, bool del)
{
	struct nlattr *nest;
	int ret;

	nest = nla_nest_start(msg, SIPCODE_A_RULE | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	ret = put_match(msg, &r->m);
	if (ret < 0 || del)
		goto out;
	if (r->notify) {
		ret = nla_put_flag(msg, SIPCODE_RULE_A_NOTIFY);
		if (ret < 0)
			goto out;
	}
	ret = nla_put_u32(msg, SIPCODE_RULE_A_ACTION, r->action);
	if (ret < 0 || r->action != SIPCODE_ACTION_MARK)
		goto out;
	ret = nla_put_u32(msg, SIPCODE_RULE_A_MARK, r->mark);
	if (ret < 0)
		goto out;
	ret = nla_put_u32(msg, SIPCODE_RULE_A_MASK, r->mask);
out:
	if (ret < 0)
		return ret;
	return nla_nest_end(msg, nest);
}

static int add_fill(struct nl_msg *msg, void *arg)
{
	return rule_fill(msg, arg, false);
}

static int del_fill(struct nl_msg *msg, void *arg)
{
	return rule_fill(msg, arg, true);
}

/* One SIPCODE_A_RULE nest of a dump into @r; 0 or a negative NLE_*. */
static int parse_rule(struct nlattr *nest, struct rule *r)
{
	struct nlattr *tb[SIPCODE_RULE_A_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, SIPCODE_RULE_A_MAX, nest, rule_policy);
	if (ret < 0)
		return ret;
	memset(r, 0, sizeof(*r));
	if (!!tb[SIPCODE_RULE_A_CODE] + !!tb[SIPCODE_RULE_A_CLASS] +
	    !!(tb[SIPCODE_RULE_A_LOW] || tb[SIPCODE_RULE_A_HIGH]) != 1)
		return -NLE_INVAL;
	if (tb[SIPCODE_RULE_A_CODE]) {
		r->m.type = MATCH_CODE;
		r->m.low = nla_get_u32(tb[SIPCODE_RULE_A_CODE]);
		r->m.high = r->m.low;
		if (!code_ok(r->m.low))
			return -NLE_RANGE;
	} else if (tb[SIPCODE_RULE_A_CLASS]) {
		r->m.type = MATCH_CLASS;
		r->m.low = nla_get_u32(tb[SIPCODE_RULE_A_CLASS]);
		if (r->m.low < CLASS_MIN || r->m.low > CLASS_MAX)
			return -NLE_RANGE;
		r->m.low *= 100;
		r->m.high = r->m.low + 99;
	} else {
		if (!tb[SIPCODE_RULE_A_LOW] || !tb[SIPCODE_RULE_A_HIGH])
			return -NLE_MISSING_ATTR;
		r->m.type = MATCH_RANGE;
		r->m.low = nla_get_u32(tb[SIPCODE_RULE_A_LOW]);
		r->m.high = nla_get_u32(tb[SIPCODE_RULE_A_HIGH]);
		if (!code_ok(r->m.low) || !code_ok(r->m.high) ||
		    r->m.low > r->m.high)
			return -NLE_RANGE;
	}
	r->notify = !!tb[SIPCODE_RULE_A_NOTIFY];
	if (!tb[SIPCODE_RULE_A_ACTION])
		return -NLE_MISSING_ATTR;
	r->action = nla_get_u32(tb[SIPCODE_RULE_A_ACTION]);
	if (r->action < SIPCODE_ACTION_COUNT || r->action > SIPCODE_ACTION_MAX)
		return -NLE_RANGE;
	if (r->action != SIPCODE_ACTION_MARK)
		return 0;
	if (!tb[SIPCODE_RULE_A_MARK])
		return -NLE_MISSING_ATTR;
	r->mark = nla_get_u32(tb[SIPCODE_RULE_A_MARK]);
	r->mask = tb[SIPCODE_RULE_A_MASK] ?
		  nla_get_u32(tb[SIPCODE_RULE_A_MASK]) : MASK_ALL;
	return 0;
}

/* Appends the SIPCODE_A_RULE nest @nest to the rules of @arg. */
static int rule_nest(struct nlattr *nest, void *arg)
{
	struct rules *l = arg;
	struct rule r, *p;
	int ret;

	ret = parse_rule(nest, &r);
	if (ret < 0)
		return ret;
	p = sipnl_append(l->r, &l->n, &l->size, &r, sizeof(r));
	if (!p)
		return -NLE_NOMEM;
	l->r = p;
	return 0;
}

/* One message of the dump: the rule nests are repeated attributes. */
static int rules_reply(struct nlmsghdr *nlh, void *arg)
{
	return sipnl_nests(nlh, rules_policy, SIPCODE_A_RULE, rule_nest, arg);
}

static void rules_restart(void *arg)
{
	((struct rules *)arg)->n = 0;
}

/* Dumps the rules into @l; @what names the request in errors. */
static int rules_get(const char *what, struct rules *l)
{
	const struct sipnl_req req = {
		.what = what,
		.cmd = SIPCODE_CMD_RULE_GET,
		.flags = NLM_F_DUMP,
		.reply = rules_reply,
		.restart = rules_restart,
		.arg = l,
	};

	return sipnl_run(&req);
}

/*
 * "rule add" refused with -EEXIST: a rule with the same match exists, or
 * the range overlaps one, which the rules dumped now tell.
 */
static bool add_refused(int err, const char *ext, void *arg)
{
	const struct rule *r = arg, *o;
	struct rules l = { 0 };
	char m[MATCH_LEN];
	bool done = true;
	size_t i;

	(void)ext;
	if (err != -EEXIST)
		return false;
	match_str(&r->m, m, sizeof(m));
	if (r->m.type != MATCH_RANGE) {
		cli_err("rule add %s: a rule for %s exists (rule del first)",
			m, m);
		return true;
	}
	if (rules_get("rule add", &l) < 0)
		goto out;
	for (i = 0; i < l.n; i++) {
		o = &l.r[i];
		if (o->m.type != MATCH_RANGE || o->m.low > r->m.high ||
		    o->m.high < r->m.low)
			continue;
		if (o->m.low == r->m.low && o->m.high == r->m.high)
			cli_err("rule add %s: a rule for %s exists (rule del first)",
				m, m);
		else
			cli_err("rule add %s: overlaps range %u-%u",
				m, o->m.low, o->m.high);
		goto out;
	}
	/* Gone since: the kernel's own message says what it was. */
	done = false;
out:
	free(l.r);
	return done;
}

static bool del_refused(int err, const char *ext, void *arg)
{
	const struct rule *r = arg;
	char m[MATCH_LEN];

	(void)ext;
	if (err != -ENOENT)
		return false;
	cli_err("rule del %s: no such rule", match_str(&r->m, m, sizeof(m)));
	return true;
}

static void print_rule(const struct rule *r)
{
	char m[MATCH_LEN];

	printf("%s %s", match_str(&r->m, m, sizeof(m)),
	       action_names[r->action]);
	if (r->action == SIPCODE_ACTION_MARK)
		printf(" 0x%x/0x%x", r->mark, r->mask);
	if (r->notify)
		fputs(" notify", stdout);
	putchar('\n');
}

static void print_rule_json(struct json *j, const struct rule *r)
{
	char m[MATCH_LEN];

	json_obj_begin(j, NULL);
	json_str(j, "match", match_str(&r->m, m, sizeof(m)));
	json_str(j, "type", type_names[r->m.type]);
	switch (r->m.type) {
	case MATCH_CODE:
		json_u64(j, "code", r->m.low);
		break;
	case MATCH_RANGE:
		json_u64(j, "low", r->m.low);
		json_u64(j, "high", r->m.high);
		break;
	case MATCH_CLASS:
		json_u64(j, "class", r->m.low / 100);
		break;
	}
	json_str(j, "action", action_names[r->action]);
	if (r->action == SIPCODE_ACTION_MARK) {
		json_u64(j, "mark", r->mark);
		json_u64(j, "mask", r->mask);
	}
	json_bool(j, "notify", r->notify);
	json_obj_end(j);
}

static int rule_list(bool json)
{
	struct rules l = { 0 };
	bool dry_run = false;
	struct json j;
	size_t i;
	int ret = EXIT_FAILURE;

	if (rules_get("rule list", &l) < 0)
		goto out;
	if (json && config_dry_run("rule list", &dry_run) < 0)
		goto out;
	if (json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_bool(&j, "dry_run", dry_run);
		json_arr_begin(&j, "rules");
		for (i = 0; i < l.n; i++)
			print_rule_json(&j, &l.r[i]);
		json_arr_end(&j);
		json_obj_end(&j);
		json_finish(&j);
	} else {
		for (i = 0; i < l.n; i++)
			print_rule(&l.r[i]);
	}
	ret = EXIT_SUCCESS;
out:
	free(l.r);
	return ret;
}

/* Tells @chk what the rule command checked would do. */
static int checked(struct rule_check *chk, const char *sub,
		   const struct rule *r)
{
	memset(chk, 0, sizeof(*chk));
	chk->sub = sub;
	if (!r)
		return EXIT_SUCCESS;
	match_str(&r->m, chk->match, sizeof(chk->match));
	chk->range = r->m.type == MATCH_RANGE;
	chk->low = r->m.low;
	chk->high = r->m.high;
	return EXIT_SUCCESS;
}

static int rule_add(char **args, int n, struct rule_check *chk)
{
	struct rule r = { 0 };
	struct sipnl_req req = {
		.what = "rule add",
		.cmd = SIPCODE_CMD_RULE_ADD,
		.fill = add_fill,
		.refused = add_refused,
		.arg = &r,
	};

	if (!n) {
		cli_err("rule add: no match given");
		return EXIT_USAGE;
	}
	if (!match_parse(NULL, args[0], &r.m) ||
	    !parse_action(args + 1, n - 1, &r))
		return EXIT_USAGE;
	if (chk)
		return checked(chk, "add", &r);
	return sipnl_run(&req) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int rule_del(char **args, int n, struct rule_check *chk)
{
	struct rule r = { 0 };
	struct sipnl_req req = {
		.what = "rule del",
		.cmd = SIPCODE_CMD_RULE_DEL,
		.fill = del_fill,
		.refused = del_refused,
		.arg = &r,
	};

	if (!n) {
		cli_err("rule del: no match given");
		return EXIT_USAGE;
	}
	if (!match_parse(NULL, args[0], &r.m))
		return EXIT_USAGE;
	if (n > 1) {
		cli_err("rule del: unexpected argument \"%s\"", args[1]);
		return EXIT_USAGE;
	}
	if (chk)
		return checked(chk, "del", &r);
	return sipnl_run(&req) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int rule_flush(void)
{
	const struct sipnl_req req = {
		.what = "rule flush",
		.cmd = SIPCODE_CMD_RULE_FLUSH,
	};

	return sipnl_run(&req) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

static void usage_list(void)
{
	puts("Usage: sipcodectl rule [list|show] [-j|--json]\n"
	     "       sipcodectl rule add MATCH [count|drop|mark VALUE[/MASK]] [notify]\n"
	     "       sipcodectl rule del MATCH\n"
	     "       sipcodectl rule flush\n"
	     "Print the rules of this network namespace, one a line as\n"
	     "\"rule add\" takes them: the codes, then the ranges, then the\n"
	     "classes, each ascending.\n"
	     "  -j, --json   print one JSON object (see sipcodectl(8))\n"
	     "  -h, --help   print this help");
}

static void usage_add(void)
{
	puts("Usage: sipcodectl rule add MATCH [ACTION] [notify]\n"
	     "Add a rule to this network namespace for the SIP responses MATCH\n"
	     "selects: a code (503), a class (5xx or 5XX) or a range (480-489)\n"
	     "of codes 100-699. Ranges may not overlap. For a response, the\n"
	     "most specific rule wins: its code, else its range, else its\n"
	     "class. Every response is counted whatever the rule.\n"
	     "Needs CAP_NET_ADMIN. ACTION is one of:\n"
	     "  count               count only (the default): an exception to\n"
	     "                      a wider rule\n"
	     "  drop                drop the packet\n"
	     "  mark VALUE[/MASK]   set the packet mark to (mark & ~MASK) | VALUE;\n"
	     "                      decimal or 0x hex, MASK non-zero and\n"
	     "                      0xffffffff by default, VALUE within MASK\n"
	     "notify, after the action or alone (then the action is count),\n"
	     "also sends each response the rule matches as an event to the\n"
	     "listeners of sipcodectl monitor, at most event-rate a second\n"
	     "(see sipcodectl config).\n"
	     "  -h, --help   print this help");
}

static void usage_del(void)
{
	puts("Usage: sipcodectl rule del MATCH\n"
	     "Delete the rule whose match is MATCH (503, 5xx or 480-489) from\n"
	     "this network namespace. Needs CAP_NET_ADMIN.\n"
	     "  -h, --help   print this help");
}

static void usage_flush(void)
{
	puts("Usage: sipcodectl rule flush\n"
	     "Delete every rule of this network namespace.\n"
	     "Needs CAP_NET_ADMIN.\n"
	     "  -h, --help   print this help");
}

static const struct {
	const char *name;
	void (*usage)(void);
} subs[] = {
	{ "list", usage_list },
	{ "show", usage_list },
	{ "add", usage_add },
	{ "del", usage_del },
	{ "flush", usage_flush },
};

/* rule_main(), or with @chk, rule_check(). */
static int rule_run(int argc, char **argv, bool json, struct rule_check *chk)
{
	int w = cli_word(argc, argv);
	const char *sub = w < argc ? argv[w] : "list";
	char **args;
	size_t s;
	int i, n = 0, ret;

	for (s = 0; s < ARRAY_SIZE(subs); s++)
		if (!strcmp(sub, subs[s].name))
			break;
	if (s == ARRAY_SIZE(subs)) {
		cli_err("rule: unknown subcommand \"%s\"", sub);
		return EXIT_USAGE;
	}
	if (cli_help(argc, argv)) {
		subs[s].usage();
		return EXIT_SUCCESS;
	}
	/* The words after the subcommand, options aside. */
	args = calloc(argc + 1, sizeof(*args));
	if (!args) {
		cli_err("rule: %s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	ret = EXIT_USAGE;
	for (i = 0; i < argc; i++) {
		if (i == w)
			continue;
		if (cli_opt(argv[i], "-j", "--json")) {
			json = true;
		} else if (argv[i][0] == '-') {
			cli_err("rule %s: unexpected option \"%s\"",
				sub, argv[i]);
			goto out;
		} else {
			args[n++] = argv[i];
		}
	}
	if (!strcmp(sub, "add"))
		ret = rule_add(args, n, chk);
	else if (!strcmp(sub, "del"))
		ret = rule_del(args, n, chk);
	else if (n)
		cli_err("rule %s: unexpected argument \"%s\"", sub, args[0]);
	else if (chk)
		ret = checked(chk, subs[s].name, NULL);
	else if (!strcmp(sub, "flush"))
		ret = rule_flush();
	else
		ret = rule_list(json);
out:
	free(args);
	return ret;
}

int rule_main(int argc, char **argv, bool json)
{
	return rule_run(argc, argv, json, NULL);
}

int rule_check(int argc, char **argv, struct rule_check *chk)
{
	return rule_run(argc, argv, false, chk);
}
