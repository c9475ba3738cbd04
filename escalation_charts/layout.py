"""Swim-lane geometry: Graphviz orders the flow, then lanes become fixed bands.

Graphviz clusters are not lanes (they are placed side by side, in any order, with
different lengths), so the chart is laid out in two passes:

1. `dot`, one cluster per lane, gives each step its place along the flow and the order of
   the steps inside their lane.
2. The lanes are stacked as bands in declared order, all the same length; each lane's steps
   move into their band by one offset (so they keep their relative places and cannot
   overlap), and Graphviz's spline router draws the edges around the pinned steps and
   lane headers.

The result is a `geometry.Layout` in points, origin top-left, that every drawing output
reads. `direction="TB"` swaps the axes: lanes become columns with their header on top.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import _dot, _graphviz, textfit
from .geometry import Box, EdgeRoute, LaneBand, Layout, Point, StepBox
from .model import Definition, Lane, Step, StepType

__all__ = [
    "DIRECTIONS",
    "EDGE_FONT_SIZE",
    "FONT",
    "HEADER_FONT_SIZE",
    "STEP_FONT_SIZE",
    "LayoutError",
    "compute_layout",
    "edge_label",
    "header_lines",
    "reachable_steps",
    "step_lines",
]

DIRECTIONS = ("LR", "TB")
FONT = "Helvetica"
STEP_FONT_SIZE = 11.0
HEADER_FONT_SIZE = 12.0
HEADER_NOTE_SIZE = 9.0
EDGE_FONT_SIZE = 9.0

_WRAP = {StepType.DECISION: 96.0, StepType.START: 110.0, StepType.RESOLUTION: 110.0}
_WRAP_DEFAULT = 124.0
_LR_HEADER_WIDTH = 128.0  # the header column when lanes are horizontal bands
_TB_HEADER_WRAP = 150.0  # the widest a header's text gets when lanes are columns
_BAND_PAD = 20.0  # space between a band's edge and its outermost step
_ALONG_PAD = 28.0  # space between the header and the first step, and after the last
_NODESEP = 0.4  # inches between steps of one rank (pass 1)
_RANKSEP = 0.75  # inches between ranks (pass 1); room for edge labels
_LABEL_GAP = 3.0  # space between an edge and its label


class LayoutError(ValueError):
    """The layout cannot be computed for these arguments (unknown direction or severity)."""


@dataclass(frozen=True)
class _Size:
    width: float
    height: float


def step_lines(step: Step) -> list[str]:
    """A step's label wrapped as it is drawn."""
    width = _WRAP.get(step.type, _WRAP_DEFAULT)
    return textfit.wrap(step.label, width, STEP_FONT_SIZE) or [""]


def header_lines(lane: Lane, direction: str = "LR") -> tuple[list[str], list[str]]:
    """A lane header's text: the name (bold) wrapped, then a note (level, external)."""
    width = _LR_HEADER_WIDTH - 16 if direction == "LR" else _TB_HEADER_WRAP
    name = textfit.wrap(lane.name, width, HEADER_FONT_SIZE, bold=True)
    notes = []
    if lane.level is not None:
        notes.append(f"level {lane.level}")
    if lane.external:
        notes.append("external")
    return name, [" · ".join(notes)] if notes else []


def edge_label(step: Step, index: int) -> str | None:
    """The text written on edge `index` of `step`: the branch, and `after 2h` on timers."""
    edge = step.next[index]
    parts = []
    if edge.when is not None:
        parts.append(edge.when)
    if edge.after is not None:
        parts.append(f"after {edge.after.compact()}")
    return ", ".join(parts) if parts else None


def _text_size(lines: Sequence[str], size: float, bold: bool = False) -> _Size:
    width = max((textfit.text_width(line, size, bold=bold) for line in lines), default=0.0)
    return _Size(width, textfit.line_height(size) * max(len(lines), 1))


def _step_size(step: Step) -> _Size:
    """The shape's size: the text plus the padding each flowchart shape needs."""
    text = _text_size(step_lines(step), STEP_FONT_SIZE)
    if step.type is StepType.DECISION:
        # A diamond holds a text rectangle when w/2W + h/2H <= 1; 1.7 and 2.5 leave a margin.
        return _Size(max(text.width * 1.7 + 16, 96.0), max(text.height * 2.5 + 12, 56.0))
    if step.type in (StepType.START, StepType.RESOLUTION):
        # An ellipse holds a rectangle scaled by sqrt(2).
        return _Size(
            max((text.width + 10) * math.sqrt(2), 96.0),
            max((text.height + 6) * math.sqrt(2), 42.0),
        )
    return _Size(max(text.width + 28, 96.0), max(text.height + 20, 42.0))


