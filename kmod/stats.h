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

/**
 * struct sipcode_stats - the counters of a namespace, on one CPU
 * @seen: responses counted, indexed by direction (enum sipcode_direction)
 *	and code - SIPCODE_CODE_MIN
 * @dropped: of those, dropped by a rule (or that would have been, in
 *	dry-run mode)
 * @marked: of those, marked by a rule (or that would have been, in
 *	dry-run mode)
 * @uncounted: indexed by enum sipcode_uncounted_attr
 * @events: indexed by enum sipcode_events_attr
 * @unpeered: while the namespace has peers, the responses whose address
 *	is in no peer's prefixes: by direction and peer column
 *	(sipcode_peer_col)
 * @relayed: while SIPCODE_MORE_RELAYED is on, of those received, the
 *	responses the host relays (sipcode_relayed()), by code
 */
struct sipcode_stats {
	u64 seen[2][SIPCODE_NCODES];
	u64 dropped[SIPCODE_NCODES];
	u64 marked[SIPCODE_NCODES];
	u64 uncounted[__SIPCODE_UC_A_MAX];
	u64 events[__SIPCODE_EVENTS_A_MAX];
	u64 unpeered[2][SIPCODE_PEER_COLUMNS];
	u64 relayed[SIPCODE_NCODES];
};

/**
 * struct sipcode_code_stats - the counters of a code, summed over every CPU
 * @seen: responses counted
 * @in: of those, received
 * @out: of those, sent by the host
 * @dropped: of those, dropped by a rule
 * @marked: of those, marked by a rule
 * @relayed: of @in, relayed by the host
 */
struct sipcode_code_stats {
	u64 seen;
	u64 in;
	u64 out;
	u64 dropped;
	u64 marked;
	u64 relayed;
};

/**
 * sipcode_stats_alloc() - the counters of a new namespace, all zero
 *
 * Return: the counters, or NULL: no memory.
 */
struct sipcode_stats __percpu *sipcode_stats_alloc(void);

/**
 * sipcode_stats_free() - free the counters of a namespace
 * @stats: the counters; may be NULL
 */
void sipcode_stats_free(struct sipcode_stats __percpu *stats);

/**
 * sipcode_stats_code() - the counters of a code
 * @stats: the counters
 * @idx: code - SIPCODE_CODE_MIN
 * @out: set to its counters, summed over every CPU
 */
void sipcode_stats_code(struct sipcode_stats __percpu *stats,
			unsigned int idx, struct sipcode_code_stats *out);

/**
 * sipcode_stats_sum() - one counter, summed over every CPU
 * @counter: the counter
 *
 * Return: the sum.
 */
u64 sipcode_stats_sum(const u64 __percpu *counter);

/**
 * sipcode_stats_zero() - set per-CPU counters to zero
 * @counter: the first of them
 * @n: how many
 *
 * Subtracts what it read from this CPU's copy, so nothing counted
 * meanwhile is lost.
 *
 * Context: The caller serialises resets: two at once would subtract
 * twice.
 */
void sipcode_stats_zero(u64 __percpu *counter, unsigned int n);

/**
 * sipcode_stats_reset() - set every counter to zero
 * @stats: the counters
 *
 * Subtracts what it read, so nothing counted during the reset is lost.
 *
 * Context: The caller serialises resets: two at once would subtract
 * twice.
 */
void sipcode_stats_reset(struct sipcode_stats __percpu *stats);

/**
 * sipcode_stats_count() - count a result of sip_parse_status()
 * @stats: the counters
 * @result: a code, or a reason below 100
 * @dir: enum sipcode_direction: sipcode_dir() of the hook
 */
static inline void sipcode_stats_count(struct sipcode_stats __percpu *stats,
				       int result, unsigned int dir)
{
	if (likely(result >= SIPCODE_CODE_MIN))
		this_cpu_inc(stats->seen[dir][result - SIPCODE_CODE_MIN]);
	else
		this_cpu_inc(stats->uncounted[result]);
}

/**
 * sipcode_stats_uncounted() - count a packet in an uncounted bucket
 * @stats: the counters
 * @bucket: enum sipcode_uncounted_attr
 */
static inline void sipcode_stats_uncounted(struct sipcode_stats __percpu *stats,
					   unsigned int bucket)
{
	this_cpu_inc(stats->uncounted[bucket]);
}

#endif /* _SIPCODE_STATS_H */
