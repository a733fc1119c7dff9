// SPDX-License-Identifier: GPL-2.0
/*
 * libsipcode: one handle on the sipcode generic netlink family, and each
 * command as a call that fills or reads the model of libsipcode.h.
 * Every integer attribute is a u32, but the counters (u64).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "libsipcode.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif
#define DUMP_TRIES	10
#define RCVBUF		(1 << 20)

const char *const sc_actions[SIPCODE_ACTION_MAX + 1] = {
	[SIPCODE_ACTION_COUNT] = "count",
	[SIPCODE_ACTION_DROP] = "drop",
	[SIPCODE_ACTION_MARK] = "mark",
};

const char *const sc_matches[3] = { "code", "range", "class" };

const struct sc_name sc_keys[SC_NKEYS] = {
	{ SIPCODE_A_DRY_RUN, "dry-run", "dry_run" },
	{ SIPCODE_A_BY_METHOD, "by-method", "by_method" },
	{ SIPCODE_A_REASONS, "reasons", "reasons" },
	{ SIPCODE_A_EVENT_RATE, "event-rate", "event_rate" },
	{ SIPCODE_A_TRANSACTIONS, "transactions", "transactions" },
	{ SIPCODE_A_TXN_MAX, "transactions-max", "transactions_max" },
	{ SIPCODE_A_RELAYED, "relayed", "relayed" },
};

const struct sc_name sc_uncounted[9] = {
	{ SIPCODE_UC_A_NOT_RESPONSE, "not a response", "not_response" },
	{ SIPCODE_UC_A_MALFORMED, "malformed", "malformed" },
	{ SIPCODE_UC_A_TRUNCATED, "truncated", "truncated" },
	{ SIPCODE_UC_A_KEEPALIVE, "keep-alive", "keepalive" },
	{ SIPCODE_UC_A_FRAGMENT, "fragment", "fragment" },
	{ SIPCODE_UC_A_TCP_MIDSTREAM, "TCP mid-stream", "tcp_midstream" },
	{ SIPCODE_UC_A_TCP_UNFRAMED, "TCP unframed", "tcp_unframed" },
	{ SIPCODE_UC_A_TCP_RETRANSMIT, "TCP retransmit", "tcp_retransmit" },
	{ SIPCODE_UC_A_TCP_UNTRACKED, "TCP untracked", "tcp_untracked" },
};

const struct sc_name sc_events[4] = {
	{ SIPCODE_EVENTS_A_SENT, "sent", "sent" },
	{ SIPCODE_EVENTS_A_RATELIMITED, "rate-limited", "ratelimited" },
	{ SIPCODE_EVENTS_A_LOST, "lost", "lost" },
	{ SIPCODE_EVENTS_A_UNHEARD, "unheard", "unheard" },
};

const char *const sc_methods[SIPCODE_NMETHODS] = {
	"other", "INVITE", "REGISTER", "OPTIONS", "BYE", "CANCEL", "ACK",
	"PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER",
	"MESSAGE", "UPDATE",
};

const struct sc_name sc_txn_counters[6] = {
	{ SIPCODE_TXN_A_ENTRIES, "entries", "entries" },
	{ SIPCODE_TXN_A_TRACKED, "requests tracked", "tracked" },
	{ SIPCODE_TXN_A_UNTRACKED, "requests untracked", "untracked" },
	{ SIPCODE_TXN_A_RETRANSMITTED, "requests retransmitted", "retransmitted" },
	{ SIPCODE_TXN_A_UNMATCHED, "responses unmatched", "unmatched" },
	{ SIPCODE_TXN_A_TIMEOUTS, "timeouts", "timeouts" },
};

const struct sc_name sc_txn_method_counters[4] = {
	{ SIPCODE_TXN_METHOD_A_TRACKED, "TRACKED", "tracked" },
	{ SIPCODE_TXN_METHOD_A_UNTRACKED, "UNTRACKED", "untracked" },
	{ SIPCODE_TXN_METHOD_A_RETRANSMITTED, "RETRANS", "retransmitted" },
	{ SIPCODE_TXN_METHOD_A_TIMEOUTS, "TIMEOUTS", "timeouts" },
};

const char *const sc_directions[SIPCODE_DIR_OUT + 1] = {
	[SIPCODE_DIR_IN] = "in",
	[SIPCODE_DIR_OUT] = "out",
};

const struct sc_name sc_delays[SIPCODE_DELAY_MAX + 1] = {
	[SIPCODE_DELAY_SRD] = { SIPCODE_DELAY_SRD, "SRD INVITE", "srd" },
	[SIPCODE_DELAY_RRD] = { SIPCODE_DELAY_RRD, "RRD REGISTER", "rrd" },
	[SIPCODE_DELAY_INVITE_FINAL] = { SIPCODE_DELAY_INVITE_FINAL,
					 "INVITE final", "invite_final" },
	[SIPCODE_DELAY_OTHER_FINAL] = { SIPCODE_DELAY_OTHER_FINAL,
					"other final", "other_final" },
};

struct sc_handle {
	struct nl_sock *sk, *ev;
	int family;
	bool kernel;		/* the last error came from the kernel */
	char why[256];
};

/* One request: what it sends, and what reads each reply's attributes. */
struct req {
	struct sc_handle *h;
	uint8_t cmd;
	int flags;
	int (*fill)(struct req *rq, struct nl_msg *msg);
	int (*attr)(struct req *rq, struct nlattr *a);
	size_t *restart;	/* a dump: the count to zero to run it again */
	void (*undo)(struct req *rq);	/* and frees what it read first */
	const struct sc_config *in;	/* what a change sends */
	const struct sc_rule *rule;	/* or its rule */
	const struct sc_peer *peer;	/* or its peer */
	void *out;
	bool done, intr;
	int err;
};

static int fail(struct sc_handle *h, int err, const char *why)
{
	h->kernel = false;
	snprintf(h->why, sizeof(h->why), "%s", why);
	return err;
}

static int nl_fail(struct sc_handle *h, int nle)
{
	return fail(h, nle == NLE_NOMEM ? -ENOMEM : -EIO, nl_geterror(nle));
}

const char *sc_why(const struct sc_handle *h)
{
	return h->why;
}

bool sc_by_kernel(const struct sc_handle *h)
{
	return h->kernel;
}

static bool get_u(const struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) != 4)
		return false;
	*v = nla_get_u32(a);
	return true;
}

static uint64_t get_u64(const struct nlattr *a)
{
	return a && nla_len(a) == 8 ? nla_get_u64(a) : 0;
}

