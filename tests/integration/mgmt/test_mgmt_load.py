"""200 concurrent management API clients for 30 s while 20 calls are up.

Twenty baresip → baresip calls run through callgated. Two hundred clients,
each with its own credential (most an API key, some a login session with its
CSRF token), loop over reads (status, calls, peers) and writes (a disabled
test peer's port or enabled flag) against callgate-mgmt, each write applied
live by callgated. Every request must get an HTTP answer with an expected
status (no connection error, no timeout, no 5xx); every write must reach the
daemon (its revision counts them all); every call must still be up at the end
with no BYE before it, with audio both ways on a sample of calls, and end
normally. Throughput and latency are printed for information only: the
machine is shared, so nothing here asserts on time.

CALLGATE_LOAD_CLIENTS, CALLGATE_LOAD_CALLS, CALLGATE_LOAD_SECONDS and
CALLGATE_LOAD_PACE_S (mean pause between one client's requests) override the
defaults for experiments.
"""

import collections
import http.client
import json
import os
import random
import ssl
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
import call_pairs as cp  # noqa: E402

API = "/api/v1"
CLIENTS = int(os.environ.get("CALLGATE_LOAD_CLIENTS", "200"))
CALLS = int(os.environ.get("CALLGATE_LOAD_CALLS", "20"))
SECONDS = float(os.environ.get("CALLGATE_LOAD_SECONDS", "30"))
# Two cores run the daemon, the API server, 40 phones and these clients:
# each client pauses about this long between requests, so the test measures
# answers under sustained concurrency rather than a saturated CPU.
PACE_S = float(os.environ.get("CALLGATE_LOAD_PACE_S", "10.0"))
SESSION_CLIENTS = min(10, CLIENTS)  # scrypt per login: keep the logins few
TEST_PEERS = 20
REQUEST_TIMEOUT_S = 30


