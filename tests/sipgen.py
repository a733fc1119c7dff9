#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send or receive SIP over UDP and TCP for the sipcode selftests.

  sipgen.py send [-6] [--sport P] [--ext dst|hop] [--gap S] [--spread]
                 DST DPORT ITEM...
  sipgen.py sink [-6] PORT [--idle S]
  sipgen.py tcp [-6] [--sport P] [--gap S] [--bytes] [--conns N]
                DST DPORT SEGMENT...
  sipgen.py tcpsink [-6] PORT [--conns N] [--timeout S]
  sipgen.py gso [-6] [--sport P] [--size B] DST DPORT CODE N

send: one datagram per ITEM (and repetition). An ITEM is CODE*N (N
responses with status CODE), req*N (N INVITE requests), raw:HEX*N (N
datagrams with that payload), line:TEXT*N (N datagrams whose payload is
TEXT with \\r and \\n unescaped) or pad:CODE:SIZE*N (N responses of exactly
SIZE bytes, padded with a body), or one of these responses (N of them):
  m:CODE:METHOD   with "CSeq: SEQ METHOD"; METHOD - for no CSeq header
  h:CODE:TEXT     with TEXT (\\r, \\n and \\t unescaped) in place of the
                  CSeq line: another spelling, or several header lines
  r:CODE:REASON   with the reason phrase REASON (any UTF-8), %d in it the
                  repetition (1 to N); an empty REASON gives the status line
                  "SIP/2.0 CODE" with no space after the code
--ext sends over IPv6 with a destination options (dst) or hop-by-hop
(hop) extension header holding a PadN option. --gap waits S seconds
between datagrams. --spread interleaves the ITEMs evenly instead of
sending them one after another (a*2 b*4: b a b b a b). Prints the number
of datagrams sent. The sink prints how many datagrams it
received once none came for --idle seconds.

tcp: connects (TCP_NODELAY) and sends each SEGMENT with one send(),
--gap seconds apart, so that each is a TCP segment of its own; prints the
number of segments (and, with --bytes, the number of bytes sent). A SEGMENT is a +-joined list of items, each with an
optional *N repetition:
  CODE            a response, Content-Length: 0
  m:CODE:METHOD, h:CODE:TEXT, r:CODE:REASON
                  a response as send makes it (TEXT without +)
  req             an INVITE, Content-Length: 0
  min:CODE        a minimal response: status line, Content-Length: 0
  notify-sipfrag  a NOTIFY whose message/sipfrag body is a 503 status line
  cl:FORM:CODE    a response whose body is a 599 status line, with its
                  length in FORM: compact (l: N), lower (content-length:N)
                  or spaced (Content-Length  :  N)
  pad:CODE:SIZE   a response of exactly SIZE bytes
  nolen:CODE      a response without Content-Length
  half:CODE       a response with a body, cut in the middle of the body
  cut:AT:ITEM     the first AT bytes of ITEM (any item above; AT < 0: all
                  but the last -AT; AT "body": its start line and
                  headers), the rest left for rest
  rest            the rest of the last half:CODE or cut:AT:ITEM
  crlf            a keep-alive, CRLF CRLF
A SEGMENT wait:FILE sends nothing: once every byte sent so far has been
acknowledged (SIOCOUTQ is 0), creates FILE and waits until it is removed.
--conns N opens N connections, one after another, then sends each
SEGMENT on each of them in turn; --bytes counts the bytes of one.
tcpsink accepts one connection (--conns: N in turn), reads it to the end
and prints the number of bytes received (a line per connection, before
it closes its end). It waits --timeout seconds at most for a connection.
Connections made at once wait in its backlog of N.

