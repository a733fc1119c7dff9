#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lint man pages: mandoc's warnings (cross references to pages this
# machine lacks aside) and groff's, each of which fails.
#
# usage: scripts/manlint.sh PAGE...
set -u
rc=0
for page in "$@"; do
	out=$(mandoc -T lint -W warning "$page" 2>&1 |
		grep -v 'referenced manual not found')
	[ -z "$out" ] || { echo "$out"; rc=1; }
	out=$(groff -ww -mdoc -z "$page" 2>&1)
	[ -z "$out" ] || { echo "$out"; rc=1; }
done
exit $rc
