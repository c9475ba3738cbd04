"""Edge routes for the pinned chart: Graphviz's orthogonal router, our notify arrows, labels.

Flow and timer edges are routed by Graphviz (`nop2`, `splines=ortho`) around every step
and the lane-header strip, so they read like a hand-drawn flowchart: horizontal and
vertical runs, parallel edges on separate tracks. The router's cost grows much faster
than the number of steps, so a big chart is routed in overlapping windows along the flow
(edges that fit in a window are routed together, with the steps near them as obstacles).

Notify arrows are short and simple: a dotted line straight from the step to the edge of
the informed lane's band, moved sideways when a step is in the way. Labels are placed by
`labels`, once every route is known.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from escalation_charts.frozen import Frozen
from escalation_charts.frozen import set_field as _set
from escalation_charts.layout import dot_text as _dot
from escalation_charts.layout import engine as _graphviz
from escalation_charts.layout.geometry import Box, Point

__all__ = [
    "Obstacle",
    "corridor_route",
    "notify_route",
    "route_edges",
    "straight",
]

WINDOW = 36  # steps per routing window in a big chart (charts up to 2 windows: one pass)
_MARGIN = 72.0  # obstacles this close to a window are part of it


@dataclass(init=False, repr=False, eq=False)
class Obstacle(Frozen):
    """A pinned node the router must go around: a step, or the lane-header strip."""

    name: str
    box: Box
    shape: str = "box"

    def __init__(
        self,
        name: str,
        box: Box,
        shape: str = "box",
    ) -> None:
        _set(self, "name", name)
        _set(self, "box", box)
        _set(self, "shape", shape)


def straight(start: Point, end: Point) -> tuple[Point, ...]:
    """A straight line as a one-segment B-spline."""
    third = ((end[0] - start[0]) / 3, (end[1] - start[1]) / 3)
    return (
        _round(start),
        _round((start[0] + third[0], start[1] + third[1])),
        _round((start[0] + 2 * third[0], start[1] + 2 * third[1])),
        _round(end),
    )


def route_edges(
    obstacles: Sequence[Obstacle],
    edges: Sequence[tuple[str, str, str]],
    *,
    along_x: bool,
    bands: Mapping[str, Box] | None = None,
) -> dict[str, tuple[Point, ...]]:
    """Routes for `edges` (key, source, target) between named obstacles, as B-spline points
    from the source to the arrow tip at the target. Edges the router drops are missing.

    In a big chart, an edge too long for any window takes a corridor instead (see
    `corridor_route`); `bands` maps each step to its lane's band for that.
    """
    if not edges:
        return {}
    by_name = {o.name: o for o in obstacles}
    steps = [o for o in obstacles if o.name != "headers"]
    fixed = [o for o in obstacles if o.name == "headers"]

    def along(o: Obstacle) -> tuple[float, float]:
        return (o.box.x, o.box.right) if along_x else (o.box.y, o.box.bottom)

    order = sorted(steps, key=lambda o: (sum(along(o)) / 2, o.name))
    if len(order) <= 2 * WINDOW or bands is None:
        return _route_batch([*fixed, *steps], edges)
    rank = {o.name: i for i, o in enumerate(order)}
    batches: dict[int, list[tuple[str, str, str]]] = {}
    for edge in edges:
        lo, hi = sorted((rank[edge[1]], rank[edge[2]]))
        window = lo // WINDOW
        key = window if hi < (window + 2) * WINDOW else -1  # -1: too long for any window
        batches.setdefault(key, []).append(edge)
    routes: dict[str, tuple[Point, ...]] = {}
    tracks: dict[tuple[str, bool], int] = {}
    boxes = [o.box for o in steps]
    for key, source, target in batches.pop(-1, []):
        routes[key] = corridor_route(
            by_name[source], by_name[target], bands[source], boxes, tracks, along_x=along_x
        )
    for _, group in sorted(batches.items()):
        ends = [by_name[name] for _, s, t in group for name in (s, t)]
        start = min(along(o)[0] for o in ends) - _MARGIN
        stop = max(along(o)[1] for o in ends) + _MARGIN
        near = [o for o in steps if along(o)[1] >= start and along(o)[0] <= stop]
        routes.update(_route_batch([*fixed, *near], group))
    return routes


def corridor_route(
    source: Obstacle,
    target: Obstacle,
    band: Box,
    boxes: Sequence[Box],
    tracks: dict[tuple[str, bool], int],
    *,
    along_x: bool,
) -> tuple[Point, ...]:
    """An orthogonal route for a very long edge, without Graphviz (whose orthogonal router
    takes minutes with hundreds of steps in one run).

    Out of the source's far side into the free column between two ranks, across the flow to
    the source band's padding (no step is ever there), along it on a track of its own, then
    down the free column before the target and into the target's near side. Worked out in
    LR coordinates; TB charts are mirrored in and out.
    """

    def flip(box: Box) -> Box:
        return box if along_x else Box(box.y, box.x, box.height, box.width)

    s, t, lane = flip(source.box), flip(target.box), flip(band)
    others = [flip(b) for b in boxes]
    sy, ty = s.center[1], t.center[1]
    top = ty < sy or (ty == sy and t.center[0] < s.center[0])
    slot = tracks.get((f"{lane}", top), 0)
    tracks[(f"{lane}", top)] = slot + 1
    inset = 5.0 + 4.0 * (slot % 4)  # four tracks in the band's padding, then they share
    yc = lane.y + inset if top else lane.bottom - inset
    x1 = _free_column(s.right + 10, +1, (min(sy, yc), max(sy, yc)), others, exclude=s)
    x2 = _free_column(t.x - 10, -1, (min(yc, ty), max(yc, ty)), others, exclude=t)
    path = [(s.right, sy), (x1, sy), (x1, yc), (x2, yc), (x2, ty), (t.x, ty)]
    if not along_x:
        path = [(y, x) for x, y in path]
    return polyline(path)


def _free_column(
    start: float, step: float, span: tuple[float, float], boxes: Sequence[Box], exclude: Box
) -> float:
    """The first x from `start` (moving by `step` points) where a vertical line over `span`
    misses every box; `start` itself when none is free within 400 points."""
    x = start
    for _ in range(100):
        if not any(
            b is not exclude
            and b.x - 4 <= x <= b.right + 4
            and b.y - 4 <= span[1]
            and span[0] <= b.bottom + 4
            for b in boxes
        ):
            return x
        x += 4 * step
    return start


def _route_batch(
    obstacles: Sequence[Obstacle], edges: Sequence[tuple[str, str, str]]
) -> dict[str, tuple[Point, ...]]:
    """One Graphviz `nop2` run with orthogonal splines over these obstacles and edges."""
    top = max(o.box.bottom for o in obstacles)

    def gv(point: Point) -> str:  # top-left origin -> Graphviz (y up)
        return f"{point[0]:.2f},{top - point[1]:.2f}"

    lines = [
        "digraph route {",
        "  graph [splines=ortho];",
        '  node [fixedsize=true, label=""];',
    ]
    for o in obstacles:
        attrs = {
            "pos": gv(o.box.center),
            "shape": o.shape,
            "width": o.box.width / 72,
            "height": o.box.height / 72,
        }
        lines.append(f"  {_dot.quote(o.name)} {_dot.attr_list(attrs)};")
    for key, source, target in edges:
        lines.append(f"  {_dot.quote(source)} -> {_dot.quote(target)} [id={_dot.quote(key)}];")
    lines.append("}")
    laid = _graphviz.lay_out("\n".join(lines), "nop2")
    # nop2 moves the drawing so that its bounding box starts at 0,0: undo that.
    ref = obstacles[0]
    gx, gy, _, _ = laid.nodes[ref.name]
    dx = gx - ref.box.center[0]
    dy = gy - (top - ref.box.center[1])

    def back(x: float, y: float) -> Point:
        return (round(x - dx, 2), round(top - (y - dy), 2))

    out = {}
    for key, _, _ in edges:
        points = parse_spline(laid.edges.get(key, {}).get("pos", ""), back)
        if points:
            out[key] = points
    return out


def parse_spline(pos: str, back: Callable[[float, float], Point]) -> tuple[Point, ...]:
    """Graphviz edge `pos` (`e,x,y p0 c1 c2 p ...`) as B-spline points ending at the arrow
    tip: the last point moves to the tip, and its control point with it."""
    if not pos:
        return ()
    tip = None
    points: list[Point] = []
    for token in pos.split():
        parts = token.split(",")
        if parts[0] == "e":
            tip = back(float(parts[1]), float(parts[2]))
        elif parts[0] != "s":
            points.append(back(float(parts[0]), float(parts[1])))
    if len(points) < 4 or (len(points) - 1) % 3:
        return ()
    if tip is not None:
        last, c2 = points[-1], points[-2]
        points[-2] = _round((c2[0] + tip[0] - last[0], c2[1] + tip[1] - last[1]))
        points[-1] = tip
    return tuple(points)


# -- notify arrows ------------------------------------------------------------------------


def boundary(shape: str, box: Box, offset: float, toward_start: bool, along_x: bool) -> float:
    """Where a shape's outline is, across the flow, at `offset` from its centre along it.

    For LR charts (`along_x`) this is the y of the top (`toward_start`) or bottom outline at
    x = centre + offset; for TB charts the x of the left or right outline.
    """
    cx, cy = box.center
    half_along = box.width / 2 if along_x else box.height / 2
    half_across = box.height / 2 if along_x else box.width / 2
    ratio = min(abs(offset) / half_along, 1.0) if half_along else 0.0
    if shape == "diamond":
        reach = half_across * (1 - ratio)
    elif shape == "ellipse":
        reach = half_across * math.sqrt(max(1 - ratio * ratio, 0.0))
    else:
        reach = half_across
    centre = cy if along_x else cx
    return centre - reach if toward_start else centre + reach


def notify_route(
    source: Obstacle,
    end_across: float,
    others: Sequence[Box],
    taken: list[float],
    *,
    along_x: bool,
) -> tuple[Point, ...]:
    """A dotted notify arrow from `source` across the flow to `end_across` (the near edge of
    the informed band): straight out of the step where nothing is in the way, else out of
    its side and round the blocking step."""
    box = source.box
    centre = box.center[0] if along_x else box.center[1]
    middle = box.center[1] if along_x else box.center[0]
    half = (box.width if along_x else box.height) / 2
    up = end_across < middle
    fractions = (0.45, -0.45, 0.25, -0.25, 0.0, 0.65, -0.65)
    if source.shape != "box":
        fractions = (0.3, -0.3, 0.15, -0.15, 0.0, 0.45, -0.45)
    candidates: list[list[Point]] = []
    for fraction in fractions:
        at = centre + fraction * half
        start = boundary(source.shape, box, at - centre, up, along_x)
        candidates.append([(at, start), (at, end_across)])
    for side in (1, -1):  # out of the side, then across the flow
        for distance in (14.0, 28.0, 42.0):
            at = centre + side * (half + distance)
            candidates.append([(centre + side * half, middle), (at, middle), (at, end_across)])
    chosen = candidates[0]
    for path in candidates:
        if any(abs(path[-1][0] - t) < 8 for t in taken):
            continue
        points = path if along_x else [(y, x) for x, y in path]
        segments = list(itertools.pairwise(points))
        if not any(_segment_hits(a, b, other) for a, b in segments for other in others):
            chosen = path
            break
    taken.append(chosen[-1][0])
    points = chosen if along_x else [(y, x) for x, y in chosen]
    return polyline(points)


def polyline(points: Sequence[Point]) -> tuple[Point, ...]:
    """Straight segments through `points` as a B-spline (each segment a flat cubic)."""
    out: list[Point] = [_round(points[0])]
    for a, b in itertools.pairwise(points):
        out += list(straight(a, b)[1:])
    return tuple(out)


def _segment_hits(a: Point, b: Point, box: Box, pad: float = 3.0) -> bool:
    """Whether the axis-parallel segment a-b passes through `box` (grown by `pad`)."""
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    return not (
        x1 < box.x - pad or x0 > box.right + pad or y1 < box.y - pad or y0 > box.bottom + pad
    )


def _round(point: Point) -> Point:
    return (round(point[0], 2), round(point[1], 2))
