// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl stats": read the counters with a SIPCODE_CMD_STATS_GET
 * dump, and the dry-run mode, and print them as a table or as JSON;
 * "stats reset" zeroes them. "--by-method" and "--reasons" print the
 * tables of method.c and reason.c instead.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sipcode.h>
#include <netlink/genl/genl.h>

#include "cli.h"
#include "codes.h"
#include "config.h"
#include "json.h"
#include "match.h"
#include "method.h"
#include "nl.h"
#include "prom.h"
#include "reason.h"
#include "stats.h"
#include "watch.h"

#define NCLASSES	6

struct totals {
	uint64_t cls[NCLASSES + 1];		/* seen, by class 1-6 */
	uint64_t total;				/* every datagram */
};

/* The not-counted buckets, in the order they are printed. */
static const struct {
	int attr;
	const char *label;
	const char *key;
} uncounted[] = {
	{ SIPCODE_UC_A_NOT_RESPONSE,	"not a response",	"not_response" },
	{ SIPCODE_UC_A_MALFORMED,	"malformed",		"malformed" },
	{ SIPCODE_UC_A_TRUNCATED,	"truncated",		"truncated" },
	{ SIPCODE_UC_A_KEEPALIVE,	"keep-alive",		"keepalive" },
	{ SIPCODE_UC_A_FRAGMENT,	"fragment",		"fragment" },
	{ SIPCODE_UC_A_TCP_MIDSTREAM,	"TCP mid-stream",	"tcp_midstream" },
	{ SIPCODE_UC_A_TCP_UNFRAMED,	"TCP unframed",		"tcp_unframed" },
};

const struct stats_event_name stats_events[STATS_NEVENTS] = {
	{ SIPCODE_EVENTS_A_SENT,	"sent",		"sent" },
	{ SIPCODE_EVENTS_A_RATELIMITED,	"rate-limited",	"ratelimited" },
	{ SIPCODE_EVENTS_A_LOST,	"lost",		"lost" },
	{ SIPCODE_EVENTS_A_UNHEARD,	"unheard",	"unheard" },
};

static const char *const class_keys[NCLASSES + 1] = {
	NULL, "1xx", "2xx", "3xx", "4xx", "5xx", "6xx",
};

static const struct nla_policy stats_policy[SIPCODE_A_MAX + 1] = {
	[SIPCODE_A_CODE]	= { .type = NLA_NESTED },
	[SIPCODE_A_UNCOUNTED]	= { .type = NLA_NESTED },
	[SIPCODE_A_EVENTS]	= { .type = NLA_NESTED },
	[SIPCODE_A_INACTIVE]	= { .type = NLA_FLAG },
};

static const struct nla_policy code_policy[SIPCODE_CODE_A_MAX + 1] = {
	[SIPCODE_CODE_A_CODE]	 = { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_CODE_A_SEEN]	 = { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_CODE_A_DROPPED] = { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_CODE_A_MARKED]	 = { .type = NLA_U64, .maxlen = 8 },
};

static const struct nla_policy uc_policy[SIPCODE_UC_A_MAX + 1] = {
	[SIPCODE_UC_A_NOT_RESPONSE]	= { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_UC_A_MALFORMED]	= { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_UC_A_TRUNCATED]	= { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_UC_A_KEEPALIVE]	= { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_UC_A_FRAGMENT]		= { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_UC_A_TCP_MIDSTREAM]	= { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_UC_A_TCP_UNFRAMED]	= { .type = NLA_U64, .maxlen = 8 },
};

static const struct nla_policy ev_policy[SIPCODE_EVENTS_A_MAX + 1] = {
	[SIPCODE_EVENTS_A_SENT]		= { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_EVENTS_A_RATELIMITED]	= { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_EVENTS_A_LOST]		= { .type = NLA_U64, .maxlen = 8 },
	[SIPCODE_EVENTS_A_UNHEARD]	= { .type = NLA_U64, .maxlen = 8 },
};

