// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl monitor": print each event (a response a notify rule
 * matched) as it comes, one line of text or JSON, flushed at once.
 * MATCH arguments keep the codes they match. It stops after -n COUNT
 * events printed, after -t SECONDS, or at SIGINT or SIGTERM, and then
 * prints on stderr one line: what it printed, filtered out and lost to
 * overruns of its socket, and what the kernel's event counters did
 * meanwhile.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "print.h"

struct monitor {
	struct sc_rule *filters;
	int nfilters;
	bool json;
	unsigned long count;	/* stop after this many printed; 0: never */
	unsigned long events, filtered, overruns;
	int write_err;
};

/*
 * When it was read (UTC), then the event:
 * 2026-12-01T19:00:00.123Z 486 INVITE "Busy Here" udp 10.0.2.2:5060 > 10.0.1.2:5060 count
 * 2026-12-01T19:00:00.125Z 503 REGISTER "" tcp [2001:db8::1]:5060 > [2001:db8::2]:5060 mark 0x10
 */
static int on_event(const struct sc_event *e, void *arg)
{
	const char *fmt = e->family == AF_INET6 ? "[%s]:%" PRIu64 : "%s:%" PRIu64;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], mb[16], pb[16];
	char when[48];
	struct timespec ts;
	size_t n;
	struct tm tm;
	const char *action;
	struct monitor *mon = arg;
	int i;

	for (i = 0; i < mon->nfilters; i++)
		if (e->code >= mon->filters[i].low &&
		    e->code <= mon->filters[i].high)
			break;
	if (mon->nfilters && i == mon->nfilters) {
		mon->filtered++;
		return 0;
	}
	inet_ntop(e->family, e->saddr, src, sizeof(src));
	inet_ntop(e->family, e->daddr, dst, sizeof(dst));
	action = sc_action(e->action);
	if (!action) {
		snprintf(pb, sizeof(pb), "%u", e->action);
		action = pb;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(when, sizeof(when) - 8, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + n, sizeof(when) - n, ".%03dZ",
		 (int)(ts.tv_nsec / 1000000) % 1000);
	print_start(stdout, mon->json);
	open_json_object(NULL);
	print_string(PRINT_ANY, "time", "%s ", when);
	print_uint(PRINT_ANY, "code", "%" PRIu64, e->code);
	print_string(PRINT_ANY, "method", " %s ", cli_method(e->method, mb));
	print_phrase(PRINT_ANY, "reason", e->phrase, e->len, e->truncated);
	snprintf(mb, sizeof(mb), "%u", e->proto);
	print_string(PRINT_ANY, "proto", " %s ", e->proto == IPPROTO_UDP ?
		     "udp" : e->proto == IPPROTO_TCP ? "tcp" : mb);
	print_string(PRINT_JSON, "family", NULL,
		     e->family == AF_INET6 ? "inet6" : "inet");
	print_fp(fmt, src, (uint64_t)e->sport);
	print_string(PRINT_JSON, "src", NULL, src);
	print_uint(PRINT_JSON, "sport", NULL, e->sport);
	print_fp(" > ");
	print_fp(fmt, dst, (uint64_t)e->dport);
	print_string(PRINT_JSON, "dst", NULL, dst);
	print_uint(PRINT_JSON, "dport", NULL, e->dport);
	if (e->peer[0])
		print_string(PRINT_ANY, "peer", " peer %s", e->peer);
	else
		print_string(PRINT_JSON, "peer", NULL, NULL);
	print_string(PRINT_ANY, "action", " %s", action);
	print_uint(e->action == SIPCODE_ACTION_MARK ? PRINT_ANY : PRINT_JSON,
		   "mark", " 0x%" PRIx64, e->mark);
	print_bool(PRINT_JSON, "dry_run", NULL, e->dry_run);
	print_fp("%s\n", e->dry_run ? " (dry-run)" : "");
	close_json_object();
	print_end();
	if (fflush(stdout) || ferror(stdout)) {
		mon->write_err = errno ? errno : EIO;
		return 1;
	}
	mon->events++;
	return mon->count && mon->events >= mon->count;
}

