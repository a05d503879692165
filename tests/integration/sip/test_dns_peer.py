"""A peer given by host name is found through RFC 3263: NAPTR, SRV and A
records from a DNS server on loopback lead callgated to the agent."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402
from dns_server import DnsServer  # noqa: E402


class DnsPeer(unittest.TestCase):
    def run_call(self, zone_for, peer_port=0, peer_transport="udp"):
        with h.TestRun("dns") as run:
            agent = h.Baresip(run.procs, run.dir, "agent", transport="tcp" if peer_transport == "tcp" else "udp",
                              answermode="auto").start()
            caller = h.Baresip(run.procs, run.dir, "caller").start()
            dns = DnsServer(zone_for(agent))
            run.procs.closables.append(dns)
            port = h.free_port()
            config = h.gateway_config(
                listeners=[{"name": "udp", "transport": "udp", "port": port},
                           {"name": "tcp", "transport": "tcp", "port": port}],
                peers=[{"name": "cc", "host": "cc.test.example", "port": peer_port,
                        "transport": peer_transport}],
                routes=[{"name": "r", "target_type": "peer", "peer": "cc"}],
                sip={"dns_servers": "127.0.0.1:%d" % dns.port})
            h.Gateway(run.procs, run.dir, config).start()
            caller.command("dial", "sip:agent@127.0.0.1:%d" % port)
            agent.wait_event("CALL_ESTABLISHED")
            caller.wait_event("CALL_ESTABLISHED")
            caller.command("hangup")
            agent.wait_event("CALL_CLOSED")
            return dns.queries

    def test_naptr_srv_a(self):
        def zone(agent):
            return {
                ("cc.test.example", "NAPTR"): [(10, 10, "s", "SIP+D2T", "", "_sip._tcp.cc.test.example"),
                                               (20, 10, "s", "SIP+D2U", "", "_sip._udp.cc.test.example")],
                ("_sip._tcp.cc.test.example", "SRV"): [(10, 100, agent.sip_port, "agent.test.example")],
                ("_sip._udp.cc.test.example", "SRV"): [(10, 100, agent.sip_port, "agent.test.example")],
                ("agent.test.example", "A"): ["127.0.0.1"],
            }
        queries = self.run_call(zone, peer_transport="auto")
        self.assertEqual(queries[0], ("cc.test.example", "NAPTR"))
        self.assertIn(("_sip._tcp.cc.test.example", "SRV"), queries)
        self.assertIn(("agent.test.example", "A"), queries)

    def test_configured_transport_skips_naptr(self):
        def zone(agent):
            return {("_sip._tcp.cc.test.example", "SRV"): [(10, 100, agent.sip_port, "agent.test.example")],
                    ("agent.test.example", "A"): ["127.0.0.1"]}
        queries = self.run_call(zone, peer_transport="tcp")
        self.assertEqual(queries[0], ("_sip._tcp.cc.test.example", "SRV"))

    def test_srv_without_naptr(self):
        def zone(agent):
            return {
                ("_sip._udp.cc.test.example", "SRV"): [(5, 0, agent.sip_port, "agent.test.example")],
                ("agent.test.example", "A"): ["127.0.0.1"],
                ("cc.test.example", "A"): ["192.0.2.1"],
            }
        # No NAPTR: SRV for each transport we support, then the target's A record.
        queries = self.run_call(zone, peer_transport="auto")
        self.assertEqual(queries[0], ("cc.test.example", "NAPTR"))
        self.assertIn(("_sip._udp.cc.test.example", "SRV"), queries)
        self.assertIn(("agent.test.example", "A"), queries)

    def test_explicit_port_uses_a_records_only(self):
        queries = self.run_call_with_port(lambda agent: {("cc.test.example", "A"): ["127.0.0.1"]})
        self.assertIn(("cc.test.example", "A"), queries)
        self.assertEqual([q for q in queries if q[1] in ("SRV", "NAPTR")], [])

    def run_call_with_port(self, zone_for):
        with h.TestRun("dnsport") as run:
            agent = h.Baresip(run.procs, run.dir, "agent", answermode="auto").start()
            caller = h.Baresip(run.procs, run.dir, "caller").start()
            dns = DnsServer(zone_for(agent))
            run.procs.closables.append(dns)
            port = h.free_port()
            config = h.gateway_config(
                listeners=[{"name": "udp", "transport": "udp", "port": port}],
                peers=[{"name": "cc", "host": "cc.test.example", "port": agent.sip_port, "transport": "udp"}],
                routes=[{"name": "r", "target_type": "peer", "peer": "cc"}],
                sip={"dns_servers": "127.0.0.1:%d" % dns.port})
            h.Gateway(run.procs, run.dir, config).start()
            caller.command("dial", "sip:agent@127.0.0.1:%d" % port)
            agent.wait_event("CALL_ESTABLISHED")
            caller.command("hangup")
            agent.wait_event("CALL_CLOSED")
            return dns.queries


if __name__ == "__main__":
    unittest.main(verbosity=2)
