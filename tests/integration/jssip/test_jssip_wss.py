"""A JsSIP client (npm package, in Node) registers over WSS, calls a baresip
agent through callgated, and is called back by a baresip through callgated."""

import json
import os
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402

CLIENT = os.path.join(os.path.dirname(__file__), "client.js")


class NodeClient:
    def __init__(self, run, args):
        log = open(os.path.join(run.dir, "jssip-%d.log" % len(run.procs.procs)), "wb")
        self.proc = subprocess.Popen(["node", CLIENT] + args, stdout=subprocess.PIPE, stderr=log,
                                     text=True, start_new_session=True)
        run.procs.procs.append((self.proc, log))
        run.procs.closables.append(self.proc.stdout)
        self.events = []

    def wait(self, event, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for e in self.events:
                if e["event"] == event:
                    return e
            line = self.proc.stdout.readline()
            if not line:
                break
            self.events.append(json.loads(line))
        raise AssertionError("JsSIP: no %s; events %s" % (event, self.events))


class JsSipOverWss(unittest.TestCase):
    def setUp(self):
        self.run_ctx = h.TestRun("jssip")
        run = self.run_ctx.__enter__()
        cert_pem, key_pem, _ = h.self_signed_pem(run.dir)
        self.run = run
        self.agent = h.Baresip(run.procs, run.dir, "agent", answermode="auto").start()
        self.caller = h.Baresip(run.procs, run.dir, "caller").start()
        self.udp_port = h.free_port()
        self.wss_port = h.free_port(socket.SOCK_STREAM, both=False)
        config = h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": self.udp_port},
                       {"name": "wss", "transport": "wss", "port": self.wss_port}],
            peers=[{"name": "agent", "host": "127.0.0.1", "port": self.agent.sip_port, "transport": "udp"}],
            routes=[{"name": "agents", "priority": 1, "match_user_prefix": "agent", "target_type": "peer",
                     "peer": "agent"},
                    {"name": "browsers", "priority": 2, "target_type": "registered"}],
            tls={"certificate_pem": cert_pem, "private_key_pem": key_pem, "ca_bundle_pem": "",
                 "verify_peers": False})
        self.gateway = h.Gateway(run.procs, run.dir, config).start()
        self.ws = "wss://127.0.0.1:%d" % self.wss_port

    def tearDown(self):
        self.run_ctx.__exit__(None, None, None)

    def test_registers_over_wss_and_calls_an_agent(self):
        client = NodeClient(self.run, ["--ws", self.ws, "--user", "web", "call", "sip:agent@127.0.0.1"])
        client.wait("registered")
        regs = json.loads(self.gateway.ctl("registrations").stdout)
        self.assertEqual([r["user"] for r in regs], ["web"])
        self.assertEqual(regs[0]["transport"], "WSS")
        client.wait("confirmed")
        self.agent.wait_event("CALL_ESTABLISHED")
        ended = client.wait("ended")
        self.assertEqual(ended["originator"], "local")
        self.agent.wait_event("CALL_CLOSED")

    def test_baresip_calls_the_registered_browser_back(self):
        client = NodeClient(self.run, ["--ws", self.ws, "--user", "web", "answer"])
        client.wait("registered")
        self.caller.command("dial", "sip:web@127.0.0.1:%d" % self.udp_port)
        incoming = client.wait("incoming")
        self.assertIn("caller", incoming["from"])
        client.wait("confirmed")
        self.caller.wait_event("CALL_ESTABLISHED")
        self.caller.command("hangup")
        ended = client.wait("ended")
        self.assertEqual(ended["originator"], "remote")

    def test_unregistered_user_is_temporarily_unavailable(self):
        self.caller.command("dial", "sip:nobody@127.0.0.1:%d" % self.udp_port)
        closed = self.caller.wait_event("CALL_CLOSED")
        self.assertIn("480", str(self.caller.events[closed]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
