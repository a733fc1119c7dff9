# SPDX-License-Identifier: GPL-2.0
#
# The table of bench/run.sh, from the lines of bench/guest.sh (first
# file) and of `make -C tests/bench run` and `make -C bench txnid`
# (second file):
#
#   awk [-v smoke=1] -f bench/report.awk guest.txt parser.txt
#
# Instructions per packet are the median over the timed batches of
# (virtual ns of the batch) / (frames in it); under icount shift=0 a
# virtual ns is one guest instruction. A delta is over the baseline with
# the same frame; the ratio is that delta over the module's (scenario 4).
# The TCP rows' deltas are over the same segments: sipcode's on a port it
# does not inspect (2t) over no hook (1t), a followed or new flow's over
# 2t; the target of a followed segment is per byte of its payload. The
# transaction rows (an INVITE and its 200 in turn) are over no hook with
# those frames (1x), their targets over the table off (13) and over the
# module before the table (13b); the table on but empty (2g), and the
# table holding what row 14 leaves (2h: its GC alone), are over the
# module on a port it does not inspect (2).
# With smoke set, no verdict: a smoke run is too short to judge.

function median(s,    a, n, i, j, t) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function least(s,    a, n, i, lo) {
	n = split(s, a, " ")
	lo = a[1]
	for (i = 2; i <= n; i++)
		if (a[i] + 0 < lo + 0) lo = a[i]
	return lo
}

function spread(s,    a, n, i, lo, hi) {
	n = split(s, a, " ")
	lo = hi = a[1]
	for (i = 2; i <= n; i++) {
		if (a[i] + 0 < lo + 0) lo = a[i]
		if (a[i] + 0 > hi + 0) hi = a[i]
	}
	return 100 * (hi - lo) / median(s)
}

function verdict(name, value, limit, fmt, unit, ok, by) {
	ok = value <= limit
	by = ok ? "" : sprintf(" by " fmt "%s (%.0f %%)", value - limit, unit,
			       100 * (value - limit) / limit)
	printf "  %-50s %8s  <= %-6s %s%s\n", name, sprintf(fmt "%s", value, unit),
	       limit unit, ok ? "met" : "MISSED", by
}

