/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sipcode: count SIP responses per status code in a netfilter hook.
 *
 * This header is the whole protocol between the sipcode module and
 * userspace (sipcodectl or any other generic netlink client).
 *
 * Family
 * ------
 * Generic netlink family SIPCODE_GENL_NAME, version SIPCODE_GENL_VERSION.
 * The family is per network namespace: every command acts on the
 * namespace of the socket that sends it. Asking the controller for the
 * family autoloads an installed module (alias net-pf-16-proto-16-family-
 * sipcode).
 *
 * All attributes are validated strictly: an attribute a command does not
 * take, an unknown attribute type or a malformed value is refused with
 * -EINVAL (-ERANGE for an integer out of range) and an extended ack
 * message, with the offending attribute where there is one. Commands that
 * change state, and reading what holds bytes of the traffic (reason
 * phrases, events), need CAP_NET_ADMIN in the user namespace that owns
 * the network namespace (-EPERM otherwise); reading counters, ports,
 * rules and settings needs no privilege.
 *
 * A network namespace other than the initial one is inspected from the
 * first command that configures it (PORTS_SET, RULE_ADD, CONFIG_SET,
 * CONFIG_REPLACE),
 * or from its creation with the module parameter "all_netns". Until
 * then it has no hook and no counter, reads return the settings it would
 * start with, and STATS_GET says so with SIPCODE_A_INACTIVE.
 *
 * A dump of rules, methods or reasons that spans a change of what it
 * reads has NLM_F_DUMP_INTR set on its messages: the client dumps again.
 *
 * Integers are in host byte order, ports included. A port set applies
 * to UDP and TCP alike.
 *
 * SIPCODE_CMD_STATS_GET (dump only: NLM_F_DUMP)
 *   Takes no attribute.
 *   Returns one or more messages. The first carries SIPCODE_A_UNCOUNTED
 *   and SIPCODE_A_EVENTS, or only SIPCODE_A_INACTIVE when the namespace
 *   is not inspected (see above);
 *   every message carries zero or more SIPCODE_A_CODE nests, one per
 *   status code whose counters are not all zero, in ascending code order.
 *   A dump larger than one message is split between two SIPCODE_A_CODE
 *   nests, never inside one; a client concatenates the messages.
 *   Counters are read by summing every CPU: a dump taken while packets
 *   flow is not a snapshot of one instant, but no packet is ever lost
 *   or counted twice.
 *
 * SIPCODE_CMD_STATS_RESET (admin)
 *   Takes no attribute. Sets every counter of the namespace to zero.
 *   Packets counted while the reset runs are kept, never lost.
 *
 * SIPCODE_CMD_PORTS_GET
 *   Takes no attribute. Returns SIPCODE_A_PORTS: the ports (UDP and TCP)
 *   whose packets are inspected, ascending.
 *
 * SIPCODE_CMD_PORTS_SET (admin)
 *   Takes SIPCODE_A_PORTS (required) with 1 to SIPCODE_PORTS_MAX
 *   SIPCODE_PORT_A_PORT entries, each 1-65535; duplicates count once.
 *   Replaces the port set of the namespace. A datagram is inspected
 *   when its source or its destination port is in the set.
 *   A new namespace starts with the module parameter "ports".
 *
 * Rules
 * -----
 * A rule matches a code, a class (5 for 5xx) or a range of codes, and
 * says what to do with a response that it matches: count it only, drop
 * it, or set its mark: mark = (mark & ~MASK) | VALUE, for nftables to
 * match with "meta mark". Every response is counted whatever the rule;
 * a drop or a mark is also counted in the code's DROPPED or MARKED.
 * For a code, the most specific rule wins: a code rule, else the range
 * that holds the code, else the class rule, else count only. Ranges
 * never overlap; a range may hold code rules and lie across classes.
 * The rules of a namespace are so bounded: 600 code rules, 6 class rules
 * and 600 ranges at most. In dry-run mode, no rule drops or marks, but
 * DROPPED and MARKED count what the rules would have done.
 *
 * SIPCODE_CMD_RULE_ADD (admin)
 *   Takes SIPCODE_A_RULE (required) with exactly one match: CODE, CLASS,
 *   or LOW and HIGH (LOW <= HIGH); ACTION (required); and, with
 *   SIPCODE_ACTION_MARK, MARK (required) and MASK (optional, non-zero,
 *   default 0xffffffff; MARK may have no bit outside MASK).
 *   -EEXIST when a rule with the same match exists, or when the range
 *   overlaps another range.
 *
 * SIPCODE_CMD_RULE_DEL (admin)
 *   Takes SIPCODE_A_RULE (required) with a match only. -ENOENT when no
 *   rule has that match.
 *
 * SIPCODE_CMD_RULE_GET (dump only)
 *   Takes no attribute. Returns SIPCODE_A_RULE nests: the code rules,
 *   then the ranges, then the classes, each ascending; MASK is always
 *   present with a MARK.
 *
 * SIPCODE_CMD_RULE_FLUSH (admin)
 *   Takes no attribute. Deletes every rule of the namespace.
 *
 * A rule may also carry SIPCODE_RULE_A_NOTIFY, with any action: each
 * response it matches is then also sent as an event (see Events).
 *
 * SIPCODE_CMD_CONFIG_GET
 *   Takes no attribute. Returns SIPCODE_A_DRY_RUN, SIPCODE_A_BY_METHOD,
 *   SIPCODE_A_REASONS and SIPCODE_A_EVENT_RATE.
 *
 * SIPCODE_CMD_CONFIG_SET (admin)
 *   Takes one or more of SIPCODE_A_DRY_RUN, SIPCODE_A_BY_METHOD,
 *   SIPCODE_A_REASONS and SIPCODE_A_EVENT_RATE; changes those given. A
 *   new namespace starts with the module parameter "dry_run", the other
 *   two switches off, and SIPCODE_EVENT_RATE_DEFAULT.
 *
 * SIPCODE_CMD_CONFIG_REPLACE (admin)
 *   Replaces the whole configuration of the namespace in one request,
 *   all or nothing. Its integers are u32 (the message's other commands
 *   take the same values, in the widths their enums say):
 *     SIPCODE_A_PORTS       required, as PORTS_SET takes it
 *                           (SIPCODE_PORT_A_PORT u32, 1-65535)
 *     SIPCODE_A_DRY_RUN     u32 0/1; absent: the module parameter dry_run
 *     SIPCODE_A_BY_METHOD   u32 0/1; absent: 0
 *     SIPCODE_A_REASONS     u32 0/1; absent: 0
 *     SIPCODE_A_EVENT_RATE  u32; absent: SIPCODE_EVENT_RATE_DEFAULT
 *     SIPCODE_A_RULE        zero or more nests, each as RULE_ADD takes
 *                           it, CODE, CLASS, LOW, HIGH and ACTION u32;
 *                           no nest: no rule
 *   The new configuration is built aside and validated whole, then
 *   swapped in: every packet gets the verdict of the old configuration
 *   or of the new one, never a mixture (the rules and the dry-run mode
 *   change together), and a port in both the old and the new set is
 *   never missed. On any error nothing at all changes: -EEXIST for a
 *   rule whose match another rule of the request has, or a range that
 *   overlaps another (the extack names that SIPCODE_A_RULE nest),
 *   -EINVAL or -ERANGE for a malformed attribute, -ENOMEM. Counters are
 *   not touched. An insight table that stays on keeps its counts; one
 *   switched on is allocated before the swap, one switched off freed
 *   after it. A dump of rules spanning the swap is flagged
 *   NLM_F_DUMP_INTR. The request with every rule the bounds allow
 *   (1206 nests, about 50 KB) is accepted.
 *
 * Insight
 * -------
 * Two tables, each off until switched on (memory is allocated then, and
 * freed with its counts when switched off; off, they cost the packet
 * path one test of a flag):
 *
 * SIPCODE_A_BY_METHOD: responses counted per (code, CSeq method). The
 *   method is the token after the sequence number of the CSeq header
 *   (name in any case, SP or HTAB around the colon), looked for in the
 *   first SIPCODE_HEADERS_SCAN_MAX bytes of a message's headers; a
 *   response without one there, or with a method not listed in enum
 *   sipcode_method, counts as SIPCODE_METHOD_OTHER. Methods are case-
 *   sensitive (RFC 3261 7.1).
 *
 * SIPCODE_A_REASONS: per code, the SIPCODE_REASONS_PER_CODE most frequent
 *   reason phrases (the bytes after the code up to CR or LF, the first
 *   SIPCODE_REASON_MAX of them). Each CPU keeps a fixed table and, when a
 *   code's slots are full, gives the least counted slot to the new
 *   phrase, which inherits its count ("space-saving"): a phrase more
 *   frequent than 1/SIPCODE_REASONS_PER_CODE of a code's responses on a
 *   CPU is never lost, and while a code has no more distinct phrases than
 *   slots, every count is exact. Over that, a count may be too high by
 *   at most what its slot inherited.
 *
 * SIPCODE_CMD_METHOD_GET (dump only)
 *   Takes no attribute. Returns SIPCODE_A_METHOD nests, one per (code,
 *   method) with a count, ascending by code then method. -ENODATA when
 *   the table is off.
 *
 * SIPCODE_CMD_REASON_GET (dump only, admin)
 *   Takes no attribute. Returns SIPCODE_A_REASON nests, ascending by code,
 *   at most SIPCODE_REASONS_PER_CODE a code, most counted first. -ENODATA
 *   when the table is off.
 *
 * Events
 * ------
 * A response matched by a rule with SIPCODE_RULE_A_NOTIFY is sent to the
 * multicast group SIPCODE_GENL_MCGRP_EVENTS of the family as a
 * SIPCODE_CMD_EVENT message holding one SIPCODE_A_EVENT nest. Events are
 * rate-limited per namespace to SIPCODE_A_EVENT_RATE a second (bursts of
 * as many). Each notified response lands in one counter of
 * SIPCODE_A_EVENTS (in the first message of SIPCODE_CMD_STATS_GET): sent,
 * rate-limited, lost (no memory, or a listener's socket was full: the
 * listener then also reads ENOBUFS), or unheard (no listener). The packet
 * path never waits for a listener. Where the kernel can say so, joining
 * the group needs CAP_NET_ADMIN.
 */
