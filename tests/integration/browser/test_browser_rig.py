"""The browser rig proves itself without callgated: Chromium's fake microphone
plays a WAV, one RTCPeerConnection in the page sends it to another, and the
received audio is recorded and analysed. A 1 kHz source must record as 1 kHz
(and not as 440 Hz); a silent source must fail the tone check even though RTP
flows. The driver must leave no Chromium process behind."""

import json
import os
import socket
import sys
import time
import unittest
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
sys.path.insert(0, HERE)
import callgate_harness as h  # noqa: E402
from browser_peer import NODE_MODULES, BrowserPeer, missing_prerequisites  # noqa: E402


class ToneAnalysis(unittest.TestCase):
    """The analysis on WAVs made here, so its verdicts are known."""

    def setUp(self):
        self.run_ctx = h.TestRun("tone")
        self.dir = self.run_ctx.__enter__().dir

    def tearDown(self):
        self.run_ctx.__exit__(None, None, None)

    def wav(self, name, parts, rate=8000):
        """parts: (freq, seconds, amplitude) pieces, written one after another."""
        path = os.path.join(self.dir, name)
        frames = bytearray()
        for freq, seconds, amplitude in parts:
            piece = os.path.join(self.dir, "piece.wav")
            h.write_tone_wav(piece, freq, seconds=seconds, rate=rate, amplitude=amplitude)
            with wave.open(piece, "rb") as w:
                frames += w.readframes(w.getnframes())
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(bytes(frames))
        return path

    def test_pure_tone_holds_everywhere(self):
        path = self.wav("a.wav", [(1000.0, 2, 0.3)])
        self.assertEqual(h.tone_fraction(path, 1000.0), 1.0)
        self.assertEqual(h.tone_seconds(path, 1000.0), 2.0)
        self.assertEqual(h.tone_seconds(path, 440.0), 0.0)

    def test_silence_fails(self):
        path = self.wav("s.wav", [(1000.0, 4, 0.0)])
        self.assertEqual(h.tone_fraction(path, 1000.0), 0.0)
        with self.assertRaises(AssertionError):
            h.assert_tone(path, 1000.0, min_seconds=3.0)

    def test_quiet_tone_below_the_floor_fails(self):
        # -60 dBFS: shaped like the tone, but too faint to be a real signal.
        path = self.wav("q.wav", [(1000.0, 2, 0.001)])
        self.assertEqual(h.tone_seconds(path, 1000.0), 0.0)

    def test_counts_only_the_blocks_with_the_tone(self):
        path = self.wav("m.wav", [(440.0, 1, 0.3), (0.0, 1, 0.0), (440.0, 2, 0.3)])
        self.assertAlmostEqual(h.tone_seconds(path, 440.0), 3.0, delta=0.11)
        self.assertAlmostEqual(h.tone_fraction(path, 440.0), 0.75, delta=0.03)
        self.assertAlmostEqual(h.assert_tone(path, 440.0, min_seconds=2.5), 3.0, delta=0.11)


class BrowserRig(unittest.TestCase):
    """Real Chromium through driver.js, in loopback and SIP modes."""

    @classmethod
    def setUpClass(cls):
        missing = missing_prerequisites()
        if missing:
            raise AssertionError("browser rig prerequisites missing (run "
                                 "scripts/install-deps.sh --with-tests): " + "; ".join(missing))

    def setUp(self):
        self.run_ctx = h.TestRun("browser-rig")
        self.run = self.run_ctx.__enter__()
        self.tone = os.path.join(self.run.dir, "tone-1000.wav")
        h.write_tone_wav(self.tone, 1000.0, seconds=10, rate=48000)
        self.silence = os.path.join(self.run.dir, "silence.wav")
        h.write_tone_wav(self.silence, 1000.0, seconds=10, rate=48000, amplitude=0.0)

    def tearDown(self):
        self.run_ctx.__exit__(None, None, None)

    def loopback_peer(self, wav, name):
        peer = BrowserPeer(self.run.procs, self.run.dir, name=name, mode="loopback").start(wav)
        self.assertTrue(peer.alive())
        peer.loopback()
        state = peer.wait_event("connection", timeout=15)
        if state["state"] != "connected":
            peer.wait_event("connection", timeout=15, after=state["seq"] + 1)
        return peer

    def test_fake_microphone_tone_arrives_and_records(self):
        peer = self.loopback_peer(self.tone, "tone")
        with open(os.path.join(NODE_MODULES, "jssip", "package.json")) as f:
            self.assertEqual(peer.ready["jssip"], json.load(f)["version"])
        path = peer.record(4)
        rate, samples = h.read_wav_mono(path)
        self.assertEqual(rate, 48000)
        self.assertEqual(len(samples), 4 * 48000)
        self.assertGreaterEqual(h.assert_tone(path, 1000.0, min_seconds=3.0), 3.0)
        self.assertEqual(h.tone_seconds(path, 440.0), 0.0)

        stats = peer.stats()["audio"]
        self.assertEqual(stats["codecIn"], "audio/opus/48000")
        self.assertGreater(stats["packetsReceived"], 150)  # 20 ms packets for > 3 s
        self.assertGreater(stats["packetsSent"], 150)

        # vanish kills every Chromium process; the driver stays to say so.
        pids = peer._chromium_pids()
        self.assertIn(peer.browser_pid, pids)
        peer.vanish()
        self.assertFalse(peer.alive())
        peer.wait_event("vanished", timeout=5)
        self.assertTrue(peer.command("ping")["gone"])
        with self.assertRaises(RuntimeError):
            peer.stats()
        peer.close()
        self.assertIsNone(peer.proc)

    def test_silent_microphone_fails_the_tone_check(self):
        peer = self.loopback_peer(self.silence, "silence")
        path = peer.record(4)
        self.assertEqual(h.tone_seconds(path, 1000.0), 0.0)
        with self.assertRaises(AssertionError):
            h.assert_tone(path, 1000.0, min_seconds=3.0)
        # The silence is in the content: packets did flow.
        self.assertGreater(peer.stats()["audio"]["packetsReceived"], 150)

        # Closing the driver's stdin takes Chromium down with it.
        proc = peer.proc
        proc.stdin.close()
        proc.wait(timeout=15)
        self.assertFalse(peer.alive())

    def test_jssip_user_agent_runs_in_the_page(self):
        peer = BrowserPeer(self.run.procs, self.run.dir, name="sip", mode="sip").start(self.tone)
        with self.assertRaises(RuntimeError):
            peer.call("sip:nobody@127.0.0.1")  # no user agent yet
        # Nothing listens on this port: the user agent must try and report it.
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        after = peer.mark()
        peer.register("ws://127.0.0.1:%d" % port, "sip:web@127.0.0.1", wait=False)
        peer.wait_event("disconnected", timeout=15, after=after)
        self.assertNotIn("registered", peer.event_names())
        with self.assertRaises(RuntimeError):
            peer.answer()  # nobody is calling
        started = time.time()
        peer.quit()
        self.assertLess(time.time() - started, 15)
        self.assertFalse(peer.alive())


if __name__ == "__main__":
    unittest.main(verbosity=2)
