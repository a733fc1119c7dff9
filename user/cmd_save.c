// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl save" prints the configuration of the namespace (the
 * model) as commands; "sipcodectl restore" (and -f) reads such a file
 * into the model and sends it in one SIPCODE_CMD_CONFIG_REPLACE
 * request: the kernel takes it whole or not at all.
 *
 * Every line is checked first, by the parser of the command line
 * (cli_change()), and so is what the file does to the rules and the
 * peers (a rule added twice, two ranges that overlap, a peer added twice,
 * a prefix of two peers: usage errors, exit 2). The lines are then
 * applied, in order, to the configuration read from the kernel (a rule
 * or a peer deleted that is not there fails the restore, exit 1), and
 * what they make is sent whole; the kernel refuses a rule or a peer that
 * clashes with one the file kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "print.h"

/*
 * Room for the longest line: "peer add" with every prefix a namespace
 * may have, each as long as a prefix may be written (49 bytes).
 */
#define LINE_MAX_LEN	(1 << 18)
#define BLANKS		" \t\r\n\v\f"

/* One line of a file: what it does to the configuration. */
struct line {
	struct cli_change ch;
	unsigned int no;
};

/*
 * Where each rule and each peer of a configuration came from: a line, or
 * 0 for the kernel's; and whether the lines so far flushed them.
 */
struct origin {
	unsigned int *rule, *peer;
	bool rules_flushed, peers_flushed;
};

/* "FILE:3: ", before the errors of line 3. */
static char where[4200];

static void save(const struct sc_config *c)
{
	unsigned int i, k;

	print_start(stdout, false);
	for (i = 0; i < c->nports; i++)
		printf("%s%u", i ? "," : "ports set ", c->ports[i]);
	printf("\ndry-run %s\n", c->val[SC_DRY_RUN] ? "on" : "off");
	for (k = SC_BY_METHOD, i = 0; k < SC_NKEYS; k++) {
		if (!(c->have & (1U << k)))
			continue;
		printf("%s%s ", i++ ? " " : "config ", sc_keys[k].text);
		if (sc_key_number(k))
			printf("%u", c->val[k]);
		else
			fputs(c->val[k] ? "on" : "off", stdout);
	}
	fputs(i ? "\nrule flush\n" : "rule flush\n", stdout);
	for (i = 0; i < c->nrules; i++) {
		if (c->rules[i].peer[0])
			continue;
		fputs("rule add ", stdout);
		rule_print(&c->rules[i]);
	}
	fputs("peer flush\n", stdout);
	for (i = 0; i < c->npeers; i++) {
		fputs("peer add ", stdout);
		peer_print(&c->peers[i]);
	}
	/* The peers' rules, once their peers are there. */
	for (i = 0; i < c->nrules; i++) {
		if (!c->rules[i].peer[0])
			continue;
		fputs("rule add ", stdout);
		rule_print(&c->rules[i]);
	}
}

