// SPDX-License-Identifier: GPL-2.0
/*
 * Standard output or error to memory, for a while. In the GNU C library
 * stdout and stderr are variables that may be set, and every function
 * that writes to them reads them at each call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

#define ERR_PREFIX	"sipcodectl: "

int capture_begin(struct capture *c, FILE **stream)
{
	memset(c, 0, sizeof(*c));
	fflush(*stream);
	c->mem = open_memstream(&c->buf, &c->len);
	if (!c->mem)
		return -1;
	c->stream = stream;
	c->saved = *stream;
	*stream = c->mem;
	return 0;
}

char *capture_end(struct capture *c, size_t *len)
{
	*c->stream = c->saved;
	if (fclose(c->mem)) {
		free(c->buf);
		return NULL;
	}
	if (len)
		*len = c->len;
	return c->buf;
}

const char *capture_msg(char *text)
{
	size_t n = strlen(ERR_PREFIX);

	if (!text)
		return "";
	text[strcspn(text, "\n")] = '\0';
	if (!strncmp(text, ERR_PREFIX, n))
		return text + n;
	return text;
}
