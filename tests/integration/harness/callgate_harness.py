"""Fixtures for integration tests: the real callgated and real SIP peers.

Every process a test starts is recorded and stopped by PID when the test
ends, pass or fail. Only the Python standard library is used.
"""

import glob
import json
import math
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import wave

BUILD_DIR = os.environ.get("CALLGATE_BUILD_DIR", "")
CALLGATED = os.environ.get("CALLGATED", "")
CALLGATECTL = os.environ.get("CALLGATECTL", "")


def free_port(kind=socket.SOCK_DGRAM, both=True):
    """A port free for UDP and TCP on 127.0.0.1 at the time of asking."""
    for _ in range(200):
        s = socket.socket(socket.AF_INET, kind)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if both:
            other = socket.SOCK_STREAM if kind == socket.SOCK_DGRAM else socket.SOCK_DGRAM
            try:
                t = socket.socket(socket.AF_INET, other)
                t.bind(("127.0.0.1", port))
                t.close()
            except OSError:
                continue
        return port
    raise RuntimeError("no free port")


def self_signed_pem(workdir):
    """A certificate and key for TLS listeners, made with the openssl CLI."""
    cert = os.path.join(workdir, "cert.pem")
    key = os.path.join(workdir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2"],
                   check=True, capture_output=True)
    with open(cert) as c, open(key) as k:
        cert_pem, key_pem = c.read(), k.read()
    both = os.path.join(workdir, "both.pem")
    with open(both, "w") as f:
        f.write(cert_pem + key_pem)
    return cert_pem, key_pem, both


def write_tone_wav(path, freq=440.0, seconds=10, rate=8000, amplitude=0.3, channels=1):
    """A sine tone as S16LE WAV (baresip's aufile source)."""
    frames = bytearray()
    for i in range(int(seconds * rate)):
        v = int(amplitude * 32767 * math.sin(2 * math.pi * freq * i / rate))
        frames += struct.pack("<h", v) * channels
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


class Processes:
    """Processes started by one test, stopped by PID at the end."""

    def __init__(self):
        self.procs = []
        self.closables = []

    def start(self, args, log_path, **kw):
        log = open(log_path, "wb")
        p = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True, **kw)
        self.procs.append((p, log))
        return p

    def stop_all(self):
        for c in self.closables:
            c.close()
        self.closables = []
        for p, log in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            log.close()
        self.procs = []


