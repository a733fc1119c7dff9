// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: random and mutated requests to the sipcode generic netlink
 * family, for the sipcode selftests. Every reply is checked against the
 * one the kernel must send, and the configuration the requests made is
 * kept in a model, compared with the kernel's.
 *
 * usage: nlfuzz [-n COUNT] [-s SEED] [-t SECONDS] [-w MS] [-c] [-C EVERY]
 *               [-m] [-r] [-u EVERY] [-v]
 *
 *   -n  messages to send (default 100000); a message is one send(), of
 *       one request or of a batch of a few
 *   -s  seed of the pseudo-random generator (default 1)
 *   -t  stop after this many seconds (default 0: no limit)
 *   -w  how long a request that must be answered and was not is waited
 *       for, in ms (default 1000); the kernel answers before send()
 *       returns, so the wait only bounds a reply that never comes
 *   -c  at the end, read the kernel's configuration and compare it with
 *       the model
 *   -C  also compare every EVERY messages (implies -c)
 *   -m  join the family's events multicast group on a second socket and
 *       drain it
 *   -r  read-only: only reads (REASON_GET, an admin one, included) and
 *       requests the kernel refuses before their command, nothing that
 *       could change the configuration or the counters
 *   -u  every EVERY messages, send a SIP request and 3 responses over UDP
 *       on the loopback to a port of the set (up with the loopback if it
 *       is down), mostly of the request's transaction, for counters,
 *       insight, events and transactions to have something in them
 *   -v  print every misprediction (default: the first 10)
 *
 * The messages, at most MSG_MAX bytes: well-formed requests for every
 * command; the same mutated (bit flips, bytes, truncation, attribute and
 * message lengths, types, NLA_F_NESTED, duplicated, dropped and wrapped
 * attributes, header fields); random ones (every attribute type of every
 * nest of the UAPI and types out of range, right and wrong lengths, values
 * on and off the bounds, deep nesting, commands out of range, flag and
 * version variations); edge cases (sends shorter than a header, headers
 * alone, message lengths beyond the send); and batches of a few messages
 * in one send.
 *
 * The prediction: every message sent is parsed here as the kernel parses
 * it: netlink_rcv_skb(), genetlink's header checks, command lookup and
 * permission, the strict validation of the command's policy (lib/nlattr.c)
 * and the family's handlers (kmod/netlink.c, kmod/rules.c), as documented
 * in Documentation/netlink/specs/sipcode.yaml. That gives the error the kernel must
 * answer, the replies it must send and, for a request it accepts, what it
 * changed: the model takes it. A reply that differs from the prediction,
 * or a read alone in its send (PORTS_GET, CONFIG_GET, RULE_GET, TXN_GET
 * for the table's switch and size, and STATS_GET for SIPCODE_A_INACTIVE)
 * that differs from the model, is printed with the message; a TXN_GET
 * reply not of the spec's form is a malformed reply. After either the model is read back from the
 * kernel (a resync, counted) so that one fault is reported once.
 *
 * What the UAPI leaves to the kernel is probed once at the start, not
 * assumed from its version (see probe()); the model starts from the
 * kernel's configuration.
 *
 * Prints one line on stdout: messages and requests sent, the kernel's
 * answer to each request by errno (0: accepted), dumps, data replies,
 * requests with no reply (accepted without NLM_F_ACK, or not requests),
 * replies that did not come in time, accepted changes the model took,
 * resyncs and mispredictions. A breakdown goes to stderr: the messages
 * by generator, and the requests of each command accepted and sent.
 *
 * Exits 0 when every reply was as predicted and (-c) the kernel holds the
 * model's configuration; 1 otherwise; 2 on bad usage or when the family
 * cannot be reached.
 */
#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sipcode.h>

#include "rnd.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT64(n)	(1ULL << (n))

#define MSG_MAX		4096	/* the largest send */
#define MAX_SUBS	(MSG_MAX / NLMSG_HDRLEN)
#define MAX_NLA		256	/* attribute headers recorded for mutations */
#define MAX_DEPTH	12	/* nesting: deeper than the kernel's 10 */
#define SEQ_BASE	0x5eb00000u
#define NCLASSES	(SIPCODE_CODE_MAX / 100)
#define NLA_TYPE_BITS	(NLA_F_NESTED | NLA_F_NET_BYTEORDER)

static_assert(__SIPCODE_A_MAX <= 64 && __SIPCODE_RULE_A_MAX <= 64,
	      "attribute masks are 64 bits");

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* ---------------------------------------------------------------------
 * The UAPI: every attribute of every nest, and every command.
 */

/* What an attribute holds, as the kernel's policy types say it. */
enum kind { K_NONE, K_FLAG, K_U8, K_U16, K_U32, K_U64, K_BIN, K_NEST, K_N };

static const unsigned int kind_len[K_N] = {
	[K_U8] = 1, [K_U16] = 2, [K_U32] = 4, [K_U64] = 8,
};

struct nest_spec;

struct attr_spec {
	const char *name;		/* NULL: not described here */
	enum kind kind;
	uint64_t lo, hi;		/* values allowed; K_BIN: lengths */
	const struct nest_spec *nest;	/* K_NEST: what it holds */
};

struct nest_spec {
	const char *name;
	unsigned int max;		/* the highest type */
	const struct attr_spec *attrs;	/* max + 1 of them */
};

#define ATTR(t, k, l, h)						\
	[t] = { #t, k, l, h, NULL }
#define NEST(t, n)							\
	[t] = { #t, K_NEST, 0, 0, &(n) }
/* Every type after the padding one: u64 counters (a new one included). */
#define COUNTERS(pad, max)						\
	[(pad) + 1 ... (max)] = { #pad "+", K_U64, 0, UINT64_MAX, NULL }

static const struct attr_spec code_attrs[__SIPCODE_CODE_A_MAX] = {
	ATTR(SIPCODE_CODE_A_PAD, K_BIN, 0, 0),
	ATTR(SIPCODE_CODE_A_CODE, K_U32, SIPCODE_CODE_MIN, SIPCODE_CODE_MAX),
	ATTR(SIPCODE_CODE_A_SEEN, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_CODE_A_DROPPED, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_CODE_A_MARKED, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_CODE_A_FIRST_FINAL, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_CODE_A_RETRANSMITTED, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_CODE_A_IN, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_CODE_A_OUT, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_CODE_A_RELAYED, K_U64, 0, UINT64_MAX),
};

static const struct attr_spec uc_attrs[__SIPCODE_UC_A_MAX] = {
	ATTR(SIPCODE_UC_A_PAD, K_BIN, 0, 0),
	COUNTERS(SIPCODE_UC_A_PAD, SIPCODE_UC_A_MAX),
};

static const struct attr_spec port_attrs[__SIPCODE_PORT_A_MAX] = {
	ATTR(SIPCODE_PORT_A_PORT, K_U32, 1, 65535),
};

static const struct attr_spec rule_attrs[__SIPCODE_RULE_A_MAX] = {
	ATTR(SIPCODE_RULE_A_CODE, K_U32, SIPCODE_CODE_MIN, SIPCODE_CODE_MAX),
	ATTR(SIPCODE_RULE_A_CLASS, K_U32, 1, NCLASSES),
	ATTR(SIPCODE_RULE_A_LOW, K_U32, SIPCODE_CODE_MIN, SIPCODE_CODE_MAX),
	ATTR(SIPCODE_RULE_A_HIGH, K_U32, SIPCODE_CODE_MIN, SIPCODE_CODE_MAX),
	ATTR(SIPCODE_RULE_A_ACTION, K_U32, SIPCODE_ACTION_COUNT,
	     SIPCODE_ACTION_MAX),
	ATTR(SIPCODE_RULE_A_MARK, K_U32, 0, UINT32_MAX),
	ATTR(SIPCODE_RULE_A_MASK, K_U32, 1, UINT32_MAX),
	ATTR(SIPCODE_RULE_A_NOTIFY, K_FLAG, 0, 0),
	ATTR(SIPCODE_RULE_A_PEER, K_BIN, 2, SIPCODE_PEER_NAME_MAX),
};

static const struct attr_spec events_attrs[__SIPCODE_EVENTS_A_MAX] = {
	ATTR(SIPCODE_EVENTS_A_PAD, K_BIN, 0, 0),
	COUNTERS(SIPCODE_EVENTS_A_PAD, SIPCODE_EVENTS_A_MAX),
};

static const struct attr_spec method_attrs[__SIPCODE_METHOD_A_MAX] = {
	ATTR(SIPCODE_METHOD_A_PAD, K_BIN, 0, 0),
	ATTR(SIPCODE_METHOD_A_CODE, K_U32, SIPCODE_CODE_MIN, SIPCODE_CODE_MAX),
	ATTR(SIPCODE_METHOD_A_METHOD, K_U32, 0, SIPCODE_NMETHODS - 1),
	ATTR(SIPCODE_METHOD_A_COUNT, K_U64, 0, UINT64_MAX),
};

static const struct attr_spec reason_attrs[__SIPCODE_REASON_A_MAX] = {
	ATTR(SIPCODE_REASON_A_PAD, K_BIN, 0, 0),
	ATTR(SIPCODE_REASON_A_CODE, K_U32, SIPCODE_CODE_MIN, SIPCODE_CODE_MAX),
	ATTR(SIPCODE_REASON_A_PHRASE, K_BIN, 0, SIPCODE_REASON_MAX),
	ATTR(SIPCODE_REASON_A_COUNT, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_REASON_A_TRUNCATED, K_FLAG, 0, 0),
};

static const struct attr_spec event_attrs[__SIPCODE_EVENT_A_MAX] = {
	ATTR(SIPCODE_EVENT_A_CODE, K_U32, SIPCODE_CODE_MIN, SIPCODE_CODE_MAX),
	ATTR(SIPCODE_EVENT_A_METHOD, K_U32, 0, SIPCODE_NMETHODS - 1),
	ATTR(SIPCODE_EVENT_A_PHRASE, K_BIN, 0, SIPCODE_REASON_MAX),
	ATTR(SIPCODE_EVENT_A_FAMILY, K_U32, 2, 10),
	ATTR(SIPCODE_EVENT_A_SADDR, K_BIN, 4, 16),
	ATTR(SIPCODE_EVENT_A_DADDR, K_BIN, 4, 16),
	ATTR(SIPCODE_EVENT_A_PROTO, K_U32, 6, 17),
	ATTR(SIPCODE_EVENT_A_SPORT, K_U32, 0, 65535),
	ATTR(SIPCODE_EVENT_A_DPORT, K_U32, 0, 65535),
	ATTR(SIPCODE_EVENT_A_ACTION, K_U32, 0, SIPCODE_ACTION_MAX),
	ATTR(SIPCODE_EVENT_A_MARK, K_U32, 0, UINT32_MAX),
	ATTR(SIPCODE_EVENT_A_DRY_RUN, K_FLAG, 0, 0),
	ATTR(SIPCODE_EVENT_A_TRUNCATED, K_FLAG, 0, 0),
};

static const struct attr_spec txn_attrs[__SIPCODE_TXN_A_MAX] = {
	ATTR(SIPCODE_TXN_A_PAD, K_BIN, 0, 0),
	COUNTERS(SIPCODE_TXN_A_PAD, SIPCODE_TXN_A_MAX),
};

/* A counter of a code column: a code, or a class (1 to 6), and its count. */
static const struct attr_spec col_attrs[__SIPCODE_CODE_A_MAX] = {
	ATTR(SIPCODE_CODE_A_PAD, K_BIN, 0, 0),
	ATTR(SIPCODE_CODE_A_CODE, K_U32, 1, SIPCODE_CODE_MAX),
	ATTR(SIPCODE_CODE_A_SEEN, K_U64, 0, UINT64_MAX),
};

static const struct nest_spec col_nest = {
	"column", SIPCODE_CODE_A_SEEN, col_attrs };

static const struct attr_spec txn_method_attrs[__SIPCODE_TXN_METHOD_A_MAX] = {
	ATTR(SIPCODE_TXN_METHOD_A_PAD, K_BIN, 0, 0),
	ATTR(SIPCODE_TXN_METHOD_A_METHOD, K_U32, 0, SIPCODE_NMETHODS - 1),
	ATTR(SIPCODE_TXN_METHOD_A_TRACKED, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_TXN_METHOD_A_UNTRACKED, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_TXN_METHOD_A_RETRANSMITTED, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_TXN_METHOD_A_TIMEOUTS, K_U64, 0, UINT64_MAX),
	NEST(SIPCODE_TXN_METHOD_A_FINAL, col_nest),
};

static const struct attr_spec delay_bucket_attrs[__SIPCODE_DELAY_BUCKET_A_MAX] = {
	ATTR(SIPCODE_DELAY_BUCKET_A_PAD, K_BIN, 0, 0),
	ATTR(SIPCODE_DELAY_BUCKET_A_LE_US, K_U32, 0, UINT32_MAX),
	ATTR(SIPCODE_DELAY_BUCKET_A_COUNT, K_U64, 0, UINT64_MAX),
};

static const struct nest_spec delay_bucket_nest = {
	"delay-bucket", SIPCODE_DELAY_BUCKET_A_MAX, delay_bucket_attrs };

static const struct attr_spec delay_attrs[__SIPCODE_DELAY_A_MAX] = {
	ATTR(SIPCODE_DELAY_A_PAD, K_BIN, 0, 0),
	ATTR(SIPCODE_DELAY_A_KIND, K_U32, 0, SIPCODE_DELAY_MAX),
	ATTR(SIPCODE_DELAY_A_CLASS, K_U32, 2, NCLASSES),
	ATTR(SIPCODE_DELAY_A_COUNT, K_U64, 0, UINT64_MAX),
	ATTR(SIPCODE_DELAY_A_SUM_US, K_U64, 0, UINT64_MAX),
	NEST(SIPCODE_DELAY_A_BUCKET, delay_bucket_nest),
};

static const struct nest_spec code_nest = {
	"code", SIPCODE_CODE_A_MAX, code_attrs };
static const struct nest_spec uc_nest = {
	"uncounted", SIPCODE_UC_A_MAX, uc_attrs };
static const struct nest_spec port_nest = {
	"ports", SIPCODE_PORT_A_MAX, port_attrs };
static const struct nest_spec rule_nest = {
	"rule", SIPCODE_RULE_A_MAX, rule_attrs };
static const struct nest_spec events_nest = {
	"events", SIPCODE_EVENTS_A_MAX, events_attrs };
static const struct nest_spec method_nest = {
	"method", SIPCODE_METHOD_A_MAX, method_attrs };
static const struct nest_spec reason_nest = {
	"reason", SIPCODE_REASON_A_MAX, reason_attrs };
static const struct nest_spec event_nest = {
	"event", SIPCODE_EVENT_A_MAX, event_attrs };
static const struct nest_spec txn_nest = {
	"txn", SIPCODE_TXN_A_MAX, txn_attrs };
static const struct nest_spec txn_method_nest = {
	"txn-method", SIPCODE_TXN_METHOD_A_MAX, txn_method_attrs };
static const struct nest_spec delay_nest = {
	"delay", SIPCODE_DELAY_A_MAX, delay_attrs };

static const struct attr_spec top_attrs[__SIPCODE_A_MAX] = {
	ATTR(SIPCODE_A_PAD, K_BIN, 0, 0),
	NEST(SIPCODE_A_CODE, code_nest),
	NEST(SIPCODE_A_UNCOUNTED, uc_nest),
	NEST(SIPCODE_A_PORTS, port_nest),
	NEST(SIPCODE_A_RULE, rule_nest),
	ATTR(SIPCODE_A_DRY_RUN, K_U32, 0, 1),
	ATTR(SIPCODE_A_BY_METHOD, K_U32, 0, 1),
	ATTR(SIPCODE_A_REASONS, K_U32, 0, 1),
	ATTR(SIPCODE_A_EVENT_RATE, K_U32, SIPCODE_EVENT_RATE_MIN,
	     SIPCODE_EVENT_RATE_MAX),
	NEST(SIPCODE_A_EVENTS, events_nest),
	NEST(SIPCODE_A_METHOD, method_nest),
	NEST(SIPCODE_A_REASON, reason_nest),
	NEST(SIPCODE_A_EVENT, event_nest),
	ATTR(SIPCODE_A_INACTIVE, K_FLAG, 0, 0),
	ATTR(SIPCODE_A_TRANSACTIONS, K_U32, 0, 1),
	ATTR(SIPCODE_A_TXN_MAX, K_U32, SIPCODE_TXN_MAX_MIN,
	     SIPCODE_TXN_MAX_MAX),
	NEST(SIPCODE_A_TXN, txn_nest),
	NEST(SIPCODE_A_TXN_METHOD, txn_method_nest),
	NEST(SIPCODE_A_DELAY, delay_nest),
	ATTR(SIPCODE_A_RELAYED, K_U32, 0, 1),
};

static const struct nest_spec top_nest = { "top", SIPCODE_A_MAX, top_attrs };

static const struct nest_spec *const all_nests[] = {
	&top_nest, &code_nest, &uc_nest, &port_nest, &rule_nest,
	&events_nest, &method_nest, &reason_nest, &event_nest, &txn_nest,
	&txn_method_nest, &delay_nest, &delay_bucket_nest, &col_nest,
};

/*
 * Commands: how they are called, and the attributes their policy takes,
 * as the UAPI documents them (kmod/netlink.c has the policies). A type a
 * policy takes is validated as its attr_spec says: its kind, its length,
 * lo to hi; any other is refused. A command that takes none refuses any.
 */
enum {
	C_DO = 1,	/* a request without NLM_F_DUMP */
	C_DUMP = 2,	/* a request with NLM_F_DUMP */
	C_ADMIN = 4,	/* needs CAP_NET_ADMIN over the namespace */
	C_REPLY = 8,	/* the request is answered with data */
	C_CHANGES = 16,	/* changes the configuration */
	C_READ = 32,	/* changes nothing: sent with -r */
};

struct cmd_spec {
	const char *name;	/* NULL: not described here */
	unsigned int flags;
	unsigned int weight;	/* share of the well-formed requests */
	uint64_t takes;		/* top-level attributes of its policy */
	uint64_t rule_takes;	/* inside SIPCODE_A_RULE */
};

#define RULE_MATCH	(BIT64(SIPCODE_RULE_A_CODE) |			\
			 BIT64(SIPCODE_RULE_A_CLASS) |			\
			 BIT64(SIPCODE_RULE_A_LOW) |			\
			 BIT64(SIPCODE_RULE_A_HIGH))
#define RULE_VERDICT	(BIT64(SIPCODE_RULE_A_ACTION) |			\
			 BIT64(SIPCODE_RULE_A_MARK) |			\
			 BIT64(SIPCODE_RULE_A_MASK) |			\
			 BIT64(SIPCODE_RULE_A_NOTIFY))
#define CONFIG_ATTRS	(BIT64(SIPCODE_A_DRY_RUN) |			\
			 BIT64(SIPCODE_A_BY_METHOD) |			\
			 BIT64(SIPCODE_A_REASONS) |			\
			 BIT64(SIPCODE_A_EVENT_RATE) |			\
			 BIT64(SIPCODE_A_TRANSACTIONS) |		\
			 BIT64(SIPCODE_A_TXN_MAX) |			\
			 BIT64(SIPCODE_A_RELAYED))
#define ADMIN_SET	(C_DO | C_ADMIN | C_CHANGES)

static const struct cmd_spec cmds[__SIPCODE_CMD_MAX] = {
	[SIPCODE_CMD_STATS_GET] = { "STATS_GET", C_DUMP | C_READ, 4 },
	[SIPCODE_CMD_STATS_RESET] = { "STATS_RESET", C_DO | C_ADMIN, 2 },
	[SIPCODE_CMD_PORTS_GET] = { "PORTS_GET", C_DO | C_REPLY | C_READ, 4 },
	[SIPCODE_CMD_PORTS_SET] = { "PORTS_SET", ADMIN_SET, 10,
				    BIT64(SIPCODE_A_PORTS) },
	[SIPCODE_CMD_RULE_ADD] = { "RULE_ADD", ADMIN_SET, 30,
				   BIT64(SIPCODE_A_RULE),
				   RULE_MATCH | RULE_VERDICT },
	/* Its policy is RULE_ADD's: a verdict is refused after it. */
	[SIPCODE_CMD_RULE_DEL] = { "RULE_DEL", ADMIN_SET, 20,
				   BIT64(SIPCODE_A_RULE),
				   RULE_MATCH | RULE_VERDICT },
	[SIPCODE_CMD_RULE_GET] = { "RULE_GET", C_DUMP | C_READ, 4 },
	[SIPCODE_CMD_RULE_FLUSH] = { "RULE_FLUSH", ADMIN_SET, 2 },
	[SIPCODE_CMD_CONFIG_GET] = { "CONFIG_GET", C_DO | C_REPLY | C_READ,
				     4 },
	[SIPCODE_CMD_CONFIG_SET] = { "CONFIG_SET", ADMIN_SET, 8,
				     CONFIG_ATTRS },
	[SIPCODE_CMD_METHOD_GET] = { "METHOD_GET", C_DUMP | C_READ, 3 },
	/* Reason phrases are bytes of the traffic: for the admin. */
	[SIPCODE_CMD_REASON_GET] = { "REASON_GET", C_DUMP | C_ADMIN | C_READ,
				     3 },
	/* Multicast only: not a request. */
	[SIPCODE_CMD_EVENT] = { "EVENT", 0, 0 },
	/* The whole configuration: the ports, the settings, the rules. */
	[SIPCODE_CMD_CONFIG_REPLACE] = { "CONFIG_REPLACE", ADMIN_SET, 4,
					 BIT64(SIPCODE_A_PORTS) | CONFIG_ATTRS |
					 BIT64(SIPCODE_A_RULE),
					 RULE_MATCH | RULE_VERDICT },
	/* The transaction table: -ENODATA while it is off. */
	[SIPCODE_CMD_TXN_GET] = { "TXN_GET", C_DO | C_REPLY | C_READ, 3 },
	/*
	 * The peers: not modelled past the command and its permission
	 * (see unmodelled()). Sent at random only, never generated valid.
	 */
	[SIPCODE_CMD_PEER_ADD] = { "PEER_ADD", ADMIN_SET, 0 },
	[SIPCODE_CMD_PEER_DEL] = { "PEER_DEL", ADMIN_SET, 0 },
	[SIPCODE_CMD_PEER_GET] = { "PEER_GET", C_DUMP, 0 },
	[SIPCODE_CMD_PEER_FLUSH] = { "PEER_FLUSH", ADMIN_SET, 0 },
	[SIPCODE_CMD_PEER_STATS_GET] = { "PEER_STATS_GET", C_DUMP, 0 },
};

/*
 * Whether the attributes at @p (@len bytes) hold one of type @type, or,
 * with @in set, a nest of type @in that holds one.
 */
static bool holds(const uint8_t *p, size_t len, unsigned int type,
		  unsigned int in)
{
	struct nlattr a;

	while (len >= NLA_HDRLEN) {
		memcpy(&a, p, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len)
			return false;
		if (in ? (a.nla_type & NLA_TYPE_MASK) == in &&
			 holds(p + NLA_HDRLEN, a.nla_len - NLA_HDRLEN, type, 0) :
			 (a.nla_type & NLA_TYPE_MASK) == type)
			return true;
		if ((size_t)NLA_ALIGN(a.nla_len) >= len)
			break;
		p += NLA_ALIGN(a.nla_len);
		len -= NLA_ALIGN(a.nla_len);
	}
	return false;
}

/*
 * The peers are not modelled: their commands, a CONFIG_REPLACE with a
 * peer nest among the attributes (@p, @len bytes) of its message, and a
 * rule of a peer (RULE_ADD, RULE_DEL, CONFIG_REPLACE). The kernel's
 * answer is then taken as it comes (the checks of the command and its
 * permission are modelled before), and the model read back: the rules of
 * every response, which a peer's rules leave as they are.
 */
static bool unmodelled(unsigned int cmd, const uint8_t *p, size_t len)
{
	switch (cmd) {
	case SIPCODE_CMD_PEER_ADD:
	case SIPCODE_CMD_PEER_DEL:
	case SIPCODE_CMD_PEER_GET:
	case SIPCODE_CMD_PEER_FLUSH:
	case SIPCODE_CMD_PEER_STATS_GET:
		return true;
	case SIPCODE_CMD_CONFIG_REPLACE:
		return holds(p, len, SIPCODE_A_PEER, 0) ||
		       holds(p, len, SIPCODE_RULE_A_PEER, SIPCODE_A_RULE);
	case SIPCODE_CMD_RULE_ADD:
	case SIPCODE_CMD_RULE_DEL:
		return holds(p, len, SIPCODE_RULE_A_PEER, SIPCODE_A_RULE);
	default:
		return false;
	}
}

/* A command's maxattr: the highest type its policy takes. */
static unsigned int top_maxattr(uint64_t takes)
{
	return 63 - __builtin_clzll(takes);
}

static const char *cmd_name(unsigned int cmd)
{
	if (cmd < ARRAY_SIZE(cmds) && cmds[cmd].name)
		return cmds[cmd].name;
	return "?";
}

/* The types 1..max of @ns that are described. */
static uint64_t all_types(const struct nest_spec *ns)
{
	uint64_t mask = 0;
	unsigned int t;

	for (t = 1; t <= ns->max && t < 64; t++)
		if (ns->attrs[t].name)
			mask |= BIT64(t);
	return mask;
}

/* An attribute or a command the UAPI gained and the tables lack. */
static void check_tables(void)
{
	unsigned int i, t;

	for (i = 0; i < ARRAY_SIZE(all_nests); i++)
		for (t = 1; t <= all_nests[i]->max; t++)
			if (!all_nests[i]->attrs[t].name)
				fprintf(stderr,
					"nlfuzz: attribute %u of the %s nest is not described: sent as random bytes\n",
					t, all_nests[i]->name);
	for (i = 1; i < ARRAY_SIZE(cmds); i++)
		if (!cmds[i].name)
			fprintf(stderr,
				"nlfuzz: command %u is not described: predicted unsupported\n",
				i);
}

/* ---------------------------------------------------------------------
 * Pseudo-random numbers.
 */

static bool chance(unsigned int pct)
{
	return rnd_below(100) < pct;
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnd() >> 56;
}

/* ---------------------------------------------------------------------
 * The model: the configuration of the namespace.
 */

/* What a rule matches: type is SIPCODE_RULE_A_CODE, _CLASS or _LOW. */
struct match {
	uint8_t type;
	uint16_t low, high;
};

struct verdict {
	uint32_t mark, mask;
	uint8_t action;		/* enum sipcode_action; 0: no rule */
	uint8_t notify;
};

struct model {
	uint8_t ports[65536 / 8];
	struct verdict code[SIPCODE_NCODES];
	struct verdict range[SIPCODE_NCODES];	/* by the low code */
	uint16_t range_high[SIPCODE_NCODES];	/* 0: no range there */
	struct verdict class[NCLASSES + 1];
	uint8_t dry_run, by_method, reasons, relayed;
	uint32_t event_rate;
	/* The transaction table: on, and its size (kept while off). */
	uint8_t transactions;
	uint32_t txn_max;
	/* The namespace is inspected (configured): its state exists. */
	uint8_t active;
};

static bool port_has(const struct model *md, unsigned int port)
{
	return md->ports[port / 8] & (1u << (port % 8));
}

static void model_ports_set(struct model *md, const uint16_t *ports,
			    unsigned int n)
{
	memset(md->ports, 0, sizeof(md->ports));
	while (n--)
		md->ports[ports[n] / 8] |= 1u << (ports[n] % 8);
}

static struct verdict *model_slot(struct model *md, const struct match *m)
{
	switch (m->type) {
	case SIPCODE_RULE_A_CODE:
		return &md->code[m->low - SIPCODE_CODE_MIN];
	case SIPCODE_RULE_A_CLASS:
		return &md->class[m->low];
	default:
		return &md->range[m->low - SIPCODE_CODE_MIN];
	}
}

/* sipcode_rules_add(): 0, or -EEXIST. */
static int model_rule_add(struct model *md, const struct match *m,
			  const struct verdict *v)
{
	struct verdict *slot = model_slot(md, m);
	unsigned int i;

	if (m->type == SIPCODE_RULE_A_LOW) {
		for (i = 0; i < SIPCODE_NCODES; i++)
			if (md->range_high[i] &&
			    i + SIPCODE_CODE_MIN <= m->high &&
			    m->low <= md->range_high[i])
				return -EEXIST;
		md->range_high[m->low - SIPCODE_CODE_MIN] = m->high;
	} else if (slot->action) {
		return -EEXIST;
	}
	*slot = *v;
	return 0;
}

/* sipcode_rules_del(): 0, or -ENOENT. */
static int model_rule_del(struct model *md, const struct match *m)
{
	struct verdict *slot = model_slot(md, m);
	unsigned int idx = m->low - SIPCODE_CODE_MIN;

	if (!slot->action ||
	    (m->type == SIPCODE_RULE_A_LOW && md->range_high[idx] != m->high))
		return -ENOENT;
	memset(slot, 0, sizeof(*slot));
	if (m->type == SIPCODE_RULE_A_LOW)
		md->range_high[idx] = 0;
	return 0;
}

static void model_flush(struct model *md)
{
	memset(md->code, 0, sizeof(md->code));
	memset(md->range, 0, sizeof(md->range));
	memset(md->range_high, 0, sizeof(md->range_high));
	memset(md->class, 0, sizeof(md->class));
}

/* Some rule of the model, picked at random: false when there is none. */
static bool model_pick_rule(const struct model *md, struct match *m)
{
	unsigned int start = rnd_below(SIPCODE_NCODES), i, idx;

	for (i = 0; i < SIPCODE_NCODES; i++) {
		idx = (start + i) % SIPCODE_NCODES;
		if (md->code[idx].action) {
			*m = (struct match){ SIPCODE_RULE_A_CODE,
					     idx + SIPCODE_CODE_MIN,
					     idx + SIPCODE_CODE_MIN };
			if (chance(50))
				return true;
		}
		if (md->range_high[idx]) {
			*m = (struct match){ SIPCODE_RULE_A_LOW,
					     idx + SIPCODE_CODE_MIN,
					     md->range_high[idx] };
			return true;
		}
	}
	for (i = 1; i <= NCLASSES; i++) {
		if (md->class[i].action) {
			*m = (struct match){ SIPCODE_RULE_A_CLASS, i, i };
			return true;
		}
	}
	return false;
}

static void verdict_str(const struct verdict *v, char *buf, size_t size)
{
	static const char *const actions[] = { "none", "count", "drop", "mark" };

	snprintf(buf, size, "%s", v->action < ARRAY_SIZE(actions) ?
		 actions[v->action] : "?");
	if (v->action == SIPCODE_ACTION_MARK || v->mark || v->mask)
		snprintf(buf + strlen(buf), size - strlen(buf),
			 " 0x%x/0x%x", v->mark, v->mask);
	if (v->notify)
		snprintf(buf + strlen(buf), size - strlen(buf), " notify");
}

static bool verdict_eq(const struct verdict *a, const struct verdict *b)
{
	return a->action == b->action && a->notify == b->notify &&
	       a->mark == b->mark && a->mask == b->mask;
}

/* The parts of the model a read tells (P_TXN: TXN_GET's, in P_CONFIG). */
enum {
	P_PORTS = 1, P_RULES = 2, P_CONFIG = 4, P_ACTIVE = 8, P_ALL = 15,
	P_TXN = 16,
};

/* Counts, and prints (@print) what differs between the model and a read. */
static unsigned int model_diff(const char *what, const struct model *want,
			       const struct model *got, unsigned int parts,
			       bool print)
{
	unsigned int n = 0, i;
	char a[64], b[64];

#define DIFF(...) do {							\
		if (print && n < 20)					\
			fprintf(stderr, "nlfuzz: %s: " __VA_ARGS__);	\
		n++;							\
	} while (0)

	for (i = 0; i < 65536 && parts & P_PORTS; i++)
		if (port_has(want, i) != port_has(got, i))
			DIFF("port %u: %s in the model, %s in the kernel\n",
			     what, i, port_has(want, i) ? "set" : "not set",
			     port_has(got, i) ? "set" : "not set");
	for (i = 0; i < SIPCODE_NCODES && parts & P_RULES; i++) {
		if (!verdict_eq(&want->code[i], &got->code[i])) {
			verdict_str(&want->code[i], a, sizeof(a));
			verdict_str(&got->code[i], b, sizeof(b));
			DIFF("code rule %u: model %s, kernel %s\n", what,
			     i + SIPCODE_CODE_MIN, a, b);
		}
		if (!verdict_eq(&want->range[i], &got->range[i]) ||
		    want->range_high[i] != got->range_high[i]) {
			verdict_str(&want->range[i], a, sizeof(a));
			verdict_str(&got->range[i], b, sizeof(b));
			DIFF("range rule %u-: model -%u %s, kernel -%u %s\n",
			     what, i + SIPCODE_CODE_MIN, want->range_high[i], a,
			     got->range_high[i], b);
		}
	}
	for (i = 1; i <= NCLASSES && parts & P_RULES; i++) {
		if (!verdict_eq(&want->class[i], &got->class[i])) {
			verdict_str(&want->class[i], a, sizeof(a));
			verdict_str(&got->class[i], b, sizeof(b));
			DIFF("class rule %ux: model %s, kernel %s\n", what, i,
			     a, b);
		}
	}
	if (!(parts & P_CONFIG))
		goto txn;
	if (want->dry_run != got->dry_run)
		DIFF("dry-run: model %u, kernel %u\n", what, want->dry_run,
		     got->dry_run);
	if (want->by_method != got->by_method)
		DIFF("by-method: model %u, kernel %u\n", what, want->by_method,
		     got->by_method);
	if (want->reasons != got->reasons)
		DIFF("reasons: model %u, kernel %u\n", what, want->reasons,
		     got->reasons);
	if (want->event_rate != got->event_rate)
		DIFF("event rate: model %u, kernel %u\n", what,
		     want->event_rate, got->event_rate);
	if (want->relayed != got->relayed)
		DIFF("relayed: model %u, kernel %u\n", what, want->relayed,
		     got->relayed);
txn:
	if (!(parts & (P_CONFIG | P_TXN)))
		goto active;
	if (want->transactions != got->transactions)
		DIFF("transactions: model %u, kernel %u\n", what,
		     want->transactions, got->transactions);
	if (want->txn_max != got->txn_max)
		DIFF("transactions-max: model %u, kernel %u\n", what,
		     want->txn_max, got->txn_max);
active:
	if (parts & P_ACTIVE && want->active != got->active)
		DIFF("inspected: model %u, kernel %u\n", what, want->active,
		     got->active);
#undef DIFF
	if (print && n > 20)
		fprintf(stderr, "nlfuzz: %s: %u more differences\n", what,
			n - 20);
	return n;
}

