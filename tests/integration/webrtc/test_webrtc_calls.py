"""A browser talks to a SIP phone through callgated, with real media.

Chromium (JsSIP, fake microphone playing 1 kHz) and baresip (playing 440 Hz,
recording what it hears) meet through the gateway: WebRTC (ICE, DTLS-SRTP,
Opus) on the browser side, RTP on the phone side. Each test proves audio
both ways by its content: the browser's recording holds 440 Hz, the
phone's holds 1 kHz.
"""

import os
import re
import socket
import sys
import time
import unittest

HERE = os.path.dirname(__file__)
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
sys.path.insert(0, os.path.join(HERE, "..", "browser"))
import callgate_harness as h  # noqa: E402
from browser_peer import BrowserPeer  # noqa: E402
from early_media_uas import EarlyMediaUas  # noqa: E402


class WebRtcCall:
    """A gateway with a WSS listener, a baresip agent (or another SIP peer
    with a sip_port, given as `agent`) and a browser."""

    def __init__(self, run, agent_codecs=("g711",), inactivity_s=30, agent_answer="auto",
                 webrtc_codecs="opus,pcmu,pcma", agent_srtp=False, turn_port=None, agent=None):
        self.run = run
        cert_pem, key_pem, _ = h.self_signed_pem(run.dir)
        self.agent = agent or h.Baresip(run.procs, run.dir, "agent", answermode=agent_answer,
                                        tone_hz=440.0, codecs=agent_codecs,
                                        mediaenc="srtp-mand" if agent_srtp else None).start()
        port = h.free_port()
        self.wss_port = h.free_port(socket.SOCK_STREAM, both=False)
        config = h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": port},
                       {"name": "wss", "transport": "wss", "port": self.wss_port}],
            peers=[{"name": "agent", "host": "127.0.0.1", "transport": "udp",
                    "port": self.agent.sip_port,
                    "media_encryption": "sdes" if agent_srtp else "none"}],
            routes=[{"name": "agents", "match_user_prefix": "agent", "target_type": "peer",
                     "peer": "agent"},
                    {"name": "browsers", "match_user_prefix": "web", "target_type": "registered"}],
            tls={"certificate_pem": cert_pem, "private_key_pem": key_pem, "ca_bundle_pem": "",
                 "verify_peers": False},
            media=dict({"workers": 1, "rtp_port_min": 20000, "rtp_port_max": 24999,
                        "inactivity_timeout_s": inactivity_s, "webrtc_codecs": webrtc_codecs},
                       **({"turn_server": "127.0.0.1:%d" % turn_port, "turn_username": "callgate",
                           "turn_password": "secret", "stun_server": "127.0.0.1:%d" % turn_port}
                          if turn_port else {})),
            media_interfaces=[{"name": "loopback", "address": "127.0.0.1",
                               "advertised_address": "", "enabled": True}])
        self.gateway = h.Gateway(run.procs, run.dir, config).start()
        self.sip_port = port
        tone = os.path.join(run.dir, "1k.wav")
        h.write_tone_wav(tone, 1000.0, seconds=30, rate=48000)
        self.browser = BrowserPeer(run.procs, run.dir, name="web").start(tone)
        self.ws = "wss://127.0.0.1:%d" % self.wss_port

    def call_agent(self):
        self.browser.register(self.ws, "sip:web@127.0.0.1")
        self.browser.wait_event("registered", timeout=15, fail_on=("registrationFailed",))
        self.browser.call("sip:agent@127.0.0.1")
        self.agent.wait_event("CALL_ESTABLISHED", timeout=20)
        self.browser.wait_event("confirmed", timeout=20, fail_on=("failed", "ended"))
        # baresip's file source starts a moment after the answer.
        time.sleep(1)

    def listed_call(self):
        calls = self.gateway.calls()
        if len(calls) != 1:
            raise AssertionError("want one call listed, got %s" % calls)
        return calls[0]

    def counter(self, name):
        return self.gateway.status()["counters"].get(name, 0)

    def wait_no_calls(self, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.gateway.calls():
                return
            time.sleep(0.2)
        raise AssertionError("calls still listed: %s" % self.gateway.calls())

    def wait_browser_ice(self, after=0, timeout=10):
        """Waits for the browser's ICE to be connected (events from `after` on)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for e in self.browser.events[after:]:
                if e.get("event") == "ice" and e.get("state") in ("connected", "completed"):
                    return e
            time.sleep(0.05)
        raise AssertionError("browser ICE not connected: %s" % self.browser.event_names())

    def wait_ice_restart(self, after, timeout=10):
        """After a re-offer with new ICE credentials (events from `after` on):
        waits until the browser's selected pair runs on the new credentials of
        both sides with ICE connected, and the gateway logged the restart as
        complete. Returns (browser ufrag, gateway ufrag, browser stats)."""
        offer = self.browser.wait_event("sdp", timeout=timeout, after=after)
        while offer.get("originator") != "local" or offer.get("type") != "offer":
            offer = self.browser.wait_event("sdp", timeout=timeout, after=offer["seq"] + 1)
        answer = offer
        while answer.get("originator") != "remote" or answer.get("type") != "answer":
            answer = self.browser.wait_event("sdp", timeout=timeout, after=answer["seq"] + 1)
        browser_ufrag, gateway_ufrag = ice_ufrag(offer["sdp"]), ice_ufrag(answer["sdp"])
        deadline = time.time() + timeout
        stats = None
        while time.time() < deadline:
            stats = self.browser.stats()
            pair = stats.get("candidatePair") or {}
            if (pair.get("localUfrag") == browser_ufrag and
                    pair.get("remoteUfrag") == gateway_ufrag and
                    stats.get("iceConnectionState") in ("connected", "completed") and
                    "ICE restart complete: local ufrag %s, remote ufrag %s" % (
                        gateway_ufrag, browser_ufrag) in self.gateway.read_log()):
                return browser_ufrag, gateway_ufrag, stats
            time.sleep(0.2)
        raise AssertionError("ICE restart (browser ufrag %s, gateway ufrag %s) did not complete "
                             "within %ss; browser stats: %s" % (browser_ufrag, gateway_ufrag,
                                                                 timeout, stats))

    def agent_heard(self, freq, min_seconds=3.0):
        """baresip dumps what it decodes; the file is complete once the call closed."""
        path = self.agent.received_wav()
        if path is None:
            raise AssertionError("baresip wrote no decoded audio:\n" + self.agent.log()[-2000:])
        return h.assert_tone(path, freq, min_seconds=min_seconds)


def ice_ufrag(sdp):
    """The first a=ice-ufrag of an SDP body."""
    found = re.search(r"^a=ice-ufrag:(\S+)", sdp, re.M)
    if not found:
        raise AssertionError("no a=ice-ufrag in:\n" + sdp)
    return found.group(1)


class WebRtcCalls(unittest.TestCase):
    def body(self, name, test, **kw):
        with h.TestRun(name) as run:
            call = WebRtcCall(run, **kw)
            try:
                test(call)
            except Exception:
                print(call.gateway.read_log()[-6000:], file=sys.stderr)
                raise

    def test_browser_calls_g711_phone_through_the_transcoder(self):
        def test(call):
            call.call_agent()
            self.assertEqual(call.listed_call()["media"], "transcoded")
            h.assert_tone(call.browser.record(5), 440.0, min_seconds=3.0)
            call.browser.hangup()
            call.agent.wait_event("CALL_CLOSED", timeout=10)
            call.wait_no_calls()
            call.agent_heard(1000.0)
            self.assertGreater(call.counter("media.transcoded_frames"), 100)
        # Browsers may use only Opus here: a G.711 phone needs the transcoder.
        self.body("webrtc-g711", test, agent_codecs=("g711",), webrtc_codecs="opus")

    def test_browser_calls_opus_phone_relayed(self):
        def test(call):
            call.call_agent()
            self.assertEqual(call.listed_call()["media"], "relayed")
            h.assert_tone(call.browser.record(5), 440.0, min_seconds=3.0)
            call.agent.command("hangup")
            call.browser.wait_event("ended", timeout=10)
            call.wait_no_calls()
            call.agent_heard(1000.0)
            # Relayed: nothing went through a transcoder.
            self.assertEqual(call.counter("media.transcoded_frames"), 0)
            self.assertGreater(call.counter("media.relayed_packets"), 200)
        self.body("webrtc-opus", test, agent_codecs=("opus",))

    def test_phone_calls_registered_browser(self):
        def test(call):
            call.browser.register(call.ws, "sip:web@127.0.0.1", auto_answer=True)
            call.browser.wait_event("registered", timeout=15, fail_on=("registrationFailed",))
            call.agent.command("dial", "sip:web@127.0.0.1:%d" % call.sip_port)
            call.agent.wait_event("CALL_ESTABLISHED", timeout=20)
            call.browser.wait_event("confirmed", timeout=20, fail_on=("failed", "ended"))
            h.assert_tone(call.browser.record(5), 440.0, min_seconds=3.0)
            call.agent.command("hangup")
            call.browser.wait_event("ended", timeout=10)
            call.wait_no_calls()
            call.agent_heard(1000.0)
        self.body("webrtc-inbound", test, agent_codecs=("g711",), agent_answer="manual")

    def test_hold_and_unhold_from_the_phone(self):
        def test(call):
            call.call_agent()
            h.assert_tone(call.browser.record(3), 440.0, min_seconds=2.0)
            mark = len(call.agent.events)
            call.agent.command("hold")
            time.sleep(2)
            call.agent.command("resume")
            time.sleep(1)
            # Audio flows both ways again after unhold.
            h.assert_tone(call.browser.record(4), 440.0, min_seconds=3.0)
            call.browser.hangup()
            call.agent.wait_event("CALL_CLOSED", timeout=10, after=mark)
            call.wait_no_calls()
            # baresip starts a new dump when the stream resumes: it holds what
            # arrived after unhold.
            call.agent_heard(1000.0, min_seconds=2.0)
            self.assertEqual(call.counter("media.srtp_replayed"), 0)
        self.body("webrtc-hold", test, agent_codecs=("g711",))

    def test_vanished_browser_is_hung_up_by_inactivity(self):
        def test(call):
            call.call_agent()
            h.assert_tone(call.browser.record(2), 440.0, min_seconds=1.0)
            started = time.time()
            call.browser.vanish()
            call.agent.wait_event("CALL_CLOSED", timeout=20)
            call.wait_no_calls()
            self.assertLess(time.time() - started, 15)
            self.assertGreaterEqual(call.counter("media.inactivity_timeouts") +
                                    call.counter("media.ice_failed"), 1)
        self.body("webrtc-vanish", test, agent_codecs=("g711",), inactivity_s=4)


    def test_183_with_sdp_then_answer(self):
        def test(call):
            call.browser.register(call.ws, "sip:web@127.0.0.1")
            call.browser.call("sip:agent@127.0.0.1")
            # answermode=early: baresip answers 183 with SDP (its media starts
            # only once it accepts); the browser gets the gateway's answer early
            # and the same one again in the 200.
            call.browser.wait_event("progress", timeout=20, fail_on=("failed", "ended"))
            call.agent.wait_event("CALL_RTPESTAB", timeout=10)
            self.assertEqual(call.listed_call()["connected_s"], -1)  # not answered yet
            call.agent.command("accept")
            call.browser.wait_event("confirmed", timeout=20, fail_on=("failed", "ended"))
            h.assert_tone(call.browser.record(3), 440.0, min_seconds=2.5)
            call.browser.hangup()
            call.agent.wait_event("CALL_CLOSED", timeout=10)
            call.wait_no_calls()
            call.agent_heard(1000.0, min_seconds=2.0)
        self.body("webrtc-early", test, agent_codecs=("g711",), agent_answer="early")

    def test_early_media_audio_reaches_the_browser(self):
        def test(call, uas):
            call.browser.register(call.ws, "sip:web@127.0.0.1")
            call.browser.call("sip:agent@127.0.0.1")
            # 183 with SDP: the call centre plays 440 Hz before anyone answers.
            call.browser.wait_event("progress", timeout=20, fail_on=("failed", "ended"))
            uas.wait("183")
            call.wait_browser_ice()
            self.assertEqual(call.listed_call()["connected_s"], -1)  # not answered yet
            early = call.browser.record(2.5)
            self.assertNotIn("200", [name for name, _ in uas.events])
            uas.release_answer()
            # 200 OK with the same SDP; the call centre now plays 660 Hz.
            call.browser.wait_event("confirmed", timeout=20, fail_on=("failed", "ended"))
            uas.wait("ack")
            answered = call.browser.record(2.0)
            uas.release_bye()
            ended = call.browser.wait_event("ended", timeout=15, fail_on=("failed",))
            uas.wait("bye_answered")
            call.wait_no_calls()
            h.assert_tone(early, 440.0, min_seconds=1.8)
            self.assertLess(h.tone_seconds(early, 660.0), 0.3)
            h.assert_tone(answered, 660.0, min_seconds=1.5)
            self.assertLess(h.tone_seconds(answered, 440.0), 0.3)
            self.assertEqual(ended["originator"], "remote")
            self.assertEqual(uas.bye_status, 200)
            # Early media goes both ways: the call centre heard the browser's
            # 1 kHz before and after answering.
            h.assert_tone(uas.heard_wav("early", os.path.join(call.run.dir, "uas-early.wav")),
                          1000.0, min_seconds=1.0)
            h.assert_tone(uas.heard_wav("answered",
                                        os.path.join(call.run.dir, "uas-answered.wav")),
                          1000.0, min_seconds=1.0)

        with h.TestRun("webrtc-early-audio") as run:
            # At least 4 s of early media and 3 s after the answer; the test
            # releases each step once it has recorded the phase before it.
            uas = EarlyMediaUas(run.procs.closables, early_hz=440.0, answered_hz=660.0,
                                early_s=4.0, answered_s=3.0, hold=True).start()
            call = WebRtcCall(run, agent=uas)
            try:
                test(call, uas)
            except Exception:
                print(call.gateway.read_log()[-6000:], file=sys.stderr)
                print("UAS events: %s" % uas.events, file=sys.stderr)
                raise

    def test_hold_and_reoffer_from_the_browser(self):
        def test(call):
            call.call_agent()
            h.assert_tone(call.browser.record(2), 440.0, min_seconds=1.5)
            # Hold and unhold from the browser: re-offers that are no ICE restart.
            call.browser.hold()
            call.browser.wait_event("hold", timeout=10)
            time.sleep(1.5)  # JsSIP refuses a new re-offer while one is pending
            call.browser.unhold()
            call.browser.wait_event("unhold", timeout=10)
            h.assert_tone(call.browser.record(3), 440.0, min_seconds=2.5)
            # A re-offer without changes is answered and changes nothing.
            call.browser.renegotiate()
            time.sleep(1.5)
            h.assert_tone(call.browser.record(3), 440.0, min_seconds=2.5)
            # An ICE restart (RFC 8445 §9): media goes on over the old pair
            # while checks run, then both ends use a pair on the new
            # credentials and the gateway's new sockets.
            before = call.browser.stats()["candidatePair"]
            mark = call.browser.mark()
            call.browser.renegotiate(ice_restart=True)
            browser_ufrag, gateway_ufrag, after = call.wait_ice_restart(mark)
            self.assertNotEqual(browser_ufrag, before["localUfrag"])
            self.assertNotEqual(gateway_ufrag, before["remoteUfrag"])
            self.assertNotEqual(after["candidatePair"]["remote"], before["remote"])
            self.assertFalse([e for e in call.browser.events[mark:]
                              if e.get("event") == "ice" and e.get("state") in
                              ("disconnected", "failed", "closed")])
            h.assert_tone(call.browser.record(3), 440.0, min_seconds=2.5)
            self.assertEqual(len(call.gateway.calls()), 1)
            self.assertEqual(call.counter("media.ice_failed"), 0)
            self.assertEqual(call.counter("media.srtp_replayed"), 0)
            # The gateway read the browser's selected pair itself before and
            # after the restart, and Chromium answered its consent checks.
            self.assertGreaterEqual(call.counter("media.ice_pairs_served"), 2)
            self.assertGreaterEqual(call.counter("media.ice_consent_refreshed"), 1)
            call.browser.hangup()
            call.agent.wait_event("CALL_CLOSED", timeout=10)
            call.agent_heard(1000.0, min_seconds=2.0)
        self.body("webrtc-browser-hold", test, agent_codecs=("g711",))

    def test_turn_relay_candidates_are_offered(self):
        turn_port = h.free_port()

        def test(call):
            call.call_agent()
            h.assert_tone(call.browser.record(3), 440.0, min_seconds=2.0)
            call.browser.hangup()
            call.agent.wait_event("CALL_CLOSED", timeout=10)
            call.agent_heard(1000.0, min_seconds=2.0)
            # The answer to the browser carried a relayed candidate from coturn.
            answers = [block for block in call.gateway.read_log().split("answer toward side A")[1:]]
            self.assertTrue(answers, "no answer toward the browser logged")
            self.assertIn("typ relay", answers[0].split("a=end-of-candidates")[0])

        with h.TestRun("webrtc-turn") as run:
            h.start_turn_server(run.procs, run.dir, turn_port, "callgate", "secret")
            call = WebRtcCall(run, agent_codecs=("g711",), turn_port=turn_port)
            try:
                test(call)
            except Exception:
                print(call.gateway.read_log()[-6000:], file=sys.stderr)
                raise

    def test_call_centre_with_sdes_srtp(self):
        def test(call):
            call.call_agent()
            h.assert_tone(call.browser.record(4), 440.0, min_seconds=3.0)
            call.browser.hangup()
            call.agent.wait_event("CALL_CLOSED", timeout=10)
            call.agent_heard(1000.0)
            self.assertIn("SRTP is Enabled", call.agent.log())
            # Both keys work: SRTP from the phone decrypts (a stray packet from
            # before the keys were installed may fail, no more).
            received = call.counter("media.rtp_received")
            self.assertGreater(received, 300)
            self.assertLess(call.counter("media.srtp_authentication_failed") * 100, received)
        self.body("webrtc-sdes", test, agent_codecs=("g711",), agent_srtp=True)

    def test_dtmf_from_the_browser_reaches_the_phone_as_rfc4733(self):
        def test(call):
            call.call_agent()
            time.sleep(1)
            # JsSIP's default is SIP INFO; the gateway turns it into RFC 4733.
            call.browser.dtmf("15", transport="info", duration=160, gap=200)
            # And RFC 4733 from the browser is carried across the transcoder.
            call.browser.dtmf("9", transport="rfc2833", duration=160, gap=200)
            keys = []
            deadline = time.time() + 10
            while time.time() < deadline and len(keys) < 3:
                call.agent.event_types()
                keys = [e.get("param") for e in call.agent.events
                        if e.get("type") == "CALL_DTMF_START"]
                time.sleep(0.1)
            self.assertEqual(keys, ["1", "5", "9"])
            call.browser.hangup()
            call.agent.wait_event("CALL_CLOSED", timeout=10)
        self.body("webrtc-dtmf", test, agent_codecs=("g711",), webrtc_codecs="opus")

    def test_garbage_on_media_ports_is_dropped_and_the_call_goes_on(self):
        def test(call):
            call.call_agent()
            h.assert_tone(call.browser.record(2), 440.0, min_seconds=1.0)
            before = call.gateway.status()["counters"]
            junk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.addCleanup(junk.close)
            payloads = [
                os.urandom(100),                                       # noise
                bytes([0x80, 0x00, 0x12, 0x34]) + os.urandom(168),     # RTP from nobody
                bytes([0x80, 201, 0, 1]) + os.urandom(4),              # RTCP from nobody
                bytes([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42]) + os.urandom(12),
                bytes([22, 0xFE, 0xFD]) + os.urandom(60),              # DTLS garbage
                bytes([0x80]),                                          # truncated
            ]
            # 6,000 datagrams over about a second, spread over the range the
            # gateway's RTP and ICE sockets come from.
            for _ in range(50):
                for port in range(20000, 20020):
                    for p in payloads:
                        junk.sendto(p, ("127.0.0.1", port))
                time.sleep(0.02)
            # Audio still flows both ways and the call is still up.
            h.assert_tone(call.browser.record(3), 440.0, min_seconds=2.5)
            after = call.gateway.status()["counters"]
            dropped = sum(after.get(k, 0) - before.get(k, 0)
                          for k in ("media.malformed_dropped", "media.unexpected_dropped",
                                    "media.stun_rejected", "media.srtp_authentication_failed"))
            self.assertGreater(dropped, 100)
            self.assertEqual(len(call.gateway.calls()), 1)
            call.browser.hangup()
            call.agent.wait_event("CALL_CLOSED", timeout=10)
            call.agent_heard(1000.0)
        self.body("webrtc-garbage", test, agent_codecs=("g711",), webrtc_codecs="opus")


if __name__ == "__main__":
    unittest.main(verbosity=2)
