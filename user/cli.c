// SPDX-License-Identifier: GPL-2.0
/*
 * What the commands of sipcodectl share: the one-line error report, the
 * option loop, the parsers of codes, ports, rules, settings and peers,
 * and the wait that SIGINT and SIGTERM end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "cli.h"
#include "print.h"

const char *cli_where = "";
bool cli_json_errors;
/* The next cli_next() word is a value even if it starts with '-'. */
static bool value_next;

void cli_err(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cli_json_errors) {
		print_start(stderr, true);
		open_json_object(NULL);
		print_string(PRINT_JSON, "error", NULL, msg);
		close_json_object();
		print_end();
		return;
	}
	fprintf(stderr, "sipcodectl: %s%s\n", cli_where, msg);
}

void cli_msg(char *buf, size_t len, struct sc_handle *h, const char *what,
	     int err)
{
	const char *why = h ? sc_why(h) : "";

	if (h && !sc_by_kernel(h))
		snprintf(buf, len, "%s: %s", what, why[0] ? why : strerror(-err));
	else if (why[0])
		snprintf(buf, len, "%s: %s (%s)", what, why, strerror(-err));
	else
		snprintf(buf, len, "%s: %s", what, strerror(-err));
}

int cli_fail(struct sc_handle *h, const char *what, int err)
{
	char msg[512];

	cli_msg(msg, sizeof(msg), h, what, err);
	cli_err("%s", msg);
	return EXIT_FAILURE;
}

/* Whether modprobe would find the module for the running kernel. */
static bool installed(void)
{
	char path[512], line[1024];
	struct utsname u;
	bool found = false;
	FILE *f;

	if (uname(&u) < 0)
		return false;
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", u.release);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "/sipcode.ko") != NULL;
	fclose(f);
	return found;
}

struct sc_handle *cli_open_msg(const char *what, char *buf, size_t len)
{
	struct sc_handle *h;
	int ret = sc_open(&h);

	if (!ret)
		return h;
	if (ret == -ENOENT && installed())
		snprintf(buf, len, "sipcode module not loaded (modprobe sipcode)");
	else if (ret == -ENOENT)
		snprintf(buf, len, "sipcode module not loaded, and not installed for this kernel");
	else
		cli_msg(buf, len, h, what, ret);
	sc_close(h);
	return NULL;
}

struct sc_handle *cli_open(const char *what)
{
	struct sc_handle *h;
	char msg[512];

	h = cli_open_msg(what, msg, sizeof(msg));
	if (!h)
		cli_err("%s", msg);
	return h;
}

int cli_next(int argc, char **argv, const char *so, const struct option *lo,
	     const char **word)
{
	static bool raw;
	char opt[64];
	int c;

	if (optind == 1)
		raw = false;
	if (optind >= argc)
		return -1;
	if (raw || value_next || argv[optind][0] != '-' ||
	    !argv[optind][1]) {
		value_next = false;
		*word = argv[optind++];
		return 0;
	}
	opterr = 0;
	c = getopt_long(argc, argv, so, lo, NULL);
	if (c == -1) {
		raw = true;	/* after "--" */
		return cli_next(argc, argv, so, lo, word);
	}
	if (c == ':' || c == '?') {
		/* The option alone: "-n" of "-ajn", "--count" of "--count=". */
		if (argv[optind - 1][1] != '-' && optopt)
			snprintf(opt, sizeof(opt), "-%c", optopt);
		else
			snprintf(opt, sizeof(opt), "%.*s",
				 (int)strcspn(argv[optind - 1], "="),
				 argv[optind - 1]);
	}
	if (c == ':')
		cli_err("%s: %s needs a value", argv[0], opt);
	else if (c == '?')
		cli_err("%s: unexpected option \"%s\"", argv[0], opt);
	return c == ':' ? '?' : c;
}

double cli_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static volatile sig_atomic_t stopped, resized;
static sigset_t waitmask;	/* what is blocked while waiting */

static void on_signal(int sig)
{
	if (sig == SIGWINCH)
		resized = 1;
	else
		stopped = 1;
}

