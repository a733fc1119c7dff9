#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Requests through the kernel's ynl library, one process for them all.

  ynlcalls.py YNL_DIR SPEC < REQUESTS

Each line of REQUESTS is "do OP JSON" or "dump OP JSON" (JSON may be
left out: no attribute). For each, one line of JSON on stdout: {"reply":
...} (a dump's messages as a list), or {"errno": N, "msg": "extack
message"} when the kernel refused it. Bytes are written in hex.
"""
import json
import sys


def main():
    sys.path.insert(0, sys.argv[1])
    from lib import YnlFamily, NlError  # noqa: E402

    ynl = YnlFamily(sys.argv[2], '')
    for line in sys.stdin:
        how, _, rest = line.strip().partition(' ')
        if not how:
            continue
        op, _, attrs = rest.partition(' ')
        attrs = json.loads(attrs or '{}')
        try:
            if how == 'dump':
                out = {"reply": ynl.dump(op, attrs)}
            else:
                out = {"reply": ynl.do(op, attrs)}
        except NlError as e:
            ext = e.nl_msg.extack or {}
            out = {"errno": e.error, "msg": ext.get('msg', '')}
        print(json.dumps(out, default=lambda b: b.hex()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