const char *stats_bucket(const struct stats *s, unsigned int n,
			 uint64_t *count)
{
	if (n >= ARRAY_SIZE(uncounted))
		return NULL;
	*count = s->uc[uncounted[n].attr];
	return uncounted[n].key;
}

static uint64_t get_u64(const struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static int parse_code(struct nlattr *nest, void *arg)
{
	struct nlattr *tb[SIPCODE_CODE_A_MAX + 1];
	struct stats_counters *c;
	struct stats *s = arg;
	unsigned int code;
	int ret;

	ret = nla_parse_nested(tb, SIPCODE_CODE_A_MAX, nest, code_policy);
	if (ret < 0)
		return ret;
	if (!tb[SIPCODE_CODE_A_CODE])
		return -NLE_MISSING_ATTR;
	code = nla_get_u32(tb[SIPCODE_CODE_A_CODE]);
	if (code < SIPCODE_CODE_MIN || code > SIPCODE_CODE_MAX)
		return -NLE_RANGE;
	c = &s->code[code - SIPCODE_CODE_MIN];
	c->seen += get_u64(tb[SIPCODE_CODE_A_SEEN]);
	c->dropped += get_u64(tb[SIPCODE_CODE_A_DROPPED]);
	c->marked += get_u64(tb[SIPCODE_CODE_A_MARKED]);
	return 0;
}

static int parse_uncounted(struct stats *s, struct nlattr *nest)
{
	struct nlattr *tb[SIPCODE_UC_A_MAX + 1];
	size_t i;
	int ret;

	ret = nla_parse_nested(tb, SIPCODE_UC_A_MAX, nest, uc_policy);
	if (ret < 0)
		return ret;
	for (i = 0; i < ARRAY_SIZE(uncounted); i++)
		s->uc[uncounted[i].attr] = get_u64(tb[uncounted[i].attr]);
	s->have_uc = true;
	return 0;
}

static int parse_events(struct stats *s, struct nlattr *nest)
{
	struct nlattr *tb[SIPCODE_EVENTS_A_MAX + 1];
	size_t i;
	int ret;

	ret = nla_parse_nested(tb, SIPCODE_EVENTS_A_MAX, nest, ev_policy);
	if (ret < 0)
		return ret;
	for (i = 0; i < ARRAY_SIZE(stats_events); i++)
		s->ev[stats_events[i].attr] = get_u64(tb[stats_events[i].attr]);
	s->have_ev = true;
	return 0;
}

/* One message of the dump: the code nests are repeated attributes. */
static int stats_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[SIPCODE_A_MAX + 1];
	struct stats *s = arg;
	int ret;

	ret = genlmsg_parse(nlh, 0, tb, SIPCODE_A_MAX, stats_policy);
	if (ret < 0)
		return ret;
	if (tb[SIPCODE_A_INACTIVE])
		s->inactive = true;
	if (tb[SIPCODE_A_UNCOUNTED]) {
		ret = parse_uncounted(s, tb[SIPCODE_A_UNCOUNTED]);
		if (ret < 0)
			return ret;
	}
	if (tb[SIPCODE_A_EVENTS]) {
		ret = parse_events(s, tb[SIPCODE_A_EVENTS]);
		if (ret < 0)
			return ret;
	}
	return sipnl_each(nlh, SIPCODE_A_CODE, parse_code, s);
}

static const char *reason(unsigned int code)
{
	const struct sip_code_info *ci = sip_code_lookup(code);

	return ci && ci->reason && ci->reason[0] ? ci->reason : NULL;
}

static const char *class_name(unsigned int cls)
{
	const char *name = sip_class_names[cls];

	return name && name[0] ? name : "-";
}

bool stats_listed(const struct stats *s, bool all, unsigned int i)
{
	const struct stats_counters *c = &s->code[i];

	if (c->seen || c->dropped || c->marked)
		return true;
	return all && sip_code_lookup(i + SIPCODE_CODE_MIN);
}

