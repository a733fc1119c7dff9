#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcodectl's command line: the option forms getopt takes, and one
# clear line naming what is wrong for each bad argument. Runs on the
# host without the module (the module is never loaded by these: every
# command here fails before it asks the kernel, or is refused for lack
# of it). As root with the module at $KO, it also checks the messages
# that need the kernel: privileges, tables off, the monitor's summary.
# TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
[ -x "$CTL" ] || skip_all "no sipcodectl at $CTL (make user)"

# usage NAME WANT-REGEX ARGS...: exit 2 and one line matching WANT-REGEX.
usage() {
	local name=$1 want=$2 err rc

	shift 2
	err=$("$CTL" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc = 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] &&
		[[ $err =~ $want ]]; then
		ok "$name ($err)"
	else
		not_ok "$name: exit 2, one line matching '$want'" "exit $rc: $err"
	fi
}

usage "rule add: the extra word is blamed" '^sipcodectl: rule add: unexpected argument "extra"$' \
	rule add 503 drop notify extra
usage "rule add: a second action is named" '^sipcodectl: rule add: two actions: "drop" and "count"$' \
	rule add 503 drop count
usage "rule add: an invalid mark is named" '^sipcodectl: rule add: invalid mark "-1"' \
	rule add 503 mark -1
usage "rule add: an invalid match has the prefix" '^sipcodectl: rule add: invalid match "7xx"' \
	rule add 7xx drop
usage "rule add: an unknown action" '^sipcodectl: rule add: unknown action "reject"' \
	rule add 503 reject
usage "ports set: an invalid port has the prefix" '^sipcodectl: ports set: invalid port "0"' \
	ports set 0
usage "ports add: no port" '^sipcodectl: ports add: no port given$' ports add
usage "ports del: an invalid port has the prefix" '^sipcodectl: ports del: invalid port "0"' \
	ports del 0
usage "rule delete: as rule del" '^sipcodectl: rule del: no match given$' rule delete
usage "rule add: an invalid peer name is named" \
	'^sipcodectl: rule add: invalid peer name "a b": 1 to 31 letters, digits and -_.:@$' \
	rule add 503 peer "a b" drop
usage "rule add: a peer name of 32 bytes" '^sipcodectl: rule add: invalid peer name "a{32}"' \
	rule add 503 peer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
usage "rule add: peer without a name" '^sipcodectl: rule add: peer needs NAME$' rule add 503 peer
usage "rule add: peer given twice" '^sipcodectl: rule add: peer given twice$' \
	rule add 503 peer A peer B drop
usage "rule add: peer given twice, the second after the action" \
	'^sipcodectl: rule add: peer given twice$' rule add 503 peer A drop notify peer A
usage "rule add: the word after the peer's name is blamed" \
	'^sipcodectl: rule add: unknown action "CARRIER-B"' rule add 503 peer CARRIER-A CARRIER-B
usage "rule del: an invalid peer name is named" \
	'^sipcodectl: rule del: invalid peer name "a/b": 1 to 31 letters, digits and -_.:@$' \
	rule del 5xx peer a/b
usage "rule del: peer without a name" '^sipcodectl: rule del: peer needs NAME$' rule del 503 peer
usage "rule del: peer given twice" '^sipcodectl: rule del: peer given twice$' \
	rule del 480-489 peer A peer A
usage "rule del: the word after the peer's name is blamed" \
	'^sipcodectl: rule del: unexpected argument "drop"$' rule del 503 peer A drop
usage "rule del: an action is no part of it" '^sipcodectl: rule del: unexpected argument "drop"$' \
	rule del 503 drop
usage "peer add: a prefix past /32 is named" \
	'^sipcodectl: peer add: invalid prefix "192.0.2.0/33": IPv4 ADDR\[/0-32\] or IPv6 ADDR\[/0-128\]$' \
	peer add CARRIER-A 192.0.2.0/33
usage "peer add: host bits set, the prefix suggested" \
	'^sipcodectl: peer add: prefix "192.0.2.1/24" has host bits set \(192.0.2.0/24\?\)$' \
	peer add CARRIER-A 192.0.2.1/24
