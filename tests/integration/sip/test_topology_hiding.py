"""Scripted SIP endpoints on both sides of callgated check what crosses the
B2BUA: nothing identifying one side reaches the other, early media SDP does,
re-INVITE and UPDATE work from the callee side, REFER is refused clearly,
OPTIONS is answered locally and session timers are negotiated."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
from raw_sip import RawSip, sdp  # noqa: E402


class TopologyHiding(unittest.TestCase):
    def setUp(self):
        self.ctx = h.TestRun("topology")
        run = self.ctx.__enter__()
        self.caller = RawSip(run.procs.closables)
        self.agent = RawSip(run.procs.closables)
        self.port = h.free_port()
        config = h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": self.port}],
            peers=[{"name": "agent", "host": "127.0.0.1", "port": self.agent.port, "transport": "udp"}],
            routes=[{"name": "r", "target_type": "peer", "peer": "agent"}])
        self.gw = h.Gateway(run.procs, run.dir, config).start()
        self.gw_addr = ("127.0.0.1", self.port)

    def tearDown(self):
        self.ctx.__exit__(None, None, None)

    def invite(self, extra=""):
        c = self.caller
        c.send("INVITE sip:agent-7@127.0.0.1:%d SIP/2.0\n"
               "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKcaller1;rport\n"
               "Record-Route: <sip:secret-proxy.caller.example;lr>\n"
               "Max-Forwards: 70\n"
               "From: \"Alice Customer\" <sip:alice@caller.example>;tag=ctag\n"
               "To: <sip:agent-7@127.0.0.1>\n"
               "Call-ID: caller-secret-call-id\n"
               "CSeq: 1 INVITE\n"
               "Contact: <sip:alice@127.0.0.1:%d>\n"
               "User-Agent: CallerPhone/1.0\n"
               "Supported: timer\n"
               "Session-Expires: 600;refresher=uac\n"
               "%s"
               "Content-Type: application/sdp\n"
               "Content-Length: %d\n\n%s"
               % (self.port, c.port, c.port, extra, len(sdp(4000)), sdp(4000)), self.gw_addr)

    def test_nothing_of_one_side_reaches_the_other(self):
        self.invite()
        inv = self.agent.recv()
        self.assertTrue(inv.start.startswith("INVITE sip:agent-7@127.0.0.1:%d" % self.agent.port))
        for secret in ("caller-secret-call-id", "z9hG4bKcaller1", "secret-proxy", "caller.example",
                       "ctag", "CallerPhone", ":%d" % self.caller.port):
            self.assertNotIn(secret, inv.raw, "leaked to the agent: " + secret)
        self.assertIn("Alice Customer", inv.get("From"))
        self.assertIn("sip:alice@", inv.get("From"))
        self.assertEqual(len(inv.all("Via")), 1)
        self.assertIn("a=rtpmap:0 PCMU/8000", inv.body)

        # 183 with SDP: early media reaches the caller, without the agent's identity.
        self.agent.respond(inv, 183, "Session Progress", "atag",
                           "Contact: <sip:agent-internal@127.0.0.1:%d>\r\n"
                           "Record-Route: <sip:agent-proxy.internal;lr>\r\n" % self.agent.port,
                           sdp(5000))
        early = self.caller.recv()
        self.assertEqual(early.status, 183)
        self.assertIn("m=audio 5000", early.body)
        self.assertTrue(early.tag("To"))
        for secret in ("agent-internal", "agent-proxy", "atag", inv.get("Call-ID")):
            self.assertNotIn(secret, early.raw, "leaked to the caller: " + secret)
        self.assertEqual(early.get("Call-ID"), "caller-secret-call-id")

        self.agent.respond(inv, 200, "OK", "atag",
                           "Contact: <sip:agent-internal@127.0.0.1:%d>\r\nAllow: INVITE, ACK, BYE, UPDATE\r\n"
                           "Supported: timer\r\nSession-Expires: 900;refresher=uac\r\n" % self.agent.port,
                           sdp(5000))
        ack = self.agent.recv()
        self.assertEqual(ack.method, "ACK")
        ok = self.caller.recv()
        self.assertEqual(ok.status, 200)
        self.assertTrue(ok.get("Session-Expires").startswith("600"))
        self.assertIn("refresher=uac", ok.get("Session-Expires"))
        self.assertNotIn("agent-internal", ok.raw)
        contact = ok.get("Contact")
        self.assertIn("127.0.0.1:%d" % self.port, contact)

        # A re-INVITE from the agent (hold) is relayed to the caller with its SDP.
        c_tag, a_tag = ok.tag("To"), "atag"
        self.caller.send("ACK %s SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKack1;rport\n"
                         "Max-Forwards: 70\nFrom: %s\nTo: %s\nCall-ID: caller-secret-call-id\nCSeq: 1 ACK\n"
                         "Content-Length: 0\n\n" % (contact.strip("<>"), self.caller.port, ok.get("From"),
                                                     ok.get("To")), self.gw_addr)
        agent_dialog = (inv.get("From"), inv.get("To") + ";tag=" + a_tag, inv.get("Call-ID"))
        self.agent.send("INVITE %s SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKagent2;rport\n"
                        "Max-Forwards: 70\nFrom: %s\nTo: %s\nCall-ID: %s\nCSeq: 2 INVITE\n"
                        "Contact: <sip:agent-internal@127.0.0.1:%d>\nContent-Type: application/sdp\n"
                        "Content-Length: %d\n\n%s"
                        % (inv.get("Contact").strip("<>"), self.agent.port, agent_dialog[1], agent_dialog[0],
                           agent_dialog[2], self.agent.port, len(sdp(5000, 2, "sendonly")),
                           sdp(5000, 2, "sendonly")), self.gw_addr)
        reinvite = self.caller.recv()
        self.assertEqual(reinvite.method, "INVITE")
        self.assertIn("a=sendonly", reinvite.body)
        self.assertEqual(reinvite.get("Call-ID"), "caller-secret-call-id")
        self.assertNotIn("agent-internal", reinvite.raw)
        self.caller.respond(reinvite, 200, "OK", "", "", sdp(4000, 2, "recvonly"))
        ack2 = self.caller.recv()
        self.assertEqual(ack2.method, "ACK")
        relayed = self.agent.recv()
        self.assertEqual(relayed.status, 200)
        self.assertIn("a=recvonly", relayed.body)

        # REFER is refused clearly; OPTIONS in the dialog is answered locally.
        self.agent.send("REFER %s SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKagent3;rport\n"
                        "Max-Forwards: 70\nFrom: %s\nTo: %s\nCall-ID: %s\nCSeq: 3 REFER\n"
                        "Refer-To: <sip:someone@elsewhere>\nContent-Length: 0\n\n"
                        % (inv.get("Contact").strip("<>"), self.agent.port, agent_dialog[1],
                           agent_dialog[0], agent_dialog[2]), self.gw_addr)
        refused = self.agent.recv()
        self.assertEqual(refused.status, 501)
        self.assertEqual(refused.start, "SIP/2.0 501 Call transfer not supported")

        # BYE from the caller reaches the agent as a BYE of the agent's own dialog.
        self.caller.send("BYE %s SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKbye1;rport\n"
                         "Max-Forwards: 70\nFrom: %s\nTo: %s\nCall-ID: caller-secret-call-id\nCSeq: 2 BYE\n"
                         "Content-Length: 0\n\n" % (contact.strip("<>"), self.caller.port, ok.get("From"),
                                                     ok.get("To")), self.gw_addr)
        self.assertEqual(self.caller.recv().status, 200)
        bye = self.agent.recv()
        self.assertEqual(bye.method, "BYE")
        self.assertEqual(bye.get("Call-ID"), inv.get("Call-ID"))
        self.agent.respond(bye, 200, "OK")

    def test_options_is_answered_locally(self):
        self.caller.send("OPTIONS sip:127.0.0.1:%d SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKo1;rport\n"
                         "Max-Forwards: 70\nFrom: <sip:mon@x>;tag=1\nTo: <sip:127.0.0.1>\nCall-ID: o1\n"
                         "CSeq: 1 OPTIONS\nContent-Length: 0\n\n" % (self.port, self.caller.port), self.gw_addr)
        r = self.caller.recv()
        self.assertEqual(r.status, 200)
        self.assertIn("INVITE", r.get("Allow"))

    def test_short_session_interval_gets_422(self):
        c = self.caller
        c.send("INVITE sip:agent@127.0.0.1:%d SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKse;rport\n"
               "Max-Forwards: 70\nFrom: <sip:a@x>;tag=1\nTo: <sip:agent@127.0.0.1>\nCall-ID: se1\n"
               "CSeq: 1 INVITE\nContact: <sip:a@127.0.0.1:%d>\nSession-Expires: 30\nContent-Length: 0\n\n"
               % (self.port, c.port, c.port), self.gw_addr)
        r = c.recv(skip=("100", "183", "180"))
        while r.method != "INVITE" or r.get("Call-ID") != "se1":
            r = c.recv()
        self.assertEqual(r.status, 422)
        self.assertEqual(r.get("Min-SE"), "90")


class RequestScreening(TopologyHiding):
    """RFC 4475 §3.3.7 (bext01) and §3.1.1.13-style bodies: what a UAS must refuse."""

    def final_for(self, extra, body_type="application/sdp", body=None):
        body = sdp(4000) if body is None else body
        c = self.caller
        c.send("INVITE sip:agent@127.0.0.1:%d SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKscr;rport\n"
               "Max-Forwards: 70\nFrom: <sip:a@x>;tag=1\nTo: <sip:agent@127.0.0.1>\nCall-ID: scr1\n"
               "CSeq: 1 INVITE\nContact: <sip:a@127.0.0.1:%d>\n%sContent-Type: %s\nContent-Length: %d\n\n%s"
               % (self.port, c.port, c.port, extra, body_type, len(body), body), self.gw_addr)
        return c.recv(skip=("100", "180", "183"))

    def test_unknown_required_extension_gets_420(self):
        r = self.final_for("Require: nothingSupportsThis, timer\n")
        self.assertEqual(r.status, 420)
        self.assertEqual(r.get("Unsupported"), "nothingSupportsThis")

    def test_unknown_body_type_gets_415(self):
        r = self.final_for("", "application/unknownformat", "<b>not sdp</b>")
        self.assertEqual(r.status, 415)
        self.assertEqual(r.get("Accept"), "application/sdp")

    # The inherited tests run once, in TopologyHiding.
    test_nothing_of_one_side_reaches_the_other = None
    test_options_is_answered_locally = None
    test_short_session_interval_gets_422 = None


if __name__ == "__main__":
    unittest.main(verbosity=2)
