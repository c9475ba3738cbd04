"""The auditor's report: HTML (self-contained, printable), Markdown and JSON.

Pure text building from an `audit.Audit`; the chart and the matrix picture come in as SVG
text and are inlined, so the HTML needs no other file and no network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from markupsafe import Markup

from escalation_charts import __version__
from escalation_charts.audit import Audit, CellStatus, LevelTiming, TimingCheck
from escalation_charts.render._documents import environment
from escalation_charts.render.matrix import contact_lines, level_heading

__all__ = [
    "chart_widths",
    "inline_svg",
    "report_html",
    "report_json",
    "report_markdown",
    "summary_points",
    "timer_text",
]

# Badge kinds: how a status reads (a symbol and a word; colour only repeats it).
_REVIEW_KIND = {"current": "ok", "overdue": "warning", "not-recorded": "neutral"}


def _cell_kind(status: CellStatus) -> str:
    if status is CellStatus.SET:
        return "ok"
    return "neutral" if status is CellStatus.NOT_USED else "error"


_TIMING_RULES = ("matrix-flow-timing", "matrix-untimed")


class _Checks:
    """A timing row's badge, as the findings say it: a timing rule the project ignores
    (or gives another level) shows so, so that the table and the verdict agree."""

    def __init__(self, a: Audit) -> None:
        self._levels = {
            (f.rule, f.applies_to, f.timing.lane): f.level
            for f in a.findings
            if f.rule in _TIMING_RULES and f.timing is not None
        }

    def _reported(self, e: LevelTiming) -> str | None:
        return self._levels.get((e.check.rule, e.severity.id, e.lane.id))

    def kind(self, e: LevelTiming) -> str:
        if e.check is TimingCheck.NOT_USED:
            return "neutral"
        if e.check.rule in _TIMING_RULES:
            return self._reported(e) or "neutral"
        return e.check.level

    def title(self, e: LevelTiming) -> str:
        if e.check.rule in _TIMING_RULES and self._reported(e) is None:
            return f"{e.check.title} (rule {e.check.rule} not reported here)"
        return e.check.title


def timer_text(e: LevelTiming, label: Callable[[str], str]) -> str:
    """The "driven by a timer" cell as text: the timers on the fastest walk a timer drives
    and when it arrives, or why there is none."""
    if e.timed is not None:
        timers = "; ".join(
            f"after {after.compact()}: {label(a)} → {label(b)}" for a, b, after in e.timed.timers
        )
        return f"{timers} (arrives at {e.timed.time.compact()}{timer_after_matrix(e)})"
    if e.fastest is None:
        return "never reached"
    return "no timer: decisions only" if e.needs_timer else "not needed at level 1"


def timer_after_matrix(e: LevelTiming) -> str:
    """`, after the matrix's 30m` when the fastest timer-driven walk arrives later than the
    matrix's time: the flow can keep the time (someone decides), its timers only enforce a
    later one. Not a finding (SPEC.md's rules ask whether a timer drives it at all)."""
    if e.timed is not None and e.matrix is not None and e.timed.time > e.matrix:
        return f", after the matrix's {e.matrix.compact()}"
    return ""


def _labeller(a: Audit) -> Callable[[str], str]:
    """Step id -> its label (the first step written with an id, as every lookup finds)."""
    steps = a.definition.steps_by_id if a.definition is not None else {}

    def label(step: str) -> str:
        return steps[step].label if step in steps else step

    return label


def summary_points(a: Audit) -> list[tuple[str, str, str]]:
    """The verdict's four lines: (badge kind, topic, what the report found)."""
    if a.definition is None or a.grid is None or a.review is None:
        return []
    sound = sum(s.sound for s in a.soundness)
    bad_cells = sum(not c.status.ok for row in a.grid.rows for c in row.cells)
    covered = sum(c.status.level == "ok" for c in a.coverage)
    levels = {c.status.level for c in a.coverage}
    contacts_kind = "error" if "error" in levels else "warning" if "warning" in levels else "ok"
    checks = _Checks(a)
    shown = [(e.check, checks.kind(e)) for row in a.engagement for e in row if not e.check.ok]
    shown = [(c, kind) for c, kind in shown if kind != "neutral"]  # ignored rules
    untimed = sum(c is TimingCheck.UNTIMED for c, _ in shown)
    late = len(shown) - untimed
    kinds = {kind for _, kind in shown}
    timing_kind = "error" if "error" in kinds else "warning" if kinds else "ok"
    timing = []
    if late:
        timing.append(f"{late} of the matrix's engagements the flow cannot meet")
    if untimed:
        timing.append(f"{untimed} that no timer enforces")
    return [
        (
            "ok" if sound == len(a.soundness) else "error",
            "soundness",
            f"{sound} of {len(a.soundness)} severities sound",
        ),
        (
            "ok" if not bad_cells else "error",
            "matrix",
            "complete" if not bad_cells else f"{bad_cells} cells need attention",
        ),
        (
            timing_kind,
            "timing",
            "; ".join(timing) or "the flow can meet every matrix time, and timers enforce them",
        ),
        (
            contacts_kind,
            "contacts",
            f"{covered} of {len(a.coverage)} levels with primary and backup",
        ),
        (_REVIEW_KIND[a.review.state.value], "review", a.review.summary),
    ]


_SVG_START = re.compile(r"<svg\b")


def inline_svg(svg: bytes | str) -> Markup:
    """An SVG document as markup to place inside HTML: the XML declaration, DOCTYPE and
    leading comments go (HTML does not allow them there); the rest is Graphviz's own,
    already escaped output."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    match = _SVG_START.search(text)
    if match is None:
        raise ValueError("not an SVG document")
    return Markup(text[match.start() :].strip())


_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)pt"')
# On screen the chart is fitted to the page, but never drawn smaller than this share of
# its own size (below it, 11 pt step labels get too small to read): wider charts scroll.
CHART_MIN_SCALE = 0.62


def chart_widths(svg: bytes | str) -> tuple[int, int] | None:
    """The on-screen width range of a chart, in CSS pixels: (smallest readable, own size)."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    match = _SVG_WIDTH.search(text)
    if match is None:
        return None
    own = float(match.group(1)) * 4 / 3  # 1 pt = 4/3 CSS px
    return round(own * CHART_MIN_SCALE), round(own)


def _context(a: Audit) -> dict[str, object]:
    label = _labeller(a)
    checks = _Checks(a)
    return {
        "a": a,
        "label": label,
        "route_text": lambda route: route.text(a.definition, " → ") if a.definition else "",
        "timer_text": lambda e: timer_text(e, label),
        "timer_after_matrix": timer_after_matrix,
        "version": __version__,
        "points": summary_points(a),
        "level_heading": level_heading,
        "contact_lines": contact_lines,
        "cell_kind": _cell_kind,
        "check_kind": checks.kind,
        "check_title": checks.title,
        "review_kind": _REVIEW_KIND,
        "verdict_kind": {"pass": "ok", "pass-with-warnings": "warning", "fail": "error"}[
            a.verdict.state.value
        ],
    }


def report_html(
    a: Audit, *, chart_svg: bytes | None, chart_note: str = "", matrix_svg: bytes | None
) -> str:
    """The report as one HTML page; `chart_note` says why there is no chart when there is
    none."""
    return (
        environment()
        .get_template("report/report.html.j2")
        .render(
            _context(a),
            chart_svg=inline_svg(chart_svg) if chart_svg else None,
            chart_widths=chart_widths(chart_svg) if chart_svg else None,
            chart_note=chart_note,
            matrix_svg=inline_svg(matrix_svg) if matrix_svg else None,
        )
    )


def report_markdown(a: Audit) -> str:
    """The report as Markdown (text evidence; the pictures are in the HTML report)."""
    text = environment().get_template("report/report.md.j2").render(_context(a))
    return text.rstrip("\n") + "\n"


# `<`, `>` and `&` as \u escapes: the same JSON values, and safe to paste into an HTML
# <script> block or a CI log viewer that renders HTML.
_JSON_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def report_json(a: Audit) -> str:
    """The report as JSON: `Audit.to_dict` plus the tool's name and version."""
    data = {"generator": f"escalation-charts {__version__}", **a.to_dict()}
    return json.dumps(data, indent=2, ensure_ascii=False).translate(_JSON_HTML_SAFE) + "\n"
