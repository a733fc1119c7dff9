// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counters: see stats.h. The reset follows nft_counter.c: the
 * sum of all CPUs is subtracted from this CPU's copy, so the total drops
 * by exactly what was read and a CPU's copy may wrap below zero.
 */
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>

#include "stats.h"

/*
 * A u64 is read from another CPU in one load; a 32-bit kernel would need
 * u64_stats_sync around every counter.
 */
static_assert(BITS_PER_LONG == 64, "sipcode needs a 64-bit kernel");

#define SIPCODE_STATS_NCOUNTERS (sizeof(struct sipcode_stats) / sizeof(u64))

u64 sipcode_stats_sum(const u64 __percpu *counter)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(counter, cpu));
	return sum;
}

struct sipcode_stats __percpu *sipcode_stats_alloc(void)
{
	return alloc_percpu_gfp(struct sipcode_stats, GFP_KERNEL_ACCOUNT);
}

void sipcode_stats_free(struct sipcode_stats __percpu *stats)
{
	free_percpu(stats);
}

void sipcode_stats_code(struct sipcode_stats __percpu *stats,
			unsigned int idx, struct sipcode_code_stats *out)
{
	out->in = sipcode_stats_sum(&stats->seen[SIPCODE_DIR_IN][idx]);
	out->out = sipcode_stats_sum(&stats->seen[SIPCODE_DIR_OUT][idx]);
	out->seen = out->in + out->out;
	out->dropped = sipcode_stats_sum(&stats->dropped[idx]);
	out->marked = sipcode_stats_sum(&stats->marked[idx]);
	out->relayed = sipcode_stats_sum(&stats->relayed[idx]);
}

/* The caller serialises resets: two at once would subtract twice. */
void sipcode_stats_zero(u64 __percpu *counter, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		this_cpu_sub(counter[i], sipcode_stats_sum(&counter[i]));
}

void sipcode_stats_reset(struct sipcode_stats __percpu *stats)
{
	sipcode_stats_zero((u64 __percpu *)stats, SIPCODE_STATS_NCOUNTERS);
}