usage "peer add: IPv6 host bits, the prefix in its canonical form" \
	'^sipcodectl: peer add: prefix "2001:DB8:a::1/48" has host bits set \(2001:db8:a::/48\?\)$' \
	peer add CARRIER-A 2001:DB8:a::1/48
usage "peer add: an invalid name is named" \
	'^sipcodectl: peer add: invalid name "a b": 1 to 31 letters, digits and -_.:@$' \
	peer add "a b" 192.0.2.0/24
usage "peer add: a name of 32 bytes" '^sipcodectl: peer add: invalid name "a{32}"' \
	peer add aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 192.0.2.0/24
usage "peer add: no prefix" '^sipcodectl: peer add: no prefix given$' peer add CARRIER-A
usage "peer add: a prefix given twice, in two forms" \
	'^sipcodectl: peer add: prefix "2001:0db8::/32" given twice$' \
	peer add CARRIER-A 2001:db8::/32 192.0.2.0/24 2001:0db8::/32
usage "peer add: an address alone is /32, given twice" \
	'^sipcodectl: peer add: prefix "192.0.2.7/32" given twice$' \
	peer add PBX 192.0.2.7 192.0.2.7/32
usage "peer add: an IPv6 zone is no prefix" '^sipcodectl: peer add: invalid prefix "fe80::1%eth0"' \
	peer add PBX fe80::1%eth0
usage "peer del: the extra word is blamed" '^sipcodectl: peer del: unexpected argument "x"$' \
	peer del CARRIER-A x
usage "peer delete: as peer del" '^sipcodectl: peer del: no name given$' peer delete
usage "peer flush: no argument" '^sipcodectl: peer flush: unexpected argument "x"$' peer flush x
usage "peer: an unknown subcommand" '^sipcodectl: peer: unknown subcommand "set"$' peer set
usage "p: ports or peer" '^sipcodectl: ambiguous command "p"' p
usage "restore -c: a peer the file adds twice, on its line" \
	'^sipcodectl: stdin:3: peer add A: a peer A exists \(added on line 2\)$' restore -c - \
	< <(printf 'peer flush\npeer add A 192.0.2.0/24\npeer add A 198.51.100.0/24\n')
usage "restore -c: a prefix of two peers, named with its peer" \
	'^sipcodectl: stdin:2: peer add B: prefix 2001:db8::/32 belongs to peer A \(added on line 1\)$' \
	restore -c - < <(printf 'peer add A 2001:db8::/32\npeer add B 10.0.0.0/8 2001:0db8::/32\n')
usage "restore -c: a peer deleted after peer flush" \
	'^sipcodectl: stdin:2: peer del A: no such peer$' restore -c - < <(printf 'peer flush\npeer del A\n')
usage "restore -c: a rule of a peer after peer flush, without the peer" \
	'^sipcodectl: stdin:2: rule add 503 peer A: no peer named A$' restore -c - \
	< <(printf 'peer flush\nrule add 503 peer A drop\n')
usage "restore -c: a peer's rule added twice, named with its peer and line" \
	'^sipcodectl: stdin:3: rule add 503 peer A: a rule for 503 peer A exists \(added on line 2\)$' \
	restore -c - < <(printf 'peer add A 192.0.2.0/24\nrule add 503 peer A drop\nrule add 503 peer A count\n')
usage "restore -c: two ranges of a peer that overlap" \
	'^sipcodectl: stdin:3: rule add 485-499 peer A: overlaps range 480-489 peer A \(added on line 2\)$' \
	restore -c - < <(printf 'peer add A 192.0.2.0/24\nrule add 480-489 peer A drop\nrule add 485-499 peer A count\n')
usage "restore -c: peer del of a peer the file gave rules" \
	'^sipcodectl: stdin:3: peer del A: it has rules; delete them first \(a rule added on line 2\)$' \
	restore -c - < <(printf 'peer add A 192.0.2.0/24\nrule add 5xx peer A drop\npeer del A\n')
usage "restore -c: peer flush while a peer has rules, the peer named" \
	'^sipcodectl: stdin:4: peer flush: B has rules; delete them first \(a rule added on line 3\)$' \
	restore -c - < <(printf 'peer add A 192.0.2.0/24\npeer add B 198.51.100.0/24\nrule add 5xx peer B drop\npeer flush\n')
