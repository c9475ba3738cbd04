"""What a reader checks on a chart, measured from the SVG file itself.

`read_chart` parses a chart SVG into step shapes (with their text lines), edge paths (with
their arrowheads and label boxes); the `*_problems` functions return one line per thing a
person would misread: a label nearer another edge than its own, a label over another edge
or a step, a step's text broken inside a word, two edge ends crowding one side of a step.
Used by `tests/test_legibility.py`; kept apart so a notebook or bench can reuse it.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from escalation_charts.ids import dom_id
from escalation_charts.layout.textfit import text_width
from escalation_charts.model import Definition

SVG = "{http://www.w3.org/2000/svg}"
Point = tuple[float, float]
Segment = tuple[Point, Point]
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    def grow(self, by: float) -> Rect:
        return Rect(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)


@dataclass
class Shape:
    """A step's outline: `kind` is ellipse, diamond or box; `rect` its bounding box."""

    step: str
    kind: str
    rect: Rect
    points: tuple[Point, ...] = ()  # the diamond's corners
    lines: list[str] = field(default_factory=list)
    font_size: float = 0.0


@dataclass
class Edge:
    """An edge as drawn: the sampled path (with the arrowhead's tip last), its label."""

    id: str
    source: str
    target: str | None  # a step id, or None for a notify arrow
    path: list[Point]
    arrow: list[Segment]
    label_lines: list[str] = field(default_factory=list)
    label_rect: Rect | None = None
    label_size: float = 0.0

    @functools.cached_property
    def segments(self) -> list[Segment]:
        return list(itertools.pairwise(self.path)) + self.arrow

    @functools.cached_property
    def bounds(self) -> Rect:
        return _bounds([p for segment in self.segments for p in segment])


@dataclass
class Chart:
    shapes: dict[str, Shape]
    edges: list[Edge]
    lanes: dict[str, Rect] = field(default_factory=dict)


def _numbers(text: str) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text)]


def _pairs(values: Sequence[float]) -> list[Point]:
    return [(values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)]


def _sample_path(d: str) -> list[Point]:
    """Graphviz edge paths are `M p0 C c1 c2 p ...`: sample each cubic at 12 points."""
    points = _pairs(_numbers(d))
    out = [points[0]]
    for i in range(1, len(points) - 2, 3):
        p0, c1, c2, p3 = points[i - 1], points[i], points[i + 1], points[i + 2]
        for k in range(1, 13):
            t = k / 12
            a, b, c, e = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
            out.append(
                (
                    a * p0[0] + b * c1[0] + c * c2[0] + e * p3[0],
                    a * p0[1] + b * c1[1] + c * c2[1] + e * p3[1],
                )
            )
    return out


def _text_rect(texts: Sequence[etree._Element]) -> tuple[Rect, float]:
    """The box the glyphs of these (centred) text lines cover: Helvetica's widths, ascent
    0.75 em above the baseline and descent 0.22 em below."""
    x0 = y0 = math.inf
    x1 = y1 = -math.inf
    size = 0.0
    for t in texts:
        size = float(t.get("font-size", "0"))
        bold = t.get("font-weight") == "bold"
        width = text_width(t.text or "", size, bold=bold)
        x, y = float(t.get("x", "0")), float(t.get("y", "0"))
        anchor = t.get("text-anchor", "start")
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        x0, x1 = min(x0, left), max(x1, left + width)
        y0, y1 = min(y0, y - 0.75 * size), max(y1, y + 0.22 * size)
    return Rect(x0, y0, x1, y1), size


def _edge_ends(definition: Definition) -> dict[str, tuple[str, str | None]]:
    """Group id -> (source step, target step or None) of every `edge-<step>-<n>` and
    `notify-<step>-<lane>` (as `ids.dom_id` spells them)."""
    ends: dict[str, tuple[str, str | None]] = {}
    for step in definition.steps:
        for n, edge in enumerate(step.next):
            ends[dom_id("edge", step.id, index=n)] = (step.id, edge.to)
        for lane in step.notify:
            ends[dom_id("notify", step.id, lane)] = (step.id, None)
    return ends


def read_chart(svg: bytes, definition: Definition) -> Chart:
    """Steps and edges of a chart SVG, in the SVG's own coordinates."""
    root = etree.fromstring(svg)
    shapes: dict[str, Shape] = {}
    edges: list[Edge] = []
    lanes: dict[str, Rect] = {}
    edge_ends = _edge_ends(definition)
    for group in root.iter(f"{SVG}g"):
        gid = group.get("id", "")
        if group.get("class") == "cluster" and gid.startswith("lane-"):
            polygon = group.find(f"{SVG}polygon")
            if polygon is not None:
                lanes[gid.removeprefix("lane-")] = _bounds(
                    _pairs(_numbers(polygon.get("points", "")))
                )
        elif group.get("class") == "node" and gid.startswith("step-"):
            step = gid.removeprefix("step-")
            shape = _shape(step, group)
            texts = list(group.iter(f"{SVG}text"))
            shape.lines = [t.text or "" for t in texts]
            shape.font_size = float(texts[0].get("font-size", "0")) if texts else 0.0
            shapes[step] = shape
        elif group.get("class") == "edge" and gid.startswith(("edge-", "notify-")):
            ends = edge_ends.get(gid)
            path_el = group.find(f"{SVG}path")
            if ends is None or path_el is None:
                continue
            path = _sample_path(path_el.get("d", ""))
            arrow: list[Segment] = []
            poly = group.find(f"{SVG}polygon")
            if poly is not None:
                corners = _pairs(_numbers(poly.get("points", "")))
                arrow = list(itertools.pairwise(corners))
                tip = max(corners, key=lambda p: math.dist(p, path[-1]))
                path.append(tip)
            edge = Edge(gid, ends[0], ends[1], path, arrow)
            texts = list(group.iter(f"{SVG}text"))
            if texts:
                edge.label_lines = [t.text or "" for t in texts]
                edge.label_rect, edge.label_size = _text_rect(texts)
            edges.append(edge)
    return Chart(shapes, edges, lanes)


