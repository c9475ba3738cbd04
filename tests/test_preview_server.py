"""`preview` as a server: what it serves, what it refuses, how it follows saves and stops.

The command runs as a user runs it (a subprocess printing its URL, stopped with Ctrl-C);
the page's state is read from `/state.json` as the page's script reads it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT
from .previewing import HELP_DESK, Running, save_until, start


def started(folder: Path) -> Iterator[Running]:
    source = folder / "process.yaml"
    shutil.copy(HELP_DESK, source)
    preview = start(source)
    yield preview
    if preview.proc.poll() is None:
        preview.proc.kill()
        preview.proc.communicate()


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    """A preview of its own, for a test that edits the file or stops it."""
    yield from started(tmp_path)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """One preview for the tests that only ask it things."""
    yield from started(tmp_path_factory.mktemp("shared"))


# -- what it serves ------------------------------------------------------------------------


def test_the_page_its_files_and_its_state(shared: Running) -> None:
    status, headers, page = shared.get("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert b'<script src="/preview.js"' in page and b'href="/preview.css"' in page
    for path, kind in (("/preview.js", "text/javascript"), ("/preview.css", "text/css")):
        status, headers, body = shared.get(path)
        assert status == 200 and headers["Content-Type"].startswith(kind) and body
    state = shared.state()
    assert state["status"] == {"kind": "ok", "text": "valid"}
    for group in ('id="lane-tier1"', 'id="lane-customer"', 'id="step-log"', 'id="step-report"'):
        assert group in state["chart"]
    assert state["steps"]["log"]["at"].endswith("process.yaml:59:5")
    assert "Level 1" in state["matrix"] and "it-help-desk-3-tier" in state["facts"]


# Requests for anything else: the definition itself, the package's files, traversal in
# every spelling, the state's path with more on it.
OTHER_PATHS = [
    "/process.yaml",
    "/etc/passwd",
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "//etc/passwd",
    "/preview/page.html",
    "/templates/preview/preview.js",
    "/report/style.css",
    "/state.json/",
    "/preview.js/..",
    "/index.html",
    "/favicon.ico",
]


@pytest.mark.parametrize("path", OTHER_PATHS)
def test_any_other_path_is_404(shared: Running, path: str) -> None:
    status, _, body = shared.get(path)
    assert status == 404, path
    assert b"root:" not in body and b"process:" not in body


def raw_request(port: int, line: str, host: str) -> bytes:
    """An HTTP request written by hand: a client need not send a well-formed path."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"{line}\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    "target", ["../../etc/passwd", "process.yaml", "http://127.0.0.1/../etc/passwd", "*"]
)
def test_malformed_targets_are_404_too(shared: Running, target: str) -> None:
    answer = raw_request(shared.port, f"GET {target} HTTP/1.1", f"127.0.0.1:{shared.port}")
    assert answer.startswith(b"HTTP/1.1 404"), answer[:200]


def test_only_its_own_host_name_is_answered(shared: Running) -> None:
    """A DNS name pointed at 127.0.0.1 (rebinding) does not get the page or the state."""
    for path in ("/", "/state.json"):
        status, _, body = shared.get(path, {"Host": f"attacker.example:{shared.port}"})
        assert status == 403 and b"process" not in body
    assert shared.get("/", {"Host": f"localhost:{shared.port}"})[0] == 200


def other_addresses() -> list[str]:
    """This machine's addresses besides 127.0.0.1: another loopback one and its own."""
    found = {"127.0.0.2"}
    with contextlib.suppress(OSError):
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    return sorted(a for a in found if a != "127.0.0.1" and ":" not in a)


def test_it_is_not_reachable_on_another_address(shared: Running) -> None:
    assert shared.get("/")[0] == 200  # it is up
    for address in other_addresses():
        with pytest.raises(OSError), socket.create_connection((address, shared.port), timeout=3):
            pass


def test_it_binds_the_loopback_address_only(shared: Running) -> None:
    """Read from the kernel's socket table: the listening socket is 127.0.0.1, not 0.0.0.0."""
    table = Path("/proc/net/tcp")
    if not table.exists():
        pytest.skip("no /proc/net/tcp on this system")
    listening = [
        line.split()[1]
        for line in table.read_text().splitlines()[1:]
        if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == shared.port
    ]
    assert listening == ["0100007F:" + f"{shared.port:04X}"]


# -- following saves -----------------------------------------------------------------------