#ifndef _UAPI_LINUX_SIPCODE_H
#define _UAPI_LINUX_SIPCODE_H

#define SIPCODE_GENL_NAME	"sipcode"
#define SIPCODE_GENL_VERSION	2

/* Status codes counted: 100 to 699; anything else is malformed. */
#define SIPCODE_CODE_MIN	100
#define SIPCODE_CODE_MAX	699
#define SIPCODE_NCODES		(SIPCODE_CODE_MAX - SIPCODE_CODE_MIN + 1)

/* At most this many ports in a port set. */
#define SIPCODE_PORTS_MAX	32

/* At most this many messages are framed in one TCP segment. */
#define SIPCODE_TCP_MSGS_MAX	16

/* The CSeq header is looked for in this many bytes of headers at most. */
#define SIPCODE_HEADERS_SCAN_MAX	2048

/* Reason phrases: bytes kept of one, and phrases kept per code. */
#define SIPCODE_REASON_MAX	32
#define SIPCODE_REASONS_PER_CODE	8

/* Events a second, per namespace. */
#define SIPCODE_EVENT_RATE_MIN	1
#define SIPCODE_EVENT_RATE_MAX	100000
#define SIPCODE_EVENT_RATE_DEFAULT	100

/* The multicast group of the events. */
#define SIPCODE_GENL_MCGRP_EVENTS	"events"

