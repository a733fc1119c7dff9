/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The SIP status-line parser. Plain C with no kernel or libc header, so
 * that the module and the userspace unit tests, fuzzer and benchmark
 * compile this one source.
 */
#ifndef _SIPCODE_SIPPARSE_H
#define _SIPCODE_SIPPARSE_H

#include <linux/sipcode.h>

/*
 * How many bytes of payload the parser looks at, at most. A caller hands
 * it the first min(payload length, SIP_PARSE_WINDOW) bytes.
 */
#define SIP_PARSE_WINDOW 64

/*
 * The results below 100: why a payload was not counted under a code.
 * They are the attribute types of SIPCODE_A_UNCOUNTED, so a caller can
 * index its buckets with the result directly.
 */
enum sip_parse_result {
	SIP_PARSE_NOT_RESPONSE = SIPCODE_UC_A_NOT_RESPONSE,
	SIP_PARSE_MALFORMED = SIPCODE_UC_A_MALFORMED,
	SIP_PARSE_TRUNCATED = SIPCODE_UC_A_TRUNCATED,
	SIP_PARSE_KEEPALIVE = SIPCODE_UC_A_KEEPALIVE,
};

#define SIP_VERSION_LEN 8	/* "SIP/2.0 " */
#define SIP_STATUS_LEN 12	/* "SIP/2.0 NNN" and one terminator */

/**
 * sip_load64() - eight bytes, at any alignment
 * @p: the first
 *
 * Return: the bytes at @p as one number, in the host's byte order.
 */
