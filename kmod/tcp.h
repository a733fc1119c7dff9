/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP path: the messages of a stream, framed across its segments.
 * See tcp.c.
 */
#ifndef _SIPCODE_TCP_H
#define _SIPCODE_TCP_H

#include <linux/jiffies.h>
#include <linux/types.h>

#include "stream.h"

struct net;
struct nf_hook_state;
struct sipcode_net;
struct sk_buff;

/* Flows a bucket of the table holds: a new flow takes a free one. */
#define SIPCODE_FLOW_WAYS 4

/* The largest table, in flows: see README for the memory a flow takes. */
#define SIPCODE_FLOWS_MAX 1048576U

/* A flow with no segment for this long is free to be taken (jiffies). */
#define SIPCODE_FLOW_TIMEOUT (300 * HZ)

/**
 * struct sipcode_flow_key - what tells the flows apart
 * @saddr: the source address; IPv4 as an IPv4-mapped IPv6 address
 * @daddr: the destination address, the same way
 * @sport: the source port, as the header holds it
 * @dport: the destination port, the same way
 */
struct sipcode_flow_key {
	__be32 saddr[4];
	__be32 daddr[4];
	__be16 sport;
	__be16 dport;
};

/**
 * struct sipcode_flow - one direction of a TCP connection, followed
 * @key: its addresses and ports
 * @seen: jiffies of the last segment, for the timeout
 * @st: the stream: its next byte and what that byte is (stream.h);
 *	st.run.state SIP_STREAM_FREE: the slot holds no flow
 * @hole: the stream's holes
 *
 * 8-aligned: the key is compared in words. The table is read and written
 * without a lock: a segment works on a copy of its flow up to @hole and
 * writes it back, and on the holes in place. Two CPUs on segments of the
 * same flow at once (which one socket's sends and one queue's receives
 * do not make) can lose or mix an update: a count is then wrong, never
 * an access, as every field read is checked where it is used (stream.c
 * copies a hole's framing before it frames with it, and the framer
 * bounds its own state: sip_framer_feed()).
 */
struct sipcode_flow {
	struct sipcode_flow_key key;
	u32 seen;
	struct sip_stream st;
	struct sip_hole hole[SIP_STREAM_HOLES];
} __aligned(8);

/* What a segment copies of its flow. */
#define SIPCODE_FLOW_COPY offsetof(struct sipcode_flow, hole)

/**
 * struct sipcode_flows - the flow table of a namespace
 * @mask: buckets - 1; a power of two buckets of SIPCODE_FLOW_WAYS flows
 * @seed: of the hash
 * @flow: the flows, bucket after bucket
 */
struct sipcode_flows {
	u32 mask;
	u32 seed;
	struct sipcode_flow flow[];
};

/**
 * sipcode_flows_alloc() - the flow table of a new namespace
 * @max: flows it may hold, at most SIPCODE_FLOWS_MAX, rounded down to a
 *	power of two buckets; below SIPCODE_FLOW_WAYS, no table: every
 *	segment is framed on its own
 *
 * Charged to the caller's memory cgroup.
 *
 * Return: the table, NULL for none; ERR_PTR(-ENOMEM).
 */
struct sipcode_flows *sipcode_flows_alloc(unsigned int max);

/**
 * sipcode_flows_free() - free a flow table
 * @flows: the table; may be NULL
 *
 * Context: No hook runs on it any more.
 */
void sipcode_flows_free(struct sipcode_flows *flows);

/**
 * sipcode_tcp() - count the responses of a TCP segment
 * @sn: the namespace's state
 * @skb: the packet
 * @thoff: its TCP header
 * @state: the hook's
 *
 * Return: NF_ACCEPT: a TCP segment is marked, never dropped.
 */
unsigned int sipcode_tcp(struct sipcode_net *sn, struct sk_buff *skb,
			 unsigned int thoff, const struct nf_hook_state *state);

#endif /* _SIPCODE_TCP_H */
