/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Slow references for kmod/sipparse.c, shared by the unit tests and the
 * fuzzer: the definitions in kmod/sipparse.h read one byte or one line
 * at a time, with no shortcut of the real parser and nothing shared
 * with it: the status line, the request line, the reason phrase, and
 * the framing of a message (end of headers, Content-Length, CSeq).
 */
#ifndef SIPCODE_SIPREF_H
#define SIPCODE_SIPREF_H

#include <stdlib.h>
#include <string.h>

#include "sipparse.h"

/*
 * The reference: the header's definition read one byte at a time, with
 * nothing shared with the parser. Position @i of a status line (after
 * the leading CR and LF) either accepts @c or not.
 */
static inline int ref_byte_ok(unsigned int i, unsigned char c)
{
	static const char version[] = "SIP/2.0 ";

	if (i < 3)
		return c == version[i] || c == version[i] + ('a' - 'A');
	if (i < 8)
		return c == version[i];
	if (i == 8)
		return c >= '1' && c <= '6';
	if (i < 11)
		return c >= '0' && c <= '9';
	return c == ' ' || c == '\r' || c == '\n';
}

static inline unsigned int ref_skip(const unsigned char *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (p[i] != '\r' && p[i] != '\n')
			break;
	return i;
}

/* The code of the status line the window holds, or 0. */
static inline int ref_status_code(const unsigned char *p, unsigned int len)
{
	unsigned int s = ref_skip(p, len), i;

	if (len - s < 12)
		return 0;
	for (i = 0; i < 12; i++)
		if (!ref_byte_ok(i, p[s + i]))
			return 0;
	return (p[s + 8] - '0') * 100 + (p[s + 9] - '0') * 10 +
	       (p[s + 10] - '0');
}

/*
 * What the parser must answer: a code; a keep-alive when the whole
 * payload is CR and LF; otherwise judged at the first byte that cannot
 * belong to a status line (not a response before the "SIP/", malformed
 * from there); when the window ends first, truncated if the payload
 * ends there too, else malformed (the window cut the status line).
 */
static inline int ref_classify(const unsigned char *p, unsigned int len,
			unsigned int total)
{
	unsigned int s = ref_skip(p, len), i;
	int code = ref_status_code(p, len);

	if (code)
		return code;
	if (s == total)
		return SIP_PARSE_KEEPALIVE;
	for (i = 0; s + i < len; i++)
		if (!ref_byte_ok(i, p[s + i]))
			return i < 4 ? SIP_PARSE_NOT_RESPONSE :
				       SIP_PARSE_MALFORMED;
	return len < total ? SIP_PARSE_MALFORMED : SIP_PARSE_TRUNCATED;
}

/* An ASCII letter or digit, by ranges. */
static inline int ref_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int ref_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline int ref_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* ASCII lower case, letters only. */
static inline unsigned char ref_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * sip_is_request(): after leading CR and LF, 1 to 16 letters, one SP,
 * then a letter, letters, digits, '+', '-' or '.', and ':', in the window.
 */
static inline int ref_is_request(const unsigned char *p, unsigned int len)
{
	unsigned int i = ref_skip(p, len), letters = 0;

	while (i + letters < len && ref_letter(p[i + letters]))
		letters++;
	if (letters < 1 || letters > 16)
		return 0;
	i += letters;
	if (i >= len || p[i] != ' ')
		return 0;
	i++;
	if (i >= len || !ref_letter(p[i]))
		return 0;
	for (; i < len; i++) {
		if (p[i] == ':')
			return 1;
		if (!ref_letter(p[i]) && !ref_digit(p[i]) && p[i] != '+' &&
		    p[i] != '-' && p[i] != '.')
			return 0;
	}
	return 0;
}

/*
 * sip_reason() of a window that holds a status line (ref_status_code()
 * is not 0): the bytes after "SIP/2.0 NNN " up to CR, LF or the end of
 * the window, at most SIPCODE_REASON_MAX. The phrase starts at *@off
 * (0 when the code ends with CR or LF: no phrase). *@trunc: 1 when the
 * phrase may go on past those bytes (the window ends there, or no CR or
 * LF follows them), else 0.
 */
static inline unsigned int ref_reason(const unsigned char *p, unsigned int len,
				      unsigned int *off, int *trunc)
{
	unsigned int s = ref_skip(p, len), n = 0;

	*off = 0;
	*trunc = 0;
	if (p[s + 11] != ' ')
		return 0;
	*off = s + 12;
	while (*off + n < len && n < SIPCODE_REASON_MAX &&
	       p[*off + n] != '\r' && p[*off + n] != '\n')
		n++;
	if (n == SIPCODE_REASON_MAX)
		*trunc = *off + n == len ||
			 (p[*off + n] != '\r' && p[*off + n] != '\n');
	return n;
}

