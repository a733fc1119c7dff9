// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP path. Each direction of a TCP connection on an inspected port
 * is a flow, followed in the namespace's flow table: a stream of
 * stream.c, whose segments are framed where the last one stopped, sent
 * again, after a hole and when the hole is filled (see stream.c).
 *
 * A SYN starts a flow at a message; a FIN or RST ends it; a flow idle
 * for SIPCODE_FLOW_TIMEOUT gives its slot to a new one. When a flow's
 * bucket is full, its segments are framed each on its own, as if each
 * started a flow: a segment that does not start at a message then lands
 * in tcp_untracked.
 *
 * Work per segment is bounded by its length (see stream.c) and by
 * SIPCODE_TCP_MSGS_MAX messages; one look-up of SIPCODE_FLOW_WAYS slots;
 * no lock, no atomic, no allocation.
 */
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/netfilter.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "hook.h"
#include "tcp.h"

/* README and the tcp_flows parameter give the size of a flow. */
static_assert(sizeof(struct sipcode_flow) == 624);

struct sipcode_flows *sipcode_flows_alloc(unsigned int max)
{
	struct sipcode_flows *flows;
	unsigned int nb;

	if (max < SIPCODE_FLOW_WAYS)
		return NULL;
	nb = rounddown_pow_of_two(max / SIPCODE_FLOW_WAYS);
	/*
	 * Over the memory cgroup's limit the namespace is not set up
	 * (-ENOMEM to the request) rather than the OOM killer called on
	 * the cgroup, and quietly.
	 */
	flows = kvzalloc(struct_size(flows, flow, nb * SIPCODE_FLOW_WAYS),
			 GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN);
	if (!flows)
		return ERR_PTR(-ENOMEM);
	flows->mask = nb - 1;
	flows->seed = get_random_u32();
	return flows;
}

void sipcode_flows_free(struct sipcode_flows *flows)
{
	kvfree(flows);
}

/**
 * struct sipcode_segment - a TCP segment being framed
 * @seg: the stream's view of it: offsets in @skb
 * @sn: the namespace's state
 * @skb: the packet
 * @state: the hook's
 * @rules: one table for every message of the segment
 * @thoff: the TCP header
 */
struct sipcode_segment {
	struct sip_stream_seg seg;
	struct sipcode_net *sn;
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	const struct sipcode_rules *rules;
	unsigned int thoff;
};

static struct sipcode_segment *sipcode_segment(const struct sip_stream_seg *seg)
{
	return container_of(seg, struct sipcode_segment, seg);
}

const unsigned char *sip_stream_read(const struct sip_stream_seg *seg,
				     unsigned int off, unsigned int len,
				     unsigned char *buf)
{
	return skb_header_pointer(sipcode_segment(seg)->skb, off, len, buf);
}

/* A segment not all in the linear part of its skb (seg.data NULL). */
unsigned int sip_stream_frame(const struct sip_stream_seg *seg,
			      struct sip_framer *f, unsigned int off,
			      unsigned int end)
{
	return sipcode_frame(sipcode_segment(seg)->skb, f, off, end, false);
}

/*
 * A message whose start classified as @code (sip_parse_status()): a
 * response's code, with what its rules and the insight tables do; a
 * request, or what is not a status line, in its bucket.
 */
void sip_stream_count(struct sip_stream_seg *seg, unsigned int off, int code,
		      int split)
{
	struct sipcode_segment *s = sipcode_segment(seg);
	const struct sipcode_verdict *v;

	sipcode_stats_count(s->sn->stats, code, sipcode_dir(s->state));
	if (code < SIPCODE_CODE_MIN) {
		if (code == SIP_PARSE_NOT_RESPONSE && !split &&
		    (READ_ONCE(s->sn->more) & SIPCODE_MORE_TXN))
			sipcode_txn(s->sn, s->skb, sipcode_dir(s->state), off,
				    seg->end - off, code);
		return;
	}
	v = sipcode_verdict_of(s->sn, s->rules, s->skb, s->state,
			       code - SIPCODE_CODE_MIN);
	if (v || READ_ONCE(s->sn->more)) {
		struct sipcode_response r = {
			.off = off,
			.len = seg->end - off,
			.thoff = s->thoff,
			.idx = code - SIPCODE_CODE_MIN,
			/* A dropped segment would only come again. */
			.action = sipcode_action(v) == SIPCODE_ACTION_MARK ?
				  SIPCODE_ACTION_MARK : SIPCODE_ACTION_COUNT,
			.proto = IPPROTO_TCP,
			.split = split,
		};

		sipcode_after(s->sn, s->skb, s->state, v, r);
	}
}

void sip_stream_bucket(struct sip_stream_seg *seg, int bucket)
{
	static const u8 uc[] = {
		[SIP_STREAM_MIDSTREAM] = SIPCODE_UC_A_TCP_MIDSTREAM,
		[SIP_STREAM_UNFRAMED] = SIPCODE_UC_A_TCP_UNFRAMED,
		[SIP_STREAM_RETRANSMIT] = SIPCODE_UC_A_TCP_RETRANSMIT,
		[SIP_STREAM_KEEPALIVE] = SIPCODE_UC_A_KEEPALIVE,
	};

	/* A segment on its own: its flow is not followed. */
	if (seg->alone && bucket == SIP_STREAM_MIDSTREAM)
		sipcode_stats_uncounted(sipcode_segment(seg)->sn->stats,
					SIPCODE_UC_A_TCP_UNTRACKED);
	else if ((unsigned int)bucket < ARRAY_SIZE(uc))
		sipcode_stats_uncounted(sipcode_segment(seg)->sn->stats,
					uc[bucket]);
}

