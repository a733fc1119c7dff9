// SPDX-License-Identifier: GPL-2.0
/*
 * gsozc: send UDP GSO packets of SIP responses with MSG_ZEROCOPY while a
 * second thread flips the first digit of each response's code in the
 * very pages being sent, for the sipcode selftests (tests/harden.sh).
 * At LOCAL_OUT the payload then lies in those pages: a hook that reads
 * a datagram twice may read two different codes.
 *
 * usage: gsozc [-6] [-d SECONDS] [-g GSO_SIZE] [-k SEGS] DST DPORT
 *
 *   -d   send for SECONDS (default 10)
 *   -g   bytes of payload a datagram (default 200, at least 64)
 *   -k   datagrams a packet (default 8, at most 64)
 *
 * Each response reads "SIP/2.0 486 Busy Here", its "4" flipped to "x"
 * and back. A socket bound to DPORT on DST takes the datagrams (and is
 * never read), so that no ICMP error comes back. Prints the number of
 * datagrams the kernel accepted (each sendmsg() that succeeded, times
 * SEGS), one line on stdout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT	103
#endif
#ifndef SO_ZEROCOPY
#define SO_ZEROCOPY	60
#endif
#ifndef MSG_ZEROCOPY
#define MSG_ZEROCOPY	0x4000000
#endif

static atomic_bool stop;
static char *buf;
static int gso = 200, segs = 8;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void *flipper(void *arg)
{
	volatile char *p = (volatile char *)buf;
	int i;

	(void)arg;
	while (!atomic_load(&stop))
		for (i = 0; i < segs; i++)
			p[i * gso + 8] ^= '4' ^ 'x';
	return NULL;
}

/* Completions of zerocopy sends: read, or the socket's memory fills. */
static void drain(int fd)
{
	char ctrl[256];
	struct msghdr m = { .msg_control = ctrl };

	do
		m.msg_controllen = sizeof(ctrl);
	while (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 };
	int v6 = 0, secs = 10, one = 1, opt, fd, sink, i;
	unsigned long long sent = 0, errors = 0;
	socklen_t sl;
	pthread_t t;
	time_t end;

	while ((opt = getopt(argc, argv, "6d:g:k:")) != -1) {
		switch (opt) {
		case '6': v6 = 1; break;
		case 'd': secs = atoi(optarg); break;
		case 'g': gso = atoi(optarg); break;
		case 'k': segs = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (argc - optind != 2 || gso < 64 || gso > 1400 || segs < 1 ||
	    segs > 64)
		goto usage;
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(atoi(argv[optind + 1]));
		if (inet_pton(AF_INET6, argv[optind], &a->sin6_addr) != 1)
			goto usage;
		sl = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(atoi(argv[optind + 1]));
		if (inet_pton(AF_INET, argv[optind], &a->sin_addr) != 1)
			goto usage;
		sl = sizeof(*a);
	}

	sink = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (sink < 0 || bind(sink, (struct sockaddr *)&ss, sl))
		die("sink");
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)))
		die("SO_ZEROCOPY");
	if (setsockopt(fd, IPPROTO_UDP, UDP_SEGMENT, &gso, sizeof(gso)))
		die("UDP_SEGMENT");
	if (connect(fd, (struct sockaddr *)&ss, sl))
		die("connect");

	buf = mmap(NULL, gso * segs, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die("mmap");
	for (i = 0; i < segs; i++) {
		char *p = buf + i * gso;

		memset(p, 'x', gso);
		memcpy(p, "SIP/2.0 486 Busy Here\r\n", 23);
		p[gso - 2] = '\r';
		p[gso - 1] = '\n';
	}
	if (pthread_create(&t, NULL, flipper, NULL))
		die("pthread_create");

	end = time(NULL) + secs;
	while (time(NULL) < end) {
		if (send(fd, buf, gso * segs, MSG_ZEROCOPY) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN)
				die("send");
			errors++;
		} else {
			sent += segs;
		}
		drain(fd);
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	if (errors)
		fprintf(stderr, "gsozc: %llu sends refused (no buffer)\n",
			errors);
	printf("%llu\n", sent);
	return 0;
usage:
	fprintf(stderr,
		"usage: gsozc [-6] [-d SECONDS] [-g GSO_SIZE] [-k SEGS] DST DPORT\n");
	return 2;
}
