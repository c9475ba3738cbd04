"""The shared geometry of a chart: lane bands, step boxes and edge routes, in points.

`layout.compute_layout` fills these from the model (through Graphviz); every drawing
renderer (SVG/PNG/PDF/DOT, PPTX, BPMN DI, draw.io) reads them, so there is one source of
geometry. Coordinates are points (1/72 inch), origin at the top-left, y growing downwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from escalation_charts.frozen import Frozen
from escalation_charts.frozen import set_field as _set

__all__ = ["Box", "Continuation", "EdgeRoute", "LaneBand", "Layout", "Point", "StepBox"]

Point = tuple[float, float]


@dataclass(init=False, repr=False, eq=False)
class Box(Frozen):
    """An axis-aligned rectangle: top-left corner, width and height."""

    x: float
    y: float
    width: float
    height: float

    def __init__(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
    ) -> None:
        _set(self, "x", x)
        _set(self, "y", y)
        _set(self, "width", width)
        _set(self, "height", height)

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center(self) -> Point:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def contains(self, other: Box, tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def overlaps(self, other: Box) -> bool:
        return not (
            other.x >= self.right
            or other.right <= self.x
            or other.y >= self.bottom
            or other.bottom <= self.y
        )


@dataclass(init=False, repr=False, eq=False)
class LaneBand(Frozen):
    """One lane's band (`box`) and its header cell (`header`, where the name is written)."""

    lane: str
    box: Box
    header: Box

    def __init__(
        self,
        lane: str,
        box: Box,
        header: Box,
    ) -> None:
        _set(self, "lane", lane)
        _set(self, "box", box)
        _set(self, "header", header)


@dataclass(init=False, repr=False, eq=False)
class StepBox(Frozen):
    """Where one step's shape is drawn."""

    step: str
    box: Box

    def __init__(
        self,
        step: str,
        box: Box,
    ) -> None:
        _set(self, "step", step)
        _set(self, "box", box)


@dataclass(init=False, repr=False, eq=False)
class EdgeRoute(Frozen):
    """One edge's route: `points` from source to target (a cubic B-spline as Graphviz gives
    it: p0, then c1 c2 p in threes), and where its label goes, if any.

    `kind` is `flow`, `timer` or `notify`; `index` is the edge's index in the source step's
    `next` (None for notify arrows, whose target is a lane's header).

    `bundle`, on timer edges between the same two steps drawn as one arrow
    (`layout.bundles`), is the indices of all of them, the one that carries the drawing
    and the combined label first; the others share its points and have no label.
    """

    source: str
    target: str
    kind: str
    index: int | None
    points: tuple[Point, ...]
    label: str | None = None
    label_pos: Point | None = None
    bundle: tuple[int, ...] = ()

    def __init__(
        self,
        source: str,
        target: str,
        kind: str,
        index: int | None,
        points: tuple[Point, ...],
        label: str | None = None,
        label_pos: Point | None = None,
        bundle: tuple[int, ...] = (),
    ) -> None:
        _set(self, "source", source)
        _set(self, "target", target)
        _set(self, "kind", kind)
        _set(self, "index", index)
        _set(self, "points", points)
        _set(self, "label", label)
        _set(self, "label_pos", label_pos)
        _set(self, "bundle", bundle)

    @property
    def drawn(self) -> bool:
        """False for a bundle's other members: their arrow is drawn by its first one."""
        return not self.bundle or self.index == self.bundle[0]


@dataclass(init=False, repr=False, eq=False)
class Continuation(Frozen):
    """A numbered continuation mark on one page of a paged chart.

    Arrows to step `step` that cross to another page end in an outgoing mark on their
    page; on `step`'s page an incoming mark leads to it. Every mark of one target step has
    the same `number`, so a reader finds the partner by number; `pages` are the other
    pages (1-based) the arrows go to or come from. `key` is the mark's name and SVG id.
    """

    key: str
    number: int
    step: str
    lane: str
    box: Box
    outgoing: bool
    pages: tuple[int, ...]
    at_end: bool  # drawn at the page's end (the other pages come later), else its start

    def __init__(
        self,
        key: str,
        number: int,
        step: str,
        lane: str,
        box: Box,
        outgoing: bool,
        pages: tuple[int, ...],
        at_end: bool,
    ) -> None:
        _set(self, "key", key)
        _set(self, "number", number)
        _set(self, "step", step)
        _set(self, "lane", lane)
        _set(self, "box", box)
        _set(self, "outgoing", outgoing)
        _set(self, "pages", pages)
        _set(self, "at_end", at_end)

    @property
    def lines(self) -> tuple[str, str]:
        """What the mark says: its number, then `to p3` or `from p1, p4-6`."""
        runs: list[list[int]] = []
        for page in sorted(self.pages):
            if runs and page == runs[-1][-1] + 1:
                runs[-1].append(page)
            else:
                runs.append([page])
        pages = ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
        return (str(self.number), f"{'to' if self.outgoing else 'from'} p{pages}")


@dataclass(init=False, repr=False, eq=False)
class Layout(Frozen):
    """A whole chart: its size, the bands in declared order, the steps and the edges.

    `severity` is the ticket severity the chart was drawn for (None: all edges), and
    `dimmed` the steps a ticket of that severity never reaches (drawn faded).
    A page of a paged chart (`layout.paging`) also has `page` (its number and the page
    count) and its `continuations`; edges that leave or enter the page end at a mark
    (their `source` or `target` is then a mark's `key`).
    """

    width: float
    height: float
    direction: str
    lanes: tuple[LaneBand, ...]
    steps: tuple[StepBox, ...]
    edges: tuple[EdgeRoute, ...]
    severity: str | None = None
    dimmed: tuple[str, ...] = ()
    page: tuple[int, int] | None = None
    continuations: tuple[Continuation, ...] = ()

    def __init__(
        self,
        width: float,
        height: float,
        direction: str,
        lanes: tuple[LaneBand, ...],
        steps: tuple[StepBox, ...],
        edges: tuple[EdgeRoute, ...],
        severity: str | None = None,
        dimmed: tuple[str, ...] = (),
        page: tuple[int, int] | None = None,
        continuations: tuple[Continuation, ...] = (),
    ) -> None:
        _set(self, "width", width)
        _set(self, "height", height)
        _set(self, "direction", direction)
        _set(self, "lanes", lanes)
        _set(self, "steps", steps)
        _set(self, "edges", edges)
        _set(self, "severity", severity)
        _set(self, "dimmed", dimmed)
        _set(self, "page", page)
        _set(self, "continuations", continuations)

    @property
    def lanes_by_id(self) -> dict[str, LaneBand]:
        return {band.lane: band for band in self.lanes}

    @property
    def steps_by_id(self) -> dict[str, StepBox]:
        return {box.step: box for box in self.steps}
