// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of kmod/sipparse.c for callgrind: parse one payload N times
 * and print a checksum of the results, nothing else. Running it with N
 * and 2N gives the instructions of one call from the difference.
 *
 *   bench_parser [N [sip|other]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipparse.h"

static const char sip_payload[] =
	"SIP/2.0 486 Busy Here\r\n"
	"Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds8;received=192.0.2.4\r\n"
	"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* An RTP packet: version 2, PCMU, then audio. */
static const unsigned char other_payload[172] = {
	0x80, 0x00, 0x1c, 0x2d, 0x00, 0x01, 0xe2, 0x40,
	0x5e, 0xc0, 0xde, 0x01, 0xff, 0xfe, 0x7f, 0x7e,
};

static unsigned long run(const unsigned char *payload, unsigned int total,
			 unsigned long n)
{
	unsigned int len = total < SIP_PARSE_WINDOW ? total : SIP_PARSE_WINDOW;
	unsigned long sum = 0, i;

	for (i = 0; i < n; i++)
		sum += sip_parse_status(payload, len, total);
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
			fprintf(stderr, "usage: %s [N [sip|other]]\n", argv[0]);
			return 2;
		}
	}
	if (strcmp(which, "sip") && strcmp(which, "other") &&
	    strcmp(which, "both")) {
		fprintf(stderr, "usage: %s [N [sip|other]]\n", argv[0]);
		return 2;
	}
	if (strcmp(which, "other"))
		sum += run((const unsigned char *)sip_payload,
			   sizeof(sip_payload) - 1, n);
	if (strcmp(which, "sip"))
		sum += run(other_payload, sizeof(other_payload), n);
	printf("%lu\n", sum);
	return 0;
}
