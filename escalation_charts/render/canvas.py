"""Where the chart sits on the Graphviz page, and how a step is drawn there.

Shared by the chart (`dot`) and its furniture (title block and legend), which draws its
sample steps exactly as the chart draws steps; kept apart so neither imports the other.
"""

from __future__ import annotations

from escalation_charts.layout import bands as lay
from escalation_charts.layout.dot_text import num
from escalation_charts.layout.geometry import Box, Point
from escalation_charts.model import Step, StepType
from escalation_charts.render.themes import Theme

__all__ = ["Canvas", "edge_style", "step_style"]


class Canvas:
    """Where the chart sits on the page: title block above it, legend below.

    Converts chart points (origin top-left, y down) to Graphviz points (y up).
    """

    def __init__(self, width: float, height: float, chart_origin: Point) -> None:
        self.width = width
        self.height = height
        self.origin = chart_origin

    def pos(self, point: Point, *, chart: bool = True) -> str:
        x, y = point
        if chart:
            x, y = x + self.origin[0], y + self.origin[1]
        return f"{num(x, 2)},{num(self.height - y, 2)}"

    def bb(self, box: Box, *, chart: bool = True) -> str:
        x, y = (box.x, box.y)
        if chart:
            x, y = x + self.origin[0], y + self.origin[1]
        return (
            f"{num(x, 2)},{num(self.height - y - box.height, 2)},"
            f"{num(x + box.width, 2)},{num(self.height - y, 2)}"
        )


def step_style(step: Step, theme: Theme, dimmed: bool) -> dict[str, str | float | None]:
    """The flowchart look of one step type (shape, fill, border, font)."""
    fill, line, width = theme.task_fill, theme.step_line, theme.line_width
    style = "filled"
    if step.type is StepType.START:
        fill = theme.start_fill
    elif step.type is StepType.RESOLUTION:
        fill, width = theme.end_fill, theme.line_width * 2.2
    elif step.type is StepType.DECISION:
        fill = theme.decision_fill
    elif step.type is StepType.ESCALATE:
        fill, line, width = theme.escalate_fill, theme.escalate_line, theme.handover_width * 0.85
        style = "rounded,filled"
    elif step.type is StepType.WAIT:
        fill, style = theme.wait_fill, "rounded,filled,dashed"
    else:
        style = "rounded,filled"
    attrs: dict[str, str | float | None] = {
        "shape": lay.step_shape(step),
        "style": style,
        "fillcolor": fill,
        "color": line,
        "penwidth": width,
        "fontsize": lay.STEP_FONT_SIZE,
        "fontname": lay.BOLD_FONT if lay.step_is_bold(step) else None,
    }
    if dimmed:
        attrs.update(fillcolor=theme.dimmed_fill, color=theme.dimmed_line, penwidth=1.0)
        attrs["fontcolor"] = theme.dimmed_line
    return attrs


def edge_style(kind: str, source: Step, theme: Theme) -> dict[str, str | float | None]:
    """The look of an edge of `kind` (`flow`, `timer`, `notify`) leaving `source`: notify
    arrows dotted with an open head, timers dashed, hand-overs out of an escalation heavy."""
    if kind == "notify":
        return {
            "color": theme.notify_edge,
            "style": "dotted",
            "penwidth": theme.line_width * 1.3,
            "arrowhead": "vee",
        }
    if kind == "timer":
        return {"color": theme.timer_edge, "style": "dashed", "penwidth": theme.line_width * 1.2}
    if source.type is StepType.ESCALATE:
        return {"color": theme.handover_edge, "penwidth": theme.handover_width}
    return {"color": theme.flow_edge, "penwidth": theme.line_width}