/* ---------------------------------------------------------------------
 * Writing messages and attributes.
 */

struct msg {
	uint8_t b[MSG_MAX];
	size_t len;			/* bytes to send */
	size_t start;			/* of the message being written */
	size_t nla[MAX_NLA];		/* its attribute headers */
	unsigned int nnla;
	size_t open[MAX_DEPTH + 4];	/* its open nests; SIZE_MAX: no room */
	unsigned int depth;
};

static uint16_t fam_id;
static uint32_t next_seq = SEQ_BASE;

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void set16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void set32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* An integer of @len bytes in host order (x86: the low bytes first). */
static uint64_t get_uint(const uint8_t *p, unsigned int len)
{
	uint64_t v = 0;

	memcpy(&v, p, min_size(len, sizeof(v)));
	return v;
}

static bool room(const struct msg *m, size_t n)
{
	return m->len + n <= MSG_MAX;
}

/* Starts a message at the end of the send, aligned. */
static bool msg_begin(struct msg *m, uint16_t type, uint16_t flags,
		      uint8_t cmd, uint8_t version)
{
	struct nlmsghdr h = {
		.nlmsg_type = type,
		.nlmsg_flags = flags,
		.nlmsg_seq = next_seq++,
	};
	struct genlmsghdr g = { .cmd = cmd, .version = version };
	size_t at = NLMSG_ALIGN(m->len);

	if (at + NLMSG_HDRLEN + GENL_HDRLEN > MSG_MAX)
		return false;
	memset(m->b + m->len, 0, at - m->len);
	m->len = at;
	m->start = at;
	m->nnla = 0;
	m->depth = 0;
	memcpy(m->b + at, &h, sizeof(h));
	memcpy(m->b + at + NLMSG_HDRLEN, &g, sizeof(g));
	m->len += NLMSG_HDRLEN + GENL_HDRLEN;
	return true;
}

