// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl stats --kpi": the ratios of RFC 6076 from the transaction
 * table, each with the counts that make it. The kernel counts, for
 * INVITE and REGISTER, the transactions it followed (a request, its
 * retransmissions aside), those it forgot with no final response, and
 * their first final responses by code: a final response retransmitted
 * is counted once, as the RFC counts requests "with" a response.
 *
 *   SER   4.6  INVITEs answered 200 / (INVITEs - those answered 3xx)
 *   SEER  4.7  INVITEs answered 200, 480, 486, 600 or 603 / the same
 *   ISA   4.8  INVITEs answered 408, 500, 503 or 504 / INVITEs
 *   IRA   4.2  REGISTERs answered 408, 500, 503 or 504, or never
 *              answered (forgotten after 32 s) / REGISTERs
 *   ASR        INVITEs answered 200 / INVITEs (E.411's answer-seizure
 *              ratio, 3xx included in the seizures)
 *
 * NER (E.411) has no SIP definition that tools agree on; SEER's codes
 * are the usual one (the call reached the user: answered, busy, no
 * answer or declined).
 *
 * With peers, the same ratios for each peer and direction, from its
 * transactions (kmod/peers.c): in, those it answered; out, those it
 * asked. A peer has no timeout counter: its unanswered transactions are
 * those tracked less those with a first final, the pending ones too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "print.h"

/* A ratio: codes (a class's column: 1 to 6) over a denominator. */
struct kpi {
	const char *name, *key, *rfc, *what;
	unsigned int method;		/* SIPCODE_METHOD_INVITE or _REGISTER */
	unsigned short codes[6];	/* 0-terminated */
	bool timeouts;			/* the unanswered too */
	bool less_3xx;			/* the denominator less the 3xx */
};

static const struct kpi kpis[] = {
	{ "SER", "ser", "4.6", "INVITE answered 200 / (INVITE - 3xx)",
	  SIPCODE_METHOD_INVITE, { 200 }, false, true },
	{ "SEER", "seer", "4.7",
	  "INVITE answered 200 480 486 600 603 / (INVITE - 3xx)",
	  SIPCODE_METHOD_INVITE, { 200, 480, 486, 600, 603 }, false, true },
	{ "ISA", "isa", "4.8", "INVITE answered 408 500 503 504 / INVITE",
	  SIPCODE_METHOD_INVITE, { 408, 500, 503, 504 }, false, false },
	{ "IRA", "ira", "4.2",
	  "REGISTER answered 408 500 503 504 or unanswered / REGISTER",
	  SIPCODE_METHOD_REGISTER, { 408, 500, 503, 504 }, true, false },
	{ "ASR", "asr", "-", "INVITE answered 200 / INVITE",
	  SIPCODE_METHOD_INVITE, { 200 }, false, false },
};

/* The counts the ratios divide: INVITE's and REGISTER's; NULL: none. */
struct kpi_src {
	const struct sc_txn_method *m[SC_FINAL_METHODS];  /* sc_final_index() */
};

static const struct sc_txn_method *method_of(const struct sc_txn *t,
					     unsigned int method)
{
	size_t i;

	for (i = 0; i < t->nm; i++)
		if (t->m[i].method == method)
			return &t->m[i];
	return NULL;
}

/* First finals of @m with code @code, or of the class @code / 100 with 0. */
static uint64_t finals(const struct sc_txn_method *m, unsigned int code,
		       unsigned int cls)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; m && i < m->nfinal; i++) {
		unsigned int c = m->final[i].code;

		if (c == code || (cls && (c == cls || c / 100 == cls)))
			n += m->final[i].count;
	}
	return n;
}

/* The first finals of @m, every code. */
static uint64_t answered(const struct sc_txn_method *m)
{
	uint64_t n = 0;
	unsigned int cls;

	for (cls = 2; cls <= SC_CLASS_MAX; cls++)
		n += finals(m, 0, cls);
	return n;
}

/* The numerator and denominator of @k. */
static void kpi_counts(const struct kpi_src *s, const struct kpi *k,
		       uint64_t *num, uint64_t *den)
{
	const struct sc_txn_method *m = s->m[sc_final_index(k->method)];
	uint64_t less = k->less_3xx ? finals(m, 0, 3) : 0;
	unsigned int i;

	*num = 0;
	*den = m ? m->n[SIPCODE_TXN_METHOD_A_TRACKED] : 0;
	for (i = 0; i < ARRAY_SIZE(k->codes) && k->codes[i]; i++)
		*num += finals(m, k->codes[i], 0);
	if (k->timeouts && m)
		*num += m->n[SIPCODE_TXN_METHOD_A_TIMEOUTS];
	/* More 3xx than requests: a peer added while calls went on. */
	*den = *den > less ? *den - less : 0;
}