static void sum(const struct stats *s, struct totals *t)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < SIPCODE_NCODES; i++)
		t->cls[(i + SIPCODE_CODE_MIN) / 100] += s->code[i].seen;
	for (i = 1; i <= NCLASSES; i++)
		t->total += t->cls[i];
	for (i = 0; i < ARRAY_SIZE(uncounted); i++)
		t->total += s->uc[uncounted[i].attr];
}

static int text_width(const char *s, int w)
{
	int n = strlen(s);

	return n > w ? n : w;
}

/* Column widths: @wr for the reason phrases, @wn for the numbers. */
static void layout(const struct stats *s, const struct totals *t, bool all,
		   int *wr, int *wn)
{
	const struct stats_counters *c;
	unsigned int i;

	*wr = text_width("not a response", 0) - 6;
	*wn = text_width("DROPPED", 0);
	for (i = 1; i <= NCLASSES; i++)
		*wr = text_width(class_name(i), *wr);
	for (i = 0; i < SIPCODE_NCODES; i++) {
		if (!stats_listed(s, all, i))
			continue;
		c = &s->code[i];
		if (reason(i + SIPCODE_CODE_MIN))
			*wr = text_width(reason(i + SIPCODE_CODE_MIN), *wr);
		*wn = cli_width(c->seen, *wn);
		*wn = cli_width(c->dropped, *wn);
		*wn = cli_width(c->marked, *wn);
	}
	*wn = cli_width(t->total, *wn);
}

/* @rate[@i] as the RATE/s column shows it: "12.5", or "-" if unknown. */
static const char *rate_str(const double *rate, unsigned int i, char *buf,
			    size_t len)
{
	if (rate[i] < 0)
		return "-";
	snprintf(buf, len, "%.1f", rate[i]);
	return buf;
}

/* "events: sent 5, rate-limited 0, ...", when one is not zero. */
static void print_events(const struct stats *s)
{
	const char *sep = "\nevents: ";
	uint64_t any = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stats_events); i++)
		any |= s->ev[stats_events[i].attr];
	if (!any)
		return;
	for (i = 0; i < ARRAY_SIZE(stats_events); i++) {
		printf("%s%s %" PRIu64, sep, stats_events[i].label,
		       s->ev[stats_events[i].attr]);
		sep = ", ";
	}
	putchar('\n');
}

void stats_print_table(const struct stats *s, bool all, const double *rate)
{
	const struct stats_counters *c;
	struct totals t;
	char buf[32];
	const char *r;
	unsigned int i;
	int wr, wn, wt = 0;

	sum(s, &t);
	layout(s, &t, all, &wr, &wn);
	for (i = 0; rate && i < SIPCODE_NCODES; i++)
		if (stats_listed(s, all, i))
			wt = text_width(rate_str(rate, i, buf, sizeof(buf)), wt);
	printf("%-4s  %-*s  %*s  %*s  %*s", "CODE", wr, "REASON",
	       wn, "SEEN", wn, "DROPPED", wn, "MARKED");
	if (rate)
		printf("  %*s", text_width("RATE/s", wt), "RATE/s");
	putchar('\n');
	for (i = 0; i < SIPCODE_NCODES; i++) {
		if (!stats_listed(s, all, i))
			continue;
		c = &s->code[i];
		r = reason(i + SIPCODE_CODE_MIN);
		printf("%-4u  %-*s  %*" PRIu64 "  %*" PRIu64 "  %*" PRIu64,
		       i + SIPCODE_CODE_MIN, wr, r ? r : "-",
		       wn, c->seen, wn, c->dropped, wn, c->marked);
		if (rate)
			printf("  %*s", text_width("RATE/s", wt),
			       rate_str(rate, i, buf, sizeof(buf)));
		putchar('\n');
	}
	printf("\n%-*s  %*s\n", wr + 6, "CLASS", wn, "SEEN");
	for (i = 1; i <= NCLASSES; i++)
		printf("%-4s  %-*s  %*" PRIu64 "\n", class_keys[i],
		       wr, class_name(i), wn, t.cls[i]);
	printf("\n%-*s  %*s\n", wr + 6, "NOT COUNTED", wn, "COUNT");
	for (i = 0; i < ARRAY_SIZE(uncounted); i++)
		printf("%-*s  %*" PRIu64 "\n", wr + 6, uncounted[i].label,
		       wn, s->uc[uncounted[i].attr]);
	printf("\n%-*s  %*" PRIu64 "\n", wr + 6, "total", wn, t.total);
	print_events(s);
	if (s->dry_run)
		puts("\ndry-run: on (rules drop and mark nothing)");
}