static void nest_end(struct msg *m)
{
	size_t off;

	if (!m->depth)
		return;
	off = m->open[--m->depth];
	if (off != SIZE_MAX)
		set16(m->b + off, m->len - off);
}

static void msg_end(struct msg *m)
{
	while (m->depth)
		nest_end(m);
	set32(m->b + m->start, m->len - m->start);
}

/* An attribute whose header says @nla_len, with @n bytes of data. */
static void put_raw(struct msg *m, uint16_t nla_len, uint16_t type,
		    const void *data, size_t n)
{
	size_t tot = NLA_ALIGN(NLA_HDRLEN + n);

	if (!room(m, tot))
		return;
	if (m->nnla < MAX_NLA)
		m->nla[m->nnla++] = m->len;
	set16(m->b + m->len, nla_len);
	set16(m->b + m->len + 2, type);
	memcpy(m->b + m->len + NLA_HDRLEN, data, n);
	memset(m->b + m->len + NLA_HDRLEN + n, 0, tot - NLA_HDRLEN - n);
	m->len += tot;
}

static void put(struct msg *m, uint16_t type, const void *data, size_t n)
{
	put_raw(m, NLA_HDRLEN + n, type, data, n);
}

/* @v on @n bytes, random bytes past the eighth. */
static void put_uint(struct msg *m, uint16_t type, uint64_t v, size_t n)
{
	uint8_t buf[64];

	n = min_size(n, sizeof(buf));
	memcpy(buf, &v, min_size(n, sizeof(v)));
	if (n > sizeof(v))
		rnd_bytes(buf + sizeof(v), n - sizeof(v));
	put(m, type, buf, n);
}

static void nest_begin(struct msg *m, uint16_t type)
{
	size_t off = SIZE_MAX;

	if (m->depth == ARRAY_SIZE(m->open))
		return;
	if (room(m, NLA_HDRLEN)) {
		off = m->len;
		if (m->nnla < MAX_NLA)
			m->nla[m->nnla++] = off;
		set16(m->b + off, NLA_HDRLEN);
		set16(m->b + off + 2, type);
		m->len += NLA_HDRLEN;
	}
	m->open[m->depth++] = off;
}

/* ---------------------------------------------------------------------
 * Generators.
 */

enum gen { G_VALID, G_MUTATED, G_DEFECT, G_RANDOM, G_EDGE, G_BATCH, G_N };

static const char *const gen_names[G_N] = {
	"valid", "mutated", "defect", "random", "edge", "batch",
};

static bool readonly;

/* A command for a well-formed request, by the weights of the table. */
static unsigned int pick_cmd(void)
{
	unsigned int total = 0, i, r;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!readonly || cmds[i].flags & C_READ)
			total += cmds[i].weight;
	r = rnd_below(total);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (readonly && !(cmds[i].flags & C_READ))
			continue;
		if (r < cmds[i].weight)
			return i;
		r -= cmds[i].weight;
	}
	return SIPCODE_CMD_PORTS_GET;
}

/* A value for @a: on a bound, just off one, zero, all ones, or any. */
static uint64_t pick_value(const struct attr_spec *a, unsigned int len)
{
	uint64_t lo = a ? a->lo : 0, hi = a ? a->hi : UINT64_MAX;
	uint64_t all = len >= 8 ? UINT64_MAX : (1ULL << (8 * len)) - 1;

	switch (rnd_below(10)) {
	case 0:
		return lo;
	case 1:
		return hi;
	case 2:
		return lo - 1;
	case 3:
		return hi + 1;
	case 4:
		return 0;
	case 5:
		return all;
	case 6:
		return rnd();
	default:
		if (hi - lo == UINT64_MAX)
			return rnd();
		if (hi - lo < UINT32_MAX)
			return lo + rnd_below(hi - lo + 1);
		return lo + rnd() % (hi - lo + 1);
	}
}

/* A length for a @kind: mostly right, else 0, 1, 2, 3, 4, 8 or odd. */
static size_t pick_len(enum kind kind, const struct attr_spec *a)
{
	static const size_t wrong[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 33 };

	if (kind == K_BIN && a && chance(85))
		return a->lo + rnd_below(a->hi - a->lo + 1);
	if (kind == K_FLAG && chance(85))
		return 0;
	if (kind_len[kind] && chance(80))
		return kind_len[kind];
	return wrong[rnd_below(ARRAY_SIZE(wrong))];
}

/* A random attribute of @ns: any type, kind, length or nesting. */
static void gen_attr(struct msg *m, const struct nest_spec *ns,
		     unsigned int depth)
{
	const struct attr_spec *a = NULL;
	unsigned int type, n;
	enum kind kind;
	size_t len;

	switch (rnd_below(10)) {
	case 0:
		type = ns->max + 1 + rnd_below(3);
		break;
	case 1:
		type = rnd() & NLA_TYPE_MASK;
		break;
	default:
		type = rnd_below(ns->max + 1);
		break;
	}
	if (type <= ns->max && ns->attrs[type].name)
		a = &ns->attrs[type];
	kind = a ? a->kind : 1 + rnd_below(K_N - 1);
	if (kind == K_NEST && depth < MAX_DEPTH) {
		const struct nest_spec *in = a ? a->nest :
			all_nests[rnd_below(ARRAY_SIZE(all_nests))];

		nest_begin(m, type | (chance(90) ? NLA_F_NESTED : 0));
		n = chance(10) ? 0 : 1 + rnd_below(chance(20) ? 1 : 5);
		while (n--)
			gen_attr(m, in, depth + 1);
		if (chance(5)) {
			/* Less than an attribute header left in the nest. */
			uint8_t junk[3];

			n = 1 + rnd_below(3);
			rnd_bytes(junk, n);
			if (room(m, n)) {
				memcpy(m->b + m->len, junk, n);
				m->len += n;
			}
		}
		nest_end(m);
		if (m->len % NLA_ALIGNTO && room(m, 3)) {
			n = NLA_ALIGN(m->len) - m->len;
			memset(m->b + m->len, 0, n);
			m->len += n;
		}
		return;
	}
	if (chance(6))
		type |= NLA_F_NESTED;
	if (chance(3))
		type |= NLA_F_NET_BYTEORDER;
	len = pick_len(kind, a);
	if (kind == K_BIN || kind == K_NONE || kind == K_NEST) {
		uint8_t buf[64];

		len = min_size(len, sizeof(buf));
		rnd_bytes(buf, len);
		put(m, type, buf, len);
	} else {
		put_uint(m, type, pick_value(a, len), len);
	}
}

/* Random: any command, flags, version, attributes. */
static void gen_random(struct msg *m)
{
	static const uint16_t flag_sets[] = {
		NLM_F_REQUEST, NLM_F_REQUEST | NLM_F_ACK,
		NLM_F_REQUEST | NLM_F_DUMP, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
		NLM_F_REQUEST | NLM_F_ROOT, NLM_F_REQUEST | NLM_F_MATCH,
		NLM_F_REQUEST | NLM_F_ECHO, NLM_F_REQUEST | NLM_F_ATOMIC,
		NLM_F_REQUEST | NLM_F_MULTI, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO | NLM_F_DUMP,
		0, NLM_F_ACK, NLM_F_DUMP,
	};
	uint16_t flags = flag_sets[rnd_below(ARRAY_SIZE(flag_sets))];
	unsigned int cmd, n;

	if (chance(5))
		flags = rnd();
	switch (rnd_below(10)) {
	case 0:
		cmd = SIPCODE_CMD_MAX + 1 + rnd_below(3);
		break;
	case 1:
		cmd = rnd_below(256);
		break;
	default:
		cmd = rnd_below(SIPCODE_CMD_MAX + 1);
		break;
	}
	if (!msg_begin(m, fam_id, flags, cmd,
		       chance(80) ? SIPCODE_GENL_VERSION : rnd_below(256)))
		return;
	if (chance(3))
		set16(m->b + m->start + NLMSG_HDRLEN + 2, rnd());
	n = rnd_below(7);
	while (n--)
		gen_attr(m, &top_nest, 0);
	msg_end(m);
}

/*
 * Rules added in bulk (gen_send()): spread over every code, and mostly of
 * the largest kind (a mark, its mask, notify), for dumps of many rules.
 */
static bool bulk;

/* A match: a code, a range or a class, often of a few codes only. */
static void rnd_match(struct match *m)
{
	unsigned int r = rnd_below(10);

	if (r < (bulk ? 8 : 5)) {
		m->type = SIPCODE_RULE_A_CODE;
		m->low = chance(bulk ? 0 : 60) ? 480 + rnd_below(20) :
			 SIPCODE_CODE_MIN + rnd_below(SIPCODE_NCODES);
		m->high = m->low;
	} else if (r < 9 || (!bulk && r < 8)) {
		m->type = SIPCODE_RULE_A_LOW;
		m->low = SIPCODE_CODE_MIN + rnd_below(SIPCODE_NCODES);
		m->high = m->low + (chance(90) || bulk ? rnd_below(bulk ? 3 : 10) :
				    rnd_below(600));
		if (m->high > SIPCODE_CODE_MAX)
			m->high = SIPCODE_CODE_MAX;
	} else {
		m->type = SIPCODE_RULE_A_CLASS;
		m->low = 1 + rnd_below(NCLASSES);
		m->high = m->low;
	}
}

static void rnd_verdict(struct verdict *v, bool *mask_given)
{
	static const uint32_t masks[] = {
		0xff, 0xff00, 0xffff0000, 0x1, 0x80000000, 0xffffffff,
	};

	memset(v, 0, sizeof(*v));
	v->action = bulk && chance(80) ? SIPCODE_ACTION_MARK :
		    SIPCODE_ACTION_COUNT + rnd_below(SIPCODE_ACTION_MAX);
	v->notify = chance(bulk ? 80 : 20);
	*mask_given = false;
	if (v->action != SIPCODE_ACTION_MARK)
		return;
	v->mask = UINT32_MAX;
	if (chance(bulk ? 90 : 50)) {
		*mask_given = true;
		v->mask = chance(50) ? masks[rnd_below(ARRAY_SIZE(masks))] :
			  (uint32_t)rnd() | 1u << rnd_below(32);
	}
	v->mark = rnd() & v->mask;
}

/*
 * The attributes of a rule matching @mt in random order, inside
 * SIPCODE_A_RULE; with a random verdict (@add).
 */
static void put_rule_of(struct msg *m, const struct match *pmt, bool add)
{
	struct item { uint16_t type; uint32_t v; uint8_t len; } items[8], tmp;
	const struct match mt = *pmt;
	unsigned int n = 0, i, j;
	struct verdict v;
	bool mask_given;

	if (mt.type == SIPCODE_RULE_A_CODE) {
		items[n++] = (struct item){ SIPCODE_RULE_A_CODE, mt.low, 4 };
	} else if (mt.type == SIPCODE_RULE_A_CLASS) {
		items[n++] = (struct item){ SIPCODE_RULE_A_CLASS, mt.low, 4 };
	} else {
		items[n++] = (struct item){ SIPCODE_RULE_A_LOW, mt.low, 4 };
		items[n++] = (struct item){ SIPCODE_RULE_A_HIGH, mt.high, 4 };
	}
	if (add) {
		rnd_verdict(&v, &mask_given);
		items[n++] = (struct item){ SIPCODE_RULE_A_ACTION, v.action, 4 };
		if (v.action == SIPCODE_ACTION_MARK)
			items[n++] = (struct item){ SIPCODE_RULE_A_MARK,
						    v.mark, 4 };
		if (mask_given)
			items[n++] = (struct item){ SIPCODE_RULE_A_MASK,
						    v.mask, 4 };
		if (v.notify)
			items[n++] = (struct item){ SIPCODE_RULE_A_NOTIFY, 0, 0 };
	}
	for (i = n - 1; i > 0; i--) {
		j = rnd_below(i + 1);
		tmp = items[i];
		items[i] = items[j];
		items[j] = tmp;
	}
	nest_begin(m, SIPCODE_A_RULE | NLA_F_NESTED);
	for (i = 0; i < n; i++)
		put_uint(m, items[i].type, items[i].v, items[i].len);
	nest_end(m);
}

/* A rule to add (random), or to delete (often one of the model's). */
static void put_rule(struct msg *m, const struct model *md, bool add)
{
	struct match mt;

	if (add || !chance(70) || !model_pick_rule(md, &mt))
		rnd_match(&mt);
	put_rule_of(m, &mt, add);
}

/* 1 to SIPCODE_PORTS_MAX ports, often the same few. */
static void put_ports(struct msg *m)
{
	static const uint16_t pool[] = { 5060, 5061, 5062, 5080, 1, 65535 };
	unsigned int n = chance(60) ? 1 + rnd_below(4) :
			 1 + rnd_below(SIPCODE_PORTS_MAX);

	nest_begin(m, SIPCODE_A_PORTS | NLA_F_NESTED);
	while (n--) {
		uint32_t port = chance(50) ? pool[rnd_below(ARRAY_SIZE(pool))] :
				1 + rnd_below(65535);

		put(m, SIPCODE_PORT_A_PORT, &port, sizeof(port));
	}
	nest_end(m);
}

/*
 * A transactions-max: mostly small (64 to 4096: a namespace of the
 * fuzzer holds some 100 KiB of table, not 25 MiB), now and then the
 * least or the largest, or just off the range (-ERANGE).
 */
static uint32_t pick_txn_max(void)
{
	static const uint32_t off[] = {
		0, SIPCODE_TXN_MAX_MIN - 1, SIPCODE_TXN_MAX_MAX + 1, UINT32_MAX,
	};
	unsigned int r = rnd_below(100);

	if (r < 4)
		return off[rnd_below(ARRAY_SIZE(off))];
	if (r < 7)
		return SIPCODE_TXN_MAX_MAX;
	if (r < 12)
		return SIPCODE_TXN_MAX_MIN;
	return SIPCODE_TXN_MAX_MIN + rnd_below(4096 - SIPCODE_TXN_MAX_MIN + 1);
}

/*
 * Some of the settings; the insight tables and the transaction table
 * are switched less often.
 */
static void put_config(struct msg *m)
{
	bool any = false;
	uint32_t rate;

	while (!any) {
		if (chance(40)) {
			put_uint(m, SIPCODE_A_DRY_RUN, rnd_below(2), 4);
			any = true;
		}
		if (chance(10)) {
			put_uint(m, SIPCODE_A_BY_METHOD, rnd_below(2), 4);
			any = true;
		}
		if (chance(10)) {
			put_uint(m, SIPCODE_A_REASONS, rnd_below(2), 4);
			any = true;
		}
		if (chance(40)) {
			rate = chance(50) ? SIPCODE_EVENT_RATE_MIN +
				rnd_below(SIPCODE_EVENT_RATE_MAX) :
				(chance(50) ? SIPCODE_EVENT_RATE_MIN :
				 SIPCODE_EVENT_RATE_MAX);
			if (rate > SIPCODE_EVENT_RATE_MAX)
				rate = SIPCODE_EVENT_RATE_MAX;
			put_uint(m, SIPCODE_A_EVENT_RATE, rate, 4);
			any = true;
		}
		if (chance(10)) {
			/* On more often than off: TXN_GET has a table to read. */
			put_uint(m, SIPCODE_A_TRANSACTIONS, chance(70), 4);
			any = true;
		}
		if (chance(10)) {
			put_uint(m, SIPCODE_A_TXN_MAX, pick_txn_max(), 4);
			any = true;
		}
		if (chance(10)) {
			put_uint(m, SIPCODE_A_RELAYED, rnd_below(2), 4);
			any = true;
		}
	}
}

