/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the commands of sipcodectl share: the one-line error report, the
 * handle opened with its error said, the option loop, the parsers of
 * what the command line and a restore file write, and the commands.
 */
#ifndef SIPCODECTL_CLI_H
#define SIPCODECTL_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libsipcode.h"

/* Exit codes, as ip(8): 0 success, 1 runtime or kernel error. */
#define EXIT_USAGE	2
/* What a command returns for -h: main prints its usage and exits 0. */
#define EXIT_HELP	(-1)

/* Where an error happened, before its message: "FILE:3: ", or "". */
extern const char *cli_where;
/* Errors as one JSON object {"error":"..."} (on stderr). */
extern bool cli_json_errors;

/* "sipcodectl: <where><message>" on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A failed call of @h: "@what: <why> (<errno text>)". Returns 1. */
int cli_fail(struct sc_handle *h, const char *what, int err);
/* The line cli_fail() prints, in @buf. */
void cli_msg(char *buf, size_t len, struct sc_handle *h, const char *what,
	     int err);
/* Opens the handle, or says why not (in @buf); NULL then. */
struct sc_handle *cli_open(const char *what);
struct sc_handle *cli_open_msg(const char *what, char *buf, size_t len);

/*
 * The options of a command: getopt_long's, with @so starting "+:". A
 * word that is no option comes back as 0 with *@word set; the option
 * that needs a value and has none, or is unknown, as an error line and
 * '?'. -1 at the end. argv[0] is the command's name, optind starts at 1.
 */
int cli_next(int argc, char **argv, const char *so, const struct option *lo,
	     const char **word);
/*
 * The words of a command that takes -j, -p and -h only, its name first,
 * into @w (argc + 1 entries): their number, or -1 after an error line.
 */
int cli_words(int argc, char **argv, const char **w, bool *json, bool *help);

/* The monotonic clock, in seconds. */
double cli_now(void);
/*
 * Blocks SIGINT and SIGTERM, but in cli_wait(), where they stop the
 * command: first thing, before any thread.
 */
void cli_signals(void);
/* After cli_signals(): SIGWINCH too is taken only in cli_wait(). */
void cli_winch(void);
/*
 * Waits for @fd (-1: none) to be readable, until cli_now() is @until (0:
 * no end): 1 when it is, 0 at @until, 2 after SIGWINCH (cli_winch()), -1
 * after SIGINT or SIGTERM (errno EINTR), or an error (errno).
 */
int cli_wait(int fd, double until);

/* A count, 1 to 1000000000; an error line that starts @what if not. */
bool cli_count(const char *what, const char *s, unsigned long *count);
/* Seconds, 0.1 to 86400; if not, an error line names @what and @name. */
bool cli_seconds(const char *what, const char *name, const char *s,
		 double *secs);
/* A match "503", "5xx" or "480-489" into @r; errors start @what, if any. */
bool cli_match(const char *what, const char *s, struct sc_rule *r);
/* "503", "5xx" or "480-489" in @buf (16 bytes). */
const char *cli_match_str(const struct sc_rule *r, char *buf);
/* The match, and " peer NAME" for a peer's rule, in @buf. */
#define CLI_RULE_LEN	64
const char *cli_rule_str(const struct sc_rule *r, char *buf);
/*
 * A prefix "ADDR[/LEN]", IPv4 or IPv6 (LEN 32 or 128 when none), into
 * @x; an error line that starts @what if not.
 */
bool cli_prefix(const char *what, const char *s, struct sc_prefix *x);
/* "192.0.2.0/24" or "2001:db8::/32" in @buf (CLI_PREFIX_LEN bytes). */
#define CLI_PREFIX_LEN	64
const char *cli_prefix_str(const struct sc_prefix *x, char *buf);

/*
 * What a command of ports, dry-run, config, rule or peer does, parsed the
 * same from the command line and from a restore file.
 */
struct cli_change {
	uint8_t cmd;		/* SIPCODE_CMD_* of sc_change(); 0: prints */
	char ports_op;		/* ports 's'et, 'a'dd or 'd'el */
	char what[24];		/* "rule add", before its errors */
	struct sc_rule r;	/* add, del */
	struct sc_config c;	/* ports; the settings in c.have */
	struct sc_peer p;	/* peer add (free() p.prefixes), del */
};

