/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SIP-over-TCP stream of the in-guest benchmark (bench/pktsend.c -T):
 * one direction of a connection carrying the same four responses over
 * and over, 1,448 bytes a round (the MSS of an Ethernet path with TCP
 * timestamps), so that a segment of 1,448 bytes taken anywhere in the
 * stream holds exactly one start of each: 100 Trying and 180 Ringing
 * without a body, 200 OK with 233 bytes of SDP, and the 486 Busy Here of
 * tests/bench/response.h (274 bytes). Headers 1,215 bytes, bodies 233.
 */
#ifndef _SIPCODE_BENCH_TCPSTREAM_H
#define _SIPCODE_BENCH_TCPSTREAM_H

#include "../tests/bench/response.h"

/* Bytes of a round of the stream: the payload of a segment. */
#define TCP_STREAM_LEN 1448

/* The responses of a round, in the order they are sent. */
static const char *const tcp_stream_msgs[] = {
	"SIP/2.0 100 Trying\r\n"
	"Via: SIP/2.0/TCP 192.0.2.4:5060;branch=z9hG4bKnashds8;received=192.0.2.4\r\n"
	"To: Bob <sip:bob@biloxi.example.com>\r\n"
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Content-Length: 0\r\n"
	"\r\n",

	"SIP/2.0 180 Ringing\r\n"
	"Via: SIP/2.0/TCP 192.0.2.4:5060;branch=z9hG4bKnashds8;received=192.0.2.4\r\n"
	"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:bob@192.0.2.4;transport=tcp>\r\n"
	"Content-Length: 0\r\n"
	"\r\n",

	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/TCP 192.0.2.4:5060;branch=z9hG4bKnashds8;received=192.0.2.4\r\n"
	"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:bob@192.0.2.4;transport=tcp>\r\n"
	"Server: Bench UA 1.0\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 233\r\n"
	"\r\n"
	"v=0\r\n"
	"o=bob 2890844527 2890844527 IN IP4 192.0.2.4\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.4\r\n"
	"t=0 0\r\n"
	"m=audio 3456 RTP/AVP 0 8 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-16\r\n"
	"a=ptime:20\r\n"
	"a=sendrecv\r\n",

	BENCH_SIP_RESPONSE,
};

#define TCP_STREAM_NMSGS \
	(sizeof(tcp_stream_msgs) / sizeof(tcp_stream_msgs[0]))

/*
 * Where a followed segment starts in the round: in the middle of the
 * 200 OK's From line, 20 bytes into it, so that every segment goes on
 * with the header block the one before it began (the framer's state
 * carried over), then the 200's body, and begins the next round's 200.
 */
#define TCP_STREAM_CUT_MSG 2
#define TCP_STREAM_CUT_AFTER "\r\nFrom: "
#define TCP_STREAM_CUT_INTO 20

#endif /* _SIPCODE_BENCH_TCPSTREAM_H */