def reachable_steps(definition: Definition, severity: str | None) -> set[str]:
    """Steps a ticket of `severity` can reach from a start (all reachable ones when None)."""
    steps = definition.steps_by_id
    todo = [s.id for s in definition.steps if s.type is StepType.START]
    seen = set(todo)
    while todo:
        for edge in steps[todo.pop()].next:
            if edge.to in steps and edge.to not in seen:
                if severity is not None and not edge.holds_for(severity):
                    continue
                seen.add(edge.to)
                todo.append(edge.to)
    return seen


def compute_layout(
    definition: Definition, *, direction: str = "LR", severity: str | None = None
) -> Layout:
    """The chart's geometry for `definition`.

    `direction` is `LR` (lanes are horizontal bands, flow runs left to right) or `TB` (lanes
    are columns, flow runs downwards). With `severity`, only edges that hold for it are
    routed and `Layout.dimmed` lists the steps a ticket of that severity never reaches;
    steps keep their places so charts of different severities line up.
    """
    if direction not in DIRECTIONS:
        raise LayoutError(f"unknown direction {direction!r}; choose LR or TB")
    if severity is not None and severity not in definition.severities_by_id:
        known = ", ".join(s.id for s in definition.severities) or "none defined"
        raise LayoutError(f"unknown severity {severity!r}; known: {known}")
    lanes = definition.lanes
    lane_ids = {lane.id for lane in lanes}
    steps = [s for s in definition.steps if s.lane in lane_ids]
    sizes = {s.id: _step_size(s) for s in steps}
    along, across = _rank_pass(definition, steps, sizes, direction)
    bands, boxes, size = _place(definition, steps, sizes, along, across, direction)
    edges = _route_pass(definition, steps, bands, boxes, size, direction, severity)
    dimmed = ()
    if severity is not None:
        reached = reachable_steps(definition, severity)
        dimmed = tuple(s.id for s in steps if s.id not in reached)
    return Layout(
        width=size[0],
        height=size[1],
        direction=direction,
        lanes=tuple(bands),
        steps=tuple(StepBox(s.id, boxes[s.id]) for s in steps),
        edges=tuple(edges),
        severity=severity,
        dimmed=dimmed,
    )


# -- pass 1: ranks and in-lane order from dot ------------------------------------------


def _shape(step: Step) -> str:
    if step.type is StepType.DECISION:
        return "diamond"
    if step.type in (StepType.START, StepType.RESOLUTION):
        return "ellipse"
    return "box"


def _node_line(name: str, attrs: dict[str, str | float | None]) -> str:
    return f"  {_dot.quote(name)} {_dot.attr_list(attrs)};"


def _flow_edges(definition: Definition, steps: Iterable[Step]) -> Iterable[tuple[Step, int]]:
    """Every edge (source, index in `next`) whose target is a drawn step."""
    drawn = {s.id for s in steps}
    for step in steps:
        for index, edge in enumerate(step.next):
            if edge.to in drawn:
                yield step, index


def _rank_pass(
    definition: Definition,
    steps: Sequence[Step],
    sizes: dict[str, _Size],
    direction: str,
) -> tuple[dict[str, float], dict[str, float]]:
    """Each step's centre along the flow and across it, from `dot` with lane clusters."""
    lines = [
        "digraph pass1 {",
        f"  graph [rankdir={direction}, newrank=true, nodesep={_NODESEP}, "
        f"ranksep={_RANKSEP}, splines=false];",
        '  node [fixedsize=true, label=""];',
    ]
    for lane_index, lane in enumerate(definition.lanes):
        lines.append(f"  subgraph {_dot.quote(f'cluster_{lane_index}')} {{")
        for step in steps:
            if step.lane == lane.id:
                size = sizes[step.id]
                attrs = {
                    "shape": _shape(step),
                    "width": size.width / 72,
                    "height": size.height / 72,
                }
                lines.append("  " + _node_line(step.id, attrs))
        lines.append("  }")
    for step, index in _flow_edges(definition, steps):
        target = step.next[index].to
        lines.append(f"  {_dot.quote(step.id)} -> {_dot.quote(target)};")
    lines.append("}")
    laid = _graphviz.lay_out("\n".join(lines), "dot")
    along, across = {}, {}
    for step in steps:
        x, y, _, _ = laid.nodes[step.id]
        if direction == "LR":
            along[step.id], across[step.id] = x, -y
        else:
            along[step.id], across[step.id] = -y, x
    return along, across


