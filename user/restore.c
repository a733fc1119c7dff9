// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl restore" and "sipcodectl -f": apply a file of commands, as
 * "sipcodectl save" writes them, all or nothing, in one request.
 *
 * First every line is checked, as the command line would check it (the
 * commands' own parsers run, asking the kernel nothing), and so is what
 * the file does to the rules: a rule it adds twice, or two ranges it
 * adds that overlap. Then the configuration it leads to is worked out:
 * the configuration now (as "save" prints it) with the file's lines
 * applied to it in memory. That whole configuration goes to the kernel
 * in one SIPCODE_CMD_CONFIG_REPLACE request, which the kernel applies
 * whole or refuses whole.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sipcode.h>
#include <netlink/genl/genl.h>

#include "capture.h"
#include "cli.h"
#include "config.h"
#include "nl.h"
#include "ports.h"
#include "restore.h"
#include "rule.h"
#include "save.h"

#define LINE_MAX_LEN	4096
#define BLANKS		" \t\r\n\v\f"

struct line {
	unsigned int no;	/* in the file, from 1 */
	char *text;		/* the words, NUL-separated */
	char **argv;		/* the words, NULL-terminated */
	int argc;
};

struct script {
	const char *name;	/* the file, in messages */
	struct line *l;
	size_t n, size;
};

/* The rules a file adds, for its own consistency. */
struct added {
	struct rule_check r;
	unsigned int no;	/* the line that adds it */
};

struct sim {
	struct added *a;
	size_t n, size;
	bool flushed;		/* the rules before the file are gone */
};

static void script_free(struct script *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++) {
		free(sc->l[i].text);
		free(sc->l[i].argv);
	}
	free(sc->l);
	sc->l = NULL;
	sc->n = 0;
	sc->size = 0;
}