static bool get_code(const struct nlattr *a, uint32_t *code)
{
	return get_u(a, code) && *code >= SIPCODE_CODE_MIN &&
	       *code <= SIPCODE_CODE_MAX;
}

/* Keeps the extended ack of @nlh, whose TLVs start at @off. */
static void ext_ack(struct req *rq, struct nlmsghdr *nlh, size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	char *p;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= off ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG]) {
		snprintf(rq->h->why, sizeof(rq->h->why), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
		for (p = rq->h->why; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
	}
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e));
	struct req *rq = arg;

	(void)nla;
	rq->done = true;
	rq->err = e->error;
	rq->h->kernel = true;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	ext_ack(rq, nlh, off);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct req *)arg)->done = true;
	return NL_STOP;
}

/* The end of a dump: its payload is the dump's error, 0 or -errno. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req *rq = arg;
	int e = 0;

	rq->done = true;
	if (nlmsg_datalen(nlh) >= (int)sizeof(e))
		memcpy(&e, nlmsg_data(nlh), sizeof(e));
	if (e < 0) {
		rq->err = e;
		rq->h->kernel = true;
		ext_ack(rq, nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(e)));
	}
	return NL_STOP;
}

/* A message of an interrupted dump; with no @arg, any message is OK. */
static int on_intr(struct nl_msg *msg, void *arg)
{
	(void)msg;
	if (arg)
		((struct req *)arg)->intr = true;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req *rq = arg;
	struct nlattr *a;
	int rem, ret = 0;

	if (nlh->nlmsg_type != rq->h->family || !genlmsg_valid_hdr(nlh, 0))
		ret = -EBADMSG;
	else if (rq->attr)
		nla_for_each_attr(a, genlmsg_attrdata(genlmsg_hdr(nlh), 0),
				  genlmsg_attrlen(genlmsg_hdr(nlh), 0), rem)
			if ((ret = rq->attr(rq, a)) < 0)
				break;
	if (ret >= 0)
		return NL_OK;
	rq->done = true;
	rq->err = fail(rq->h, ret, ret == -ENOMEM ? "out of memory" :
		       "bad reply from the kernel");
	return NL_STOP;
}

/* The bytes of @p as a nest, at most: its name, and a nest a prefix. */
static size_t peer_size(const struct sc_peer *p)
{
	size_t prefix = nla_total_size(0) + nla_total_size(16) +
			nla_total_size(4);

	return nla_total_size(0) + nla_total_size(SIPCODE_PEER_NAME_MAX) +
	       p->nprefixes * prefix;
}

/* The bytes of a peer's rule as a nest, at most: with mark and notify. */
#define PEER_RULE_SIZE	(2 * nla_total_size(0) + 6 * nla_total_size(4) + \
			 nla_total_size(SIPCODE_PEER_NAME_MAX))

/* A message for @rq: a page, or room for a configuration or a peer. */
static struct nl_msg *msg_alloc(const struct req *rq)
{
	size_t size, i;

	switch (rq->cmd) {
	case SIPCODE_CMD_CONFIG_REPLACE:
		/*
		 * Room for the most rules for every response, 1206: about 58
		 * KB; and the peers' rules, and the peers.
		 */
		size = 1 << 17;
		for (i = 0; i < rq->in->nrules; i++)
			if (rq->in->rules[i].peer[0])
				size += PEER_RULE_SIZE;
		for (i = 0; i < rq->in->npeers; i++)
			size += peer_size(&rq->in->peers[i]);
		return nlmsg_alloc_size(size);
	case SIPCODE_CMD_PEER_ADD:
		return nlmsg_alloc_size(4096 + peer_size(rq->peer));
	}
	return nlmsg_alloc();
}

/*
 * Room in the send buffer for a request of @len bytes: the kernel refuses
 * one larger (EMSGSIZE), and libnl's buffer is 64 KB. Past wmem_max with
 * CAP_NET_ADMIN, else up to it (doubled).
 */
static void room_to_send(struct sc_handle *h, int len)
{
	int fd = nl_socket_get_fd(h->sk);

	if (len <= 1 << 15)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &len, sizeof(len)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &len, sizeof(len));
}

/* Sends @rq once and reads its replies up to the ACK or the dump's end. */
static int talk(struct req *rq)
{
	struct nl_msg *msg = msg_alloc(rq);
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret = -NLE_NOMEM;

	rq->done = rq->intr = false;
	rq->err = 0;
	if (!msg || !cb || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ,
					rq->h->family, 0, rq->flags, rq->cmd,
					SIPCODE_GENL_VERSION))
		goto out;
	if (rq->fill && (ret = rq->fill(rq, msg)) < 0)
		goto out;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, rq);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, rq);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, rq);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_intr, rq);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, rq);
	room_to_send(rq->h, nlmsg_hdr(msg)->nlmsg_len);
	ret = nl_send_auto(rq->h->sk, msg);
	while (ret >= 0 && !rq->done)
		ret = nl_recvmsgs(rq->h->sk, cb);
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	if (rq->err)
		return rq->err;
	if (ret < 0)
		return nl_fail(rq->h, -ret);
	return 0;
}

/* Runs @rq; a dump that spans a change (NLM_F_DUMP_INTR) runs again. */
static int run(struct req *rq)
{
	int tries = 0, ret;

	rq->h->why[0] = '\0';
	rq->h->kernel = false;
	for (;;) {
		ret = talk(rq);
		if (ret || !rq->intr)
			return ret;
		if (!rq->restart || ++tries == DUMP_TRIES)
			return fail(rq->h, -EAGAIN, nl_geterror(NLE_DUMP_INTR));
		if (rq->undo)
			rq->undo(rq);
		*rq->restart = 0;
	}
}

int sc_open(struct sc_handle **hp)
{
	struct sc_handle *h = calloc(1, sizeof(*h));
	int one = 1, ret;

	*hp = h;
	if (!h)
		return -ENOMEM;
	h->sk = nl_socket_alloc();
	if (!h->sk)
		return fail(h, -ENOMEM, "out of memory");
	ret = genl_connect(h->sk);
	if (ret < 0)
		return nl_fail(h, -ret);
	nl_socket_enable_msg_peek(h->sk);
	/* Without it (before Linux 4.12) errors only lack their message. */
	(void)setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_EXT_ACK,
			 &one, sizeof(one));
	h->family = genl_ctrl_resolve(h->sk, SIPCODE_GENL_NAME);
	if (h->family == -NLE_OBJ_NOTFOUND)
		return fail(h, -ENOENT, "the sipcode module is not loaded");
	if (h->family < 0)
		return nl_fail(h, -h->family);
	return 0;
}