static void print_code_json(struct json *j, const struct stats *s,
			    unsigned int i)
{
	const struct stats_counters *c = &s->code[i];
	unsigned int code = i + SIPCODE_CODE_MIN;
	const char *r = reason(code);

	json_obj_begin(j, NULL);
	json_u64(j, "code", code);
	if (r)
		json_str(j, "reason", r);
	else
		json_null(j, "reason");
	json_u64(j, "class", code / 100);
	json_u64(j, "seen", c->seen);
	json_u64(j, "dropped", c->dropped);
	json_u64(j, "marked", c->marked);
	json_obj_end(j);
}

static void print_json(const struct stats *s, bool all)
{
	struct totals t;
	struct json j;
	unsigned int i;

	sum(s, &t);
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_bool(&j, "active", true);
	json_arr_begin(&j, "codes");
	for (i = 0; i < SIPCODE_NCODES; i++)
		if (stats_listed(s, all, i))
			print_code_json(&j, s, i);
	json_arr_end(&j);
	json_obj_begin(&j, "classes");
	for (i = 1; i <= NCLASSES; i++)
		json_u64(&j, class_keys[i], t.cls[i]);
	json_obj_end(&j);
	for (i = 0; i < ARRAY_SIZE(uncounted); i++)
		json_u64(&j, uncounted[i].key, s->uc[uncounted[i].attr]);
	json_u64(&j, "total", t.total);
	json_bool(&j, "dry_run", s->dry_run);
	if (s->have_ev) {
		json_obj_begin(&j, "events");
		for (i = 0; i < ARRAY_SIZE(stats_events); i++)
			json_u64(&j, stats_events[i].key,
				 s->ev[stats_events[i].attr]);
		json_obj_end(&j);
	}
	json_obj_end(&j);
	json_finish(&j);
}

int stats_read(const char *what, struct stats *s)
{
	struct sipnl_req req = {
		.what = what,
		.cmd = SIPCODE_CMD_STATS_GET,
		.flags = NLM_F_DUMP,
		.reply = stats_reply,
		.arg = s,
	};

	memset(s, 0, sizeof(*s));
	if (sipnl_run(&req) < 0)
		return -1;
	if (!s->have_uc && !s->inactive) {
		cli_err("%s: bad reply from the kernel: no uncounted counters",
			what);
		return -1;
	}
	if (config_read(what, &s->config) < 0)
		return -1;
	s->dry_run = s->config.dry_run;
	return 0;
}

enum format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_PROMETHEUS,
};

static const char *const format_names[] = {
	[FORMAT_TEXT]		= "text",
	[FORMAT_JSON]		= "json",
	[FORMAT_PROMETHEUS]	= "prometheus",
};

/* Not silent zeros: nothing is counted in this namespace. */
static void print_inactive(bool json)
{
	struct json j;

	if (!json) {
		puts("sipcode does not inspect this network namespace: nothing was configured\n"
		     "here (sipcodectl ports set, rule add or config), and the module was not\n"
		     "loaded with all_netns=1.");
		return;
	}
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_bool(&j, "active", false);
	json_obj_end(&j);
	json_finish(&j);
}

