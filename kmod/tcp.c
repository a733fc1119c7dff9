// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP path. Each direction of a TCP connection on an inspected port
 * is a flow, followed in the namespace's flow table: the sequence number
 * of its next byte, and what that byte is (enum sipcode_flow_state). A
 * segment is framed from where the flow's last one stopped:
 *
 *   - bytes before the flow's next one were framed already (a segment
 *     sent again): skipped, and a segment of nothing else lands in
 *     tcp_retransmit;
 *   - a segment after a hole (a segment lost before this host, or late)
 *     starts a new run if it starts with a message, else the flow is
 *     LOST until one does; a hole that followed a whole message is kept,
 *     and the segment that fills it later is framed up to the message
 *     after it;
 *   - a flow whose first segments were not seen is LOST, the same way.
 *
 * A SYN starts a flow at a message; a FIN or RST ends it; a flow idle
 * for SIPCODE_FLOW_TIMEOUT gives its slot to a new one. When a flow's
 * bucket is full, its segments are framed each on its own, as if each
 * started a flow: a segment that does not start at a message then lands
 * in tcp_untracked.
 *
 * Work per segment is bounded by its length (see sipcode_frame()) and by
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
 * @sn: the namespace's state
 * @skb: the packet
 * @state: the hook's
 * @rules: one table for every message of the segment
 * @thoff: the TCP header
 * @start: the first byte of the payload
 * @end: the byte after the last
 * @n: messages counted so far
 * @flowless: no flow: framed on its own
 */
struct sipcode_segment {
	struct sipcode_net *sn;
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	const struct sipcode_rules *rules;
	unsigned int thoff;
	unsigned int start;
	unsigned int end;
	unsigned int n;
	bool flowless;
};

/*
 * Count a message whose start classified as @code (sip_parse_status()):
 * a response's code, with what its rules and the insight tables do; a
 * request, or what is not a status line, in its bucket. @off is the
 * message's first byte in the segment, or where it goes on (@split).
 */
