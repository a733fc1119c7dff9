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
 * usage: pktsend [-n COUNT] [-r REPS] [-w WARMUP] [-b BATCH]
 *                [-p PORT] [-P sip|rtp] [-T follow|new] [-d DSTMAC] IFACE
 *
 * Prints one line per timed batch, "batch REP PACKETS NS", and at the
 * end "sent TOTAL" (warm-up, SYN, first segment and FIN included): every
 * frame that left. With -T, also "segment BYTES N": the payload of a
 * timed frame and the responses that start in it, and "responses N": the
 * status lines in all the segments sent, each one response to count.
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
		"[-b BATCH] [-p PORT] [-P sip|rtp] [-T follow|new] "
		"[-d DSTMAC] IFACE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned char dst[6] = { 2, 0, 0, 0, 0, 2 };
	static struct mmsghdr msgs[MAX_BATCH];
	long count = 200000, warmup = 10000, total = 0, r, segs = 0;
	unsigned int batch = 64, port = 5060, i, k, cut = 0, first = 0;
	int reps = 3, rtp = 0, mode = 0, opt, fd, one = 1, rep;
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
	    batch < 1 || batch > MAX_BATCH || port < 1 || port > 65535)
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
	if (mode) {
		printf("segment %d %u\n", TCP_STREAM_LEN,
		       stream_msgs(0, TCP_STREAM_LEN));
		printf("responses %ld\n",
		       first + segs * (long)stream_msgs(0, TCP_STREAM_LEN));
	}
	return 0;
}
