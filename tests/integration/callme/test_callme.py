"""Call Me through the real callgated: a Node JsSIP client stands in for the
widget (WebSocket Origin, no registration, token and page in extra headers),
a raw SIP UAS stands in for the call centre so every header it receives can be
checked. A genuine call arrives at the button's destination with the context
headers; every refusal is a 403 with the documented reason and nothing reaches
the call centre."""

import datetime
import json
import os
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
import raw_sip  # noqa: E402

CLIENT = os.path.join(os.path.dirname(__file__), "client.js")
CALLGATE_TOKEN = os.environ.get("CALLGATE_TOKEN", "callgate-token")
SHOP = "https://shop.example"
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class NodeClient:
    def __init__(self, run, args):
        log = open(os.path.join(run.dir, "jssip-%d.log" % len(run.procs.procs)), "wb")
        self.proc = subprocess.Popen(["node", CLIENT] + args, stdout=subprocess.PIPE, stderr=log,
                                     text=True, start_new_session=True)
        run.procs.procs.append((self.proc, log))
        run.procs.closables.append(self.proc.stdout)
        self.events = []

    def wait_any(self, names, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for e in self.events:
                if e["event"] in names:
                    return e
            line = self.proc.stdout.readline()
            if not line:
                break
            self.events.append(json.loads(line))
        raise AssertionError("JsSIP: none of %s; events %s" % (names, self.events))

    def wait(self, event, timeout=15):
        return self.wait_any((event,), timeout)


class CallMe(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.run_ctx = h.TestRun("callme")
        run = cls.trun = cls.run_ctx.__enter__()
        cert_pem, key_pem, _ = h.self_signed_pem(run.dir)
        cls.uas = raw_sip.RawSip(run.procs.closables)
        udp_port = h.free_port()
        wss_port = h.free_port(socket.SOCK_STREAM, both=False)
        # A day that is not today in UTC: the "closed" button is never open now.
        other_day = DAYS[(datetime.datetime.now(datetime.timezone.utc).weekday() + 3) % 7]

        def button(name, **kw):
            b = {"name": name, "enabled": True, "destination_type": "peer", "peer": "cc",
                 "destination_user": "sales", "allowed_origins": SHOP,
                 "require_token": True, "max_concurrent_calls": 10, "max_calls_per_minute": 30}
            b.update(kw)
            return b

        config = h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": udp_port},
                       {"name": "wss", "transport": "wss", "port": wss_port}],
            peers=[{"name": "cc", "host": "127.0.0.1", "port": cls.uas.port, "transport": "udp",
                    "codecs": "pcmu"}],
            # A catch-all route to the call centre: reachable by registered
            # clients only, never by an anonymous page.
            routes=[{"name": "all", "target_type": "peer", "peer": "cc"}],
            tls={"certificate_pem": cert_pem, "private_key_pem": key_pem, "ca_bundle_pem": "",
                 "verify_peers": False},
            media={"inactivity_timeout_s": 0},
            buttons=[button("sales", max_concurrent_calls=1),
                     button("closed", opening_hours="%s 10:00-11:00" % other_day,
                            closed_message="Back on Monday"),
                     button("off", enabled=False),
                     button("open", require_token=False, header_prefix="X-Shop-")])
        # No callme.token_secret in the file: callgated generates it on start.
        cls.gateway = h.Gateway(run.procs, run.dir, config).start()
        cls.ws = "wss://127.0.0.1:%d" % wss_port

    @classmethod
    def tearDownClass(cls):
        cls.run_ctx.__exit__(None, None, None)

    # -- helpers -----------------------------------------------------------

    def token(self, button="sales", *extra):
        r = subprocess.run([CALLGATE_TOKEN, "--db", self.gateway.db, "--button", button] +
                           list(extra), capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def call(self, target, origin=SHOP, headers=(), register=False):
        args = ["--ws", self.ws, "--user", "visitor", "--hold-ms", "500"]
        if origin:
            args += ["--origin", origin]
        for header in headers:
            args += ["--header", header]
        if register:
            args.append("--register")
        return NodeClient(self.trun, args + ["call", target])

    def assert_refused(self, reason, target="sip:callme-sales@127.0.0.1", **kw):
        client = self.call(target, **kw)
        failed = client.wait_any(("failed", "confirmed", "progress"))
        self.assertEqual(failed["event"], "failed", failed)
        self.assertEqual(failed["status"], 403)
        self.assertEqual(failed["reason_phrase"], reason)
        self.assertEqual(failed["reason"], 'SIP;cause=403;text="%s"' % reason)

    def assert_nothing_reached_the_call_centre(self):
        with self.assertRaises(socket.timeout):
            m = self.uas.recv(timeout=1)
            print("unexpected at the call centre: " + m.start)

    def answer_and_finish(self, invite, client):
        """200 with SDP, then the client hangs up after its hold time."""
        self.uas.respond(invite, 200, "OK", to_tag="cc1",
                         extra="Contact: <sip:cc@127.0.0.1:%d>\r\n" % self.uas.port,
                         body=raw_sip.sdp(40000))
        client.wait("confirmed")
        while True:
            m = self.uas.recv(timeout=10)
            if not m.is_response and m.method == "BYE":
                self.uas.respond(m, 200, "OK")
                break
        client.wait("ended")

    # -- tests ---------------------------------------------------------------

    def test_1_token_call_reaches_the_button_destination_with_context(self):
        token = self.token("sales", "--customer-id", "C-1001", "--order-id", "O-77",
                           "--data", "cart=3 items", "--data", "tier=gold")
        client = self.call("sip:callme-sales@127.0.0.1", headers=[
            "X-Callme-Token: " + token,
            "X-Callme-Page-Url: https://shop.example/checkout?step=2",
            "X-Callme-Page-Title: Checkout - Shop",
            "X-Callme-Customer-Id: forged-by-the-page",
            "X-Evil: 1"])
        invite = self.uas.recv(timeout=10)
        self.assertEqual(invite.method, "INVITE")
        # The button decides the destination: its user at its peer.
        self.assertTrue(invite.start.startswith("INVITE sip:sales@127.0.0.1:%d " % self.uas.port),
                        invite.start)
        self.assertEqual(invite.all("X-Callme-Customer-Id"), ["C-1001"])
        self.assertEqual(invite.get("X-Callme-Order-Id"), "O-77")
        self.assertEqual(invite.get("X-Callme-Page-Url"), "https://shop.example/checkout?step=2")
        self.assertEqual(invite.get("X-Callme-Page-Title"), "Checkout - Shop")
        self.assertEqual(invite.get("X-Callme-Data-cart"), "3 items")
        self.assertEqual(invite.get("X-Callme-Data-tier"), "gold")
        # Nothing else the browser sent crosses: not its token, not other X- headers.
        self.assertIsNone(invite.get("X-Callme-Token"))
        self.assertIsNone(invite.get("X-Evil"))
        self.answer_and_finish(invite, client)

    def test_2_refusals_show_their_reason_and_reach_nobody(self):
        good = self.token("sales")
        payload, signature = good.split(".")
        forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
        now = int(time.time())
        expired = self.token("sales", "--ttl", "60", "--issued-at", str(now - 1000))
        self.assert_refused("Token invalid", headers=["X-Callme-Token: " + forged])
        self.assert_refused("Token expired", headers=["X-Callme-Token: " + expired])
        self.assert_refused("Token invalid", headers=["X-Callme-Token: " + self.token("closed")])
        self.assert_refused("Token required")
        self.assert_refused("Origin not allowed", origin="https://evil.example",
                            headers=["X-Callme-Token: " + good])
        self.assert_refused("Origin not allowed", origin="", headers=["X-Callme-Token: " + good])
        self.assert_refused("Unknown button", target="sip:callme-nope@127.0.0.1",
                            headers=["X-Callme-Token: " + good])
        self.assert_refused("Button disabled", target="sip:callme-off@127.0.0.1")
        self.assert_refused("Closed: Back on Monday", target="sip:callme-closed@127.0.0.1",
                            headers=["X-Callme-Token: " + self.token("closed")])
        self.assert_nothing_reached_the_call_centre()
        log = self.gateway.read_log()
        self.assertIn("callme refused: button=sales client=127.0.0.1:", log)
        self.assertIn("origin=https://evil.example reason=Origin not allowed", log)
        self.assertIn("reason=Token expired (expired)", log)

    def test_3_over_the_concurrent_limit(self):
        first = self.call("sip:callme-sales@127.0.0.1",
                          headers=["X-Callme-Token: " + self.token("sales")])
        invite = self.uas.recv(timeout=10)
        self.uas.respond(invite, 180, "Ringing", to_tag="cc2")
        first.wait("progress")
        # The button takes one call at a time: the second is refused while the first rings.
        self.assert_refused("Too many calls", headers=["X-Callme-Token: " + self.token("sales")])
        self.uas.respond(invite, 486, "Busy Here", to_tag="cc2")
        failed = first.wait("failed")
        self.assertEqual(failed["status"], 486)
        ack = self.uas.recv(timeout=5)
        self.assertEqual(ack.method, "ACK")
        # The ended call no longer counts.
        client = self.call("sip:callme-sales@127.0.0.1",
                           headers=["X-Callme-Token: " + self.token("sales")])
        invite = self.uas.recv(timeout=10)
        self.assertEqual(invite.method, "INVITE")
        self.answer_and_finish(invite, client)

    def test_4_tokenless_button_sends_only_the_page(self):
        client = self.call("sip:callme-open@127.0.0.1", headers=[
            "X-Callme-Page-Url: https://shop.example/\u00e9t\u00e9",
            "X-Callme-Page-Title: Summer sale"])
        invite = self.uas.recv(timeout=10)
        self.assertEqual(invite.get("X-Shop-Page-Url"), "https://shop.example/\u00e9t\u00e9")
        self.assertEqual(invite.get("X-Shop-Page-Title"), "Summer sale")
        self.assertIsNone(invite.get("X-Shop-Customer-Id"))
        self.answer_and_finish(invite, client)

    def test_5_anonymous_websocket_client_cannot_use_routes_to_the_call_centre(self):
        # Toll-fraud guard: the catch-all route to "cc" is not for anonymous pages.
        client = self.call("sip:sales@127.0.0.1")
        failed = client.wait_any(("failed", "confirmed", "progress"))
        self.assertEqual(failed.get("status"), 403, failed)
        self.assertEqual(failed["reason"], 'SIP;cause=403;text="Register first"')
        self.assert_nothing_reached_the_call_centre()
        # A client registered over its own connection (a softphone) keeps today's behaviour.
        client = self.call("sip:sales@127.0.0.1", origin="", register=True)
        client.wait("registered")
        invite = self.uas.recv(timeout=10)
        self.assertEqual(invite.method, "INVITE")
        self.assertIsNone(invite.get("X-Callme-Page-Url"))
        self.answer_and_finish(invite, client)


if __name__ == "__main__":
    unittest.main(verbosity=2)
