// SPDX-License-Identifier: GPL-2.0
/*
 * The transaction table: see txn.h. A request's transaction (the key of
 * sip_txn_id(): top Via branch, Call-ID, CSeq number and method) picks a
 * bucket of SIPCODE_TXN_WAYS slots; the bucket's lock is held for that
 * one look-up. A transaction expires SIPCODE_TXN_TIMEOUT_MS after its
 * request, or after its first final response when it has one: the GC
 * forgets it within a second (a request that finds it expired in its
 * bucket takes its slot at once). The counters are per CPU.
 */
#include <linux/bottom_half.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "peers.h"
#include "sipcode.h"
#include "siptxn.h"
#include "txn.h"

static_assert(sizeof(struct sipcode_txn) == 24);

const u32 sipcode_delay_le_us[SIPCODE_DELAY_BUCKETS] = {
	10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000, 32000000, 0,
};

#define SIPCODE_TXN_TIMEOUT_NS ((u64)SIPCODE_TXN_TIMEOUT_MS * NSEC_PER_MSEC)

static bool sipcode_txn_expired(const struct sipcode_txn *t, u64 now)
{
	u64 end = t->t_req + SIPCODE_TXN_TIMEOUT_NS;

	if (t->final)
		end += (u64)t->fin_ms * NSEC_PER_MSEC;
	return now > end;
}

/* Forget @t, counting a timeout when it had no final response. */
static void sipcode_txn_forget(struct sipcode_txns *tt, struct sipcode_txn *t)
{
	if (!t->final)
		this_cpu_inc(tt->stats->timeouts[t->method]);
	this_cpu_dec(*tt->live);
	/* The GC peeks at keys without the lock: see sipcode_txn_gc(). */
	WRITE_ONCE(t->key, 0);
}

static struct sipcode_txn_bucket *sipcode_txn_bucket(struct sipcode_txns *tt,
						     u64 key)
{
	return &tt->bucket[reciprocal_scale(key >> 32, tt->nbuckets)];
}

/* A delay of @ns into histogram @h. */
static void sipcode_hist_add(struct sipcode_txns *tt, unsigned int h, u64 ns)
{
	u64 us = div_u64(ns, NSEC_PER_USEC);
	unsigned int i;

	for (i = 0; i < SIPCODE_DELAY_BUCKETS - 1; i++)
		if (us <= sipcode_delay_le_us[i])
			break;
	this_cpu_inc(tt->stats->hist[h].bucket[i]);
	this_cpu_add(tt->stats->hist[h].sum_us, us);
}

/*
 * The key of the message at @off in @skb, from its first
 * SIPCODE_HEADERS_SCAN_MAX bytes: read where they lie in the linear
 * part, else copied to this CPU's room. With bottom halves off.
 */
static int sipcode_txn_id(struct sipcode_txns *tt, const struct sk_buff *skb,
			  unsigned int off, unsigned int len,
			  struct sip_txn_id *id)
{
	const u8 *data;

	len = min_t(unsigned int, len, SIPCODE_TXN_COPY);
	if (off + len <= skb_headlen(skb))
		data = skb->data + off;
	else if (!skb_copy_bits(skb, off, this_cpu_ptr(tt->copy)->buf, len))
		data = this_cpu_ptr(tt->copy)->buf;
	else
		return -1;
	if (sip_txn_id(data, len, id))
		return -1;
	/* A key of 0 is a free slot. */
	id->key |= 1;
	return 0;
}

/*
 * A request of @id at @now: remembered, unless it repeats one.
 * Return: true when remembered.
 */
