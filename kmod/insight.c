// SPDX-License-Identifier: GPL-2.0
/*
 * The insight tables: see insight.h. The packet path reaches this file
 * only while a table is on or a rule notifies, and reads the message
 * again here: its first SIP_PARSE_WINDOW bytes for the reason phrase,
 * and its headers, in SIPCODE_SCAN_CHUNK pieces up to
 * SIPCODE_HEADERS_SCAN_MAX bytes, for the CSeq method.
 */
#include <linux/bottom_half.h>
#include <linux/jhash.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "events.h"
#include "insight.h"
#include "sipcode.h"
#include "sipparse.h"

#define SIPCODE_SCAN_CHUNK 128

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
	struct sipcode_methods *m = kzalloc(sizeof(*m), GFP_KERNEL);
	unsigned int i;

	if (!m)
		return NULL;
	for (i = 0; i < SIPCODE_NMETHODS; i++) {
		m->count[i] = __alloc_percpu(sizeof(u64) * SIPCODE_NCODES,
					     sizeof(u64));
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
	struct sipcode_reasons *rs = kzalloc(sizeof(*rs), GFP_KERNEL);
	unsigned int i;

	if (!rs)
		return NULL;
	for (i = 0; i < SIPCODE_REASON_NCHUNKS; i++) {
		rs->chunk[i] = __alloc_percpu(sizeof(struct sipcode_reason_code) *
					      SIPCODE_REASON_CHUNK,
					      __alignof__(struct sipcode_reason_code));
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

	WRITE_ONCE(sn->insight, on);
}

/*
 * Publish @m and @rs (each may be unchanged) and free the tables they
 * replace once no packet can be using them.
 */
static void sipcode_insight_swap(struct sipcode_net *sn,
				 struct sipcode_methods *m,
				 struct sipcode_reasons *rs)
{
	struct sipcode_methods *old_m;
	struct sipcode_reasons *old_rs;

	old_m = rcu_replace_pointer(sn->methods, m,
				    lockdep_is_held(&sn->lock));
	old_rs = rcu_replace_pointer(sn->reasons, rs,
				     lockdep_is_held(&sn->lock));
	sipcode_insight_update(sn);
	if (old_m == m)
		old_m = NULL;
	if (old_rs == rs)
		old_rs = NULL;
	if (!old_m && !old_rs)
		return;
	synchronize_rcu();
	sipcode_methods_destroy(old_m);
	sipcode_reasons_destroy(old_rs);
}

int sipcode_insight_set(struct sipcode_net *sn, int attr, bool on)
{
	struct sipcode_methods *m;
	struct sipcode_reasons *rs;

	m = rcu_dereference_protected(sn->methods, lockdep_is_held(&sn->lock));
	rs = rcu_dereference_protected(sn->reasons, lockdep_is_held(&sn->lock));
	if (attr == SIPCODE_A_BY_METHOD) {
		if (!!m == on)
			return 0;
		m = on ? sipcode_methods_create() : NULL;
		if (on && !m)
			return -ENOMEM;
	} else {
		if (!!rs == on)
			return 0;
		rs = on ? sipcode_reasons_create() : NULL;
		if (on && !rs)
			return -ENOMEM;
	}
	sipcode_insight_swap(sn, m, rs);
	return 0;
}

int sipcode_insight_reset(struct sipcode_net *sn)
{
	struct sipcode_methods *m;
	struct sipcode_reasons *rs;

	m = rcu_dereference_protected(sn->methods, lockdep_is_held(&sn->lock));
	rs = rcu_dereference_protected(sn->reasons, lockdep_is_held(&sn->lock));
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

/*
 * The method of the first CSeq header of the message, or OTHER: its
 * headers fed to the framer in SIPCODE_SCAN_CHUNK pieces (read in place
 * where the skb is linear), until the CSeq is read or the headers end.
 */
static unsigned int sipcode_method(const struct sk_buff *skb,
				   const struct sipcode_response *r)
{
	unsigned int end = r->off + min_t(unsigned int, r->len,
					  SIPCODE_HEADERS_SCAN_MAX);
	u8 buf[SIPCODE_SCAN_CHUNK];
	struct sip_framer f;
	unsigned int pos, n;
	const u8 *data;

	sip_framer_init(&f);
	for (pos = r->off; pos < end; pos += n) {
		n = min_t(unsigned int, end - pos, sizeof(buf));
		data = skb_header_pointer(skb, pos, n, buf);
		if (!data || sip_framer_feed(&f, data, n) || f.has_cseq == 1)
			break;
	}
	return sip_framer_method(&f);
}

static u32 sipcode_reason_hash(const u8 *phrase, unsigned int len)
{
	return jhash(phrase, len, len);
}

/*
 * Count @phrase in this CPU's slots of code 100 + @idx: its slot, else a
 * free one, else the least counted one, whose count it inherits. Bottom
 * halves off: a packet received on this CPU cannot come in between.
 */
static void sipcode_reason_count(struct sipcode_reasons *rs, unsigned int idx,
				 const u8 *phrase, unsigned int len)
{
	struct sipcode_reason_slot *s, *least = NULL;
	u32 hash = sipcode_reason_hash(phrase, len);
	struct sipcode_reason_code *rc;
	unsigned int i;

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
		    !memcmp(s->phrase, phrase, len)) {
			WRITE_ONCE(s->count, s->count + 1);
			goto out;
		}
		if (!least || s->count < least->count)
			least = s;
	}
	memcpy(least->phrase, phrase, len);
	WRITE_ONCE(least->len, len);
	WRITE_ONCE(least->hash, hash);
	WRITE_ONCE(least->count, least->count + 1);
out:
	local_bh_enable();
}

