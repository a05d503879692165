"""A trunk that challenges: callgated answers 401 and 407 with the peer's
digest credentials (RFC 3261 §22.2, RFC 7616), and a challenge it cannot
answer never reaches the caller as a challenge."""

import hashlib
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
from raw_sip import RawSip, sdp  # noqa: E402


def params(header):
    out = {}
    for part in header[len("Digest "):].split(","):
        k, _, v = part.strip().partition("=")
        out[k] = v.strip('"')
    return out


def expected_response(p, password, method, algorithm):
    hf = hashlib.sha256 if algorithm.startswith("SHA-256") else hashlib.md5
    H = lambda s: hf(s.encode()).hexdigest()  # noqa: E731
    ha1 = H("%s:%s:%s" % (p["username"], p["realm"], password))
    ha2 = H("%s:%s" % (method, p["uri"]))
    if "qop" in p:
        return H(":".join([ha1, p["nonce"], p["nc"], p["cnonce"], p["qop"], ha2]))
    return H(":".join([ha1, p["nonce"], ha2]))


class TrunkDigest(unittest.TestCase):
    def setUp(self):
        self.ctx = h.TestRun("digest")
        run = self.ctx.__enter__()
        self.caller = RawSip(run.procs.closables)
        self.trunk = RawSip(run.procs.closables)
        self.port = h.free_port()
        config = h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": self.port}],
            peers=[{"name": "trunk", "host": "127.0.0.1", "port": self.trunk.port, "transport": "udp",
                    "username": "callgate", "password": "s3cret!", "realm": ""}],
            routes=[{"name": "r", "target_type": "peer", "peer": "trunk"}])
        h.Gateway(run.procs, run.dir, config).start()

    def tearDown(self):
        self.ctx.__exit__(None, None, None)

    def call(self):
        self.caller.send("INVITE sip:100@127.0.0.1:%d SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKd1;rport\n"
                         "Max-Forwards: 70\nFrom: <sip:alice@x>;tag=c1\nTo: <sip:100@127.0.0.1>\nCall-ID: d1\n"
                         "CSeq: 1 INVITE\nContact: <sip:alice@127.0.0.1:%d>\nContent-Type: application/sdp\n"
                         "Content-Length: %d\n\n%s" % (self.port, self.caller.port, self.caller.port,
                                                       len(sdp(4000)), sdp(4000)), ("127.0.0.1", self.port))

    def challenge_and_check(self, status, header, answer_header, algorithm, qop):
        self.call()
        first = self.trunk.recv()
        self.assertIsNone(first.get(answer_header))
        challenge = 'Digest realm="trunk.example", nonce="n0nce-%d", algorithm=%s' % (status, algorithm)
        if qop:
            challenge += ', qop="auth"'
        self.trunk.respond(first, status, "Auth", "tt", "%s: %s\r\n" % (header, challenge))
        ack = self.trunk.recv()
        self.assertEqual(ack.method, "ACK")
        second = self.trunk.recv()
        self.assertEqual(second.method, "INVITE")
        self.assertEqual(second.get("Call-ID"), first.get("Call-ID"))
        self.assertGreater(int(second.get("CSeq").split()[0]), int(first.get("CSeq").split()[0]))
        p = params(second.get(answer_header))
        self.assertEqual(p["username"], "callgate")
        self.assertEqual(p["realm"], "trunk.example")
        self.assertEqual(p["response"], expected_response(p, "s3cret!", "INVITE", algorithm))
        self.trunk.respond(second, 486, "Busy Here", "tt2")
        self.assertEqual(self.trunk.recv().method, "ACK")
        final = self.caller.recv(skip=("100", "180", "183"))
        self.assertEqual(final.status, 486)

    def test_401_md5_with_qop(self):
        self.challenge_and_check(401, "WWW-Authenticate", "Authorization", "MD5", True)

    def test_407_sha256_without_qop(self):
        self.challenge_and_check(407, "Proxy-Authenticate", "Proxy-Authorization", "SHA-256", False)

    def test_rejected_credentials_reach_the_caller_as_403(self):
        self.call()
        for _ in range(3):
            inv = self.trunk.recv()
            if inv.method != "INVITE":
                continue
            self.trunk.respond(inv, 401, "Unauthorized", "tt",
                               'WWW-Authenticate: Digest realm="t", nonce="%s"\r\n' % inv.get("CSeq"))
        final = self.caller.recv(skip=("100", "180"))
        self.assertEqual(final.status, 403)
        self.assertIsNone(final.get("WWW-Authenticate"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
