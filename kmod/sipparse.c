// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The SIP status-line parser: see sipparse.h. No header but our own, so
 * that the same object serves the module and userspace.
 */
#include "sipparse.h"

#ifndef fallthrough	/* the kernel has it; userspace does not */
#define fallthrough __attribute__((__fallthrough__))
#endif

/*
 * Byte by byte, for a payload shorter than a status line: a prefix of
 * one is truncated, anything else is judged as the fast path would.
 */
static int sip_parse_short(const unsigned char *p, unsigned int len)
{
	static const char version[] = "sip/2.0 ";
	unsigned int i;

	for (i = 0; i < len && i < SIP_VERSION_LEN; i++) {
		unsigned char c = i < 3 ? p[i] | 0x20 : p[i];

		if (c != (unsigned char)version[i])
			return i < 4 ? SIP_PARSE_NOT_RESPONSE : SIP_PARSE_MALFORMED;
	}
	for (; i < len; i++) {
		unsigned char c = p[i];

		if ((unsigned int)(c - '0') > 9 ||
		    (i == SIP_VERSION_LEN && (c == '0' || c > '6')))
			return SIP_PARSE_MALFORMED;
	}
	return SIP_PARSE_TRUNCATED;
}

/* Leading CR and LF, or a payload shorter than a status line. */
static int sip_parse_slow(const unsigned char *buf, unsigned int len,
			  unsigned int total)
{
	unsigned int skip = 0;
	int ret;

	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	if (skip == total)
		return SIP_PARSE_KEEPALIVE;
	if (len - skip >= SIP_STATUS_LEN)
		return sip_parse_status(buf + skip, len - skip, total - skip);
	ret = sip_parse_short(buf + skip, len - skip);
	/* Cut by the window, not by the end of the payload. */
	if (ret == SIP_PARSE_TRUNCATED && len < total)
		return SIP_PARSE_MALFORMED;
	return ret;
}

int sip_parse_status_slow(const unsigned char *buf, unsigned int len,
			  unsigned int total)
{
	static const unsigned char lower[8] = { 0x20, 0x20, 0x20 };
	static const char version[] = "sip/2.0 ";
	int code;

	if (len < SIP_STATUS_LEN)
		return sip_parse_slow(buf, len, total);
	if ((sip_load64(buf) | sip_load64(lower)) !=
	    sip_load64((const unsigned char *)version)) {
		if (buf[0] == '\r' || buf[0] == '\n')
			return sip_parse_slow(buf, len, total);
		/* Not "SIP/2.0 ": a response only if it starts "SIP/". */
		return sip_parse_short(buf, 4) == SIP_PARSE_TRUNCATED ?
		       SIP_PARSE_MALFORMED : SIP_PARSE_NOT_RESPONSE;
	}
	code = sip_code(buf + SIP_VERSION_LEN);
	return code < 0 ? SIP_PARSE_MALFORMED : code;
}

static inline int sip_is_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static inline int sip_is_digit(unsigned char c)
{
	return (unsigned char)(c - '0') < 10;
}

int sip_is_request(const unsigned char *buf, unsigned int len)
{
	unsigned int i = 0, m;

	while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
		i++;
	for (m = i; i < len && sip_is_alpha(buf[i]); i++)
		;
	if (i == m || i - m > 16 || i == len || buf[i++] != ' ')
		return 0;
	if (i == len || !sip_is_alpha(buf[i]))
		return 0;
	for (; i < len; i++) {
		unsigned char c = buf[i];

		if (c == ':')
			return 1;
		if (!sip_is_alpha(c) && !sip_is_digit(c) && c != '+' &&
		    c != '-' && c != '.')
			return 0;
	}
	return 0;
}

enum {
	SIP_FR_START,	/* CR and LF before the start line */
	SIP_FR_SKIP,	/* the rest of a line */
	SIP_FR_LINE,	/* the first byte of a header line */
	SIP_FR_NAME,	/* a header name */
	SIP_FR_NAME_WS,	/* white space between the name and the colon */
	SIP_FR_VAL_WS,	/* white space before a Content-Length */
	SIP_FR_VAL,	/* its digits */
	SIP_FR_VAL_END,	/* white space after them */
	SIP_FR_END_LF,	/* the LF of the empty line */
};