int save_main(int argc, char **argv, bool json)
{
	static const struct option o[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sc_handle *h;
	struct sc_config c;
	const char *word;
	int ret;

	while ((ret = cli_next(argc, argv, "+:jh", o, &word)) != -1) {
		if (ret == 'h')
			return EXIT_HELP;
		if (!ret)
			cli_err("save: unexpected argument \"%s\"", word);
		if (ret != 'j')
			return EXIT_USAGE;
		json = true;
	}
	if (json) {
		cli_err("save: no JSON output: the configuration is commands");
		return EXIT_USAGE;
	}
	h = cli_open("save");
	if (!h)
		return EXIT_FAILURE;
	ret = sc_config_get(h, &c, SC_GET_RULES | SC_GET_PEERS);
	if (ret)
		cli_fail(h, "save", ret);
	else
		save(&c);
	sc_close(h);
	sc_config_free(&c);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The @n words of one line into @ch; false after an error line. */
static bool parse_line(const char **w, int n, struct cli_change *ch)
{
	int i;

	/* "mark -1"; and a peer's name may start with '-', a rule's too. */
	for (i = 1; i < n; i++) {
		if (w[i][0] == '-' && strcmp(w[i - 1], "mark") &&
		    (i != 2 || strcmp(w[0], "peer")) &&
		    (i < 4 || strcmp(w[0], "rule") ||
		     strcmp(w[i - 1], "peer"))) {
			cli_err("%s: no option in a file: \"%s\"", w[0], w[i]);
			return false;
		}
	}
	if (strcmp(w[0], "ports") && strcmp(w[0], "dry-run") &&
	    strcmp(w[0], "config") && strcmp(w[0], "rule") &&
	    strcmp(w[0], "peer")) {
		cli_err("unknown command \"%s\": not in a file (see save)",
			w[0]);
		return false;
	}
	if (!cli_change(w, n, false, ch))
		return false;
	if (!ch->cmd)
		cli_err("%s: prints the configuration: not in a file",
			ch->what);
	return ch->cmd;
}

/* Room in *@lines, of @n, for one more. */
static bool grow_lines(struct line **lines, size_t n)
{
	struct line *l;

	if (n % 32)
		return true;
	l = realloc(*lines, (n + 32) * sizeof(*l));
	if (l)
		*lines = l;
	return l;
}

/* Reads the lines of @f (named @name), checked; 0 or an exit code. */
static int read_file(FILE *f, const char *name, struct line **lines,
		     size_t *n)
{
	const char **w = malloc((LINE_MAX_LEN / 2 + 2) * sizeof(*w));
	char *buf = NULL, *save_p;
	unsigned int no = 0;
	size_t cap = 0;
	ssize_t len;
	struct line ln;
	int nw, ret = 0;

	if (!w) {
		cli_err("%s: %s", name, strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	cli_where = where;
	while (!ret && (len = getline(&buf, &cap, f)) >= 0) {
		snprintf(where, sizeof(where), "%s:%u: ", name, ++no);
		if (strlen(buf) != (size_t)len) {
			cli_err("a NUL byte in the line");
			ret = EXIT_USAGE;
		} else if (len > LINE_MAX_LEN) {
			cli_err("line too long: more than %d bytes", LINE_MAX_LEN);
			ret = EXIT_USAGE;
		}
		for (nw = 0, w[0] = strtok_r(buf, BLANKS, &save_p);
		     !ret && w[nw] && w[nw][0] != '#';
		     w[++nw] = strtok_r(NULL, BLANKS, &save_p))
			;
		if (ret || !nw)
			continue;
		ln.no = no;
		if (!parse_line(w, nw, &ln.ch))
			ret = EXIT_USAGE;
		else if (!grow_lines(lines, *n))
			ret = EXIT_FAILURE;
		else
			(*lines)[(*n)++] = ln;
		if (ret == EXIT_FAILURE)
			free(ln.ch.p.prefixes);
	}
	cli_where = "";
	if (!ret && ferror(f)) {
		cli_err("%s: %s", name, strerror(errno ? errno : EIO));
		ret = EXIT_FAILURE;
	}
	free(buf);
	free(w);
	return ret;
}

static void free_lines(struct line *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i].ch.p.prefixes);
	free(lines);
}

/*
 * Applies peer line @ln to @c as apply() does a rule line: with @file, a
 * peer the file adds twice, or a prefix two of its peers have, is a usage
 * error; else the kernel's to refuse.
 */
static int apply_peer(struct sc_config *c, struct origin *from,
		      const struct line *ln, bool file)
{
	const struct cli_change *ch = &ln->ch;
	bool add = ch->cmd == SIPCODE_CMD_PEER_ADD;
	const struct sc_peer *o = cli_peer_find(c, ch->p.name), *q = NULL;
	const struct sc_prefix *x = add && file && !o ?
				    cli_peer_clash(c, &ch->p, &q) : NULL;
	size_t i = o ? o - c->peers : 0, n = ch->p.nprefixes;
	struct sc_peer *p = &c->peers[c->npeers];
	const struct sc_rule *r = NULL;
	char buf[CLI_PREFIX_LEN], on[48] = "";

	/* As the kernel refuses them (EBUSY): a peer with rules stays. */
	if (ch->cmd == SIPCODE_CMD_PEER_FLUSH)
		r = cli_peer_rule(c, NULL);
	else if (ch->cmd == SIPCODE_CMD_PEER_DEL)
		r = cli_peer_rule(c, ch->p.name);
	if (r && from->rule[r - c->rules])
		snprintf(on, sizeof(on), " (a rule added on line %u)",
			 from->rule[r - c->rules]);
	if (r && ch->cmd == SIPCODE_CMD_PEER_FLUSH)
		cli_err("peer flush: %s has rules; delete them first%s",
			r->peer, on);
	else if (r)
		cli_err("peer del %s: it has rules; delete them first%s",
			r->peer, on);
	if (r)
		return file ? EXIT_USAGE : EXIT_FAILURE;
	if (ch->cmd == SIPCODE_CMD_PEER_FLUSH) {
		while (c->npeers)
			free(c->peers[--c->npeers].prefixes);
		from->peers_flushed = true;
	} else if (ch->cmd == SIPCODE_CMD_PEER_DEL && o) {
		free(c->peers[i].prefixes);
		c->peers[i] = c->peers[--c->npeers];
		from->peer[i] = from->peer[c->npeers];
	} else if (ch->cmd == SIPCODE_CMD_PEER_DEL &&
		   (!file || from->peers_flushed)) {
		cli_err("peer del %s: no such peer", ch->p.name);
		return file ? EXIT_USAGE : EXIT_FAILURE;
	} else if (add && file && o) {
		cli_err("peer add %s: a peer %s exists (added on line %u)",
			ch->p.name, ch->p.name, from->peer[i]);
		return EXIT_USAGE;
	} else if (x) {
		cli_err("peer add %s: prefix %s belongs to peer %s (added on line %u)",
			ch->p.name, cli_prefix_str(x, buf), q->name,
			from->peer[q - c->peers]);
		return EXIT_USAGE;
	} else if (add) {
		/* A copy: @c owns its peers' prefixes. */
		*p = ch->p;
		p->prefixes = malloc(n * sizeof(*p->prefixes));
		if (!p->prefixes) {
			cli_err("restore: %s", strerror(ENOMEM));
			return EXIT_FAILURE;
		}
		memcpy(p->prefixes, ch->p.prefixes, n * sizeof(*p->prefixes));
		from->peer[c->npeers++] = ln->no;
	}
	return 0;
}

/*
 * Applies line @ln to @c, whose rules and peers came from the lines in
 * @from. @file: @c holds only what the file added, and a rule added
 * twice or two ranges that overlap are usage errors, as is deleting one
 * after the file flushed them that it did not add; else a clash is the
 * kernel's to refuse. Returns 0, or an exit code after an error line.
 */
static int apply(struct sc_config *c, struct origin *from,
		 const struct line *ln, bool file)
{
	const struct cli_change *ch = &ln->ch;
	bool add = ch->cmd == SIPCODE_CMD_RULE_ADD;
	const struct sc_rule *o = cli_clash(c, &ch->r, add);
	size_t i = o ? o - c->rules : 0;
	char m[CLI_RULE_LEN], n[CLI_RULE_LEN];
	const char *peer = ch->r.peer;
	unsigned int k;

	if (ch->cmd == SIPCODE_CMD_PEER_ADD || ch->cmd == SIPCODE_CMD_PEER_DEL ||
	    ch->cmd == SIPCODE_CMD_PEER_FLUSH)
		return apply_peer(c, from, ln, file);
	cli_rule_str(&ch->r, m);
	for (k = 0; k < SC_NKEYS; k++)
		if (ch->c.have & (1U << k))
			c->val[k] = ch->c.val[k];
	c->have |= ch->c.have;
	/* A file's ports add/del are checked once it set the ports. */
	if (ch->cmd == SIPCODE_CMD_PORTS_SET) {
		if ((!file || c->nports || ch->ports_op == 's') &&
		    !cli_ports_apply(ch, c))
			return file ? EXIT_USAGE : EXIT_FAILURE;
	} else if (ch->cmd == SIPCODE_CMD_RULE_FLUSH) {
		c->nrules = 0;
		from->rules_flushed = true;
	} else if (ch->cmd == SIPCODE_CMD_RULE_DEL && o) {
		c->rules[i] = c->rules[--c->nrules];
		from->rule[i] = from->rule[c->nrules];
	} else if (ch->cmd == SIPCODE_CMD_RULE_DEL &&
		   (!file || from->rules_flushed)) {
		cli_err("rule del %s: no such rule", m);
		return file ? EXIT_USAGE : EXIT_FAILURE;
	} else if (add && file && o) {
		if (o->low == ch->r.low && o->high == ch->r.high)
			cli_err("rule add %s: a rule for %s exists (added on line %u)",
				m, m, from->rule[i]);
		else
			cli_err("rule add %s: overlaps range %s (added on line %u)",
				m, cli_rule_str(o, n), from->rule[i]);
		return EXIT_USAGE;
	} else if (add && peer[0] && !cli_peer_find(c, peer) &&
		   (!file || from->peers_flushed)) {
		/* A file's peer may be the kernel's, unless it flushed them. */
		cli_err("rule add %s: no peer named %s", m, peer);
		return file ? EXIT_USAGE : EXIT_FAILURE;
	} else if (add && peer[0] && !cli_peer_rule(c, peer) &&
		   cli_rule_peers(c) >= SIPCODE_RULE_PEERS_MAX) {
		cli_err("rule add %s: too many peers with rules: at most %d",
			m, SIPCODE_RULE_PEERS_MAX);
		return file ? EXIT_USAGE : EXIT_FAILURE;
	} else if (add) {
		c->rules[c->nrules] = ch->r;
		from->rule[c->nrules++] = ln->no;
	}
	return 0;
}

/*
 * Room in @c for what @n lines may add to it, and in @from, all 0, for
 * where it comes from; false after an error line.
 */
static bool make_room(struct sc_config *c, struct origin *from, size_t n)
{
	struct sc_rule *r = realloc(c->rules, (c->nrules + n + 1) * sizeof(*r));
	struct sc_peer *p = NULL;

	if (r) {
		c->rules = r;
		p = realloc(c->peers, (c->npeers + n + 1) * sizeof(*p));
	}
	if (p)
		c->peers = p;
	free(from->rule);
	free(from->peer);
	from->rule = calloc(c->nrules + n + 1, sizeof(*from->rule));
	from->peer = calloc(c->npeers + n + 1, sizeof(*from->peer));
	from->rules_flushed = from->peers_flushed = false;
	if (p && from->rule && from->peer)
		return true;
	cli_err("restore: %s", strerror(ENOMEM));
	return false;
}

/* "restore FILE" or "-f FILE": @path "-" is standard input. */
static int restore_file(const char *path, bool check)
{
	bool in = !strcmp(path, "-");
	const char *name = in ? "stdin" : path;
	struct sc_config sim = { .nrules = 0 }, c = { .nrules = 0 };
	struct origin from = { .rule = NULL };
	struct line *lines = NULL;
	struct sc_handle *h = NULL;
	size_t n = 0, i;
	int ret, err = 0;
	FILE *f;

	f = in ? stdin : fopen(path, "r");
	if (!f) {
		cli_err("%s: %s", path, strerror(errno));
		return EXIT_FAILURE;
	}
	ret = read_file(f, name, &lines, &n);
	if (!in)
		fclose(f);
	if (!ret && !make_room(&sim, &from, n))
		ret = EXIT_FAILURE;
	cli_where = where;
	for (i = 0; !ret && i < n; i++) {
		snprintf(where, sizeof(where), "%s:%u: ", name, lines[i].no);
		ret = apply(&sim, &from, &lines[i], true);
	}
	if (ret || check || !n)
		goto out;
	cli_where = "";
	ret = EXIT_FAILURE;
	h = cli_open("restore");
	if (h)
		err = sc_config_get(h, &c, SC_GET_RULES | SC_GET_PEERS);
	if (!h || err < 0) {
		if (h)
			cli_fail(h, "restore", err);
		goto out;
	}
	if (!make_room(&c, &from, n))
		goto out;
	cli_where = where;
	for (i = 0, ret = 0; !ret && i < n; i++) {
		snprintf(where, sizeof(where), "%s:%u: ", name, lines[i].no);
		ret = apply(&c, &from, &lines[i], false);
	}
	if (ret)
		goto out;
	cli_where = "";
	ret = sc_change(h, SIPCODE_CMD_CONFIG_REPLACE, &c, NULL);
	if (ret)
		ret = cli_fail(h, "restore", ret);
out:
	cli_where = "";
	sc_close(h);
	sc_config_free(&c);
	sc_config_free(&sim);
	free(from.rule);
	free(from.peer);
	free_lines(lines, n);
	return ret;
}

int restore_main(int argc, char **argv, bool json)
{
	static const struct option o[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *word;
	bool check = false;
	int c;

	while ((c = cli_next(argc, argv, "+:cjh", o, &word)) != -1) {
		if (c == 'h')
			return EXIT_HELP;
		if (c == '?')
			return EXIT_USAGE;
		check |= c == 'c';
		json |= c == 'j';
		if (c == 0 && path) {
			cli_err("restore: unexpected argument \"%s\"", word);
			return EXIT_USAGE;
		}
		if (c == 0)
			path = word;
	}
	if (json) {
		cli_err("restore: no JSON output");
		return EXIT_USAGE;
	}
	return restore_file(path ? path : "-", check);
}