static inline unsigned long long sip_load64(const unsigned char *p)
{
	unsigned long long v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/**
 * sip_is_term() - is a byte SP, CR or LF?
 * @c: the byte
 *
 * One shift and one test.
 *
 * Return: 1 or 0.
 */
static inline int sip_is_term(unsigned char c)
{
	return c <= ' ' &&
	       ((1ULL << ' ' | 1ULL << '\r' | 1ULL << '\n') >> c & 1);
}

static inline int sip_is_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static inline int sip_is_digit(unsigned char c)
{
	return (unsigned char)(c - '0') < 10;
}

static inline int sip_is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

#define SIP_ONES 0x0101010101010101ULL
#define SIP_HIGHS 0x8080808080808080ULL

/**
 * sip_load64le() - eight bytes, at any alignment, the first in the low byte
 * @p: the first
 *
 * Whatever the host's byte order (a swap on big-endian): the byte at
 * @p + k is bits 8k to 8k + 7, and the lowest set bit of a mask of bytes
 * is the first of them in memory.
 *
 * Return: the bytes at @p as one number.
 */
static inline unsigned long long sip_load64le(const unsigned char *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return sip_load64(p);
#else
	return __builtin_bswap64(sip_load64(p));
#endif
}

/**
 * sip_next_line() - the next line whose first byte may matter
 * @p: where to look for an LF from, at most @end
 * @last: @end - 16 when the bytes hold more than 16 bytes, else their
 *	first byte: the steps of 16 bytes start below it, so that a 17th
 *	follows (computed once by a caller that looks for several lines)
 * @end: the end of the bytes
 * @first: the first bytes of the lines that may matter, not 0
 *
 * Past the LFs of [@p, @end) whose next byte has @first 0, to the first
 * whose next byte has it set. The LFs are found 16 bytes a step while a
 * 17th follows (the first byte of the line after an LF of the step is
 * below @end), then one byte at a time. In w - 0x0b..0b, a byte below
 * 0x0b (LF, HTAB, and other control bytes) has its high bit set, and so
 * has a byte from 0x8b up, and one that the borrow of a byte below it
 * reaches: one test of the high bits of both words tells most steps with
 * no LF. In (w - 0x0b..0b) & ~w, the lowest high bit set is that of the
 * first byte below 0x0b, exactly (no borrow comes from the bytes before
 * it, and a byte from 0x80 up has its high bit in w): when it is an LF,
 * the line after it is looked at, and the next step starts there.
 *
 * Return: the first byte of that line, below @end; or NULL when there is
 * none (a line starts at @end when the byte before it is an LF at @p or
 * after it).
 */
static inline const unsigned char *sip_next_line(const unsigned char *p,
						 const unsigned char *last,
						 const unsigned char *end,
						 const unsigned char *first)
{
	unsigned long long w0, w1, s0, s1, m;
	const unsigned char *q;

	while (p < last) {
		w0 = sip_load64le(p);
		w1 = sip_load64le(p + 8);
		s0 = w0 - SIP_ONES * 0x0b;
		s1 = w1 - SIP_ONES * 0x0b;
		if (!((s0 | s1) & SIP_HIGHS)) {
			p += 16;
			continue;
		}
		m = s0 & ~w0 & SIP_HIGHS;
		if (m) {
			q = p + 1 + (unsigned long)__builtin_ctzll(m) / 8;
		} else {
			m = s1 & ~w1 & SIP_HIGHS;
			if (!m) {
				p += 16;
				continue;
			}
			q = p + 9 + (unsigned long)__builtin_ctzll(m) / 8;
		}
		p = q;
		if (q[-1] == '\n' && first[*q])
			return q;
	}
	for (; p < end; p++) {
		if (*p != '\n')
			continue;
		q = p + 1;
		if (q == end)
			break;
		if (first[*q])
			return q;
	}
	return (const unsigned char *)0;
}

/*
 * The bytes of a token (RFC 3261 25.1), which a method or a header name
 * is: 0-63, 64-127.
 */
extern const unsigned long long sip_token_map[2];

/* Most methods are capitals: one test for those. */
static inline int sip_is_token(unsigned char c)
{
	return (unsigned char)(c - 'A') < 26 ||
	       (c < 128 && (sip_token_map[c >> 6] >> (c & 63) & 1));
}

/**
 * sip_code() - the code of a status line
 * @p: three digits and a terminator, or not
 *
 * Return: the code at @p (100-699), or -1.
 */
static inline int sip_code(const unsigned char *p)
{
	unsigned int d0 = p[0] - '1', d1 = p[1] - '0', d2 = p[2] - '0';

	if (d0 > 5 || d1 > 9 || d2 > 9 || !sip_is_term(p[3]))
		return -1;
	return SIPCODE_CODE_MIN + d0 * 100 + d1 * 10 + d2;
}

/**
 * sip_may_start() - can a payload that starts with @c be a response?
 * @c: the first byte of the payload
 *
 * Only with S or s (of "SIP/2.0"), or CR or LF (before it). A payload of
 * one byte or more that starts with any other byte is
 * SIP_PARSE_NOT_RESPONSE.
 *
 * Return: 1 or 0.
 */
static inline int sip_may_start(unsigned char c)
{
	return (c | 0x20) == 's' || c == '\r' || c == '\n';
}

/**
 * sip_parse_status_slow() - the slow path of sip_parse_status()
 * @buf: as for sip_parse_status()
 * @len: as for sip_parse_status()
 * @total: as for sip_parse_status()
 *
 * sip_parse_status() for all but the common cases of the fast one.
 *
 * Return: as sip_parse_status().
 */
int sip_parse_status_slow(const unsigned char *buf, unsigned int len,
			  unsigned int total);

/**
 * sip_parse_status_fast() - the fast path of sip_parse_status()
 * @buf: as for sip_parse_status()
 * @len: as for sip_parse_status(), or SIP_STATUS_LEN for a payload of at
 *	 least that many bytes: it reads no more than its first SIP_STATUS_LEN
 *
 * Return: sip_parse_status() for a well-formed status line (one 8-byte
 * compare, three digits, a terminator) and a payload whose first byte
 * cannot start one (see sip_may_start()); -1 for the rest, which
 * sip_parse_status_slow() decides.
 */
static inline int sip_parse_status_fast(const unsigned char *buf,
					unsigned int len)
{
	/* "SIP" lowered with one OR; the constants fold at compile time. */
	const unsigned long long lower =
		sip_load64((const unsigned char *)"\x20\x20\x20\0\0\0\0");
	const unsigned long long version =
		sip_load64((const unsigned char *)"sip/2.0 ");
	int code;

	if (__builtin_expect(len >= SIP_STATUS_LEN, 1)) {
		if ((sip_load64(buf) | lower) == version) {
			code = sip_code(buf + SIP_VERSION_LEN);
			return code < 0 ? SIP_PARSE_MALFORMED : code;
		}
		if (!sip_may_start(buf[0]))
			return SIP_PARSE_NOT_RESPONSE;
	}
	return -1;
}

/**
 * sip_parse_status() - classify the start of a SIP payload
 * @buf: the first @len bytes of the payload
 * @len: bytes at @buf: min(@total, SIP_PARSE_WINDOW)
 * @total: length of the whole payload
 *
 * A payload is a response when, after any leading CR and LF (RFC 3261
 * 7.5), it starts with "SIP/2.0" (letters in any case), one SP, three
 * digits forming 100-699, then SP, CR or LF (an empty reason phrase).
 * The payload is truncated when it ends while it still reads as the
 * start of a status line. Leading CR and LF count against the window: a
 * status line that the window cuts is malformed.
 *
 * Inline, for the packet path: sip_parse_status_fast() decides the common
 * cases, sip_parse_status_slow() the rest.
 *
 * Reads no byte outside @buf[0..@len). Constant work: at most @len bytes.
 *
 * Return: the status code (100-699), or an enum sip_parse_result.
 */
static inline int sip_parse_status(const unsigned char *buf, unsigned int len,
				   unsigned int total)
{
	int ret = sip_parse_status_fast(buf, len);

	return ret >= 0 ? ret : sip_parse_status_slow(buf, len, total);
}

/**
 * sip_is_request() - does a payload start with a request line?
 * @buf: the first @len bytes of the payload, @len as for sip_parse_status()
 * @len: bytes at @buf
 *
 * After any leading CR and LF: a method (1 to 16 letters), one SP, and
 * the scheme of the Request-URI (a letter, then letters, digits, '+',
 * '-' or '.') followed by ':', all within @buf.
 *
 * Return: 1 or 0.
 */
int sip_is_request(const unsigned char *buf, unsigned int len);

/* The longest method of enum sipcode_method ("SUBSCRIBE"), and room. */
#define SIP_METHOD_MAX 12

/**
 * struct sip_framer - framing of a message in a stream (TCP)
 * @state: where the framer is in the headers
 * @pos: bytes of the header name so far
 * @names: which names the header may still be
 * @value: the Content-Length being read
 * @clen: Content-Length, when has_clen
 * @has_clen: a Content-Length was read
 * @bad: a Content-Length that is not one number
 * @has_cseq: 1 once the method of the first CSeq header is read, 2 when
 *	the first CSeq header was not of the form below, 3 when it is not
 *	to be read (sip_framer_init_length())
 * @mlen: bytes of @method; SIP_METHOD_MAX + 1 for a method too long to be
 *	one we know
 * @method: the method of the first CSeq header
 *
 * Finds the end of the headers of a message and its Content-Length
 * ("Content-Length" or "l", in any case, with SP or HTAB around the
 * colon). Fed the message piece by piece, from its first byte (leading CR
 * and LF included), so that a caller reads a packet in small chunks and
 * never more than it needs.
 *
 * The method of the first CSeq header: "CSeq" in any case, SP or HTAB
 * around the colon, digits, SP or HTAB, the method, then SP, HTAB, CR or
 * LF.
 */
struct sip_framer {
	unsigned int state;
	unsigned int pos;
	unsigned int names;
	unsigned int value;
	unsigned int clen;
	unsigned char has_clen;
	unsigned char bad;
	unsigned char has_cseq;
	unsigned char mlen;
	unsigned char method[SIP_METHOD_MAX];
};

/* A Content-Length above this (16 MiB) is not believed. */
#define SIP_CLEN_MAX 16777216U

/**
 * sip_framer_init() - set a framer up for a new message
 * @f: the framer
 *
 * Inline: all zero is a framer at the start of a message, nothing read.
 */
static inline void sip_framer_init(struct sip_framer *f)
{
	__builtin_memset(f, 0, sizeof(*f));
}

/**
 * sip_framer_init_length() - set a framer up to find only where a message ends
 * @f: the framer
 *
 * As sip_framer_init(), but the CSeq header is not read: CSeq lines are
 * skipped as any other, and sip_framer_method() is SIPCODE_METHOD_OTHER.
 * For framing a stream, where the method is not needed.
 */
static inline void sip_framer_init_length(struct sip_framer *f)
{
	sip_framer_init(f);
	f->has_cseq = 3;
}

/**
 * sip_framer_feed() - feed the next bytes of a message
 * @f: the framer
 * @buf: the next @len bytes
 * @len: bytes at @buf
 *
 * Return: 0 when the headers go on past @buf; else the number of bytes of
 * @buf up to and including the empty line that ends them. Then
 * sip_framer_clen() tells the length of the body.
 */
unsigned int sip_framer_feed(struct sip_framer *f, const unsigned char *buf,
			     unsigned int len);

/**
 * sip_framer_clen() - the Content-Length of the message
 * @f: the framer
 *
 * Return: the Content-Length, or -1 when the message has none or a bad
 * one.
 */
static inline long sip_framer_clen(const struct sip_framer *f)
{
	return f->has_clen && !f->bad ? (long)f->clen : -1;
}

/**
 * sip_method_id() - the enum sipcode_method of a method name
 * @name: the method, @len bytes
 * @len: its length
 *
 * Methods are case-sensitive (RFC 3261 7.1): "invite" is another method.
 *
 * Return: SIPCODE_METHOD_INVITE to _UPDATE, else SIPCODE_METHOD_OTHER.
 */
unsigned int sip_method_id(const unsigned char *name, unsigned int len);

/**
 * sip_framer_method() - the method of the CSeq the framer read
 * @f: the framer
 *
 * Return: its enum sipcode_method, or SIPCODE_METHOD_OTHER.
 */
static inline unsigned int sip_framer_method(const struct sip_framer *f)
{
	return f->has_cseq == 1 ? sip_method_id(f->method, f->mlen) :
	       SIPCODE_METHOD_OTHER;
}

/**
 * sip_reason() - the reason phrase of a status line
 * @buf: the first @len bytes of a payload that sip_parse_status() found
 *	 to be a response
 * @len: bytes at @buf
 * @phrase: set to the first byte of the phrase
 * @truncated: set to 1 when the phrase was cut at SIPCODE_REASON_MAX
 *	bytes, else 0
 *
 * The phrase is what follows the code and its SP, up to CR or LF or the
 * end of @buf, at most SIPCODE_REASON_MAX bytes. It is truncated when it
 * reaches that many and the next byte is not CR or LF, or @buf ends
 * there: the phrase may go on past it.
 *
 * Return: the length of the phrase at *@phrase, 0 to SIPCODE_REASON_MAX.
 */
unsigned int sip_reason(const unsigned char *buf, unsigned int len,
			const unsigned char **phrase, int *truncated);

#endif /* _SIPCODE_SIPPARSE_H */
