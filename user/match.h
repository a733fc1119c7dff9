/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A match of status codes as the command line writes it: a code
 * ("503"), a class ("5xx" or "5XX") or a range ("480-489"). "rule"
 * matches with it, and "stats --reasons" and "monitor" filter with it.
 */
#ifndef SIPCODECTL_MATCH_H
#define SIPCODECTL_MATCH_H

#include <stdbool.h>
#include <stddef.h>

enum match_type {
	MATCH_CODE,
	MATCH_RANGE,
	MATCH_CLASS,
};

struct match {
	enum match_type type;
	unsigned int low, high;	/* the codes it matches: 500 and 599 */
};

/* Long enough for the widest match, "100-699". */
#define MATCH_LEN	16

/*
 * Parses @s into @m. False after an error line on stderr, which starts
 * with "@what: " unless @what is NULL.
 */
bool match_parse(const char *what, const char *s, struct match *m);

/* Whether @code is one of the codes @m matches. */
bool match_has(const struct match *m, unsigned int code);

/* @m as match_parse() takes it, in @buf: "503", "480-489" or "5xx". */
const char *match_str(const struct match *m, char *buf, size_t len);

#endif /* SIPCODECTL_MATCH_H */
