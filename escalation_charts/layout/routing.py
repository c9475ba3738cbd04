"""Edge routes for the pinned chart: Graphviz's orthogonal router, our notify arrows, labels.

Flow and timer edges are routed by Graphviz (`nop2`, `splines=ortho`) around every step
and the lane-header strip, so they read like a hand-drawn flowchart: horizontal and
vertical runs, parallel edges on separate tracks. The router's cost grows much faster
than the number of steps, so a big chart is routed in overlapping windows along the flow
(edges that fit in a window are routed together, with the steps near them as obstacles).

Notify arrows are short and simple: a dotted line straight from the step to the edge of
the informed lane's band, moved sideways when a step is in the way.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from escalation_charts.layout import dot_text as _dot
from escalation_charts.layout import engine as _graphviz
from escalation_charts.layout import textfit
from escalation_charts.layout.geometry import Box, Point

__all__ = [
    "LabelPlacer",
    "Obstacle",
    "bezier_point",
    "corridor_route",
    "label_size",
    "notify_route",
    "route_edges",
    "shape_boxes",
    "straight",
]

WINDOW = 36  # steps per routing window in a big chart (charts up to 2 windows: one pass)
_MARGIN = 72.0  # obstacles this close to a window are part of it


@dataclass(frozen=True)
class Obstacle:
    """A pinned node the router must go around: a step, or the lane-header strip."""

    name: str
    box: Box
    shape: str = "box"


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


# -- labels -------------------------------------------------------------------------------


def bezier_point(points: Sequence[Point], t: float) -> Point:
    """The point at `t` (0..1) along a piecewise cubic B-spline of Graphviz form."""
    segments = (len(points) - 1) // 3
    position = min(max(t, 0.0) * segments, segments - 1e-9)
    i = int(position)
    u = position - i
    p0, p1, p2, p3 = points[3 * i : 3 * i + 4]
    a, b, c, d = (1 - u) ** 3, 3 * u * (1 - u) ** 2, 3 * u * u * (1 - u), u**3
    return (
        a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
        a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
    )


def _clipped_length(a: Point, b: Point, box: Box) -> float:
    """The length of segment a-b inside `box` (Liang-Barsky clipping)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in (
        (-dx, a[0] - box.x),
        (dx, box.right - a[0]),
        (-dy, a[1] - box.y),
        (dy, box.bottom - a[1]),
    ):
        if p == 0:
            if q < 0:
                return 0.0
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return 0.0
    return (t1 - t0) * math.hypot(dx, dy)


def _polyline(points: Sequence[Point], step: float | None = None) -> list[tuple[Point, float]]:
    """Samples along the spline (8 per segment, or about every `step` points) with their
    distance from the start."""
    segments = (len(points) - 1) // 3
    count = max(8 * segments, 8)
    if step is not None:
        rough = sum(math.dist(a, b) for a, b in itertools.pairwise(points[::3]))
        count = max(int(rough / step), count)
    samples = [bezier_point(points, i / count) for i in range(count + 1)]
    out, total = [(samples[0], 0.0)], 0.0
    for a, b in itertools.pairwise(samples):
        total += math.dist(a, b)
        out.append((b, total))
    return out


def shape_boxes(shape: str, box: Box) -> list[Box]:
    """Boxes that cover a step's outline closely: a diamond or an ellipse leaves its corners
    free, and those corners are where a decision's branch labels read best."""
    if shape not in ("diamond", "ellipse"):
        return [box]
    cx, cy = box.center
    a, b = box.width / 2, box.height / 2
    out = []
    strips = 4
    for i in range(strips):
        inner = i / strips  # the strip's edge nearest the centre, as a fraction of b
        diamond = shape == "diamond"
        half = a * (1 - inner) if diamond else a * math.sqrt(max(1 - inner * inner, 0.0))
        dy0, dy1 = b * inner, b * (i + 1) / strips
        out.append(Box(cx - half, cy - dy1, 2 * half, dy1 - dy0))
        out.append(Box(cx - half, cy + dy0, 2 * half, dy1 - dy0))
    return out


