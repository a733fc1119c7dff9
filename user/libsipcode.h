/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libsipcode: the sipcode generic netlink family as plain structs and a
 * handle. Every call returns 0 or a negative errno, and never prints:
 * after a failure, sc_why() says what went wrong (the kernel's extended
 * ack, or why a reply could not be read), sc_by_kernel() whether the
 * kernel refused. The model is the same for reading and for writing.
 */
#ifndef LIBSIPCODE_H
#define LIBSIPCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/sipcode.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define SC_CLASS_MIN	(SIPCODE_CODE_MIN / 100)
#define SC_CLASS_MAX	(SIPCODE_CODE_MAX / 100)
#define SC_MASK_ALL	0xffffffffU

/* --- the model ------------------------------------------------------- */

enum sc_match { SC_MATCH_CODE, SC_MATCH_RANGE, SC_MATCH_CLASS };

struct sc_rule {
	enum sc_match type;
	uint32_t low, high;	/* the codes it matches: 500 and 599 */
	uint32_t action;	/* SIPCODE_ACTION_* */
	uint32_t mark, mask;	/* SIPCODE_ACTION_MARK */
	bool notify;
	char peer[SIPCODE_PEER_NAME_MAX];	/* a peer's rule; "" for all */
};

/* Which settings a struct sc_config holds (read) or changes (set). */
enum sc_key {
	SC_DRY_RUN, SC_BY_METHOD, SC_REASONS, SC_EVENT_RATE, SC_TRANSACTIONS,
	SC_TRANSACTIONS_MAX, SC_RELAYED, SC_NKEYS
};

/* A setting that is a number; the others are switches, 0 or 1. */
static inline bool sc_key_number(unsigned int k)
{
	return k == SC_EVENT_RATE || k == SC_TRANSACTIONS_MAX;
}

/* A prefix of a peer: its first @len bits of @addr, the others 0. */
struct sc_prefix {
	uint32_t family;	/* AF_INET or AF_INET6 */
	uint32_t len;		/* 0 to 32, or to 128 */
	unsigned char addr[16];	/* network order; IPv4 in the first 4 */
};

struct sc_peer {
	char name[SIPCODE_PEER_NAME_MAX];	/* sc_peer_name_valid() */
	struct sc_prefix *prefixes;		/* the kernel's order; free() */
	size_t nprefixes;
};

/* 1 to 31 bytes, each a letter, a digit or one of "-_.:@" (ASCII). */
bool sc_peer_name_valid(const char *name);
/* Sets the bits of @x past its length to 0. */
void sc_prefix_mask(struct sc_prefix *x);

struct sc_config {
	uint32_t ports[SIPCODE_PORTS_MAX];	/* ascending, no duplicate */
	unsigned int nports;
	uint32_t val[SC_NKEYS];		/* by SC_*; the switches 0 or 1 */
	unsigned int have;		/* 1 << SC_* */
	struct sc_rule *rules;		/* the kernel's order: peers' last */
	size_t nrules;
	struct sc_peer *peers;		/* the kernel's order: by name */
	size_t npeers;
};

/* What sc_config_get() reads besides the ports and the settings. */
enum { SC_GET_RULES = 1, SC_GET_PEERS = 2 };

struct sc_counters {
	uint64_t seen, dropped, marked;
	/* Of those seen, with transactions on: see the spec's code nest. */
	uint64_t first_final, retransmitted;
	/* Of those seen, received and sent by the host: with @dir only. */
	uint64_t in, out;
	bool dir;	/* the kernel gave them: an older module does not */
	/* Of in, those the host relays (forwards): with @relay only. */
	uint64_t relayed;
	bool relay;	/* the kernel gave it: while relayed is on */
};

struct sc_stats {
	struct sc_counters code[SIPCODE_NCODES];	/* by code - 100 */
	uint64_t uc[SIPCODE_UC_A_MAX + 1];		/* SIPCODE_UC_A_* */
	uint64_t ev[SIPCODE_EVENTS_A_MAX + 1];		/* SIPCODE_EVENTS_A_* */
	bool have_ev;
	bool inactive;		/* the namespace is not inspected */
};

/*
 * A counter of peer-stats-get: @code 100 to 699, or 1 to 6 for the codes
 * of that class that have no counter of their own (SIPCODE_PEER_COLUMNS).
 */
struct sc_count {
	uint32_t code;
	uint64_t count;
};

/* The methods whose transactions' first finals are counted: 0 and 1. */
#define SC_FINAL_METHODS	2

