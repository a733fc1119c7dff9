// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of kmod/sipparse.c for callgrind: parse one payload N times
 * and print a checksum of the results, nothing else. Running it with N
 * and 2N gives the instructions of one call from the difference.
 *
 *   bench_parser [N [sip|other|tcp|method|txn|txn-ok]]
 *
 * sip: a UDP response; other: an RTP packet; tcp: a TCP segment holding
 * three responses (one with a body), walked as kmod/hook.c's
 * sipcode_tcp() walks a linear skb: each status line parsed, each header
 * block framed in place (in one piece), each body skipped; method: the
 * CSeq method of the UDP response, read as kmod/insight.c's
 * sipcode_method() reads a linear skb; txn and txn-ok: the transaction
 * (kmod/siptxn.c) of sipp's INVITE and of its 200 OK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipparse.h"
#include "siptxn.h"
#include "response.h"

/* The UAPI's SIPCODE_TCP_MSGS_MAX. */
#define TCP_MSGS_MAX 16

static const char sip_payload[] = BENCH_SIP_RESPONSE;

/* An RTP packet: version 2, PCMU, then audio. */
static const unsigned char other_payload[172] = {
	0x80, 0x00, 0x1c, 0x2d, 0x00, 0x01, 0xe2, 0x40,
	0x5e, 0xc0, 0xde, 0x01, 0xff, 0xfe, 0x7f, 0x7e,
};

/*
 * The 180 and the 200 of bench/tcpstream.h's stream, and the 486: 1,189
 * bytes, 956 of headers and 233 of SDP.
 */
static const char tcp_segment[] =
	BENCH_SIP_RINGING BENCH_SIP_OK BENCH_SIP_RESPONSE;

/*
 * As sipcode_tcp_frame() frames a message of a linear skb: the offset of
 * the next message, or 0. The headers are fed in one piece, to a framer
 * that reads no CSeq (sip_framer_init_length()).
 */
static unsigned int tcp_next(const unsigned char *seg, unsigned int off,
			     unsigned int end)
{
	struct sip_framer f;
	unsigned int hdr;
	long clen;

	sip_framer_init_length(&f);
	hdr = sip_framer_feed(&f, seg + off, end - off);
	if (!hdr)
		return 0;
	clen = sip_framer_clen(&f);
	if (clen < 0)
		return 0;
	return off + hdr + clen < end ? off + hdr + clen : 0;
}

/*
 * As sipcode_tcp() from the first byte of the payload, @seg standing
 * for the skb: the sum of the codes of the messages that start in it.
 * Its own function, not static so that it keeps its name, for
 * callgrind's --toggle-collect.
 */
unsigned long bench_tcp_segment(const unsigned char *seg, unsigned int end);
__attribute__((noinline))
unsigned long bench_tcp_segment(const unsigned char *seg,
				       unsigned int end)
{
	unsigned int off = 0, n, len;
	unsigned long sum = 0;
	int code;

	for (n = 0; n == 0 || off; n++) {
		len = end - off < SIP_PARSE_WINDOW ? end - off : SIP_PARSE_WINDOW;
		code = sip_parse_status(seg + off, len, end - off);
		if (code == SIP_PARSE_KEEPALIVE)
			break;
		if (code == SIP_PARSE_NOT_RESPONSE &&
		    !sip_is_request(seg + off, len))
			break;
		if (n == TCP_MSGS_MAX)
			break;
		sum += code;
		off = tcp_next(seg, off, end);
	}
	return sum;
}

static unsigned long run_tcp(unsigned long n)
{
	unsigned long sum = 0, i;

	for (i = 0; i < n; i++)
		sum += bench_tcp_segment((const unsigned char *)tcp_segment,
					 sizeof(tcp_segment) - 1);
	return sum;
}

/*
 * As sipcode_method() on a linear skb: the message fed in one piece,
 * from its first byte. Not static, for --toggle-collect.
 */
unsigned int bench_method(const unsigned char *msg, unsigned int end);
__attribute__((noinline))
unsigned int bench_method(const unsigned char *msg, unsigned int end)
{
	struct sip_framer f;

	sip_framer_init(&f);
	sip_framer_feed(&f, msg, end);
	return sip_framer_method(&f);
}

static unsigned long run_method(unsigned long n)
{
	unsigned long sum = 0, i;

	for (i = 0; i < n; i++)
		sum += bench_method((const unsigned char *)sip_payload,
				    sizeof(sip_payload) - 1);
	return sum;
}