#define SIP_NAME_LONG	1	/* may be "content-length" */
#define SIP_NAME_SHORT	2	/* may be "l" */

static const char sip_clen_name[] = "content-length";

void sip_framer_init(struct sip_framer *f)
{
	__builtin_memset(f, 0, sizeof(*f));
	f->state = SIP_FR_START;
}

static int sip_framer_colon(struct sip_framer *f)
{
	unsigned int long_len = sizeof(sip_clen_name) - 1;

	if (((f->names & SIP_NAME_LONG) && f->pos == long_len) ||
	    ((f->names & SIP_NAME_SHORT) && f->pos == 1)) {
		f->value = 0;
		return SIP_FR_VAL_WS;
	}
	return SIP_FR_SKIP;
}

static void sip_framer_commit(struct sip_framer *f)
{
	if (f->has_clen && f->clen != f->value)
		f->bad = 1;
	f->clen = f->value;
	f->has_clen = 1;
}

/* The state after @c at the end of a Content-Length value, or -1. */
static int sip_framer_value_end(struct sip_framer *f, unsigned char c)
{
	switch (c) {
	case ' ':
	case '\t':
		return SIP_FR_VAL_END;
	case '\r':
		sip_framer_commit(f);
		return SIP_FR_SKIP;
	case '\n':
		sip_framer_commit(f);
		return SIP_FR_LINE;
	}
	f->bad = 1;
	return SIP_FR_SKIP;
}

unsigned int sip_framer_feed(struct sip_framer *f, const unsigned char *buf,
			     unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned char c = buf[i];

		switch (f->state) {
		case SIP_FR_START:
			if (c != '\r' && c != '\n')
				f->state = SIP_FR_SKIP;
			break;
		case SIP_FR_SKIP:
			if (c == '\n')
				f->state = SIP_FR_LINE;
			break;
		case SIP_FR_LINE:
			if (c == '\n')
				return i + 1;
			if (c == '\r') {
				f->state = SIP_FR_END_LF;
				break;
			}
			if (c == ' ' || c == '\t') {	/* a folded line */
				f->state = SIP_FR_SKIP;
				break;
			}
			f->state = SIP_FR_NAME;
			f->names = SIP_NAME_LONG | SIP_NAME_SHORT;
			f->pos = 0;
			fallthrough;
		case SIP_FR_NAME:
			if (c == ':') {
				f->state = sip_framer_colon(f);
			} else if (c == ' ' || c == '\t') {
				f->state = SIP_FR_NAME_WS;
			} else if (c == '\r' || c == '\n') {
				f->state = c == '\n' ? SIP_FR_LINE : SIP_FR_SKIP;
			} else {
				unsigned char l = c | 0x20;

				if (f->pos >= sizeof(sip_clen_name) - 1 ||
				    l != (unsigned char)sip_clen_name[f->pos])
					f->names &= ~SIP_NAME_LONG;
				if (f->pos || l != 'l')
					f->names &= ~SIP_NAME_SHORT;
				f->pos++;
			}
			break;
		case SIP_FR_NAME_WS:
			if (c == ':')
				f->state = sip_framer_colon(f);
			else if (c == '\n')
				f->state = SIP_FR_LINE;
			else if (c != ' ' && c != '\t')
				f->state = SIP_FR_SKIP;
			break;
		case SIP_FR_VAL_WS:
			if (c == ' ' || c == '\t')
				break;
			if (!sip_is_digit(c)) {
				f->bad = 1;
				f->state = c == '\n' ? SIP_FR_LINE : SIP_FR_SKIP;
				break;
			}
			f->state = SIP_FR_VAL;
			fallthrough;
		case SIP_FR_VAL:
			if (sip_is_digit(c)) {
				f->value = f->value * 10 + c - '0';
				if (f->value > SIP_CLEN_MAX) {
					f->bad = 1;
					f->state = SIP_FR_SKIP;
				}
				break;
			}
			f->state = sip_framer_value_end(f, c);
			break;
		case SIP_FR_VAL_END:
			if (c != ' ' && c != '\t')
				f->state = sip_framer_value_end(f, c);
			break;
		case SIP_FR_END_LF:
			if (c == '\n')
				return i + 1;
			f->state = SIP_FR_SKIP;
			break;
		}
	}
	return 0;
}