/* INVITE 0, REGISTER 1: the index of @method's first finals; else -1. */
static inline int sc_final_index(uint32_t method)
{
	return method == SIPCODE_METHOD_INVITE ? 0 :
	       method == SIPCODE_METHOD_REGISTER ? 1 : -1;
}

/*
 * A peer's transactions in a row's direction, counted while the
 * transaction table is on: in, those the peer answered (requests to its
 * addresses, first final responses from them); out, those it asked
 * (requests from its addresses, first finals to them).
 */
struct sc_peer_txn {
	uint32_t methods;	/* 1 << SIPCODE_METHOD_* the kernel sent */
	uint64_t tracked[__SIPCODE_METHOD_MAX];	/* remembered anew */
	/*
	 * By sc_final_index(): the first finals of INVITE and REGISTER, as
	 * struct sc_txn_method's @final (a class's column: 1 to 6).
	 */
	struct sc_count final[SC_FINAL_METHODS][SIPCODE_PEER_COLUMNS];
	size_t nfinal[SC_FINAL_METHODS];
};

/*
 * The counters of a peer, or of no peer (@other), in one direction: the
 * kernel's nests of the same name and direction, joined.
 */
struct sc_peer_stats {
	char name[SIPCODE_PEER_NAME_MAX];	/* "" with @other */
	bool other;		/* addresses in no peer's prefixes */
	uint32_t dir;		/* SIPCODE_DIR_IN or _OUT */
	struct sc_count c[SIPCODE_PEER_COLUMNS];	/* the kernel's order */
	size_t n;		/* those not zero: the kernel sends no other */
	struct sc_peer_txn txn;	/* a peer's; none: txn.methods 0 */
};

struct sc_method_count {
	uint32_t code, method;
	uint64_t count;
};

/* txn-get: the transaction table, its requests per method, its delays. */
struct sc_txn_method {
	uint32_t method;
	uint64_t n[SIPCODE_TXN_METHOD_A_MAX + 1];	/* SIPCODE_TXN_METHOD_A_* */
	/*
	 * INVITE and REGISTER: the first final responses of the method's
	 * transactions, as a peer's counters (a class's column: 1 to 6).
	 */
	struct sc_count final[SIPCODE_PEER_COLUMNS];
	size_t nfinal;
};

struct sc_delay {
	uint32_t kind;		/* SIPCODE_DELAY_* */
	uint32_t cls;		/* 2 to 6 for the *-final kinds, else 0 */
	uint64_t count, sum_us;
	unsigned int nb;	/* buckets, ascending */
	uint32_t le_us[SIPCODE_DELAY_BUCKETS];	/* 0: +Inf, the last */
	uint64_t bucket[SIPCODE_DELAY_BUCKETS];	/* not cumulative */
};

struct sc_txn {
	uint32_t max;				/* transactions-max */
	uint64_t n[SIPCODE_TXN_A_MAX + 1];	/* SIPCODE_TXN_A_* */
	struct sc_txn_method *m;		/* the kernel's order; free() */
	size_t nm;
	struct sc_delay *d;			/* free() */
	size_t nd;
};

struct sc_reason {
	uint32_t code;
	uint64_t count;
	size_t len;
	bool truncated;		/* the phrase went on past len */
	unsigned char phrase[SIPCODE_REASON_MAX];
};

struct sc_event {
	uint32_t code, method, family, proto, sport, dport, action, mark;
	bool dry_run, truncated;
	size_t len;
	unsigned char phrase[SIPCODE_REASON_MAX];
	unsigned char saddr[16], daddr[16];
	char peer[SIPCODE_PEER_NAME_MAX];	/* "" for none */
};

/* --- the names, one table each --------------------------------------- */

struct sc_name {
	int id;			/* SIPCODE_* value */
	const char *text;	/* in the table and on the command line */
	const char *key;	/* in JSON and Prometheus */
};

/* By SIPCODE_ACTION_*, NULL when none; by enum sc_match. */
extern const char *const sc_actions[SIPCODE_ACTION_MAX + 1];
extern const char *const sc_matches[3];
extern const struct sc_name sc_keys[SC_NKEYS];	/* dry-run, ... */
extern const struct sc_name sc_uncounted[9];	/* in printed order */
extern const struct sc_name sc_events[4];	/* sent, rate-limited, ... */
extern const char *const sc_methods[SIPCODE_NMETHODS];
extern const struct sc_name sc_txn_counters[6];	/* entries, ... */
extern const struct sc_name sc_txn_method_counters[4];	/* tracked, ... */
/* By SIPCODE_DIR_*: "in", "out", in text, JSON and Prometheus. */
extern const char *const sc_directions[SIPCODE_DIR_OUT + 1];
/* By SIPCODE_DELAY_*: "SRD INVITE", ...; the key "srd", ... */
extern const struct sc_name sc_delays[SIPCODE_DELAY_MAX + 1];

