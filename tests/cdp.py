"""A small Chrome DevTools Protocol client for tests: Debian's chromium, headless,
driven over --remote-debugging-pipe (no port, no websocket library: Python's standard
library only), with every outside connection refused.

    with Browser("/usr/bin/chromium") as browser:
        page = browser.new_page(1366, 900)
        page.navigate("file:///tmp/x.html")
        page.eval("document.title")
"""
import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

# What works for Debian's chromium as root, without a display or network, plus a resolver that resolves nothing, so a
# page that tried to fetch anything from the network could not.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
]


class CdpError(Exception):
    pass


class Browser:
    def __init__(self, executable, timeout=60):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="digestx_chromium_")
        # Chromium reads commands on fd 3 and writes replies on fd 4, NUL-terminated JSON.
        cmd_read, self._cmd = os.pipe()
        self._reply, reply_write = os.pipe()
        args = FLAGS + ["--user-data-dir=" + self.profile, "--remote-debugging-pipe", "about:blank"]
        self.process = subprocess.Popen(
            ["sh", "-c", 'exec "$0" "$@" 3<&%d 4>&%d' % (cmd_read, reply_write), executable] + args,
            pass_fds=(cmd_read, reply_write), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(cmd_read)
        os.close(reply_write)
        self._buffer = b""
        self._next_id = 0
        self.events = []  # every event received, in order: (sessionId, method, params)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CdpError("chromium did not answer in time")
            ready, _, _ = select.select([self._reply], [], [], left)
            if ready:
                chunk = os.read(self._reply, 1 << 20)
                if not chunk:
                    raise CdpError("chromium closed the pipe (exit status %s)" % self.process.poll())
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def call(self, method, params=None, session=None):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._cmd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CdpError("%s: %s" % (method, reply["error"].get("message")))
                return reply.get("result", {})
            if "method" in reply:
                self.events.append((reply.get("sessionId"), reply["method"], reply.get("params", {})))

    def wait_for(self, method, session, timeout=None):
        """The first event `method` of `session` not yet consumed."""
        deadline = time.monotonic() + (timeout or self.timeout)
        seen = 0
        while True:
            for i in range(seen, len(self.events)):
                if self.events[i][0] == session and self.events[i][1] == method:
                    return self.events.pop(i)[2]
            seen = len(self.events)
            reply = self._read_message(deadline)
            if "method" in reply:
                self.events.append((reply.get("sessionId"), reply["method"], reply.get("params", {})))

    def new_page(self, width, height):
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Network", "Log"):
            page.call(domain + ".enable")
        page.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        return page

    def close(self):
        if self.process.poll() is None:
            try:
                self.call("Browser.close")
            except (CdpError, OSError):
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()  # the chromium this object started, by its own handle
                self.process.wait()
        for fd in (self._cmd, self._reply):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    def __init__(self, browser, session):
        self.browser = browser
        self.session = session

    def call(self, method, params=None):
        return self.browser.call(method, params, self.session)

    def events(self, method):
        return [p for s, m, p in self.browser.events if s == self.session and m == method]

    def navigate(self, url):
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CdpError("navigate %s: %s" % (url, result["errorText"]))
        self.browser.wait_for("Page.loadEventFired", self.session)

    def eval(self, expression):
        """The value of a JavaScript expression (JSON-serialisable), or CdpError if it throws."""
        result = self.call("Runtime.evaluate",
                           {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise CdpError("%s: %s" % (expression[:80], details.get("exception", {}).get("description", details)))
        return result["result"].get("value")

    def mouse_move(self, x, y):
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def screenshot(self, path, full_page=False):
        params = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = base64.b64decode(self.call("Page.captureScreenshot", params)["data"])
        with open(path, "wb") as fh:
            fh.write(data)
        return data
