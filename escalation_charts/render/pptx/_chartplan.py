"""Fit the shared layout onto slides: one scale, one text size, continuation pages.

Pure geometry (no python-pptx). The chart is scaled as a whole, so the layout's proportions
and spacing are kept; the scale is the largest that fits the chart area, but never so small
that a step's label would drop below `MIN_PT`. When that happens the chart is cut into
pages: along the flow into windows of whole ranks (every lane shown on every page, lane
names repeated), and, when the lanes alone are too tall, into groups of lanes. An edge
whose ends land on different pages ends at an off-page reference ("to slide 5: ...").

Everything is computed for flow running left to right; a top-to-bottom layout is
transposed, planned, and transposed back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ...geometry import Box, EdgeRoute, LaneBand, Layout, StepBox
from ._fit import best_size, fits_in_shape
from ._measure import fits
from ._style import MIN_PT

__all__ = ["ChartPage", "ChartPlan", "OffPage", "PageEdge", "StepText", "plan_chart"]

MAX_PT = 14.0  # step text never larger: a small chart is not blown up into a poster
MAX_SCALE = 1.6
LANE_MAX_PT = 16.0
REF_WIDTH = 96.0  # slide points of an off-page reference
REF_GAP = 6.0
_PAD = 14.0  # layout points kept free around a page's window


@dataclass(frozen=True)
class StepText:
    """What the plan needs to know of a step: its shape preset, label and lane."""

    preset: str
    label: str
    lane: str


@dataclass(frozen=True)
class OffPage:
    """An off-page reference on this page, standing for `step` on slide page `page`."""

    key: str
    step: str
    page: int
    lane: str
    box: Box
    outgoing: bool  # True: arrows on this page lead to it


@dataclass(frozen=True)
class PageEdge:
    """An arrow to draw: between two steps, or a step and an off-page reference (`ref:` key)."""

    name: str
    source: str
    target: str
    kind: str
    label: str | None


@dataclass(frozen=True)
class ChartPage:
    """One slide of the chart, in slide points: lane bands, steps, references, arrows."""

    number: int
    lanes: tuple[LaneBand, ...]
    steps: tuple[StepBox, ...]
    refs: tuple[OffPage, ...]
    edges: tuple[PageEdge, ...]
    notify: tuple[tuple[str, str], ...]  # (step, lane) pairs whose lane is on this page


@dataclass(frozen=True)
class ChartPlan:
    scale: float
    step_pt: float
    lane_pt: float
    pages: tuple[ChartPage, ...]


def plan_chart(
    layout: Layout,
    steps: Mapping[str, StepText],
    lane_names: Mapping[str, str],
    area: Box,
) -> ChartPlan:
    """Pages for `layout` in the slide `area` (points); `steps` describes every step of the
    layout, `lane_names` gives each lane's header text."""
    vertical = layout.direction.upper() == "TB"
    flat = _transpose(layout) if vertical else layout
    box = _transpose_box(area) if vertical else area
    text_scale = _text_scale(flat, steps, lane_names)
    whole = min(box.width / max(flat.width, 1.0), box.height / max(flat.height, 1.0))
    if whole >= text_scale:
        scale = min(whole, MAX_SCALE)
        pages = [_whole_page(flat)]
    else:
        pages = _split(flat, steps, box, text_scale)
        scale = min(min(box.width / p.width, box.height / p.height) for p in pages)
    placed = _place(flat, steps, pages, scale, box)
    if vertical:
        placed = [_transpose_page(p) for p in placed]
    return ChartPlan(
        scale=scale,
        step_pt=_step_size(flat, steps, scale),
        lane_pt=_lane_size(flat, lane_names, scale),
        pages=tuple(placed),
    )


# --- sizes -------------------------------------------------------------------------------


def _text_scale(
    layout: Layout, steps: Mapping[str, StepText], lane_names: Mapping[str, str]
) -> float:
    """The smallest scale at which every label and lane name fits at MIN_PT."""
    need = 0.0
    for step in layout.steps:
        text = steps[step.step]
        size = best_size(text.label, text.preset, step.box.width, step.box.height)
        need = max(need, MIN_PT / size)
    for band in layout.lanes:
        size = _lane_best(lane_names.get(band.lane, band.lane), band.header)
        need = max(need, MIN_PT / size)
    return need