void cli_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	/* Blocked, in the threads started after too, but in cli_wait(). */
	pthread_sigmask(SIG_BLOCK, &set, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	/* Caught, even where they were ignored (as in a background job). */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void cli_winch(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sigdelset(&waitmask, SIGWINCH);
	sigaction(SIGWINCH, &sa, NULL);
}

int cli_wait(int fd, double until)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec left;
	double d;
	int n;

	while (!stopped) {
		if (resized) {
			resized = 0;
			return 2;
		}
		d = until - cli_now();
		if (until && d <= 0)
			return 0;
		left.tv_sec = (time_t)d;
		left.tv_nsec = (long)((d - left.tv_sec) * 1e9);
		n = ppoll(&pfd, fd >= 0, until ? &left : NULL, &waitmask);
		if (n > 0 || (n < 0 && errno != EINTR))
			return n;
	}
	errno = EINTR;
	return -1;
}

/* A number from @min to @max: decimal, or with @hex also 0x and hex digits. */
static bool number(const char *s, bool hex, unsigned long min,
		   unsigned long max, unsigned long *v)
{
	int base = hex && s && s[0] == '0' && (s[1] | 0x20) == 'x' ? 16 : 10;
	char *end;

	if (!s || *s < '0' || *s > '9' || (base == 16 && !s[2]))
		return false;
	errno = 0;
	*v = strtoul(s, &end, base);
	return !*end && !errno && *v >= min && *v <= max;
}

bool cli_count(const char *what, const char *s, unsigned long *count)
{
	if (number(s, false, 1, 1000000000, count))
		return true;
	cli_err("%s: invalid count \"%s\": 1 to 1000000000", what, s);
	return false;
}

bool cli_seconds(const char *what, const char *name, const char *s,
		 double *secs)
{
	char *end = NULL;

	if ((*s >= '0' && *s <= '9') || *s == '.')
		*secs = strtod(s, &end);
	if (end && !*end && *secs >= 0.1 && *secs <= 86400)
		return true;
	cli_err("%s: invalid %s \"%s\": seconds, 0.1 to 86400", what, name, s);
	return false;
}

/* A code as written in a match: three digits, 100-699. */
static bool parse_code(const char *s, size_t len, uint32_t *code)
{
	size_t i;

	if (len != 3)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	*code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	return *code >= SIPCODE_CODE_MIN && *code <= SIPCODE_CODE_MAX;
}

bool cli_match(const char *what, const char *s, struct sc_rule *r)
{
	size_t len = strlen(s), dash = strcspn(s, "-");

	if (len == 3 && s[0] >= '0' + SC_CLASS_MIN &&
	    s[0] <= '0' + SC_CLASS_MAX && (s[1] | 0x20) == 'x' &&
	    (s[2] | 0x20) == 'x') {
		r->type = SC_MATCH_CLASS;
		r->low = (s[0] - '0') * 100;
		r->high = r->low + 99;
		return true;
	}
	if (dash == len && parse_code(s, len, &r->low)) {
		r->type = SC_MATCH_CODE;
		r->high = r->low;
		return true;
	}
	if (dash < len && parse_code(s, dash, &r->low) &&
	    parse_code(s + dash + 1, len - dash - 1, &r->high)) {
		r->type = SC_MATCH_RANGE;
		if (r->low <= r->high)
			return true;
		if (what)
			cli_err("%s: range %u-%u: low is above high", what,
				r->low, r->high);
		return false;
	}
	if (what)
		cli_err("%s: invalid match \"%s\": a code 100-699, a class 1xx-6xx or a range LOW-HIGH",
			what, s);
	return false;
}

const char *cli_match_str(const struct sc_rule *r, char *buf)
{
	if (r->type == SC_MATCH_CODE)
		snprintf(buf, 16, "%u", r->low);
	else if (r->type == SC_MATCH_RANGE)
		snprintf(buf, 16, "%u-%u", r->low, r->high);
	else
		snprintf(buf, 16, "%uxx", r->low / 100);
	return buf;
}