usage "restore -c: a peer's rule deleted after rule flush" \
	'^sipcodectl: stdin:2: rule del 503 peer A: no such rule$' \
	restore -c - < <(printf 'rule flush\nrule del 503 peer A\n')
usage "restore -c: a rule of a 65th peer" \
	'^sipcodectl: stdin:131: rule add 503 peer P65: too many peers with rules: at most 64$' \
	restore -c - < <(echo 'peer flush'; for i in $(seq 65); do
		echo "peer add P$i 10.0.$i.0/24"; echo "rule add 503 peer P$i drop"; done)
err=$("$CTL" restore -c - 2>&1 < <(printf '%s\n' 'rule flush' 'rule add 5xx drop' \
	'rule add 480-489 mark 0x10' 'peer flush' 'peer add A 192.0.2.0/24' \
	'peer add -x 198.51.100.7' 'rule add 503 peer A mark 0x20/0xff notify' \
	'rule add 480-489 peer A count' 'rule add 5xx peer -x count' 'rule del 5xx peer -x' \
	'rule add 4xx peer -x drop' 'rule flush' 'peer del A'))
check "restore -c: peers' rules as save writes them, a range as the global one, a peer -x, peer del after rule flush" \
	"$? $err" "0 "
usage "restore -c: peer list prints" \
	'^sipcodectl: stdin:1: peer list: prints the configuration: not in a file$' \
	restore -c - < <(printf 'peer list\n')
err=$("$CTL" restore -c - 2>&1 < <(printf '%s\n' 'peer flush' \
	'peer add A 192.0.2.0/24 2001:db8:a::/48' 'peer add -x 198.51.100.7' \
	'peer add B 192.0.2.128/25' 'peer del A' 'peer add A 192.0.2.0/24'))
check "restore -c: peers, a name that starts with -, a prefix inside another's, a peer added again after its del" \
	"$? $err" "0 "
usage "an ambiguous abbreviation is named" '^sipcodectl: ambiguous command "ex"' ex 404
usage "st abbreviates stats" '^sipcodectl: stats: unknown subcommand "x"' st x
usage "-n needs its value" '^sipcodectl: -n needs a NETNS' -n
usage "restore -c: ports del of a port the file did not set" \
	'^sipcodectl: stdin:3: ports del: port 5080 is not inspected$' restore -c - \
	< <(printf 'ports set 5060,5070\nports del 5060\nports del 5080\n')
err=$("$CTL" -n sipcode-none stats 2>&1)
check "-n of no namespace: exit 1, one line naming it" "$? $err" \
	"1 sipcodectl: netns sipcode-none: No such file or directory"
usage "config transactions-max 10: the range is named" \
	'^sipcodectl: config: invalid transactions-max "10": 64 to 1048576 transactions$' \
	config transactions-max 10
usage "config transactions-max: the value is missing" \
	'^sipcodectl: config: transactions-max needs a value: 64 to 1048576 transactions$' \
	config transactions on transactions-max
usage "config transactions maybe: on or off" \
	'^sipcodectl: config: invalid transactions "maybe": on or off$' \
	config transactions maybe
usage "config relayed 1: on or off" '^sipcodectl: config: invalid relayed "1": on or off$' \
	config relayed 1
usage "config relayed: the value is missing" '^sipcodectl: config: relayed needs a value: on or off$' \
	config transactions on relayed
usage "config relayed given twice" '^sipcodectl: config: relayed given twice$' \
	config relayed on transactions off relayed off
usage "config: an unknown setting lists the keys" \
	'^sipcodectl: config: unknown setting "txn": dry-run, by-method, reasons, event-rate, transactions, transactions-max or relayed$' \
	config txn on
usage "restore -c: a bad relayed, on its line" \
	'^sipcodectl: stdin:2: config: invalid relayed "yes": on or off$' \
	restore -c - < <(printf 'ports set 5060\nconfig transactions on relayed yes\n')
