"""The demo call centre: a Call Me button whose destination is callgated
itself (destination_type "echo"). A real browser (JsSIP in headless
Chromium, fake microphone playing 1 kHz) calls the button from its page's
origin; callgated answers with no SIP peer at all and sends the browser's
own audio back, so the browser's recording holds its own tone. The call is
listed, events go out as for any call, the browser's hang-up and a
management hang-up both end it, and nothing is left behind."""

import json
import os
import socket
import sys
import threading
import time
import unittest
import urllib.parse

HERE = os.path.dirname(__file__)
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
sys.path.insert(0, os.path.join(HERE, "..", "browser"))
import callgate_harness as h  # noqa: E402
from browser_peer import BrowserPeer  # noqa: E402

TONE_HZ = 1000.0
BUTTON_URI = "sip:callme-demo@127.0.0.1"


class EventStream:
    """events.subscribe on callgated's control socket; collects call events."""

    def __init__(self, path, closables):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        closables.append(self.sock)
        self.file = self.sock.makefile("rb")
        self.events = []
        self.cond = threading.Condition()
        self.sock.sendall(b'{"jsonrpc":"2.0","id":1,"method":"events.subscribe"}\n')
        reply = json.loads(self.file.readline())
        if reply.get("result", {}).get("subscribed") is not True:
            raise AssertionError("events.subscribe: %s" % reply)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for line in self.file:
                msg = json.loads(line)
                if msg.get("method") == "event":
                    with self.cond:
                        self.events.append(msg["params"])
                        self.cond.notify_all()
        except (OSError, ValueError):
            pass

    def for_call(self, call_id, until_type, timeout=15):
        """The events of one call, once `until_type` has arrived."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                mine = [e for e in self.events if e.get("call_id") == call_id]
                if any(e["type"] == until_type for e in mine):
                    return mine
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError("no %s for call %s; events: %s"
                                         % (until_type, call_id, self.events))
                self.cond.wait(min(left, 0.5))


class CallmeEcho(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.run_ctx = h.TestRun("callme-echo")
        run = cls.trun = cls.run_ctx.__enter__()
        try:
            cls.start(run)
        except Exception:
            cls.run_ctx.__exit__(*sys.exc_info())
            raise

    @classmethod
    def start(cls, run):
        tone = os.path.join(run.dir, "1k.wav")
        h.write_tone_wav(tone, TONE_HZ, seconds=30, rate=48000)
        cls.browser = BrowserPeer(run.procs, run.dir, name="visitor").start(tone)
        # The page's origin is what the browser sends on its WebSocket: the
        # button allows exactly that one, without a token.
        page = urllib.parse.urlsplit(cls.browser.ready["url"])
        cls.origin = "%s://%s" % (page.scheme, page.netloc)
        cert_pem, key_pem, _ = h.self_signed_pem(run.dir)
        wss_port = h.free_port(socket.SOCK_STREAM, both=False)
        config = h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": h.free_port()},
                       {"name": "wss", "transport": "wss", "port": wss_port}],
            tls={"certificate_pem": cert_pem, "private_key_pem": key_pem, "ca_bundle_pem": "",
                 "verify_peers": False},
            media={"workers": 1, "rtp_port_min": 25000, "rtp_port_max": 25999,
                   "inactivity_timeout_s": 10},
            media_interfaces=[{"name": "loopback", "address": "127.0.0.1",
                               "advertised_address": "", "enabled": True}],
            buttons=[{"name": "demo", "enabled": True, "destination_type": "echo", "peer": "",
                      "destination_user": "", "allowed_origins": cls.origin,
                      "require_token": False, "max_concurrent_calls": 2,
                      "max_calls_per_minute": 30}])
        cls.gateway = h.Gateway(run.procs, run.dir, config).start()
        cls.events = EventStream(cls.gateway.db + ".sock", run.procs.closables)
        cls.browser.register("wss://127.0.0.1:%d" % wss_port, "sip:visitor@127.0.0.1")

    @classmethod
    def tearDownClass(cls):
        cls.run_ctx.__exit__(None, None, None)

    def run(self, result=None):
        # On failure the gateway's log says more than the browser's events.
        outcome = super().run(result)
        if result is not None and not result.wasSuccessful():
            print(self.gateway.read_log()[-6000:], file=sys.stderr)
        return outcome

    # -- helpers -----------------------------------------------------------

    def counter(self, name):
        return self.gateway.status()["counters"].get(name, 0)

    def call_echo(self):
        """Calls the demo button; returns the call as callgatectl lists it."""
        mark = self.browser.mark()
        self.browser.call(BUTTON_URI)
        self.browser.wait_event("confirmed", timeout=20, after=mark, fail_on=("failed", "ended"))
        calls = self.gateway.calls()
        self.assertEqual(len(calls), 1, calls)
        return calls[0]

    def wait_no_calls(self, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.gateway.calls():
                return
            time.sleep(0.2)
        self.fail("calls still listed: %s" % self.gateway.calls())

    # -- tests ---------------------------------------------------------------

    def test_1_echo_answers_and_returns_the_callers_audio(self):
        relayed_before = self.counter("media.relayed_packets")
        call = self.call_echo()
        self.assertEqual(call["route"], "callme-demo")
        self.assertEqual(call["peer"], "")
        self.assertEqual(call["state"], "connected")
        self.assertEqual(call["outbound_transport"], "")
        self.assertEqual(call["inbound_transport"], "WSS")
        self.assertEqual(call["media"], "relayed")
        # What the browser hears is what its microphone plays.
        h.assert_tone(self.browser.record(4), TONE_HZ, min_seconds=3.0)

        # Hold and unhold from the browser: re-offers answered through the
        # same loop; the echo comes back after unhold.
        mark = self.browser.mark()
        self.browser.hold()
        self.browser.wait_event("hold", timeout=10, after=mark)
        time.sleep(1.5)  # JsSIP refuses a new re-offer while one is pending
        self.browser.unhold()
        self.browser.wait_event("unhold", timeout=10, after=mark)
        h.assert_tone(self.browser.record(3), TONE_HZ, min_seconds=2.5)
        self.assertEqual(len(self.gateway.calls()), 1)

        mark = self.browser.mark()
        self.browser.hangup()
        self.browser.wait_event("ended", timeout=10, after=mark)
        self.wait_no_calls()
        # Relayed through the loop both ways, never transcoded.
        self.assertEqual(self.counter("media.transcoded_frames"), 0)
        self.assertGreater(self.counter("media.relayed_packets") - relayed_before, 300)
        self.assertEqual(self.counter("media.srtp_replayed"), 0)

        events = self.events.for_call(call["id"], "call.ended")
        self.assertEqual([e["type"] for e in events],
                         ["call.offered", "call.answered", "call.ended"])
        for e in events:
            self.assertEqual(e["route"], "callme-demo")
            self.assertEqual(e["peer"], "")
            self.assertEqual(e["destination"], "echo")
            self.assertEqual(e["callme"]["button"], "demo")
            self.assertEqual(e["callme"]["origin"], self.origin)
        ended = events[-1]
        self.assertEqual(ended["reason"], "caller hung up")
        self.assertGreaterEqual(ended["duration_s"], 5)
        log = self.gateway.read_log()
        self.assertIn("call %d answered by the echo" % call["id"], log)

    def test_2_management_hang_up_ends_an_echo_call(self):
        call = self.call_echo()
        h.assert_tone(self.browser.record(2), TONE_HZ, min_seconds=1.5)
        mark = self.browser.mark()
        r = self.gateway.ctl("hangup", str(call["id"]))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout), {"id": call["id"], "hung_up": True})
        ended = self.browser.wait_event("ended", timeout=10, after=mark)
        self.assertEqual(ended["originator"], "remote")
        self.wait_no_calls()
        events = self.events.for_call(call["id"], "call.ended")
        self.assertEqual(events[-1]["reason"], "hung up by the administrator")
        # The call is gone for good: a second hang-up finds nothing.
        again = self.gateway.ctl("hangup", str(call["id"]))
        self.assertNotEqual(again.returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
