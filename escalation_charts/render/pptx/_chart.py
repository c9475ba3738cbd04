"""Draw one page of the chart plan on a slide, as native, editable shapes.

Lanes are rectangles named `lane-<id>` with the lane's name in their header; steps are
flowchart shapes named `step-<id>`; every edge is a connector named `edge-<step>-<n>` glued
to both its shapes (dragging a box drags the arrow), with its branch or timer label as a
text box next to where it leaves. Connectors sit below the steps, labels above everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pptx.shapes.autoshape import Shape
from pptx.slide import Slide

from ...geometry import Box
from ._chartplan import ChartPage, ChartPlan, StepText
from ._fit import INSETS, label_lines
from ._measure import LINE_HEIGHT, line_width, wrap
from ._routing import BOTTOM, TOP, Route, anchor, route
from ._shapes import Text, add_box, add_connector, add_text, fill_text
from ._style import MIN_PT, Colours, ShapeStyle

__all__ = ["ChartStep", "draw_page"]

_EDGE_STYLE = {  # kind -> (colour, width, dash)
    "flow": (Colours.FLOW, 1.25, None),
    "timer": (Colours.TIMER, 1.25, "dash"),
    "notify": (Colours.NOTIFY, 1.0, "sysDot"),
}
_NOTIFY_REACH = 8.0  # points a notify arrow reaches into the lane it informs


@dataclass(frozen=True)
class ChartStep:
    """A step as the chart draws it."""

    text: StepText
    style: ShapeStyle


def draw_page(
    slide: Slide,
    page: ChartPage,
    plan: ChartPlan,
    steps: Mapping[str, ChartStep],
    lanes: Mapping[str, tuple[str, bool]],
    slide_of_page: Mapping[int, int],
) -> None:
    """Draw `page` on `slide`. `lanes` maps a lane id to its header text and whether it is
    external; `slide_of_page` maps a page index to its slide number (for references)."""
    shapes = slide.shapes
    shapes.turbo_add_enabled = True  # many shapes: skip python-pptx's id scan per shape
    for n, band in enumerate(page.lanes):
        name, external = lanes[band.lane]
        _lane(shapes, band.lane, band.box, band.header, name, external, n, plan.lane_pt)
    first_connector = len(shapes._spTree)  # connectors go here, under the steps
    drawn: dict[str, Shape] = {}
    for placed in page.steps:
        drawn[placed.step] = _step(shapes, placed.step, placed.box, steps[placed.step], plan)
    boxes: dict[str, Box] = {p.step: p.box for p in page.steps}
    for ref in page.refs:
        drawn[ref.key] = _reference(shapes, ref, slide_of_page, steps)
        boxes[ref.key] = ref.box
    connectors, labels = _edges(shapes, page, plan, drawn, boxes)
    tree = shapes._spTree
    for element in connectors:  # move under the steps so a line never hides a label
        tree.remove(element)
        tree.insert(first_connector, element)
        first_connector += 1
    for box, text, name in labels:
        add_text(
            shapes,
            name,
            box,
            [[Text(text, plan_label_pt(plan), colour=Colours.INK)]],
            fill=Colours.WHITE,
            align="ctr",
            anchor="ctr",
            wrap=False,
        )


def plan_label_pt(plan: ChartPlan) -> float:
    """Edge labels: a little smaller than the steps' text, never under MIN_PT."""
    return max(MIN_PT, plan.step_pt - 1.0)


def _lane(
    shapes,  # type: ignore[no-untyped-def]
    lane_id: str,
    band: Box,
    header: Box,
    name: str,
    external: bool,
    n: int,
    size: float,
) -> None:
    fill = Colours.EXTERNAL if external else Colours.LANE[n % 2]
    shape = add_box(
        shapes,
        f"lane-{lane_id}",
        "rect",
        (band.x, band.y, band.width, band.height),
        fill=fill,
        line=Colours.LANE_LINE,
        line_pt=1.0,
        dash="dash" if external else None,
    )
    # The name sits in the header part of the band: insets keep the text there.
    insets = (
        header.x - band.x + 4,
        header.y - band.y + 4,
        band.right - header.right + 4,
        band.bottom - header.bottom + 4,
    )
    fill_text(shape, [[Text(name, size, bold=True, colour=Colours.INK)]], insets=insets)
    divider = add_box(
        shapes,
        f"lane-{lane_id}-header",
        "rect",
        (header.x, header.y, header.width, header.height),
        fill=None,
        line=Colours.LANE_LINE,
        line_pt=0.75,
    )
    divider.text_frame.text = ""  # an outline only: the name belongs to the lane shape


def _step(shapes, step_id: str, box: Box, step: ChartStep, plan: ChartPlan) -> Shape:  # type: ignore[no-untyped-def]
    style = step.style
    shape = add_box(
        shapes,
        f"step-{step_id}",
        style.preset,
        (box.x, box.y, box.width, box.height),
        fill=style.fill,
        line=style.line,
        line_pt=style.line_pt,
        dash=style.dash,
    )
    size = plan.step_pt
    if style.preset == "flowChartDecision":
        # A diamond's own text area is half its size; break the lines ourselves and let
        # them use the whole diamond.
        lines = label_lines(step.text.label, style.preset, box.width, box.height, size)
        fill_text(
            shape,
            [[Text("\n".join(lines), size, colour=style.text)]],
            wrap=False,
            insets=(0, 0, 0, 0),
        )
    else:
        fill_text(
            shape,
            [[Text(step.text.label, size, colour=style.text)]],
            insets=(INSETS[0], INSETS[1], INSETS[0], INSETS[1]),
        )
    return shape