gso: sends N datagrams, each a response with status CODE padded to --size
bytes, in one send() with UDP_SEGMENT; prints N.
"""
import argparse
import array
import fcntl
import os
import socket
import sys
import termios
import time

SOL_UDP = 17
UDP_SEGMENT = 103
# A destination options or hop-by-hop header: next header and length
# (filled in by the kernel), then a PadN option of 4 zero bytes.
EXT_PADN = bytes([0, 0, 1, 4, 0, 0, 0, 0])

REASONS = {100: "Trying", 180: "Ringing", 183: "Session Progress",
           200: "OK", 302: "Moved Temporarily", 401: "Unauthorized",
           403: "Forbidden", 404: "Not Found", 407: "Proxy Authentication "
           "Required", 480: "Temporarily Unavailable", 486: "Busy Here",
           487: "Request Terminated", 488: "Not Acceptable Here",
           500: "Server Internal Error", 503: "Service Unavailable",
           603: "Decline"}


def response(code, seq, reason=None, cseq=None):
    """A response; reason and cseq (the CSeq line, b"" for none) as bytes."""
    if reason is None:
        reason = REASONS.get(code, "Reason %d" % code).encode()
    if cseq is None:
        cseq = b"CSeq: %d INVITE\r\n" % seq
    status = b"SIP/2.0 %d %s\r\n" % (code, reason) if reason else \
        b"SIP/2.0 %d\r\n" % code
    return status + ("Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-%d\r\n"
                     "From: <sip:alice@example.com>;tag=1928301774\r\n"
                     "To: <sip:bob@example.com>;tag=a6c85cf\r\n"
                     "Call-ID: a84b4c76e66710-%d@example.com\r\n"
                     % (seq, seq)).encode() + cseq + \
        b"Content-Length: 0\r\n\r\n"


def unescape(text):
    """TEXT from the command line as bytes, \\r, \\n and \\t unescaped."""
    return os.fsencode(text).replace(b"\\r", b"\r").replace(
        b"\\n", b"\n").replace(b"\\t", b"\t")


def custom(kind, arg, seq, rep):
    """The response of an m:, h: or r: item (rep: its repetition, from 1),
    or None for another kind."""
    if kind not in ("m", "h", "r"):
        return None
    code, _, arg = arg.partition(":")
    code = int(code)
    if kind == "m":
        if arg == "-":
            return response(code, seq, cseq=b"")
        return response(code, seq, cseq=b"CSeq: %d %s\r\n" %
                        (seq, os.fsencode(arg)))
    if kind == "h":
        return response(code, seq, cseq=unescape(arg) + b"\r\n")
    return response(code, seq, reason=os.fsencode(arg.replace("%d",
                                                              str(rep))))


def padded(code, seq, size):
    """A response of exactly size bytes, the rest of it a body."""
    head = response(code, seq).replace(b"Content-Length: 0\r\n",
                                       b"Content-Length: %d\r\n")
    blen = size - len(head % 0)
    while blen >= 0 and len(head % blen) + blen > size:
        blen -= 1
    if blen < 0 or len(head % blen) + blen != size:
        raise ValueError("no response of exactly %d bytes" % size)
    return head % blen + body(blen)


def body(n):
    """n bytes of lines that never look like a start line."""
    line = b"a=x-pad:" + b"x" * 56 + b"\r\n"
    return (line * (n // len(line) + 1))[:n]


def request(seq):
    return ("INVITE sip:bob@example.com SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-%d\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:alice@example.com>;tag=1928301774\r\n"
            "To: <sip:bob@example.com>\r\n"
            "Call-ID: a84b4c76e66710-%d@example.com\r\n"
            "CSeq: %d INVITE\r\n"
            "Content-Length: 0\r\n\r\n" % (seq, seq, seq)).encode()


def units(items, spread=False):
    """(ITEM without *N, repetition from 1) for each datagram, in the
    order given or, with spread, each ITEM's repetitions spread evenly."""
    parsed = []
    for item in items:
        what, _, count = item.rpartition("*")
        if not what:
            what, count = count, "1"
        parsed.append((what, int(count)))
    if not spread:
        return ((what, rep) for what, n in parsed
                for rep in range(1, n + 1))
    order = sorted(((rep - 0.5) / n, i, rep)
                   for i, (_, n) in enumerate(parsed)
                   for rep in range(1, n + 1))
    return ((parsed[i][0], rep) for _, i, rep in order)


def payloads(items, spread=False):
    seq = 0
    for what, rep in units(items, spread):
        seq += 1
        kind, _, arg = what.partition(":")
        msg = custom(kind, arg, seq, rep)
        if msg is not None:
            yield msg
        elif what == "req":
            yield request(seq)
        elif what.startswith("raw:"):
            yield bytes.fromhex(what[4:])
        elif what.startswith("pad:"):
            code, _, size = what[4:].partition(":")
            yield padded(int(code), seq, int(size))
        elif what.startswith("line:"):
            yield what[5:].replace("\\r", "\r").replace(
                "\\n", "\n").encode()
        else:
            yield response(int(what), seq)


