"""The deck's default look: colours, line styles and text sizes, in one place.

A `--template` deck brings its own fonts, backgrounds and title styles; these values only
colour what the deck draws itself (the chart, the matrix table, the timeline), chosen to
read on a white or light background and to print in grey scale.
"""

from __future__ import annotations

from dataclasses import dataclass

from escalation_charts.model import StepType

__all__ = ["CHART_MIN_PT", "MIN_PT", "SHAPES", "Colours", "ShapeStyle", "dimmed"]

MIN_PT = 10.0  # no text the deck draws is smaller than this (SPEC: readable on a slide)
CHART_MIN_PT = 9.0  # chart steps and labels may go this small: a projected slide still reads it


class Colours:
    """RGB hex colours of the default look."""

    INK = "1F2937"  # text and outlines
    MUTED = "6B7280"  # secondary text
    LANE = ("F3F6FA", "E8EEF6")  # alternating lane bands
    LANE_LINE = "9AA8BA"
    EXTERNAL = "FFF7E6"  # an external party's band
    FLOW = "374151"
    TIMER = "C2410C"  # timer edges and timer labels: orange, dashed
    NOTIFY = "6B7280"  # notify arrows: grey, dotted
    OK = "15803D"
    ERROR = "B91C1C"
    WARNING = "B45309"
    HEADER = "1E3A5F"  # table header fill
    HEADER_TEXT = "FFFFFF"
    NONE_CELL = "F3F4F6"
    WHITE = "FFFFFF"


@dataclass(frozen=True)
class ShapeStyle:
    """How one step type is drawn: the preset shape, fill, outline and text colour."""

    preset: str
    fill: str
    line: str
    line_pt: float = 1.0
    text: str = Colours.INK
    dash: str | None = None


# Flowchart conventions: terminators for start and end, a box for work, a diamond for a
# decision; an escalation stands out (thick orange outline), a wait is the "delay" shape.
SHAPES: dict[StepType, ShapeStyle] = {
    StepType.START: ShapeStyle("flowChartTerminator", "DCFCE7", "15803D", 1.25),
    StepType.TASK: ShapeStyle("flowChartProcess", "FFFFFF", "374151"),
    StepType.DECISION: ShapeStyle("flowChartDecision", "FEF9C3", "A16207", 1.25),
    StepType.ESCALATE: ShapeStyle("flowChartProcess", "FFEDD5", "C2410C", 2.25),
    StepType.WAIT: ShapeStyle("flowChartDelay", "E0F2FE", "0369A1", 1.25),
    StepType.RESOLUTION: ShapeStyle("flowChartTerminator", "1F2937", "1F2937", 1.25, "FFFFFF"),
}


def dimmed(style: ShapeStyle) -> ShapeStyle:
    """A step a ticket of the chosen severity never reaches: same shape, faded, dashed."""
    return ShapeStyle(style.preset, "F9FAFB", "9CA3AF", 1.0, Colours.MUTED, "dash")