def _reference(shapes, ref, slide_of_page, steps) -> Shape:  # type: ignore[no-untyped-def]
    slide_no = slide_of_page[ref.page]
    label = steps[ref.step].text.label.replace("\n", " ")
    lead = f"to slide {slide_no}: " if ref.outgoing else f"from slide {slide_no}: "
    box = ref.box
    lines = wrap(lead + label, MIN_PT, box.width - 6)
    if len(lines) > 2:  # keep the reference small: the slide number matters most
        text = lines[0] + "\n" + _ellipsis(" ".join(lines[1:]), box.width - 6)
    else:
        text = "\n".join(lines)
    name = f"goto-{ref.step}" if ref.outgoing else f"from-{ref.step}"
    shape = add_box(
        shapes,
        name,
        "flowChartAlternateProcess",
        (box.x, box.y, box.width, box.height),
        fill=Colours.WHITE,
        line=Colours.MUTED,
        line_pt=1.0,
        dash="dash",
    )
    fill_text(
        shape,
        [[Text(text, MIN_PT, italic=True, colour=Colours.MUTED)]],
        wrap=False,
        insets=(3, 1, 3, 1),
    )
    return shape


def _ellipsis(text: str, width: float) -> str:
    while text and line_width(text + "...", MIN_PT) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def _edges(shapes, page: ChartPage, plan: ChartPlan, drawn, boxes):  # type: ignore[no-untyped-def]
    """Route and add every connector; return their elements and the labels to place."""
    step_boxes = [p.box for p in page.steps]
    used_out: dict[str, set[int]] = {}
    connectors = []
    labels: list[tuple[tuple[float, float, float, float], str, str]] = []
    taken: list[Box] = list(step_boxes)
    lane_boxes = {b.lane: b.box for b in page.lanes}
    # Notify arrows first: they claim the top or bottom of their step.
    for step_id, lane_id in page.notify:
        box, band = boxes[step_id], lane_boxes[lane_id]
        if band.y <= box.center[1] <= band.bottom:
            continue
        side = TOP if band.bottom <= box.y else BOTTOM
        start = anchor(box, side)
        end_y = band.bottom - _NOTIFY_REACH if side == TOP else band.y + _NOTIFY_REACH
        stop = (start[0], end_y)
        path = Route(
            side,
            side,
            (start, stop),
            "straightConnector1",
            (start[0], min(start[1], end_y), 0.0, abs(end_y - start[1])),
            flip_v=side == TOP,
        )
        used_out.setdefault(step_id, set()).add(side)
        colour, width, dash = _EDGE_STYLE["notify"]
        connector = add_connector(
            shapes,
            f"notify-{step_id}-{lane_id}",
            path,
            drawn[step_id],
            None,
            colour=colour,
            width_pt=width,
            dash=dash,
        )
        connectors.append(connector._element)
    for edge in page.edges:
        source, target = boxes[edge.source], boxes[edge.target]
        path = route(
            source,
            target,
            step_boxes,
            used_out=used_out.get(edge.source, ()),
            target_out=used_out.get(edge.target, ()),
        )
        used_out.setdefault(edge.source, set()).add(path.begin_side)
        colour, width, dash = _EDGE_STYLE.get(edge.kind, _EDGE_STYLE["flow"])
        connector = add_connector(
            shapes,
            edge.name,
            path,
            drawn[edge.source],
            drawn[edge.target],
            colour=colour,
            width_pt=width,
            dash=dash,
        )
        connectors.append(connector._element)
        if edge.label:
            size = plan_label_pt(plan)
            box = _label_box(path, edge.label, size, taken)
            taken.append(Box(*box))
            labels.append((box, edge.label, f"label-{edge.name.removeprefix('edge-')}"))
    return connectors, labels


def _label_box(path: Route, text: str, size: float, taken: list[Box]):  # type: ignore[no-untyped-def]
    """Next to where the arrow leaves, on the side of its first leg that is free."""
    lines = text.split("\n")
    width = max(line_width(line, size) for line in lines) + 4
    height = len(lines) * size * LINE_HEIGHT + 2
    (sx, sy), (nx, ny) = path.points[0], path.points[1]
    gap = 2.0
    if abs(nx - sx) >= abs(ny - sy):  # first leg horizontal: above or below it
        x = sx + gap if nx >= sx else sx - gap - width
        candidates = [(x, sy - height - 1), (x, sy + 1)]
    else:  # vertical: right or left of it
        y = sy + gap if ny >= sy else sy - gap - height
        candidates = [(sx + 2, y), (sx - 2 - width, y)]
    for x, y in candidates:
        box = Box(x, y, width, height)
        if not any(box.overlaps(other) for other in taken):
            return (x, y, width, height)
    x, y = candidates[0]
    return (x, y, width, height)