/* A port set of none, or of one too many: -EINVAL. */
static void put_bad_ports(struct msg *m)
{
	unsigned int n = chance(50) ? 0 : SIPCODE_PORTS_MAX + 1;
	uint32_t port;

	nest_begin(m, SIPCODE_A_PORTS | NLA_F_NESTED);
	while (n--) {
		port = 1 + rnd_below(65535);
		put(m, SIPCODE_PORT_A_PORT, &port, sizeof(port));
	}
	nest_end(m);
}

/*
 * A whole configuration: the ports (rarely missing, empty or too many),
 * some of the settings (the others take their defaults), a few rules
 * (sometimes none, sometimes many), in any order; now and then a rule's
 * match given twice or a range overlapping the one before it, which
 * refuses the whole request.
 */
static void put_replace(struct msg *m)
{
	unsigned int n = chance(10) ? 0 : chance(85) ? 1 + rnd_below(5) :
			 6 + rnd_below(30), i, ports_at, config_at;
	struct match mt, prev = { 0 };
	size_t rule_at = 0, rule_len = 0;

	ports_at = chance(3) ? n + 1 : rnd_below(n + 1);
	config_at = rnd_below(n + 1);
	for (i = 0; i <= n && room(m, 64); i++) {
		if (i == ports_at) {
			if (chance(4))
				put_bad_ports(m);
			else
				put_ports(m);
		}
		if (i == config_at) {
			if (chance(50))
				put_uint(m, SIPCODE_A_DRY_RUN, rnd_below(2), 4);
			if (chance(25))
				put_uint(m, SIPCODE_A_BY_METHOD, rnd_below(2), 4);
			if (chance(25))
				put_uint(m, SIPCODE_A_REASONS, rnd_below(2), 4);
			if (chance(50))
				put_uint(m, SIPCODE_A_EVENT_RATE,
					 SIPCODE_EVENT_RATE_MIN +
					 rnd_below(SIPCODE_EVENT_RATE_MAX -
						   SIPCODE_EVENT_RATE_MIN + 1),
					 4);
			if (chance(25))
				put_uint(m, SIPCODE_A_TRANSACTIONS,
					 chance(70), 4);
			if (chance(25))
				put_uint(m, SIPCODE_A_TXN_MAX,
					 pick_txn_max(), 4);
			if (chance(25))
				put_uint(m, SIPCODE_A_RELAYED, rnd_below(2), 4);
		}
		if (i == n)
			break;
		if (rule_len && chance(8)) {
			/* The rule before, byte for byte: -EEXIST. */
			if (room(m, rule_len)) {
				memmove(m->b + m->len, m->b + rule_at, rule_len);
				m->len += rule_len;
			}
			continue;
		}
		rnd_match(&mt);
		if (prev.type == SIPCODE_RULE_A_LOW && chance(10)) {
			/* A range overlapping the one before: -EEXIST. */
			mt.type = SIPCODE_RULE_A_LOW;
			mt.low = prev.low + rnd_below(prev.high - prev.low + 1);
			mt.high = mt.low + rnd_below(SIPCODE_CODE_MAX - mt.low + 1);
		}
		rule_at = m->len;
		put_rule_of(m, &mt, true);
		rule_len = m->len - rule_at;
		prev = mt;
	}
}

/* A well-formed request for @cmd. */
static void gen_valid(struct msg *m, const struct model *md, unsigned int cmd)
{
	const struct cmd_spec *c = &cmds[cmd];
	uint16_t flags = NLM_F_REQUEST;

	if (c->flags & C_DUMP && (!(c->flags & C_DO) || chance(50)))
		flags |= NLM_F_DUMP;
	if (chance(60))
		flags |= NLM_F_ACK;
	if (chance(3))
		flags |= NLM_F_ECHO;
	if (!msg_begin(m, fam_id, flags, cmd,
		       chance(95) ? SIPCODE_GENL_VERSION : rnd_below(256)))
		return;
	switch (cmd) {
	case SIPCODE_CMD_PORTS_SET:
		put_ports(m);
		break;
	case SIPCODE_CMD_RULE_ADD:
	case SIPCODE_CMD_RULE_DEL:
		put_rule(m, md, cmd == SIPCODE_CMD_RULE_ADD);
		if (chance(3))	/* Two rules: the last one counts. */
			put_rule(m, md, cmd == SIPCODE_CMD_RULE_ADD);
		break;
	case SIPCODE_CMD_CONFIG_SET:
		put_config(m);
		break;
	case SIPCODE_CMD_CONFIG_REPLACE:
		put_replace(m);
		break;
	}
	msg_end(m);
}

/* ---------------------------------------------------------------------
 * The mutator: changes to the message being written (m->start on).
 */

/* The attribute headers in [m->start, m->len) that are still whole. */
static bool pick_nla(const struct msg *m, size_t *off)
{
	unsigned int i, start;

	if (!m->nnla)
		return false;
	start = rnd_below(m->nnla);
	for (i = 0; i < m->nnla; i++) {
		*off = m->nla[(start + i) % m->nnla];
		if (*off >= m->start && *off + NLA_HDRLEN <= m->len)
			return true;
	}
	return false;
}

/*
 * Inserts (@delta > 0) or deletes (@delta < 0) bytes at @at, and keeps the
 * lengths of the message and of the nests around @at right. @end_of, when
 * not SIZE_MAX, is the attribute that ends at @at: bytes added after it
 * land in the nests it is in.
 */
static bool shift(struct msg *m, size_t at, long delta, size_t end_of)
{
	size_t o, l, first = end_of == SIZE_MAX ? at : end_of;
	unsigned int i, j;

	if (delta > 0 && !room(m, delta))
		return false;
	if (delta < 0 && at - delta > m->len)
		return false;
	for (i = 0; i < m->nnla; i++) {
		o = m->nla[i];
		if (o < m->start || o >= first || o + NLA_HDRLEN > m->len)
			continue;
		l = get16(m->b + o);
		if (at < o + l || (end_of != SIZE_MAX && at == o + l))
			set16(m->b + o, l + delta);
	}
	if (delta > 0)
		memmove(m->b + at + delta, m->b + at, m->len - at);
	else
		memmove(m->b + at, m->b + at - delta, m->len - at + delta);
	m->len += delta;
	for (i = j = 0; i < m->nnla; i++) {
		o = m->nla[i];
		if (delta < 0 && o >= at && o < at - delta)
			continue;
		m->nla[j++] = o >= at ? o + delta : o;
	}
	m->nnla = j;
	set32(m->b + m->start, get32(m->b + m->start) + delta);
	return true;
}

enum mutation {
	M_FLIP, M_BYTE, M_NLA_LEN, M_NLA_TYPE, M_VALUE, M_DUP, M_DROP,
	M_TRUNC, M_TRAIL, M_WRAP, M_HDR, M_N
};

/* The structured mutations, whose message the parser reads deeper. */
#define M_STRUCTURED_FIRST M_NLA_LEN

static void mutate(struct msg *m, enum mutation what)
{
	static const uint8_t bytes[] = { 0, 1, 2, 3, 4, 0x7f, 0x80, 0xfe, 0xff };
	size_t len = m->len - m->start, off, l, i;
	uint8_t buf[MSG_MAX];
	unsigned int n;

	if (len <= NLMSG_HDRLEN)
		what = M_HDR;
	switch (what) {
	case M_FLIP:
		off = m->start + NLMSG_HDRLEN + rnd_below(len - NLMSG_HDRLEN);
		m->b[off] ^= 1u << rnd_below(8);
		return;
	case M_BYTE:
		off = m->start + NLMSG_HDRLEN + rnd_below(len - NLMSG_HDRLEN);
		m->b[off] = chance(70) ? bytes[rnd_below(ARRAY_SIZE(bytes))] :
			    rnd();
		return;
	case M_NLA_LEN:
		if (!pick_nla(m, &off))
			break;
		l = get16(m->b + off);
		switch (rnd_below(8)) {
		case 0:
			l = rnd_below(NLA_HDRLEN);
			break;
		case 1:
			l = NLA_HDRLEN;
			break;
		case 2:
			l = l - 1 - rnd_below(3);
			break;
		case 3:
			l = l + 1 + rnd_below(4);
			break;
		case 4:
			l = m->len - off + NLA_ALIGNTO * (1 + rnd_below(4));
			break;
		case 5:
			l = 0xffff;
			break;
		default:
			l = rnd_below(m->len - off + 8);
			break;
		}
		set16(m->b + off, l);
		return;
	case M_NLA_TYPE:
		if (!pick_nla(m, &off))
			break;
		l = get16(m->b + off + 2);
		switch (rnd_below(5)) {
		case 0:
			l ^= NLA_F_NESTED;
			break;
		case 1:
			l ^= NLA_F_NET_BYTEORDER;
			break;
		case 2:
			l = (l & NLA_TYPE_BITS) | rnd_below(SIPCODE_A_MAX + 3);
			break;
		case 3:
			l = (l & NLA_TYPE_BITS) | 0;
			break;
		default:
			l = rnd();
			break;
		}
		set16(m->b + off + 2, l);
		return;
	case M_VALUE:
		if (!pick_nla(m, &off))
			break;
		l = get16(m->b + off);
		if (l <= NLA_HDRLEN || off + l > m->len)
			break;
		l -= NLA_HDRLEN;
		switch (rnd_below(4)) {
		case 0:
			memset(m->b + off + NLA_HDRLEN, 0, l);
			break;
		case 1:
			memset(m->b + off + NLA_HDRLEN, 0xff, l);
			break;
		default: {
			uint64_t v = get_uint(m->b + off + NLA_HDRLEN, l);

			v += chance(50) ? 1 : -1;
			memcpy(m->b + off + NLA_HDRLEN, &v, min_size(l, sizeof(v)));
			break;
		}
		}
		return;
	case M_DUP:
		if (!pick_nla(m, &off))
			break;
		l = NLA_ALIGN(get16(m->b + off));
		if (l < NLA_HDRLEN || off + l > m->len)
			break;
		memcpy(buf, m->b + off, l);
		if (l > NLA_HDRLEN && chance(50))
			buf[NLA_HDRLEN + rnd_below(l - NLA_HDRLEN)] ^= 1;
		if (shift(m, off + l, l, off))
			memcpy(m->b + off + l, buf, l);
		return;
	case M_DROP:
		if (!pick_nla(m, &off))
			break;
		l = NLA_ALIGN(get16(m->b + off));
		if (l < NLA_HDRLEN || off + l > m->len)
			break;
		shift(m, off, -(long)l, SIZE_MAX);
		return;
	case M_TRUNC:
		l = NLMSG_HDRLEN + rnd_below(len - NLMSG_HDRLEN);
		m->len = m->start + l;
		if (chance(70))
			set32(m->b + m->start, l);
		return;
	case M_TRAIL:
		n = 1 + rnd_below(7);
		if (!room(m, n))
			break;
		rnd_bytes(m->b + m->len, n);
		m->len += n;
		if (chance(80))
			set32(m->b + m->start, m->len - m->start);
		return;
	case M_WRAP:
		if (!pick_nla(m, &off))
			break;
		n = 1 + rnd_below(MAX_DEPTH);
		l = NLA_ALIGN(get16(m->b + off));
		if (l < NLA_HDRLEN || off + l > m->len ||
		    !shift(m, off, NLA_HDRLEN * n, SIZE_MAX))
			break;
		for (i = 0; i < n; i++) {
			set16(m->b + off + i * NLA_HDRLEN,
			      (n - i) * NLA_HDRLEN + l);
			set16(m->b + off + i * NLA_HDRLEN + 2,
			      (chance(90) ? NLA_F_NESTED : 0) |
			      (chance(50) ? SIPCODE_A_RULE :
			       rnd_below(SIPCODE_A_MAX + 2)));
		}
		return;
	default:
		break;
	}
	/* M_HDR, and what could not be done otherwise. */
	switch (rnd_below(7)) {
	case 0: {
		static const uint32_t lens[] = { 0, 8, 15, 16, 17, 19, 20, 21 };

		l = chance(50) ? lens[rnd_below(ARRAY_SIZE(lens))] :
		    chance(50) ? len + 1 + rnd_below(8) :
		    chance(50) ? len - 1 - rnd_below(3) : 0xffffffff;
		set32(m->b + m->start, l);
		break;
	}
	case 1:
		set16(m->b + m->start + 6, get16(m->b + m->start + 6) ^
		      1u << rnd_below(16));
		break;
	case 2:
		if (len > NLMSG_HDRLEN)
			m->b[m->start + NLMSG_HDRLEN] = rnd_below(10) ?
				rnd_below(SIPCODE_CMD_MAX + 3) : rnd();
		break;
	case 3:
		if (len > NLMSG_HDRLEN + 1)
			m->b[m->start + NLMSG_HDRLEN + 1] = rnd();
		break;
	case 4:
		if (len > NLMSG_HDRLEN + 3)
			m->b[m->start + NLMSG_HDRLEN + 2 + rnd_below(2)] =
				1 + rnd_below(255);
		break;
	case 5: {
		/* No family has an id past GENL_MAX_ID; below 16: control. */
		static const uint16_t types[] = {
			NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN,
			GENL_MAX_ID + 1, 0xffff,
		};

		set16(m->b + m->start + 4, types[rnd_below(ARRAY_SIZE(types))]);
		break;
	}
	default:
		set16(m->b + m->start + 6, rnd());
		break;
	}
}

/* Edge cases of the message as a whole. */
static void gen_edge(struct msg *m, const struct model *md)
{
	unsigned int cmd = rnd_below(SIPCODE_CMD_MAX + 2), n, i;
	uint16_t flags = NLM_F_REQUEST | (chance(70) ? NLM_F_ACK : 0);

	switch (rnd_below(9)) {
	case 0:
		/* Less than a header: the kernel reads nothing of it. */
		n = rnd_below(NLMSG_HDRLEN);
		if (room(m, n)) {
			rnd_bytes(m->b + m->len, n);
			m->len += n;
		}
		return;
	case 1:
		/* A header and 0 to 3 bytes of the genetlink one. */
		if (!msg_begin(m, fam_id, flags, cmd, SIPCODE_GENL_VERSION))
			return;
		m->len = m->start + NLMSG_HDRLEN + rnd_below(GENL_HDRLEN);
		set32(m->b + m->start, m->len - m->start);
		return;
	case 2:
		/* The genetlink header alone, any flags. */
		if (cmds[cmd].flags & C_DUMP && chance(70))
			flags |= NLM_F_DUMP;
		if (chance(30))
			flags = rnd();
		if (msg_begin(m, fam_id, flags, cmd, SIPCODE_GENL_VERSION))
			msg_end(m);
		return;
	case 3:
		/* A length past the end, or below a header. */
		gen_valid(m, md, pick_cmd());
		set32(m->b + m->start, chance(50) ? m->len - m->start +
		      1 + rnd_below(64) : rnd_below(NLMSG_HDRLEN));
		return;
	case 4:
		/* Deep nesting: a chain of nests in a rule. */
		if (!msg_begin(m, fam_id, flags, chance(50) ?
			       SIPCODE_CMD_RULE_ADD : SIPCODE_CMD_RULE_DEL,
			       SIPCODE_GENL_VERSION))
			return;
		n = 1 + rnd_below(2 * MAX_DEPTH);
		for (i = 0; i < n; i++)
			nest_begin(m, (chance(90) ? NLA_F_NESTED : 0) |
				   (chance(70) ? SIPCODE_A_RULE :
				    rnd_below(SIPCODE_RULE_A_MAX + 2)));
		put_uint(m, SIPCODE_RULE_A_CODE, 486, 4);
		msg_end(m);
		return;
	case 5:
		/* As many attributes as fit: too many ports, one setting. */
		if (!msg_begin(m, fam_id, flags, chance(50) ?
			       SIPCODE_CMD_PORTS_SET : SIPCODE_CMD_CONFIG_SET,
			       SIPCODE_GENL_VERSION))
			return;
		if (m->b[m->start + NLMSG_HDRLEN] == SIPCODE_CMD_PORTS_SET)
			nest_begin(m, SIPCODE_A_PORTS | NLA_F_NESTED);
		n = chance(50) ? SIPCODE_PORTS_MAX + rnd_below(3) :
		    rnd_below(MSG_MAX / 8);
		for (i = 0; i < n && room(m, 8); i++) {
			if (m->depth)
				put_uint(m, SIPCODE_PORT_A_PORT,
					 1 + rnd_below(65535), 4);
			else
				put_uint(m, SIPCODE_A_DRY_RUN, rnd_below(2), 4);
		}
		msg_end(m);
		return;
	case 6:
		/* Not a request, or a control message. */
		if (!msg_begin(m, chance(50) ? fam_id : rnd_below(NLMSG_MIN_TYPE),
			       chance(50) ? NLM_F_ACK : rnd() & ~NLM_F_REQUEST,
			       cmd, SIPCODE_GENL_VERSION))
			return;
		if (chance(50))
			put_rule(m, md, true);
		msg_end(m);
		return;
	case 7:
		/* An unknown family. */
		gen_valid(m, md, pick_cmd());
		set16(m->b + m->start + 4, GENL_MAX_ID + 1 + rnd_below(1000));
		return;
	default:
		/* Bytes at random behind a header of ours. */
		if (!msg_begin(m, fam_id, flags, cmd, SIPCODE_GENL_VERSION))
			return;
		n = rnd_below(64);
		if (room(m, n)) {
			rnd_bytes(m->b + m->len, n);
			m->len += n;
		}
		msg_end(m);
		return;
	}
}