static int stats_show(bool all, enum format format)
{
	struct methods m = { 0 };
	struct stats *s;
	int ret = EXIT_FAILURE;

	s = calloc(1, sizeof(*s));
	if (!s) {
		cli_err("stats: %s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	if (format == FORMAT_PROMETHEUS) {
		if (prom_read("stats", s, &m) < 0)
			goto out;
		prom_write(stdout, s, all, &m);
	} else if (stats_read("stats", s) < 0) {
		goto out;
	} else if (s->inactive) {
		print_inactive(format == FORMAT_JSON);
	} else if (format == FORMAT_JSON) {
		print_json(s, all);
	} else {
		stats_print_table(s, all, NULL);
	}
	ret = EXIT_SUCCESS;
out:
	free(m.m);
	free(s);
	return ret;
}

static int stats_reset(void)
{
	const struct sipnl_req req = {
		.what = "stats reset",
		.cmd = SIPCODE_CMD_STATS_RESET,
	};

	return sipnl_run(&req) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

static void usage_show(void)
{
	puts("Usage: sipcodectl stats [show] [-a|--all] [-j|--json]\n"
	     "                        [-o|--output text|json|prometheus]\n"
	     "       sipcodectl stats [show] [-a] -w|--watch [SECONDS]\n"
	     "                        [-n|--count COUNT]\n"
	     "       sipcodectl stats [show] --by-method|--reasons [MATCH] [-j|--json]\n"
	     "       sipcodectl stats reset\n"
	     "Print the SIP response counters of this network namespace:\n"
	     "the codes whose counters are not zero, the class totals, the\n"
	     "datagrams not counted under a code, what became of the events\n"
	     "when there were some, and a last line when the rules are in\n"
	     "dry-run mode.\n"
	     "  -a, --all              also list every code of the table\n"
	     "  -j, --json             print one JSON object (see sipcodectl(8))\n"
	     "  -o, --output FORMAT    text (the default), json (as -j) or\n"
	     "                         prometheus (the text exposition format)\n"
	     "  -w, --watch [SECONDS]  print the table again every SECONDS\n"
	     "                         (default 1) with the rate of each code,\n"
	     "                         until interrupted\n"
	     "  -n, --count COUNT      with -w, stop after COUNT tables\n"
	     "  --by-method [MATCH]    the responses per code and CSeq method, of\n"
	     "                         the codes MATCH (503, 5xx or 480-489)\n"
	     "                         matches if given (after sipcodectl config\n"
	     "                         by-method on)\n"
	     "  --reasons [MATCH]      the reason phrases sent with each code, the\n"
	     "                         most frequent first, of the codes MATCH\n"
	     "                         matches if given (after sipcodectl config\n"
	     "                         reasons on)\n"
	     "  -h, --help             print this help");
}

static void usage_reset(void)
{
	puts("Usage: sipcodectl stats reset\n"
	     "Set every counter of this network namespace to zero.\n"
	     "Needs CAP_NET_ADMIN.\n"
	     "  -h, --help   print this help");
}

/*
 * 1: the option takes a value; 2: it may be followed by one, a number;
 * 3: it may be followed by a match, which starts with a digit.
 */
static int takes_value(const char *arg)
{
	if (cli_opt(arg, "-o", "--output") || cli_opt(arg, "-n", "--count"))
		return 1;
	if (cli_opt(arg, "-w", "--watch"))
		return 2;
	if (!strcmp(arg, "--by-method") || !strcmp(arg, "--reasons"))
		return 3;
	return 0;
}

static bool is_number(const char *s)
{
	return (s[0] >= '0' && s[0] <= '9') || s[0] == '.';
}

/* Whether the option @arg is followed by its value @next. */
static bool has_value(const char *arg, const char *next)
{
	switch (takes_value(arg)) {
	case 1:
		return true;
	case 2:
		return is_number(next);
	case 3:
		return next[0] >= '0' && next[0] <= '9';
	}
	return false;
}

/* The index of the subcommand in @argv, or @argc when there is none. */
static int sub_index(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (argv[i][0] != '-')
			return i;
		if (i + 1 < argc && has_value(argv[i], argv[i + 1]))
			i++;
	}
	return argc;
}

static bool parse_format(const char *s, enum format *format)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(format_names); i++) {
		if (!strcmp(s, format_names[i])) {
			*format = i;
			return true;
		}
	}
	return false;
}

