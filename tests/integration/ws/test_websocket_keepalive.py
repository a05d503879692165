"""SIP over WebSocket (RFC 7118) keepalive and hygiene: callgated pings idle
WebSocket connections, closes the ones that stop answering, keeps the ones
that do, and refuses upgrades that do not offer the "sip" subprotocol."""

import base64
import os
import socket
import struct
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402


def masked(opcode, payload, key=b"\x01\x02\x03\x04"):
    header = bytes([0x80 | opcode])
    n = len(payload)
    header += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class WsClient:
    def __init__(self, port, closables, protocol="sip"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        closables.append(self.sock)
        key = base64.b64encode(os.urandom(16)).decode()
        request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n" % (port, key))
        if protocol:
            request += "Sec-WebSocket-Protocol: %s\r\n" % protocol
        self.sock.sendall((request + "\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                break
            self.buf += data
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        self.status = int(head.split(b" ")[1]) if head else 0

    def frame(self, timeout):
        """Next frame as (opcode, payload), or None when the server closed."""
        self.sock.settimeout(timeout)
        while True:
            if len(self.buf) >= 2:
                n = self.buf[1] & 0x7F
                off = 2
                if n == 126:
                    n = struct.unpack(">H", self.buf[2:4])[0]
                    off = 4
                if len(self.buf) >= off + n:
                    op, payload = self.buf[0] & 0x0F, self.buf[off:off + n]
                    self.buf = self.buf[off + n:]
                    return op, payload
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data


class WebSocketKeepalive(unittest.TestCase):
    def setUp(self):
        self.ctx = h.TestRun("ws")
        run = self.ctx.__enter__()
        self.run = run
        self.port = h.free_port(socket.SOCK_STREAM, both=False)
        config = h.gateway_config(listeners=[{"name": "ws", "transport": "ws", "port": self.port}],
                                  sip={"ws_ping_interval_s": 1})
        self.gw = h.Gateway(run.procs, run.dir, config).start()

    def tearDown(self):
        self.ctx.__exit__(None, None, None)

    def test_silent_client_is_pinged_then_closed(self):
        c = WsClient(self.port, self.run.procs.closables)
        self.assertEqual(c.status, 101)
        op, _ = c.frame(timeout=5)
        self.assertEqual(op, 9, "expected a ping")
        start = time.time()
        while True:
            f = c.frame(timeout=6)
            if f is None or f[0] == 8:
                break
        self.assertLess(time.time() - start, 5)

    def test_answering_client_stays_connected(self):
        c = WsClient(self.port, self.run.procs.closables)
        deadline = time.time() + 4
        pings = 0
        while time.time() < deadline:
            f = c.frame(timeout=3)
            self.assertIsNotNone(f, "closed although we answered every ping")
            if f[0] == 9:
                pings += 1
                c.sock.sendall(masked(10, f[1]))
        self.assertGreaterEqual(pings, 2)
        options = ("OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bKws1\r\n"
                   "Max-Forwards: 70\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: ws1\r\n"
                   "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
        c.sock.sendall(masked(1, options.encode()))
        while True:
            op, payload = c.frame(timeout=3)
            if op == 1:
                break
        self.assertTrue(payload.startswith(b"SIP/2.0 200 OK"))

    def test_upgrade_without_sip_subprotocol_is_refused(self):
        c = WsClient(self.port, self.run.procs.closables, protocol="chat")
        self.assertEqual(c.status, 400)

    def test_unmasked_frame_closes_with_protocol_error(self):
        c = WsClient(self.port, self.run.procs.closables)
        c.sock.sendall(bytes([0x81, 3]) + b"abc")
        f = c.frame(timeout=3)
        while f is not None and f[0] == 9:
            f = c.frame(timeout=3)
        self.assertIsNotNone(f)
        self.assertEqual(f[0], 8)
        self.assertEqual(struct.unpack(">H", f[1][:2])[0], 1002)


if __name__ == "__main__":
    unittest.main(verbosity=2)
