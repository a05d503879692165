"""docs/openapi.json is kept true: the route table of callgate-mgmt
(--list-routes) has exactly the document's paths and methods, and every
route is called against the real callgate-mgmt + callgated with a valid and
an invalid request; each answer must have a documented status and a body
matching the schema for it, and each accepted request body must match the
request schema (openapi_check.py). Along the way: certificate upload (PEM
and PKCS#12) with the new certificate served on the next connection,
call details and hang-up of a real call, statistics and events."""

import base64
import hashlib
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
sys.path.insert(0, os.path.dirname(__file__))
import callgate_harness as h  # noqa: E402
from mgmt_client import ApiClient, Management  # noqa: E402
from openapi_check import Checker, load_document  # noqa: E402
from raw_sip import RawSip, sdp  # noqa: E402

API = "/api/v1"
ADMIN_PASSWORD = "openapi admin password"


class CheckedClient(ApiClient):
    """An API client whose every exchange is checked against the document."""

    def __init__(self, port, checker, **kw):
        super().__init__(port, **kw)
        self.checker = checker

    def request(self, method, path, body=None, raw=None, content_type="application/json",
                csrf=True, headers=None):
        reply = super().request(method, path, body, raw, content_type, csrf, headers)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        self.checker.check(method, path, data, content_type if data is not None else None, reply)
        return reply


def make_certificate(workdir, name, key_args, days=2):
    cert = os.path.join(workdir, name + ".crt")
    key = os.path.join(workdir, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey"] + key_args +
                   ["-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=" + name,
                    "-days", str(days)], check=True, capture_output=True)
    with open(cert) as c, open(key) as k:
        return c.read(), k.read(), cert, key


def served_fingerprint(port):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw) as tls:
            der = tls.getpeercert(binary_form=True)
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


