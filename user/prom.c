// SPDX-License-Identifier: GPL-2.0
/*
 * The counters in the Prometheus text exposition format 0.0.4, one
 * metric family after the other, each with # HELP and # TYPE:
 *
 *   sip_responses_total{code="486",class="4xx"} 15
 *   sip_responses_dropped_total{code="486",class="4xx"} 0
 *   sip_responses_marked_total{code="486",class="4xx"} 0
 *   sip_packets_uncounted_total{reason="keepalive"} 2
 *   sipcode_dry_run 0
 *
 * The three code families list the same codes, so that they divide
 * one another in PromQL.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "prom.h"
#include "stats.h"

static const struct {
	const char *name;
	const char *help;
	size_t off;	/* of the counter in struct stats_counters */
} code_families[] = {
	{ "sip_responses_total",
	  "SIP responses seen, by status code.",
	  offsetof(struct stats_counters, seen) },
	{ "sip_responses_dropped_total",
	  "SIP responses a sipcode rule dropped (in dry-run mode, would have dropped), by status code.",
	  offsetof(struct stats_counters, dropped) },
	{ "sip_responses_marked_total",
	  "SIP responses a sipcode rule marked (in dry-run mode, would have marked), by status code.",
	  offsetof(struct stats_counters, marked) },
};

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void prom_write(FILE *f, const struct stats *s, bool all)
{
	const char *reason;
	unsigned int i, code;
	uint64_t v;
	size_t k;

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
	family(f, "sip_packets_uncounted_total", "counter",
	       "Packets or messages on a SIP port not counted under a status code, by reason.");
	for (i = 0; (reason = stats_bucket(s, i, &v)); i++)
		fprintf(f, "sip_packets_uncounted_total{reason=\"%s\"} %" PRIu64 "\n",
			reason, v);
	family(f, "sipcode_dry_run", "gauge",
	       "1 when the sipcode rules only count what they would drop or mark, else 0.");
	fprintf(f, "sipcode_dry_run %d\n", s->dry_run ? 1 : 0);
}
