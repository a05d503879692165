"""callgate-mgmt against slow and greedy clients ("slow-loris").

callgated and callgate-mgmt run with management.request_timeout_s = 3 and
management.max_connections_per_address = 8. Then, as a user sees it:

a) 40 connections from 127.0.0.2 complete TLS and trickle a request header
   a byte a second. Eight are served (they hold server threads) and each is
   answered 408 and closed within the request timeout + 2 s; the other 32
   are answered 503 with the API's JSON error at once. Meanwhile an
   administrator on 127.0.0.1 gets every one of 20 status requests answered
   200 within a couple of seconds.
b) A body announced as 1000 bytes and trickled a byte a second is cut off
   the same way (408, closed).
c) Afterwards 127.0.0.2 is served normally again: its count of open
   connections went back to zero.

The loopback interface accepts any 127/8 source address, so binding the
attacking sockets to 127.0.0.2 makes them another client address.
"""

import http.client
import json
import os
import socket
import ssl
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
from mgmt_client import Management  # noqa: E402

API = "/api/v1"
REQUEST_TIMEOUT_S = 3
MAX_PER_ADDRESS = 8
ATTACKER = "127.0.0.2"
LORIS_COUNT = 40
CLOSE_WITHIN_S = REQUEST_TIMEOUT_S + 2
NORMAL_REQUESTS = 20
NORMAL_LATENCY_S = 2.5