err=$("$CTL" restore -c - 2>&1 < <(printf '%s\n' 'ports set 5060' 'dry-run off' \
	'config by-method off reasons off event-rate 100 transactions off transactions-max 65536 relayed on' \
	'rule flush' 'peer flush' 'config relayed off' 'config relayed on'))
check "restore -c: relayed as save writes it, then off and on again" "$? $err" "0 "
usage "restore -c: transactions-max past its range, on its line" \
	'^sipcodectl: stdin:2: config: invalid transactions-max "1048577": 64 to 1048576 transactions$' \
	restore -c - < <(printf 'ports set 5060\nconfig transactions on transactions-max 1048577\n')
err=$("$CTL" restore -c - 2>&1 \
	< <(printf 'ports set 5060\nconfig transactions on transactions-max 64\nconfig transactions off transactions-max 1048576\n'))
check "restore -c: transactions and transactions-max at their bounds" "$? $err" "0 "
usage "stats -w abc: the interval is named" '^sipcodectl: stats: invalid interval "abc"' \
	stats -w abc
usage "stats --watch=abc: the interval is named" '^sipcodectl: stats: invalid interval "abc"' \
	stats --watch=abc
usage "stats --by-method abc: the match is named" '^sipcodectl: stats --by-method: invalid match "abc"' \
	stats --by-method abc
usage "stats -ajn 3: -a, -j and -n 3 taken" '^sipcodectl: stats: -n needs -w$' stats -ajn 3
usage "stats -ajn: -n is the option without a value" '^sipcodectl: stats: -n needs a value$' \
	stats -ajn
usage "stats -w2 -j: -w2 taken" '^sipcodectl: stats: -w prints the table: not with -j' \
	stats -w2 -j
usage "stats --watch=2 --count=1 -o json: all taken" '^sipcodectl: stats: -w prints the table: not with -j or -o json$' \
	stats --watch=2 --count=1 -o json
usage "stats --delays 5xx: no match" '^sipcodectl: stats --delays: unexpected argument "5xx"$' \
	stats --delays 5xx
usage "stats --delays -w: the table once" \
	'^sipcodectl: stats: --delays prints a table or JSON: not with -w$' stats --delays -w 2
usage "stats --delays --by-method: conflict" \
	'^sipcodectl: stats: --delays and --by-method conflict$' stats --delays --by-method
usage "stats --kpi PEER: a second word is blamed" \
	'^sipcodectl: stats --kpi: unexpected argument "CARRIER-B"$' stats --kpi CARRIER-A CARRIER-B
usage "stats --kpi: an invalid name is named" \
	'^sipcodectl: stats --kpi: invalid name "a b": 1 to 31 letters, digits and -_.:@$' \
	stats --kpi "a b"
usage "stats --kpi=: an empty name" '^sipcodectl: stats --kpi: invalid name "": ' stats --kpi=
usage "stats --kpi: a name of 32 bytes" '^sipcodectl: stats --kpi: invalid name "a{32}"' \
	stats --kpi aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
usage "stats --kpi: peer given twice" '^sipcodectl: stats --kpi: peer given twice$' \
	stats --kpi CARRIER-A --kpi=CARRIER-B
usage "stats --kpi: the same peer twice, still twice" '^sipcodectl: stats --kpi: peer given twice$' \
	stats --kpi PBX -j --kpi PBX
usage "stats --kpi PEER -w: the table once" \
	'^sipcodectl: stats: --kpi prints a table or JSON: not with -w$' stats --kpi CARRIER-A -w 2
usage "stats --kpi PEER --by-peer: conflict" \
	'^sipcodectl: stats: --kpi and --by-peer conflict$' stats --kpi CARRIER-A --by-peer CARRIER-A
usage "stats --kpi -o prometheus: a table or JSON" \
	'^sipcodectl: stats: --kpi prints a table or JSON: not with -o prometheus$' \
	stats --kpi -o prometheus
usage "stats --kpi --delays: conflict" \
	'^sipcodectl: stats: --kpi and --delays conflict$' stats --kpi --delays
usage "stats --by-peer: an invalid name is named" \
	'^sipcodectl: stats --by-peer: invalid name "a b": 1 to 31 letters, digits and -_.:@$' \
	stats --by-peer "a b"
