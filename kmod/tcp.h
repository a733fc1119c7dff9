/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP path: the messages of a stream, framed across its segments.
 * See tcp.c.
 */
#ifndef _SIPCODE_TCP_H
#define _SIPCODE_TCP_H

#include <linux/jiffies.h>
#include <linux/types.h>

#include "sipparse.h"

struct net;
struct nf_hook_state;
struct sipcode_net;
struct sk_buff;

/* Flows a bucket of the table holds: a new flow takes a free one. */
#define SIPCODE_FLOW_WAYS 4

/* The largest table: 112 MiB a namespace. */
#define SIPCODE_FLOWS_MAX 1048576U

/* A flow with no segment for this long is free to be taken (jiffies). */
#define SIPCODE_FLOW_TIMEOUT (300 * HZ)

/**
 * struct sipcode_flow - one direction of a TCP connection, followed
 * @saddr: the source address; IPv4 as an IPv4-mapped IPv6 address
 * @daddr: the destination address, the same way
 * @sport: the source port, as the header holds it
 * @dport: the destination port, the same way
 * @seq: the sequence number of the next byte to frame
 * @seen: jiffies of the last segment, for the timeout
 * @left: bytes of a body left to skip (SIPCODE_FLOW_BODY)
 * @hole: where a hole starts: the first byte that never came, before a
 *	segment that started a message (when @has_hole)
 * @hole_end: the first byte after the hole: a message starts there
 * @state: enum sipcode_flow_state
 * @has_hole: @hole and @hole_end are set
 * @nstatus: bytes of a status line cut by the end of a segment, in
 *	@status, while the message is not classified yet
 * @status: those bytes
 * @f: the framer of the headers (SIPCODE_FLOW_HEADERS)
 *
 * 112 bytes, 8-aligned: the key is compared in words. The table is
 * read and written without a lock: a segment works on a copy of its flow
 * and writes it back. Two CPUs on segments of the same flow at once
 * (which one socket's sends and one queue's receives do not make) can
 * lose or mix an update: a count is then wrong, never an access, as
 * every field read from the copy is checked where it is used (the
 * framer bounds its own state: sip_framer_feed()).
 */
struct sipcode_flow {
	__be32 saddr[4];
	__be32 daddr[4];
	__be16 sport;
	__be16 dport;
	u32 seq;
	u32 seen;
	u32 left;
	u32 hole;
	u32 hole_end;
	u8 state;
	u8 has_hole;
	u8 nstatus;
	u8 status[SIP_STATUS_LEN + 4];
	struct sip_framer f;
} __aligned(8);

/**
 * enum sipcode_flow_state - what the next byte of a flow is
 * @SIPCODE_FLOW_FREE: the slot holds no flow
 * @SIPCODE_FLOW_LOST: not known: the flow's first segments were not
 *	seen, a segment came after a hole, or a message could not be
 *	framed. A segment that starts with a message starts a new run.
 * @SIPCODE_FLOW_START: the first byte of a message (or CR and LF
 *	before it)
 * @SIPCODE_FLOW_HEADERS: a byte of a message's start line or headers
 * @SIPCODE_FLOW_BODY: a byte of a body
 */
enum sipcode_flow_state {
	SIPCODE_FLOW_FREE,
	SIPCODE_FLOW_LOST,
	SIPCODE_FLOW_START,
	SIPCODE_FLOW_HEADERS,
	SIPCODE_FLOW_BODY,
};

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
