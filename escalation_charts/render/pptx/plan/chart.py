"""Fit the shared layout onto slides: one scale, one text size, continuation pages.

Pure geometry (no python-pptx). The chart is scaled as a whole, so the layout's proportions
and spacing are kept; the scale is the largest that fits the chart area, but never so small
that a step's label would drop below `CHART_MIN_PT`. When that happens the chart is cut into
pages: along the flow into windows of whole ranks (every lane shown on every page, lane
names repeated), and, when the lanes alone are too tall, into fewer lanes or groups of
lanes (`_windows`). An edge whose ends land on different pages ends at an off-page
connector showing the other slide's number (`_pages`).

Everything is computed for flow running left to right; a top-to-bottom layout is
transposed, planned, and transposed back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from escalation_charts.layout.bands import STEP_FONT_SIZE
from escalation_charts.layout.geometry import Box, LaneBand, Layout, StepBox
from escalation_charts.layout.textfit import deck_fits
from escalation_charts.render.pptx.plan.pages import (
    ChartPage,
    ChartPlan,
    OffPage,
    PageEdge,
    StepText,
    place_pages,
)
from escalation_charts.render.pptx.plan.windows import HEADER_PT, split_windows, whole_window
from escalation_charts.render.pptx.style import CHART_MIN_PT
from escalation_charts.render.pptx.text.fit import best_size, fits_in_shape

__all__ = ["ChartPage", "ChartPlan", "OffPage", "PageEdge", "StepText", "plan_chart"]

MAX_PT = 14.0  # step text never larger: a small chart is not blown up into a poster
MAX_SCALE = 1.6
LANE_MAX_PT = 14.0


def plan_chart(
    layout: Layout,
    steps: Mapping[str, StepText],
    lane_names: Mapping[str, str],
    area: Box,
    zoom: float = 1.0,
) -> ChartPlan:
    """Pages for `layout` in the slide `area` (points); `steps` describes every step of the
    layout, `lane_names` gives each lane's header text.

    `zoom` is the slide's width over the default slide's: the chart is planned on the
    default slide (text sizes, references, margins as there) and drawn `zoom` times as
    big, so a template's smaller slide, projected on the same screen, shows the same
    chart on the same number of slides."""
    if zoom != 1.0:
        virtual = Box(area.x / zoom, area.y / zoom, area.width / zoom, area.height / zoom)
        return _zoomed(plan_chart(layout, steps, lane_names, virtual), zoom)
    min_pt = CHART_MIN_PT
    vertical = layout.direction.upper() == "TB"
    flat = _transpose(layout) if vertical else layout
    box = _transpose_box(area) if vertical else area
    text_scale = _text_scale(flat, steps, lane_names, min_pt)
    whole = min(box.width / max(flat.width, 1.0), box.height / max(flat.height, 1.0))
    if whole >= text_scale:
        scale = min(whole, MAX_SCALE)
        pages = [whole_window(flat)]
    else:
        pages = split_windows(flat, steps, lane_names, box, text_scale, min_pt)
        scale = min(min(box.width / p.width, box.height / p.height) for p in pages)
    placed = place_pages(flat, steps, pages, scale, box)
    if vertical:
        placed = [_transpose_page(p) for p in placed]
    return ChartPlan(
        scale=scale,
        step_pt=min(_step_size(flat, steps, scale, min_pt), max(min_pt, _layout_pt(scale))),
        lane_pt=_lane_size(scale, min_pt),
        min_pt=min_pt,
        pages=tuple(placed),
    )


# --- sizes -------------------------------------------------------------------------------


def _text_scale(
    layout: Layout, steps: Mapping[str, StepText], lane_names: Mapping[str, str], min_pt: float
) -> float:
    """The smallest scale at which every label and lane name fits at `min_pt`."""
    need = 0.0
    for step in layout.steps:
        text = steps[step.step]
        size = best_size(text.label, text.preset, step.box.width, step.box.height)
        need = max(need, min_pt / size)
    for band in layout.lanes:
        # The name is written upright on the slide, whichever way the flow runs.
        header = _transpose_box(band.header) if layout.direction == "TB" else band.header
        size = _lane_best(lane_names.get(band.lane, band.lane), header)
        need = max(need, min_pt / size)
    return need


def _step_size(layout: Layout, steps: Mapping[str, StepText], scale: float, min_pt: float) -> float:
    """One size for every step label: the largest that fits them all, within MIN..MAX."""
    low, high = min_pt, MAX_PT
    if _all_fit(layout, steps, scale, high):
        return high
    while high - low > 0.25:
        mid = (low + high) / 2
        if _all_fit(layout, steps, scale, mid):
            low = mid
        else:
            high = mid
    return int(low * 2) / 2  # whole or half points, as a trainer would pick


def _all_fit(layout: Layout, steps: Mapping[str, StepText], scale: float, size: float) -> bool:
    return all(
        fits_in_shape(
            steps[s.step].label,
            steps[s.step].preset,
            s.box.width * scale,
            s.box.height * scale,
            size,
        )
        for s in layout.steps
    )


def _lane_best(name: str, header: Box) -> float:
    low, high = 1.0, 40.0
    width, height = header.width - 8, header.height - 8
    if not deck_fits(name, low, width, height, bold=True):
        return low
    while high - low > 0.1:
        mid = (low + high) / 2
        if deck_fits(name, mid, width, height, bold=True):
            low = mid
        else:
            high = mid
    return low


def _layout_pt(scale: float) -> float:
    """The layout's own step text size, scaled (in half points): its boxes were sized for
    it in a font a little wider than the deck's, so text keeps some room around it."""
    return int(STEP_FONT_SIZE * scale * 2) / 2