/* One message of the send; @kind says which generator made it. */
static void gen_one(struct msg *m, const struct model *md, enum gen kind)
{
	unsigned int n;

	switch (kind) {
	case G_VALID:
		gen_valid(m, md, pick_cmd());
		return;
	case G_MUTATED:
		gen_valid(m, md, pick_cmd());
		n = 1 + rnd_below(chance(70) ? 2 : 4);
		while (n--)
			mutate(m, rnd_below(M_N));
		return;
	case G_DEFECT:
		gen_valid(m, md, pick_cmd());
		mutate(m, M_STRUCTURED_FIRST +
		       rnd_below(M_N - M_STRUCTURED_FIRST));
		return;
	case G_RANDOM:
		gen_random(m);
		return;
	default:
		gen_edge(m, md);
		return;
	}
}

/* A send: one message, or a batch of 2 to 4, or of rules to add. */
static enum gen gen_send(struct msg *m, const struct model *md)
{
	static const unsigned int shares[G_N] = { 25, 30, 15, 15, 7, 8 };
	unsigned int r = rnd_below(100), n;
	enum gen kind = G_VALID;
	static bool read_rules;

	m->len = 0;
	if (read_rules) {
		/* After a bulk, alone: checked against the model. */
		read_rules = false;
		gen_valid(m, md, SIPCODE_CMD_RULE_GET);
		return G_VALID;
	}
	while (r >= shares[kind]) {
		r -= shares[kind];
		kind++;
	}
	if (kind != G_BATCH) {
		gen_one(m, md, kind);
		return kind;
	}
	if (chance(5)) {
		/* Rules as many as fit: dumps of rules then span messages. */
		bulk = true;
		while (m->len + 96 <= MSG_MAX)
			gen_valid(m, md, SIPCODE_CMD_RULE_ADD);
		bulk = false;
		read_rules = !readonly;
		return kind;
	}
	n = 2 + rnd_below(3);
	while (n--)
		gen_one(m, md, rnd_below(G_BATCH));
	return kind;
}

/* ---------------------------------------------------------------------
 * The prediction: the kernel's parse of a send.
 */

/* One message of a send as the kernel cuts it (netlink_rcv_skb()). */
struct sub {
	size_t off;		/* in the send */
	struct nlmsghdr hdr;	/* as sent: an error's echo of it */
	bool ours;		/* of the family: genetlink handled it */
	bool known;		/* its outcome is predicted */
	bool reread;		/* not predicted: the model is read again */
	bool dump;		/* a dump of ours was asked for */
	uint8_t cmd;
	int err;		/* predicted: 0 or -errno */
	const char *why;	/* the reason of err, as the kernel says it */
	/* Replies: an NLMSG_ERROR, data, a dump ended by NLMSG_DONE. */
	bool want_ack, want_data, want_done;
	/* The replies: err comes in the NLMSG_ERROR or the NLMSG_DONE. */
	bool got_ack;
	int got_err;
	unsigned int got_data, got_parts;
	bool got_done, got_intr;
	int done_err;
	char ext[96];		/* the extended ack's message */
};

struct batch {
	struct sub sub[MAX_SUBS];
	unsigned int n;
};

struct ctx {
	bool admin;		/* CAP_NET_ADMIN over the namespace */
	bool legacy;		/* commands without a policy ignore attributes */
	bool perm_first;	/* permission checked before do or dump */
	bool dumping;		/* a dump of this send runs on */
	bool foreign;		/* a message of another family was handled */
	bool unmodelled;	/* a message of this send was not modelled */
};

/* The last attribute of each type of a validated nest (nla_parse()). */
struct tb {
	const uint8_t *a[64];
};

static const uint8_t *tb_get(const struct tb *tb, unsigned int type)
{
	return type < 64 ? tb->a[type] : NULL;
}

static uint64_t tb_uint(const struct tb *tb, unsigned int type)
{
	const uint8_t *p = tb->a[type];

	return get_uint(p + NLA_HDRLEN, get16(p) - NLA_HDRLEN);
}

static int validate(const uint8_t *head, int len, const struct nest_spec *ns,
		    unsigned int maxtype, uint64_t takes, uint64_t rule_takes,
		    struct tb *tb, const char **why);

/*
 * validate_nla() for one attribute of a nest whose policy takes the types
 * of @takes as @ns describes them; any other slot of the policy is empty
 * (NLA_UNSPEC), or NLA_REJECT for a command without a policy (@reject).
 */
static int validate_one(const uint8_t *p, const struct nest_spec *ns,
			uint64_t takes, uint64_t rule_takes, bool reject,
			const char **why)
{
	unsigned int raw = get16(p + 2), type = raw & NLA_TYPE_MASK;
	int attrlen = get16(p) - NLA_HDRLEN;
	const struct attr_spec *a = &ns->attrs[type];
	enum kind kind = takes & BIT64(type) ? a->kind : K_NONE;
	uint64_t v;
	int err;

	if (kind_len[kind] && attrlen != (int)kind_len[kind]) {
		*why = "invalid attribute length";
		return -EINVAL;
	}
	if (kind == K_NEST && !(raw & NLA_F_NESTED)) {
		*why = "NLA_F_NESTED is missing";
		return -EINVAL;
	}
	if ((kind != K_NEST && kind != K_NONE && raw & NLA_F_NESTED) ||
	    (reject && raw & NLA_F_NESTED)) {
		*why = "NLA_F_NESTED not expected";
		return -EINVAL;
	}
	switch (kind) {
	case K_NONE:
		*why = reject ? "attribute rejected" : "Unsupported attribute";
		return -EINVAL;
	case K_FLAG:
		if (attrlen > 0) {
			*why = "Attribute failed policy validation";
			return -ERANGE;
		}
		return 0;
	case K_NEST:
		if (attrlen == 0)
			return 0;
		if (attrlen < NLA_HDRLEN) {
			*why = "Attribute failed policy validation";
			return -ERANGE;
		}
		err = validate(p + NLA_HDRLEN, attrlen, a->nest, a->nest->max,
			       a->nest == &rule_nest ? rule_takes :
			       all_types(a->nest), rule_takes, NULL, why);
		return err;
	default:
		v = get_uint(p + NLA_HDRLEN, attrlen);
		if (v < a->lo || v > a->hi) {
			*why = "integer out of range";
			return -ERANGE;
		}
		return 0;
	}
}

/* __nla_validate_parse(), strict: the attributes of a nest or message. */
static int validate(const uint8_t *head, int len, const struct nest_spec *ns,
		    unsigned int maxtype, uint64_t takes, uint64_t rule_takes,
		    struct tb *tb, const char **why)
{
	const uint8_t *p = head;
	unsigned int type;
	int rem = len, err;
	uint16_t l;

	if (tb)
		memset(tb, 0, sizeof(*tb));
	while (rem >= NLA_HDRLEN) {
		l = get16(p);
		if (l < NLA_HDRLEN || l > rem)
			break;
		type = get16(p + 2) & NLA_TYPE_MASK;
		if (type == 0 || type > maxtype) {
			*why = "Unknown attribute type";
			return -EINVAL;
		}
		err = validate_one(p, ns, takes, rule_takes, !takes, why);
		if (err)
			return err;
		if (tb && type < 64)
			tb->a[type] = p;
		/* nla_next(): the remainder may go below zero. */
		rem -= NLA_ALIGN(l);
		p += NLA_ALIGN(l);
	}
	if (rem > 0) {
		*why = "bytes leftover after parsing attributes";
		return -EINVAL;
	}
	return 0;
}

/* sipcode_nl_match(). */
static int parse_match(const struct tb *tb, struct match *m, const char **why)
{
	bool range = tb_get(tb, SIPCODE_RULE_A_LOW) ||
		     tb_get(tb, SIPCODE_RULE_A_HIGH);

	if (!!tb_get(tb, SIPCODE_RULE_A_CODE) +
	    !!tb_get(tb, SIPCODE_RULE_A_CLASS) + range != 1) {
		*why = "a rule matches one of: a code, a class, a range";
		return -EINVAL;
	}
	if (tb_get(tb, SIPCODE_RULE_A_CODE)) {
		m->type = SIPCODE_RULE_A_CODE;
		m->low = tb_uint(tb, SIPCODE_RULE_A_CODE);
		m->high = m->low;
	} else if (tb_get(tb, SIPCODE_RULE_A_CLASS)) {
		m->type = SIPCODE_RULE_A_CLASS;
		m->low = tb_uint(tb, SIPCODE_RULE_A_CLASS);
		m->high = m->low;
	} else {
		if (!tb_get(tb, SIPCODE_RULE_A_LOW) ||
		    !tb_get(tb, SIPCODE_RULE_A_HIGH)) {
			*why = "a range needs a low and a high code";
			return -EINVAL;
		}
		m->type = SIPCODE_RULE_A_LOW;
		m->low = tb_uint(tb, SIPCODE_RULE_A_LOW);
		m->high = tb_uint(tb, SIPCODE_RULE_A_HIGH);
		if (m->low > m->high) {
			*why = "the range's low code is above its high code";
			return -EINVAL;
		}
	}
	return 0;
}

/* sipcode_nl_verdict(). */
static int parse_verdict(const struct tb *tb, struct verdict *v,
			 const char **why)
{
	bool mark;

	memset(v, 0, sizeof(*v));
	if (!tb_get(tb, SIPCODE_RULE_A_ACTION)) {
		*why = "a rule needs an action";
		return -EINVAL;
	}
	v->action = tb_uint(tb, SIPCODE_RULE_A_ACTION);
	mark = v->action == SIPCODE_ACTION_MARK;
	if (mark && !tb_get(tb, SIPCODE_RULE_A_MARK)) {
		*why = "the mark action needs a mark value";
		return -EINVAL;
	}
	if (!mark && (tb_get(tb, SIPCODE_RULE_A_MARK) ||
		      tb_get(tb, SIPCODE_RULE_A_MASK))) {
		*why = "a mark or a mask goes with the mark action only";
		return -EINVAL;
	}
	v->notify = !!tb_get(tb, SIPCODE_RULE_A_NOTIFY);
	v->mark = mark ? tb_uint(tb, SIPCODE_RULE_A_MARK) : 0;
	v->mask = tb_get(tb, SIPCODE_RULE_A_MASK) ?
		  tb_uint(tb, SIPCODE_RULE_A_MASK) : (mark ? UINT32_MAX : 0);
	if (v->mark & ~v->mask) {
		*why = "the mark has bits outside the mask";
		return -EINVAL;
	}
	return 0;
}

/* sipcode_nl_ports(): the port set of a validated request. */
static int predict_ports(struct sub *s, const struct tb *tb, uint16_t *ports,
			 unsigned int *n)
{
	const uint8_t *nest = tb_get(tb, SIPCODE_A_PORTS), *p;
	int rem;

	if (!nest) {
		s->why = "the port set is missing";
		return -EINVAL;
	}
	*n = 0;
	rem = get16(nest) - NLA_HDRLEN;
	for (p = nest + NLA_HDRLEN;
	     rem >= NLA_HDRLEN && get16(p) >= NLA_HDRLEN && get16(p) <= rem;
	     rem -= NLA_ALIGN(get16(p)), p += NLA_ALIGN(get16(p))) {
		if (*n == SIPCODE_PORTS_MAX) {
			s->why = "too many ports";
			return -EINVAL;
		}
		ports[(*n)++] = get32(p + NLA_HDRLEN);
	}
	if (!*n) {
		s->why = "no port given";
		return -EINVAL;
	}
	return 0;
}

/* The dry-run mode of a namespace not configured: the module parameter. */
static uint8_t default_dry_run;

/*
 * sipcode_nl_config_replace_doit() on the validated attributes @a (@len
 * bytes) of a request: the ports, the settings, then every rule in the
 * order given, into a configuration of their own with the defaults;
 * the model takes it whole, or nothing of it.
 */
static int predict_replace(struct sub *s, const struct tb *tb,
			   const uint8_t *a, int len, struct model *md)
{
	static struct model nm;
	uint16_t ports[SIPCODE_PORTS_MAX];
	unsigned int n;
	struct verdict v;
	struct match m;
	struct tb rtb;
	int err;

	err = predict_ports(s, tb, ports, &n);
	if (err)
		return err;
	nm = *md;
	model_flush(&nm);
	model_ports_set(&nm, ports, n);
	nm.dry_run = tb_get(tb, SIPCODE_A_DRY_RUN) ?
		     tb_uint(tb, SIPCODE_A_DRY_RUN) : default_dry_run;
	nm.by_method = tb_get(tb, SIPCODE_A_BY_METHOD) ?
		       tb_uint(tb, SIPCODE_A_BY_METHOD) : 0;
	nm.reasons = tb_get(tb, SIPCODE_A_REASONS) ?
		     tb_uint(tb, SIPCODE_A_REASONS) : 0;
	nm.event_rate = tb_get(tb, SIPCODE_A_EVENT_RATE) ?
			tb_uint(tb, SIPCODE_A_EVENT_RATE) :
			SIPCODE_EVENT_RATE_DEFAULT;
	nm.transactions = tb_get(tb, SIPCODE_A_TRANSACTIONS) ?
			  tb_uint(tb, SIPCODE_A_TRANSACTIONS) : 0;
	nm.txn_max = tb_get(tb, SIPCODE_A_TXN_MAX) ?
		     tb_uint(tb, SIPCODE_A_TXN_MAX) :
		     SIPCODE_TXN_MAX_DEFAULT;
	nm.relayed = tb_get(tb, SIPCODE_A_RELAYED) ?
		     tb_uint(tb, SIPCODE_A_RELAYED) : 0;
	nm.active = 1;
	/* nla_for_each_attr(): the message is valid, every header whole. */
	for (; len >= NLA_HDRLEN && get16(a) >= NLA_HDRLEN && get16(a) <= len;
	     len -= NLA_ALIGN(get16(a)), a += NLA_ALIGN(get16(a))) {
		if ((get16(a + 2) & NLA_TYPE_MASK) != SIPCODE_A_RULE)
			continue;
		validate(a + NLA_HDRLEN, get16(a) - NLA_HDRLEN, &rule_nest,
			 SIPCODE_RULE_A_MAX, cmds[s->cmd].rule_takes, 0, &rtb,
			 &s->why);
		err = parse_match(&rtb, &m, &s->why);
		if (!err)
			err = parse_verdict(&rtb, &v, &s->why);
		if (!err) {
			err = model_rule_add(&nm, &m, &v);
			if (err)
				s->why = "a rule exists or overlaps";
		}
		if (err)
			return err;
	}
	*md = nm;
	return 0;
}