def notify_sipfrag(seq):
    frag = b"SIP/2.0 503 Service Unavailable\r\n"
    return ("NOTIFY sip:alice@192.0.2.1:5060 SIP/2.0\r\n"
            "Via: SIP/2.0/TCP 192.0.2.2:5060;branch=z9hG4bK-n%d\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:bob@example.com>;tag=a6c85cf\r\n"
            "To: <sip:alice@example.com>;tag=1928301774\r\n"
            "Call-ID: a84b4c76e66710-%d@example.com\r\n"
            "CSeq: %d NOTIFY\r\n"
            "Event: refer\r\n"
            "Subscription-State: active;expires=60\r\n"
            "Content-Type: message/sipfrag;version=2.0\r\n"
            "Content-Length: %d\r\n\r\n" % (seq, seq, seq, len(frag))
            ).encode() + frag


CL_FORMS = {"compact": "l: %d", "lower": "content-length:%d",
            "spaced": "Content-Length  :  %d"}


def item(what, state, seq, rep):
    """The bytes of one item of a TCP segment (see segment())."""
    kind, _, arg = what.partition(":")
    msg = custom(kind, arg, seq, rep)
    if msg is not None:
        return msg
    if kind == "crlf":
        return b"\r\n\r\n"
    if kind == "req":
        return request(seq)
    if kind == "notify-sipfrag":
        return notify_sipfrag(seq)
    if kind == "min":
        return b"SIP/2.0 %d X\r\nContent-Length: 0\r\n\r\n" % int(arg)
    if kind == "cl":
        form, _, code = arg.partition(":")
        trap = b"SIP/2.0 599 Body Trap\r\n"
        hdr = (CL_FORMS[form] % len(trap)).encode()
        return response(int(code), seq).replace(
            b"Content-Length: 0", hdr) + trap
    if kind == "pad":
        code, _, size = arg.partition(":")
        return padded(int(code), seq, int(size))
    if kind == "nolen":
        return response(int(arg), seq).replace(b"Content-Length: 0\r\n", b"")
    if kind == "half":
        msg = response(int(arg), seq).replace(
            b"Content-Length: 0", b"Content-Length: 200") + body(200)
        cut = len(msg) - 100
        state["rest"] = msg[cut:]
        return msg[:cut]
    if kind == "cut":
        at, _, inner = arg.partition(":")
        state["seq"] -= 1
        msg = segment(inner, state)
        cut = msg.index(b"\r\n\r\n") + 4 if at == "body" else int(at)
        state["rest"] = msg[cut:]
        return msg[:cut]
    if kind == "rest":
        return state.pop("rest")
    return response(int(what), seq)


def segment(spec, state):
    """The bytes of one TCP segment, SPEC a +-joined list of items."""
    out = b""
    for it in spec.split("+"):
        what, _, count = it.rpartition("*")
        if not what:
            what, count = count, "1"
        for rep in range(int(count)):
            state["seq"] += 1
            out += item(what, state, state["seq"], rep + 1)
    return out


def wait_acked(socks):
    """Until every byte sent on socks has been acknowledged."""
    buf = array.array("i", [0])
    while True:
        left = 0
        for sk in socks:
            fcntl.ioctl(sk.fileno(), termios.TIOCOUTQ, buf, True)
            left += buf[0]
        if not left:
            return
        time.sleep(0.01)


