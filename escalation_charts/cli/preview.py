"""`escalation-charts preview`: a local page that redraws chart, findings and matrix on save.

`Preview` keeps what the page shows: the latest save (findings, matrix, facts) and the
latest good save, whose chart stays on the page, dimmed, while the file has errors. The
command serves it (`_serve.PageServer`, 127.0.0.1 only) and rereads the file on every save
(`_watch.watch`); the page listens to the server's events and fetches the new state.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import click

from escalation_charts.cli import _signals
from escalation_charts.cli._common import (
    STDIN,
    fail_usage,
    known_severity,
    say,
    set_quiet,
    today,
)
from escalation_charts.cli._inputs import complete_severities
from escalation_charts.cli._serve import Events, PageServer, Reply, Route
from escalation_charts.findings import Finding
from escalation_charts.render.preview_page import (
    ASSETS,
    CSP,
    Save,
    asset,
    page_html,
    preview_state,
)

__all__ = ["Preview", "command", "routes"]

_JSON = "application/json; charset=utf-8"
_HTML = "text/html; charset=utf-8"
_ALL = ""  # the severity parameter for "all severities"


class Preview:
    """The live state of one definition file: reread with `update`, shown with `state`.

    The watch thread updates it and HTTP threads read it; one lock guards the saves and
    the chart cache, and one more serialises drawing (Graphviz is not thread-safe).
    """

    def __init__(self, path: str, *, direction: str = "LR", severity: str | None = None) -> None:
        self.path = path
        self.direction = direction
        self.severity = severity  # the chart drawn for a page that has not chosen one
        self.events = Events()
        self.current: Save | None = None
        self.good: Save | None = None
        self._lock = threading.Lock()
        self._drawing = threading.Lock()
        self._charts: dict[tuple[int, str | None], tuple[bytes | None, str]] = {}
        self._wanted: set[str | None] = {severity}  # severities pages asked for: drawn eagerly
        self._states: dict[tuple[int, str | None, int], dict[str, object]] = {}  # this save

    def update(self) -> Save:
        """Reread the file, draw the charts pages show when it is good, then tell them."""
        version = self.current.version + 1 if self.current else 1
        save = _read(self.path, version)
        if save.good:
            with self._lock:
                wanted = sorted(self._wanted, key=str)
            for severity in wanted:
                self._chart(save, severity)  # before the event: the page's fetch finds it
        with self._lock:
            self.current = save
            if save.good:
                self.good = save
            keep = {version, self.good.version if self.good else 0}  # drawn: good, or forced
            self._charts = {k: v for k, v in self._charts.items() if k[0] in keep}
            self._states = {}
        self.events.publish(version)
        return save

    def state(self, query: Mapping[str, list[str]]) -> dict[str, object]:
        """The page's state for the severity in `query` (absent: the command's). With
        `draw=all` a save with errors is drawn anyway (as `render --force` would), so the
        steps its findings name can be seen; otherwise the last good save's chart stays."""
        with self._lock:
            current, good = self.current, self.good
        assert current is not None  # update() runs before the server starts
        forced = query.get("draw", [""])[0] == "all" and current.definition is not None
        shown = current if forced and not current.good else good
        severity = self._severity(query, shown)
        key = (current.version, severity, shown.version if shown else 0)
        with self._lock:
            known = self._states.get(key)
        if known is not None:
            return known
        svg, note = (None, "") if shown is None else self._chart(shown, severity)
        state = preview_state(current, shown, svg, severity=severity, chart_note=note)
        with self._lock:
            if self.current is current:  # not a save behind
                self._states[key] = state
        return state

    def _severity(self, query: Mapping[str, list[str]], good: Save | None) -> str | None:
        asked = query.get("severity", [self.severity or _ALL])[0] or None
        known = good.definition.severities_by_id if good and good.definition else {}
        severity = asked if asked in known else None
        with self._lock:
            self._wanted.add(severity)
        return severity

    def _chart(self, save: Save, severity: str | None) -> tuple[bytes | None, str]:
        """The chart's SVG for a good save and a severity (drawn once), or None and why."""
        key = (save.version, severity)
        with self._drawing:
            with self._lock:
                if key in self._charts:
                    return self._charts[key]
            drawn = _draw(save, severity, self.direction)
            with self._lock:
                self._charts[key] = drawn
            return drawn


