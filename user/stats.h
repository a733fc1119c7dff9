/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_STATS_H
#define SIPCODECTL_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/sipcode.h>

#include "config.h"

struct stats_counters {
	uint64_t seen;
	uint64_t dropped;
	uint64_t marked;
};

/* The counters of a namespace, as one SIPCODE_CMD_STATS_GET dump. */
struct stats {
	struct stats_counters code[SIPCODE_NCODES];	/* by code - 100 */
	uint64_t uc[SIPCODE_UC_A_MAX + 1];	/* by SIPCODE_UC_A_* */
	bool have_uc;
	uint64_t ev[SIPCODE_EVENTS_A_MAX + 1];	/* by SIPCODE_EVENTS_A_* */
	bool have_ev;				/* SIPCODE_A_EVENTS came */
	bool inactive;		/* the namespace is not inspected */
	bool dry_run;
	struct config config;			/* the settings, dry-run too */
};

/* What became of notified responses, in the order they are printed. */
#define STATS_NEVENTS	4

struct stats_event_name {
	int attr;		/* SIPCODE_EVENTS_A_* */
	const char *label;	/* in text: "rate-limited" */
	const char *key;	/* in JSON and Prometheus: "ratelimited" */
};

extern const struct stats_event_name stats_events[STATS_NEVENTS];

/*
 * Reads the counters and the settings into @s (zeroed first); @what
 * names the request in errors. Returns 0, or -1 after an error line on
 * stderr.
 */
int stats_read(const char *what, struct stats *s);

/*
 * Whether the code at index @i (code - 100) is listed: its counters are
 * not all zero, or, with @all, the table of codes knows it.
 */
bool stats_listed(const struct stats *s, bool all, unsigned int i);

/*
 * The not-counted bucket @n (0, 1, ...): returns its JSON key
 * ("not_response") and sets @count, or returns NULL past the last.
 */
const char *stats_bucket(const struct stats *s, unsigned int n,
			 uint64_t *count);

/*
 * Prints the table of "stats" on stdout. With @rate, an extra RATE/s
 * column shows @rate[i] per listed code (by index, code - 100), or "-"
 * where it is negative.
 */
void stats_print_table(const struct stats *s, bool all, const double *rate);

/*
 * "sipcodectl stats ...": @argv holds the arguments after "stats".
 * Returns the exit code.
 */
int stats_main(int argc, char **argv, bool json);

#endif /* SIPCODECTL_STATS_H */
