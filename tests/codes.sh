#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# data/sip-codes.tsv against data/iana-sip-response-codes.tsv, the IANA
# registry of SIP response codes (data/README says which version): the
# table holds every registered code with the registry's RFC and reason
# phrase (the registry's " (Deprecated)" mark aside), and no other code
# but those of RFC 2543 that later RFCs dropped, 409 and 411. On the
# host; TAP output.
#
# usage: tests/codes.sh [CODES_TSV [IANA_TSV]]

top=$(cd "$(dirname "$0")/.." && pwd)
codes=${1:-$top/data/sip-codes.tsv}
iana=${2:-$top/data/iana-sip-response-codes.tsv}
ntest=0
nfail=0

echo "TAP version 13"
# check NAME GOT WANT
check() {
	ntest=$((ntest + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $ntest - $1"
	else
		nfail=$((nfail + 1))
		echo "not ok $ntest - $1"
		diff <(echo "$3") <(echo "$2") | sed 's/^/# /'
	fi
}

# code<TAB>reason<TAB>rfc of each file, by code.
table=$(tail -n +2 "$codes" | cut -f 1,3,4 | sort)
registry=$(tail -n +2 "$iana" | sed 's/ (Deprecated)\t/\t/' | sort)

check "the IANA reference is read" "$([ "$(echo "$registry" | grep -c .)" -ge 70 ] &&
	echo yes)" yes
check "every registered code, with its reason and RFC, and no other" \
	"$(echo "$table" | grep -Pv '\tRFC 2543$')" "$registry"
check "the codes outside the registry: RFC 2543's 409 and 411" \
	"$(echo "$table" | grep -P '\tRFC 2543$' | cut -f 1,3 | tr '\t\n' ': ')" \
	"409:RFC 2543 411:RFC 2543 "
# The module's peers count these codes each on its own (kmod/peers.c).
check "the codes with a peer column of their own are the table's codes" \
	"$(sed -n '/^static const u16 sipcode_peer_codes\[\] = {$/,/^};$/p' \
		"$top/kmod/peers.c" | grep -o '[0-9]\{3\}' | sort | tr '\n' ' ')" \
	"$(tail -n +2 "$codes" | cut -f 1 | sort | tr '\n' ' ')"
echo "1..$ntest"
[ $nfail = 0 ]
