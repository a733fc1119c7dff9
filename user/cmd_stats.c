// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl stats": the counters as a table or JSON, for Prometheus,
 * again and again with rates (-w), the insight tables (--by-method,
 * --reasons), the transactions and their delays (--delays), the RFC 6076
 * ratios (--kpi, cmd_kpi.c), the codes by direction and by peer
 * (--by-peer), and "stats reset".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "codes.h"
#include "print.h"

#define NCLASSES	SC_CLASS_MAX

static const char *reason_of(unsigned int code)
{
	const struct sip_code_info *ci = sip_code_lookup(code);

	return ci && ci->reason && ci->reason[0] ? ci->reason : NULL;
}

static const char *class_name(unsigned int cls)
{
	return sip_class_names[cls] && sip_class_names[cls][0] ?
	       sip_class_names[cls] : "-";
}

static int text_width(const char *s, int w)
{
	int n = strlen(s);

	return n > w ? n : w;
}

static const char *rate_str(const double *rate, unsigned int i, char *buf)
{
	if (rate[i] < 0)
		return "-";
	snprintf(buf, 32, "%.1f", rate[i]);
	return buf;
}

/* A namespace not inspected: a note, or {"active":false}. */
static void print_inactive(void)
{
	open_json_object(NULL);
	print_bool(PRINT_JSON, "active", NULL, false);
	close_json_object();
	print_fp("sipcode does not inspect this network namespace: nothing was configured\n"
		 "here (sipcodectl ports set, rule add or config), and the module was not\n"
		 "loaded with all_netns=1.\n");
}

