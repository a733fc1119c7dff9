// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl stats --by-method": the responses counted per code and
 * CSeq method, from a SIPCODE_CMD_METHOD_GET dump, as a table or JSON.
 * The table is off until "config by-method on": the kernel answers
 * -ENODATA then.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sipcode.h>
#include <netlink/genl/genl.h>

#include "cli.h"
#include "json.h"
#include "match.h"
#include "method.h"
#include "nl.h"

static const char *const method_names[SIPCODE_NMETHODS] = {
	[SIPCODE_METHOD_OTHER]		= "other",
	[SIPCODE_METHOD_INVITE]		= "INVITE",
	[SIPCODE_METHOD_REGISTER]	= "REGISTER",
	[SIPCODE_METHOD_OPTIONS]	= "OPTIONS",
	[SIPCODE_METHOD_BYE]		= "BYE",
	[SIPCODE_METHOD_CANCEL]		= "CANCEL",
	[SIPCODE_METHOD_ACK]		= "ACK",
	[SIPCODE_METHOD_PRACK]		= "PRACK",
	[SIPCODE_METHOD_SUBSCRIBE]	= "SUBSCRIBE",
	[SIPCODE_METHOD_NOTIFY]		= "NOTIFY",
	[SIPCODE_METHOD_PUBLISH]	= "PUBLISH",
	[SIPCODE_METHOD_INFO]		= "INFO",
	[SIPCODE_METHOD_REFER]		= "REFER",
	[SIPCODE_METHOD_MESSAGE]	= "MESSAGE",
	[SIPCODE_METHOD_UPDATE]		= "UPDATE",
};

/* What methods_read() hands the nl layer. */
struct methods_req {
	struct methods *l;
	bool quiet;
	bool off;	/* the kernel answered -ENODATA */
};

static const struct nla_policy methods_policy[SIPCODE_A_MAX + 1] = {
	[SIPCODE_A_METHOD]	= { .type = NLA_NESTED },
};

static const struct nla_policy method_policy[SIPCODE_METHOD_A_MAX + 1] = {
	[SIPCODE_METHOD_A_CODE]		= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_METHOD_A_METHOD]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_METHOD_A_COUNT]	= { .type = NLA_U64, .maxlen = 8 },
};

const char *method_name(unsigned int method, char *buf)
{
	if (method < SIPCODE_NMETHODS && method_names[method])
		return method_names[method];
	snprintf(buf, METHOD_NAME_LEN, "%u", method);
	return buf;
}

static int parse_method(struct nlattr *nest, struct method_count *m)
{
	struct nlattr *tb[SIPCODE_METHOD_A_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, SIPCODE_METHOD_A_MAX, nest, method_policy);
	if (ret < 0)
		return ret;
	if (!tb[SIPCODE_METHOD_A_CODE] || !tb[SIPCODE_METHOD_A_METHOD] ||
	    !tb[SIPCODE_METHOD_A_COUNT])
		return -NLE_MISSING_ATTR;
	m->code = nla_get_u32(tb[SIPCODE_METHOD_A_CODE]);
	if (m->code < SIPCODE_CODE_MIN || m->code > SIPCODE_CODE_MAX)
		return -NLE_RANGE;
	m->method = nla_get_u32(tb[SIPCODE_METHOD_A_METHOD]);
	m->count = nla_get_u64(tb[SIPCODE_METHOD_A_COUNT]);
	return 0;
}

/* Appends the SIPCODE_A_METHOD nest @nest to the list of @arg. */
static int method_nest(struct nlattr *nest, void *arg)
{
	struct methods *l = ((struct methods_req *)arg)->l;
	struct method_count m, *p;
	int ret;

	ret = parse_method(nest, &m);
	if (ret < 0)
		return ret;
	p = sipnl_append(l->m, &l->n, &l->size, &m, sizeof(m));
	if (!p)
		return -NLE_NOMEM;
	l->m = p;
	return 0;
}

/* One message of the dump: the method nests are repeated attributes. */
static int methods_reply(struct nlmsghdr *nlh, void *arg)
{
	return sipnl_nests(nlh, methods_policy, SIPCODE_A_METHOD,
			   method_nest, arg);
}

static bool methods_refused(int err, const char *ext, void *arg)
{
	struct methods_req *mr = arg;

	(void)ext;
	if (err != -ENODATA)
		return false;
	mr->off = true;
	if (!mr->quiet)
		cli_err("per-method counting is off: sipcodectl config by-method on");
	return true;
}

static void methods_restart(void *arg)
{
	((struct methods_req *)arg)->l->n = 0;
}

int methods_read(const char *what, struct methods *l, bool quiet)
{
	struct methods_req mr = { .l = l, .quiet = quiet };
	const struct sipnl_req req = {
		.what = what,
		.cmd = SIPCODE_CMD_METHOD_GET,
		.flags = NLM_F_DUMP,
		.reply = methods_reply,
		.refused = methods_refused,
		.restart = methods_restart,
		.arg = &mr,
	};

	memset(l, 0, sizeof(*l));
	if (sipnl_run(&req) == 0) {
		l->on = true;
		return 0;
	}
	return mr.off ? 1 : -1;
}

static void print_table(const struct methods *l)
{
	char buf[METHOD_NAME_LEN];
	int wm = strlen("METHOD"), wn = strlen("COUNT"), n;
	size_t i;

	for (i = 0; i < l->n; i++) {
		n = strlen(method_name(l->m[i].method, buf));
		wm = n > wm ? n : wm;
		wn = cli_width(l->m[i].count, wn);
	}
	printf("%-4s  %-*s  %*s\n", "CODE", wm, "METHOD", wn, "COUNT");
	for (i = 0; i < l->n; i++)
		printf("%-4u  %-*s  %*" PRIu64 "\n", l->m[i].code, wm,
		       method_name(l->m[i].method, buf), wn, l->m[i].count);
}

static void print_json(const struct methods *l)
{
	char buf[METHOD_NAME_LEN];
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_arr_begin(&j, "by_method");
	for (i = 0; i < l->n; i++) {
		json_obj_begin(&j, NULL);
		json_u64(&j, "code", l->m[i].code);
		json_str(&j, "method", method_name(l->m[i].method, buf));
		json_u64(&j, "count", l->m[i].count);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

int methods_show(const struct match *filter, bool json)
{
	struct methods l;
	size_t i, n = 0;
	int ret;

	ret = methods_read("stats --by-method", &l, false);
	for (i = 0; !ret && filter && i < l.n; i++)
		if (match_has(filter, l.m[i].code))
			l.m[n++] = l.m[i];
	if (!ret && filter)
		l.n = n;
	if (!ret) {
		if (json)
			print_json(&l);
		else
			print_table(&l);
	}
	free(l.m);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
