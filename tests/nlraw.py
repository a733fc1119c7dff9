#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made, mostly malformed, sipcode generic netlink requests.

  nlraw.py CASE...

For each CASE prints one line: CASE errno=N msg=EXTACK-MESSAGE, where N is
the error the kernel acked with (0: accepted; for a case of several
requests, the first error). The message layout follows
include/uapi/linux/sipcode.h; the numbers are read from it, not copied.
"""
import errno
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLM_F_DUMP = 0x300
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLA_F_NESTED = 0x8000


def uapi():
    """The enum values of the UAPI header, by name."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "include", "uapi", "linux", "sipcode.h")
    text = open(path).read()
    vals = {m[0]: int(m[1]) for m in
            re.findall(r"#define (\w+)\s+(\d+)\n", text)}
    for body in re.findall(r"enum \w+ \{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        i = 0
        for entry in (n.strip() for n in body.split(",")):
            name, _, value = (x.strip() for x in entry.partition("="))
            if not name:
                continue
            if value:
                # NAME = N, or NAME = (__NAME - 1) after the count.
                m = re.fullmatch(r"\(?(\w+)\s*-\s*1\)?", value)
                i = vals[m[1]] - 1 if m else int(value, 0)
            vals[name] = i
            i += 1
    return vals


U = uapi()


def attr(typ, data):
    a = struct.pack("HH", 4 + len(data), typ) + data
    return a + b"\0" * (-len(a) % 4)


def nest(typ, *attrs):
    return attr(typ | NLA_F_NESTED, b"".join(attrs))


class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                NETLINK_GENERIC)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sk.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, payload, flags=NLM_F_ACK):
        """Send one request; return (errno, extack message, messages)."""
        self.seq += 1
        body = struct.pack("BBH", cmd, 1, 0) + payload
        hdr = struct.pack("IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | flags, self.seq, 0)
        self.sk.send(hdr + body)
        msgs = []
        while True:
            data = self.sk.recv(1 << 16)
            off = 0
            while off < len(data):
                ln, typ, fl, seq, _ = struct.unpack_from("IHHII", data, off)
                msg = data[off + 16:off + ln]
                off += (ln + 3) & ~3
                if typ == NLMSG_DONE:
                    return 0, "", msgs
                if typ != NLMSG_ERROR:
                    msgs.append(msg[4:])
                    continue
                err = -struct.unpack_from("i", msg)[0]
                text = ""
                if fl & NLM_F_ACK_TLVS:
                    tlv = msg[4 + 16:]
                    while len(tlv) >= 4:
                        aln, atyp = struct.unpack_from("HH", tlv)
                        if atyp == NLMSGERR_ATTR_MSG:
                            text = tlv[4:aln].rstrip(b"\0").decode()
                        tlv = tlv[(aln + 3) & ~3:]
                return err, text, msgs

    def family(self, name):
        err, text, msgs = self.request(
            GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
            attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err or not msgs:
            sys.exit("nlraw: family %s: %s" % (name, os.strerror(err)))
        tlv = msgs[0]
        while tlv:
            aln, atyp = struct.unpack_from("HH", tlv)
            if atyp == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("H", tlv, 4)[0]
            tlv = tlv[(aln + 3) & ~3:]
        sys.exit("nlraw: no family id")


def u8(typ, v):
    return attr(typ, struct.pack("B", v))


def u32(typ, v):
    return attr(typ, struct.pack("I", v))


def rule(**kw):
    """A SIPCODE_A_RULE nest; keys are enum sipcode_rule_attr suffixes."""
    sizes = {"CODE": u32, "CLASS": u32, "LOW": u32, "HIGH": u32,
             "ACTION": u32, "MARK": u32, "MASK": u32}
    return nest(U["SIPCODE_A_RULE"],
                *[sizes[k](U["SIPCODE_RULE_A_" + k], v)
                  for k, v in kw.items()])


def rule_cases():
    ADD = U["SIPCODE_CMD_RULE_ADD"]
    DEL = U["SIPCODE_CMD_RULE_DEL"]
    CFG = U["SIPCODE_CMD_CONFIG_SET"]
    DROP = U["SIPCODE_ACTION_DROP"]
    MARK = U["SIPCODE_ACTION_MARK"]
    lo, hi = U["SIPCODE_CODE_MIN"], U["SIPCODE_CODE_MAX"]
    return {
        "rule-code-low": (ADD, rule(CODE=lo - 1, ACTION=DROP), NLM_F_ACK),
        "rule-code-high": (ADD, rule(CODE=hi + 1, ACTION=DROP), NLM_F_ACK),
        "rule-class-0": (ADD, rule(CLASS=0, ACTION=DROP), NLM_F_ACK),
        "rule-class-7": (ADD, rule(CLASS=7, ACTION=DROP), NLM_F_ACK),
        "rule-range-high": (ADD, rule(LOW=600, HIGH=700, ACTION=DROP),
                            NLM_F_ACK),
        "rule-low-above-high": (ADD, rule(LOW=490, HIGH=480, ACTION=DROP),
                                NLM_F_ACK),
        "rule-low-only": (ADD, rule(LOW=480, ACTION=DROP), NLM_F_ACK),
        "rule-two-matches": (ADD, rule(CODE=503, CLASS=5, ACTION=DROP),
                             NLM_F_ACK),
        "rule-no-match": (ADD, rule(ACTION=DROP), NLM_F_ACK),
        "rule-no-action": (ADD, rule(CODE=503), NLM_F_ACK),
        "rule-action-0": (ADD, rule(CODE=503, ACTION=0), NLM_F_ACK),
        "rule-action-unknown": (ADD, rule(CODE=503,
                                          ACTION=U["__SIPCODE_ACTION_MAX"]),
                                NLM_F_ACK),
        "rule-mark-missing": (ADD, rule(CODE=503, ACTION=MARK), NLM_F_ACK),
        "rule-mask-zero": (ADD, rule(CODE=503, ACTION=MARK, MARK=0, MASK=0),
                           NLM_F_ACK),
        "rule-mark-outside-mask": (ADD, rule(CODE=503, ACTION=MARK,
                                             MARK=0x100, MASK=0xff),
                                   NLM_F_ACK),
        "rule-mark-with-drop": (ADD, rule(CODE=503, ACTION=DROP, MARK=1),
                                NLM_F_ACK),
        "rule-missing": (ADD, b"", NLM_F_ACK),
        "rule-del-action": (DEL, rule(CODE=503, ACTION=DROP), NLM_F_ACK),
        "rule-del-none": (DEL, rule(CODE=598), NLM_F_ACK),
        "rule-dup": (ADD, rule(CODE=503, ACTION=DROP), NLM_F_ACK),
        "rule-overlap": (ADD, rule(LOW=485, HIGH=499, ACTION=DROP),
                         NLM_F_ACK),
        "config-bad": (CFG, u32(U["SIPCODE_A_DRY_RUN"], 2), NLM_F_ACK),
        "config-missing": (CFG, b"", NLM_F_ACK),
        "config-method-bad": (CFG, u32(U["SIPCODE_A_BY_METHOD"], 2),
                              NLM_F_ACK),
        "config-reasons-bad": (CFG, u32(U["SIPCODE_A_REASONS"], 7),
                               NLM_F_ACK),
        "config-rate-0": (CFG, u32(U["SIPCODE_A_EVENT_RATE"], 0), NLM_F_ACK),
        "config-rate-high": (CFG, u32(U["SIPCODE_A_EVENT_RATE"],
                                      U["SIPCODE_EVENT_RATE_MAX"] + 1),
                             NLM_F_ACK),
        "config-rate-short": (CFG, u8(U["SIPCODE_A_EVENT_RATE"], 5),
                              NLM_F_ACK),
        "rule-notify-data": (ADD, nest(U["SIPCODE_A_RULE"],
                                       u32(U["SIPCODE_RULE_A_CODE"], 503),
                                       u32(U["SIPCODE_RULE_A_ACTION"], DROP),
                                       u32(U["SIPCODE_RULE_A_NOTIFY"], 1)),
                             NLM_F_ACK),
        "method-attr": (U["SIPCODE_CMD_METHOD_GET"],
                        u32(U["SIPCODE_A_BY_METHOD"], 1), NLM_F_DUMP),
    }


def cases():
    P = U["SIPCODE_A_PORTS"]
    PP = U["SIPCODE_PORT_A_PORT"]
    SET = U["SIPCODE_CMD_PORTS_SET"]
    return {
        "ports-ok": (SET, nest(P, u32(PP, 5060)), NLM_F_ACK),
        "ports-zero": (SET, nest(P, u32(PP, 0)), NLM_F_ACK),
        "ports-empty": (SET, nest(P), NLM_F_ACK),
        "ports-missing": (SET, b"", NLM_F_ACK),
        "ports-many": (SET, nest(P, *[u32(PP, 6000 + i) for i in
                                     range(U["SIPCODE_PORTS_MAX"] + 1)]),
                       NLM_F_ACK),
        "ports-badtype": (SET, nest(P, u32(PP + 1, 5060)), NLM_F_ACK),
        "ports-short": (SET, nest(P, attr(PP, b"\x01")), NLM_F_ACK),
        "ports-notnested": (SET, u32(P, 5060), NLM_F_ACK),
        "ports-extra": (SET, nest(P, u32(PP, 5060)) +
                        u32(U["SIPCODE_A_CODE"], 1), NLM_F_ACK),
        "reset-attr": (U["SIPCODE_CMD_STATS_RESET"],
                       nest(P, u32(PP, 5060)), NLM_F_ACK),
        "stats-attr": (U["SIPCODE_CMD_STATS_GET"],
                       nest(P, u32(PP, 5060)), NLM_F_DUMP),
        "unknown-cmd": (U["__SIPCODE_CMD_MAX"], b"", NLM_F_ACK),
    }


def main():
    g = Genl()
    fam = g.family("sipcode")
    table = cases()
    table.update(rule_cases())
    for name in sys.argv[1:]:
        reqs = table[name]
        err, text = 0, ""
        for cmd, payload, flags in reqs if isinstance(reqs, list) else [reqs]:
            err, text, _ = g.request(fam, cmd, payload, flags)
            if err:
                break
        print("%s errno=%d msg=%s" % (name, err, text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