/* The table, or JSON; with @rate (-w), a RATE/s column. */
static void stats_print(const struct prom *p, bool all, const double *rate,
			bool json)
{
	const struct sc_stats *s = &p->s;
	bool dry_run = p->c.val[SC_DRY_RUN], txn = stats_txn(p);
	uint64_t cls[NCLASSES + 1] = { 0 }, total = 0, any = 0;
	int wr = strlen("not a response") - 6, wn = strlen("DROPPED"), wt = 0;
	const struct sc_counters *c;
	const char *sep = "\nevents: ";
	unsigned int i;
	char buf[32];

	for (i = 0; i < SIPCODE_NCODES; i++)
		cls[(i + SIPCODE_CODE_MIN) / 100] += s->code[i].seen;
	for (i = 1; i <= NCLASSES; i++) {
		total += cls[i];
		wr = text_width(class_name(i), wr);
	}
	for (i = 0; i < ARRAY_SIZE(sc_uncounted); i++)
		total += s->uc[sc_uncounted[i].id];
	for (i = 0; i < SIPCODE_NCODES; i++) {
		if (!stats_listed(s, all, i))
			continue;
		c = &s->code[i];
		if (reason_of(i + SIPCODE_CODE_MIN))
			wr = text_width(reason_of(i + SIPCODE_CODE_MIN), wr);
		wn = width_of(c->seen, width_of(c->dropped, width_of(c->marked, wn)));
		if (txn)
			wn = width_of(c->first_final,
				      width_of(c->retransmitted, wn));
		if (rate)
			wt = text_width(rate_str(rate, i, buf), wt);
	}
	wn = width_of(total, wn);
	print_start(stdout, json);
	if (s->inactive && !rate) {
		print_inactive();
		print_end();
		return;
	}
	open_json_object(NULL);
	print_bool(PRINT_JSON, "active", NULL, true);
	print_fp("%-4s  %-*s  %*s  %*s  %*s", "CODE", wr, "REASON", wn, "SEEN",
		 wn, "DROPPED", wn, "MARKED");
	if (txn)
		print_fp("  %*s  %*s", wn, "FIRST", wn, "RETRANS");
	if (rate)
		print_fp("  %*s", text_width("RATE/s", wt), "RATE/s");
	print_fp("\n");
	open_json_array("codes");
	for (i = 0; i < SIPCODE_NCODES; i++) {
		if (!stats_listed(s, all, i))
			continue;
		c = &s->code[i];
		open_json_object(NULL);
		print_uint(PRINT_ANY, "code", "%-4" PRIu64, i + SIPCODE_CODE_MIN);
		print_string_w(PRINT_ANY, "reason", "  %-*s", wr,
			       reason_of(i + SIPCODE_CODE_MIN));
		print_uint(PRINT_JSON, "class", NULL, (i + SIPCODE_CODE_MIN) / 100);
		print_uint_w(PRINT_ANY, "seen", "  %*" PRIu64, wn, c->seen);
		print_uint_w(PRINT_ANY, "dropped", "  %*" PRIu64, wn, c->dropped);
		print_uint_w(PRINT_ANY, "marked", "  %*" PRIu64, wn, c->marked);
		if (txn) {
			print_uint_w(PRINT_ANY, "first_final", "  %*" PRIu64,
				     wn, c->first_final);
			print_uint_w(PRINT_ANY, "retransmitted", "  %*" PRIu64,
				     wn, c->retransmitted);
		}
		/* In JSON only: the table keeps its columns (--by-peer has them). */
		if (c->dir) {
			print_uint(PRINT_JSON, "in", NULL, c->in);
			print_uint(PRINT_JSON, "out", NULL, c->out);
		}
		if (c->relay)
			print_uint(PRINT_JSON, "relayed", NULL, c->relayed);
		if (rate)
			print_fp("  %*s", text_width("RATE/s", wt),
				 rate_str(rate, i, buf));
		print_fp("\n");
		close_json_object();
	}
	close_json_array();
	print_fp("\n%-*s  %*s\n", wr + 6, "CLASS", wn, "SEEN");
	open_json_object("classes");
	for (i = 1; i <= NCLASSES; i++) {
		snprintf(buf, sizeof(buf), "%uxx", i);
		print_fp("%-4s  %-*s", buf, wr, class_name(i));
		print_uint_w(PRINT_ANY, buf, "  %*" PRIu64 "\n", wn,
			     cls[i]);
	}
	close_json_object();
	print_fp("\n%-*s  %*s\n", wr + 6, "NOT COUNTED", wn, "COUNT");
	for (i = 0; i < ARRAY_SIZE(sc_uncounted); i++) {
		print_fp("%-*s", wr + 6, sc_uncounted[i].text);
		print_uint_w(PRINT_ANY, sc_uncounted[i].key, "  %*" PRIu64 "\n",
			     wn, s->uc[sc_uncounted[i].id]);
	}
	print_fp("\n%-*s", wr + 6, "total");
	print_uint_w(PRINT_ANY, "total", "  %*" PRIu64 "\n", wn, total);
	print_bool(PRINT_JSON, "dry_run", NULL, dry_run);
	for (i = 0; i < ARRAY_SIZE(sc_events); i++)
		any |= s->ev[sc_events[i].id];
	if (s->have_ev && (any || is_json())) {
		open_json_object("events");
		for (i = 0; i < ARRAY_SIZE(sc_events); i++) {
			print_fp("%s%s", sep, sc_events[i].text);
			print_uint(PRINT_ANY, sc_events[i].key, " %" PRIu64,
				   s->ev[sc_events[i].id]);
			sep = ", ";
		}
		print_fp("\n");
		close_json_object();
	}
	if (dry_run)
		print_fp("\ndry-run: on (rules drop and mark nothing)\n");
	close_json_object();
	print_end();
}

