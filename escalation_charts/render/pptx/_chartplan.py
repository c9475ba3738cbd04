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
from ...layout import STEP_FONT_SIZE
from ._fit import best_size, fits_in_shape
from ._measure import fits, line_width, wrap
from ._style import MIN_PT

__all__ = ["ChartPage", "ChartPlan", "OffPage", "PageEdge", "StepText", "plan_chart"]

MAX_PT = 14.0  # step text never larger: a small chart is not blown up into a poster
MAX_SCALE = 1.6
LANE_MAX_PT = 14.0
REF_WIDTH = 30.0  # slide points of an off-page reference (the slide number inside)
REF_GAP = 8.0
_REF_HEIGHT = 30.0
_PAD = 14.0  # layout points kept free around a page's window
_BAND_PAD = 20.0  # layout points between a band's edge and its outermost step
_MIN_BAND = 72.0  # the layout's thinnest band
_EMPTY_BAND = 48.0  # a lane with no step on a continuation page
_HEADER_PT = 12.0  # the layout's lane-name size, to keep room for the name


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
    # (step, lane, x where the layout ends the arrow) for informed lanes on this page
    notify: tuple[tuple[str, str, float | None], ...]


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
        pages = _split(flat, steps, lane_names, box, text_scale)
        scale = min(min(box.width / p.width, box.height / p.height) for p in pages)
    placed = _place(flat, steps, pages, scale, box)
    if vertical:
        placed = [_transpose_page(p) for p in placed]
    return ChartPlan(
        scale=scale,
        step_pt=min(_step_size(flat, steps, scale), max(MIN_PT, _layout_pt(scale))),
        lane_pt=_lane_size(scale),
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
        # The name is written upright on the slide, whichever way the flow runs.
        header = _transpose_box(band.header) if layout.direction == "TB" else band.header
        size = _lane_best(lane_names.get(band.lane, band.lane), header)
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


def _layout_pt(scale: float) -> float:
    """The layout's own step text size, scaled (in half points): its boxes were sized for
    it in a font a little wider than the deck's, so text keeps some room around it."""
    return int(STEP_FONT_SIZE * scale * 2) / 2


def _lane_size(scale: float) -> float:
    """Lane names at the layout's header size, scaled, within MIN_PT..LANE_MAX_PT."""
    return max(MIN_PT, min(LANE_MAX_PT, int(_HEADER_PT * scale * 2) / 2))


# --- pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    """Part of the flat layout on one page: some lanes, the steps whose flow position lies
    in [start, end], and the band each lane gets there (top, thickness, shift of its steps),
    all in layout points."""

    lanes: tuple[LaneBand, ...]
    steps: tuple[StepBox, ...]
    start: float
    end: float
    bands: tuple[tuple[float, float, float], ...]  # per lane: top, thickness, step shift
    header: float
    left_margin: float
    right_margin: float
    whole: bool = False

    @property
    def width(self) -> float:
        if self.whole:
            return self.end
        return (
            self.header + self.left_margin + self.right_margin + 2 * _PAD + (self.end - self.start)
        )

    @property
    def height(self) -> float:
        top, thickness, _ = self.bands[-1]
        return top + thickness


def _whole_page(layout: Layout) -> _Window:
    top = layout.lanes[0].box.y if layout.lanes else 0.0
    bands = tuple((b.box.y - top, b.box.height, -top) for b in layout.lanes)
    return _Window(layout.lanes, layout.steps, 0.0, layout.width, bands, 0.0, 0.0, 0.0, True)


def _split(
    layout: Layout,
    steps: Mapping[str, StepText],
    lane_names: Mapping[str, str],
    area: Box,
    scale: float,
) -> list[_Window]:
    """Windows of whole ranks that fit the area at `scale`, each cut into lane groups when
    its lanes are too tall together; references to other pages get room at the sides."""
    header = max((b.header.width for b in layout.lanes), default=0.0)
    margin = (REF_WIDTH + REF_GAP) / scale
    full = area.width / scale - header - 2 * _PAD
    chunks = _chunks(layout.steps, full, margin, 1.0)
    # As few pages as the greedy cut needs, but balanced: the narrowest room that still
    # gives that many pages.
    low, high = 0.3, 1.0
    for _ in range(12):
        mid = (low + high) / 2
        if len(_chunks(layout.steps, full, margin, mid)) <= len(chunks):
            high = mid
        else:
            low = mid
    chunks = _chunks(layout.steps, full, margin, high)
    room = area.height / scale
    windows = []
    for n, chunk in enumerate(chunks):
        left, right = (0.0 if n == 0 else margin), (0.0 if n == len(chunks) - 1 else margin)
        for group in _lane_groups(layout, chunk, steps, room):
            windows.append(
                _window(layout, group, chunk, steps, lane_names, header, left, right, scale)
            )
    # References add height to their lanes, and which references a page has depends on
    # how the pages are cut: settle both in a few rounds.
    for _ in range(6):
        windows = _with_reference_room(layout, windows, steps, lane_names, scale)
        if all(w.height <= room + 0.01 for w in windows):
            break
        windows = [
            part
            for w in windows
            for part in ([w] if w.height <= room + 0.01 else _regroup(layout, w, steps, room))
        ]
        windows = [
            _window(
                layout,
                w.lanes,
                w.steps,
                steps,
                lane_names,
                header,
                w.left_margin,
                w.right_margin,
                scale,
            )
            for w in windows
        ]
    return windows


def _regroup(
    layout: Layout, window: _Window, steps: Mapping[str, StepText], room: float
) -> list[_Window]:
    """A window too tall for the slide: first without its lanes that have no step, then
    cut into groups of lanes (by their thickness there, references included)."""
    busy = {steps[s.step].lane for s in window.steps}
    kept = [(b, band) for b, band in zip(window.lanes, window.bands, strict=True)]
    if any(b.lane not in busy for b, _ in kept):
        kept = [(b, band) for b, band in kept if b.lane in busy]
        return [replace(window, lanes=tuple(b for b, _ in kept))]
    groups: list[list[LaneBand]] = [[]]
    used = 0.0
    for b, (_, thickness, _) in kept:
        if groups[-1] and used + thickness > room:
            groups.append([])
            used = 0.0
        groups[-1].append(b)
        used += thickness
    return [
        replace(
            window,
            lanes=tuple(group),
            steps=tuple(s for s in window.steps if steps[s.step].lane in {b.lane for b in group}),
        )
        for group in groups
    ]


def _chunks(
    steps: Sequence[StepBox], full: float, margin: float, factor: float
) -> list[list[StepBox]]:
    """Steps cut, in flow order, into windows no longer than `full * factor` minus the
    references' margins (one side on the first page, both on the others)."""
    chunks: list[list[StepBox]] = [[]]
    start = 0.0
    for step in sorted(steps, key=lambda s: (s.box.x, s.step)):
        sides = 1 if len(chunks) == 1 else 2
        room = full * factor - sides * margin
        if chunks[-1] and step.box.right - start > room:
            chunks.append([])
        if not chunks[-1]:
            start = step.box.x
        chunks[-1].append(step)
    return chunks


def _lane_groups(
    layout: Layout, chunk: Sequence[StepBox], steps: Mapping[str, StepText], room: float
) -> list[list[LaneBand]]:
    """The lanes a chunk's pages show. All of them when their bands (compacted to the
    chunk) fit `room`; else without the lanes that have no step there; else consecutive
    groups of the lanes that do, each group a page."""
    members = {
        band.lane: [s for s in chunk if steps[s.step].lane == band.lane] for band in layout.lanes
    }
    thick = {band.lane: _thickness(members[band.lane], band, 0, 1.0, "") for band in layout.lanes}
    if sum(thick.values()) <= room:
        return [list(layout.lanes)]
    busy = [band for band in layout.lanes if members[band.lane]]
    groups: list[list[LaneBand]] = [[]]
    used = 0.0
    for band in busy:
        if groups[-1] and used + thick[band.lane] > room:
            groups.append([])
            used = 0.0
        groups[-1].append(band)
        used += thick[band.lane]
    return [group for group in groups if group]


def _thickness(
    members: Sequence[StepBox],
    band: LaneBand,
    refs: int,
    scale: float,
    name: str,
    vertical: bool = False,
) -> float:
    """A band's thickness on a page: its steps plus padding, its stacked references, its
    name; never less than the layout's minimum. In a top-to-bottom chart the name is
    written across the band, which must then be wider than its longest word."""
    if members:
        extent = max(s.box.bottom for s in members) - min(s.box.y for s in members) + 2 * _BAND_PAD
    else:
        extent = _EMPTY_BAND
    stacked = (refs * (_REF_HEIGHT + REF_GAP) + REF_GAP) / scale if refs else 0.0
    header = 0.0
    if name:
        size = max(_HEADER_PT, MIN_PT / scale)  # as drawn, in layout points
        if vertical:
            header = max(line_width(word, size, bold=True) for word in name.split()) + 16
        else:
            lines = len(wrap(name, size, band.header.width - 8, bold=True))
            header = lines * size * 1.2 + 24
    return max(extent, stacked, header, _MIN_BAND if members else _EMPTY_BAND)


def _window(
    layout: Layout,
    group: Sequence[LaneBand],
    chunk: Sequence[StepBox],
    steps: Mapping[str, StepText],
    lane_names: Mapping[str, str],
    header: float,
    left: float,
    right: float,
    scale: float,
    refs: Mapping[str, int] | None = None,
) -> _Window:
    ids = {b.lane for b in group}
    members = [s for s in chunk if steps[s.step].lane in ids]
    bands = []
    top = 0.0
    for band in group:
        own = [s for s in members if steps[s.step].lane == band.lane]
        thickness = _thickness(
            own,
            band,
            (refs or {}).get(band.lane, 0),
            scale,
            lane_names.get(band.lane, ""),
            vertical=layout.direction == "TB",
        )
        if own:
            first = min(s.box.y for s in own)
            extent = max(s.box.bottom for s in own) - first
            shift = top + (thickness - extent) / 2 - first
        else:
            shift = 0.0
        bands.append((top, thickness, shift))
        top += thickness
    start = min((s.box.x for s in chunk), default=0.0)
    end = max((s.box.right for s in chunk), default=start)
    return _Window(tuple(group), tuple(members), start, end, tuple(bands), header, left, right)


def _with_reference_room(
    layout: Layout,
    windows: Sequence[_Window],
    steps: Mapping[str, StepText],
    lane_names: Mapping[str, str],
    scale: float,
) -> list[_Window]:
    """Recompute each window's bands so every lane can hold its stacked references."""
    page_of = {s.step: n for n, w in enumerate(windows) for s in w.steps}
    out = []
    for n, window in enumerate(windows):
        counts = _reference_counts(layout, window, n, page_of, steps)
        refs = {lane: max(left, right) for lane, (left, right) in counts.items()}
        out.append(
            _window(
                layout,
                window.lanes,
                window.steps,
                steps,
                lane_names,
                window.header,
                window.left_margin,
                window.right_margin,
                scale,
                refs,
            )
        )
    return out


def _reference_counts(
    layout: Layout,
    window: _Window,
    here: int,
    page_of: Mapping[str, int],
    steps: Mapping[str, StepText],
) -> dict[str, tuple[int, int]]:
    """Per lane, how many references stack at the left and at the right of this page."""
    keys: dict[str, set[tuple[str, bool]]] = {}
    on_page = {s.step for s in window.steps}
    for edge in layout.edges:
        if edge.kind == "notify" or edge.source not in page_of or edge.target not in page_of:
            continue
        if edge.source in on_page and edge.target not in on_page:
            lane, key, later = (
                steps[edge.source].lane,
                f"to-{edge.target}",
                page_of[edge.target] > here,
            )
        elif edge.target in on_page and edge.source not in on_page:
            lane, key, later = (
                steps[edge.target].lane,
                f"from-{edge.source}",
                page_of[edge.source] > here,
            )
        else:
            continue
        keys.setdefault(lane, set()).add((key, later))
    return {
        lane: (sum(not later for _, later in found), sum(later for _, later in found))
        for lane, found in keys.items()
    }


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
        _place_one(layout, n, window, scale, area, page_of, lane_of)
        for n, window in enumerate(windows)
    ]


