"""Where the chart sits on the Graphviz page, and how a step is drawn there.

Shared by the chart (`dot`) and its furniture (title block and legend), which draws its
sample steps exactly as the chart draws steps; kept apart so neither imports the other.
"""

from __future__ import annotations

from escalation_charts.layout import bands as lay
from escalation_charts.layout.dot_text import num
from escalation_charts.layout.geometry import Box, Point
from escalation_charts.model import Step
from escalation_charts.render.themes import Theme, step_look

__all__ = ["Canvas", "step_style"]


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
    """The flowchart look of one step type (shape, fill, border, font), from the theme's
    one `step_look`."""
    look = step_look(theme, step.type)
    style = "filled" if look.shape in ("terminator", "diamond") else "rounded,filled"
    if look.dash:
        style += f",{look.dash}"
    attrs: dict[str, str | float | None] = {
        "shape": lay.step_shape(step),
        "style": style,
        "fillcolor": look.fill,
        "color": look.line,
        "penwidth": look.width,
        "fontsize": lay.STEP_FONT_SIZE,
        "fontname": lay.BOLD_FONT if lay.step_is_bold(step) else None,
    }
    if dimmed:
        faded = step_look(theme, step.type, dimmed=True)
        attrs.update(fillcolor=faded.fill, color=faded.line, penwidth=faded.width)
        attrs["fontcolor"] = faded.text
    return attrs