const char *cli_rule_str(const struct sc_rule *r, char *buf)
{
	char m[16];

	snprintf(buf, CLI_RULE_LEN, "%s%s%s", cli_match_str(r, m),
		 r->peer[0] ? " peer " : "", r->peer);
	return buf;
}

bool cli_prefix(const char *what, const char *s, struct sc_prefix *x)
{
	size_t alen = strcspn(s, "/");
	char addr[INET6_ADDRSTRLEN], net[CLI_PREFIX_LEN];
	unsigned long max, len;
	struct sc_prefix m;

	memset(x, 0, sizeof(*x));
	x->family = memchr(s, ':', alen) ? AF_INET6 : AF_INET;
	max = len = x->family == AF_INET ? 32 : 128;
	snprintf(addr, sizeof(addr), "%.*s", (int)alen, s);
	if (alen >= sizeof(addr) || inet_pton(x->family, addr, x->addr) != 1 ||
	    (s[alen] && !number(s + alen + 1, false, 0, max, &len))) {
		cli_err("%s: invalid prefix \"%s\": IPv4 ADDR[/0-32] or IPv6 ADDR[/0-128]",
			what, s);
		return false;
	}
	x->len = len;
	m = *x;
	sc_prefix_mask(&m);
	if (!memcmp(m.addr, x->addr, sizeof(m.addr)))
		return true;
	cli_err("%s: prefix \"%s\" has host bits set (%s?)", what, s,
		cli_prefix_str(&m, net));
	return false;
}

