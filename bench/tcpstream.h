/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SIP-over-TCP stream of the in-guest benchmark (bench/pktsend.c -T):
 * one direction of a connection carrying the same four responses over
 * and over, 1,448 bytes a round (the MSS of an Ethernet path with TCP
 * timestamps), so that a segment of 1,448 bytes taken anywhere in the
 * stream holds exactly one start of each: 100 Trying and 180 Ringing
 * without a body, 200 OK with 233 bytes of SDP, and the 486 Busy Here
 * (274 bytes), all of tests/bench/response.h. Headers 1,215 bytes,
 * bodies 233.
 */
#ifndef _SIPCODE_BENCH_TCPSTREAM_H
#define _SIPCODE_BENCH_TCPSTREAM_H

#include "../tests/bench/response.h"

/* Bytes of a round of the stream: the payload of a segment. */
#define TCP_STREAM_LEN 1448

/* The responses of a round, in the order they are sent. */
static const char *const tcp_stream_msgs[] = {
	BENCH_SIP_TRYING,
	BENCH_SIP_RINGING,
	BENCH_SIP_OK,
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
