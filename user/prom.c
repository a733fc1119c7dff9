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
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "method.h"
#include "prom.h"
#include "stats.h"

static const struct {
	const char *name;
	const char *help;
	size_t off;	/* of the counter in struct stats_counters */
} code_families[] = {
	{ "sipcode_responses_total",
	  "SIP responses seen, by status code.",
	  offsetof(struct stats_counters, seen) },
	{ "sipcode_responses_dropped_total",
	  "SIP responses a sipcode rule dropped (in dry-run mode, would have dropped), by status code.",
	  offsetof(struct stats_counters, dropped) },
	{ "sipcode_responses_marked_total",
	  "SIP responses a sipcode rule marked (in dry-run mode, would have marked), by status code.",
	  offsetof(struct stats_counters, marked) },
};

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int prom_read(const char *what, struct stats *s, struct methods *m)
{
	memset(m, 0, sizeof(*m));
	if (stats_read(what, s) < 0)
		return -1;
	if (!s->config.by_method)
		return 0;
	/* Switched off since: left out, as when it was off. */
	return methods_read(what, m, true) < 0 ? -1 : 0;
}

static void write_events(FILE *f, const struct stats *s)
{
	size_t i;

	family(f, "sipcode_events_total", "counter",
	       "Responses matched by a notify rule, by what became of their event.");
	for (i = 0; i < STATS_NEVENTS; i++)
		fprintf(f, "sipcode_events_total{result=\"%s\"} %" PRIu64 "\n",
			stats_events[i].key, s->ev[stats_events[i].attr]);
}

static void write_methods(FILE *f, const struct methods *m)
{
	const char *name = "sipcode_responses_by_method_total";
	char buf[METHOD_NAME_LEN];
	const struct method_count *c;
	size_t i;

	family(f, name, "counter",
	       "SIP responses seen, by status code and CSeq method.");
	for (i = 0; i < m->n; i++) {
		c = &m->m[i];
		fprintf(f, "%s{code=\"%u\",class=\"%uxx\",method=\"%s\"} %" PRIu64 "\n",
			name, c->code, c->code / 100,
			method_name(c->method, buf), c->count);
	}
}

void prom_write(FILE *f, const struct stats *s, bool all,
		const struct methods *m)
{
	const char *reason;
	unsigned int i, code;
	uint64_t v;
	size_t k;

	family(f, "sipcode_build_info", "gauge",
	       "Always 1, labeled with the version of sipcodectl.");
	fprintf(f, "sipcode_build_info{version=\"%s\"} 1\n", SIPCODE_VERSION);
	family(f, "sipcode_up", "gauge",
	       "1 when the counters of the sipcode module could be read in this network namespace, else 0.");
	fprintf(f, "sipcode_up %d\n", s ? 1 : 0);
	if (!s)
		return;
	for (k = 0; k < ARRAY_SIZE(code_families); k++) {
		family(f, code_families[k].name, "counter",
		       code_families[k].help);
		for (i = 0; i < SIPCODE_NCODES; i++) {
			if (!stats_listed(s, all, i))
				continue;
			code = i + SIPCODE_CODE_MIN;
			v = *(const uint64_t *)((const char *)&s->code[i] +
						code_families[k].off);
			fprintf(f, "%s{code=\"%u\",class=\"%uxx\"} %" PRIu64 "\n",
				code_families[k].name, code, code / 100, v);
		}
	}
	family(f, "sipcode_packets_uncounted_total", "counter",
	       "Packets or messages on a SIP port not counted under a status code, by reason.");
	for (i = 0; (reason = stats_bucket(s, i, &v)); i++)
		fprintf(f, "sipcode_packets_uncounted_total{reason=\"%s\"} %" PRIu64 "\n",
			reason, v);
	family(f, "sipcode_dry_run", "gauge",
	       "1 when the sipcode rules only count what they would drop or mark, else 0.");
	fprintf(f, "sipcode_dry_run %d\n", s->dry_run ? 1 : 0);
	if (s->have_ev)
		write_events(f, s);
	if (m && m->on)
		write_methods(f, m);
}