/* The name of action @a, NULL when it is none. */
static inline const char *sc_action(uint32_t a)
{
	return a < ARRAY_SIZE(sc_actions) ? sc_actions[a] : NULL;
}

/* --- the handle ------------------------------------------------------ */

struct sc_handle;

/*
 * Resolves the family (which autoloads an installed module).
 * -ENOENT: no such family, the module is not loaded.
 */
int sc_open(struct sc_handle **h);
void sc_close(struct sc_handle *h);
const char *sc_why(const struct sc_handle *h);
bool sc_by_kernel(const struct sc_handle *h);

int sc_stats_get(struct sc_handle *h, struct sc_stats *s);
/*
 * Ports and settings; the rules and the peers too with SC_GET_RULES and
 * SC_GET_PEERS in @what (sc_config_free()). A module without peers has
 * none.
 */
int sc_config_get(struct sc_handle *h, struct sc_config *c,
		  unsigned int what);
void sc_config_free(struct sc_config *c);
/*
 * One change, all or nothing: SIPCODE_CMD_PORTS_SET (the ports of @c),
 * _CONFIG_SET (its settings in c->have), _CONFIG_REPLACE (the whole of
 * @c: its rules and its peers, none if none, replace the kernel's; a
 * rule's peer is one of @c's), _RULE_ADD or _RULE_DEL (@r, with its peer
 * if it is a peer's), _RULE_FLUSH, _PEER_FLUSH or _STATS_RESET.
 */
int sc_change(struct sc_handle *h, uint8_t cmd, const struct sc_config *c,
	      const struct sc_rule *r);
/*
 * One change of the peers: SIPCODE_CMD_PEER_ADD (@p whole), _PEER_DEL
 * (its name) or _PEER_FLUSH. -EMSGSIZE: the prefixes of @p take more
 * than a netlink attribute holds (64 KB).
 */
int sc_peer_change(struct sc_handle *h, uint8_t cmd, const struct sc_peer *p);
/* The dump of the peers, by name. sc_peers_free() them. */
int sc_peers_get(struct sc_handle *h, struct sc_peer **p, size_t *n);
void sc_peers_free(struct sc_peer *p, size_t n);
/*
 * The peer-stats dump: two rows (in, then out) for each peer by name,
 * then two for no peer; none while the namespace has no peer. A peer's
 * row has its transactions too (a module before them sends none). A dump
 * that spans a change of the peers runs again. -EOPNOTSUPP from the
 * kernel: a module without them. sc_peer_stats_free() the array.
 */
int sc_peer_stats_get(struct sc_handle *h, struct sc_peer_stats **r,
		      size_t *n);
/* A row owns nothing besides itself now; this frees what it may later. */
void sc_peer_stats_free(struct sc_peer_stats *r);
/* -ENODATA: the table is off. free() the array. */
int sc_methods_get(struct sc_handle *h, struct sc_method_count **m,
		   size_t *n);
int sc_reasons_get(struct sc_handle *h, struct sc_reason **r, size_t *n);
/* -ENODATA: transactions are off. sc_txn_free() it. */
int sc_txn_get(struct sc_handle *h, struct sc_txn *t);
void sc_txn_free(struct sc_txn *t);
/*
 * The @q quantile (0 to 1) of @d in microseconds, estimated as
 * Prometheus's histogram_quantile(): linear inside its bucket, the bound
 * below the +Inf one when it falls there. -1 when @d has no delay.
 */
double sc_delay_quantile(const struct sc_delay *d, double q);

/*
 * Joins the group of the events on a socket of its own: its fd for
 * poll(). sc_events_read() reads what is queued, calling @each per
 * event until it returns non-zero: 0 when nothing is left, 1 when
 * @each stopped, -ENOBUFS when events were lost to an overrun (call it
 * again), -EBADMSG for each event that could not be parsed.
 */
int sc_events_subscribe(struct sc_handle *h);
int sc_events_read(struct sc_handle *h,
		   int (*each)(const struct sc_event *e, void *arg),
		   void *arg);

#endif /* LIBSIPCODE_H */