/* The doit handlers of kmod/netlink.c, on validated attributes @a. */
static int predict_doit(struct sub *s, const struct tb *tb, const uint8_t *a,
			int len, struct model *md)
{
	uint16_t ports[SIPCODE_PORTS_MAX];
	const uint8_t *nest;
	struct tb rtb;
	struct verdict v;
	struct match m;
	unsigned int n;
	int err;

	switch (s->cmd) {
	case SIPCODE_CMD_PORTS_SET:
		err = predict_ports(s, tb, ports, &n);
		if (err)
			return err;
		md->active = 1;
		model_ports_set(md, ports, n);
		return 0;
	case SIPCODE_CMD_RULE_ADD:
	case SIPCODE_CMD_RULE_DEL:
		nest = tb_get(tb, SIPCODE_A_RULE);
		if (!nest) {
			s->why = "the rule is missing";
			return -EINVAL;
		}
		/* Validated already: this parse only fills rtb. */
		validate(nest + NLA_HDRLEN, get16(nest) - NLA_HDRLEN, &rule_nest,
			 SIPCODE_RULE_A_MAX, cmds[s->cmd].rule_takes, 0, &rtb,
			 &s->why);
		if (s->cmd == SIPCODE_CMD_RULE_DEL &&
		    (tb_get(&rtb, SIPCODE_RULE_A_ACTION) ||
		     tb_get(&rtb, SIPCODE_RULE_A_MARK) ||
		     tb_get(&rtb, SIPCODE_RULE_A_MASK) ||
		     tb_get(&rtb, SIPCODE_RULE_A_NOTIFY))) {
			s->why = "a rule to delete is given by its match only";
			return -EINVAL;
		}
		err = parse_match(&rtb, &m, &s->why);
		if (!err && s->cmd == SIPCODE_CMD_RULE_ADD)
			err = parse_verdict(&rtb, &v, &s->why);
		if (err)
			return err;
		if (s->cmd == SIPCODE_CMD_RULE_ADD) {
			md->active = 1;
			err = model_rule_add(md, &m, &v);
		} else {
			err = model_rule_del(md, &m);
		}
		if (err)
			s->why = err == -EEXIST ? "exists or overlaps" :
				 "no rule with this match";
		return err;
	case SIPCODE_CMD_RULE_FLUSH:
		model_flush(md);
		return 0;
	case SIPCODE_CMD_CONFIG_SET:
		if (!tb_get(tb, SIPCODE_A_DRY_RUN) &&
		    !tb_get(tb, SIPCODE_A_BY_METHOD) &&
		    !tb_get(tb, SIPCODE_A_REASONS) &&
		    !tb_get(tb, SIPCODE_A_EVENT_RATE) &&
		    !tb_get(tb, SIPCODE_A_TRANSACTIONS) &&
		    !tb_get(tb, SIPCODE_A_TXN_MAX) &&
		    !tb_get(tb, SIPCODE_A_RELAYED)) {
			s->why = "nothing to set";
			return -EINVAL;
		}
		md->active = 1;
		if (tb_get(tb, SIPCODE_A_DRY_RUN))
			md->dry_run = tb_uint(tb, SIPCODE_A_DRY_RUN);
		if (tb_get(tb, SIPCODE_A_BY_METHOD))
			md->by_method = tb_uint(tb, SIPCODE_A_BY_METHOD);
		if (tb_get(tb, SIPCODE_A_REASONS))
			md->reasons = tb_uint(tb, SIPCODE_A_REASONS);
		if (tb_get(tb, SIPCODE_A_EVENT_RATE))
			md->event_rate = tb_uint(tb, SIPCODE_A_EVENT_RATE);
		if (tb_get(tb, SIPCODE_A_TRANSACTIONS))
			md->transactions = tb_uint(tb, SIPCODE_A_TRANSACTIONS);
		if (tb_get(tb, SIPCODE_A_TXN_MAX))
			md->txn_max = tb_uint(tb, SIPCODE_A_TXN_MAX);
		if (tb_get(tb, SIPCODE_A_RELAYED))
			md->relayed = tb_uint(tb, SIPCODE_A_RELAYED);
		return 0;
	case SIPCODE_CMD_CONFIG_REPLACE:
		return predict_replace(s, tb, a, len, md);
	case SIPCODE_CMD_TXN_GET:
		/* As METHOD_GET and REASON_GET with their table off. */
		if (!md->active || !md->transactions) {
			s->why = "transactions are off";
			return -ENODATA;
		}
		return 0;
	default:
		return 0;
	}
}

/*
 * A dump of ours that started: it ends with an NLMSG_DONE holding its
 * error. One whose first call ends it (nothing to read, or a table that
 * is off) does not run on: a dump after it in the send may start.
 */
static int predict_dump(struct sub *s, const struct model *md, struct ctx *x)
{
	bool runs = true;
	int err = 0;

	s->want_done = true;
	switch (s->cmd) {
	case SIPCODE_CMD_METHOD_GET:
	case SIPCODE_CMD_REASON_GET:
		if (!md->active || !(s->cmd == SIPCODE_CMD_METHOD_GET ?
				     md->by_method : md->reasons)) {
			s->why = "the table is off";
			err = -ENODATA;
			runs = false;
		}
		break;
	case SIPCODE_CMD_RULE_GET:
		runs = md->active;
		break;
	}
	x->dumping |= runs;
	return err;
}

/* genl_family_rcv_msg() and what follows, for a message of ours. */
static int predict_genl(struct sub *s, const uint8_t *p, struct model *md,
			struct ctx *x)
{
	uint16_t flags = s->hdr.nlmsg_flags;
	const struct cmd_spec *c;
	struct genlmsghdr g;
	struct tb tb = { 0 };
	int err;

	if (s->hdr.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		s->why = "shorter than a genetlink header";
		return -EINVAL;
	}
	memcpy(&g, p + NLMSG_HDRLEN, sizeof(g));
	s->cmd = g.cmd;
	if (g.reserved) {
		s->why = "genlmsghdr.reserved field is not 0";
		return -EINVAL;
	}
	if ((flags & NLM_F_DUMP) == NLM_F_DUMP)
		flags &= ~NLM_F_DUMP;
	if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)) {
		s->why = "ambiguous or reserved bits set in nlmsg_flags";
		return -EINVAL;
	}
	s->dump = (s->hdr.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	c = g.cmd < ARRAY_SIZE(cmds) ? &cmds[g.cmd] : NULL;
	if (c && c->flags & (C_DO | C_DUMP) && c->flags & C_ADMIN &&
	    !x->admin && x->perm_first) {
		s->why = "needs CAP_NET_ADMIN";
		return -EPERM;
	}
	if (!c || !(c->flags & (s->dump ? C_DUMP : C_DO))) {
		s->why = "no such command";
		return -EOPNOTSUPP;
	}
	if (c->flags & C_ADMIN && !x->admin) {
		s->why = "needs CAP_NET_ADMIN";
		return -EPERM;
	}
	if (unmodelled(g.cmd, p + NLMSG_HDRLEN + GENL_HDRLEN,
		       s->hdr.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN)) {
		/*
		 * What comes next in the send, and the configuration, are
		 * not known either: the model is read back after it.
		 */
		s->known = false;
		s->reread = true;
		x->unmodelled = true;
		return 0;
	}
	if (s->dump && x->foreign)
		s->known = false;	/* it may run a dump of its own */
	if (s->dump && x->dumping) {
		s->why = "a dump runs";
		return -EBUSY;
	}
	if (c->takes || !x->legacy) {
		err = validate(p + NLMSG_HDRLEN + GENL_HDRLEN,
			       s->hdr.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
			       &top_nest, c->takes ? top_maxattr(c->takes) : 1,
			       c->takes, c->rule_takes, &tb, &s->why);
		if (err)
			return err;
	}
	if (!s->dump) {
		s->want_data = c->flags & C_REPLY;
		return predict_doit(s, &tb, p + NLMSG_HDRLEN + GENL_HDRLEN,
				    s->hdr.nlmsg_len - NLMSG_HDRLEN -
				    GENL_HDRLEN, md);
	}
	return predict_dump(s, md, x);
}

/*
 * netlink_rcv_skb() over the send: the messages the kernel handles, what
 * each must answer, and their effect on the model, applied in order.
 */
static void predict(const struct msg *m, struct batch *bt, struct model *md,
		    struct ctx *x)
{
	size_t off = 0, len = m->len;
	struct sub *s;

	bt->n = 0;
	x->dumping = false;
	x->foreign = false;
	x->unmodelled = false;
	while (len - off >= NLMSG_HDRLEN) {
		s = &bt->sub[bt->n];
		memset(s, 0, sizeof(*s));
		memcpy(&s->hdr, m->b + off, sizeof(s->hdr));
		if (s->hdr.nlmsg_len < NLMSG_HDRLEN ||
		    s->hdr.nlmsg_len > len - off)
			break;
		bt->n++;
		s->off = off;
		s->known = true;
		s->why = "";
		if (!(s->hdr.nlmsg_flags & NLM_F_REQUEST) ||
		    s->hdr.nlmsg_type < NLMSG_MIN_TYPE) {
			s->why = "not a request";
		} else if (s->hdr.nlmsg_type == fam_id) {
			s->ours = true;
			/* After a message not modelled, nothing is known. */
			s->known = !x->unmodelled;
			s->err = predict_genl(s, m->b + off, md, x);
			if (x->unmodelled)
				s->known = false;
		} else if (s->hdr.nlmsg_type > GENL_MAX_ID) {
			s->why = "no such family";
			s->err = -ENOENT;
		} else {
			s->known = false;
			x->foreign = true;
		}
		s->want_ack = !s->want_done &&
			      (s->err || s->hdr.nlmsg_flags & NLM_F_ACK);
		if (s->err)
			s->want_data = false;
		off += min_size(NLMSG_ALIGN(s->hdr.nlmsg_len), len - off);
	}
}

/*
 * Whether a message of the send could change something (-r): a command
 * of ours that is not a read, or a message of another family.
 */
