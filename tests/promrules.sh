#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Prometheus rules and the Grafana dashboard of packaging/, on the
# host: promtool checks the rules and runs their unit tests
# (packaging/prometheus/sipcode.rules.test.yml); each recording rule is
# the expression of a test, and each alert has a test where it fires and
# one where it does not. The dashboard is valid JSON, each panel has a
# data source and a query, each query is valid PromQL, and the recording
# rules it reads are those of the rules file. Every metric the three
# files name (a recording rule's name aside; _bucket, _count and _sum
# taken off) is a family user/exporter.c writes.
#
# Exits 4 (skip) without promtool or jq. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/tests/lib.sh"
command -v promtool >/dev/null || skip_all "needs promtool (scripts/deps.sh)"
command -v jq >/dev/null || skip_all "needs jq (scripts/deps.sh)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rules=$top/packaging/prometheus/sipcode.rules.yml
tests=$top/packaging/prometheus/sipcode.rules.test.yml
dash=$top/packaging/grafana/sipcode.json
exporter=$top/user/exporter.c

# run NAME CMD...: ok if CMD succeeds, else not ok and its last output.
# The tail of a failed command: 60 lines (promtool's report).
RUN_TAIL=60

# --- the rules ------------------------------------------------------------------
check_run "promtool check rules" promtool check rules "$rules"
check_run "promtool test rules" promtool test rules "$tests"

records=$(sed -n 's/^ *- record: *//p' "$rules")
alerts=$(sed -n 's/^ *- alert: *//p' "$rules")
check "the rules file has recording rules and alerts" \
	"$([ -n "$records" ] && [ -n "$alerts" ] && echo yes)" yes
tested=$(sed -n 's/^ *- expr: *//p' "$tests" | sort -u)
for r in $records; do
	check "recording rule $r: a test checks its samples" \
		"$(grep -Fxc "$r" <<<"$tested")" 1
done
# "NAME fires" or "NAME silent" for each alert_rule_test.
cases=$(awk '/^ *alertname:/ { a = $2 }
	/^ *exp_alerts:/ { print a, ($2 == "[]" ? "silent" : "fires") }' "$tests" |
	sort -u)
for a in $alerts; do
	check "alert $a: a test where it fires, one where it does not" \
		"$(grep -c "^$a \(fires\|silent\)$" <<<"$cases")" 2
done

# --- the dashboard --------------------------------------------------------------
if jq -e . "$dash" >/dev/null 2>"$tmp/err"; then
	ok "the dashboard is valid JSON"
else
	not_ok "the dashboard is valid JSON" "$(cat "$tmp/err")"
	finish
	exit
fi
check "its uid, title, schema version and data source input" \
	"$(jq -r '[.uid, .title, .schemaVersion, .__inputs[0].name,
		.__inputs[0].pluginId] | join(" ")' "$dash")" \
	"sipcode sipcode 39 DS_PROMETHEUS prometheus"
check "its variables: peer (multi, All) and direction" \
	"$(jq -r '.templating.list[] | "\(.name):\(.multi):\(.includeAll)"' "$dash" |
		xargs)" "peer:true:true direction:true:true"
check "the peer variable lists the peers of sipcode_peer_responses_total" \
	"$(jq -r '.templating.list[] | select(.name == "peer") | .definition' "$dash")" \
	"label_values(sipcode_peer_responses_total, peer)"
check "it has panels" "$(jq '.panels | length > 0' "$dash")" true
check "each panel has a data source and a query" \
	"$(jq -r '.panels[] | select((.datasource.uid // "") == "" or
		([.targets[]? | select((.expr // "") != "")] | length) == 0) |
		.title' "$dash")" ""
# The queries as recording rules, the variables replaced, for promtool.
jq '{groups: [{name: "dashboard", rules: [.panels[].targets[].expr] |
	to_entries | map({record: "dashboard:query\(.key)", expr: (.value |
	gsub("\\$__rate_interval"; "5m") | gsub("\\$peer"; ".+") |
	gsub("\\$direction"; "in|out"))})}]}' "$dash" >"$tmp/dashboard.rules.json"
check_run "each query of the dashboard is valid PromQL" \
	promtool check rules "$tmp/dashboard.rules.json"
used=$(jq -r '.panels[].targets[].expr' "$dash" |
	grep -o '[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]*' | sort -u)
check "the dashboard reads recording rules" "$([ -n "$used" ] && echo yes)" yes
for r in $used; do
	check "the dashboard's $r is a rule of the rules file" \
		"$(grep -Fxc "$r" <<<"$records")" 1
done

# --- the metrics ------------------------------------------------------------------
names=$(grep -oh 'sipcode[a-zA-Z0-9_:]*' "$rules" "$tests" "$dash" |
	grep '^sipcode_[a-z0-9_]*$' | sed -E 's/_(bucket|count|sum)$//' | sort -u)
check "the files name metrics" "$([ -n "$names" ] && echo yes)" yes
for m in $names; do
	check "$m is a family of user/exporter.c" \
		"$(grep -Fq "\"$m\"" "$exporter" && echo yes)" yes
done

finish