def _read(path: str, version: int) -> Save:
    """One save read and validated; never raises (the preview outlives any input)."""
    from escalation_charts.cli._config import ConfigError, selection_for
    from escalation_charts.reading.loader import load
    from escalation_charts.validate import validate

    stamp = time.strftime("%H:%M:%S")
    try:
        loaded = load(path)
        findings: Sequence[Finding] = loaded.findings
        if loaded.definition is not None:
            # the project's rule choices, as validate applies them (cli._config)
            findings = selection_for(path).apply(validate(loaded.definition, today=today()))
    except ConfigError as exc:
        return Save(version, path, stamp, None, (), str(exc))
    except FileNotFoundError:
        return Save(version, path, stamp, None, (), "the file is gone (moved or deleted)")
    except OSError as exc:
        return Save(version, path, stamp, None, (), f"cannot read the file: {exc.strerror or exc}")
    except Exception as exc:  # a bug: say it on the page and the terminal, keep serving
        return Save(version, path, stamp, None, (), f"internal error: {type(exc).__name__}")
    ordered = tuple(sorted(findings, key=Finding.sort_key))
    return Save(version, path, stamp, loaded.definition, ordered)


def _draw(save: Save, severity: str | None, direction: str) -> tuple[bytes | None, str]:
    from escalation_charts.render.chart import render_chart

    assert save.definition is not None
    try:
        svg = render_chart(save.definition, "svg", direction=direction, severity=severity)
    except Exception as exc:  # Graphviz broken or a bug: the page says so, the server lives
        return None, f"The chart could not be drawn: {type(exc).__name__}: {exc}"[:300]
    return svg, ""


def routes(preview: Preview) -> dict[str, Route]:
    """The server's paths: the page, its script and style sheet, and its state."""

    def fixed(body: bytes, content_type: str) -> Route:
        return lambda query: Reply(body, content_type)

    def state(query: Mapping[str, list[str]]) -> Reply:
        data = json.dumps(preview.state(query), ensure_ascii=False).encode("utf-8")
        return Reply(data, _JSON)

    table: dict[str, Route] = {"/": fixed(page_html(), _HTML), "/state.json": state}
    for path, (_, content_type) in ASSETS.items():
        table[path] = fixed(asset(path), content_type)
    return table


def _summary(save: Save) -> str:
    """One line on the terminal per save: what the page now shows."""
    if save.problem:
        return f"{save.path}: {save.problem}"
    counts = f"{_count(save.errors, 'error')}, {_count(save.warnings, 'warning')}"
    if save.definition is None:
        return f"{save.path}: cannot be read ({counts}); the page shows why"
    if save.errors:
        return f"{save.path}: {counts}; the chart is not redrawn"
    return f"{save.path}: valid ({_count(save.warnings, 'warning')}), chart redrawn"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