/* The percent of @num / @den: in text "  %7s" ("-" without @den). */
static void percent_print(uint64_t num, uint64_t den)
{
	char pct[16];

	if (den) {
		snprintf(pct, sizeof(pct), "%.2f", 100.0 * num / den);
		print_fp("  %7s", pct);
		print_float(PRINT_JSON, "percent", NULL, 100.0 * num / den);
	} else {
		print_string(PRINT_ANY, "percent", "  %7s", NULL);
	}
}

/* The first finals of @m by code, in JSON: "486", or "4xx" for a class's. */
static void finals_print(const struct sc_txn_method *m)
{
	char buf[16];
	size_t i;

	open_json_object("finals");
	for (i = 0; m && i < m->nfinal; i++) {
		unsigned int c = m->final[i].code;

		if (c < 100)
			snprintf(buf, sizeof(buf), "%uxx", c);
		else
			snprintf(buf, sizeof(buf), "%u", c);
		print_uint(PRINT_JSON, buf, NULL, m->final[i].count);
	}
	close_json_object();
}

/* The counts of one method: its transactions and first finals. */
static void method_print(const struct sc_txn *t, unsigned int method,
			 const char *key)
{
	const struct sc_txn_method *m = method_of(t, method);

	open_json_object(key);
	print_uint(PRINT_JSON, "transactions", NULL,
		   m ? m->n[SIPCODE_TXN_METHOD_A_TRACKED] : 0);
	print_uint(PRINT_JSON, "untracked", NULL,
		   m ? m->n[SIPCODE_TXN_METHOD_A_UNTRACKED] : 0);
	print_uint(PRINT_JSON, "timeouts", NULL,
		   m ? m->n[SIPCODE_TXN_METHOD_A_TIMEOUTS] : 0);
	finals_print(m);
	close_json_object();
}

/* The namespace's ratios, a line each, and the counts of the methods. */
static void overall_print(const struct sc_txn *t)
{
	const struct sc_txn_method *inv, *reg;
	struct kpi_src s;
	uint64_t num, den;
	size_t i;

	inv = method_of(t, SIPCODE_METHOD_INVITE);
	reg = method_of(t, SIPCODE_METHOD_REGISTER);
	s.m[sc_final_index(SIPCODE_METHOD_INVITE)] = inv;
	s.m[sc_final_index(SIPCODE_METHOD_REGISTER)] = reg;
	print_fp("%-5s  %7s  %10s  %11s  %-4s  %s\n", "RATIO", "PERCENT",
		 "NUMERATOR", "DENOMINATOR", "RFC", "OF");
	open_json_object("ratios");
	for (i = 0; i < ARRAY_SIZE(kpis); i++) {
		const struct kpi *k = &kpis[i];

		kpi_counts(&s, k, &num, &den);
		open_json_object(k->key);
		print_fp("%-5s", k->name);
		percent_print(num, den);
		print_uint(PRINT_ANY, "numerator", "  %10" PRIu64, num);
		print_uint(PRINT_ANY, "denominator", "  %11" PRIu64, den);
		print_string(PRINT_ANY, "rfc6076", "  %-4s",
			     strcmp(k->rfc, "-") ? k->rfc : NULL);
		print_fp("  %s\n", k->what);
		close_json_object();
	}
	close_json_object();
	print_fp("\n%" PRIu64 " INVITE and %" PRIu64
		 " REGISTER transactions followed; untracked (the table full): %"
		 PRIu64 " and %" PRIu64 "; unanswered: %" PRIu64 " and %"
		 PRIu64 ".\n",
		 inv ? inv->n[SIPCODE_TXN_METHOD_A_TRACKED] : 0,
		 reg ? reg->n[SIPCODE_TXN_METHOD_A_TRACKED] : 0,
		 inv ? inv->n[SIPCODE_TXN_METHOD_A_UNTRACKED] : 0,
		 reg ? reg->n[SIPCODE_TXN_METHOD_A_UNTRACKED] : 0,
		 inv ? inv->n[SIPCODE_TXN_METHOD_A_TIMEOUTS] : 0,
		 reg ? reg->n[SIPCODE_TXN_METHOD_A_TIMEOUTS] : 0);
	method_print(t, SIPCODE_METHOD_INVITE, "invite");
	method_print(t, SIPCODE_METHOD_REGISTER, "register");
}

