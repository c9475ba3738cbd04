"""The `preview` page: a fixed shell (HTML, script, style sheet) and the state it draws.

The shell holds no user text at all. Everything taken from the definition reaches the page
as the JSON of `preview_state`: HTML fragments built here with autoescaping (findings,
matrix, process facts), the chart's SVG from the one chart renderer, and plain strings
(the step facts shown on hover) that the script only ever sets as `textContent`. So a
label stays text, and the Content-Security-Policy (`CSP`: no inline script or style, no
other origin) would stop anything that slipped through. The script and style sheet are
package files served from their own paths, as that policy requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from escalation_charts import __version__
from escalation_charts.audit.text import duration_text
from escalation_charts.findings import Finding
from escalation_charts.ids import dom_id
from escalation_charts.model import Definition, Step
from escalation_charts.render._documents import environment
from escalation_charts.render.matrix import level_heading, matrix_view
from escalation_charts.render.report import inline_svg

__all__ = ["ASSETS", "CSP", "Save", "asset", "page_html", "preview_state"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# A <meta> policy may not carry frame-ancestors (Chromium logs an error); the header does.
_META_CSP = CSP.replace("; frame-ancestors 'none'", "")

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# URL path -> (package files, joined in order; content type): all the page loads besides
# itself and its data. The style sheet starts with the report's (badges, tables).
ASSETS = {
    "/preview.js": (("preview/preview.js",), "text/javascript; charset=utf-8"),
    "/preview.css": (
        ("report/style.css", "preview/preview.css"),
        "text/css; charset=utf-8",
    ),
}


@dataclass(frozen=True)
class Save:
    """One save of the definition as the preview read it."""

    version: int  # counts the saves seen, from 1
    path: str
    time: str  # when it was read, HH:MM:SS
    definition: Definition | None
    findings: tuple[Finding, ...]
    problem: str = ""  # why the file could not be read at all (gone, not readable)

    @property
    def errors(self) -> int:
        return sum(f.level == "error" for f in self.findings) + bool(self.problem)

    @property
    def warnings(self) -> int:
        return sum(f.level == "warning" for f in self.findings)

    @property
    def good(self) -> bool:
        """A save whose chart is drawn: it loads and has no errors (warnings are fine)."""
        return self.definition is not None and not self.errors


@cache
def asset(path: str) -> bytes:
    """The bytes served at `path` (a key of ASSETS), read once."""
    files, _ = ASSETS[path]
    return b"\n".join((_TEMPLATES / name).read_bytes() for name in files)


def page_html() -> bytes:
    """The page's shell: no data in it, the script fetches the state."""
    text = (_TEMPLATES / "preview" / "page.html").read_text("utf-8")
    return text.replace("{csp}", _META_CSP).replace("{version}", __version__).encode("utf-8")


def preview_state(
    current: Save,
    shown: Save | None,
    chart_svg: bytes | None,
    *,
    severity: str | None,
    chart_note: str = "",
) -> dict[str, object]:
    """What the page shows for the latest save `current`, drawing the chart of `shown`:
    the latest good save (`current` itself, an older one, or None when none was good yet),
    or `current` with its errors when the page asked to draw every save.

    `chart_svg` is that chart (for `severity`), or None with `chart_note` saying why.
    """
    chart_def = shown.definition if shown else None
    facts_def = current.definition or chart_def
    stale = shown is not None and shown.version != current.version
    return {
        "version": current.version,
        "title": facts_def.process.name if facts_def else current.path,
        "status": _status(current),
        "updated": current.time,
        "stale": stale,
        "forced": shown is current and not current.good,
        "banner": _banner(current, shown, chart_note),
        "chart_key": f"{shown.version}:{severity or ''}" if shown and chart_svg else "",
        "chart": str(inline_svg(chart_svg)) if chart_svg else "",
        "findings": _fragment(
            "preview/_findings.html.j2",
            findings=[(f, *_marks(f, chart_def)) for f in current.findings],
            location=lambda f: f"{f.file}:{f.pos.line}:{f.pos.column}",
        )
        if not current.problem
        else _fragment("preview/_problem.html.j2", problem=current.problem),
        "matrix": _matrix(facts_def),
        "facts": _facts(facts_def, current.path),
        "steps": _step_facts(chart_def) if chart_def else {},
        "severities": [{"id": s.id, "name": s.name} for s in chart_def.severities]
        if chart_def
        else [],
        "severity": severity,
    }


