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
	SIP_FR_START,	/* CR and LF before the start line; 0, sip_framer_init() */
	SIP_FR_SKIP,	/* the rest of a line */
	SIP_FR_LINE,	/* the first byte of a header line */
	SIP_FR_NAME,	/* a header name */
	SIP_FR_NAME_WS,	/* white space between the name and the colon */
	SIP_FR_VAL_WS,	/* white space before a Content-Length */
	SIP_FR_VAL,	/* its digits */
	SIP_FR_VAL_END,	/* white space after them */
	SIP_FR_END_LF,	/* the LF of the empty line */
	SIP_FR_CSEQ_WS,	/* white space before a CSeq number */
	SIP_FR_CSEQ_NUM,	/* its digits */
	SIP_FR_CSEQ_LWS,	/* white space between the number and the method */
	SIP_FR_CSEQ_METHOD,	/* the method */
	SIP_FR_DONE,	/* sip_framer_lines() found the end of the headers */
};

#define SIP_NAME_LONG	1	/* may be "content-length" */
#define SIP_NAME_SHORT	2	/* may be "l" */
#define SIP_NAME_CSEQ	4	/* may be "cseq" */

static const char sip_clen_name[] = "content-length";
static const char sip_cseq_name[] = "cseq";

static inline int sip_framer_colon(struct sip_framer *f)
{
	unsigned int long_len = sizeof(sip_clen_name) - 1;

	if (((f->names & SIP_NAME_LONG) && f->pos == long_len) ||
	    ((f->names & SIP_NAME_SHORT) && f->pos == 1)) {
		f->value = 0;
		return SIP_FR_VAL_WS;
	}
	if ((f->names & SIP_NAME_CSEQ) && f->pos == sizeof(sip_cseq_name) - 1 &&
	    !f->has_cseq) {
		f->has_cseq = 2;	/* until the method is read */
		f->mlen = 0;
		return SIP_FR_CSEQ_WS;
	}
	return SIP_FR_SKIP;
}

#define SIP_BIT(c) (1ULL << ((c) & 63))

const unsigned long long sip_token_map[2] = {
	0x3ffULL << '0' | SIP_BIT('!') | SIP_BIT('%') | SIP_BIT('\'') |
	SIP_BIT('*') | SIP_BIT('+') | SIP_BIT('-') | SIP_BIT('.'),
	0x3ffffffULL << ('A' & 63) | 0x3ffffffULL << ('a' & 63) |
	SIP_BIT('_') | SIP_BIT('`') | SIP_BIT('~'),
};

/**
 * sip_framer_cseq() - read a CSeq value
 * @f: the framer
 * @buf: the bytes fed
 * @i: the offset of the first byte to read in @buf, below @len
 * @len: bytes at @buf
 * @state: the framer's state, one of the SIP_FR_CSEQ_ states
 *
 * The value is SP and HTAB (SIP_FR_CSEQ_WS), digits (_NUM), SP and HTAB
 * (_LWS), a method (_METHOD) and its end: SP, HTAB, CR or LF. Each state
 * reads its run of bytes in a loop of its own, and the byte that ends
 * the run moves to the next state or ends the value. The first byte out
 * of this form ends it, the method read or not, in SIP_FR_LINE if it is
 * an LF, else in SIP_FR_SKIP.
 *
 * Return: the offset of the byte after the one that ended the value, or
 * @len with *@state where the value stands at the end of @buf.
 */
