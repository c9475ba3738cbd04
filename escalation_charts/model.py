"""The model: immutable, typed objects for one escalation process, read by every renderer.

The loader builds it from YAML; nothing downstream looks at YAML again. Every object keeps
`pos`, the place of its mapping in the file, and `spans`, the place of each field's value, so
findings can point at the exact line and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import TypeVar

from escalation_charts.durations import Duration
from escalation_charts.findings import Pos

__all__ = [
    "Contact",
    "Definition",
    "Edge",
    "Lane",
    "MatrixCell",
    "Process",
    "Severity",
    "Step",
    "StepType",
]

_NO_SPANS: Mapping[str, Pos] = MappingProxyType({})
_T = TypeVar("_T")


class StepType(StrEnum):
    """The kinds of step SPEC.md knows; `task` is the default."""

    START = "start"
    TASK = "task"
    DECISION = "decision"
    ESCALATE = "escalate"
    WAIT = "wait"
    RESOLUTION = "resolution"


# Slots, not instance dicts: a large process holds hundreds of thousands of steps and edges,
# each a quarter of the size this way and read faster (100k steps: validate 2.5 -> 1.7 s,
# 70 MB less). Weak references still work; `Definition` keeps its dict for the lookups it
# caches.
@dataclass(frozen=True, slots=True, weakref_slot=True)
class _Located:
    pos: Pos = field(default_factory=Pos, kw_only=True, compare=False, repr=False)
    spans: Mapping[str, Pos] = field(
        default_factory=lambda: _NO_SPANS, kw_only=True, compare=False, repr=False
    )

    def at(self, name: str) -> Pos:
        """Where field `name`'s value is written, or the object itself when absent."""
        return self.spans.get(name, self.pos)


@dataclass(frozen=True, slots=True)
class Process(_Located):
    """What the definition is about, who owns it and when it was last reviewed."""

    id: str
    name: str
    owner: str | None = None
    version: str | None = None
    reviewed: dt.date | None = None
    review_every: Duration | None = None
    description: str | None = None

    @property
    def review_due(self) -> dt.date | None:
        """The date the next review is due, when both review fields are given.

        A due date past the calendar's end (reviewed 9999-12-31) is the last date there is.
        """
        if self.reviewed is None or self.review_every is None:
            return None
        try:
            return self.reviewed + dt.timedelta(seconds=self.review_every.seconds)
        except OverflowError:
            return dt.date.max


@dataclass(frozen=True, slots=True)
class Severity(_Located):
    """A ticket severity (most severe first in `Definition.severities`) and its targets."""

    id: str
    name: str
    description: str | None = None
    respond: Duration | None = None
    resolve: Duration | None = None


@dataclass(frozen=True, slots=True)
class Contact(_Located):
    """Someone to call at a level; `role` is `primary` or `backup`."""

    name: str
    role: str = "primary"
    phone: str | None = None
    email: str | None = None
    hours: str | None = None

    @property
    def reachable(self) -> bool:
        """True when a phone number or an email address is given."""
        return bool(self.phone or self.email)


@dataclass(frozen=True, slots=True)
class Lane(_Located):
    """A swim lane: a party in the process; leveled lanes are escalation levels."""

    id: str
    name: str
    level: int | None = None
    external: bool = False
    description: str | None = None
    contacts: tuple[Contact, ...] = ()

    def contacts_with_role(self, role: str) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.role == role)


@dataclass(frozen=True, slots=True)
class Edge(_Located):
    """An arrow from one step to the next.

    `when` labels a decision branch; `after` makes it a timer edge; `severities`, when set,
    limits the edge to those ticket severities.
    """

    to: str
    when: str | None = None
    after: Duration | None = None
    severities: tuple[str, ...] | None = None

    @property
    def is_timer(self) -> bool:
        return self.after is not None

    def holds_for(self, severity: str) -> bool:
        """True when a ticket of `severity` may take this edge."""
        return self.severities is None or severity in self.severities


@dataclass(frozen=True, slots=True)
class Step(_Located):
    """One step of the flow, in one lane."""

    id: str
    lane: str
    label: str
    type: StepType = StepType.TASK
    next: tuple[Edge, ...] = ()
    notify: tuple[str, ...] = ()
    description: str | None = None

    @property
    def plain_edges(self) -> tuple[Edge, ...]:
        return tuple(e for e in self.next if e.after is None)

    @property
    def timer_edges(self) -> tuple[Edge, ...]:
        return tuple(e for e in self.next if e.after is not None)


@dataclass(frozen=True, slots=True)
class MatrixCell(_Located):
    """When a level (lane) is engaged for a severity; `engage` None means `none` (not used)."""

    severity: str
    lane: str
    engage: Duration | None

    @property
    def used(self) -> bool:
        return self.engage is not None


def _first_by_id(items: tuple[_T, ...]) -> Mapping[str, _T]:
    by_id: dict[str, _T] = {}
    for item in items:
        by_id.setdefault(item.id, item)  # type: ignore[attr-defined]
    return MappingProxyType(by_id)


@dataclass(frozen=True)
class Definition(_Located):
    """One escalation process: the single source of truth for every output."""

    process: Process
    severities: tuple[Severity, ...]
    lanes: tuple[Lane, ...]
    steps: tuple[Step, ...]
    matrix: Mapping[str, Mapping[str, MatrixCell]] = field(default_factory=lambda: _NO_SPANS)
    format: int = 1
    source: str = ""

    # With a duplicate id (an error, drawn anyway with --force) the first one written is
    # the one every lookup finds, as the duplicate-id finding says ("already used at ...").

    @cached_property
    def lanes_by_id(self) -> Mapping[str, Lane]:
        return _first_by_id(self.lanes)

    @cached_property
    def steps_by_id(self) -> Mapping[str, Step]:
        return _first_by_id(self.steps)

    @cached_property
    def severities_by_id(self) -> Mapping[str, Severity]:
        return _first_by_id(self.severities)

    @cached_property
    def leveled_lanes(self) -> tuple[Lane, ...]:
        """Lanes that stand for an escalation level, lowest level first."""
        leveled = [lane for lane in self.lanes if lane.level is not None]
        return tuple(sorted(leveled, key=lambda lane: (lane.level, self.lanes.index(lane))))

    def steps_in(self, lane_id: str) -> tuple[Step, ...]:
        """The steps of one lane, in the order they are written."""
        return tuple(s for s in self.steps if s.lane == lane_id)

    def cell(self, severity: str, lane: str) -> MatrixCell | None:
        """The matrix cell for a severity and a leveled lane, or None when missing."""
        return self.matrix.get(severity, {}).get(lane)
