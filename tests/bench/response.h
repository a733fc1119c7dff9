/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SIP responses of the benchmarks: the 274-byte 486 Busy Here that
 * both send alone (tests/bench/bench_parser.c under callgrind, and
 * bench/pktsend.c in a 316-byte frame in the guest), and the 100 Trying,
 * 180 Ringing and 200 OK with SDP that come before it in a TCP stream
 * (bench/tcpstream.h, and tests/bench/bench_parser.c's TCP segment).
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

/* 259 bytes, no body. */
#define BENCH_SIP_TRYING \
	"SIP/2.0 100 Trying\r\n" \
	"Via: SIP/2.0/TCP 192.0.2.4:5060;branch=z9hG4bKnashds8;received=192.0.2.4\r\n" \
	"To: Bob <sip:bob@biloxi.example.com>\r\n" \
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" \
	"Call-ID: a84b4c76e66710\r\n" \
	"CSeq: 314159 INVITE\r\n" \
	"Content-Length: 0\r\n" \
	"\r\n"

/* 316 bytes, no body. */
#define BENCH_SIP_RINGING \
	"SIP/2.0 180 Ringing\r\n" \
	"Via: SIP/2.0/TCP 192.0.2.4:5060;branch=z9hG4bKnashds8;received=192.0.2.4\r\n" \
	"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n" \
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" \
	"Call-ID: a84b4c76e66710\r\n" \
	"CSeq: 314159 INVITE\r\n" \
	"Contact: <sip:bob@192.0.2.4;transport=tcp>\r\n" \
	"Content-Length: 0\r\n" \
	"\r\n"

/* 599 bytes: 366 of headers, 233 of SDP. */
#define BENCH_SIP_OK \
	"SIP/2.0 200 OK\r\n" \
	"Via: SIP/2.0/TCP 192.0.2.4:5060;branch=z9hG4bKnashds8;received=192.0.2.4\r\n" \
	"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n" \
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" \
	"Call-ID: a84b4c76e66710\r\n" \
	"CSeq: 314159 INVITE\r\n" \
	"Contact: <sip:bob@192.0.2.4;transport=tcp>\r\n" \
	"Server: Bench UA 1.0\r\n" \
	"Content-Type: application/sdp\r\n" \
	"Content-Length: 233\r\n" \
	"\r\n" \
	"v=0\r\n" \
	"o=bob 2890844527 2890844527 IN IP4 192.0.2.4\r\n" \
	"s=-\r\n" \
	"c=IN IP4 192.0.2.4\r\n" \
	"t=0 0\r\n" \
	"m=audio 3456 RTP/AVP 0 8 101\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n" \
	"a=rtpmap:8 PCMA/8000\r\n" \
	"a=rtpmap:101 telephone-event/8000\r\n" \
	"a=fmtp:101 0-16\r\n" \
	"a=ptime:20\r\n" \
	"a=sendrecv\r\n"

#endif /* _SIPCODE_BENCH_RESPONSE_H */