usage "stats --by-peer=: an empty name" '^sipcodectl: stats --by-peer: invalid name "": ' \
	stats --by-peer=
usage "stats --by-peer: a name of 32 bytes" '^sipcodectl: stats --by-peer: invalid name "a{32}"' \
	stats --by-peer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
usage "stats --by-peer: peer given twice" '^sipcodectl: stats --by-peer: peer given twice$' \
	stats --by-peer CARRIER-A --by-peer CARRIER-B
usage "stats --by-peer --by-method: conflict" \
	'^sipcodectl: stats: --by-peer and --by-method conflict$' stats --by-peer --by-method
usage "stats --reasons 5xx --by-peer NAME: conflict" \
	'^sipcodectl: stats: --reasons and --by-peer conflict$' stats --reasons 5xx --by-peer CARRIER-A
usage "stats --by-peer NAME --delays: conflict" \
	'^sipcodectl: stats: --by-peer and --delays conflict$' stats --by-peer CARRIER-A --delays
usage "stats --by-peer -w: the table once" \
	'^sipcodectl: stats: --by-peer prints a table or JSON: not with -w$' stats --by-peer CARRIER-A -w 2
usage "stats -x: the option is named" '^sipcodectl: stats: unexpected option "-x"$' stats -xa
usage "top -i abc: the interval is named" '^sipcodectl: top: invalid interval "abc"' top -i abc
usage "top -j: refused, top draws on a terminal" '^sipcodectl: top: draws on a terminal: not with -j' \
	-j top
usage "top 5: the argument is named" '^sipcodectl: top: unexpected argument "5"$' top 5

# "rule add 503 notify drop" is no usage error: either order is taken.
err=$("$CTL" rule add 503 notify drop 2>&1 >/dev/null)
rc=$?
if [ "$(id -u)" != 0 ] || ! [ -f "$KO" ]; then
	check "rule add 503 notify drop: parsed (then refused by the kernel, or none)" \
		"$([ $rc != 2 ] && echo parsed)" parsed
	"$CTL" peer add CARRIER-A 192.0.2.0/24 2001:db8:a::/48 0.0.0.0/0 ::/0 198.51.100.7 \
		>/dev/null 2>&1
	check "peer add with IPv4 and IPv6 prefixes, /0, an address alone: parsed" \
		"$([ $? != 2 ] && echo parsed)" parsed
	"$CTL" stats --by-peer=-x -j >/dev/null 2>&1
	check "stats --by-peer=-x: a name that starts with -, parsed" \
		"$([ $? != 2 ] && echo parsed)" parsed
	"$CTL" stats --kpi=-x -j >/dev/null 2>&1
	r1=$?
	"$CTL" stats show --kpi CARRIER-A -p >/dev/null 2>&1
	r2=$?
	"$CTL" stats --kpi -j >/dev/null 2>&1
	r3=$?
	check "stats --kpi=-x, --kpi PEER -p, --kpi -j: parsed" \
		"$([ $r1 != 2 ] && [ $r2 != 2 ] && [ $r3 != 2 ] && echo parsed)" parsed
	"$CTL" rule add 503 peer -x notify drop >/dev/null 2>&1
	r1=$?
	"$CTL" rule add 503 drop notify peer -x >/dev/null 2>&1
	r2=$?
	"$CTL" rule del 503 peer -x >/dev/null 2>&1
	r3=$?
	check "rule add and del with peer -x, peer after the action: parsed" \
		"$([ $r1 != 2 ] && [ $r2 != 2 ] && [ $r3 != 2 ] && echo parsed)" parsed
fi
if ! [ -f "$KO" ] && ! lsmod 2>/dev/null | grep -q '^sipcode ' &&
	! modinfo sipcode >/dev/null 2>&1; then
	err=$("$CTL" stats 2>&1)
	check "not installed: no modprobe hint" "$? $err" \
		"1 sipcodectl: sipcode module not loaded, and not installed for this kernel"
	err=$("$CTL" top 2>&1)
	check "not installed: top says so as stats does" "$? $err" \
		"1 sipcodectl: sipcode module not loaded, and not installed for this kernel"
