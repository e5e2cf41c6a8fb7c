"""Headless Chromium driven over the DevTools protocol on a pipe (no WebSocket, no extra package).

`chromium --remote-debugging-pipe` reads protocol messages from file descriptor 3 and writes its
answers and events to 4, each a JSON text ended by a NUL byte.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# A bound on any wait, so that a broken browser fails the test instead of hanging it.
WAIT_SECONDS = 30.0


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) on PATH, CHROMIUM overriding; None when there is none."""
    named = os.environ.get("CHROMIUM")
    if named:
        return shutil.which(named) or (named if os.path.exists(named) else None)
    return next((path for path in map(shutil.which, CANDIDATES) if path), None)


class BrowserError(RuntimeError):
    """The browser answered a command with an error, or went away."""


class Chromium:
    """One headless browser with one page; use as a context manager."""

    def __init__(self, executable: str, width: int = 1280, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="lmna-chromium-")
        commands_read, self._commands = os.pipe()
        self._events, events_write = os.pipe()
        # Moved above 9 first, so that placing them on 3 and 4 in the child cannot clobber them.
        child_read = fcntl.fcntl(commands_read, fcntl.F_DUPFD, 10)
        child_write = fcntl.fcntl(events_write, fcntl.F_DUPFD, 10)
        os.close(commands_read)
        os.close(events_write)

        def on_fds_3_and_4():
            os.dup2(child_read, 3)
            os.dup2(child_write, 4)

        arguments = [executable, "--headless", "--remote-debugging-pipe", "--disable-gpu",
                     "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                     "--hide-scrollbars", f"--window-size={width},{height}",
                     f"--user-data-dir={self.profile}", "about:blank"]
        if os.geteuid() == 0:
            arguments.insert(1, "--no-sandbox")  # Chromium refuses to run as root with it
        self.process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        preexec_fn=on_fds_3_and_4, close_fds=False)
        os.close(child_read)
        os.close(child_write)
        self._buffer = b""
        self._next_id = 0
        self._pending_events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the browser (the one this object started) and remove its profile."""
        try:
            self.call("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._commands, self._events):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    # ---- the protocol ---------------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise BrowserError("no answer from the browser in time")
            chunk = os.read(self._events, 1 << 16)
            if not chunk:
                raise BrowserError("the browser closed its pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: bool = False, **params) -> dict:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._pending_events.append(answer)

    def wait_for(self, event: str) -> dict:
        """The next event of this name (one already received counts)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            for i, message in enumerate(self._pending_events):
                if message.get("method") == event:
                    return self._pending_events.pop(i)
            self._pending_events.append(self._read_message(deadline))

    # ---- what tests do --------------------------------------------------------------------

    def navigate(self, url: str) -> None:
        """Open `url` and wait until it has loaded."""
        self._pending_events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (the test's, not the page's script)."""
        result = self.call("Runtime.evaluate", session=True, expression=expression,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def submit(self, button_selector: str) -> None:
        """Click a submit button and wait for the page the form leads to."""
        self._pending_events.clear()
        self.evaluate(f"document.querySelector({json.dumps(button_selector)}).click()")
        self.wait_for("Page.loadEventFired")

    def screenshot(self, full_page: bool = True) -> bytes:
        """A PNG of the page (the whole page when full_page)."""
        params = {"format": "png"}
        if full_page:
            metrics = self.call("Page.getLayoutMetrics", session=True)
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                              "scale": 1}
            params["captureBeyondViewport"] = True
        return base64.b64decode(self.call("Page.captureScreenshot", session=True,
                                          **params)["data"])
