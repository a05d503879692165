"""A call centre that plays early media: a SIP UAS over UDP that answers an
INVITE with 183 Session Progress and SDP (PCMU on its own RTP port), streams
a tone as RTP (the ringback or announcement before an agent picks up), then
answers with 200 OK and the same SDP, streams another tone, and hangs up
with BYE. What the gateway sends back on RTP is decoded and kept per phase.
Only the Python standard library is used.

    uas = EarlyMediaUas(run.procs.closables, early_hz=440.0, answered_hz=660.0).start()
    # a gateway peer at 127.0.0.1:uas.sip_port; a call arrives ...
    uas.wait("200")
    uas.wait("bye_answered", timeout=30)

With hold=True the 200 OK waits, beyond `early_s`, for release_answer(), and
the BYE, beyond `answered_s`, for release_bye(): a test can record each
phase without racing the UAS's clock.
"""

import math
import random
import re
import select
import socket
import struct
import threading
import time
import wave

from raw_sip import Message, sdp

RATE = 8000
FRAME_SAMPLES = 160  # 20 ms of PCMU (RFC 3551 §4.5.14)
FRAME_S = FRAME_SAMPLES / RATE
PCMU = 0
T1 = 0.5  # RFC 3261 §17.1.1.1
T2 = 4.0


