// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/sipparse.c. The parser gets a buffer of
 * exactly the window it may read, and its answer is checked against a
 * byte-at-a-time reading of the definition in sipparse.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipparse.h"
#include "sipref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int len = size < SIP_PARSE_WINDOW ? size : SIP_PARSE_WINDOW;
	unsigned char *buf = malloc(len);
	int ret, want;

	if (!buf && len)
		abort();
	if (len)
		memcpy(buf, data, len);
	ret = sip_parse_status(buf, len, size);
	want = ref_classify(buf, len, size);
	free(buf);

	if (!(ret >= SIPCODE_CODE_MIN && ret <= SIPCODE_CODE_MAX) &&
	    ret != SIP_PARSE_NOT_RESPONSE && ret != SIP_PARSE_MALFORMED &&
	    ret != SIP_PARSE_TRUNCATED && ret != SIP_PARSE_KEEPALIVE) {
		fprintf(stderr, "sip_parse_status: invalid result %d\n", ret);
		abort();
	}
	if (ret != want) {
		fprintf(stderr, "sip_parse_status: %d, want %d\n", ret, want);
		abort();
	}
	return 0;
}
