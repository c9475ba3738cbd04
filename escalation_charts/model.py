"""The model: immutable, typed objects for one escalation process, read by every renderer.

The loader builds it from YAML; nothing downstream looks at YAML again. Every object keeps
`pos`, the place of its mapping in the file, and `spans`, the place of each field's value, so
findings can point at the exact line and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any, TypeVar

from escalation_charts.durations import Duration
from escalation_charts.findings import Pos
from escalation_charts.frozen import Frozen
from escalation_charts.frozen import set_field as _set

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


class _Nothing(Mapping[str, Any]):
    """The empty mapping an object has when no places (or no matrix) were given: shared
    and read-only like `MappingProxyType({})`, which it replaced because that one cannot be
    pickled or deep-copied (nor could any object holding it)."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def get(self, key: str, default: Any = None) -> Any:
        return default

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "_NO_SPANS"  # the one instance, by name


_NO_SPANS: Mapping[str, Any] = _Nothing()
_NOWHERE = Pos()
_T = TypeVar("_T")
# Every class is frozen (`Frozen`) and slotted; `@dataclass` only declares its fields, and
# each `__init__` is written here rather than generated at import (see `frozen.py`).


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
@dataclass(init=False, repr=False, eq=False, slots=True, weakref_slot=True)
class _Located(Frozen):
    """Where an object and each of its fields' values are written in the definition file."""

    pos: Pos = field(default_factory=Pos, kw_only=True, compare=False, repr=False)
    spans: Mapping[str, Pos] = field(
        default_factory=lambda: _NO_SPANS, kw_only=True, compare=False, repr=False
    )

    def at(self, name: str) -> Pos:
        """Where field `name`'s value is written, or the object itself when absent."""
        return self.spans.get(name, self.pos)


@dataclass(init=False, repr=False, eq=False, slots=True)
class Process(_Located):
    """What the definition is about, who owns it and when it was last reviewed."""

    id: str
    name: str
    owner: str | None = None
    version: str | None = None
    reviewed: dt.date | None = None
    review_every: Duration | None = None
    description: str | None = None

    def __init__(
        self,
        id: str,
        name: str,
        owner: str | None = None,
        version: str | None = None,
        reviewed: dt.date | None = None,
        review_every: Duration | None = None,
        description: str | None = None,
        *,
        pos: Pos = _NOWHERE,
        spans: Mapping[str, Pos] = _NO_SPANS,
    ) -> None:
        _set(self, "pos", pos)
        _set(self, "spans", spans)
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "owner", owner)
        _set(self, "version", version)
        _set(self, "reviewed", reviewed)
        _set(self, "review_every", review_every)
        _set(self, "description", description)

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


@dataclass(init=False, repr=False, eq=False, slots=True)
class Severity(_Located):
    """A ticket severity (most severe first in `Definition.severities`) and its targets."""

    id: str
    name: str
    description: str | None = None
    respond: Duration | None = None
    resolve: Duration | None = None

    def __init__(
        self,
        id: str,
        name: str,
        description: str | None = None,
        respond: Duration | None = None,
        resolve: Duration | None = None,
        *,
        pos: Pos = _NOWHERE,
        spans: Mapping[str, Pos] = _NO_SPANS,
    ) -> None:
        _set(self, "pos", pos)
        _set(self, "spans", spans)
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "description", description)
        _set(self, "respond", respond)
        _set(self, "resolve", resolve)


@dataclass(init=False, repr=False, eq=False, slots=True)
class Contact(_Located):
    """Someone to call at a level; `role` is `primary` or `backup`."""

    name: str
    role: str = "primary"
    phone: str | None = None
    email: str | None = None
    hours: str | None = None

    def __init__(
        self,
        name: str,
        role: str = "primary",
        phone: str | None = None,
        email: str | None = None,
        hours: str | None = None,
        *,
        pos: Pos = _NOWHERE,
        spans: Mapping[str, Pos] = _NO_SPANS,
    ) -> None:
        _set(self, "pos", pos)
        _set(self, "spans", spans)
        _set(self, "name", name)
        _set(self, "role", role)
        _set(self, "phone", phone)
        _set(self, "email", email)
        _set(self, "hours", hours)

    @property
    def reachable(self) -> bool:
        """True when a phone number or an email address is given."""
        return bool(self.phone or self.email)


@dataclass(init=False, repr=False, eq=False, slots=True)
class Lane(_Located):
    """A swim lane: a party in the process; leveled lanes are escalation levels."""

    id: str
    name: str
    level: int | None = None
    external: bool = False
    description: str | None = None
    contacts: tuple[Contact, ...] = ()

    def __init__(
        self,
        id: str,
        name: str,
        level: int | None = None,
        external: bool = False,
        description: str | None = None,
        contacts: tuple[Contact, ...] = (),
        *,
        pos: Pos = _NOWHERE,
        spans: Mapping[str, Pos] = _NO_SPANS,
    ) -> None:
        _set(self, "pos", pos)
        _set(self, "spans", spans)
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "level", level)
        _set(self, "external", external)
        _set(self, "description", description)
        _set(self, "contacts", contacts)

    def contacts_with_role(self, role: str) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.role == role)


