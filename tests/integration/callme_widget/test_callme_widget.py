"""The Call Me widget on the demo shop's pages, end to end: Chromium (fake
microphone) opens the pages callgate-mgmt serves, the widget calls through
callgated to a baresip call centre.

- A call from the order page, started from the keyboard, reaches baresip
  with the customer and order as SIP headers; the widget rings, shows a
  running timer in the call, mutes, sends a keypad digit, hangs up.
- Forged token, expired token, wrong origin, unknown button, over the rate
  limit, outside opening hours, denied microphone: the widget shows the
  reason and nothing reaches baresip.
- Two tabs: a call in one disables the button in the other until it ends.
- Screenshots of every state are kept in the run directory and checked: the
  configured button colour covers a good part of the widget and its text
  (read from the DOM at the same moment) holds the configured label or the
  expected message. The same check fails on a widget of another colour and
  label.

Environment: CALLGATED, CALLGATECTL, CALLGATE_MGMT, CALLGATE_TOKEN,
CALLME_WIDGET (the built callme.js), CALLME_SHOP_DIR (webui/shop), and
CALLME_ARTEFACTS_DIR (optional: where the screenshots are copied at the end).
"""

import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
sys.path.insert(0, HERE)
import callgate_harness as h  # noqa: E402
import mgmt_client  # noqa: E402
import png_check  # noqa: E402
from webhook_receivers import (Recorder, events_of, http_receiver,  # noqa: E402
                               signature_valid, xmlrpc_receiver)
from widget_browser import WidgetBrowser  # noqa: E402

CALLGATE_TOKEN = os.environ.get("CALLGATE_TOKEN", "callgate-token")
CALLME_WIDGET = os.environ.get("CALLME_WIDGET", "")
# Where the screenshots are copied at the end, pass or fail (the run
# directory itself is removed when the tests pass).
ARTEFACTS_DIR = os.environ.get("CALLME_ARTEFACTS_DIR", "")
CALLME_SHOP_DIR = os.environ.get("CALLME_SHOP_DIR",
                                 os.path.join(HERE, "..", "..", "..", "webui", "shop"))

GREEN = "#0a7d32"
LABEL = "Call the demo shop"
CLOSED_MESSAGE = "We open again on Monday at nine"
WEBHOOK_SECRET = "shop-crm-webhook-secret"
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# The widget's English messages (webui/callme/src/strings.js).
MESSAGES = {
    "completed": "Call ended",
    "token-expired": "This page has been open too long. Please call again.",
    "token-invalid": "The call could not be authorised. Please reload the page.",
    "origin-not-allowed": "Calls from this website are not allowed.",
    "unknown-button": "This call button is not set up.",
    "too-many-calls": "Too many calls right now. Please try again in a minute.",
    "network": "The connection was lost. Check your network and call again.",
    "denied-microphone": "Your browser did not allow the microphone. "
                         "Allow it for this site and call again.",
}

LAUNCH = ".cm-launch"
HANGUP = ".cm-hangup"
AGAIN = ".cm-again"


def key(digit):
    return '.cm-key[data-digit="%s"]' % digit


class TracingBaresip(h.Baresip):
    """baresip with its SIP trace (-s) line-buffered into its log, so that the
    test reads the INVITEs it received, headers and all."""

    def command_line(self):
        return ["stdbuf", "-oL", "-eL", "baresip", "-s", "-f", self.dir]

    def invites(self):
        """Every INVITE in the trace, as {header name (lower case): [values]}
        with the request line under ''."""
        found = []
        lines = self.log().splitlines()
        for i, line in enumerate(lines):
            if not re.match(r"^INVITE sip:\S+ SIP/2\.0\s*$", line):
                continue
            headers = {"": [line.strip()]}
            for follow in lines[i + 1:]:
                if not follow.strip():
                    break
                name, _, value = follow.partition(":")
                headers.setdefault(name.strip().lower(), []).append(value.strip())
            found.append(headers)
        return found

    def invite_count(self):
        return len(self.invites())


