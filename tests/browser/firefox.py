"""A small WebDriver BiDi client for Debian's Firefox ESR: load a page, size it, run a script.

Playwright cannot drive a stock Firefox and its own Firefox build cannot be downloaded here,
but Firefox speaks WebDriver BiDi itself: started with ``--remote-debugging-port`` it takes
commands as JSON over one websocket (https://w3c.github.io/webdriver-bidi/). The few used
here are ``session.new``, ``browsingContext.getTree``, ``.setViewport``, ``.navigate`` and
``script.callFunction``. ``Firefox.evaluate`` takes the same function strings as
Playwright's ``page.evaluate``, so the checks in ``checks.py`` run unchanged in both engines.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any

from websockets.sync.client import ClientConnection, connect

#: How long Firefox may take to start listening, and a command to answer, in seconds.
START_TIMEOUT = 60
COMMAND_TIMEOUT = 60

#: Preferences for a quiet, offline, automation-friendly profile (user.js).
PREFS = {
    "app.update.auto": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "extensions.update.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "ui.prefersReducedMotion": 1,
}

_LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")


class BiDiError(RuntimeError):
    """Firefox answered a command with an error, or a script threw."""


def find_firefox() -> Path | None:
    """Firefox ESR (``CANDIDATE_CARDS_FIREFOX``, else ``firefox-esr`` or ``firefox`` on PATH)."""
    configured = os.environ.get("CANDIDATE_CARDS_FIREFOX")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    for name in ("firefox-esr", "firefox"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


class Firefox:
    """A headless Firefox with one tab, driven over WebDriver BiDi; a context manager."""

    def __init__(self, executable: Path) -> None:
        self._executable = executable
        self._ids = itertools.count(1)
        self._folder = Path(tempfile.mkdtemp(prefix="candidate-cards-firefox-"))
        self._process: subprocess.Popen[bytes] | None = None
        self._socket: ClientConnection | None = None
        self._closing = ExitStack()
        self._context = ""

    def __enter__(self) -> Firefox:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _start(self) -> None:
        profile = self._folder / "profile"
        profile.mkdir()
        (profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in PREFS.items())
        )
        log = self._folder / "firefox.log"
        with log.open("wb") as sink:
            self._process = subprocess.Popen(
                [
                    str(self._executable),
                    "--headless",
                    "--no-remote",
                    "--profile",
                    str(profile),
                    "--remote-debugging-port=0",
                    "about:blank",
                ],
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=sink,
            )
        url = self._wait_for_url(log)
        # No keepalive pings: Firefox is on loopback, and websockets draws each ping's
        # payload from the global random module in its own thread, which Hypothesis, in
        # any test running meanwhile, sees as a strategy using random.
        self._socket = self._closing.enter_context(
            connect(f"{url}/session", max_size=None, open_timeout=START_TIMEOUT, ping_interval=None)
        )
        self.command("session.new", {"capabilities": {}})
        tree = self.command("browsingContext.getTree", {})
        self._context = tree["contexts"][0]["context"]

    def _wait_for_url(self, log: Path) -> str:
        """The websocket address Firefox prints once it listens."""
        deadline = time.monotonic() + START_TIMEOUT
        assert self._process is not None
        while time.monotonic() < deadline:
            found = _LISTENING.search(log.read_text(errors="replace"))
            if found:
                return found.group(1)
            if self._process.poll() is not None:
                break
            time.sleep(0.1)
        raise BiDiError(f"Firefox did not start listening: {log.read_text(errors='replace')}")

    def close(self) -> None:
        """End the session, stop Firefox and remove its profile."""
        self._closing.close()
        self._socket = None
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        shutil.rmtree(self._folder, ignore_errors=True)

    def command(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Send one command and return its result; events in between are skipped."""
        if self._socket is None:
            raise BiDiError("Firefox is not running")
        ident = next(self._ids)
        self._socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while True:
            message = json.loads(self._socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") != ident:
                continue
            if message.get("type") == "error":
                raise BiDiError(f"{method}: {message['error']}: {message.get('message', '')}")
            return message["result"]

    def set_viewport_size(self, size: dict[str, int]) -> None:
        """Lay pages out ``size["width"]`` by ``size["height"]`` CSS pixels (as Playwright)."""
        self.command(
            "browsingContext.setViewport",
            {"context": self._context, "viewport": size, "devicePixelRatio": 1},
        )

    def set_content(self, html: str) -> None:
        """Show ``html`` as a page, loaded from a file, once it has finished loading."""
        page = self._folder / "page.html"
        page.write_text(html, encoding="utf-8")
        self.command(
            "browsingContext.navigate",
            {"context": self._context, "url": page.as_uri(), "wait": "complete"},
        )

    def evaluate(self, function: str, arg: Any = None) -> Any:
        """Call the JavaScript ``function`` in the page with ``arg``; its result as Python."""
        result = self.command(
            "script.callFunction",
            {
                "functionDeclaration": function,
                "target": {"context": self._context},
                "arguments": [] if arg is None else [to_local_value(arg)],
                "awaitPromise": True,
                "resultOwnership": "none",
            },
        )
        if result["type"] == "exception":
            raise BiDiError(result["exceptionDetails"]["text"])
        return from_remote_value(result["result"])


def to_local_value(value: Any) -> dict[str, Any]:
    """A Python value as a BiDi ``LocalValue``."""
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean", "value": value}
    if isinstance(value, int | float):
        return {"type": "number", "value": value}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    if isinstance(value, list | tuple):
        return {"type": "array", "value": [to_local_value(item) for item in value]}
    if isinstance(value, dict):
        return {
            "type": "object",
            "value": [[str(key), to_local_value(item)] for key, item in value.items()],
        }
    raise TypeError(f"cannot pass {type(value).__name__} to the page")


_SPECIAL_NUMBERS = {"NaN": math.nan, "-0": -0.0, "Infinity": math.inf, "-Infinity": -math.inf}


def from_remote_value(value: dict[str, Any]) -> Any:
    """A BiDi ``RemoteValue`` as Python: arrays as lists, objects as dicts."""
    kind = value["type"]
    if kind in ("undefined", "null"):
        return None
    if kind == "number":
        number = value["value"]
        return _SPECIAL_NUMBERS[number] if isinstance(number, str) else number
    if kind in ("string", "boolean"):
        return value["value"]
    if kind in ("array", "set"):
        return [from_remote_value(item) for item in value.get("value", [])]
    if kind in ("object", "map"):
        return {
            key if isinstance(key, str) else from_remote_value(key): from_remote_value(item)
            for key, item in value.get("value", [])
        }
    return value
