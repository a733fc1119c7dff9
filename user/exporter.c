// SPDX-License-Identifier: GPL-2.0
/*
 * The counters in the Prometheus text exposition format 0.0.4, one
 * metric family after the other, each with # HELP and # TYPE:
 *
 *   sipcode_build_info{version="0.1.0"} 1
 *   sipcode_up 1
 *   sipcode_responses_total{code="486",class="4xx"} 15
 *   sipcode_responses_dropped_total{code="486",class="4xx"} 0
 *   sipcode_responses_marked_total{code="486",class="4xx"} 0
 *   sipcode_responses_first_final_total{code="486",class="4xx"} 12
 *   sipcode_responses_retransmitted_total{code="486",class="4xx"} 3
 *   sipcode_packets_uncounted_total{reason="keepalive"} 2
 *   sipcode_dry_run 0
 *   sipcode_events_total{result="sent"} 4
 *   sipcode_responses_by_method_total{code="486",class="4xx",method="INVITE"} 15
 *   sipcode_transactions 12
 *   sipcode_transactions_max 65536
 *   sipcode_requests_total{method="INVITE",result="tracked"} 20
 *   sipcode_transaction_timeouts_total{method="INVITE"} 1
 *   sipcode_transaction_finals_total{method="INVITE",code="486",class="4xx"} 3
 *   sipcode_responses_unmatched_total 0
 *   sipcode_srd_seconds_bucket{le="0.05"} 17      (and _sum, _count)
 *   sipcode_rrd_seconds_bucket{le="0.01"} 4
 *   sipcode_final_delay_seconds_bucket{method="INVITE",class="4xx",le="5"} 12
 *   sipcode_responses_by_direction_total{code="486",class="4xx",direction="in"} 12
 *   sipcode_responses_relayed_total{code="486",class="4xx"} 9
 *   sipcode_peer_responses_total{peer="CARRIER-A",direction="in",code="486",class="4xx"} 9
 *   sipcode_peer_responses_total{peer="CARRIER-A",direction="in",code="other",class="4xx"} 1
 *   sipcode_peer_responses_total{direction="out",code="200",class="2xx"} 4
 *   sipcode_peer_transactions_total{peer="PBX",direction="out",method="INVITE"} 41
 *   sipcode_peer_transaction_finals_total{peer="PBX",direction="out",method="INVITE",code="486",class="4xx"} 5
 *
 * The code families list the same codes, so that they divide one
 * another in PromQL. The events are there when the module counts them,
 * the counts per method while per-method counting is on. The families
 * of the transactions (first_final, retransmitted and those after
 * by_method) are there while transactions are on: the requests and
 * timeouts for the methods the kernel counted requests of, the first
 * finals of INVITE and REGISTER by code that are not zero, every
 * histogram (sipcode_final_delay_seconds for INVITE and other, 2xx to
 * 6xx), its buckets cumulative, in seconds, as the kernel bounds them.
 * The last families are there when they have a sample: by_direction
 * splits each code seen (both directions, 0 included) when the kernel
 * gives the split (a module before it does not); relayed has, for the
 * same codes, those of direction="in" the host relayed (forwarded),
 * while the kernel counts them (config relayed on); peer_responses has a
 * sample for each counter of a peer, or of no peer (no peer label), that
 * is not zero, a class's codes without a counter of their own under
 * code="other". Its series are bounded: 256 peers at most, and no peer,
 * by 2 directions by 83 counters (77 codes and 6 classes), 42,662. The
 * transactions of the peers (never of no peer) follow, as the kernel
 * gives them, while a peer has one counted (they stay, frozen, while the
 * table is off): peer_transactions by method, 256 x 2 x 15 = 7,680
 * series at most; peer_transaction_finals, the first finals of INVITE
 * and REGISTER that are not zero, 256 x 2 x 2 x 83 = 84,992 at most.
 * When the counters could not be read, only sipcode_build_info and
 * "sipcode_up 0" are there.
 *
 * "sipcodectl exporter" serves them over HTTP by libmicrohttpd, or writes
 * them for node_exporter's textfile collector.
 *
 * HTTP: a thread per connection, so that a client that sends nothing
 * holds no other back; a connection idle for CONN_TIMEOUT_S is closed.
 *
 *   GET /metrics   200, what prom_write() writes, fetched at each scrape
 *                  (sipcode_up 0 when the counters cannot be read)
 *   GET /          200, a page that links /metrics
 *   GET other      404
 *   other method   405 (HEAD is answered as GET, without the body)
 *
 * Textfile (--textfile DIR): DIR/sipcode.prom is replaced atomically (a
 * temporary file in DIR, written, synced, renamed over it), once or every
 * --watch SECONDS.
 *
 * Both run until SIGINT or SIGTERM, then exit 0. Each scrape or write
 * opens a handle, reads and renders under one mutex.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cli.h"
#include "codes.h"

#define DEFAULT_LISTEN	"[::]:9498"
#define TEXTFILE_NAME	"sipcode.prom"
#define CONN_TIMEOUT_S	10
#define CONN_LIMIT	64
#define THREAD_STACK	(256 * 1024)
#define TEXT_PLAIN	"text/plain; charset=utf-8"
#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

static const struct {
	const char *name;
	const char *help;
	size_t off;	/* of the counter in struct sc_counters */
	bool txn;	/* only while transactions are on */
} code_families[] = {
	{ "sipcode_responses_total",
	  "SIP responses seen, by status code.",
	  offsetof(struct sc_counters, seen), false },
	{ "sipcode_responses_dropped_total",
	  "SIP responses a sipcode rule dropped (in dry-run mode, would have dropped), by status code.",
	  offsetof(struct sc_counters, dropped), false },
	{ "sipcode_responses_marked_total",
	  "SIP responses a sipcode rule marked (in dry-run mode, would have marked), by status code.",
	  offsetof(struct sc_counters, marked), false },
	{ "sipcode_responses_first_final_total",
	  "SIP responses that were the first final response of a transaction followed, by status code.",
	  offsetof(struct sc_counters, first_final), true },
	{ "sipcode_responses_retransmitted_total",
	  "SIP final responses repeated for a transaction that had its final response already, by status code.",
	  offsetof(struct sc_counters, retransmitted), true },
};