static unsigned int sip_framer_cseq(struct sip_framer *f,
				    const unsigned char *buf, unsigned int i,
				    unsigned int len, unsigned int *state)
{
	unsigned int mlen;
	unsigned char c;

	switch (*state) {
	case SIP_FR_CSEQ_WS:
		while (i < len && sip_is_blank(buf[i]))
			i++;
		if (i == len)
			break;
		if (!sip_is_digit(buf[i]))
			goto end;
		*state = SIP_FR_CSEQ_NUM;
		fallthrough;
	case SIP_FR_CSEQ_NUM:
		while (i < len && sip_is_digit(buf[i]))
			i++;
		if (i == len)
			break;
		if (!sip_is_blank(buf[i]))
			goto end;
		*state = SIP_FR_CSEQ_LWS;
		fallthrough;
	case SIP_FR_CSEQ_LWS:
		while (i < len && sip_is_blank(buf[i]))
			i++;
		if (i == len)
			break;
		if (!sip_is_token(buf[i]))
			goto end;
		*state = SIP_FR_CSEQ_METHOD;
		f->mlen = 0;
		fallthrough;
	default:	/* SIP_FR_CSEQ_METHOD */
		/* Up to SIP_METHOD_MAX bytes, and one more for "too long". */
		for (mlen = f->mlen; i < len && sip_is_token(buf[i]); i++) {
			if (mlen < SIP_METHOD_MAX)
				f->method[mlen] = buf[i];
			if (mlen <= SIP_METHOD_MAX)
				mlen++;
		}
		f->mlen = mlen;
		if (i == len)
			break;
		c = buf[i];
		if (sip_is_blank(c) || c == '\r' || c == '\n')
			f->has_cseq = 1;
		goto end;
	}
	return len;
end:
	*state = buf[i] == '\n' ? SIP_FR_LINE : SIP_FR_SKIP;
	return i + 1;
}

static void sip_framer_commit(struct sip_framer *f)
{
	if (f->has_clen && f->clen != f->value)
		f->bad = 1;
	f->clen = f->value;
	f->has_clen = 1;
}

/* The state after @c at the end of a Content-Length value. */
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

/*
 * sip_framer_value() - read a Content-Length value, as sip_framer_cseq()
 * reads a CSeq one: SP and HTAB (SIP_FR_VAL_WS), the digits (_VAL), SP
 * and HTAB (_VAL_END), each in a loop, then CR or LF.
 */
static unsigned int sip_framer_value(struct sip_framer *f,
				     const unsigned char *buf, unsigned int i,
				     unsigned int len, unsigned int *state)
{
	unsigned int value;

	switch (*state) {
	case SIP_FR_VAL_WS:
		while (i < len && sip_is_blank(buf[i]))
			i++;
		if (i == len)
			return len;
		if (!sip_is_digit(buf[i])) {
			f->bad = 1;
			*state = buf[i] == '\n' ? SIP_FR_LINE : SIP_FR_SKIP;
			return i + 1;
		}
		*state = SIP_FR_VAL;
		fallthrough;
	case SIP_FR_VAL:
		for (value = f->value; i < len && sip_is_digit(buf[i]); i++) {
			value = value * 10 + buf[i] - '0';
			if (value > SIP_CLEN_MAX) {
				f->bad = 1;
				*state = SIP_FR_SKIP;
				return i + 1;
			}
		}
		f->value = value;
		if (i == len)
			return len;
		*state = SIP_FR_VAL_END;
		fallthrough;
	default:	/* SIP_FR_VAL_END */
		while (i < len && sip_is_blank(buf[i]))
			i++;
		if (i == len)
			return len;
		*state = sip_framer_value_end(f, buf[i]);
		return i + 1;
	}
}

