// SPDX-License-Identifier: GPL-2.0
/*
 * The insight tables: see insight.h. The packet path reaches this file
 * only while a table is on or a rule notifies, and reads the message
 * again here: its first SIP_PARSE_WINDOW bytes for the reason phrase,
 * and its headers, up to SIPCODE_HEADERS_SCAN_MAX bytes, for the CSeq
 * method (sipcode_frame(), which the TCP path frames with too).
 */
#include <linux/bottom_half.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "events.h"
#include "insight.h"
#include "sipcode.h"
#include "sipparse.h"

/*
 * The tables are large and optional: over the memory cgroup's limit their
 * allocation fails (-ENOMEM to the request) rather than calling the OOM
 * killer on the cgroup, and quietly.
 */
#define SIPCODE_INSIGHT_GFP (GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN)

static void sipcode_methods_destroy(struct sipcode_methods *m)
{
	unsigned int i;

	if (!m)
		return;
	for (i = 0; i < SIPCODE_NMETHODS; i++)
		free_percpu(m->count[i]);
	kfree(m);
}

static struct sipcode_methods *sipcode_methods_create(void)
{
	struct sipcode_methods *m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	unsigned int i;

	if (!m)
		return NULL;
	for (i = 0; i < SIPCODE_NMETHODS; i++) {
		m->count[i] = __alloc_percpu_gfp(sizeof(u64) * SIPCODE_NCODES,
						 sizeof(u64), SIPCODE_INSIGHT_GFP);
		if (!m->count[i]) {
			sipcode_methods_destroy(m);
			return NULL;
		}
	}
	return m;
}

static void sipcode_reasons_destroy(struct sipcode_reasons *rs)
{
	unsigned int i;

	if (!rs)
		return;
	for (i = 0; i < SIPCODE_REASON_NCHUNKS; i++)
		free_percpu(rs->chunk[i]);
	kfree(rs);
}

static struct sipcode_reasons *sipcode_reasons_create(void)
{
	struct sipcode_reasons *rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	unsigned int i;

	if (!rs)
		return NULL;
	for (i = 0; i < SIPCODE_REASON_NCHUNKS; i++) {
		rs->chunk[i] = __alloc_percpu_gfp(sizeof(struct sipcode_reason_code) *
						  SIPCODE_REASON_CHUNK,
						  __alignof__(struct sipcode_reason_code),
						  SIPCODE_INSIGHT_GFP);
		if (!rs->chunk[i]) {
			sipcode_reasons_destroy(rs);
			return NULL;
		}
	}
	return rs;
}

static void sipcode_insight_update(struct sipcode_net *sn)
{
	bool on = rcu_access_pointer(sn->methods) ||
		  rcu_access_pointer(sn->reasons);

	sipcode_more_set(sn, SIPCODE_MORE_INSIGHT, on);
}

static void sipcode_methods_free_rcu(struct rcu_head *head)
{
	sipcode_methods_destroy(container_of(head, struct sipcode_methods, rcu));
}

static void sipcode_reasons_free_rcu(struct rcu_head *head)
{
	sipcode_reasons_destroy(container_of(head, struct sipcode_reasons, rcu));
}

/*
 * Publish @m and @rs (each may be unchanged) and free the tables they
 * replace once no packet can be using them: by call_rcu(), as nothing
 * here may wait for a grace period (the module's exit waits for them).
 */
static void sipcode_insight_swap(struct sipcode_net *sn,
				 struct sipcode_methods *m,
				 struct sipcode_reasons *rs)
{
	struct sipcode_methods *old_m;
	struct sipcode_reasons *old_rs;

	old_m = rcu_replace_pointer(sn->methods, m, lockdep_is_held(sn->lock));
	old_rs = rcu_replace_pointer(sn->reasons, rs, lockdep_is_held(sn->lock));
	sipcode_insight_update(sn);
	sn->gen++;
	if (old_m && old_m != m)
		call_rcu(&old_m->rcu, sipcode_methods_free_rcu);
	if (old_rs && old_rs != rs)
		call_rcu(&old_rs->rcu, sipcode_reasons_free_rcu);
}

int sipcode_insight_set(struct sipcode_net *sn, int by_method, int reasons)
{
	struct sipcode_methods *m, *new_m = NULL;
	struct sipcode_reasons *rs, *new_rs = NULL;

	m = rcu_dereference_protected(sn->methods, lockdep_is_held(sn->lock));
	rs = rcu_dereference_protected(sn->reasons, lockdep_is_held(sn->lock));
	if (by_method == 1 && !m) {
		new_m = sipcode_methods_create();
		if (!new_m)
			return -ENOMEM;
	}
	if (reasons == 1 && !rs) {
		new_rs = sipcode_reasons_create();
		if (!new_rs) {
			sipcode_methods_destroy(new_m);
			return -ENOMEM;
		}
	}
	if (by_method >= 0)
		m = by_method ? m ?: new_m : NULL;
	if (reasons >= 0)
		rs = reasons ? rs ?: new_rs : NULL;
	sipcode_insight_swap(sn, m, rs);
	return 0;
}

