// SPDX-License-Identifier: GPL-2.0
/*
 * The sender of the in-guest benchmark: one prebuilt Ethernet/IPv4/UDP
 * frame, sent COUNT times per batch over an AF_PACKET socket that
 * bypasses the qdisc (PACKET_QDISC_BYPASS), with sendmmsg() of BATCH
 * copies of it at a time. Over a veth, the peer receives each frame in
 * the sender's own context (the NET_RX softirq runs when the transmit
 * path re-enables bottom halves), so the elapsed CLOCK_MONOTONIC time of
 * a batch covers the sender and the whole receive path. Under QEMU with
 * -icount shift=0 that time is the guest's instruction count.
 *
 * With -T, Ethernet/IPv4/TCP frames instead, 10.0.0.1:40000 to PORT,
 * carrying 1,448-byte segments of the stream of bench/tcpstream.h (four
 * responses a segment), ACK and PSH, TCP timestamps: 1,514-byte frames.
 * Every frame of a sendmmsg() call is its own buffer, and each one's
 * sequence number (and TCP checksum, updated for it: both checksums are
 * valid) is written before the call, 1,448 after the frame before it:
 *
 *   -T follow  one connection, followed from its start: a SYN (sequence
 *              number S - 1), a first segment of the stream from its
 *              first byte up to 20 bytes into the From line of a 200 OK,
 *              then the timed segments, each from there to the same point
 *              of the next round: each goes on inside the header block
 *              the one before it began. After the last, a FIN. Nothing
 *              but the timed segments is timed.
 *   -T new     each segment a round of the stream from its first byte,
 *              with FIN: the same connection begins again with every
 *              frame (FIN ends a flow that sipcode follows), and each
 *              segment is the first of its flow.
 *
 * With -P txn, UDP frames of two kinds in turn: the INVITE of
 * bench/txnpair.h, then its 200 OK, then the next call's INVITE: frame K
 * is the request (K even) or the response (K odd) of call K / 2, counted
 * from 0 over warm-up and batches. The call's number is written over the
 * marks of both messages (the Via branch, the tags, the Call-ID: a new
 * transaction a pair) and the UDP checksum updated for it, just before
 * the frame's sendmmsg() call, each frame of a call in its own buffer
 * (the digits counted up from the call before): about 120 instructions a
 * frame, the same in every scenario that sends these frames. COUNT and WARMUP must be even: every request is
 * followed by its response.
 *
 * usage: pktsend [-n COUNT] [-r REPS] [-w WARMUP] [-b BATCH]
 *                [-p PORT] [-P sip|rtp|txn] [-T follow|new] [-d DSTMAC]
 *                IFACE
 *
 * Prints one line per timed batch, "batch REP PACKETS NS", and at the
 * end "sent TOTAL" (warm-up, SYN, first segment and FIN included): every
 * frame that left. With -T, also "segment BYTES N": the payload of a
 * timed frame and the responses that start in it, and "responses N": the
 * status lines in all the segments sent, each one response to count.
 * With -P txn, "requests N" and "responses N": the INVITEs and the 200s
 * sent, and "frame request|response BYTES": each kind's frame length.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../tests/bench/response.h"
#include "tcpstream.h"
#include "txnpair.h"

#define MAX_BATCH 256

/* The response of tests/bench/bench_parser.c: a 316-byte frame. */
static const char sip_payload[] = BENCH_SIP_RESPONSE;

/* An RTP header (version 2, PCMU), then silence: as long as sip_payload. */
static const unsigned char rtp_header[12] = {
	0x80, 0x00, 0x1c, 0x2d, 0x00, 0x01, 0xe2, 0x40,
	0x5e, 0xc0, 0xde, 0x01,
};

/* The Ethernet and IPv4 headers of every frame (see ip_frame()). */
struct ip_head {
	unsigned char eth[ETH_HLEN];
	struct iphdr ip;
} __attribute__((packed));

