"""The changes between two models, section by section: what a changelog lists.

Lists whose order carries no meaning (steps, a step's edges, an edge's severities,
`notify`, a lane's contacts) are compared as sets; the order of severities (most severe
first) and of lanes (the chart's bands) is compared as written. Every value is kept as
display text (durations as `2h30m`, lists joined with `, `), so the reports only lay out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from escalation_charts.audit.text import duration_text
from escalation_charts.diff.match import Matching, match
from escalation_charts.durations import Duration
from escalation_charts.model import Contact, Definition, Edge, Lane, Step

__all__ = ["SECTIONS", "Change", "FieldChange", "Matchings", "model_changes"]

SECTIONS = ("process", "severities", "lanes", "contacts", "steps", "edges", "matrix")


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after (display text; None when not set)."""

    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Change:
    """One change: `kind` is added, removed, changed, renamed or reordered.

    `subject` names the thing in the new version (the old one for a removal), e.g.
    `step esc-t2` or `edge diagnose -> esc-t2`; `label` is its human name. `mark` is
    what the change chart colours: (`step`|`lane`, id) or (`edge`, step id, index), ids
    of the new version, the index in the old step's `next` for a removed edge.
    """

    section: str
    kind: str
    subject: str
    label: str = ""
    fields: tuple[FieldChange, ...] = ()
    old_subject: str | None = None
    mark: tuple[str, str] | tuple[str, str, int] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "section": self.section,
            "kind": self.kind,
            "subject": self.subject,
        }
        if self.old_subject is not None:
            out["old_subject"] = self.old_subject
        if self.label:
            out["label"] = self.label
        out["fields"] = [{"field": f.field, "old": f.old, "new": f.new} for f in self.fields]
        return out


@dataclass(frozen=True)
class Matchings:
    """How steps, lanes and severities of the old version pair with the new one."""

    steps: Matching
    lanes: Matching
    severities: Matching


def value_text(value: object) -> str | None:
    """A field value as display text: durations compact, lists joined, dates ISO."""
    if value is None:
        return None
    if isinstance(value, Duration):
        return duration_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        return ", ".join(sorted(str(v) for v in value)) if value else "(none)"
    return str(value)


def _fields(pairs: Iterable[tuple[str, object, object]]) -> tuple[FieldChange, ...]:
    out = []
    for name, old, new in pairs:
        a, b = value_text(old), value_text(new)
        if a != b:
            out.append(FieldChange(name, a, b))
    return tuple(out)


def matchings(old: Definition, new: Definition) -> Matchings:
    """Pair steps (by label), lanes and severities (by name) of both versions."""
    return Matchings(
        steps=match({s.id: s.label for s in old.steps}, {s.id: s.label for s in new.steps}),
        lanes=match({x.id: x.name for x in old.lanes}, {x.id: x.name for x in new.lanes}),
        severities=match(
            {x.id: x.name for x in old.severities}, {x.id: x.name for x in new.severities}
        ),
    )


def model_changes(old: Definition, new: Definition, m: Matchings) -> list[Change]:
    """Every change, in SECTIONS order, each section in the new version's order."""
    return [
        *_process(old, new),
        *_severities(old, new, m),
        *_lanes(old, new, m),
        *_contacts(old, new, m),
        *_steps(old, new, m),
        *_edges(old, new, m),
        *_matrix(old, new, m),
    ]


def _process(old: Definition, new: Definition) -> list[Change]:
    a, b = old.process, new.process
    names = ("id", "name", "owner", "version", "reviewed", "review_every", "description")
    fields = _fields((n, getattr(a, n), getattr(b, n)) for n in names)
    return [Change("process", "changed", "process", b.name, fields)] if fields else []


def _paired(
    section: str,
    kind_name: str,
    old: Mapping[str, object],
    new: Mapping[str, object],
    matching: Matching,
    compare: object,
    label: object,
    mark: object = None,
) -> list[Change]:
    """Added, removed, changed and renamed items of one id'd kind (lanes, severities, steps)."""
    out = []
    for new_id, item in new.items():
        old_id = matching.back.get(new_id)
        if old_id is None:
            out.append(
                Change(
                    section,
                    "added",
                    f"{kind_name} {new_id}",
                    label(item),  # type: ignore[operator]
                    compare(None, item),  # type: ignore[operator]
                    mark=mark(new_id) if mark else None,  # type: ignore[operator]
                )
            )
            continue
        fields = compare(old[old_id], item)  # type: ignore[operator]
        renamed = old_id in matching.renamed
        if renamed or fields:
            out.append(
                Change(
                    section,
                    "renamed" if renamed else "changed",
                    f"{kind_name} {new_id}",
                    label(item),  # type: ignore[operator]
                    ((FieldChange("id", old_id, new_id),) if renamed else ()) + fields,
                    old_subject=f"{kind_name} {old_id}" if renamed else None,
                    mark=mark(new_id) if mark else None,  # type: ignore[operator]
                )
            )
    for old_id, item in old.items():
        if old_id not in matching.pairs:
            out.append(
                Change(
                    section,
                    "removed",
                    f"{kind_name} {old_id}",
                    label(item),  # type: ignore[operator]
                    mark=mark(old_id) if mark else None,  # type: ignore[operator]
                )
            )
    return out


