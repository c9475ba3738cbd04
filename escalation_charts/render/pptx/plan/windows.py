"""Cut a layout too big for one slide into windows: whole ranks along the flow, then,
when the lanes are too tall together, fewer lanes or groups of lanes.

Pure geometry in layout points. A window keeps each lane's steps in their places
relative to each other (one shift per lane, as the layout's own second pass does) but
gives each lane only the thickness its steps, its name and its off-page references need
on that page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from escalation_charts.layout.geometry import Box, LaneBand, Layout, StepBox
from escalation_charts.layout.textfit import deck_width, deck_wrap
from escalation_charts.render.pptx.style import CHART_MIN_PT

__all__ = [
    "HEADER_PT",
    "PAD",
    "REF_GAP",
    "REF_HEIGHT",
    "REF_WIDTH",
    "StepText",
    "Window",
    "split_windows",
    "whole_window",
]

REF_WIDTH = 30.0  # slide points of an off-page reference (the slide number inside)
REF_GAP = 8.0
LABEL_ROOM = 18.0  # slide points between the steps and the references, for branch labels
# Top to bottom, an arrow to a reference runs along the flow and its label sits beside it,
# not along it: the room between steps and references needs only a label's height.
TB_LABEL_ROOM = 8.0
TB_HEADER_LINES = 2  # top to bottom, lane names take two lines; their columns widen instead
REF_HEIGHT = 30.0
PAD = 14.0  # layout points kept free around a page's window
_BAND_PAD = 20.0  # layout points between a band's edge and its outermost step
_MIN_BAND = 72.0  # the layout's thinnest band
_NARROWEST = 72.0  # layout points: the lane-name column is never narrower
_EMPTY_BAND = 48.0  # a lane with no step on a continuation page
HEADER_PT = 12.0  # the layout's lane-name size, to keep room for the name


@dataclass(frozen=True)
class StepText:
    """What the plan needs to know of a step: its shape preset, label and lane."""

    preset: str
    label: str
    lane: str


# --- pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
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
            self.header + self.left_margin + self.right_margin + 2 * PAD + (self.end - self.start)
        )

    @property
    def height(self) -> float:
        top, thickness, _ = self.bands[-1]
        return top + thickness


def whole_window(layout: Layout) -> Window:
    top = layout.lanes[0].box.y if layout.lanes else 0.0
    bands = tuple((b.box.y - top, b.box.height, -top) for b in layout.lanes)
    return Window(layout.lanes, layout.steps, 0.0, layout.width, bands, 0.0, 0.0, 0.0, True)


def split_windows(
    layout: Layout,
    steps: Mapping[str, StepText],
    lane_names: Mapping[str, str],
    area: Box,
    scale: float,
    min_pt: float = CHART_MIN_PT,
) -> list[Window]:
    """Windows of whole ranks that fit the area at `scale`, each cut into lane groups when
    its lanes are too tall together; references to other pages get room at the sides."""
    header = _header_width(layout, lane_names, scale, min_pt)
    label_room = TB_LABEL_ROOM if layout.direction == "TB" else LABEL_ROOM
    margin = (REF_WIDTH + REF_GAP + label_room) / scale
    full = area.width / scale - header - 2 * PAD
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
                _window(layout, group, chunk, steps, lane_names, header, left, right, scale, min_pt)
            )
    # References add height to their lanes, and which references a page has depends on
    # how the pages are cut: settle both in a few rounds.
    for _ in range(6):
        windows = _with_reference_room(layout, windows, steps, lane_names, scale, min_pt)
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
                min_pt,
            )
            for w in windows
        ]
    return windows


def _regroup(
    layout: Layout, window: Window, steps: Mapping[str, StepText], room: float
) -> list[Window]:
    """A window too tall for the slide: first without its lanes that have no step, then
    cut into groups of lanes (by their thickness there, references included)."""
    busy = {steps[s.step].lane for s in window.steps}
    kept = [(b, band) for b, band in zip(window.lanes, window.bands, strict=True)]
    # Without its empty lanes, unless every lane is empty there (a page with no lane
    # left has no height): then the lanes are cut into groups like any others.
    if any(b.lane not in busy for b, _ in kept) and any(b.lane in busy for b, _ in kept):
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


def _header_width(
    layout: Layout, lane_names: Mapping[str, str], scale: float, min_pt: float
) -> float:
    """How wide the lane-name column is on a continuation page, in layout points: the
    layout's own, narrowed to what the names need in at most three lines (every page
    repeats it, so each point saved is room for the flow). Top to bottom, the names run
    across their columns: the header row is two lines tall and a column is made wide
    enough for its name in two lines (`_thickness`); the flow, which runs along the
    slide's short side there, gets the rest."""
    own = max((b.header.width for b in layout.lanes), default=0.0)
    if not layout.lanes:
        return own
    size = max(HEADER_PT, min_pt / scale)
    if layout.direction == "TB":
        return min(own, TB_HEADER_LINES * size * 1.2 + 12)
    need = _NARROWEST
    for band in layout.lanes:
        name = lane_names.get(band.lane, band.lane)
        words = name.split() or [""]
        need = max(need, *(deck_width(word, size, bold=True) + 16 for word in words))
        width = need
        while len(deck_wrap(name, size, width - 8, bold=True)) > 3 and width < own:
            width += 4
        need = max(need, width)
    return min(own, need)


def _thickness(
    members: Sequence[StepBox],
    band: LaneBand,
    refs: int,
    scale: float,
    name: str,
    vertical: bool = False,
    header_width: float | None = None,
    min_pt: float = CHART_MIN_PT,
) -> float:
    """A band's thickness on a page: its steps plus padding, its stacked references, its
    name; never less than the layout's minimum. In a top-to-bottom chart the name is
    written across the band, which must then be wider than its longest word."""
    if members:
        extent = max(s.box.bottom for s in members) - min(s.box.y for s in members) + 2 * _BAND_PAD
    else:
        extent = _EMPTY_BAND
    stacked = (refs * (REF_HEIGHT + REF_GAP) + REF_GAP) / scale if refs else 0.0
    header = 0.0
    if name:
        size = max(HEADER_PT, min_pt / scale)  # as drawn, in layout points
        if vertical:
            header = max(deck_width(word, size, bold=True) for word in name.split()) + 16
            if header_width is not None:
                # As wide as the name needs to fit the header row's lines.
                lines = max(1, int((header_width - 8) // (size * 1.2)))
                while len(deck_wrap(name, size, header - 16, bold=True)) > lines:
                    header += 4
        else:
            room = band.header.width if header_width is None else header_width
            lines = len(deck_wrap(name, size, room - 8, bold=True))
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
    min_pt: float = CHART_MIN_PT,
    refs: Mapping[str, int] | None = None,
) -> Window:
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
            header_width=header,
            min_pt=min_pt,
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
    return Window(tuple(group), tuple(members), start, end, tuple(bands), header, left, right)


def _with_reference_room(
    layout: Layout,
    windows: Sequence[Window],
    steps: Mapping[str, StepText],
    lane_names: Mapping[str, str],
    scale: float,
    min_pt: float,
) -> list[Window]:
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
                min_pt,
                refs,
            )
        )
    return out


def _reference_counts(
    layout: Layout,
    window: Window,
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
        if not edge.drawn:  # a bundle of timers is one arrow (see `pages`)
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
                f"from-{edge.source}-{edge.index}",
                page_of[edge.source] > here,
            )
        else:
            continue
        keys.setdefault(lane, set()).add((key, later))
    return {
        lane: (sum(not later for _, later in found), sum(later for _, later in found))
        for lane, found in keys.items()
    }