def test_a_save_is_in_the_state_and_announced(running: Running) -> None:
    with urllib.request.urlopen(running.url + "events", timeout=10) as events:
        assert events.headers["Content-Type"].startswith("text/event-stream")
        assert events.readline() == b"event: save\n" and events.readline() == b"data: 1\n"
        text = running.source.read_text("utf-8").replace("Log ticket and set severity", "Log it")
        assert save_until(running.source, text, lambda: "Log it" in running.state()["chart"])
        events.readline()
        assert events.readline() == b"event: save\n"
        assert int(events.readline().split(b": ")[1]) >= 2


def test_a_broken_save_keeps_the_last_good_chart(running: Running) -> None:
    good = running.source.read_text("utf-8")
    broken = good.replace("label: Log ticket and set severity", "label: [unclosed", 1)
    assert broken != good
    assert save_until(running.source, broken, lambda: "line 59" in running.state()["findings"])
    state = running.state()
    assert state["status"]["kind"] == "error"
    assert "Log ticket and set severity" in state["chart"], "the last good chart is gone"
    assert "syntax" in state["findings"] and "line 59" in state["findings"]
    assert "last good chart" in state["banner"]
    fixed = good.replace("Log ticket and set severity", "Log the ticket")
    assert save_until(running.source, fixed, lambda: "Log the ticket" in running.state()["chart"])
    state = running.state()
    assert "Log the ticket" in state["chart"] and state["status"]["kind"] == "ok"
    assert running.proc.poll() is None


def test_a_deleted_file_is_reported_and_its_return_redrawn(running: Running) -> None:
    good = running.source.read_text("utf-8")
    running.source.unlink()
    time.sleep(0.5)  # a deletion is not a save; the page keeps what it had
    assert running.state()["status"]["kind"] == "ok"
    assert save_until(
        running.source,
        good.replace("Log ticket", "Log a ticket"),
        lambda: "Log a ticket" in running.state()["chart"],
    )


def test_the_severity_parameter_draws_that_severity(shared: Running) -> None:
    every = shared.state("?severity=")
    p4 = shared.state("?severity=P4")
    assert every["severity"] is None and p4["severity"] == "P4"
    assert p4["chart"] != every["chart"] and "drawn for severity P4" in p4["chart"]
    assert shared.state("?severity=nope")["severity"] is None  # unknown: every severity


# -- stopping and refusing -----------------------------------------------------------------


def test_ctrl_c_stops_it_with_exit_0_even_with_a_page_open(running: Running) -> None:
    with urllib.request.urlopen(running.url + "events", timeout=10) as events:
        events.readline()
        code, out, err = running.stop()
    assert code == 0, err
    assert "Traceback" not in out + err
    assert "preview stopped" in err
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", running.port), timeout=3):
        pass


def test_without_a_display_it_prints_the_url_instead_of_opening() -> None:
    """--open (the default) never hands the terminal to a text browser."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "escalation_charts", "preview", str(HELP_DESK)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    url = proc.stdout.readline().split()[1]
    said = ""
    while "watching" not in said:
        said += proc.stderr.readline()
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert f"open {url} in yours" in said + rest


def run_preview(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "escalation_charts", "preview", "--no-open", *args],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
    )


def test_a_port_in_use_is_one_line_and_exit_2(shared: Running) -> None:
    done = run_preview(str(shared.source), "--port", str(shared.port))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("escalation-charts: error: cannot serve")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["missing.yaml"], "missing.yaml: no such file"),
        (["examples"], "is a directory"),
        (["-"], "not standard input"),
        ([str(HELP_DESK), "--severity", "P9"], "unknown severity 'P9'"),
    ],
    ids=["missing", "directory", "stdin", "severity"],
)
def test_bad_arguments_are_one_line_and_exit_2(args: list[str], said: str) -> None:
    done = run_preview(*args)
    assert done.returncode == 2, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr


def test_quiet_prints_the_url_and_only_the_saves_with_findings(tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    shutil.copyfile(HELP_DESK, source)
    preview = start(source, "--quiet")
    try:
        good = source.read_text("utf-8")
        clean = good.replace("Log ticket and set severity", "Log it")
        assert save_until(source, clean, lambda: "Log it" in preview.state()["chart"])
        broken = clean.replace("label: Log it", "label: [unclosed", 1)
        assert save_until(source, broken, lambda: "line 59" in preview.state()["findings"])
    finally:
        code, _out, err = preview.stop()
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == 1 and "cannot be read (1 error" in lines[0], err
    assert "chart redrawn" not in err and "preview stopped" not in err
