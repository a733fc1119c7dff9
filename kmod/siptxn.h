/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The transaction of a SIP message (RFC 3261 17): a key that a request
 * and its responses share, from the headers that a proxy or a UAS copies
 * from the request into its responses. Plain C with no kernel or libc
 * header, as sipparse.c: the module and the userspace unit tests and
 * fuzzer compile this one source.
 */
#ifndef _SIPCODE_SIPTXN_H
#define _SIPCODE_SIPTXN_H

#include "sipparse.h"

/**
 * struct sip_txn_id - the transaction of a message
 * @key: hash of the top Via's branch, the Call-ID, the CSeq number and
 *	the CSeq method
 * @method: the enum sipcode_method of the CSeq method (sip_method_id())
 */
struct sip_txn_id {
	unsigned long long key;
	unsigned int method;
};

/**
 * sip_txn_id() - the transaction of a message
 * @buf: the message's first @len bytes: its start line (request or status
 *	line) and headers
 * @len: bytes at @buf (callers pass at most SIPCODE_HEADERS_SCAN_MAX)
 * @id: set when found
 *
 * After any CR and LF before it (RFC 3261 7.5), the start line is
 * skipped, up to its LF. Then the header lines, each up to its LF (CR LF
 * or a bare LF), until an empty line or the end of @buf. A header is its
 * name in any case, SP and HTAB, ':', SP and HTAB, then its value; the
 * first header of each name counts, the others are skipped, as are
 * lines of other forms (folded lines among them: they are not joined).
 *
 *   - Via, or v: the top Via is the first value of the first Via header
 *     (a header may hold several, separated by ','). Its parameters
 *     follow ';' (SP and HTAB around it); the first named branch (in any
 *     case, SP and HTAB around its '=') holds the branch: the bytes up to
 *     ';', ',', SP, HTAB, CR or LF, one at least. A top Via without one
 *     gives -1. Quoted strings are not parsed: a ';' or ',' in one counts.
 *   - Call-ID, or i: its value up to CR or LF, less SP and HTAB at its
 *     end, one byte at least.
 *   - CSeq: 1 to 10 digits forming a number below 2^32, SP and HTAB (one
 *     at least), the method (a token, case-sensitive), then SP, HTAB, CR
 *     or LF.
 *
 * The first CSeq, Call-ID or top Via that is not of these forms gives -1,
 * as does a value that @buf ends before the byte that ends it: @buf cut
 * anywhere gives either -1 or the key of the whole message. The scan
 * stops once the three are found.
 *
 * The key is a 64-bit hash, multiply and xorshift 8 bytes a step, of the
 * branch, the Call-ID, the CSeq number and the method as they are, and
 * of their lengths: the same for a request and its responses, whatever
 * the order of their headers or the other bytes of the message. Two
 * messages whose fields have the same lengths and differ in a byte or in
 * the number have different keys (each step is a bijection); others
 * differ as a 64-bit hash does. The hash has no secret: a table of keys
 * that senders choose must not trust them to spread.
 *
 * Reads no byte outside @buf[0..@len). Linear in @len.
 *
 * Return: 0 when the top Via's branch, the Call-ID and the CSeq were all
 * found before the end of the headers (empty line) or of @buf; else -1
 * (@id undefined).
 */
int sip_txn_id(const unsigned char *buf, unsigned int len,
	       struct sip_txn_id *id);

#endif /* _SIPCODE_SIPTXN_H */
