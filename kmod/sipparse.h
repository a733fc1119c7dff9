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
 * Reads no byte outside @buf[0..@len). Constant work: at most @len bytes.
 *
 * Return: the status code (100-699), or an enum sip_parse_result.
 */
int sip_parse_status(const unsigned char *buf, unsigned int len,
		     unsigned int total);

#endif /* _SIPCODE_SIPPARSE_H */
