"""The lane-level overview: the whole process on one slide when its chart is too big for one.

Pure geometry in slide points (no python-pptx). Each lane is a band, as on the chart, with
one box standing for all its steps, placed along the band where the lane's steps are on
average in the shared layout (so the boxes still read left to right in the order the
flow meets them). Hand-overs between two lanes are counted, one arrow per direction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from escalation_charts.layout.geometry import Box, Layout
from escalation_charts.layout.textfit import deck_fits
from escalation_charts.render.pptx.style import MIN_PT

__all__ = ["Glance", "GlanceLane", "HandOver", "plan_glance"]

_HEADER = 150.0  # points of the lane-name column
_BOX = (170.0, 46.0)  # the box standing for a lane's steps
_MAX_BAND = 86.0  # a band is never taller: a 3-lane overview is not stretched to the floor
_NAME_PT = (14.0, 13.0, 12.0, 11.0, 10.0, MIN_PT)


@dataclass(frozen=True)
class GlanceLane:
    """One lane: its band, header cell, summary box and how many steps it has."""

    lane: str
    band: Box
    header: Box
    box: Box
    steps: int


@dataclass(frozen=True)
class HandOver:
    """Hand-overs from one lane to another (`count` edges; `timers` of them timers)."""

    source: str
    target: str
    count: int
    timers: int


@dataclass(frozen=True)
class Glance:
    lanes: tuple[GlanceLane, ...]
    handovers: tuple[HandOver, ...]
    name_pt: float


def plan_glance(
    layout: Layout,
    lane_of: Mapping[str, str],
    lanes: Sequence[str],
    names: Mapping[str, str],
    area: Box,
) -> Glance:
    """Bands for `lanes` (in order) in `area`, a box per lane, the hand-overs between them.
    `lane_of` maps each step to its lane; `names` gives each lane's header text."""
    count = len(lanes) or 1
    band_h = min(area.height / count, _MAX_BAND)
    top = area.y + (area.height - band_h * count) / 2
    name_pt = _name_size(lanes, names, band_h)
    centres: dict[str, list[float]] = {}
    for placed in layout.steps:
        axis = placed.box.center[1] if layout.direction.upper() == "TB" else placed.box.center[0]
        centres.setdefault(lane_of[placed.step], []).append(axis)
    flat = [c for values in centres.values() for c in values]
    low, high = (min(flat), max(flat)) if flat else (0.0, 1.0)
    box_w, box_h = _BOX[0], min(_BOX[1], band_h - 16)
    inner_x = area.x + _HEADER + 24
    inner_w = area.width - _HEADER - 48 - box_w
    rows = []
    for n, lane in enumerate(lanes):
        band = Box(area.x, top + n * band_h, area.width, band_h)
        values = centres.get(lane, [])
        where = (sum(values) / len(values) - low) / (high - low) if values and high > low else 0.5
        box = Box(inner_x + where * inner_w, band.y + (band_h - box_h) / 2, box_w, box_h)
        header = Box(band.x, band.y, _HEADER, band_h)
        rows.append(GlanceLane(lane, band, header, box, len(values)))
    pairs: dict[tuple[str, str], list[int]] = {}
    order = {lane: n for n, lane in enumerate(lanes)}
    for edge in layout.edges:
        if edge.kind == "notify" or edge.source not in lane_of or edge.target not in lane_of:
            continue
        source, target = lane_of[edge.source], lane_of[edge.target]
        # A step in a lane that does not exist (an error, drawn with --force) has no band
        # here: its hand-overs cannot be drawn, the findings name it.
        if source != target and source in order and target in order:
            counts = pairs.setdefault((source, target), [0, 0])
            counts[0] += 1
            counts[1] += edge.kind == "timer"
    handovers = tuple(
        HandOver(s, t, c, tm)
        for (s, t), (c, tm) in sorted(pairs.items(), key=lambda i: (order[i[0][0]], order[i[0][1]]))
    )
    return Glance(tuple(rows), handovers, name_pt)


def _name_size(lanes: Sequence[str], names: Mapping[str, str], band_h: float) -> float:
    """The largest size at which every lane name (and its step count line) fits its header."""
    for size in _NAME_PT:
        if all(
            deck_fits(
                names.get(lane, lane) + "\n00 steps", size, _HEADER - 12, band_h - 8, bold=True
            )
            for lane in lanes
        ):
            return size
    return MIN_PT