void sc_close(struct sc_handle *h)
{
	if (!h)
		return;
	nl_socket_free(h->ev);
	nl_socket_free(h->sk);
	free(h);
}

/* --- stats ----------------------------------------------------------- */

static int stats_attr(struct req *rq, struct nlattr *a)
{
	struct nlattr *tb[SIPCODE_CODE_A_MAX + SIPCODE_UC_A_MAX + 1];
	struct sc_stats *s = rq->out;
	struct sc_counters *c;
	uint32_t code;
	size_t i;

	switch (nla_type(a)) {
	case SIPCODE_A_INACTIVE:
		s->inactive = true;
		return 0;
	case SIPCODE_A_UNCOUNTED:
		if (nla_parse_nested(tb, SIPCODE_UC_A_MAX, a, NULL) < 0)
			return -EBADMSG;
		for (i = 0; i < ARRAY_SIZE(sc_uncounted); i++)
			s->uc[sc_uncounted[i].id] = get_u64(tb[sc_uncounted[i].id]);
		s->uc[0] = 1;	/* they came */
		return 0;
	case SIPCODE_A_EVENTS:
		if (nla_parse_nested(tb, SIPCODE_EVENTS_A_MAX, a, NULL) < 0)
			return -EBADMSG;
		for (i = 0; i < ARRAY_SIZE(sc_events); i++)
			s->ev[sc_events[i].id] = get_u64(tb[sc_events[i].id]);
		s->have_ev = true;
		return 0;
	case SIPCODE_A_CODE:
		if (nla_parse_nested(tb, SIPCODE_CODE_A_MAX, a, NULL) < 0 ||
		    !get_code(tb[SIPCODE_CODE_A_CODE], &code))
			return -EBADMSG;
		c = &s->code[code - SIPCODE_CODE_MIN];
		c->seen += get_u64(tb[SIPCODE_CODE_A_SEEN]);
		c->dropped += get_u64(tb[SIPCODE_CODE_A_DROPPED]);
		c->marked += get_u64(tb[SIPCODE_CODE_A_MARKED]);
		c->first_final += get_u64(tb[SIPCODE_CODE_A_FIRST_FINAL]);
		c->retransmitted += get_u64(tb[SIPCODE_CODE_A_RETRANSMITTED]);
		/* Both or neither: a split of seen, or none known. */
		if (tb[SIPCODE_CODE_A_IN] && tb[SIPCODE_CODE_A_OUT]) {
			c->in += get_u64(tb[SIPCODE_CODE_A_IN]);
			c->out += get_u64(tb[SIPCODE_CODE_A_OUT]);
			c->dir = true;
		}
		if (tb[SIPCODE_CODE_A_RELAYED]) {
			c->relayed += get_u64(tb[SIPCODE_CODE_A_RELAYED]);
			c->relay = true;
		}
	}
	return 0;
}

int sc_stats_get(struct sc_handle *h, struct sc_stats *s)
{
	struct req rq = { .h = h, .cmd = SIPCODE_CMD_STATS_GET,
			  .flags = NLM_F_DUMP, .attr = stats_attr, .out = s };
	int ret;

	memset(s, 0, sizeof(*s));
	ret = run(&rq);
	if (!ret && !s->uc[0] && !s->inactive)
		return fail(h, -EBADMSG,
			    "bad reply from the kernel: no uncounted counters");
	s->uc[0] = 0;
	return ret;
}

/* --- rules ----------------------------------------------------------- */

static int get_name(const struct nlattr *a, char *name);

static int put_rule(struct nl_msg *m, const struct sc_rule *r, bool del)
{
	struct nlattr *nest;
	int ret;

	if (r->peer[0] && !sc_peer_name_valid(r->peer))
		return -NLE_INVAL;
	nest = nla_nest_start(m, SIPCODE_A_RULE | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	if (r->type == SC_MATCH_CODE)
		ret = nla_put_u32(m, SIPCODE_RULE_A_CODE, r->low);
	else if (r->type == SC_MATCH_CLASS)
		ret = nla_put_u32(m, SIPCODE_RULE_A_CLASS, r->low / 100);
	else
		ret = nla_put_u32(m, SIPCODE_RULE_A_LOW, r->low) ?:
		      nla_put_u32(m, SIPCODE_RULE_A_HIGH, r->high);
	/* A peer's rule, to add or to delete; with its NUL. */
	if (!ret && r->peer[0])
		ret = nla_put_string(m, SIPCODE_RULE_A_PEER, r->peer);
	if (!ret && !del && r->notify)
		ret = nla_put_flag(m, SIPCODE_RULE_A_NOTIFY);
	if (!ret && !del)
		ret = nla_put_u32(m, SIPCODE_RULE_A_ACTION, r->action);
	if (!ret && !del && r->action == SIPCODE_ACTION_MARK)
		ret = nla_put_u32(m, SIPCODE_RULE_A_MARK, r->mark) ?:
		      nla_put_u32(m, SIPCODE_RULE_A_MASK, r->mask);
	return ret ?: nla_nest_end(m, nest);
}

static int parse_rule(struct nlattr *nest, struct sc_rule *r)
{
	struct nlattr *tb[SIPCODE_RULE_A_MAX + 1];

	memset(r, 0, sizeof(*r));
	if (nla_parse_nested(tb, SIPCODE_RULE_A_MAX, nest, NULL) < 0)
		return -EBADMSG;
	if (get_code(tb[SIPCODE_RULE_A_CODE], &r->low)) {
		r->type = SC_MATCH_CODE;
		r->high = r->low;
	} else if (get_u(tb[SIPCODE_RULE_A_CLASS], &r->low)) {
		r->type = SC_MATCH_CLASS;
		if (r->low < SC_CLASS_MIN || r->low > SC_CLASS_MAX)
			return -EBADMSG;
		r->low *= 100;
		r->high = r->low + 99;
	} else if (get_code(tb[SIPCODE_RULE_A_LOW], &r->low) &&
		   get_code(tb[SIPCODE_RULE_A_HIGH], &r->high) &&
		   r->low <= r->high) {
		r->type = SC_MATCH_RANGE;
	} else {
		return -EBADMSG;
	}
	r->notify = !!tb[SIPCODE_RULE_A_NOTIFY];
	/* None: a rule for every response. */
	if (tb[SIPCODE_RULE_A_PEER] &&
	    get_name(tb[SIPCODE_RULE_A_PEER], r->peer) < 0)
		return -EBADMSG;
	if (!get_u(tb[SIPCODE_RULE_A_ACTION], &r->action) ||
	    !sc_action(r->action))
		return -EBADMSG;
	if (r->action != SIPCODE_ACTION_MARK)
		return 0;
	if (!get_u(tb[SIPCODE_RULE_A_MARK], &r->mark))
		return -EBADMSG;
	r->mask = SC_MASK_ALL;
	get_u(tb[SIPCODE_RULE_A_MASK], &r->mask);
	return 0;
}

/* Appends @e of @size bytes to the array *@v of *@n. */
static int append(void *v, size_t *n, const void *e, size_t size)
{
	void **pv = v;
	char *p = *pv;

	if (!*n || (*n >= 64 && !(*n & (*n - 1)))) {
		p = realloc(p, (*n ? *n * 2 : 64) * size);
		if (!p)
			return -ENOMEM;
		*pv = p;
	}
	memcpy(p + (*n)++ * size, e, size);
	return 0;
}

/* A dump into an array: each reply's attributes through @attr. */
struct list {
	void *v;
	size_t n;
};

static int dump_list(struct sc_handle *h, uint8_t cmd,
		     int (*attr)(struct req *rq, struct nlattr *a),
		     void **v, size_t *n)
{
	struct list l = { NULL, 0 };
	struct req rq = { .h = h, .cmd = cmd, .flags = NLM_F_DUMP,
			  .attr = attr, .restart = &l.n, .out = &l };
	int ret = run(&rq);

	*v = l.v;
	*n = l.n;
	return ret;
}

static int rules_attr(struct req *rq, struct nlattr *a)
{
	struct list *l = rq->out;
	struct sc_rule r;

	if (nla_type(a) != SIPCODE_A_RULE)
		return 0;
	return parse_rule(a, &r) ?: append(&l->v, &l->n, &r, sizeof(r));
}

/* --- peers ----------------------------------------------------------- */

/* A letter, a digit or one of "-_.:@", in ASCII whatever the locale. */
static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("-_.:@", c));
}

