"""Where a glued connector leaves and enters its shapes, and the elbow it draws between.

Pure geometry in slide points (no python-pptx). A connector is glued to one of the four
connection points every flowchart preset has (0 top, 1 left, 2 bottom, 3 right). For each
edge every pair of sides is scored: the elbow path it gives (an L, a Z or a U, the shapes
PowerPoint's own elbow connectors draw) must leave and enter in the right direction, and
short paths with few turns that cross no other step and use a side no other outgoing arrow
uses win; two arrows glued to one connection point in the same direction (a join or a
fork) do not count as running along each other. When every such path crosses a step or
runs along another arrow, detours with three or four bends are tried (`bentConnector4`/`5`,
their middle leg in a corridor beside the shapes). The result also says how to write the
connector (preset, rotation, flips, adjustments), so PowerPoint shows the same path before
anything is moved; LibreOffice re-routes glued connectors itself from the same sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from escalation_charts.layout.geometry import Box, Point

__all__ = [
    "BOTTOM",
    "LEFT",
    "RIGHT",
    "SIDES",
    "TOP",
    "Route",
    "anchor",
    "between",
    "crosses",
    "penalty",
    "route",
    "runs_along",
    "segments",
]

TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3
SIDES = (TOP, LEFT, BOTTOM, RIGHT)
_NORMAL = {TOP: (0.0, -1.0), LEFT: (-1.0, 0.0), BOTTOM: (0.0, 1.0), RIGHT: (1.0, 0.0)}
_TURN = 18.0  # points a turn "costs": prefer a slightly longer path with fewer bends
_CROSS = 400.0  # crossing a step box: almost never worth it
_REUSE = 60.0  # two outgoing arrows on one side start on top of each other
_AGAINST = 35.0  # an arrow entering where one of the target's own arrows leaves
_OVERLAP = 300.0  # running along a line another arrow already uses: they become one
_CLEAR = 6.0  # points a path keeps away from other steps
_U_OUTS = (14.0, 24.0, 34.0, 44.0)  # how far a U-shaped connector may stand off its shapes
_EPS = 0.5
# Where a Z's middle leg may run, as a fraction of the way from its start.
_Z_FRACTIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9)


@dataclass(frozen=True)
class Route:
    """A connector's path and how to write it.

    `points` is the polyline (for labels and tests); `preset`, `box` (x, y, width, height of
    the unrotated frame), `rot` (degrees, 0 or 90), `flip_h`, `flip_v` and `adj` (the
    adjustment of a bentConnector3, in 1/100000 of the frame's width) are the DrawingML;
    `adj2` and `adj3` are the further adjustments of a bentConnector4 or 5 (a detour with
    three or four bends, ECMA-376's presets: local path (0,0) (adj1·w,0) (adj1·w,adj2·h)
    then (w,adj2·h) (w,h), or (adj3·w,adj2·h) (adj3·w,h) (w,h)).
    """

    begin_side: int
    end_side: int
    points: tuple[Point, ...]
    preset: str
    box: tuple[float, float, float, float]
    rot: int = 0
    flip_h: bool = False
    flip_v: bool = False
    adj: int | None = None
    adj2: int | None = None  # bentConnector4 and 5: where the middle leg runs
    adj3: int | None = None  # bentConnector5: where the fourth leg runs


def anchor(box: Box, side: int) -> Point:
    """The connection point on `side` of `box` (the middle of that side)."""
    cx, cy = box.center
    return {TOP: (cx, box.y), LEFT: (box.x, cy), BOTTOM: (cx, box.bottom), RIGHT: (box.right, cy)}[
        side
    ]


def route(
    source: Box,
    target: Box,
    obstacles: Sequence[Box] = (),
    *,
    used_out: Iterable[int] = (),
    target_out: Iterable[int] = (),
    used_in: Iterable[int] = (),
    source_in: Iterable[int] = (),
    sides: Iterable[int] = SIDES,
    taken: Sequence[tuple[Point, Point]] = (),
) -> Route:
    """The best-scoring route from `source` to `target` among glue sides `sides`.

    `obstacles` are other step boxes the path should not cross; `used_out` the source's
    sides already taken by its other outgoing arrows; `target_out` the sides where the
    target's own arrows leave; `used_in` the target's sides other arrows already enter,
    `source_in` the source's;
    `taken` the segments of arrows already drawn.
    """
    used, against, entered = set(used_out), set(target_out), set(used_in)
    arriving = set(source_in)
    # Every candidate runs inside both shapes' box grown by the widest U: only what lies
    # there can be crossed or run along (this keeps a 300-step deck quick).
    grow = max(_U_OUTS) + _CLEAR + 1
    x0, y0 = min(source.x, target.x) - grow, min(source.y, target.y) - grow
    x1, y1 = max(source.right, target.right) + grow, max(source.bottom, target.bottom) + grow
    region = Box(x0, y0, x1 - x0, y1 - y0)
    obstacles = [b for b in obstacles if region.overlaps(b) or b is source or b is target]
    lines = _Lines([(c, d) for c, d in taken if _touches(region, c, d)])
    allowed = tuple(sides)

    def sides_cost(begin: int, end: int) -> float:
        return (
            (_REUSE if begin in used else 0.0)
            + (_AGAINST if end in against else 0.0)
            + (_REUSE if end in entered else 0.0)
            + (_AGAINST if begin in arriving else 0.0)
        )

    simple = [
        (sides_cost(begin, end), candidate)
        for begin in allowed
        for end in allowed
        for candidate in _candidates(source, target, begin, end)
    ]
    best = _cheapest(simple, source, target, obstacles, lines, None, 0)
    if best is None or best[0] > _clean(best[2]) + 2 * _REUSE + 2 * _AGAINST:
        # Every simple elbow crosses a step or runs along another arrow: try detours
        # with three or four bends round both shapes.
        detours = [
            (sides_cost(begin, end), candidate)
            for begin in allowed
            for end in allowed
            for candidate in _detours(source, target, begin, end, obstacles)
        ]
        best = _cheapest(detours, source, target, obstacles, lines, best, len(simple))
    if best is None:  # unreachable with all four sides allowed; keep a straight fallback
        return _straight(source, target, RIGHT, LEFT)
    return best[2]


def _cheapest(
    candidates: Sequence[tuple[float, Route]],
    source: Box,
    target: Box,
    obstacles: Sequence[Box],
    lines: _Lines,
    best: tuple[float, int, Route] | None,
    first: int,
) -> tuple[float, int, Route] | None:
    """The lowest (cost, order) among `candidates` (each with its sides' cost) and `best`.

    Candidates are tried cheapest-looking first (length, turns and sides: what they cost
    at least), so the best so far soon bounds the rest and the search stops once no
    candidate left could beat it; ties go to the earlier candidate, as in a plain scan."""
    scored = sorted(
        (_clean(candidate) + extra, first + n, extra, candidate)
        for n, (extra, candidate) in enumerate(candidates)
    )
    for least, order, extra, candidate in scored:
        if best is not None and least > best[0]:
            break
        bound = float("inf") if best is None else best[0] - extra
        cost = _cost(candidate, source, target, obstacles, lines, bound) + extra
        if best is None or (cost, order) < best[:2]:
            best = (cost, order, candidate)
    return best


def _clean(candidate: Route) -> float:
    """What a route costs for its length and turns alone (no crossing, no overlap)."""
    points = candidate.points
    length = sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in pairwise(points))
    return length + _TURN * (len(points) - 2)


_LEADS = (14.0, 26.0)  # how far a detour runs out of its shape before turning


def _detours(
    source: Box, target: Box, begin: int, end: int, obstacles: Sequence[Box]
) -> list[Route]:
    """Paths with three bends (out one way, in the other: bentConnector4) or four (out and
    in along the same axis: bentConnector5) whose middle leg runs in a corridor beside both
    shapes or beside a step in the way, for when no L, Z or U gets through."""
    start, stop = anchor(source, begin), anchor(target, end)
    out = _NORMAL[begin]
    arrive = (-_NORMAL[end][0], -_NORMAL[end][1])
    horizontal_out, horizontal_in = out[1] == 0, arrive[1] == 0
    axis = 1 if horizontal_out else 0  # the coordinate the middle leg keeps
    lo = min(source.y, target.y) if axis else min(source.x, target.x)
    hi = max(source.bottom, target.bottom) if axis else max(source.right, target.right)
    lanes = [lo - 14.0, hi + 14.0, lo - 28.0, hi + 28.0]
    for box in obstacles:  # just beside a step between the two
        if box is source or box is target:
            continue
        near, far = (box.y, box.bottom) if axis else (box.x, box.right)
        lanes += [near - _CLEAR - 4.0, far + _CLEAR + 4.0]
    routes = []
    for lead in _LEADS:
        s1 = (start[0] + out[0] * lead, start[1] + out[1] * lead)
        e1 = (stop[0] - arrive[0] * lead, stop[1] - arrive[1] * lead)
        if horizontal_out != horizontal_in:
            # Out, across to the corridor, along it, into the target: the last leg
            # keeps the target's axis, so the corridor is the other coordinate.
            for c in [*lanes, e1[axis]]:
                if (stop[axis] - c) * arrive[axis] <= _EPS:
                    continue  # the last leg would enter the target backwards
                if horizontal_out:
                    points = (start, (s1[0], start[1]), (s1[0], c), (stop[0], c), stop)
                else:
                    points = (start, (start[0], s1[1]), (c, s1[1]), (c, stop[1]), stop)
                routes.append(_bent(points, "bentConnector4", begin, end, horizontal_out))
        else:
            for c in lanes:
                if horizontal_out:
                    points = (
                        start,
                        (s1[0], start[1]),
                        (s1[0], c),
                        (e1[0], c),
                        (e1[0], stop[1]),
                        stop,
                    )
                else:
                    points = (
                        start,
                        (start[0], s1[1]),
                        (c, s1[1]),
                        (c, e1[1]),
                        (stop[0], e1[1]),
                        stop,
                    )
                routes.append(_bent(points, "bentConnector5", begin, end, horizontal_out))
    return routes


def _bent(points: tuple[Point, ...], preset: str, begin: int, end: int, horizontal: bool) -> Route:
    """A bentConnector4 or 5 drawn along `points`: the frame from the ends, the
    adjustments from where the inner legs run in the frame's own coordinates."""
    start, stop = points[0], points[-1]
    # A frame of zero size along an axis cannot place the bends: give it one point, as
    # PowerPoint does (the glued end stays within a point of its connection site).
    dx, dy = stop[0] - start[0], stop[1] - start[1]
    if abs(dx) < 1.0:
        stop = (start[0] + (1.0 if dx >= 0 else -1.0), stop[1])
    if abs(dy) < 1.0:
        stop = (stop[0], start[1] + (1.0 if dy >= 0 else -1.0))
    box, rot, flip_h, flip_v = _frame(start, stop, horizontal)
    w, h = box[2], box[3]

    def local(p: Point) -> Point:
        cx, cy = box[0] + w / 2, box[1] + h / 2
        px, py = p[0] - cx, p[1] - cy
        if rot:  # undo the clockwise quarter turn
            px, py = py, -px
        u, v = px + w / 2, py + h / 2
        return (w - u if flip_h else u, h - v if flip_v else v)

    adj1 = round(local(points[1])[0] / w * 100000)
    adj2 = round(local(points[2])[1] / h * 100000)
    adj3 = round(local(points[3])[0] / w * 100000) if preset == "bentConnector5" else None
    return Route(begin, end, points, preset, box, rot, flip_h, flip_v, adj1, adj2, adj3)


def between(start: Point, stop: Point, begin: int) -> Route:
    """A connector from `start` (leaving through side `begin`) to a free point `stop`,
    bending half-way (a Z) when the two are not aligned."""
    horizontal = begin in (LEFT, RIGHT)
    return _z(start, stop, horizontal, 0.5)


def _candidates(source: Box, target: Box, begin: int, end: int) -> list[Route]:
    start, stop = anchor(source, begin), anchor(target, end)
    out = _NORMAL[begin]
    arrive = tuple(-v for v in _NORMAL[end])  # the direction the arrow moves as it enters
    dx, dy = stop[0] - start[0], stop[1] - start[1]
    horizontal_out, horizontal_in = out[1] == 0, arrive[1] == 0
    ahead = dx * out[0] + dy * out[1]  # progress along the exit direction
    if horizontal_out == horizontal_in:
        if out == arrive:  # Z (or straight): needs the target ahead
            if ahead <= _EPS:
                return []
            return [_z(start, stop, horizontal_out, t) for t in _Z_FRACTIONS]
        # out == -arrive: a U around both shapes, as close as it can run to them
        return [_u(start, stop, source, target, begin, horizontal_out, o) for o in _U_OUTS]
    # L: one bend, the target must be ahead on both axes
    if ahead <= _EPS or (dx * arrive[0] + dy * arrive[1]) <= _EPS:
        return []
    return [_l(start, stop, horizontal_out)]


def _frame(
    start: Point, stop: Point, horizontal: bool
) -> tuple[tuple[float, ...], int, bool, bool]:
    """The unrotated frame, rotation and flips that carry a connector's local path (which
    starts at the frame's top-left moving right) from `start` to `stop`."""
    dx, dy = stop[0] - start[0], stop[1] - start[1]
    if horizontal:
        box = (min(start[0], stop[0]), min(start[1], stop[1]), abs(dx), abs(dy))
        return box, 0, dx < 0, dy < 0
    # Rotated 90 degrees clockwise about the centre: the local x axis runs down the slide.
    cx, cy = (start[0] + stop[0]) / 2, (start[1] + stop[1]) / 2
    w, h = abs(dy), abs(dx)
    return (cx - w / 2, cy - h / 2, w, h), 90, dy < 0, dx > 0


def _straight(source: Box, target: Box, begin: int, end: int) -> Route:
    start, stop = anchor(source, begin), anchor(target, end)
    box, _, flip_h, flip_v = _frame(start, stop, True)
    return Route(begin, end, (start, stop), "straightConnector1", box, 0, flip_h, flip_v)


def _z(start: Point, stop: Point, horizontal: bool, t: float) -> Route:
    begin, end = _sides_of(start, stop, horizontal, z=True)
    if (abs(stop[1] - start[1]) if horizontal else abs(stop[0] - start[0])) < _EPS:
        box, _, flip_h, flip_v = _frame(start, stop, True)
        return Route(begin, end, (start, stop), "straightConnector1", box, 0, flip_h, flip_v)
    if horizontal:
        mx = start[0] + t * (stop[0] - start[0])
        points = (start, (mx, start[1]), (mx, stop[1]), stop)
    else:
        my = start[1] + t * (stop[1] - start[1])
        points = (start, (start[0], my), (stop[0], my), stop)
    box, rot, flip_h, flip_v = _frame(start, stop, horizontal)
    return Route(begin, end, points, "bentConnector3", box, rot, flip_h, flip_v, round(t * 100000))


def _l(start: Point, stop: Point, horizontal_first: bool) -> Route:
    if horizontal_first:
        points = (start, (stop[0], start[1]), stop)
    else:
        points = (start, (start[0], stop[1]), stop)
    begin, end = _sides_of(start, stop, horizontal_first, z=False)
    box, rot, flip_h, flip_v = _frame(start, stop, horizontal_first)
    return Route(begin, end, points, "bentConnector2", box, rot, flip_h, flip_v)


def _u(
    start: Point,
    stop: Point,
    source: Box,
    target: Box,
    begin: int,
    horizontal: bool,
    stand_off: float,
) -> Route:
    """Out of `begin`, round both shapes, back into the same side of the target."""
    sign = 1.0 if begin in (RIGHT, BOTTOM) else -1.0
    if horizontal:
        edge = max(source.right, target.right) if sign > 0 else min(source.x, target.x)
        far = edge + sign * stand_off
        points = (start, (far, start[1]), (far, stop[1]), stop)
        span = stop[0] - start[0]
        lead = far - start[0]
    else:
        edge = max(source.bottom, target.bottom) if sign > 0 else min(source.y, target.y)
        far = edge + sign * stand_off
        points = (start, (start[0], far), (stop[0], far), stop)
        span = stop[1] - start[1]
        lead = far - start[1]
    # A frame of zero length cannot carry the bend: give it one point, as PowerPoint does.
    if abs(span) < 1.0:
        span = 1.0 if span >= 0 else -1.0
        stop = (stop[0] + span, stop[1]) if horizontal else (stop[0], stop[1] + span)
    box, rot, flip_h, flip_v = _frame(start, stop, horizontal)
    adj = round(lead / span * 100000)
    return Route(begin, begin, points, "bentConnector3", box, rot, flip_h, flip_v, adj)


def _sides_of(start: Point, stop: Point, horizontal_first: bool, z: bool) -> tuple[int, int]:
    dx, dy = stop[0] - start[0], stop[1] - start[1]
    h_out = RIGHT if dx > 0 else LEFT
    v_out = BOTTOM if dy > 0 else TOP
    h_in = LEFT if dx > 0 else RIGHT
    v_in = TOP if dy > 0 else BOTTOM
    if z:
        return (h_out, h_in) if horizontal_first else (v_out, v_in)
    return (h_out, v_in) if horizontal_first else (v_out, h_in)


class _Lines:
    """Drawn legs filed by the line they run on (horizontal legs by y, vertical ones by x,
    in buckets as wide as `_collinear`'s tolerance), so asking which legs a new leg runs
    along looks at a few neighbours, not at every arrow of a 300-step page."""

    _BUCKET = 4.0

    def __init__(self, legs: Iterable[tuple[Point, Point]]) -> None:
        self._rows: dict[tuple[bool, int], list[tuple[Point, Point]]] = {}
        for c, d in legs:
            if abs(c[1] - d[1]) < 0.5:
                self._rows.setdefault((True, int(c[1] // self._BUCKET)), []).append((c, d))
            elif abs(c[0] - d[0]) < 0.5:
                self._rows.setdefault((False, int(c[0] // self._BUCKET)), []).append((c, d))

    def along(self, a: Point, b: Point, first: bool = False, last: bool = False) -> int:
        """How many filed legs leg a-b runs along (by `_collinear`). A route's `first`
        leg may run along another arrow's leg leaving the same point (a fork), its `last`
        leg along one arriving at the same point (a join): two arrows glued to one
        connection point necessarily meet there, and read as a flowchart's fork or join."""
        if abs(a[1] - b[1]) < 0.5:
            key, at = True, a[1]
        elif abs(a[0] - b[0]) < 0.5:
            key, at = False, a[0]
        else:
            return 0
        k = int(at // self._BUCKET)
        return sum(
            _collinear(a, b, c, d) and not (first and _same(a, c)) and not (last and _same(b, d))
            for n in (k - 1, k, k + 1)
            for c, d in self._rows.get((key, n), ())
        )


def _same(p: Point, q: Point) -> bool:
    return abs(p[0] - q[0]) < _EPS and abs(p[1] - q[1]) < _EPS


def _cost(
    candidate: Route,
    source: Box,
    target: Box,
    obstacles: Sequence[Box],
    taken: Sequence[tuple[Point, Point]] | _Lines = (),
    bound: float = float("inf"),
) -> float:
    """The candidate's cost; once it is past `bound` (the best so far) the rest is not
    added up: the candidate has lost already (this keeps a 300-step deck quick)."""
    points = candidate.points
    length = sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in pairwise(points))
    cost = length + _TURN * (len(points) - 2)
    if cost > bound:
        return cost
    # Only steps near the candidate's own extent can be crossed by it.
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs) - _CLEAR - 1, max(xs) + _CLEAR + 1
    y0, y1 = min(ys) - _CLEAR - 1, max(ys) + _CLEAR + 1
    boxes = [
        b
        for b in obstacles
        if b is not source
        and b is not target
        and b.x < x1
        and b.right > x0
        and b.y < y1
        and b.bottom > y0
    ]
    lines = taken if isinstance(taken, _Lines) else _Lines(taken)
    last = len(points) - 2
    for n, (a, b) in enumerate(pairwise(points)):
        for box in boxes:
            if crosses(a, b, box, -_CLEAR):
                cost += _CROSS
        cost += _OVERLAP * lines.along(a, b, first=n == 0, last=n == last)
        # After leaving, a path must not run back through its own shapes.
        if (n > 0 and crosses(a, b, source)) or (n < last and crosses(a, b, target)):
            cost += _CROSS
        if cost > bound:
            return cost
    return cost


def _touches(box: Box, a: Point, b: Point) -> bool:
    """True when segment a-b comes within (or onto the edge of) `box`."""
    return not (
        max(a[0], b[0]) < box.x
        or min(a[0], b[0]) > box.right
        or max(a[1], b[1]) < box.y
        or min(a[1], b[1]) > box.bottom
    )


def penalty(
    candidate: Route,
    source: Box,
    target: Box,
    obstacles: Sequence[Box],
    taken: Sequence[tuple[Point, Point]] = (),
) -> float:
    """What a route costs among these obstacles and drawn legs (lower is better)."""
    return _cost(candidate, source, target, obstacles, taken)


def runs_along(a: Point, b: Point, taken: Sequence[tuple[Point, Point]]) -> bool:
    """True when leg a-b runs along any of the `taken` legs."""
    return any(_collinear(a, b, c, d) for c, d in taken)


def segments(route: Route) -> list[tuple[Point, Point]]:
    """The straight legs of a route."""
    return list(pairwise(route.points))


def _collinear(a: Point, b: Point, c: Point, d: Point) -> bool:
    """True when legs a-b and c-d run along the same line for more than a few points."""
    if abs(a[1] - b[1]) < 0.5 and abs(c[1] - d[1]) < 0.5 and abs(a[1] - c[1]) < 4:
        lo, hi = max(min(a[0], b[0]), min(c[0], d[0])), min(max(a[0], b[0]), max(c[0], d[0]))
        return hi - lo > 4
    if abs(a[0] - b[0]) < 0.5 and abs(c[0] - d[0]) < 0.5 and abs(a[0] - c[0]) < 4:
        lo, hi = max(min(a[1], b[1]), min(c[1], d[1])), min(max(a[1], b[1]), max(c[1], d[1]))
        return hi - lo > 4
    return False


def crosses(a: Point, b: Point, box: Box, pad: float = 1.0) -> bool:
    """True when the axis-parallel segment a-b passes through `box` (shrunk by `pad`;
    a negative pad grows it)."""
    x0, x1 = (a[0], b[0]) if a[0] <= b[0] else (b[0], a[0])
    y0, y1 = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
    return not (
        x1 <= box.x + pad or x0 >= box.right - pad or y1 <= box.y + pad or y0 >= box.bottom - pad
    )
