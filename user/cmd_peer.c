// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl peer": the peers of the namespace, each a name and its IPv4
 * and IPv6 prefixes, printed, or changed in one request. cli_change()
 * parses them, as it parses the lines of a restore file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "print.h"

void peer_print(const struct sc_peer *p)
{
	char buf[CLI_PREFIX_LEN];
	size_t i;

	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "%s", p->name);
	open_json_array("prefixes");
	for (i = 0; i < p->nprefixes; i++)
		print_string(PRINT_ANY, NULL, " %s",
			     cli_prefix_str(&p->prefixes[i], buf));
	close_json_array();
	print_fp("\n");
	close_json_object();
}

/*
 * "peer add" refused with EEXIST (@err): the peer or the prefix in the
 * way, dumped now; else the kernel's message.
 */
static void add_refused(struct sc_handle *h, const struct sc_peer *p,
			int err)
{
	struct sc_config c = { .npeers = 0 };
	const struct sc_prefix *x = NULL;
	const struct sc_peer *o = NULL;
	char msg[512], buf[CLI_PREFIX_LEN];

	cli_msg(msg, sizeof(msg), h, "peer add", err);
	if (!sc_peers_get(h, &c.peers, &c.npeers)) {
		o = cli_peer_find(&c, p->name);
		if (!o)
			x = cli_peer_clash(&c, p, &o);
	}
	if (x)
		cli_err("peer add %s: prefix %s belongs to peer %s", p->name,
			cli_prefix_str(x, buf), o->name);
	else if (o)
		cli_err("peer add %s: a peer %s exists (peer del first)",
			p->name, p->name);
	else
		cli_err("%s", msg);
	sc_peers_free(c.peers, c.npeers);
}

/*
 * "peer del" or "peer flush" (@ch) refused with EBUSY: a peer has rules,
 * the first such, dumped now, named for flush.
 */
static void busy(struct sc_handle *h, const struct cli_change *ch)
{
	const struct sc_rule *r = NULL;
	struct sc_config c;

	if (ch->cmd == SIPCODE_CMD_PEER_DEL) {
		cli_err("peer del %s: it has rules; delete them first",
			ch->p.name);
		return;
	}
	if (!sc_config_get(h, &c, SC_GET_RULES))
		r = cli_peer_rule(&c, NULL);
	cli_err("peer flush: %s has rules; delete them first",
		r ? r->peer : "a peer");
	sc_config_free(&c);
}

/* What "peer list" prints: a line a peer, or {"peers": [...]}. */
static void show(const struct sc_peer *p, size_t n, bool json)
{
	size_t i;

	print_start(stdout, json);
	open_json_object(NULL);
	open_json_array("peers");
	for (i = 0; i < n; i++)
		peer_print(&p[i]);
	close_json_array();
	close_json_object();
	print_end();
}

int peer_main(int argc, char **argv, bool json)
{
	const char **w = calloc(argc + 1, sizeof(*w));
	struct cli_change ch = { .cmd = 0 };
	struct sc_handle *h = NULL;
	struct sc_peer *p = NULL;
	int n, err, ret = EXIT_USAGE;
	bool help = false;
	size_t np = 0;

	if (!w)
		return EXIT_FAILURE;
	n = cli_words(argc, argv, w, &json, &help);
	if (n < 0 || !cli_change(w, n, help, &ch))
		goto out;
	ret = help ? EXIT_HELP : EXIT_FAILURE;
	h = help ? NULL : cli_open(ch.what);
	if (!h)
		goto out;
	if (ch.cmd)
		err = sc_peer_change(h, ch.cmd, &ch.p);
	else
		err = sc_peers_get(h, &p, &np);
	if (err == -EEXIST && ch.cmd == SIPCODE_CMD_PEER_ADD)
		add_refused(h, &ch.p, err);
	else if (err == -ENOENT && ch.cmd == SIPCODE_CMD_PEER_DEL)
		cli_err("peer del %s: no such peer", ch.p.name);
	else if (err == -EBUSY && (ch.cmd == SIPCODE_CMD_PEER_DEL ||
				   ch.cmd == SIPCODE_CMD_PEER_FLUSH))
		busy(h, &ch);
	else if (err == -EOPNOTSUPP && sc_by_kernel(h))
		cli_err("%s: the sipcode module has no peers (too old?)",
			ch.what);
	else if (err)
		cli_fail(h, ch.what, err);
	else if (!ch.cmd)
		show(p, np, json);
	ret = err ? EXIT_FAILURE : EXIT_SUCCESS;
out:
	sc_close(h);
	sc_peers_free(p, np);
	free(ch.p.prefixes);
	free(w);
	return ret;
}