class OpenApi(unittest.TestCase):
    failed = False
    admin_client = None

    @classmethod
    def setUpClass(cls):
        cls.raw_doc, cls.doc = load_document()
        cls.checker = Checker(cls.doc)
        cls.ctx = h.TestRun("openapi")
        run = cls.ctx.__enter__()
        cls.run_ = run
        try:
            cls.agent = RawSip(run.procs.closables)
            cls.caller = RawSip(run.procs.closables)
            cls.https_port = h.free_port(both=False)
            cls.sip_port = h.free_port()
            config = h.gateway_config(
                listeners=[{"name": "udp", "transport": "udp", "port": cls.sip_port}],
                peers=[{"name": "agent", "host": "127.0.0.1", "port": cls.agent.port,
                        "transport": "udp"}],
                routes=[{"name": "to-agent", "target_type": "peer", "peer": "agent"}],
                management={"https_port": cls.https_port, "http_redirect_port": 0})
            cls.gw = h.Gateway(run.procs, run.dir, config).start()
            cls.mgmt = Management(run.procs, run.dir, cls.gw.db, cls.https_port).start()
        except Exception:
            cls.ctx.__exit__(*sys.exc_info())
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.failed:
            print("---- callgate-mgmt log (tail) ----\n" + cls.mgmt.read_log()[-6000:],
                  file=sys.stderr)
            cls.ctx.__exit__(AssertionError, None, None)
        else:
            cls.ctx.__exit__(None, None, None)

    def tearDown(self):
        result = self._outcome.result
        if result.failures or result.errors:
            OpenApi.failed = True

    def client(self, **kw):
        return CheckedClient(self.https_port, self.checker, **kw)

    def admin(self):
        """The admin session of test_03 (a login costs a slow scrypt under sanitizers)."""
        if OpenApi.admin_client is None:
            c = self.client()
            self.assertEqual(c.login("admin", ADMIN_PASSWORD).status, 200)
            OpenApi.admin_client = c
        return OpenApi.admin_client

    def status(self, reply, expected):
        self.assertEqual(reply.status, expected, reply)
        return reply

    # --- tests, in name order ------------------------------------------------

    def test_01_route_table_is_the_document(self):
        out = subprocess.run([os.environ["CALLGATE_MGMT"], "--list-routes"], capture_output=True,
                             text=True, timeout=60, check=True)
        routes = json.loads(out.stdout)
        routed = {(r["method"], r["path"]): r["access"] for r in routes}
        documented = {}
        for path, item in self.doc["paths"].items():
            for method, op in item.items():
                documented[(method.upper(), path)] = op.get("x-callgate-access")
                # Public routes need nothing; the others say how to authenticate.
                if op.get("x-callgate-access") == "public" and path != "/RPC2":
                    self.assertEqual(op.get("security"), [], (method, path))
                else:
                    self.assertTrue(op.get("security"), (method, path))
        self.assertEqual(sorted(set(routed) - set(documented)), [], "routes missing from the document")
        self.assertEqual(sorted(set(documented) - set(routed)), [], "documented operations without a route")
        self.assertEqual(routed, documented)
        for name in ("Error", "Peer", "Listener", "Route", "MediaInterface", "Certificate", "Event"):
            self.assertIn(name, self.doc["components"]["schemas"])
        self.assertEqual(set(self.doc["components"]["securitySchemes"]),
                         {"sessionCookie", "csrfToken", "apiKey", "basic"})

    def test_02_served_document_is_the_committed_one(self):
        c = self.client()
        r = self.status(c.get(API + "/openapi.json"), 200)
        self.assertEqual(r.body.encode(), self.raw_doc)
        self.status(c.get(API + "/openapi.json?x=%zz"), 400)

    def test_03_session(self):
        c = self.client()
        first = self.mgmt.initial_password()
        self.status(c.get(API + "/session"), 401)
        self.status(c.post(API + "/session", {}), 400)
        self.status(c.login("admin", "not the password"), 401)
        r = self.status(c.login("admin", first), 200)
        self.assertTrue(r.json["must_change_password"])
        self.status(c.post(API + "/session/password",
                           {"current_password": first, "new_password": "short"}), 422)
        self.status(c.post(API + "/session/password",
                           {"current_password": first, "new_password": ADMIN_PASSWORD}), 200)
        self.status(c.get(API + "/session"), 200)
        self.status(c.delete(API + "/session", csrf=False), 403)
        self.status(c.delete(API + "/session"), 200)
        self.admin()

    def test_04_collections(self):
        c = self.admin()
        anonymous = self.client()
        cases = [
            ("media_interfaces", {"name": "mi2", "address": "127.0.0.1"}),
            ("listeners", {"name": "tcp-x", "transport": "tcp", "port": h.free_port()}),
            ("peers", {"name": "p1", "host": "192.0.2.10", "username": "u", "password": "pw"}),
            ("routes", {"name": "r9", "priority": 5, "target_type": "peer", "peer": "p1"}),
            ("buttons", {"name": "b1", "destination_type": "peer", "peer": "p1",
                         "destination_user": "sales", "allowed_origins": "https://shop.example"}),
            ("webhooks", {"name": "w1", "url": "https://crm.example/hooks?x=1",
                          "secret": "0123456789abcdef", "buttons": "b1"}),
        ]
        for collection, create in cases:
            with self.subTest(collection=collection):
                base = API + "/" + collection
                item = base + "/" + create["name"]
                self.status(c.get(base), 200)
                self.status(anonymous.get(base), 401)
                self.status(c.post(base, create), 201)
                self.status(c.post(base, create), 409)
                self.status(c.post(base, dict(create, name=5)), 400)
                got = self.status(c.get(item), 200).json
                self.status(c.get(base + "/ghost"), 404)
                self.status(c.put(item, got), 200)
                self.status(c.put(item, {"no_such_field": "red"}), 400)
                self.status(c.patch(item, {"enabled": False}), 200)
                self.status(c.patch(item, {"name": "other"}), 400)
                self.status(c.put(base + "/ghost", {}), 404)
        self.status(c.delete(API + "/peers/p1"), 422)  # route r9 refers to it
        for collection, create in reversed(cases):
            self.status(c.delete(API + "/" + collection + "/" + create["name"]), 200)
            self.status(c.delete(API + "/" + collection + "/" + create["name"]), 404)

    def test_05_settings_backup_restore(self):
        c = self.admin()
        for section in ("system", "sip", "registrar", "tls", "media", "management", "callme"):
            with self.subTest(section=section):
                path = API + "/settings/" + section
                got = self.status(c.get(path), 200).json
                self.status(self.client().get(path), 401)
                r = self.status(c.put(path, got), 200)
                self.assertEqual(r.json["item"], got)
                self.status(c.put(path, {"no_such_field": "red"}), 400)
                self.status(c.patch(path, {}), 200)
                self.status(c.patch(path, {"no_such_field": 1}), 400)
        self.status(c.patch(API + "/settings/sip", {"t1_ms": 10}), 422)
        backup = self.status(c.get(API + "/backup"), 200).body
        self.status(c.post(API + "/restore", raw=backup.encode()), 200)
        self.status(c.post(API + "/restore", {"version": 1, "peers": [{"name": 5}]}), 400)

    def test_06_users_and_api_keys(self):
        c = self.admin()
        self.status(c.get(API + "/users"), 200)
        viewer = {"name": "viewer", "password": "viewer password", "role": "readonly",
                  "must_change_password": False}
        self.status(c.post(API + "/users", viewer), 201)
        self.status(c.post(API + "/users", viewer), 409)
        self.status(c.get(API + "/users/viewer"), 200)
        self.status(c.get(API + "/users/ghost"), 404)
        self.status(c.patch(API + "/users/viewer", {"must_change_password": False}), 200)
        self.status(c.patch(API + "/users/viewer", {"role": "god"}), 400)
        self.status(c.get(API + "/api_keys"), 200)
        self.status(c.post(API + "/api_keys", {}), 400)
        ro = self.status(c.post(API + "/api_keys", {"name": "ro", "role": "readonly"}), 201).json["key"]
        rw = self.status(c.post(API + "/api_keys", {"name": "rw", "role": "admin"}), 201).json["key"]
        ro_client = self.client(api_key=ro)
        self.status(ro_client.get(API + "/users"), 403)
        self.status(ro_client.get(API + "/api_keys"), 403)
        self.status(ro_client.get(API + "/backup"), 403)
        self.status(ro_client.delete(API + "/session"), 400)
        self.assertEqual(self.status(self.client(api_key=rw).get(API + "/session"), 200).json["auth"],
                         "api_key")
        self.status(c.delete(API + "/api_keys/rw"), 200)
        self.status(c.delete(API + "/api_keys/rw"), 404)
        self.status(c.delete(API + "/users/viewer"), 200)
        self.status(c.delete(API + "/users/viewer"), 404)
        OpenApi.ro_key = ro

    def test_06b_callme_tokens_and_the_callme_role(self):
        c = self.admin()
        self.status(c.post(API + "/peers", {"name": "tp", "host": "192.0.2.10"}), 201)
        self.status(c.post(API + "/buttons", {"name": "tb", "peer": "tp", "destination_user": "sales",
                                              "allowed_origins": "https://shop.example"}), 201)
        self.status(c.post(API + "/users", {"name": "shopkeeper", "password": "x" * 12,
                                            "role": "callme"}), 400)
        key = self.status(c.post(API + "/api_keys", {"name": "shop", "role": "callme"}), 201).json
        self.assertEqual(key["item"]["role"], "callme")
        shop = self.client(api_key=key["key"])
        got = self.status(shop.post(API + "/callme/tokens", {
            "button": "tb", "ttl_s": 60, "customer_id": "C-1", "order_id": "O-2",
            "data": {"cart": "3 items"}}), 201).json
        self.assertEqual(got["expires_at"] - got["issued_at"], 60)
        self.assertEqual(len(got["token"].split(".")), 2)
        self.assertEqual(self.status(shop.get(API + "/session"), 200).json["role"], "callme")
        # The shop's key can do nothing else.
        self.status(shop.get(API + "/peers"), 403)
        self.status(shop.post(API + "/api_keys", {"name": "more", "role": "admin"}), 403)
        self.status(self.client(api_key=self.ro_key).post(API + "/callme/tokens",
                                                          {"button": "tb"}), 403)
        self.status(self.client().post(API + "/callme/tokens", {"button": "tb"}), 401)
        self.status(shop.post(API + "/callme/tokens", {"button": "ghost"}), 404)
        for body, field in (({"button": "tb", "ttl_s": 100000}, "ttl_s"),
                            ({"button": "tb", "data": {"bad key": "x"}}, "data.bad key"),
                            ({"button": "tb", "customer_id": 5}, "customer_id"),
                            ({"button": "tb", "colour": "red"}, "colour"),
                            ({}, "button")):
            r = self.status(shop.post(API + "/callme/tokens", body), 422)
            self.assertEqual(r.error()["field"], field, r)
        self.status(c.delete(API + "/api_keys/shop"), 200)
        self.status(c.delete(API + "/buttons/tb"), 200)
        self.status(c.delete(API + "/peers/tp"), 200)

    def test_07_daemon_views_and_a_real_call(self):
        c = self.admin()
        anonymous = self.client()
        for path in ("/status", "/statistics", "/calls", "/registrations"):
            self.status(c.get(API + path), 200)
            self.status(anonymous.get(API + path), 401)
        stats = c.get(API + "/statistics").json
        self.assertIn("calls", stats["gauges"])
        self.assertTrue(stats["groups"], stats)
        # A call rings at the agent: it is in progress.
        self.caller.send(
            "INVITE sip:agent@127.0.0.1:%d SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKoa1;rport\n"
            "Max-Forwards: 70\nFrom: <sip:alice@127.0.0.1>;tag=oa1\nTo: <sip:agent@127.0.0.1>\n"
            "Call-ID: openapi-call-1\nCSeq: 1 INVITE\nContact: <sip:alice@127.0.0.1:%d>\n"
            "Content-Type: application/sdp\nContent-Length: %d\n\n%s"
            % (self.sip_port, self.caller.port, self.caller.port, len(sdp(4000)), sdp(4000)),
            ("127.0.0.1", self.sip_port))
        invite = self.agent.recv()
        self.assertTrue(invite.start.startswith("INVITE"), invite.start)
        self.agent.respond(invite, 180, "Ringing", to_tag="agent1")
        deadline = time.time() + 10
        calls = []
        while time.time() < deadline and not calls:
            calls = self.status(c.get(API + "/calls"), 200).json["items"]
            time.sleep(0.1)
        self.assertEqual(len(calls), 1, calls)
        call_id = calls[0]["id"]
        detail = self.status(c.get(API + "/calls/%d" % call_id), 200).json
        self.assertEqual(detail, calls[0] | {"age_s": detail["age_s"], "connected_s": detail["connected_s"]})
        self.status(c.get(API + "/calls/999999"), 404)
        self.status(c.get(API + "/calls/abc"), 400)
        self.status(self.client(api_key=self.ro_key).delete(API + "/calls/%d" % call_id), 403)
        self.status(c.delete(API + "/calls/abc"), 400)
        r = self.status(c.delete(API + "/calls/%d" % call_id), 200)
        self.assertTrue(r.json["hung_up"])
        # The agent sees the CANCEL; once it answers, the call is gone.
        cancel = self.agent.recv()
        self.assertEqual(cancel.method, "CANCEL", cancel.start)
        self.agent.respond(cancel, 200, "OK")
        self.agent.respond(invite, 487, "Request Terminated", to_tag="agent1")
        deadline = time.time() + 10
        while time.time() < deadline and c.get(API + "/calls/%d" % call_id).status == 200:
            time.sleep(0.1)
        self.status(c.get(API + "/calls/%d" % call_id), 404)
        self.status(c.delete(API + "/calls/%d" % call_id), 404)

    def test_08_certificates(self):
        c = self.admin()
        self.status(self.client().get(API + "/certificates"), 401)
        items = self.status(c.get(API + "/certificates"), 200).json["items"]
        self.assertEqual([i["name"] for i in items], ["management", "sip"])
        mgmt = self.status(c.get(API + "/certificates/management"), 200).json
        self.assertEqual(mgmt["sha256_fingerprint"], served_fingerprint(self.https_port))
        self.assertEqual(mgmt["key_type"], "EC P-256")
        self.status(c.get(API + "/certificates/nope"), 404)
        # A new PEM pair serves the next connection, without a restart.
        cert, key, cert_path, key_path = make_certificate(
            self.run_.dir, "uploaded", ["ec", "-pkeyopt", "ec_paramgen_curve:P-384"])
        r = self.status(c.put(API + "/certificates/management",
                              {"certificate_pem": cert, "private_key_pem": key}), 200)
        self.assertTrue(r.json["tls_reloaded"], r)
        self.assertFalse(r.json["restart_required"], r)
        self.assertEqual(r.json["item"]["subject"], "CN=uploaded")
        self.assertEqual(r.json["item"]["key_type"], "EC P-384")
        self.assertEqual(served_fingerprint(self.https_port), r.json["item"]["sha256_fingerprint"])
        self.assertNotIn("PRIVATE KEY", c.get(API + "/settings/management").body)
        audit = c.get(API + "/audit?limit=1").json["items"][0]
        self.assertEqual(audit["object"], "certificates/management")
        self.assertEqual(audit["detail"]["sha256_fingerprint"]["to"], r.json["item"]["sha256_fingerprint"])
        self.assertNotIn("PRIVATE", json.dumps(audit))
        # Refused: a key of another certificate, a weak RSA key, an expired one.
        other_cert, other_key, _, _ = make_certificate(self.run_.dir, "other", ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"])
        r = self.status(c.put(API + "/certificates/management",
                              {"certificate_pem": cert, "private_key_pem": other_key}), 422)
        self.assertEqual(r.error()["field"], "private_key_pem")
        weak_cert, weak_key, _, _ = make_certificate(self.run_.dir, "weak", ["rsa:1024"])
        r = self.status(c.put(API + "/certificates/management",
                              {"certificate_pem": weak_cert, "private_key_pem": weak_key}), 422)
        self.assertIn("2048", r.error()["message"])
        self.status(c.put(API + "/certificates/management", {"certificate_pem": cert}), 400)
        self.status(c.put(API + "/certificates/nope", {"certificate_pem": cert, "private_key_pem": key}), 404)
        self.assertEqual(served_fingerprint(self.https_port), c.get(API + "/certificates/management").json["sha256_fingerprint"])
        # PKCS#12 for the SIP certificate, with its password.
        p12 = os.path.join(self.run_.dir, "bundle.p12")
        subprocess.run(["openssl", "pkcs12", "-export", "-in", cert_path, "-inkey", key_path,
                        "-out", p12, "-passout", "pass:p12 password"], check=True, capture_output=True)
        with open(p12, "rb") as f:
            bundle = base64.b64encode(f.read()).decode()
        self.status(c.put(API + "/certificates/sip", {"pkcs12_base64": bundle, "password": "wrong"}), 422)
        r = self.status(c.put(API + "/certificates/sip", {"pkcs12_base64": bundle, "password": "p12 password"}), 200)
        self.assertEqual(r.json["item"]["subject"], "CN=uploaded")
        self.assertNotIn("tls_reloaded", r.json)
        self.assertEqual(c.get(API + "/settings/tls").json["certificate_pem"], cert)

    def test_09_audit_events_and_xmlrpc(self):
        c = self.admin()
        self.status(c.get(API + "/audit"), 200)
        self.status(c.get(API + "/audit?limit=abc"), 400)
        events = self.status(c.get(API + "/events"), 200).json
        types = {e["type"] for e in events["items"]}
        for t in ("login", "login_failed", "config_applied", "config_refused", "daemon_reachable",
                  "certificate_replaced"):
            self.assertIn(t, types)
        last = events["last_id"]
        self.assertEqual(self.status(c.get(API + "/events?since=%d" % last), 200).json["items"], [])
        self.status(c.get(API + "/events?since=-1"), 400)
        self.status(c.get(API + "/events?limit=0"), 400)
        call = (b"<?xml version='1.0'?><methodCall><methodName>system.listMethods</methodName>"
                b"<params></params></methodCall>")
        rpc = self.client(api_key=self.ro_key)
        r = self.status(rpc.post("/RPC2", raw=call, content_type="text/xml"), 200)
        self.assertIn("<methodResponse>", r.body)
        self.assertIn("peers.create", r.body)
        self.status(rpc.post("/RPC2", raw=call, content_type="application/json"), 415)

    def test_10_unknown_routes_are_not_documented(self):
        c = self.admin()
        for method, path in (("GET", API + "/nothing"), ("GET", "/RPC3"), ("POST", API + "/calls")):
            r = ApiClient.request(c, method, path)
            self.assertIn(r.status, (404, 405), r)
            self.assertIsNone(self.checker.find(method, path)[1], path)

    def test_99_every_operation_answered_both_ways_and_all_matched(self):
        self.assertEqual(self.checker.problems, [])
        missing = []
        for path, item in self.doc["paths"].items():
            for method in item:
                statuses = self.checker.seen.get((method.upper(), path), set())
                if not any(200 <= s < 300 for s in statuses):
                    missing.append("%s %s: no success" % (method.upper(), path))
                if not any(400 <= s < 500 for s in statuses):
                    missing.append("%s %s: no client error" % (method.upper(), path))
        self.assertEqual(missing, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