fi
check "explain -p: pretty JSON, one member a line" \
	"$("$CTL" -p explain 486 | sed -n 2p)$("$CTL" explain 486 -p | jq -r .code)" \
	'  "code": 486,486'
out=$("$CTL" monitor -h)
rc=$?
check "-h after a command, help COMMAND SUBCOMMAND, an abbreviation: its usage, exit 0" \
	"$(head -n 1 <<<"$out") $rc / $("$CTL" help rule add | head -n 1) / $("$CTL" po -h | head -n 1)" \
	"Usage: sipcodectl monitor ... 0 / Usage: sipcodectl rule ... / Usage: sipcodectl ports ..."
out=$("$CTL" peer -h)
rc=$?
check "peer -h, help peer add: its usage, exit 0" \
	"$(head -n 1 <<<"$out") $rc / $("$CTL" help peer add | grep -c '^  peer add NAME PREFIX\.\.\. ')" \
	"Usage: sipcodectl peer ... 0 / 1"
check "help rule: rule add and rule del take peer NAME" \
	"$("$CTL" help rule | grep -c '^  rule \(add\|del\) MATCH \[peer NAME\]')" 2

# comp WORD...: what the bash completion offers after WORDs, the last
# one the word under the cursor.
comp() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_sipcodectl; echo "${COMPREPLY[*]}"' _ \
		"$top/packaging/bash-completion/sipcodectl" sipcodectl "$@"
}
check "completion: rule add 503 offers peer and notify" "$(comp rule add 503 '')" \
	"peer count drop mark notify"
check "completion: no peer name offered, then as without peer" \
	"$(comp rule add 503 peer '') / $(comp rule add 503 peer A '') / $(comp rule add 503 peer A drop '')" \
	" / count drop mark notify / notify"
check "completion: rule del MATCH offers peer, and nothing after its name" \
	"$(comp rule del 5xx '') / $(comp rule del 5xx peer '') / $(comp rule del 5xx peer A '')" \
	"peer /  / "
check "completion: rule show, ports add and del" \
	"$(comp rule '') / $(comp ports '')" "add del list show flush / show set add del"
check "completion: p, peer's subcommands and options" \
	"$(comp p) / $(comp peer '') / $(comp peer list -)" \
	"ports peer / add del list show flush / -j --json -p --pretty -h --help"
check "completion: -n NETNS before the command" "$(comp -n fw stats -)" \
	"-a --all -j --json -p --pretty -o --output -w --watch -n --count --by-method --reasons --delays --kpi --by-peer -h --help"
check "completion: stats --by-peer offers no name (it never asks the kernel), and takes one" \
	"$(comp stats --by-peer '') / $(comp stats --by-peer CARRIER-A '')" " / show reset"
check "completion: stats --kpi as --by-peer: no name offered, one taken, then the options" \
	"$(comp stats --kpi '') / $(comp stats --kpi CARRIER-A '') / $(comp stats --kpi CARRIER-A --j)" \
	" / show reset / --json"
check "completion: config's keys, a value after transactions, none after transactions-max" \
	"$(comp config t) / $(comp config transactions '') / $(comp config transactions-max '')" \
	"transactions transactions-max / on off / "
check "completion: config relayed, and on or off after it" \
	"$(comp config re) / $(comp config relayed '')" "reasons relayed / on off"
check "completion: top, its options, none after -i" \
	"$(comp t) / $(comp top -) / $(comp top -i -)" "top / -i --interval -h --help / "

# Every not-counted bucket that stats -j prints (user/libsipcode.c's
# table, $UNCOUNTED) is in the man page's JSON section and in README.md's.
keys=$UNCOUNTED
json=$(mandoc -T ascii "$top/user/sipcodectl.8" 2>/dev/null | sed "s/.\x08//g" |
	sed -n '/^JSON/,/^[A-Z]/p' | tr -s ' ,\n' '\n\n\n')
missing=
for k in $keys; do
	grep -qx "$k" <<<"$json" || missing="$missing man:$k"
	grep -q "\`$k\`" "$top/README.md" || missing="$missing README:$k"
