"""kill -9 during configuration writes and reloads never corrupts the database:
it opens and holds either the old or the new configuration, and callgated
starts again with it."""

import json
import os
import random
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import callgate_harness as h  # noqa: E402


def big_config(port, peers, tag):
    return h.gateway_config(
        listeners=[{"name": "udp", "transport": "udp", "port": port}],
        peers=[{"name": "peer-%s-%d" % (tag, i), "host": "192.0.2.%d" % (i % 250 + 1), "port": 5060,
                "transport": "udp"} for i in range(peers)],
        routes=[{"name": "route-%s-%d" % (tag, i), "priority": i, "match_user_prefix": str(i),
                 "target_type": "peer", "peer": "peer-%s-%d" % (tag, i)} for i in range(peers)],
        system={"name": "kill-%s" % tag, "log_level": "warn", "control_socket": ""})


class KillSafety(unittest.TestCase):
    def export(self, gw):
        r = gw.ctl("export")
        self.assertEqual(r.returncode, 0, "database does not open: " + r.stderr)
        return r.stdout

    def test_kill_callgatectl_during_import(self):
        with h.TestRun("killctl") as run:
            port = h.free_port()
            gw = h.Gateway(run.procs, run.dir, big_config(port, 3000, "a"))
            self.assertEqual(gw.import_config().returncode, 0)
            states = {self.export(gw)}
            rng = random.Random(7)
            killed = 0
            for round_ in range(20):
                path = os.path.join(run.dir, "next.json")
                with open(path, "w") as f:
                    json.dump(big_config(port, 3000, "r%d" % round_), f)
                p = subprocess.Popen([h.CALLGATECTL, "--db", gw.db, "import", path],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0.0, 0.4))
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    killed += 1
                p.wait()
                now = self.export(gw)
                new = subprocess.run([h.CALLGATECTL, "validate", path], capture_output=True).returncode
                self.assertEqual(new, 0)
                self.assertTrue(now in states or json.loads(now)["system"]["name"] == "kill-r%d" % round_,
                                "round %d: the database holds neither configuration" % round_)
                states = {now}
            self.assertGreater(killed, 0, "no import was interrupted; make the configuration bigger")

    def test_kill_callgated_during_reload(self):
        with h.TestRun("killd") as run:
            port = h.free_port()
            gw = h.Gateway(run.procs, run.dir, big_config(port, 2000, "a")).start()
            rng = random.Random(11)
            for round_ in range(10):
                gw.config = big_config(port, 2000, "r%d" % round_)
                path = os.path.join(run.dir, "config.json")
                with open(path, "w") as f:
                    json.dump(gw.config, f)
                importer = subprocess.Popen([h.CALLGATECTL, "--db", gw.db, "import", path],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0.0, 0.5))
                gw.proc.send_signal(signal.SIGKILL)
                gw.proc.wait()
                importer.wait()
                name = json.loads(self.export(gw))["system"]["name"]
                self.assertIn(name, ("kill-r%d" % round_, "kill-r%d" % (round_ - 1), "kill-a"))
                gw.proc = run.procs.start([h.CALLGATED, "--db", gw.db], gw.log)
                deadline = time.time() + 15
                while True:
                    try:
                        self.assertEqual(gw.status()["name"], name)
                        break
                    except Exception:
                        if time.time() > deadline or gw.proc.poll() is not None:
                            raise
                        time.sleep(0.1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