static bool sipcode_txn_add(struct sipcode_txns *tt,
			    struct sipcode_txn_bucket *b,
			    const struct sip_txn_id *id, u64 now)
{
	struct sipcode_txn *t, *slot = NULL;
	unsigned int i;

	for (i = 0; i < SIPCODE_TXN_WAYS; i++) {
		t = &b->txn[i];
		if (t->key && sipcode_txn_expired(t, now))
			sipcode_txn_forget(tt, t);
		if (t->key == id->key) {
			this_cpu_inc(tt->stats->retransmitted[id->method]);
			return false;
		}
		if (!t->key && !slot)
			slot = t;
	}
	if (!slot) {
		this_cpu_inc(tt->stats->untracked[id->method]);
		return false;
	}
	*slot = (struct sipcode_txn) {
		.t_req = now,
		.method = id->method,
	};
	WRITE_ONCE(slot->key, id->key);
	this_cpu_inc(*tt->live);
	this_cpu_inc(tt->stats->tracked[id->method]);
	return true;
}

/*
 * A response of @t, code 100 + @idx, seen at @now: what it measures.
 * Return: for the first final response of an INVITE (0) or REGISTER (1)
 * transaction, that index; else -1.
 */
static int sipcode_txn_answer(struct sipcode_txns *tt, struct sipcode_txn *t,
			      unsigned int idx, u64 now)
{
	unsigned int code = SIPCODE_CODE_MIN + idx;
	u64 delay = now - t->t_req;
	int mi = -1;

	if (t->final) {
		if (code >= 200)
			this_cpu_inc(tt->stats->retrans[idx]);
		return -1;
	}
	if (t->method == SIPCODE_METHOD_INVITE && code != 100 && !t->srd) {
		sipcode_hist_add(tt, SIPCODE_HIST_SRD, delay);
		t->srd = 1;
	}
	if (code < 200)
		return -1;
	t->final = code;
	t->fin_ms = div_u64(delay, NSEC_PER_MSEC);
	this_cpu_inc(tt->stats->first[idx]);
	if (t->method == SIPCODE_METHOD_INVITE)
		mi = 0;
	if (t->method == SIPCODE_METHOD_REGISTER) {
		mi = 1;
		sipcode_hist_add(tt, SIPCODE_HIST_RRD, delay);
	}
	if (mi >= 0)
		this_cpu_inc(tt->stats->final[mi][sipcode_peer_col[idx]]);
	sipcode_hist_add(tt, sipcode_hist_final(t->method, code), delay);
	return mi;
}

/*
 * A response of @id, code 100 + @idx, at @now: to its transaction.
 * Return: as sipcode_txn_answer(); -1 when it has none.
 */
static int sipcode_txn_match(struct sipcode_txns *tt,
			     struct sipcode_txn_bucket *b,
			     const struct sip_txn_id *id, unsigned int idx,
			     u64 now)
{
	struct sipcode_txn *t;
	unsigned int i;

	for (i = 0; i < SIPCODE_TXN_WAYS; i++) {
		t = &b->txn[i];
		if (t->key != id->key)
			continue;
		if (sipcode_txn_expired(t, now)) {
			sipcode_txn_forget(tt, t);
			break;
		}
		return sipcode_txn_answer(tt, t, idx, now);
	}
	this_cpu_inc(tt->stats->unmatched);
	return -1;
}

/*
 * What has no transaction: a response is unmatched; a payload that is
 * not a request (a request line) is not one, and counts nowhere here.
 */
static void sipcode_txn_none(struct sipcode_txns *tt, const struct sk_buff *skb,
			     unsigned int off, unsigned int len, int code)
{
	u8 buf[SIP_PARSE_WINDOW] __uninitialized;
	const u8 *data;

	if (code >= SIPCODE_CODE_MIN) {
		this_cpu_inc(tt->stats->unmatched);
		return;
	}
	len = min(len, SIP_PARSE_WINDOW);
	data = skb_header_pointer(skb, off, len, buf);
	if (data && sip_is_request(data, len))
		this_cpu_inc(tt->stats->untracked[SIPCODE_METHOD_OTHER]);
}