class WidgetRig:
    """Everything the widget meets, from one configuration: baresip as the
    call centre, callgated (UDP toward baresip, WSS toward browsers),
    callgate-mgmt serving /callme/callme.js and /shop/, and Chromium.

    `config()` builds the whole configuration; `config_hooks` (callables that
    receive and change the configuration dict before it is imported) let a
    test add more: a webhook or XML-RPC receiver's section, other buttons.
    A receiver is started before `start()` and hooks itself in:

        rig = WidgetRig(run)
        receiver = WebhookReceiver(run.procs)            # its own free port
        rig.config_hooks.append(lambda c: c.setdefault("webhooks", []).append(
            {"name": "crm", "url": receiver.url, "secret": "..."}))
        rig.start()
    """

    def __init__(self, run):
        self.run = run
        self.udp_port = h.free_port()
        self.wss_port = h.free_port(socket.SOCK_STREAM, both=False)
        self.mgmt_port = h.free_port(socket.SOCK_STREAM, both=False)
        self.origin = "https://127.0.0.1:%d" % self.mgmt_port
        self.config_hooks = []
        self.baresip = None
        self.gateway = None
        self.mgmt = None
        self.browser = None

    def buttons(self):
        # A day other than today (UTC): the "shut" button is never open now.
        other_day = DAYS[(datetime.datetime.now(datetime.timezone.utc).weekday() + 3) % 7]

        def button(name, **kw):
            b = {"name": name, "enabled": True, "destination_type": "peer", "peer": "cc",
                 "destination_user": "agent", "allowed_origins": self.origin,
                 "require_token": True, "max_concurrent_calls": 5, "max_calls_per_minute": 30,
                 "label": LABEL, "colour": GREEN, "language": "en"}
            b.update(kw)
            return b

        return [button("demo"),
                button("limited", max_calls_per_minute=1),
                button("video", video=True),
                button("shut", opening_hours="%s 10:00-11:00" % other_day,
                       closed_message=CLOSED_MESSAGE)]

    def config(self):
        cert_pem, key_pem, _ = h.self_signed_pem(self.run.dir)
        config = h.gateway_config(
            listeners=[{"name": "udp", "transport": "udp", "port": self.udp_port},
                       {"name": "wss", "transport": "wss", "port": self.wss_port}],
            peers=[{"name": "cc", "host": "127.0.0.1", "port": self.baresip.sip_port,
                    "transport": "udp", "codecs": "pcmu,pcma"}],
            tls={"certificate_pem": cert_pem, "private_key_pem": key_pem, "ca_bundle_pem": "",
                 "verify_peers": False},
            media={"workers": 1, "rtp_port_min": 20000, "rtp_port_max": 24999,
                   "inactivity_timeout_s": 0},
            management={"https_port": self.mgmt_port, "http_redirect_port": 0},
            # Sequential calls from one address: the per-IP limit is not under test.
            callme={"enabled": True, "max_calls_per_ip": 10},
            buttons=self.buttons())
        for hook in self.config_hooks:
            hook(config)
        return config

    def start(self):
        run = self.run
        # Manual answer: baresip rings (180), so the widget's ringing state
        # can be seen, until the test answers.
        self.baresip = TracingBaresip(run.procs, run.dir, "agent", answermode="manual",
                                      tone_hz=440.0).start()
        # No callme.token_secret: callgated makes one on its first start, and
        # callgate-mgmt (same database) signs the shop's tokens with it.
        self.gateway = h.Gateway(run.procs, run.dir, self.config()).start()
        self.mgmt = mgmt_client.Management(
            run.procs, run.dir, self.gateway.db, self.mgmt_port,
            args=["--widget-file", CALLME_WIDGET, "--shop-dir", CALLME_SHOP_DIR]).start()
        tone = os.path.join(run.dir, "1k.wav")
        h.write_tone_wav(tone, 1000.0, seconds=30, rate=48000)
        self.browser = WidgetBrowser(run.procs, run.dir, name="shop").start(tone)
        self.browser.grant([self.origin, "https://localhost:%d" % self.mgmt_port])
        return self

    def url(self, path, host="127.0.0.1"):
        return "https://%s:%d%s" % (host, self.mgmt_port, path)

    def token(self, button, *extra):
        r = subprocess.run([CALLGATE_TOKEN, "--db", self.gateway.db, "--button", button] +
                           list(extra), capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            raise AssertionError("callgate-token: " + r.stderr)
        return r.stdout.strip()


def missing_prerequisites():
    missing = []
    for name in ("CALLGATED", "CALLGATECTL", "CALLGATE_MGMT", "CALLGATE_TOKEN", "CALLME_WIDGET"):
        if not os.environ.get(name):
            missing.append("$" + name)
    if CALLME_WIDGET and not os.path.isfile(CALLME_WIDGET):
        missing.append(CALLME_WIDGET + " (build target callme_widget)")
    return missing


class CallmeWidget(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        missing = missing_prerequisites()
        if missing:
            raise AssertionError("cannot run, missing: " + ", ".join(missing))
        cls.run_ctx = h.TestRun("callme-widget")
        cls.trun = cls.run_ctx.__enter__()
        cls.screens = os.path.join(cls.trun.dir, "screenshots")
        os.makedirs(cls.screens)
        print("\nscreenshots: %s" % cls.screens, flush=True)
        cls.failed = False
        # The call-centre software: a JSON webhook and an XML-RPC receiver.
        cls.webhook = Recorder()
        cls.rpc = Recorder()
        cls.receivers = [http_receiver(cls.webhook), xmlrpc_receiver(cls.rpc)]
        hook_url = "http://127.0.0.1:%d/crm/callgate" % cls.receivers[0].server_port
        rpc_url = "http://127.0.0.1:%d/RPC2" % cls.receivers[1].server_address[1]
        try:
            cls.rig = WidgetRig(cls.trun)
            cls.rig.config_hooks.append(lambda c: c.setdefault("webhooks", []).extend([
                {"name": "crm", "url": hook_url, "secret": WEBHOOK_SECRET, "buttons": "demo"},
                {"name": "acd", "format": "xmlrpc", "url": rpc_url, "buttons": "demo"}]))
            cls.rig.start()
        except BaseException:
            cls.run_ctx.__exit__(*sys.exc_info())
            raise
        cls.browser = cls.rig.browser
        cls.baresip = cls.rig.baresip

    @classmethod
    def tearDownClass(cls):
        for r in cls.receivers:
            r.shutdown()
            r.server_close()
        if ARTEFACTS_DIR:
            shutil.rmtree(ARTEFACTS_DIR, ignore_errors=True)
            shutil.copytree(cls.screens, ARTEFACTS_DIR)
            print("screenshots copied to %s" % ARTEFACTS_DIR)
        if cls.failed:
            # Keeps the run directory (screenshots, logs) for a look.
            cls.run_ctx.__exit__(AssertionError, AssertionError("failed"), None)
        else:
            cls.run_ctx.__exit__(None, None, None)

    def tearDown(self):
        # A failed test's tabs (and a call in one) must not disturb the next.
        self.browser.close_pages()

    def run(self, result=None):
        before = len(result.failures) + len(result.errors) if result else 0
        out = super().run(result)
        if result and len(result.failures) + len(result.errors) > before:
            type(self).failed = True
            print("callgated log (tail):\n" + self.rig.gateway.read_log()[-3000:] +
                  "\ncallgate-mgmt log (tail):\n" + self.rig.mgmt.read_log()[-1500:],
                  file=sys.stderr)
        return out

    # -- helpers ---------------------------------------------------------

    def check_look(self, name, page, texts, colour=GREEN, min_share=0.10):
        """Screenshot of the widget (and the whole tab) in the run directory;
        asserts the colour covers `min_share` of it and every text of `texts`
        is in the widget's text at that moment. Returns the DOM snapshot."""
        path = os.path.join(self.screens, name + ".png")
        widget = self.browser.screenshot(page, path,
                                         page_path=os.path.join(self.screens, name + "-page.png"))
        self.assert_look(path, widget, texts, colour, min_share)
        return widget

    def assert_look(self, path, widget, texts, colour, min_share):
        image = png_check.read(path)
        pixels, share = png_check.colour_share(image, png_check.parse_colour(colour))
        print("  %s: %dx%d, %s covers %.1f%% (%d px), state %s" % (
            os.path.basename(path), image.width, image.height, colour, share * 100, pixels,
            widget["state"]), flush=True)
        self.assertGreaterEqual(share, min_share, "%s: colour %s covers only %.1f%%"
                                % (path, colour, share * 100))
        for text in texts:
            self.assertIn(text, widget["text"], "%s: widget text" % path)

    def assert_nothing_reached_baresip(self, invites_before):
        time.sleep(0.5)
        self.assertEqual(self.baresip.invite_count(), invites_before,
                         "an INVITE reached the call centre")

    def assert_refused(self, page, reason, name):
        """The widget on `page` ended with `reason`, shows its message, and its
        screenshot passes the look check."""
        widget = self.browser.wait_state(page, "ended")
        self.assertEqual(widget["reason"], reason, widget)
        self.assertIn(MESSAGES[reason], widget["status"])
        self.assertEqual(widget["statusLive"], "polite")
        self.check_look(name, page, [MESSAGES[reason], "Call again", LABEL])

    def answer(self, after):
        self.baresip.wait_event("CALL_INCOMING", timeout=15, after=after)
        self.baresip.command("accept")
        self.baresip.wait_event("CALL_ESTABLISHED", timeout=15, after=after)

    @staticmethod
    def seconds(timer):
        m, s = timer.split(":")
        return int(m) * 60 + int(s)

    # -- tests -------------------------------------------------------------

    def test_01_order_page_call_from_the_keyboard(self):
        b, page = self.browser, "order"
        widget = b.open(page, self.rig.url("/shop/order.html"))
        widget = b.wait_state(page, "idle")
        self.assertEqual(widget["launchLabel"], LABEL)
        self.assertEqual(widget["colour"], GREEN)
        self.check_look("01-idle", page, [LABEL], min_share=0.30)

        events = len(self.baresip.events)
        invites = self.baresip.invite_count()
        b.focus(page, LAUNCH)
        b.press(page, "Enter")
        widget = b.wait_state(page, "ringing", timeout=20)
        # Focus went to the button that ends the call.
        self.assertIn("cm-hangup", widget["focused"])
        self.check_look("02-ringing", page, ["Ringing", LABEL, "Cancel call"])

        # The INVITE baresip received carries the context from the token.
        self.baresip.wait_event("CALL_INCOMING", timeout=15, after=events)
        invite = self.baresip.invites()[invites]
        self.assertEqual(invite.get("x-callme-customer-id"), ["C-1001"], invite)
        self.assertEqual(invite.get("x-callme-order-id"), ["O-2002"], invite)
        self.assertEqual(invite.get("x-callme-page-url"), [self.rig.url("/shop/order.html")])
        self.assertEqual(invite.get("x-callme-page-title"),
                         ["Order O-2002 - Callgate demo shop"])
        self.assertEqual(invite.get("x-callme-data-basket"),
                         ["1 x Kettle K-300, 2 x Descaler D-10"])
        self.assertIsNone(invite.get("x-callme-token"))

        self.answer(events)
        widget = b.wait_state(page, "in-call")
        self.assertIn("cm-hangup", widget["focused"])
        first = self.seconds(b.widget(page)["timer"])
        time.sleep(2.2)
        widget = b.widget(page)
        self.assertGreaterEqual(self.seconds(widget["timer"]) - first, 2, widget)
        self.check_look("03-in-call", page, ["In call", LABEL, "Hang up", "Mute"])

        widget = b.click(page, ".cm-mute")
        self.assertTrue(widget["muted"])
        self.assertEqual(widget["muteText"], "Unmute")
        widget = b.press(page, "Space")  # focus stayed on the mute button
        self.assertFalse(widget["muted"])

        b.click(page, ".cm-keypad-toggle")
        b.click(page, key("5"))
        b.wait_text(page, "Sent 5")
        b.press(page, "#")  # typing a digit while the keypad is open sends it
        digits = []
        deadline = time.time() + 10
        while time.time() < deadline and len(digits) < 2:
            self.baresip.event_types()
            digits = [e.get("param") for e in self.baresip.events[events:]
                      if e.get("type") == "CALL_DTMF_START"]
            time.sleep(0.1)
        self.assertEqual(digits, ["5", "#"])
        # The keypad makes the card tall: the head is a smaller share of it.
        self.check_look("04-in-call-keypad", page, [LABEL, "Hide keypad", "Hang up"],
                        min_share=0.05)

        b.click(page, HANGUP)
        widget = b.wait_state(page, "ended")
        self.assertEqual(widget["reason"], "completed")
        self.assertIn("cm-again", widget["focused"])
        self.baresip.wait_event("CALL_CLOSED", timeout=10, after=events)
        self.check_look("05-ended", page, ["Call ended", "Call again", LABEL])
        # The visitor's fake microphone (1 kHz) reached the call centre.
        h.assert_tone(self.baresip.received_wav(), 1000.0, min_seconds=1.5)

        # The call-centre software heard of the call: offered, answered and
        # ended, signed, with one call id and the INVITE's Call-ID.
        sip_call_id = invite.get("call-id")[0]
        self.webhook.wait_for(lambda i: '"call.ended"' in i["body"] and sip_call_id in i["body"])
        got = events_of(self.webhook, "sip_call_id", sip_call_id)
        self.assertEqual([e["type"] for _, e in got],
                         ["call.offered", "call.answered", "call.ended"])
        self.assertEqual(len({e["call_id"] for _, e in got}), 1, got)
        for item, event in got:
            self.assertTrue(signature_valid(item["headers"], item["body"], WEBHOOK_SECRET), item)
            self.assertEqual(event["callme"]["customer_id"], "C-1001")
            self.assertEqual(event["callme"]["order_id"], "O-2002")
            self.assertEqual(event["callme"]["origin"], self.rig.origin)
        self.rpc.wait_for(lambda e: e.get("sip_call_id") == sip_call_id and
                          e["type"] == "call.ended")
        rpc = [e for e in self.rpc.snapshot() if e.get("sip_call_id") == sip_call_id]
        self.assertEqual([e["type"] for e in rpc], ["call.offered", "call.answered", "call.ended"])
        self.assertEqual(rpc[0]["callme"]["order_id"], "O-2002")
        self.assertEqual(rpc[0]["call_id"], got[0][1]["call_id"])

        # Escape closes the ended panel: back to the button, focus on it.
        widget = b.press(page, "Escape")
        self.assertEqual(widget["state"], "idle")
        self.assertIn("cm-launch", widget["focused"])
        b.close_page(page)

    def test_02_product_page_sends_the_product_and_escape_hangs_up(self):
        b, page = self.browser, "product"
        b.open(page, self.rig.url("/shop/"))
        b.wait_state(page, "idle")
        events = len(self.baresip.events)
        invites = self.baresip.invite_count()
        b.click(page, LAUNCH)
        self.answer(events)
        b.wait_state(page, "in-call")
        invite = self.baresip.invites()[invites]
        self.assertEqual(invite.get("x-callme-data-product"), ["Kettle K-300"])
        self.assertIsNone(invite.get("x-callme-customer-id"))
        self.assertIsNone(invite.get("x-callme-order-id"))
        widget = b.press(page, "Escape")
        widget = b.wait_state(page, "ended")
        self.assertEqual(widget["reason"], "completed")
        self.baresip.wait_event("CALL_CLOSED", timeout=10, after=events)
        b.close_page(page)

    def test_03_forged_and_expired_tokens_are_refused(self):
        b = self.browser
        good = self.rig.token("demo", "--customer-id", "C-1001")
        payload, mac = good.split(".")
        forged = payload + "." + ("A" if mac[0] != "A" else "B") + mac[1:]
        expired = self.rig.token("demo", "--ttl", "60", "--issued-at",
                                 str(int(time.time()) - 1000))
        for name, token, reason in (("forged", forged, "token-invalid"),
                                    ("expired", expired, "token-expired")):
            invites = self.baresip.invite_count()
            b.open(name, self.rig.url("/shop/order.html"), routes=[
                {"pattern": "**/shop/api/token", "body": {"token": token, "expires_at": 0}}])
            b.wait_state(name, "idle")
            b.click(name, LAUNCH)
            self.assert_refused(name, reason, "10-refused-%s-token" % name)
            self.assert_nothing_reached_baresip(invites)
            b.close_page(name)
        log = self.rig.gateway.read_log()
        self.assertIn("reason=Token invalid", log)
        self.assertIn("reason=Token expired", log)

    def test_04_wrong_origin_is_refused(self):
        b, page = self.browser, "elsewhere"
        invites = self.baresip.invite_count()
        # The same pages from another origin, which the button does not allow.
        b.open(page, self.rig.url("/shop/order.html", host="localhost"))
        b.wait_state(page, "idle")
        b.click(page, LAUNCH)
        self.assert_refused(page, "origin-not-allowed", "11-refused-origin")
        self.assert_nothing_reached_baresip(invites)
        self.assertIn("origin=https://localhost:%d reason=Origin not allowed" % self.rig.mgmt_port,
                      self.rig.gateway.read_log())
        b.close_page(page)

    def test_05_unknown_button_is_refused(self):
        b, page = self.browser, "nope"
        invites = self.baresip.invite_count()
        ws = "wss://127.0.0.1:%d" % self.rig.wss_port
        b.open(page, self.rig.url("/shop/order.html"), routes=[
            {"pattern": "**/shop/api/config", "body": {"websocket_url": ws, "button": "nope"}},
            # The shop's backend knows no such button either; a valid token for
            # another button gets the call as far as the gateway's check.
            {"pattern": "**/shop/api/token", "body": {"token": self.rig.token("demo")}}])
        widget = b.wait_state(page, "idle")
        # No look for an unknown button: the widget's own defaults.
        self.assertEqual(widget["launchLabel"], "Call us")
        b.click(page, LAUNCH)
        widget = b.wait_state(page, "ended")
        self.assertEqual(widget["reason"], "unknown-button")
        self.assertIn(MESSAGES["unknown-button"], widget["status"])
        self.check_look("12-refused-unknown-button", page, [MESSAGES["unknown-button"]],
                        colour="#1f5fbf")
        self.assert_nothing_reached_baresip(invites)
        b.close_page(page)

    def test_06_over_the_rate_limit_is_refused(self):
        b, page = self.browser, "limited"
        ws = "wss://127.0.0.1:%d" % self.rig.wss_port
        b.open(page, self.rig.url("/shop/order.html"), routes=[
            {"pattern": "**/shop/api/config", "body": {"websocket_url": ws, "button": "limited"}}])
        b.wait_state(page, "idle")
        events = len(self.baresip.events)
        # "limited" admits one call a minute: the first rings, the visitor gives up...
        b.click(page, LAUNCH)
        b.wait_state(page, "ringing")
        self.baresip.wait_event("CALL_INCOMING", timeout=15, after=events)
        b.click(page, HANGUP)
        widget = b.wait_state(page, "ended")
        self.assertEqual(widget["reason"], "completed")
        self.baresip.wait_event("CALL_CLOSED", timeout=10, after=events)
        # ... and calls again at once: refused.
        invites = self.baresip.invite_count()
        b.click(page, AGAIN)
        self.assert_refused(page, "too-many-calls", "13-refused-rate-limit")
        self.assert_nothing_reached_baresip(invites)
        self.assertIn("reason=Too many calls", self.rig.gateway.read_log())
        b.close_page(page)

    def test_07_outside_opening_hours_the_button_is_closed(self):
        b, page = self.browser, "shut"
        invites = self.baresip.invite_count()
        ws = "wss://127.0.0.1:%d" % self.rig.wss_port
        b.open(page, self.rig.url("/shop/order.html"), routes=[
            {"pattern": "**/shop/api/config", "body": {"websocket_url": ws, "button": "shut"}}])
        widget = b.wait_state(page, "closed")
        self.assertTrue(widget["launchDisabled"])
        self.assertEqual(widget["status"], CLOSED_MESSAGE)
        self.check_look("14-closed", page, [CLOSED_MESSAGE, LABEL], min_share=0.15)
        widget = b.click(page, LAUNCH, force=True)
        self.assertEqual(widget["state"], "closed")
        b.focus(page, LAUNCH)
        widget = b.press(page, "Enter")
        self.assertEqual(widget["state"], "closed")
        self.assert_nothing_reached_baresip(invites)
        b.close_page(page)

    def test_08_denied_microphone(self):
        b, page = self.browser, "deaf"
        invites = self.baresip.invite_count()
        b.deny()
        try:
            b.open(page, self.rig.url("/shop/order.html"))
            b.wait_state(page, "idle")
            b.click(page, LAUNCH)
            self.assert_refused(page, "denied-microphone", "15-denied-microphone")
            self.assert_nothing_reached_baresip(invites)
            b.close_page(page)
        finally:
            b.grant([self.rig.origin, self.rig.url("", host="localhost")])

    def test_09_a_call_in_one_tab_disables_the_button_in_the_other(self):
        b = self.browser
        b.open("tab-a", self.rig.url("/shop/order.html"))
        b.open("tab-b", self.rig.url("/shop/"))
        b.wait_state("tab-a", "idle")
        widget = b.wait_state("tab-b", "idle")
        self.assertFalse(widget["launchDisabled"])
        events = len(self.baresip.events)
        b.click("tab-a", LAUNCH)
        b.wait_state("tab-a", "ringing")
        widget = b.wait_text("tab-b", "You are in a call in another tab")
        self.assertEqual(widget["state"], "idle")
        self.assertTrue(widget["launchDisabled"])
        self.answer(events)
        b.wait_state("tab-a", "in-call")
        self.check_look("16-other-tab", "tab-b", ["You are in a call in another tab", LABEL])
        # The disabled button in B calls nobody.
        invites = self.baresip.invite_count()
        widget = b.click("tab-b", LAUNCH, force=True)
        self.assertEqual(widget["state"], "idle")
        b.focus("tab-b", LAUNCH)
        widget = b.press("tab-b", "Enter")
        self.assertEqual(widget["state"], "idle")
        self.assert_nothing_reached_baresip(invites)
        b.click("tab-a", HANGUP)
        b.wait_state("tab-a", "ended")
        self.baresip.wait_event("CALL_CLOSED", timeout=10, after=events)
        # B is itself again, without a reload.
        deadline = time.time() + 5
        while True:
            widget = b.widget("tab-b")
            if not widget["launchDisabled"] or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertFalse(widget["launchDisabled"], widget)
        self.assertNotIn("another tab", widget["text"])
        b.close_page("tab-a")
        b.close_page("tab-b")

    def test_10_the_look_check_fails_on_another_look(self):
        b, page = self.browser, "other-look"
        other = "#b00020"
        b.open(page, self.rig.url("/shop/order.html"), routes=[
            {"pattern": "**/callme/v1/buttons/demo",
             "body": {"name": "demo", "label": "Ring another shop", "colour": other,
                      "language": "en", "video": False, "open": True, "closed_message": ""}}])
        widget = b.wait_state(page, "idle")
        path = os.path.join(self.screens, "20-idle-other-look.png")
        widget = b.screenshot(page, path)
        # The same check as for every state above: this widget is not ours.
        with self.assertRaises(AssertionError):
            self.assert_look(path, widget, [LABEL], GREEN, 0.30)
        with self.assertRaises(AssertionError):
            self.assert_look(path, widget, [LABEL], other, 0.30)
        self.assert_look(path, widget, ["Ring another shop"], other, 0.30)
        b.close_page(page)

    def test_10b_a_video_button_answered_without_video_stays_a_voice_call(self):
        b, page = self.browser, "video"
        ws = "wss://127.0.0.1:%d" % self.rig.wss_port
        b.open(page, self.rig.url("/shop/order.html"), routes=[
            {"pattern": "**/shop/api/config", "body": {"websocket_url": ws, "button": "video"}}])
        b.wait_state(page, "idle")
        events = len(self.baresip.events)
        b.click(page, LAUNCH)
        # The button says video: the widget calls with the camera on ...
        widget = b.wait_state(page, "ringing")
        self.assertEqual(widget["cameraLive"], 1, widget)
        self.answer(events)
        widget = b.wait_state(page, "in-call")
        # ... the gateway answers video with port 0: the camera goes off, no
        # camera button, no error, a voice call.
        self.assertEqual(widget["cameraLive"], 0, widget)
        self.assertFalse(widget["cameraVisible"], widget)
        self.assertIn("In call", widget["text"])
        b.click(page, HANGUP)
        self.assertEqual(b.wait_state(page, "ended")["reason"], "completed")
        self.baresip.wait_event("CALL_CLOSED", timeout=10, after=events)
        b.close_page(page)

    def test_11_a_call_whose_socket_drops_ends_as_network_lost(self):
        b, page = self.browser, "dropped"
        b.open(page, self.rig.url("/shop/order.html"))
        b.wait_state(page, "idle")
        events = len(self.baresip.events)
        b.click(page, LAUNCH)
        self.answer(events)
        b.wait_state(page, "in-call")
        # The gateway dies: the WebSocket closes under an answered call, with
        # no SIP transaction in flight to notice it.
        gateway = self.rig.gateway
        gateway.proc.send_signal(signal.SIGKILL)
        gateway.proc.wait(timeout=10)
        widget = b.wait_state(page, "ended", timeout=10)
        self.assertEqual(widget["reason"], "network", widget)
        self.check_look("17-network-lost", page, [MESSAGES["network"], "Call again"])
        # The rig stays whole for whatever runs after.
        gateway.start()
        b.close_page(page)


class PngReader(unittest.TestCase):
    """The reader on pictures whose every pixel is known."""

    def picture(self, x, y):
        return ((x * 7 + y * 3) & 0xFF, (x * y) & 0xFF, (255 - x * 5) & 0xFF, (x + y) & 0xFF)

    def test_every_filter_round_trips(self):
        for channels in (3, 4):
            for filters in ((0,), (1,), (2,), (3,), (4,), (0, 1, 2, 3, 4)):
                image = png_check.decode(png_check.encode(23, 11, self.picture, channels,
                                                          filters))
                self.assertEqual((image.width, image.height), (23, 11))
                for y in range(11):
                    for x in range(23):
                        self.assertEqual(image.pixel(x, y), self.picture(x, y)[:3],
                                         (channels, filters, x, y))

    def test_colour_share(self):
        def half_green(x, y):
            return png_check.parse_colour(GREEN) if x < 10 else (255, 255, 255)

        image = png_check.decode(png_check.encode(40, 10, half_green))
        self.assertEqual(png_check.colour_share(image, png_check.parse_colour(GREEN)),
                         (100, 0.25))
        self.assertEqual(png_check.colour_share(image, (0, 0, 255))[0], 0)

    def test_damage_is_detected(self):
        data = bytearray(png_check.encode(4, 4, self.picture))
        data[40] ^= 0xFF
        with self.assertRaises(ValueError):
            png_check.decode(bytes(data))
        with self.assertRaises(ValueError):
            png_check.decode(b"GIF89a" + bytes(20))


if __name__ == "__main__":
    unittest.main(verbosity=2)
