# SPDX-License-Identifier: GPL-2.0
#
# The three-namespace topology of the sipcode selftests and demo, to be
# sourced. Sets cli, fw and srv to the namespace names.
#
#   cli                         fw                            srv
#   veth0 ------------------ veth0 | veth1 ------------------ veth0
#   10.0.1.2/24      10.0.1.1/24   | 10.0.2.1/24      10.0.2.2/24
#   fd00:1::2/64     fd00:1::1/64  | fd00:2::1/64     fd00:2::2/64
#
# cli and srv route through fw, which forwards both IP versions.

topo_setup() {
	local sfx=$1 ns

	cli=sipcode-cli-$sfx
	fw=sipcode-fw-$sfx
	srv=sipcode-srv-$sfx
	for ns in $cli $fw $srv; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
	done
	ip -n $cli link add veth0 type veth peer name veth0 netns $fw &&
	ip -n $srv link add veth0 type veth peer name veth1 netns $fw || return 1
	ip -n $cli addr add 10.0.1.2/24 dev veth0
	ip -n $cli addr add fd00:1::2/64 dev veth0 nodad
	ip -n $fw addr add 10.0.1.1/24 dev veth0
	ip -n $fw addr add fd00:1::1/64 dev veth0 nodad
	ip -n $fw addr add 10.0.2.1/24 dev veth1
	ip -n $fw addr add fd00:2::1/64 dev veth1 nodad
	ip -n $srv addr add 10.0.2.2/24 dev veth0
	ip -n $srv addr add fd00:2::2/64 dev veth0 nodad
	ip -n $cli link set veth0 up
	ip -n $fw link set veth0 up
	ip -n $fw link set veth1 up
	ip -n $srv link set veth0 up
	ip -n $cli route add default via 10.0.1.1
	ip -n $cli -6 route add default via fd00:1::1
	ip -n $srv route add default via 10.0.2.1
	ip -n $srv -6 route add default via fd00:2::1
	ip netns exec $fw sysctl -qw net.ipv4.ip_forward=1
	ip netns exec $fw sysctl -qw net.ipv6.conf.all.forwarding=1
}

topo_cleanup() {
	local ns

	for ns in ${cli:-} ${fw:-} ${srv:-}; do
		ip netns del "$ns" 2>/dev/null
	done
}
