"""Edge labels placed for the reader: beside their own edge, nearer it than any other edge.

A branch label ("yes", "no") or a timer label ("after 2h") that sits between two arrows,
or on another arrow, sends the reader down the wrong branch. Every route is known before
any label is placed, so `LabelPlacer` can try places along the label's own edge, from
where it leaves its step onwards, each just beside a straight run, and take the first one
that covers no step, header, label or line and is clearly nearer its own edge than any
other. Only when no such place exists does it fall back to the least bad one.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence

from escalation_charts.layout import textfit
from escalation_charts.layout.geometry import Box, Point
from escalation_charts.layout.routing import Obstacle

__all__ = ["LabelPlacer", "clipped_length", "label_size", "shape_boxes"]

_GAP = 3.0  # between a label's box and its own edge
_CLEAR = 4.0  # how much further than its own edge every other edge must be
_STEP = 4.0  # points between two tried places along an edge
_SKIP = 6.0  # not closer than this to the step the edge leaves
_TRIES = 1200  # places tried per label before the least bad one is taken


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


Chord = tuple[int, Point, Point]  # (route index, start, end)


class LabelPlacer:
    """Places labels beside their routes; each placed label becomes an obstacle."""

    _CELL = 24.0

    def __init__(
        self, routes: Sequence[Sequence[Point]], obstacles: Sequence[Obstacle], bounds: Box
    ) -> None:
        self._routes = [_chords(points) for points in routes]
        self._boxes: dict[tuple[int, int], list[Box]] = {}
        for o in obstacles:
            for b in shape_boxes(o.shape, o.box):
                # a little air around steps, so a label never touches an outline
                self._add_box(Box(b.x - 2, b.y - 2, b.width + 4, b.height + 4))
        self._bounds = bounds
        self._lines: dict[tuple[int, int], list[Chord]] = {}
        for index, chords in enumerate(self._routes):
            for a, b in chords:
                for cell in self._cells(_chord_box(a, b)):
                    self._lines.setdefault(cell, []).append((index, a, b))

    # -- the spatial index -------------------------------------------------------------

    def _cells(self, box: Box) -> Iterator[tuple[int, int]]:
        x0, y0 = int(box.x // self._CELL), int(box.y // self._CELL)
        x1, y1 = int(box.right // self._CELL), int(box.bottom // self._CELL)
        for cx in range(x0, x1 + 1):
            for cy in range(y0, y1 + 1):
                yield (cx, cy)

    def _add_box(self, box: Box) -> None:
        for cell in self._cells(box):
            self._boxes.setdefault(cell, []).append(box)

    # `_box_cost` and `_near_chords` run for every place tried (over a thousand for one
    # chart, on a cold render's critical path): the cell walk and the overlaps are written
    # out, in the order the generic walk took, so every sum is the same.

    def _box_cost(self, box: Box) -> float:
        cell, boxes = self._CELL, self._boxes
        x, y = box.x, box.y
        right, bottom = x + box.width, y + box.height
        near: dict[int, Box] = {}
        for cx in range(int(x // cell), int(right // cell) + 1):
            for cy in range(int(y // cell), int(bottom // cell) + 1):
                for b in boxes.get((cx, cy), ()):
                    near[id(b)] = b
        overlaps = []
        for o in near.values():
            dx = min(right, o.x + o.width) - max(x, o.x)
            dy = min(bottom, o.y + o.height) - max(y, o.y)
            overlaps.append(dx * dy if dx > 0 and dy > 0 else 0.0)
        return sum(overlaps)

    def _near_chords(self, box: Box, reach: float) -> set[Chord]:
        cell, lines = self._CELL, self._lines
        x, y = box.x - reach, box.y - reach
        right, bottom = x + (box.width + 2 * reach), y + (box.height + 2 * reach)
        near: set[Chord] = set()
        for cx in range(int(x // cell), int(right // cell) + 1):
            for cy in range(int(y // cell), int(bottom // cell) + 1):
                near.update(lines.get((cx, cy), ()))
        return near

    # -- placing -------------------------------------------------------------------------

    def place(self, route: int, label: str, size: float) -> Point:
        """The centre of the label of route number `route` (its index in the routes the
        placer was made with)."""
        return self.place_text(route, label, size)[0]

    def place_text(
        self, route: int, label: str, size: float, forms: Sequence[str] = ()
    ) -> tuple[Point, str]:
        """The centre of the label of route `route`, and its text: as given, or, where no
        place beside the edge is free for it, one of `forms` (the same label written
        otherwise, e.g. a bundle of timers on fewer lines) that has one, or else wrapped
        onto more lines at spaces when that frees one (between two close parallel runs)."""
        cost, box = self._search(route, label, size)
        text = label
        for form in forms if cost > 0 else ():
            cost_f, box_f = self._search(route, form, size)
            if cost_f < cost - 1e-9:
                cost, box, text = cost_f, box_f, form
            if cost == 0:
                break
        label = text
        if cost > 0:
            for narrower in _narrower(label, size):
                cost_n, box_n = self._search(route, narrower, size)
                if cost_n < cost - 1e-9:
                    cost, box, text = cost_n, box_n, narrower
                if cost == 0:
                    break
        self._add_box(box)
        return (round(box.x + box.width / 2, 2), round(box.y + box.height / 2, 2)), text

    def _search(self, route: int, label: str, size: float) -> tuple[float, Box]:
        """The least bad box for `label` beside route `route` (0: covers nothing)."""
        w, h = label_size(label, size)
        best: tuple[float, int, Box] | None = None
        for order, box in enumerate(self._candidates(route, w, h)):
            if order >= _TRIES:  # a crowded place in a big chart: take the least bad
                break
            cost = self._cost(route, box, best[0] if best else math.inf)
            if cost == 0:
                best = (0.0, order, box)
                break
            if best is None or cost < best[0] - 1e-9:
                best = (cost, order, box)
        if best is None:  # a route of no length: on its start
            x, y = self._routes[route][0][0] if self._routes[route] else (0.0, 0.0)
            best = (0.0, 0, Box(x - w / 2, y - h - _GAP, w, h))
        return best[0], best[2]

    def place_at_end(self, route: int, label: str, size: float, within: Box) -> Point | None:
        """The centre of a tag at the end of route `route`: just past its arrow tip, in
        line with its last run, or beside the route, inside `within` (the informed lane's
        band); None where every such place would cover something (a tag over another
        arrow misleads more than no tag)."""
        lines = label.split("\n")
        w = max(textfit.text_width(line, size) for line in lines) + 4
        h = textfit.line_height(size) * len(lines) + 2
        for box in itertools.chain(
            self._tip_candidates(route, w, h), self._candidates(route, w, h)
        ):
            if within.contains(box) and self._cost(route, box) == 0:
                self._add_box(box)
                return (round(box.x + w / 2, 2), round(box.y + h / 2, 2))
        return None

    def _tip_candidates(self, route: int, w: float, h: float) -> Iterator[Box]:
        chords = self._routes[route]
        if not chords:
            return
        a, tip = chords[-1]
        dx, dy = tip[0] - a[0], tip[1] - a[1]
        for further in (0.0, 8.0):
            if abs(dx) >= abs(dy):  # the last run goes across the page
                sign = 1 if dx > 0 else -1
                x = tip[0] + sign * (_GAP + further + w / 2)
                for shift in (0.0, -h / 2, h / 2):
                    yield Box(x - w / 2, tip[1] + shift - h / 2, w, h)
            else:
                sign = 1 if dy > 0 else -1
                y = tip[1] + sign * (_GAP + further + h / 2)
                for shift in (0.0, -w / 2 + 4, w / 2 - 4, -w / 2 - 4, w / 2 + 4):
                    yield Box(tip[0] + shift - w / 2, y - h / 2, w, h)

    def _candidates(self, route: int, w: float, h: float) -> Iterator[Box]:
        """Boxes beside the route, from its start onwards: first just beside it, then a
        little further out. Beside a run across the page, above then below; beside a run
        down the page, right then left."""
        chords = self._routes[route]
        for gap in (_GAP, _GAP + 6):
            travelled = 0.0
            for a, b in chords:
                length = math.dist(a, b)
                if length < 1e-6:
                    continue
                horizontal = abs(b[0] - a[0]) >= abs(b[1] - a[1])
                stride = _STEP if travelled < 200 else 12.0 if travelled < 1200 else 40.0
                count = max(int(length // stride), 1)
                for k in range(count + 1):
                    at = travelled + length * k / count
                    if at < _SKIP:
                        continue
                    t = k / count
                    x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
                    # centred on the point, then starting or ending there
                    if horizontal:
                        for shift in (0.0, w / 2, -w / 2):
                            for dy in (-(gap + h / 2), gap + h / 2):
                                yield Box(x + shift - w / 2, y + dy - h / 2, w, h)
                    else:
                        for shift in (0.0, h / 2, -h / 2):
                            for dx in (gap + w / 2, -(gap + w / 2)):
                                yield Box(x + dx - w / 2, y + shift - h / 2, w, h)
                travelled += length

    def _cost(self, route: int, box: Box, enough: float = math.inf) -> float:
        """0 for a place that covers nothing and is clearly its own edge's; else how bad
        (anything at or above `enough` once it is known to be no better)."""
        cost = 10 * self._box_cost(box)
        if not self._bounds.contains(box):
            cost += 4 * box.width * box.height
        if cost >= enough:
            return cost
        own = math.inf
        other = math.inf
        covered = 0.0
        for index, a, b in self._near_chords(box, 3 * _GAP + _CLEAR):
            if a[0] == b[0] or a[1] == b[1]:  # a straight run: its box is itself
                dx = max(box.x - max(a[0], b[0]), 0.0, min(a[0], b[0]) - box.right)
                dy = max(box.y - max(a[1], b[1]), 0.0, min(a[1], b[1]) - box.bottom)
                if dx == 0 and dy == 0:
                    inside = max(
                        min(max(a[0], b[0]), box.right) - max(min(a[0], b[0]), box.x),
                        min(max(a[1], b[1]), box.bottom) - max(min(a[1], b[1]), box.y),
                    )
                    d = 0.0
                else:
                    inside, d = 0.0, math.hypot(dx, dy)
            else:
                inside = clipped_length(a, b, box)
                d = 0.0 if inside > 0 else _segment_box_distance(a, b, box)
            covered += inside
            if index == route:
                own = min(own, d)
            else:
                other = min(other, d)
        cost += 7.5 * covered
        own = min(own, 3 * _GAP + _CLEAR)
        if other < own + _CLEAR:
            cost += 20 * (own + _CLEAR - other) + 5
        return cost


def _narrower(label: str, size: float) -> Iterator[str]:
    """`label` wrapped at spaces onto more lines, ever narrower (the lines it already
    has kept apart): each distinct wrapping once, widest first."""
    lines = label.split("\n")
    widest = max(textfit.text_width(line, size) for line in lines)
    word = max(textfit.text_width(w, size) for w in label.split()) if label.split() else 0.0
    seen = {label}
    for share in (0.75, 0.55, 0.4):
        room = max(widest * share, word + 0.5)  # never a word split: only at spaces
        wrapped = "\n".join(part for line in lines for part in textfit.wrap(line, room, size))
        if wrapped not in seen:
            seen.add(wrapped)
            yield wrapped


def label_size(label: str, size: float) -> tuple[float, float]:
    """(width, height) of the box an edge label takes at font `size`, as it is placed."""
    lines = label.split("\n")
    width = max(textfit.text_width(line, size) for line in lines) + 4
    return width, textfit.line_height(size) * len(lines) + 2


def _chords(points: Sequence[Point]) -> list[tuple[Point, Point]]:
    """A B-spline's pieces as straight chords (exact for the orthogonal routes)."""
    return [(points[i], points[i + 3]) for i in range(0, len(points) - 3, 3)]


def _chord_box(a: Point, b: Point) -> Box:
    return Box(min(a[0], b[0]), min(a[1], b[1]), abs(a[0] - b[0]), abs(a[1] - b[1]))


def clipped_length(a: Point, b: Point, box: Box) -> float:
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


def _segment_box_distance(a: Point, b: Point, box: Box) -> float:
    """The distance between a segment that misses `box` and the box."""
    corners = ((box.x, box.y), (box.right, box.y), (box.right, box.bottom), (box.x, box.bottom))
    best = min(_point_box(a, box), _point_box(b, box))
    return min(best, *(_point_segment(c, a, b) for c in corners))


def _point_box(p: Point, box: Box) -> float:
    dx = max(box.x - p[0], 0.0, p[0] - box.right)
    dy = max(box.y - p[1], 0.0, p[1] - box.bottom)
    return math.hypot(dx, dy)


def _point_segment(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length
    t = max(0.0, min(1.0, t))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))