@click.command(
    "preview",
    epilog="Exit codes: 0 stopped with Ctrl-C, 2 the file is missing, the port is taken or "
    "an option does not fit the file. Errors in the definition never stop the preview: "
    "the page shows them.",
)
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 to serve on; 0 picks a free one.",
)
@click.option(
    "--open/--no-open",
    "open_browser",
    default=True,
    show_default=True,
    help="Open the page in the default browser (where there is a display).",
)
@click.option(
    "--severity",
    metavar="ID",
    shell_complete=complete_severities,
    default=None,
    help="Draw the chart for one ticket severity at first (the page has a selector).",
)
@click.option(
    "--direction",
    type=click.Choice(["LR", "TB"], case_sensitive=False),
    default="LR",
    show_default=True,
    help="LR: lanes are horizontal bands; TB: lanes are columns.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print the page's URL and the saves that have findings; no line for a clean save.",
)
def command(
    file: str, port: int, open_browser: bool, severity: str | None, direction: str, quiet: bool
) -> None:
    """Write with the chart beside you: a local page that redraws on every save.

    Serves one page on 127.0.0.1 (the URL is printed) with the swim-lane chart, the
    findings with their lines, the escalation matrix and the process facts. Every save
    redraws it in place, keeping your scroll position and zoom. Click a finding to see
    its step and example path in the chart; click a step to find its findings; hover a
    step for its id, lane, edges and line. A save with errors keeps the last good chart,
    dimmed, under the findings; the next good save brings it back (tick "draw saves with
    errors" on the page to see such a save drawn anyway, as render --force would).

    \b
    Examples:
      escalation-charts preview process.yaml
      escalation-charts preview process.yaml --port 8800 --no-open --severity P1
    """
    set_quiet(quiet)  # the watcher's progress lines too
    if file == STDIN:
        fail_usage("preview needs a file it can watch, not standard input")
    if not os.path.exists(file):
        fail_usage(f"{file}: no such file")
    if os.path.isdir(file):
        fail_usage(f"{file}: is a directory, not a definition file")
    today()  # a bad ESCALATION_CHARTS_TODAY stops here, once, not on every save
    preview = Preview(file, direction=direction.upper(), severity=severity)
    first = preview.update()
    if first.definition is not None:
        known_severity(first.definition, severity, file)
    _report(first, quiet)
    try:
        server = PageServer(port, routes(preview), preview.events, {"Content-Security-Policy": CSP})
    except OSError as exc:
        fail_usage(f"cannot serve on 127.0.0.1 port {port}: {exc.strerror or exc}")
    _serve(server, preview, open_browser, quiet)


def _report(save: Save, quiet: bool, took: str = "") -> None:
    """The save's line on standard error; with --quiet only a save that needs a look."""
    if not quiet or save.problem or save.errors or save.warnings or save.definition is None:
        say(_summary(save) + took, err=True)


def _serve(server: PageServer, preview: Preview, open_browser: bool, quiet: bool) -> None:
    """Serve until Ctrl-C (or SIGTERM), rereading the file on every save."""
    import watchfiles  # noqa: F401 - loaded before the URL is printed: saves from then on count

    from escalation_charts.cli._watch import watch

    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    thread.start()
    # the URL is what the command gives, --quiet or not (say() would drop it)
    click.echo(f"preview: {server.url} (press Ctrl-C to stop)")
    _stop_on_sigterm()
    try:
        if open_browser:
            _open(server.url)

        def rebuild(changed: list[str]) -> None:
            if changed:
                began = time.perf_counter()
                save = preview.update()
                took = f" ({time.perf_counter() - began:.2f} s)" if save.good else ""
                _report(save, quiet, took)

        watch([preview.path], rebuild, first=())
    except KeyboardInterrupt:  # Ctrl-C (or SIGTERM) is how it stops: exit 0
        _signals.settled()
    finally:
        preview.events.close()
        server.shutdown()
        server.server_close()
    if not quiet:
        say("preview stopped", err=True)


def _open(url: str) -> None:
    """Open the page in the default browser, where there is a graphical one.

    Without a display (an SSH session, a container) Python's webbrowser falls back to
    text browsers that take over the terminal until they exit; then the URL is all we give.
    """
    import webbrowser

    headless = sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
    )
    if headless or not webbrowser.open_new_tab(url):
        say(f"no browser to open here: open {url} in yours", err=True)


def _stop_on_sigterm() -> None:
    """`kill` stops the preview as cleanly as Ctrl-C (only the main thread may set this)."""
    if threading.current_thread() is threading.main_thread():

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