def _place_one(
    layout: Layout,
    n: int,
    window: _Window,
    scale: float,
    area: Box,
    page_of: Mapping[str, int],
    lane_of: Mapping[str, str],
) -> ChartPage:
    if window.whole:
        along = 0.0
        # A chart narrower than the area is centred; a shorter one sits at the top.
        left = area.x + (area.width - window.width * scale) / 2
    else:
        along = window.header + _PAD + window.left_margin - window.start
        left = area.x
    shift_of = {b.lane: band[2] for b, band in zip(window.lanes, window.bands, strict=True)}

    def to_slide(x: float, y: float, w: float, h: float) -> Box:
        return Box(left + x * scale, area.y + y * scale, w * scale, h * scale)

    lanes = tuple(
        LaneBand(
            b.lane,
            to_slide(b.box.x, top, window.width, thickness),
            to_slide(b.header.x, top, b.header.width, thickness),
        )
        for b, (top, thickness, _) in zip(window.lanes, window.bands, strict=True)
    )
    steps = tuple(
        StepBox(
            s.step,
            to_slide(
                s.box.x + along, s.box.y + shift_of[lane_of[s.step]], s.box.width, s.box.height
            ),
        )
        for s in window.steps
    )
    on_page = {s.step for s in window.steps}
    page_lanes = {b.lane: b for b in lanes}
    edges: list[PageEdge] = []
    refs: dict[str, tuple[str, int, str, bool]] = {}
    notify: list[tuple[str, str, float | None]] = []
    for edge in layout.edges:
        name = _edge_name(edge)
        if edge.kind == "notify":
            if edge.source in on_page and edge.target in page_lanes:
                end_x = edge.points[-1][0] + along if edge.points else None
                notify.append(
                    (edge.source, edge.target, None if end_x is None else left + end_x * scale)
                )
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
    """Stack references in their lane's band: at the right for later pages, at the left
    (after the lane names) for earlier ones."""
    slots: dict[tuple[str, bool], list[tuple[str, str, int]]] = {}
    for key, (step, page, lane, _) in refs.items():
        slots.setdefault((lane, page > here), []).append((key, step, page))
    placed: list[OffPage] = []
    for (lane, later), items in sorted(slots.items()):
        band = lanes[lane].box
        x = (
            band.right - REF_WIDTH - REF_GAP / 2
            if later
            else band.x + (window.header + _PAD / 2) * scale
        )
        total = len(items) * _REF_HEIGHT + (len(items) - 1) * REF_GAP
        y = band.y + max((band.height - total) / 2, REF_GAP)
        for key, step, page in sorted(items, key=lambda i: i[0]):
            outgoing = refs[key][3]
            placed.append(
                OffPage(key, step, page, lane, Box(x, y, REF_WIDTH, _REF_HEIGHT), outgoing)
            )
            y += _REF_HEIGHT + REF_GAP
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