def tcp_send(a):
    fam = socket.AF_INET6 if a.v6 else socket.AF_INET
    socks = []
    for _ in range(a.conns):
        sk = socket.socket(fam, socket.SOCK_STREAM)
        sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sk.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if a.sport:
            sk.bind(("::" if a.v6 else "0.0.0.0", a.sport))
        sk.settimeout(30)
        sk.connect((a.dst, a.dport))
        socks.append(sk)
    state = {"seq": 0}
    n = nbytes = 0
    for spec in a.segments:
        if spec.startswith("wait:"):
            wait_acked(socks)
            path = spec[5:]
            open(path, "w").close()
            while os.path.exists(path):
                time.sleep(0.05)
            continue
        time.sleep(a.gap)
        data = segment(spec, state)
        for sk in socks:
            if sk.send(data) != len(data):
                raise RuntimeError("short send: segment %r" % spec)
        n += 1
        nbytes += len(data)
    time.sleep(a.gap)
    for sk in socks:
        sk.shutdown(socket.SHUT_WR)
    for sk in socks:
        sk.recv(1)      # the peer's EOF: everything was delivered
        sk.close()
    print("%d %d" % (n, nbytes) if a.bytes else n)
    return 0


def tcp_sink(a):
    fam = socket.AF_INET6 if a.v6 else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("::" if a.v6 else "0.0.0.0", a.port))
    ls.listen(a.conns)
    ls.settimeout(a.timeout)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for _ in range(a.conns):
        sk, _ = ls.accept()
        sk.settimeout(a.timeout)
        n = 0
        while True:
            b = sk.recv(65536)
            if not b:
                break
            n += len(b)
        sys.stdout.write("%d\n" % n)
        sys.stdout.flush()
        sk.close()
    return 0


def gso_send(a):
    fam = socket.AF_INET6 if a.v6 else socket.AF_INET
    sk = socket.socket(fam, socket.SOCK_DGRAM)
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sk.bind(("::" if a.v6 else "0.0.0.0", a.sport))
    sk.setsockopt(SOL_UDP, UDP_SEGMENT, a.size)
    buf = b"".join(padded(a.code, i + 1, a.size) for i in range(a.n))
    if sk.sendto(buf, (a.dst, a.dport)) != len(buf):
        raise RuntimeError("short send")
    print(a.n)
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("-6", dest="v6", action="store_true")
    s.add_argument("--sport", type=int, default=5060)
    s.add_argument("dst")
    s.add_argument("dport", type=int)
    s.add_argument("--ext", choices=("dst", "hop"))
    s.add_argument("--gap", type=float, default=0)
    s.add_argument("--spread", action="store_true")
    s.add_argument("items", nargs="+")
    r = sub.add_parser("sink")
    r.add_argument("-6", dest="v6", action="store_true")
    r.add_argument("port", type=int)
    r.add_argument("--idle", type=float, default=2.0)
    t = sub.add_parser("tcp")
    t.add_argument("-6", dest="v6", action="store_true")
    t.add_argument("--sport", type=int, default=0)
    t.add_argument("--gap", type=float, default=0.05)
    t.add_argument("--bytes", action="store_true")
    t.add_argument("--conns", type=int, default=1)
    t.add_argument("dst")
    t.add_argument("dport", type=int)
    t.add_argument("segments", nargs="+")
    k = sub.add_parser("tcpsink")
    k.add_argument("-6", dest="v6", action="store_true")
    k.add_argument("port", type=int)
    k.add_argument("--conns", type=int, default=1)
    k.add_argument("--timeout", type=float, default=30)
    g = sub.add_parser("gso")
    g.add_argument("-6", dest="v6", action="store_true")
    g.add_argument("--sport", type=int, default=5060)
    g.add_argument("--size", type=int, default=500)
    g.add_argument("dst")
    g.add_argument("dport", type=int)
    g.add_argument("code", type=int)
    g.add_argument("n", type=int)
    a = ap.parse_args()

    if a.cmd == "tcp":
        return tcp_send(a)
    if a.cmd == "tcpsink":
        return tcp_sink(a)
    if a.cmd == "gso":
        return gso_send(a)

    fam = socket.AF_INET6 if a.v6 else socket.AF_INET
    sk = socket.socket(fam, socket.SOCK_DGRAM)
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.cmd == "send":
        sk.bind(("::" if a.v6 else "0.0.0.0", a.sport))
        if a.ext:
            if not a.v6:
                ap.error("--ext needs -6")
            opt = (socket.IPV6_DSTOPTS if a.ext == "dst"
                   else socket.IPV6_HOPOPTS)
            sk.setsockopt(socket.IPPROTO_IPV6, opt, EXT_PADN)
        n = 0
        for p in payloads(a.items, a.spread):
            if n and a.gap:
                time.sleep(a.gap)
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