def _step_size(layout: Layout, steps: Mapping[str, StepText], scale: float) -> float:
    """One size for every step label: the largest that fits them all, within MIN..MAX."""
    low, high = MIN_PT, MAX_PT
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
    if not fits(name, low, width, height, bold=True):
        return low
    while high - low > 0.1:
        mid = (low + high) / 2
        if fits(name, mid, width, height, bold=True):
            low = mid
        else:
            high = mid
    return low


def _lane_size(layout: Layout, lane_names: Mapping[str, str], scale: float) -> float:
    sizes = [_lane_best(lane_names.get(b.lane, b.lane), b.header) * scale for b in layout.lanes]
    return max(MIN_PT, min([LANE_MAX_PT, *sizes]) // 0.5 * 0.5)


# --- pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    """Part of the flat layout: some lanes, the flow range [start, end] of some steps."""

    lanes: tuple[LaneBand, ...]
    steps: tuple[StepBox, ...]
    start: float
    end: float
    header: float  # header column width
    margin: float  # room for off-page references on each side (layout points)
    whole: bool = False

    @property
    def width(self) -> float:
        if self.whole:
            return self.end
        return self.header + 2 * (_PAD + self.margin) + (self.end - self.start)

    @property
    def height(self) -> float:
        return self.lanes[-1].box.bottom - self.lanes[0].box.y


def _whole_page(layout: Layout) -> _Window:
    return _Window(layout.lanes, layout.steps, 0.0, layout.width, 0.0, 0.0, whole=True)


def _split(
    layout: Layout, steps_text: Mapping[str, StepText], area: Box, scale: float
) -> list[_Window]:
    header = max((b.header.width for b in layout.lanes), default=0.0)
    margin = (REF_WIDTH + REF_GAP) / scale
    room = area.width / scale - header - 2 * (_PAD + margin)
    groups = _lane_groups(layout.lanes, area.height / scale)
    windows: list[_Window] = []
    for group in groups:
        ids = {b.lane for b in group}
        steps = sorted(
            (s for s in layout.steps if steps_text[s.step].lane in ids),
            key=lambda s: (s.box.x, s.step),
        )
        chunk: list[StepBox] = []
        for step in steps:
            start = chunk[0].box.x if chunk else step.box.x
            if chunk and max(step.box.right, *(c.box.right for c in chunk)) - start > room:
                windows.append(_window(group, chunk, header, margin))
                chunk = []
            chunk.append(step)
        if chunk or not windows:
            windows.append(_window(group, chunk, header, margin))
    return windows


def _window(
    group: Sequence[LaneBand], steps: Sequence[StepBox], header: float, margin: float
) -> _Window:
    start = min((s.box.x for s in steps), default=0.0)
    end = max((s.box.right for s in steps), default=start)
    return _Window(tuple(group), tuple(steps), start, end, header, margin)


def _lane_groups(lanes: Sequence[LaneBand], room: float) -> list[list[LaneBand]]:
    """Consecutive lanes whose bands together fit `room` (a taller lane stands alone)."""
    groups: list[list[LaneBand]] = [[]]
    for band in lanes:
        used = sum(b.box.height for b in groups[-1])
        if groups[-1] and used + band.box.height > room:
            groups.append([])
        groups[-1].append(band)
    return groups


# --- placing pages on the slide -------------------------------------------------------------


def _place(
    layout: Layout,
    steps: Mapping[str, StepText],
    windows: Sequence[_Window],
    scale: float,
    area: Box,
) -> list[ChartPage]:
    page_of = {step.step: n for n, window in enumerate(windows) for step in window.steps}
    lane_of = {step_id: text.lane for step_id, text in steps.items()}
    return [
        _place_one(layout, n, window, windows, scale, area, page_of, lane_of)
        for n, window in enumerate(windows)
    ]


def _place_one(
    layout: Layout,
    n: int,
    window: _Window,
    windows: Sequence[_Window],
    scale: float,
    area: Box,
    page_of: Mapping[str, int],
    lane_of: Mapping[str, str],
) -> ChartPage:
    top = window.lanes[0].box.y
    if window.whole:
        shift = 0.0
        # A chart narrower than the area is centred; a shorter one sits at the top.
        left = area.x + (area.width - window.width * scale) / 2
    else:
        shift = window.header + _PAD + window.margin - window.start
        left = area.x

    def place(box: Box, header: bool = False) -> Box:
        x = box.x if header else box.x + shift
        return Box(
            left + x * scale, area.y + (box.y - top) * scale, box.width * scale, box.height * scale
        )

    lanes = tuple(
        LaneBand(
            b.lane,
            Box(
                left + b.box.x * scale,
                area.y + (b.box.y - top) * scale,
                window.width * scale,
                b.box.height * scale,
            ),
            place(b.header, header=True),
        )
        for b in window.lanes
    )
    steps = tuple(StepBox(s.step, place(s.box)) for s in window.steps)
    on_page = {s.step for s in window.steps}
    page_lanes = {b.lane: b for b in lanes}
    edges: list[PageEdge] = []
    refs: dict[str, tuple[str, int, str, bool]] = {}
    notify: list[tuple[str, str]] = []
    for edge in layout.edges:
        name = _edge_name(edge)
        if edge.kind == "notify":
            if edge.source in on_page and edge.target in page_lanes:
                notify.append((edge.source, edge.target))
            continue
        src_here, dst_here = edge.source in on_page, edge.target in on_page
        if src_here and dst_here:
            edges.append(PageEdge(name, edge.source, edge.target, edge.kind, edge.label))
        elif src_here and edge.target in page_of:
            key = f"ref:to-{edge.target}"
            refs.setdefault(key, (edge.target, page_of[edge.target], lane_of[edge.source], True))
            edges.append(PageEdge(name, edge.source, key, edge.kind, edge.label))
        elif dst_here and edge.source in page_of:
            key = f"ref:from-{edge.source}"
            refs.setdefault(key, (edge.source, page_of[edge.source], lane_of[edge.target], False))
            edges.append(PageEdge(f"{name}-in", key, edge.target, edge.kind, None))
    return ChartPage(
        number=n + 1,
        lanes=lanes,
        steps=steps,
        refs=_place_refs(refs, n, page_lanes, scale, window),
        edges=tuple(edges),
        notify=tuple(notify),
    )


def _place_refs(
    refs: Mapping[str, tuple[str, int, str, bool]],
    here: int,
    lanes: Mapping[str, LaneBand],
    scale: float,
    window: _Window,
) -> tuple[OffPage, ...]:
    """Stack references in their lane's band: at the right for later pages, left for
    earlier ones."""
    slots: dict[tuple[str, bool], list[tuple[str, str, int]]] = {}
    for key, (step, page, lane, _) in refs.items():
        slots.setdefault((lane, page > here), []).append((key, step, page))
    placed: list[OffPage] = []
    height = 2 * MIN_PT * 1.2 + 6
    for (lane, later), items in sorted(slots.items()):
        band = lanes[lane].box
        x = (
            band.right - REF_WIDTH - REF_GAP / 2
            if later
            else (band.x + (window.header + _PAD / 2) * scale)
        )
        total = len(items) * height + (len(items) - 1) * REF_GAP
        y = band.y + max((band.height - total) / 2, 2.0)
        for key, step, page in sorted(items, key=lambda i: i[0]):
            outgoing = refs[key][3]
            placed.append(OffPage(key, step, page, lane, Box(x, y, REF_WIDTH, height), outgoing))
            y += height + REF_GAP
    return tuple(placed)


def _edge_name(edge: EdgeRoute) -> str:
    if edge.kind == "notify" or edge.index is None:
        return f"notify-{edge.source}-{edge.target}"
    return f"edge-{edge.source}-{edge.index}"


# --- transposing top-to-bottom layouts ------------------------------------------------------


def _transpose_box(box: Box) -> Box:
    return Box(box.y, box.x, box.height, box.width)


def _transpose(layout: Layout) -> Layout:
    return Layout(
        width=layout.height,
        height=layout.width,
        direction="LR",
        lanes=tuple(
            LaneBand(b.lane, _transpose_box(b.box), _transpose_box(b.header)) for b in layout.lanes
        ),
        steps=tuple(StepBox(s.step, _transpose_box(s.box)) for s in layout.steps),
        edges=layout.edges,
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
