// SPDX-License-Identifier: GPL-2.0
/*
 * One request to the sipcode generic netlink family: resolve the family,
 * send, read the replies, and turn the kernel's error and its extended
 * ack (NLMSGERR_ATTR_MSG) into one line on stderr. And the walk over the
 * repeated nests of a dump's reply, gathered in a growing array.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/sipcode.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "cli.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* Why a request failed: the first field set, in this order, says it. */
struct sipnl_err {
	bool nofamily;		/* the family is not registered */
	int kernel;		/* negative errno answered by the kernel */
	int nle;		/* NLE_* code, from libnl or a reply parser */
	bool reply;		/* nle comes from parsing a reply */
	char ext[256];		/* the kernel's extended ack, "" when none */
};

struct sipnl_state {
	const struct sipnl_req *req;
	int family;
	bool done;
	bool intr;		/* a message said NLM_F_DUMP_INTR */
	struct sipnl_err err;
};

/* Tries of a dump that keeps being interrupted by changes. */
#define SIPNL_DUMP_TRIES	10

static const struct nla_policy ext_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
};

/* Keeps the extended ack message of @nlh, whose TLVs start at @off. */
static void ext_ack(struct nlmsghdr *nlh, size_t off, struct sipnl_err *err)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	char *p;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= off)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, ext_policy) < 0)
		return;
	if (!tb[NLMSGERR_ATTR_MSG])
		return;
	snprintf(err->ext, sizeof(err->ext), "%s",
		 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	for (p = err->ext; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct sipnl_state *st = arg;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e));

	(void)nla;
	st->done = true;
	st->err.kernel = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return NL_STOP;
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	ext_ack(nlh, off, &st->err);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct sipnl_state *st = arg;

	(void)msg;
	st->done = true;
	return NL_STOP;
}

/* The end of a dump: its payload is the dump's error, 0 or -errno. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct sipnl_state *st = arg;
	int e;

	st->done = true;
	if (nlmsg_datalen(nlh) < (int)sizeof(e))
		return NL_STOP;
	memcpy(&e, nlmsg_data(nlh), sizeof(e));
	if (e < 0) {
		st->err.kernel = e;
		ext_ack(nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(e)), &st->err);
	}
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct sipnl_state *st = arg;

	(void)msg;
	st->intr = true;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct sipnl_state *st = arg;
	int ret = 0;

	if (nlh->nlmsg_type != st->family)
		ret = -NLE_MSGTYPE_NOSUPPORT;
	else if (st->req->reply)
		ret = st->req->reply(nlh, st->req->arg);
	if (ret >= 0)
		return NL_OK;
	st->done = true;
	st->err.nle = -ret;
	st->err.reply = true;
	return NL_STOP;
}

static struct nl_cb *sipnl_cb(struct sipnl_state *st)
{
	struct nl_cb *cb;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, st);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, st);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, st);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, st);
	return cb;
}

static struct nl_sock *sipnl_open(struct sipnl_state *st)
{
	struct nl_sock *sk;
	int one = 1;
	int ret;

	sk = nl_socket_alloc();
	if (!sk) {
		st->err.nle = NLE_NOMEM;
		return NULL;
	}
	ret = genl_connect(sk);
	if (ret < 0)
		goto fail;
	nl_socket_enable_msg_peek(sk);
	/* Without it (before Linux 4.12) errors only lack their message. */
	(void)setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
			 &one, sizeof(one));
	ret = genl_ctrl_resolve(sk, SIPCODE_GENL_NAME);
	if (ret < 0) {
		st->err.nofamily = ret == -NLE_OBJ_NOTFOUND;
		goto fail;
	}
	st->family = ret;
	return sk;
fail:
	st->err.nle = -ret;
	nl_socket_free(sk);
	return NULL;
}

static struct nl_msg *sipnl_msg(struct sipnl_state *st)
{
	const struct sipnl_req *req = st->req;
	struct nl_msg *msg;
	int ret = -NLE_NOMEM;

