"""The chart's legend: what each shape and line means, for the kinds the chart uses."""

from __future__ import annotations

import copy
from collections.abc import Collection

from pptx.oxml.ns import qn
from pptx.slide import Slide

from escalation_charts.layout.geometry import Box
from escalation_charts.layout.textfit import deck_width
from escalation_charts.model import StepType
from escalation_charts.render.pptx.draw.shapes import (
    Text,
    add_box,
    add_connector,
    add_text,
    fill_text,
)
from escalation_charts.render.pptx.plan.connectors import Route
from escalation_charts.render.pptx.style import EDGE_STYLE, MIN_PT, SHAPES, Colours

__all__ = ["LegendStamp", "draw_legend", "legend_height"]

_ROW = 20.0
_SWATCH = (28.0, 15.0)
_GAP = 12.0
_NAMES = {
    StepType.START: "Start",
    StepType.TASK: "Task",
    StepType.DECISION: "Decision",
    StepType.ESCALATE: "Escalation",
    StepType.WAIT: "Wait",
    StepType.RESOLUTION: "Resolution",
}
_LINES = {  # the chart's own arrows (style.EDGE_STYLE), as its legend names them
    "flow": "Next step",
    "handover": "Hand-over",
    "timer": "Timer",
    "notify": "Informs a lane",
}


def _items(
    step_types: Collection[StepType], edge_kinds: Collection[str], external: bool, pages: bool
) -> list[tuple[str, str]]:
    items = [(f"step:{k.value}", _NAMES[k]) for k in StepType if k in step_types]
    kinds = set(edge_kinds) | ({"handover"} if StepType.ESCALATE in step_types else set())
    items += [(f"line:{k}", caption) for k, caption in _LINES.items() if k in kinds]
    if external:
        items.append(("external", "External party"))
    if pages:
        items.append(("offpage", "Continues on that slide"))
    return items


def _rows(items: list[tuple[str, str]], width: float) -> list[list[tuple[str, str, float]]]:
    rows: list[list[tuple[str, str, float]]] = [[]]
    used = 0.0
    for key, caption in items:
        need = _SWATCH[0] + 3 + deck_width(caption, MIN_PT) + 2
        if rows[-1] and used + need > width:
            rows.append([])
            used = 0.0
        rows[-1].append((key, caption, need))
        used += need + _GAP
    return rows


def legend_height(
    width: float,
    step_types: Collection[StepType],
    edge_kinds: Collection[str],
    external: bool,
    pages: bool = True,
) -> float:
    """The height the legend takes in an area `width` points wide."""
    return len(_rows(_items(step_types, edge_kinds, external, pages), width)) * _ROW + 4


def draw_legend(
    slide: Slide,
    area: Box,
    step_types: Collection[StepType],
    edge_kinds: Collection[str],
    external: bool,
    pages: bool = False,
) -> None:
    """Rows of samples at the bottom of `area`, each named `legend-<what>`."""
    shapes = slide.shapes
    rows = _rows(_items(step_types, edge_kinds, external, pages), area.width)
    y = area.bottom - len(rows) * _ROW
    sw, sh = _SWATCH
    # An opaque panel under the samples in the chart's background colour: a template may
    # paint a band or a picture where the legend goes, and the samples and captions are
    # drawn for the chart's own light background.
    wide = max(sum(need for _, _, need in row) + _GAP * (len(row) - 1) for row in rows)
    add_box(
        shapes,
        "legend-panel",
        "rect",
        (area.x - 2, y, min(wide + 4, area.width + 4), len(rows) * _ROW),
        fill=Colours.BACKGROUND,
        line=None,
    )
    for row in rows:
        x, mid = area.x, y + _ROW / 2
        for key, caption, need in row:
            kind, _, what = key.partition(":")
            name = f"legend-{what or kind}"
            if kind == "step":
                style = SHAPES[StepType(what)]
                add_box(
                    shapes,
                    name,
                    style.preset,
                    (x, mid - sh / 2, sw, sh),
                    fill=style.fill,
                    line=style.line,
                    line_pt=min(style.line_pt, 1.5),
                    dash=style.dash,
                )
            elif kind == "line":
                look = EDGE_STYLE[what]
                path = Route(
                    3, 1, ((x, mid), (x + sw, mid)), "straightConnector1", (x, mid, sw, 0.0)
                )
                add_connector(
                    shapes,
                    name,
                    path,
                    None,
                    None,
                    colour=look.colour,
                    width_pt=look.width,
                    dash=look.dash,
                )
            elif kind == "offpage":
                shape = add_box(
                    shapes,
                    name,
                    "flowChartOffpageConnector",
                    (x + sw / 2 - 8, y + 1, 16, _ROW - 2),
                    fill=Colours.WHITE,
                    line=Colours.MUTED,
                )
                fill_text(
                    shape,
                    [[Text("n", MIN_PT, bold=True)]],
                    wrap=False,
                    anchor="t",
                    insets=(0, 0, 0, 0),
                )
            else:
                add_box(
                    shapes,
                    name,
                    "rect",
                    (x, mid - sh / 2, sw, sh),
                    fill=Colours.EXTERNAL,
                    line=Colours.LANE_LINE,
                    dash="dash",
                )
            add_text(
                shapes,
                f"{name}-text",
                (x + sw + 3, y, need - sw - 3, _ROW),
                [[Text(caption, MIN_PT, colour=Colours.INK)]],
                anchor="ctr",
                wrap=False,
            )
            x += need + _GAP
        y += _ROW


class LegendStamp:
    """The legend drawn once per deck and stamped onto every chart slide: it is the same
    on each, and drawing it shape by shape was a sixth of a 76-slide deck's time."""

    def __init__(self) -> None:
        self._elements: list | None = None  # type: ignore[type-arg]

    def draw(
        self,
        slide: Slide,
        area: Box,
        step_types: Collection[StepType],
        edge_kinds: Collection[str],
        external: bool,
        pages: bool = False,
    ) -> None:
        shapes = slide.shapes
        tree = shapes._spTree
        if self._elements is None:
            before = len(tree)
            draw_legend(slide, area, step_types, edge_kinds, external, pages)
            self._elements = [copy.deepcopy(e) for e in list(tree)[before:]]
            return
        for element in self._elements:
            stamped = copy.deepcopy(element)
            # A fresh shape id on this slide (ids are per slide; names stay legend-...).
            next(stamped.iter(qn("p:cNvPr"))).set("id", str(shapes._next_shape_id))
            tree.append(stamped)