def ulaw_encode(sample):
    """G.711 μ-law of a 16-bit linear sample (ITU-T G.711, bias 0x84, clip 32635)."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(-sample if sample < 0 else sample, 32635) + 0x84
    exponent = 7
    while exponent > 0 and not magnitude & (0x4000 >> (7 - exponent)):
        exponent -= 1
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def ulaw_decode(byte):
    """16-bit linear sample of a G.711 μ-law byte."""
    byte = ~byte & 0xFF
    magnitude = ((((byte & 0x0F) << 3) + 0x84) << ((byte >> 4) & 0x07)) - 0x84
    return -magnitude if byte & 0x80 else magnitude


class EarlyMediaUas:
    def __init__(self, closables, early_hz=440.0, answered_hz=660.0, early_s=4.0, answered_s=3.0,
                 hold=False, amplitude=0.3):
        self.early_hz = early_hz
        self.answered_hz = answered_hz
        self.early_s = early_s
        self.answered_s = answered_s
        self.amplitude = amplitude
        self.sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sip.bind(("127.0.0.1", 0))
        self.sip_port = self.sip.getsockname()[1]
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind(("127.0.0.1", 0))
        self.rtp_port = self.rtp.getsockname()[1]
        self.answer_gate = threading.Event()
        self.bye_gate = threading.Event()
        if not hold:
            self.answer_gate.set()
            self.bye_gate.set()
        self.events = []  # (name, monotonic time)
        self.cond = threading.Condition()
        self.failure = None
        self.bye_status = None
        self.offer = None
        self.sent_packets = 0
        self.heard = {"early": [], "answered": []}  # PCM from the gateway, per phase
        self.received_packets = {"early": 0, "answered": 0}
        self.stopping = False
        self.thread = None
        # One RTP stream across both phases (RFC 3550 §5.1): random SSRC and
        # starting sequence number and timestamp.
        self.ssrc = random.getrandbits(32)
        self.seq = random.getrandbits(16)
        self.timestamp = random.getrandbits(32)
        self.sample = 0
        self.phase = "early"
        self.invite = None
        self.invite_from = None
        self.to_tag = "cc%08x" % random.getrandbits(32)
        self.last_response = None
        self._last_source = None
        self.remote_rtp = None
        closables.append(self)

    # --------------------------------------------------------------- control

    def start(self):
        self.thread = threading.Thread(target=self._run, name="early-media-uas", daemon=True)
        self.thread.start()
        return self

    def close(self):
        self.stopping = True
        self.answer_gate.set()
        self.bye_gate.set()
        if self.thread is not None:
            self.thread.join(timeout=10)
            self.thread = None
        self.sip.close()
        self.rtp.close()

    def release_answer(self):
        self.answer_gate.set()

    def release_bye(self):
        self.bye_gate.set()

    def wait(self, name, timeout=20):
        """Waits for the event `name` (invite, 183, 200, ack, bye_sent,
        bye_answered, bye_received, cancelled); returns its time."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for event, at in self.events:
                    if event == name:
                        return at
                if self.failure:
                    raise AssertionError("early-media UAS failed: %s" % self.failure)
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError("early-media UAS: no %s within %ss; events: %s"
                                         % (name, timeout, [e for e, _ in self.events]))
                self.cond.wait(min(left, 0.2))

    def heard_wav(self, phase, path):
        """What the gateway sent during `phase` ("early" or "answered") as a WAV."""
        with self.cond:
            samples = list(self.heard[phase])
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(struct.pack("<%dh" % len(samples), *samples))
        return path

    # ------------------------------------------------------------- call flow

    def _event(self, name):
        with self.cond:
            self.events.append((name, time.monotonic()))
            self.cond.notify_all()

    def _run(self):
        try:
            self._call()
        except Exception as e:  # reported through wait()
            with self.cond:
                self.failure = "%s: %s" % (type(e).__name__, e)
                self.cond.notify_all()

    def _call(self):
        invite = self._wait_invite()
        if invite is None:
            return
        self._respond(invite, 100, "Trying")
        self.remote_rtp = self._rtp_address(invite.body)
        self.offer = invite.body
        body = sdp(self.rtp_port)
        self._respond(invite, 183, "Session Progress", body=body)
        self._event("183")
        early_start = time.monotonic()
        if not self._stream(lambda now: now - early_start >= self.early_s and
                            self.answer_gate.is_set()):
            return
        # The same SDP in the 200 as in the 183 (RFC 3261 §13.2.1 allows no
        # other answer to the one offer).
        self.phase = "answered"
        self._respond(invite, 200, "OK", body=body)
        self._event("200")
        answered_start = time.monotonic()
        if not self._stream(lambda now: now - answered_start >= self.answered_s and
                            self.bye_gate.is_set() and self._acked()):
            return
        self._bye(invite)

    def _wait_invite(self):
        while not self.stopping:
            message = self._recv(0.2)
            if message is None:
                continue
            if message.is_response:
                continue
            if message.method == "INVITE":
                self.invite = message
                self._event("invite")
                return message
            self._respond(message, 200, "OK")
        return None

    def _acked(self):
        return any(name == "ack" for name, _ in self.events)

    def _stream(self, done):
        """Sends 20 ms RTP packets on a fixed schedule and serves SIP until
        done(now) holds; False when the call ended another way."""
        next_at = time.monotonic()
        retransmit_at, interval = None, T1
        if self.phase == "answered":
            retransmit_at = next_at + T1
        while not self.stopping:
            now = time.monotonic()
            if done(now):
                return True
            if now >= next_at:
                self._send_frame()
                next_at += FRAME_S
                if next_at < now - 0.2:  # fell far behind: resynchronise
                    next_at = now + FRAME_S
            # A 200 OK is resent until the ACK (RFC 3261 §13.3.1.4).
            if retransmit_at is not None and not self._acked() and now >= retransmit_at:
                self._send(self.last_response, self.invite_from)
                interval = min(interval * 2, T2)
                retransmit_at = now + interval
            readable, _, _ = select.select([self.sip, self.rtp], [], [],
                                           max(0.0, next_at - time.monotonic()))
            if self.rtp in readable:
                self._read_rtp()
            if self.sip in readable:
                message = self._recv(0)
                if message is not None and not self._handle_in_call(message):
                    return False
        return False

    def _handle_in_call(self, message):
        """Serves one SIP message during the call; False once the call is over."""
        if message.is_response:
            return True
        method = message.method
        if method == "INVITE" and message.get("Call-ID") == self.invite.get("Call-ID"):
            self._send(self.last_response, self.invite_from)  # a retransmission
            return True
        if method == "ACK":
            if not self._acked():
                self._event("ack")
            return True
        if method == "CANCEL":
            self._respond(message, 200, "OK")
            self._respond(self.invite, 487, "Request Terminated")
            self._event("cancelled")
            return False
        if method == "BYE":
            self._respond(message, 200, "OK")
            self._event("bye_received")
            return False
        self._respond(message, 200, "OK")
        return True

    def _bye(self, invite):
        """BYE within the dialog (RFC 3261 §15.1.1), resent until answered."""
        contact = invite.get("Contact") or ""
        found = re.search(r"<([^>]+)>", contact)
        target = found.group(1) if found else contact.split(";")[0].strip()
        to = invite.get("To")
        if ";tag=" not in to:
            to += ";tag=" + self.to_tag
        routes = "".join("Route: %s\r\n" % r for r in invite.all("Record-Route"))
        branch = "z9hG4bK%016x" % random.getrandbits(64)
        text = ("BYE %s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=%s;rport\r\n"
                "Max-Forwards: 70\r\n%sFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: 1 BYE\r\n"
                "Content-Length: 0\r\n\r\n"
                % (target, self.sip_port, branch, routes, to, invite.get("From"),
                   invite.get("Call-ID")))
        self._event("bye_sent")
        interval, resend_at = T1, time.monotonic() + T1
        self._send(text, self.invite_from)
        deadline = time.monotonic() + 32 * T1
        while not self.stopping and time.monotonic() < deadline:
            self._drain_rtp()
            message = self._recv(0.05)
            if message is None:
                if time.monotonic() >= resend_at:
                    self._send(text, self.invite_from)
                    interval = min(interval * 2, T2)
                    resend_at = time.monotonic() + interval
                continue
            if message.is_response and message.method == "BYE" and message.status >= 200:
                self.bye_status = message.status
                self._event("bye_answered")
                return
            if not message.is_response:
                self._respond(message, 200, "OK")
        raise RuntimeError("no final response to BYE")

    # --------------------------------------------------------------- SIP I/O

    def _recv(self, timeout):
        if timeout:
            readable, _, _ = select.select([self.sip], [], [], timeout)
            if not readable:
                return None
        try:
            data, source = self.sip.recvfrom(65536)
        except (BlockingIOError, OSError):
            return None
        message = Message(data)
        if not message.is_response and message.method == "INVITE" and self.invite_from is None:
            self.invite_from = source
        self._last_source = source
        return message

    def _send(self, text, to):
        if text is not None and to is not None:
            self.sip.sendto(text.encode(), to)

    def _respond(self, request, status, reason, body=""):
        vias = "".join("Via: %s\r\n" % v for v in request.all("Via"))
        to = request.get("To")
        if status > 100 and ";tag=" not in to:
            to += ";tag=" + self.to_tag
        text = ("SIP/2.0 %d %s\r\n%sFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %s\r\n"
                % (status, reason, vias, request.get("From"), to, request.get("Call-ID"),
                   request.get("CSeq")))
        if request.method == "INVITE" and 100 < status < 300:
            text += "Contact: <sip:callcentre@127.0.0.1:%d>\r\n" % self.sip_port
        if body:
            text += "Content-Type: application/sdp\r\n"
        text += "Content-Length: %d\r\n\r\n%s" % (len(body.encode()), body)
        if request.method == "INVITE":
            self.last_response = text
        self._send(text, self._last_source)

    @staticmethod
    def _rtp_address(offer):
        """(ip, port) of the offer's audio stream; PCMU must be offered."""
        address = re.search(r"^c=IN IP4 (\S+)", offer, re.M)
        media = re.search(r"^m=audio (\d+) RTP/\S+ ([\d ]+)", offer, re.M)
        if not address or not media:
            raise RuntimeError("no IPv4 audio stream in the offer:\n" + offer)
        if str(PCMU) not in media.group(2).split():
            raise RuntimeError("PCMU not offered:\n" + offer)
        return address.group(1), int(media.group(1))

    # --------------------------------------------------------------- RTP I/O

    def _send_frame(self):
        freq = self.early_hz if self.phase == "early" else self.answered_hz
        payload = bytes(
            ulaw_encode(int(self.amplitude * 32767 *
                            math.sin(2 * math.pi * freq * (self.sample + i) / RATE)))
            for i in range(FRAME_SAMPLES))
        marker = 0x80 if self.sent_packets == 0 else 0
        header = struct.pack("!BBHII", 0x80, marker | PCMU, self.seq, self.timestamp, self.ssrc)
        self.rtp.sendto(header + payload, self.remote_rtp)
        self.sent_packets += 1
        self.seq = (self.seq + 1) & 0xFFFF
        self.timestamp = (self.timestamp + FRAME_SAMPLES) & 0xFFFFFFFF
        self.sample += FRAME_SAMPLES

    def _read_rtp(self):
        try:
            data, _ = self.rtp.recvfrom(2048)
        except OSError:
            return
        # Version 2, PCMU, no CSRC or extension: the G.711 stream from the gateway.
        if len(data) <= 12 or data[0] != 0x80 or data[1] & 0x7F != PCMU:
            return
        with self.cond:
            self.received_packets[self.phase] += 1
            self.heard[self.phase].extend(ulaw_decode(b) for b in data[12:])

    def _drain_rtp(self):
        while select.select([self.rtp], [], [], 0)[0]:
            self._read_rtp()