const char *cli_prefix_str(const struct sc_prefix *x, char *buf)
{
	char addr[INET6_ADDRSTRLEN];

	if (!inet_ntop(x->family, x->addr, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "?");
	snprintf(buf, CLI_PREFIX_LEN, "%s/%u", addr, x->len);
	return buf;
}

static bool same_prefix(const struct sc_prefix *a, const struct sc_prefix *b)
{
	return a->family == b->family && a->len == b->len &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

/* The PREFIX... of "peer add", @n words, into @p; none after an error line. */
static bool cli_prefixes(const char *what, const char **w, int n,
			 struct sc_peer *p)
{
	struct sc_prefix *x;
	int i, j;

	if (!n || n > SIPCODE_PEER_PREFIXES_MAX) {
		if (!n)
			cli_err("%s: no prefix given", what);
		else
			cli_err("%s: too many prefixes: at most %d", what,
				SIPCODE_PEER_PREFIXES_MAX);
		return false;
	}
	p->prefixes = calloc(n, sizeof(*x));
	if (!p->prefixes) {
		cli_err("%s: %s", what, strerror(ENOMEM));
		return false;
	}
	for (i = 0; i < n; i++, p->nprefixes++) {
		x = &p->prefixes[i];
		if (!cli_prefix(what, w[i], x))
			break;
		for (j = 0; j < i && !same_prefix(&p->prefixes[j], x); j++)
			;
		if (j < i) {
			cli_err("%s: prefix \"%s\" given twice", what, w[i]);
			break;
		}
	}
	if (i == n)
		return true;
	free(p->prefixes);
	p->prefixes = NULL;
	p->nprefixes = 0;
	return false;
}

/*
 * A peer's name @s into @name (SIPCODE_PEER_NAME_MAX bytes); if it is
 * not one, an error line "@what: invalid @label ...".
 */
static bool peer_name(const char *what, const char *label, const char *s,
		      char *name)
{
	if (sc_peer_name_valid(s)) {
		snprintf(name, SIPCODE_PEER_NAME_MAX, "%s", s);
		return true;
	}
	cli_err("%s: invalid %s \"%s\": 1 to %d letters, digits and -_.:@",
		what, label, s, SIPCODE_PEER_NAME_MAX - 1);
	return false;
}

/* "NAME PREFIX..." of "peer add", or "NAME" of "peer del" (!@add). */
static bool cli_peer(const char *what, const char **w, int n, bool add,
		     struct sc_peer *p)
{
	if (!n) {
		cli_err("%s: no name given", what);
		return false;
	}
	if (!peer_name(what, "name", w[0], p->name))
		return false;
	if (add)
		return cli_prefixes(what, w + 1, n - 1, p);
	if (n > 1)
		cli_err("%s: unexpected argument \"%s\"", what, w[1]);
	return n == 1;
}

/* Port @v added to the ports of @c (@what: for the error). */
static bool add_port(const char *what, struct sc_config *c, uint32_t v)
{
	unsigned int i;

	for (i = 0; i < c->nports && c->ports[i] < v; i++)
		;
	if (i < c->nports && c->ports[i] == v)
		return true;
	if (c->nports == SIPCODE_PORTS_MAX) {
		cli_err("%s: too many ports: at most %d", what,
			SIPCODE_PORTS_MAX);
		return false;
	}
	memmove(&c->ports[i + 1], &c->ports[i],
		(c->nports++ - i) * sizeof(c->ports[0]));
	c->ports[i] = v;
	return true;
}

bool cli_ports_apply(const struct cli_change *ch, struct sc_config *c)
{
	unsigned int i, j, k;

	if (ch->ports_op == 's')
		c->nports = 0;
	for (i = 0; i < ch->c.nports; i++) {
		if (ch->ports_op != 'd') {
			if (!add_port(ch->what, c, ch->c.ports[i]))
				return false;
			continue;
		}
		for (j = k = 0; j < c->nports; j++)
			if (c->ports[j] != ch->c.ports[i])
				c->ports[k++] = c->ports[j];
		if (k == c->nports) {
			cli_err("ports del: port %u is not inspected",
				ch->c.ports[i]);
			return false;
		}
		c->nports = k;
	}
	if (!c->nports)
		cli_err("ports del: no port would be left: at least one (ports set)");
	return c->nports;
}

/* "PORT[,PORT...]" added to the ports of @c (@what: for the errors). */
static bool parse_ports(const char *what, const char *s, struct sc_config *c)
{
	char *p, *rest = strdupa(s);
	unsigned long v;

	while ((p = strsep(&rest, ","))) {
		if (!number(p, false, 1, 65535, &v)) {
			cli_err("%s: invalid port \"%s\": must be 1-65535",
				what, p);
			return false;
		}
		if (!add_port(what, c, v))
			return false;
	}
	return true;
}

/* "VALUE[/MASK]" of "mark". */
static bool parse_mark(const char *s, struct sc_rule *r)
{
	const char *mask = strchr(s, '/');
	unsigned long v, m = SC_MASK_ALL;
	char value[32];

	snprintf(value, sizeof(value), "%.*s", (int)(mask ? mask - s : 31), s);
	if (!number(value, true, 0, UINT32_MAX, &v) ||
	    (mask && !number(mask + 1, true, 0, UINT32_MAX, &m))) {
		cli_err("rule add: invalid mark \"%s\": VALUE[/MASK], each a u32, decimal or 0x hex",
			s);
		return false;
	}
	r->mark = v;
	r->mask = m;
	if (!r->mask)
		cli_err("rule add: mask 0x0: must be non-zero");
	else if (r->mark & ~r->mask)
		cli_err("rule add: mark 0x%x has bits outside mask 0x%x",
			r->mark, r->mask);
	return r->mask && !(r->mark & ~r->mask);
}

/*
 * "peer NAME" of "rule add" or "rule del" (@what), @n words from "peer",
 * into @r; false after an error line.
 */
static bool rule_peer(const char *what, const char **w, int n,
		      struct sc_rule *r)
{
	if (r->peer[0])
		cli_err("%s: peer given twice", what);
	else if (n < 2)
		cli_err("%s: peer needs NAME", what);
	else
		return peer_name(what, "peer name", w[1], r->peer);
	return false;
}

/* MATCH [peer NAME] [ACTION] [notify] of "rule add", @n words. */
static bool cli_rule(const char **w, int n, struct sc_rule *r)
{
	const char *act = NULL;
	int i, a;

	memset(r, 0, sizeof(*r));
	r->action = SIPCODE_ACTION_COUNT;
	if (!n) {
		cli_err("rule add: no match given");
		return false;
	}
	if (!cli_match("rule add", w[0], r))
		return false;
	for (i = 1; i < n; i++) {
		if (!strcmp(w[i], "notify") && !r->notify) {
			r->notify = true;
			continue;
		}
		/* Where rule list prints it, after the match; or later. */
		if (!strcmp(w[i], "peer")) {
			if (!rule_peer("rule add", w + i, n - i, r))
				return false;
			i++;
			continue;
		}
		a = SIPCODE_ACTION_MAX;
		while (a && strcmp(w[i], sc_actions[a]))
			a--;
		if (a && act) {
			cli_err("rule add: two actions: \"%s\" and \"%s\"", act,
				w[i]);
			return false;
		} else if (!a && (act || r->notify)) {
			cli_err("rule add: unexpected argument \"%s\"", w[i]);
			return false;
		} else if (!a) {
			cli_err("rule add: unknown action \"%s\": count, drop or mark VALUE[/MASK], and notify",
				w[i]);
			return false;
		}
		act = w[i];
		r->action = a;
		if (a != SIPCODE_ACTION_MARK)
			continue;
		if (i + 1 == n) {
			cli_err("rule add: mark needs VALUE[/MASK]");
			return false;
		}
		if (!parse_mark(w[++i], r))
			return false;
	}
	return true;
}

/* "KEY VALUE" of "config"; @value NULL when missing. */
static bool parse_setting(const char *key, const char *value,
			  struct sc_config *c)
{
	unsigned long v, min = SIPCODE_EVENT_RATE_MIN, max = SIPCODE_EVENT_RATE_MAX;
	const char *unit = "events a second";
	int k;

	for (k = 0; k < SC_NKEYS && strcmp(key, sc_keys[k].text); k++)
		;
	if (k == SC_NKEYS) {
		cli_err("config: unknown setting \"%s\": dry-run, by-method, reasons, event-rate, transactions, transactions-max or relayed",
			key);
		return false;
	}
	if (c->have & (1U << k)) {
		cli_err("config: %s given twice", key);
		return false;
	}
	c->have |= 1U << k;
	if (k == SC_TRANSACTIONS_MAX) {
		min = SIPCODE_TXN_MAX_MIN;
		max = SIPCODE_TXN_MAX_MAX;
		unit = "transactions";
	}
	if (sc_key_number(k)) {
		if (number(value, false, min, max, &v)) {
			c->val[k] = v;
			return true;
		}
		if (value)
			cli_err("config: invalid %s \"%s\": %lu to %lu %s", key,
				value, min, max, unit);
		else
			cli_err("config: %s needs a value: %lu to %lu %s", key,
				min, max, unit);
		return false;
	}
	if (value && (!strcmp(value, "on") || !strcmp(value, "off"))) {
		c->val[k] = !strcmp(value, "on");
		return true;
	}
	if (value)
		cli_err("config: invalid %s \"%s\": on or off", key, value);
	else
		cli_err("config: %s needs a value: on or off", key);
	return false;
}

int cli_words(int argc, char **argv, const char **w, bool *json, bool *help)
{
	static const struct option o[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *word;
	int c, n = 1;

	w[0] = argv[0];
	for (;;) {
		/*
		 * "mark -1", "event-rate -1": values, not options; and a
		 * rule's peer, "peer -x".
		 */
		value_next = !strcmp(w[0], "config") ? n % 2 == 0 :
			     !strcmp(w[n - 1], "mark") ||
			     (n > 2 && !strcmp(w[0], "rule") &&
			      !strcmp(w[n - 1], "peer"));
		c = cli_next(argc, argv, "+:jph", o, &word);
		if (c == -1)
			return n;
		if (c == '?')
			return -1;
		*json |= c == 'j' || c == 'p';
		print_pretty |= c == 'p';
		*help |= c == 'h';
		if (!c)
			w[n++] = word;
	}
}

/* "dry-run" and "config", after their name. */
static bool settings(const char **w, int n, struct cli_change *ch)
{
	int i;

	ch->cmd = SIPCODE_CMD_CONFIG_SET;
	if (!strcmp(w[0], "config")) {
		for (i = 1; i < n; i += 2)
			if (!parse_setting(w[i], i + 1 < n ? w[i + 1] : NULL,
					   &ch->c))
				return false;
		return true;
	}
	snprintf(ch->what, sizeof(ch->what), "dry-run %s", w[1]);
	if (n > 2)
		cli_err("dry-run: unexpected argument \"%s\"", w[2]);
	else if (strcmp(w[1], "on") && strcmp(w[1], "off"))
		cli_err("dry-run: invalid argument \"%s\": on or off", w[1]);
	else
		return parse_setting(w[0], w[1], &ch->c);
	return false;
}

bool cli_change(const char **w, int n, bool help, struct cli_change *ch)
{
	bool rule = !strcmp(w[0], "rule"), ports = !strcmp(w[0], "ports"), del;
	bool peer = !strcmp(w[0], "peer");
	const char *sub = n > 1 ? w[1] : rule || peer ? "list" : "show";
	int i;

	memset(ch, 0, sizeof(*ch));
	snprintf(ch->what, sizeof(ch->what), "%s", w[0]);
	if (!rule && !ports && !peer)
		return help || n == 1 || settings(w, n, ch);
	/* The synonyms of ip and nft. */
	if (!strcmp(sub, "delete"))
		sub = "del";
	else if (!strcmp(sub, "ls") || !strcmp(sub, "list"))
		sub = rule || peer ? "list" : "show";
	if (ports && (!strcmp(sub, "set") || !strcmp(sub, "add") ||
		      !strcmp(sub, "del"))) {
		ch->cmd = SIPCODE_CMD_PORTS_SET;
		ch->ports_op = sub[0];
	} else if (rule && !strcmp(sub, "add"))
		ch->cmd = SIPCODE_CMD_RULE_ADD;
	else if (rule && !strcmp(sub, "del"))
		ch->cmd = SIPCODE_CMD_RULE_DEL;
	else if (rule && !strcmp(sub, "flush"))
		ch->cmd = SIPCODE_CMD_RULE_FLUSH;
	else if (peer && !strcmp(sub, "add"))
		ch->cmd = SIPCODE_CMD_PEER_ADD;
	else if (peer && !strcmp(sub, "del"))
		ch->cmd = SIPCODE_CMD_PEER_DEL;
	else if (peer && !strcmp(sub, "flush"))
		ch->cmd = SIPCODE_CMD_PEER_FLUSH;
	if (!ch->cmd && strcmp(sub, "show") &&
	    (ports || strcmp(sub, "list"))) {
		cli_err("%s: unknown subcommand \"%s\"", w[0], sub);
		return false;
	}
	if (ch->cmd || rule || peer)
		snprintf(ch->what, sizeof(ch->what), "%s %s", w[0], sub);
	if (help)
		return true;
	if (ch->cmd == SIPCODE_CMD_RULE_ADD)
		return cli_rule(w + 2, n - 2, &ch->r);
	if (ch->cmd == SIPCODE_CMD_PEER_ADD || ch->cmd == SIPCODE_CMD_PEER_DEL)
		return cli_peer(ch->what, w + 2, n - 2,
				ch->cmd == SIPCODE_CMD_PEER_ADD, &ch->p);
	if (ch->cmd == SIPCODE_CMD_PORTS_SET) {
		if (n == 2)
			cli_err("%s: no port given", ch->what);
		for (i = 2; i < n; i++)
			if (!parse_ports(ch->what, w[i], &ch->c))
				return false;
		return n > 2;
	}
	/* "rule del MATCH [peer NAME]"; else no argument. */
	del = ch->cmd == SIPCODE_CMD_RULE_DEL;
	if (del && n == 2) {
		cli_err("rule del: no match given");
		return false;
	}
	if (del && !cli_match("rule del", w[2], &ch->r))
		return false;
	/* A second "peer" is refused as given twice. */
	for (i = 2 + del; del && i < n && !strcmp(w[i], "peer"); i += 2)
		if (!rule_peer("rule del", w + i, n - i, &ch->r))
			return false;
	if (i < n)
		cli_err("%s: unexpected argument \"%s\"", ch->what, w[i]);
	return i >= n;
}

const char *cli_method(uint32_t m, char *buf)
{
	if (m < SIPCODE_NMETHODS)
		return sc_methods[m];
	snprintf(buf, 16, "%u", m);
	return buf;
}

const struct sc_rule *cli_clash(const struct sc_config *c,
				const struct sc_rule *r, bool overlap)
{
	const struct sc_rule *o;

	for (o = c->rules; o < c->rules + c->nrules; o++) {
		/* A peer's rules clash only with that peer's. */
		if (strcmp(o->peer, r->peer))
			continue;
		if (o->type == r->type && o->low == r->low &&
		    o->high == r->high)
			return o;
		if (overlap && o->type == SC_MATCH_RANGE &&
		    r->type == SC_MATCH_RANGE && o->low <= r->high &&
		    r->low <= o->high)
			return o;
	}
	return NULL;
}

const struct sc_rule *cli_peer_rule(const struct sc_config *c,
				    const char *name)
{
	const struct sc_rule *r;

	for (r = c->rules; r < c->rules + c->nrules; r++)
		if (r->peer[0] && (!name || !strcmp(r->peer, name)))
			return r;
	return NULL;
}

unsigned int cli_rule_peers(const struct sc_config *c)
{
	const char *seen[SIPCODE_RULE_PEERS_MAX + 1];
	unsigned int n = 0, i;
	size_t k;

	for (k = 0; k < c->nrules && n < ARRAY_SIZE(seen); k++) {
		if (!c->rules[k].peer[0])
			continue;
		for (i = 0; i < n && strcmp(seen[i], c->rules[k].peer); i++)
			;
		if (i == n)
			seen[n++] = c->rules[k].peer;
	}
	return n;
}

const struct sc_peer *cli_peer_find(const struct sc_config *c,
				    const char *name)
{
	const struct sc_peer *p;

	for (p = c->peers; p < c->peers + c->npeers; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

const struct sc_prefix *cli_peer_clash(const struct sc_config *c,
				       const struct sc_peer *p,
				       const struct sc_peer **o)
{
	const struct sc_prefix *x, *y;

	for (x = p->prefixes; x < p->prefixes + p->nprefixes; x++)
		for (*o = c->peers; *o < c->peers + c->npeers; (*o)++)
			for (y = (*o)->prefixes;
			     y < (*o)->prefixes + (*o)->nprefixes; y++)
				if (same_prefix(x, y))
					return x;
	*o = NULL;
	return NULL;
}

void rule_print(const struct sc_rule *r)
{
	char m[16];

	open_json_object(NULL);
	print_string(PRINT_ANY, "match", "%s", cli_match_str(r, m));
	print_string(PRINT_JSON, "type", NULL, sc_matches[r->type]);
	if (r->type == SC_MATCH_RANGE) {
		print_uint(PRINT_JSON, "low", NULL, r->low);
		print_uint(PRINT_JSON, "high", NULL, r->high);
	} else {
		print_uint(PRINT_JSON, r->type == SC_MATCH_CODE ? "code" : "class",
			   NULL, r->type == SC_MATCH_CODE ? r->low : r->low / 100);
	}
	/* As rule add takes it, after the match; absent for every response. */
	if (r->peer[0])
		print_string(PRINT_ANY, "peer", " peer %s", r->peer);
	print_string(PRINT_ANY, "action", " %s", sc_actions[r->action]);
	if (r->action == SIPCODE_ACTION_MARK) {
		print_uint(PRINT_ANY, "mark", " 0x%" PRIx64, r->mark);
		print_uint(PRINT_ANY, "mask", "/0x%" PRIx64, r->mask);
	}
	print_bool(PRINT_JSON, "notify", NULL, r->notify);
	print_fp("%s\n", r->notify ? " notify" : "");
	close_json_object();
}