def _shape(step: str, group: etree._Element) -> Shape:
    ellipse = group.find(f"{SVG}ellipse")
    if ellipse is not None:
        cx, cy = float(ellipse.get("cx", "0")), float(ellipse.get("cy", "0"))
        rx, ry = float(ellipse.get("rx", "0")), float(ellipse.get("ry", "0"))
        return Shape(step, "ellipse", Rect(cx - rx, cy - ry, cx + rx, cy + ry))
    polygon = group.find(f"{SVG}polygon")
    if polygon is not None:
        points = tuple(_pairs(_numbers(polygon.get("points", ""))))
        return Shape(step, "diamond", _bounds(points), points)
    path = group.find(f"{SVG}path")
    assert path is not None, f"step {step} has no outline"
    return Shape(step, "box", _bounds(_pairs(_numbers(path.get("d", "")))))


def _bounds(points: Iterable[Point]) -> Rect:
    xs, ys = zip(*points, strict=True)
    return Rect(min(xs), min(ys), max(xs), max(ys))


# -- geometry -------------------------------------------------------------------------------


def _inside(p: Point, r: Rect) -> bool:
    return r.x0 <= p[0] <= r.x1 and r.y0 <= p[1] <= r.y1


def _segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    def orient(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2 = orient(c, d, a), orient(c, d, b)
    d3, d4 = orient(a, b, c), orient(a, b, d)
    return d1 * d2 < 0 and d3 * d4 < 0


def _rect_sides(r: Rect) -> list[Segment]:
    corners = [(r.x0, r.y0), (r.x1, r.y0), (r.x1, r.y1), (r.x0, r.y1)]
    return list(zip(corners, corners[1:] + corners[:1], strict=True))


def segment_hits_rect(a: Point, b: Point, r: Rect) -> bool:
    if _inside(a, r) or _inside(b, r):
        return True
    return any(_segments_cross(a, b, c, d) for c, d in _rect_sides(r))


def _point_segment(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = (
        0.0
        if length == 0
        else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    )
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def _rect_gap(a: Rect, b: Rect) -> float:
    dx = max(a.x0 - b.x1, 0.0, b.x0 - a.x1)
    dy = max(a.y0 - b.y1, 0.0, b.y0 - a.y1)
    return math.hypot(dx, dy)


def _box_gap(r: Rect, a: Point, b: Point) -> float:
    """A lower bound of the distance between a rectangle and segment a-b (their boxes')."""
    dx = max(r.x0 - max(a[0], b[0]), 0.0, min(a[0], b[0]) - r.x1)
    dy = max(r.y0 - max(a[1], b[1]), 0.0, min(a[1], b[1]) - r.y1)
    return math.hypot(dx, dy)


def rect_distance(r: Rect, segments: Iterable[Segment], limit: float = math.inf) -> float:
    """The shortest distance between a rectangle and a polyline (0 when they touch), or
    something above `limit` when it is further than that."""
    best = math.inf
    corners = [(r.x0, r.y0), (r.x1, r.y0), (r.x1, r.y1), (r.x0, r.y1)]
    for a, b in segments:
        if _box_gap(r, a, b) > min(best, limit):
            continue
        if segment_hits_rect(a, b, r):
            return 0.0
        for p in (a, b):
            dx = max(r.x0 - p[0], 0.0, p[0] - r.x1)
            dy = max(r.y0 - p[1], 0.0, p[1] - r.y1)
            best = min(best, math.hypot(dx, dy))
        best = min(best, *(_point_segment(c, a, b) for c in corners))
    return best


def rect_hits_shape(r: Rect, shape: Shape) -> bool:
    """Whether the rectangle overlaps the step's outline (the shape itself, not its box)."""
    s = shape.rect
    if r.x1 <= s.x0 or r.x0 >= s.x1 or r.y1 <= s.y0 or r.y0 >= s.y1:
        return False
    if shape.kind == "box":
        return True
    if shape.kind == "ellipse":
        cx, cy = (s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2
        rx, ry = (s.x1 - s.x0) / 2, (s.y1 - s.y0) / 2
        nx = min(max(cx, r.x0), r.x1)
        ny = min(max(cy, r.y0), r.y1)
        return ((nx - cx) / rx) ** 2 + ((ny - cy) / ry) ** 2 < 1
    corners = shape.points
    cx, cy = (s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2
    hx, hy = (s.x1 - s.x0) / 2, (s.y1 - s.y0) / 2
    nx = min(max(cx, r.x0), r.x1)
    ny = min(max(cy, r.y0), r.y1)
    if abs(nx - cx) / hx + abs(ny - cy) / hy < 1:
        return True
    edges = list(zip(corners, corners[1:] + corners[:1], strict=True))
    return any(segment_hits_rect(a, b, r) for a, b in edges)


# -- what a reader would misread ------------------------------------------------------------


def label_problems(chart: Chart) -> list[str]:
    """Every edge label: its own edge is the nearest one, and it covers no other edge and
    no step."""
    problems = []
    for edge in chart.edges:
        if edge.label_rect is None:
            continue
        text = " / ".join(edge.label_lines)
        # the glyph box, a hair smaller: touching is not covering
        rect = edge.label_rect.grow(-0.5)
        own = rect_distance(rect, edge.segments)
        for other in chart.edges:
            if other is edge or _rect_gap(rect, other.bounds) > own:
                continue
            d = rect_distance(rect, other.segments, limit=own)
            if d == 0:
                problems.append(f"{edge.id}: label {text!r} covers {other.id}")
            elif d <= own:
                problems.append(
                    f"{edge.id}: label {text!r} is nearer {other.id} ({d:.1f} pt) "
                    f"than its own edge ({own:.1f} pt)"
                )
        for shape in chart.shapes.values():
            if rect_hits_shape(rect, shape):
                problems.append(f"{edge.id}: label {text!r} covers step {shape.step}")
    return problems


def wrap_problems(chart: Chart, definition: Definition) -> list[str]:
    """Every step's text lines, joined with spaces, give its label: lines break at spaces,
    or inside a word too long for any line, with a hyphen."""
    problems = []
    steps = definition.steps_by_id
    for shape in chart.shapes.values():
        label = " ".join(steps[shape.step].label.split())
        if not _joins_to(shape.lines, label, shape.font_size):
            problems.append(f"step {shape.step}: lines {shape.lines!r} do not give {label!r}")
    return problems


def _joins_to(lines: Sequence[str], label: str, size: float) -> bool:
    lines = [" ".join(line.split()) for line in lines]
    widest = max((text_width(line, size) for line in lines), default=0.0)
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        if joined.endswith("-"):
            head = joined[:-1].rsplit(" ", 1)[-1]
            word = head + line.split(" ", 1)[0]
            if text_width(word, size) > widest and (joined[:-1] + line) in label:
                joined = joined[:-1] + line
                continue
        joined = f"{joined} {line}"
    return joined == label


def _side(point: Point, r: Rect) -> str:
    distances = {
        "left": abs(point[0] - r.x0),
        "right": abs(point[0] - r.x1),
        "top": abs(point[1] - r.y0),
        "bottom": abs(point[1] - r.y1),
    }
    return min(distances, key=lambda k: distances[k])


def port_problems(chart: Chart, minimum: float = 8.0) -> list[str]:
    """No two edge ends (where an edge leaves a step, or its arrow tip arrives) on one side
    of a step closer than `minimum` points."""
    ends: dict[str, list[tuple[str, Point]]] = {}
    for edge in chart.edges:
        ends.setdefault(edge.source, []).append((f"{edge.id} leaves", edge.path[0]))
        if edge.target is not None:
            ends.setdefault(edge.target, []).append((f"{edge.id} arrives", edge.path[-1]))
    problems = []
    for step, items in sorted(ends.items()):
        shape = chart.shapes.get(step)
        if shape is None:
            continue
        for (a, pa), (b, pb) in itertools.combinations(items, 2):
            side = _side(pa, shape.rect)
            if side == _side(pb, shape.rect) and math.dist(pa, pb) < minimum:
                problems.append(
                    f"step {step} ({side}): {a} and {b} {math.dist(pa, pb):.1f} pt apart"
                )
    return problems


def border_problems(chart: Chart, near: float = 2.5, longer: float = 10.0) -> list[str]:
    """No edge runs along a lane border: a run within `near` points of the line between two
    bands, parallel to it, for more than `longer` points, reads as part of the border."""
    rects = list(chart.lanes.values())
    if len(rects) < 2:
        return []
    rows = len({round(r.x0) for r in rects}) == 1  # bands stacked top to bottom
    borders = sorted({round(r.y0 if rows else r.x0, 2) for r in rects})[1:]
    problems = []
    for edge in chart.edges:
        for border in borders:
            run = 0.0
            for a, b in itertools.pairwise(edge.path):
                ca, cb = (a[1], b[1]) if rows else (a[0], b[0])
                if abs(ca - border) <= near and abs(cb - border) <= near:
                    run += abs(b[0] - a[0]) if rows else abs(b[1] - a[1])
            if run > longer:
                problems.append(f"{edge.id}: runs {run:.0f} pt along the lane border at {border}")
    return problems