void sipcode_txn(struct sipcode_net *sn, const struct sk_buff *skb,
		 unsigned int dir, unsigned int off, unsigned int len, int code)
{
	struct sipcode_txns *tt = rcu_dereference(sn->txns);
	struct sipcode_txn_bucket *b;
	bool added = false;
	struct sip_txn_id id;
	int mi = -1;
	bool bh;
	u64 now;

	if (!tt)
		return;
	bh = !in_softirq();
	if (bh)
		local_bh_disable();
	if (sipcode_txn_id(tt, skb, off, len, &id)) {
		sipcode_txn_none(tt, skb, off, len, code);
		goto out;
	}
	/* An ACK has no response: nothing to remember. */
	if (code < SIPCODE_CODE_MIN && id.method == SIPCODE_METHOD_ACK)
		goto out;
	now = ktime_get_ns();
	b = sipcode_txn_bucket(tt, id.key);
	spin_lock(&b->lock);
	if (code >= SIPCODE_CODE_MIN)
		mi = sipcode_txn_match(tt, b, &id, code - SIPCODE_CODE_MIN, now);
	else
		added = sipcode_txn_add(tt, b, &id, now);
	spin_unlock(&b->lock);
	/* The peers of a new transaction, and of its first final. */
	if ((added || mi >= 0) && (READ_ONCE(sn->more) & SIPCODE_MORE_PEERS))
		sipcode_peers_txn(sn, skb, dir, added ? id.method : -1, mi,
				  mi >= 0 ? sipcode_peer_col[code -
							     SIPCODE_CODE_MIN] : 0);
out:
	if (bh)
		local_bh_enable();
}

/* Buckets the GC walks between two cond_resched(). */
#define SIPCODE_TXN_GC_BATCH 256

long sipcode_txn_entries(const struct sipcode_txns *tt)
{
	long live = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		live += READ_ONCE(*per_cpu_ptr(tt->live, cpu));
	return live;
}

/*
 * Forget what expired at @now. A bucket whose keys are all 0, read
 * without its lock, is not locked: one that fills meanwhile holds a
 * transaction that has not expired.
 */
static void sipcode_txn_sweep(struct sipcode_txns *tt, u64 now)
{
	struct sipcode_txn_bucket *b;
	unsigned int i, j;

	for (i = 0; i < tt->nbuckets; i++) {
		b = &tt->bucket[i];
		for (j = 0; j < SIPCODE_TXN_WAYS; j++)
			if (READ_ONCE(b->txn[j].key))
				break;
		if (j < SIPCODE_TXN_WAYS) {
			spin_lock_bh(&b->lock);
			for (j = 0; j < SIPCODE_TXN_WAYS; j++)
				if (b->txn[j].key &&
				    sipcode_txn_expired(&b->txn[j], now))
					sipcode_txn_forget(tt, &b->txn[j]);
			spin_unlock_bh(&b->lock);
		}
		if (!(i % SIPCODE_TXN_GC_BATCH))
			cond_resched();
	}
}

/* Every second; an empty table is not walked. */
static void sipcode_txn_gc(struct work_struct *work)
{
	struct sipcode_txns *tt = container_of(to_delayed_work(work),
					       struct sipcode_txns, gc);

	if (sipcode_txn_entries(tt) > 0)
		sipcode_txn_sweep(tt, ktime_get_ns());
	schedule_delayed_work(&tt->gc, HZ);
}

static void sipcode_txns_destroy(struct sipcode_txns *tt)
{
	if (!tt)
		return;
	if (!tt->keep_stats)
		free_percpu(tt->stats);
	free_percpu(tt->live);
	free_percpu(tt->copy);
	kvfree(tt->bucket);
	kfree(tt);
}

static void sipcode_txns_free_rcu(struct rcu_head *head)
{
	sipcode_txns_destroy(container_of(head, struct sipcode_txns, rcu));
}

/*
 * Over the memory cgroup's limit a table is refused (-ENOMEM to the
 * request, nothing changed) rather than the cgroup's OOM killer called,
 * and quietly.
 */