/* The bounds of the buckets, when no histogram came to give them. */
static const uint32_t default_le_us[SIPCODE_DELAY_BUCKETS] = {
	10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
	5000000, 10000000, 32000000, 0,
};

bool stats_listed(const struct sc_stats *s, bool all, unsigned int i)
{
	const struct sc_counters *c = &s->code[i];

	return c->seen || c->dropped || c->marked ||
	       (all && sip_code_lookup(i + SIPCODE_CODE_MIN));
}

bool stats_txn(const struct prom *p)
{
	unsigned int i;

	for (i = 0; i < SIPCODE_NCODES && !p->c.val[SC_TRANSACTIONS]; i++)
		if (p->s.code[i].first_final || p->s.code[i].retransmitted)
			return true;
	return p->c.val[SC_TRANSACTIONS];
}

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void prom_free(struct prom *p)
{
	free(p->m);
	p->m = NULL;
	sc_txn_free(&p->t);
	sc_peer_stats_free(p->ps);
	p->ps = NULL;
	p->nps = 0;
}

int prom_read(struct sc_handle *h, struct prom *p, bool methods)
{
	int ret;

	prom_free(p);
	memset(p, 0, sizeof(*p));
	ret = sc_stats_get(h, &p->s) ?: sc_config_get(h, &p->c, false);
	if (ret || !methods)
		return ret;
	if (p->c.val[SC_BY_METHOD]) {
		ret = sc_methods_get(h, &p->m, &p->nm);
		p->on = !ret;
	}
	/* Switched off since: left out, as when it was off. */
	if ((!ret || ret == -ENODATA) && p->c.val[SC_TRANSACTIONS]) {
		ret = sc_txn_get(h, &p->t);
		p->txn = !ret;
	}
	if (ret && ret != -ENODATA)
		return ret;
	ret = sc_peer_stats_get(h, &p->ps, &p->nps);
	/* A module from before the peers' counters: left out. */
	return ret == -EOPNOTSUPP && sc_by_kernel(h) ? 0 : ret;
}