bool sc_peer_name_valid(const char *name)
{
	size_t i, n = strnlen(name, SIPCODE_PEER_NAME_MAX);

	for (i = 0; i < n; i++)
		if (!name_char(name[i]))
			return false;
	return n && n < SIPCODE_PEER_NAME_MAX;
}

void sc_prefix_mask(struct sc_prefix *x)
{
	unsigned int i, bits, alen = x->family == AF_INET ? 4 : 16;

	/* Byte i keeps its first @bits bits: 0xff00 >> 3 is 0x1fe. */
	for (i = 0; i < sizeof(x->addr); i++) {
		bits = i < alen && x->len > i * 8 ? x->len - i * 8 : 0;
		if (bits < 8)
			x->addr[i] &= 0xff00 >> bits;
	}
}

static int put_prefix(struct nl_msg *m, const struct sc_prefix *x)
{
	struct nlattr *nest = nla_nest_start(m, SIPCODE_PEER_A_PREFIX |
					     NLA_F_NESTED);

	if (!nest)
		return -NLE_NOMEM;
	return nla_put(m, SIPCODE_PREFIX_A_ADDR,
		       x->family == AF_INET ? 4 : 16, x->addr) ?:
	       nla_put_u32(m, SIPCODE_PREFIX_A_LEN, x->len) ?:
	       nla_nest_end(m, nest);
}

/* -NLE_ATTRSIZE: its prefixes take more than the 64 KB of a nest. */
static int put_peer(struct nl_msg *m, const struct sc_peer *p, bool del)
{
	struct nlattr *nest;
	size_t i;
	int ret;

	if (!sc_peer_name_valid(p->name))
		return -NLE_INVAL;
	nest = nla_nest_start(m, SIPCODE_A_PEER | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	/* With its NUL: an NLA_NUL_STRING. */
	ret = nla_put_string(m, SIPCODE_PEER_A_NAME, p->name);
	for (i = 0; !ret && !del && i < p->nprefixes; i++)
		ret = put_prefix(m, &p->prefixes[i]);
	return ret ?: nla_nest_end(m, nest);
}

static int parse_prefix(struct nlattr *nest, struct sc_prefix *x)
{
	struct nlattr *tb[SIPCODE_PREFIX_A_MAX + 1];
	struct sc_prefix m;
	int alen;

	memset(x, 0, sizeof(*x));
	if (nla_parse_nested(tb, SIPCODE_PREFIX_A_MAX, nest, NULL) < 0 ||
	    !tb[SIPCODE_PREFIX_A_ADDR] ||
	    !get_u(tb[SIPCODE_PREFIX_A_LEN], &x->len))
		return -EBADMSG;
	alen = nla_len(tb[SIPCODE_PREFIX_A_ADDR]);
	if ((alen != 4 && alen != 16) || x->len > (uint32_t)alen * 8)
		return -EBADMSG;
	x->family = alen == 4 ? AF_INET : AF_INET6;
	memcpy(x->addr, nla_data(tb[SIPCODE_PREFIX_A_ADDR]), alen);
	m = *x;
	sc_prefix_mask(&m);
	return memcmp(m.addr, x->addr, sizeof(m.addr)) ? -EBADMSG : 0;
}

/* A peer's name @a into @name (SIPCODE_PEER_NAME_MAX bytes). */
static int get_name(const struct nlattr *a, char *name)
{
	const char *s;
	int len;

	if (!a)
		return -EBADMSG;
	/* Its NUL, if there, aside; none inside. */
	s = nla_data(a);
	len = nla_len(a);
	if (len && !s[len - 1])
		len--;
	if (len >= SIPCODE_PEER_NAME_MAX || memchr(s, '\0', len))
		return -EBADMSG;
	memcpy(name, s, len);
	name[len] = '\0';
	return sc_peer_name_valid(name) ? 0 : -EBADMSG;
}

/* @nest into @p, whose prefixes are to free() even after an error. */
static int parse_peer(struct nlattr *nest, struct sc_peer *p)
{
	struct nlattr *tb[SIPCODE_PEER_A_MAX + 1], *a;
	struct sc_prefix x;
	int rem;

	memset(p, 0, sizeof(*p));
	if (nla_parse_nested(tb, SIPCODE_PEER_A_MAX, nest, NULL) < 0 ||
	    get_name(tb[SIPCODE_PEER_A_NAME], p->name))
		return -EBADMSG;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != SIPCODE_PEER_A_PREFIX)
			continue;
		if (parse_prefix(a, &x) < 0 ||
		    p->nprefixes == SIPCODE_PEER_PREFIXES_MAX)
			return -EBADMSG;
		if (append(&p->prefixes, &p->nprefixes, &x, sizeof(x)))
			return -ENOMEM;
	}
	return 0;
}