#define SIPCODE_TXN_GFP (GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN)

/* A table of @max transactions; with @stats, or new counters. */
static struct sipcode_txns *
sipcode_txns_create(u32 max, struct sipcode_txn_stats __percpu *stats)
{
	struct sipcode_txns *tt;
	unsigned int i;

	tt = kzalloc(sizeof(*tt), SIPCODE_TXN_GFP);
	if (!tt)
		return NULL;
	tt->max = max;
	/* Counters it is given are another table's until that one goes. */
	tt->keep_stats = !!stats;
	tt->nbuckets = max / SIPCODE_TXN_WAYS;
	tt->bucket = kvcalloc(tt->nbuckets, sizeof(*tt->bucket),
			      SIPCODE_TXN_GFP);
	tt->live = alloc_percpu_gfp(long, SIPCODE_TXN_GFP);
	tt->copy = alloc_percpu_gfp(struct sipcode_txn_copy, SIPCODE_TXN_GFP);
	tt->stats = stats ?: alloc_percpu_gfp(struct sipcode_txn_stats,
					      SIPCODE_TXN_GFP);
	if (!tt->bucket || !tt->live || !tt->copy || !tt->stats) {
		sipcode_txns_destroy(tt);
		return NULL;
	}
	for (i = 0; i < tt->nbuckets; i++)
		spin_lock_init(&tt->bucket[i].lock);
	INIT_DELAYED_WORK(&tt->gc, sipcode_txn_gc);
	return tt;
}

int sipcode_txn_prepare(struct sipcode_net *sn, struct sipcode_txn_change *c,
			int on, u32 max)
{
	struct sipcode_txns *old;

	old = rcu_dereference_protected(sn->txns, lockdep_is_held(sn->lock));
	c->max = max ?: sn->txn_max;
	c->on = on < 0 ? !!old : on;
	c->tt = NULL;
	c->swap = c->on != !!old || (old && old->max != c->max);
	if (c->swap && c->on) {
		c->tt = sipcode_txns_create(c->max, old ? old->stats : NULL);
		if (!c->tt)
			return -ENOMEM;
	}
	return 0;
}

void sipcode_txn_abort(struct sipcode_txn_change *c)
{
	sipcode_txns_destroy(c->tt);
}

void sipcode_txn_commit(struct sipcode_net *sn, struct sipcode_txn_change *c)
{
	struct sipcode_txns *old;

	old = rcu_dereference_protected(sn->txns, lockdep_is_held(sn->lock));
	sn->txn_max = c->max;
	if (!c->swap)
		return;
	if (c->tt)
		schedule_delayed_work(&c->tt->gc, HZ);
	rcu_assign_pointer(sn->txns, c->tt);
	sipcode_more_set(sn, SIPCODE_MORE_TXN, c->on);
	if (c->tt)
		c->tt->keep_stats = false;
	if (old) {
		old->keep_stats = !!c->tt;
		/* The GC may sleep: stopped here, not in the RCU callback. */
		cancel_delayed_work_sync(&old->gc);
		call_rcu(&old->rcu, sipcode_txns_free_rcu);
	}
}

void sipcode_txn_reset(struct sipcode_net *sn)
{
	struct sipcode_txns *tt;
	u64 __percpu *counter;
	unsigned int i;

	tt = rcu_dereference_protected(sn->txns, lockdep_is_held(sn->lock));
	if (!tt)
		return;
	counter = (u64 __percpu *)tt->stats;
	for (i = 0; i < sizeof(struct sipcode_txn_stats) / sizeof(u64); i++)
		this_cpu_sub(counter[i], sipcode_stats_sum(&counter[i]));
}

void sipcode_txn_free(struct sipcode_net *sn)
{
	struct sipcode_txns *tt = rcu_dereference_protected(sn->txns, 1);

	if (tt) {
		cancel_delayed_work_sync(&tt->gc);
		sipcode_txns_destroy(tt);
	}
}
