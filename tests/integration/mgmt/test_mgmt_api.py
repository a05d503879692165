"""callgate-mgmt's REST API against the real callgated: CRUD of every
configuration collection and settings section, validation naming the field,
authentication and roles, CSRF, the first password change, hostile input
(content type, size, unknown fields, SQL meta-characters, path traversal),
the audit log, live application of changes, and backup → restore into a
fresh database giving the identical export."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
from mgmt_client import Management  # noqa: E402

API = "/api/v1"
ADMIN_PASSWORD = "admin password two"


class MgmtApi(unittest.TestCase):
    failed = False

    @classmethod
    def setUpClass(cls):
        cls.ctx = h.TestRun("mgmt")
        run = cls.ctx.__enter__()
        cls.run_ = run
        try:
            cls.https_port = h.free_port(both=False)
            cls.redirect_port = h.free_port(both=False)
            cls.sip_port = h.free_port()
            config = h.gateway_config(
                listeners=[{"name": "udp", "transport": "udp", "port": cls.sip_port}],
                management={"https_port": cls.https_port, "http_redirect_port": cls.redirect_port})
            cls.gw = h.Gateway(run.procs, run.dir, config).start()
            cls.mgmt = Management(run.procs, run.dir, cls.gw.db, cls.https_port).start()
            cls.first_password = cls.mgmt.initial_password()
        except Exception:
            cls.ctx.__exit__(*sys.exc_info())
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.failed:
            print("---- callgate-mgmt log (tail) ----\n" + cls.mgmt.read_log()[-6000:], file=sys.stderr)
            print("---- callgated log (tail) ----\n" + cls.gw.read_log()[-3000:], file=sys.stderr)
            cls.ctx.__exit__(AssertionError, None, None)
        else:
            cls.ctx.__exit__(None, None, None)

    def tearDown(self):
        result = self._outcome.result
        if result.failures or result.errors:
            MgmtApi.failed = True

    # --- helpers ------------------------------------------------------------

    def admin(self):
        c = self.mgmt.client()
        r = c.login("admin", ADMIN_PASSWORD)
        if r.status == 403 or (r.status == 200 and r.json["must_change_password"]):
            pass
        if r.status != 200:
            # First use: log in with the generated password and change it.
            r = c.login("admin", self.first_password)
            self.assertEqual(r.status, 200, r)
            r = c.post(API + "/session/password",
                       {"current_password": self.first_password, "new_password": ADMIN_PASSWORD})
            self.assertEqual(r.status, 200, r)
        return c

    def export(self, c):
        r = c.get(API + "/backup")
        self.assertEqual(r.status, 200, r)
        return r.body

    def audit_count(self, c):
        r = c.get(API + "/audit?limit=1000")
        self.assertEqual(r.status, 200, r)
        return len(r.json["items"])

    def assert_error(self, r, status, code, field=None):
        self.assertEqual(r.status, status, r)
        self.assertTrue(r.headers.get("content-type", "").startswith("application/json"), r.headers)
        err = r.error()
        self.assertIsNotNone(err, r)
        self.assertEqual(err["code"], code, r)
        self.assertTrue(err["message"], r)
        if field is not None:
            self.assertEqual(err.get("field"), field, r)

    def assert_unchanged(self, c, action):
        """Runs `action` and checks that neither configuration nor audit changed."""
        before, count = self.export(c), self.audit_count(c)
        action()
        self.assertEqual(self.export(c), before)
        self.assertEqual(self.audit_count(c), count)

    # --- tests (run in name order) -----------------------------------------

    def test_01_first_login_can_only_change_the_password(self):
        c = self.mgmt.client()
        self.assert_error(c.get(API + "/peers"), 401, "unauthenticated")
        r = c.login("admin", "wrong password!")
        self.assert_error(r, 401, "invalid_credentials")
        r = c.login("admin", self.first_password)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["must_change_password"])
        cookie = r.headers["set-cookie"]
        for attribute in ("Secure", "HttpOnly", "SameSite=Strict"):
            self.assertIn(attribute, cookie)
        self.assertEqual(len(r.json["csrf_token"]), 64)
        # Everything else is refused until the password is changed.
        self.assert_error(c.get(API + "/peers"), 403, "password_change_required")
        self.assert_error(c.get(API + "/status"), 403, "password_change_required")
        self.assert_error(c.post(API + "/peers", {"name": "x", "host": "192.0.2.1"}), 403,
                          "password_change_required")
        self.assertEqual(c.get(API + "/session").status, 200)
        # The password change itself needs the CSRF token and the right password.
        body = {"current_password": self.first_password, "new_password": ADMIN_PASSWORD}
        self.assert_error(c.post(API + "/session/password", body, csrf=False), 403, "csrf_failed")
        self.assert_error(c.post(API + "/session/password",
                                 {"current_password": "not it at all", "new_password": ADMIN_PASSWORD}),
                          403, "wrong_password", "current_password")
        self.assert_error(c.post(API + "/session/password",
                                 {"current_password": self.first_password, "new_password": "short"}),
                          422, "validation_failed", "new_password")
        r = c.post(API + "/session/password", body)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(c.get(API + "/peers").status, 200)
        self.assertFalse(c.get(API + "/session").json["must_change_password"])
        # and so is the file that held the generated one.
        self.assertFalse(os.path.exists(self.mgmt.db + ".admin-password"))
        # The old password is gone.
        self.assert_error(self.mgmt.client().login("admin", self.first_password), 401,
                          "invalid_credentials")

    def test_02_plain_http_redirects_and_security_headers(self):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.redirect_port, timeout=10)
        conn.request("GET", "/api/v1/status")
        r = conn.getresponse()
        self.assertEqual(r.status, 301)
        self.assertEqual(r.getheader("Location"),
                         "https://127.0.0.1:%d/api/v1/status" % self.https_port)
        conn.close()
        r = self.admin().get(API + "/peers")
        self.assertIn("max-age=", r.headers["strict-transport-security"])
        self.assertEqual(r.headers["cache-control"], "no-store")
        self.assertEqual(r.headers["x-content-type-options"], "nosniff")
        self.assertIn("default-src 'none'", r.headers["content-security-policy"])

    def test_02b_tls_1_2_minimum_and_modern_ciphers(self):
        import socket
        import ssl

        def handshake(min_v, max_v, ciphers=None):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.minimum_version, ctx.maximum_version = min_v, max_v
            if ciphers:
                ctx.set_ciphers(ciphers)
            with socket.create_connection(("127.0.0.1", self.https_port), timeout=10) as raw:
                with ctx.wrap_socket(raw) as tls:
                    return tls.version(), tls.cipher()[0]

        version, cipher = handshake(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2)
        self.assertEqual(version, "TLSv1.2")
        self.assertTrue(cipher.startswith("ECDHE-"), cipher)
        self.assertTrue("GCM" in cipher or "CHACHA20" in cipher, cipher)
        # CBC without forward secrecy is refused.
        with self.assertRaises(ssl.SSLError):
            handshake(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2, "AES128-SHA:AES256-SHA")
        with self.assertRaises((ssl.SSLError, ConnectionResetError)):
            handshake(ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1, "ALL:@SECLEVEL=0")
        self.assertEqual(handshake(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.MAXIMUM_SUPPORTED)[0],
                         "TLSv1.3")

    def test_03_crud_of_every_collection_applied_live(self):
        c = self.admin()
        listener_port = h.free_port()
        cases = [
            ("media_interfaces", {"name": "second", "address": "127.0.0.1"},
             {"advertised_address": "192.0.2.80"}, {"name": "second", "address": "127.0.0.1",
                                                    "enabled": False}),
            ("listeners", {"name": "tcp-extra", "transport": "tcp", "port": listener_port},
             {"advertised_host": "sip.example.com"},
             {"name": "tcp-extra", "transport": "tcp", "port": listener_port, "enabled": False}),
            ("peers", {"name": "cc", "host": "192.0.2.10", "port": 5060, "username": "u",
                       "password": "peer-secret"},
             {"port": 5070}, {"host": "192.0.2.11", "username": "u"}),
            ("routes", {"name": "to-cc", "priority": 10, "target_type": "peer", "peer": "cc"},
             {"match_user_prefix": "49"}, {"priority": 20, "target_type": "peer", "peer": "cc"}),
        ]
        for collection, create, patch, replace in cases:
            with self.subTest(collection=collection):
                base = API + "/" + collection
                name = create["name"]
                r = c.post(base, create)
                self.assertEqual(r.status, 201, r)
                self.assertTrue(r.json["applied"], r)
                self.assertEqual(r.json["item"]["name"], name)
                r = c.get(base + "/" + name)
                self.assertEqual(r.status, 200, r)
                for k, v in create.items():
                    if k != "password":
                        self.assertEqual(r.json[k], v, (k, r))
                self.assertIn(name, [x["name"] for x in c.get(base).json["items"]])
                self.assert_error(c.post(base, create), 409, "conflict", "name")
                r = c.patch(base + "/" + name, patch)
                self.assertEqual(r.status, 200, r)
                self.assertTrue(r.json["applied"], r)
                got = c.get(base + "/" + name).json
                for k, v in patch.items():
                    self.assertEqual(got[k], v)
                r = c.put(base + "/" + name, replace)
                self.assertEqual(r.status, 200, r)
                got = c.get(base + "/" + name).json
                for k, v in replace.items():
                    self.assertEqual(got[k], v)
                for k in patch:  # PUT replaced: patched fields back to defaults
                    if k not in replace:
                        self.assertNotEqual(got[k], patch[k], k)
        # The daemon applied them: its revision is the database's.
        status = c.get(API + "/status")
        self.assertEqual(status.status, 200, status)
        self.assertEqual(status.json["revision"], r.json["revision"])
        # A peer's password is write-only, and survived the PUT without it.
        peer = c.get(API + "/peers/cc").json
        self.assertEqual(peer["password"], "********")
        self.assertIn('"password": "peer-secret"', self.export(c))
        # Deleting a peer a route uses is refused, naming the route's field.
        self.assert_error(c.delete(API + "/peers/cc"), 422, "validation_failed", "routes[0].peer")
        for collection, create, _, _ in reversed(cases):
            r = c.delete(API + "/" + collection + "/" + create["name"])
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.json["applied"], r)
            self.assert_error(c.get(API + "/" + collection + "/" + create["name"]), 404, "not_found")
        self.assert_error(c.delete(API + "/peers/cc"), 404, "not_found", "name")

    def test_04_settings_sections(self):
        c = self.admin()
        for section in ("system", "sip", "registrar", "tls", "media", "management"):
            r = c.get(API + "/settings/" + section)
            self.assertEqual(r.status, 200, (section, r))
        cert, key, _ = h.self_signed_pem(self.run_.dir)
        r = c.patch(API + "/settings/tls", {"certificate_pem": cert, "private_key_pem": key})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["item"]["private_key_pem"], "********")
        self.assertEqual(c.get(API + "/settings/tls").json["private_key_pem"], "********")
        self.assertEqual(c.get(API + "/settings/tls").json["certificate_pem"], cert)
        self.assertEqual(c.get(API + "/settings/management").json["private_key_pem"], "********")
        self.assertNotIn("PRIVATE KEY", c.get(API + "/settings/management").body)
        r = c.patch(API + "/settings/sip", {"t1_ms": 600})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["applied"])
        self.assertEqual(c.get(API + "/settings/sip").json["t1_ms"], 600)
        # PUT with a masked secret keeps it; absent fields take defaults.
        tls = c.get(API + "/settings/tls").json
        r = c.put(API + "/settings/tls", tls)
        self.assertEqual(r.status, 200, r)
        self.assertIn(json.dumps(key), self.export(c))
        r = c.put(API + "/settings/sip", {"user_agent": "Callgate Test"})
        self.assertEqual(r.status, 200, r)
        sip = c.get(API + "/settings/sip").json
        self.assertEqual(sip["t1_ms"], 500)
        self.assertEqual(sip["user_agent"], "Callgate Test")

    def test_05_validation_errors_name_the_field_and_write_nothing(self):
        c = self.admin()
        cases = [
            (lambda: c.post(API + "/peers", {"name": "p1", "host": "192.0.2.1", "port": 70000}),
             422, "validation_failed", "port"),
            (lambda: c.post(API + "/peers", {"name": "p1", "host": "192.0.2.1", "port": "5060"}),
             400, "invalid_field", "port"),
            (lambda: c.post(API + "/peers", {"name": "p1", "host": "192.0.2.1", "colour": "red"}),
             400, "unknown_field", "colour"),
            (lambda: c.post(API + "/peers", {"host": "192.0.2.1"}), 400, "missing_field", "name"),
            (lambda: c.patch(API + "/settings/sip", {"t1_ms": 10}), 422, "validation_failed",
             "t1_ms"),
            (lambda: c.patch(API + "/settings/media", {"rtp_port_min": 10}), 422,
             "validation_failed", "rtp_port_min"),
            (lambda: c.post(API + "/routes", {"name": "r9", "target_type": "peer", "peer": "ghost"}),
             422, "validation_failed", "peer"),
            (lambda: c.post(API + "/restore", {"version": 1, "peers": [{"name": 5}]}), 400,
             "invalid_field", "peers[0].name"),
        ]
        for action, status, code, field in cases:
            with self.subTest(field=field):
                self.assert_unchanged(c, lambda: self.assert_error(action(), status, code, field))

    def test_06_hostile_requests_get_json_4xx_and_change_nothing(self):
        c = self.admin()
        peer = {"name": "p2", "host": "192.0.2.2"}
        self.assert_unchanged(c, lambda: self.assert_error(
            c.post(API + "/peers", raw=b'{"name": "p2", "host": "192.0.2.2"}',
                   content_type="text/plain"), 415, "unsupported_media_type"))
        self.assert_unchanged(c, lambda: self.assert_error(
            c.post(API + "/peers", raw=b'{"name": "' + b"x" * (1100 * 1024) + b'"}'),
            413, "body_too_large"))
        self.assert_unchanged(c, lambda: self.assert_error(
            c.post(API + "/peers", raw=b'{"name": "p2", '), 400, "invalid_json"))
        self.assert_unchanged(c, lambda: self.assert_error(
            c.post(API + "/peers", raw=b'["p2"]'), 400, "invalid_body"))
        sql = "p2'; DROP TABLE peers;--"
        self.assert_unchanged(c, lambda: self.assert_error(
            c.post(API + "/peers", dict(peer, name=sql)), 422, "validation_failed", "name"))
        self.assert_unchanged(c, lambda: self.assert_error(
            c.get(API + "/peers/p2'%3B%20DROP%20TABLE%20peers%3B--"), 404, "not_found"))
        self.assert_unchanged(c, lambda: self.assert_error(
            c.delete(API + "/peers/x'%20OR%20'1'%3D'1"), 404, "not_found"))
        for path in ("/peers/..%2F..%2F..%2Fetc%2Fpasswd", "/../../../etc/passwd",
                     "/peers/../users", "/peers/%2e%2e", "/peers/%zz", "/backup/../../x"):
            with self.subTest(path=path):
                r = c.get(API + path)
                self.assertIn(r.status, (400, 404), r)
                self.assertIsNotNone(r.error(), r)
                self.assertNotIn("root:", r.body)
        self.assert_unchanged(c, lambda: self.assert_error(
            c.put(API + "/peers/..%2F..%2Fetc", peer), 404, "not_found"))
        self.assert_error(c.request("TRACE", API + "/peers"), 405, "method_not_allowed")
        # The tables are all still there.
        self.assertEqual(c.get(API + "/peers").status, 200)
        self.assertEqual(c.get(API + "/users").status, 200)

    def test_07_roles_csrf_api_keys(self):
        admin = self.admin()
        r = admin.post(API + "/users", {"name": "viewer", "role": "readonly",
                                        "password": "viewer password", "must_change_password": False})
        self.assertEqual(r.status, 201, r)
        self.assertNotIn("hash", r.body)
        users = admin.get(API + "/users")
        self.assertEqual(users.status, 200)
        self.assertNotIn("scrypt", users.body)
        viewer = self.mgmt.client()
        self.assertEqual(viewer.login("viewer", "viewer password").status, 200)
        self.assertEqual(viewer.get(API + "/peers").status, 200)
        self.assertEqual(viewer.get(API + "/settings/sip").status, 200)
        self.assertEqual(viewer.get(API + "/audit").status, 200)
        self.assert_unchanged(admin, lambda: self.assert_error(
            viewer.post(API + "/peers", {"name": "v", "host": "192.0.2.3"}), 403, "forbidden"))
        self.assert_error(viewer.patch(API + "/settings/sip", {"t1_ms": 700}), 403, "forbidden")
        self.assert_error(viewer.get(API + "/users"), 403, "forbidden")
        self.assert_error(viewer.get(API + "/backup"), 403, "forbidden")
        # A session write without the CSRF header is refused even for admin.
        self.assert_unchanged(admin, lambda: self.assert_error(
            admin.post(API + "/peers", {"name": "nocsrf", "host": "192.0.2.4"}, csrf=False),
            403, "csrf_failed"))
        self.assert_error(admin.request("DELETE", API + "/peers/x", headers={"X-CSRF-Token": "0" * 64},
                                        csrf=False), 403, "csrf_failed")
        # API keys: shown once, stored hashed, roles apply, no CSRF needed.
        r = admin.post(API + "/api_keys", {"name": "ro-script", "role": "readonly"})
        self.assertEqual(r.status, 201, r)
        ro_key = r.json["key"]
        r = admin.post(API + "/api_keys", {"name": "script", "role": "admin"})
        rw_key = r.json["key"]
        listed = admin.get(API + "/api_keys")
        self.assertNotIn(ro_key, listed.body)
        self.assertNotIn(rw_key, listed.body)
        ro = self.mgmt.client(api_key=ro_key)
        self.assertEqual(ro.get(API + "/peers").status, 200)
        self.assert_error(ro.post(API + "/peers", {"name": "k", "host": "192.0.2.5"}), 403, "forbidden")
        rw = self.mgmt.client(api_key=rw_key)
        r = rw.post(API + "/peers", {"name": "by-key", "host": "192.0.2.6"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(rw.delete(API + "/peers/by-key").status, 200)
        self.assert_error(self.mgmt.client(api_key="cgk_" + "0" * 64).get(API + "/peers"), 401,
                          "unauthenticated")
        # Revoked key, logged-out session: 401.
        self.assertEqual(admin.delete(API + "/api_keys/script").status, 200)
        self.assert_error(rw.get(API + "/peers"), 401, "unauthenticated")
        self.assertEqual(viewer.delete(API + "/session").status, 200)
        self.assert_error(viewer.get(API + "/peers"), 401, "unauthenticated")

    def test_08_audit_log_shows_who_changed_what(self):
        c = self.admin()
        r = c.post(API + "/peers", {"name": "audited", "host": "192.0.2.7", "username": "u",
                                    "password": "very secret"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(c.patch(API + "/peers/audited", {"port": 5080}).status, 200)
        self.assertEqual(c.delete(API + "/peers/audited").status, 200)
        items = c.get(API + "/audit?limit=3").json["items"]
        self.assertEqual([i["action"] for i in items], ["delete", "update", "create"])
        for i in items:
            self.assertEqual(i["actor"], "admin")
            self.assertEqual(i["address"], "127.0.0.1")
            self.assertEqual(i["object"], "peers/audited")
            self.assertRegex(i["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(items[1]["detail"], {"port": {"from": 0, "to": 5080}})
        self.assertEqual(items[2]["detail"]["password"], {"from": None, "to": "********"})
        body = c.get(API + "/audit?limit=1000").body
        self.assertNotIn("very secret", body)
        self.assertNotIn("viewer password", body)
        actors = {i["actor"] for i in c.get(API + "/audit?limit=1000").json["items"]}
        self.assertIn("apikey:script", actors)
        self.assert_error(c.get(API + "/audit?limit=abc"), 400, "invalid_field", "limit")

    def test_09_daemon_views_answer(self):
        c = self.admin()
        status = c.get(API + "/status")
        self.assertEqual(status.status, 200, status)
        self.assertIn("revision", status.json)
        self.assertEqual(c.get(API + "/calls").json["items"], [])
        self.assertEqual(c.get(API + "/registrations").json["items"], [])
        self.assert_error(c.delete(API + "/calls/999999"), 404, "not_found")
        self.assert_error(c.delete(API + "/calls/abc"), 400, "invalid_field", "id")

    def test_10_backup_then_restore_into_a_fresh_database(self):
        c = self.admin()
        self.assertEqual(c.post(API + "/peers", {"name": "kept", "host": "192.0.2.9",
                                                 "username": "u", "password": "kept secret"}).status, 201)
        first = self.export(c)
        self.assertIn('"version": 1', first)
        fresh_db = os.path.join(self.run_.dir, "fresh.db")
        port = h.free_port(both=False)
        # The fresh node gets its own ports through its first configuration.
        fresh = h.Gateway(self.run_.procs, self.run_.dir, h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": h.free_port()}],
            management={"https_port": port, "http_redirect_port": 0}))
        fresh.db = fresh_db
        r = fresh.import_config()
        self.assertEqual(r.returncode, 0, r.stderr)
        other = Management(self.run_.procs, self.run_.dir, fresh_db, port, name="mgmt-fresh").start()
        oc = other.admin("fresh admin password")
        r = oc.post(API + "/restore", raw=first.encode())
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json["applied"])  # no daemon runs on the fresh database
        self.assertEqual(self.export(oc), first)
        restores = [i for i in oc.get(API + "/audit").json["items"] if i["action"] == "restore"]
        self.assertEqual(restores[0]["actor"], "admin")
        self.assertEqual(c.delete(API + "/peers/kept").status, 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