/* --- by peer ---------------------------------------------------------- */

/*
 * Method @method of a peer's row @r as the table's: its transactions,
 * their first finals and, where the table has its timeouts, those not
 * answered (yet).
 */
static void peer_method(const struct sc_peer_stats *r, unsigned int method,
			struct sc_txn_method *m)
{
	uint64_t n = r->txn.tracked[method], a;
	int mi = sc_final_index(method);

	memset(m, 0, sizeof(*m));
	m->method = method;
	m->n[SIPCODE_TXN_METHOD_A_TRACKED] = n;
	if (mi >= 0) {
		m->nfinal = r->txn.nfinal[mi];
		memcpy(m->final, r->txn.final[mi],
		       m->nfinal * sizeof(m->final[0]));
	}
	/* More answers than requests: a peer added while calls went on. */
	a = answered(m);
	m->n[SIPCODE_TXN_METHOD_A_TIMEOUTS] = n > a ? n - a : 0;
}

/* A peer's row and the ratios of its transactions. */
struct kpi_row {
	const struct sc_peer_stats *r;
	struct sc_txn_method m[SC_FINAL_METHODS];	/* INVITE, REGISTER */
	uint64_t num[ARRAY_SIZE(kpis)], den[ARRAY_SIZE(kpis)];
};

static void row_fill(struct kpi_row *w, const struct sc_peer_stats *r)
{
	struct kpi_src s = { { &w->m[0], &w->m[1] } };	/* as sc_final_index() */
	size_t i;

	w->r = r;
	peer_method(r, SIPCODE_METHOD_INVITE, &w->m[0]);
	peer_method(r, SIPCODE_METHOD_REGISTER, &w->m[1]);
	for (i = 0; i < ARRAY_SIZE(kpis); i++)
		kpi_counts(&s, &kpis[i], &w->num[i], &w->den[i]);
}

/*
 * Whether row @r is shown: with @name, that peer's two rows; else each
 * row of a peer with a transaction.
 */
static bool kpi_shown(const struct sc_peer_stats *r, const char *name)
{
	if (r->other)
		return false;
	return name ? !strcmp(r->name, name) : r->txn.methods != 0;
}

/* "62/80": the counts of ratio @i of @w, in @buf (48 bytes). */
static const char *fraction(const struct kpi_row *w, size_t i, char *buf)
{
	snprintf(buf, 48, "%" PRIu64 "/%" PRIu64, w->num[i], w->den[i]);
	return buf;
}

/* Method @m of a peer: its transactions, unanswered and first finals. */
static void peer_method_print(const struct sc_txn_method *m, const char *key)
{
	open_json_object(key);
	print_uint(PRINT_JSON, "transactions", NULL,
		   m->n[SIPCODE_TXN_METHOD_A_TRACKED]);
	print_uint(PRINT_JSON, "unanswered", NULL,
		   m->n[SIPCODE_TXN_METHOD_A_TIMEOUTS]);
	finals_print(m);
	close_json_object();
}

/*
 * Row @w: in text a line of its percents; in JSON an object, its ratios
 * as the namespace's, its INVITEs and REGISTERs, and every method's
 * transactions.
 */
static void row_print(const struct kpi_row *w, int wp)
{
	const struct sc_peer_txn *t = &w->r->txn;
	unsigned int m;
	char buf[16];
	size_t i;

	open_json_object(NULL);
	print_string_w(PRINT_ANY, "peer", "%-*s", wp, w->r->name);
	print_string(PRINT_ANY, "direction", "  %-3s",
		     sc_directions[w->r->dir]);
	open_json_object("ratios");
	for (i = 0; i < ARRAY_SIZE(kpis); i++) {
		open_json_object(kpis[i].key);
		percent_print(w->num[i], w->den[i]);
		print_uint(PRINT_JSON, "numerator", NULL, w->num[i]);
		print_uint(PRINT_JSON, "denominator", NULL, w->den[i]);
		print_string(PRINT_JSON, "rfc6076", NULL,
			     strcmp(kpis[i].rfc, "-") ? kpis[i].rfc : NULL);
		close_json_object();
	}
	close_json_object();
	print_fp("\n");
	peer_method_print(&w->m[0], "invite");
	peer_method_print(&w->m[1], "register");
	open_json_object("methods");
	for (m = 0; m < __SIPCODE_METHOD_MAX; m++)
		if (t->methods & (1U << m))
			print_uint(PRINT_JSON, cli_method(m, buf), NULL,
				   t->tracked[m]);
	close_json_object();
	close_json_object();
}