static void bad(const struct script *sc, unsigned int no, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

/* "sipcodectl: FILE:N: <message>" */
static void bad(const struct script *sc, unsigned int no, const char *fmt,
		...)
{
	va_list ap;

	fprintf(stderr, "sipcodectl: %s:%u: ", sc->name, no);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Splits @buf (a line, comment included) into a new line of @sc. */
static int script_push(struct script *sc, unsigned int no, const char *buf)
{
	struct line *ln, *p;
	char *text, *w, *save;
	size_t size;

	text = strdup(buf);
	if (!text)
		return -1;
	if (sc->n == sc->size) {
		size = sc->size ? sc->size * 2 : 32;
		p = realloc(sc->l, size * sizeof(*p));
		if (!p)
			goto fail;
		sc->l = p;
		sc->size = size;
	}
	ln = &sc->l[sc->n];
	memset(ln, 0, sizeof(*ln));
	ln->no = no;
	ln->text = text;
	/* At most one word per two bytes, and the NULL. */
	ln->argv = calloc(strlen(text) / 2 + 2, sizeof(*ln->argv));
	if (!ln->argv)
		goto fail;
	for (w = strtok_r(text, BLANKS, &save); w && w[0] != '#';
	     w = strtok_r(NULL, BLANKS, &save))
		ln->argv[ln->argc++] = w;
	if (!ln->argc) {
		free(ln->argv);
		free(text);
		return 0;
	}
	sc->n++;
	return 0;
fail:
	free(text);
	return -1;
}

/*
 * Reads the lines of @f into @sc, blank lines and comments aside.
 * Returns 0, or an exit code after an error line.
 */
static int script_read(FILE *f, struct script *sc)
{
	unsigned int no = 0;
	size_t cap = 0;
	char *buf = NULL;
	ssize_t len;
	int ret = EXIT_USAGE;

	while ((len = getline(&buf, &cap, f)) >= 0) {
		no++;
		if (strlen(buf) != (size_t)len) {
			bad(sc, no, "a NUL byte in the line");
			goto out;
		}
		if (len > LINE_MAX_LEN) {
			bad(sc, no, "line too long: more than %d bytes",
			    LINE_MAX_LEN);
			goto out;
		}
		if (script_push(sc, no, buf) < 0) {
			cli_err("%s: %s", sc->name, strerror(ENOMEM));
			ret = EXIT_FAILURE;
			goto out;
		}
	}
	if (ferror(f)) {
		cli_err("%s: %s", sc->name, strerror(errno ? errno : EIO));
		ret = EXIT_FAILURE;
		goto out;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

static bool overlap(const struct rule_check *a, const struct rule_check *b)
{
	return a->range && b->range && a->low <= b->high && b->low <= a->high;
}

/* What line @no does to the rules, after the lines before it. */
static int simulate(const struct script *sc, unsigned int no,
		    const struct rule_check *r, struct sim *sim)
{
	struct added *p;
	size_t i, size;

	if (!strcmp(r->sub, "flush")) {
		sim->n = 0;
		sim->flushed = true;
		return 0;
	}
	for (i = 0; i < sim->n; i++)
		if (!strcmp(sim->a[i].r.match, r->match))
			break;
	if (!strcmp(r->sub, "del")) {
		if (i < sim->n) {
			sim->a[i] = sim->a[--sim->n];
			return 0;
		}
		if (sim->flushed) {
			bad(sc, no, "rule del %s: no such rule", r->match);
			return EXIT_USAGE;
		}
		return 0;
	}
	if (i < sim->n) {
		bad(sc, no, "rule add %s: a rule for %s exists (added on line %u)",
		    r->match, r->match, sim->a[i].no);
		return EXIT_USAGE;
	}
	for (i = 0; i < sim->n; i++) {
		if (overlap(&sim->a[i].r, r)) {
			bad(sc, no, "rule add %s: overlaps range %s (added on line %u)",
			    r->match, sim->a[i].r.match, sim->a[i].no);
			return EXIT_USAGE;
		}
	}
	if (sim->n == sim->size) {
		size = sim->size ? sim->size * 2 : 64;
		p = realloc(sim->a, size * sizeof(*p));
		if (!p) {
			cli_err("%s: %s", sc->name, strerror(ENOMEM));
			return EXIT_FAILURE;
		}
		sim->a = p;
		sim->size = size;
	}
	sim->a[sim->n].r = *r;
	sim->a[sim->n].no = no;
	sim->n++;
	return 0;
}

/* Which commands a file may hold, and their parsers and runners. */
enum kind {
	KIND_PORTS,
	KIND_DRYRUN,
	KIND_CONFIG,
	KIND_RULE,
};

/*
 * The kind of the command of @ln, or -1 after an error line when a file
 * may not hold it.
 */
static int line_kind(const struct script *sc, const struct line *ln)
{
	const char *cmd = ln->argv[0];
	const char *sub = ln->argc > 1 ? ln->argv[1] : NULL;
	int i;

	for (i = 1; i < ln->argc; i++) {
		if (ln->argv[i][0] == '-') {
			bad(sc, ln->no, "%s: no option in a file: \"%s\"",
			    cmd, ln->argv[i]);
			return -1;
		}
	}
	/* Other subcommands: their parsers say what is wrong. */
	if (!strcmp(cmd, "ports")) {
		if (sub && strcmp(sub, "show"))
			return KIND_PORTS;
		bad(sc, ln->no, "ports: only \"ports set\" in a file");
		return -1;
	}
	if (!strcmp(cmd, "dry-run")) {
		if (sub)
			return KIND_DRYRUN;
		bad(sc, ln->no, "dry-run: \"on\" or \"off\" is needed in a file");
		return -1;
	}
	if (!strcmp(cmd, "config")) {
		if (sub)
			return KIND_CONFIG;
		bad(sc, ln->no, "config: KEY VALUE is needed in a file");
		return -1;
	}
	if (!strcmp(cmd, "rule")) {
		if (sub && strcmp(sub, "list") && strcmp(sub, "show"))
			return KIND_RULE;
		bad(sc, ln->no, "rule: only add, del and flush in a file");
		return -1;
	}
	bad(sc, ln->no, "unknown command \"%s\": not in a file (see save)",
	    cmd);
	return -1;
}

/*
 * Runs the command of @ln (of @kind): with @chk, its check only. What
 * it prints on stderr goes to @err (free() it), NULL when nothing.
 */
static int line_run(const struct line *ln, int kind, struct rule_check *chk,
		    char **err)
{
	int argc = ln->argc - 1;
	char **argv = ln->argv + 1;
	struct capture c;
	size_t len = 0;
	int ret;

	*err = NULL;
	if (capture_begin(&c, &stderr) < 0) {
		cli_err("restore: %s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	if (kind == KIND_PORTS)
		ret = chk ? ports_check(argc, argv) : ports_main(argc, argv, false);
	else if (kind == KIND_DRYRUN)
		ret = chk ? dryrun_check(argc, argv) : dryrun_main(argc, argv, false);
	else if (kind == KIND_CONFIG)
		ret = chk ? config_check(argc, argv) : config_main(argc, argv, false);
	else
		ret = chk ? rule_check(argc, argv, chk) : rule_main(argc, argv, false);
	*err = capture_end(&c, &len);
	if (*err && !len) {
		free(*err);
		*err = NULL;
	}
	return ret;
}

/* Checks every line of @sc; 0, or an exit code after an error line. */
static int script_check(const struct script *sc)
{
	struct sim sim = { 0 };
	struct rule_check chk;
	size_t i;
	char *err;
	int kind, ret = 0;

	for (i = 0; i < sc->n && !ret; i++) {
		kind = line_kind(sc, &sc->l[i]);
		if (kind < 0) {
			ret = EXIT_USAGE;
			break;
		}
		ret = line_run(&sc->l[i], kind, &chk, &err);
		if (ret)
			bad(sc, sc->l[i].no, "%s", capture_msg(err));
		else if (kind == KIND_RULE)
			ret = simulate(sc, sc->l[i].no, &chk, &sim);
		free(err);
	}
	free(sim.a);
	return ret;
}

/* The configuration a file leads to: what CONFIG_REPLACE takes. */
struct model {
	uint16_t ports[SIPCODE_PORTS_MAX];
	unsigned int nports;
	struct config c;
	struct rule_check *r;	/* "add" checks */
	size_t n, size;
};

/* Applies the rule line @ln of @sc (checked before) to @md. */
static int model_rule(const struct script *sc, const struct line *ln,
		      struct model *md)
{
	struct rule_check chk;
	struct rule_check *p;
	size_t i;

	if (rule_check(ln->argc - 1, ln->argv + 1, &chk))
		return EXIT_USAGE;
	if (!strcmp(chk.sub, "flush")) {
		md->n = 0;
		return 0;
	}
	for (i = 0; i < md->n; i++)
		if (!strcmp(md->r[i].match, chk.match))
			break;
	if (!strcmp(chk.sub, "del")) {
		if (i == md->n) {
			bad(sc, ln->no, "rule del %s: no such rule", chk.match);
			return EXIT_FAILURE;
		}
		memmove(&md->r[i], &md->r[i + 1],
			(md->n - i - 1) * sizeof(*md->r));
		md->n--;
		return 0;
	}
	/* A rule added twice: the kernel names it in its refusal. */
	p = sipnl_append(md->r, &md->n, &md->size, &chk, sizeof(chk));
	if (!p) {
		cli_err("restore: %s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	md->r = p;
	return 0;
}

/* Applies the lines of @sc (checked before) to @md; 0 or an exit code. */
static int model_apply(const struct script *sc, struct model *md)
{
	const struct line *ln;
	struct config c;
	size_t i;
	int ret;

	for (i = 0; i < sc->n; i++) {
		ln = &sc->l[i];
		switch (line_kind(sc, ln)) {
		case KIND_PORTS:
			md->nports = ports_parse(ln->argc - 1, ln->argv + 1,
						 md->ports);
			break;
		case KIND_DRYRUN:
			md->c.dry_run = !strcmp(ln->argv[1], "on");
			break;
		case KIND_CONFIG:
			config_parse(ln->argc - 1, ln->argv + 1, &c);
			if (c.have & (1U << CONFIG_DRY_RUN))
				md->c.dry_run = c.dry_run;
			if (c.have & (1U << CONFIG_BY_METHOD))
				md->c.by_method = c.by_method;
			if (c.have & (1U << CONFIG_REASONS))
				md->c.reasons = c.reasons;
			if (c.have & (1U << CONFIG_EVENT_RATE))
				md->c.event_rate = c.event_rate;
			break;
		case KIND_RULE:
			ret = model_rule(sc, ln, md);
			if (ret)
				return ret;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	return 0;
}

static int put_rule(struct nl_msg *msg, const struct rule_check *r)
{
	struct nlattr *nest;
	int ret;

	nest = nla_nest_start(msg, SIPCODE_A_RULE | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	if (r->m.type == MATCH_CODE)
		ret = nla_put_u32(msg, SIPCODE_RULE_A_CODE, r->m.low);
	else if (r->m.type == MATCH_CLASS)
		ret = nla_put_u32(msg, SIPCODE_RULE_A_CLASS, r->m.low / 100);
	else
		ret = nla_put_u32(msg, SIPCODE_RULE_A_LOW, r->m.low) ?:
		      nla_put_u32(msg, SIPCODE_RULE_A_HIGH, r->m.high);
	if (!ret)
		ret = nla_put_u32(msg, SIPCODE_RULE_A_ACTION, r->action);
	if (!ret && r->notify)
		ret = nla_put_flag(msg, SIPCODE_RULE_A_NOTIFY);
	if (!ret && r->action == SIPCODE_ACTION_MARK)
		ret = nla_put_u32(msg, SIPCODE_RULE_A_MARK, r->mark) ?:
		      nla_put_u32(msg, SIPCODE_RULE_A_MASK, r->mask);
	if (ret < 0)
		return ret;
	return nla_nest_end(msg, nest);
}

/* The CONFIG_REPLACE request of @arg, a struct model. */
static int model_fill(struct nl_msg *msg, void *arg)
{
	const struct model *md = arg;
	struct nlattr *nest;
	unsigned int i;
	int ret;

	nest = nla_nest_start(msg, SIPCODE_A_PORTS | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	for (i = 0; i < md->nports; i++) {
		ret = nla_put_u32(msg, SIPCODE_PORT_A_PORT, md->ports[i]);
		if (ret < 0)
			return ret;
	}
	nla_nest_end(msg, nest);
	ret = nla_put_u32(msg, SIPCODE_A_DRY_RUN, md->c.dry_run) ?:
	      nla_put_u32(msg, SIPCODE_A_BY_METHOD, md->c.by_method) ?:
	      nla_put_u32(msg, SIPCODE_A_REASONS, md->c.reasons) ?:
	      nla_put_u32(msg, SIPCODE_A_EVENT_RATE, md->c.event_rate);
	for (i = 0; !ret && i < md->n; i++)
		ret = put_rule(msg, &md->r[i]);
	return ret;
}

/* Room for the largest request: every rule the kernel allows, and more. */
#define RESTORE_MSG_SIZE	(128 * 1024)

/*
 * Sends the configuration @saved (now) with the lines of @sc applied, in
 * one request. Returns 0, or an exit code after an error line.
 */
static int script_apply(const struct script *saved, const struct script *sc)
{
	struct model md = { .c.event_rate = SIPCODE_EVENT_RATE_DEFAULT };
	const struct sipnl_req req = {
		.what = "restore",
		.cmd = SIPCODE_CMD_CONFIG_REPLACE,
		.fill = model_fill,
		.arg = &md,
		.size = RESTORE_MSG_SIZE,
	};
	int ret;

	ret = model_apply(saved, &md);
	if (!ret)
		ret = model_apply(sc, &md);
	if (!ret && sipnl_run(&req) < 0)
		ret = EXIT_FAILURE;
	free(md.r);
	return ret;
}

/* Reads @f (named @name) into @sc and checks it; 0 or an exit code. */
static int script_load(FILE *f, const char *name, struct script *sc)
{
	int ret;

	sc->name = name;
	ret = script_read(f, sc);
	if (!ret)
		ret = script_check(sc);
	return ret;
}

/* The configuration now, as "save" prints it, in @sc. */
static int snapshot(struct script *sc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret = EXIT_FAILURE;

	f = open_memstream(&buf, &len);
	if (!f) {
		cli_err("restore: %s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	if (save_config(f) < 0) {
		fclose(f);
		goto out;
	}
	if (fclose(f)) {
		cli_err("restore: %s", strerror(ENOMEM));
		goto out;
	}
	f = fmemopen(buf, len, "r");
	if (!f) {
		cli_err("restore: %s", strerror(errno));
		goto out;
	}
	ret = script_load(f, "saved configuration", sc);
	fclose(f);
out:
	free(buf);
	return ret;
}

int restore_file(const char *path, bool check)
{
	struct script sc = { 0 }, saved = { 0 };
	bool in = !strcmp(path, "-");
	FILE *f;
	int ret;

	f = in ? stdin : fopen(path, "r");
	if (!f) {
		cli_err("%s: %s", path, strerror(errno));
		return EXIT_FAILURE;
	}
	ret = script_load(f, in ? "stdin" : path, &sc);
	if (!in)
		fclose(f);
	if (ret || check || !sc.n)
		goto out;
	ret = snapshot(&saved);
	if (ret)
		goto out;
	ret = script_apply(&saved, &sc);
out:
	script_free(&saved);
	script_free(&sc);
	return ret;
}

static void usage(void)
{
	puts("Usage: sipcodectl restore [-c|--check] [FILE|-]\n"
	     "       sipcodectl -f FILE\n"
	     "Apply the commands of FILE (default -, standard input), as\n"
	     "sipcodectl save prints them, all or nothing: ports set, dry-run\n"
	     "on|off, config KEY VALUE..., rule flush, rule add and rule del,\n"
	     "one a line; blank lines and # comments are skipped. Every line\n"
	     "is checked first; then the configuration the file leads to is\n"
	     "sent in one request, which the kernel applies whole or refuses\n"
	     "whole. Needs CAP_NET_ADMIN.\n"
	     "  -c, --check  only check the file\n"
	     "  -h, --help   print this help");
}

int restore_main(int argc, char **argv, bool json)
{
	const char *path = NULL;
	bool check = false;
	int i;

	if (cli_help(argc, argv)) {
		usage();
		return EXIT_SUCCESS;
	}
	for (i = 0; i < argc; i++) {
		if (cli_opt(argv[i], "-c", "--check")) {
			check = true;
		} else if (cli_opt(argv[i], "-j", "--json")) {
			json = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_err("restore: unexpected option \"%s\"", argv[i]);
			return EXIT_USAGE;
		} else if (path) {
			cli_err("restore: unexpected argument \"%s\"", argv[i]);
			return EXIT_USAGE;
		} else {
			path = argv[i];
		}
	}
	if (json) {
		cli_err("restore: no JSON output");
		return EXIT_USAGE;
	}
	return restore_file(path ? path : "-", check);
}
