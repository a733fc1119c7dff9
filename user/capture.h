/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs a command's code with its standard output or error going to
 * memory: to turn what "ports" or "rule list" print into a saved
 * configuration, or to put an error line in context ("FILE:3: ...").
 */
#ifndef SIPCODECTL_CAPTURE_H
#define SIPCODECTL_CAPTURE_H

#include <stddef.h>
#include <stdio.h>

struct capture {
	FILE **stream;	/* &stdout or &stderr */
	FILE *saved;	/* what *stream was */
	FILE *mem;
	char *buf;
	size_t len;
};

/*
 * Sends what is written to *@stream (&stdout or &stderr) to memory until
 * capture_end(). Returns 0, or -1 when out of memory (nothing changed).
 */
int capture_begin(struct capture *c, FILE **stream);

/*
 * Puts *@stream back and returns what was written, NUL-terminated, its
 * length in @len when not NULL; free() it. NULL when out of memory.
 */
char *capture_end(struct capture *c, size_t *len);

/*
 * The first line of the error lines @text (as cli_err() prints them),
 * without "sipcodectl: " and the newline, in place; "" when none.
 */
const char *capture_msg(char *text);

#endif /* SIPCODECTL_CAPTURE_H */
