"""A browser peer for integration tests: JsSIP with real WebRTC media in
headless Chromium, driven through driver.js.

    peer = BrowserPeer(run.procs, run.dir).start(tone_wav)
    peer.register("wss://127.0.0.1:7443", "sip:web@127.0.0.1")
    peer.call("sip:agent@127.0.0.1")
    peer.wait_event("confirmed")
    h.assert_tone(peer.record(4), 440.0, min_seconds=3.0)
    peer.hangup()

The driver and every Chromium process it started are stopped by PID when
the peer is closed, which Processes.stop_all() does at the end of a test,
pass or fail. Only the Python standard library is used.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "driver.js")
NODE_MODULES = os.path.normpath(os.path.join(HERE, "..", "..", "node_modules"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def missing_prerequisites():
    """What the rig lacks on this machine (empty when it can run)."""
    missing = []
    if not shutil.which("node"):
        missing.append("node")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(CHROMIUM + " (Debian package chromium)")
    for package in ("playwright-core", "jssip"):
        if not os.path.isdir(os.path.join(NODE_MODULES, package)):
            missing.append("%s in %s (npm install in tests/)" % (package, NODE_MODULES))
    return missing


class BrowserPeer:
    """One Chromium with one page holding one JsSIP user agent (mode "sip"),
    or two RTCPeerConnections talking to each other (mode "loopback")."""

    def __init__(self, procs=None, workdir=None, name="browser", mode="sip", sink="element",
                 debug=False):
        self.name = name
        self.mode = mode
        self.sink = sink
        self.debug = debug
        self.own_dir = workdir is None
        self.dir = tempfile.mkdtemp(prefix="cg-browser-") if workdir is None else workdir
        self.profile = os.path.join(self.dir, "chromium-%s" % name)
        self.log_path = os.path.join(self.dir, "browser-%s.log" % name)
        self.proc = None
        self.log_file = None
        self.reader = None
        self.browser_pid = 0
        self.ready = None
        self.events = []
        self.replies = {}
        self.next_id = 1
        self.records = 0
        self.cond = threading.Condition()
        if procs is not None:
            procs.closables.append(self)

    # ------------------------------------------------------------- lifecycle

    def start(self, fake_audio_wav, timeout=45):
        """Starts the driver and Chromium; the fake microphone plays (and loops)
        `fake_audio_wav`. Returns self once the page is up."""
        missing = missing_prerequisites()
        if missing:
            raise RuntimeError("browser rig cannot run, missing: " + "; ".join(missing))
        if not os.path.isfile(fake_audio_wav):
            raise RuntimeError("no such WAV: %s" % fake_audio_wav)
        args = ["node", DRIVER, "--audio", os.path.abspath(fake_audio_wav), "--mode", self.mode,
                "--sink", self.sink, "--profile", self.profile, "--chromium", CHROMIUM]
        if self.debug:
            args.append("--debug")
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log_file, start_new_session=True)
        self.reader = threading.Thread(target=self._read, name="browser-%s" % self.name,
                                       daemon=True)
        self.reader.start()
        try:
            self.ready = self.wait_event("ready", timeout=timeout)
        except AssertionError:
            self.close()
            raise
        self.browser_pid = self.ready.get("browserPid") or 0
        return self

    def close(self):
        """Stops the driver and Chromium, by PID, whatever state they are in."""
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except (OSError, ValueError):
                pass
            # The driver kills Chromium itself when stdin closes.
            for sig, wait in ((None, 5), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                if sig is not None and self.proc.poll() is None:
                    try:
                        os.killpg(self.proc.pid, sig)
                    except OSError:
                        pass
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            proc, self.proc = self.proc, None
            if self.reader is not None:
                self.reader.join(timeout=5)
                self.reader = None
            proc.stdout.close()
        # Whatever the driver could not stop: Chromium runs in its own process
        # group, so the driver's group signal does not reach it.
        for pid in self._chromium_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.log_file is not None:
            self.log_file.close()
            self.log_file = None
        shutil.rmtree(self.profile, ignore_errors=True)
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def quit(self, timeout=15):
        """Unregisters, closes the browser cleanly, then close()."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.command("quit", timeout=5)
                self.proc.wait(timeout=timeout)
            except (AssertionError, RuntimeError, OSError, subprocess.TimeoutExpired):
                pass
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _chromium_pids(self):
        marker = ("--user-data-dir=" + os.path.realpath(self.profile)).encode()
        pids = []
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % name, "rb") as f:
                    if marker in f.read().split(b"\0"):
                        pids.append(int(name))
            except OSError:
                continue
        return pids

    def alive(self):
        """Whether any Chromium process of this peer is still running."""
        return bool(self._chromium_pids())

    # -------------------------------------------------------------- protocol

    def _read(self):
        for line in self.proc.stdout:
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            with self.cond:
                if "reply" in msg:
                    self.replies[msg.get("id")] = msg
                else:
                    msg["seq"] = len(self.events)
                    msg["at"] = time.time()
                    self.events.append(msg)
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def _diagnostics(self):
        return "events: %s\ndriver log (tail):\n%s" % (
            [e.get("event") for e in self.events], self.log()[-4000:])

    def command(self, cmd, timeout=20, **args):
        """Sends one command and returns its reply; raises RuntimeError when
        the driver answers with an error, AssertionError on no answer."""
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError("%s: driver is not running\n%s" % (self.name, self._diagnostics()))
        with self.cond:
            cid = self.next_id
            self.next_id += 1
        msg = dict(args, cmd=cmd, id=cid, timeoutMs=int(timeout * 1000))
        self.proc.stdin.write((json.dumps(msg) + "\n").encode())
        self.proc.stdin.flush()
        deadline = time.time() + timeout + 5
        with self.cond:
            while cid not in self.replies:
                left = deadline - time.time()
                if left <= 0 or self.proc.poll() is not None:
                    raise AssertionError("%s: no reply to %s within %ss\n%s"
                                         % (self.name, cmd, timeout, self._diagnostics()))
                self.cond.wait(min(left, 0.5))
            reply = self.replies.pop(cid)
        if not reply.get("ok"):
            raise RuntimeError("%s: %s failed: %s" % (self.name, cmd, reply.get("error")))
        return reply

    def mark(self):
        """Index for wait_event(after=...): only events from now on count."""
        with self.cond:
            return len(self.events)

    def wait_event(self, name, timeout=15, after=0, fail_on=()):
        """The first event `name` at index >= `after`. Raises AssertionError on
        timeout, or as soon as an event named in `fail_on` arrives first."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for e in self.events[after:]:
                    if e.get("event") == name:
                        return e
                    if e.get("event") in fail_on:
                        raise AssertionError("%s: %s while waiting for %s: %s\n%s"
                                             % (self.name, e.get("event"), name, e,
                                                self._diagnostics()))
                left = deadline - time.time()
                if left <= 0 or (self.proc is not None and self.proc.poll() is not None
                                 and not self.reader.is_alive()):
                    raise AssertionError("%s: no %s within %ss\n%s"
                                         % (self.name, name, timeout, self._diagnostics()))
                self.cond.wait(min(left, 0.5))

    def event_names(self):
        with self.cond:
            return [e.get("event") for e in self.events]

    # ------------------------------------------------------------- SIP side

    def register(self, ws_uri, sip_uri, password=None, auto_answer=False, wait=True, timeout=15,
                 **extra):
        """Starts the user agent; with `wait`, returns the 'registered' event."""
        after = self.mark()
        args = dict(extra, wsUri=ws_uri, sipUri=sip_uri, autoAnswer=auto_answer)
        if password is not None:
            args["password"] = password
        self.command("register", **args)
        if wait:
            return self.wait_event("registered", timeout=timeout, after=after,
                                   fail_on=("registrationFailed",))
        return None

    def unregister(self):
        return self.command("unregister")

    def call(self, target, video=False, extra_headers=()):
        return self.command("call", target=target, video=video, extraHeaders=list(extra_headers))

    def answer(self, video=None):
        args = {} if video is None else {"video": video}
        return self.command("answer", **args)

    def hangup(self):
        return self.command("hangup")

    def hold(self):
        return self.command("hold")

    def unhold(self):
        return self.command("unhold")

    def renegotiate(self, ice_restart=False):
        """A re-INVITE with a new offer; `ice_restart` asks for new ICE credentials."""
        return self.command("renegotiate", iceRestart=ice_restart)

    def dtmf(self, tones, transport="rfc2833", duration=160, gap=100):
        """RFC 4733 events in RTP (default) or SIP INFO ("info")."""
        timeout = 10 + len(tones) * (duration + gap) / 1000.0
        return self.command("dtmf", timeout=timeout, tones=tones, transport=transport,
                            duration=duration, gap=gap)

    def vanish(self):
        """Kills Chromium: no BYE, no un-REGISTER, no WebSocket close frame."""
        reply = self.command("vanish")
        deadline = time.time() + 10
        while self.alive() and time.time() < deadline:
            time.sleep(0.05)
        return reply

    # ------------------------------------------------------------ media side

    def loopback(self):
        """Mode "loopback": connects the page's two peer connections."""
        return self.command("loopback", timeout=20)

    def record(self, seconds, path=None):
        """Records `seconds` of received audio (48 kHz mono 16-bit WAV); returns its path."""
        if path is None:
            self.records += 1
            path = os.path.join(self.dir, "%s-received-%d.wav" % (self.name, self.records))
        self.command("record", timeout=seconds + 20, seconds=seconds, path=path)
        return path

    def stats(self):
        """getStats() digest: inbound/outbound RTP counts, codecs, candidate pair."""
        return self.command("stats")