def tls_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Tally:
    """Answers per (operation, status), failures and latencies, shared by the clients."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.failures = collections.Counter()
        self.failure_samples = []
        self.unexpected = []
        self.latencies = []
        self.writes_ok = 0
        self.last_answer = 0.0

    def answer(self, op, status, latency, body, expected):
        with self.lock:
            self.statuses[(op, status)] += 1
            self.last_answer = max(self.last_answer, time.monotonic())
            self.latencies.append(latency)
            if status not in expected and len(self.unexpected) < 20:
                self.unexpected.append((op, status, body[:300]))
            if op.startswith("write") and status == 200:
                self.writes_ok += 1

    def failure(self, op, error):
        with self.lock:
            self.failures[(op, type(error).__name__)] += 1
            if len(self.failure_samples) < 20:
                self.failure_samples.append((op, repr(error)))


class Client(threading.Thread):
    """One API client: its own credential, one HTTPS connection per request."""

    def __init__(self, index, port, tally, stop_at, api_key=None, cookie=None, csrf=None):
        super().__init__(name="api-client-%d" % index, daemon=True)
        self.index = index
        self.port = port
        self.tally = tally
        self.stop_at = stop_at
        self.headers = {}
        if api_key:
            self.headers["Authorization"] = "Bearer " + api_key
        if cookie:
            self.headers["Cookie"] = cookie
            self.headers["X-CSRF-Token"] = csrf
        self.rng = random.Random(index)
        self.seq = 0
        self.ctx = tls_context()

    def request(self, op, method, path, body, expected):
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx,
                                           timeout=REQUEST_TIMEOUT_S)
        try:
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            text = r.read().decode("utf-8", "replace")
            self.tally.answer(op, r.status, time.monotonic() - started, text, expected)
        except Exception as e:  # every kind of failure is counted and fails the test
            self.tally.failure(op, e)
        finally:
            conn.close()

    def next_operation(self):
        roll = self.rng.random()
        if roll < 0.27:
            return "status", "GET", API + "/status", None
        if roll < 0.54:
            return "calls", "GET", API + "/calls", None
        if roll < 0.80:
            return "peers", "GET", API + "/peers", None
        path = API + "/peers/load-%02d" % (self.index % TEST_PEERS)
        self.seq += 1
        # A port no other write uses: every write is a real change.
        port = 1024 + (self.seq * CLIENTS + self.index) % 64000
        if roll < 0.92:
            return "write-port", "PATCH", path, {"port": port}
        return "write-toggle", "PATCH", path, {"enabled": self.seq % 2 == 0, "port": port}

    def run(self):
        # Spread the first requests over one pause so the clients do not march in step.
        self.pause(self.rng.uniform(0, PACE_S))
        while time.monotonic() < self.stop_at:
            op, method, path, body = self.next_operation()
            self.request(op, method, path, body, (200,))
            self.pause(self.rng.uniform(0.5 * PACE_S, 1.5 * PACE_S))

    def pause(self, seconds):
        time.sleep(max(0.0, min(seconds, self.stop_at - time.monotonic())))


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


class ManagementUnderLoad(unittest.TestCase):
    def test_api_clients_and_calls(self):
        with h.TestRun("mgmt-load") as run:
            pairs = None
            try:
                # Every client connects from 127.0.0.1: the per-address
                # connection cap (default 64) goes above the client count.
                pairs = cp.CallPairs(run, CALLS, extra_peers=[
                    {"name": "load-%02d" % i, "host": "192.0.2.%d" % (i + 1), "port": 5060,
                     "transport": "udp", "enabled": False} for i in range(TEST_PEERS)],
                    management={"max_connections_per_address": max(256, CLIENTS)})
                self.body(pairs)
            except Exception:
                if pairs is not None:
                    print(pairs.logs(), file=sys.stderr)
                raise

    def credentials(self, pairs, admin):
        """One credential per client: API keys, and a few login sessions."""
        r = admin.post(API + "/users", {"name": "loader", "role": "admin",
                                        "password": "loader password 1",
                                        "must_change_password": False})
        self.assertEqual(r.status, 201, r)
        creds = []
        for i in range(SESSION_CLIENTS):
            c = pairs.mgmt.client()
            r = c.login("loader", "loader password 1")
            self.assertEqual(r.status, 200, r)
            creds.append({"cookie": c.cookie, "csrf": c.csrf})
        for i in range(CLIENTS - SESSION_CLIENTS):
            r = admin.post(API + "/api_keys", {"name": "load-key-%03d" % i, "role": "admin"})
            self.assertEqual(r.status, 201, r)
            creds.append({"api_key": r.json["key"]})
        return creds

    def body(self, pairs):
        admin = pairs.mgmt.admin()
        creds = self.credentials(pairs, admin)

        pairs.place_all()
        calls = pairs.gateway.calls()
        self.assertEqual(len(calls), CALLS, calls)
        ids = sorted(c["id"] for c in calls)
        # One write first: from here the daemon's revision is the database's.
        r = admin.patch(API + "/peers/load-00", {"port": 5070})
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["applied"], True, r)
        revision_before = r.json["revision"]
        self.assertEqual(pairs.gateway.status()["revision"], revision_before)

        tally = Tally()
        started = time.monotonic()
        stop_at = started + SECONDS
        clients = [Client(i, pairs.https_port, tally, stop_at, **cred)
                   for i, cred in enumerate(creds)]
        for c in clients:
            c.start()
        # While the clients run: every call stays listed.
        missing = []
        while time.monotonic() < stop_at:
            listed = sorted(c["id"] for c in pairs.gateway.calls())
            if listed != ids:
                missing.append((round(time.monotonic() - started, 1),
                                sorted(set(ids) - set(listed))))
            time.sleep(5)
        for c in clients:
            c.join(timeout=max(0.0, stop_at + REQUEST_TIMEOUT_S + 5 - time.monotonic()))
        elapsed = max(tally.last_answer, stop_at) - started
        stuck = [c.name for c in clients if c.is_alive()]

        total = sum(tally.statuses.values())
        by_status = collections.Counter()
        for (_, status), n in tally.statuses.items():
            by_status[status] += n
        print("\n%d clients, %d calls, %.1f s: %d answers (%.1f requests/s), latency p50 %.0f ms, "
              "p99 %.0f ms, max %.0f ms" % (len(clients), CALLS, elapsed, total, total / elapsed,
                                            1000 * percentile(tally.latencies, 50),
                                            1000 * percentile(tally.latencies, 99),
                                            1000 * max(tally.latencies or [0])), file=sys.stderr)
        print("answers by status: %s" % dict(sorted(by_status.items())), file=sys.stderr)
        by_operation = {"%s %d" % k: n for k, n in sorted(tally.statuses.items())}
        print("answers by operation: %s" % by_operation, file=sys.stderr)
        print("failures: %s" % dict(tally.failures), file=sys.stderr)

        self.assertEqual(stuck, [], "clients still waiting for an answer")
        self.assertEqual(dict(tally.failures), {}, tally.failure_samples)
        self.assertEqual(tally.unexpected, [])
        self.assertEqual(set(by_status), {200}, by_status)
        # Every client got answers, reads and writes both happened.
        self.assertGreaterEqual(total, len(clients))
        for op in ("status", "calls", "peers", "write-port", "write-toggle"):
            self.assertGreater(tally.statuses[(op, 200)], 0, op)
        # Every acknowledged write reached the daemon: one revision each.
        status = pairs.gateway.status()
        self.assertEqual(status["revision"], revision_before + tally.writes_ok)

        # The calls: all still up, none closed during the load.
        self.assertEqual(missing, [])
        self.assertEqual(sorted(c["id"] for c in pairs.gateway.calls()), ids)
        self.assertEqual(pairs.closed(), [])
        for c in pairs.gateway.calls():
            self.assertEqual(c["state"], "connected", c)
            self.assertGreaterEqual(c["connected_s"], int(SECONDS), c)

        # They end normally, BYE relayed, and a sample carried audio both ways
        # through the whole load (the recordings' tails are its last seconds).
        for i in range(CALLS):
            pairs.hang_up(i)
        pairs.wait_no_calls()
        sample = sorted(set([0, CALLS // 3, (2 * CALLS) // 3, CALLS - 1]))
        for i in sample:
            heard_by_agent = cp.wait_recording_closed(pairs.agents[i])
            heard_by_caller = cp.wait_recording_closed(pairs.callers[i])
            held_a = h.assert_tone(heard_by_agent, cp.CALLER_HZ, min_seconds=0.6 * SECONDS)
            held_c = h.assert_tone(heard_by_caller, cp.AGENT_HZ, min_seconds=0.6 * SECONDS)
            cp.assert_tone_at_end(heard_by_agent, cp.CALLER_HZ, tail_s=5, min_seconds=3)
            cp.assert_tone_at_end(heard_by_caller, cp.AGENT_HZ, tail_s=5, min_seconds=3)
            print("call %d: agent heard %.1f s of the caller's tone, caller %.1f s of the agent's"
                  % (i, held_a, held_c), file=sys.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
