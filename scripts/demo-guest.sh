#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside a scripts/vm.sh guest: load sipcode, build the
# namespaces of tests/topo.sh, place SIP calls with sipp from cli to srv
# through fw, add a burst of failure responses, and show what fw
# counted next to tshark's count of the same traffic. Exits 0 when
# sipcode and tshark agree on every code, 1 when they differ or the demo
# fails.
#
# DEMO_SKEW=CODE (tests/demo.sh only): one packet of CODE added to
# tshark's count before the comparison, so that they differ.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
CTL=$top/user/sipcodectl
. "$top/tests/lib.sh" >/dev/null

insmod "$top/build/$(uname -r)/kmod/sipcode.ko" all_netns=1
topo_setup demo
work=$(mktemp -d)
# Cleans up and keeps the demo's status (set -e is off here: a failing
# kill, no job being left, would end the trap with its own status).
cleanup() {
	local rc=$?

	set +e
	pids=$(jobs -p)
	[ -z "$pids" ] || kill $pids 2>/dev/null
	topo_cleanup
	rm -rf "$work"
	# Not 0 when the demo failed, whatever the command that failed.
	[ "$rc" = 0 ] || rc=1
	exit "$rc"
}
trap cleanup EXIT
cd "$work"

ip netns exec "$fw" tcpdump -q -i veth1 -w sip.pcap udp port 5060 2>/dev/null &
tcpdump=$!
sleep 1

echo "demo: 40 calls with sipp (INVITE, 100, 180, 200, ACK, BYE, 200)"
ip netns exec "$srv" sipp -sn uas -i 10.0.2.2 -p 5060 -nostdin \
	-timeout 120s >/dev/null 2>&1 &
uas=$!
sleep 1
ip netns exec "$cli" sipp -sn uac 10.0.2.2:5060 -i 10.0.1.2 -p 5060 \
	-m 40 -r 10 -l 20 -nostdin -timeout 120s >/dev/null 2>&1 ||
	echo "demo: sipp uac exited $?"
kill $uas
wait $uas 2>/dev/null || true

echo "demo: failure responses from srv: 486, 480, 503, 404, 403, 487, 603"
ip netns exec "$srv" python3 "$top/tests/sipgen.py" send 10.0.1.2 5060 486*12 480*7 503*25 \
	404*5 403*3 487*9 603*4 req*3 >/dev/null
ip netns exec "$srv" python3 "$top/tests/sipgen.py" send -6 fd00:1::2 5060 486*3 200*5 \
	>/dev/null
sleep 1
kill $tcpdump
wait $tcpdump 2>/dev/null || true

echo
echo "# ip netns exec fw sipcodectl stats"
ip netns exec "$fw" "$CTL" stats
echo
echo "# tshark -q -z sip,stat on the same traffic (captured on fw's veth1):"
tshark -r sip.pcap -q -z sip,stat 2>/dev/null | grep -E '^ *SIP [0-9]{3} '
ts=$(tshark -r sip.pcap -q -z sip,stat 2>/dev/null |
	sed -n 's/^ *SIP \([0-9]\{3\}\) .*: *\([0-9]*\) Packets/\1:\2/p' | sort)
if [ -n "${DEMO_SKEW:-}" ]; then
	echo "demo: DEMO_SKEW=$DEMO_SKEW: one $DEMO_SKEW more in tshark's count"
	ts=$(echo "$ts" | awk -F: -v c="$DEMO_SKEW" '$1 == c { $2++; f = 1 }
		{ print $1 ":" $2 } END { if (!f) print c ":1" }' | sort)
fi
sc=$(ip netns exec "$fw" "$CTL" stats -j | jq -r '.codes[] | "\(.code):\(.seen)"')
if [ "$ts" = "$sc" ]; then
	echo "demo: sipcode and tshark agree on every code"
else
	echo "demo: sipcode and tshark differ:"
	diff <(echo "$sc") <(echo "$ts") || true
	exit 1
fi
