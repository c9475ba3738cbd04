"""Check and build steps in one pass: the fast path for the bulk of a large definition.

Steps and their edges are nearly every value of a large file. Checking them through the
declared schema (`schema.STEP`) makes a `Rec` and a `V` per value that `loader` then turns
into the model, which costs more than parsing. Here a step that is plainly well-formed (no
tags, no empty values, no unknown or repeated keys, every value valid) is checked and built
straight from its nodes. Anything else returns None and goes through the declared schema,
which finds and words every problem; so the fast path never decides what is an error, it
only recognises what certainly is not. The limits (lengths, choices) are read from the
declaration, and tests compare both paths on the same input, positions included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache
from types import MemberDescriptorType
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from escalation_charts.durations import Duration, parse_duration
from escalation_charts.findings import Pos
from escalation_charts.model import Edge, Step, StepType
from escalation_charts.reading import schema
from escalation_charts.reading.compose import MAX_NODES
from escalation_charts.reading.schema import Checker, Invalid, Rec, Seq, Type, V

__all__ = ["Steps", "clean_text"]

_new = object.__new__
_tuple_new = tuple.__new__
_ID = re.compile(schema.ID_PATTERN).fullmatch
_BAD = schema._BAD_CHARS.search
_NULLS = schema._NULLS
_TYPES = {t.value: t for t in StepType}
_LABEL_MAX = schema.STEP.fields["label"].type.max_len
_DESCRIPTION_MAX = schema.STEP.fields["description"].type.max_len
_WHEN_MAX = schema.EDGE.fields["when"].type.max_len
# Both declarations must still be what this module assumes (a change there is caught here).
assert set(schema.STEP.fields) == {"id", "lane", "type", "label", "next", "notify", "description"}
assert set(schema.EDGE.fields) == {"to", "when", "after", "severities"}
assert tuple(_TYPES) == schema.STEP_TYPES


def _slots(cls: type, *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of `cls`'s slots, one per field: filling a new frozen object's slots
    directly costs what handing it a dict did, and skips its refusing `__setattr__`."""
    assert set(names) == {f.name for f in fields(cls)}, names  # every field, set once
    slots = [getattr(cls, name) for name in names]
    assert all(isinstance(slot, MemberDescriptorType) for slot in slots), cls  # slots=True
    return tuple(slot.__set__ for slot in slots)


_edge_pos, _edge_spans, _edge_to, _edge_when, _edge_after, _edge_severities = _slots(
    Edge, "pos", "spans", "to", "when", "after", "severities"
)
(
    _step_pos, _step_spans, _step_id, _step_lane, _step_label,
    _step_type, _step_next, _step_notify, _step_description,
) = _slots(
    Step, "pos", "spans", "id", "lane", "label", "type", "next", "notify", "description"
)  # fmt: skip


_PLAIN_ASCII = bytes([9, 10, 13, *range(32, 127)])  # tab, line breaks, printable ASCII


def clean_text(text: str) -> bool:
    """True when no scalar of `text` can hold a control character (checked once, not per value).

    Control characters only reach a value written literally or through a double-quoted
    escape, so a text without either needs no per-value search.
    """
    if "\\" in text:
        return False
    if text.isascii():  # the usual text: delete what may stay, in one C pass (3x the regex)
        return not text.encode("ascii").translate(None, _PLAIN_ASCII)
    return _BAD(text) is None


@lru_cache(maxsize=1024)
def _duration(text: str) -> Duration | None:
    """Durations repeat (`2h` on thousands of timer edges); Duration is immutable."""
    try:
        return parse_duration(text)
    except ValueError:
        return None


def _pos(node: Node) -> Pos:
    mark = node.start_mark
    return _tuple_new(Pos, (mark.line + 1, mark.column + 1))  # Pos(...) without its __new__


# The per-value work below is written out inline: at a million values, each helper call
# costs more than the check it makes. `known` holds the ids already found valid in this
# file, each as its first copy: the same few lane, severity and step ids come back on
# most lines, and a lookup is cheaper than the pattern (whether a value is null is still
# asked each time); every repeat then shares that one string (100k steps: 30 MB less).