BEGIN {
	# scenario: number, what, baseline
	split("base base-port base-rtp null-hook null-init unconf port rtp count rule1 rule600 method reasons notify peer1 peer1000 peer-rule relayed insight-off nft tc-bpf ct ct-sip base-tcp tcp-other tcp-follow tcp-new base-txn txn-before txn-off txn-on txn-full txn-was-on txn-idle txn-gc base-end", order, " ")
	num["base"] = "1";       what["base"] = "no hook (baseline): SIP response, port 5060"
	num["base-port"] = "1p"; what["base-port"] = "no hook: SIP response, port 40000"
	num["base-rtp"] = "1r";  what["base-rtp"] = "no hook: RTP payload, port 5060"
	num["null-hook"] = "1n"; what["null-hook"] = "a netfilter hook that only accepts"
	num["null-init"] = "1k"; what["null-init"] = "that hook in the initial namespace only"
	num["unconf"] = "1u";   what["unconf"] = "sipcode loaded, this namespace not configured"
	num["port"] = "2";       what["port"] = "sipcode: SIP response, port 40000"
	num["rtp"] = "3";        what["rtp"] = "sipcode: RTP payload, port 5060"
	num["count"] = "4";      what["count"] = "sipcode: SIP response counted"
	num["rule1"] = "5";      what["rule1"] = "sipcode: ... with 1 mark rule"
	num["rule600"] = "6";    what["rule600"] = "sipcode: ... with 600 mark rules"
	num["method"] = "4m";    what["method"] = "sipcode: ... counted per CSeq method too"
	num["reasons"] = "4r";   what["reasons"] = "sipcode: ... reason phrases kept too"
	num["notify"] = "4e";    what["notify"] = "sipcode: ... notify rule, no listener"
	num["peer1"] = "4p";     what["peer1"] = "sipcode: ... under its peer: 1 prefix"
	num["peer1000"] = "4P";  what["peer1000"] = "sipcode: ... under its peer: 1,000 prefixes"
	num["peer-rule"] = "5p"; what["peer-rule"] = "sipcode: 4p with its peer's mark rule"
	num["relayed"] = "4f";   what["relayed"] = "sipcode: ... relayed ones told apart"
	num["insight-off"] = "4'"; what["insight-off"] = "sipcode: counted, insight switched off again"
	num["nft"] = "7";        what["nft"] = "nftables: set of codes + mark map"
	num["tc-bpf"] = "8";     what["tc-bpf"] = "tc eBPF: per-CPU array of codes"
	num["ct"] = "9";         what["ct"] = "conntrack, no sipcode (port 40000)"
	num["ct-sip"] = "10";    what["ct-sip"] = "... and the kernel's SIP helper on the flow"
	num["base-tcp"] = "1t";  what["base-tcp"] = "no hook: TCP segments of 1,448 bytes"
	num["tcp-other"] = "2t"; what["tcp-other"] = "sipcode: that TCP segment, port 40001"
	num["tcp-follow"] = "11"; what["tcp-follow"] = "sipcode: TCP segment of a followed flow"
	num["tcp-new"] = "12";   what["tcp-new"] = "sipcode: TCP segment, first of its flow"
	num["base-txn"] = "1x";  what["base-txn"] = "no hook: an INVITE and its 200 OK in turn"
	num["txn-before"] = "13b"; what["txn-before"] = "sipcode before the table: the same frames"
	num["txn-off"] = "13";   what["txn-off"] = "sipcode: those frames, transactions off"
	num["txn-on"] = "14";    what["txn-on"] = "sipcode: ... transactions on (1,048,576)"
	num["txn-full"] = "15";  what["txn-full"] = "sipcode: ... transactions on (64): full"
	num["txn-was-on"] = "13'"; what["txn-was-on"] = "sipcode: ... transactions on, then off again"
	num["txn-idle"] = "2g";  what["txn-idle"] = "sipcode: port 40000, transactions on, empty"
	num["txn-gc"] = "2h";    what["txn-gc"] = "... holding 14's transactions: their GC"
	num["base-end"] = "1'";  what["base-end"] = "no hook, again at the end (drift)"
	for (i in num) basis[i] = "base"
	# The TCP segment of tests/bench/bench_parser.c, in bytes.
	tcp_bytes = 1189
	basis["port"] = "base-port"
	basis["ct"] = "base-port"
	basis["rtp"] = "base-rtp"
	basis["base-tcp"] = "base-tcp"
	basis["tcp-other"] = "base-tcp"
	basis["tcp-follow"] = "tcp-other"
	basis["tcp-new"] = "tcp-other"
	basis["base-txn"] = "base-txn"
	basis["txn-before"] = "base-txn"
	basis["txn-off"] = "base-txn"
	basis["txn-on"] = "base-txn"
	basis["txn-full"] = "base-txn"
	basis["txn-was-on"] = "base-txn"
	basis["txn-idle"] = "port"
	basis["txn-gc"] = "port"
}

FNR == 1 { file++ }

file == 1 && $1 == "info" { $1 = ""; info[++ninfo] = substr($0, 2) }
file == 1 && $1 == "result" {
	s = ""
	for (i = 4; i <= NF; i++) s = s " " $i
	frames[$2] = $3
	batches[$2] = NF - 3
	ipp[$2] = median(s) / $3
	spr[$2] = spread(s)
	lowest[$2] = least(s)
}
file == 1 && $1 == "segment" { seg_bytes[$2] = $3; seg_resp[$2] = $4 }
file == 1 && $1 == "check" { checks++; if ($4 != "ok") bad++ }
file == 1 && $1 == "txn" { for (i = 3; i < NF; i += 2) txn[$2, $i] = $(i + 1) }
file == 1 && $1 == "skip" { skipped = skipped " " $2 }