def _lane_size(scale: float, min_pt: float) -> float:
    """Lane names at the layout's header size, scaled, within min_pt..LANE_MAX_PT."""
    return max(min_pt, min(LANE_MAX_PT, int(HEADER_PT * scale * 2) / 2))


# --- zooming a plan onto a slide of another size --------------------------------------


def _zoom_box(box: Box, k: float) -> Box:
    return Box(box.x * k, box.y * k, box.width * k, box.height * k)


def _zoomed(plan: ChartPlan, k: float) -> ChartPlan:
    pages = tuple(
        replace(
            page,
            lanes=tuple(
                LaneBand(b.lane, _zoom_box(b.box, k), _zoom_box(b.header, k)) for b in page.lanes
            ),
            steps=tuple(StepBox(s.step, _zoom_box(s.box, k)) for s in page.steps),
            refs=tuple(replace(r, box=_zoom_box(r.box, k)) for r in page.refs),
            notify=tuple((s, lane, None if x is None else x * k) for s, lane, x in page.notify),
        )
        for page in plan.pages
    )
    # Half points, as a trainer would pick them.
    return ChartPlan(
        scale=plan.scale * k,
        step_pt=int(plan.step_pt * k * 2) / 2,
        lane_pt=int(plan.lane_pt * k * 2) / 2,
        pages=pages,
        min_pt=int(plan.min_pt * k * 2) / 2,
    )


# --- transposing top-to-bottom layouts ------------------------------------------------------


def _transpose_box(box: Box) -> Box:
    return Box(box.y, box.x, box.height, box.width)


def _transpose(layout: Layout) -> Layout:
    return Layout(
        width=layout.height,
        height=layout.width,
        direction="TB",  # kept: lane names then wrap across the band, not along it
        lanes=tuple(
            LaneBand(b.lane, _transpose_box(b.box), _transpose_box(b.header)) for b in layout.lanes
        ),
        steps=tuple(StepBox(s.step, _transpose_box(s.box)) for s in layout.steps),
        edges=tuple(
            replace(e, points=tuple((y, x) for x, y in e.points), label_pos=None)
            for e in layout.edges
        ),
    )


def _transpose_page(page: ChartPage) -> ChartPage:
    return replace(
        page,
        lanes=tuple(
            LaneBand(b.lane, _transpose_box(b.box), _transpose_box(b.header)) for b in page.lanes
        ),
        steps=tuple(StepBox(s.step, _transpose_box(s.box)) for s in page.steps),
        refs=tuple(replace(r, box=_transpose_box(r.box)) for r in page.refs),
    )
