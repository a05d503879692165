"""XML-RPC at /RPC2 with Python's xmlrpc.client over HTTPS (unverified
context): method listing and introspection, peer create/read/update/delete
through the same service layer as REST (the audit shows the API key),
faults for bad input naming the field, for unknown methods and malformed
XML, role checks, HTTP Basic for old clients, and refusal without a key."""

import http.client
import os
import ssl
import sys
import unittest
import xmlrpc.client

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
from mgmt_client import Management  # noqa: E402

API = "/api/v1"


def _context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def proxy(port, key=None, basic=None):
    headers = [("Authorization", "Bearer " + key)] if key else []
    transport = xmlrpc.client.SafeTransport(context=_context(), headers=headers)
    auth = "%s:%s@" % basic if basic else ""
    return xmlrpc.client.ServerProxy("https://%s127.0.0.1:%d/RPC2" % (auth, port),
                                     transport=transport, allow_none=True)


class XmlRpc(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ctx = h.TestRun("xmlrpc")
        run = cls.ctx.__enter__()
        try:
            cls.https_port = h.free_port(both=False)
            config = h.gateway_config(
                listeners=[{"name": "udp", "transport": "udp", "port": h.free_port()}],
                management={"https_port": cls.https_port, "http_redirect_port": 0})
            cls.gw = h.Gateway(run.procs, run.dir, config).start()
            cls.mgmt = Management(run.procs, run.dir, cls.gw.db, cls.https_port).start()
            cls.admin = cls.mgmt.admin("xmlrpc admin password")
            r = cls.admin.post(API + "/api_keys", {"name": "cc-admin", "role": "admin"})
            assert r.status == 201, r
            cls.key = r.json["key"]
            r = cls.admin.post(API + "/api_keys", {"name": "cc-wallboard", "role": "readonly"})
            cls.ro_key = r.json["key"]
        except Exception:
            cls.ctx.__exit__(*sys.exc_info())
            raise

    @classmethod
    def tearDownClass(cls):
        cls.ctx.__exit__(None, None, None)

    def fault(self, call, code):
        with self.assertRaises(xmlrpc.client.Fault) as raised:
            call()
        self.assertEqual(raised.exception.faultCode, code, raised.exception)
        return raised.exception.faultString

    def test_list_methods_and_introspection(self):
        rpc = proxy(self.https_port, self.key)
        methods = rpc.system.listMethods()
        for m in ("system.listMethods", "system.methodHelp", "system.methodSignature",
                  "peers.list", "peers.get", "peers.create", "peers.update", "peers.delete",
                  "listeners.create", "routes.delete", "media_interfaces.get", "users.create",
                  "api_keys.list", "settings.get", "settings.update", "calls.list", "calls.get",
                  "calls.hangup", "registrations.list", "status", "statistics", "audit.list",
                  "events.list", "config.export", "config.import", "certificates.get"):
            self.assertIn(m, methods)
        self.assertEqual(rpc.system.methodSignature("peers.update"), [["struct", "string", "struct"]])
        self.assertIn("GET /api/v1/peers/{name}", rpc.system.methodHelp("peers.get"))
        self.fault(lambda: rpc.system.methodHelp("no.such"), -32601)

    def test_peer_create_read_update_delete(self):
        rpc = proxy(self.https_port, self.key)
        created = rpc.peers.create({"name": "rpc-peer", "host": "192.0.2.40", "port": 5062,
                                    "username": "cc", "password": "rpc secret"})
        self.assertTrue(created["applied"], created)
        self.assertEqual(created["item"]["password"], "********")
        peer = rpc.peers.get("rpc-peer")
        self.assertEqual((peer["host"], peer["port"]), ("192.0.2.40", 5062))
        self.assertIn("rpc-peer", [p["name"] for p in rpc.peers.list()])
        # The REST view is the same object.
        self.assertEqual(self.admin.get(API + "/peers/rpc-peer").json, peer)
        self.assertEqual(rpc.peers.update("rpc-peer", {"port": 5070})["item"]["port"], 5070)
        # Bad input: a fault naming the field, and nothing written.
        before = rpc.config.export()
        message = self.fault(lambda: rpc.peers.update("rpc-peer", {"port": 70000}), 422)
        self.assertIn("port", message)
        message = self.fault(lambda: rpc.peers.create({"name": "x", "host": "192.0.2.1", "colour": 1}), 400)
        self.assertIn("colour", message)
        self.fault(lambda: rpc.peers.create({"name": "rpc-peer", "host": "192.0.2.1"}), 409)
        self.fault(lambda: rpc.peers.get("ghost"), 404)
        self.fault(lambda: rpc.peers.get(), -32602)
        self.fault(lambda: rpc.peers.create("not a struct"), -32602)
        self.fault(lambda: rpc.peers.explode(), -32601)
        self.assertEqual(rpc.config.export(), before)
        self.assertTrue(rpc.peers.delete("rpc-peer")["applied"])
        self.fault(lambda: rpc.peers.get("rpc-peer"), 404)
        actors = {e["actor"] for e in rpc.audit.list({"limit": 3})}
        self.assertEqual(actors, {"apikey:cc-admin"})
        self.assertIn("config_applied", [e["type"] for e in rpc.events.list({"limit": 5})])

    def test_settings_status_and_calls(self):
        rpc = proxy(self.https_port, self.key)
        self.assertEqual(rpc.settings.get("sip")["t1_ms"], 500)
        self.assertEqual(rpc.settings.update("sip", {"t1_ms": 600})["item"]["t1_ms"], 600)
        self.fault(lambda: rpc.settings.get("nope"), 404)
        self.assertIn("revision", rpc.status())
        self.assertIn("gauges", rpc.statistics())
        self.assertEqual(rpc.calls.list(), [])
        self.fault(lambda: rpc.calls.hangup(424242), 404)
        self.fault(lambda: rpc.calls.get(424242), 404)

    def test_roles_and_authentication(self):
        ro = proxy(self.https_port, self.ro_key)
        self.assertIsInstance(ro.peers.list(), list)
        self.fault(lambda: ro.peers.create({"name": "ro", "host": "192.0.2.41"}), 403)
        self.fault(lambda: ro.users.list(), 403)
        message = self.fault(lambda: proxy(self.https_port).peers.list(), 401)
        self.assertIn("Bearer", message)
        self.fault(lambda: proxy(self.https_port, "cgk_" + "0" * 64).peers.list(), 401)
        # HTTP Basic for clients that cannot send a bearer token.
        basic = proxy(self.https_port, basic=("admin", "xmlrpc admin password"))
        self.assertIsInstance(basic.users.list(), list)
        self.fault(lambda: proxy(self.https_port, basic=("admin", "wrong password")).status(), 401)

    def test_malformed_requests_get_faults(self):
        conn = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=_context(), timeout=10)
        for body, code in ((b"<methodCall><methodName>status</methodName>", -32700),
                           (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><methodCall/>", -32700),
                           (b"<methodCall><params/></methodCall>", -32600)):
            conn.request("POST", "/RPC2", body=body, headers={
                "Content-Type": "text/xml", "Authorization": "Bearer " + self.key})
            r = conn.getresponse()
            text = r.read()
            self.assertEqual(r.status, 200)
            with self.assertRaises(xmlrpc.client.Fault) as raised:
                xmlrpc.client.loads(text.decode())
            self.assertEqual(raised.exception.faultCode, code, text)
        conn.close()
        # The server keeps serving.
        self.assertIn("revision", proxy(self.https_port, self.key).status())


if __name__ == "__main__":
    unittest.main(verbosity=2)
