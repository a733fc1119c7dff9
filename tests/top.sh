#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcodectl top on a terminal: tmux panes run it (-n NS top -i 1) while
# a sender on the loopback of namespace NS sends 503, 486 and 200
# responses, 12, 6 and 3 a second, spread evenly; what a pane shows
# (capture-pane) is checked, not only the exit status:
#   - in an 80x24 pane with a UTF-8 locale: the header on the first line
#     (nothing scrolled), the six class lines, those of 2xx, 4xx and 5xx
#     with a non-zero rate, the three codes with a non-zero rate, the
#     fastest first (503, 486, 200); the sparkline of 503 of the glyphs
#     U+2581-U+2588, growing from one capture to a later one; no line
#     wider than 80 columns, no more than 24 lines;
#   - in a pane with the C locale: the sparklines in " .:-=+*#";
#   - resized to 60x15: laid out again (a sparkline of the last 41 s,
#     lines of 60 columns at most, 15 lines); to 60x11: the two fastest
#     codes only, and the line above them says so;
#   - q quits (exit 0) and Ctrl-C quits (exit 0), the terminal as before:
#     its stty settings, the alternate screen left, the cursor shown;
#   - with standard output not a terminal: exit 1, one line.
#
# A capture is parsed by bash alone: in a TCG guest each process costs.
#
# Needs root and tmux; loads the module from $KO. Exits 4 (skip) when a
# requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
test_init
require tmux
timing_start
# A UTF-8 locale for tmux, the pane that takes it and ${#...}.
export LC_ALL=C.UTF-8
load_module
check "insmod" "$?" 0
ns=sipcode-top-$$
sock=sipcode-top-$$
cleanup_extra() {
	tmux -L "$sock" kill-server 2>/dev/null
	ip netns del "$ns" 2>/dev/null
}
ip netns add "$ns" && ip -n "$ns" link set lo up || skip_all "no namespace"

# Until cleanup kills it (5 minutes at most).
ip netns exec "$ns" $GEN send --gap 0.05 --spread 127.0.0.1 5060 \
	'503*3600' '486*1800' '200*900' >/dev/null &
bg_add $!

