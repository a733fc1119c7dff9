// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl save" prints the configuration of the namespace (the
 * model) as commands; "sipcodectl restore" (and -f) reads such a file
 * into the model and sends it in one SIPCODE_CMD_CONFIG_REPLACE
 * request: the kernel takes it whole or not at all.
 *
 * Every line is checked first, by the parser of the command line
 * (cli_change()), and so is what the file does to the rules (a rule
 * added twice, two ranges that overlap: usage errors, exit 2). The lines
 * are then applied, in order, to the configuration read from the kernel
 * (a rule deleted that is not there fails the restore, exit 1), and what
 * they make is sent whole; the kernel refuses a rule that clashes with
 * one the file kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "print.h"

#define LINE_MAX_LEN	4096
#define BLANKS		" \t\r\n\v\f"

/* One line of a file: what it does to the configuration. */
struct line {
	struct cli_change ch;
	unsigned int no;
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
	ret = sc_config_get(h, &c, true);
	if (ret)
		cli_fail(h, "save", ret);
	else
		save(&c);
	sc_close(h);
	free(c.rules);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The @n words of one line into @ch; false after an error line. */
static bool parse_line(const char **w, int n, struct cli_change *ch)
{
	int i;

	for (i = 1; i < n; i++) {
		if (w[i][0] == '-' && strcmp(w[i - 1], "mark")) {
			cli_err("%s: no option in a file: \"%s\"", w[0], w[i]);
			return false;
		}
	}
	if (strcmp(w[0], "ports") && strcmp(w[0], "dry-run") &&
	    strcmp(w[0], "config") && strcmp(w[0], "rule")) {
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

/* Reads the lines of @f (named @name), checked; 0 or an exit code. */
static int read_file(FILE *f, const char *name, struct line **lines,
		     size_t *n)
{
	const char *w[LINE_MAX_LEN / 2 + 2];
	char *buf = NULL, *save_p;
	unsigned int no = 0;
	size_t cap = 0;
	ssize_t len;
	struct line ln;
	int nw, ret = 0;

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
		else if (!(*n % 32) && !(*lines = realloc(*lines,
						  (*n + 32) * sizeof(ln))))
			ret = EXIT_FAILURE;
		else
			(*lines)[(*n)++] = ln;
	}
	cli_where = "";
	if (!ret && ferror(f)) {
		cli_err("%s: %s", name, strerror(errno ? errno : EIO));
		ret = EXIT_FAILURE;
	}
	free(buf);
	return ret;
}

/*
 * Applies line @ln to @c, whose rule i came from line @from[i] (0: the
 * kernel's). @file: @c holds only what the file added, since its last
 * flush if @flushed, and a rule added twice or two ranges that overlap
 * are usage errors; else a clash is the kernel's to refuse. Returns 0,
 * or an exit code after an error line.
 */
static int apply(struct sc_config *c, unsigned int *from,
		 const struct line *ln, bool file, bool flushed)
{
	const struct cli_change *ch = &ln->ch;
	bool add = ch->cmd == SIPCODE_CMD_RULE_ADD;
	const struct sc_rule *o = cli_clash(c, &ch->r, add);
	size_t i = o ? o - c->rules : 0;
	char m[16], n[16];
	unsigned int k;

	cli_match_str(&ch->r, m);
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
	} else if (ch->cmd == SIPCODE_CMD_RULE_DEL && o) {
		c->rules[i] = c->rules[--c->nrules];
		from[i] = from[c->nrules];
	} else if (ch->cmd == SIPCODE_CMD_RULE_DEL && (!file || flushed)) {
		cli_err("rule del %s: no such rule", m);
		return file ? EXIT_USAGE : EXIT_FAILURE;
	} else if (add && file && o) {
		if (o->low == ch->r.low && o->high == ch->r.high)
			cli_err("rule add %s: a rule for %s exists (added on line %u)",
				m, m, from[i]);
		else
			cli_err("rule add %s: overlaps range %s (added on line %u)",
				m, cli_match_str(o, n), from[i]);
		return EXIT_USAGE;
	} else if (add) {
		c->rules[c->nrules] = ch->r;
		from[c->nrules++] = ln->no;
	}
	return 0;
}

/* "restore FILE" or "-f FILE": @path "-" is standard input. */
static int restore_file(const char *path, bool check)
{
	bool in = !strcmp(path, "-"), flushed = false;
	const char *name = in ? "stdin" : path;
	struct sc_config sim = { .nrules = 0 }, c = { .nrules = 0 };
	unsigned int *from = NULL;
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
	sim.rules = calloc(n + 1, sizeof(*sim.rules));
	from = calloc(n + 1 + 3 * SIPCODE_NCODES, sizeof(*from));
	if (!ret && (!sim.rules || !from)) {
		cli_err("restore: %s", strerror(ENOMEM));
		ret = EXIT_FAILURE;
	}
	cli_where = where;
	for (i = 0; !ret && i < n; i++) {
		snprintf(where, sizeof(where), "%s:%u: ", name, lines[i].no);
		flushed |= lines[i].ch.cmd == SIPCODE_CMD_RULE_FLUSH;
		ret = apply(&sim, from, &lines[i], true, flushed);
	}
	if (ret || check || !n)
		goto out;
	cli_where = "";
	ret = EXIT_FAILURE;
	h = cli_open("restore");
	if (!h || (err = sc_config_get(h, &c, true)) < 0) {
		if (h)
			cli_fail(h, "restore", err);
		goto out;
	}
	c.rules = realloc(c.rules, (c.nrules + n + 1) * sizeof(*c.rules));
	if (!c.rules) {
		cli_err("restore: %s", strerror(ENOMEM));
		goto out;
	}
	memset(from, 0, (c.nrules + n + 1) * sizeof(*from));
	cli_where = where;
	for (i = 0, ret = 0; !ret && i < n; i++) {
		snprintf(where, sizeof(where), "%s:%u: ", name, lines[i].no);
		ret = apply(&c, from, &lines[i], false, false);
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
	free(c.rules);
	free(sim.rules);
	free(from);
	free(lines);
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