def _ids(
    node: SequenceNode, known: dict[str, str], key: str, extra: dict[str, Pos]
) -> tuple[str, ...] | None:
    """A list of ids (`severities`, `notify`), each item's place kept as `key[n]` in
    `extra`; None when any item is not plainly an id (an id holds no control character)."""
    ids = []
    for n, item in enumerate(node.value):
        if item.__class__ is not ScalarNode or item.tag:
            return None
        value = item.value
        if not item.style and value in _NULLS:
            return None
        first = known.get(value)
        if first is None:
            if len(value) > 100 or not _ID(value):
                return None
            known[value] = value
        else:
            value = first
        ids.append(value)
        mark = item.start_mark
        extra[f"{key}[{n}]"] = _tuple_new(Pos, (mark.line + 1, mark.column + 1))
    return tuple(ids)


def _edge(node: Node, clean: bool, known: dict[str, str]) -> tuple[Edge, int] | None:
    """A list-form edge and the number of values the schema walk would have visited."""
    if node.__class__ is not MappingNode or node.tag:
        return None
    to = when = after = severities = None
    spans: dict[str, Pos] = {}
    extra: dict[str, Pos] = {}
    visits = 1
    for key_node, value_node in node.value:
        if key_node.__class__ is not ScalarNode or key_node.tag:
            return None
        key = key_node.value
        if key in spans:
            return None
        mark = value_node.start_mark
        spans[key] = _tuple_new(Pos, (mark.line + 1, mark.column + 1))
        visits += 1
        if value_node.__class__ is ScalarNode:
            if value_node.tag:
                return None
            value = value_node.value
            if (not value_node.style and value in _NULLS) or (not clean and _BAD(value)):
                return None
            if key == "to":
                first = known.get(value)
                if first is None:
                    if len(value) > 100 or not _ID(value):
                        return None
                    known[value] = value
                else:
                    value = first
                to = value
            elif key == "when":
                if len(value) > _WHEN_MAX or not value.strip():
                    return None
                when = value
            elif key == "after":
                after = _duration(value)
                if after is None:
                    return None
            else:
                return None
        elif key == "severities" and value_node.__class__ is SequenceNode and value_node.value:
            if value_node.tag:
                return None
            severities = _ids(value_node, known, key, extra)
            if severities is None:
                return None
            visits += len(severities)
        else:
            return None
    if to is None:
        return None
    spans.update(extra)
    edge = _new(Edge)
    _edge_pos(edge, _pos(node))
    _edge_spans(edge, spans)
    _edge_to(edge, to)
    _edge_when(edge, when)
    _edge_after(edge, after)
    _edge_severities(edge, severities)
    return edge, visits


