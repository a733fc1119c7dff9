/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The insight tables of a namespace (see "Insight" in
 * Documentation/netlink/specs/sipcode.yaml): responses per (code, CSeq method), and
 * the most frequent reason phrases per code. Each table is per CPU,
 * allocated when switched on and published under RCU; the packet path
 * reads one flag while both are off.
 */
#ifndef _SIPCODE_INSIGHT_H
#define _SIPCODE_INSIGHT_H

#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sipcode.h>
#include <linux/types.h>

/* Per CPU: SIPCODE_NCODES counters a method, one allocation a method. */
struct sipcode_methods {
	struct rcu_head rcu;
	u64 __percpu *count[SIPCODE_NMETHODS];
};

struct sipcode_reason_slot {
	u64 count;	/* 0: free */
	u32 hash;	/* of len and phrase: a reader drops a torn copy */
	u8 len;
	u8 phrase[SIPCODE_REASON_MAX];
};

struct sipcode_reason_code {
	struct sipcode_reason_slot slot[SIPCODE_REASONS_PER_CODE];
};

/* Codes a per-CPU allocation holds: 64 x 384 bytes, below 32 KiB. */
#define SIPCODE_REASON_CHUNK 64
#define SIPCODE_REASON_NCHUNKS \
	DIV_ROUND_UP(SIPCODE_NCODES, SIPCODE_REASON_CHUNK)

struct sipcode_reasons {
	struct rcu_head rcu;
	struct sipcode_reason_code __percpu *chunk[SIPCODE_REASON_NCHUNKS];
};

/*
 * Where a counted response lies in its packet, and what the rules do to
 * it: what the rules, the tables and the events need, with the hook's
 * family. Sixteen bytes, passed by value on the packet path: in two
 * registers on x86-64.
 */
struct sipcode_response {
	u32 off;		/* the message */
	u32 len;		/* its bytes in the skb, from off */
	u32 thoff;		/* the transport header */
	u16 idx;		/* code - SIPCODE_CODE_MIN */
	u8 action;		/* enum sipcode_action */
	u8 proto;		/* IPPROTO_UDP or IPPROTO_TCP */
};

struct net;
struct sipcode_net;
struct sipcode_verdict;
struct sk_buff;

/*
 * Switch the tables on (1) or off (0), or leave one as it is (-1): both
 * or neither (-ENOMEM). The caller holds sn->lock.
 */
int sipcode_insight_set(struct sipcode_net *sn, int by_method, int reasons);
/* Both tables set to zero (a new one swapped in); under sn->lock. */
int sipcode_insight_reset(struct sipcode_net *sn);
void sipcode_insight_free(struct sipcode_net *sn);

/*
 * The packet path, after a response was counted and the rules applied:
 * the tables that are on, and the event of the rule @v (NULL: no event
 * wanted; see sipcode_event_wanted()), of a packet of @family
 * (NFPROTO_IPV4 or NFPROTO_IPV6).
 */
void sipcode_insight(struct sipcode_net *sn, struct sk_buff *skb,
		     const struct sipcode_response *r,
		     const struct sipcode_verdict *v, u8 family);

/* Readers, under rcu_read_lock(). */
u64 sipcode_methods_read(const struct sipcode_methods *m, unsigned int idx,
			 unsigned int method);

struct sipcode_reason {
	u64 count;
	u32 hash;
	u8 len;
	u8 phrase[SIPCODE_REASON_MAX];
};

/* Room sipcode_reasons_read() needs, in struct sipcode_reason. */
#define SIPCODE_REASONS_READ_MAX (SIPCODE_REASONS_PER_CODE * nr_cpu_ids)

/*
 * The phrases of code 100 + @idx summed over every CPU, most counted
 * first, into @out (room for SIPCODE_REASONS_READ_MAX): returns how
 * many, at most SIPCODE_REASONS_PER_CODE.
 */
unsigned int sipcode_reasons_read(const struct sipcode_reasons *rs,
				  unsigned int idx, struct sipcode_reason *out);

#endif /* _SIPCODE_INSIGHT_H */