/*
 * The framing of a message (RFC 3261 7.5, 18.3, 20.14, 20.16), as
 * sip_framer_feed() is to find it, read a line at a time:
 *
 *   - leading CR and LF, then the start line up to its LF; then header
 *     lines, each up to its LF, until an empty one ("\n" or "\r\n");
 *   - a line that starts with SP or HTAB (folded), or with CR not
 *     followed by LF, is no header: skipped;
 *   - a header line is a name (no ':', SP, HTAB, CR or LF in it),
 *     optional SP and HTAB, ':', its value; any other line is skipped;
 *   - Content-Length, or its compact form l, names in any case: the value
 *     is SP and HTAB, one or more digits, SP and HTAB, then CR or the end
 *     of the line. A value not of that form, or above SIP_CLEN_MAX, is
 *     bad; so are two lengths that differ. A bad length is no length;
 *   - the first CSeq header (name in any case): SP and HTAB, digits,
 *     SP and HTAB (one at least), a method (a token), then SP, HTAB, CR
 *     or the end of the line. Any other form: no method. The method is
 *     case-sensitive, as sip_method_id() reads it;
 *   - the last line may be cut by the end of the bytes: what it says
 *     counts once it cannot change (a bad length is bad at once; a
 *     length counts only at its end; a method once its end is read).
 */
struct ref_frame {
	unsigned int end;	/* bytes up to the empty line's LF, or 0 */
	long clen;		/* the Content-Length, or -1 */
	unsigned int method;	/* enum sipcode_method */
};

static const char *const ref_methods[SIPCODE_NMETHODS] = {
	[SIPCODE_METHOD_INVITE] = "INVITE",
	[SIPCODE_METHOD_REGISTER] = "REGISTER",
	[SIPCODE_METHOD_OPTIONS] = "OPTIONS",
	[SIPCODE_METHOD_BYE] = "BYE",
	[SIPCODE_METHOD_CANCEL] = "CANCEL",
	[SIPCODE_METHOD_ACK] = "ACK",
	[SIPCODE_METHOD_PRACK] = "PRACK",
	[SIPCODE_METHOD_SUBSCRIBE] = "SUBSCRIBE",
	[SIPCODE_METHOD_NOTIFY] = "NOTIFY",
	[SIPCODE_METHOD_PUBLISH] = "PUBLISH",
	[SIPCODE_METHOD_INFO] = "INFO",
	[SIPCODE_METHOD_REFER] = "REFER",
	[SIPCODE_METHOD_MESSAGE] = "MESSAGE",
	[SIPCODE_METHOD_UPDATE] = "UPDATE",
};

/* A byte of a token (RFC 3261 25.1). */
static inline int ref_token(unsigned char c)
{
	return ref_letter(c) || ref_digit(c) ||
	       (c && strchr("-.!%*_+`'~", c));
}

/* Is @name (@n bytes) @want, in any case? */
static inline int ref_name_is(const unsigned char *name, unsigned int n,
			      const char *want)
{
	unsigned int i;

	if (n != strlen(want))
		return 0;
	for (i = 0; i < n; i++)
		if (ref_lower(name[i]) != (unsigned char)want[i])
			return 0;
	return 1;
}

static inline unsigned int ref_method_id(const unsigned char *m, unsigned int n)
{
	unsigned int id;

	for (id = SIPCODE_METHOD_OTHER + 1; id < SIPCODE_NMETHODS; id++)
		if (strlen(ref_methods[id]) == n && !memcmp(m, ref_methods[id], n))
			return id;
	return SIPCODE_METHOD_OTHER;
}

/*
 * A Content-Length value, @v[0..@n) (the line without its LF; @whole
 * when the LF follows): 1 a length, in *@val; 0 nothing yet; -1 bad.
 */
static inline int ref_clen_value(const unsigned char *v, unsigned int n,
				 int whole, unsigned long long *val)
{
	unsigned int i = 0;

	while (i < n && ref_blank(v[i]))
		i++;
	if (i == n)
		return whole ? -1 : 0;
	if (!ref_digit(v[i]))
		return -1;
	*val = 0;
	for (; i < n && ref_digit(v[i]); i++) {
		*val = *val * 10 + (v[i] - '0');
		if (*val > SIP_CLEN_MAX)
			return -1;
	}
	while (i < n && ref_blank(v[i]))
		i++;
	if (i == n)
		return whole ? 1 : 0;
	return v[i] == '\r' ? 1 : -1;
}