def _step(node: Node, clean: bool, known: dict[str, str]) -> tuple[Step, int] | None:
    """A step built straight from its node, or None when the schema must look at it."""
    if node.__class__ is not MappingNode or node.tag:
        return None
    ident = lane = label = description = None
    kind: StepType | None = StepType.TASK
    edges: tuple[Edge, ...] = ()
    notify: tuple[str, ...] = ()
    spans: dict[str, Pos] = {}
    extra: dict[str, Pos] = {}
    visits = 1
    for key_node, value_node in node.value:
        if key_node.__class__ is not ScalarNode or key_node.tag:
            return None
        key = key_node.value
        if key in spans:
            return None
        mark = value_node.start_mark
        where = spans[key] = _tuple_new(Pos, (mark.line + 1, mark.column + 1))
        visits += 1
        if value_node.__class__ is ScalarNode:
            if value_node.tag:
                return None
            value = value_node.value
            if (not value_node.style and value in _NULLS) or (not clean and _BAD(value)):
                return None
            if key == "id" or key == "lane" or key == "next" or key == "notify":
                first = known.get(value)
                if first is None:
                    if len(value) > 100 or not _ID(value):
                        return None
                    known[value] = value
                else:
                    value = first
                if key == "id":
                    ident = value
                elif key == "lane":
                    lane = value
                elif key == "next":  # the shorthand for one plain edge
                    edge = _new(Edge)
                    _edge_pos(edge, where)
                    _edge_spans(edge, {"to": where})
                    _edge_to(edge, value)
                    _edge_when(edge, None)
                    _edge_after(edge, None)
                    _edge_severities(edge, None)
                    edges = (edge,)
                else:
                    notify = (value,)
                    extra["notify[0]"] = where
            elif key == "label":
                if len(value) > _LABEL_MAX or not value.strip():
                    return None
                label = value
            elif key == "type":
                kind = _TYPES.get(value)
                if kind is None:
                    return None
            elif key == "description":
                if len(value) > _DESCRIPTION_MAX or not value.strip():
                    return None
                description = value
            else:
                return None
        elif value_node.__class__ is SequenceNode and not value_node.tag:
            if key == "next":
                built = []
                for item in value_node.value:
                    done = _edge(item, clean, known)
                    if done is None:
                        return None
                    built.append(done[0])
                    visits += done[1]
                edges = tuple(built)
            elif key == "notify":
                notify = _ids(value_node, known, key, extra)
                if notify is None:
                    return None
                visits += len(notify)
            else:
                return None
        else:
            return None
    if ident is None or lane is None or label is None:
        return None
    spans.update(extra)
    step = _new(Step)
    _step_pos(step, _pos(node))
    _step_spans(step, spans)
    _step_id(step, ident)
    _step_lane(step, lane)
    _step_label(step, label)
    _step_type(step, kind)
    _step_next(step, edges)
    _step_notify(step, notify)
    _step_description(step, description)
    return step, visits


class Steps(Type):
    """The `steps` list, checked as `seq` declares and built into Steps with `build`.

    Each item takes the fast path when it can and the declared check otherwise; the
    JSON Schema is the declaration's.
    """

    fast = True  # tests switch it off to compare both paths

    def __init__(
        self, seq: Seq, build: Callable[[Rec], Step], clean: bool = False, consume: bool = False
    ) -> None:
        self.seq = seq
        self.build = build
        self.clean = clean
        # With `consume`, each step's node leaves the tree as its step is built, so the
        # model reuses the memory the nodes free instead of adding to it (100k steps:
        # 1.10 GB peak became 0.96 GB). Only for a tree read once and without anchors: an
        # alias would let another field reach the same node later.
        self.consume = consume
        self.known: dict[str, str] = {}  # ids found valid in this file (see `_step`)
        self.expected = seq.expected
        self.description = seq.description

    def schema(self) -> dict[str, Any]:
        return self.seq.schema()

    def take(self, node: Node) -> Any:
        """A step's node as `check` will want it, while it is being composed (see
        `compose`): the step and the values it counts when the fast path builds it (the
        nodes are freed at once), else the node itself for the declared check.

        The composer hands over only items of an untagged list, which `check` reads in its
        fast loop whenever `fast` is on (a list under `min_items` is refused unread).
        """
        if not self.fast:
            return node
        done = _step(node, self.clean, self.known)
        return node if done is None else done

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        if (
            not self.fast
            or node.__class__ is not SequenceNode
            or node.tag
            or len(node.value) < self.seq.min_items
        ):
            return self._slow(node, ck, path)
        items = node.value
        ck.visit(node)
        out: list[V] = []
        slow = self.seq.item.check
        clean = self.clean
        known = self.known
        consume = self.consume
        for index, child in enumerate(items):
            if consume:
                items[index] = None
            done = child if child.__class__ is tuple else _step(child, clean, known)  # see `take`
            if done is not None and ck.visits + done[1] <= MAX_NODES:
                ck.visits += done[1]
                out.append(_tuple_new(V, (done[0], done[0].pos)))  # V(...) without its __new__
                continue
            before = len(ck.findings)
            rec = slow(child, ck, (*path, index))
            if not isinstance(rec, Invalid) and len(ck.findings) == before:
                out.append(V(self.build(rec), rec.pos))
        return out

    def _slow(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        before = len(ck.findings)
        items = self.seq.check(node, ck, path)
        if isinstance(items, Invalid) or len(ck.findings) != before:
            return items
        return [V(self.build(v.value), v.pos) for v in items]