/* Microseconds as seconds, exactly: "0.025", "32", in @buf (32 bytes). */
static const char *seconds(uint64_t us, char *buf)
{
	int n = snprintf(buf, 32, "%" PRIu64 ".%06u", us / 1000000,
			 (unsigned int)(us % 1000000));

	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[n - 1] = '\0';
	return buf;
}

/*
 * The histogram @d as @name{@labels}: its buckets cumulative, from the
 * kernel's, whose bounds are in microseconds; its count the +Inf
 * bucket's, so that the two agree.
 */
static void histogram(FILE *f, const char *name, const char *labels,
		      const struct sc_delay *d)
{
	const char *comma = labels[0] ? "," : "";
	uint64_t cum = 0;
	char le[32];
	unsigned int b;

	for (b = 0; b < d->nb; b++) {
		cum += d->bucket[b];
		fprintf(f, "%s_bucket{%s%sle=\"%s\"} %" PRIu64 "\n", name,
			labels, comma,
			d->le_us[b] ? seconds(d->le_us[b], le) : "+Inf", cum);
	}
	fprintf(f, labels[0] ? "%s_sum{%s} %s\n" : "%s_sum%s %s\n", name,
		labels, seconds(d->sum_us, le));
	fprintf(f, labels[0] ? "%s_count{%s} %" PRIu64 "\n" :
		"%s_count%s %" PRIu64 "\n", name, labels, cum);
}

/*
 * The histogram of @kind and class @cls: as the kernel sent it, or with
 * no delay measured (which the kernel leaves out), zero in the buckets
 * of the others.
 */
static void delay_write(FILE *f, const struct sc_txn *t, const char *name,
			const char *labels, uint32_t kind, uint32_t cls)
{
	struct sc_delay zero = { .kind = kind, .cls = cls };
	size_t i;

	for (i = 0; i < t->nd; i++)
		if (t->d[i].kind == kind && t->d[i].cls == cls)
			return histogram(f, name, labels, &t->d[i]);
	if (t->nd) {
		zero.nb = t->d[0].nb;
		memcpy(zero.le_us, t->d[0].le_us, sizeof(zero.le_us));
	} else {
		zero.nb = SIPCODE_DELAY_BUCKETS;
		memcpy(zero.le_us, default_le_us, sizeof(zero.le_us));
	}
	histogram(f, name, labels, &zero);
}

