// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl monitor": join the multicast group of the events
 * (SIPCODE_GENL_MCGRP_EVENTS) and print each SIPCODE_CMD_EVENT as it
 * comes, one line of text or JSON, flushed at once. MATCH arguments
 * keep the codes they match. It stops after -n COUNT events printed,
 * after -t SECONDS, or at SIGINT or SIGTERM, and then prints on stderr
 * one line: what it printed, filtered out and lost to overruns of its
 * socket, and what the kernel's event counters (SIPCODE_A_EVENTS) did
 * meanwhile.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/sipcode.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "cli.h"
#include "json.h"
#include "match.h"
#include "method.h"
#include "monitor.h"
#include "phrase.h"
#include "stats.h"

/* Room for a burst: events are small, and a slow terminal is slow. */
#define RCVBUF		(1 << 20)

struct monitor {
	struct match *filters;
	int nfilters;
	bool json;
	unsigned long count;	/* stop after this many printed; 0: never */
	double secs;		/* stop after this long; 0: never */
	int family;
	/* What happened: */
	unsigned long events, filtered, overruns;
	bool done;		/* count reached */
	int write_err;		/* errno of a failed write to stdout */
};

/* One event, as SIPCODE_A_EVENT holds it. */
struct event {
	unsigned int code, method, family, proto, sport, dport, action;
	uint32_t mark;
	bool dry_run;
	size_t len;
	unsigned char phrase[SIPCODE_REASON_MAX];
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static const struct nla_policy event_top_policy[SIPCODE_A_MAX + 1] = {
	[SIPCODE_A_EVENT]	= { .type = NLA_NESTED },
};

static const struct nla_policy event_policy[SIPCODE_EVENT_A_MAX + 1] = {
	[SIPCODE_EVENT_A_CODE]		= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_EVENT_A_METHOD]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_EVENT_A_PHRASE]	= { .type = NLA_UNSPEC },
	[SIPCODE_EVENT_A_FAMILY]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_EVENT_A_SADDR]		= { .type = NLA_UNSPEC },
	[SIPCODE_EVENT_A_DADDR]		= { .type = NLA_UNSPEC },
	[SIPCODE_EVENT_A_PROTO]		= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_EVENT_A_SPORT]		= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_EVENT_A_DPORT]		= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_EVENT_A_ACTION]	= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_EVENT_A_MARK]		= { .type = NLA_U32, .maxlen = 4 },
	[SIPCODE_EVENT_A_DRY_RUN]	= { .type = NLA_FLAG },
};

static const char *const action_names[SIPCODE_ACTION_MAX + 1] = {
	[SIPCODE_ACTION_COUNT]	= "count",
	[SIPCODE_ACTION_DROP]	= "drop",
	[SIPCODE_ACTION_MARK]	= "mark",
};

/* The address @a of @family into @buf; false when its size is wrong. */
static bool parse_addr(const struct nlattr *a, unsigned int family,
		       char *buf)
{
	int len = family == AF_INET ? 4 : 16;

	if (nla_len(a) != len)
		return false;
	return inet_ntop(family, nla_data(a), buf, INET6_ADDRSTRLEN);
}

/* The SIPCODE_A_EVENT nest @nest into @e; 0 or a negative NLE_*. */
static int parse_event(struct nlattr *nest, struct event *e)
{
	struct nlattr *tb[SIPCODE_EVENT_A_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, SIPCODE_EVENT_A_MAX, nest, event_policy);
	if (ret < 0)
		return ret;
	memset(e, 0, sizeof(*e));
	if (!tb[SIPCODE_EVENT_A_CODE] || !tb[SIPCODE_EVENT_A_FAMILY] ||
	    !tb[SIPCODE_EVENT_A_SADDR] || !tb[SIPCODE_EVENT_A_DADDR] ||
	    !tb[SIPCODE_EVENT_A_PROTO] || !tb[SIPCODE_EVENT_A_SPORT] ||
	    !tb[SIPCODE_EVENT_A_DPORT] || !tb[SIPCODE_EVENT_A_ACTION])
		return -NLE_MISSING_ATTR;
	e->code = nla_get_u32(tb[SIPCODE_EVENT_A_CODE]);
	e->family = nla_get_u32(tb[SIPCODE_EVENT_A_FAMILY]);
	if (e->code < SIPCODE_CODE_MIN || e->code > SIPCODE_CODE_MAX ||
	    (e->family != AF_INET && e->family != AF_INET6))
		return -NLE_RANGE;
	if (!parse_addr(tb[SIPCODE_EVENT_A_SADDR], e->family, e->src) ||
	    !parse_addr(tb[SIPCODE_EVENT_A_DADDR], e->family, e->dst))
		return -NLE_INVAL;
	if (tb[SIPCODE_EVENT_A_PHRASE]) {
		e->len = nla_len(tb[SIPCODE_EVENT_A_PHRASE]);
		if (e->len > SIPCODE_REASON_MAX)
			return -NLE_RANGE;
		memcpy(e->phrase, nla_data(tb[SIPCODE_EVENT_A_PHRASE]), e->len);
	}
	if (tb[SIPCODE_EVENT_A_METHOD])
		e->method = nla_get_u32(tb[SIPCODE_EVENT_A_METHOD]);
	e->proto = nla_get_u32(tb[SIPCODE_EVENT_A_PROTO]);
	e->sport = nla_get_u32(tb[SIPCODE_EVENT_A_SPORT]);
	e->dport = nla_get_u32(tb[SIPCODE_EVENT_A_DPORT]);
	e->action = nla_get_u32(tb[SIPCODE_EVENT_A_ACTION]);
	if (tb[SIPCODE_EVENT_A_MARK])
		e->mark = nla_get_u32(tb[SIPCODE_EVENT_A_MARK]);
	e->dry_run = !!tb[SIPCODE_EVENT_A_DRY_RUN];
	return 0;
}

