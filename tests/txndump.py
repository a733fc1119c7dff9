#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Dump the rules again and again, slowly, until SIGTERM (tests/txn.sh).

  txndump.py

Each dump is read from a socket of its own, 8 KB at a time: the kernel
then fills messages of at most 8 KB (not 32 KB, as for a socket read with
a larger buffer), and 1200 rules take several. A pause between reads lets
a change of the rules land inside dumps. At the end prints one line:

  dumps N interrupted I mixed M

I: dumps flagged NLM_F_DUMP_INTR (spanned a change, to be dumped again);
M: dumps not flagged whose rules hold more than one action (a mixture of
two tables that the kernel did not flag).
"""
import os
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlraw  # noqa: E402

NLM_F_DUMP_INTR = 0x10
U = nlraw.U
stop = False


def on_term(sig, frame):
    global stop
    stop = True


def actions(payload, out):
    """The actions of the SIPCODE_A_RULE nests of one message, into out."""
    tlv = payload
    while len(tlv) >= 4:
        aln, atyp = struct.unpack_from("HH", tlv)
        if atyp & 0x7fff == U["SIPCODE_A_RULE"]:
            inner = tlv[4:aln]
            while len(inner) >= 4:
                iln, ityp = struct.unpack_from("HH", inner)
                if ityp == U["SIPCODE_RULE_A_ACTION"] and iln > 4:
                    out.add(inner[4])
                inner = inner[(iln + 3) & ~3:]
        tlv = tlv[(aln + 3) & ~3:]


def dump(g, fam):
    """One dump: (interrupted, set of actions)."""
    g.seq += 1
    body = struct.pack("BBH", U["SIPCODE_CMD_RULE_GET"], 1, 0)
    g.sk.send(struct.pack("IHHII", 16 + len(body), fam,
                          nlraw.NLM_F_REQUEST | nlraw.NLM_F_DUMP,
                          g.seq, 0) + body)
    intr = False
    acts = set()
    while True:
        data, _, flags, _ = g.sk.recvmsg(8192)
        if flags & socket.MSG_TRUNC:
            sys.exit("txndump: a message over 8 KB")
        off = 0
        while off < len(data):
            ln, typ, fl, _, _ = struct.unpack_from("IHHII", data, off)
            intr |= bool(fl & NLM_F_DUMP_INTR)
            if typ in (nlraw.NLMSG_DONE, nlraw.NLMSG_ERROR):
                return intr, acts
            actions(data[off + 20:off + ln], acts)
            off += (ln + 3) & ~3
        time.sleep(0.002)


def main():
    signal.signal(signal.SIGTERM, on_term)
    fam = nlraw.Genl().family("sipcode")
    g = nlraw.Genl()
    n = intr = mixed = 0
    while not stop:
        i, acts = dump(g, fam)
        n += 1
        intr += i
        mixed += not i and len(acts) > 1
    print("dumps %d interrupted %d mixed %d" % (n, intr, mixed))


if __name__ == "__main__":
    main()
