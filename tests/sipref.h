/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A slow reference for the status-line parser, shared by the unit tests
 * and the fuzzer: the definition in kmod/sipparse.h read one byte at a
 * time, with no shortcut of the real parser.
 */
#ifndef SIPCODE_SIPREF_H
#define SIPCODE_SIPREF_H

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

#endif /* SIPCODE_SIPREF_H */