struct frame {
	struct ip_head h;
	struct udphdr udp;
	unsigned char payload[sizeof(sip_payload) - 1];
} __attribute__((packed));

/* NOP, NOP, timestamps: what Linux sends on an established connection. */
#define TCP_OPT_LEN 12

/* Sender's port of the TCP stream. */
#define TCP_SPORT 40000

struct tcp_frame {
	struct ip_head h;
	struct tcphdr tcp;
	unsigned char opt[TCP_OPT_LEN];
	unsigned char payload[TCP_STREAM_LEN];
} __attribute__((packed));

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static int parse_mac(const char *s, unsigned char *mac)
{
	unsigned int b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (unsigned char)b[i];
	return 0;
}

/*
 * The headers of a zeroed frame: Ethernet from 02:00:00:00:00:01 to @dst,
 * IPv4 from 10.0.0.1 to 10.9.9.9 (with DF if @df) carrying @l4len bytes
 * of @proto. Returns the sum of the transport checksum's pseudo-header.
 */
static uint32_t ip_frame(struct ip_head *h, const unsigned char *dst,
			 uint8_t proto, uint16_t l4len, int df)
{
	static const unsigned char src[6] = { 2, 0, 0, 0, 0, 1 };

	memcpy(h->eth, dst, 6);
	memcpy(h->eth + 6, src, 6);
	h->eth[12] = ETH_P_IP >> 8;
	h->eth[13] = ETH_P_IP & 0xff;
	h->ip.version = 4;
	h->ip.ihl = 5;
	h->ip.tot_len = htons(sizeof(h->ip) + l4len);
	h->ip.id = htons(1);
	if (df)
		h->ip.frag_off = htons(IP_DF);
	h->ip.ttl = 64;
	h->ip.protocol = proto;
	h->ip.saddr = inet_addr("10.0.0.1");
	h->ip.daddr = inet_addr("10.9.9.9");
	h->ip.check = htons(csum_fold(csum_add(0, &h->ip, sizeof(h->ip))));
	/* Pseudo-header: addresses, protocol, length. */
	return csum_add(0, &h->ip.saddr, 8) + proto + l4len;
}

static void build(struct frame *f, const unsigned char *dst, uint16_t port,
		  int rtp)
{
	uint16_t ulen = sizeof(f->udp) + sizeof(f->payload);
	uint32_t sum;

	memset(f, 0, sizeof(*f));
	sum = ip_frame(&f->h, dst, IPPROTO_UDP, ulen, 0);
	f->udp.source = htons(port);
	f->udp.dest = htons(port);
	f->udp.len = htons(ulen);
	if (rtp)
		memcpy(f->payload, rtp_header, sizeof(rtp_header));
	else
		memcpy(f->payload, sip_payload, sizeof(f->payload));
	/* Header and payload. */
	sum = csum_add(sum, &f->udp, ulen);
	f->udp.check = htons(csum_fold(sum));
	if (!f->udp.check)
		f->udp.check = 0xffff;
}

/* A round of the stream: its bytes, and where each message starts. */
static unsigned char stream[TCP_STREAM_LEN];
static unsigned int msg_start[TCP_STREAM_NMSGS];

static int stream_init(void)
{
	unsigned int i, off = 0, len;

	for (i = 0; i < TCP_STREAM_NMSGS; i++) {
		len = strlen(tcp_stream_msgs[i]);
		if (off + len > sizeof(stream))
			break;
		msg_start[i] = off;
		memcpy(stream + off, tcp_stream_msgs[i], len);
		off += len;
	}
	if (i < TCP_STREAM_NMSGS || off != sizeof(stream)) {
		fprintf(stderr, "pktsend: the stream is not %d bytes\n",
			TCP_STREAM_LEN);
		return -1;
	}
	return 0;
}

