// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl ports": show the UDP ports sipcode inspects
 * (SIPCODE_CMD_PORTS_GET) or replace them (SIPCODE_CMD_PORTS_SET).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sipcode.h>
#include <netlink/genl/genl.h>

#include "cli.h"
#include "json.h"
#include "nl.h"
#include "ports.h"

#define PORT_MAX	65535

/* A set of ports, kept as a bitmap: ascending and without duplicates. */
struct ports {
	uint64_t bits[(PORT_MAX + 1) / 64];
	unsigned int n;
	bool reply;	/* a reply came from the kernel */
};

static const struct nla_policy ports_policy[SIPCODE_A_MAX + 1] = {
	[SIPCODE_A_PORTS]	= { .type = NLA_NESTED },
};

static const struct nla_policy port_policy[SIPCODE_PORT_A_MAX + 1] = {
	[SIPCODE_PORT_A_PORT]	= { .type = NLA_U32, .maxlen = 4 },
};

static bool ports_has(const struct ports *p, unsigned int port)
{
	return p->bits[port / 64] & (1ULL << (port % 64));
}

static void ports_add(struct ports *p, unsigned int port)
{
	if (ports_has(p, port))
		return;
	p->bits[port / 64] |= 1ULL << (port % 64);
	p->n++;
}

static int ports_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[SIPCODE_A_MAX + 1];
	struct nlattr *pt[SIPCODE_PORT_A_MAX + 1];
	struct ports *p = arg;
	struct nlattr *a;
	int rem, ret;

	ret = genlmsg_parse(nlh, 0, tb, SIPCODE_A_MAX, ports_policy);
	if (ret < 0)
		return ret;
	p->reply = true;
	if (!tb[SIPCODE_A_PORTS])
		return 0;
	ret = nla_parse_nested(pt, SIPCODE_PORT_A_MAX, tb[SIPCODE_A_PORTS],
			       port_policy);
	if (ret < 0)
		return ret;
	nla_for_each_nested(a, tb[SIPCODE_A_PORTS], rem) {
		if (nla_type(a) != SIPCODE_PORT_A_PORT)
			continue;
		if (!nla_get_u32(a))
			return -NLE_RANGE;
		ports_add(p, nla_get_u32(a));
	}
	return 0;
}

static int ports_fill(struct nl_msg *msg, void *arg)
{
	const struct ports *p = arg;
	struct nlattr *nest;
	unsigned int port;
	int ret;

	nest = nla_nest_start(msg, SIPCODE_A_PORTS | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	for (port = 1; port <= PORT_MAX; port++) {
		if (!ports_has(p, port))
			continue;
		ret = nla_put_u32(msg, SIPCODE_PORT_A_PORT, port);
		if (ret < 0)
			return ret;
	}
	return nla_nest_end(msg, nest);
}

static void print_ports(const struct ports *p, bool json)
{
	const char *sep = "";
	unsigned int port;
	struct json j;

	if (json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_arr_begin(&j, "ports");
	}
	for (port = 1; port <= PORT_MAX; port++) {
		if (!ports_has(p, port))
			continue;
		if (json) {
			json_u64(&j, NULL, port);
		} else {
			printf("%s%u", sep, port);
			sep = " ";
		}
	}
	if (json) {
		json_arr_end(&j);
		json_obj_end(&j);
		json_finish(&j);
	} else {
		putchar('\n');
	}
}

static int ports_show(bool json)
{
	struct ports *p;
	struct sipnl_req req = {
		.what = "ports",
		.cmd = SIPCODE_CMD_PORTS_GET,
		.reply = ports_reply,
	};
	int ret = EXIT_FAILURE;

	p = calloc(1, sizeof(*p));
	if (!p) {
		cli_err("ports: out of memory");
		return EXIT_FAILURE;
	}
	req.arg = p;
	if (sipnl_run(&req) < 0)
		goto out;
	if (!p->reply) {
		cli_err("ports: no reply from the kernel");
		goto out;
	}
	print_ports(p, json);
	ret = EXIT_SUCCESS;
out:
	free(p);
	return ret;
}

/* A port: 1-65535, decimal digits only. */
static bool parse_port(const char *s, size_t len, unsigned int *port)
{
	unsigned int v = 0;
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > PORT_MAX)
			return false;
	}
	*port = v;
	return v != 0;
}