/* A CSeq value, as ref_clen_value(): the method id, or -1 for none. */
static inline int ref_cseq_value(const unsigned char *v, unsigned int n,
				 int whole)
{
	unsigned int i = 0, m;

	while (i < n && ref_blank(v[i]))
		i++;
	if (i == n || !ref_digit(v[i]))
		return -1;
	while (i < n && ref_digit(v[i]))
		i++;
	if (i == n || !ref_blank(v[i]))
		return -1;
	while (i < n && ref_blank(v[i]))
		i++;
	for (m = i; i < n && ref_token(v[i]); i++)
		;
	if (i == m)
		return -1;
	if (i == n && !whole)
		return -1;
	if (i < n && !ref_blank(v[i]) && v[i] != '\r')
		return -1;
	return (int)ref_method_id(v + m, i - m);
}

static inline struct ref_frame ref_frame(const unsigned char *p,
					 unsigned int len)
{
	struct ref_frame r = { 0, -1, SIPCODE_METHOD_OTHER };
	unsigned long long clen = 0, val;
	unsigned int i, e, n, name, colon;
	int bad = 0, has_clen = 0, cseq_seen = 0, whole, ret;
	const unsigned char *lf;

	i = ref_skip(p, len);
	if (i == len)
		return r;
	/* The start line. */
	lf = memchr(p + i, '\n', len - i);
	i = lf ? (unsigned int)(lf - p) + 1 : len;
	for (; i < len; i = e + 1) {
		lf = memchr(p + i, '\n', len - i);
		whole = lf != NULL;
		e = whole ? (unsigned int)(lf - p) : len;
		n = e - i;	/* the line, without its LF */
		if (whole && (n == 0 || (n == 1 && p[i] == '\r'))) {
			r.end = e + 1;
			break;
		}
		if (!n || ref_blank(p[i]) || p[i] == '\r')
			continue;
		for (name = 0; name < n && p[i + name] != ':' &&
		     !ref_blank(p[i + name]) && p[i + name] != '\r'; name++)
			;
		for (colon = name; colon < n && ref_blank(p[i + colon]); colon++)
			;
		if (colon == n || p[i + colon] != ':')
			continue;
		if (ref_name_is(p + i, name, "content-length") ||
		    ref_name_is(p + i, name, "l")) {
			ret = ref_clen_value(p + i + colon + 1, n - colon - 1,
					     whole, &val);
			if (ret < 0)
				bad = 1;
			if (ret > 0) {
				if (has_clen && val != clen)
					bad = 1;
				clen = val;
				has_clen = 1;
			}
		} else if (ref_name_is(p + i, name, "cseq") && !cseq_seen) {
			cseq_seen = 1;
			ret = ref_cseq_value(p + i + colon + 1, n - colon - 1,
					     whole);
			if (ret >= 0)
				r.method = ret;
		}
	}
	r.clen = has_clen && !bad ? (long)clen : -1;
	return r;
}

/*
 * Not a reference, a driver both tests use: feed @msg (@len bytes) to
 * @f, set up here by @init, in the pieces that @cuts (@ncuts offsets,
 * ascending) make, each copied to a buffer of its exact size, so that a
 * read past a piece is caught. Return: the end of the headers, or 0.
 */
static inline unsigned int feed_pieces_init(struct sip_framer *f,
					    void (*init)(struct sip_framer *),
					    const void *msg, unsigned int len,
					    const unsigned int *cuts,
					    unsigned int ncuts)
{
	unsigned int k, from = 0, to, n;
	unsigned char *piece;

	init(f);
	for (k = 0; k <= ncuts; from = to, k++) {
		to = k < ncuts ? cuts[k] : len;
		/* An empty piece has a byte, never read: malloc(0) may fail. */
		piece = malloc(to > from ? to - from : 1);
		if (!piece)
			abort();
		memcpy(piece, (const unsigned char *)msg + from, to - from);
		n = sip_framer_feed(f, piece, to - from);
		free(piece);
		if (n)
			return from + n;
	}
	return 0;
}

/* The same, to a framer set up by sip_framer_init(). */
static inline unsigned int feed_pieces(struct sip_framer *f, const void *msg,
				       unsigned int len,
				       const unsigned int *cuts,
				       unsigned int ncuts)
{
	return feed_pieces_init(f, sip_framer_init, msg, len, cuts, ncuts);
}

#endif /* SIPCODE_SIPREF_H */
