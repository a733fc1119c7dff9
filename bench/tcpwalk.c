// SPDX-License-Identifier: GPL-2.0
/*
 * The framing share of rows 11 and 12 of `make bench`, for callgrind:
 * the segments that pktsend -T follow and -T new send (bench/tcpstream.h)
 * framed N times by kmod/stream.c, as kmod/tcp.c has it frame a linear
 * skb, with kmod/stream.c and kmod/sipparse.c compiled for userspace:
 * the stream of a flow copied in and out, each status line parsed, each
 * header block fed to the framer in one piece from where the flow
 * stopped, each body skipped. No flow table, no skb, no count: what the
 * module adds to this is the rest of the row.
 *
 *   tcpwalk N follow|new     (make -C bench walk runs it under callgrind)
 *
 * follow: a segment from 20 bytes into a 200 OK's From line to the same
 * point of the next round, the flow's framer as the first segment left
 * it; new: a round from its first byte, a flow that starts there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "tcpstream.h"

/* The callbacks of stream.h take what this walk does not need. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

/* A segment in memory; the sum of the codes counted. */
struct walk_seg {
	struct sip_stream_seg seg;
	const unsigned char *p;
	unsigned long sum;
};

const unsigned char *sip_stream_read(const struct sip_stream_seg *seg,
				     unsigned int off, unsigned int len,
				     unsigned char *buf)
{
	return ((const struct walk_seg *)seg)->p + off;
}

unsigned int sip_stream_frame(const struct sip_stream_seg *seg,
			      struct sip_framer *f, unsigned int off,
			      unsigned int end)
{
	unsigned int n;

	n = sip_framer_feed(f, ((const struct walk_seg *)seg)->p + off,
			    end - off);
	return n ? off + n : 0;
}

void sip_stream_count(struct sip_stream_seg *seg, unsigned int off, int code,
		      int split)
{
	((struct walk_seg *)seg)->sum += code;
}

void sip_stream_bucket(struct sip_stream_seg *seg, int bucket)
{
}

/*
 * Bytes [0, @end) of a segment at @p, from the stream @first (copied in
 * and out, as the module copies a flow): the sum of the codes counted.
 * Not static, for callgrind's --toggle-collect.
 */
unsigned long walk(struct sip_stream *first, struct sip_hole *holes,
		   const unsigned char *p, unsigned int end);
__attribute__((noinline))
unsigned long walk(struct sip_stream *first, struct sip_hole *holes,
		   const unsigned char *p, unsigned int end)
{
	struct walk_seg s = {
		.seg.data = p,
		.seg.end = end,
		.seg.max = SIPCODE_TCP_MSGS_MAX,
		.p = p,
	};
	struct sip_stream st;

	memcpy(&st, first, sizeof(st));
	sip_stream_segment(&st, holes, &s.seg, st.seq);
	memcpy(first, &st, sizeof(st));
	return s.sum;
}

int main(int argc, char **argv)
{
	static unsigned char round[TCP_STREAM_LEN], seg[TCP_STREAM_LEN];
	unsigned int i, off = 0, cut = 0;
	struct sip_hole holes[SIP_STREAM_HOLES];
	struct sip_stream first, st;
	unsigned long n, sum = 0, k;
	const char *m;
	int follow;

	if (argc != 3 || (strcmp(argv[2], "follow") && strcmp(argv[2], "new"))) {
		fprintf(stderr, "usage: tcpwalk N follow|new\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	follow = !strcmp(argv[2], "follow");
	for (i = 0; i < TCP_STREAM_NMSGS; i++) {
		m = tcp_stream_msgs[i];
		if (off + strlen(m) > sizeof(round))
			return 1;
		memcpy(round + off, m, strlen(m));
		if (i == TCP_STREAM_CUT_MSG)
			cut = off + (strstr(m, TCP_STREAM_CUT_AFTER) - m) +
			      strlen(TCP_STREAM_CUT_AFTER) - 2 +
			      TCP_STREAM_CUT_INTO;
		off += strlen(m);
	}
	if (off != sizeof(round))
		return 1;
	sip_stream_init(&first, holes, 0, 1);
	if (follow) {
		/* The flow after the first segment, round[0, cut). */
		walk(&first, holes, round, cut);
		for (i = 0; i < sizeof(seg); i++)
			seg[i] = round[(cut + i) % sizeof(seg)];
	} else {
		memcpy(seg, round, sizeof(seg));
	}
	for (k = 0; k < n; k++) {
		st = first;
		sum += walk(&st, holes, seg, sizeof(seg));
	}
	printf("%lu\n", sum);
	return 0;
}