/* The families of txn-get. */
static void txn_write(FILE *f, const struct sc_txn *t)
{
	static const char *const result[] = { "tracked", "untracked",
					      "retransmitted" };
	static const int res_id[] = { SIPCODE_TXN_METHOD_A_TRACKED,
				      SIPCODE_TXN_METHOD_A_UNTRACKED,
				      SIPCODE_TXN_METHOD_A_RETRANSMITTED };
	const char *fin = "sipcode_final_delay_seconds";
	char buf[16], labels[64], code[16];
	unsigned int cls;
	size_t i, k;

	family(f, "sipcode_transactions", "gauge",
	       "SIP transactions remembered now by the transaction table.");
	fprintf(f, "sipcode_transactions %" PRIu64 "\n",
		t->n[SIPCODE_TXN_A_ENTRIES]);
	family(f, "sipcode_transactions_max", "gauge",
	       "SIP transactions the transaction table remembers at most.");
	fprintf(f, "sipcode_transactions_max %u\n", t->max);
	family(f, "sipcode_requests_total", "counter",
	       "SIP requests by method: tracked (a transaction started), untracked (not remembered), retransmitted (a repeat).");
	for (i = 0; i < t->nm; i++)
		for (k = 0; k < ARRAY_SIZE(result); k++)
			fprintf(f, "sipcode_requests_total{method=\"%s\",result=\"%s\"} %" PRIu64 "\n",
				cli_method(t->m[i].method, buf), result[k],
				t->m[i].n[res_id[k]]);
	family(f, "sipcode_transaction_timeouts_total", "counter",
	       "SIP transactions forgotten with no final response, by method.");
	for (i = 0; i < t->nm; i++)
		fprintf(f, "sipcode_transaction_timeouts_total{method=\"%s\"} %" PRIu64 "\n",
			cli_method(t->m[i].method, buf),
			t->m[i].n[SIPCODE_TXN_METHOD_A_TIMEOUTS]);
	family(f, "sipcode_transaction_finals_total", "counter",
	       "First final responses of INVITE and REGISTER transactions, by status code (the RFC 6076 ratios); code=\"other\": the codes of the class without a counter of their own.");
	for (i = 0; i < t->nm; i++)
		for (k = 0; k < t->m[i].nfinal; k++) {
			uint32_t c = t->m[i].final[k].code;

			if (c < SIPCODE_CODE_MIN)
				snprintf(code, sizeof(code), "other");
			else
				snprintf(code, sizeof(code), "%u", c);
			fprintf(f, "sipcode_transaction_finals_total{method=\"%s\",code=\"%s\",class=\"%uxx\"} %" PRIu64 "\n",
				cli_method(t->m[i].method, buf), code,
				c < SIPCODE_CODE_MIN ? c : c / 100,
				t->m[i].final[k].count);
		}
	family(f, "sipcode_responses_unmatched_total", "counter",
	       "SIP responses of no transaction in the transaction table.");
	fprintf(f, "sipcode_responses_unmatched_total %" PRIu64 "\n",
		t->n[SIPCODE_TXN_A_UNMATCHED]);
	family(f, "sipcode_srd_seconds", "histogram",
	       "Session request delay (RFC 6076): from an INVITE to its first response other than 100.");
	delay_write(f, t, "sipcode_srd_seconds", "", SIPCODE_DELAY_SRD, 0);
	family(f, "sipcode_rrd_seconds", "histogram",
	       "Registration request delay (RFC 6076): from a REGISTER to its final response.");
	delay_write(f, t, "sipcode_rrd_seconds", "", SIPCODE_DELAY_RRD, 0);
	family(f, fin, "histogram",
	       "From a SIP request to its first final response, by method (INVITE or other) and class.");
	for (k = SIPCODE_DELAY_INVITE_FINAL; k <= SIPCODE_DELAY_OTHER_FINAL; k++)
		for (cls = 2; cls <= SC_CLASS_MAX; cls++) {
			snprintf(labels, sizeof(labels),
				 "method=\"%s\",class=\"%uxx\"",
				 k == SIPCODE_DELAY_INVITE_FINAL ? "INVITE" :
				 "other", cls);
			delay_write(f, t, fin, labels, k, cls);
		}
}

/*
 * Each code seen, both ways, when the kernel split it; with @relayed, of
 * those received the ones the host relayed, while the kernel sends them
 * (relayed on). The family only with a sample, which a fresh module, or
 * one before the split, has not.
 */
static void dir_write(FILE *f, const struct sc_stats *s, bool relayed)
{
	const char *name = relayed ? "sipcode_responses_relayed_total" :
			   "sipcode_responses_by_direction_total";
	const struct sc_counters *c;
	unsigned int i, d, code;
	bool head = false;

	for (i = 0; i < SIPCODE_NCODES; i++) {
		c = &s->code[i];
		if (!c->dir || !c->seen || (relayed && !c->relay))
			continue;
		if (!head)
			family(f, name, "counter", relayed ?
			       "SIP responses received that the host relayed (forwarded), by status code: a part of direction=\"in\"." :
			       "SIP responses seen, by status code and direction: in, received; out, sent by the host.");
		head = true;
		code = i + SIPCODE_CODE_MIN;
		if (relayed) {
			fprintf(f, "%s{code=\"%u\",class=\"%uxx\"} %" PRIu64 "\n",
				name, code, code / 100, c->relayed);
			continue;
		}
		for (d = SIPCODE_DIR_IN; d <= SIPCODE_DIR_OUT; d++)
			fprintf(f, "%s{code=\"%u\",class=\"%uxx\",direction=\"%s\"} %" PRIu64 "\n",
				name, code, code / 100, sc_directions[d],
				d == SIPCODE_DIR_IN ? c->in : c->out);
	}
}

/*
 * The counters of the peers and of no peer (no peer label) that are not
 * zero, the family only with one. A name is letters, digits and -_.:@
 * (libsipcode checks it): a label value as it is, nothing to escape.
 */