def _order(section: str, old_ids: list[str], new_ids: list[str], m: Matching) -> list[Change]:
    """A `reordered` change when the items both versions share are in another order."""
    shared_old = [m.new_id(i) for i in old_ids if i in m.pairs]
    shared_new = [i for i in new_ids if i in m.back]
    if shared_old == shared_new:
        return []
    what = FieldChange("order", ", ".join(shared_old), ", ".join(shared_new))
    return [Change(section, "reordered", section, fields=(what,))]


def _severities(old: Definition, new: Definition, m: Matchings) -> list[Change]:
    def compare(a: object, b: object) -> tuple[FieldChange, ...]:
        if a is None:
            return ()
        names = ("name", "description", "respond", "resolve")
        return _fields((n, getattr(a, n), getattr(b, n)) for n in names)

    out = _paired(
        "severities",
        "severity",
        dict(old.severities_by_id),
        dict(new.severities_by_id),
        m.severities,
        compare,
        lambda s: s.name,
    )
    return out + _order(
        "severities", list(old.severities_by_id), list(new.severities_by_id), m.severities
    )


def _lanes(old: Definition, new: Definition, m: Matchings) -> list[Change]:
    def compare(a: Lane | None, b: Lane) -> tuple[FieldChange, ...]:
        if a is None:
            return _fields([("level", None, b.level)]) if b.level is not None else ()
        names = ("name", "level", "external", "description")
        return _fields((n, getattr(a, n), getattr(b, n)) for n in names)

    out = _paired(
        "lanes",
        "lane",
        dict(old.lanes_by_id),
        dict(new.lanes_by_id),
        m.lanes,
        compare,
        lambda lane: lane.name,
        lambda lane_id: ("lane", lane_id),
    )
    return out + _order("lanes", list(old.lanes_by_id), list(new.lanes_by_id), m.lanes)


def _contact_key(c: Contact) -> str:
    return c.name.casefold().strip()


def _contacts(old: Definition, new: Definition, m: Matchings) -> list[Change]:
    out = []
    old_lanes = old.lanes_by_id
    for lane in new.lanes_by_id.values():
        old_id = m.lanes.back.get(lane.id)
        before = {_contact_key(c): c for c in old_lanes[old_id].contacts} if old_id else {}
        after = {_contact_key(c): c for c in lane.contacts}
        subject = f"lane {lane.id} contact"
        for key, c in after.items():
            if key not in before:
                fields = _fields(_contact_fields(None, c))
                out.append(Change("contacts", "added", subject, c.name, fields))
            else:
                fields = _fields(_contact_fields(before[key], c))
                if fields:
                    out.append(Change("contacts", "changed", subject, c.name, fields))
        if old_id is not None:
            for key, c in before.items():
                if key not in after:
                    out.append(Change("contacts", "removed", subject, c.name))
    return out


def _contact_fields(a: Contact | None, b: Contact) -> list[tuple[str, object, object]]:
    return [
        (n, getattr(a, n) if a else None, getattr(b, n))
        for n in ("role", "phone", "email", "hours")
    ]


def _steps(old: Definition, new: Definition, m: Matchings) -> list[Change]:
    def compare(a: Step | None, b: Step) -> tuple[FieldChange, ...]:
        if a is None:
            return _fields([("type", None, b.type), ("lane", None, b.lane)])
        return _fields(
            [
                ("label", a.label, b.label),
                ("type", a.type, b.type),
                ("lane", m.lanes.new_id(a.lane), b.lane),
                ("description", a.description, b.description),
                ("notify", frozenset(m.lanes.new_id(x) for x in a.notify), frozenset(b.notify)),
            ]
        )

    return _paired(
        "steps",
        "step",
        dict(old.steps_by_id),
        dict(new.steps_by_id),
        m.steps,
        compare,
        lambda s: s.label,
        lambda step_id: ("step", step_id),
    )