static inline unsigned int sip_load32(const unsigned char *p)
{
	unsigned int v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Do the 4 bytes at @p read "cseq", and the 8 at @p "content-", in any
 * case? Letters are lowered with an OR of 0x20, as the byte path lowers
 * them, and only letters: '\r' | 0x20 is '-', and the byte path ends a
 * name at CR before it compares. No other byte ORed with 0x20 is a
 * letter, so these are the byte path's comparisons, 4 or 8 at once.
 */
static inline int sip_name_cseq(const unsigned char *p)
{
	return (sip_load32(p) | sip_load32((const unsigned char *)"    ")) ==
	       sip_load32((const unsigned char *)sip_cseq_name);
}

static inline int sip_name_content(const unsigned char *p)
{
	return (sip_load64(p) |
		sip_load64((const unsigned char *)"       \0")) ==
	       sip_load64((const unsigned char *)sip_clen_name);
}

/* And the 8 at @p "t-length", the end of "content-length". */
static inline int sip_name_length(const unsigned char *p)
{
	return (sip_load64(p) |
		sip_load64((const unsigned char *)" \0      ")) ==
	       sip_load64((const unsigned char *)sip_clen_name + 6);
}

/*
 * The first bytes of the header lines that may matter: "content-length",
 * "l" and "cseq" in any case, and CR and LF (the empty line). A line
 * that starts with any other byte is dull: the byte path would only skip
 * it to its LF (SIP_FR_SKIP), with no other effect.
 */
static const unsigned char sip_line_first[256] = {
	['\n'] = 1, ['\r'] = 1, ['C'] = 1, ['L'] = 1, ['c'] = 1, ['l'] = 1,
};

/*
 * A well-formed Content-Length value from @p, after its name, to @end:
 * SP and HTAB, ':', SP and HTAB, digits forming at most SIP_CLEN_MAX, SP
 * and HTAB, then CR or LF, all before @end. Committed as the byte path
 * commits it (sip_framer_commit()), and *@state set to what follows the
 * CR (SIP_FR_SKIP) or LF (SIP_FR_LINE).
 *
 * Return: the byte after the CR or LF, or NULL for any other form, or
 * one that @end cuts: the byte path reads the line from its start then,
 * as nothing was changed.
 */
static inline const unsigned char *sip_clen_value(struct sip_framer *f,
						  const unsigned char *p,
						  const unsigned char *end,
						  unsigned int *state)
{
	unsigned int value;

	while (p < end && sip_is_blank(*p))
		p++;
	if (p == end || *p != ':')
		return (const unsigned char *)0;
	do
		p++;
	while (p < end && sip_is_blank(*p));
	if (p == end || !sip_is_digit(*p))
		return (const unsigned char *)0;
	value = *p - '0';
	while (++p < end && sip_is_digit(*p)) {
		value = value * 10 + *p - '0';
		if (value > SIP_CLEN_MAX)
			return (const unsigned char *)0;
	}
	while (p < end && sip_is_blank(*p))
		p++;
	if (p == end || (*p != '\r' && *p != '\n'))
		return (const unsigned char *)0;
	f->value = value;
	sip_framer_commit(f);
	*state = *p == '\n' ? SIP_FR_LINE : SIP_FR_SKIP;
	return p + 1;
}

/*
 * sip_framer_lines() - SIP_FR_SKIP and SIP_FR_LINE, the fast way
 * @f: the framer
 * @buf: the bytes fed
 * @i: where to go on, below @len
 * @len: bytes at @buf
 * @state: SIP_FR_SKIP (@i inside a line) or SIP_FR_LINE (@i the first
 *	byte of one)
 *
 * What the byte path does from there, with the same result, for most
 * bytes of a header block: past the rest of the line and every dull line
 * after it, to the next line that matters; that line read here when it
 * is the empty line or a well-formed Content-Length (sip_clen_value()),
 * and on to the next; any other, or one that @len cuts before the bytes
 * that decide, left to the byte path at its first byte, in SIP_FR_LINE.
 * Only a line that starts with a byte of sip_line_first is looked at:
 *   - 'l' then a byte that is not ':', SP or HTAB is dull: "l" was the
 *     only name it could be, and it is longer (or CR or LF end it);
 *   - 'c' where the first 8 bytes are not "content-", or bytes 6 to 13
 *     not "t-length" (Content-Type), is dull, but "cseq" while a CSeq
 *     header is still to be read (has_cseq 0): a name that differs, or a
 *     ':', SP, HTAB, CR or LF in the bytes compared, all end in
 *     SIP_FR_SKIP or at the LF;
 *   - CR LF, or LF, ends the headers.
 *
 * The lines are found by sip_next_line(), 16 bytes a step.
 *
 * Return: where the byte path goes on, in *@state, or @len; with *@state
 * SIP_FR_DONE, the end of the headers.
 */
static inline unsigned int sip_framer_lines(struct sip_framer *f,
					    const unsigned char *buf,
					    unsigned int i, unsigned int len,
					    unsigned int *state)
{
	const unsigned char *p = buf + i, *end = buf + len, *q;
	/* The steps of 16 bytes start below it: a 17th follows. */
	const unsigned char *last = len > 16 ? end - 16 : buf;
	int cseq = !f->has_cseq;

	if (*state == SIP_FR_LINE) {
		q = p;
		goto line;
	}
skip:
	/* @p is below @end, or at it after a byte that is not an LF. */
	q = sip_next_line(p, last, end, sip_line_first);
	if (!q) {
		*state = end[-1] == '\n' ? SIP_FR_LINE : SIP_FR_SKIP;
		return len;
	}
line:
	/* @q, below @end, begins a line: dull, or read here, or not. */
	switch (*q) {
	case '\n':
		*state = SIP_FR_DONE;
		return q + 1 - buf;
	case '\r':
		if (end - q < 2 || q[1] != '\n')
			break;
		*state = SIP_FR_DONE;
		return q + 2 - buf;
	case 'L':
	case 'l':
		if (end - q < 2)
			break;
		if (q[1] != ':' && !sip_is_blank(q[1]))
			goto dull;
		p = sip_clen_value(f, q + 1, end, state);
		goto value;
	case 'C':
	case 'c':
		if (end - q < 14)
			break;
		if (!sip_name_content(q)) {
			if (cseq && sip_name_cseq(q))
				break;
			goto dull;
		}
		if (!sip_name_length(q + 6))
			goto dull;
		p = sip_clen_value(f, q + 14, end, state);
		goto value;
	default:
		goto dull;
	}
	/* The byte path reads this line. */
	*state = SIP_FR_LINE;
	return q - buf;
dull:
	p = q + 1;	/* not an LF */
	goto skip;
value:
	if (!p) {
		*state = SIP_FR_LINE;
		return q - buf;
	}
	if (*state == SIP_FR_SKIP)
		goto skip;
	if (p == end)
		return len;
	q = p;
	goto line;
}

/*
 * The first bytes of a header name, @n of them at @p: "cseq", "content-"
 * or "content-length" (any case) take SIP_FR_NAME from its start to
 * where they set pos and names. Return: how many bytes that reads.
 */
static unsigned int sip_framer_name_start(struct sip_framer *f,
					  const unsigned char *p,
					  unsigned int n)
{
	if (n >= 4 && sip_name_cseq(p)) {
		f->pos = 4;
		f->names = SIP_NAME_CSEQ;
	} else if (n >= 8 && sip_name_content(p)) {
		f->pos = n >= 14 && sip_name_length(p + 6) ? 14 : 8;
		f->names = SIP_NAME_LONG;
	} else {
		f->pos = 0;
		f->names = SIP_NAME_LONG | SIP_NAME_SHORT | SIP_NAME_CSEQ;
	}
	return f->pos;
}

/*
 * sip_framer_name() - read a header name (SIP_FR_NAME) from @buf[@i]: a
 * byte at a time in a loop, up to the byte that ends the name (':', SP,
 * HTAB, CR or LF), or that leaves no name of ours (then the rest of the
 * line is skipped). Return: the offset after that byte, or @len.
 */
static unsigned int sip_framer_name(struct sip_framer *f,
				    const unsigned char *buf, unsigned int i,
				    unsigned int len, unsigned int *state)
{
	unsigned int pos = f->pos, names = f->names;
	unsigned char c = 0, l;

	for (; i < len; i++) {
		c = buf[i];
		if (c == ':' || sip_is_blank(c) || c == '\r' || c == '\n')
			break;
		l = c | 0x20;
		if (pos >= sizeof(sip_clen_name) - 1 ||
		    l != (unsigned char)sip_clen_name[pos])
			names &= ~SIP_NAME_LONG;
		if (pos || l != 'l')
			names &= ~SIP_NAME_SHORT;
		if (pos >= sizeof(sip_cseq_name) - 1 ||
		    l != (unsigned char)sip_cseq_name[pos])
			names &= ~SIP_NAME_CSEQ;
		pos++;
		if (!names) {
			*state = SIP_FR_SKIP;
			return i + 1;
		}
	}
	f->pos = pos;
	f->names = names;
	if (i == len)
		return len;
	if (c == ':')
		*state = sip_framer_colon(f);
	else if (sip_is_blank(c))
		*state = SIP_FR_NAME_WS;
	else
		*state = c == '\n' ? SIP_FR_LINE : SIP_FR_SKIP;
	return i + 1;
}

unsigned int sip_framer_feed(struct sip_framer *f, const unsigned char *buf,
			     unsigned int len)
{
	unsigned int state = f->state, i = 0;
	unsigned char c;

	while (i < len) {
		/* Most bytes are in lines to skip: 16 at a time. */
		if (state == SIP_FR_SKIP || state == SIP_FR_LINE) {
			i = sip_framer_lines(f, buf, i, len, &state);
			if (state == SIP_FR_DONE) {
				f->state = SIP_FR_LINE;
				return i;
			}
			if (i == len)
				break;
		}
		c = buf[i];
		switch (state) {
		case SIP_FR_START:
			if (c != '\r' && c != '\n')
				state = SIP_FR_SKIP;
			i++;
			break;
		case SIP_FR_LINE:
			if (c == '\n') {
				f->state = state;
				return i + 1;
			}
			if (c == '\r' || sip_is_blank(c)) {
				/* The empty line's CR, or a folded line. */
				state = c == '\r' ? SIP_FR_END_LF : SIP_FR_SKIP;
				i++;
				break;
			}
			state = SIP_FR_NAME;
			i += sip_framer_name_start(f, buf + i, len - i);
			fallthrough;
		case SIP_FR_NAME:
			i = sip_framer_name(f, buf, i, len, &state);
			break;
		case SIP_FR_NAME_WS:
			if (c == ':')
				state = sip_framer_colon(f);
			else if (c == '\n')
				state = SIP_FR_LINE;
			else if (!sip_is_blank(c))
				state = SIP_FR_SKIP;
			i++;
			break;
		case SIP_FR_VAL_WS:
		case SIP_FR_VAL:
		case SIP_FR_VAL_END:
			i = sip_framer_value(f, buf, i, len, &state);
			break;
		case SIP_FR_END_LF:
			if (c == '\n') {
				f->state = state;
				return i + 1;
			}
			state = SIP_FR_SKIP;
			i++;
			break;
		default:
			i = sip_framer_cseq(f, buf, i, len, &state);
			break;
		}
	}
	f->state = state;
	return 0;
}

static const struct {
	unsigned char len;
	char name[SIP_METHOD_MAX];
} sip_methods[SIPCODE_NMETHODS] = {
	[SIPCODE_METHOD_INVITE] = { 6, "INVITE" },
	[SIPCODE_METHOD_REGISTER] = { 8, "REGISTER" },
	[SIPCODE_METHOD_OPTIONS] = { 7, "OPTIONS" },
	[SIPCODE_METHOD_BYE] = { 3, "BYE" },
	[SIPCODE_METHOD_CANCEL] = { 6, "CANCEL" },
	[SIPCODE_METHOD_ACK] = { 3, "ACK" },
	[SIPCODE_METHOD_PRACK] = { 5, "PRACK" },
	[SIPCODE_METHOD_SUBSCRIBE] = { 9, "SUBSCRIBE" },
	[SIPCODE_METHOD_NOTIFY] = { 6, "NOTIFY" },
	[SIPCODE_METHOD_PUBLISH] = { 7, "PUBLISH" },
	[SIPCODE_METHOD_INFO] = { 4, "INFO" },
	[SIPCODE_METHOD_REFER] = { 5, "REFER" },
	[SIPCODE_METHOD_MESSAGE] = { 7, "MESSAGE" },
	[SIPCODE_METHOD_UPDATE] = { 6, "UPDATE" },
};

unsigned int sip_method_id(const unsigned char *name, unsigned int len)
{
	unsigned int m, i;

	for (m = SIPCODE_METHOD_OTHER + 1; m < SIPCODE_NMETHODS; m++) {
		if (sip_methods[m].len != len)
			continue;
		for (i = 0; i < len && name[i] == (unsigned char)sip_methods[m].name[i];
		     i++)
			;
		if (i == len)
			return m;
	}
	return SIPCODE_METHOD_OTHER;
}

unsigned int sip_reason(const unsigned char *buf, unsigned int len,
			const unsigned char **phrase, int *truncated)
{
	unsigned int i = 0, start;

	*truncated = 0;
	while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
		i++;
	/* "SIP/2.0 NNN" and its terminator: SP, or CR or LF (no phrase). */
	start = i + SIP_STATUS_LEN;
	if (start > len || buf[start - 1] != ' ') {
		*phrase = buf;
		return 0;
	}
	*phrase = buf + start;
	for (i = start; i < len && i - start < SIPCODE_REASON_MAX &&
	     buf[i] != '\r' && buf[i] != '\n'; i++)
		;
	/* Stopped by the limit: unless CR or LF is next, the phrase goes on. */
	*truncated = i - start == SIPCODE_REASON_MAX &&
		     (i == len || (buf[i] != '\r' && buf[i] != '\n'));
	return i - start;
}
