// SPDX-License-Identifier: GPL-2.0
/*
 * The tc eBPF counterpart of sipcode's count, for the benchmark: at tc
 * ingress, an IPv4 UDP datagram from or to port 5060 whose payload starts
 * "SIP/2.0 " ("SIP" in any case) and then three digits (100-699) and a
 * terminator is counted in a per-CPU array indexed by code - 100.
 *
 * Less than the module does, to be a lower bound: one port instead of a
 * port set, no leading CRLF, no IPv6, no not-counted buckets, no rules.
 *
 *   tc qdisc add dev X clsact
 *   tc filter add dev X ingress bpf da obj sipcount.bpf.o sec tc
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define SIP_PORT 5060
#define NCODES 600

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NCODES);
	__type(key, __u32);
	__type(value, __u64);
} sip_codes SEC(".maps");

static __always_inline int is_term(unsigned char c)
{
	return c == ' ' || c == '\r' || c == '\n';
}

SEC("tc")
int sip_count(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph;
	struct udphdr *uh;
	unsigned char *p;
	__u32 d0, d1, d2, idx;
	__u64 v, *count;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > end || iph->protocol != IPPROTO_UDP ||
	    (iph->frag_off & bpf_htons(0x1fff)))
		return TC_ACT_OK;
	uh = (void *)iph + iph->ihl * 4;
	if ((void *)(uh + 1) > end)
		return TC_ACT_OK;
	if (uh->source != bpf_htons(SIP_PORT) && uh->dest != bpf_htons(SIP_PORT))
		return TC_ACT_OK;
	p = (void *)(uh + 1);
	if ((void *)(p + 12) > end)
		return TC_ACT_OK;
	__builtin_memcpy(&v, p, sizeof(v));
	/* "sip/2.0 " in memory order, "SIP" lowered with one OR. */
	if ((v | 0x202020) != 0x20302e322f706973ULL)
		return TC_ACT_OK;
	d0 = p[8] - '1';
	d1 = p[9] - '0';
	d2 = p[10] - '0';
	if (d0 > 5 || d1 > 9 || d2 > 9 || !is_term(p[11]))
		return TC_ACT_OK;
	idx = d0 * 100 + d1 * 10 + d2;
	count = bpf_map_lookup_elem(&sip_codes, &idx);
	if (count)
		(*count)++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