class Gateway:
    """callgated with a configuration written by the test."""

    def __init__(self, procs, workdir, config):
        self.procs = procs
        self.workdir = workdir
        self.db = os.path.join(workdir, "callgate.db")
        self.config = config
        self.log = os.path.join(workdir, "callgated.log")
        self.proc = None

    def import_config(self, config=None):
        if config is not None:
            self.config = config
        path = os.path.join(self.workdir, "config.json")
        with open(path, "w") as f:
            json.dump(self.config, f)
        return subprocess.run([CALLGATECTL, "--db", self.db, "import", path],
                              capture_output=True, text=True, timeout=60)

    def start(self):
        r = self.import_config()
        if r.returncode != 0:
            raise RuntimeError("import failed: " + r.stdout + r.stderr)
        self.proc = self.procs.start([CALLGATED, "--db", self.db], self.log)
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("callgated exited:\n" + self.read_log())
            try:
                self.status()
                return self
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("callgated did not come up:\n" + self.read_log())

    def ctl(self, *args, timeout=30):
        return subprocess.run([CALLGATECTL, "--db", self.db] + list(args), capture_output=True,
                              text=True, timeout=timeout)

    def status(self):
        r = self.ctl("status", timeout=5)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        return json.loads(r.stdout)

    def calls(self):
        r = self.ctl("calls")
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        return json.loads(r.stdout)

    def read_log(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""


def gateway_config(listeners, peers=(), routes=(), **sections):
    config = {"version": 1,
              "system": {"name": "test", "log_level": "debug", "control_socket": ""},
              "listeners": [dict({"advertised_host": "", "enabled": True, "address": "127.0.0.1"}, **l)
                            for l in listeners],
              "peers": [dict({"port": 0, "username": "", "password": "", "realm": "", "enabled": True}, **p)
                        for p in peers],
              "routes": [dict({"priority": 100, "match_user_prefix": "", "match_domain": "",
                               "peer": "", "enabled": True}, **r) for r in routes]}
    config.update(sections)
    return config


class Baresip:
    """A baresip 1.0 user agent driven over its ctrl_tcp socket."""

    def __init__(self, procs, workdir, name, transport="udp", answermode="manual",
                 tone_hz=440.0, tls_cert=None, codecs=("g711",), mediaenc=None):
        self.procs = procs
        self.name = name
        self.dir = os.path.join(workdir, "baresip-" + name)
        os.makedirs(self.dir, exist_ok=True)
        # baresip listens for TLS on the SIP port + 1.
        while True:
            self.sip_port = free_port()
            try:
                t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                t.bind(("127.0.0.1", self.sip_port + 1))
                t.close()
                break
            except OSError:
                continue
        self.tls_port = self.sip_port + 1
        self.ctrl_port = free_port(socket.SOCK_STREAM, both=False)
        self.transport = transport
        self.events = []
        self.sock = None
        self.buf = b""
        tone = os.path.join(self.dir, "tone.wav")
        # aufile plays its file at the codec's rate: 48 kHz stereo for Opus.
        if "opus" in codecs:
            write_tone_wav(tone, tone_hz, seconds=60, rate=48000, channels=2)
        else:
            write_tone_wav(tone, tone_hz, seconds=60)
        lines = [
            "poll_method epoll",
            "sip_listen 127.0.0.1:%d" % self.sip_port,
            "net_interface 127.0.0.1",
            # A player must run for baresip to decode; sndfile dumps what it decoded.
            "audio_player alsa,null",
            "snd_path %s" % self.dir,
            "audio_source aufile,%s" % tone,
            "audio_alert aufile,%s" % os.path.join(self.dir, "alert.wav"),
            "rtp_ports 30000-39999",
            "module_path /usr/lib/baresip/modules",
        ] + ["module %s.so" % c for c in codecs] + (["module srtp.so"] if mediaenc else []) + [
            "module aufile.so",
            "module alsa.so",
            "module sndfile.so",
            "module_app account.so",
            "module_app menu.so",
            "module_app ctrl_tcp.so",
            "ctrl_tcp_listen 127.0.0.1:%d" % self.ctrl_port,
        ]
        if tls_cert:
            lines.append("sip_certificate %s" % tls_cert)
            lines.append("sip_verify_server no")
        with open(os.path.join(self.dir, "config"), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(self.dir, "accounts"), "w") as f:
            # mediaenc=srtp-mand: RTP/SAVP keyed with SDES (the srtp module).
            extra = ";mediaenc=%s" % mediaenc if mediaenc else ""
            f.write("<sip:%s@127.0.0.1:%d;transport=%s>;regint=0;answermode=%s%s\n"
                    % (name, self.sip_port, transport, answermode, extra))
        with open(os.path.join(self.dir, "contacts"), "w") as f:
            f.write("")

    def command_line(self):
        return ["baresip", "-f", self.dir]

    def start(self):
        self.proc = self.procs.start(self.command_line(), os.path.join(self.dir, "log.txt"))
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=1)
                self.procs.closables.append(self.sock)
                self.sock.settimeout(0.2)
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("baresip %s exited:\n%s" % (self.name, self.log()))
                time.sleep(0.1)
        raise RuntimeError("baresip %s control port not open:\n%s" % (self.name, self.log()))

    def received_wav(self):
        """What baresip decoded in its latest call (sndfile's dump), or None."""
        dumps = sorted(glob.glob(os.path.join(self.dir, "dump-*-dec.wav")), key=os.path.getmtime)
        return dumps[-1] if dumps else None

    def log(self):
        try:
            with open(os.path.join(self.dir, "log.txt"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def command(self, command, params=""):
        msg = json.dumps({"command": command, "params": params, "token": command}).encode()
        self.sock.sendall(b"%d:%s," % (len(msg), msg))

    def _read(self):
        try:
            data = self.sock.recv(65536)
            if data:
                self.buf += data
        except socket.timeout:
            pass
        while True:
            colon = self.buf.find(b":")
            if colon < 0:
                return
            length = int(self.buf[:colon])
            if len(self.buf) < colon + 1 + length + 1:
                return
            body = self.buf[colon + 1:colon + 1 + length]
            self.buf = self.buf[colon + 2 + length:]
            try:
                self.events.append(json.loads(body))
            except ValueError:
                pass

    def wait_event(self, etype, timeout=10, after=0):
        """Waits for an event of type `etype` among events[after:]; returns its index."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i in range(after, len(self.events)):
                if self.events[i].get("type") == etype:
                    return i
            self._read()
        raise AssertionError("%s: no %s within %ss; events: %s\nlog:\n%s"
                             % (self.name, etype, timeout,
                                [e.get("type") for e in self.events], self.log()[-3000:]))

    def event_types(self):
        self._read()
        return [e.get("type") for e in self.events if e.get("event")]

    def port_for(self, transport):
        return self.tls_port if transport == "tls" else self.sip_port

    def uri(self):
        return "sip:%s@127.0.0.1:%d;transport=%s" % (self.name, self.port_for(self.transport),
                                                     self.transport)


class TestRun:
    """A scratch directory and the processes of one test."""

    def __init__(self, name):
        self.dir = tempfile.mkdtemp(prefix="cg-%s-" % name)
        self.procs = Processes()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.procs.stop_all()
        if exc[0] is not None:
            print("test directory kept: %s" % self.dir, file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False


def read_wav_mono(path):
    """(rate, samples) of a 16-bit PCM WAV, channels averaged, samples in [-1, 1]."""
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError("%s: only 16-bit PCM is read" % path)
        rate, channels = w.getframerate(), w.getnchannels()
        raw = w.readframes(w.getnframes())
    count = len(raw) // 2
    values = struct.unpack("<%dh" % count, raw[:count * 2])
    if channels == 1:
        return rate, [v / 32768.0 for v in values]
    frames = count // channels
    return rate, [sum(values[i * channels:(i + 1) * channels]) / (32768.0 * channels)
                  for i in range(frames)]


def _goertzel_share(block, freq, rate):
    """Share of the block's energy that lies at `freq` (1.0 for a pure tone there)."""
    n = len(block)
    energy = sum(x * x for x in block)
    if energy <= 0.0:
        return 0.0, 0.0
    coeff = 2.0 * math.cos(2.0 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in block:
        s0 = x + coeff * s1 - s2
        s2, s1 = s1, s0
    power = s1 * s1 + s2 * s2 - coeff * s1 * s2
    return min(1.0, 2.0 * power / (n * energy)), math.sqrt(energy / n)


def tone_blocks(path, freq, block_ms=100, min_share=0.5, silence_dbfs=-50.0):
    """Per block of `block_ms`: (holds_tone, share, rms_dbfs).

    A block holds the tone when at least `min_share` of its energy is at
    `freq` (Goertzel). A block quieter than `silence_dbfs` never holds it, so
    a silent or dead recording fails instead of passing vacuously.
    """
    rate, samples = read_wav_mono(path)
    n = max(1, int(rate * block_ms / 1000))
    floor = 10.0 ** (silence_dbfs / 20.0)
    out = []
    for start in range(0, len(samples) - n + 1, n):
        share, rms = _goertzel_share(samples[start:start + n], freq, rate)
        dbfs = 20.0 * math.log10(rms) if rms > 0 else -200.0
        out.append((rms >= floor and share >= min_share, share, dbfs))
    return out


def tone_fraction(path, freq, **kw):
    """Fraction of the recording's blocks that hold the tone `freq`."""
    blocks = tone_blocks(path, freq, **kw)
    return sum(1 for b in blocks if b[0]) / len(blocks) if blocks else 0.0


def tone_seconds(path, freq, block_ms=100, **kw):
    """Seconds of the recording (whole blocks) that hold the tone `freq`."""
    blocks = tone_blocks(path, freq, block_ms=block_ms, **kw)
    return sum(1 for b in blocks if b[0]) * block_ms / 1000.0


def assert_tone(path, freq, min_seconds=3.0, **kw):
    """Fails unless at least `min_seconds` of the recording are the tone `freq`."""
    blocks = tone_blocks(path, freq, **kw)
    block_s = kw.get("block_ms", 100) / 1000.0
    held = sum(1 for b in blocks if b[0]) * block_s
    if held < min_seconds:
        sample = ", ".join("%.2f@%.0fdB" % (b[1], b[2]) for b in blocks[:20])
        raise AssertionError("%s: %.1f s of %.0f Hz in %.1f s, want >= %.1f s; first blocks "
                             "(share@level): %s" % (path, held, freq, len(blocks) * block_s,
                                                    min_seconds, sample))
    return held


def start_turn_server(procs, workdir, port, username, password):
    """coturn on 127.0.0.1:`port` (STUN and TURN over UDP, long-term credentials)."""
    relay_base = 50000 + (port % 50) * 200
    proc = procs.start(["turnserver", "-n", "--no-cli", "--listening-ip=127.0.0.1",
                        "--listening-port=%d" % port, "--relay-ip=127.0.0.1",
                        "--min-port=%d" % relay_base, "--max-port=%d" % (relay_base + 199),
                        "--user=%s:%s" % (username, password), "--realm=callgate.test",
                        "--lt-cred-mech", "--no-tls", "--no-dtls", "--allow-loopback-peers",
                        "--db=%s" % os.path.join(workdir, "turndb"), "--log-file=stdout",
                        "--simple-log", "--pidfile=%s" % os.path.join(workdir, "turn.pid")],
                       os.path.join(workdir, "turnserver.log"))
    time.sleep(0.5)
    if proc.poll() is not None:
        with open(os.path.join(workdir, "turnserver.log"), errors="replace") as f:
            raise RuntimeError("turnserver exited:\n" + f.read()[-2000:])
    return proc
