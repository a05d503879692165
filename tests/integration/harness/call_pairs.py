"""baresip → baresip calls through callgated, with callgate-mgmt on the same database.

Pair i is a caller ("c01"…) that dials "aNN" at the gateway and an agent
("a01"…) that answers it; the gateway routes prefix "aNN" to peer "aNN". The
callers play one tone and the agents another, so each side's recording says by
content whether the other side's audio arrived. Every process is started
through the test's Processes and stopped by PID with it.
"""

import os
import time

import callgate_harness as h
from mgmt_client import Management

CALLER_HZ = 440.0
AGENT_HZ = 660.0


def agent_name(i):
    return "a%02d" % (i + 1)


class CallPairs:
    def __init__(self, run, count, extra_peers=(), extra_routes=(), **sections):
        self.run = run
        self.count = count
        self.agents = []
        self.callers = []
        for i in range(count):
            # Agents answer by themselves; callers dial when told.
            self.agents.append(start_phone(run, agent_name(i), answermode="auto",
                                           tone_hz=AGENT_HZ))
            self.callers.append(start_phone(run, "c%02d" % (i + 1), tone_hz=CALLER_HZ))
        self.sip_port = h.free_port()
        self.https_port = h.free_port(both=False)
        peers = [{"name": agent_name(i), "host": "127.0.0.1", "transport": "udp",
                  "port": a.sip_port} for i, a in enumerate(self.agents)] + list(extra_peers)
        routes = [{"name": "to-" + agent_name(i), "match_user_prefix": agent_name(i),
                   "target_type": "peer", "peer": agent_name(i)}
                  for i in range(count)] + list(extra_routes)
        # The management section is ours (port); a caller's fields go on top.
        sections["management"] = dict({"https_port": self.https_port, "http_redirect_port": 0},
                                      **sections.get("management", {}))
        config = h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": self.sip_port}],
            peers=peers, routes=routes, **sections)
        self.gateway = h.Gateway(run.procs, run.dir, config).start()
        self.mgmt = Management(run.procs, run.dir, self.gateway.db, self.https_port).start()

    def target(self, i):
        return "sip:%s@127.0.0.1:%d;transport=udp" % (agent_name(i), self.sip_port)

    def place(self, i, timeout=15):
        """Dials pair i and waits until both phones see the call established."""
        self.callers[i].command("dial", self.target(i))
        self.callers[i].wait_event("CALL_ESTABLISHED", timeout=timeout)
        self.agents[i].wait_event("CALL_ESTABLISHED", timeout=timeout)

    def place_all(self, timeout=30):
        """Dials every pair (all at once), then waits for all of them."""
        for i in range(self.count):
            self.callers[i].command("dial", self.target(i))
        for i in range(self.count):
            self.callers[i].wait_event("CALL_ESTABLISHED", timeout=timeout)
            self.agents[i].wait_event("CALL_ESTABLISHED", timeout=timeout)

    def closed(self):
        """Indices of pairs where either phone has seen its call close."""
        return [i for i in range(self.count)
                if "CALL_CLOSED" in self.callers[i].event_types()
                or "CALL_CLOSED" in self.agents[i].event_types()]

    def hang_up(self, i, timeout=10):
        """The caller hangs up; the agent must see the call close (the BYE relayed)."""
        self.callers[i].command("hangup")
        self.agents[i].wait_event("CALL_CLOSED", timeout=timeout)
        self.callers[i].wait_event("CALL_CLOSED", timeout=timeout)

    def wait_no_calls(self, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.gateway.calls():
                return
            time.sleep(0.2)
        raise AssertionError("calls still listed: %s" % self.gateway.calls())

    def logs(self):
        return ("---- callgated log (tail) ----\n" + self.gateway.read_log()[-4000:] +
                "\n---- callgate-mgmt log (tail) ----\n" + self.mgmt.read_log()[-4000:])


def light_player(phone):
    """Plays decoded audio into aubridge instead of ALSA's null device.

    Some player must run for baresip to decode (and sndfile to dump what it
    decoded), but ALSA's null device never blocks, so its writer thread spins:
    about 30 % of a core per phone, against 2 % for aubridge, which is paced
    by its own ptime timer. Forty phones on two cores need the light one."""
    path = os.path.join(phone.dir, "config")
    with open(path) as f:
        text = f.read()
    text = text.replace("audio_player alsa,null", "audio_player aubridge,%s" % phone.name)
    text = text.replace("module alsa.so", "module aubridge.so")
    with open(path, "w") as f:
        f.write(text)


def start_phone(run, name, attempts=3, **kw):
    """A started baresip. Its ports are probed free before it binds them, and
    other programs on the machine may take one in between: then it starts
    again on new ports."""
    for attempt in range(attempts):
        phone = h.Baresip(run.procs, run.dir, name, **kw)
        light_player(phone)
        try:
            return phone.start()
        except RuntimeError as e:
            if "Address already in use" not in str(e) or attempt == attempts - 1:
                raise


def recording(phone):
    """The decoded-audio dump of the phone's latest call (complete once it closed)."""
    path = phone.received_wav()
    if path is None:
        raise AssertionError("%s wrote no decoded audio:\n%s" % (phone.name, phone.log()[-2000:]))
    return path


def wait_recording_closed(phone, timeout=5):
    """sndfile finalises the WAV header when the stream ends: wait until it reads."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        path = phone.received_wav()
        if path is not None:
            try:
                blocks = h.tone_blocks(path, CALLER_HZ)
                if blocks:
                    return path
            except (EOFError, ValueError, OSError) as e:  # header not written yet
                last = e
        time.sleep(0.2)
    raise AssertionError("%s: no readable recording (%s)" % (phone.name, last))


def assert_tone_at_end(path, freq, tail_s, min_seconds):
    """The last `tail_s` seconds of the recording hold at least `min_seconds`
    of the tone `freq`: audio that flowed late in the call, after whatever the
    test changed in the middle of it."""
    blocks = h.tone_blocks(path, freq)
    tail = blocks[-int(tail_s * 10):]
    held = sum(1 for b in tail if b[0]) / 10.0
    if held < min_seconds:
        raise AssertionError("%s: %.1f s of %.0f Hz in the last %.1f s (of %.1f s), want >= %.1f s"
                             % (os.path.basename(path), held, freq, tail_s, len(blocks) / 10.0,
                                min_seconds))
    return held