int sipcode_insight_reset(struct sipcode_net *sn)
{
	struct sipcode_methods *m;
	struct sipcode_reasons *rs;

	m = rcu_dereference_protected(sn->methods, lockdep_is_held(sn->lock));
	rs = rcu_dereference_protected(sn->reasons, lockdep_is_held(sn->lock));
	if (m) {
		m = sipcode_methods_create();
		if (!m)
			return -ENOMEM;
	}
	if (rs) {
		rs = sipcode_reasons_create();
		if (!rs) {
			sipcode_methods_destroy(m);
			return -ENOMEM;
		}
	}
	sipcode_insight_swap(sn, m, rs);
	return 0;
}

/* At the namespace's exit: no packet can reach the tables any more. */
void sipcode_insight_free(struct sipcode_net *sn)
{
	sipcode_methods_destroy(rcu_dereference_protected(sn->methods, 1));
	sipcode_reasons_destroy(rcu_dereference_protected(sn->reasons, 1));
}

unsigned int sipcode_frame(const struct sk_buff *skb, struct sip_framer *f,
			   unsigned int off, unsigned int end, bool cseq)
{
	/* Written by skb_header_pointer() before it is read. */
	u8 buf[SIPCODE_FRAME_CHUNK] __uninitialized;
	unsigned int n, hdr;
	const u8 *data;

	for (; off < end; off += n) {
		/* The linear part in place, the rest copied in pieces. */
		if (off < skb_headlen(skb))
			n = min(end, skb_headlen(skb)) - off;
		else
			n = min_t(unsigned int, end - off, sizeof(buf));
		data = skb_header_pointer(skb, off, n, buf);
		if (unlikely(!data))
			return 0;
		hdr = sip_framer_feed(f, data, n);
		if (hdr)
			return off + hdr;
		if (cseq && f->has_cseq == 1)
			return 0;
	}
	return 0;
}

/*
 * The method of the first CSeq header of the message, or OTHER: its
 * headers framed until the CSeq is read or they end, at most
 * SIPCODE_HEADERS_SCAN_MAX bytes.
 */
static unsigned int sipcode_method(const struct sk_buff *skb,
				   const struct sipcode_response *r)
{
	struct sip_framer f;

	sip_framer_init(&f);
	sipcode_frame(skb, &f, r->off,
		      r->off + min_t(unsigned int, r->len,
				     SIPCODE_HEADERS_SCAN_MAX), true);
	return sip_framer_method(&f);
}

/*
 * A hash of a phrase (at most SIPCODE_REASON_MAX bytes) and whether it
 * was truncated, eight bytes a multiplication: the slots compare it
 * first, and a reader drops a slot whose copy does not match it (torn by
 * a writer).
 */
static u32 sipcode_reason_hash(const u8 *phrase, unsigned int len,
			       bool truncated)
{
	const u64 k = 0x9e3779b97f4a7c15ULL;	/* 2^64 / the golden ratio */
	u64 h = len | (u64)truncated << 8, w = 0;
	unsigned int i;

	for (i = 0; i + sizeof(w) <= len; i += sizeof(w)) {
		memcpy(&w, phrase + i, sizeof(w));
		h = (h ^ w) * k;
	}
	if (i < len) {
		/* The tail: the last eight bytes, or the few there are. */
		if (len >= sizeof(w))
			memcpy(&w, phrase + len - sizeof(w), sizeof(w));
		else
			for (; i < len; i++)
				w = w << 8 | phrase[i];
		h = (h ^ w) * k;
	}
	return h >> 32;
}

/*
 * Count @phrase (@truncated or not: two phrases) in this CPU's slots of
 * code 100 + @idx: its slot, else a free one, else the least counted
 * one, whose count it inherits. With bottom halves off (as they are in
 * the receive path already): a packet received on this CPU cannot come
 * in between.
 */