/* Adds the comma-separated ports of @arg to @p. */
static bool parse_list(const char *arg, struct ports *p)
{
	unsigned int port;
	size_t len;

	for (;;) {
		len = strcspn(arg, ",");
		if (!parse_port(arg, len, &port)) {
			cli_err("invalid port \"%.*s\": must be 1-%u",
				(int)len, arg, PORT_MAX);
			return false;
		}
		ports_add(p, port);
		if (!arg[len])
			return true;
		arg += len + 1;
	}
}

static int ports_set(int argc, char **argv, int w, bool check)
{
	struct ports *p;
	struct sipnl_req req = {
		.what = "ports set",
		.cmd = SIPCODE_CMD_PORTS_SET,
		.fill = ports_fill,
	};
	int ret = EXIT_USAGE;
	int i;

	p = calloc(1, sizeof(*p));
	if (!p) {
		cli_err("ports set: out of memory");
		return EXIT_FAILURE;
	}
	for (i = 0; i < argc; i++) {
		if (i == w || cli_opt(argv[i], "-j", "--json"))
			continue;
		if (!parse_list(argv[i], p))
			goto out;
	}
	if (!p->n) {
		cli_err("ports set: no port given");
		goto out;
	}
	if (p->n > SIPCODE_PORTS_MAX) {
		cli_err("ports set: too many ports: at most %d",
			SIPCODE_PORTS_MAX);
		goto out;
	}
	req.arg = p;
	if (check)
		ret = EXIT_SUCCESS;
	else
		ret = sipnl_run(&req) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
out:
	free(p);
	return ret;
}

static void usage_show(void)
{
	puts("Usage: sipcodectl ports [show] [-j|--json]\n"
	     "       sipcodectl ports set PORT[,PORT...] [PORT...]\n"
	     "Print the UDP ports whose datagrams sipcode inspects in this\n"
	     "network namespace, ascending, on one line.\n"
	     "  -j, --json   print {\"ports\":[PORT,...]}\n"
	     "  -h, --help   print this help");
}

static void usage_set(void)
{
	printf("Usage: sipcodectl ports set PORT[,PORT...] [PORT...]\n"
	       "Replace the UDP ports whose datagrams sipcode inspects in this\n"
	       "network namespace: 1 to %d ports, each 1-%u, separated by\n"
	       "commas or given as several arguments. Needs CAP_NET_ADMIN.\n"
	       "  -h, --help   print this help\n",
	       SIPCODE_PORTS_MAX, PORT_MAX);
}

/* ports_main(), or with @check, ports_check(). */
static int ports_run(int argc, char **argv, bool json, bool check)
{
	int w = cli_word(argc, argv);
	const char *sub = w < argc ? argv[w] : "show";
	bool set = !strcmp(sub, "set");
	int i;

	if (!set && strcmp(sub, "show")) {
		cli_err("ports: unknown subcommand \"%s\"", sub);
		return EXIT_USAGE;
	}
	if (cli_help(argc, argv)) {
		if (set)
			usage_set();
		else
			usage_show();
		return EXIT_SUCCESS;
	}
	if (set)
		return ports_set(argc, argv, w, check);
	for (i = 0; i < argc; i++) {
		if (i == w)
			continue;
		if (cli_opt(argv[i], "-j", "--json")) {
			json = true;
		} else {
			cli_unexpected("ports", argv[i]);
			return EXIT_USAGE;
		}
	}
	return check ? EXIT_SUCCESS : ports_show(json);
}

int ports_main(int argc, char **argv, bool json)
{
	return ports_run(argc, argv, json, false);
}

int ports_check(int argc, char **argv)
{
	return ports_run(argc, argv, false, true);
}
