"""The deck's default look, taken from the chart's theme (`render.themes.DEFAULT`).

A step, a lane or an arrow looks the same on a slide as in `render`'s picture: the same
shapes, fills, outlines, line weights and dashes come from `themes.step_look` and
`themes.edge_look`. What only the deck has (the validation slide's pass/fail colours) is
added here. A `--template` deck brings its own fonts, backgrounds and title styles; these
values colour what the deck draws itself (the chart, the matrix table, the timeline).
"""

from __future__ import annotations

from dataclasses import dataclass

from escalation_charts.model import StepType
from escalation_charts.render.themes import DEFAULT, edge_look, step_look

__all__ = [
    "CHART_MIN_PT",
    "DEFAULT_WIDTH",
    "EDGE_STYLE",
    "MIN_PT",
    "SHAPES",
    "Colours",
    "EdgeStyle",
    "ShapeStyle",
    "dimmed",
]

MIN_PT = 10.0  # no text the deck draws is smaller than this (SPEC: readable on a slide)
CHART_MIN_PT = 9.0  # chart steps and labels may go this small: a projected slide still reads it
DEFAULT_WIDTH = 960.0  # points across the default 16:9 slide (13.33 in)


def _rgb(colour: str) -> str:
    """`#1f2933` as DrawingML writes it: `1F2933`."""
    return colour.lstrip("#").upper()


class Colours:
    """RGB hex colours of the default look (the chart theme's, by role)."""

    INK = _rgb(DEFAULT.text)  # text and outlines
    MUTED = _rgb(DEFAULT.muted_text)  # secondary text
    LANE = (_rgb(DEFAULT.band_fills[0]), _rgb(DEFAULT.band_fills[1]))  # alternating bands
    LANE_LINE = _rgb(DEFAULT.band_line)
    EXTERNAL = _rgb(DEFAULT.external_fill)  # an external party's band
    FLOW = _rgb(DEFAULT.flow_edge)
    TIMER = _rgb(DEFAULT.timer_edge)
    NOTIFY = _rgb(DEFAULT.notify_edge)
    HANDOVER = _rgb(DEFAULT.handover_edge)
    OK = "15803D"
    ERROR = _rgb(DEFAULT.problem_text)
    WARNING = "B45309"
    HEADER = _rgb(DEFAULT.header_text)  # table header fill: the chart's header ink
    HEADER_TEXT = "FFFFFF"
    NONE_CELL = _rgb(DEFAULT.none_fill)
    WHITE = "FFFFFF"
    BACKGROUND = _rgb(DEFAULT.background)  # what the chart is drawn on (a panel's fill)


@dataclass(frozen=True)
class ShapeStyle:
    """How one step type is drawn: the preset shape, fill, outline and text colour."""

    preset: str
    fill: str
    line: str
    line_pt: float = 1.0
    text: str = Colours.INK
    dash: str | None = None


@dataclass(frozen=True)
class EdgeStyle:
    """How one kind of arrow is drawn: colour, weight (points), DrawingML dash."""

    colour: str
    width: float
    dash: str | None = None


# The theme's neutral shape names as DrawingML presets, and its dashes.
_PRESETS = {
    "terminator": "flowChartTerminator",
    "diamond": "flowChartDecision",
    "rounded": "roundRect",
}
_DASHES = {None: None, "dashed": "dash", "dotted": "sysDot"}


def _shape(kind: StepType) -> ShapeStyle:
    look = step_look(DEFAULT, kind)
    return ShapeStyle(
        _PRESETS[look.shape],
        _rgb(look.fill or DEFAULT.background),
        _rgb(look.line),
        look.width,
        _rgb(look.text),
        _DASHES[look.dash],
    )


def _edge(kind: str, handover: bool = False) -> EdgeStyle:
    look = edge_look(DEFAULT, kind, handover)
    return EdgeStyle(_rgb(look.line), look.width, _DASHES[look.dash])


SHAPES: dict[StepType, ShapeStyle] = {kind: _shape(kind) for kind in StepType}
EDGE_STYLE: dict[str, EdgeStyle] = {
    "flow": _edge("flow"),
    "handover": _edge("flow", handover=True),
    "timer": _edge("timer"),
    "notify": _edge("notify"),
}


def dimmed(style: ShapeStyle) -> ShapeStyle:
    """A step a ticket of the chosen severity never reaches: same shape, faded, dashed."""
    faded = step_look(DEFAULT, StepType.TASK, dimmed=True)
    return ShapeStyle(
        style.preset,
        _rgb(faded.fill or DEFAULT.background),
        _rgb(faded.line),
        faded.width,
        _rgb(faded.text),
        "dash",
    )
