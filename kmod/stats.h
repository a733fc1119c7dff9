/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters of one network namespace. The packet path increments
 * its own CPU's copy with this_cpu_inc(): no lock, no atomic. Readers sum
 * every CPU; a reset subtracts what it read, so nothing counted during
 * the reset is lost.
 */
#ifndef _SIPCODE_STATS_H
#define _SIPCODE_STATS_H

#include <linux/percpu.h>
#include <linux/sipcode.h>
#include <linux/types.h>

struct sipcode_stats {
	u64 seen[SIPCODE_NCODES];
	u64 dropped[SIPCODE_NCODES];
	u64 marked[SIPCODE_NCODES];
	/* Indexed by enum sipcode_uncounted_attr. */
	u64 uncounted[__SIPCODE_UC_A_MAX];
	/* Indexed by enum sipcode_events_attr. */
	u64 events[__SIPCODE_EVENTS_A_MAX];
};

struct sipcode_code_stats {
	u64 seen;
	u64 dropped;
	u64 marked;
};

struct sipcode_stats __percpu *sipcode_stats_alloc(void);
void sipcode_stats_free(struct sipcode_stats __percpu *stats);
void sipcode_stats_code(struct sipcode_stats __percpu *stats,
			unsigned int idx, struct sipcode_code_stats *out);
/* One counter, summed over every CPU. */
u64 sipcode_stats_sum(const u64 __percpu *counter);
void sipcode_stats_reset(struct sipcode_stats __percpu *stats);

/* Count a result of sip_parse_status(): a code, or a reason below 100. */
static inline void sipcode_stats_count(struct sipcode_stats __percpu *stats,
				       int result)
{
	if (likely(result >= SIPCODE_CODE_MIN))
		this_cpu_inc(stats->seen[result - SIPCODE_CODE_MIN]);
	else
		this_cpu_inc(stats->uncounted[result]);
}

#endif /* _SIPCODE_STATS_H */
