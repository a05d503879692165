"""Call events to the outside: callgated streams offered/answered/ended (and
Call Me refusals) over its control socket, callgate-mgmt delivers them to
webhooks (signed JSON) and XML-RPC receivers started here, retries failed
deliveries, and a receiver that hangs or answers 500 does not slow down call
set-up. The caller is JsSIP in Node (tests/integration/callme/client.js)
through WSS, the call centre a raw SIP UAS."""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
import mgmt_client  # noqa: E402
import raw_sip  # noqa: E402
from webhook_receivers import (Recorder, hanging_receiver, http_receiver,  # noqa: E402
                               signature_valid, xmlrpc_receiver)
from test_callme import NodeClient, CALLGATE_TOKEN, SHOP  # noqa: E402

SECRET = "webhook-secret-0123456789"


class CallEvents(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.run_ctx = h.TestRun("callme_events")
        run = cls.trun = cls.run_ctx.__enter__()
        cert_pem, key_pem, _ = h.self_signed_pem(run.dir)
        cls.uas = raw_sip.RawSip(run.procs.closables)
        udp_port = h.free_port()
        wss_port = h.free_port(socket.SOCK_STREAM, both=False)
        https_port = h.free_port(socket.SOCK_STREAM, both=False)

        cls.good = Recorder()
        cls.flaky = Recorder()
        cls.hung = Recorder()
        cls.rpc = Recorder()
        cls.servers = [http_receiver(cls.good), http_receiver(cls.flaky, failures_per_delivery=2)]
        cls.hang_sock, cls.hang_held = hanging_receiver(cls.hung)
        rpc_server = xmlrpc_receiver(cls.rpc)
        cls.servers.append(rpc_server)
        cls.urls = {
            "good": "http://127.0.0.1:%d/hooks/callgate?shop=1" % cls.servers[0].server_port,
            "flaky": "http://127.0.0.1:%d/hook" % cls.servers[1].server_port,
            "hang": "http://127.0.0.1:%d/hook" % cls.hang_sock.getsockname()[1],
            "rpc": "http://127.0.0.1:%d/RPC2" % rpc_server.server_address[1],
        }

        button = {"name": "sales", "enabled": True, "destination_type": "peer", "peer": "cc",
                  "destination_user": "sales", "allowed_origins": SHOP, "require_token": True,
                  "max_concurrent_calls": 10, "max_calls_per_minute": 100}
        config = h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": udp_port},
                       {"name": "wss", "transport": "wss", "port": wss_port}],
            peers=[{"name": "cc", "host": "127.0.0.1", "port": cls.uas.port, "transport": "udp",
                    "codecs": "pcmu"}],
            tls={"certificate_pem": cert_pem, "private_key_pem": key_pem, "ca_bundle_pem": "",
                 "verify_peers": False},
            media={"inactivity_timeout_s": 0},
            management={"address": "127.0.0.1", "https_port": https_port, "http_redirect_port": 0},
            buttons=[button],
            webhooks=[{"name": "good", "url": cls.urls["good"], "secret": SECRET,
                       "events": "offered,answered,ended,refused"},
                      {"name": "rpc", "format": "xmlrpc", "url": cls.urls["rpc"],
                       "buttons": "sales"}])
        cls.gateway = h.Gateway(run.procs, run.dir, config).start()
        cls.mgmt = mgmt_client.Management(run.procs, run.dir, cls.gateway.db, https_port).start()
        deadline = time.time() + 15
        while "following callgated's call events" not in cls.mgmt.read_log():
            if time.time() > deadline:
                raise RuntimeError("callgate-mgmt does not follow the events:\n" +
                                   cls.mgmt.read_log())
            time.sleep(0.1)
        cls.ws = "wss://127.0.0.1:%d" % wss_port

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            s.shutdown()
            s.server_close()
        cls.hang_sock.close()
        for c in cls.hang_held:
            c.close()
        cls.run_ctx.__exit__(None, None, None)

    # -- helpers -------------------------------------------------------------

    def token(self, *extra):
        r = subprocess.run([CALLGATE_TOKEN, "--db", self.gateway.db, "--button", "sales"] +
                           list(extra), capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def client(self, headers, origin=SHOP):
        args = ["--ws", self.ws, "--user", "visitor", "--hold-ms", "300", "--origin", origin]
        for header in headers:
            args += ["--header", header]
        return NodeClient(self.trun, args + ["call", "sip:callme-sales@127.0.0.1"])

    def answered_call(self, token):
        """One call answered by the call centre and hung up by the caller;
        returns (SIP Call-ID at the call centre, ms from the caller's INVITE
        to its arrival at the call centre)."""
        client = self.client(["X-Callme-Token: " + token,
                              "X-Callme-Page-Url: https://shop.example/order/O-2002"])
        invite = self.uas.recv(timeout=10)
        arrived = time.time() * 1000
        self.assertEqual(invite.method, "INVITE")
        self.uas.respond(invite, 200, "OK", to_tag="cc1",
                         extra="Contact: <sip:cc@127.0.0.1:%d>\r\n" % self.uas.port,
                         body=raw_sip.sdp(40000))
        client.wait("confirmed")
        while True:
            m = self.uas.recv(timeout=10)
            if not m.is_response and m.method == "BYE":
                self.uas.respond(m, 200, "OK")
                break
        client.wait("ended")
        sending = [e for e in client.events if e["event"] == "sending"]
        self.assertTrue(sending, client.events)
        return invite.get("Call-ID"), arrived - sending[0]["t"]

    def events_for(self, recorder, sip_call_id):
        return [json.loads(i["body"]) for i in recorder.snapshot()
                if json.loads(i["body"]).get("sip_call_id") == sip_call_id]

    # -- tests ---------------------------------------------------------------

    def test_1_webhook_gets_offered_answered_ended_signed_with_context(self):
        token = self.token("--customer-id", "C-1001", "--order-id", "O-2002",
                           "--data", "basket=2 items")
        call_id, _ = self.answered_call(token)
        self.good.wait_for(lambda i: json.loads(i["body"])["type"] == "call.ended" and
                           json.loads(i["body"])["sip_call_id"] == call_id)
        got = [i for i in self.good.snapshot() if json.loads(i["body"])["sip_call_id"] == call_id]
        types = [json.loads(i["body"])["type"] for i in got]
        self.assertEqual(types, ["call.offered", "call.answered", "call.ended"])
        ids = {json.loads(i["body"])["call_id"] for i in got}
        self.assertEqual(len(ids), 1, got)
        for item in got:
            head = item["headers"]
            self.assertEqual(head["content-type"], "application/json; charset=utf-8")
            self.assertEqual(head["x-callgate-event"], json.loads(item["body"])["type"])
            self.assertTrue(signature_valid(head, item["body"], SECRET), head)
            self.assertFalse(signature_valid(head, item["body"] + " ", SECRET))
        offered = json.loads(got[0]["body"])
        self.assertEqual(offered["route"], "callme-sales")
        self.assertEqual(offered["peer"], "cc")
        self.assertEqual(offered["callme"]["button"], "sales")
        self.assertEqual(offered["callme"]["customer_id"], "C-1001")
        self.assertEqual(offered["callme"]["order_id"], "O-2002")
        self.assertEqual(offered["callme"]["page_url"], "https://shop.example/order/O-2002")
        self.assertEqual(offered["callme"]["origin"], SHOP)
        self.assertEqual(offered["callme"]["data"], {"basket": "2 items"})
        ended = json.loads(got[2]["body"])
        self.assertEqual(ended["reason"], "caller hung up")
        self.assertGreaterEqual(ended["duration_s"], 0)

        # The XML-RPC receiver got the same call as a struct.
        rpc = self.rpc.wait_for(lambda e: e["sip_call_id"] == call_id and
                                e["type"] == "call.ended")
        self.assertEqual(rpc[0]["callme"]["customer_id"], "C-1001")
        rpc_types = [e["type"] for e in self.rpc.snapshot() if e["sip_call_id"] == call_id]
        self.assertEqual(rpc_types, ["call.offered", "call.answered", "call.ended"])

        # And /api/v1/events lists them with the whole event.
        admin = self.mgmt.admin()
        r = admin.get("/api/v1/events?limit=1000")
        self.assertEqual(r.status, 200, r)
        mine = [e for e in r.json["items"] if (e.get("data") or {}).get("sip_call_id") == call_id]
        self.assertEqual([e["type"] for e in mine],
                         ["call.offered", "call.answered", "call.ended"])
        type(self).admin = admin

    def test_2_refusals_are_events_too(self):
        client = self.client(["X-Callme-Token: not-a-token"])
        failed = client.wait_any(("failed", "confirmed"))
        self.assertEqual(failed["event"], "failed")
        refused = self.good.wait_for(lambda i: json.loads(i["body"])["type"] == "call.refused")
        event = json.loads(refused[-1]["body"])
        self.assertEqual(event["status"], 403)
        self.assertEqual(event["reason"], "Token invalid")
        self.assertEqual(event["callme"]["button"], "sales")
        self.assertEqual(event["callme"]["origin"], SHOP)
        # Counted in callgated's status too.
        counters = self.gateway.status()["counters"]
        self.assertGreaterEqual(counters["callme.refused"], 1)
        self.assertGreaterEqual(counters["callme.admitted"], 1)
        self.assertGreaterEqual(counters["control.events_published"], 4)
        # The XML-RPC hook does not ask for refusals.
        time.sleep(0.5)
        self.assertFalse([e for e in self.rpc.snapshot() if e["type"] == "call.refused"])

    def test_3_failing_receivers_are_retried_and_never_slow_the_call(self):
        # Tokens admit one call each (callme.single_use_tokens).
        # Five calls each way: medians of a handful resist one slow sample.
        baseline = [self.answered_call(self.token("--customer-id", "C-7"))[1] for _ in range(5)]

        admin = self.mgmt.admin() if not hasattr(self, "admin") else self.admin
        for hook in ({"name": "hang", "url": self.urls["hang"], "secret": SECRET,
                      "timeout_ms": 300, "max_attempts": 2},
                     {"name": "flaky", "url": self.urls["flaky"], "secret": SECRET,
                      "events": "answered", "timeout_ms": 1000, "max_attempts": 4}):
            r = admin.post("/api/v1/webhooks", hook)
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json["item"]["secret"], "********")
        with_bad_hooks = []
        call_ids = []
        for _ in range(5):
            call_id, setup = self.answered_call(self.token("--customer-id", "C-7"))
            call_ids.append(call_id)
            with_bad_hooks.append(setup)
        print("INVITE to call centre, ms: without bad hooks %s, with a hanging and a failing "
              "hook %s" % (["%.1f" % x for x in baseline], ["%.1f" % x for x in with_bad_hooks]))
        self.assertLess(statistics.median(with_bad_hooks) - statistics.median(baseline), 50)

        # The hook answering 500 twice got the answered event a third time, then 200.
        for call_id in call_ids:
            tries = self.flaky.wait_for(lambda i, c=call_id: json.loads(i["body"])["sip_call_id"] == c
                                        and i["status"] == 200, timeout=20)
            attempts = [i for i in self.flaky.snapshot()
                        if json.loads(i["body"])["sip_call_id"] == call_id]
            self.assertEqual([i["status"] for i in attempts], [500, 500, 200])
            self.assertEqual([i["headers"]["x-callgate-attempt"] for i in attempts],
                             ["1", "2", "3"])
            # Retries wait 1 s, then 2 s.
            self.assertGreater(attempts[1]["at"] - attempts[0]["at"], 0.8)
            self.assertGreater(attempts[2]["at"] - attempts[1]["at"], 1.8)
            self.assertEqual(len({i["headers"]["x-callgate-delivery"] for i in attempts}), 1)
            del tries
        # The hanging hook was tried twice per event, then given up and logged
        # (one delivery at a time: 30 attempts of 0.3 s and the back-offs).
        deadline = time.time() + 40
        # Every event of the five calls (offered, answered, ended) twice.
        while len(self.hung.snapshot()) < 2 * 15 and time.time() < deadline:
            time.sleep(0.2)
        self.assertGreaterEqual(len(self.hung.snapshot()), 2 * 15)
        r = admin.get("/api/v1/events?limit=1000")
        failed = [e for e in r.json["items"] if e["type"] == "webhook_failed"]
        self.assertTrue(failed, r.json)
        self.assertIn("hang: delivery", failed[0]["message"])
        # /api/v1/statistics counts the deliveries next to callgated's counters.
        # The last attempt's failure lands once its timeout has passed.
        deadline = time.time() + 10
        while True:
            stats = admin.get("/api/v1/statistics").json["groups"]
            if stats["webhook"]["failed_attempts"] >= 2 * 15 + 2 * 5 or time.time() > deadline:
                break
            time.sleep(0.2)
        self.assertGreaterEqual(stats["webhook"]["given_up"], len(failed))
        self.assertGreaterEqual(stats["webhook"]["failed_attempts"], 2 * 15 + 2 * 5)
        self.assertGreater(stats["webhook"]["delivered"], 0)
        self.assertGreaterEqual(stats["callme"]["admitted"], 10)


    def test_4_https_receivers_are_verified_unless_told_not_to(self):
        # callgate-mgmt itself is an HTTPS server with a self-signed
        # certificate: with verification it must refuse the handshake, without
        # it the request goes through and gets the server's HTTP answer (404).
        admin = self.mgmt.admin() if not hasattr(self, "admin") else self.admin
        url = "https://127.0.0.1:%d/no-such-hook" % self.mgmt.https_port
        for name, verify in (("tls-verify", True), ("tls-trust", False)):
            r = admin.post("/api/v1/webhooks", {"name": name, "url": url, "secret": SECRET,
                                                "events": "refused", "max_attempts": 1,
                                                "verify_tls": verify})
            self.assertEqual(r.status, 201, r)
        client = self.client(["X-Callme-Token: forged"])
        self.assertEqual(client.wait_any(("failed", "confirmed"))["event"], "failed")
        deadline = time.time() + 15
        failed = {}
        while len(failed) < 2 and time.time() < deadline:
            for e in admin.get("/api/v1/events?limit=1000").json["items"]:
                if e["type"] == "webhook_failed" and e["message"].startswith("tls-"):
                    failed[e["message"].split(":")[0]] = e["message"]
            time.sleep(0.2)
        print("webhook failures: %s" % failed)
        self.assertEqual(set(failed), {"tls-verify", "tls-trust"}, failed)
        self.assertIn("HTTP 404", failed["tls-trust"])
        self.assertNotIn("HTTP", failed["tls-verify"].split("(", 1)[1])
        for name in ("tls-verify", "tls-trust"):
            self.assertEqual(admin.delete("/api/v1/webhooks/" + name).status, 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