/* The INVITE of sipp's default uac scenario, with its SDP. */
static const char txn_invite[] =
	"INVITE sip:service@192.0.2.1:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.2:5061;branch=z9hG4bK-4567-1-0\r\n"
	"From: sipp <sip:sipp@192.0.2.2:5061>;tag=4567SIPpTag001\r\n"
	"To: service <sip:service@192.0.2.1:5060>\r\n"
	"Call-ID: 1-4567@192.0.2.2\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: sip:sipp@192.0.2.2:5061\r\n"
	"Max-Forwards: 70\r\n"
	"Subject: Performance Test\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length:   129\r\n"
	"\r\n"
	"v=0\r\n"
	"o=user1 53655765 2353687637 IN IP4 192.0.2.2\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.2\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/* The 200 OK of sipp's default uas scenario to it. */
static const char txn_ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.0.2.2:5061;branch=z9hG4bK-4567-1-0\r\n"
	"From: sipp <sip:sipp@192.0.2.2:5061>;tag=4567SIPpTag001\r\n"
	"To: service <sip:service@192.0.2.1:5060>;tag=8910SIPpTag011\r\n"
	"Call-ID: 1-4567@192.0.2.2\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:192.0.2.1:5060;transport=UDP>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length:   129\r\n"
	"\r\n"
	"v=0\r\n"
	"o=user1 53655765 2353687637 IN IP4 192.0.2.1\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/*
 * sip_txn_id() on a message, its first SIPCODE_HEADERS_SCAN_MAX bytes at
 * most, as the module hands them. Not static, for --toggle-collect.
 */
unsigned long long bench_txn(const unsigned char *msg, unsigned int end);
__attribute__((noinline))
unsigned long long bench_txn(const unsigned char *msg, unsigned int end)
{
	struct sip_txn_id id;

	if (end > SIPCODE_HEADERS_SCAN_MAX)
		end = SIPCODE_HEADERS_SCAN_MAX;
	if (sip_txn_id(msg, end, &id))
		return 0;
	return id.key + id.method;
}

static unsigned long run_txn(const char *msg, unsigned int len,
			     unsigned long n)
{
	unsigned long sum = 0, i;

	for (i = 0; i < n; i++)
		sum += bench_txn((const unsigned char *)msg, len);
	return sum;
}

/*
 * sip_parse_status() is inline: this is the function callgrind counts
 * (--toggle-collect), with sip_parse_status_slow() when it is called.
 */
int bench_parse(const unsigned char *buf, unsigned int len,
		unsigned int total);
__attribute__((noinline))
int bench_parse(const unsigned char *buf, unsigned int len,
		unsigned int total)
{
	return sip_parse_status(buf, len, total);
}

static unsigned long run(const unsigned char *payload, unsigned int total,
			 unsigned long n)
{
	unsigned int len = total < SIP_PARSE_WINDOW ? total : SIP_PARSE_WINDOW;
	unsigned long sum = 0, i;

	for (i = 0; i < n; i++)
		sum += bench_parse(payload, len, total);
	return sum;
}

int main(int argc, char **argv)
{
	unsigned long n = 1000000, sum = 0;
	const char *which = argc > 2 ? argv[2] : "both";
	char *end;

	if (argc > 1) {
		n = strtoul(argv[1], &end, 0);
		if (*end || !*argv[1]) {
			fprintf(stderr, "usage: %s [N [sip|other|tcp|method|txn|txn-ok]]\n",
				argv[0]);
			return 2;
		}
	}
	if (strcmp(which, "sip") && strcmp(which, "other") &&
	    strcmp(which, "tcp") && strcmp(which, "method") &&
	    strcmp(which, "txn") && strcmp(which, "txn-ok") &&
	    strcmp(which, "both")) {
		fprintf(stderr, "usage: %s [N [sip|other|tcp|method|txn|txn-ok]]\n",
			argv[0]);
		return 2;
	}
	if (!strcmp(which, "txn")) {
		printf("%lu\n", run_txn(txn_invite, sizeof(txn_invite) - 1, n));
		return 0;
	}
	if (!strcmp(which, "txn-ok")) {
		printf("%lu\n", run_txn(txn_ok, sizeof(txn_ok) - 1, n));
		return 0;
	}
	if (!strcmp(which, "method")) {
		printf("%lu\n", run_method(n));
		return 0;
	}
	if (!strcmp(which, "tcp")) {
		printf("%lu\n", run_tcp(n));
		return 0;
	}
	if (strcmp(which, "other"))
		sum += run((const unsigned char *)sip_payload,
			   sizeof(sip_payload) - 1, n);
	if (strcmp(which, "sip"))
		sum += run(other_payload, sizeof(other_payload), n);
	printf("%lu\n", sum);
	return 0;
}