def _status(save: Save) -> dict[str, str]:
    """The badge beside the title: valid, warnings, errors, or cannot read."""
    if save.problem:
        return {"kind": "error", "text": "cannot read the file"}
    if save.definition is None:
        return {"kind": "error", "text": "cannot be read: " + _count(save.errors, "error")}
    if save.errors:
        text = _count(save.errors, "error")
        if save.warnings:
            text += ", " + _count(save.warnings, "warning")
        return {"kind": "error", "text": text}
    if save.warnings:
        return {"kind": "warning", "text": "valid, " + _count(save.warnings, "warning")}
    return {"kind": "ok", "text": "valid"}


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _banner(current: Save, shown: Save | None, chart_note: str) -> str:
    """Why the chart is not this save's (empty when it is)."""
    if shown is None:
        return (
            "No chart yet: the file has had errors since the preview started. "
            "Fix the findings and save."
        )
    if shown.version != current.version:
        why = "cannot be read" if current.definition is None else "has errors"
        return (
            f"The save at {current.time} {why} (see the findings): this is the last good "
            f"chart, from {shown.time}. The next good save redraws it."
        )
    if not current.good:
        return (
            f"Drawn with its {_count(current.errors, 'error')}, as render --force would: "
            f"not a chart to publish. {chart_note}"
        ).strip()
    return chart_note


def _marks(finding: Finding, definition: Definition | None) -> tuple[list[str], list[str]]:
    """The chart's element ids a finding points at: its step and its example path's steps,
    and the edges between consecutive steps of that path (ids absent from the chart are
    left out: the chart may be from an earlier save)."""
    if definition is None:
        return [], []
    steps_by_id = definition.steps_by_id
    ids = [s for s in dict.fromkeys([*(finding.path or ()), finding.step]) if s in steps_by_id]
    edges: list[str] = []
    path = finding.path or ()
    for here, there in pairwise(path):
        step = steps_by_id.get(here)
        if step is not None:
            edges += [
                dom_id("edge", here, index=i) for i, e in enumerate(step.next) if e.to == there
            ]
    return [dom_id("step", s) for s in ids], edges


def _step_facts(definition: Definition) -> dict[str, dict[str, object]]:
    """What hovering a step shows: its id, type, lane, edges in and out, and file:line."""
    incoming: dict[str, list[str]] = {}
    for step in definition.steps:
        for edge in step.next:
            incoming.setdefault(edge.to, []).append(step.id)
    lanes = definition.lanes_by_id
    out: dict[str, dict[str, object]] = {}
    for step in definition.steps:
        lane = lanes.get(step.lane)
        out[step.id] = {
            "id": step.id,
            "label": step.label,
            "type": step.type.value,
            "lane": lane.name if lane else step.lane,
            "at": f"{definition.source}:{step.pos.line}:{step.pos.column}",
            "out": [_edge_text(step, i) for i in range(len(step.next))],
            "in": incoming.get(step.id, []),
            "notify": list(step.notify),
        }
    return out


def _edge_text(step: Step, index: int) -> str:
    edge = step.next[index]
    notes = []
    if edge.when is not None:
        notes.append(edge.when)
    if edge.after is not None:
        notes.append(f"after {duration_text(edge.after)}")
    if edge.severities is not None:
        notes.append(", ".join(edge.severities) + " only")
    return edge.to + (f" ({'; '.join(notes)})" if notes else "")


def _matrix(definition: Definition | None) -> str:
    if definition is None:
        return ""
    view = matrix_view(definition)
    return _fragment("matrix/_table.html.j2", v=view, level_heading=level_heading)


def _facts(definition: Definition | None, path: str) -> str:
    if definition is None:
        return ""
    counts = {
        "lanes": len(definition.lanes),
        "levels": len(definition.leveled_lanes),
        "steps": len(definition.steps),
        "edges": sum(len(s.next) for s in definition.steps),
    }
    return _fragment("preview/_facts.html.j2", d=definition, path=path, counts=counts)


def _fragment(template: str, **values: object) -> str:
    return environment().get_template(template).render(**values)
