"""The flow as an integer graph, and its soundness per ticket severity.

Steps become indices and edges adjacency lists, so each check is a breadth-first search:
linear in steps + edges for every severity, never enumerating paths. Severities whose edges
are the same share one analysis (most processes restrict only a few timer edges).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from escalation_charts.model import Definition, Step, StepType

__all__ = ["FlowGraph", "Soundness"]


@dataclass(frozen=True)
class Soundness:
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
    """The definition's steps as indices (first occurrence of an id wins) and its edges."""

    def __init__(self, definition: Definition) -> None:
        # Written for 100k steps: whole-list operations where they can stand in for loops.
        steps = definition.steps
        ids = [step.id for step in steps]
        index = dict(zip(ids, range(len(ids)), strict=True))  # kept when ids are unique
        if len(index) == len(ids):
            self.steps = list(steps)
        else:  # repeated ids (duplicate-id says so): the first occurrence wins
            index = {}
            for step in steps:
                index.setdefault(step.id, len(index))
            first: dict[str, Step] = {}
            for step in steps:
                first.setdefault(step.id, step)
            self.steps = [first[i] for i in index]
        self.index = index
        self.ids: list[str] = list(index)
        types = [s.type for s in self.steps]
        self.starts = [i for i, t in enumerate(types) if t is StepType.START]
        self.is_resolution = [t is StepType.RESOLUTION for t in types]
        # Edges that hold for every severity, and those limited to some (with their set).
        self.common: list[list[int]] = [[] for _ in self.ids]
        self.limited: list[tuple[int, int, frozenset[str]]] = []
        self.unresolved = 0  # edges whose target is not a step (unknown-reference)
        get, common, limited = index.get, self.common, self.limited
        for i, step in enumerate(self.steps):
            for edge in step.next:
                target = get(edge.to)
                if target is None:
                    self.unresolved += 1
                elif edge.severities is None:
                    common[i].append(target)
                else:
                    limited.append((i, target, frozenset(edge.severities)))
        self._cache: dict[frozenset[int], Soundness] = {}

    @property
    def checkable(self) -> bool:
        """True when soundness means something: a start exists and every edge resolves.

        A typo in an edge target would otherwise also surface as a dead end and as an
        unreachable step; one mistake should give one finding.
        """
        return bool(self.starts) and not self.unresolved

    def for_severity(self, severity: str | None) -> Soundness:
        """The soundness of the flow for one severity (None: only edges that hold for all)."""
        key = frozenset(n for n, (_, _, sevs) in enumerate(self.limited) if severity in sevs)
        if key not in self._cache:
            self._cache[key] = self._analyse([self.limited[n] for n in sorted(key)])
        return self._cache[key]

    @cached_property
    def has_limited_edges(self) -> bool:
        return bool(self.limited)

    def _analyse(self, extra: Sequence[tuple[int, int, frozenset[str]]]) -> Soundness:
        out = self.common
        if extra:
            out = [list(targets) for targets in self.common]
            for source, target, _ in extra:
                out[source].append(target)
        size = len(out)
        parent = _bfs_tree(out, self.starts, size)
        reverse: list[list[int]] = [[] for _ in range(size)]
        for source, targets in enumerate(out):
            for target in targets:
                reverse[target].append(source)
        dead_ends = [
            i for i in range(size) if parent[i] != -2 and not out[i] and not self.is_resolution[i]
        ]
        # A trap is a reached step that can reach neither a resolution nor a dead end: the
        # dead end is reported on its own, so the steps leading to it are not repeated.
        exits = [i for i in range(size) if self.is_resolution[i]] + dead_ends
        escapes = _bfs_tree(reverse, exits, size)
        trapped = [parent[i] != -2 and escapes[i] == -2 for i in range(size)]
        entries = [
            i for i in range(size) if trapped[i] and (parent[i] < 0 or not trapped[parent[i]])
        ]
        regions = _regions(out, entries, trapped)
        return Soundness(self, parent, dead_ends, entries, regions)


def _bfs_tree(adjacency: list[list[int]], roots: Sequence[int], size: int) -> list[int]:
    """Breadth-first search from `roots`: parent per node, -1 for roots, -2 unreached."""
    parent = [-2] * size
    queue = deque()
    for root in roots:
        if parent[root] == -2:
            parent[root] = -1
            queue.append(root)
    while queue:
        node = queue.popleft()
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
