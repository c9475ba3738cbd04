"""What a diagram reader collects before it becomes the model: lanes, steps, edges, notices.

BPMN and draw.io say different things in different ways; both readers fill one `Draft`
keyed by the source's element ids, and `Draft.build` makes the one `Definition` the YAML
loader would make: ids slugged from labels (or kept, when the diagram is our own export),
a step with several plain edges turned into a decision, decision branches given distinct
`when` labels. Whatever could not be mapped as it stands is a `Notice` naming the element,
never dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from escalation_charts.durations import Duration, parse_duration
from escalation_charts.model import Definition, Edge, Lane, Process, Step, StepType

__all__ = [
    "Draft",
    "DraftEdge",
    "DraftLane",
    "DraftStep",
    "Imported",
    "Notice",
    "slug",
    "spoken_duration",
    "tidy",
]

_UNNAMED = {
    StepType.START: "Start",
    StepType.RESOLUTION: "End",
    StepType.DECISION: "Decision",
    StepType.TASK: "Task",
    StepType.WAIT: "Wait",
    StepType.ESCALATE: "Escalate",
}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_SLUG_WORDS = 3  # enough to tell steps apart, short enough to type in `next:`
_SLUG_CHARS = 40
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "at",
        "in",
        "on",
        "for",
        "with",
        "by",
        "from",
        "is",
        "are",
        "be",
        "it",
        "its",
        "this",
        "that",
    ]
)


def slug(text: str, fallback: str) -> str:
    """`Log, categorise and set severity` -> `log-categorise-set`: a short readable id.

    The first three words that say something (numbers ride along: `tier-2`), accents
    dropped (`Qualité` -> `qualite`); text with no Latin letters or digits (CJK, emoji)
    gives `fallback`.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    kept = [w for w in words if w not in _SMALL_WORDS] or words
    out: list[str] = []
    for word in kept:
        if sum(1 for w in out if not w.isdigit()) == _SLUG_WORDS and not word.isdigit():
            break
        out.append(word)
    return "-".join(out)[:_SLUG_CHARS].strip("-") or fallback


def tidy(text: str) -> str:
    """A label someone drew, as one line: the line breaks a diagram puts in to fit the text
    in its shape are layout, not words (the charts wrap labels themselves)."""
    return " ".join(text.replace("\xa0", " ").split())


_SPOKEN = re.compile(
    r"(?:after\s+)?(\d+)\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|"
    r"working days?|business days?)",
    re.IGNORECASE,
)


def spoken_duration(text: str) -> Duration | None:
    """`60 minutes`, `2 hours`, `after 1 day`: a timer's name saying its wait, when the
    diagram gives no ISO 8601 duration; None when it is not that."""
    match = _SPOKEN.fullmatch(text.strip())
    if not match:
        return None
    unit = match.group(2).lower()[0]
    return parse_duration(f"{match.group(1)}{unit}")


Level = Literal["note", "warning"]


@dataclass(frozen=True)
class Notice:
    """Something the reader did not map as it stands: a `note` says what it did instead
    (a nested lane flattened), a `warning` that it did not understand it (`--strict`
    refuses those)."""

    element: str
    message: str
    level: Level = "warning"

    def __str__(self) -> str:
        return f"{self.level}: {self.element}: {self.message}"


@dataclass
class DraftLane:
    key: str
    name: str
    known_id: str | None = None  # the model id, when the diagram is our own export
    external: bool = False
    description: str | None = None


@dataclass
class DraftEdge:
    to: str  # a step key
    when: str | None = None
    after: Duration | None = None
    severities: tuple[str, ...] | None = None


@dataclass
class DraftStep:
    key: str
    lane: str  # a lane key
    label: str
    type: StepType = StepType.TASK
    known_id: str | None = None
    description: str | None = None
    edges: list[DraftEdge] = field(default_factory=list)
    notify: list[str] = field(default_factory=list)  # lane keys
    place: tuple[float, float] | None = None  # where it is drawn (along the flow, across)


@dataclass(frozen=True)
class Imported:
    """A diagram read into the model, what was noticed on the way, and where it came from."""

    definition: Definition
    notices: tuple[Notice, ...]
    source: str
    page: str | None = None  # the draw.io page read, when there are several
    pages: tuple[str, ...] = ()
    # Every source element id that became part of the model or is named by a notice:
    # what "nothing dropped silently" is checked against.
    accounted: frozenset[str] = frozenset()