/* The flow of a segment: its addresses and ports, as a key. */
static void sipcode_flow_key(struct sipcode_flow_key *key,
			     const struct sk_buff *skb, const struct tcphdr *th,
			     u8 pf)
{
	if (pf == NFPROTO_IPV4) {
		ipv6_addr_set_v4mapped(ip_hdr(skb)->saddr,
				       (struct in6_addr *)key->saddr);
		ipv6_addr_set_v4mapped(ip_hdr(skb)->daddr,
				       (struct in6_addr *)key->daddr);
	} else {
		memcpy(key->saddr, &ipv6_hdr(skb)->saddr, sizeof(key->saddr));
		memcpy(key->daddr, &ipv6_hdr(skb)->daddr, sizeof(key->daddr));
	}
	key->sport = th->source;
	key->dport = th->dest;
}

/* The addresses folded, and the ports: three words for jhash. */
static u32 sipcode_flow_hash(const struct sipcode_flow_key *key, u32 seed)
{
	u32 a = (__force u32)(key->saddr[0] ^ key->saddr[1] ^ key->saddr[2] ^
			      key->saddr[3]);
	u32 b = (__force u32)(key->daddr[0] ^ key->daddr[1] ^ key->daddr[2] ^
			      key->daddr[3]);

	return jhash_3words(a, b, (__force u32)key->sport << 16 |
			    (__force u32)key->dport, seed);
}

/* The same addresses and ports: 36 bytes, compared a word at a time. */
static bool sipcode_flow_match(const struct sipcode_flow_key *a,
			       const struct sipcode_flow_key *b)
{
	const u64 *x = (const u64 *)a->saddr, *y = (const u64 *)b->saddr;

	return !((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) |
		 (x[3] ^ y[3])) &&
	       a->sport == b->sport && a->dport == b->dport;
}

/*
 * The slot of @key's flow in its bucket, else a free or timed-out one
 * (state FREE in *@fl), else NULL: the bucket is full. *@fl is a copy of
 * the slot.
 */
static struct sipcode_flow *sipcode_flow_get(struct sipcode_flows *flows,
					     const struct sipcode_flow_key *key,
					     struct sipcode_flow *fl)
{
	struct sipcode_flow *b, *free = NULL;
	u32 now = jiffies, h;
	unsigned int i;

	h = sipcode_flow_hash(key, flows->seed);
	b = &flows->flow[(h & flows->mask) * SIPCODE_FLOW_WAYS];
	for (i = 0; i < SIPCODE_FLOW_WAYS; i++) {
		u8 state = READ_ONCE(b[i].st.run.state);

		if (state != SIP_STREAM_FREE &&
		    now - READ_ONCE(b[i].seen) <= SIPCODE_FLOW_TIMEOUT) {
			if (sipcode_flow_match(&b[i].key, key)) {
				memcpy(fl, &b[i], SIPCODE_FLOW_COPY);
				return &b[i];
			}
		} else if (!free) {
			free = &b[i];
		}
	}
	if (free) {
		fl->key = *key;
		fl->st.run.state = SIP_STREAM_FREE;
	}
	return free;
}

unsigned int sipcode_tcp(struct sipcode_net *sn, struct sk_buff *skb,
			 unsigned int thoff, const struct nf_hook_state *state)
{
	struct sipcode_flows *flows = sn->flows;
	struct sipcode_segment s = {
		.seg.end = skb->len,
		.seg.max = SIPCODE_TCP_MSGS_MAX,
		.sn = sn,
		.skb = skb,
		.state = state,
		.thoff = thoff,
	};
	/* Written before they are read: key whole, fl by sipcode_flow_get(). */
	struct sipcode_flow_key key __uninitialized;
	struct sipcode_flow fl __uninitialized;
	struct sipcode_flow *slot = NULL;
	const struct tcphdr *th;
	struct tcphdr _th;
	u32 seq;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || !sipcode_port_match(sn, th->source, th->dest) ||
	    sipcode_skip(state))
		return NF_ACCEPT;
	if (unlikely(th->doff < sizeof(*th) / 4)) {
		/* The header would overlap the payload: not parsed. */
		sipcode_stats_uncounted(sn->stats, SIPCODE_UC_A_MALFORMED);
		return NF_ACCEPT;
	}
	s.seg.start = thoff + th->doff * 4;
	/* Most segments are all in the linear part: read in place. */
	if (likely(s.seg.end <= skb_headlen(skb)))
		s.seg.data = skb->data;
	if (s.seg.start >= s.seg.end) {
		if (!th->syn && !th->fin && !th->rst)
			return NF_ACCEPT;	/* an ACK */
		s.seg.start = s.seg.end;
	}
	seq = ntohl(th->seq) + th->syn;
	s.rules = rcu_dereference(sn->rules);

	if (flows) {
		sipcode_flow_key(&key, skb, th, state->pf);
		slot = sipcode_flow_get(flows, &key, &fl);
	}
	if (!slot) {
		/* No table, or the bucket is full: on its own. */
		if (s.seg.start == s.seg.end)
			return NF_ACCEPT;
		s.seg.alone = !!flows;
		sip_stream_init(&fl.st, fl.hole, seq, 0);
		sip_stream_segment(&fl.st, fl.hole, &s.seg, seq);
		return NF_ACCEPT;
	}
	if (fl.st.run.state == SIP_STREAM_FREE || th->syn)
		sip_stream_init(&fl.st, slot->hole, seq, th->syn);
	if (s.seg.start < s.seg.end)
		sip_stream_segment(&fl.st, slot->hole, &s.seg, seq);
	fl.seen = jiffies;
	if (th->fin || th->rst)
		fl.st.run.state = SIP_STREAM_FREE;
	memcpy(slot, &fl, SIPCODE_FLOW_COPY);
	return NF_ACCEPT;
}
