/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transaction table of a namespace (see txn-get in
 * Documentation/netlink/specs/sipcode.yaml): each request remembered by
 * its transaction with the time the hook saw it, its responses matched
 * to it, the first final response told from its retransmissions, and the
 * delays measured. Off until switched on; then the packet path takes one
 * bucket's lock a request or response, never a lock of the table.
 */
#ifndef _SIPCODE_TXN_H
#define _SIPCODE_TXN_H

#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sipcode.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct sk_buff;
struct sipcode_net;

/**
 * struct sipcode_txn - a transaction remembered
 * @key: its sip_txn_id() key; 0: a free slot
 * @t_req: when its request was seen (ns, ktime_get_ns())
 * @fin_ms: when its first final response was seen, in ms after @t_req
 * @final: the code of that response; 0: none yet
 * @method: its CSeq method (enum sipcode_method)
 * @srd: its session request delay was measured
 */
struct sipcode_txn {
	u64 key;
	u64 t_req;
	u32 fin_ms;
	u16 final;
	u8 method;
	u8 srd;
};

/* Transactions a bucket holds: a bucket is two cache lines. */
#define SIPCODE_TXN_WAYS 5

/**
 * struct sipcode_txn_bucket - transactions whose keys fall together
 * @txn: the transactions
 */
struct sipcode_txn_bucket {
	/** @lock: held for one look-up, with bottom halves off */
	spinlock_t lock;
	struct sipcode_txn txn[SIPCODE_TXN_WAYS];
};

/*
 * Histograms: srd, rrd, then one a final class (2-6) of invite-final,
 * then of other-final.
 */
#define SIPCODE_HIST_SRD 0
#define SIPCODE_HIST_RRD 1
#define SIPCODE_TXN_CLASSES 5
#define SIPCODE_TXN_NHIST (2 + 2 * SIPCODE_TXN_CLASSES)

/**
 * sipcode_hist_final() - the histogram of a first final response
 * @method: its request's method
 * @code: its code, 200-699
 *
 * Return: the index of the histogram.
 */
static inline unsigned int sipcode_hist_final(unsigned int method,
					      unsigned int code)
{
	unsigned int class = code / 100 - 2;

	return method == SIPCODE_METHOD_INVITE ? 2 + class :
	       2 + SIPCODE_TXN_CLASSES + class;
}

/**
 * sipcode_hist_kind() - what a histogram measures
 * @h: its index
 *
 * Return: its enum sipcode_delay.
 */
static inline unsigned int sipcode_hist_kind(unsigned int h)
{
	if (h == SIPCODE_HIST_SRD)
		return SIPCODE_DELAY_SRD;
	if (h == SIPCODE_HIST_RRD)
		return SIPCODE_DELAY_RRD;
	return h < 2 + SIPCODE_TXN_CLASSES ? SIPCODE_DELAY_INVITE_FINAL :
	       SIPCODE_DELAY_OTHER_FINAL;
}

/**
 * sipcode_hist_class() - the class of a final response's histogram
 * @h: its index, 2 or more
 *
 * Return: 2 to 6.
 */
static inline unsigned int sipcode_hist_class(unsigned int h)
{
	return 2 + (h - 2) % SIPCODE_TXN_CLASSES;
}

/**
 * struct sipcode_hist - a delay histogram, on one CPU
 * @bucket: delays at most sipcode_delay_le_us[i] and above the bound
 *	before; the last unbounded
 * @sum_us: their sum, in microseconds
 */
struct sipcode_hist {
	u64 bucket[SIPCODE_DELAY_BUCKETS];
	u64 sum_us;
};

/* The upper bounds of the buckets, in microseconds; 0: unbounded. */
extern const u32 sipcode_delay_le_us[SIPCODE_DELAY_BUCKETS];

/**
 * struct sipcode_txn_stats - the counters of transactions, on one CPU
 * @first: first final responses, by code - SIPCODE_CODE_MIN
 * @retrans: final responses after the first, by code - SIPCODE_CODE_MIN
 * @tracked: requests remembered, by method
 * @untracked: requests not remembered, by method
 * @retransmitted: requests that repeated one remembered, by method
 * @timeouts: transactions forgotten with no final response, by method
 * @unmatched: responses of no transaction remembered
 * @hist: indexed by sipcode_hist_index()
 * @final: first final responses of INVITE (0) and REGISTER (1)
 *	transactions, by code column (sipcode_peer_col): the RFC 6076
 *	ratios' counts
 */
struct sipcode_txn_stats {
	u64 first[SIPCODE_NCODES];
	u64 retrans[SIPCODE_NCODES];
	u64 tracked[SIPCODE_NMETHODS];
	u64 untracked[SIPCODE_NMETHODS];
	u64 retransmitted[SIPCODE_NMETHODS];
	u64 timeouts[SIPCODE_NMETHODS];
	u64 unmatched;
	struct sipcode_hist hist[SIPCODE_TXN_NHIST];
	u64 final[2][SIPCODE_PEER_COLUMNS];
};