/* --by-method and --reasons: the codes @f matches, when not NULL. */
static int table_show(struct sc_handle *h, bool reasons,
		      const struct sc_rule *f, bool json)
{
	struct sc_method_count *m = NULL;
	struct sc_reason *r = NULL;
	int wm = strlen("METHOD"), wn = strlen("COUNT"), ret;
	uint32_t code;
	size_t i, n = 0;
	char buf[16];

	cli_json_errors = json;
	ret = reasons ? sc_reasons_get(h, &r, &n) : sc_methods_get(h, &m, &n);
	if (ret == -ENODATA && reasons)
		cli_err("reason phrases are off: sipcodectl config reasons on");
	else if (ret == -ENODATA)
		cli_err("per-method counting is off: sipcodectl config by-method on");
	else if (ret == -EPERM && reasons)
		cli_err("stats --reasons: reason phrases are bytes of the traffic: reading them needs CAP_NET_ADMIN");
	else if (ret)
		cli_fail(h, reasons ? "stats --reasons" : "stats --by-method", ret);
	if (ret)
		goto out;
	for (i = 0; i < n; i++) {
		wn = width_of(reasons ? r[i].count : m[i].count, wn);
		if (!reasons)
			wm = text_width(cli_method(m[i].method, buf), wm);
	}
	print_start(stdout, json);
	open_json_object(NULL);
	if (reasons)
		print_fp("%-4s  %*s  %s\n", "CODE", wn, "COUNT", "PHRASE");
	else
		print_fp("%-4s  %-*s  %*s\n", "CODE", wm, "METHOD", wn, "COUNT");
	open_json_array(reasons ? "reasons" : "by_method");
	for (i = 0; i < n; i++) {
		code = reasons ? r[i].code : m[i].code;
		if (f && (code < f->low || code > f->high))
			continue;
		open_json_object(NULL);
		print_uint(PRINT_ANY, "code", "%-4" PRIu64, code);
		if (reasons) {
			print_fp("  %*" PRIu64 "  ", wn, r[i].count);
			print_phrase(PRINT_ANY, "phrase", r[i].phrase, r[i].len,
				     r[i].truncated);
			print_uint(PRINT_JSON, "count", NULL, r[i].count);
		} else {
			print_string_w(PRINT_ANY, "method", "  %-*s", wm,
				       cli_method(m[i].method, buf));
			print_uint_w(PRINT_ANY, "count", "  %*" PRIu64, wn,
				     m[i].count);
		}
		print_fp("\n");
		close_json_object();
	}
	close_json_array();
	close_json_object();
	print_end();
out:
	free(m);
	free(r);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* "SRD INVITE", "INVITE final 2xx": the histogram @d, in @buf (32 bytes). */
static const char *delay_name(const struct sc_delay *d, char *buf)
{
	if (d->cls)
		snprintf(buf, 32, "%s %uxx", sc_delays[d->kind].text, d->cls);
	else
		snprintf(buf, 32, "%s", sc_delays[d->kind].text);
	return buf;
}

/* A quantile of @d: in text seconds, in JSON microseconds (null: none). */
static void print_quantile(const char *key, const struct sc_delay *d,
			   double q)
{
	double us = sc_delay_quantile(d, q);

	if (is_json() && us < 0)
		print_string(PRINT_JSON, key, NULL, NULL);
	else if (is_json())
		print_uint(PRINT_JSON, key, NULL, (uint64_t)(us + 0.5));
	else if (us < 0)
		print_fp("  %9s", "-");
	else
		print_fp("  %9.3f", us / 1e6);
}

/* --delays: the transaction table, its requests by method, the delays. */
static int txn_show(struct sc_handle *h, bool json)
{
	static const double q[] = { 0.5, 0.9, 0.99 };
	static const char *const qkey[] = { "p50_us", "p90_us", "p99_us" };
	int wl = strlen("requests retransmitted"), wn = strlen("COUNT");
	int wm = strlen("METHOD"), wd = strlen("INVITE final 2xx");
	const struct sc_delay *d;
	char buf[32], name[32];
	struct sc_txn t;
	unsigned int k;
	size_t i;
	int ret;

	cli_json_errors = json;
	ret = sc_txn_get(h, &t);
	if (ret == -ENODATA)
		cli_err("transactions are off: sipcodectl config transactions on");
	else if (ret)
		cli_fail(h, "stats --delays", ret);
	if (ret)
		return EXIT_FAILURE;
	snprintf(buf, sizeof(buf), "%" PRIu64 "/%u", t.n[SIPCODE_TXN_A_ENTRIES],
		 t.max);
	wn = text_width(buf, wn);
	for (k = 0; k < SIPCODE_TXN_A_MAX + 1; k++)
		wn = width_of(t.n[k], wn);
	for (i = 0; i < t.nm; i++)
		wm = text_width(cli_method(t.m[i].method, buf), wm);
	for (i = 0; i < t.nd; i++)
		wd = text_width(delay_name(&t.d[i], name), wd);

	print_start(stdout, json);
	open_json_object(NULL);
	print_uint(PRINT_JSON, "transactions_max", NULL, t.max);
	print_fp("%-*s  %*s\n", wl, "TRANSACTIONS", wn, "COUNT");
	open_json_object("txn");
	for (k = 0; k < ARRAY_SIZE(sc_txn_counters); k++) {
		print_fp("%-*s", wl, sc_txn_counters[k].text);
		print_uint(PRINT_JSON, sc_txn_counters[k].key, NULL,
			   t.n[sc_txn_counters[k].id]);
		snprintf(buf, sizeof(buf), k ? "%" PRIu64 : "%" PRIu64 "/%u",
			 t.n[sc_txn_counters[k].id], t.max);
		print_fp("  %*s\n", wn, buf);
	}
	close_json_object();

	print_fp("\n%-*s", wm, "METHOD");
	for (k = 0; k < ARRAY_SIZE(sc_txn_method_counters); k++)
		print_fp("  %*s", text_width(sc_txn_method_counters[k].text, wn),
			 sc_txn_method_counters[k].text);
	print_fp("\n");
	open_json_array("methods");
	for (i = 0; i < t.nm; i++) {
		open_json_object(NULL);
		print_string_w(PRINT_ANY, "method", "%-*s", wm,
			       cli_method(t.m[i].method, buf));
		for (k = 0; k < ARRAY_SIZE(sc_txn_method_counters); k++)
			print_uint_w(PRINT_ANY, sc_txn_method_counters[k].key,
				     "  %*" PRIu64,
				     text_width(sc_txn_method_counters[k].text, wn),
				     t.m[i].n[sc_txn_method_counters[k].id]);
		print_fp("\n");
		close_json_object();
	}
	close_json_array();

	print_fp("\n%-*s  %*s  %9s  %9s  %9s  %9s  %9s\n", wd, "DELAY", wn,
		 "COUNT", "SUM s", "MEAN s", "P50 s", "P90 s", "P99 s");
	open_json_array("delays");
	for (i = 0; i < t.nd; i++) {
		d = &t.d[i];
		open_json_object(NULL);
		print_fp("%-*s", wd, delay_name(d, name));
		print_string(PRINT_JSON, "kind", NULL, sc_delays[d->kind].key);
		if (d->cls)
			print_uint(PRINT_JSON, "class", NULL, d->cls);
		else
			print_string(PRINT_JSON, "class", NULL, NULL);
		print_uint_w(PRINT_ANY, "count", "  %*" PRIu64, wn, d->count);
		print_uint(PRINT_JSON, "sum_us", NULL, d->sum_us);
		print_fp("  %9.3f", d->sum_us / 1e6);
		if (d->count)
			print_fp("  %9.3f", d->sum_us / 1e6 / d->count);
		else
			print_fp("  %9s", "-");
		open_json_array("buckets");
		for (k = 0; k < d->nb; k++) {
			open_json_object(NULL);
			if (d->le_us[k])
				print_uint(PRINT_JSON, "le_us", NULL, d->le_us[k]);
			else
				print_string(PRINT_JSON, "le_us", NULL, NULL);
			print_uint(PRINT_JSON, "count", NULL, d->bucket[k]);
			close_json_object();
		}
		close_json_array();
		for (k = 0; k < ARRAY_SIZE(q); k++)
			print_quantile(qkey[k], d, q[k]);
		print_fp("\n");
		close_json_object();
	}
	close_json_array();
	close_json_object();
	print_end();
	sc_txn_free(&t);
	return EXIT_SUCCESS;
}

/* "486", or for a class's counter (1 to 6) "4xx" and @star, in @buf (16 bytes). */
static const char *count_name(uint32_t code, const char *star, char *buf)
{
	if (code < SIPCODE_CODE_MIN)
		snprintf(buf, 16, "%uxx%s", code, star);
	else
		snprintf(buf, 16, "%u", code);
	return buf;
}

/*
 * The counters of @r into @o as printed: class by class, its codes, then
 * its other codes (the class's counter, which the kernel puts first).
 */
static size_t in_order(const struct sc_peer_stats *r,
		       const struct sc_count **o)
{
	unsigned int cls;
	size_t i, n = 0;

	for (cls = 1; cls <= NCLASSES; cls++) {
		for (i = 0; i < r->n; i++)
			if (r->c[i].code / 100 == cls)
				o[n++] = &r->c[i];
		for (i = 0; i < r->n; i++)
			if (r->c[i].code == cls)
				o[n++] = &r->c[i];
	}
	return n;
}

/* A code of the split: seen, and the kernel said which way. */
static bool split(const struct sc_counters *c)
{
	return c->dir && c->seen;
}

/* The columns of dir_print(), in their order: RELAYED is a part of IN. */
enum { DIR_IN, DIR_RELAYED, DIR_OUT };
static const struct sc_name dir_cols[] = {
	{ DIR_IN, "IN", "in" },
	{ DIR_RELAYED, "RELAYED", "relayed" },
	{ DIR_OUT, "OUT", "out" },
};

static uint64_t dir_count(const struct sc_counters *c, int k)
{
	return k == DIR_IN ? c->in : k == DIR_RELAYED ? c->relayed : c->out;
}

/* Column @k of dir_print(): RELAYED only when the kernel sent it. */
static bool dir_shown(int k, bool relayed)
{
	return k != DIR_RELAYED || relayed;
}

/*
 * Each code seen, received (in), of those the host relayed (relayed:
 * while the kernel sends it) and sent (out): a table, or in JSON
 * "directions", an object of the codes for each, the same codes in all.
 */
static void dir_print(const struct sc_stats *s)
{
	int wr = strlen("REASON"), w[ARRAY_SIZE(dir_cols)];
	const struct sc_counters *c;
	bool relayed = false;
	unsigned int i, k;
	char key[16];

	for (k = 0; k < ARRAY_SIZE(dir_cols); k++)
		w[k] = strlen(dir_cols[k].text);
	for (i = 0; i < SIPCODE_NCODES; i++) {
		c = &s->code[i];
		if (!split(c))
			continue;
		relayed |= c->relay;
		if (reason_of(i + SIPCODE_CODE_MIN))
			wr = text_width(reason_of(i + SIPCODE_CODE_MIN), wr);
		w[DIR_IN] = width_of(c->in, width_of(c->out, w[DIR_IN]));
		w[DIR_RELAYED] = width_of(c->relayed, w[DIR_RELAYED]);
	}
	w[DIR_OUT] = w[DIR_IN];
	open_json_object("directions");
	for (k = 0; is_json() && k < ARRAY_SIZE(dir_cols); k++) {
		if (!dir_shown(k, relayed))
			continue;
		open_json_object(dir_cols[k].key);
		for (i = 0; i < SIPCODE_NCODES; i++) {
			if (!split(&s->code[i]))
				continue;
			snprintf(key, sizeof(key), "%u", i + SIPCODE_CODE_MIN);
			print_uint(PRINT_JSON, key, NULL,
				   dir_count(&s->code[i], k));
		}
		close_json_object();
	}
	close_json_object();
	if (is_json())
		return;
	print_fp("%-4s  %-*s", "CODE", wr, "REASON");
	for (k = 0; k < ARRAY_SIZE(dir_cols); k++)
		if (dir_shown(k, relayed))
			print_fp("  %*s", w[k], dir_cols[k].text);
	for (i = 0; i < SIPCODE_NCODES; i++) {
		c = &s->code[i];
		if (!split(c))
			continue;
		print_fp("\n%-4u  %-*s", i + SIPCODE_CODE_MIN, wr,
			 reason_of(i + SIPCODE_CODE_MIN) ?: "-");
		for (k = 0; k < ARRAY_SIZE(dir_cols); k++)
			if (dir_shown(k, relayed))
				print_fp("  %*" PRIu64, w[k], dir_count(c, k));
	}
	print_fp("\n");
}

/* Whether row @r is printed: every row, or with @name that peer's. */
static bool shown(const struct sc_peer_stats *r, const char *name)
{
	return !name || (!r->other && !strcmp(r->name, name));
}

/* A row's peer in text: no name has parentheses. */
static const char *row_peer(const struct sc_peer_stats *r)
{
	return r->other ? "(other)" : r->name;
}

/*
 * The rows shown: in text a line a counter, by class (a row without one:
 * "-" and 0); in JSON the array "peers", an object a row.
 */
static void peers_print(const struct sc_peer_stats *r, size_t n,
			const char *name)
{
	const struct sc_count *o[SIPCODE_PEER_COLUMNS];
	int wp = strlen("(other)"), wc = strlen("COUNT");
	const char *dir;
	bool star = false;
	size_t i, k, m;
	char buf[16];

	for (i = 0; i < n; i++) {
		if (!shown(&r[i], name))
			continue;
		wp = text_width(r[i].name, wp);
		for (k = 0; k < r[i].n; k++)
			wc = width_of(r[i].c[k].count, wc);
	}
	print_fp("%-*s  %-3s  %-4s  %*s\n", wp, "PEER", "DIR", "CODE", wc,
		 "COUNT");
	open_json_array("peers");
	for (i = 0; i < n; i++) {
		if (!shown(&r[i], name))
			continue;
		dir = sc_directions[r[i].dir];
		open_json_object(NULL);
		print_string(PRINT_JSON, "peer", NULL,
			     r[i].other ? NULL : r[i].name);
		print_string(PRINT_JSON, "direction", NULL, dir);
		open_json_object("codes");
		m = in_order(&r[i], o);
		if (!m)
			print_fp("%-*s  %-3s  %-4s  %*d\n", wp, row_peer(&r[i]),
				 dir, "-", wc, 0);
		for (k = 0; k < m; k++) {
			print_fp("%-*s  %-3s  %-4s", wp, row_peer(&r[i]), dir,
				 count_name(o[k]->code, "*", buf));
			print_uint_w(PRINT_ANY, count_name(o[k]->code, "", buf),
				     "  %*" PRIu64 "\n", wc, o[k]->count);
			star |= o[k]->code < SIPCODE_CODE_MIN;
		}
		close_json_object();
		close_json_object();
	}
	close_json_array();
	if (star)
		print_fp("\n*: the other codes of the class, those without a counter of their own\n");
}

/*
 * --by-peer: each code by direction, then the counters of each peer and
 * of no peer, or of peer @name only.
 */
static int peers_show(struct sc_handle *h, const char *name, bool json)
{
	struct sc_stats *s = calloc(1, sizeof(*s));
	struct sc_peer_stats *r = NULL;
	int ret = s ? 0 : -ENOMEM;
	size_t i = 0, n = 0;

	cli_json_errors = json;
	if (!ret)
		ret = sc_peer_stats_get(h, &r, &n) ?: sc_stats_get(h, s);
	if (ret == -EOPNOTSUPP && sc_by_kernel(h))
		cli_err("stats --by-peer: the sipcode module has no counters by peer (too old?)");
	else if (ret)
		cli_fail(h, "stats --by-peer", ret);
	while (!ret && name && i < n && !shown(&r[i], name))
		i++;
	if (!ret && name && i == n) {
		cli_err("stats --by-peer: no peer \"%s\"", name);
		ret = -ENOENT;
	}
	if (ret)
		goto out;
	print_start(stdout, json);
	if (s->inactive) {
		print_inactive();
	} else {
		open_json_object(NULL);
		dir_print(s);
		print_fp("\n");
		if (n) {
			peers_print(r, n, name);
		} else {
			open_json_array("peers");
			close_json_array();
			print_fp("no peer is configured: sipcodectl peer add NAME PREFIX...\n");
		}
		close_json_object();
	}
	print_end();
out:
	sc_peer_stats_free(r);
	free(s);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

void stats_rates(const struct sc_stats *prev, const struct sc_stats *cur,
		 double secs, double *rate)
{
	uint64_t a, b;
	unsigned int i;

	for (i = 0; i < SIPCODE_NCODES; i++) {
		a = prev ? prev->code[i].seen : 0;
		b = cur->code[i].seen;
		/* A reset in between: from zero, as Prometheus does. */
		rate[i] = !prev || secs <= 0 ? -1 : (b >= a ? b - a : b) / secs;
	}
}

/*
 * The counters once, or with @secs every @secs seconds with the rate of
 * each code since the table before, until @count tables or SIGINT or
 * SIGTERM. On a terminal each table replaces the one before.
 */
static int stats_show(struct sc_handle *h, bool all, int format, double secs,
		      unsigned long count)
{
	struct prom *p = calloc(2, sizeof(*p)), *cur, *prev;
	double *rate = calloc(SIPCODE_NCODES, sizeof(*rate));
	bool tty = secs && isatty(STDOUT_FILENO);
	double next = cli_now(), t_cur, t_prev = 0;
	int err = p && rate ? 0 : -ENOMEM;
	char when[64] = "";
	unsigned long n;
	struct tm tm;
	time_t now;

	if (secs)
		cli_signals();
	/* One write per table: no flicker on a terminal. */
	if (tty)
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	for (n = 0; !err; n++) {
		cur = &p[n % 2];
		prev = &p[(n + 1) % 2];
		err = prom_read(h, cur, format == 'p');
		if (err)
			break;
		t_cur = cli_now();
		stats_rates(n ? &prev->s : NULL, &cur->s, t_cur - t_prev, rate);
		if (secs) {
			fputs(tty ? "\033[H\033[2J" : n ? "\n" : "", stdout);
			now = time(NULL);
			if (localtime_r(&now, &tm))
				strftime(when, sizeof(when),
					 "%Y-%m-%d %H:%M:%S", &tm);
			printf("Every %gs: sipcodectl stats%s    %s\n\n", secs,
			       all ? " -a" : "", when);
		}
		if (format == 'p')
			prom_write(stdout, cur, all);
		else
			stats_print(cur, all, secs ? rate : NULL,
				    format == 'j');
		/* A write error: main() says it. */
		if (!secs || (count && n + 1 >= count) || fflush(stdout) ||
		    ferror(stdout))
			break;
		t_prev = t_cur;
		/* Keep the beat; after a slow dump, start again from now. */
		next += secs;
		if (next < t_cur)
			next = t_cur + secs;
		if (cli_wait(-1, next) < 0)
			break;
	}
	if (err)
		cli_fail(h, "stats", err);
	if (p) {
		prom_free(&p[0]);
		prom_free(&p[1]);
	}
	free(p);
	free(rate);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static const struct option stats_opts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "output", required_argument, NULL, 'o' },
	{ "watch", optional_argument, NULL, 'w' },
	{ "count", required_argument, NULL, 'n' },
	{ "by-method", no_argument, NULL, 'M' },
	{ "reasons", no_argument, NULL, 'R' },
	{ "delays", no_argument, NULL, 'D' },
	{ "by-peer", optional_argument, NULL, 'P' },
	{ "kpi", optional_argument, NULL, 'K' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The word after an option that may take one, if it is not a subcommand. */
static const char *value_after(int argc, char **argv)
{
	const char *v = optind < argc ? argv[optind] : NULL;

	if (!v || v[0] == '-' || !strcmp(v, "show") || !strcmp(v, "reset"))
		return NULL;
	optind++;
	return v;
}

int stats_main(int argc, char **argv, bool json)
{
	const char *sub = NULL, *word, *opt_o = NULL, *v, *table = NULL;
	const char *peer = NULL;
	bool all = false, help = false;
	struct sc_rule filter, *pf = NULL;
	unsigned long count = 0;
	struct sc_handle *h;
	double secs = 0;
	int c, format = 0, ret;

	while ((c = cli_next(argc, argv, "+:ajpo:w::n:h", stats_opts, &word)) != -1) {
		switch (c) {
		case 0:
			if (!sub && (!strcmp(word, "show") || !strcmp(word, "reset"))) {
				sub = word;
				break;
			}
			if (table && (!strcmp(table, "--delays") ||
				      !strcmp(table, "--kpi")))
				cli_err("stats %s: unexpected argument \"%s\"",
					table, word);
			else
				cli_err(sub ? "stats: unexpected argument \"%s\"" :
					"stats: unknown subcommand \"%s\"", word);
			return EXIT_USAGE;
		case 'a': all = true; break;
		case 'j': json = true; break;
		case 'p': print_pretty = json = true; break;
		case 'h': help = true; break;
		case 'o':
			opt_o = optarg;
			format = !strcmp(optarg, "text") ? 't' :
				 !strcmp(optarg, "json") ? 'j' :
				 !strcmp(optarg, "prometheus") ? 'p' : 0;
			if (format)
				break;
			cli_err("stats: invalid output format \"%s\": text, json or prometheus",
				optarg);
			return EXIT_USAGE;
		case 'n':
			if (cli_count("stats", optarg, &count))
				break;
			return EXIT_USAGE;
		case 'w':
			v = optarg ? optarg : value_after(argc, argv);
			secs = 1;
			if (!v || cli_seconds("stats", "interval", v, &secs))
				break;
			return EXIT_USAGE;
		case 'M':
		case 'R':
		case 'D':
		case 'K':
		case 'P':
			v = c == 'M' ? "--by-method" : c == 'R' ? "--reasons" :
			    c == 'D' ? "--delays" : c == 'K' ? "--kpi" :
			    "--by-peer";
			if (table && strcmp(table, v)) {
				cli_err("stats: %s and %s conflict", table, v);
				return EXIT_USAGE;
			}
			table = v;
			if (c == 'P' || c == 'K') {
				/* A name that starts with - : --by-peer=NAME. */
				v = optarg ? optarg : value_after(argc, argv);
				if (v && peer) {
					cli_err("stats %s: peer given twice", table);
					return EXIT_USAGE;
				}
				if (v && !sc_peer_name_valid(v)) {
					cli_err("stats %s: invalid name \"%s\": 1 to %d letters, digits and -_.:@",
						table, v, SIPCODE_PEER_NAME_MAX - 1);
					return EXIT_USAGE;
				}
				peer = v ? v : peer;
			} else if (c != 'D' && (v = value_after(argc, argv))) {
				char what[32];

				snprintf(what, sizeof(what), "stats %s", table);
				if (!cli_match(what, v, &filter))
					return EXIT_USAGE;
				pf = &filter;
			}
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (help)
		return EXIT_HELP;
	if (sub && !strcmp(sub, "reset") && (all || opt_o || secs || count || table)) {
		cli_err("stats reset: takes no option but -h");
		return EXIT_USAGE;
	}
	if (json && opt_o && format != 'j') {
		cli_err("stats: -j and -o %s conflict", opt_o);
		return EXIT_USAGE;
	}
	if (json)
		format = 'j';
	if (count && !secs) {
		cli_err("stats: -n needs -w");
		return EXIT_USAGE;
	}
	if (table && (all || secs || format == 'p')) {
		cli_err("stats: %s prints a table or JSON: not with %s", table,
			all ? "-a" : secs ? "-w" : "-o prometheus");
		return EXIT_USAGE;
	}
	if (secs && format && format != 't') {
		cli_err("stats: -w prints the table: not with -j or -o %s",
			format == 'j' ? "json" : "prometheus");
		return EXIT_USAGE;
	}
	h = cli_open("stats");
	if (!h)
		return EXIT_FAILURE;
	if (sub && !strcmp(sub, "reset")) {
		ret = sc_change(h, SIPCODE_CMD_STATS_RESET, NULL, NULL);
		if (ret == -EPERM && sc_by_kernel(h))
			cli_err("stats reset: needs CAP_NET_ADMIN (%s)",
				strerror(EPERM));
		else if (ret)
			cli_fail(h, "stats reset", ret);
		ret = ret ? EXIT_FAILURE : EXIT_SUCCESS;
	} else if (table && !strcmp(table, "--delays")) {
		ret = txn_show(h, format == 'j');
	} else if (table && !strcmp(table, "--kpi")) {
		ret = kpi_show(h, peer, format == 'j');
	} else if (table && !strcmp(table, "--by-peer")) {
		ret = peers_show(h, peer, format == 'j');
	} else if (table) {
		ret = table_show(h, table[2] == 'r', pf, format == 'j');
	} else {
		ret = stats_show(h, all, format, secs, count);
	}
	sc_close(h);
	return ret;
}