/*
 * A peer too large for one message may come in several nests, one after
 * the other: one peer.
 */
static int peers_attr(struct req *rq, struct nlattr *a)
{
	struct list *l = rq->out;
	struct sc_peer p, *last = l->n ? (struct sc_peer *)l->v + l->n - 1 :
				  NULL;
	size_t i;
	int ret;

	if (nla_type(a) != SIPCODE_A_PEER)
		return 0;
	ret = parse_peer(a, &p);
	if (!ret && last && !strcmp(last->name, p.name)) {
		for (i = 0; !ret && i < p.nprefixes; i++)
			ret = last->nprefixes == SIPCODE_PEER_PREFIXES_MAX ?
			      -EBADMSG : append(&last->prefixes,
						&last->nprefixes,
						&p.prefixes[i],
						sizeof(p.prefixes[i]));
		free(p.prefixes);
		return ret;
	}
	if (!ret)
		ret = append(&l->v, &l->n, &p, sizeof(p));
	if (ret)
		free(p.prefixes);
	return ret;
}

/* A dump of the peers that runs again: what it read is freed. */
static void peers_undo(struct req *rq)
{
	struct list *l = rq->out;

	sc_peers_free(l->v, l->n);
	l->v = NULL;
}

int sc_peers_get(struct sc_handle *h, struct sc_peer **p, size_t *n)
{
	struct list l = { NULL, 0 };
	struct req rq = { .h = h, .cmd = SIPCODE_CMD_PEER_GET,
			  .flags = NLM_F_DUMP, .attr = peers_attr,
			  .restart = &l.n, .undo = peers_undo, .out = &l };
	int ret = run(&rq);

	if (ret) {
		sc_peers_free(l.v, l.n);
		l.v = NULL;
		l.n = 0;
	}
	*p = l.v;
	*n = l.n;
	return ret;
}

void sc_peers_free(struct sc_peer *p, size_t n)
{
	size_t i;

	for (i = 0; p && i < n; i++)
		free(p[i].prefixes);
	free(p);
}

/* A counter of a peer: a code, or a class's other codes (1 to 6). */
static bool peer_column(uint32_t code)
{
	return (code >= SC_CLASS_MIN && code <= SC_CLASS_MAX) ||
	       (code >= SIPCODE_CODE_MIN && code <= SIPCODE_CODE_MAX);
}

/* The code nests @type in @nest, counters by column, into @c[*@n]. */
static int get_columns(struct nlattr *nest, int type, struct sc_count *c,
		       size_t *n)
{
	struct nlattr *ct[SIPCODE_CODE_A_MAX + 1], *a;
	uint32_t code;
	int rem;

	*n = 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != type)
			continue;
		if (*n == SIPCODE_PEER_COLUMNS ||
		    nla_parse_nested(ct, SIPCODE_CODE_A_MAX, a, NULL) < 0 ||
		    !get_u(ct[SIPCODE_CODE_A_CODE], &code) ||
		    !peer_column(code) || !ct[SIPCODE_CODE_A_SEEN])
			return -EBADMSG;
		c[*n].code = code;
		c[(*n)++].count = get_u64(ct[SIPCODE_CODE_A_SEEN]);
	}
	return 0;
}

_Static_assert(__SIPCODE_METHOD_MAX <= 32, "a method a bit of sc_peer_txn");

/*
 * A txn-method nest of a peer's row into @t: a method once a row; one of
 * a later module (past __SIPCODE_METHOD_MAX) left out.
 */
static int parse_peer_txn(struct nlattr *nest, struct sc_peer_txn *t)
{
	struct nlattr *tb[SIPCODE_TXN_METHOD_A_MAX + 1];
	uint32_t method;
	int mi;

	if (nla_parse_nested(tb, SIPCODE_TXN_METHOD_A_MAX, nest, NULL) < 0 ||
	    !get_u(tb[SIPCODE_TXN_METHOD_A_METHOD], &method))
		return -EBADMSG;
	if (method >= __SIPCODE_METHOD_MAX)
		return 0;
	if (t->methods & (1U << method))
		return -EBADMSG;
	t->methods |= 1U << method;
	t->tracked[method] = get_u64(tb[SIPCODE_TXN_METHOD_A_TRACKED]);
	mi = sc_final_index(method);
	if (mi < 0)
		return 0;
	return get_columns(nest, SIPCODE_TXN_METHOD_A_FINAL, t->final[mi],
			   &t->nfinal[mi]);
}

static int parse_peer_stats(struct nlattr *nest, struct sc_peer_stats *r)
{
	struct nlattr *tb[SIPCODE_PEER_STATS_A_MAX + 1], *a;
	int rem;

	memset(r, 0, sizeof(*r));
	if (nla_parse_nested(tb, SIPCODE_PEER_STATS_A_MAX, nest, NULL) < 0 ||
	    !get_u(tb[SIPCODE_PEER_STATS_A_DIRECTION], &r->dir) ||
	    r->dir > SIPCODE_DIR_OUT)
		return -EBADMSG;
	/* A peer's name, or other: one of the two. */
	r->other = !!tb[SIPCODE_PEER_STATS_A_OTHER];
	if (r->other ? !!tb[SIPCODE_PEER_STATS_A_NAME] :
	    get_name(tb[SIPCODE_PEER_STATS_A_NAME], r->name) < 0)
		return -EBADMSG;
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == SIPCODE_PEER_STATS_A_TXN_METHOD &&
		    parse_peer_txn(a, &r->txn))
			return -EBADMSG;
	return get_columns(nest, SIPCODE_PEER_STATS_A_CODE, r->c, &r->n);
}

/* Whether @a and @b are nests of one row: the same peer and direction. */
static bool same_row(const struct sc_peer_stats *a,
		     const struct sc_peer_stats *b)
{
	return a->other == b->other && a->dir == b->dir &&
	       !strcmp(a->name, b->name);
}

/*
 * The nest @r joined to row @to: its codes, when @to has none yet, and
 * its methods, each once a row.
 */
static int join_row(struct sc_peer_stats *to, const struct sc_peer_stats *r)
{
	struct sc_peer_txn *t = &to->txn;
	unsigned int m;
	int mi;

	if ((r->n && to->n) || (t->methods & r->txn.methods))
		return -EBADMSG;
	if (r->n) {
		memcpy(to->c, r->c, r->n * sizeof(r->c[0]));
		to->n = r->n;
	}
	for (m = 0; m < __SIPCODE_METHOD_MAX; m++) {
		if (!(r->txn.methods & (1U << m)))
			continue;
		t->methods |= 1U << m;
		t->tracked[m] = r->txn.tracked[m];
		mi = sc_final_index(m);
		if (mi < 0)
			continue;
		memcpy(t->final[mi], r->txn.final[mi],
		       r->txn.nfinal[mi] * sizeof(r->txn.final[mi][0]));
		t->nfinal[mi] = r->txn.nfinal[mi];
	}
	return 0;
}