int stats_main(int argc, char **argv, bool json)
{
	int w = sub_index(argc, argv);
	const char *sub = w < argc ? argv[w] : "show";
	const char *what, *opt_o = NULL, *table = NULL;
	bool all = false, help = false, reset;
	struct match filter, *pf = NULL;
	char buf[32];
	enum format format = FORMAT_TEXT;
	unsigned long count = 0;
	double watch = 0;
	int i;

	reset = !strcmp(sub, "reset");
	if (!reset && strcmp(sub, "show")) {
		cli_err("stats: unknown subcommand \"%s\"", sub);
		return EXIT_USAGE;
	}
	what = reset ? "stats reset" : "stats";
	for (i = 0; i < argc; i++) {
		if (i == w)
			continue;
		if (cli_opt(argv[i], "-j", "--json")) {
			json = true;
		} else if (cli_opt(argv[i], "-h", "--help")) {
			help = true;
		} else if (!reset && cli_opt(argv[i], "-a", "--all")) {
			all = true;
		} else if (!reset && takes_value(argv[i]) == 1 &&
			   i + 1 == argc) {
			cli_err("stats: %s needs a value", argv[i]);
			return EXIT_USAGE;
		} else if (!reset && cli_opt(argv[i], "-o", "--output")) {
			opt_o = argv[++i];
			if (!parse_format(opt_o, &format)) {
				cli_err("stats: invalid output format \"%s\": text, json or prometheus",
					opt_o);
				return EXIT_USAGE;
			}
		} else if (!reset && cli_opt(argv[i], "-n", "--count")) {
			if (!cli_count(argv[++i], &count)) {
				cli_err("stats: invalid count \"%s\": 1 to 1000000000",
					argv[i]);
				return EXIT_USAGE;
			}
		} else if (!reset && cli_opt(argv[i], "-w", "--watch")) {
			watch = 1;
			if (i + 1 < argc && is_number(argv[i + 1]) &&
			    !cli_seconds(argv[++i], &watch)) {
				cli_err("stats: invalid interval \"%s\": seconds, 0.1 to 86400",
					argv[i]);
				return EXIT_USAGE;
			}
		} else if (!reset && (!strcmp(argv[i], "--by-method") ||
				      !strcmp(argv[i], "--reasons"))) {
			if (table && strcmp(table, argv[i])) {
				cli_err("stats: %s and %s conflict", table,
					argv[i]);
				return EXIT_USAGE;
			}
			table = argv[i];
			snprintf(buf, sizeof(buf), "stats %s", table);
			if (i + 1 < argc && has_value(argv[i], argv[i + 1])) {
				if (!match_parse(buf, argv[i + 1], &filter))
					return EXIT_USAGE;
				pf = &filter;
				i++;
			}
		} else {
			cli_unexpected(what, argv[i]);
			return EXIT_USAGE;
		}
	}
	if (help) {
		if (reset)
			usage_reset();
		else
			usage_show();
		return EXIT_SUCCESS;
	}
	if (reset)
		return stats_reset();
	if (json && opt_o && format != FORMAT_JSON) {
		cli_err("stats: -j and -o %s conflict", opt_o);
		return EXIT_USAGE;
	}
	if (json)
		format = FORMAT_JSON;
	if (count && !watch) {
		cli_err("stats: -n needs -w");
		return EXIT_USAGE;
	}
	if (table && (all || watch || format == FORMAT_PROMETHEUS)) {
		cli_err("stats: %s prints a table or JSON: not with %s", table,
			all ? "-a" : watch ? "-w" : "-o prometheus");
		return EXIT_USAGE;
	}
	if (table && !strcmp(table, "--by-method"))
		return methods_show(pf, format == FORMAT_JSON);
	if (table)
		return reasons_show(pf, format == FORMAT_JSON);
	if (watch && format != FORMAT_TEXT) {
		cli_err("stats: -w prints the table: not with -j or -o %s",
			format_names[format]);
		return EXIT_USAGE;
	}
	if (watch)
		return watch_run(all, watch, count);
	return stats_show(all, format);
}
