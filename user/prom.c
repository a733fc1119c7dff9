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
 *   sipcode_packets_uncounted_total{reason="keepalive"} 2
 *   sipcode_dry_run 0
 *   sipcode_events_total{result="sent"} 4
 *   sipcode_responses_by_method_total{code="486",class="4xx",method="INVITE"} 15
 *
 * The three code families list the same codes, so that they divide
 * one another in PromQL. The events are there when the module counts
 * them, the counts per method while per-method counting is on. When
 * the counters could not be read, only sipcode_build_info and
 * "sipcode_up 0" are there.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "codes.h"

static const struct {
	const char *name;
	const char *help;
	size_t off;	/* of the counter in struct sc_counters */
} code_families[] = {
	{ "sipcode_responses_total",
	  "SIP responses seen, by status code.",
	  offsetof(struct sc_counters, seen) },
	{ "sipcode_responses_dropped_total",
	  "SIP responses a sipcode rule dropped (in dry-run mode, would have dropped), by status code.",
	  offsetof(struct sc_counters, dropped) },
	{ "sipcode_responses_marked_total",
	  "SIP responses a sipcode rule marked (in dry-run mode, would have marked), by status code.",
	  offsetof(struct sc_counters, marked) },
};

bool stats_listed(const struct sc_stats *s, bool all, unsigned int i)
{
	const struct sc_counters *c = &s->code[i];

	return c->seen || c->dropped || c->marked ||
	       (all && sip_code_lookup(i + SIPCODE_CODE_MIN));
}

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int prom_read(struct sc_handle *h, struct prom *p)
{
	int ret;

	free(p->m);
	memset(p, 0, sizeof(*p));
	ret = sc_stats_get(h, &p->s) ?: sc_config_get(h, &p->c, false);
	if (ret || !p->c.val[SC_BY_METHOD])
		return ret;
	ret = sc_methods_get(h, &p->m, &p->nm);
	p->on = !ret;
	/* Switched off since: left out, as when it was off. */
	return ret == -ENODATA ? 0 : ret;
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
	if (!p->on)
		return;
	family(f, name, "counter",
	       "SIP responses seen, by status code and CSeq method.");
	for (k = 0; k < p->nm; k++)
		fprintf(f, "%s{code=\"%u\",class=\"%uxx\",method=\"%s\"} %" PRIu64 "\n",
			name, p->m[k].code, p->m[k].code / 100,
			cli_method(p->m[k].method, buf), p->m[k].count);
}
