// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl stats --reasons": the reason phrases sent with each code,
 * the most frequent first, from a SIPCODE_CMD_REASON_GET dump. A phrase
 * is whatever bytes a peer sent: printed quoted and escaped in the
 * table, as a JSON string in JSON. The table is off until "config
 * reasons on": the kernel answers -ENODATA then.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sipcode.h>
#include <netlink/genl/genl.h>

#include "cli.h"
#include "json.h"
#include "match.h"
#include "nl.h"
#include "phrase.h"
#include "reason.h"

struct reason {
	unsigned int code;
	uint64_t count;
	size_t len;
	unsigned char phrase[SIPCODE_REASON_MAX];
};

/* A dump, in the kernel's order, the codes @filter matches only. */
struct reasons {
	struct reason *r;
	size_t n, size;
	const struct match *filter;
};

static const struct nla_policy reasons_policy[SIPCODE_A_MAX + 1] = {
	[SIPCODE_A_REASON]	= { .type = NLA_NESTED },
};

static const struct nla_policy reason_policy[SIPCODE_REASON_A_MAX + 1] = {
	[SIPCODE_REASON_A_CODE]		= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_REASON_A_PHRASE]	= { .type = NLA_UNSPEC },
	[SIPCODE_REASON_A_COUNT]	= { .type = NLA_U64, .maxlen = 8 },
};

static int parse_reason(struct nlattr *nest, struct reason *r)
{
	struct nlattr *tb[SIPCODE_REASON_A_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, SIPCODE_REASON_A_MAX, nest, reason_policy);
	if (ret < 0)
		return ret;
	if (!tb[SIPCODE_REASON_A_CODE] || !tb[SIPCODE_REASON_A_PHRASE] ||
	    !tb[SIPCODE_REASON_A_COUNT])
		return -NLE_MISSING_ATTR;
	r->code = nla_get_u32(tb[SIPCODE_REASON_A_CODE]);
	if (r->code < SIPCODE_CODE_MIN || r->code > SIPCODE_CODE_MAX)
		return -NLE_RANGE;
	r->len = nla_len(tb[SIPCODE_REASON_A_PHRASE]);
	if (r->len > SIPCODE_REASON_MAX)
		return -NLE_RANGE;
	memcpy(r->phrase, nla_data(tb[SIPCODE_REASON_A_PHRASE]), r->len);
	r->count = nla_get_u64(tb[SIPCODE_REASON_A_COUNT]);
	return 0;
}

/* Appends the SIPCODE_A_REASON nest @nest, when its code is wanted. */
static int reason_nest(struct nlattr *nest, void *arg)
{
	struct reasons *l = arg;
	struct reason r, *p;
	int ret;

	ret = parse_reason(nest, &r);
	if (ret < 0)
		return ret;
	if (l->filter && !match_has(l->filter, r.code))
		return 0;
	p = sipnl_append(l->r, &l->n, &l->size, &r, sizeof(r));
	if (!p)
		return -NLE_NOMEM;
	l->r = p;
	return 0;
}

/* One message of the dump: the reason nests are repeated attributes. */
static int reasons_reply(struct nlmsghdr *nlh, void *arg)
{
	return sipnl_nests(nlh, reasons_policy, SIPCODE_A_REASON,
			   reason_nest, arg);
}

static bool reasons_refused(int err, const char *ext, void *arg)
{
	(void)ext;
	(void)arg;
	if (err == -EPERM) {
		cli_err("stats --reasons: reason phrases are bytes of the traffic: reading them needs CAP_NET_ADMIN");
		return true;
	}
	if (err != -ENODATA)
		return false;
	cli_err("reason phrases are off: sipcodectl config reasons on");
	return true;
}

static void print_table(const struct reasons *l)
{
	int wn = strlen("COUNT");
	size_t i;

	for (i = 0; i < l->n; i++)
		wn = cli_width(l->r[i].count, wn);
	printf("%-4s  %*s  %s\n", "CODE", wn, "COUNT", "PHRASE");
	for (i = 0; i < l->n; i++) {
		printf("%-4u  %*" PRIu64 "  ", l->r[i].code, wn,
		       l->r[i].count);
		phrase_print(stdout, l->r[i].phrase, l->r[i].len);
		putchar('\n');
	}
}

static void print_json(const struct reasons *l)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_arr_begin(&j, "reasons");
	for (i = 0; i < l->n; i++) {
		json_obj_begin(&j, NULL);
		json_u64(&j, "code", l->r[i].code);
		json_bytes(&j, "phrase", l->r[i].phrase, l->r[i].len);
		json_u64(&j, "count", l->r[i].count);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static void reasons_restart(void *arg)
{
	((struct reasons *)arg)->n = 0;
}

int reasons_show(const struct match *filter, bool json)
{
	struct reasons l = { .filter = filter };
	const struct sipnl_req req = {
		.what = "stats --reasons",
		.cmd = SIPCODE_CMD_REASON_GET,
		.flags = NLM_F_DUMP,
		.reply = reasons_reply,
		.refused = reasons_refused,
		.restart = reasons_restart,
		.arg = &l,
	};
	int ret = EXIT_FAILURE;

	if (sipnl_run(&req) == 0) {
		if (json)
			print_json(&l);
		else
			print_table(&l);
		ret = EXIT_SUCCESS;
	}
	free(l.r);
	return ret;
}
