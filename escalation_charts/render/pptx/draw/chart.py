"""Draw one page of the chart plan on a slide, as native, editable shapes.

Lanes are rectangles named `lane-<id>` with the lane's name in their header; steps are
flowchart shapes named `step-<id>`; every edge is a connector named `edge-<step>-<n>` glued
to both its shapes (dragging a box drags the arrow), with its branch or timer label as a
text box next to where it leaves. Connectors sit below the steps, labels above everything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from pptx.shapes.autoshape import Shape
from pptx.slide import Slide

from escalation_charts.ids import dom_id
from escalation_charts.layout.geometry import Box, Point
from escalation_charts.layout.textfit import LINE_HEIGHT, deck_width
from escalation_charts.render.pptx.draw.shapes import (
    Text,
    add_box,
    add_connector,
    add_text,
    fill_text,
)
from escalation_charts.render.pptx.plan.chart import ChartPage, ChartPlan, StepText
from escalation_charts.render.pptx.plan.connectors import (
    BOTTOM,
    LEFT,
    RIGHT,
    TOP,
    Route,
    anchor,
    between,
    crosses,
    penalty,
    route,
    runs_along,
    segments,
)
from escalation_charts.render.pptx.style import EDGE_STYLE, MIN_PT, Colours, ShapeStyle
from escalation_charts.render.pptx.text.fit import INSETS, label_lines

__all__ = ["ChartStep", "draw_lane", "draw_page", "label_box"]

_NOTIFY_REACH = 8.0  # points a notify arrow reaches into the lane it informs


@dataclass(frozen=True)
class ChartStep:
    """A step as the chart draws it."""

    text: StepText
    style: ShapeStyle
    escalates: bool = False  # its arrows are hand-overs, drawn heavy as on the chart


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
        draw_lane(shapes, band.lane, band.box, band.header, name, external, n, plan.lane_pt)
    first_connector = len(shapes._spTree)  # connectors go here, under the steps
    drawn: dict[str, Shape] = {}
    for placed in page.steps:
        drawn[placed.step] = _step(shapes, placed.step, placed.box, steps[placed.step], plan)
    boxes: dict[str, Box] = {p.step: p.box for p in page.steps}
    for ref in page.refs:
        drawn[ref.key] = _reference(shapes, ref, slide_of_page, steps)
        boxes[ref.key] = ref.box
    connectors, labels = _edges(shapes, page, plan, drawn, boxes, steps)
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
    """Edge labels: a little smaller than the steps' text, never under the plan's minimum."""
    return max(plan.min_pt, plan.step_pt - 1.0)


def draw_lane(
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
        dom_id("lane", lane_id),
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
        dom_id("lanehead", lane_id),
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
        dom_id("step", step_id),
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
    """The flowchart off-page connector: the number of the slide the arrow continues on
    (or comes from). Its name says which step it stands for."""
    box = ref.box
    name = dom_id("goto" if ref.outgoing else "from", ref.step)
    shape = add_box(
        shapes,
        name,
        "flowChartOffpageConnector",
        (box.x, box.y, box.width, box.height),
        fill=Colours.WHITE,
        line=Colours.MUTED,
        line_pt=1.25,
    )
    fill_text(
        shape,
        [[Text(str(slide_of_page[ref.page]), MIN_PT + 1, bold=True, colour=Colours.INK)]],
        wrap=False,
        anchor="t",
        insets=(0, 3, 0, 0),
    )
    return shape


def _edges(shapes, page: ChartPage, plan: ChartPlan, drawn, boxes, steps):  # type: ignore[no-untyped-def]
    """Route and add every connector; return their elements and the labels to place."""
    step_boxes = [p.box for p in page.steps]
    used_out: dict[str, set[int]] = {}
    connectors = []
    labels: list[tuple[tuple[float, float, float, float], str, str]] = []
    taken: list[Box] = [*step_boxes, *(ref.box for ref in page.refs)]  # labels avoid these
    lane_boxes = {b.lane: b.box for b in page.lanes}
    drawn_legs: list = []
    # Notify arrows first: they claim the side of their step that faces the lane.
    for step_id, lane_id, along in page.notify:
        path = _notify_route(boxes[step_id], lane_boxes[lane_id], along, step_boxes, drawn_legs)
        if path is None:
            continue
        drawn_legs.extend(segments(path))
        used_out.setdefault(step_id, set()).add(path.begin_side)
        look = EDGE_STYLE["notify"]
        connector = add_connector(
            shapes,
            dom_id("notify", step_id, lane_id),
            path,
            drawn[step_id],
            None,
            colour=look.colour,
            width_pt=look.width,
            dash=look.dash,
        )
        connectors.append(connector._element)
    obstacles = [*step_boxes, *(ref.box for ref in page.refs)]
    bounds = Box(
        min(b.box.x for b in page.lanes),
        min(b.box.y for b in page.lanes),
        max(b.box.right for b in page.lanes) - min(b.box.x for b in page.lanes),
        max(b.box.bottom for b in page.lanes) - min(b.box.y for b in page.lanes),
    )
    paths = _route_all(page, boxes, obstacles, drawn_legs, used_out)
    every_leg = [*drawn_legs, *(leg for p in paths for leg in segments(p))]
    for edge, path in zip(page.edges, paths, strict=True):
        source = steps.get(edge.source)
        kind = "handover" if edge.kind == "flow" and source and source.escalates else edge.kind
        look = EDGE_STYLE.get(kind, EDGE_STYLE["flow"])
        connector = add_connector(
            shapes,
            edge.name,
            path,
            drawn[edge.source],
            drawn[edge.target],
            colour=look.colour,
            width_pt=look.width,
            dash=look.dash,
        )
        connectors.append(connector._element)
        if edge.label:
            size = plan_label_pt(plan)
            own = set(segments(path))
            others = [leg for leg in every_leg if leg not in own]
            box = label_box(path, edge.label, size, taken, bounds, others)
            taken.append(Box(*box))
            labels.append((box, edge.label, "label-" + edge.name.removeprefix("edge-")))
    return connectors, labels


def _route_all(page: ChartPage, boxes, obstacles, fixed: list, notify_out) -> list[Route]:  # type: ignore[no-untyped-def]
    """Every arrow of the page, in two passes: each in turn avoiding those before it, then
    each again avoiding all the others (an early arrow cannot see where later ones must
    go; on the second pass it moves aside when that costs less)."""
    used_out: dict[str, set[int]] = {k: set(v) for k, v in notify_out.items()}
    used_in: dict[str, set[int]] = {}
    legs: list = list(fixed)
    paths: list[Route] = []
    for edge in page.edges:
        path = route(
            boxes[edge.source],
            boxes[edge.target],
            obstacles,
            used_out=used_out.get(edge.source, ()),
            target_out=used_out.get(edge.target, ()),
            used_in=used_in.get(edge.target, ()),
            source_in=used_in.get(edge.source, ()),
            taken=legs,
        )
        legs.extend(segments(path))
        used_out.setdefault(edge.source, set()).add(path.begin_side)
        used_in.setdefault(edge.target, set()).add(path.end_side)
        paths.append(path)
    for _ in range(_ROUNDS):
        if not _reroute(page, boxes, obstacles, fixed, notify_out, paths):
            break
    return paths


_ROUNDS = 3  # second passes at most: each moves an arrow only when that costs less


def _reroute(
    page: ChartPage, boxes, obstacles, fixed: list, notify_out, paths: list[Route]
) -> bool:  # type: ignore[no-untyped-def]
    """Route each arrow again among all the others; True when one of them moved."""
    moved = False
    for n, edge in enumerate(page.edges):
        others = [p for m, p in enumerate(paths) if m != n]
        taken = list(fixed) + [leg for p in others for leg in segments(p)]
        out: dict[str, set[int]] = {k: set(v) for k, v in notify_out.items()}
        into: dict[str, set[int]] = {}
        for other, p in zip((e for m, e in enumerate(page.edges) if m != n), others, strict=True):
            out.setdefault(other.source, set()).add(p.begin_side)
            into.setdefault(other.target, set()).add(p.end_side)
        source, target = boxes[edge.source], boxes[edge.target]
        again = route(
            source,
            target,
            obstacles,
            used_out=out.get(edge.source, ()),
            target_out=out.get(edge.target, ()),
            used_in=into.get(edge.target, ()),
            source_in=into.get(edge.source, ()),
            taken=taken,
        )
        if penalty(again, source, target, obstacles, taken) < penalty(
            paths[n], source, target, obstacles, taken
        ):
            paths[n] = again
            moved = True
    return moved


def _notify_route(
    box: Box, band: Box, along: float | None, obstacles: list[Box], taken: list
) -> Route | None:
    """A dotted arrow from the step's side facing the informed lane to just inside that
    lane's band, at the place the layout chose, or the nearest place that crosses no step."""
    if band.y >= box.bottom or band.bottom <= box.y:  # lanes stacked: a vertical arrow
        side = TOP if band.bottom <= box.y else BOTTOM
        end = band.bottom - _NOTIFY_REACH if side == TOP else band.y + _NOTIFY_REACH
        low, high, axis = box.x + 6, box.right - 6, 0
    elif band.x >= box.right or band.right <= box.x:  # lanes side by side: horizontal
        side = LEFT if band.right <= box.x else RIGHT
        end = band.right - _NOTIFY_REACH if side == LEFT else band.x + _NOTIFY_REACH
        low, high, axis = box.y + 6, box.bottom - 6, 1
    else:
        return None  # the step is in that lane
    start = anchor(box, side)
    wanted = min(max(along if along is not None else start[axis], low), high)
    for offset in (0, 12, -12, 24, -24, 36, -36, 48, -48):
        at = min(max(wanted + offset, low), high)
        if axis == 0:
            stop = (at, end)
            begin = (start[0], start[1])
            legs = [begin, (begin[0], (begin[1] + end) / 2), (at, (begin[1] + end) / 2), stop]
        else:
            stop = (end, at)
            begin = (start[0], start[1])
            legs = [begin, ((begin[0] + end) / 2, begin[1]), ((begin[0] + end) / 2, at), stop]
        clear = not any(
            crosses(a, b, other) for a, b in pairwise(legs) for other in obstacles if other != box
        ) and not any(runs_along(a, b, taken) for a, b in pairwise(legs))
        if clear:
            return between(begin, stop, side)
    # No straight way in: go round the steps to a point just inside the lane.
    at = (wanted, end) if axis == 0 else (end, wanted)
    return route(box, Box(at[0] - 0.5, at[1] - 0.5, 1.0, 1.0), obstacles, taken=taken)


