#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send well-formed sipcode requests with the kernel's ynl library.

  ynlreq.py YNL_DIR SPEC < REQUESTS

YNL_DIR is tools/net/ynl of a kernel tree (scripts/ynl-gen.sh extracts
it), SPEC the family's netlink spec. Each line of REQUESTS is "OP JSON",
an operation of the spec and its attributes, sent as one request in the
same process (many requests a second where cli.py takes one). Prints
"N sent, M refused" and, for each refused one, its line and error.
Exits 1 when a request was refused.
"""
import json
import sys


def main():
    sys.path.insert(0, sys.argv[1])
    from lib import YnlFamily, NlError  # noqa: E402

    ynl = YnlFamily(sys.argv[2], '')
    sent = refused = 0
    for line in sys.stdin:
        op, _, attrs = line.strip().partition(' ')
        if not op:
            continue
        sent += 1
        try:
            ynl.do(op, json.loads(attrs or '{}'))
        except NlError as e:
            refused += 1
            print("refused: %s: %s" % (line.strip(), e))
    print("%d sent, %d refused" % (sent, refused))
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
