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

/* The numerator and denominator of @k. */
static void kpi_counts(const struct sc_txn *t, const struct kpi *k,
		       uint64_t *num, uint64_t *den)
{
	const struct sc_txn_method *m = method_of(t, k->method);
	unsigned int i;

	*num = 0;
	*den = m ? m->n[SIPCODE_TXN_METHOD_A_TRACKED] : 0;
	for (i = 0; i < ARRAY_SIZE(k->codes) && k->codes[i]; i++)
		*num += finals(m, k->codes[i], 0);
	if (k->timeouts && m)
		*num += m->n[SIPCODE_TXN_METHOD_A_TIMEOUTS];
	if (k->less_3xx)
		*den -= finals(m, 0, 3);
}

/* The counts of one method: its transactions and first finals. */
static void method_print(const struct sc_txn *t, unsigned int method,
			 const char *key)
{
	const struct sc_txn_method *m = method_of(t, method);
	char buf[16];
	size_t i;

	open_json_object(key);
	print_uint(PRINT_JSON, "transactions", NULL,
		   m ? m->n[SIPCODE_TXN_METHOD_A_TRACKED] : 0);
	print_uint(PRINT_JSON, "untracked", NULL,
		   m ? m->n[SIPCODE_TXN_METHOD_A_UNTRACKED] : 0);
	print_uint(PRINT_JSON, "timeouts", NULL,
		   m ? m->n[SIPCODE_TXN_METHOD_A_TIMEOUTS] : 0);
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
	close_json_object();
}

int kpi_show(struct sc_handle *h, bool json)
{
	const struct sc_txn_method *inv, *reg;
	uint64_t num, den;
	struct sc_txn t;
	char pct[16];
	size_t i;
	int ret;

	cli_json_errors = json;
	ret = sc_txn_get(h, &t);
	if (ret == -ENODATA)
		cli_err("stats --kpi: transactions are off: sipcodectl config transactions on");
	else if (ret)
		cli_fail(h, "stats --kpi", ret);
	if (ret)
		return EXIT_FAILURE;
	inv = method_of(&t, SIPCODE_METHOD_INVITE);
	reg = method_of(&t, SIPCODE_METHOD_REGISTER);

	print_start(stdout, json);
	open_json_object(NULL);
	print_fp("%-5s  %7s  %10s  %11s  %-4s  %s\n", "RATIO", "PERCENT",
		 "NUMERATOR", "DENOMINATOR", "RFC", "OF");
	open_json_object("ratios");
	for (i = 0; i < ARRAY_SIZE(kpis); i++) {
		const struct kpi *k = &kpis[i];

		kpi_counts(&t, k, &num, &den);
		open_json_object(k->key);
		print_fp("%-5s", k->name);
		if (den) {
			snprintf(pct, sizeof(pct), "%.2f", 100.0 * num / den);
			print_fp("  %7s", pct);
			print_float(PRINT_JSON, "percent", NULL,
				    100.0 * num / den);
		} else {
			print_string(PRINT_ANY, "percent", "  %7s", NULL);
		}
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
	method_print(&t, SIPCODE_METHOD_INVITE, "invite");
	method_print(&t, SIPCODE_METHOD_REGISTER, "register");
	close_json_object();
	print_end();
	sc_txn_free(&t);
	return EXIT_SUCCESS;
}