static void peers_write(FILE *f, const struct sc_peer_stats *r, size_t n)
{
	const char *name = "sipcode_peer_responses_total";
	char peer[SIPCODE_PEER_NAME_MAX + 16], code[16];
	bool head = false;
	uint32_t c;
	size_t i, k;

	for (i = 0; i < n; i++) {
		peer[0] = '\0';
		if (!r[i].other)
			snprintf(peer, sizeof(peer), "peer=\"%s\",", r[i].name);
		for (k = 0; k < r[i].n; k++) {
			c = r[i].c[k].code;
			if (!r[i].c[k].count)
				continue;
			if (!head)
				family(f, name, "counter",
				       "SIP responses seen, by peer (none: in no peer's prefixes), direction (in: from the peer; out: sent to it by the host) and status code; code=\"other\": the codes of the class without a counter of their own.");
			head = true;
			/* 1 to 6: the class's other codes. */
			if (c < SIPCODE_CODE_MIN)
				snprintf(code, sizeof(code), "other");
			else
				snprintf(code, sizeof(code), "%u", c);
			fprintf(f, "%s{%sdirection=\"%s\",code=\"%s\",class=\"%uxx\"} %" PRIu64 "\n",
				name, peer, sc_directions[r[i].dir], code,
				c < SIPCODE_CODE_MIN ? c : c / 100,
				r[i].c[k].count);
		}
	}
}

/* "486", or "other" for a class's column (1 to 6), in @buf (16 bytes). */
static const char *code_label(uint32_t c, char *buf)
{
	if (c < SIPCODE_CODE_MIN)
		snprintf(buf, 16, "other");
	else
		snprintf(buf, 16, "%u", c);
	return buf;
}

/* The transactions of each peer by method, the family only with one. */
static void peer_txn_write(FILE *f, const struct sc_peer_stats *r, size_t n)
{
	const char *name = "sipcode_peer_transactions_total";
	bool head = false;
	unsigned int m;
	char buf[16];
	size_t i;

	for (i = 0; i < n; i++) {
		for (m = 0; !r[i].other && m < __SIPCODE_METHOD_MAX; m++) {
			if (!(r[i].txn.methods & (1U << m)))
				continue;
			if (!head)
				family(f, name, "counter",
				       "SIP transactions by peer, direction (in: those the peer answered, requests to its addresses; out: those it asked, requests from them) and method, counted while the transaction table is on.");
			head = true;
			fprintf(f, "%s{peer=\"%s\",direction=\"%s\",method=\"%s\"} %" PRIu64 "\n",
				name, r[i].name, sc_directions[r[i].dir],
				cli_method(m, buf), r[i].txn.tracked[m]);
		}
	}
}

/* A sample of @name: the first finals @c of @method's transactions of @r. */
static void peer_final_write(FILE *f, const char *name,
			     const struct sc_peer_stats *r, uint32_t method,
			     const struct sc_count *c)
{
	char buf[16], code[16];

	fprintf(f, "%s{peer=\"%s\",direction=\"%s\",method=\"%s\",code=\"%s\",class=\"%uxx\"} %" PRIu64 "\n",
		name, r->name, sc_directions[r->dir], cli_method(method, buf),
		code_label(c->code, code),
		c->code < SIPCODE_CODE_MIN ? c->code : c->code / 100, c->count);
}

/*
 * The first finals of each peer's INVITE and REGISTER transactions that
 * are not zero, the family only with one.
 */
static void peer_finals_write(FILE *f, const struct sc_peer_stats *r,
			      size_t n)
{
	static const uint32_t method[SC_FINAL_METHODS] = {
		[0] = SIPCODE_METHOD_INVITE, [1] = SIPCODE_METHOD_REGISTER };
	const char *name = "sipcode_peer_transaction_finals_total";
	const struct sc_peer_txn *t;
	bool head = false;
	size_t i, k, mi;

	for (i = 0; i < n; i++) {
		t = &r[i].txn;
		for (mi = 0; !r[i].other && mi < SC_FINAL_METHODS; mi++) {
			for (k = 0; k < t->nfinal[mi]; k++) {
				if (!t->final[mi][k].count)
					continue;
				if (!head)
					family(f, name, "counter",
					       "First final responses of INVITE and REGISTER transactions by peer, direction (in: those the peer sent; out: those sent to it), method and status code; code=\"other\": the codes of the class without a counter of their own.");
				head = true;
				peer_final_write(f, name, &r[i], method[mi],
						 &t->final[mi][k]);
			}
		}
	}
}