# -- pass 2: bands --------------------------------------------------------------------


def _place(
    definition: Definition,
    steps: Sequence[Step],
    sizes: dict[str, _Size],
    along: dict[str, float],
    across: dict[str, float],
    direction: str,
) -> tuple[list[LaneBand], dict[str, Box], tuple[float, float]]:
    """Stack the bands in declared order and move every step into its lane's band."""
    lr = direction == "LR"

    def extent(step: Step) -> tuple[float, float]:  # (along, across) size
        size = sizes[step.id]
        return (size.width, size.height) if lr else (size.height, size.width)

    headers = {lane.id: header_lines(lane, direction) for lane in definition.lanes}
    header_sizes = {
        lane_id: _header_text_size(name, note) for lane_id, (name, note) in headers.items()
    }
    if lr:
        header_along = _LR_HEADER_WIDTH
    else:
        header_along = max((s.height for s in header_sizes.values()), default=0.0) + 20
    if steps:
        lo = min(along[s.id] - extent(s)[0] / 2 for s in steps)
        hi = max(along[s.id] + extent(s)[0] / 2 for s in steps)
    else:
        lo = hi = 0.0
    start = header_along + _ALONG_PAD
    length = round(start + (hi - lo) + _ALONG_PAD, 2)

    bands: list[LaneBand] = []
    boxes: dict[str, Box] = {}
    offset = 0.0
    for lane in definition.lanes:
        members = [s for s in steps if s.lane == lane.id]
        if members:
            top = min(across[s.id] - extent(s)[1] / 2 for s in members)
            bottom = max(across[s.id] + extent(s)[1] / 2 for s in members)
        else:
            top = bottom = 0.0
        hsize = header_sizes[lane.id]
        minimum = (hsize.height if lr else hsize.width) + 24
        thickness = round(max(bottom - top + 2 * _BAND_PAD, minimum, 72.0), 2)
        shift = offset + (thickness - (bottom - top)) / 2 - top
        for step in members:
            a = along[step.id] - lo + start
            c = across[step.id] + shift
            ea, ec = extent(step)
            if lr:
                boxes[step.id] = Box(a - ea / 2, c - ec / 2, ea, ec)
            else:
                boxes[step.id] = Box(c - ec / 2, a - ea / 2, ec, ea)
        if lr:
            band = Box(0.0, offset, length, thickness)
            header = Box(0.0, offset, header_along, thickness)
        else:
            band = Box(offset, 0.0, thickness, length)
            header = Box(offset, 0.0, thickness, header_along)
        bands.append(LaneBand(lane.id, _round_box(band), _round_box(header)))
        offset = round(offset + thickness, 2)
    size = (length, offset) if lr else (offset, length)
    return bands, {k: _round_box(v) for k, v in boxes.items()}, size


def _header_text_size(name: Sequence[str], note: Sequence[str]) -> _Size:
    main = _text_size(name, HEADER_FONT_SIZE, bold=True)
    extra = _text_size(note, HEADER_NOTE_SIZE) if note else _Size(0.0, 0.0)
    return _Size(max(main.width, extra.width), main.height + extra.height)


def _round_box(box: Box) -> Box:
    """Boxes on a 0.01 pt grid, so the numbers every output writes are stable."""
    return Box(round(box.x, 2), round(box.y, 2), round(box.width, 2), round(box.height, 2))


# -- pass 3: edge routes -------------------------------------------------------------


