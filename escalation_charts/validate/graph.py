"""The flow as an integer graph, and its soundness per ticket severity.

Steps become indices and edges adjacency lists, so each check is a breadth-first search:
linear in steps + edges for every severity, never enumerating paths. Severities whose edges
are the same share one analysis (most processes restrict only a few timer edges).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from functools import cached_property
from itertools import compress, repeat
from operator import and_, contains, eq, ne, not_
from typing import NamedTuple

from escalation_charts.model import Definition, StepType
from escalation_charts.validate._tables import FlowTables

__all__ = ["FlowGraph", "Soundness"]


class Soundness(NamedTuple):
    """What one severity's edges allow: which steps a ticket reaches, and where it sticks.

    `parent[i]` is the step a breadth-first walk from the starts came from (-1 for a start,
    -2 when unreached), which gives a shortest example path to any reached step.
    """

    graph: FlowGraph
    parent: list[int]
    dead_ends: list[int]
    trap_entries: list[int]
    trap_region: dict[int, list[int]]

    def reached(self, index: int) -> bool:
        return self.parent[index] != -2

    @property
    def sound(self) -> bool:
        return not self.dead_ends and not self.trap_entries

    def path_to(self, index: int) -> tuple[str, ...]:
        """A shortest walk from a start step to `index`, as step ids."""
        ids, parent, walk = self.graph.ids, self.parent, []
        while index >= 0:
            walk.append(ids[index])
            index = parent[index]
        return tuple(reversed(walk))


class FlowGraph:
    """The definition's steps as indices (first occurrence of an id wins) and its edges.

    `tables` are the columns `validate` has already read from the same definition.
    """

    def __init__(self, definition: Definition, *, tables: FlowTables | None = None) -> None:
        # Written for 100k steps: whole-list operations where they can stand in for loops.
        self.tables = tables = tables if tables is not None else FlowTables(definition)
        nodes = tables.nodes
        self.steps = list(nodes.steps)
        self.index = tables.index
        self.ids: list[str] = list(tables.ids)
        self.starts = list(tables.starts)
        self.is_resolution = nodes.of_type(StepType.RESOLUTION)
        self._resolutions = list(compress(range(len(self.ids)), self.is_resolution))
        # Edges that hold for every severity, and those limited to some (with their set).
        self.common: list[list[int]] = nodes.common_targets
        self.limited: list[tuple[int, int, frozenset[str]]] = list(
            zip(
                map(nodes.sources.__getitem__, nodes.limited),
                map(nodes.targets.__getitem__, nodes.limited),
                nodes.limited_sets,
                strict=True,
            )
        )
        self.unresolved = nodes.unresolved  # edges whose target is not a step (unknown-reference)
        # A limited edge to a step its source's common edges already lead to changes no
        # walk (the common one is always taken first): severities whose other limited
        # edges are the same share one analysis.
        sources = map(nodes.sources.__getitem__, nodes.limited)
        targets = map(nodes.targets.__getitem__, nodes.limited)
        beside_common = map(contains, map(self.common.__getitem__, sources), targets)
        self._useful = bytes(map(not_, beside_common))
        self._cache: dict[bytes, Soundness] = {}

    @property
    def checkable(self) -> bool:
        """True when soundness means something: a start exists and every edge resolves.

        A typo in an edge target would otherwise also surface as a dead end and as an
        unreachable step; one mistake should give one finding.
        """
        return bool(self.starts) and not self.unresolved

    def for_severity(self, severity: str | None) -> Soundness:
        """The soundness of the flow for one severity (None: only edges that hold for all)."""
        key = bytes(map(and_, self.tables.nodes.holding(severity), self._useful))
        if key not in self._cache:
            self._cache[key] = self._analyse(list(compress(self.limited, key)))
        return self._cache[key]

    @cached_property
    def has_limited_edges(self) -> bool:
        return bool(self.limited)

    def _analyse(self, extra: Sequence[tuple[int, int, frozenset[str]]]) -> Soundness:
        out = self.common
        if extra:
            out = list(self.common)  # the steps without extra edges keep their lists
            added: dict[int, list[int]] = {}
            for source, target, _ in extra:
                added.setdefault(source, []).append(target)
            for source, targets in added.items():
                out[source] = out[source] + targets
        size = len(out)
        parent = _bfs_tree(out, self.starts, size)
        # Only whether a step reaches an exit is read off the reverse walk, so the order
        # of a step's predecessors does not matter: built flat, in C.
        nodes = self.tables.nodes
        reverse: list[list[int]] = [[] for _ in range(size)]
        into = map(reverse.__getitem__, compress(nodes.targets, nodes.common))
        deque(map(list.append, into, compress(nodes.sources, nodes.common)), maxlen=0)
        for source, target, _ in extra:
            reverse[target].append(source)
        dead_ends = [
            i
            for i in compress(range(size), map(not_, out))
            if parent[i] != -2 and not self.is_resolution[i]
        ]
        # A trap is a reached step that can reach neither a resolution nor a dead end: the
        # dead end is reported on its own, so the steps leading to it are not repeated.
        escapes = _bfs_tree(reverse, self._resolutions + dead_ends, size)
        trapped = list(map(and_, map(ne, parent, repeat(-2)), map(eq, escapes, repeat(-2))))
        entries = [
            i for i in compress(range(size), trapped) if parent[i] < 0 or not trapped[parent[i]]
        ]
        regions = _regions(out, entries, trapped)
        return Soundness(self, parent, dead_ends, entries, regions)


def _bfs_tree(adjacency: list[list[int]], roots: Sequence[int], size: int) -> list[int]:
    """Breadth-first search from `roots`: parent per node, -1 for roots, -2 unreached."""
    parent = [-2] * size
    queue = []  # a list read from the front while it grows: cheaper than a deque
    for root in roots:
        if parent[root] == -2:
            parent[root] = -1
            queue.append(root)
    for node in queue:
        for target in adjacency[node]:
            if parent[target] == -2:
                parent[target] = node
                queue.append(target)
    return parent


def _regions(out: list[list[int]], entries: list[int], trapped: list[bool]) -> dict[int, list[int]]:
    """The trapped steps first reached from each entry (each step counted once)."""
    seen: set[int] = set(entries)
    regions: dict[int, list[int]] = {}
    for entry in entries:
        region, queue = [entry], deque([entry])
        while queue:
            for target in out[queue.popleft()]:
                if trapped[target] and target not in seen:
                    seen.add(target)
                    region.append(target)
                    queue.append(target)
        regions[entry] = region
    return regions