void prom_write(FILE *f, const struct prom *p, bool all)
{
	const char *name = "sipcode_responses_by_method_total";
	unsigned int i, code;
	char buf[16];
	size_t k;

	family(f, "sipcode_build_info", "gauge",
	       "Always 1, labeled with the version of sipcodectl.");
	fprintf(f, "sipcode_build_info{version=\"%s\"} 1\n", SIPCODE_VERSION);
	family(f, "sipcode_up", "gauge",
	       "1 when the counters of the sipcode module could be read in this network namespace, else 0.");
	fprintf(f, "sipcode_up %d\n", p ? 1 : 0);
	if (!p)
		return;
	for (k = 0; k < ARRAY_SIZE(code_families); k++) {
		if (code_families[k].txn && !p->txn)
			continue;
		family(f, code_families[k].name, "counter",
		       code_families[k].help);
		for (i = 0; i < SIPCODE_NCODES; i++) {
			if (!stats_listed(&p->s, all, i))
				continue;
			code = i + SIPCODE_CODE_MIN;
			fprintf(f, "%s{code=\"%u\",class=\"%uxx\"} %" PRIu64 "\n",
				code_families[k].name, code, code / 100,
				*(const uint64_t *)((const char *)&p->s.code[i] +
						    code_families[k].off));
		}
	}
	family(f, "sipcode_packets_uncounted_total", "counter",
	       "Packets or messages on a SIP port not counted under a status code, by reason.");
	for (k = 0; k < ARRAY_SIZE(sc_uncounted); k++)
		fprintf(f, "sipcode_packets_uncounted_total{reason=\"%s\"} %" PRIu64 "\n",
			sc_uncounted[k].key, p->s.uc[sc_uncounted[k].id]);
	family(f, "sipcode_dry_run", "gauge",
	       "1 when the sipcode rules only count what they would drop or mark, else 0.");
	fprintf(f, "sipcode_dry_run %d\n", p->c.val[SC_DRY_RUN] ? 1 : 0);
	if (p->s.have_ev) {
		family(f, "sipcode_events_total", "counter",
		       "Responses matched by a notify rule, by what became of their event.");
		for (k = 0; k < ARRAY_SIZE(sc_events); k++)
			fprintf(f, "sipcode_events_total{result=\"%s\"} %" PRIu64 "\n",
				sc_events[k].key, p->s.ev[sc_events[k].id]);
	}
	if (p->on) {
		family(f, name, "counter",
		       "SIP responses seen, by status code and CSeq method.");
		for (k = 0; k < p->nm; k++)
			fprintf(f, "%s{code=\"%u\",class=\"%uxx\",method=\"%s\"} %" PRIu64 "\n",
				name, p->m[k].code, p->m[k].code / 100,
				cli_method(p->m[k].method, buf), p->m[k].count);
	}
	if (p->txn)
		txn_write(f, &p->t);
	dir_write(f, &p->s, false);
	dir_write(f, &p->s, true);
	peers_write(f, p->ps, p->nps);
	peer_txn_write(f, p->ps, p->nps);
	peer_finals_write(f, p->ps, p->nps);
}

/* --- the exporter -------------------------------------------------------- */

struct exporter {
	pthread_mutex_t lock;	/* one fetch and render at a time: p, down */
	struct prom p;
	bool down;		/* the last fetch failed: its error logged once */
};

/*
 * Writes the metrics now to @f, "sipcode_up 0" when the counters cannot
 * be read: that error is logged when they become unreadable, not at every
 * scrape while they stay so.
 */
static void render(struct exporter *e, FILE *f)
{
	struct sc_handle *h;
	char err[600];
	int ret = -1;

	pthread_mutex_lock(&e->lock);
	h = cli_open_msg("cannot read the counters", err, sizeof(err));
	if (h && (ret = prom_read(h, &e->p, true)))
		cli_msg(err, sizeof(err), h, "cannot read the counters", ret);
	sc_close(h);
	if (ret && !e->down)
		cli_err("exporter: %s; sipcode_up 0 until they can be read",
			err);
	e->down = ret;
	prom_write(f, ret ? NULL : &e->p, true);
	pthread_mutex_unlock(&e->lock);
}

