"""A tiny authoritative DNS server on loopback for RFC 3263 tests: answers
NAPTR, SRV, A and AAAA from a dict, everything else with NXDOMAIN."""

import socket
import struct
import threading


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def decode_name(data, offset):
    labels = []
    while True:
        length = data[offset]
        offset += 1
        if length == 0:
            return ".".join(labels), offset
        labels.append(data[offset:offset + length].decode())
        offset += length


TYPES = {"A": 1, "AAAA": 28, "SRV": 33, "NAPTR": 35}


def rdata(rtype, value):
    if rtype == "A":
        return socket.inet_pton(socket.AF_INET, value)
    if rtype == "AAAA":
        return socket.inet_pton(socket.AF_INET6, value)
    if rtype == "SRV":
        priority, weight, port, target = value
        return struct.pack(">HHH", priority, weight, port) + encode_name(target)
    if rtype == "NAPTR":
        order, pref, flags, service, regexp, replacement = value
        def cs(s):
            return bytes([len(s)]) + s.encode()
        return struct.pack(">HH", order, pref) + cs(flags) + cs(service) + cs(regexp) + encode_name(replacement)
    raise ValueError(rtype)


class DnsServer:
    """zone: {(name, "SRV"): [values...]}; queries are recorded in `queries`."""

    def __init__(self, zone):
        self.zone = {(n.lower().rstrip("."), t): v for (n, t), v in zone.items()}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.queries = []
        self.stop_flag = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self.stop_flag:
            try:
                data, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                self.sock.sendto(self._answer(data), peer)
            except Exception:  # malformed query: ignore, like a real server would
                continue

    def _answer(self, query):
        qid, flags, qdcount = struct.unpack(">HHH", query[:6])
        name, offset = decode_name(query, 12)
        qtype, qclass = struct.unpack(">HH", query[offset:offset + 4])
        question = query[12:offset + 4]
        rtype = {v: k for k, v in TYPES.items()}.get(qtype)
        self.queries.append((name, rtype))
        records = self.zone.get((name.lower(), rtype), [])
        known = any(n == name.lower() for n, _ in self.zone)
        rcode = 0 if (records or known) else 3
        header = struct.pack(">HHHHHH", qid, 0x8400 | rcode, 1, len(records), 0, 0)
        answers = b""
        for value in records:
            rd = rdata(rtype, value)
            answers += encode_name(name) + struct.pack(">HHIH", qtype, 1, 60, len(rd)) + rd
        return header + question + answers

    def close(self):
        self.stop_flag = True
        self.sock.close()