enum sipcode_cmd {
	SIPCODE_CMD_UNSPEC,
	SIPCODE_CMD_STATS_GET,
	SIPCODE_CMD_STATS_RESET,
	SIPCODE_CMD_PORTS_GET,
	SIPCODE_CMD_PORTS_SET,
	SIPCODE_CMD_RULE_ADD,
	SIPCODE_CMD_RULE_DEL,
	SIPCODE_CMD_RULE_GET,
	SIPCODE_CMD_RULE_FLUSH,
	SIPCODE_CMD_CONFIG_GET,
	SIPCODE_CMD_CONFIG_SET,
	SIPCODE_CMD_METHOD_GET,
	SIPCODE_CMD_REASON_GET,
	SIPCODE_CMD_EVENT,	/* multicast only: one event */
	SIPCODE_CMD_CONFIG_REPLACE,
	__SIPCODE_CMD_MAX
};

#define SIPCODE_CMD_MAX (__SIPCODE_CMD_MAX - 1)

/* Top-level attributes. */
enum sipcode_attr {
	SIPCODE_A_UNSPEC,
	SIPCODE_A_PAD,
	SIPCODE_A_CODE,		/* nest: enum sipcode_code_attr */
	SIPCODE_A_UNCOUNTED,	/* nest: enum sipcode_uncounted_attr */
	SIPCODE_A_PORTS,	/* nest: enum sipcode_port_attr */
	SIPCODE_A_RULE,		/* nest: enum sipcode_rule_attr */
	SIPCODE_A_DRY_RUN,	/* u32: 1 in dry-run mode, else 0 */
	SIPCODE_A_BY_METHOD,	/* u32: 1 counts per CSeq method, else 0 */
	SIPCODE_A_REASONS,	/* u32: 1 keeps reason phrases, else 0 */
	SIPCODE_A_EVENT_RATE,	/* u32: SIPCODE_EVENT_RATE_MIN to _MAX */
	SIPCODE_A_EVENTS,	/* nest: enum sipcode_events_attr */
	SIPCODE_A_METHOD,	/* nest: enum sipcode_method_attr */
	SIPCODE_A_REASON,	/* nest: enum sipcode_reason_attr */
	SIPCODE_A_EVENT,	/* nest: enum sipcode_event_attr */
	SIPCODE_A_INACTIVE,	/* flag: the namespace is not inspected */
	__SIPCODE_A_MAX
};

