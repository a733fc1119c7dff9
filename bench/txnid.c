// SPDX-License-Identifier: GPL-2.0
/*
 * The parsing share of the transaction rows of `make bench`, for
 * callgrind: sip_txn_id() of kmod/siptxn.c, compiled for userspace, on
 * the INVITE or the 200 OK that pktsend -P txn sends (bench/txnpair.h),
 * N times, each whole message given as the module gives a linear UDP
 * payload. Exits 1 if the two have not the same key.
 *
 *   txnid N invite|ok     (make -C bench txnid runs it under callgrind)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siptxn.h"
#include "txnpair.h"

/* Not static, for callgrind's --toggle-collect. */
unsigned long long txn_key(const unsigned char *p, unsigned int len);
__attribute__((noinline))
unsigned long long txn_key(const unsigned char *p, unsigned int len)
{
	struct sip_txn_id id;

	if (sip_txn_id(p, len, &id))
		return 0;
	return id.key ^ id.method;
}

/* @m with call 1's number over its marks, at @buf. */
static unsigned int txn_msg(const char *m, unsigned char *buf)
{
	unsigned int len = strlen(m);
	unsigned char *at;

	memcpy(buf, m, len);
	for (at = buf; (at = memmem(at, buf + len - at, TXN_CALL_MARK,
				    TXN_CALL_DIGITS));)
		memcpy(at, "00000001", TXN_CALL_DIGITS);
	return len;
}

int main(int argc, char **argv)
{
	static unsigned char req[sizeof(TXN_INVITE)], ok[sizeof(TXN_OK)];
	unsigned int req_len, ok_len, len;
	unsigned long long sum = 0;
	const unsigned char *p;
	unsigned long n, k;

	if (argc != 3 || (strcmp(argv[2], "invite") && strcmp(argv[2], "ok"))) {
		fprintf(stderr, "usage: txnid N invite|ok\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	req_len = txn_msg(TXN_INVITE, req);
	ok_len = txn_msg(TXN_OK, ok);
	if (!txn_key(req, req_len) || txn_key(req, req_len) != txn_key(ok, ok_len)) {
		fprintf(stderr, "txnid: no key, or not the same for both\n");
		return 1;
	}
	p = strcmp(argv[2], "ok") ? req : ok;
	len = strcmp(argv[2], "ok") ? req_len : ok_len;
	for (k = 0; k < n; k++)
		sum += txn_key(p, len);
	printf("%llx\n", sum);
	return 0;
}
