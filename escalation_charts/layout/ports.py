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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from escalation_charts.layout.geometry import Box, Point
from escalation_charts.layout.routing import boundary

__all__ = ["SPREAD", "Port", "off_borders", "spread_ports", "vertices"]

SPREAD = 10.0  # points between two edge ends on one side of a step
_JOG = 12.0  # where a jog goes, from the end it moves


@dataclass(frozen=True)
class Port:
    """One end of a route at a step: route `key`, `start` (it leaves) or not (it arrives)."""

    key: str
    step: str
    start: bool


def vertices(points: Sequence[Point]) -> list[Point]:
    """A B-spline of straight pieces (Graphviz form) as its corner points."""
    out = [points[0]]
    for point in points[3::3]:
        if point != out[-1]:
            out.append(point)
    # drop points in the middle of a straight run
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
        if all(b - a >= SPREAD - 0.01 for a, b in itertools.pairwise(places)):
            continue
        box = boxes[step]
        shape = shapes.get(step, "box")
        centre = box.center[axis]
        half = (box.height if vertical else box.width) / 2
        reach = half - 4 if shape == "box" else half * (0.6 if shape == "diamond" else 0.85)
        movable = [p in square for p in members]
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
    """New places along a side, in the same order, `SPREAD` apart where they can be: all
    movable ends are spread evenly round their middle; otherwise movable ends are pushed
    away from their neighbours, the others stay."""
    count = len(places)
    if all(movable):
        gap = SPREAD if SPREAD * (count - 1) <= high - low else (high - low) / (count - 1)
        middle = sum(places) / count
        first = min(max(middle - gap * (count - 1) / 2, low), high - gap * (count - 1))
        return [first + gap * i for i in range(count)]
    out = list(places)
    for _ in range(count):
        for i in range(1, count):
            if out[i] - out[i - 1] >= SPREAD:
                continue
            if movable[i]:
                out[i] = out[i - 1] + SPREAD
            elif movable[i - 1]:
                out[i - 1] = out[i] - SPREAD
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
        # the run after the end's run goes along the side: slide the end's run with it
        moved = (nxt[0], new_end[1]) if vertical else (new_end[0], nxt[1])
        path[0], path[1] = new_end, moved
    else:
        run = nxt[1 - axis] - end[1 - axis]
        length = abs(run)
        if length < 2 * _JOG and len(path) == 2:
            at = end[1 - axis] + run / 2
        else:
            at = end[1 - axis] + (_JOG if run > 0 else -_JOG) * min(1.0, length / (2 * _JOG))
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