static bool sends_change(const struct msg *m)
{
	size_t off = 0, len = m->len;
	struct nlmsghdr h;
	uint8_t cmd;

	while (len - off >= NLMSG_HDRLEN) {
		memcpy(&h, m->b + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			break;
		if (h.nlmsg_type == fam_id && h.nlmsg_flags & NLM_F_REQUEST &&
		    h.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
			cmd = m->b[off + NLMSG_HDRLEN];
			if (cmd < ARRAY_SIZE(cmds) && cmds[cmd].flags &&
			    !(cmds[cmd].flags & C_READ))
				return true;
			if (cmd && cmd < ARRAY_SIZE(cmds) && !cmds[cmd].name)
				return true;
		} else if (h.nlmsg_type >= NLMSG_MIN_TYPE &&
			   h.nlmsg_type != fam_id &&
			   h.nlmsg_type <= GENL_MAX_ID) {
			return true;
		}
		off += min_size(NLMSG_ALIGN(h.nlmsg_len), len - off);
	}
	return false;
}

/* ---------------------------------------------------------------------
 * Reading the kernel's configuration from replies.
 */

/* The attributes of a reply's nest or message, liberally (last wins). */
static void parse_reply(const uint8_t *p, int len, struct tb *tb)
{
	unsigned int type;
	uint16_t l;

	memset(tb, 0, sizeof(*tb));
	while (len >= NLA_HDRLEN) {
		l = get16(p);
		if (l < NLA_HDRLEN || l > len)
			break;
		type = get16(p + 2) & NLA_TYPE_MASK;
		if (type < 64)
			tb->a[type] = p;
		len -= NLA_ALIGN(l);
		p += NLA_ALIGN(l);
	}
}

/* Whether the attribute of @type in @tb holds @len bytes. */
static bool tb_has(const struct tb *tb, unsigned int type, unsigned int len)
{
	return tb->a[type] && get16(tb->a[type]) == NLA_HDRLEN + len;
}

static unsigned int reply_faults;

static void reply_fault(const char *what)
{
	if (reply_faults++ < 10)
		fprintf(stderr, "nlfuzz: malformed reply: %s\n", what);
}

/* A reply of PORTS_GET into @md. */
static void read_ports(const struct nlmsghdr *h, struct model *md)
{
	const uint8_t *attrs = (const uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN;
	const uint8_t *nest, *p;
	struct tb tb;
	int rem;

	memset(md->ports, 0, sizeof(md->ports));
	parse_reply(attrs, h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, &tb);
	nest = tb.a[SIPCODE_A_PORTS];
	if (!nest) {
		reply_fault("PORTS_GET without SIPCODE_A_PORTS");
		return;
	}
	rem = get16(nest) - NLA_HDRLEN;
	for (p = nest + NLA_HDRLEN;
	     rem >= NLA_HDRLEN && get16(p) >= NLA_HDRLEN && get16(p) <= rem;
	     rem -= NLA_ALIGN(get16(p)), p += NLA_ALIGN(get16(p))) {
		if ((get16(p + 2) & NLA_TYPE_MASK) != SIPCODE_PORT_A_PORT ||
		    get16(p) != NLA_HDRLEN + 4) {
			reply_fault("PORTS_GET: not a port");
			continue;
		}
		md->ports[get32(p + NLA_HDRLEN) / 8] |=
			1u << (get32(p + NLA_HDRLEN) % 8);
	}
}

/* A reply of CONFIG_GET into @md. */
static void read_config(const struct nlmsghdr *h, struct model *md)
{
	const uint8_t *attrs = (const uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN;
	struct tb tb;

	parse_reply(attrs, h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, &tb);
	if (!tb_has(&tb, SIPCODE_A_DRY_RUN, 4) ||
	    !tb_has(&tb, SIPCODE_A_BY_METHOD, 4) ||
	    !tb_has(&tb, SIPCODE_A_REASONS, 4) ||
	    !tb_has(&tb, SIPCODE_A_EVENT_RATE, 4) ||
	    !tb_has(&tb, SIPCODE_A_TRANSACTIONS, 4) ||
	    !tb_has(&tb, SIPCODE_A_TXN_MAX, 4) ||
	    !tb_has(&tb, SIPCODE_A_RELAYED, 4)) {
		reply_fault("CONFIG_GET lacks a setting");
		return;
	}
	md->dry_run = tb_uint(&tb, SIPCODE_A_DRY_RUN);
	md->by_method = tb_uint(&tb, SIPCODE_A_BY_METHOD);
	md->reasons = tb_uint(&tb, SIPCODE_A_REASONS);
	md->event_rate = tb_uint(&tb, SIPCODE_A_EVENT_RATE);
	md->transactions = tb_uint(&tb, SIPCODE_A_TRANSACTIONS);
	md->txn_max = tb_uint(&tb, SIPCODE_A_TXN_MAX);
	md->relayed = tb_uint(&tb, SIPCODE_A_RELAYED);
}

/* Whether the attribute of @type in @tb is a u64 (8 bytes). */
static bool tb_u64(const struct tb *tb, unsigned int type)
{
	return tb_has(tb, type, 8);
}

/*
 * The final nests of a txn-method of TXN_GET, in its @len bytes at @p:
 * INVITE's and REGISTER's only, each a column's code (a class, 1 to 6,
 * or a code) and its count, ascending.
 */
static void read_finals(const uint8_t *p, int len, int method)
{
	unsigned int code, last = 0;
	struct tb ftb;
	uint16_t l;

	for (; len >= NLA_HDRLEN && (l = get16(p)) >= NLA_HDRLEN && l <= len;
	     len -= NLA_ALIGN(l), p += NLA_ALIGN(l)) {
		if ((get16(p + 2) & NLA_TYPE_MASK) != SIPCODE_TXN_METHOD_A_FINAL)
			continue;
		if (method != SIPCODE_METHOD_INVITE &&
		    method != SIPCODE_METHOD_REGISTER) {
			reply_fault("TXN_GET: first finals of a method but INVITE and REGISTER");
			return;
		}
		parse_reply(p + NLA_HDRLEN, l - NLA_HDRLEN, &ftb);
		code = tb_has(&ftb, SIPCODE_CODE_A_CODE, 4) ?
		       tb_uint(&ftb, SIPCODE_CODE_A_CODE) : 0;
		if (!code || (code > NCLASSES && code < SIPCODE_CODE_MIN) ||
		    code > SIPCODE_CODE_MAX || !tb_u64(&ftb, SIPCODE_CODE_A_SEEN))
			reply_fault("TXN_GET: a first final without its code or count");
		else if (code <= last)
			reply_fault("TXN_GET: first finals out of order, or one twice");
		last = code;
	}
}

/*
 * A delay nest of TXN_GET: its kind, its class for a final's, its count
 * and sum, then every bucket, ascending by bound, the last unbounded,
 * their counts adding up to the count. Of histograms after @prev (the
 * kind and class of the one before, -1 first), in that order.
 */
static void read_delay(const uint8_t *nest, int *prev)
{
	const uint8_t *p = nest + NLA_HDRLEN;
	int rem = get16(nest) - NLA_HDRLEN, key;
	uint64_t count, sum = 0, le, last = 0;
	unsigned int kind, buckets = 0;
	struct tb tb, btb;
	uint16_t l;

	parse_reply(p, rem, &tb);
	if (!tb_has(&tb, SIPCODE_DELAY_A_KIND, 4) ||
	    !tb_u64(&tb, SIPCODE_DELAY_A_COUNT) ||
	    !tb_u64(&tb, SIPCODE_DELAY_A_SUM_US)) {
		reply_fault("TXN_GET: a delay without its kind, count or sum");
		return;
	}
	kind = tb_uint(&tb, SIPCODE_DELAY_A_KIND);
	count = tb_uint(&tb, SIPCODE_DELAY_A_COUNT);
	if (kind > SIPCODE_DELAY_MAX) {
		reply_fault("TXN_GET: a delay of no kind");
		return;
	}
	key = kind * 8;
	if (kind >= SIPCODE_DELAY_INVITE_FINAL) {
		if (!tb_has(&tb, SIPCODE_DELAY_A_CLASS, 4) ||
		    tb_uint(&tb, SIPCODE_DELAY_A_CLASS) < 2 ||
		    tb_uint(&tb, SIPCODE_DELAY_A_CLASS) > NCLASSES) {
			reply_fault("TXN_GET: a final's delay without its class (2-6)");
			return;
		}
		key += tb_uint(&tb, SIPCODE_DELAY_A_CLASS);
	} else if (tb.a[SIPCODE_DELAY_A_CLASS]) {
		reply_fault("TXN_GET: an srd or rrd delay with a class");
	}
	if (key <= *prev)
		reply_fault("TXN_GET: delays out of order, or one twice");
	*prev = key;
	if (!count)
		reply_fault("TXN_GET: a delay nest with no delay");
	for (; rem >= NLA_HDRLEN && (l = get16(p)) >= NLA_HDRLEN && l <= rem;
	     rem -= NLA_ALIGN(l), p += NLA_ALIGN(l)) {
		if ((get16(p + 2) & NLA_TYPE_MASK) != SIPCODE_DELAY_A_BUCKET)
			continue;
		parse_reply(p + NLA_HDRLEN, l - NLA_HDRLEN, &btb);
		if (!tb_has(&btb, SIPCODE_DELAY_BUCKET_A_LE_US, 4) ||
		    !tb_u64(&btb, SIPCODE_DELAY_BUCKET_A_COUNT)) {
			reply_fault("TXN_GET: a bucket without its bound or count");
			return;
		}
		le = tb_uint(&btb, SIPCODE_DELAY_BUCKET_A_LE_US);
		if (buckets && (!last || (le && le <= last)))
			reply_fault("TXN_GET: buckets out of order");
		last = le;
		sum += tb_uint(&btb, SIPCODE_DELAY_BUCKET_A_COUNT);
		buckets++;
	}
	if (buckets != SIPCODE_DELAY_BUCKETS || last)
		reply_fault("TXN_GET: not SIPCODE_DELAY_BUCKETS buckets, the last unbounded");
	if (sum != count)
		reply_fault("TXN_GET: the buckets do not add up to the count");
}

/*
 * A reply of TXN_GET into @md: the table is on, of its transactions-max.
 * Its counters are checked for their form: a u64 each, every one of the
 * txn nest, the methods ascending and of a count each, the delays as
 * read_delay() says.
 */
static void read_txn(const struct nlmsghdr *h, struct model *md)
{
	const uint8_t *p = (const uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN;
	int rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	int method = -1, delay = -1;
	unsigned int t, type;
	struct tb tb, ntb;
	uint16_t l;

	parse_reply(p, rem, &tb);
	if (!tb_has(&tb, SIPCODE_A_TXN_MAX, 4) ||
	    !tb.a[SIPCODE_A_TXN]) {
		reply_fault("TXN_GET without transactions-max or txn");
		return;
	}
	md->transactions = 1;
	md->txn_max = tb_uint(&tb, SIPCODE_A_TXN_MAX);
	parse_reply(tb.a[SIPCODE_A_TXN] + NLA_HDRLEN,
		    get16(tb.a[SIPCODE_A_TXN]) - NLA_HDRLEN, &ntb);
	for (t = SIPCODE_TXN_A_PAD + 1; t <= SIPCODE_TXN_A_MAX; t++)
		if (!tb_u64(&ntb, t))
			reply_fault("TXN_GET: a counter of txn missing");
	for (; rem >= NLA_HDRLEN && (l = get16(p)) >= NLA_HDRLEN && l <= rem;
	     rem -= NLA_ALIGN(l), p += NLA_ALIGN(l)) {
		type = get16(p + 2) & NLA_TYPE_MASK;
		if (type == SIPCODE_A_DELAY) {
			read_delay(p, &delay);
			continue;
		}
		if (type != SIPCODE_A_TXN_METHOD)
			continue;
		parse_reply(p + NLA_HDRLEN, l - NLA_HDRLEN, &ntb);
		if (!tb_has(&ntb, SIPCODE_TXN_METHOD_A_METHOD, 4) ||
		    tb_uint(&ntb, SIPCODE_TXN_METHOD_A_METHOD) >=
		    SIPCODE_NMETHODS) {
			reply_fault("TXN_GET: a txn-method of no method");
			continue;
		}
		if ((int)tb_uint(&ntb, SIPCODE_TXN_METHOD_A_METHOD) <= method)
			reply_fault("TXN_GET: methods out of order, or one twice");
		method = tb_uint(&ntb, SIPCODE_TXN_METHOD_A_METHOD);
		for (t = SIPCODE_TXN_METHOD_A_TRACKED;
		     t <= SIPCODE_TXN_METHOD_A_TIMEOUTS; t++)
			if (!tb_u64(&ntb, t))
				reply_fault("TXN_GET: a counter of txn-method missing");
		read_finals(p + NLA_HDRLEN, l - NLA_HDRLEN, method);
	}
}

/* A message of a RULE_GET dump: its rules into @md. */
static void read_rules(const struct nlmsghdr *h, struct model *md)
{
	const uint8_t *p = (const uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN;
	int rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	struct verdict v, *slot;
	struct match m;
	const char *why;
	struct tb tb;
	uint16_t l;

	for (; rem >= NLA_HDRLEN && (l = get16(p)) >= NLA_HDRLEN && l <= rem;
	     rem -= NLA_ALIGN(l), p += NLA_ALIGN(l)) {
		if ((get16(p + 2) & NLA_TYPE_MASK) != SIPCODE_A_RULE) {
			reply_fault("RULE_GET: not a rule");
			continue;
		}
		parse_reply(p + NLA_HDRLEN, l - NLA_HDRLEN, &tb);
		/* A peer's rule: not modelled (see unmodelled()). */
		if (tb_get(&tb, SIPCODE_RULE_A_PEER))
			continue;
		if (parse_match(&tb, &m, &why) ||
		    parse_verdict(&tb, &v, &why)) {
			reply_fault(why);
			continue;
		}
		if (v.action == SIPCODE_ACTION_MARK &&
		    !tb_get(&tb, SIPCODE_RULE_A_MASK))
			reply_fault("RULE_GET: a mark without its mask");
		slot = model_slot(md, &m);
		if (slot->action)
			reply_fault("RULE_GET: a rule twice");
		*slot = v;
		if (m.type == SIPCODE_RULE_A_LOW)
			md->range_high[m.low - SIPCODE_CODE_MIN] = m.high;
	}
}

/* ---------------------------------------------------------------------
 * The socket: requests, replies and their check.
 */

struct stats {
	unsigned long sends, requests, gens[G_N];
	unsigned long errnos[256], other_errno;
	unsigned long dumps, dumps_split, data, noreply, timeouts;
	unsigned long tracked, resyncs, mispredicted, stray, enobufs;
	unsigned long read_checks, read_diffs, empty;
	unsigned long asked[__SIPCODE_CMD_MAX], accepted[__SIPCODE_CMD_MAX];
	unsigned long events, events_enobufs;
	unsigned long traffic, traffic_refused;
};

static struct stats st;
static int wait_ms = 1000;
static bool verbose;
/*
 * Replies are read RECV_LEN bytes at a time: an error that echoes the
 * largest request fits, and the kernel sizes the messages of a dump to
 * it, so that dumps of a few hundred rules span several.
 */
#define RECV_LEN	(MSG_MAX + 512)

static uint8_t rbuf[RECV_LEN];

static const char *errno_name(int err)
{
	static char buf[16];
	const char *s = err ? strerrorname_np(err) : "0";

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1, size = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("nlfuzz: netlink socket");
		exit(2);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return fd;
}

/* Sends @len bytes; an empty send is refused (-ENODATA), and counted. */
static void nl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	while (sendto(fd, buf, len, 0, (struct sockaddr *)&sa,
		      sizeof(sa)) < 0) {
		if (errno == EINTR)
			continue;
		if (!len && errno == ENODATA) {
			st.empty++;
			return;
		}
		perror("nlfuzz: send");
		exit(2);
	}
}

/*
 * One datagram of replies: its length, 0 when none came within @ms (0:
 * none was there already), -1 on ENOBUFS.
 */
static ssize_t nl_recv(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT | MSG_TRUNC);
		if (n > (ssize_t)sizeof(rbuf)) {
			reply_fault("a reply longer than the receive buffer");
			return sizeof(rbuf);
		}
		if (n >= 0)
			return n;
		if (errno == ENOBUFS)
			return -1;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			perror("nlfuzz: recv");
			exit(2);
		}
		if (!ms || poll(&pfd, 1, ms) <= 0)
			return 0;
		ms = 0;
	}
}

/*
 * The extended ack's message of an NLMSG_ERROR or an NLMSG_DONE, into
 * @buf: its TLVs follow the error and, in an NLMSG_ERROR not capped, the
 * request.
 */
static void ext_ack(const struct nlmsghdr *h, char *buf, size_t size)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + sizeof(int);
	const uint8_t *p;
	uint16_t l;
	int rem;

	buf[0] = 0;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (h->nlmsg_type == NLMSG_ERROR) {
		off = NLMSG_HDRLEN + sizeof(*e);
		if (!(h->nlmsg_flags & NLM_F_CAPPED))
			off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	}
	if (off >= h->nlmsg_len)
		return;
	p = (const uint8_t *)h + off;
	for (rem = h->nlmsg_len - off;
	     rem >= NLA_HDRLEN && (l = get16(p)) >= NLA_HDRLEN && l <= rem;
	     rem -= NLA_ALIGN(l), p += NLA_ALIGN(l)) {
		if ((get16(p + 2) & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			snprintf(buf, size, "%.*s", (int)(l - NLA_HDRLEN),
				 (const char *)p + NLA_HDRLEN);
			return;
		}
	}
}

/*
 * The message of the batch a reply answers: an error's echo of the
 * header, or the sequence number of a reply or of a dump not ended.
 */
static struct sub *find_sub(struct batch *bt, const struct nlmsghdr *h,
			    bool by_header, bool open_dump)
{
	unsigned int i;
	struct sub *s;

	for (i = 0; i < bt->n; i++) {
		s = &bt->sub[i];
		if (by_header) {
			if (!s->got_ack && !memcmp(&s->hdr, h, sizeof(*h)))
				return s;
		} else if (s->hdr.nlmsg_seq == h->nlmsg_seq &&
			   (!open_dump || !s->got_done)) {
			return s;
		}
	}
	return NULL;
}

/* A message that must be answered and was not, at all. */
static bool unanswered(const struct sub *s)
{
	return s->known && (s->want_ack || s->want_data || s->want_done) &&
	       !s->got_ack && !s->got_data && !s->got_done;
}

/* What the kernel answered: 0 or -errno. */
static int answer(const struct sub *s)
{
	return s->got_ack ? s->got_err : s->got_done ? s->done_err : 0;
}

/* What replies said, for the reads checked against the model. */
static struct model scratch;

/* A message of a STATS_GET dump: whether the namespace is inspected. */
static void read_stats(const struct nlmsghdr *h, struct model *md)
{
	const uint8_t *p = (const uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN;
	struct tb tb;

	parse_reply(p, h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, &tb);
	if (tb.a[SIPCODE_A_INACTIVE])
		md->active = 0;
	else if (tb.a[SIPCODE_A_UNCOUNTED])
		md->active = 1;
	if (tb.a[SIPCODE_A_INACTIVE] &&
	    (tb.a[SIPCODE_A_UNCOUNTED] || tb.a[SIPCODE_A_EVENTS]))
		reply_fault("STATS_GET: inactive, with counters");
}

/* The content of a reply of ours into @md, by its command. */
static void read_reply(const struct nlmsghdr *h, unsigned int cmd,
		       struct model *md)
{
	switch (cmd) {
	case SIPCODE_CMD_PORTS_GET:
		read_ports(h, md);
		break;
	case SIPCODE_CMD_CONFIG_GET:
		read_config(h, md);
		break;
	case SIPCODE_CMD_RULE_GET:
		read_rules(h, md);
		break;
	case SIPCODE_CMD_STATS_GET:
		read_stats(h, md);
		break;
	case SIPCODE_CMD_TXN_GET:
		read_txn(h, md);
		break;
	}
}

/* One reply: counted against the message of the batch it answers. */
static void on_reply(const struct nlmsghdr *h, struct batch *bt, bool read)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	struct sub *s;

	switch (h->nlmsg_type) {
	case NLMSG_ERROR:
		s = h->nlmsg_len < NLMSG_HDRLEN + sizeof(*e) ? NULL :
		    find_sub(bt, &e->msg, true, false);
		if (!s) {
			st.stray++;
			return;
		}
		s->got_ack = true;
		s->got_err = e->error;
		ext_ack(h, s->ext, sizeof(s->ext));
		return;
	case NLMSG_DONE:
		s = find_sub(bt, h, false, true);
		if (!s || h->nlmsg_len < NLMSG_HDRLEN + sizeof(int)) {
			st.stray++;
			return;
		}
		s->got_done = true;
		memcpy(&s->done_err, NLMSG_DATA(h), sizeof(int));
		ext_ack(h, s->ext, sizeof(s->ext));
		if (read && !s->got_parts && s->cmd == SIPCODE_CMD_RULE_GET)
			model_flush(&scratch);
		return;
	}
	s = find_sub(bt, h, false, h->nlmsg_flags & NLM_F_MULTI);
	if (!s || h->nlmsg_type != fam_id ||
	    h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		st.stray++;
		return;
	}
	if (h->nlmsg_flags & NLM_F_MULTI) {
		if (read && !s->got_parts && s->cmd == SIPCODE_CMD_RULE_GET)
			model_flush(&scratch);
		s->got_parts++;
		s->got_intr |= !!(h->nlmsg_flags & NLM_F_DUMP_INTR);
	} else {
		s->got_data++;
	}
	if (read && s->ours)
		read_reply(h, s->cmd, &scratch);
}

/* Reads every reply to the send; waits for one that must come. */
static void collect(int fd, struct batch *bt)
{
	const struct nlmsghdr *h;
	bool waited = false;
	unsigned int i;
	ssize_t n;
	int len;

	for (;;) {
		n = nl_recv(fd, 0);
		if (n == 0 && !waited) {
			for (i = 0; i < bt->n && !unanswered(&bt->sub[i]); i++)
				;
			if (i == bt->n)
				return;
			waited = true;
			n = nl_recv(fd, wait_ms);
		}
		if (n == 0)
			return;
		if (n < 0) {
			st.enobufs++;
			continue;
		}
		len = n;
		for (h = (const struct nlmsghdr *)rbuf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len))
			on_reply(h, bt, bt->n == 1);
	}
}

static void hexdump(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < 256; i++)
		fprintf(stderr, "%s%02x%s", i % 16 ? "" : "  ",
			p[i], i % 16 == 15 || i + 1 == len ? "\n" : " ");
	if (len > 256)
		fprintf(stderr, "  ... %zu bytes\n", len);
}

static void print_sub(const char *what, unsigned long msgno, enum gen kind,
		      const struct msg *m, const struct batch *bt,
		      const struct sub *s, int got)
{
	fprintf(stderr,
		"nlfuzz: message %lu (%s), request %u of %u: %s: type %u flags 0x%x cmd %u %s: predicted %s (%s), kernel %s",
		msgno, gen_names[kind], (unsigned int)(s - bt->sub) + 1, bt->n,
		what, s->hdr.nlmsg_type, s->hdr.nlmsg_flags, s->cmd,
		s->ours ? cmd_name(s->cmd) : "-", errno_name(-s->err),
		s->why, errno_name(-got));
	if (s->ext[0])
		fprintf(stderr, " (\"%s\")", s->ext);
	fprintf(stderr, "; replies: %s%u data, %u parts%s\n",
		s->got_ack ? "error/ack, " : "", s->got_data, s->got_parts,
		s->got_done ? ", done" : "");
	hexdump(m->b + s->off, min_size((size_t)s->hdr.nlmsg_len, m->len - s->off));
}

/* The differences between a read alone in its send and the model. */
static unsigned int read_diff(unsigned long msgno, const struct sub *s,
			      const struct model *md)
{
	unsigned int parts;
	char what[64];

	switch (s->cmd) {
	case SIPCODE_CMD_PORTS_GET:
		parts = P_PORTS;
		break;
	case SIPCODE_CMD_CONFIG_GET:
		parts = P_CONFIG;
		break;
	case SIPCODE_CMD_RULE_GET:
		parts = P_RULES;
		break;
	case SIPCODE_CMD_TXN_GET:
		parts = P_TXN;
		break;
	default:
		parts = P_ACTIVE;
		break;
	}
	snprintf(what, sizeof(what), "message %lu: %s", msgno,
		 cmd_name(s->cmd));
	/* Nothing changed while it ran: nothing to flag. */
	if (s->got_intr) {
		fprintf(stderr, "nlfuzz: %s: NLM_F_DUMP_INTR, with no change\n",
			what);
		return 1;
	}
	return model_diff(what, md, &scratch, parts,
			  st.read_diffs < 10 || verbose);
}

/*
 * Checks the replies of a send against the prediction, and a read's
 * content against the model; counts. True when the model must be read
 * again.
 */
static bool check_batch(unsigned long msgno, enum gen kind,
			const struct msg *m, const struct batch *bt,
			const struct model *md)
{
	bool resync = false, bad;
	const struct sub *s;
	unsigned int i;
	int got;

	for (i = 0; i < bt->n; i++) {
		s = &bt->sub[i];
		got = answer(s);
		st.requests++;
		if (-got >= 0 && -got < (int)ARRAY_SIZE(st.errnos))
			st.errnos[-got]++;
		else
			st.other_errno++;
		st.dumps += s->got_done;
		st.dumps_split += s->got_parts > 1;
		st.data += !!s->got_data;
		st.noreply += !s->got_ack && !s->got_data && !s->got_done &&
			      !s->got_parts;
		if (s->ours && s->cmd < ARRAY_SIZE(cmds) &&
		    s->hdr.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN)
			st.asked[s->cmd]++;
		if (!s->known) {
			resync |= s->reread;
			continue;
		}
		if (unanswered(s))
			st.timeouts++;
		bad = got != s->err || s->got_ack != s->want_ack ||
		      s->got_done != s->want_done ||
		      !!s->got_data != s->want_data || s->got_data > 1 ||
		      (s->got_parts && !s->want_done);
		if (bad) {
			if (st.mispredicted++ < 10 || verbose)
				print_sub("misprediction", msgno, kind, m, bt, s,
					  got);
			resync |= s->ours;
			continue;
		}
		if (!s->ours || s->err || s->cmd >= ARRAY_SIZE(cmds))
			continue;
		st.accepted[s->cmd]++;
		if (cmds[s->cmd].flags & C_CHANGES)
			st.tracked++;
		/* A read alone in its send: what it says is the model. */
		if (bt->n != 1 || !(cmds[s->cmd].flags & C_READ) ||
		    s->cmd == SIPCODE_CMD_METHOD_GET ||
		    s->cmd == SIPCODE_CMD_REASON_GET)
			continue;
		st.read_checks++;
		if (read_diff(msgno, s, md)) {
			st.read_diffs++;
			resync = true;
		}
	}
	return resync;
}

