#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send or receive SIP datagrams for the sipcode selftests.

  sipgen.py send [-6] [--sport P] DST DPORT ITEM...
  sipgen.py sink [-6] PORT [--idle S]

An ITEM is CODE*N (N responses with status CODE), req*N (N INVITE
requests), raw:HEX*N (N datagrams with that payload) or line:TEXT*N (N
datagrams whose payload is TEXT with \\r and \\n unescaped). The sink
prints how many datagrams it received once none came for --idle seconds.
"""
import argparse
import socket
import sys

REASONS = {100: "Trying", 180: "Ringing", 183: "Session Progress",
           200: "OK", 302: "Moved Temporarily", 401: "Unauthorized",
           403: "Forbidden", 404: "Not Found", 407: "Proxy Authentication "
           "Required", 480: "Temporarily Unavailable", 486: "Busy Here",
           487: "Request Terminated", 488: "Not Acceptable Here",
           500: "Server Internal Error", 503: "Service Unavailable",
           603: "Decline"}


def response(code, seq):
    reason = REASONS.get(code, "Reason %d" % code)
    return ("SIP/2.0 %d %s\r\n"
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-%d\r\n"
            "From: <sip:alice@example.com>;tag=1928301774\r\n"
            "To: <sip:bob@example.com>;tag=a6c85cf\r\n"
            "Call-ID: a84b4c76e66710-%d@example.com\r\n"
            "CSeq: %d INVITE\r\n"
            "Content-Length: 0\r\n\r\n" % (code, reason, seq, seq, seq)
            ).encode()


def request(seq):
    return ("INVITE sip:bob@example.com SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-%d\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:alice@example.com>;tag=1928301774\r\n"
            "To: <sip:bob@example.com>\r\n"
            "Call-ID: a84b4c76e66710-%d@example.com\r\n"
            "CSeq: %d INVITE\r\n"
            "Content-Length: 0\r\n\r\n" % (seq, seq, seq)).encode()


def payloads(items):
    seq = 0
    for item in items:
        what, _, count = item.rpartition("*")
        if not what:
            what, count = count, "1"
        for _ in range(int(count)):
            seq += 1
            if what == "req":
                yield request(seq)
            elif what.startswith("raw:"):
                yield bytes.fromhex(what[4:])
            elif what.startswith("line:"):
                yield what[5:].replace("\\r", "\r").replace(
                    "\\n", "\n").encode()
            else:
                yield response(int(what), seq)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("-6", dest="v6", action="store_true")
    s.add_argument("--sport", type=int, default=5060)
    s.add_argument("dst")
    s.add_argument("dport", type=int)
    s.add_argument("items", nargs="+")
    r = sub.add_parser("sink")
    r.add_argument("-6", dest="v6", action="store_true")
    r.add_argument("port", type=int)
    r.add_argument("--idle", type=float, default=2.0)
    a = ap.parse_args()

    fam = socket.AF_INET6 if a.v6 else socket.AF_INET
    sk = socket.socket(fam, socket.SOCK_DGRAM)
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.cmd == "send":
        sk.bind(("::" if a.v6 else "0.0.0.0", a.sport))
        n = 0
        for p in payloads(a.items):
            sk.sendto(p, (a.dst, a.dport))
            n += 1
        print(n)
        return 0
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sk.bind(("::" if a.v6 else "0.0.0.0", a.port))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    n = 0
    sk.settimeout(30)
    while True:
        try:
            sk.recv(65535)
        except socket.timeout:
            break
        n += 1
        sk.settimeout(a.idle)
    print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