def _route_pass(
    definition: Definition,
    steps: Sequence[Step],
    bands: Sequence[LaneBand],
    boxes: dict[str, Box],
    size: tuple[float, float],
    direction: str,
    severity: str | None,
) -> list[EdgeRoute]:
    """Route the edges with Graphviz's spline router around the pinned steps and headers."""
    height = size[1]

    def gv(point: Point) -> str:  # top-left origin -> Graphviz (y up), as "x,y"
        return f"{point[0]:.2f},{height - point[1]:.2f}"

    lines = [
        "digraph pass2 {",
        '  graph [splines=spline, sep="+6", esep="+3"];',
        '  node [fixedsize=true, label="", shape=box];',
    ]
    # One obstacle for the whole header strip: adjacent header cells would "touch", and
    # Graphviz then gives up on splines for every edge.
    strip = _header_strip(bands)
    if strip is not None:
        lines.append(
            _node_line(
                "headers",
                {"pos": gv(strip.center), "width": strip.width / 72, "height": strip.height / 72},
            )
        )
    by_id = {s.id: s for s in steps}
    for step in steps:
        box = boxes[step.id]
        lines.append(
            _node_line(
                step.id,
                {
                    "pos": gv(box.center),
                    "shape": _shape(step),
                    "width": box.width / 72,
                    "height": box.height / 72,
                },
            )
        )
    wanted: list[tuple[str, str, str, str, int | None, str | None]] = []
    for step, index in _flow_edges(definition, steps):
        edge = step.next[index]
        if severity is not None and not edge.holds_for(severity):
            continue
        kind = "timer" if edge.is_timer else "flow"
        wanted.append((f"e{len(wanted)}", step.id, edge.to, kind, index, edge_label(step, index)))
    band_of = {band.lane: band for band in bands}
    targets = _notify_targets(steps, boxes, band_of, direction)
    for (source, lane_id), point in targets.items():
        name = f"notify:{source}:{lane_id}"
        lines.append(
            _node_line(name, {"pos": gv(point), "shape": "point", "width": 0.02, "height": 0.02})
        )
        wanted.append((f"e{len(wanted)}", source, name, "notify", None, None))
    for key, source, target, _, _, _ in wanted:
        lines.append(f"  {_dot.quote(source)} -> {_dot.quote(target)} [id={_dot.quote(key)}];")
    lines.append("}")
    laid = _graphviz.lay_out("\n".join(lines), "nop2")

    # nop2 moves the drawing so its bounding box starts at 0,0: undo that with one node.
    dx = dy = 0.0
    if strip is not None:
        gx, gy, _, _ = laid.nodes["headers"]
        cx, cy = strip.center
        dx, dy = gx - cx, gy - (height - cy)

    def back(x: float, y: float) -> Point:
        return (round(x - dx, 2), round(height - (y - dy), 2))

    obstacles = [boxes[s.id] for s in steps] + [band.header for band in bands]
    placed: list[Box] = []
    routes = []
    for key, source, target, kind, index, label in wanted:
        points = _parse_spline(laid.edges.get(key, {}).get("pos", ""), back)
        if not points:
            points = _straight(boxes[source], boxes.get(target), targets, source, target)
        lane_target = target.split(":")[2] if kind == "notify" else target
        label_pos = None
        if label:
            near_source = by_id[source].type is StepType.DECISION
            label_pos = _place_label(points, label, near_source, obstacles, placed)
        routes.append(
            EdgeRoute(
                source=source,
                target=lane_target,
                kind=kind,
                index=index,
                points=points,
                label=label,
                label_pos=label_pos,
            )
        )
    return routes


def _header_strip(bands: Sequence[LaneBand]) -> Box | None:
    """The box covering every lane header (a column for LR, a row for TB)."""
    if not bands:
        return None
    x0 = min(b.header.x for b in bands)
    y0 = min(b.header.y for b in bands)
    x1 = max(b.header.right for b in bands)
    y1 = max(b.header.bottom for b in bands)
    return Box(x0, y0, x1 - x0, y1 - y0)


def _notify_targets(
    steps: Sequence[Step],
    boxes: dict[str, Box],
    band_of: dict[str, LaneBand],
    direction: str,
) -> dict[tuple[str, str], Point]:
    """Where each notify arrow ends: just inside the near edge of the informed lane's band,
    level with the step, moved along when another arrow already ends there."""
    lr = direction == "LR"
    taken: list[Point] = []
    out: dict[tuple[str, str], Point] = {}
    for step in steps:
        own = band_of[step.lane].box
        for lane_id in step.notify:
            band = band_of.get(lane_id)
            if band is None or lane_id == step.lane:
                continue
            box = boxes[step.id]
            target = band.box
            if lr:
                below = target.y > own.y
                across = target.y + 4 if below else target.bottom - 4
                point = (box.center[0] + box.width / 4, across)
            else:
                right = target.x > own.x
                across = target.x + 4 if right else target.right - 4
                point = (across, box.center[1] + box.height / 4)
            while any(abs(point[0] - p[0]) < 14 and abs(point[1] - p[1]) < 14 for p in taken):
                point = (point[0] + 14, point[1]) if lr else (point[0], point[1] + 14)
            taken.append(point)
            out[(step.id, lane_id)] = point
    return out