/* A request of our own, its replies to @md; 0 or the kernel's -errno. */
static int transact(int fd, uint16_t type, uint8_t cmd, uint16_t flags,
		    const struct msg *attrs, struct model *md,
		    void (*fn)(const struct nlmsghdr *, void *), void *arg)
{
	static struct msg m;
	static struct batch bt;
	struct sub *s = &bt.sub[0];

	m.len = 0;
	msg_begin(&m, type, flags, cmd, type == GENL_ID_CTRL ? 2 :
		  SIPCODE_GENL_VERSION);
	if (attrs) {
		memcpy(m.b + m.len, attrs->b, attrs->len);
		m.len += attrs->len;
	}
	msg_end(&m);
	memset(&bt, 0, sizeof(bt));
	bt.n = 1;
	s->off = 0;
	memcpy(&s->hdr, m.b, sizeof(s->hdr));
	s->known = true;
	s->cmd = cmd;
	s->want_done = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	s->want_ack = !s->want_done;
	nl_send(fd, m.b, m.len);
	for (;;) {
		ssize_t n = nl_recv(fd, wait_ms);
		const struct nlmsghdr *h;
		int len;

		if (n == 0) {
			fprintf(stderr, "nlfuzz: no reply to %s\n",
				type == fam_id ? cmd_name(cmd) : "the controller");
			return -ETIMEDOUT;
		}
		if (n < 0)
			continue;
		len = n;
		for (h = (const struct nlmsghdr *)rbuf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != s->hdr.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR ||
			    h->nlmsg_type == NLMSG_DONE) {
				on_reply(h, &bt, false);
				if (answer(s) || !s->want_done || s->got_done)
					return answer(s);
			} else if (fn) {
				fn(h, arg);
			} else if (type == fam_id && md) {
				read_reply(h, cmd, md);
			}
		}
	}
}

/* The kernel's configuration into @md: 0, or -errno. */
static int read_kernel(int fd, struct model *md)
{
	int err;

	memset(md, 0, sizeof(*md));
	err = transact(fd, fam_id, SIPCODE_CMD_STATS_GET,
		       NLM_F_REQUEST | NLM_F_DUMP, NULL, md, NULL, NULL);
	if (!err)
		err = transact(fd, fam_id, SIPCODE_CMD_PORTS_GET,
			       NLM_F_REQUEST | NLM_F_ACK, NULL, md, NULL, NULL);
	if (!err)
		err = transact(fd, fam_id, SIPCODE_CMD_RULE_GET,
			       NLM_F_REQUEST | NLM_F_DUMP, NULL, md, NULL,
			       NULL);
	if (!err)
		err = transact(fd, fam_id, SIPCODE_CMD_CONFIG_GET,
			       NLM_F_REQUEST | NLM_F_ACK, NULL, md, NULL, NULL);
	if (err)
		fprintf(stderr, "nlfuzz: reading the configuration: %s\n",
			errno_name(-err));
	return err;
}

/* The model against the kernel: the differences, printed. */
static unsigned int compare(int fd, const struct model *md)
{
	static struct model got;

	if (read_kernel(fd, &got))
		return 1;
	return model_diff("kernel vs model", md, &got, P_ALL, true);
}

/* ---------------------------------------------------------------------
 * The family: its id and its multicast group.
 */

struct family {
	uint16_t id;
	uint32_t version;
	uint32_t events_grp;
};

static void on_family(const struct nlmsghdr *h, void *arg)
{
	const uint8_t *p = (const uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN;
	struct family *f = arg;
	struct tb tb, gtb;
	int rem;
	uint16_t l;

	parse_reply(p, h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, &tb);
	if (tb_has(&tb, CTRL_ATTR_FAMILY_ID, 2))
		f->id = tb_uint(&tb, CTRL_ATTR_FAMILY_ID);
	if (tb_has(&tb, CTRL_ATTR_VERSION, 4))
		f->version = tb_uint(&tb, CTRL_ATTR_VERSION);
	if (!tb.a[CTRL_ATTR_MCAST_GROUPS])
		return;
	p = tb.a[CTRL_ATTR_MCAST_GROUPS];
	rem = get16(p) - NLA_HDRLEN;
	for (p += NLA_HDRLEN;
	     rem >= NLA_HDRLEN && (l = get16(p)) >= NLA_HDRLEN && l <= rem;
	     rem -= NLA_ALIGN(l), p += NLA_ALIGN(l)) {
		const uint8_t *name;

		parse_reply(p + NLA_HDRLEN, l - NLA_HDRLEN, &gtb);
		name = gtb.a[CTRL_ATTR_MCAST_GRP_NAME];
		if (name && tb_has(&gtb, CTRL_ATTR_MCAST_GRP_ID, 4) &&
		    get16(name) > NLA_HDRLEN &&
		    !strncmp((const char *)name + NLA_HDRLEN,
			     SIPCODE_GENL_MCGRP_EVENTS, get16(name) - NLA_HDRLEN))
			f->events_grp = tb_uint(&gtb, CTRL_ATTR_MCAST_GRP_ID);
	}
}

/* CTRL_CMD_GETFAMILY: 0, or -errno. */
static int resolve_family(int fd, struct family *f)
{
	static struct msg attrs;

	attrs.len = 0;
	attrs.start = 0;
	attrs.depth = 0;
	put(&attrs, CTRL_ATTR_FAMILY_NAME, SIPCODE_GENL_NAME,
	    sizeof(SIPCODE_GENL_NAME));
	memset(f, 0, sizeof(*f));
	return transact(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
			NLM_F_REQUEST | NLM_F_ACK, &attrs, NULL, on_family, f);
}

/* A second socket in the events group: its fd, or -1. */
static int events_open(uint32_t grp)
{
	int fd = nl_open(), one = 1;

	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)) < 0) {
		fprintf(stderr, "nlfuzz: joining the events group: %s\n",
			strerror(errno));
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	return fd;
}

static void events_drain(int fd)
{
	const struct nlmsghdr *h;
	ssize_t n;
	int len;

	while ((n = nl_recv(fd, 0)) != 0) {
		if (n < 0) {
			st.events_enobufs++;
			continue;
		}
		len = n;
		for (h = (const struct nlmsghdr *)rbuf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len))
			st.events += h->nlmsg_type == fam_id;
	}
}

/*
 * -u: a SIP request and responses over UDP on the loopback, to a port of
 * the set, so that counters, insight tables, events and the transaction
 * table have something in them while the configuration changes: the
 * responses mostly of the request's transaction (a provisional, a final,
 * the final again), else of none. What they count is not checked here.
 */
static int traffic_open(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		perror("nlfuzz: UDP socket");
		exit(2);
	}
	/* A new namespace's loopback is down: up, where that is allowed. */
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr) && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	return fd;
}

static void traffic_send(int fd, const struct model *md)
{
	static const char *const methods[] = {
		"INVITE", "REGISTER", "BYE", "OPTIONS", "invite", "FOO",
	};
	static const char *const phrases[] = {
		"OK", "Busy Here", "Not Found", "", "Temporarily Unavailable",
	};
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	unsigned int start = rnd_below(sizeof(md->ports)), i, k, port = 0;
	unsigned int txn = rnd_below(1u << 20), code = 0, cseq;
	const char *method;
	char buf[512];
	int n;

	for (i = 0; i < sizeof(md->ports) && !port; i++) {
		k = (start + i) % sizeof(md->ports);
		if (md->ports[k])
			port = k * 8 + __builtin_ctz(md->ports[k]);
	}
	if (!port)
		return;
	to.sin_port = htons(port);
	method = methods[rnd_below(ARRAY_SIZE(methods))];
	cseq = rnd_below(100);
	for (k = 0; k < 4; k++) {
		if (!k)
			n = snprintf(buf, sizeof(buf),
				     "%s sip:bob@example.com SIP/2.0\r\n"
				     "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-nlf%u\r\n"
				     "Call-ID: nlfuzz-%u@example.com\r\n"
				     "CSeq: %u %s\r\nContent-Length: 0\r\n\r\n",
				     method, txn, txn, cseq, method);
		else if (chance(80))
			n = snprintf(buf, sizeof(buf),
				     "SIP/2.0 %u %s\r\n"
				     "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-nlf%u\r\n"
				     "Call-ID: nlfuzz-%u@example.com\r\n"
				     "CSeq: %u %s\r\nContent-Length: 0\r\n\r\n",
				     code = k == 1 ? 100 + rnd_below(100) :
				     k == 2 || !code ? 200 + rnd_below(500) : code,
				     phrases[rnd_below(ARRAY_SIZE(phrases))],
				     txn, txn, cseq, method);
		else
			n = snprintf(buf, sizeof(buf),
				     "SIP/2.0 %u %s\r\nCSeq: %u %s\r\nContent-Length: 0\r\n\r\n",
				     chance(50) ? 480 + rnd_below(20) :
				     SIPCODE_CODE_MIN + rnd_below(SIPCODE_NCODES),
				     phrases[rnd_below(ARRAY_SIZE(phrases))],
				     rnd_below(100), methods[rnd_below(ARRAY_SIZE(methods))]);
		if (sendto(fd, buf, n, 0, (struct sockaddr *)&to,
			   sizeof(to)) < 0)
			st.traffic_refused++;	/* dropped by a rule */
		else
			st.traffic++;
	}
}

/*
 * What the kernel does that the UAPI leaves open: whether this process
 * may change the namespace's configuration (a RULE_DEL without its rule
 * is refused for the permission first, -EPERM, or for the rule, -EINVAL);
 * whether the permission is checked before the command is known to take
 * a dump (6.1) or after (a dump of RULE_FLUSH: -EPERM or -EOPNOTSUPP);
 * and whether a command without a policy refuses attributes (kernels
 * without genetlink's reject-all policy ignore them).
 */
static void probe(int fd, struct ctx *x)
{
	static const uint8_t none[1];
	static struct msg attrs;
	int err;

	err = transact(fd, fam_id, SIPCODE_CMD_RULE_DEL,
		       NLM_F_REQUEST | NLM_F_ACK, NULL, NULL, NULL, NULL);
	x->admin = err != -EPERM;
	err = transact(fd, fam_id, SIPCODE_CMD_RULE_FLUSH,
		       NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, NULL, NULL, NULL,
		       NULL);
	x->perm_first = err == -EPERM;
	attrs.len = 0;
	attrs.depth = 0;
	put(&attrs, 1, none, 0);
	err = transact(fd, fam_id, SIPCODE_CMD_PORTS_GET,
		       NLM_F_REQUEST | NLM_F_ACK, &attrs, &scratch, NULL, NULL);
	x->legacy = !err;
}

/* ---------------------------------------------------------------------
 * Main.
 */

/*
 * The module's dry_run parameter (0444): the dry-run mode CONFIG_REPLACE
 * sets when the request does not say.
 */
static uint8_t read_default_dry_run(void)
{
	FILE *f = fopen("/sys/module/sipcode/parameters/dry_run", "r");
	int c = f ? fgetc(f) : EOF;

	if (f)
		fclose(f);
	if (c == EOF)
		fprintf(stderr, "nlfuzz: the module's dry_run parameter cannot be read: taken as off\n");
	return c == 'Y' || c == 'y' || c == '1';
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: nlfuzz [-n COUNT] [-s SEED] [-t SECONDS] [-w MS] [-c] [-C EVERY] [-m] [-r] [-u EVERY] [-v]\n");
	exit(2);
}

static unsigned long num(const char *s, unsigned long lo, unsigned long hi)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v < lo || v > hi)
		bad_usage();
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The summary line on stdout: messages and requests sent, the kernel's
 * answers by errno, replies, and the model's counts; a breakdown on
 * stderr.
 */
static void summary(double secs, unsigned int diffs)
{
	unsigned int i;

	printf("nlfuzz: %lu messages, %lu requests, %.1f s, %.0f msgs/s; replies:",
	       st.sends, st.requests, secs, secs > 0 ? st.sends / secs : 0);
	for (i = 0; i < ARRAY_SIZE(st.errnos); i++)
		if (st.errnos[i])
			printf(" %s:%lu", errno_name(i), st.errnos[i]);
	if (st.other_errno)
		printf(" other:%lu", st.other_errno);
	printf("; dumps %lu (%lu of several messages), data %lu, no reply %lu, timeouts %lu",
	       st.dumps, st.dumps_split, st.data, st.noreply, st.timeouts);
	printf("; model: %lu accepts tracked, %lu resyncs, %lu mispredicted",
	       st.tracked, st.resyncs, st.mispredicted);
	printf(", %lu reads checked, %lu differ, %u differences at the end\n",
	       st.read_checks, st.read_diffs, diffs);

	fprintf(stderr, "nlfuzz: messages:");
	for (i = 0; i < G_N; i++)
		fprintf(stderr, " %s %lu", gen_names[i], st.gens[i]);
	fprintf(stderr, "\nnlfuzz: accepted/sent:");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (st.asked[i])
			fprintf(stderr, " %s %lu/%lu", cmd_name(i),
				st.accepted[i], st.asked[i]);
	fprintf(stderr, "\nnlfuzz: empty sends %lu, stray replies %lu, ENOBUFS %lu",
		st.empty, st.stray, st.enobufs);
	fprintf(stderr, ", malformed replies %u, events %lu (ENOBUFS %lu)",
		reply_faults, st.events, st.events_enobufs);
	fprintf(stderr, ", SIP responses sent %lu (refused %lu)\n",
		st.traffic, st.traffic_refused);
}

int main(int argc, char **argv)
{
	static struct model md;
	static struct batch bt;
	static struct msg m;
	unsigned long count = 100000, secs = 0, every = 0, udp_every = 0, i;
	unsigned int diffs = 0;
	bool cmp = false, events = false;
	int opt, fd, efd = -1, ufd = -1;
	struct family fam;
	struct ctx x = { 0 };
	double t0;
	enum gen kind;

	while ((opt = getopt(argc, argv, "n:s:t:w:cC:mru:vh")) != -1) {
		switch (opt) {
		case 'n':
			count = num(optarg, 1, ~0UL);
			break;
		case 's':
			rng_state = num(optarg, 0, ~0UL) * 2 + 1;
			break;
		case 't':
			secs = num(optarg, 0, ~0UL);
			break;
		case 'w':
			wait_ms = num(optarg, 1, 600000);
			break;
		case 'c':
			cmp = true;
			break;
		case 'C':
			every = num(optarg, 1, ~0UL);
			cmp = true;
			break;
		case 'm':
			events = true;
			break;
		case 'r':
			readonly = true;
			break;
		case 'u':
			udp_every = num(optarg, 1, ~0UL);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc)
		bad_usage();
	check_tables();

	fd = nl_open();
	if (resolve_family(fd, &fam) || !fam.id) {
		fprintf(stderr, "nlfuzz: no %s generic netlink family (is the module loaded?)\n",
			SIPCODE_GENL_NAME);
		return 2;
	}
	fam_id = fam.id;
	if (fam.version != SIPCODE_GENL_VERSION)
		fprintf(stderr, "nlfuzz: family version %u, not %u\n",
			fam.version, SIPCODE_GENL_VERSION);
	probe(fd, &x);
	default_dry_run = read_default_dry_run();
	if (read_kernel(fd, &md))
		return 2;
	if (events && fam.events_grp)
		efd = events_open(fam.events_grp);
	if (udp_every)
		ufd = traffic_open();
	fprintf(stderr, "nlfuzz: family %u, events group %u%s; %s%s%s%s\n",
		fam.id, fam.events_grp, efd >= 0 ? " (joined)" : "",
		x.admin ? "admin" : "not admin: changes refused",
		x.perm_first ? " before the command's form is checked" : "",
		x.legacy ? "; attributes of commands without a policy ignored" :
		"", readonly ? "; read-only" : "");

	t0 = now();
	for (i = 0; i < count; i++) {
		if (secs && now() - t0 >= secs)
			break;
		do {
			kind = gen_send(&m, &md);
		} while (readonly && sends_change(&m));
		st.sends++;
		st.gens[kind]++;
		predict(&m, &bt, &md, &x);
		nl_send(fd, m.b, m.len);
		collect(fd, &bt);
		if (check_batch(i, kind, &m, &bt, &md)) {
			st.resyncs++;
			if (read_kernel(fd, &md))
				return 1;
		}
		if (ufd >= 0 && i % udp_every == 0)
			traffic_send(ufd, &md);
		if (efd >= 0 && i % 256 == 0)
			events_drain(efd);
		if (every && (i + 1) % every == 0)
			diffs += compare(fd, &md);
	}
	if (efd >= 0)
		events_drain(efd);
	if (cmp)
		diffs += compare(fd, &md);
	summary(now() - t0, diffs);
	return st.mispredicted || st.timeouts || st.read_diffs || diffs ||
	       reply_faults ? 1 : 0;
}