file == 2 && /instructions per sip_txn_id/ { c = $1; sub(/:$/, "", c); txnid[c] = $NF }
file == 2 && /instructions per call/ {
	c = $1; sub(/:$/, "", c)
	per_call[c] = $5
	fn[c] = $7; sub(/:$/, "", fn[c])
	inner[c] = $8; sub(/\)$/, "", inner[c])
}

END {
	for (i = 1; i <= ninfo; i++) print "# " info[i]
	printf "\n%-3s %-44s %9s %9s %9s %6s %8s %7s\n", "#", "scenario",
	       "packets", "kpps(v)", "instr/pkt", "+-%", "delta", "/mod"
	mod = ("count" in ipp && "base" in ipp) ? ipp["count"] - ipp["base"] : 0
	for (k = 1; k in order; k++) {
		s = order[k]
		if (!(s in ipp)) continue
		b = basis[s]
		d = (b in ipp) ? ipp[s] - ipp[b] : 0
		dd = s == b ? "-" : (b in ipp) ? sprintf("%+.1f", d) : "?"
		r = (s == b || !(b in ipp) || mod <= 0) ? "-" : sprintf("%.2f", d / mod)
		printf "%-3s %-44s %9d %9.1f %9.1f %6.3f %8s %7s\n", num[s],
		       what[s], frames[s] * batches[s], 1e6 / ipp[s], ipp[s],
		       spr[s], dd, r
	}
	printf "\nchecks: %d, failed: %d%s\n", checks, bad,
	       skipped ? "; could not run:" skipped : ""
	# What the transaction table counted: every request tracked, or
	# untracked when its bucket was full.
	for (k = 1; k in order; k++) {
		s = order[k]
		if (!((s, "tracked") in txn)) continue
		printf "transactions, %s: %d requests tracked, %d untracked (their bucket full), %d responses unmatched, %d first final\n",
		       num[s], txn[s, "tracked"], txn[s, "untracked"],
		       txn[s, "unmatched"], txn[s, "first_final"]
	}

	print "\nparser under callgrind (userspace, gcc -O2), instructions per call:"
	if ("sip" in inner) printf "  UDP status line (sip_parse_status)        %8.1f\n", inner["sip"]
	if ("other" in inner) printf "  non-SIP payload (sip_parse_status)        %8.1f\n", inner["other"]
	if ("tcp" in inner) printf "  TCP segment, 3 messages (parse + frame)   %8.1f  (%.2f a byte)\n", inner["tcp"], inner["tcp"] / tcp_bytes
	if ("method" in inner) printf "  CSeq method of the UDP response (frame)   %8.1f\n", inner["method"]
	if ("invite" in txnid) printf "  transaction of the INVITE (sip_txn_id)    %8.1f\n", txnid["invite"]
	if ("ok" in txnid) printf "  transaction of the 200 OK (sip_txn_id)    %8.1f\n", txnid["ok"]

	if (smoke) {
		print "\ntargets: not judged (BENCH_SMOKE: too few packets)"
		exit
	}
	print "\ntargets (value, limit, verdict):"
	if ("port" in ipp && "base-port" in ipp)
		verdict("other port (2 - 1p)", ipp["port"] - ipp["base-port"],
			100, "%.1f", "")
	if ("rtp" in ipp && "base-rtp" in ipp)
		verdict("non-SIP payload on a SIP port (3 - 1r)",
			ipp["rtp"] - ipp["base-rtp"], 120, "%.1f", "")
	if (mod > 0)
		verdict("counted response (4 - 1)", mod, 150, "%.1f", "")
	if (mod > 0 && "method" in ipp)
		verdict("per-CSeq-method on (4m - 4)",
			ipp["method"] - ipp["count"], 150, "%+.1f", "")
	if (mod > 0 && "reasons" in ipp)
		verdict("reason phrases on (4r - 4)",
			ipp["reasons"] - ipp["count"], 150, "%+.1f", "")
	if (mod > 0 && "peer1" in ipp)
		verdict("peers, 1 prefix (4p - 4)",
			ipp["peer1"] - ipp["count"], 60, "%+.1f", "")
	if (mod > 0 && "peer1000" in ipp)
		verdict("peers, 1,000 prefixes (4P - 4)",
			ipp["peer1000"] - ipp["count"], 60, "%+.1f", "")
	if ("peer1" in ipp && "peer1000" in ipp)
		verdict("1,000 prefixes over 1 (4P / 4p - 1, %)",
			100 * (ipp["peer1000"] / ipp["peer1"] - 1), 2, "%+.2f", "")
	# No target: a peer's rule over the same rule for every response,
	# with peers on (its peer looked up twice: verdict, then counters).
	if ("peer-rule" in ipp && "rule1" in ipp && "peer1" in ipp) {
		v = ipp["peer-rule"] - ipp["rule1"] - (ipp["peer1"] - ipp["count"])
		printf "  %-50s %8s  (no target)\n",
			"a peer's rule over a rule ((5p - 5) - (4p - 4))",
			sprintf("%+.1f", v)
	}
	# No target: the switch relayed, each response relayed (the bench's
	# brx forwards them all): the look-up of its destination.
	if ("relayed" in ipp && "count" in ipp)
		printf "  %-50s %8s  (no target)\n",
			"relayed responses told apart (4f - 4)",
			sprintf("%+.1f", ipp["relayed"] - ipp["count"])
	if (mod > 0 && "notify" in ipp)
		verdict("notify rule, nobody listening (4e - 4)",
			ipp["notify"] - ipp["count"], 30, "%+.1f", "")
	if ("tcp" in inner)
		verdict("TCP segment walk, per byte (callgrind)",
			inner["tcp"] / tcp_bytes, 2.5, "%.2f", "")
	# No hook there: what any hook in another namespace costs (netfilter's
	# static key), within the +-2 of two boots.
	if ("unconf" in ipp && "null-init" in ipp)
		verdict("a namespace nobody configured (1u - 1k)",
			ipp["unconf"] - ipp["null-init"], 2, "%+.1f", "")
	if (mod > 0 && "tc-bpf" in ipp)
		verdict("module / tc eBPF delta (4 / 8)",
			mod / (ipp["tc-bpf"] - ipp["base"]), 0.35, "%.2f", "x")
	if (mod > 0 && "nft" in ipp)
		verdict("module / nftables delta (4 / 7)",
			mod / (ipp["nft"] - ipp["base"]), 0.3, "%.2f", "x")
	if ("rule1" in ipp && "rule600" in ipp) {
		d1 = ipp["rule1"] - ipp["base"]
		d6 = ipp["rule600"] - ipp["base"]
		v = 100 * (d6 - d1) / d1
		verdict("600 rules vs 1: |6 - 5| / (5 - 1)",
			v < 0 ? -v : v, 2, "%.2f", " %")
	}
	if ("sip" in inner)
		verdict("parser, UDP status line (callgrind)", inner["sip"], 40,
			"%.1f", "")
	# sipcode's TCP work on a segment that goes on with a followed
	# stream: the same segment to a port it does not inspect cancels the
	# hook's call, the header and the port test.
	if ("tcp-follow" in ipp && "tcp-other" in ipp && seg_bytes["tcp-follow"]) {
		tf = ipp["tcp-follow"] - ipp["tcp-other"]
		verdict(sprintf("followed TCP segment, per byte ((11 - 2t) / %d)",
				seg_bytes["tcp-follow"]),
			tf / seg_bytes["tcp-follow"], 2.5, "%.2f", "")
	}
	# The transaction table on, over the same frames with it off.
	if ("txn-on" in ipp && "txn-off" in ipp)
		verdict("transactions on (14 - 13)",
			ipp["txn-on"] - ipp["txn-off"], 400, "%+.1f", "")
	# Off, it costs nothing: the module before the table on the same
	# frames, and the table switched on and off again, both within the
	# +-2 of two baselines (1p - 1, two boots).
	if ("txn-off" in ipp && "txn-before" in ipp)
		verdict("transactions off, the code (13 - 13b)",
			ipp["txn-off"] - ipp["txn-before"], 2, "%+.1f", "")
	if ("txn-was-on" in ipp && "txn-off" in ipp)
		verdict("transactions switched off again (13' - 13)",
			ipp["txn-was-on"] - ipp["txn-off"], 2, "%+.1f", "")
	if (mod > 0 && "ct" in ipp)
		printf "  module / conntrack delta (4 / 9): %.2fx\n",
		       mod / (ipp["ct"] - ipp["base-port"])
	if (mod > 0 && "ct-sip" in ipp)
		printf "  module / conntrack with its SIP helper (4 / 10): %.2fx\n",
		       mod / (ipp["ct-sip"] - ipp["base"])
	if ("tcp-follow" in ipp && "tcp-other" in ipp && seg_resp["tcp-follow"])
		printf "  followed TCP segment (11 - 2t): %.1f instructions, %.1f per response\n",
		       tf, tf / seg_resp["tcp-follow"]
	if ("tcp-new" in ipp && "tcp-follow" in ipp)
		printf "  first segment of a new flow over a followed one (12 - 11): %+.1f instructions\n",
		       ipp["tcp-new"] - ipp["tcp-follow"]
	if ("txn-on" in ipp && "txn-off" in ipp)
		printf "  transactions on, a request and its response (2 x (14 - 13)): %+.1f instructions\n",
		       2 * (ipp["txn-on"] - ipp["txn-off"])
	# The GC passes once a virtual second (HZ after its last pass), and
	# walks no empty table: 2g has nothing of it (its delta is within
	# the +-2 of two baselines), and is no measure of it. 2h holds the
	# transactions row 14 ends with, so a batch of 2h (1.3 s) holds one
	# pass or two: its least batch over row 2's median is one pass over
	# the table as full as row 14 leaves it. Row 14's table fills from
	# empty: its passes cost less, between a walk of the buckets and
	# this one; at row 14's rate (a second is 10^9 over its instructions
	# a packet) this pass is an upper bound of the GC's share a packet.
	pass = 0
	if ("txn-gc" in ipp && "port" in ipp && batches["txn-gc"] > 1) {
		pass = lowest["txn-gc"] - ipp["port"] * frames["txn-gc"]
		printf "  the GC of the table as row 14 leaves it (%s transactions; least batch of 2h - 2): %.2f M instructions a pass, one a virtual second",
		       ("txn-gc", "entries") in txn ? txn["txn-gc", "entries"] : "?",
		       pass / 1e6
		if ("txn-on" in ipp)
			printf ": at most %.1f a packet at row 14's rate; 14 - 13 less it: at least %+.1f",
			       pass * ipp["txn-on"] / 1e9,
			       ipp["txn-on"] - ipp["txn-off"] - pass * ipp["txn-on"] / 1e9
		printf "\n"
	} else if ("txn-on" in ipp)
		print "  the GC's share of 14 - 13: not measured (no row 2h; 2g's table is empty, and an empty table is not walked)"
	# The key of each message, in userspace: half a pair's a packet.
	if ("txn-on" in ipp && "txn-off" in ipp && "invite" in txnid && "ok" in txnid) {
		k = (txnid["invite"] + txnid["ok"]) / 2
		printf "  the keys (sip_txn_id, callgrind): %.1f a packet of 14 - 13", k
		rest = ipp["txn-on"] - ipp["txn-off"] - pass * ipp["txn-on"] / 1e9 - k
		if (pass)
			printf "; the rest, less the GC: at least %+.1f", rest
		else
			printf "; the rest, the GC in it: %+.1f", rest
		if ("txn-full" in ipp)
			printf "; of 15 - 13: %+.1f", ipp["txn-full"] - ipp["txn-off"] - k
		printf "\n"
	}
	if ("txn-full" in ipp && "txn-off" in ipp)
		printf "  transactions on, every bucket full (15 - 13): %+.1f instructions a packet\n",
		       ipp["txn-full"] - ipp["txn-off"]
	if ("base-end" in ipp)
		printf "  drift of the baseline (1' - 1): %+.1f instructions per packet\n",
		       ipp["base-end"] - ipp["base"]
}
