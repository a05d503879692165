"""Configuration changed over the management API during a call.

baresip calls baresip through callgated; while the call is up an operator
adds a peer, changes the call's route priority, sip.user_agent and
media.inactivity_timeout_s over the REST API. Each change must be applied by
the running daemon (its revision follows the database), the call must stay
listed with audio flowing both ways after the changes (checked by content),
it must end normally with BYE, and the audit log must name the operator, the
objects and the fields with their old and new values. An OPTIONS probe shows
the daemon answering with the new user agent right after the change.
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
import call_pairs as cp  # noqa: E402
from raw_sip import RawSip  # noqa: E402

API = "/api/v1"
OPERATOR = "ops-alice"
OPERATOR_PASSWORD = "operator password 1"


def server_header(run, pairs, n):
    """The Server header of the gateway's answer to an OPTIONS: the
    sip.user_agent the running daemon uses."""
    sip = RawSip(run.procs.closables)
    sip.send("OPTIONS sip:127.0.0.1:%d SIP/2.0\n"
             "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-ua-%d;rport\n"
             "Max-Forwards: 70\n"
             "From: <sip:probe@127.0.0.1>;tag=probe%d\n"
             "To: <sip:127.0.0.1:%d>\n"
             "Call-ID: ua-probe-%d@127.0.0.1\n"
             "CSeq: 1 OPTIONS\n"
             "Content-Length: 0\n\n" % (pairs.sip_port, sip.port, n, n, pairs.sip_port, n),
             ("127.0.0.1", pairs.sip_port))
    answer = sip.recv()
    return answer.status, answer.get("Server")


class LiveChangeDuringCall(unittest.TestCase):
    def test_changes_apply_and_the_call_survives(self):
        with h.TestRun("mgmt-live") as run:
            pairs = cp.CallPairs(run, 1)
            self.run_ = run
            try:
                self.body(pairs)
            except Exception:
                print(pairs.logs(), file=sys.stderr)
                raise

    def body(self, pairs):
        admin = pairs.mgmt.admin()
        r = admin.post(API + "/users", {"name": OPERATOR, "role": "admin",
                                        "password": OPERATOR_PASSWORD,
                                        "must_change_password": False})
        self.assertEqual(r.status, 201, r)
        operator = pairs.mgmt.client()
        self.assertEqual(operator.login(OPERATOR, OPERATOR_PASSWORD).status, 200)

        pairs.place(0)
        caller, agent = pairs.callers[0], pairs.agents[0]
        listed = operator.get(API + "/calls").json["items"]
        self.assertEqual(len(listed), 1, listed)
        self.assertEqual(listed[0]["state"], "connected")
        self.assertEqual(listed[0]["peer"], "a01")
        call_id = listed[0]["id"]
        time.sleep(2)  # audio before the changes

        sip_before = operator.get(API + "/settings/sip").json
        media_before = operator.get(API + "/settings/media").json
        route_before = operator.get(API + "/routes/to-a01").json
        revision = pairs.gateway.status()["revision"]
        self.assertEqual(operator.get(API + "/status").json["revision"], revision)
        self.assertEqual(server_header(self.run_, pairs, 1), (200, sip_before["user_agent"]))

        changes = [
            (operator.post, "/peers", {"name": "overflow", "host": "127.0.0.1", "port": 5999,
                                       "transport": "udp"}, 201),
            (operator.patch, "/routes/to-a01", {"priority": route_before["priority"] + 50}, 200),
            (operator.patch, "/settings/sip", {"user_agent": "Callgate-live-change"}, 200),
            (operator.patch, "/settings/media", {"inactivity_timeout_s": 120}, 200),
        ]
        for n, (send, path, body, status) in enumerate(changes):
            r = send(API + path, body)
            self.assertEqual(r.status, status, (path, r))
            self.assertIs(r.json["applied"], True, (path, r))
            if n == 0:
                # The database may be ahead of the daemon before the first
                # change (callgate-mgmt stored its certificate at first start).
                self.assertGreater(r.json["revision"], revision, (path, r))
            else:
                self.assertEqual(r.json["revision"], revision + 1, (path, r))
            revision = r.json["revision"]
            # The daemon runs the revision the write produced.
            self.assertEqual(pairs.gateway.status()["revision"], revision, path)
            listed = pairs.gateway.calls()
            self.assertEqual([c["id"] for c in listed], [call_id], path)
            self.assertEqual(listed[0]["state"], "connected", path)

        self.assertEqual(operator.get(API + "/peers/overflow").json["port"], 5999)
        self.assertEqual(operator.get(API + "/routes/to-a01").json["priority"],
                         route_before["priority"] + 50)
        self.assertEqual(operator.get(API + "/settings/sip").json["user_agent"],
                         "Callgate-live-change")
        self.assertEqual(operator.get(API + "/settings/media").json["inactivity_timeout_s"], 120)
        # The daemon speaks with the new user agent at once.
        self.assertEqual(server_header(self.run_, pairs, 2), (200, "Callgate-live-change"))

        # The call goes on after the changes: still listed, nobody hung up,
        # and audio keeps flowing both ways (the recording's tail, below).
        time.sleep(4)
        self.assertEqual(pairs.closed(), [])
        listed = operator.get(API + "/calls").json["items"]
        self.assertEqual([c["id"] for c in listed], [call_id])
        self.assertGreaterEqual(listed[0]["connected_s"], 6)

        # It ends normally: the caller's BYE reaches the agent through the gateway.
        pairs.hang_up(0)
        pairs.wait_no_calls()
        heard_by_agent = cp.wait_recording_closed(agent)
        heard_by_caller = cp.wait_recording_closed(caller)
        cp.assert_tone_at_end(heard_by_agent, cp.CALLER_HZ, tail_s=3.5, min_seconds=2.5)
        cp.assert_tone_at_end(heard_by_caller, cp.AGENT_HZ, tail_s=3.5, min_seconds=2.5)
        h.assert_tone(heard_by_agent, cp.CALLER_HZ, min_seconds=5.0)
        h.assert_tone(heard_by_caller, cp.AGENT_HZ, min_seconds=5.0)
        self.assertLess(h.tone_seconds(heard_by_agent, cp.AGENT_HZ), 0.5)  # not our own echo

        # The audit log: who changed what, newest first.
        items = operator.get(API + "/audit?limit=4").json["items"]
        self.assertEqual([(i["actor"], i["action"], i["object"]) for i in items], [
            (OPERATOR, "update", "settings/media"),
            (OPERATOR, "update", "settings/sip"),
            (OPERATOR, "update", "routes/to-a01"),
            (OPERATOR, "create", "peers/overflow"),
        ])
        for i in items:
            self.assertEqual(i["address"], "127.0.0.1")
        self.assertEqual(items[0]["detail"], {"inactivity_timeout_s": {
            "from": media_before["inactivity_timeout_s"], "to": 120}})
        self.assertEqual(items[1]["detail"], {"user_agent": {
            "from": sip_before["user_agent"], "to": "Callgate-live-change"}})
        self.assertEqual(items[2]["detail"], {"priority": {
            "from": route_before["priority"], "to": route_before["priority"] + 50}})
        created = items[3]["detail"]
        self.assertEqual(created["host"], {"from": None, "to": "127.0.0.1"})
        self.assertEqual(created["port"], {"from": None, "to": 5999})


if __name__ == "__main__":
    unittest.main(verbosity=2)