def label_box(  # type: ignore[no-untyped-def]
    path: Route,
    text: str,
    size: float,
    taken: list[Box],
    bounds: Box,
    lines: Sequence[tuple[Point, Point]] = (),
):
    """Next to where the arrow leaves, on the free side of its first leg; failing that,
    beside the middle of any leg; failing that, where it covers least. `taken` are boxes
    the label should not cover (steps, references, other labels), `lines` the legs of the
    other arrows: a label is opaque, and on another arrow it hides that arrow's line and
    reads as its label."""
    rows = text.split("\n")
    width = max(deck_width(row, size) for row in rows) + 4
    height = len(rows) * size * LINE_HEIGHT + 2
    candidates = []
    for n, ((ax, ay), (bx, by)) in enumerate(pairwise(path.points)):
        # The first leg: right after the start; the others: at their middle.
        px, py = (ax, ay) if n == 0 else ((ax + bx) / 2, (ay + by) / 2)
        if abs(bx - ax) >= abs(by - ay):  # horizontal: above or below it
            x = px + 2 if n == 0 and bx >= ax else px - 2 - width if n == 0 else px - width / 2
            candidates += [(x, py - height - 1), (x, py + 1)]
        else:  # vertical: right or left of it
            y = py + 2 if n == 0 and by >= ay else py - 2 - height if n == 0 else py - height / 2
            candidates += [(px + 2, y), (px - 2 - width, y)]
    for (ax, ay), (bx, by) in pairwise(path.points):
        # Further along each leg (a quarter and three quarters of the way), both sides.
        for t in (0.15, 0.3, 0.7, 0.85):
            px, py = ax + t * (bx - ax), ay + t * (by - ay)
            if abs(bx - ax) >= abs(by - ay):
                candidates += [(px - width / 2, py - height - 1), (px - width / 2, py + 1)]
            else:
                candidates += [(px + 2, py - height / 2), (px - 2 - width, py - height / 2)]
    # Last resorts: one and two label heights further from the first leg (a label away
    # from its arrow costs as much as half a label on a step: beside it, if at all).
    beside = len(candidates)
    (ax, ay), (bx, by) = path.points[0], path.points[1]
    for step in (1, 2):
        x0, y0 = candidates[0]
        x1, y1 = candidates[1]
        if abs(bx - ax) >= abs(by - ay):
            candidates += [(x0, y0 - step * height), (x1, y1 + step * height)]
        else:
            candidates += [(x0 + step * width, y0), (x1 - step * width, y1)]
    best = None
    for n, (x, y) in enumerate(candidates):
        box = Box(x, y, width, height)
        outside = width * height - _overlap(box, bounds)  # off the chart counts as covering
        cover = sum(_overlap(box, other) for other in taken) + outside
        cover += width * height / 2 if n >= beside else 0.0
        # Hiding another arrow's line is as bad as covering a whole label's room.
        cover += width * height * sum(crosses(a, b, box) for a, b in lines)
        if cover < _FREE:
            return (x, y, width, height)
        if best is None or cover < best[0]:
            best = (cover, (x, y, width, height))
    return best[1] if best else (0.0, 0.0, width, height)


_FREE = 0.01  # square points: less is rounding (a box inside the chart "outside" by 1e-13)


def _overlap(a: Box, b: Box) -> float:
    dx = min(a.right, b.right) - max(a.x, b.x)
    dy = min(a.bottom, b.bottom) - max(a.y, b.y)
    return dx * dy if dx > 0 and dy > 0 else 0.0