static void sipcode_tcp_count(struct sipcode_segment *s, unsigned int off,
			      int code, bool split)
{
	const struct sipcode_verdict *v;

	s->n++;
	sipcode_stats_count(s->sn->stats, code);
	if (code < SIPCODE_CODE_MIN)
		return;
	v = sipcode_verdict(s->rules, code - SIPCODE_CODE_MIN);
	if (v || READ_ONCE(s->sn->insight)) {
		struct sipcode_response r = {
			.off = off,
			.len = s->end - off,
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

/* The start of the message at @off: sip_parse_status() of its first bytes. */
static int sipcode_tcp_classify(const struct sipcode_segment *s,
				unsigned int off, bool *request)
{
	unsigned int len = min_t(unsigned int, s->end - off, SIP_PARSE_WINDOW);
	/* Written by skb_header_pointer() before it is read. */
	u8 buf[SIP_PARSE_WINDOW] __uninitialized;
	const u8 *data;
	int code;

	data = skb_header_pointer(s->skb, off, len, buf);
	if (unlikely(!data))
		return SIP_PARSE_TRUNCATED;
	code = sip_parse_status(data, len, s->end - off);
	*request = code == SIP_PARSE_NOT_RESPONSE && sip_is_request(data, len);
	return code;
}

/*
 * A message starts at @off (SIPCODE_FLOW_START): counted, or, when the
 * segment ends in its status line, kept for the next one. Return: where
 * framing goes on.
 */
static unsigned int sipcode_tcp_message(struct sipcode_segment *s,
					struct sipcode_flow *fl,
					unsigned int off, int code)
{
	unsigned int rest = s->end - off;

	if (code == SIP_PARSE_KEEPALIVE) {
		/* CR and LF to the end: a keep-alive when nothing else. */
		if (off == s->start)
			sipcode_stats_count(s->sn->stats, code);
		return s->end;
	}
	if (code == SIP_PARSE_TRUNCATED && !s->flowless &&
	    rest <= sizeof(fl->status)) {
		/* The status line goes on in the next segment. */
		if (skb_copy_bits(s->skb, off, fl->status, rest))
			goto lost;
		fl->nstatus = rest;
		sip_framer_init_length(&fl->f);
		fl->state = SIPCODE_FLOW_HEADERS;
		return s->end;
	}
	if (s->n == SIPCODE_TCP_MSGS_MAX) {
		sipcode_stats_count(s->sn->stats, SIPCODE_UC_A_TCP_UNFRAMED);
		goto lost;
	}
	sipcode_tcp_count(s, off, code, false);
	sip_framer_init_length(&fl->f);
	fl->state = SIPCODE_FLOW_HEADERS;
	return off;
lost:
	fl->state = SIPCODE_FLOW_LOST;
	return s->end;
}

/*
 * A status line cut by the end of the last segment, in fl->status, goes
 * on at @off: classified now, or kept longer if this segment is short
 * too. Return: 0, or -1 when it is still cut.
 */
static int sipcode_tcp_status(struct sipcode_segment *s,
			      struct sipcode_flow *fl, unsigned int off)
{
	unsigned int have = min_t(unsigned int, fl->nstatus,
				  sizeof(fl->status));
	unsigned int more = min_t(unsigned int, s->end - off,
				  SIP_PARSE_WINDOW - have);
	u8 buf[SIP_PARSE_WINDOW] __uninitialized;
	int code;

	memcpy(buf, fl->status, have);
	fl->nstatus = 0;
	if (skb_copy_bits(s->skb, off, buf + have, more))
		return 0;	/* not read: framed on, not counted */
	code = sip_parse_status(buf, have + more, have + s->end - off);
	if (code == SIP_PARSE_TRUNCATED &&
	    have + s->end - off <= sizeof(fl->status)) {
		memcpy(fl->status + have, buf + have, more);
		fl->nstatus = have + more;
		return -1;
	}
	/* Its first bytes, for the framer to begin with. */
	sip_framer_feed(&fl->f, buf, have);
	if (s->n == SIPCODE_TCP_MSGS_MAX) {
		sipcode_stats_count(s->sn->stats, SIPCODE_UC_A_TCP_UNFRAMED);
		fl->state = SIPCODE_FLOW_LOST;
		return -1;
	}
	sipcode_tcp_count(s, off, code, true);
	return 0;
}

/*
 * sipcode_frame() of the headers from @off to s->end: in place, in one
 * piece and without its call when the segment is all in the linear part
 * of the skb, as most are.
 */
static unsigned int sipcode_tcp_headers(const struct sipcode_segment *s,
					struct sip_framer *f, unsigned int off)
{
	unsigned int hdr;

	if (likely(s->end <= skb_headlen(s->skb))) {
		hdr = sip_framer_feed(f, s->skb->data + off, s->end - off);
		return hdr ? off + hdr : 0;
	}
	return sipcode_frame(s->skb, f, off, s->end, false);
}

/* Frame bytes @off to s->end of the segment from the flow's state. */
static void sipcode_tcp_frame(struct sipcode_segment *s,
			      struct sipcode_flow *fl, unsigned int off)
{
	unsigned int hdr;
	bool request;
	long clen;
	int code;

	while (off < s->end) {
		switch (fl->state) {
		case SIPCODE_FLOW_START:
			code = sipcode_tcp_classify(s, off, &request);
			off = sipcode_tcp_message(s, fl, off, code);
			break;
		case SIPCODE_FLOW_HEADERS:
			if (fl->nstatus && sipcode_tcp_status(s, fl, off))
				return;
			hdr = sipcode_tcp_headers(s, &fl->f, off);
			if (!hdr)
				return;	/* the headers go on */
			clen = sip_framer_clen(&fl->f);
			if (clen < 0) {
				/* No Content-Length: where it ends is not known. */
				if (hdr < s->end)
					sipcode_stats_count(s->sn->stats,
							    SIPCODE_UC_A_TCP_UNFRAMED);
				fl->state = SIPCODE_FLOW_LOST;
				return;
			}
			fl->left = clen;
			fl->state = SIPCODE_FLOW_BODY;
			off = hdr;
			break;
		case SIPCODE_FLOW_BODY:
			hdr = min(fl->left, s->end - off);
			fl->left -= hdr;
			off += hdr;
			if (!fl->left)
				fl->state = SIPCODE_FLOW_START;
			break;
		default:
			/* LOST: a new run if the segment starts a message. */
			code = sipcode_tcp_classify(s, off, &request);
			if (code == SIP_PARSE_KEEPALIVE) {
				/* Between messages, or in a body: still lost. */
				sipcode_stats_count(s->sn->stats, code);
				return;
			}
			if (off != s->start ||
			    (code == SIP_PARSE_NOT_RESPONSE && !request)) {
				sipcode_stats_count(s->sn->stats, s->flowless ?
						    SIPCODE_UC_A_TCP_UNTRACKED :
						    SIPCODE_UC_A_TCP_MIDSTREAM);
				fl->state = SIPCODE_FLOW_LOST;
				return;
			}
			fl->state = SIPCODE_FLOW_START;
			off = sipcode_tcp_message(s, fl, off, code);
			break;
		}
	}
}

/* The flow of a segment: its addresses and ports, as a key. */
static void sipcode_flow_key(struct sipcode_flow *key, const struct sk_buff *skb,
			     const struct tcphdr *th, u8 pf)
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

#define SIPCODE_FLOW_KEY_LEN offsetof(struct sipcode_flow, seq)

/* The addresses folded, and the ports: three words for jhash. */
static u32 sipcode_flow_hash(const struct sipcode_flow *key, u32 seed)
{
	u32 a = (__force u32)(key->saddr[0] ^ key->saddr[1] ^ key->saddr[2] ^
			      key->saddr[3]);
	u32 b = (__force u32)(key->daddr[0] ^ key->daddr[1] ^ key->daddr[2] ^
			      key->daddr[3]);

	return jhash_3words(a, b, (__force u32)key->sport << 16 |
			    (__force u32)key->dport, seed);
}

/* The same addresses and ports: 36 bytes, compared a word at a time. */
static bool sipcode_flow_match(const struct sipcode_flow *a,
			       const struct sipcode_flow *b)
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
					     const struct sipcode_flow *key,
					     struct sipcode_flow *fl)
{
	struct sipcode_flow *b, *free = NULL;
	u32 now = jiffies, h;
	unsigned int i;

	h = sipcode_flow_hash(key, flows->seed);
	b = &flows->flow[(h & flows->mask) * SIPCODE_FLOW_WAYS];
	for (i = 0; i < SIPCODE_FLOW_WAYS; i++) {
		u8 state = READ_ONCE(b[i].state);

		if (state != SIPCODE_FLOW_FREE &&
		    now - READ_ONCE(b[i].seen) <= SIPCODE_FLOW_TIMEOUT) {
			if (sipcode_flow_match(&b[i], key)) {
				memcpy(fl, &b[i], sizeof(*fl));
				return &b[i];
			}
		} else if (!free) {
			free = &b[i];
		}
	}
	if (free) {
		memcpy(fl, key, SIPCODE_FLOW_KEY_LEN);
		fl->state = SIPCODE_FLOW_FREE;
	}
	return free;
}

/*
 * The segment fills the hole before the run its flow follows: framed from
 * the hole's start, a message start, up to the message after the hole.
 */
static void sipcode_tcp_hole(struct sipcode_segment *s,
			     struct sipcode_flow *fl)
{
	struct sipcode_flow run = { .state = SIPCODE_FLOW_START };
	struct sipcode_segment h = *s;

	fl->has_hole = 0;
	h.end = s->start + (fl->hole_end - fl->hole);
	sipcode_tcp_frame(&h, &run, h.start);
	s->n = h.n;
}

unsigned int sipcode_tcp(struct sipcode_net *sn, struct sk_buff *skb,
			 unsigned int thoff, const struct nf_hook_state *state)
{
	struct sipcode_flows *flows = sn->flows;
	struct sipcode_segment s = {
		.sn = sn,
		.skb = skb,
		.state = state,
		.thoff = thoff,
		.end = skb->len,
	};
	/* Written before they are read: key whole, fl by sipcode_flow_get(). */
	struct sipcode_flow key __uninitialized, fl __uninitialized;
	struct sipcode_flow *slot = NULL;
	const struct tcphdr *th;
	struct tcphdr _th;
	u32 seq, len, behind;
	bool gap = false;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || !sipcode_port_match(sn, th->source, th->dest) ||
	    sipcode_skip(state))
		return NF_ACCEPT;
	if (unlikely(th->doff < sizeof(*th) / 4)) {
		/* The header would overlap the payload: not parsed. */
		sipcode_stats_count(sn->stats, SIPCODE_UC_A_MALFORMED);
		return NF_ACCEPT;
	}
	s.start = thoff + th->doff * 4;
	if (s.start >= s.end && !th->syn && !th->fin && !th->rst)
		return NF_ACCEPT;	/* an ACK */
	len = s.start < s.end ? s.end - s.start : 0;
	seq = ntohl(th->seq) + th->syn;
	s.rules = rcu_dereference(sn->rules);

	if (flows) {
		sipcode_flow_key(&key, skb, th, state->pf);
		slot = sipcode_flow_get(flows, &key, &fl);
	}
	if (!slot) {
		/* No table, or the bucket is full: on its own. */
		if (!len)
			return NF_ACCEPT;
		s.flowless = !!flows;
		fl.state = SIPCODE_FLOW_LOST;
		fl.nstatus = 0;
		sipcode_tcp_frame(&s, &fl, s.start);
		return NF_ACCEPT;
	}
	if (fl.state == SIPCODE_FLOW_FREE || th->syn) {
		fl.state = th->syn ? SIPCODE_FLOW_START : SIPCODE_FLOW_LOST;
		fl.seq = seq;
		fl.nstatus = 0;
		fl.has_hole = 0;
	}
	/* Bytes of the segment that come before the flow's next one. */
	behind = fl.seq - seq;
	if ((s32)behind > 0 && len) {
		/* Framed before: unless it fills the hole. */
		if (fl.has_hole && seq == fl.hole &&
		    fl.hole_end - fl.hole <= len)
			sipcode_tcp_hole(&s, &fl);
		if (len <= behind) {
			if (!s.n)
				sipcode_stats_count(sn->stats,
						    SIPCODE_UC_A_TCP_RETRANSMIT);
			len = 0;
		} else {
			/* Sent again with new bytes: those go on. */
			s.start += behind;
			len -= behind;
			seq = fl.seq;
		}
	} else if ((s32)behind < 0) {
		/* A hole: kept if it follows a whole message. */
		gap = fl.state == SIPCODE_FLOW_START && !fl.has_hole;
		fl.has_hole = 0;
		fl.state = SIPCODE_FLOW_LOST;
		fl.nstatus = 0;
	}
	if (len) {
		sipcode_tcp_frame(&s, &fl, s.start);
		if (gap && s.n) {
			/* The segment started a message: the hole ends there. */
			fl.has_hole = 1;
			fl.hole = fl.seq;
			fl.hole_end = seq;
		}
		fl.seq = seq + len;
	}
	fl.seen = jiffies;
	if (th->fin || th->rst)
		fl.state = SIPCODE_FLOW_FREE;
	memcpy(slot, &fl, sizeof(fl));
	return NF_ACCEPT;
}
