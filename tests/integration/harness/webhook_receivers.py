"""Receivers of callgate-mgmt's call events for tests: a JSON webhook (with
failures on demand), one that accepts and never answers, and an XML-RPC
server; each records what it got. Standard library only; threads end with
the test process (daemon threads), servers are closed by the test."""

import hashlib
import hmac
import http.server
import json
import socket
import threading
import time
import xmlrpc.server


class Recorder:
    """What a receiver got, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def add(self, item):
        with self.lock:
            self.items.append(item)

    def snapshot(self):
        with self.lock:
            return list(self.items)

    def wait_for(self, predicate, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [i for i in self.snapshot() if predicate(i)]
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError("not received; got %s" % json.dumps(self.snapshot())[:3000])


def http_receiver(recorder, failures_per_delivery=0):
    """A webhook receiver: records each POST; answers 500 to the first
    `failures_per_delivery` attempts of each delivery, then 200."""
    attempts = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            delivery = self.headers.get("X-Callgate-Delivery", "")
            attempts[delivery] = attempts.get(delivery, 0) + 1
            fail = attempts[delivery] <= failures_per_delivery
            recorder.add({"headers": {k.lower(): v for k, v in self.headers.items()},
                          "body": body, "at": time.time(), "status": 500 if fail else 200})
            self.send_response(500 if fail else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def hanging_receiver(connections):
    """Accepts connections and never answers."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    held = []

    def run():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            held.append(conn)
            connections.add(time.time())

    threading.Thread(target=run, daemon=True).start()
    return sock, held


def xmlrpc_receiver(recorder, method="callgate.callEvent"):
    """An XML-RPC server recording the one struct each call of `method` carries."""
    server = xmlrpc.server.SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False,
                                              allow_none=True)
    server.register_function(lambda event: recorder.add(event) or True, method)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def signature_valid(headers, body, secret):
    """X-Callgate-Signature: t=<unix>,v1=hex(HMAC-SHA256(secret, "<t>.<body>"))."""
    parts = dict(p.split("=", 1) for p in headers["x-callgate-signature"].split(","))
    expected = hmac.new(secret.encode(), (parts["t"] + "." + body).encode(),
                        hashlib.sha256).hexdigest()
    return hmac.compare_digest(parts["v1"], expected) and abs(int(parts["t"]) - time.time()) < 60


def events_of(recorder, key, value):
    """The JSON events a webhook recorder got whose `key` (dotted for nested) is `value`."""
    out = []
    for item in recorder.snapshot():
        event = json.loads(item["body"])
        v = event
        for part in key.split("."):
            v = v.get(part) if isinstance(v, dict) else None
        if v == value:
            out.append((item, event))
    return out