/* Responses that start in bytes [from, to) of a round. */
static unsigned int stream_msgs(unsigned int from, unsigned int to)
{
	unsigned int i, n = 0;

	for (i = 0; i < TCP_STREAM_NMSGS; i++)
		n += msg_start[i] >= from && msg_start[i] < to;
	return n;
}

/* Where a followed segment starts in a round (see tcpstream.h). */
static unsigned int stream_cut(void)
{
	const char *m = tcp_stream_msgs[TCP_STREAM_CUT_MSG];
	const char *at = strstr(m, TCP_STREAM_CUT_AFTER);

	return msg_start[TCP_STREAM_CUT_MSG] + (at - m) +
	       strlen(TCP_STREAM_CUT_AFTER) - 2 + TCP_STREAM_CUT_INTO;
}

/*
 * A TCP frame with @len bytes of payload, sequence number 0; its length.
 * *@sum: the checksum's sum without the sequence number, for set_seq().
 */
static size_t build_tcp(struct tcp_frame *f, const unsigned char *dst,
			uint16_t dport, uint8_t flags,
			const unsigned char *payload, size_t len, uint32_t *sum)
{
	uint16_t tlen = sizeof(f->tcp) + TCP_OPT_LEN + len;

	memset(f, 0, sizeof(*f));
	*sum = ip_frame(&f->h, dst, IPPROTO_TCP, tlen, 1);
	f->tcp.source = htons(TCP_SPORT);
	f->tcp.dest = htons(dport);
	f->tcp.ack_seq = htonl(flags & TH_ACK ? 1 : 0);
	f->tcp.doff = (sizeof(f->tcp) + TCP_OPT_LEN) / 4;
	f->tcp.fin = !!(flags & TH_FIN);
	f->tcp.syn = !!(flags & TH_SYN);
	f->tcp.psh = !!(flags & TH_PUSH);
	f->tcp.ack = !!(flags & TH_ACK);
	f->tcp.window = htons(502);
	f->opt[0] = TCPOPT_NOP;
	f->opt[1] = TCPOPT_NOP;
	f->opt[2] = TCPOPT_TIMESTAMP;
	f->opt[3] = TCPOLEN_TIMESTAMP;
	f->opt[7] = 1;			/* TSval 1 */
	f->opt[11] = 1;			/* TSecr 1 */
	if (len)
		memcpy(f->payload, payload, len);
	/* Header and payload, the sequence number 0. */
	*sum = csum_add(*sum, &f->tcp, tlen);
	return sizeof(*f) - sizeof(f->payload) + len;
}

/* Write @seq into a frame from build_tcp(), and its checksum. */
static inline void set_seq(struct tcp_frame *f, uint32_t sum, uint32_t seq)
{
	f->tcp.seq = htonl(seq);
	f->tcp.check = htons(csum_fold(sum + (seq >> 16) + (seq & 0xffff)));
}

/*
 * The timed TCP frames: one buffer per frame of a sendmmsg() call, each
 * given its sequence number before the call.
 */
static struct {
	struct tcp_frame f[MAX_BATCH];
	uint32_t sum;
	uint32_t next;		/* sequence number of the next frame */
	int on;
} tcp;

/*
 * -P txn: the frames of each kind (0: the INVITE, 1: the 200 OK), one
 * buffer a frame of a sendmmsg() call; where the call's number goes.
 */
#define TXN_MAX_MARKS 4

struct txn_frame {
	struct ip_head h;
	struct udphdr udp;
	unsigned char payload[sizeof(TXN_INVITE) - 1];
} __attribute__((packed));

static struct {
	struct txn_frame f[2][MAX_BATCH];
	size_t len[2];
	/* The UDP checksum's sum, every mark's bytes 0. */
	uint32_t sum[2];
	/* The marks: offsets in the payload; 1 when the UDP header's offset
	 * of a mark is odd (its first digit the low byte of a 16-bit word). */
	unsigned int mark[2][TXN_MAX_MARKS];
	unsigned int odd[2][TXN_MAX_MARKS];
	unsigned int nmarks[2];
	unsigned long next;	/* the number of the next frame */
	/* The call whose number is in @d; the sums of its digits at even
	 * and at odd places. */
	unsigned long call;
	unsigned char d[TXN_CALL_DIGITS];
	unsigned int even, odd_sum;
	int on;
} txn;