#define SIPCODE_A_MAX (__SIPCODE_A_MAX - 1)

/* Inside SIPCODE_A_CODE: the counters of one status code. */
enum sipcode_code_attr {
	SIPCODE_CODE_A_UNSPEC,
	SIPCODE_CODE_A_PAD,
	SIPCODE_CODE_A_CODE,	/* u32: 100-699 */
	SIPCODE_CODE_A_SEEN,	/* u64: responses counted */
	SIPCODE_CODE_A_DROPPED,	/* u64: of those, dropped by a rule */
	SIPCODE_CODE_A_MARKED,	/* u64: of those, marked by a rule */
	__SIPCODE_CODE_A_MAX
};

#define SIPCODE_CODE_A_MAX (__SIPCODE_CODE_A_MAX - 1)

/*
 * Inside SIPCODE_A_UNCOUNTED: what was not counted under a status code,
 * one u64 per reason. Every UDP datagram on a SIP port (every datagram of
 * a UDP GSO packet) lands in exactly one code or one of these. A TCP
 * segment on a SIP port with payload is framed into messages by their
 * Content-Length: each message that starts in it lands in a code or a
 * reason, CR and LF between messages aside; a segment that does not
 * start at a message lands in TCP_MIDSTREAM; a segment of nothing but
 * CR and LF (an RFC 5626 keep-alive) lands in KEEPALIVE.
 */