/*
 * A row comes as its codes' nest, then a nest for each method of its
 * transactions, of the same name and direction, maybe in the next
 * message: the nests one after the other of a row are joined.
 */
static int peer_stats_attr(struct req *rq, struct nlattr *a)
{
	struct list *l = rq->out;
	struct sc_peer_stats r, *last = l->n ?
		(struct sc_peer_stats *)l->v + l->n - 1 : NULL;

	if (nla_type(a) != SIPCODE_A_PEER_STATS)
		return 0;
	if (parse_peer_stats(a, &r))
		return -EBADMSG;
	if (last && same_row(last, &r))
		return join_row(last, &r);
	return append(&l->v, &l->n, &r, sizeof(r));
}

int sc_peer_stats_get(struct sc_handle *h, struct sc_peer_stats **r,
		      size_t *n)
{
	int ret = dump_list(h, SIPCODE_CMD_PEER_STATS_GET, peer_stats_attr,
			    (void **)r, n);

	if (ret) {
		sc_peer_stats_free(*r);
		*r = NULL;
		*n = 0;
	}
	return ret;
}

void sc_peer_stats_free(struct sc_peer_stats *r)
{
	free(r);
}

/* --- ports and settings ---------------------------------------------- */

static int config_attr(struct req *rq, struct nlattr *a)
{
	struct sc_config *c = rq->out;
	struct nlattr *p;
	unsigned int k;
	uint32_t v;
	int rem;

	if (nla_type(a) == SIPCODE_A_PORTS) {
		nla_for_each_nested(p, a, rem) {
			if (nla_type(p) != SIPCODE_PORT_A_PORT)
				continue;
			if (!get_u(p, &v) || !v || v > 65535 ||
			    c->nports == SIPCODE_PORTS_MAX)
				return -EBADMSG;
			c->ports[c->nports++] = v;
		}
		return 0;
	}
	for (k = 0; k < SC_NKEYS; k++) {
		if (nla_type(a) != sc_keys[k].id)
			continue;
		if (!get_u(a, &c->val[k]) ||
		    (!sc_key_number(k) && c->val[k] > 1))
			return -EBADMSG;
		c->have |= 1U << k;
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int sc_config_get(struct sc_handle *h, struct sc_config *c,
		  unsigned int what)
{
	struct req rq = { .h = h, .cmd = SIPCODE_CMD_PORTS_GET,
			  .attr = config_attr, .out = c };
	int ret;

	memset(c, 0, sizeof(*c));
	ret = run(&rq);
	qsort(c->ports, c->nports, sizeof(c->ports[0]), cmp_u32);
	rq.cmd = SIPCODE_CMD_CONFIG_GET;
	if (!ret)
		ret = run(&rq);
	if (!ret && !(c->have & (1U << SC_DRY_RUN)))
		return fail(h, -EBADMSG,
			    "bad reply from the kernel: no dry-run state");
	if (!ret && (what & SC_GET_RULES))
		ret = dump_list(h, SIPCODE_CMD_RULE_GET, rules_attr,
				(void **)&c->rules, &c->nrules);
	if (ret || !(what & SC_GET_PEERS))
		return ret;
	ret = sc_peers_get(h, &c->peers, &c->npeers);
	/* A module from before the peers has none. */
	return ret == -EOPNOTSUPP && sc_by_kernel(h) ? 0 : ret;
}

void sc_config_free(struct sc_config *c)
{
	free(c->rules);
	sc_peers_free(c->peers, c->npeers);
	c->rules = NULL;
	c->peers = NULL;
	c->nrules = c->npeers = 0;
}

static int put_ports(struct nl_msg *m, const struct sc_config *c)
{
	struct nlattr *nest = nla_nest_start(m, SIPCODE_A_PORTS | NLA_F_NESTED);
	unsigned int i;
	int ret = 0;

	if (!nest)
		return -NLE_NOMEM;
	for (i = 0; i < c->nports && !ret; i++)
		ret = nla_put_u32(m, SIPCODE_PORT_A_PORT, c->ports[i]);
	return ret ?: nla_nest_end(m, nest);
}

static int put_settings(struct nl_msg *m, const struct sc_config *c)
{
	unsigned int k;
	int ret = 0;

	for (k = 0; k < SC_NKEYS && !ret; k++)
		if (c->have & (1U << k))
			ret = nla_put_u32(m, sc_keys[k].id, c->val[k]);
	return ret;
}

/* --- changes --------------------------------------------------------- */

static int change_fill(struct req *rq, struct nl_msg *m)
{
	const struct sc_config *c = rq->in;
	size_t i;
	int ret = 0;

	switch (rq->cmd) {
	case SIPCODE_CMD_RULE_ADD:
	case SIPCODE_CMD_RULE_DEL:
		return put_rule(m, rq->rule, rq->cmd == SIPCODE_CMD_RULE_DEL);
	case SIPCODE_CMD_PORTS_SET:
		return put_ports(m, c);
	case SIPCODE_CMD_CONFIG_SET:
		return put_settings(m, c);
	case SIPCODE_CMD_PEER_ADD:
	case SIPCODE_CMD_PEER_DEL:
		ret = put_peer(m, rq->peer, rq->cmd == SIPCODE_CMD_PEER_DEL);
		break;
	case SIPCODE_CMD_CONFIG_REPLACE:
		ret = put_ports(m, c) ?: put_settings(m, c);
		for (i = 0; !ret && i < c->nrules; i++)
			ret = put_rule(m, &c->rules[i], false);
		for (i = 0; !ret && i < c->npeers; i++)
			ret = put_peer(m, &c->peers[i], false);
	}
	if (ret == -NLE_ATTRSIZE)
		rq->err = fail(rq->h, -EMSGSIZE,
			       "a peer has too many prefixes for a netlink attribute (64 KB: about 2000 IPv6 or 3200 IPv4)");
	return ret;
}

int sc_change(struct sc_handle *h, uint8_t cmd, const struct sc_config *c,
	      const struct sc_rule *r)
{
	struct req rq = { .h = h, .cmd = cmd, .fill = change_fill, .in = c,
			  .rule = r };

	return run(&rq);
}

int sc_peer_change(struct sc_handle *h, uint8_t cmd, const struct sc_peer *p)
{
	struct req rq = { .h = h, .cmd = cmd, .fill = change_fill, .peer = p };

	return run(&rq);
}

/* --- insight tables -------------------------------------------------- */

static int methods_attr(struct req *rq, struct nlattr *a)
{
	struct nlattr *tb[SIPCODE_METHOD_A_MAX + 1];
	struct sc_method_count m;
	struct list *l = rq->out;

	if (nla_type(a) != SIPCODE_A_METHOD)
		return 0;
	if (nla_parse_nested(tb, SIPCODE_METHOD_A_MAX, a, NULL) < 0 ||
	    !get_code(tb[SIPCODE_METHOD_A_CODE], &m.code) ||
	    !get_u(tb[SIPCODE_METHOD_A_METHOD], &m.method) ||
	    !tb[SIPCODE_METHOD_A_COUNT])
		return -EBADMSG;
	m.count = get_u64(tb[SIPCODE_METHOD_A_COUNT]);
	return append(&l->v, &l->n, &m, sizeof(m));
}

static int reasons_attr(struct req *rq, struct nlattr *a)
{
	struct nlattr *tb[SIPCODE_REASON_A_MAX + 1];
	struct list *l = rq->out;
	struct sc_reason r;

	if (nla_type(a) != SIPCODE_A_REASON)
		return 0;
	if (nla_parse_nested(tb, SIPCODE_REASON_A_MAX, a, NULL) < 0 ||
	    !get_code(tb[SIPCODE_REASON_A_CODE], &r.code) ||
	    !tb[SIPCODE_REASON_A_PHRASE] || !tb[SIPCODE_REASON_A_COUNT] ||
	    nla_len(tb[SIPCODE_REASON_A_PHRASE]) > SIPCODE_REASON_MAX)
		return -EBADMSG;
	r.len = nla_len(tb[SIPCODE_REASON_A_PHRASE]);
	memcpy(r.phrase, nla_data(tb[SIPCODE_REASON_A_PHRASE]), r.len);
	r.count = get_u64(tb[SIPCODE_REASON_A_COUNT]);
	r.truncated = !!tb[SIPCODE_REASON_A_TRUNCATED];
	return append(&l->v, &l->n, &r, sizeof(r));
}

int sc_methods_get(struct sc_handle *h, struct sc_method_count **m, size_t *n)
{
	return dump_list(h, SIPCODE_CMD_METHOD_GET, methods_attr, (void **)m, n);
}

int sc_reasons_get(struct sc_handle *h, struct sc_reason **r, size_t *n)
{
	return dump_list(h, SIPCODE_CMD_REASON_GET, reasons_attr, (void **)r, n);
}

/* --- transactions --------------------------------------------------- */

/* @nest into @tb, and its u64 counters into @n by their attribute. */
static int get_counters(struct nlattr *nest, int max, struct nlattr **tb,
			uint64_t *n)
{
	int i;

	if (nla_parse_nested(tb, max, nest, NULL) < 0)
		return -EBADMSG;
	for (i = 0; i <= max; i++)
		n[i] = get_u64(tb[i]);
	return 0;
}

static int parse_delay(struct nlattr *nest, struct sc_delay *d)
{
	struct nlattr *tb[SIPCODE_DELAY_A_MAX + 1];
	struct nlattr *bt[SIPCODE_DELAY_BUCKET_A_MAX + 1], *b;
	int rem;

	memset(d, 0, sizeof(*d));
	if (nla_parse_nested(tb, SIPCODE_DELAY_A_MAX, nest, NULL) < 0 ||
	    !get_u(tb[SIPCODE_DELAY_A_KIND], &d->kind) ||
	    d->kind > SIPCODE_DELAY_MAX)
		return -EBADMSG;
	get_u(tb[SIPCODE_DELAY_A_CLASS], &d->cls);
	if ((d->kind >= SIPCODE_DELAY_INVITE_FINAL) !=
	    (d->cls >= 2 && d->cls <= SC_CLASS_MAX))
		return -EBADMSG;
	d->count = get_u64(tb[SIPCODE_DELAY_A_COUNT]);
	d->sum_us = get_u64(tb[SIPCODE_DELAY_A_SUM_US]);
	nla_for_each_nested(b, nest, rem) {
		if (nla_type(b) != SIPCODE_DELAY_A_BUCKET)
			continue;
		/* Ascending, the unbounded one (0) last. */
		if (d->nb == SIPCODE_DELAY_BUCKETS ||
		    (d->nb && !d->le_us[d->nb - 1]) ||
		    nla_parse_nested(bt, SIPCODE_DELAY_BUCKET_A_MAX, b, NULL) < 0 ||
		    !get_u(bt[SIPCODE_DELAY_BUCKET_A_LE_US], &d->le_us[d->nb]) ||
		    (d->nb && d->le_us[d->nb] && d->le_us[d->nb] <= d->le_us[d->nb - 1]))
			return -EBADMSG;
		d->bucket[d->nb++] = get_u64(bt[SIPCODE_DELAY_BUCKET_A_COUNT]);
	}
	return d->nb && !d->le_us[d->nb - 1] ? 0 : -EBADMSG;
}

static int txn_attr(struct req *rq, struct nlattr *a)
{
	struct nlattr *tb[SIPCODE_TXN_A_MAX + SIPCODE_TXN_METHOD_A_MAX + 1];
	struct sc_txn *t = rq->out;
	struct sc_txn_method m;
	struct sc_delay d;

	switch (nla_type(a)) {
	case SIPCODE_A_TXN_MAX:
		return get_u(a, &t->max) ? 0 : -EBADMSG;
	case SIPCODE_A_TXN:
		return get_counters(a, SIPCODE_TXN_A_MAX, tb, t->n);
	case SIPCODE_A_TXN_METHOD:
		if (get_counters(a, SIPCODE_TXN_METHOD_A_MAX, tb, m.n) ||
		    !get_u(tb[SIPCODE_TXN_METHOD_A_METHOD], &m.method) ||
		    get_columns(a, SIPCODE_TXN_METHOD_A_FINAL, m.final,
				&m.nfinal))
			return -EBADMSG;
		/* A nest, not a counter. */
		m.n[SIPCODE_TXN_METHOD_A_FINAL] = 0;
		return append(&t->m, &t->nm, &m, sizeof(m));
	case SIPCODE_A_DELAY:
		return parse_delay(a, &d) ?: append(&t->d, &t->nd, &d, sizeof(d));
	}
	return 0;
}

int sc_txn_get(struct sc_handle *h, struct sc_txn *t)
{
	struct req rq = { .h = h, .cmd = SIPCODE_CMD_TXN_GET,
			  .attr = txn_attr, .out = t };
	int ret;

	memset(t, 0, sizeof(*t));
	ret = run(&rq);
	if (!ret && !t->max)
		ret = fail(h, -EBADMSG,
			   "bad reply from the kernel: no transactions-max");
	if (ret)
		sc_txn_free(t);
	return ret;
}

void sc_txn_free(struct sc_txn *t)
{
	free(t->m);
	free(t->d);
	t->m = NULL;
	t->d = NULL;
	t->nm = t->nd = 0;
}

double sc_delay_quantile(const struct sc_delay *d, double q)
{
	uint64_t total = 0, below = 0;
	double rank, lo;
	unsigned int b;

	for (b = 0; b < d->nb; b++)
		total += d->bucket[b];
	if (!total || d->nb < 2)
		return -1;
	rank = q * total;
	for (b = 0; b < d->nb - 1 && below + d->bucket[b] < rank; b++)
		below += d->bucket[b];
	if (b == d->nb - 1)
		return d->le_us[b - 1];
	lo = b ? d->le_us[b - 1] : 0;
	if (!d->bucket[b])
		return d->le_us[b];
	return lo + (d->le_us[b] - lo) * (rank - below) / d->bucket[b];
}

/* --- events ---------------------------------------------------------- */

struct ev_ctx {
	struct sc_handle *h;
	int (*each)(const struct sc_event *e, void *arg);
	void *arg;
	int ret;
};

static int parse_event(struct nlattr *nest, struct sc_event *e)
{
	struct nlattr *tb[SIPCODE_EVENT_A_MAX + 1], *s, *d, *p;
	size_t alen;

	memset(e, 0, sizeof(*e));
	if (nla_parse_nested(tb, SIPCODE_EVENT_A_MAX, nest, NULL) < 0 ||
	    !get_code(tb[SIPCODE_EVENT_A_CODE], &e->code) ||
	    !get_u(tb[SIPCODE_EVENT_A_FAMILY], &e->family) ||
	    !get_u(tb[SIPCODE_EVENT_A_PROTO], &e->proto) ||
	    !get_u(tb[SIPCODE_EVENT_A_SPORT], &e->sport) ||
	    !get_u(tb[SIPCODE_EVENT_A_DPORT], &e->dport) ||
	    !get_u(tb[SIPCODE_EVENT_A_ACTION], &e->action) ||
	    (e->family != AF_INET && e->family != AF_INET6))
		return -EBADMSG;
	alen = e->family == AF_INET ? 4 : 16;
	s = tb[SIPCODE_EVENT_A_SADDR];
	d = tb[SIPCODE_EVENT_A_DADDR];
	p = tb[SIPCODE_EVENT_A_PHRASE];
	if (!s || !d || (size_t)nla_len(s) != alen ||
	    (size_t)nla_len(d) != alen ||
	    (p && nla_len(p) > SIPCODE_REASON_MAX))
		return -EBADMSG;
	memcpy(e->saddr, nla_data(s), alen);
	memcpy(e->daddr, nla_data(d), alen);
	if (p) {
		e->len = nla_len(p);
		memcpy(e->phrase, nla_data(p), e->len);
	}
	get_u(tb[SIPCODE_EVENT_A_METHOD], &e->method);
	get_u(tb[SIPCODE_EVENT_A_MARK], &e->mark);
	e->dry_run = !!tb[SIPCODE_EVENT_A_DRY_RUN];
	e->truncated = !!tb[SIPCODE_EVENT_A_TRUNCATED];
	/* A kernel without peers, or a response of none: no peer. */
	if (tb[SIPCODE_EVENT_A_PEER])
		return get_name(tb[SIPCODE_EVENT_A_PEER], e->peer);
	return 0;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[SIPCODE_A_MAX + 1];
	struct ev_ctx *x = arg;
	struct sc_event e;

	if (nlh->nlmsg_type != x->h->family || !genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_hdr(nlh)->cmd != SIPCODE_CMD_EVENT)
		return NL_SKIP;
	if (genlmsg_parse(nlh, 0, tb, SIPCODE_A_MAX, NULL) < 0 ||
	    !tb[SIPCODE_A_EVENT] || parse_event(tb[SIPCODE_A_EVENT], &e) < 0) {
		x->ret = -EBADMSG;
		return NL_STOP;
	}
	if (x->each(&e, x->arg)) {
		x->ret = 1;
		return NL_STOP;
	}
	return NL_OK;
}

int sc_events_subscribe(struct sc_handle *h)
{
	int grp, ret, size = RCVBUF;

	grp = genl_ctrl_resolve_grp(h->sk, SIPCODE_GENL_NAME,
				    SIPCODE_GENL_MCGRP_EVENTS);
	if (grp == -NLE_OBJ_NOTFOUND)
		return fail(h, -ENOENT,
			    "the sipcode module sends no events (too old?)");
	if (grp < 0)
		return nl_fail(h, -grp);
	h->ev = nl_socket_alloc();
	if (!h->ev)
		return fail(h, -ENOMEM, "out of memory");
	ret = genl_connect(h->ev);
	if (ret < 0)
		return nl_fail(h, -ret);
	/* Past rmem_max with CAP_NET_ADMIN, else up to it. */
	if (setsockopt(nl_socket_get_fd(h->ev), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)) < 0)
		nl_socket_set_buffer_size(h->ev, RCVBUF, 0);
	ret = nl_socket_set_nonblocking(h->ev);
	if (!ret)
		ret = nl_socket_add_membership(h->ev, grp);
	if (ret == -NLE_PERM)
		return fail(h, -EPERM, "listening to the events needs CAP_NET_ADMIN");
	if (ret < 0)
		return nl_fail(h, -ret);
	return nl_socket_get_fd(h->ev);
}

int sc_events_read(struct sc_handle *h,
		   int (*each)(const struct sc_event *e, void *arg), void *arg)
{
	struct ev_ctx x = { h, each, arg, 0 };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return fail(h, -ENOMEM, "out of memory");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &x);
	/* Events are not answers: their sequence numbers are 0. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_intr, NULL);
	do {
		ret = nl_recvmsgs(h->ev, cb);
	} while (ret >= 0 && !x.ret);
	nl_cb_put(cb);
	if (x.ret)
		return x.ret;
	if (ret == -NLE_AGAIN || ret == -NLE_INTR)
		return 0;
	/* ENOBUFS: the socket overran, events were lost. */
	if (ret == -NLE_NOMEM)
		return -ENOBUFS;
	return nl_fail(h, -ret);
}
