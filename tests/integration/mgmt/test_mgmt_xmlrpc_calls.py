"""An XML-RPC client lists the calls in progress and hangs one up.

Two baresip → baresip calls run through callgated. A client speaking XML-RPC
(Python's xmlrpc.client over HTTPS, API key in `Authorization: Bearer`) calls
`calls.list` on callgate-mgmt's /RPC2 and sees both, then `calls.hangup` on
one: both SIP sides of that call receive BYE, the other call goes on, and the
list no longer has the call hung up. A read-only key may list but not hang up,
and no key gets no answer but a refusal.
"""

import os
import sys
import time
import unittest
import xmlrpc.client

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
import call_pairs as cp  # noqa: E402
from mgmt_client import _tls_context  # noqa: E402

API = "/api/v1"


def rpc(port, api_key=None):
    """An XML-RPC proxy for /RPC2 whose every request carries the API key."""
    headers = [("Authorization", "Bearer " + api_key)] if api_key else []
    transport = xmlrpc.client.SafeTransport(context=_tls_context(), headers=headers)
    return xmlrpc.client.ServerProxy("https://127.0.0.1:%d/RPC2" % port, transport=transport,
                                     allow_none=True)


class XmlRpcCalls(unittest.TestCase):
    def test_list_and_hang_up_a_call(self):
        with h.TestRun("mgmt-xmlrpc") as run:
            pairs = cp.CallPairs(run, 2)
            try:
                self.body(pairs)
            except Exception:
                print(pairs.logs(), file=sys.stderr)
                raise

    def body(self, pairs):
        admin = pairs.mgmt.admin()
        r = admin.post(API + "/api_keys", {"name": "callcentre-crm", "role": "admin"})
        self.assertEqual(r.status, 201, r)
        client = rpc(pairs.https_port, r.json["key"])
        r = admin.post(API + "/api_keys", {"name": "wallboard", "role": "readonly"})
        self.assertEqual(r.status, 201, r)
        wallboard = rpc(pairs.https_port, r.json["key"])

        pairs.place_all()
        daemon_calls = {c["id"]: c for c in pairs.gateway.calls()}
        self.assertEqual(len(daemon_calls), 2)

        listed = client.calls.list()
        self.assertIsInstance(listed, list)
        self.assertEqual(sorted(c["id"] for c in listed), sorted(daemon_calls))
        for c in listed:
            self.assertEqual(c["state"], "connected", c)
            self.assertEqual(c["peer"], daemon_calls[c["id"]]["peer"], c)
        self.assertEqual(sorted(c["id"] for c in wallboard.calls.list()), sorted(daemon_calls))

        # Pair 0's call is the one to the peer a01.
        victim = next(c["id"] for c in listed if c["peer"] == "a01")
        survivor = next(c["id"] for c in listed if c["peer"] == "a02")

        # A read-only key may not hang up; nothing happens to the call.
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            wallboard.calls.hangup(victim)
        self.assertEqual(refused.exception.faultCode, 403, refused.exception)
        # Without a key there is no answer but a refusal.
        with self.assertRaises((xmlrpc.client.Fault, xmlrpc.client.ProtocolError)) as anonymous:
            rpc(pairs.https_port).calls.list()
        err = anonymous.exception
        self.assertEqual(err.faultCode if isinstance(err, xmlrpc.client.Fault) else err.errcode,
                         401, err)
        self.assertEqual(sorted(c["id"] for c in pairs.gateway.calls()), sorted(daemon_calls))

        result = client.calls.hangup(victim)
        self.assertEqual(result["id"], victim, result)
        self.assertIs(result["hung_up"], True, result)
        # The gateway sends BYE to both SIP sides of that call.
        pairs.callers[0].wait_event("CALL_CLOSED")
        pairs.agents[0].wait_event("CALL_CLOSED")
        deadline = time.time() + 10
        while time.time() < deadline and victim in [c["id"] for c in client.calls.list()]:
            time.sleep(0.2)
        self.assertEqual([c["id"] for c in client.calls.list()], [survivor])
        # The other call is untouched.
        time.sleep(1)
        self.assertEqual(pairs.closed(), [0])
        self.assertEqual([c["id"] for c in pairs.gateway.calls()], [survivor])
        # A call that is gone: a fault, not a crash.
        with self.assertRaises(xmlrpc.client.Fault) as gone:
            client.calls.hangup(victim)
        self.assertEqual(gone.exception.faultCode, 404, gone.exception)

        pairs.hang_up(1)
        pairs.wait_no_calls()


if __name__ == "__main__":
    unittest.main(verbosity=2)