tm() { tmux -L "$sock" "$@"; }
# pane NAME LOCALE: a session NAME of 80x24 running top in LOCALE, with
# NAME.rc its exit status and NAME.stty0, NAME.stty1 the terminal's
# settings before and after it, in $tmp; then the pane stays, for a look
# at its terminal.
pane() {
	cat >"$tmp/$1.sh" <<EOF
stty -g >"$tmp/$1.stty0"
"$CTL" -n "$ns" top -i 1
echo \$? >"$tmp/$1.rc"
stty -g >"$tmp/$1.stty1"
exec sleep 600
EOF
	tm -f /dev/null new-session -d -s "$1" -x 80 -y 24 "env LC_ALL=$2 sh $tmp/$1.sh"
}
# shot NAME: what pane NAME shows (in the caller's shell, not in a
# slowwait's): its lines in L, the widest's columns in
# WIDTH; the rate of each line of a class or code in RATE[1xx], RATE[503]
# (none when not listed), its sparkline (the columns 20 to 79) in SPARK;
# the codes listed, in order, in CODES ("503 486 ").
declare -A RATE SPARK
shot() {
	local l

	mapfile -t L < <(tm capture-pane -p -t "$1")
	WIDTH=0
	CODES=
	RATE=()
	SPARK=()
	for l in "${L[@]}"; do
		((${#l} > WIDTH)) && WIDTH=${#l}
		[[ $l =~ ^([1-6][0-9x][0-9x])\ +([^ ]+) ]] || continue
		RATE[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		SPARK[${BASH_REMATCH[1]}]=${l:19:60}
		[[ ${BASH_REMATCH[1]} == *x* ]] || CODES+="${BASH_REMATCH[1]} "
	done
}
# here TIMEOUT_S CMD...: as slowwait, but CMD runs in this shell: what
# shot read when CMD succeeded (or last) stays for the checks. The rates
# of one interval vary with the sender's pace: a check of their order
# waits for it.
here() {
	local end=$((SECONDS + $1))

	shift
	until "$@"; do
		((SECONDS < end)) || return 1
		sleep 0.1
	done
}
nonzero() { [ -n "$1" ] && [ "$1" != - ] && [ "$1" != 0.0 ]; }
# The sparkline of 503 without its blanks: its samples.
samples() { local s=${SPARK[503]:-}; s=${s// /}; echo ${#s}; }
drawn() { shot "$1" && [[ ${L[0]:-} == "sipcode active"* ]]; }
# The three codes have a non-zero rate, and are listed in the order
# given.
listed() {
	shot utf
	nonzero "${RATE[503]:-}" && nonzero "${RATE[486]:-}" &&
		nonzero "${RATE[200]:-}" && [ "$CODES" = "$1" ]
}

pane utf C.UTF-8
pane asc C
here 30 eval 'drawn utf && drawn asc'
check "top draws its header in both panes" "${L[0]:0:14}" "sipcode active"
timing "setup"

here 30 listed "503 486 200 "
check "the three codes with a non-zero rate, the fastest first" "$CODES" "503 486 200 "
timing "the first rates of the three codes"
echo "# the 80x24 pane:"
for l in "${L[@]}"; do [ -z "$l" ] || echo "# |$l"; done
check "the header is the first line (nothing scrolled)" "${L[0]:0:14}" "sipcode active"
check "the six classes, in order, after the header and the titles" \
	"${L[2]:0:3} ${L[3]:0:3} ${L[4]:0:3} ${L[5]:0:3} ${L[6]:0:3} ${L[7]:0:3}" \
	"1xx 2xx 3xx 4xx 5xx 6xx"
nz=
for c in 1xx 2xx 3xx 4xx 5xx 6xx; do nonzero "${RATE[$c]:-}" && nz+="$c "; done
check "the rates of 2xx, 4xx and 5xx are not zero, of 1xx, 3xx and 6xx zero" \
	"$nz" "2xx 4xx 5xx "
check "80x24: no line wider than 80 columns, 24 lines at most" \
	"$((WIDTH <= 80)) $((${#L[@]} <= 24))" "1 1"
s1=${SPARK[503]:-}
n1=$(samples)
check "UTF-8: the sparkline of 503 is of U+2581-U+2588, not empty" \
	"$([[ $s1 =~ ^[\ ▁▂▃▄▅▆▇█]*$ ]] && [ "$n1" -gt 0 ] && echo yes)" yes
# The C pane's top samples on its own clock: wait for its first sample.
ascii() { shot asc && [ "$(samples)" -gt 0 ]; }
here 10 ascii
check "C locale: the sparkline of 503 is of \" .:-=+*#\", not empty" \
	"$([[ ${SPARK[503]:-} =~ ^[\ .:=+*#-]*$ ]] && [ "$(samples)" -gt 0 ] && echo yes)" yes
grown() { shot utf && [ "$(samples)" -gt "$n1" ]; }
here 10 grown
check "the sparkline of 503 grows: $n1 then $(samples) samples" \
	"$([ "$(samples)" -gt "$n1" ] && [ "${SPARK[503]:-}" != "$s1" ] && echo yes)" yes
timing "80x24"

tm resize-window -t utf -x 60 -y 15
here 10 eval 'listed "503 486 200 " && [[ ${L[1]:-} == *"LAST 41 s" ]]'
check "resized to 60x15: laid out again (LAST 41 s)" "${L[1]:19}" "LAST 41 s"
check "60x15: the header first, no line wider than 60, 15 lines at most, the codes in order" \
	"${L[0]:0:14}, $((WIDTH <= 60)) $((${#L[@]} <= 15)), $CODES" \
	"sipcode active, 1 1, 503 486 200 "
tm resize-window -t utf -x 60 -y 11
here 10 eval 'shot utf && [ "$CODES" = "503 486 " ]'
check "60x11: the two fastest codes only" "$CODES" "503 486 "
check "60x11: the line above them says so" "${L[8]:-}" \
	"CODE  3 codes seen in the last 60 s, the fastest shown"
timing "resized"

# restored NAME: the pane NAME is out of the alternate screen, its cursor
# shown ("0 1" in R), and top's screen is not on it.
restored() {
	R=$(tm display -p -t "$1" '#{alternate_on} #{cursor_flag}')
	shot "$1"
	[[ "${L[*]}" != *sipcode* ]] || R+=" (top's screen)"
	[ "$R" = "0 1" ]
}
# quits NAME KEY: KEY (sent before) quit the pane NAME with exit 0 and
# the terminal as it was.
quits() {
	local rc=none s0= s1=

	here 10 test -s "$tmp/$1.stty1"
	read -r rc <"$tmp/$1.rc"
	read -r s0 <"$tmp/$1.stty0"
	read -r s1 <"$tmp/$1.stty1"
	check "$2 quits: exit 0, the stty settings as before" \
		"$rc $([ "$s0" = "$s1" ] && echo same)" "0 same"
	here 5 restored "$1"
	check "$2: the alternate screen left, the cursor shown, top's screen gone" \
		"$R" "0 1"
}
tm send-keys -t utf q
tm send-keys -t asc C-c
quits utf q
quits asc C-c
timing "quit"

err=$("$CTL" -n "$ns" top 2>&1 >/dev/null)
check "not on a terminal: exit 1, one line" "$? $err" \
	"1 sipcodectl: top: standard output is not a terminal (see stats -w)"

test_unload
finish