static const char *const txn_msg[2] = { TXN_INVITE, TXN_OK };

/*
 * The digits of call @call: counted up from those of the call before it
 * when it is the one before (@full 0), else written anew.
 */
static void txn_digits(unsigned long call, int full)
{
	unsigned long c = call;
	unsigned int j;

	if (!full && call == txn.call + 1) {
		for (j = TXN_CALL_DIGITS; j-- > 0 && ++txn.d[j] > '9';)
			txn.d[j] = '0';
	} else {
		for (j = TXN_CALL_DIGITS; j-- > 0; c /= 10)
			txn.d[j] = '0' + c % 10;
	}
	txn.call = call;
	txn.even = txn.odd_sum = 0;
	for (j = 0; j < TXN_CALL_DIGITS; j += 2) {
		txn.even += txn.d[j];
		txn.odd_sum += txn.d[j + 1];
	}
}

/* Build the frames of both kinds; -1 if a message is not as it should be. */
static int txn_init(const unsigned char *dst, uint16_t port)
{
	unsigned int k, i, n, body;
	const char *m, *at;
	struct txn_frame *f;
	uint16_t ulen;

	for (k = 0; k < 2; k++) {
		m = txn_msg[k];
		txn.len[k] = sizeof(struct txn_frame) -
			     sizeof(f->payload) + strlen(m);
		ulen = sizeof(f->udp) + strlen(m);
		/* Content-Length, against the body. */
		at = strstr(m, "\r\n\r\n");
		if (!at || sscanf(strstr(m, "Content-Length:") + 15, "%u",
				  &body) != 1 || body != strlen(at + 4)) {
			fprintf(stderr, "pktsend: message %u: bad "
				"Content-Length\n", k);
			return -1;
		}
		n = 0;
		for (at = strstr(m, TXN_CALL_MARK); at;
		     at = strstr(at + 1, TXN_CALL_MARK)) {
			if (n == TXN_MAX_MARKS)
				return -1;
			txn.mark[k][n] = at - m;
			txn.odd[k][n] = (sizeof(f->udp) + (at - m)) & 1;
			n++;
		}
		if (n < 3 || sizeof(TXN_CALL_MARK) - 1 != TXN_CALL_DIGITS) {
			fprintf(stderr, "pktsend: message %u: marks\n", k);
			return -1;
		}
		txn.nmarks[k] = n;
		f = &txn.f[k][0];
		memset(f, 0, sizeof(*f));
		txn.sum[k] = ip_frame(&f->h, dst, IPPROTO_UDP, ulen, 0);
		f->udp.source = htons(port);
		f->udp.dest = htons(port);
		f->udp.len = htons(ulen);
		memcpy(f->payload, m, strlen(m));
		for (i = 0; i < n; i++)
			memset(f->payload + txn.mark[k][i], 0, TXN_CALL_DIGITS);
		txn.sum[k] = csum_add(txn.sum[k], &f->udp, ulen);
		for (i = 1; i < MAX_BATCH; i++)
			txn.f[k][i] = *f;
	}
	txn_digits(0, 1);
	txn.on = 1;
	return 0;
}

