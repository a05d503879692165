"""10,000 malformed datagrams over 10 s: callgated answers (400) or drops and
counts each, stays up, and a call placed during the flood completes."""

import os
import random
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402

TOTAL = 10000
SECONDS = 10.0


def malformed(rng, i, port):
    via = "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKflood%d;rport\r\n" % (port, i)
    kind = i % 8
    if kind == 0:  # a request without Call-ID: answerable with 400
        return ("INVITE sip:agent@127.0.0.1 SIP/2.0\r\n" + via +
                "From: <sip:x@y>;tag=1\r\nTo: <sip:agent@127.0.0.1>\r\nCSeq: 1 INVITE\r\n"
                "Content-Length: 0\r\n\r\n").encode()
    if kind == 1:  # Content-Length beyond the datagram
        return ("OPTIONS sip:a@b SIP/2.0\r\n" + via + "From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\n"
                "Call-ID: f%d\r\nCSeq: 1 OPTIONS\r\nContent-Length: 999\r\n\r\nabc" % i).encode()
    if kind == 2:  # binary noise
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(20, 400))) + b"\x00"
    if kind == 3:  # truncated start line
        return b"INVITE sip:agent@127.0.0.1"
    if kind == 4:  # a header of 10 kB
        return ("OPTIONS sip:a@b SIP/2.0\r\n" + via + "X-Big: " + "a" * 10000 + "\r\n\r\n").encode()
    if kind == 5:  # CSeq method mismatch
        return ("BYE sip:a@b SIP/2.0\r\n" + via + "From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>;tag=2\r\n"
                "Call-ID: f%d\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n" % i).encode()
    if kind == 6:  # a response with a bad status code
        return b"SIP/2.0 99999 Nope\r\nVia: x\r\n\r\n"
    return ("REGISTER sip:a@b SIP/2.0\r\n" + via + "From: <sip:x@y\r\nTo: <sip:a@b>\r\n"
            "Call-ID: f%d\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n" % i).encode()


class MalformedFlood(unittest.TestCase):
    def test_flood_does_not_stop_calls(self):
        with h.TestRun("flood") as run:
            agent = h.Baresip(run.procs, run.dir, "agent", answermode="auto").start()
            caller = h.Baresip(run.procs, run.dir, "caller").start()
            port = h.free_port()
            config = h.gateway_config(
                listeners=[{"name": "udp", "transport": "udp", "port": port}],
                peers=[{"name": "agent", "host": "127.0.0.1", "port": agent.sip_port, "transport": "udp"}],
                routes=[{"name": "r", "target_type": "peer", "peer": "agent"}],
                system={"name": "flood", "log_level": "info", "control_socket": ""})
            gw = h.Gateway(run.procs, run.dir, config).start()

            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 0))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
            run.procs.closables.append(sock)
            my_port = sock.getsockname()[1]
            answers = {"400": 0, "other": 0}
            stop = threading.Event()

            def receive():
                sock.settimeout(0.2)
                while not stop.is_set():
                    try:
                        data = sock.recv(65536)
                    except socket.timeout:
                        continue
                    answers["400" if data.startswith(b"SIP/2.0 400") else "other"] += 1

            receiver = threading.Thread(target=receive)
            receiver.start()
            rng = random.Random(4475)
            start = time.time()
            call_placed = False
            try:
                for i in range(TOTAL):
                    sock.sendto(malformed(rng, i, my_port), ("127.0.0.1", port))
                    if not call_placed and i == TOTAL // 4:
                        caller.command("dial", "sip:agent@127.0.0.1:%d" % port)
                        call_placed = True
                    delay = start + SECONDS * (i + 1) / TOTAL - time.time()
                    if delay > 0:
                        time.sleep(delay)
                caller.wait_event("CALL_ESTABLISHED", timeout=15)
                agent.wait_event("CALL_ESTABLISHED", timeout=5)
                caller.command("hangup")
                agent.wait_event("CALL_CLOSED")
                time.sleep(1)
            finally:
                stop.set()
                receiver.join()

            self.assertIsNone(gw.proc.poll(), "callgated exited during the flood")
            counters = gw.status()["counters"]
            counted = counters.get("sip.rx.unparseable", 0) + counters.get("sip.rx.invalid_requests", 0) + \
                counters.get("sip.rx.invalid_responses", 0)
            self.assertEqual(counted, TOTAL, counters)
            # Requests that could still be answered got a 400 with a reason.
            self.assertGreaterEqual(answers["400"], TOTAL * 3 // 8)
            self.assertEqual(answers["other"], 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
