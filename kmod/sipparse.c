// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The SIP status-line parser: see sipparse.h. No header but our own, so
 * that the same object serves the module and userspace.
 */
#include "sipparse.h"

#define SIP_VERSION_LEN 8	/* "SIP/2.0 " */
#define SIP_STATUS_LEN 12	/* "SIP/2.0 NNN" and one terminator */

static inline unsigned long long sip_load64(const unsigned char *p)
{
	unsigned long long v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline int sip_is_term(unsigned char c)
{
	return c == ' ' || c == '\r' || c == '\n';
}

/* The code at @p, which holds three digits and a terminator, or -1. */
static inline int sip_code(const unsigned char *p)
{
	unsigned int d0 = p[0] - '1', d1 = p[1] - '0', d2 = p[2] - '0';

	if (d0 > 5 || d1 > 9 || d2 > 9 || !sip_is_term(p[3]))
		return -1;
	return SIPCODE_CODE_MIN + d0 * 100 + d1 * 10 + d2;
}

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

int sip_parse_status(const unsigned char *buf, unsigned int len,
		     unsigned int total)
{
	/* "SIP" lowered with one OR; other bytes compared as they are. */
	static const unsigned char lower[8] = { 0x20, 0x20, 0x20 };
	static const char version[] = "sip/2.0 ";
	unsigned int skip = 0;
	int code;

	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	if (skip == total)
		return SIP_PARSE_KEEPALIVE;

	if (len - skip < SIP_STATUS_LEN) {
		int ret = sip_parse_short(buf + skip, len - skip);

		/* Cut by the window, not by the end of the payload. */
		if (ret == SIP_PARSE_TRUNCATED && len < total)
			return SIP_PARSE_MALFORMED;
		return ret;
	}
	buf += skip;
	if ((sip_load64(buf) | sip_load64(lower)) !=
	    sip_load64((const unsigned char *)version)) {
		/* Not "SIP/2.0 ": a response only if it starts "SIP/". */
		return sip_parse_short(buf, 4) == SIP_PARSE_TRUNCATED ?
		       SIP_PARSE_MALFORMED : SIP_PARSE_NOT_RESPONSE;
	}
	code = sip_code(buf + SIP_VERSION_LEN);
	return code < 0 ? SIP_PARSE_MALFORMED : code;
}