enum sipcode_uncounted_attr {
	SIPCODE_UC_A_UNSPEC,
	SIPCODE_UC_A_PAD,
	/* Not a status line: a request, STUN, anything else. */
	SIPCODE_UC_A_NOT_RESPONSE,
	/*
	 * Starts with "SIP/" but is not "SIP/2.0 NNN" followed by SP, CR
	 * or LF with NNN in 100-699.
	 */
	SIPCODE_UC_A_MALFORMED,
	/* Ends before a status line can be told from anything else. */
	SIPCODE_UC_A_TRUNCATED,
	/* Empty, or only CR and LF (a keep-alive). */
	SIPCODE_UC_A_KEEPALIVE,
	/* An IPv4 or IPv6 fragment other than the first: ports unknown. */
	SIPCODE_UC_A_FRAGMENT,
	/* A TCP segment that does not start at a message: not guessed at. */
	SIPCODE_UC_A_TCP_MIDSTREAM,
	/*
	 * A TCP segment whose rest could not be framed after the messages
	 * counted: no Content-Length, or more than SIPCODE_TCP_MSGS_MAX.
	 */
	SIPCODE_UC_A_TCP_UNFRAMED,
	__SIPCODE_UC_A_MAX
};

#define SIPCODE_UC_A_MAX (__SIPCODE_UC_A_MAX - 1)

/* Inside SIPCODE_A_PORTS. */
enum sipcode_port_attr {
	SIPCODE_PORT_A_UNSPEC,
	SIPCODE_PORT_A_PORT,	/* u32, repeated: 1-65535 */
	__SIPCODE_PORT_A_MAX
};

#define SIPCODE_PORT_A_MAX (__SIPCODE_PORT_A_MAX - 1)

/* Inside SIPCODE_A_RULE. */
enum sipcode_rule_attr {
	SIPCODE_RULE_A_UNSPEC,
	SIPCODE_RULE_A_CODE,	/* u32: 100-699, match one code */
	SIPCODE_RULE_A_CLASS,	/* u32: 1-6, match a class */
	SIPCODE_RULE_A_LOW,	/* u32: 100-699, match LOW to HIGH */
	SIPCODE_RULE_A_HIGH,	/* u32: 100-699 */
	SIPCODE_RULE_A_ACTION,	/* u32: enum sipcode_action */
	SIPCODE_RULE_A_MARK,	/* u32: with SIPCODE_ACTION_MARK */
	SIPCODE_RULE_A_MASK,	/* u32: non-zero */
	SIPCODE_RULE_A_NOTIFY,	/* flag: also send an event */
	__SIPCODE_RULE_A_MAX
};

#define SIPCODE_RULE_A_MAX (__SIPCODE_RULE_A_MAX - 1)

enum sipcode_action {
	SIPCODE_ACTION_UNSPEC,
	SIPCODE_ACTION_COUNT,	/* count only: an exception to a wider rule */
	SIPCODE_ACTION_DROP,	/* drop the packet */
	SIPCODE_ACTION_MARK,	/* set the bits MASK of the mark to MARK */
	__SIPCODE_ACTION_MAX
};

#define SIPCODE_ACTION_MAX (__SIPCODE_ACTION_MAX - 1)

/* The CSeq methods counted apart; any other is SIPCODE_METHOD_OTHER. */
enum sipcode_method {
	SIPCODE_METHOD_OTHER,	/* another method, or no CSeq */
	SIPCODE_METHOD_INVITE,
	SIPCODE_METHOD_REGISTER,
	SIPCODE_METHOD_OPTIONS,
	SIPCODE_METHOD_BYE,
	SIPCODE_METHOD_CANCEL,
	SIPCODE_METHOD_ACK,
	SIPCODE_METHOD_PRACK,
	SIPCODE_METHOD_SUBSCRIBE,
	SIPCODE_METHOD_NOTIFY,
	SIPCODE_METHOD_PUBLISH,
	SIPCODE_METHOD_INFO,
	SIPCODE_METHOD_REFER,
	SIPCODE_METHOD_MESSAGE,
	SIPCODE_METHOD_UPDATE,
	__SIPCODE_METHOD_MAX
};

