#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generic netlink checks of sipcode that sipcodectl cannot show.

  nlcheck.py rules N        add N mark rules (codes 100 up), one request
                            each on one socket; prints how many succeeded
  nlcheck.py dumpintr CMD   dump the rules one skb at a time; after the
                            first skb, run CMD (a shell command that
                            changes the rules; - for none); prints the
                            NLM_F_DUMP_INTR flag of each message,
                            "0 0 1 1 ..." (the second skb was made before
                            the change, as the first was read)
  nlcheck.py dumperr CMD    start a dump of METHOD_GET or REASON_GET (CMD)
                            and print "errno=N msg=EXTACK" of its end

The numbers are read from include/uapi/linux/sipcode.h, as nlraw.py does.
"""
import errno
import os
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlraw  # noqa: E402

NLM_F_DUMP_INTR = 0x10
NLMSG_ERROR = 2
NLMSG_DONE = 3


def sock():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, nlraw.NETLINK_GENERIC)
    s.setsockopt(nlraw.SOL_NETLINK, nlraw.NETLINK_EXT_ACK, 1)
    s.setsockopt(nlraw.SOL_NETLINK, nlraw.NETLINK_CAP_ACK, 1)
    s.bind((0, 0))
    return s


def genl(family, cmd, flags, attrs=b"", seq=1):
    payload = struct.pack("BBH", cmd, 1, 0) + attrs
    return struct.pack("IHHII", 16 + len(payload), family,
                       flags | nlraw.NLM_F_REQUEST, seq, 0) + payload


def attr(t, data):
    a = struct.pack("HH", 4 + len(data), t) + data
    return a + b"\0" * (-len(a) % 4)


def messages(buf):
    off = 0
    while off + 16 <= len(buf):
        ln, typ, flags, _, _ = struct.unpack_from("IHHII", buf, off)
        yield typ, flags, buf[off + 16:off + ln]
        off += (ln + 3) & ~3


def extack(typ, body):
    """errno and the extended ack message of an error (its request
    capped) or done message."""
    err = -struct.unpack_from("i", body)[0]
    off = 4 + (16 if typ == NLMSG_ERROR else 0)
    msg = ""
    while off + 4 <= len(body):
        ln, t = struct.unpack_from("HH", body, off)
        if ln < 4:
            break
        if t == nlraw.NLMSGERR_ATTR_MSG:
            msg = body[off + 4:off + ln].rstrip(b"\0").decode()
        off += (ln + 3) & ~3
    return err, msg


def main():
    u = nlraw.U
    s = sock()
    fam = nlraw.Genl().family("sipcode")
    what = sys.argv[1]
    if what == "rules":
        ok = 0
        for i in range(int(sys.argv[2])):
            rule = attr(u["SIPCODE_RULE_A_CODE"], struct.pack("I", 100 + i)) + \
                attr(u["SIPCODE_RULE_A_ACTION"],
                     struct.pack("I", u["SIPCODE_ACTION_MARK"])) + \
                attr(u["SIPCODE_RULE_A_MARK"], struct.pack("I", 1 + i))
            s.send(genl(fam, u["SIPCODE_CMD_RULE_ADD"], nlraw.NLM_F_ACK,
                        attr(u["SIPCODE_A_RULE"] | nlraw.NLA_F_NESTED, rule)))
            for typ, flags, body in messages(s.recv(65536)):
                if typ == NLMSG_ERROR:
                    ok += extack(typ, body)[0] == 0
        print(ok)
    elif what == "dumpintr":
        s.send(genl(fam, u["SIPCODE_CMD_RULE_GET"], nlraw.NLM_F_DUMP))
        flags_seen = []
        n = 0
        done = False
        while not done:
            buf = s.recv(4096)
            n += 1
            for typ, flags, body in messages(buf):
                if typ == NLMSG_DONE:
                    done = True
                    break
                flags_seen.append(1 if flags & NLM_F_DUMP_INTR else 0)
            if n == 1 and sys.argv[2] != "-":
                subprocess.run(sys.argv[2], shell=True, check=True)
        print(" ".join(map(str, flags_seen)))
    elif what == "dumperr":
        cmd = u["SIPCODE_CMD_" + sys.argv[2]]
        s.send(genl(fam, cmd, nlraw.NLM_F_DUMP))
        while True:
            for typ, flags, body in messages(s.recv(65536)):
                if typ in (NLMSG_DONE, NLMSG_ERROR):
                    err, msg = extack(typ, body)
                    print("errno=%s msg=%s" %
                          (errno.errorcode.get(err, err), msg))
                    return
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
