// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl restore" and "sipcodectl -f": apply a file of commands, as
 * "sipcodectl save" writes them, all or nothing.
 *
 * First every line is checked, as the command line would check it (the
 * commands' own parsers run, asking the kernel nothing), and so is what
 * the file does to the rules: a rule it adds twice, or two ranges it
 * adds that overlap. Then the configuration is saved in memory, and the
 * lines are applied one by one; when the kernel refuses one, the saved
 * configuration is applied again.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "cli.h"
#include "config.h"
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

/*
 * Applies the lines of @sc from the first; @done gets how many were
 * applied. Returns 0, or the exit code after "FILE:N: <error>".
 */
static int script_apply(const struct script *sc, size_t *done)
{
	const struct line *ln;
	char *err;
	int ret;

	for (*done = 0; *done < sc->n; (*done)++) {
		ln = &sc->l[*done];
		ret = line_run(ln, line_kind(sc, ln), NULL, &err);
		if (ret) {
			bad(sc, ln->no, "%s", capture_msg(err));
			free(err);
			return ret;
		}
		free(err);
	}
	return 0;
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
	size_t done;
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
	ret = script_apply(&sc, &done);
	/* Nothing was changed when the first line was refused. */
	if (ret && done) {
		if (script_apply(&saved, &done))
			cli_err("restore: could not put the configuration back: it is in between");
	}
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
	     "is checked first; when the kernel refuses one, the configuration\n"
	     "from before is put back. Needs CAP_NET_ADMIN.\n"
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
