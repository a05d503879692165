"""Headless Chromium showing real pages with the Call Me widget, driven
through driver.js beside this file. It reuses the browser rig's process
handling (tests/integration/browser/browser_peer.py): commands and events as
JSON lines, and every Chromium process stopped by PID when the test's
processes are stopped, pass or fail."""

import os
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "browser"))
from browser_peer import CHROMIUM, BrowserPeer, missing_prerequisites  # noqa: E402

DRIVER = os.path.join(HERE, "driver.js")


class WidgetBrowser(BrowserPeer):
    """Tabs in one browser context; each command names its tab."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.pages = set()

    def start(self, fake_audio_wav, timeout=45):
        missing = missing_prerequisites()
        if missing:
            raise RuntimeError("browser cannot run, missing: " + "; ".join(missing))
        args = ["node", DRIVER, "--audio", os.path.abspath(fake_audio_wav), "--profile",
                self.profile, "--chromium", CHROMIUM]
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log_file, start_new_session=True)
        self.reader = threading.Thread(target=self._read, name="widget-browser", daemon=True)
        self.reader.start()
        try:
            self.ready = self.wait_event("ready", timeout=timeout)
        except AssertionError:
            self.close()
            raise
        self.browser_pid = self.ready.get("browserPid") or 0
        return self

    # Each returns the widget's DOM as a dict (driver.js snapshot()).

    def open(self, page, url, routes=(), timeout=20):
        self.pages.add(page)
        return self.command("open", timeout=timeout, page=page, url=url,
                            routes=list(routes))["widget"]

    def close_page(self, page):
        self.pages.discard(page)
        self.command("close", page=page)

    def close_pages(self):
        """Closes every tab still open (a failed test's), ignoring errors."""
        for page in list(self.pages):
            try:
                self.close_page(page)
            except (AssertionError, RuntimeError):
                pass

    def route(self, page, pattern, body, status=200):
        self.command("route", page=page, pattern=pattern, body=body, status=status)

    def grant(self, origins):
        self.command("grant", origins=list(origins))

    def deny(self):
        self.command("deny")

    def widget(self, page):
        return self.command("widget", page=page)["widget"]

    def wait_state(self, page, *states, timeout=20):
        try:
            return self.command("waitState", timeout=timeout, page=page,
                                states=list(states))["widget"]
        except RuntimeError as e:
            raise AssertionError("%s: widget never in %s; now %s\n%s" % (
                page, states, self.widget(page), e))

    def wait_text(self, page, text, timeout=10):
        try:
            return self.command("waitText", timeout=timeout, page=page, text=text)["widget"]
        except RuntimeError as e:
            raise AssertionError("%s: widget never showed %r; now %s\n%s" % (
                page, text, self.widget(page), e))

    def click(self, page, selector, force=False):
        return self.command("click", page=page, selector=selector, force=force)["widget"]

    def focus(self, page, selector):
        return self.command("focus", page=page, selector=selector)["widget"]

    def press(self, page, key):
        return self.command("press", page=page, key=key)["widget"]

    def screenshot(self, page, path, page_path=None, selector=".cm-root"):
        args = dict(page=page, path=path, selector=selector)
        if page_path:
            args["pagePath"] = page_path
        return self.command("screenshot", timeout=20, **args)["widget"]
