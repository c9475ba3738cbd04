"""A hand-built layout for export tests: a plain grid, independent of Graphviz.

Each lane is a band; steps sit in their lane's band at the column of their position in the
file; edges are straight splines between box centres. Good enough to check that exports
place every shape from `geometry.Layout` and keep it inside its lane.
"""

from __future__ import annotations

from escalation_charts.layout.geometry import Box, EdgeRoute, LaneBand, Layout, StepBox
from escalation_charts.model import Definition

HEADER, COLUMN, ROW, WIDTH, HEIGHT = 120.0, 170.0, 110.0, 130.0, 60.0


def grid_layout(definition: Definition, direction: str = "LR") -> Layout:
    columns = {step.id: i for i, step in enumerate(definition.steps)}
    length = HEADER + COLUMN * max(1, len(definition.steps))
    bands, boxes = [], {}
    for row, lane in enumerate(definition.lanes):
        band = Box(0, row * ROW, length, ROW)
        header = Box(0, row * ROW, HEADER, ROW)
        if direction == "TB":
            band, header = _swap(band), _swap(header)
        bands.append(LaneBand(lane.id, band, header))
        for step in definition.steps_in(lane.id):
            box = Box(HEADER + columns[step.id] * COLUMN + 20, row * ROW + 25, WIDTH, HEIGHT)
            boxes[step.id] = _swap(box) if direction == "TB" else box
    edges = []
    for step in definition.steps:
        for index, edge in enumerate(step.next):
            if step.id in boxes and edge.to in boxes:
                a, b = boxes[step.id].center, boxes[edge.to].center
                pts = (a, _lerp(a, b, 1 / 3), _lerp(a, b, 2 / 3), b)
                kind = "timer" if edge.is_timer else "flow"
                edges.append(
                    EdgeRoute(step.id, edge.to, kind, index, pts, edge.when, _lerp(a, b, 0.5))
                )
        for lane in step.notify:
            bands_by = {b.lane: b for b in bands}
            if step.id in boxes and lane in bands_by:
                a, b = boxes[step.id].center, bands_by[lane].header.center
                pts = (a, _lerp(a, b, 1 / 3), _lerp(a, b, 2 / 3), b)
                edges.append(EdgeRoute(step.id, lane, "notify", None, pts))
    size = (length, ROW * len(definition.lanes))
    if direction == "TB":
        size = size[::-1]
    return Layout(
        size[0],
        size[1],
        direction,
        tuple(bands),
        tuple(StepBox(k, v) for k, v in boxes.items()),
        tuple(edges),
    )


def _swap(box: Box) -> Box:
    return Box(box.y, box.x, box.height, box.width)


def _lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