def _parse_spline(pos: str, back: object) -> tuple[Point, ...]:
    """Graphviz `pos` of an edge (`e,x,y p0 c1 c2 p ...`) as B-spline points that reach the
    arrow tip: the last control points move so the curve ends where the arrow points."""
    if not pos:
        return ()
    tip = None
    points: list[Point] = []
    for token in pos.split():
        parts = token.split(",")
        if parts[0] == "e":
            tip = back(float(parts[1]), float(parts[2]))  # type: ignore[operator]
        elif parts[0] == "s":
            continue
        else:
            points.append(back(float(parts[0]), float(parts[1])))  # type: ignore[operator]
    if len(points) < 4 or (len(points) - 1) % 3:
        return ()
    if tip is not None:
        last = points[-1]
        shift = (tip[0] - last[0], tip[1] - last[1])
        c2 = points[-2]
        points[-2] = (round(c2[0] + shift[0], 2), round(c2[1] + shift[1], 2))
        points[-1] = tip
    return tuple(points)


def _straight(
    source: Box, target: Box | None, targets: dict, source_id: str, target_id: str
) -> tuple[Point, ...]:
    """A straight route, for the rare edge the router gave up on."""
    start = source.center
    if target is not None:
        end = target.center
    else:
        end = next(p for (s, lane), p in targets.items() if target_id == f"notify:{s}:{lane}")
    third = ((end[0] - start[0]) / 3, (end[1] - start[1]) / 3)
    return (
        start,
        (start[0] + third[0], start[1] + third[1]),
        (start[0] + 2 * third[0], start[1] + 2 * third[1]),
        end,
    )


# -- edge labels ------------------------------------------------------------------------


def _bezier(points: Sequence[Point], t: float) -> Point:
    """The point at `t` (0..1) along a piecewise cubic B-spline of Graphviz form."""
    segments = (len(points) - 1) // 3
    position = min(t * segments, segments - 1e-9)
    i = int(position)
    u = position - i
    p0, p1, p2, p3 = points[3 * i : 3 * i + 4]
    a, b, c, d = (1 - u) ** 3, 3 * u * (1 - u) ** 2, 3 * u * u * (1 - u), u**3
    return (
        a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
        a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
    )


def _place_label(
    points: Sequence[Point],
    label: str,
    near_source: bool,
    obstacles: Sequence[Box],
    placed: list[Box],
) -> Point:
    """A label centre beside the route that covers no step, header or other label.

    Decision branches are labelled near the diamond (that is where the reader asks "which
    way?"); other labels near the middle. The first free candidate wins; if none is free,
    the one covering the least wins.
    """
    lines = label.split("\n")
    size = _text_size(lines, EDGE_FONT_SIZE)
    w, h = size.width + 4, size.height + 2
    ts = (0.22, 0.32, 0.14, 0.42, 0.55) if near_source else (0.5, 0.38, 0.62, 0.28, 0.72)
    best: tuple[float, Point] | None = None
    for t in ts:
        x, y = _bezier(points, t)
        x2, y2 = _bezier(points, min(t + 0.02, 1.0))
        horizontal = abs(x2 - x) >= abs(y2 - y)
        if horizontal:
            offsets = ((0.0, -(h / 2 + _LABEL_GAP)), (0.0, h / 2 + _LABEL_GAP))
        else:
            offsets = ((w / 2 + _LABEL_GAP, 0.0), (-(w / 2 + _LABEL_GAP), 0.0))
        for ox, oy in offsets:
            cx, cy = x + ox, y + oy
            box = Box(cx - w / 2, cy - h / 2, w, h)
            cost = sum(_overlap(box, other) for other in (*obstacles, *placed))
            if best is None or cost < best[0]:
                best = (cost, (round(cx, 2), round(cy, 2)))
            if cost == 0:
                placed.append(box)
                return best[1]
    assert best is not None
    cx, cy = best[1]
    placed.append(Box(cx - w / 2, cy - h / 2, w, h))
    return best[1]


def _overlap(a: Box, b: Box) -> float:
    dx = min(a.right, b.right) - max(a.x, b.x)
    dy = min(a.bottom, b.bottom) - max(a.y, b.y)
    return dx * dy if dx > 0 and dy > 0 else 0.0