@dataclass
class Draft:
    """Lanes and steps in the order the diagram gives them, keyed by element id."""

    process_id: str | None = None
    process_name: str = "Imported process"
    description: str | None = None
    lanes: dict[str, DraftLane] = field(default_factory=dict)
    steps: dict[str, DraftStep] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # source ids read into steps' edges etc.
    # Steps written lane by lane, in drawing order (a diagram someone drew); our own
    # export keeps the definition's order, which is the file's.
    by_place: bool = False

    def imported(
        self, source: str, page: str | None = None, pages: tuple[str, ...] = ()
    ) -> Imported:
        """The model built, with the notices and every source id it accounts for."""
        definition = self.build()
        accounted = self.used | set(self.steps) | set(self.lanes)
        accounted |= {n.element for n in self.notices}
        return Imported(definition, tuple(self.notices), source, page, pages, frozenset(accounted))

    def warn(self, element: str, message: str) -> None:
        self.notices.append(Notice(element, message, "warning"))

    def note(self, element: str, message: str) -> None:
        self.notices.append(Notice(element, message, "note"))

    def drop_join(self, key: str) -> None:
        """Leave out a step that only joins arrows: each arrow into it goes on to where
        its one edge goes (keeping its own label, or taking the join's)."""
        join = self.steps.pop(key)
        out = join.edges[0]
        for step in self.steps.values():
            step.edges = [
                DraftEdge(
                    out.to,
                    edge.when or out.when,
                    edge.after,
                    edge.severities,
                )
                if edge.to == key
                else edge
                for edge in step.edges
            ]
        self.note(key, f"a decision that only joins arrows: left out ({join.label!r})")

    def build(self) -> Definition:
        """The model, with ids made and the shapes the format allows."""
        for step in self.steps.values():
            if not step.label:  # first, so branches named after their targets get it
                step.label = _UNNAMED[step.type]
        for step in self.steps.values():
            self._fit_edges(step)
        if self.by_place:
            self._order_by_place()
        lane_ids = _ids(
            [(lane.known_id, lane.name, "lane") for lane in self.lanes.values()],
        )
        lane_of = dict(zip(self.lanes, lane_ids, strict=True))
        step_ids = _ids([(s.known_id, s.label, s.type.value) for s in self.steps.values()])
        step_of = dict(zip(self.steps, step_ids, strict=True))
        lanes = tuple(
            Lane(
                id=lane_of[lane.key],
                name=lane.name,
                external=lane.external,
                description=lane.description,
            )
            for lane in self.lanes.values()
        )
        steps = tuple(
            Step(
                id=step_of[step.key],
                lane=lane_of[step.lane],
                label=step.label,
                type=step.type,
                next=tuple(
                    Edge(to=step_of[e.to], when=e.when, after=e.after, severities=e.severities)
                    for e in step.edges
                    if e.to in step_of
                ),
                notify=tuple(dict.fromkeys(lane_of[k] for k in step.notify if k in lane_of)),
                description=step.description,
            )
            for step in self.steps.values()
        )
        pid = self.process_id if self.process_id and _ID.fullmatch(self.process_id) else None
        process = Process(
            id=pid or slug(self.process_name, "imported-process"),
            name=self.process_name,
            description=self.description,
        )
        return Definition(process=process, severities=(), lanes=lanes, steps=steps)

    def _order_by_place(self) -> None:
        lanes = {key: index for index, key in enumerate(self.lanes)}
        far = (float("inf"), float("inf"))
        ordered = sorted(
            self.steps.values(), key=lambda s: (lanes.get(s.lane, len(lanes)), s.place or far)
        )
        self.steps = {s.key: s for s in ordered}

    def _fit_edges(self, step: DraftStep) -> None:
        """Make the step's edges ones the format allows, saying so when that changes them."""
        plain = [e for e in step.edges if e.after is None]
        if step.type is StepType.RESOLUTION and step.edges:
            step.type = StepType.TASK
            self.note(step.key, "an end with outgoing flows: imported as a task")
        if step.type is not StepType.DECISION and len(plain) > 1:
            step.type = StepType.DECISION
            self.warn(
                step.key,
                f"{len(plain)} outgoing flows from one step (parallel paths or a choice "
                "drawn without a gateway): imported as a decision, one branch per flow",
            )
        if step.type is StepType.DECISION:
            self._label_branches(step, plain)

    def _label_branches(self, step: DraftStep, plain: list[DraftEdge]) -> None:
        """A decision's branches need distinct `when` labels; unnamed ones get their
        target's label, repeats a number, each with a note."""
        seen: set[str] = set()
        for edge in plain:
            when = edge.when
            if not when:
                target = self.steps.get(edge.to)
                when = f"to {target.label}" if target and target.label else "branch"
                self.note(step.key, f"an unnamed branch: labelled {when!r}")
            base, n = when, 2
            while when in seen:
                when, n = f"{base} ({n})", n + 1
            if when != edge.when and edge.when:
                self.note(step.key, f"branch {edge.when!r} is repeated: labelled {when!r}")
            seen.add(when)
            edge.when = when


def _ids(items: list[tuple[str | None, str, str]]) -> list[str]:
    """Unique ids, in order: the known id when valid and free, else a slug of the text."""
    taken: set[str] = set()
    out: list[str] = []
    for known, _, _ in items:  # known ids first claim their own names
        if known and _ID.fullmatch(known):
            taken.add(known)
    claimed: set[str] = set()
    for known, text, fallback in items:
        if known and _ID.fullmatch(known) and known not in claimed:
            claimed.add(known)
            out.append(known)
            continue
        base = slug(text, fallback)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        out.append(candidate)
    return out