/* Until done: reads the events as they come. */
static int loop(struct sc_handle *h, int fd, struct monitor *mon, double secs)
{
	double until = secs ? cli_now() + secs : 0;
	int ret = 0;

	while (ret != 1) {
		ret = cli_wait(fd, until);
		if (ret < 0 && errno != EINTR) {
			cli_err("monitor: poll: %s", strerror(errno));
			return -1;
		}
		if (ret <= 0)
			break;
		ret = sc_events_read(h, on_event, mon);
		if (mon->write_err) {
			cli_err("write error: %s", strerror(mon->write_err));
			return -1;
		}
		if (ret == -ENOBUFS)
			mon->overruns++;
		else if (ret == -EBADMSG)
			cli_err("monitor: bad event from the kernel");
		else if (ret < 0)
			return cli_fail(h, "monitor", ret);
	}
	return 0;
}

/* The last line, on stderr; @b NULL when the counters could not be read. */
static void summary(const struct monitor *mon, const struct sc_stats *a,
		    const struct sc_stats *b)
{
	const char *sep = "; kernel: ";
	uint64_t x, y;
	size_t i;

	if (b && (!a->have_ev || !b->have_ev))
		b = NULL;
	print_start(stderr, mon->json);
	open_json_object(NULL);
	print_uint(PRINT_ANY, "events", "monitor: %" PRIu64, mon->events);
	print_fp(mon->events == 1 ? " event, " : " events, ");
	print_uint(PRINT_ANY, "filtered", "%" PRIu64 " filtered out, ",
		   mon->filtered);
	print_uint(PRINT_ANY, "overruns", "%" PRIu64, mon->overruns);
	print_fp(mon->overruns == 1 ? " overrun" : " overruns");
	if (!b)
		print_string(PRINT_JSON, "kernel", NULL, NULL);
	else
		open_json_object("kernel");
	for (i = 0; b && i < ARRAY_SIZE(sc_events); i++) {
		x = a->ev[sc_events[i].id];
		y = b->ev[sc_events[i].id];
		print_fp("%s%s ", sep, sc_events[i].text);
		/* Reset meanwhile: count from zero. */
		print_uint(PRINT_ANY, sc_events[i].key, "%" PRIu64,
			   y >= x ? y - x : y);
		sep = ", ";
	}
	if (b)
		close_json_object();
	print_fp("\n");
	close_json_object();
	print_end();
}

int monitor_main(int argc, char **argv, bool json)
{
	static const struct option o[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sc_stats *st = calloc(2, sizeof(*st));
	struct monitor mon = { .nfilters = 0 };
	struct sc_handle *h = NULL;
	const char *word;
	double secs = 0;
	int c, fd = -1, ret = EXIT_USAGE;

	mon.filters = calloc(argc + 1, sizeof(*mon.filters));
	if (!mon.filters || !st) {
		cli_err("monitor: %s", strerror(ENOMEM));
		ret = EXIT_FAILURE;
		goto out;
	}
	while ((c = cli_next(argc, argv, "+:jn:t:h", o, &word)) != -1) {
		if (c == 'h') {
			ret = EXIT_HELP;
			goto out;
		} else if (c == 'j') {
			json = true;
		} else if (c == 'n' &&
			   !cli_count("monitor", optarg, &mon.count)) {
			goto out;
		} else if (c == 't' &&
			   !cli_seconds("monitor", "time", optarg, &secs)) {
			goto out;
		} else if (c == '?' || (!c && !cli_match("monitor", word,
						&mon.filters[mon.nfilters++]))) {
			goto out;
		}
	}
	mon.json = json;
	/* SIGINT and SIGTERM are taken only while waiting. */
	cli_signals();
	ret = EXIT_FAILURE;
	h = cli_open("monitor");
	if (!h)
		goto out;
	/*
	 * The counters before joining: an event sent before is not ours,
	 * and one sent to nobody meanwhile counts as unheard.
	 */
	if ((c = sc_stats_get(h, &st[0])) || (c = fd = sc_events_subscribe(h)) < 0) {
		cli_fail(h, "monitor", c);
		goto out;
	}
	c = loop(h, fd, &mon, secs);
	fflush(stdout);
	if ((fd = sc_stats_get(h, &st[1]))) {
		cli_fail(h, "monitor", fd);
		summary(&mon, &st[0], NULL);
	} else {
		summary(&mon, &st[0], &st[1]);
		ret = c ? EXIT_FAILURE : EXIT_SUCCESS;
	}
out:
	sc_close(h);
	free(mon.filters);
	free(st);
	return ret;
}