def tls_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def parse_response(data):
    """(status, lower-case headers, JSON body or None) of raw HTTP response bytes."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1]) if lines and lines[0].startswith("HTTP/1.1 ") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = None
    return status, headers, parsed


class SlowClient(threading.Thread):
    """One TLS connection from `source` that sends `head` at once, then
    `trickle` a byte a second, and reads whatever the server answers until it
    closes (or `limit_s` passes)."""

    def __init__(self, port, head=b"", trickle=b"", source=ATTACKER, barrier=None, limit_s=15.0):
        super().__init__(daemon=True)
        self.port = port
        self.head = head
        self.trickle = trickle
        self.source = source
        self.barrier = barrier
        self.limit_s = limit_s
        self.sock = None
        self.handshake_ok = False
        self.response = b""
        self.sent = 0
        self.closed_after = None  # seconds from connect to the server's close
        self.first_answer_after = None
        self.error = None

    def run(self):
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        started = None
        try:
            raw.bind((self.source, 0))
            raw.settimeout(10)
            if self.barrier is not None:
                self.barrier.wait(timeout=10)
            raw.connect(("127.0.0.1", self.port))
            started = time.monotonic()
            self.sock = tls_context().wrap_socket(raw)
            self.handshake_ok = True
            if self.head:
                self.sock.sendall(self.head)
            while time.monotonic() - started < self.limit_s:
                self.sock.settimeout(1.0)
                try:
                    data = self.sock.recv(65536)
                except socket.timeout:
                    if self.sent < len(self.trickle):
                        self.sock.sendall(self.trickle[self.sent:self.sent + 1])
                        self.sent += 1
                    continue
                if not data:
                    self.closed_after = time.monotonic() - started
                    return
                if self.first_answer_after is None:
                    self.first_answer_after = time.monotonic() - started
                self.response += data
        except (ssl.SSLError, ConnectionError) as e:
            # A reset or a TLS-level EOF is the server closing, too.
            if started is not None:
                self.closed_after = time.monotonic() - started
            self.error = e
        except Exception as e:  # reported by the test
            self.error = e
        finally:
            (self.sock or raw).close()

    def status(self):
        return parse_response(self.response)[0] if self.response else None


def loris_header():
    """A request whose header never ends: what the slow clients trickle."""
    return (b"GET " + API.encode() + b"/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            + b"a" * 200)


def request_from(port, source, method, path, headers=None, body=None):
    """(status, JSON, seconds) of one request over a new connection from `source`."""
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=tls_context(), timeout=15,
                                       source_address=(source, 0))
    started = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        text = r.read().decode("utf-8", "replace")
    finally:
        conn.close()
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    return r.status, parsed, time.monotonic() - started


class MgmtSlowloris(unittest.TestCase):
    def test_slow_and_greedy_clients(self):
        with h.TestRun("mgmt-slowloris") as run:
            mgmt = gw = None
            threads = []
            try:
                https_port = h.free_port(both=False)
                sip_port = h.free_port()
                config = h.gateway_config(
                    listeners=[{"name": "udp", "transport": "udp", "port": sip_port}],
                    management={"https_port": https_port, "http_redirect_port": 0,
                                "request_timeout_s": REQUEST_TIMEOUT_S,
                                "max_connections_per_address": MAX_PER_ADDRESS})
                gw = h.Gateway(run.procs, run.dir, config).start()
                mgmt = Management(run.procs, run.dir, gw.db, https_port).start()
                admin = mgmt.admin()
                r = admin.post(API + "/api_keys", {"name": "from-attacker-address",
                                                   "role": "admin"})
                self.assertEqual(r.status, 201, r)
                key = r.json["key"]
                self.attack(https_port, admin, threads)
                self.slow_body(https_port, threads)
                self.served_again(https_port, key)
                self.logged(mgmt)
            except Exception:
                if mgmt is not None:
                    print("---- callgate-mgmt log (tail) ----\n" + mgmt.read_log()[-8000:],
                          file=sys.stderr)
                if gw is not None:
                    print("---- callgated log (tail) ----\n" + gw.read_log()[-3000:],
                          file=sys.stderr)
                raise
            finally:
                for t in threads:
                    if t.sock is not None:
                        try:
                            t.sock.close()
                        except OSError:
                            pass
                for t in threads:
                    t.join(timeout=20)

    def attack(self, port, admin, threads):
        barrier = threading.Barrier(LORIS_COUNT)
        lorises = [SlowClient(port, trickle=loris_header(), barrier=barrier)
                   for _ in range(LORIS_COUNT)]
        threads.extend(lorises)
        for t in lorises:
            t.start()
        time.sleep(0.5)
        # Meanwhile an honest client is served as usual.
        latencies = []
        for _ in range(NORMAL_REQUESTS):
            started = time.monotonic()
            r = admin.get(API + "/status")
            latencies.append(time.monotonic() - started)
            self.assertEqual(r.status, 200, r)
            time.sleep(0.1)
        print("\nstatus requests from 127.0.0.1 during the attack: %s ms"
              % [round(1000 * s) for s in latencies], file=sys.stderr)
        for t in lorises:
            t.join(timeout=CLOSE_WITHIN_S + 10)
        self.assertEqual([t for t in lorises if t.is_alive()], [])
        self.assertLess(max(latencies), NORMAL_LATENCY_S, latencies)

        for t in lorises:
            self.assertTrue(t.handshake_ok, "TLS failed: %r" % t.error)
        served = [t for t in lorises if t.status() != 503]
        refused = [t for t in lorises if t.status() == 503]
        print("slow clients: %d served, %d refused; served ones closed after %s s"
              % (len(served), len(refused), [round(t.closed_after or -1, 1) for t in served]),
              file=sys.stderr)
        self.assertEqual(len(served), MAX_PER_ADDRESS)
        self.assertEqual(len(refused), LORIS_COUNT - MAX_PER_ADDRESS)
        for t in refused:
            status, headers, body = parse_response(t.response)
            self.assertEqual(body["error"]["code"], "too_many_connections", t.response)
            self.assertTrue(body["error"]["message"], t.response)
            self.assertTrue(headers["content-type"].startswith("application/json"), headers)
            self.assertEqual(headers.get("connection", "").lower(), "close", headers)
            self.assertIn("retry-after", headers)
            self.assertIsNotNone(t.closed_after, "a refused connection stayed open")
            # At once: before the client trickled much.
            self.assertLess(t.first_answer_after, 2.0)
        for t in served:
            # They trickled for the whole request timeout, then got 408 and
            # were closed.
            self.assertGreaterEqual(t.sent, REQUEST_TIMEOUT_S - 1, t.response)
            self.assertIsNotNone(t.closed_after, "a slow client was never closed")
            self.assertLessEqual(t.closed_after, CLOSE_WITHIN_S)
            status, headers, body = parse_response(t.response)
            self.assertEqual(status, 408, t.response)
            self.assertEqual(body["error"]["code"], "request_timeout", t.response)
            self.assertEqual(headers.get("connection", "").lower(), "close", headers)

    def slow_body(self, port, threads):
        body = b'{"user": "admin", "password": "' + b"x" * 960
        head = (b"POST " + API.encode() + b"/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
        t = SlowClient(port, head=head, trickle=body)
        threads.append(t)
        t.start()
        t.join(timeout=CLOSE_WITHIN_S + 10)
        self.assertFalse(t.is_alive())
        self.assertTrue(t.handshake_ok, "TLS failed: %r" % t.error)
        print("slow body: %d bytes sent, closed after %.1f s"
              % (t.sent, t.closed_after or -1), file=sys.stderr)
        self.assertIsNotNone(t.closed_after, "the slow body was never cut off")
        self.assertLessEqual(t.closed_after, CLOSE_WITHIN_S)
        self.assertLess(t.sent, 1000)
        status, headers, parsed = parse_response(t.response)
        self.assertEqual(status, 408, t.response)
        self.assertEqual(parsed["error"]["code"], "request_timeout", t.response)

    def served_again(self, port, key):
        # Every connection of the attack was uncounted: the address may hold
        # its full share again.
        idle = []
        try:
            for _ in range(MAX_PER_ADDRESS):
                raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                raw.bind((ATTACKER, 0))
                raw.settimeout(5)
                raw.connect(("127.0.0.1", port))
                idle.append(tls_context().wrap_socket(raw))
            for s in idle:
                s.settimeout(0.3)
                with self.assertRaises(socket.timeout):  # no 503: the server waits for a request
                    s.recv(100)
        finally:
            for s in idle:
                s.close()
        auth = {"Authorization": "Bearer " + key}
        for _ in range(5):
            status, body, seconds = request_from(port, ATTACKER, "GET", API + "/status", auth)
            self.assertEqual(status, 200, body)
            self.assertLess(seconds, NORMAL_LATENCY_S)
        status, body, _ = request_from(port, ATTACKER, "GET", API + "/peers")
        self.assertEqual(status, 401, body)
        self.assertEqual(body["error"]["code"], "unauthenticated")

    def logged(self, mgmt):
        log = mgmt.read_log()
        refusals = [line for line in log.splitlines()
                    if "refused a connection from " + ATTACKER in line]
        timeouts = [line for line in log.splitlines()
                    if "closed a connection from " + ATTACKER in line]
        # 32 refusals and 9 timeouts within seconds: one line each per 10 s.
        self.assertGreaterEqual(len(refusals), 1, log[-3000:])
        self.assertLessEqual(len(refusals), 2, refusals)
        self.assertGreaterEqual(len(timeouts), 1, log[-3000:])
        self.assertLessEqual(len(timeouts), 3, timeouts)


if __name__ == "__main__":
    unittest.main(verbosity=2)
