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

/**
 * struct sipcode_methods - the table of responses by (code, CSeq method)
 * @rcu: to free it after a grace period
 * @count: per CPU: SIPCODE_NCODES counters a method, one allocation a
 *	method
 */
struct sipcode_methods {
	struct rcu_head rcu;
	u64 __percpu *count[SIPCODE_NMETHODS];
};

/**
 * struct sipcode_reason_slot - a reason phrase of a code, on one CPU
 * @count: 0: free
 * @hash: of len, truncated and phrase: a reader drops a torn copy
 * @len: bytes of @phrase
 * @truncated: the phrase went on past SIPCODE_REASON_MAX bytes
 * @phrase: the reason phrase
 */
struct sipcode_reason_slot {
	u64 count;
	u32 hash;
	u8 len;
	u8 truncated;
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

/**
 * struct sipcode_response - a counted response
 * @off: the message
 * @len: its bytes in the skb, from off
 * @thoff: the transport header
 * @idx: code - SIPCODE_CODE_MIN
 * @action: enum sipcode_action
 * @proto: IPPROTO_UDP or IPPROTO_TCP
 * @split: a TCP response whose status line began in an earlier segment:
 *	@off is where it goes on, in its status line, and its reason phrase
 *	is not in this packet
 *
 * Where a counted response lies in its packet, and what the rules do to
 * it: what the rules, the tables and the events need, with the hook's
 * family. Sixteen bytes, passed by value on the packet path: in two
 * registers on x86-64.
 */
struct sipcode_response {
	u32 off;
	u32 len;
	u16 thoff;
	u16 idx;
	u8 action;
	u8 proto;
	u8 split;
};

/* A message's headers are copied out of an skb in pieces this long. */
#define SIPCODE_FRAME_CHUNK 128

struct net;
struct sipcode_net;
struct sipcode_verdict;
struct sk_buff;
struct sip_framer;

/**
 * sipcode_frame() - feed the headers of a message of an skb to a framer
 * @skb: the packet
 * @f: the framer, initialised
 * @off: the message's first byte in @skb
 * @end: the offset to read up to
 * @cseq: stop too once @f has read the first CSeq header
 *
 * The linear part of @skb is read in place, the rest copied out in
 * SIPCODE_FRAME_CHUNK pieces: never linearised. Work is bounded by
 * @end - @off. For the CSeq method of a response and for TCP framing.
 *
 * Return: the offset after the empty line that ends the headers, or 0
 * when it is not before @end, @cseq stopped the framer first or @skb
 * could not be read.
 */
unsigned int sipcode_frame(const struct sk_buff *skb, struct sip_framer *f,
			   unsigned int off, unsigned int end, bool cseq);

/**
 * sipcode_insight_set() - switch the insight tables on or off
 * @sn: the namespace's state
 * @by_method: the table by method: on (1), off (0), or as it is (-1)
 * @reasons: the table of reason phrases: on (1), off (0), or as it is (-1)
 *
 * Context: The caller holds sn->lock.
 * Return: 0, or -ENOMEM: both tables are set, or neither.
 */
int sipcode_insight_set(struct sipcode_net *sn, int by_method, int reasons);
/**
 * sipcode_insight_reset() - set both tables to zero
 * @sn: the namespace's state
 *
 * A new table is swapped in for each one that is on.
 *
 * Context: Under sn->lock.
 * Return: 0, or -ENOMEM: then neither is reset.
 */
int sipcode_insight_reset(struct sipcode_net *sn);

/**
 * sipcode_insight_free() - free the tables of a namespace
 * @sn: the namespace's state
 *
 * Context: At the namespace's exit: no packet can reach the tables any
 * more.
 */
void sipcode_insight_free(struct sipcode_net *sn);

/**
 * sipcode_insight() - count a response in the tables, and send its event
 * @sn: the namespace's state
 * @skb: the packet
 * @r: the response
 * @v: the rule whose event is sent; NULL: no event wanted (see
 *     sipcode_event_wanted())
 * @family: of the packet: NFPROTO_IPV4 or NFPROTO_IPV6
 * @peer: the name of the response's peer, for the event; NULL for none
 *
 * The packet path, after a response was counted and the rules applied:
 * the tables that are on, and the event of the rule @v.
 */
void sipcode_insight(struct sipcode_net *sn, struct sk_buff *skb,
		     const struct sipcode_response *r,
		     const struct sipcode_verdict *v, u8 family,
		     const char *peer);

/**
 * sipcode_methods_read() - a counter of the table by method
 * @m: the table
 * @idx: code - SIPCODE_CODE_MIN
 * @method: enum sipcode_method
 *
 * Context: Under rcu_read_lock().
 * Return: the responses of code 100 + @idx to @method, summed over every
 * CPU.
 */
u64 sipcode_methods_read(const struct sipcode_methods *m, unsigned int idx,
			 unsigned int method);

/**
 * struct sipcode_reason - a reason phrase of a code, read
 * @count: how many responses had it
 * @hash: of len, truncated and phrase
 * @len: bytes of @phrase
 * @truncated: the phrase went on past SIPCODE_REASON_MAX bytes
 * @phrase: the reason phrase
 */
struct sipcode_reason {
	u64 count;
	u32 hash;
	u8 len;
	u8 truncated;
	u8 phrase[SIPCODE_REASON_MAX];
};

/* Room sipcode_reasons_read() needs, in struct sipcode_reason. */
#define SIPCODE_REASONS_READ_MAX (SIPCODE_REASONS_PER_CODE * nr_cpu_ids)

/**
 * sipcode_reasons_read() - the reason phrases of a code
 * @rs: the table
 * @idx: code - SIPCODE_CODE_MIN
 * @out: room for SIPCODE_REASONS_READ_MAX
 *
 * The phrases of code 100 + @idx summed over every CPU, most counted
 * first, into @out.
 *
 * Context: Under rcu_read_lock().
 * Return: how many, at most SIPCODE_REASONS_PER_CODE.
 */
unsigned int sipcode_reasons_read(const struct sipcode_reasons *rs,
				  unsigned int idx, struct sipcode_reason *out);

#endif /* _SIPCODE_INSIGHT_H */
