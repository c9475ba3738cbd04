"""The definition's steps and edges read once, into flat columns every check shares.

At 100k steps a pass over the steps costs tens of milliseconds for each attribute it reads
(the objects are spread over a large heap: the time goes in fetching them from memory),
and the rules (`structure`, `graph`, `timing`, `people`) each walked them again. Here they
are read once, with whole-list operations that loop in C (`map`, `compress`, `islice`),
into columns indexed by step or by edge; the checks read the columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from itertools import accumulate, chain, compress, islice, repeat
from operator import and_, attrgetter, contains, is_, is_not, not_

from escalation_charts.durations import Duration
from escalation_charts.model import Definition, Edge, Step, StepType

__all__ = ["FlowTables", "StepColumns", "chunks"]

# Several attributes of a step in one visit: one fetch of the object instead of five.
_STEP = attrgetter("id", "lane", "type", "next", "notify")
_TO, _AFTER, _SEVERITIES = attrgetter("to"), attrgetter("after"), attrgetter("severities")


def chunks(values: Iterable[object], sizes: Iterable[int]) -> list[list]:
    """`values` cut into consecutive lists of `sizes` (in C: one `islice` per list)."""
    flow = iter(values)
    return list(map(list, map(islice, repeat(flow), sizes)))


class StepColumns:
    """Columns over a sequence of steps and over their edges, flattened in written order.

    `sources[k]` is the position (in `steps`) of edge k's step, `targets[k]` the index of
    its target in `index` (None when no step has that id).
    """

    def __init__(self, steps: Sequence[Step], index: Mapping[str, int] | None = None) -> None:
        self.steps = steps
        columns = list(zip(*map(_STEP, steps), strict=True)) or [()] * 5
        self.ids: Sequence[str] = columns[0]
        self.lanes: Sequence[str] = columns[1]
        self.types: Sequence[StepType] = columns[2]
        nexts: Sequence[tuple[Edge, ...]] = columns[3]
        self.notify: Sequence[tuple[str, ...]] = columns[4]
        self.counts: list[int] = list(map(len, nexts))
        self.edges: list[Edge] = list(chain.from_iterable(nexts))
        self.sources: list[int] = list(
            chain.from_iterable(map(repeat, range(len(steps)), self.counts))
        )
        self.afters: list[Duration | None] = list(map(_AFTER, self.edges))
        self.severities: list[tuple[str, ...] | None] = list(map(_SEVERITIES, self.edges))
        self.targets: list[int | None] = []
        self.unresolved = 0
        self._holding: dict[str | None, bytes] = {}
        if index is not None:
            self.resolve(index)

    def resolve(self, index: Mapping[str, int]) -> None:
        """Each edge's target as its index in `index`, and how many have none."""
        self.targets = list(map(index.get, map(_TO, self.edges)))
        self.unresolved = self.targets.count(None)

    def of_type(self, kind: StepType) -> list[bool]:
        """Per step: is it of type `kind` (compared by identity, as the rules do)."""
        return list(map(is_, self.types, repeat(kind)))

    @cached_property
    def _unlimited(self) -> list[bool]:
        """Per edge: it holds for every severity (whether or not its target exists)."""
        return list(map(is_, self.severities, repeat(None)))

    @cached_property
    def common(self) -> list[bool]:
        """Per edge: it holds for every severity and its target exists (a walk takes it)."""
        if not self.unresolved:
            return self._unlimited
        return list(map(and_, self._unlimited, map(is_not, self.targets, repeat(None))))

    @cached_property
    def common_counts(self) -> list[int]:
        """Per step: how many of its edges are `common`."""
        return self.counted(self.common) if False in self.common else self.counts

    def counted(self, marks: Sequence[bool]) -> list[int]:
        """Per step: how many of its edges `marks` (one truth per edge) marks."""
        return list(map(sum, map(islice, repeat(iter(marks)), self.counts)))

    def offsets(self, marks: Sequence[bool]) -> list[int]:
        """Per step: how many edges `marks` marks before its own (then the total), so
        step i's marked edges are numbers offsets[i] to offsets[i + 1] - 1 among them."""
        upto = list(accumulate(marks, initial=0))
        return list(map(upto.__getitem__, accumulate(self.counts, initial=0)))

    @cached_property
    def common_targets(self) -> list[list[int]]:
        """Per step: the targets of its `common` edges, in written order."""
        return chunks(compress(self.targets, self.common), self.common_counts)

    @cached_property
    def limited_marks(self) -> list[bool]:
        """Per edge: it is limited to some severities and its target exists."""
        limited = map(not_, self._unlimited)
        if not self.unresolved:
            return list(limited)
        return list(map(and_, limited, map(is_not, self.targets, repeat(None))))

    @cached_property
    def limited(self) -> list[int]:
        """The `limited_marks` edges (by position), in written order."""
        return list(compress(range(len(self.edges)), self.limited_marks))

    @cached_property
    def limited_sets(self) -> list[frozenset[str]]:
        """The severities each `limited` edge holds for."""
        return list(map(frozenset, map(self.severities.__getitem__, self.limited)))  # type: ignore[arg-type]

    def holding(self, severity: str | None) -> bytes:
        """Per `limited` edge: 1 when it holds for `severity` (a severity's edges are the
        common ones and these; severities with the same marks walk the same flow)."""
        if severity not in self._holding:
            self._holding[severity] = bytes(map(contains, self.limited_sets, repeat(severity)))
        return self._holding[severity]


class FlowTables:
    """One definition's steps as indices (the first of a repeated id wins, as every
    lookup does) and the columns of its steps and edges.

    `all` covers every step as written (the structure rules read those); `nodes` the
    indexed steps only, which the flow's walks use: the same object when ids are unique.
    """

    def __init__(self, definition: Definition) -> None:
        steps = definition.steps
        self.all = StepColumns(steps)
        ids = self.all.ids
        index = dict(zip(ids, range(len(ids)), strict=True))  # kept when ids are unique
        self.unique = len(index) == len(ids)
        if self.unique:
            self.nodes = self.all
        else:  # repeated ids (duplicate-id says so): the first occurrence wins
            index = {}
            for step in steps:
                index.setdefault(step.id, len(index))
            by_id: dict[str, Step] = {}
            for step in steps:
                by_id.setdefault(step.id, step)
            self.nodes = StepColumns([by_id[i] for i in index], index)
        self.all.resolve(index)
        self.index: dict[str, int] = index
        self.ids: list[str] = list(self.nodes.ids)
        self.starts: list[int] = list(
            compress(range(len(self.ids)), self.nodes.of_type(StepType.START))
        )

    @cached_property
    def used_lanes(self) -> set[str]:
        """The lanes that some step (any, as written) is in."""
        return set(self.all.lanes)

    def broken(self, lanes: Mapping[str, object]) -> bool:
        """True when a step is in a lane not in `lanes` or an edge leads to no step."""
        return bool(self.all.unresolved) or not self.used_lanes <= lanes.keys()