/* --- HTTP ------------------------------------------------------------------ */

static const char index_page[] =
	"<html><head><title>sipcode exporter</title></head><body>\n"
	"<h1>sipcode exporter</h1>\n"
	"<p>SIP responses per status code, counted by the sipcode kernel module.</p>\n"
	"<p><a href=\"/metrics\">Metrics</a></p>\n"
	"</body></html>\n";

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
			     const char *type, const char *allow, char *body,
			     size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, mode);
	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *conn,
				  unsigned int status, const char *allow,
				  const char *text)
{
	return reply(conn, status, TEXT_PLAIN, allow, (char *)text,
		     strlen(text), MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct exporter *e = cls;
	char *body = NULL;
	size_t len;
	FILE *f;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "GET, HEAD",
				  "405 Method Not Allowed\n");
	if (!strcmp(url, "/metrics")) {
		f = open_memstream(&body, &len);
		if (f)
			render(e, f);
		if (!f || fclose(f)) {
			free(body);
			return reply_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  NULL, "500 Internal Server Error\n");
		}
		return reply(conn, MHD_HTTP_OK, PROM_CONTENT_TYPE, NULL, body,
			     len, MHD_RESPMEM_MUST_FREE);
	}
	if (!strcmp(url, "/"))
		return reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8", NULL,
			     (char *)index_page, sizeof(index_page) - 1,
			     MHD_RESPMEM_PERSISTENT);
	return reply_text(conn, MHD_HTTP_NOT_FOUND, NULL, "404 Not Found\n");
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	cli_err("exporter: %s", msg);
}

/*
 * "ADDR:PORT" or "[ADDR]:PORT" into @host (@hsize bytes) and @port;
 * false after an error line.
 */
static bool parse_listen(const char *spec, char *host, size_t hsize,
			 const char **port)
{
	const char *h = spec, *colon;
	size_t hlen;

	if (spec[0] == '[') {
		colon = strchr(spec, ']');
		if (!colon || colon[1] != ':')
			goto bad;
		h = spec + 1;
		hlen = colon - h;
		*port = colon + 2;
	} else {
		colon = strrchr(spec, ':');
		if (!colon || memchr(spec, ':', colon - spec))
			goto bad;
		hlen = colon - spec;
		*port = colon + 1;
	}
	if (!hlen || hlen >= hsize || !**port || strlen(*port) > 5 ||
	    strspn(*port, "0123456789") != strlen(*port) ||
	    atoi(*port) < 1 || atoi(*port) > 65535)
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	return true;
bad:
	cli_err("exporter: invalid address \"%s\": ADDR:PORT or [ADDR]:PORT, port 1-65535",
		spec);
	return false;
}

/*
 * Serves @e on @host @port until SIGINT or SIGTERM. [::] listens on IPv4
 * too. Returns the exit code.
 */
static int serve_http(struct exporter *e, const char *host, const char *port)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	};
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;
	struct sockaddr_storage sa;
	struct addrinfo *res = NULL;
	struct MHD_Daemon *d;
	char addr[NI_MAXHOST];
	int err;

	err = getaddrinfo(host, port, &hints, &res);
	if (err) {
		cli_err("exporter: %s: %s", host, gai_strerror(err));
		return EXIT_FAILURE;
	}
	memcpy(&sa, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (sa.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)&sa;

		flags |= IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr) ?
			 MHD_USE_DUAL_STACK : MHD_USE_IPv6;
	}
	d = MHD_start_daemon(flags, (uint16_t)atoi(port), NULL, NULL,
			     on_request, e,
			     MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned int)CONN_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONN_LIMIT,
			     MHD_OPTION_THREAD_STACK_SIZE, (size_t)THREAD_STACK,
			     MHD_OPTION_END);
	if (!d) {
		cli_err("exporter: cannot listen on %s port %s", host, port);
		return EXIT_FAILURE;
	}
	if (getnameinfo((struct sockaddr *)&sa, sizeof(sa), addr, sizeof(addr),
			NULL, 0, NI_NUMERICHOST))
		snprintf(addr, sizeof(addr), "%s", host);
	printf(sa.ss_family == AF_INET6 ? "exporter: listening on [%s]:%s%s\n" :
	       "exporter: listening on %s:%s%s\n", addr, port,
	       flags & MHD_USE_DUAL_STACK & ~MHD_USE_IPv6 ? " (IPv6 and IPv4)" :
	       "");
	fflush(stdout);
	cli_wait(-1, 0);	/* until SIGINT or SIGTERM */
	MHD_stop_daemon(d);
	return EXIT_SUCCESS;
}