/* Frame @k of the run into buffer @i: its call's number, its checksum. */
static inline struct txn_frame *txn_set(unsigned long k, unsigned int i)
{
	unsigned int kind = k & 1, m, even, odd;
	struct txn_frame *f = &txn.f[kind][i];
	uint32_t sum = txn.sum[kind];

	if (k >> 1 != txn.call)
		txn_digits(k >> 1, 0);
	even = txn.even;
	odd = txn.odd_sum;
	for (m = 0; m < txn.nmarks[kind]; m++) {
		memcpy(f->payload + txn.mark[kind][m], txn.d, TXN_CALL_DIGITS);
		sum += txn.odd[kind][m] ? (odd << 8) + even : (even << 8) + odd;
	}
	f->udp.check = htons(csum_fold(sum));
	if (!f->udp.check)
		f->udp.check = 0xffff;
	return f;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Send @n frames; returns how many left, or -1 on an error. */
static long send_n(int fd, struct mmsghdr *msgs, unsigned int batch, long n)
{
	long done = 0, errors = 0;
	int r;

	while (done < n) {
		unsigned int want = n - done < batch ? n - done : batch, i;

		if (tcp.on)
			for (i = 0; i < want; i++)
				set_seq(&tcp.f[i], tcp.sum,
					tcp.next + i * TCP_STREAM_LEN);
		if (txn.on)
			for (i = 0; i < want; i++) {
				struct txn_frame *f = txn_set(txn.next + i, i);

				msgs[i].msg_hdr.msg_iov->iov_base = f;
				msgs[i].msg_hdr.msg_iov->iov_len =
					txn.len[(txn.next + i) & 1];
			}
		r = sendmmsg(fd, msgs, want, 0);
		if (r < 0) {
			if ((errno == EINTR || errno == ENOBUFS ||
			     errno == EAGAIN) && ++errors < 1000000)
				continue;
			perror("pktsend: sendmmsg");
			return -1;
		}
		done += r;
		if (tcp.on)
			tcp.next += r * TCP_STREAM_LEN;
		txn.next += r;
	}
	return done;
}

/* One frame, untimed: a SYN, the first segment or a FIN. */
static int send_one(int fd, const struct sockaddr_ll *sll,
		    const struct tcp_frame *f, size_t len)
{
	long errors = 0;

	while (sendto(fd, f, len, 0, (const struct sockaddr *)sll,
		      sizeof(*sll)) < 0) {
		if ((errno == EINTR || errno == ENOBUFS || errno == EAGAIN) &&
		    ++errors < 1000000)
			continue;
		perror("pktsend: sendto");
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: pktsend [-n COUNT] [-r REPS] [-w WARMUP] "
		"[-b BATCH] [-p PORT] [-P sip|rtp|txn] [-T follow|new] "
		"[-d DSTMAC] IFACE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned char dst[6] = { 2, 0, 0, 0, 0, 2 };
	static struct mmsghdr msgs[MAX_BATCH];
	long count = 200000, warmup = 10000, total = 0, r, segs = 0;
	unsigned int batch = 64, port = 5060, i, k, cut = 0, first = 0;
	int reps = 3, rtp = 0, pair = 0, mode = 0, opt, fd, one = 1, rep;
	/* The sequence number of the stream's first byte. */
	const uint32_t seq0 = 1000000;
	static struct iovec iovs[MAX_BATCH];
	static unsigned char payload[TCP_STREAM_LEN];
	static struct tcp_frame ctl;
	struct sockaddr_ll sll;
	static struct frame f;
	struct iovec iov;
	uint32_t sum;
	size_t len;

	while ((opt = getopt(argc, argv, "n:r:w:b:p:P:T:d:")) != -1) {
		switch (opt) {
		case 'n':
			count = atol(optarg);
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 'w':
			warmup = atol(optarg);
			break;
		case 'b':
			batch = atoi(optarg);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'P':
			if (!strcmp(optarg, "rtp"))
				rtp = 1;
			else if (!strcmp(optarg, "txn"))
				pair = 1;
			else if (strcmp(optarg, "sip"))
				usage();
			break;
		case 'T':
			if (!strcmp(optarg, "follow"))
				mode = 'f';
			else if (!strcmp(optarg, "new"))
				mode = 'n';
			else
				usage();
			break;
		case 'd':
			if (parse_mac(optarg, dst))
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || count < 1 || reps < 0 || warmup < 0 ||
	    batch < 1 || batch > MAX_BATCH || port < 1 || port > 65535 ||
	    (pair && (mode || count % 2 || warmup % 2)))
		usage();

	build(&f, dst, port, rtp);
	/* Protocol 0: the socket receives nothing. */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("pktsend: socket");
		return 1;
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one))) {
		perror("pktsend: PACKET_QDISC_BYPASS");
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = if_nametoindex(argv[optind]);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dst, 6);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "pktsend: no interface %s\n", argv[optind]);
		return 1;
	}
	iov.iov_base = &f;
	iov.iov_len = sizeof(f);
	for (i = 0; i < batch; i++) {
		msgs[i].msg_hdr.msg_name = &sll;
		msgs[i].msg_hdr.msg_namelen = sizeof(sll);
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	if (pair) {
		if (txn_init(dst, port))
			return 1;
		for (i = 0; i < batch; i++)
			msgs[i].msg_hdr.msg_iov = &iovs[i];
	}
	if (mode) {
		if (stream_init())
			return 1;
		/* follow: from the cut of a round to the same cut of the next. */
		if (mode == 'f')
			cut = stream_cut();
		for (k = 0; k < TCP_STREAM_LEN; k++)
			payload[k] = stream[(cut + k) % TCP_STREAM_LEN];
		for (i = 0; i < batch; i++) {
			len = build_tcp(&tcp.f[i], dst, port,
					TH_ACK | TH_PUSH | (mode == 'n' ? TH_FIN : 0),
					payload, TCP_STREAM_LEN, &tcp.sum);
			iovs[i].iov_base = &tcp.f[i];
			iovs[i].iov_len = len;
			msgs[i].msg_hdr.msg_iov = &iovs[i];
		}
		tcp.on = 1;
		tcp.next = seq0;
	}
	if (mode == 'f') {
		/* The SYN, then the stream from its first byte to the cut. */
		len = build_tcp(&ctl, dst, port, TH_SYN, NULL, 0, &sum);
		set_seq(&ctl, sum, seq0 - 1);
		if (send_one(fd, &sll, &ctl, len))
			return 1;
		len = build_tcp(&ctl, dst, port, TH_ACK | TH_PUSH, stream, cut,
				&sum);
		set_seq(&ctl, sum, seq0);
		if (send_one(fd, &sll, &ctl, len))
			return 1;
		total += 2;
		first = stream_msgs(0, cut);
		tcp.next = seq0 + cut;
	}

	r = send_n(fd, msgs, batch, warmup);
	if (r < 0)
		return 1;
	total += r;
	segs += r;
	for (rep = 1; rep <= reps; rep++) {
		uint64_t t0, t1;

		t0 = now_ns();
		r = send_n(fd, msgs, batch, count);
		t1 = now_ns();
		if (r < 0)
			return 1;
		total += r;
		segs += r;
		printf("batch %d %ld %llu\n", rep, r,
		       (unsigned long long)(t1 - t0));
	}
	if (mode == 'f') {
		/* The end of the connection: its flow is freed. */
		len = build_tcp(&ctl, dst, port, TH_ACK | TH_FIN, NULL, 0, &sum);
		set_seq(&ctl, sum, tcp.next);
		if (send_one(fd, &sll, &ctl, len))
			return 1;
		total++;
	}
	printf("sent %ld\n", total);
	if (pair) {
		printf("requests %ld\nresponses %ld\n", total / 2, total / 2);
		printf("frame request %zu\nframe response %zu\n", txn.len[0],
		       txn.len[1]);
	}
	if (mode) {
		printf("segment %d %u\n", TCP_STREAM_LEN,
		       stream_msgs(0, TCP_STREAM_LEN));
		printf("responses %ld\n",
		       first + segs * (long)stream_msgs(0, TCP_STREAM_LEN));
	}
	return 0;
}
