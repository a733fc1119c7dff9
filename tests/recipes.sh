#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode selftest: the nftables recipes of examples/, with SIP peers
# (sipp) on the topology of tests/lib.sh, fw running sipcode and the
# recipe:
#   - scanner-ban.nft: a scanner in cli (10.0.1.2) draws 404s from srv
#     and is banned; each of its requests is either answered or dropped
#     by the ban, later ones all dropped; a user (10.0.1.3) who draws a
#     few 404s is not banned, and its 200s flow throughout; the ban
#     (shortened here) expires and the scanner is answered again;
#   - trunk-503.nft: two trunks in srv (10.0.2.2, 10.0.2.3) answer 503;
#     fw counts the first one's 503s exactly as sipcode marks them and
#     lets a few through, while the other's all pass.
#
# Needs root, sipp and nft; loads the module from $KO. Exits 4 (skip)
# when a requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
test_init
require sipp nft
load_module
check "insmod" "$?" 0
topo_setup $$ || skip_all "cannot build the namespaces"
ip -n $cli addr add 10.0.1.3/24 dev veth0
ip -n $srv addr add 10.0.2.3/24 dev veth0
cd "$tmp" || exit 1

# uas ADDR PORT CODE REASON: sipp in srv, answering each OPTIONS to
# ADDR:PORT with CODE REASON.
uas() {
	sed "s/@CODE@/$3/; s/@REASON@/$4/" "$top/tests/sipp/answer-uas.xml" \
		>"uas-$1-$2.xml"
	ip netns exec $srv sipp -sf "uas-$1-$2.xml" -i "$1" -p "$2" -nostdin \
		-nr >/dev/null 2>&1 &
	bg_add $!
	slowwait 30 listening "$1" "$2"
}
listening() { ip netns exec $srv ss -Hunl | grep -q " $1:$2 "; }
uas_stop() {
	local p

	for p in $bg; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	bg=
}
# probe FROM PORT TO:PORT N: sipp in cli sends N OPTIONS (100 a second),
# each once, from FROM:PORT, as a scanner would, and waits for the last
# answer or a second.
probe() {
	ip netns exec $cli sipp -sf "$top/tests/sipp/options-uac.xml" \
		-key ua friendly-scanner -i "$1" -p "$2" "$3" -m "$4" -r 100 \
		-nr -nostdin -timeout 60s >/dev/null 2>&1
	# Each call ends on an answer or after a second without one.
	[ $? -le 1 ]
}
seen() { ctl "$1" stats -j | jq "[.codes[] | select(.code == $2) | .seen] | add // 0"; }
marked() { ctl "$1" stats -j | jq "[.codes[] | select(.code == $2) | .marked] | add // 0"; }
banned() {
	ip netns exec $fw nft -j list set inet sipcode_scanners banned4 |
		jq -r '[.nftables[].set.elem // empty | .[] |
			if type == "object" then .elem.val else . end] | join(" ")'
}
unbanned() { [ -z "$(banned)" ]; }
counter() {
	ip netns exec $fw nft -j list counter inet "$1" "$2" |
		jq '[.nftables[].counter.packets // empty] | add'
}

# --- scanner-ban.nft -------------------------------------------------------------
# Long enough for the probes while banned, in a slow guest too.
BAN_S=45
for ns in $fw $cli; do ctl $ns ports set 5060,5070; done
for c in 401 403 404; do ctl $fw rule add $c mark 0x100/0xf00; done
sed "s/timeout 10m/timeout ${BAN_S}s/" "$top/examples/scanner-ban.nft" >scanner-ban.nft
ip netns exec $fw nft -f scanner-ban.nft
check "scanner-ban.nft loads (ban shortened to $BAN_S s)" "$?" 0
ip netns exec $fw nft -f scanner-ban.nft
check "and loads again, replacing its table" "$?" 0
uas 10.0.2.2 5060 404 "Not Found"
check "a server answering 404 on 5060" "$?" 0
uas 10.0.2.2 5070 200 OK
check "and one answering 200 on 5070" "$?" 0

probe 10.0.1.3 5064 10.0.2.2:5060 3 && probe 10.0.1.3 5064 10.0.2.2:5070 20
check "a user: 3 requests answered 404 and 20 answered 200" \
	"$(seen $cli 404) $(seen $cli 200)" "3 20"
check "a user who draws 3 404s is not banned" "$(banned)" ""

probe 10.0.1.2 5062 10.0.2.2:5060 40
check "a scanner drawing 404s is banned" "$(banned)" "10.0.1.2"
answered=$(($(seen $fw 404) - 3))
dropped=$(counter sipcode_scanners dropped)
check "each of the scanner's 40 requests answered or dropped ($answered answered, $dropped dropped)" \
	"$((answered + dropped))" 40
check "every answer ($answered) reached the scanner, marked in fw" \
	"$(seen $cli 404) $(marked $fw 404)" "$((answered + 3)) $((answered + 3))"
# The limit's burst passes; the 11th answer, over it, bans and passes
# itself, as do the answers to requests already past fw.
if [ "$answered" -ge 11 ] && [ "$dropped" -ge 1 ]; then
	ok "the limit let its burst of 10 and the 11th through, then the ban dropped"
else
	not_ok "the limit let its burst of 10 and the 11th through, then the ban dropped" \
		"$answered answered, $dropped dropped"
fi

probe 10.0.1.2 5062 10.0.2.2:5070 5
probe 10.0.1.3 5064 10.0.2.2:5070 10
check "while banned: the scanner's requests dropped, the user's answered" \
	"$(counter sipcode_scanners dropped) $(seen $cli 200)" "$((dropped + 5)) 30"
check_wait "the ban expires after $BAN_S s" $((BAN_S * 2 + 10)) unbanned
probe 10.0.1.2 5062 10.0.2.2:5070 1
check "after the ban the scanner is answered again" "$(seen $cli 200)" 31
ip netns exec $fw nft delete table inet sipcode_scanners
uas_stop

# --- trunk-503.nft -------------------------------------------------------------------
ctl $fw rule flush
ctl $fw rule add 503 mark 0x200/0xf00
sed "s/^define TRUNK = .*/define TRUNK = 10.0.2.2/" "$top/examples/trunk-503.nft" >trunk-503.nft
ip netns exec $fw nft -f trunk-503.nft
check "trunk-503.nft loads (TRUNK 10.0.2.2)" "$?" 0
reset_all
uas 10.0.2.2 5060 503 "Service Unavailable" &&
	uas 10.0.2.3 5060 503 "Service Unavailable"
check "two trunks answering 503" "$?" 0
probe 10.0.1.2 5062 10.0.2.2:5060 60
probe 10.0.1.3 5064 10.0.2.3:5060 30
check "sipcode in fw: the 90 503s seen and marked" \
	"$(seen $fw 503) $(marked $fw 503)" "90 90"
check "the recipe counts the trunk's 60 503s exactly" \
	"$(counter sipcode_trunk trunk_503)" 60
dropped=$(counter sipcode_trunk trunk_503_dropped)
check "what was not dropped of them ($dropped dropped) reached cli, and all of the other trunk's" \
	"$(seen $cli 503)" "$((90 - dropped))"
if [ "$dropped" -ge 1 ] && [ "$((60 - dropped))" -ge 5 ]; then
	ok "the storm limited: $((60 - dropped)) of 60 let through, at least the burst"
else
	not_ok "the storm limited, at least the burst let through" "$dropped of 60 dropped"
fi
uas_stop

test_unload
finish