/*
 * The rows shown: in text a table of the percents, then one of the
 * numerators and denominators ("62/80"); in JSON the array "peers".
 */
static void rows_print(const struct kpi_row *w, size_t n, bool head)
{
	int wp = strlen("PEER"), wc[ARRAY_SIZE(kpis)];
	char buf[48];
	size_t i, k;

	for (k = 0; k < ARRAY_SIZE(kpis); k++)
		wc[k] = strlen(kpis[k].name);
	for (i = 0; i < n; i++) {
		if ((int)strlen(w[i].r->name) > wp)
			wp = strlen(w[i].r->name);
		for (k = 0; k < ARRAY_SIZE(kpis); k++)
			if ((int)strlen(fraction(&w[i], k, buf)) > wc[k])
				wc[k] = strlen(buf);
	}
	print_fp("%s%-*s  %-3s", head ? "\n" : "", wp, "PEER", "DIR");
	for (k = 0; k < ARRAY_SIZE(kpis); k++)
		print_fp("  %7s", kpis[k].name);
	print_fp("\n");
	open_json_array("peers");
	for (i = 0; i < n; i++)
		row_print(&w[i], wp);
	close_json_array();
	print_fp("\n%-*s  %-3s", wp, "PEER", "DIR");
	for (k = 0; k < ARRAY_SIZE(kpis); k++)
		print_fp("  %*s", wc[k], kpis[k].name);
	print_fp("\n");
	for (i = 0; i < n; i++) {
		print_fp("%-*s  %-3s", wp, w[i].r->name,
			 sc_directions[w[i].r->dir]);
		for (k = 0; k < ARRAY_SIZE(kpis); k++)
			print_fp("  %*s", wc[k], fraction(&w[i], k, buf));
		print_fp("\n");
	}
}

/*
 * The rows shown into *@w (free()), *@m of them: with @name that peer's,
 * both directions; else each peer's and direction with a transaction.
 */
static int rows_of(const struct sc_peer_stats *r, size_t n,
		   const char *name, struct kpi_row **w, size_t *m)
{
	size_t i;

	*m = 0;
	*w = calloc(n ? n : 1, sizeof(**w));
	if (!*w)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (kpi_shown(&r[i], name))
			row_fill(&(*w)[(*m)++], &r[i]);
	return 0;
}

int kpi_show(struct sc_handle *h, const char *name, bool json)
{
	struct sc_peer_stats *r = NULL;
	struct kpi_row *w = NULL;
	size_t n = 0, m = 0;
	struct sc_txn t;
	int ret;

	cli_json_errors = json;
	ret = sc_txn_get(h, &t);
	if (ret == -ENODATA)
		cli_err("stats --kpi: transactions are off: sipcodectl config transactions on");
	else if (ret)
		cli_fail(h, "stats --kpi", ret);
	if (ret)
		return EXIT_FAILURE;
	ret = sc_peer_stats_get(h, &r, &n);
	/* A module before the counters by peer: none, unless one is asked. */
	if (ret == -EOPNOTSUPP && sc_by_kernel(h) && !name)
		ret = 0;
	else if (ret == -EOPNOTSUPP && sc_by_kernel(h))
		cli_err("stats --kpi: the sipcode module has no counters by peer (too old?)");
	else if (ret)
		cli_fail(h, "stats --kpi", ret);
	if (!ret && rows_of(r, n, name, &w, &m)) {
		cli_err("stats --kpi: out of memory");
		ret = -ENOMEM;
	}
	if (!ret && name && !m) {
		cli_err("stats --kpi: no peer \"%s\"", name);
		ret = -ENOENT;
	}
	if (!ret) {
		print_start(stdout, json);
		open_json_object(NULL);
		if (!name)
			overall_print(&t);
		if (m) {
			rows_print(w, m, !name);
		} else {
			open_json_array("peers");
			close_json_array();
			/* Peers, but none with a transaction yet. */
			if (n)
				print_fp("\nno peer has a transaction counted\n");
		}
		close_json_object();
		print_end();
	}
	free(w);
	sc_peer_stats_free(r);
	sc_txn_free(&t);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
