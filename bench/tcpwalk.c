// SPDX-License-Identifier: GPL-2.0
/*
 * The framing share of rows 11 and 12 of `make bench`, for callgrind:
 * the segments that pktsend -T follow and -T new send (bench/tcpstream.h)
 * framed N times as kmod/tcp.c's sipcode_tcp_frame() frames a linear
 * skb, with kmod/sipparse.c compiled for userspace: each status line
 * parsed, each header block fed to the framer in one piece from where
 * the flow stopped, each body skipped. No flow table, no skb, no count:
 * what the module adds to this is the rest of the row.
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

#include "sipparse.h"
#include "tcpstream.h"

enum { START, HEADERS, BODY };

struct flow {
	int state;
	unsigned int left;
	struct sip_framer f;
};

/*
 * Bytes [0, @end) of a segment at @p, from the state of @fl: the sum of
 * the codes counted. Not static, for callgrind's --toggle-collect.
 */
unsigned long walk(struct flow *fl, const unsigned char *p, unsigned int end);
__attribute__((noinline))
unsigned long walk(struct flow *fl, const unsigned char *p, unsigned int end)
{
	unsigned int off = 0, n, len;
	unsigned long sum = 0;
	long clen;

	while (off < end) {
		switch (fl->state) {
		case START:
			len = end - off < SIP_PARSE_WINDOW ? end - off :
			      SIP_PARSE_WINDOW;
			sum += sip_parse_status(p + off, len, end - off);
			sip_framer_init_length(&fl->f);
			fl->state = HEADERS;
			break;
		case HEADERS:
			n = sip_framer_feed(&fl->f, p + off, end - off);
			if (!n)
				return sum;	/* the headers go on */
			clen = sip_framer_clen(&fl->f);
			if (clen < 0)
				abort();
			off += n;
			fl->left = clen;
			fl->state = BODY;
			break;
		default:
			n = fl->left < end - off ? fl->left : end - off;
			fl->left -= n;
			off += n;
			if (!fl->left)
				fl->state = START;
			break;
		}
	}
	return sum;
}

int main(int argc, char **argv)
{
	static unsigned char round[TCP_STREAM_LEN], seg[TCP_STREAM_LEN];
	unsigned int i, off = 0, cut = 0;
	struct flow first = { .state = START }, fl;
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
	if (follow) {
		/* The flow after the first segment, round[0, cut). */
		walk(&first, round, cut);
		for (i = 0; i < sizeof(seg); i++)
			seg[i] = round[(cut + i) % sizeof(seg)];
	} else {
		memcpy(seg, round, sizeof(seg));
	}
	for (k = 0; k < n; k++) {
		fl = first;
		sum += walk(&fl, seg, sizeof(seg));
	}
	printf("%lu\n", sum);
	return 0;
}
