"""Running `preview` as a user does, for the server and browser tests: a subprocess that
prints its URL, asked over HTTP, stopped with Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .conftest import EXAMPLES, ROOT

__all__ = ["HELP_DESK", "Running", "save", "save_until", "start", "wait_for"]

HELP_DESK = next(p for p in EXAMPLES if p.stem == "it-help-desk")
URL = re.compile(r"http://127\.0\.0\.1:(\d+)/")


@dataclass
class Running:
    """A preview subprocess, its page's URL and port, and the definition it watches."""

    proc: subprocess.Popen[str]
    url: str
    port: int
    source: Path

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(self.url.rstrip("/") + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            with error:  # an answer like any other: read it, then close its socket
                return error.code, dict(error.headers), error.read()

    def state(self, query: str = "") -> dict:
        status, _, body = self.get("/state.json" + query)
        assert status == 200
        return json.loads(body)

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, as a user stops it: the exit code and what it printed."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=20)
        return self.proc.returncode, out, err


def start(source: Path, *args: str) -> Running:
    """`preview SOURCE --no-open ARGS`, once it has printed its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "escalation_charts", "preview", str(source), "--no-open", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the URL line; blocks until the server is up
    match = URL.search(line)
    if match is None:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"no URL printed: {line!r} {out!r} {err!r}")
    return Running(proc, match.group(0), int(match.group(1)), source)


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def save(path: Path, text: str) -> None:
    """Save as most editors do: a new file renamed over the old one, so the preview never
    reads a half-written file (that it recovers from one is the watcher's business)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def save_until(path: Path, text: str, condition: Callable[[], bool]) -> bool:
    """Save until `condition` holds: a save before the watcher is up is made again."""
    for _ in range(4):
        save(path, text)
        if wait_for(condition, 3.0):
            return True
    return False
