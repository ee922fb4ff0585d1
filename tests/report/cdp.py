"""A tiny Chrome DevTools Protocol client over --remote-debugging-pipe (no websocket needed).

Headless Chromium will not make a window narrower than 500 px, so a phone width
(390 px) needs Emulation.setDeviceMetricsOverride. This opens a page at a given
width, collects console errors and uncaught exceptions, evaluates an
expression, and takes a full-page screenshot. Test-side code only.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--disable-component-update", "--disable-sync",
         "--disable-quic")  # fmt: skip


@dataclass
class PageVisit:
    """What one visit saw: console errors, the evaluated value, the screenshot bytes."""

    errors: list[str] = field(default_factory=list)
    value: Any = None
    screenshot: bytes = b""


class _Pipe:
    def __init__(self, process: subprocess.Popen[bytes], write_fd: int, read_fd: int) -> None:
        self.process, self.write_fd, self.read_fd = process, write_fd, read_fd
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None, timeout: float = 60.0) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)
        raise TimeoutError(method)

    def wait_event(self, method: str, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        while time.monotonic() < deadline:
            event = self._read()
            if event.get("method") == method:
                return event
            self.events.append(event)
        raise TimeoutError(method)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        data: dict[str, Any] = json.loads(raw)
        return data


def visit(url: str, width: int, height: int = 900, expression: str = "null",
          full_page: bool = True) -> PageVisit:
    """Open ``url`` at ``width`` CSS pixels; return errors, ``expression``'s value, a PNG."""
    assert CHROMIUM is not None, "chromium is not installed"
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()
    profile = tempfile.mkdtemp(prefix="pqc-chromium-")
    # Chromium reads commands on fd 3 and writes replies on fd 4.
    process = subprocess.Popen(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
         "about:blank"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        pass_fds=(3, 4),
        preexec_fn=lambda: (os.dup2(to_chrome_r, 3), os.dup2(from_chrome_w, 4)),
    )  # fmt: skip
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    pipe = _Pipe(process, to_chrome_w, from_chrome_r)
    seen = PageVisit()
    try:
        target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
        }, session=session)  # fmt: skip
        pipe.send("Page.navigate", {"url": url}, session=session)
        pipe.wait_event("Page.loadEventFired")
        evaluated = pipe.send("Runtime.evaluate", {"expression": expression,
                                                   "returnByValue": True}, session=session)
        seen.value = evaluated.get("result", {}).get("value")
        shot = pipe.send("Page.captureScreenshot", {"format": "png",
                                                    "captureBeyondViewport": full_page},
                         session=session)  # fmt: skip
        seen.screenshot = base64.b64decode(shot["data"])
        for event in pipe.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                seen.errors.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error",
                                                                                  "assert"):
                seen.errors.append(json.dumps(params.get("args", []))[:300])
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                seen.errors.append(str(params["entry"].get("text")))
    finally:
        with contextlib.suppress(OSError, EOFError, TimeoutError, RuntimeError):
            pipe.send("Browser.close", timeout=10)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(to_chrome_w)
        os.close(from_chrome_r)
        shutil.rmtree(profile, ignore_errors=True)
    return seen


# What the report test evaluates in the page: its width against the viewport, elements that
# stick out (outside a scrolling box), and the order of the sections.
LAYOUT_CHECK = """(() => {
  const vw = window.innerWidth, bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1) continue;
    if (el.closest('.scroll')) continue;
    bad.push(el.tagName + ':' + Math.round(r.right));
  }
  return {viewport: vw, pageWidth: document.documentElement.scrollWidth, overflow: bad.slice(0, 20),
          headings: [...document.querySelectorAll('h2')].map(h => h.textContent),
          firstText: document.querySelector('main').innerText.slice(0, 4000),
          rendered: document.body.getAttribute('data-rendered'),
          jsErrors: document.body.getAttribute('data-js-errors')};
})()"""