/* Bytes of a message's headers copied for sip_txn_id() when not linear. */
#define SIPCODE_TXN_COPY SIPCODE_HEADERS_SCAN_MAX

struct sipcode_txn_copy {
	u8 buf[SIPCODE_TXN_COPY];
};

/**
 * struct sipcode_txns - the transaction table of a namespace
 * @rcu: to free it after a grace period
 * @gc: forgets the transactions that expired, every second
 * @stats: the counters; shared with the table that replaces this one
 *	(a new size), and freed with the last
 * @live: per CPU, transactions added less those forgotten: their sum is
 *	the transactions in the table
 * @copy: per CPU, room for the headers of a message not in the linear
 *	part of its skb
 * @max: the transactions-max it was made for
 * @nbuckets: buckets at @bucket: @max / SIPCODE_TXN_WAYS
 * @keep_stats: @stats go on in the table that replaced this one
 * @bucket: the buckets
 */
struct sipcode_txns {
	struct rcu_head rcu;
	struct delayed_work gc;
	struct sipcode_txn_stats __percpu *stats;
	long __percpu *live;
	struct sipcode_txn_copy __percpu *copy;
	u32 max;
	u32 nbuckets;
	bool keep_stats;
	struct sipcode_txn_bucket *bucket;
};

/**
 * struct sipcode_txn_change - a change of the table, prepared
 * @tt: the new table, or NULL
 * @max: the size
 * @on: the table is on after the change
 * @swap: the table is replaced (or switched off)
 */
struct sipcode_txn_change {
	struct sipcode_txns *tt;
	u32 max;
	bool on;
	bool swap;
};

/**
 * sipcode_txn_prepare() - prepare to switch the table on or off, or resize it
 * @sn: the namespace's state
 * @c: the change, for sipcode_txn_commit() or sipcode_txn_abort()
 * @on: 1 on, 0 off, -1 as it is
 * @max: transactions at most (txn-max-min to txn-max-max); 0: as it is
 *
 * A table switched on, or of a new size while on, is allocated here
 * (charged to the caller's memory cgroup): a new size starts an empty
 * table that keeps the counts. Nothing is published.
 *
 * Context: Under sn->lock.
 * Return: 0 or -ENOMEM: nothing to abort.
 */
int sipcode_txn_prepare(struct sipcode_net *sn, struct sipcode_txn_change *c,
			int on, u32 max);

/**
 * sipcode_txn_commit() - make a prepared change
 * @sn: the namespace's state
 * @c: the change
 *
 * The new table is published and its GC started; the one it replaces is
 * freed with its counts (unless the new one keeps them) after a grace
 * period.
 *
 * Context: Under sn->lock; may sleep (waits for the old table's GC).
 */
void sipcode_txn_commit(struct sipcode_net *sn, struct sipcode_txn_change *c);

/**
 * sipcode_txn_abort() - drop a prepared change
 * @c: the change
 */
void sipcode_txn_abort(struct sipcode_txn_change *c);

/**
 * sipcode_txn_reset() - set the counters of transactions to zero
 * @sn: the namespace's state
 *
 * Context: Under sn->lock, which serialises resets.
 */
void sipcode_txn_reset(struct sipcode_net *sn);

/**
 * sipcode_txn_free() - free the table of a namespace
 * @sn: the namespace's state, whose hooks are gone
 *
 * Context: May sleep: waits for the GC.
 */
void sipcode_txn_free(struct sipcode_net *sn);

/**
 * sipcode_txn_entries() - the transactions in a table
 * @tt: the table
 *
 * Return: what each CPU added, less what it forgot: the transactions
 * remembered now, give or take those counted meanwhile.
 */
long sipcode_txn_entries(const struct sipcode_txns *tt);

/**
 * sipcode_txn() - a message to the transaction table
 * @sn: the namespace's state, with the table on
 * @skb: the packet
 * @dir: the hook's direction (enum sipcode_direction)
 * @off: the first byte of the message
 * @len: its bytes in @skb from @off
 * @code: a response's code; SIP_PARSE_NOT_RESPONSE: a request, if it is
 *	one
 *
 * A request is remembered, or counted as a retransmission or untracked;
 * a response is matched to its transaction, or counted as unmatched.
 * With peers, a transaction remembered and the first final response of
 * an INVITE or REGISTER transaction count under their peers too
 * (sipcode_peers_txn()).
 *
 * Context: Packet path, under rcu_read_lock().
 */
void sipcode_txn(struct sipcode_net *sn, const struct sk_buff *skb,
		 unsigned int dir, unsigned int off, unsigned int len,
		 int code);

#endif /* _SIPCODE_TXN_H */