/*
 * The @n words of such a command (cli_words(), or a line of a file) into
 * @ch; with @help, only its subcommand is checked. False after an error
 * line.
 */
bool cli_change(const char **w, int n, bool help, struct cli_change *ch);
/* The ports of @c after "ports set", "add" or "del" @ch; false: error line. */
bool cli_ports_apply(const struct cli_change *ch, struct sc_config *c);
/*
 * The rule of @c with @r's match and peer, or with @overlap a range of
 * that peer (or of none) it overlaps.
 */
const struct sc_rule *cli_clash(const struct sc_config *c,
				const struct sc_rule *r, bool overlap);
/* A rule of @c of the peer named @name, or of any peer (NULL); or NULL. */
const struct sc_rule *cli_peer_rule(const struct sc_config *c,
				    const char *name);
/* How many peers have rules in @c (SIPCODE_RULE_PEERS_MAX + 1 at most). */
unsigned int cli_rule_peers(const struct sc_config *c);
/* The peer of @c named @name, or NULL. */
const struct sc_peer *cli_peer_find(const struct sc_config *c,
				    const char *name);
/* A prefix of @p that peer *@o of @c has too, or NULL. */
const struct sc_prefix *cli_peer_clash(const struct sc_config *c,
				       const struct sc_peer *p,
				       const struct sc_peer **o);
/* A method's name, or its number in @buf (16 bytes). */
const char *cli_method(uint32_t m, char *buf);

/* The commands: argv[0] is the name; the exit code. */
int stats_main(int argc, char **argv, bool json);
/*
 * stats --kpi: the RFC 6076 ratios of the transaction table, then of each
 * peer; with @name (not NULL) that peer's only.
 */
int kpi_show(struct sc_handle *h, const char *name, bool json);
/* ports, dry-run, config and rule */
int config_main(int argc, char **argv, bool json);
int peer_main(int argc, char **argv, bool json);
int monitor_main(int argc, char **argv, bool json);
int top_main(int argc, char **argv, bool json);
int explain_main(int argc, char **argv, bool json);
int exporter_main(int argc, char **argv, bool json);
int save_main(int argc, char **argv, bool json);
int restore_main(int argc, char **argv, bool json);

/* A rule as "rule list" prints it: a line, or a JSON object. */
void rule_print(const struct sc_rule *r);
/* A peer as "peer list" prints it: a line, or a JSON object. */
void peer_print(const struct sc_peer *p);

/*
 * The responses of each code seen per second from @prev to @cur, @secs
 * seconds apart, into @rate (SIPCODE_NCODES of them): -1 without @prev.
 * A counter reset in between counts from zero.
 */
void stats_rates(const struct sc_stats *prev, const struct sc_stats *cur,
		 double secs, double *rate);
/* Is the code at index @i listed: counted, or with @all, known. */
bool stats_listed(const struct sc_stats *s, bool all, unsigned int i);

/* What the stats table and the Prometheus output show, read at once. */
struct prom {
	struct sc_stats s;
	struct sc_config c;
	struct sc_method_count *m;	/* when c.val[SC_BY_METHOD]; free() */
	size_t nm;
	bool on;			/* the method table came */
	struct sc_txn t;		/* when c.val[SC_TRANSACTIONS] */
	bool txn;			/* it came */
	struct sc_peer_stats *ps;	/* with the method table; none: 0 */
	size_t nps;
};

/*
 * Whether the counters of @p have their first finals and retransmissions:
 * transactions on, or any of them not zero.
 */
bool stats_txn(const struct prom *p);
/*
 * The counters and settings, with @methods the method table, the
 * transactions and the peers' counters: 0 or a negative errno (sc_why(h)
 * says why).
 */
int prom_read(struct sc_handle *h, struct prom *p, bool methods);
/* What prom_read() allocated. */
void prom_free(struct prom *p);
/* @p NULL: the counters could not be read ("sipcode_up 0"). */
void prom_write(FILE *f, const struct prom *p, bool all);

#endif /* SIPCODECTL_CLI_H */
