"""Edge ends spread along the side of a step, so a reader can tell the arrows apart.

Graphviz's orthogonal router lets three or four arrows meet a step (a diamond's tip most of
all) a few points apart, and an outgoing arrow leave from the point where another arrives.
After routing, `spread_ports` collects the ends on each side of each step and moves those
closer than `SPREAD` apart along that side, in their order, onto the step's outline: the
last run moves with its end where the run before it is parallel to the side, else the
route gets a short jog. Routes are orthogonal polylines; an end on a slanted run is left
where it is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from escalation_charts.frozen import Frozen
from escalation_charts.frozen import set_field as _set
from escalation_charts.layout.geometry import Box, Point
from escalation_charts.layout.routing import boundary

__all__ = ["SPREAD", "Port", "corners", "off_borders", "spread_ports", "vertices"]

SPREAD = 10.0  # points between two edge ends on one side of a step
_JOG = 12.0  # where a jog goes, from the end it moves


@dataclass(init=False, repr=False, eq=False)
class Port(Frozen):
    """One end of a route at a step: route `key`, `start` (it leaves) or not (it arrives)."""

    key: str
    step: str
    start: bool

    def __init__(
        self,
        key: str,
        step: str,
        start: bool,
    ) -> None:
        _set(self, "key", key)
        _set(self, "step", step)
        _set(self, "start", start)


def vertices(points: Sequence[Point]) -> list[Point]:
    """A B-spline of straight pieces (Graphviz form) as its corner points."""
    return corners([points[0], *points[3::3]])


def corners(points: Sequence[Point]) -> list[Point]:
    """A polyline without repeated points and points in the middle of a straight run (a
    spread end's jog of no height leaves both; drawn, a run of no length bends the arrow)."""
    out = [points[0]]
    for point in points[1:]:
        if abs(point[0] - out[-1][0]) > 0.01 or abs(point[1] - out[-1][1]) > 0.01:
            out.append(point)
    if len(out) == 1:
        return [points[0], points[-1]]
    keep = [out[0]]
    for a, b in itertools.pairwise(out):
        if len(keep) >= 2 and _collinear(keep[-2], a, b):
            keep[-1] = b
        else:
            keep.append(b)
    return keep


def _collinear(a: Point, b: Point, c: Point) -> bool:
    return (abs(a[0] - b[0]) < 0.01 and abs(b[0] - c[0]) < 0.01) or (
        abs(a[1] - b[1]) < 0.01 and abs(b[1] - c[1]) < 0.01
    )


def _side(end: Point, nxt: Point) -> str | None:
    """The side of its step an end is on, from the way its run leaves: a run across the
    page meets a left or right side, a run down the page the top or bottom."""
    if abs(end[1] - nxt[1]) < 0.01 and abs(end[0] - nxt[0]) > 0.01:
        return "left" if nxt[0] < end[0] else "right"
    if abs(end[0] - nxt[0]) < 0.01 and abs(end[1] - nxt[1]) > 0.01:
        return "top" if nxt[1] < end[1] else "bottom"
    return None


def spread_ports(
    routes: dict[str, list[Point]],
    ports: Sequence[Port],
    boxes: Mapping[str, Box],
    shapes: Mapping[str, str],
    free_end: set[str] = frozenset(),  # type: ignore[assignment]
) -> None:
    """Move crowded ends of `routes` (key -> corner points, changed in place) apart.

    `free_end` names routes whose far end is not at a step (notify arrows): such a route,
    when it is one straight run, moves as a whole instead of getting a jog.
    """
    for _ in range(3):  # a move can crowd another side of a diamond: look again
        if not _spread_once(routes, ports, boxes, shapes, free_end):
            break


def _spread_once(
    routes: dict[str, list[Point]],
    ports: Sequence[Port],
    boxes: Mapping[str, Box],
    shapes: Mapping[str, str],
    free_end: set[str],
) -> bool:
    """One pass over every side of every step; whether anything moved."""
    moved = False
    # An end moves along the side its run meets square; where it sits on another side of
    # the step's box (a run leaving a diamond's slant sideways), it is also a fixed
    # neighbour there, so nothing is moved onto it.
    groups: dict[tuple[str, str], list[tuple[Port, bool]]] = {}
    for port in ports:
        path = routes.get(port.key)
        if not path or len(path) < 2:
            continue
        end, nxt = (path[0], path[1]) if port.start else (path[-1], path[-2])
        run_side, box_side = _side(end, nxt), _box_side(end, boxes[port.step])
        if run_side is not None:
            groups.setdefault((port.step, run_side), []).append((port, True))
        if box_side != run_side:
            groups.setdefault((port.step, box_side), []).append((port, False))
    ends: dict[str, list[tuple[str, Point]]] = {}
    for port in ports:
        path = routes.get(port.key)
        if path:
            ends.setdefault(port.step, []).append((port.key, path[0] if port.start else path[-1]))
    for (step, side), entries in sorted(groups.items()):
        if len(entries) < 2:
            continue
        members = [port for port, _ in entries]
        square = {port for port, movable in entries if movable}
        vertical = side in ("left", "right")  # ends spread along y
        axis = 1 if vertical else 0

        def key(port: Port, axis: int = axis) -> tuple[float, float, str]:
            path = routes[port.key]
            end = path[0] if port.start else path[-1]
            beyond = path[2] if port.start and len(path) > 2 else path[-3] if len(path) > 2 else end
            return (end[axis], beyond[axis], port.key)

        members.sort(key=key)
        places = [key(p)[0] for p in members]
        box = boxes[step]
        shape = shapes.get(step, "box")
        centre = box.center[axis]
        half = (box.height if vertical else box.width) / 2
        reach = half - 4 if shape == "box" else half * (0.6 if shape == "diamond" else 0.85)
        if shape != "box":
            other = (box.width if vertical else box.height) / 2
            reach = min(reach, _zone(shape, half, other))
        movable = [p in square for p in members]
        # a curved outline's end past the side's zone is among the next side's ends: it
        # comes back into the zone when it crowds one of them there
        outside = shape != "box" and any(
            m and abs(at - centre) > reach + 0.01 and _crowds(routes, port, ends[step])
            for port, at, m in zip(members, places, movable, strict=True)
        )
        if not outside and all(b - a >= SPREAD - 0.01 for a, b in itertools.pairwise(places)):
            continue
        wanted = _positions(places, movable, centre - reach, centre + reach)
        # an end never leaves the side (one the router left past the outline comes back)
        wanted = [
            min(max(at, centre - half + 2), centre + half - 2) if m else at
            for at, m in zip(wanted, movable, strict=True)
        ]
        for port, at, was in zip(members, wanted, places, strict=True):
            if port not in square or abs(at - was) < 0.01:
                continue
            outline = boundary(shape, box, at - centre, side in ("left", "top"), not vertical)
            new_end = (outline, round(at, 2)) if vertical else (round(at, 2), outline)
            _move_end(routes, port, new_end, vertical, port.key in free_end)
            moved = True
    return moved


def _crowds(routes: dict[str, list[Point]], port: Port, ends: Sequence[tuple[str, Point]]) -> bool:
    """Whether `port`'s end is nearer than `SPREAD` to another end at its step."""
    path = routes[port.key]
    end = path[0] if port.start else path[-1]
    return any(
        not (key == port.key and other == end) and math.dist(other, end) < SPREAD
        for key, other in ends
    )


def _zone(shape: str, half: float, other: float) -> float:
    """How far from the centre, along a side of a diamond's or ellipse's box (half length
    `half`, the other half axis `other`), the outline stays nearer that side than the next:
    an end spread further reads as meeting the next side, among that side's ends."""
    if shape == "diamond":  # the outline is other * t / half from the side, half - t from the next
        return max(half * half / (half + other) - 1.0, 2.0)
    low, high = 0.0, half
    for _ in range(30):  # bisection: the distance to this side grows, to the next shrinks
        t = (low + high) / 2
        to_side = other * (1 - (1 - (t / half) ** 2) ** 0.5)
        if to_side < half - t:
            low = t
        else:
            high = t
    return max(low - 3.0, half * 0.3)


def _box_side(point: Point, box: Box) -> str:
    """The side of the step's box nearest to an end (as a reader sees it)."""
    distances = {
        "left": abs(point[0] - box.x),
        "right": abs(point[0] - box.right),
        "top": abs(point[1] - box.y),
        "bottom": abs(point[1] - box.bottom),
    }
    return min(distances, key=lambda k: distances[k])


def _positions(places: list[float], movable: list[bool], low: float, high: float) -> list[float]:
    """New places along a side, in the same order, `SPREAD` apart where they can be.

    The ends that cannot move split the side into stretches; the movable ends of each
    stretch keep their places when they are already apart, else are spread round their
    middle, `SPREAD` apart and `SPREAD` from the fixed ends at either side, or evenly over
    the stretch when it is too short for that."""
    out = list(places)
    count = len(places)
    i = 0
    while i < count:
        if not movable[i]:
            i += 1
            continue
        j = i
        while j < count and movable[j]:
            j += 1
        # movable run i..j-1, between fixed i-1 (or low) and fixed j (or high)
        first = places[i - 1] + SPREAD if i > 0 else low
        last = places[j] - SPREAD if j < count else high
        run = places[i:j]
        apart = all(b - a >= SPREAD - 0.01 for a, b in itertools.pairwise(run))
        inside = run[0] >= first - 0.01 and run[-1] <= last + 0.01
        if not (apart and inside):
            k = j - i
            if SPREAD * (k - 1) <= last - first:
                middle = sum(run) / k
                start = min(max(middle - SPREAD * (k - 1) / 2, first), last - SPREAD * (k - 1))
                out[i:j] = [start + SPREAD * n for n in range(k)]
            else:  # too short: even gaps between the fixed ends round the stretch
                lo = places[i - 1] if i > 0 else low
                hi = places[j] if j < count else high
                ends_fixed = (i > 0) + (j < count)
                slots = k - 1 + ends_fixed
                gap = (hi - lo) / slots if slots else 0.0
                offset = lo + (gap if i > 0 else 0.0)
                out[i:j] = [offset + gap * n for n in range(k)]
        i = j
    return out


def _move_end(
    routes: dict[str, list[Point]], port: Port, new_end: Point, vertical: bool, free: bool
) -> None:
    path = routes[port.key] if port.start else routes[port.key][::-1]
    end, nxt = path[0], path[1]
    axis = 1 if vertical else 0  # the coordinate that changes along the side
    if abs(end[axis] - new_end[axis]) < 0.01:
        path[0] = new_end
    elif free and len(path) == 2:
        shift = new_end[axis] - end[axis]
        far = (nxt[0], nxt[1] + shift) if vertical else (nxt[0] + shift, nxt[1])
        path[:] = [new_end, far]
    elif len(path) > 2 and _parallel_to_side(nxt, path[2], vertical):
        # the run after the end's run goes along the side: slide the end's run with it,
        # and keep that run longer than a jog (on a curved outline the new end can lie
        # further out, leaving too short a run for the arrowhead)
        moved = (nxt[0], new_end[1]) if vertical else (new_end[0], nxt[1])
        across = 0 if vertical else 1  # the coordinate the end's run changes
        run = moved[across] - new_end[across]
        if abs(run) < _JOG and len(path) > 3 and abs(run) > 0.01:
            out = round(new_end[across] + math.copysign(_JOG, run), 2)
            beyond = path[3][across] - out
            if beyond * run > 0:  # the next run still goes the same way
                moved = (out, moved[1]) if vertical else (moved[0], out)
                path[2] = (out, path[2][1]) if vertical else (path[2][0], out)
        path[0], path[1] = new_end, moved
    else:
        run = nxt[1 - axis] - end[1 - axis]
        length = abs(run)
        # the jog is measured from whichever end, old or new, lies further out (a curved
        # outline): the last run must stay longer than the arrowhead it carries
        outer = (max if run > 0 else min)(end[1 - axis], new_end[1 - axis])
        if length < 2 * _JOG and len(path) == 2:
            at = end[1 - axis] + run / 2
        else:
            at = outer + (_JOG if run > 0 else -_JOG) * min(1.0, length / (2 * _JOG))
            far = nxt[1 - axis]
            at = min(at, (outer + far) / 2) if run > 0 else max(at, (outer + far) / 2)
        jog = [(at, new_end[1]), (at, end[1])] if vertical else [(new_end[0], at), (end[0], at)]
        path[:] = [new_end, *jog, *path[1:]]
    if not port.start:
        path.reverse()
    routes[port.key] = path


def _parallel_to_side(a: Point, b: Point, vertical: bool) -> bool:
    return abs(a[0] - b[0]) < 0.01 if vertical else abs(a[1] - b[1]) < 0.01


BORDER_CLEAR = 6.0  # points between a run along a lane border and the border


def off_borders(path: list[Point], borders: Sequence[float], vertical: bool) -> list[Point]:
    """The route with every inner run that lies along a lane border moved off it.

    A run on the line between two bands reads as part of the border (or as the wrong
    lane's arrow). `borders` are the bands' edges across the flow: y values when the bands
    are horizontal (`vertical` False: runs across the page are checked), x values when
    they are columns. Only runs between two corners move, so both ends stay on their steps.
    """
    axis = 0 if vertical else 1  # the coordinate a run along a border keeps
    out = list(path)
    for i in range(1, len(out) - 2):
        a, b = out[i], out[i + 1]
        if abs(a[axis] - b[axis]) > 0.01:
            continue  # not a run along the borders
        for border in borders:
            if abs(a[axis] - border) < BORDER_CLEAR:
                # move into the band the run came from, so the corners before and after
                # it keep their turn
                before = out[i - 1][axis]
                side = -1.0 if before < border else 1.0
                moved = round(border + side * BORDER_CLEAR, 2)
                out[i] = (moved, a[1]) if vertical else (a[0], moved)
                out[i + 1] = (moved, b[1]) if vertical else (b[0], moved)
                break
    return out
