"""baresip calls baresip through callgated, across transports.

The caller dials the gateway over one transport; the gateway routes the call
to the agent over another. Each case asserts what the two phones see.
"""

import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402

PAIRS = [p.split("-") for p in os.environ.get("CALLGATE_PAIRS", "udp-tcp,tcp-tls,tls-udp").split(",")]


class CallThroughGateway:
    """One gateway and two phones for a (caller transport, agent transport) pair."""

    def __init__(self, run, inbound, outbound):
        cert_pem, key_pem, both = h.self_signed_pem(run.dir)
        self.agent = h.Baresip(run.procs, run.dir, "agent", transport=outbound, tls_cert=both).start()
        self.caller = h.Baresip(run.procs, run.dir, "alice", transport=inbound, tls_cert=both).start()
        port = h.free_port()
        tls_port = h.free_port(socket.SOCK_STREAM, both=False)
        config = h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": port},
                       {"name": "tcp", "transport": "tcp", "port": port},
                       {"name": "tls", "transport": "tls", "port": tls_port}],
            peers=[{"name": "agent", "host": "127.0.0.1", "transport": outbound,
                    "port": self.agent.port_for(outbound)}],
            routes=[{"name": "agents", "match_user_prefix": "agent", "target_type": "peer",
                     "peer": "agent"}],
            tls={"certificate_pem": cert_pem, "private_key_pem": key_pem, "ca_bundle_pem": "",
                 "verify_peers": False})
        self.gateway = h.Gateway(run.procs, run.dir, config).start()
        gw_port = tls_port if inbound == "tls" else port
        self.target = "sip:agent@127.0.0.1:%d;transport=%s" % (gw_port, inbound)

    def ring(self):
        self.caller.command("dial", self.target)
        self.agent.wait_event("CALL_INCOMING")
        self.caller.wait_event("CALL_RINGING")

    def answer(self):
        self.agent.command("accept")
        self.caller.wait_event("CALL_ESTABLISHED")
        self.agent.wait_event("CALL_ESTABLISHED")

    def wait_no_calls(self, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.gateway.calls():
                return
            time.sleep(0.2)
        raise AssertionError("calls still listed: %s" % self.gateway.calls())


class B2buaCalls(unittest.TestCase):
    def run_pair(self, body):
        for inbound, outbound in PAIRS:
            with self.subTest(pair="%s->%s" % (inbound, outbound)):
                with h.TestRun("calls") as run:
                    call = CallThroughGateway(run, inbound, outbound)
                    try:
                        body(call)
                    except Exception:
                        print(call.gateway.read_log()[-4000:], file=sys.stderr)
                        raise

    def test_answer_hold_resume_and_caller_hangs_up(self):
        def body(call):
            call.ring()
            listed = call.gateway.calls()
            self.assertEqual(len(listed), 1)
            self.assertEqual(listed[0]["peer"], "agent")
            call.answer()
            # Hold and resume are re-INVITEs relayed to the agent; each ends with
            # the agent's answer reaching the caller.
            before = len(call.caller.events)
            call.caller.command("hold")
            mark = call.caller.wait_event("CALL_REMOTE_SDP", after=before)
            call.caller.command("resume")
            call.caller.wait_event("CALL_REMOTE_SDP", after=mark + 1)
            self.assertEqual(call.gateway.calls()[0]["state"], "connected")
            call.caller.command("hangup")
            call.agent.wait_event("CALL_CLOSED")
            call.wait_no_calls()
        self.run_pair(body)

    def test_agent_hangs_up(self):
        def body(call):
            call.ring()
            call.answer()
            call.agent.command("hangup")
            call.caller.wait_event("CALL_CLOSED")
            call.wait_no_calls()
        self.run_pair(body)

    def test_cancel_before_answer(self):
        def body(call):
            call.ring()
            call.caller.command("hangup")
            closed = call.agent.wait_event("CALL_CLOSED")
            self.assertNotIn("CALL_ESTABLISHED", call.agent.event_types()[:closed])
            call.caller.wait_event("CALL_CLOSED")
            call.wait_no_calls()
        self.run_pair(body)

    def test_configuration_change_during_a_call_keeps_the_call(self):
        inbound, outbound = PAIRS[0]
        with h.TestRun("reload") as run:
            call = CallThroughGateway(run, inbound, outbound)
            call.ring()
            call.answer()
            before = call.gateway.status()["revision"]
            changed = dict(call.gateway.config)
            changed["sip"] = {"user_agent": "Callgate-reloaded", "session_expires_s": 1200}
            r = call.gateway.import_config(changed)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("daemon reloaded", r.stdout)
            self.assertEqual(call.gateway.status()["revision"], before + 1)
            self.assertEqual(len(call.gateway.calls()), 1)
            time.sleep(1)
            self.assertNotIn("CALL_CLOSED", call.caller.event_types())
            # The call still answers in-dialog requests after the reload.
            before_events = len(call.caller.events)
            call.caller.command("hold")
            call.caller.wait_event("CALL_REMOTE_SDP", after=before_events)
            call.agent.command("hangup")
            call.caller.wait_event("CALL_CLOSED")
            call.wait_no_calls()

    def test_no_route_is_refused(self):
        inbound, outbound = PAIRS[0]
        with h.TestRun("noroute") as run:
            call = CallThroughGateway(run, inbound, outbound)
            call.caller.command("dial", call.target.replace("agent@", "nobody@"))
            closed = call.caller.wait_event("CALL_CLOSED")
            self.assertIn("404", str(call.caller.events[closed]))
            self.assertEqual(call.agent.event_types(), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
