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
 * change state need CAP_NET_ADMIN in the user namespace that owns the
 * network namespace (-EPERM otherwise); reading needs no privilege.
 *
 * Integers are in host byte order, ports included. A port set applies
 * to UDP and TCP alike.
 *
 * SIPCODE_CMD_STATS_GET (dump only: NLM_F_DUMP)
 *   Takes no attribute.
 *   Returns one or more messages. The first carries SIPCODE_A_UNCOUNTED;
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
 *   Takes no attribute. Returns SIPCODE_A_PORTS: the UDP ports whose
 *   datagrams are inspected, ascending.
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
 * SIPCODE_CMD_CONFIG_GET
 *   Takes no attribute. Returns SIPCODE_A_DRY_RUN.
 *
 * SIPCODE_CMD_CONFIG_SET (admin)
 *   Takes SIPCODE_A_DRY_RUN (required). A new namespace starts with the
 *   module parameter "dry_run".
 */
#ifndef _UAPI_LINUX_SIPCODE_H
#define _UAPI_LINUX_SIPCODE_H

#define SIPCODE_GENL_NAME	"sipcode"
#define SIPCODE_GENL_VERSION	1

/* Status codes counted: 100 to 699; anything else is malformed. */
#define SIPCODE_CODE_MIN	100
#define SIPCODE_CODE_MAX	699
#define SIPCODE_NCODES		(SIPCODE_CODE_MAX - SIPCODE_CODE_MIN + 1)

/* At most this many ports in a port set. */
#define SIPCODE_PORTS_MAX	32

/* At most this many messages are framed in one TCP segment. */
#define SIPCODE_TCP_MSGS_MAX	16

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
	SIPCODE_A_DRY_RUN,	/* u8: 1 in dry-run mode, else 0 */
	__SIPCODE_A_MAX
};

#define SIPCODE_A_MAX (__SIPCODE_A_MAX - 1)

/* Inside SIPCODE_A_CODE: the counters of one status code. */
enum sipcode_code_attr {
	SIPCODE_CODE_A_UNSPEC,
	SIPCODE_CODE_A_PAD,
	SIPCODE_CODE_A_CODE,	/* u16: 100-699 */
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
	SIPCODE_PORT_A_PORT,	/* u16, repeated: 1-65535 */
	__SIPCODE_PORT_A_MAX
};

#define SIPCODE_PORT_A_MAX (__SIPCODE_PORT_A_MAX - 1)

/* Inside SIPCODE_A_RULE. */
enum sipcode_rule_attr {
	SIPCODE_RULE_A_UNSPEC,
	SIPCODE_RULE_A_CODE,	/* u16: 100-699, match one code */
	SIPCODE_RULE_A_CLASS,	/* u8: 1-6, match a class */
	SIPCODE_RULE_A_LOW,	/* u16: 100-699, match LOW to HIGH */
	SIPCODE_RULE_A_HIGH,	/* u16: 100-699 */
	SIPCODE_RULE_A_ACTION,	/* u8: enum sipcode_action */
	SIPCODE_RULE_A_MARK,	/* u32: with SIPCODE_ACTION_MARK */
	SIPCODE_RULE_A_MASK,	/* u32: non-zero */
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

#endif /* _UAPI_LINUX_SIPCODE_H */
