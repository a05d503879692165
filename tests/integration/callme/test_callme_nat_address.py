"""1:1 NAT: a media interface whose advertised address is not on this host.
The SDP toward the call centre must name the advertised (public) address,
while the RTP sockets bind the interface's own address; before, the leg
tried to bind the public address and the call failed. A real browser calls a
Call Me button whose peer uses that interface; a raw SIP UAS checks the SDP
it gets and that the gateway's RTP reaches it from the interface address."""

import os
import socket
import sys
import time
import unittest
import urllib.parse

HERE = os.path.dirname(__file__)
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
sys.path.insert(0, os.path.join(HERE, "..", "browser"))
import callgate_harness as h  # noqa: E402
import raw_sip  # noqa: E402
from browser_peer import BrowserPeer  # noqa: E402

PUBLIC = "192.0.2.10"  # TEST-NET-1: never a local address


class NatAddress(unittest.TestCase):
    def test_sdp_advertises_the_public_address_and_rtp_leaves_from_the_local_one(self):
        with h.TestRun("callme-nat") as run:
            uas = raw_sip.RawSip(run.procs.closables)
            rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            rtp.bind(("127.0.0.1", 0))
            run.procs.closables.append(rtp)
            tone = os.path.join(run.dir, "1k.wav")
            h.write_tone_wav(tone, 1000.0, seconds=20, rate=48000)
            browser = BrowserPeer(run.procs, run.dir, name="visitor").start(tone)
            page = urllib.parse.urlsplit(browser.ready["url"])
            cert_pem, key_pem, _ = h.self_signed_pem(run.dir)
            wss_port = h.free_port(socket.SOCK_STREAM, both=False)
            config = h.gateway_config(
                listeners=[{"name": "udp", "transport": "udp", "port": h.free_port()},
                           {"name": "wss", "transport": "wss", "port": wss_port}],
                peers=[{"name": "cc", "host": "127.0.0.1", "port": uas.port, "transport": "udp",
                        "codecs": "pcmu", "media_interface": "public", "rtp_latching": False}],
                tls={"certificate_pem": cert_pem, "private_key_pem": key_pem,
                     "ca_bundle_pem": "", "verify_peers": False},
                media={"workers": 1, "rtp_port_min": 26000, "rtp_port_max": 26999,
                       "inactivity_timeout_s": 0},
                # Browsers reach the first interface; the call centre is told
                # the public address of the second (same host address here).
                media_interfaces=[{"name": "loopback", "address": "127.0.0.1",
                                   "advertised_address": "", "enabled": True},
                                  {"name": "public", "address": "127.0.0.1",
                                   "advertised_address": PUBLIC, "enabled": True}],
                buttons=[{"name": "sales", "enabled": True, "destination_type": "peer",
                          "peer": "cc", "destination_user": "sales",
                          "allowed_origins": "%s://%s" % (page.scheme, page.netloc),
                          "require_token": False}])
            gateway = h.Gateway(run.procs, run.dir, config).start()
            browser.register("wss://127.0.0.1:%d" % wss_port, "sip:visitor@127.0.0.1")
            mark = browser.mark()
            browser.call("sip:callme-sales@127.0.0.1")

            invite = uas.recv(timeout=20)
            self.assertEqual(invite.method, "INVITE", invite.raw)
            self.assertIn("c=IN IP4 %s" % PUBLIC, invite.body, invite.body)
            port = int([l for l in invite.body.splitlines() if l.startswith("m=audio")][0]
                       .split()[1])
            uas.respond(invite, 200, "OK", to_tag="cc1",
                        extra="Contact: <sip:cc@127.0.0.1:%d>\r\n" % uas.port,
                        body=raw_sip.sdp(rtp.getsockname()[1]))
            browser.wait_event("confirmed", timeout=20, after=mark, fail_on=("failed", "ended"))
            # The browser's tone arrives as PCMU from the leg's real socket.
            rtp.settimeout(10)
            data, source = rtp.recvfrom(2048)
            self.assertEqual(source, ("127.0.0.1", port))
            self.assertEqual(data[1] & 0x7f, 0)  # payload type 0: PCMU
            self.assertEqual(len(gateway.calls()), 1)
            browser.hangup()
            bye = uas.recv(timeout=10)
            while bye.method == "ACK":
                bye = uas.recv(timeout=10)
            self.assertEqual(bye.method, "BYE")
            uas.respond(bye, 200, "OK")
            deadline = time.time() + 10
            while gateway.calls() and time.time() < deadline:
                time.sleep(0.2)
            self.assertEqual(gateway.calls(), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