static void sipcode_reason_count(struct sipcode_reasons *rs, unsigned int idx,
				 const u8 *phrase, unsigned int len,
				 bool truncated)
{
	struct sipcode_reason_slot *s, *least = NULL;
	u32 hash = sipcode_reason_hash(phrase, len, truncated);
	struct sipcode_reason_code *rc;
	bool bh = !in_softirq();
	unsigned int i;

	if (bh)
		local_bh_disable();
	rc = this_cpu_ptr(rs->chunk[idx / SIPCODE_REASON_CHUNK]);
	rc += idx % SIPCODE_REASON_CHUNK;
	for (i = 0; i < SIPCODE_REASONS_PER_CODE; i++) {
		s = &rc->slot[i];
		if (!s->count) {	/* slots fill in order: no match after */
			least = s;
			break;
		}
		if (s->hash == hash && s->len == len &&
		    s->truncated == truncated &&
		    !memcmp(s->phrase, phrase, len)) {
			WRITE_ONCE(s->count, s->count + 1);
			goto out;
		}
		if (!least || s->count < least->count)
			least = s;
	}
	memcpy(least->phrase, phrase, len);
	WRITE_ONCE(least->len, len);
	WRITE_ONCE(least->truncated, truncated);
	WRITE_ONCE(least->hash, hash);
	WRITE_ONCE(least->count, least->count + 1);
out:
	if (bh)
		local_bh_enable();
}

void sipcode_insight(struct sipcode_net *sn, struct sk_buff *skb,
		     const struct sipcode_response *r,
		     const struct sipcode_verdict *v, u8 family,
		     const char *peer)
{
	struct sipcode_methods *m = rcu_dereference(sn->methods);
	struct sipcode_reasons *rs = rcu_dereference(sn->reasons);
	unsigned int method = SIPCODE_METHOD_OTHER, plen = 0, len;
	/* Written by skb_header_pointer() before it is read. */
	u8 buf[SIP_PARSE_WINDOW] __uninitialized;
	const u8 *phrase = NULL;
	const u8 *data;
	int cut = 0;

	if (m || v)
		method = sipcode_method(skb, r);
	if (m)
		this_cpu_inc(m->count[method][r->idx]);
	if ((rs || v) && !r->split) {
		len = min_t(unsigned int, r->len, SIP_PARSE_WINDOW);
		data = skb_header_pointer(skb, r->off, len, buf);
		if (data)
			plen = sip_reason(data, len, &phrase, &cut);
	}
	if (rs && phrase)
		sipcode_reason_count(rs, r->idx, phrase, plen, cut);
	if (v)
		sipcode_event(sn, skb, r, v, family, method, phrase, plen, cut,
			      peer);
}

u64 sipcode_methods_read(const struct sipcode_methods *m, unsigned int idx,
			 unsigned int method)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(m->count[method], cpu)[idx]);
	return sum;
}

/*
 * By phrase: equal phrases side by side (the hash first, then the
 * length, the flag and the bytes).
 */
static int sipcode_reason_cmp_phrase(const void *a, const void *b)
{
	const struct sipcode_reason *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->truncated != y->truncated)
		return x->truncated < y->truncated ? -1 : 1;
	return memcmp(x->phrase, y->phrase, x->len);
}

/* Most counted first. */
static int sipcode_reason_cmp_count(const void *a, const void *b)
{
	const struct sipcode_reason *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return 0;
}

/*
 * Every CPU's slots of the code gathered (at most
 * SIPCODE_REASONS_PER_CODE * nr_cpu_ids), sorted by phrase, the equal
 * ones merged, sorted by count: O(n log n) in the number of slots.
 */
unsigned int sipcode_reasons_read(const struct sipcode_reasons *rs,
				  unsigned int idx, struct sipcode_reason *out)
{
	const struct sipcode_reason_code *rc;
	struct sipcode_reason_slot s;
	unsigned int n = 0, m, i;
	int cpu;

	for_each_possible_cpu(cpu) {
		rc = per_cpu_ptr(rs->chunk[idx / SIPCODE_REASON_CHUNK], cpu);
		rc += idx % SIPCODE_REASON_CHUNK;
		for (i = 0; i < SIPCODE_REASONS_PER_CODE; i++) {
			/* A slot being taken over reads torn: drop it. */
			memcpy(&s, &rc->slot[i], sizeof(s));
			if (!s.count || s.len > SIPCODE_REASON_MAX ||
			    sipcode_reason_hash(s.phrase, s.len,
						s.truncated) != s.hash)
				continue;
			out[n].count = s.count;
			out[n].hash = s.hash;
			out[n].len = s.len;
			out[n].truncated = s.truncated;
			memcpy(out[n].phrase, s.phrase, s.len);
			n++;
		}
	}
	if (!n)
		return 0;
	sort(out, n, sizeof(*out), sipcode_reason_cmp_phrase, NULL);
	for (m = 0, i = 1; i < n; i++) {
		if (!sipcode_reason_cmp_phrase(&out[m], &out[i]))
			out[m].count += out[i].count;
		else
			out[++m] = out[i];
	}
	n = m + 1;
	sort(out, n, sizeof(*out), sipcode_reason_cmp_count, NULL);
	return min_t(unsigned int, n, SIPCODE_REASONS_PER_CODE);
}