class LabelPlacer:
    """Places edge labels beside their routes where they cover no step, header, label or
    edge line; the routes are known up front, so a label never hides another arrow."""

    _CELL = 24.0

    def __init__(
        self, routes: Sequence[Sequence[Point]], obstacles: Sequence[Obstacle], bounds: Box
    ) -> None:
        # a little air around steps, so a label never touches an outline
        self._boxes: dict[tuple[int, int], list[Box]] = {}
        for o in obstacles:
            for b in shape_boxes(o.shape, o.box):
                self._add_box(Box(b.x - 2, b.y - 2, b.width + 4, b.height + 4))
        self._bounds = bounds
        self._lines: dict[tuple[int, int], list[tuple[Point, Point]]] = {}
        for points in routes:
            for i in range(0, len(points) - 3, 3):
                a, b = points[i], points[i + 3]
                chord = Box(min(a[0], b[0]), min(a[1], b[1]), abs(a[0] - b[0]), abs(a[1] - b[1]))
                for cell in self._cells(chord):
                    self._lines.setdefault(cell, []).append((a, b))

    def _cell(self, point: Point) -> tuple[int, int]:
        return (int(point[0] // self._CELL), int(point[1] // self._CELL))

    def _cells(self, box: Box) -> Iterator[tuple[int, int]]:
        x0, y0 = self._cell((box.x, box.y))
        x1, y1 = self._cell((box.right, box.bottom))
        for cx in range(x0, x1 + 1):
            for cy in range(y0, y1 + 1):
                yield (cx, cy)

    def _add_box(self, box: Box) -> None:
        for cell in self._cells(box):
            self._boxes.setdefault(cell, []).append(box)

    def _box_cost(self, box: Box) -> float:
        near = {id(b): b for cell in self._cells(box) for b in self._boxes.get(cell, ())}
        return sum(_overlap(box, other) for other in near.values())

    def _line_cost(self, box: Box) -> float:
        """How many points of edge line the box covers (each chord of a route counted once,
        clipped to the box)."""
        seen = {seg for cell in self._cells(box) for seg in self._lines.get(cell, ())}
        return sum(_clipped_length(a, b, box) for a, b in seen)

    def place(self, points: Sequence[Point], label: str, size: float, near_source: bool) -> Point:
        """The label's centre. Decision branches are labelled just after they leave the
        diamond (where the reader asks "which way?"), other labels near the middle."""
        w, h = label_size(label, size)
        samples = _polyline(points)
        length = samples[-1][1]
        fractions = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)
        if near_source:
            wanted = [d for d in (12 + w / 2, 14, 30 + w / 2, 50 + w / 2) if d < length * 0.8]
            wanted += [length * f for f in fractions[3:]]
        else:
            wanted = [length * f for f in fractions]
        best: tuple[float, Point, Box] | None = None
        for distance in wanted:
            index = next((i for i, (_, d) in enumerate(samples) if d >= distance), -1)
            (x, y), _ = samples[index]
            (xa, ya), _ = samples[max(index - 1, 0) if index >= 0 else -2]
            (xb, yb), _ = samples[min(index + 1, len(samples) - 1) if index >= 0 else -1]
            gap = 3.0
            if abs(xb - xa) >= abs(yb - ya):  # a horizontal run: above, else below
                offsets = []
                for far in (0.0, 24.0, 48.0):  # further out only when nothing closer is free
                    dy = h / 2 + gap + far
                    offsets += [(0.0, -dy), (0.0, dy)]
                    offsets += [(sx * w / 2, sy * dy) for sy in (-1, 1) for sx in (1, -1)]
            else:  # a vertical run: right, else left
                offsets = []
                for far in (0.0, 24.0, 48.0):
                    dx = w / 2 + gap + far
                    offsets += [(dx, 0.0), (-dx, 0.0)]
                    offsets += [(sx * dx, sy * h / 2) for sx in (1, -1) for sy in (-1, 1)]
            for ox, oy in offsets:
                box = Box(x + ox - w / 2, y + oy - h / 2, w, h)
                cost = 10 * self._box_cost(box)
                cost += 7.5 * self._line_cost(box)
                if not self._bounds.contains(box):
                    cost += 4 * w * h
                if best is None or cost < best[0] - 1e-9:
                    best = (cost, (round(x + ox, 2), round(y + oy, 2)), box)
                if cost == 0:
                    break
            if best is not None and best[0] == 0:
                break
        assert best is not None
        self._add_box(best[2])
        return best[1]


def label_size(label: str, size: float) -> tuple[float, float]:
    """(width, height) of the box an edge label takes at font `size`, as it is placed."""
    lines = label.split("\n")
    width = max(textfit.text_width(line, size) for line in lines) + 4
    return width, textfit.line_height(size) * len(lines) + 2


def _overlap(a: Box, b: Box) -> float:
    dx = min(a.right, b.right) - max(a.x, b.x)
    dy = min(a.bottom, b.bottom) - max(a.y, b.y)
    return dx * dy if dx > 0 and dy > 0 else 0.0


def _round(point: Point) -> Point:
    return (round(point[0], 2), round(point[1], 2))