done
check "the $(echo $keys | wc -w) buckets of stats -j, each in the man page's JSON section and README" \
	"$(echo $keys | wc -w)${missing:+ missing:}$missing" 9

if [ "$(id -u)" != 0 ] || ! [ -f "$KO" ] ||
	! ip link add sipcode-t type veth peer name sipcode-t1 2>/dev/null; then
	finish
	exit
fi
ip link del sipcode-t
test_init
load_module
check "insmod" "$?" 0
topo_setup $$ || skip_all "cannot build the namespaces"
nobody() { ip netns exec "$1" setpriv --reuid=65534 --regid=65534 --clear-groups "${@:2}"; }

err=$(nobody $fw "$CTL" stats reset 2>&1)
check "stats reset as nobody: CAP_NET_ADMIN is named" \
	"$? $(printf '%s' "$err" | grep -c 'needs CAP_NET_ADMIN')" "1 1"
for t in by-method reasons; do
	out=$(ctl $fw stats --$t -j 2>"$tmp/err")
	check "stats --$t -j, the table off: exit 1, nothing on stdout, a JSON error" \
		"$? [$out] $(jq -r '.error | length > 0' "$tmp/err")" "1 [] true"
done
ctl $fw rule add 503 notify drop
check "rule add 503 notify drop: taken" "$?:$(ctl $fw rule list)" "0:503 drop notify"
# A peer's rules: the refusals said in sipcodectl's words.
err=$(ctl $fw rule add 503 peer NONE drop 2>&1)
check "rule add of no peer: exit 1, the peer named" "$? $err" \
	"1 sipcodectl: rule add 503 peer NONE: no peer named NONE"
ctl $fw peer add CARRIER-A 192.0.2.0/24 &&
	ctl $fw rule add 503 peer CARRIER-A mark 0x20/0xff
check "rule list: the peer's rule after the others, its peer after its match" \
	"$?:$(ctl $fw rule list | paste -sd,):$(ctl $fw rule list -j | jq -c '[.rules[].peer]')" \
	'0:503 drop notify,503 peer CARRIER-A mark 0x20/0xff:[null,"CARRIER-A"]'
err=$(ctl $fw peer del CARRIER-A 2>&1)
check "peer del of a peer with rules: exit 1, delete them first" "$? $err" \
	"1 sipcodectl: peer del CARRIER-A: it has rules; delete them first"
err=$(ctl $fw peer flush 2>&1)
check "peer flush while a peer has rules: exit 1, the peer named" "$? $err" \
	"1 sipcodectl: peer flush: CARRIER-A has rules; delete them first"
ctl $fw config relayed on
saved=$(ctl $fw save)
ctl $fw config relayed off
ctl $fw restore - <<<"$saved"
check "save, restore: the peer's rule after its peer, relayed on, restored as it was" \
	"$?:$(grep -c ' relayed on$' <<<"$saved"):$(ctl $fw config -j | jq .relayed):$(ctl $fw save)" \
	"0:1:true:$saved"
ctl $fw config relayed off
ctl $fw rule del 503 peer CARRIER-A
err=$(ctl $fw rule del 503 peer CARRIER-A 2>&1)
check "rule del of a peer's rule: then no such rule, named with its peer" "$? $err" \
	"1 sipcodectl: rule del 503 peer CARRIER-A: no such rule"
ctl $fw peer del CARRIER-A
check "peer del once its rules are gone" "$?:$(ctl $fw rule list)" "0:503 drop notify"
ctl $fw rule add 486 notify
ip netns exec $fw "$CTL" monitor -n 1 -t 60 >/dev/null 2>"$tmp/mon" &
mpid=$!
bg_add $mpid
# Until the monitor has joined and printed one: a 486 every half second.
for ((i = 0; i < 100; i++)); do
	kill -0 $mpid 2>/dev/null || break
	ip netns exec $srv $GEN send 10.0.1.2 5060 486 >/dev/null
	sleep 0.5
done
wait $mpid
bg_del $mpid
check "monitor -n 1: the summary says 1 event" \
	"$(cut -d';' -f1 "$tmp/mon")" "monitor: 1 event, 0 filtered out, 0 overruns"
test_unload
finish
