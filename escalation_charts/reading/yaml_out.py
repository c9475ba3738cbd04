"""A definition written out as YAML the way a person writes it (SPEC.md's example).

Key order and flow style follow the example: `process` as a block, a severity per line,
lanes as blocks, a step on one line when it fits (`{id, lane, type, label, next}`) and as
a block with a list of edge mappings when not. What a diagram cannot say (severities,
levels, contacts, the matrix, the owner and review dates) is written as `TODO` comments
where it goes, with one placeholder severity so the file loads and `validate` can say
what is missing. Scalars are plain when that reads back as the same string, else
double-quoted with anything invisible escaped, so a label can never break the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from escalation_charts.model import Definition, Edge, Lane, Step, StepType

__all__ = ["PLACEHOLDER_SEVERITY", "Todo", "definition_yaml", "placeholder_severities", "scalar"]

PLACEHOLDER_SEVERITY = "P1"
_WIDTH = 100  # the line length a step's flow mapping may take
_COMMENT_AT = 31  # SPEC.md's example aligns its comments here
# Plain only when it starts with a letter and holds nothing YAML gives a meaning to.
_PLAIN = re.compile(r"[^\W\d_][\w .?!/()'&+-]*", re.UNICODE)
_NOT_STRINGS = {"true", "false", "null", "~"}


def scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as exactly `text`, in block or flow context.

    Double-quoted like JSON, except that printable characters (CJK, emoji) stay as they are
    and invisible ones (controls, bidi overrides, line separators) are escaped.
    """
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _NOT_STRINGS:
        return text
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char.isprintable():
            out.append(char)
        else:
            out.append(json.dumps(char)[1:-1] if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def _comment(line: str, text: str) -> str:
    if len(line) < _COMMENT_AT:
        return f"{line.ljust(_COMMENT_AT)}# {text}"
    return f"{line}  # {text}"


def _safe_comment(text: str) -> str:
    """Text from outside (a file name) inside a comment: one line, nothing invisible."""
    return "".join(c if c.isprintable() else "?" for c in text)


@dataclass(frozen=True)
class Todo:
    """A place in the written file left for the user to fill in (1-based line, column)."""

    line: int
    column: int
    what: str


def definition_yaml(definition: Definition, source: str, kind: str) -> tuple[str, list[Todo]]:
    """The YAML text of an imported `definition`, with a header naming `source`, and the
    places marked TODO in it."""
    lines: list[str] = []
    todos: list[Todo] = []
    for item in _lines(definition, source, kind):
        if isinstance(item, tuple):
            text, what = item
            lines.append(text)
            todos.append(Todo(len(lines), text.index("# TODO") + 1, what))
        else:
            lines.append(item)
    return "\n".join(lines) + "\n", todos


_Line = str | tuple[str, str]  # a line, or a line with a TODO and what it asks for


def _lines(d: Definition, source: str, kind: str) -> Iterator[_Line]:
    yield f"# Imported from {_safe_comment(source)} ({kind}) by escalation-charts import."
    yield "# A diagram does not say everything a definition does: fill in the places marked"
    yield "# below (severities, levels, contacts, the matrix), then validate this file."
    yield ""
    yield "format: 1"
    yield "process:"
    yield f"  id: {scalar(d.process.id)}"
    yield f"  name: {scalar(d.process.name)}"
    yield (
        "  # TODO owner: who owns it; reviewed: YYYY-MM-DD; review_every: e.g. 180d",
        "the process's owner and review dates",
    )
    if d.process.description:
        yield f"  description: {scalar(d.process.description)}"
    yield ""
    yield (
        _comment("severities:", "TODO: your ticket severities, most severe first"),
        ("the ticket severities, most severe first"),
    )
    for severity in placeholder_severities(d):
        yield (
            _comment(
                f"  - {{id: {scalar(severity)}, name: {scalar(severity)}}}",
                "TODO: its name, respond: and resolve: targets",
            ),
            f"severity {severity}: its name and its respond and resolve targets",
        )
    yield ""
    yield _comment("lanes:", "drawn in this order; an escalation level gets `level: N` and")
    yield _comment("", "contacts: [{name, role: primary, phone or email}, {..., role: backup}]")
    for lane in d.lanes:
        yield from _lane(lane)
    yield ""
    yield "steps:"
    for step in d.steps:
        yield from _step(step)
    yield ""
    yield (
        _comment("# matrix:", "TODO: when each level is engaged, as time since the ticket opened"),
        ("the matrix: when each level is engaged for each severity"),
    )
    yield "#   (a time such as 0m, 1h, 1d, or none, for each lane that has a level)"
    cells = ", ".join(f"{scalar(lane.id)}: ?" for lane in d.lanes)
    for severity in placeholder_severities(d):
        yield f"#   {scalar(severity)}: {{{cells}}}"


def placeholder_severities(d: Definition) -> list[str]:
    """The severities the edges name (a diagram we exported limits edges to some), in
    their natural order, or one placeholder when none is named."""
    named = {s for step in d.steps for edge in step.next for s in edge.severities or ()}
    return sorted(named, key=_natural) or [PLACEHOLDER_SEVERITY]


def _natural(text: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _lane(lane: Lane) -> Iterator[str]:
    yield f"  - id: {scalar(lane.id)}"
    yield f"    name: {scalar(lane.name)}"
    if lane.external:
        yield "    external: true"
    if lane.description:
        yield f"    description: {scalar(lane.description)}"
    yield (
        "    # TODO level: and contacts:, if this lane is an escalation level",
        f"lane {lane.id}: its level and contacts, if it is an escalation level",
    )


def _edge(edge: Edge) -> str:
    parts = []
    if edge.when is not None:
        parts.append(f"when: {scalar(edge.when)}")
    if edge.after is not None:
        parts.append(f"after: {edge.after.compact()}")
    parts.append(f"to: {scalar(edge.to)}")
    if edge.severities is not None:
        parts.append(f"severities: [{', '.join(scalar(s) for s in edge.severities)}]")
    return "{" + ", ".join(parts) + "}"


def _step(step: Step) -> Iterator[str]:
    head = [f"id: {scalar(step.id)}", f"lane: {scalar(step.lane)}"]
    if step.type is not StepType.TASK:
        head.append(f"type: {step.type.value}")
    head.append(f"label: {scalar(step.label)}")
    simple = not step.next or (len(step.next) == 1 and step.next[0] == Edge(to=step.next[0].to))
    tail = []
    if step.description:
        tail.append(f"description: {scalar(step.description)}")
    if step.notify:
        tail.append(f"notify: [{', '.join(scalar(n) for n in step.notify)}]")
    if step.next and simple:
        tail.append(f"next: {scalar(step.next[0].to)}")
    line = "  - {" + ", ".join(head + tail) + "}"
    if simple and len(line) <= _WIDTH:
        yield line
        return
    first, *rest = head + tail[: len(tail) - (1 if step.next and simple else 0)]
    yield f"  - {first}"
    for item in rest:
        yield f"    {item}"
    if not step.next:
        return
    if simple:
        yield f"    next: {scalar(step.next[0].to)}"
        return
    yield "    next:"
    for edge in step.next:
        if edge == Edge(to=edge.to):
            yield f"      - to: {scalar(edge.to)}"
        else:
            yield f"      - {_edge(edge)}"
