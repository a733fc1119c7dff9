/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SIP response of both benchmarks, 274 bytes: the parser's under
 * callgrind (tests/bench/bench_parser.c) and the hook's in the guest
 * (bench/pktsend.c, in a 316-byte frame).
 */
#ifndef _SIPCODE_BENCH_RESPONSE_H
#define _SIPCODE_BENCH_RESPONSE_H

#define BENCH_SIP_RESPONSE \
	"SIP/2.0 486 Busy Here\r\n" \
	"Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds8;received=192.0.2.4\r\n" \
	"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n" \
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" \
	"Call-ID: a84b4c76e66710\r\n" \
	"CSeq: 314159 INVITE\r\n" \
	"Content-Length: 0\r\n" \
	"\r\n"

#endif /* _SIPCODE_BENCH_RESPONSE_H */