/* "udp", "tcp", or the number in @buf. */
static const char *proto_name(unsigned int proto, char *buf, size_t len)
{
	if (proto == IPPROTO_UDP)
		return "udp";
	if (proto == IPPROTO_TCP)
		return "tcp";
	snprintf(buf, len, "%u", proto);
	return buf;
}

/* "count", "drop", "mark", or the number in @buf. */
static const char *action_name(unsigned int action, char *buf, size_t len)
{
	if (action <= SIPCODE_ACTION_MAX && action_names[action])
		return action_names[action];
	snprintf(buf, len, "%u", action);
	return buf;
}

/*
 * 486 INVITE "Busy Here" udp 10.0.2.2:5060 > 10.0.1.2:5060 count
 * 503 REGISTER "" tcp [2001:db8::1]:5060 > [2001:db8::2]:5060 mark 0x10
 */
static void print_text(const struct event *e)
{
	const char *fmt = e->family == AF_INET6 ? "[%s]:%u" : "%s:%u";
	char mb[METHOD_NAME_LEN], pb[8], ab[8];

	printf("%u %s ", e->code, method_name(e->method, mb));
	phrase_print(stdout, e->phrase, e->len);
	printf(" %s ", proto_name(e->proto, pb, sizeof(pb)));
	printf(fmt, e->src, e->sport);
	fputs(" > ", stdout);
	printf(fmt, e->dst, e->dport);
	printf(" %s", action_name(e->action, ab, sizeof(ab)));
	if (e->action == SIPCODE_ACTION_MARK)
		printf(" 0x%x", e->mark);
	if (e->dry_run)
		fputs(" (dry-run)", stdout);
	putchar('\n');
}

static void print_json(const struct event *e)
{
	char mb[METHOD_NAME_LEN], pb[8], ab[8];
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_u64(&j, "code", e->code);
	json_str(&j, "method", method_name(e->method, mb));
	json_bytes(&j, "reason", e->phrase, e->len);
	json_str(&j, "proto", proto_name(e->proto, pb, sizeof(pb)));
	json_str(&j, "family", e->family == AF_INET6 ? "inet6" : "inet");
	json_str(&j, "src", e->src);
	json_u64(&j, "sport", e->sport);
	json_str(&j, "dst", e->dst);
	json_u64(&j, "dport", e->dport);
	json_str(&j, "action", action_name(e->action, ab, sizeof(ab)));
	json_u64(&j, "mark", e->mark);
	json_bool(&j, "dry_run", e->dry_run);
	json_obj_end(&j);
	json_finish(&j);
}

