"""A minimal scripted SIP endpoint over UDP for tests that must see every
header the gateway sends (topology hiding, early media, refreshes)."""

import socket


class Message:
    def __init__(self, data):
        text = data.decode("utf-8", "replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.start = lines[0]
        self.headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers.append((name.strip(), value.strip()))
        self.raw = text

    @property
    def is_response(self):
        return self.start.startswith("SIP/2.0 ")

    @property
    def status(self):
        return int(self.start.split()[1]) if self.is_response else 0

    @property
    def method(self):
        return self.start.split()[0] if not self.is_response else self.get("CSeq").split()[1]

    def get(self, name):
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return None

    def all(self, name):
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def tag(self, name):
        value = self.get(name) or ""
        for part in value.split(";")[1:]:
            k, _, v = part.partition("=")
            if k.strip() == "tag":
                return v.strip()
        return ""


class RawSip:
    def __init__(self, closables):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        closables.append(self.sock)
        self.port = self.sock.getsockname()[1]
        self.peer = None

    def send(self, text, to):
        self.sock.sendto(text.replace("\n", "\r\n").replace("\r\r\n", "\r\n").encode(), to)

    def recv(self, timeout=5, skip=("100",)):
        """The next message, skipping 100 Trying and anything in `skip`."""
        self.sock.settimeout(timeout)
        while True:
            data, self.peer = self.sock.recvfrom(65536)
            m = Message(data)
            if m.is_response and str(m.status) in skip:
                continue
            return m

    def respond(self, request, status, reason, to_tag="", extra="", body=""):
        vias = "".join("Via: %s\r\n" % v for v in request.all("Via"))
        to = request.get("To")
        if to_tag and ";tag=" not in to:
            to += ";tag=" + to_tag
        text = ("SIP/2.0 %d %s\r\n%sFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %s\r\n%s"
                % (status, reason, vias, request.get("From"), to, request.get("Call-ID"),
                   request.get("CSeq"), extra))
        if body:
            text += "Content-Type: application/sdp\r\n"
        text += "Content-Length: %d\r\n\r\n%s" % (len(body.encode()), body)
        self.sock.sendto(text.encode(), self.peer)


def sdp(port, session_version=1, direction="sendrecv"):
    return ("v=0\r\no=- 42 %d IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=%s\r\n" % (session_version, port, direction))