void sipcode_insight(struct sipcode_net *sn, struct sk_buff *skb,
		     const struct sipcode_response *r,
		     const struct sipcode_verdict *v)
{
	bool notify = v && v->notify && sipcode_event_wanted(sn, r->net);
	struct sipcode_methods *m = rcu_dereference(sn->methods);
	struct sipcode_reasons *rs = rcu_dereference(sn->reasons);
	unsigned int method = SIPCODE_METHOD_OTHER, plen = 0, len;
	u8 buf[SIP_PARSE_WINDOW];
	const u8 *phrase = NULL;
	const u8 *data;

	if (m || notify)
		method = sipcode_method(skb, r);
	if (m)
		this_cpu_inc(m->count[method][r->idx]);
	if (rs || notify) {
		len = min_t(unsigned int, r->len, SIP_PARSE_WINDOW);
		data = skb_header_pointer(skb, r->off, len, buf);
		if (data)
			plen = sip_reason(data, len, &phrase);
	}
	if (rs && phrase)
		sipcode_reason_count(rs, r->idx, phrase, plen);
	if (notify)
		sipcode_event(sn, skb, r, v, method, phrase, plen);
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

/* Add a copy of a slot to @out[0..@n): returns the new @n. */
static unsigned int sipcode_reason_merge(struct sipcode_reason *out,
					 unsigned int n,
					 const struct sipcode_reason_slot *s)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (out[i].len == s->len &&
		    !memcmp(out[i].phrase, s->phrase, s->len)) {
			out[i].count += s->count;
			return n;
		}
	}
	out[n].count = s->count;
	out[n].len = s->len;
	memcpy(out[n].phrase, s->phrase, s->len);
	return n + 1;
}

unsigned int sipcode_reasons_read(const struct sipcode_reasons *rs,
				  unsigned int idx, struct sipcode_reason *out)
{
	const struct sipcode_reason_code *rc;
	struct sipcode_reason_slot s;
	struct sipcode_reason t;
	unsigned int n = 0, i, j;
	int cpu;

	for_each_possible_cpu(cpu) {
		rc = per_cpu_ptr(rs->chunk[idx / SIPCODE_REASON_CHUNK], cpu);
		rc += idx % SIPCODE_REASON_CHUNK;
		for (i = 0; i < SIPCODE_REASONS_PER_CODE; i++) {
			/* A slot being taken over reads torn: drop it. */
			memcpy(&s, &rc->slot[i], sizeof(s));
			if (!s.count || s.len > SIPCODE_REASON_MAX ||
			    sipcode_reason_hash(s.phrase, s.len) != s.hash)
				continue;
			n = sipcode_reason_merge(out, n, &s);
		}
	}
	/* Most counted first: a few dozen entries, an insertion sort. */
	for (i = 1; i < n; i++) {
		t = out[i];
		for (j = i; j > 0 && out[j - 1].count < t.count; j--)
			out[j] = out[j - 1];
		out[j] = t;
	}
	return min_t(unsigned int, n, SIPCODE_REASONS_PER_CODE);
}
