"""A connector's path from the layout's route, ending on the outlines actually drawn.

The layout's routes are orthogonal polylines (as B-splines of straight pieces) that end
on the chart's shapes; a Visio shape may be a little different (a task's box where the
chart's router aimed at its rounded outline). Each end is moved along its own segment to
where that segment crosses the outline, so right angles stay right angles, instead of
being re-aimed at the shape's centre.
"""

from __future__ import annotations

import math

from escalation_charts.export._route import polyline
from escalation_charts.layout.geometry import Box, Point

__all__ = ["connector_path", "inside"]

_EDGE = 0.02  # how far inside the outline (as a share of the half size) counts as inside
_REACH = 6.0  # points an end may stop short of its shape and still be moved onto it


def inside(shape: str, box: Box, p: Point) -> bool:
    """True when `p` is inside the outline (`box`, `diamond`, `ellipse`) drawn in `box`."""
    cx, cy = box.center
    hw, hh = box.width / 2, box.height / 2
    if hw <= 0 or hh <= 0:
        return False
    dx, dy = abs(p[0] - cx) / hw, abs(p[1] - cy) / hh
    if shape == "diamond":
        return dx + dy < 1 - _EDGE
    if shape == "ellipse":
        return math.hypot(dx, dy) < 1 - _EDGE
    return dx < 1 - _EDGE and dy < 1 - _EDGE


def connector_path(
    points: tuple[Point, ...], source: tuple[str, Box], target: tuple[str, Box]
) -> list[Point]:
    """The layout's route as a polyline from the source's outline to the target's."""
    pts = polyline(points)
    pts = _clip(pts, *source)
    pts = _clip(pts[::-1], *target)[::-1]
    return pts if len(pts) >= 2 else [source[1].center, target[1].center]


def _clip(pts: list[Point], shape: str, box: Box) -> list[Point]:
    """`pts` starting where they first leave the outline (unchanged when they start
    outside or on it)."""
    first = next((i for i, p in enumerate(pts) if not inside(shape, box, p)), None)
    if first is None:  # the whole route is inside the shape: nothing to draw but an end
        return pts[-1:]
    if first == 0:
        return _reach(pts, shape, box)
    a, b = pts[first - 1], pts[first]  # a inside, b outside
    crossing = _crossing(a, b, shape, box)
    rest = pts[first:] if math.dist(crossing, b) > 0.01 else pts[first + 1 :]
    return [crossing, *rest]


def _reach(pts: list[Point], shape: str, box: Box) -> list[Point]:
    """`pts` whose first point stops short of the outline (the router leaves a point or
    two before an arrowhead) made to start on it, along the first segment."""
    if len(pts) < 2:
        return pts
    (x0, y0), (x1, y1) = pts[0], pts[1]
    length = math.dist(pts[0], pts[1])
    if length == 0:
        return pts
    ahead = (x0 + (x0 - x1) / length * _REACH, y0 + (y0 - y1) / length * _REACH)
    if not inside(shape, box, ahead):
        return pts  # it ends on the outline already, or the shape is not there
    return [_crossing(ahead, pts[0], shape, box), *pts[1:]]


def _crossing(a: Point, b: Point, shape: str, box: Box) -> Point:
    """Where the segment from `a` (inside the outline) to `b` (outside) crosses it."""
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        p = (a[0] + (b[0] - a[0]) * mid, a[1] + (b[1] - a[1]) * mid)
        lo, hi = (mid, hi) if inside(shape, box, p) else (lo, mid)
    return (a[0] + (b[0] - a[0]) * hi, a[1] + (b[1] - a[1]) * hi)