/* --- textfile -------------------------------------------------------------- */

/* Writes the metrics to @dir/sipcode.prom atomically; 0, or -1 after an error line. */
static int write_textfile(struct exporter *e, const char *dir)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	FILE *f = NULL;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/" TEXTFILE_NAME, dir);
	snprintf(tmp, sizeof(tmp), "%s/." TEXTFILE_NAME ".XXXXXX", dir);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd >= 0 && !(f = fdopen(fd, "w")))
		close(fd);
	if (!f) {
		cli_err("exporter: %s: %s", tmp, strerror(errno));
		return -1;
	}
	render(e, f);
	/* Readable by node_exporter, as a file made under umask 022. */
	ret = fflush(f) || ferror(f) || fchmod(fd, 0644) || fsync(fd);
	if (fclose(f) || ret || rename(tmp, path)) {
		cli_err("exporter: cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* The rename itself on disk. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

/*
 * Writes the textfile once (@interval 0: returns its result), or every
 * @interval seconds until SIGINT or SIGTERM, going on after a failed
 * write.
 */
static int serve_textfile(struct exporter *e, const char *dir,
			  double interval)
{
	double next = cli_now();
	int ret = write_textfile(e, dir);

	if (!interval)
		return ret ? EXIT_FAILURE : EXIT_SUCCESS;
	for (;;) {
		next += interval;
		if (cli_wait(-1, next) < 0)
			return EXIT_SUCCESS;
		write_textfile(e, dir);
	}
}

int exporter_main(int argc, char **argv, bool json)
{
	struct exporter e = { .lock = PTHREAD_MUTEX_INITIALIZER };
	const char *listen_spec = NULL, *textfile = NULL, *port = NULL, *word;
	double interval = 0;
	char host[256];
	struct stat st;
	int c, ret;

	static const struct option o[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "textfile", required_argument, NULL, 'T' },
		{ "watch", required_argument, NULL, 'w' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	while ((c = cli_next(argc, argv, "+:l:w:ajh", o, &word)) != -1) {
		if (c == 'h')
			return EXIT_HELP;
		if (!c)
			cli_err("exporter: unexpected argument \"%s\"", word);
		if (c == 'w' &&
		    !cli_seconds("exporter", "interval", optarg, &interval))
			return EXIT_USAGE;
		if (!c || c == '?')
			return EXIT_USAGE;
		if (c == 'l')
			listen_spec = optarg;
		if (c == 'T')
			textfile = optarg;
		/* -a: always so now, kept for the command lines using it. */
		json |= c == 'j';
	}
	if (json) {
		cli_err("exporter: no JSON output: it serves the Prometheus format");
		return EXIT_USAGE;
	}
	if (textfile && listen_spec) {
		cli_err("exporter: --textfile writes a file: no --listen with it");
		return EXIT_USAGE;
	}
	if (interval && !textfile) {
		cli_err("exporter: --watch goes with --textfile");
		return EXIT_USAGE;
	}
	if (!textfile && !parse_listen(listen_spec ? listen_spec : DEFAULT_LISTEN,
				       host, sizeof(host), &port))
		return EXIT_USAGE;
	c = !textfile ? 0 : stat(textfile, &st) ? errno :
	    !S_ISDIR(st.st_mode) ? ENOTDIR : 0;
	if (c) {
		cli_err("exporter: --textfile %s: %s", textfile, strerror(c));
		return EXIT_USAGE;
	}
	/* Blocked in the threads of libmicrohttpd, taken in cli_wait(). */
	cli_signals();
	signal(SIGPIPE, SIG_IGN);

	if (textfile)
		ret = serve_textfile(&e, textfile, interval);
	else
		ret = serve_http(&e, host, port);
	prom_free(&e.p);
	return ret;
}
