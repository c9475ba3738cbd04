"""A definition -> chart files (SVG, PNG, PDF, DOT): layout, DOT text, Graphviz, clean-up.

`render_charts` is what the `render` command calls; `render_chart` gives one format, e.g.
the SVG text the audit report embeds.
"""

from __future__ import annotations

from collections.abc import Iterable

from escalation_charts.layout import engine as _graphviz
from escalation_charts.layout.bands import compute_layout, edge_label
from escalation_charts.layout.dot_text import with_dpi
from escalation_charts.model import Definition, StepType
from escalation_charts.render.dot import Marks, chart_dot, page_size
from escalation_charts.render.furniture import legend_titles
from escalation_charts.render.png import with_density
from escalation_charts.render.svg import finish_svg
from escalation_charts.render.themes import get_theme

__all__ = ["FORMATS", "PNG_DPI", "png_dpi", "render_chart", "render_charts", "titles"]

FORMATS = ("svg", "png", "pdf", "dot")
PNG_DPI = 96  # CSS pixels: the PNG shows at its natural size in a browser or wiki
PNG_MIN_DPI = 72  # a very big chart is drawn smaller, but never below this (11 px text)
CAIRO_MAX_PIXELS = 32767  # Graphviz's cairo renderer scales a longer bitmap down to this
PNG_MAX_PIXELS = 16_000_000  # beyond this a PNG is slow to write and to open

# cairo draws and writes the PNG in true colour. ("png:cairo:gd", a palette PNG, is a third
# of the size and faster, but gd's quantiser turns the pale lane fills beige.)
_PNG = "png:cairo"

_TYPE_NAMES = {
    StepType.START: "Start",
    StepType.TASK: "Task",
    StepType.DECISION: "Decision",
    StepType.ESCALATE: "Escalation",
    StepType.WAIT: "Waiting",
    StepType.RESOLUTION: "Resolution",
}


def render_chart(
    definition: Definition,
    fmt: str,
    *,
    direction: str = "LR",
    severity: str | None = None,
    theme: str = "default",
) -> bytes:
    """The chart of `definition` in one format (`svg`, `png`, `pdf` or `dot`), as bytes.

    Raises `layout.LayoutError` (a ValueError) for an unknown direction or severity and
    ValueError for an unknown theme or format.
    """
    return render_charts(definition, [fmt], direction=direction, severity=severity, theme=theme)[
        fmt
    ]


def render_charts(
    definition: Definition,
    formats: Iterable[str],
    *,
    direction: str = "LR",
    severity: str | None = None,
    theme: str = "default",
    marks: Marks | None = None,
    dpi: float = PNG_DPI,
    notes: list[str] | None = None,
) -> dict[str, bytes]:
    """The chart in several formats from one layout: {format: bytes}.

    `notes`, when given, gets one line for each output that is not what it seems: a PNG
    wider or taller than the engine's bitmap limit, which cairo scales down to fit.

    `marks` draws a change chart: SVG element id -> `added`, `changed` or `removed` (see
    `dot.Marks`); `diff --chart` passes them. `dpi` is the PNG's pixel density (96 = CSS
    pixels; 72 is a quarter fewer pixels to draw and encode, 192 is sharp on paper).
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    chosen = get_theme(theme)
    layout = compute_layout(definition, direction=direction, severity=severity)
    dot = chart_dot(definition, layout, chosen, marks)
    out: dict[str, bytes] = {}
    if "dot" in wanted:
        out["dot"] = dot.encode("utf-8")
    vector = [f for f in wanted if f in ("svg", "pdf")]
    if vector:
        drawn = _graphviz.render(dot, vector)
        if "svg" in drawn:
            svg = finish_svg(
                drawn["svg"].decode("utf-8"),
                titles(definition, severity),
                title=definition.process.name,
                description=_description(definition, severity),
            )
            out["svg"] = svg.encode("utf-8")
        if "pdf" in drawn:
            from escalation_charts.render.pdf import stable_pdf  # only a PDF needs it

            out["pdf"] = stable_pdf(drawn["pdf"])
    if "png" in wanted:
        size = page_size(definition, layout, chosen, marks)
        density = png_dpi(*size, wanted=dpi)
        pixels = (max(size) + 36) * density / 72  # the page plus Graphviz's 0.25 in pad
        if notes is not None and pixels > CAIRO_MAX_PIXELS:
            notes.append(
                f"the PNG would be {pixels:,.0f} px long, past the {CAIRO_MAX_PIXELS} px "
                f"a bitmap can have, so it is scaled to {100 * CAIRO_MAX_PIXELS / pixels:.0f} % "
                "(text smaller than written); SVG and PDF are drawn at full size"
            )
        raster = _graphviz.render(with_dpi(dot, density), [_PNG])
        out["png"] = with_density(raster[_PNG], density)
    return {f: out[f] for f in wanted}


def png_dpi(width: float, height: float, wanted: float = PNG_DPI) -> float:
    """`wanted` dpi, less for a chart that would pass PNG_MAX_PIXELS (never under 72 dpi,
    nor over what was wanted): a page of `width` x `height` points."""
    pixels = width * height * (wanted / 72) ** 2
    if pixels <= PNG_MAX_PIXELS:
        return wanted
    floor = min(wanted, PNG_MIN_DPI)
    return max(floor, round(wanted * (PNG_MAX_PIXELS / pixels) ** 0.5, 1))


def titles(definition: Definition, severity: str | None = None) -> dict[str, str]:
    """Words for every SVG group: what a screen reader or a tooltip says about it."""
    out: dict[str, str] = legend_titles()
    for lane in definition.lanes:
        notes = []
        if lane.level is not None:
            notes.append(f"level {lane.level}")
        if lane.external:
            notes.append("external")
        extra = f" ({', '.join(notes)})" if notes else ""
        out[f"lane-{lane.id}"] = f"Lane: {lane.name}{extra}"
        out[f"lane-{lane.id}-header"] = lane.name
    steps = definition.steps_by_id
    lanes = definition.lanes_by_id
    for step in definition.steps:
        text = f"{_TYPE_NAMES[step.type]}: {step.label}"
        if step.description:
            text += f" — {step.description}"
        out[f"step-{step.id}"] = text
        for index, edge in enumerate(step.next):
            target = steps.get(edge.to)
            label = edge_label(step, index, severity, [s.id for s in definition.severities])
            text = f"{step.label} → {target.label if target else edge.to}"
            if label:
                text += f" ({label.replace(chr(10), '; ')})"
            out[f"edge-{step.id}-{index}"] = text
        for lane_id in step.notify:
            lane = lanes.get(lane_id)
            name = lane.name if lane else lane_id
            out[f"notify-{step.id}-{lane_id}"] = f"{step.label}: notify {name}"
    return out


def _description(definition: Definition, severity: str | None) -> str:
    process = definition.process
    text = f"Swim-lane flow chart of {process.name}"
    if severity is not None:
        text += f", drawn for severity {severity}"
    text += f": {len(definition.lanes)} lanes, {len(definition.steps)} steps."
    if process.description:
        text += " " + process.description
    return text