def _edge_facts(edge: Edge, m: Matchings) -> tuple[str, str | None, str | None, str | None]:
    """(target, when, after, severities) in the new version's ids, as display text."""
    sevs = None
    if edge.severities is not None:
        sevs = value_text(frozenset(m.severities.new_id(s) for s in edge.severities))
    return (m.steps.new_id(edge.to), edge.when, value_text(edge.after), sevs)


def edge_words(source: str, facts: tuple[str, str | None, str | None, str | None]) -> str:
    """`diagnose -> esc-t2`, the edge's subject."""
    return f"edge {source} -> {facts[0]}"


def edge_label(facts: tuple[str, str | None, str | None, str | None]) -> str:
    """What the edge says on the chart: `when yes`, `after 30m`, `P1, P2`."""
    parts = []
    if facts[1] is not None:
        parts.append(f"when {facts[1]}")
    if facts[2] is not None:
        parts.append(f"after {facts[2]}")
    if facts[3] is not None:
        parts.append(f"for {facts[3]}")
    return "; ".join(parts)


_EDGE_FIELDS = ("to", "when", "after", "severities")


def _edges(old: Definition, new: Definition, m: Matchings) -> list[Change]:
    """Edges of steps in both versions; an added or removed step's edges go with it."""
    out = []
    old_steps = old.steps_by_id
    for step in new.steps_by_id.values():
        old_id = m.steps.back.get(step.id)
        if old_id is None:
            continue
        before = [(n, _edge_facts(e, m)) for n, e in enumerate(old_steps[old_id].next)]
        after = [(n, _edge_facts(e, m)) for n, e in enumerate(step.next)]
        pairs = []
        # same edge; then same target and kind (timer or not); then same branch or kind
        for same in (
            lambda a, b: a == b,
            lambda a, b: a[0] == b[0] and (a[2] is None) == (b[2] is None),
            lambda a, b: (
                (a[1] is not None and a[1] == b[1])
                or (a[1] is None and b[1] is None and (a[2] is None) == (b[2] is None))
            ),
        ):
            for a in list(before):
                b = next((x for x in after if same(a[1], x[1])), None)
                if b is not None:
                    pairs.append((a, b))
                    before.remove(a)
                    after.remove(b)
        for a, b in sorted(pairs, key=lambda p: p[1][0]):
            fields = tuple(
                FieldChange(name, x, y)
                for name, x, y in zip(_EDGE_FIELDS, a[1], b[1], strict=True)
                if x != y
            )
            if fields:
                out.append(
                    Change(
                        "edges",
                        "changed",
                        edge_words(step.id, b[1]),
                        edge_label(b[1]),
                        fields,
                        mark=("edge", step.id, b[0]),
                    )
                )
        for n, facts in after:
            out.append(
                Change(
                    "edges",
                    "added",
                    edge_words(step.id, facts),
                    edge_label(facts),
                    mark=("edge", step.id, n),
                )
            )
        for n, facts in before:
            out.append(
                Change(
                    "edges",
                    "removed",
                    edge_words(step.id, facts),
                    edge_label(facts),
                    mark=("edge", step.id, n),
                )
            )
    return out


def _matrix(old: Definition, new: Definition, m: Matchings) -> list[Change]:
    before = {
        (m.severities.new_id(sev), m.lanes.new_id(lane)): cell.engage
        for sev, row in old.matrix.items()
        for lane, cell in row.items()
    }
    after = {
        (sev, lane): cell.engage for sev, row in new.matrix.items() for lane, cell in row.items()
    }
    out = []
    for key, engage in after.items():
        subject = f"cell {key[0]} x {key[1]}"
        if key not in before:
            out.append(
                Change(
                    "matrix", "added", subject, fields=_fields([("engage", None, _cell(engage))])
                )
            )
        elif before[key] != engage:
            out.append(
                Change(
                    "matrix",
                    "changed",
                    subject,
                    fields=_fields([("engage", _cell(before[key]), _cell(engage))]),
                )
            )
    for key, engage in before.items():
        if key not in after:
            out.append(
                Change(
                    "matrix",
                    "removed",
                    f"cell {key[0]} x {key[1]}",
                    fields=_fields([("engage", _cell(engage), None)]),
                )
            )
    return out


def _cell(engage: Duration | None) -> str:
    return duration_text(engage) if engage is not None else "none"