	msg = req->size ? nlmsg_alloc_size(req->size) : nlmsg_alloc();
	if (!msg)
		goto fail;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, st->family, 0,
			 req->flags, req->cmd, SIPCODE_GENL_VERSION))
		goto fail;
	if (req->fill) {
		ret = req->fill(msg, req->arg);
		if (ret < 0)
			goto fail;
	}
	return msg;
fail:
	st->err.nle = -ret;
	nlmsg_free(msg);
	return NULL;
}

static int sipnl_talk(struct nl_sock *sk, struct nl_msg *msg,
		      struct sipnl_state *st)
{
	struct nl_cb *cb;
	int ret;

	cb = sipnl_cb(st);
	if (!cb) {
		st->err.nle = NLE_NOMEM;
		return -1;
	}
	ret = nl_send_auto(sk, msg);
	while (ret >= 0 && !st->done)
		ret = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (ret < 0 && !st->done)
		st->err.nle = -ret;
	if (st->intr && !st->err.kernel && !st->err.nle)
		st->err.nle = NLE_DUMP_INTR;
	if (st->err.kernel || st->err.nle)
		return -1;
	return 0;
}

static void sipnl_report(const char *what, const struct sipnl_err *err)
{
	if (err->nofamily)
		cli_err("sipcode module not loaded (modprobe sipcode)");
	else if (err->kernel && err->ext[0])
		cli_err("%s: %s (%s)", what, err->ext,
			strerror(abs(err->kernel)));
	else if (err->kernel)
		cli_err("%s: %s", what, strerror(abs(err->kernel)));
	else if (err->reply)
		cli_err("%s: bad reply from the kernel: %s", what,
			nl_geterror(err->nle));
	else
		cli_err("%s: %s", what, nl_geterror(err->nle));
}

int sipnl_run(const struct sipnl_req *req)
{
	struct sipnl_state st = { .req = req };
	struct nl_msg *msg = NULL;
	struct nl_sock *sk;
	int ret = -1, tries = 0;

	sk = sipnl_open(&st);
	if (sk)
		msg = sipnl_msg(&st);
	while (msg) {
		ret = sipnl_talk(sk, msg, &st);
		if (!(st.intr && st.err.nle == NLE_DUMP_INTR && req->restart &&
		      ++tries < SIPNL_DUMP_TRIES))
			break;
		req->restart(req->arg);
		memset(&st.err, 0, sizeof(st.err));
		st.done = st.intr = false;
		nlmsg_free(msg);
		msg = sipnl_msg(&st);
	}
	if (ret < 0 && !(st.err.kernel && req->refused &&
			 req->refused(st.err.kernel, st.err.ext, req->arg)))
		sipnl_report(req->what, &st.err);
	nlmsg_free(msg);
	nl_socket_free(sk);
	return ret;
}

int sipnl_each(struct nlmsghdr *nlh, int type,
	       int (*each)(struct nlattr *nest, void *arg), void *arg)
{
	struct genlmsghdr *gnlh = genlmsg_hdr(nlh);
	struct nlattr *a;
	int rem, ret;

	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		if (nla_type(a) != type)
			continue;
		ret = each(a, arg);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int sipnl_nests(struct nlmsghdr *nlh, const struct nla_policy *policy,
		int type, int (*each)(struct nlattr *nest, void *arg),
		void *arg)
{
	struct nlattr *tb[SIPCODE_A_MAX + 1];
	int ret;

	ret = genlmsg_parse(nlh, 0, tb, SIPCODE_A_MAX, policy);
	if (ret < 0)
		return ret;
	return sipnl_each(nlh, type, each, arg);
}

void *sipnl_append(void *v, size_t *n, size_t *size, const void *e,
		   size_t esize)
{
	char *p = v;
	size_t room;

	if (*n == *size) {
		room = *size ? *size * 2 : 64;
		p = realloc(v, room * esize);
		if (!p)
			return NULL;
		*size = room;
	}
	memcpy(p + *n * esize, e, esize);
	(*n)++;
	return p;
}
