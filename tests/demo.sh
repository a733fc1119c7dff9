#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo's exit status, as root in a scripts/vm.sh guest: the demo
# (scripts/demo-guest.sh) exits 0 when sipcode and tshark agree on every
# code, and 1 when they differ, here made to differ by DEMO_SKEW (one
# packet more in tshark's count). TAP output.
#
#   scripts/vm.sh -k 6.12 -- tests/demo.sh

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"

require tcpdump tshark sipp
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# demo SKEW: the demo's exit status on stdout, its output in $out.
demo() {
	lsmod | grep -q '^sipcode ' && rmmod sipcode
	DEMO_SKEW=$1 "$top/scripts/demo-guest.sh" >"$out" 2>&1
	echo $?
}

# has NAME REGEX: ok if a line of the demo's output matches REGEX.
has() {
	if grep -qE "$2" "$out"; then
		ok "$1"
	else
		not_ok "$1" "no line matches: $2" "the demo's output, last lines:"
		tail -n 15 "$out" | sed 's/^/# /'
	fi
}

rc=$(demo "")
check "demo: exit status 0 when sipcode and tshark agree" "$rc" 0
has "demo: says they agree" '^demo: sipcode and tshark agree on every code$'

rc=$(demo 486)
check "demo: exit status 1 when they differ (DEMO_SKEW=486)" "$rc" 1
has "demo: says they differ" '^demo: sipcode and tshark differ:$'
has "demo: shows the skewed count of 486 (15 sent, 16 said)" '^> 486:16$'

lsmod | grep -q '^sipcode ' && rmmod sipcode
finish