static bool wanted(const struct monitor *mon, unsigned int code)
{
	int i;

	if (!mon->nfilters)
		return true;
	for (i = 0; i < mon->nfilters; i++)
		if (match_has(&mon->filters[i], code))
			return true;
	return false;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[SIPCODE_A_MAX + 1];
	struct monitor *mon = arg;
	struct event e;
	int ret;

	if (nlh->nlmsg_type != mon->family ||
	    !genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_hdr(nlh)->cmd != SIPCODE_CMD_EVENT)
		return NL_SKIP;
	ret = genlmsg_parse(nlh, 0, tb, SIPCODE_A_MAX, event_top_policy);
	if (!ret && !tb[SIPCODE_A_EVENT])
		ret = -NLE_MISSING_ATTR;
	if (!ret)
		ret = parse_event(tb[SIPCODE_A_EVENT], &e);
	if (ret < 0) {
		cli_err("monitor: bad event from the kernel: %s",
			nl_geterror(ret));
		return NL_SKIP;
	}
	if (!wanted(mon, e.code)) {
		mon->filtered++;
		return NL_SKIP;
	}
	if (mon->json)
		print_json(&e);
	else
		print_text(&e);
	if (fflush(stdout) || ferror(stdout)) {
		mon->write_err = errno ? errno : EIO;
		return NL_STOP;
	}
	mon->events++;
	if (mon->count && mon->events >= mon->count) {
		mon->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static double now_sec(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * The socket joined to the group of the events, the family's id in
 * mon->family; NULL after an error line.
 */
static struct nl_sock *monitor_open(struct monitor *mon)
{
	int grp, ret, size = RCVBUF;
	struct nl_sock *sk;

	sk = nl_socket_alloc();
	if (!sk) {
		cli_err("monitor: %s", strerror(ENOMEM));
		return NULL;
	}
	ret = genl_connect(sk);
	if (ret < 0) {
		cli_err("monitor: %s", nl_geterror(ret));
		goto fail;
	}
	mon->family = genl_ctrl_resolve(sk, SIPCODE_GENL_NAME);
	if (mon->family == -NLE_OBJ_NOTFOUND) {
		cli_err("sipcode module not loaded (modprobe sipcode)");
		goto fail;
	} else if (mon->family < 0) {
		cli_err("monitor: %s", nl_geterror(mon->family));
		goto fail;
	}
	grp = genl_ctrl_resolve_grp(sk, SIPCODE_GENL_NAME,
				    SIPCODE_GENL_MCGRP_EVENTS);
	if (grp == -NLE_OBJ_NOTFOUND) {
		cli_err("monitor: the sipcode module sends no events (too old?)");
		goto fail;
	} else if (grp < 0) {
		cli_err("monitor: %s", nl_geterror(grp));
		goto fail;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, mon);
	/* Past rmem_max with CAP_NET_ADMIN, else up to it. */
	if (setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)) < 0)
		nl_socket_set_buffer_size(sk, RCVBUF, 0);
	ret = nl_socket_set_nonblocking(sk);
	if (ret < 0) {
		cli_err("monitor: %s", nl_geterror(ret));
		goto fail;
	}
	ret = nl_socket_add_membership(sk, grp);
	if (ret == -NLE_PERM) {
		cli_err("monitor: listening to the events needs CAP_NET_ADMIN (%s)",
			strerror(EPERM));
		goto fail;
	} else if (ret < 0) {
		cli_err("monitor: cannot listen to the events: %s",
			nl_geterror(ret));
		goto fail;
	}
	return sk;
fail:
	nl_socket_free(sk);
	return NULL;
}

/* Reads what is queued on @sk; false after an error line. */
static bool monitor_read(struct nl_sock *sk, struct monitor *mon)
{
	int ret;

	while (!mon->done && !stopping) {
		ret = nl_recvmsgs_default(sk);
		if (mon->write_err) {
			cli_err("write error: %s", strerror(mon->write_err));
			return false;
		}
		if (ret == -NLE_AGAIN)
			return true;
		/* ENOBUFS: the socket overran, events were lost. */
		if (ret == -NLE_NOMEM) {
			mon->overruns++;
			continue;
		}
		if (ret < 0 && ret != -NLE_INTR) {
			cli_err("monitor: %s", nl_geterror(ret));
			return false;
		}
	}
	return true;
}

/* Until done: reads events, waiting for them with the signals open. */
static bool monitor_loop(struct nl_sock *sk, struct monitor *mon,
			 const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
	double deadline = now_sec() + mon->secs, left;
	struct timespec ts;
	int n;

	while (!mon->done && !stopping) {
		left = deadline - now_sec();
		if (mon->secs && left <= 0)
			break;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		n = ppoll(&pfd, 1, mon->secs ? &ts : NULL, waitmask);
		if (n < 0 && errno != EINTR) {
			cli_err("monitor: poll: %s", strerror(errno));
			return false;
		}
		if (n > 0 && !monitor_read(sk, mon))
			return false;
	}
	return true;
}

static uint64_t delta(const struct stats *a, const struct stats *b, int attr)
{
	/* Reset meanwhile: count from zero. */
	return b->ev[attr] >= a->ev[attr] ? b->ev[attr] - a->ev[attr] :
	       b->ev[attr];
}

/* The last line, on stderr; @b NULL when the counters could not be read. */
static void summary(const struct monitor *mon, const struct stats *a,
		    const struct stats *b)
{
	const char *sep = "; kernel: ";
	struct json j;
	size_t i;

	if (b && (!a->have_ev || !b->have_ev))
		b = NULL;
	if (!mon->json) {
		fprintf(stderr, "monitor: %lu events, %lu filtered out, %lu overruns",
			mon->events, mon->filtered, mon->overruns);
		for (i = 0; b && i < STATS_NEVENTS; i++) {
			fprintf(stderr, "%s%s %" PRIu64, sep,
				stats_events[i].label,
				delta(a, b, stats_events[i].attr));
			sep = ", ";
		}
		fputc('\n', stderr);
		return;
	}
	json_init(&j, stderr);
	json_obj_begin(&j, NULL);
	json_u64(&j, "events", mon->events);
	json_u64(&j, "filtered", mon->filtered);
	json_u64(&j, "overruns", mon->overruns);
	if (b) {
		json_obj_begin(&j, "kernel");
		for (i = 0; i < STATS_NEVENTS; i++)
			json_u64(&j, stats_events[i].key,
				 delta(a, b, stats_events[i].attr));
		json_obj_end(&j);
	} else {
		json_null(&j, "kernel");
	}
	json_obj_end(&j);
	json_finish(&j);
}

static int monitor_run(struct monitor *mon)
{
	struct stats *start = NULL, *end = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, waitmask;
	struct nl_sock *sk = NULL;
	int ret = EXIT_FAILURE;
	bool ok;

	/*
	 * SIGINT and SIGTERM are taken only while waiting, in ppoll(), so
	 * that none is lost between a check of stopping and the wait.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	start = calloc(1, sizeof(*start));
	end = calloc(1, sizeof(*end));
	if (!start || !end) {
		cli_err("monitor: %s", strerror(ENOMEM));
		goto out;
	}
	/*
	 * The counters before joining: an event sent before is not ours,
	 * and one sent to nobody meanwhile counts as unheard.
	 */
	if (stats_read("monitor", start) < 0)
		goto out;
	sk = monitor_open(mon);
	if (!sk)
		goto out;
	ok = monitor_loop(sk, mon, &waitmask);
	nl_socket_free(sk);
	fflush(stdout);
	if (stats_read("monitor", end) < 0) {
		summary(mon, start, NULL);
		goto out;
	}
	summary(mon, start, end);
	ret = ok ? EXIT_SUCCESS : EXIT_FAILURE;
out:
	free(end);
	free(start);
	return ret;
}

static void usage(void)
{
	puts("Usage: sipcodectl monitor [MATCH...] [-j|--json] [-n|--count COUNT]\n"
	     "                          [-t|--timeout SECONDS]\n"
	     "Print the events of this network namespace as they come, one a\n"
	     "line: each response a rule with notify matched, at most\n"
	     "event-rate a second (see sipcodectl config), as in\n"
	     "  486 INVITE \"Busy Here\" udp 10.0.2.2:5060 > 10.0.1.2:5060 count\n"
	     "MATCH (503, 5xx or 480-489) keeps the codes it matches; with\n"
	     "several, those any matches. At the end, one line on stderr\n"
	     "sums up the events printed, filtered out and lost to overruns\n"
	     "of the socket, and what the kernel did with events meanwhile.\n"
	     "Runs until SIGINT or SIGTERM. May need CAP_NET_ADMIN.\n"
	     "  -j, --json             print one JSON object a line\n"
	     "  -n, --count COUNT      stop after COUNT events printed\n"
	     "  -t, --timeout SECONDS  stop after SECONDS (0.1 to 86400)\n"
	     "  -h, --help             print this help");
}

int monitor_main(int argc, char **argv, bool json)
{
	struct monitor mon = { 0 };
	int i, ret = EXIT_USAGE;

	if (cli_help(argc, argv)) {
		usage();
		return EXIT_SUCCESS;
	}
	mon.filters = calloc(argc + 1, sizeof(*mon.filters));
	if (!mon.filters) {
		cli_err("monitor: %s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	for (i = 0; i < argc; i++) {
		if (cli_opt(argv[i], "-j", "--json")) {
			json = true;
		} else if ((cli_opt(argv[i], "-n", "--count") ||
			    cli_opt(argv[i], "-t", "--timeout")) &&
			   i + 1 == argc) {
			cli_err("monitor: %s needs a value", argv[i]);
			goto out;
		} else if (cli_opt(argv[i], "-n", "--count")) {
			if (!cli_count(argv[++i], &mon.count)) {
				cli_err("monitor: invalid count \"%s\": 1 to 1000000000",
					argv[i]);
				goto out;
			}
		} else if (cli_opt(argv[i], "-t", "--timeout")) {
			if (!cli_seconds(argv[++i], &mon.secs)) {
				cli_err("monitor: invalid time \"%s\": seconds, 0.1 to 86400",
					argv[i]);
				goto out;
			}
		} else if (argv[i][0] == '-') {
			cli_err("monitor: unexpected option \"%s\"", argv[i]);
			goto out;
		} else if (!match_parse("monitor", argv[i],
					&mon.filters[mon.nfilters++])) {
			goto out;
		}
	}
	mon.json = json;
	ret = monitor_run(&mon);
out:
	free(mon.filters);
	return ret;
}
