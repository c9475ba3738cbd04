"""Edge routes for formats that draw polylines (BPMN DI, draw.io) from the layout's splines.

The shared layout gives each edge as a cubic B-spline (p0, then c1 c2 p in threes). These
formats want waypoints, and their shapes are not always the layout's boxes (a BPMN event is
a 36-point circle inside the layout's terminator box), so the ends are re-attached to the
shape actually drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from escalation_charts.layout.geometry import Box, EdgeRoute, Layout, Point

__all__ = ["attach", "boundary_point", "polyline", "route_map"]


def polyline(points: Sequence[Point]) -> list[Point]:
    """On-curve points of a spline plus each segment's midpoint: a close polyline."""
    if len(points) < 4 or (len(points) - 1) % 3:
        return list(points)  # already a polyline (or too short to be a spline)
    out = [points[0]]
    for i in range(0, len(points) - 1, 3):
        p0, c1, c2, p3 = points[i : i + 4]
        out.append(_bezier(p0, c1, c2, p3, 0.5))
        out.append(p3)
    return _simplify(out)


def _simplify(points: list[Point]) -> list[Point]:
    """Without repeated points and points on a straight line between their neighbours
    (orthogonal routes come as straight spline pieces): each waypoint is a real bend."""
    out: list[Point] = []
    for p in points:
        if out and math.dist(out[-1], p) < 0.01:
            continue
        if len(out) >= 2 and _collinear(out[-2], out[-1], p):
            out[-1] = p
        else:
            out.append(p)
    return out


def _collinear(a: Point, b: Point, c: Point) -> bool:
    """True when b lies on the segment from a to c (within a hundredth of a point)."""
    cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    length = math.dist(a, c)
    between = min(a[0], c[0]) - 0.01 <= b[0] <= max(a[0], c[0]) + 0.01 and (
        min(a[1], c[1]) - 0.01 <= b[1] <= max(a[1], c[1]) + 0.01
    )
    return length > 0 and abs(cross) / length < 0.01 and between


def _bezier(p0: Point, c1: Point, c2: Point, p3: Point, t: float) -> Point:
    u = 1 - t
    return (
        u**3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * p3[0],
        u**3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * p3[1],
    )


def boundary_point(shape: str, box: Box, toward: Point) -> Point:
    """Where the ray from the centre of `shape` (`box`, `circle`, `diamond`) to `toward`
    leaves the shape drawn in `box`."""
    cx, cy = box.center
    dx, dy = toward[0] - cx, toward[1] - cy
    hw, hh = box.width / 2, box.height / 2
    if (dx == 0 and dy == 0) or hw <= 0 or hh <= 0:
        return (cx, cy)
    if shape == "circle":
        scale = min(hw, hh) / math.hypot(dx, dy)
    elif shape == "diamond":
        scale = 1 / (abs(dx) / hw + abs(dy) / hh)
    else:
        scale = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
    return (cx + dx * scale, cy + dy * scale)


def _inside(shape: str, box: Box, p: Point) -> bool:
    cx, cy = box.center
    hw, hh = box.width / 2, box.height / 2
    dx, dy = abs(p[0] - cx), abs(p[1] - cy)
    if shape == "circle":
        return math.hypot(dx, dy) < min(hw, hh) - 0.01
    if shape == "diamond":
        return dx / hw + dy / hh < 1 - 1e-6
    return dx < hw - 0.01 and dy < hh - 0.01


def attach(
    points: Sequence[Point], source: tuple[str, Box], target: tuple[str, Box]
) -> list[Point]:
    """`points` with their ends moved onto the borders of the source and target shapes.

    Points that fall inside a shape are dropped; the first and last waypoints become the
    points where the line toward the rest of the route crosses each shape's border.
    """
    pts = list(points)
    if not pts:
        return [source[1].center, target[1].center]
    pts = _trim(pts, source)
    pts = _trim(pts[::-1], target)[::-1]
    return pts


def _trim(pts: list[Point], end: tuple[str, Box]) -> list[Point]:
    """Drop the leading points inside the shape and start on its border instead."""
    shape, box = end
    first = 0
    while first < len(pts) - 1 and _inside(shape, box, pts[first]):
        first += 1
    rest = pts[first:]
    edge = boundary_point(shape, box, rest[0])
    if math.dist(edge, rest[0]) < 0.5:
        rest = rest[1:]
    return [edge, *rest]


def route_map(layout: Layout) -> dict[tuple[str, int | str | None, str], EdgeRoute]:
    """The layout's routes by (source step, edge index, kind); notify routes by
    (source step, target lane, "notify"), since one step may notify several lanes."""
    return {
        (r.source, r.target if r.kind == "notify" else r.index, r.kind): r for r in layout.edges
    }