#define SIPCODE_NMETHODS __SIPCODE_METHOD_MAX

/* Inside SIPCODE_A_EVENTS: what became of notified responses. */
enum sipcode_events_attr {
	SIPCODE_EVENTS_A_UNSPEC,
	SIPCODE_EVENTS_A_PAD,
	SIPCODE_EVENTS_A_SENT,		/* u64: sent to the group */
	SIPCODE_EVENTS_A_RATELIMITED,	/* u64: over SIPCODE_A_EVENT_RATE */
	SIPCODE_EVENTS_A_LOST,		/* u64: no memory, or a full socket */
	SIPCODE_EVENTS_A_UNHEARD,	/* u64: nobody in the group */
	__SIPCODE_EVENTS_A_MAX
};

#define SIPCODE_EVENTS_A_MAX (__SIPCODE_EVENTS_A_MAX - 1)

/* Inside SIPCODE_A_METHOD. */
enum sipcode_method_attr {
	SIPCODE_METHOD_A_UNSPEC,
	SIPCODE_METHOD_A_PAD,
	SIPCODE_METHOD_A_CODE,		/* u32: 100-699 */
	SIPCODE_METHOD_A_METHOD,	/* u32: enum sipcode_method */
	SIPCODE_METHOD_A_COUNT,		/* u64 */
	__SIPCODE_METHOD_A_MAX
};

#define SIPCODE_METHOD_A_MAX (__SIPCODE_METHOD_A_MAX - 1)

/* Inside SIPCODE_A_REASON. */
enum sipcode_reason_attr {
	SIPCODE_REASON_A_UNSPEC,
	SIPCODE_REASON_A_PAD,
	SIPCODE_REASON_A_CODE,		/* u32: 100-699 */
	SIPCODE_REASON_A_PHRASE,	/* binary: 0-SIPCODE_REASON_MAX bytes */
	SIPCODE_REASON_A_COUNT,		/* u64 */
	__SIPCODE_REASON_A_MAX
};

#define SIPCODE_REASON_A_MAX (__SIPCODE_REASON_A_MAX - 1)

/*
 * Inside SIPCODE_A_EVENT: one notified response, as the hook saw it.
 * ACTION is what the rule did to the packet: a drop rule on TCP reports
 * SIPCODE_ACTION_COUNT (TCP is never dropped); with DRY_RUN, the action
 * was only counted, not applied, and MARK is the packet's mark as is.
 */
enum sipcode_event_attr {
	SIPCODE_EVENT_A_UNSPEC,
	SIPCODE_EVENT_A_CODE,		/* u32: 100-699 */
	SIPCODE_EVENT_A_METHOD,		/* u32: enum sipcode_method */
	SIPCODE_EVENT_A_PHRASE,		/* binary: 0-SIPCODE_REASON_MAX bytes */
	SIPCODE_EVENT_A_FAMILY,		/* u32: AF_INET or AF_INET6 */
	SIPCODE_EVENT_A_SADDR,		/* binary: 4 or 16 bytes */
	SIPCODE_EVENT_A_DADDR,		/* binary: 4 or 16 bytes */
	SIPCODE_EVENT_A_PROTO,		/* u32: IPPROTO_UDP or IPPROTO_TCP */
	SIPCODE_EVENT_A_SPORT,		/* u32 */
	SIPCODE_EVENT_A_DPORT,		/* u32 */
	SIPCODE_EVENT_A_ACTION,		/* u32: enum sipcode_action */
	SIPCODE_EVENT_A_MARK,		/* u32: the mark after the rule */
	SIPCODE_EVENT_A_DRY_RUN,	/* flag: the action was not applied */
	__SIPCODE_EVENT_A_MAX
};

#define SIPCODE_EVENT_A_MAX (__SIPCODE_EVENT_A_MAX - 1)

#endif /* _UAPI_LINUX_SIPCODE_H */
