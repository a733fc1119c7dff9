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
 * usage: pktsend [-n COUNT] [-r REPS] [-w WARMUP] [-b BATCH]
 *                [-p PORT] [-P sip|rtp] [-d DSTMAC] IFACE
 *
 * Prints one line per timed batch, "batch REP PACKETS NS", and at the
 * end "sent TOTAL" (warm-up included): every frame that left.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../tests/bench/response.h"

#define MAX_BATCH 256

/* The response of tests/bench/bench_parser.c: a 316-byte frame. */
static const char sip_payload[] = BENCH_SIP_RESPONSE;

/* An RTP header (version 2, PCMU), then silence: as long as sip_payload. */
static const unsigned char rtp_header[12] = {
	0x80, 0x00, 0x1c, 0x2d, 0x00, 0x01, 0xe2, 0x40,
	0x5e, 0xc0, 0xde, 0x01,
};

struct frame {
	unsigned char eth[ETH_HLEN];
	struct iphdr ip;
	struct udphdr udp;
	unsigned char payload[sizeof(sip_payload) - 1];
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

static void build(struct frame *f, const unsigned char *dst, uint16_t port,
		  int rtp)
{
	static const unsigned char src[6] = { 2, 0, 0, 0, 0, 1 };
	uint16_t ulen = sizeof(f->udp) + sizeof(f->payload);
	uint32_t sum;

	memset(f, 0, sizeof(*f));
	memcpy(f->eth, dst, 6);
	memcpy(f->eth + 6, src, 6);
	f->eth[12] = ETH_P_IP >> 8;
	f->eth[13] = ETH_P_IP & 0xff;
	f->ip.version = 4;
	f->ip.ihl = 5;
	f->ip.tot_len = htons(sizeof(f->ip) + ulen);
	f->ip.id = htons(1);
	f->ip.ttl = 64;
	f->ip.protocol = IPPROTO_UDP;
	f->ip.saddr = inet_addr("10.0.0.1");
	f->ip.daddr = inet_addr("10.9.9.9");
	f->ip.check = htons(csum_fold(csum_add(0, &f->ip, sizeof(f->ip))));
	f->udp.source = htons(port);
	f->udp.dest = htons(port);
	f->udp.len = htons(ulen);
	if (rtp)
		memcpy(f->payload, rtp_header, sizeof(rtp_header));
	else
		memcpy(f->payload, sip_payload, sizeof(f->payload));
	/* Pseudo-header, header and payload. */
	sum = csum_add(0, &f->ip.saddr, 8);
	sum += IPPROTO_UDP + ulen;
	sum = csum_add(sum, &f->udp, ulen);
	f->udp.check = htons(csum_fold(sum));
	if (!f->udp.check)
		f->udp.check = 0xffff;
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
		unsigned int want = n - done < batch ? n - done : batch;

		r = sendmmsg(fd, msgs, want, 0);
		if (r < 0) {
			if ((errno == EINTR || errno == ENOBUFS ||
			     errno == EAGAIN) && ++errors < 1000000)
				continue;
			perror("pktsend: sendmmsg");
			return -1;
		}
		done += r;
	}
	return done;
}

static void usage(void)
{
	fprintf(stderr, "usage: pktsend [-n COUNT] [-r REPS] [-w WARMUP] "
		"[-b BATCH] [-p PORT] [-P sip|rtp] [-d DSTMAC] IFACE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned char dst[6] = { 2, 0, 0, 0, 0, 2 };
	static struct mmsghdr msgs[MAX_BATCH];
	long count = 200000, warmup = 10000, total = 0, r;
	unsigned int batch = 64, port = 5060, i;
	int reps = 3, rtp = 0, opt, fd, one = 1, rep;
	struct sockaddr_ll sll;
	static struct frame f;
	struct iovec iov;

	while ((opt = getopt(argc, argv, "n:r:w:b:p:P:d:")) != -1) {
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

	r = send_n(fd, msgs, batch, warmup);
	if (r < 0)
		return 1;
	total += r;
	for (rep = 1; rep <= reps; rep++) {
		uint64_t t0, t1;

		t0 = now_ns();
		r = send_n(fd, msgs, batch, count);
		t1 = now_ns();
		if (r < 0)
			return 1;
		total += r;
		printf("batch %d %ld %llu\n", rep, r,
		       (unsigned long long)(t1 - t0));
	}
	printf("sent %ld\n", total);
	return 0;
}