@dataclass(init=False, repr=False, eq=False, slots=True)
class Edge(_Located):
    """An arrow from one step to the next.

    `when` labels a decision branch; `after` makes it a timer edge; `severities`, when set,
    limits the edge to those ticket severities.
    """

    to: str
    when: str | None = None
    after: Duration | None = None
    severities: tuple[str, ...] | None = None

    def __init__(
        self,
        to: str,
        when: str | None = None,
        after: Duration | None = None,
        severities: tuple[str, ...] | None = None,
        *,
        pos: Pos = _NOWHERE,
        spans: Mapping[str, Pos] = _NO_SPANS,
    ) -> None:
        _set(self, "pos", pos)
        _set(self, "spans", spans)
        _set(self, "to", to)
        _set(self, "when", when)
        _set(self, "after", after)
        _set(self, "severities", severities)

    @property
    def is_timer(self) -> bool:
        return self.after is not None

    def holds_for(self, severity: str) -> bool:
        """True when a ticket of `severity` may take this edge."""
        return self.severities is None or severity in self.severities


@dataclass(init=False, repr=False, eq=False, slots=True)
class Step(_Located):
    """One step of the flow, in one lane."""

    id: str
    lane: str
    label: str
    type: StepType = StepType.TASK
    next: tuple[Edge, ...] = ()
    notify: tuple[str, ...] = ()
    description: str | None = None

    def __init__(
        self,
        id: str,
        lane: str,
        label: str,
        type: StepType = StepType.TASK,
        next: tuple[Edge, ...] = (),
        notify: tuple[str, ...] = (),
        description: str | None = None,
        *,
        pos: Pos = _NOWHERE,
        spans: Mapping[str, Pos] = _NO_SPANS,
    ) -> None:
        _set(self, "pos", pos)
        _set(self, "spans", spans)
        _set(self, "id", id)
        _set(self, "lane", lane)
        _set(self, "label", label)
        _set(self, "type", type)
        _set(self, "next", next)
        _set(self, "notify", notify)
        _set(self, "description", description)

    @property
    def plain_edges(self) -> tuple[Edge, ...]:
        return tuple(e for e in self.next if e.after is None)

    @property
    def timer_edges(self) -> tuple[Edge, ...]:
        return tuple(e for e in self.next if e.after is not None)


@dataclass(init=False, repr=False, eq=False, slots=True)
class MatrixCell(_Located):
    """When a level (lane) is engaged for a severity; `engage` None means `none` (not used)."""

    severity: str
    lane: str
    engage: Duration | None

    def __init__(
        self,
        severity: str,
        lane: str,
        engage: Duration | None,
        *,
        pos: Pos = _NOWHERE,
        spans: Mapping[str, Pos] = _NO_SPANS,
    ) -> None:
        _set(self, "pos", pos)
        _set(self, "spans", spans)
        _set(self, "severity", severity)
        _set(self, "lane", lane)
        _set(self, "engage", engage)

    @property
    def used(self) -> bool:
        return self.engage is not None


def _first_by_id(items: tuple[_T, ...]) -> Mapping[str, _T]:
    by_id: dict[str, _T] = {}
    for item in items:
        by_id.setdefault(item.id, item)  # type: ignore[attr-defined]
    return MappingProxyType(by_id)


@dataclass(init=False, repr=False, eq=False)
class Definition(_Located):
    """One escalation process: the single source of truth for every output."""

    process: Process
    severities: tuple[Severity, ...]
    lanes: tuple[Lane, ...]
    steps: tuple[Step, ...]
    matrix: Mapping[str, Mapping[str, MatrixCell]] = field(default_factory=lambda: _NO_SPANS)
    format: int = 1
    source: str = ""

    def __init__(
        self,
        process: Process,
        severities: tuple[Severity, ...],
        lanes: tuple[Lane, ...],
        steps: tuple[Step, ...],
        matrix: Mapping[str, Mapping[str, MatrixCell]] = _NO_SPANS,
        format: int = 1,
        source: str = "",
        *,
        pos: Pos = _NOWHERE,
        spans: Mapping[str, Pos] = _NO_SPANS,
    ) -> None:
        _set(self, "pos", pos)
        _set(self, "spans", spans)
        _set(self, "process", process)
        _set(self, "severities", severities)
        _set(self, "lanes", lanes)
        _set(self, "steps", steps)
        _set(self, "matrix", matrix)
        _set(self, "format", format)
        _set(self, "source", source)

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
