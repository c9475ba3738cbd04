"""Model -> Mermaid text: a flowchart with a subgraph per lane, or the `swimlane-beta` form.

Pure text building (no layout, no engine). Every label goes through `quote`, which writes it
as a Mermaid string with entity codes, so no label can end a string, start a comment,
become HTML or Markdown, or break the line structure.
"""

from __future__ import annotations

import re

from escalation_charts.export._text import NOTIFY_LABEL, edge_label, lane_title
from escalation_charts.model import Definition, Step, StepType

__all__ = ["SYNTAXES", "build_mermaid", "node_id", "quote"]

SYNTAXES = ("flowchart", "swimlane")

# Characters that mean something to Mermaid's lexer, to its entity pass (`#...;`), to HTML
# labels or to Markdown strings; each is written as the numeric entity code `#N;`, which
# Mermaid turns into the HTML entity `&#N;`, shown as the character itself. `:` is coded
# because Mermaid strips a `;` from any line matching `style.*:...#...;` before parsing, and
# a backslash, because Mermaid reads one followed by `n` in a label as a line break (C:\new).
_CODED = frozenset('"#&<>`:%|\\')
_NEWLINE = re.compile(r"\r\n|\r|\n")

# (open, close) of the node shape for each step type: terminators are stadiums, decisions
# diamonds, a hand-over a subroutine box, waiting a rounded box, a task a plain box.
_SHAPES: dict[StepType, tuple[str, str]] = {
    StepType.START: ("([", "])"),
    StepType.RESOLUTION: ("([", "])"),
    StepType.TASK: ("[", "]"),
    StepType.DECISION: ("{", "}"),
    StepType.ESCALATE: ("[[", "]]"),
    StepType.WAIT: ("(", ")"),
}

_CLASSES: dict[StepType, str] = {
    StepType.START: "terminal",
    StepType.RESOLUTION: "terminal",
    StepType.DECISION: "decision",
    StepType.ESCALATE: "escalate",
    StepType.WAIT: "wait",
}

_CLASS_DEFS = {
    "terminal": "fill:#e8f5e9,stroke:#2e7d32",
    "decision": "fill:#fff8e1,stroke:#f9a825",
    "escalate": "fill:#ffebee,stroke:#c62828,stroke-width:2px",
    "wait": "fill:#eceff1,stroke:#546e7a",
}


def quote(text: str) -> str:
    """`text` as a double-quoted Mermaid string that shows exactly as written."""
    lines = _NEWLINE.split(text)
    coded = "<br>".join("".join(_code(ch) for ch in line) for line in lines)
    return f'"{coded}"'


def _code(ch: str) -> str:
    if ch in _CODED or ord(ch) < 0x20:
        return f"#{ord(ch)};"
    return ch


def node_id(kind: str, model_id: str) -> str:
    """A Mermaid id for a step or lane: letters, digits and `_` only, never a keyword.

    The format allows `.` and `-` in ids, which Mermaid reads as arrows or breaks on, so
    they are spelt `_d` and `_h` (and `_` as `__`), which keeps the mapping one-to-one.
    """
    spelt = model_id.replace("_", "__").replace(".", "_d").replace("-", "_h")
    return f"{kind}_{spelt}"


def build_mermaid(
    definition: Definition, *, direction: str = "LR", syntax: str = "flowchart"
) -> str:
    """The whole diagram as text (ends with a newline); `syntax` is `flowchart` or `swimlane`.

    `flowchart` works in every Mermaid renderer (GitHub, GitLab, most wikis); lanes are
    subgraphs, which Mermaid places freely. `swimlane` uses `swimlane-beta` (Mermaid
    11.16+), which draws real lanes but cannot show notify arrows (they are listed as
    comments) and is still marked beta upstream.
    """
    if syntax not in SYNTAXES:
        raise ValueError(f"unknown Mermaid syntax {syntax!r}; choose from {', '.join(SYNTAXES)}")
    swimlane = syntax == "swimlane"
    header = "swimlane-beta" if swimlane else "flowchart"
    # No title: Mermaid escapes `&` and `<` in front-matter titles and accTitle twice, so
    # a process name would not show as written; the surrounding Markdown can carry it.
    # The id is safe in a comment (ids are letters, digits and `_ . -`).
    lines = [
        f"%% escalation-charts export of process {definition.process.id}",
        f"{header} {direction}",
    ]
    lanes = definition.lanes_by_id
    for lane in definition.lanes:
        lines.append(f"  subgraph {node_id('lane', lane.id)} [{quote(lane_title(lane))}]")
        lines.extend(f"    {_node(step)}" for step in definition.steps_in(lane.id))
        lines.append("  end")
    # A step whose lane is unknown (only with --force) is still drawn, outside every lane.
    lines.extend(f"  {_node(step)}" for step in definition.steps if step.lane not in lanes)
    lines.extend(_edges(definition, swimlane))
    lines.extend(_styles(definition, swimlane))
    return "\n".join(lines) + "\n"


def _node(step: Step) -> str:
    opening, closing = _SHAPES[step.type]
    return f"{node_id('step', step.id)}{opening}{quote(step.label)}{closing}"


def _edges(definition: Definition, swimlane: bool) -> list[str]:
    lines: list[str] = []
    steps = definition.steps_by_id
    for step in definition.steps:
        source = node_id("step", step.id)
        for edge in step.next:
            if edge.to not in steps:
                continue  # an unknown target (only with --force) would invent a node
            arrow = "-.->" if edge.is_timer else "-->"
            label = edge_label(edge)
            text = f"|{quote(label)}|" if label else ""
            lines.append(f"  {source} {arrow}{text} {node_id('step', edge.to)}")
    notes = [
        (step, lane)
        for step in definition.steps
        for lane in step.notify
        if lane in definition.lanes_by_id
    ]
    for step, lane in notes:
        if swimlane:
            # swimlane-beta documents edges between nodes only; a comment keeps the fact.
            lines.append(f"  %% {node_id('step', step.id)} notifies {node_id('lane', lane)}")
        else:
            target = node_id("lane", lane)
            lines.append(f"  {node_id('step', step.id)} -.-o|{quote(NOTIFY_LABEL)}| {target}")
    return lines


def _styles(definition: Definition, swimlane: bool) -> list[str]:
    lines = [f"  classDef {name} {css}" for name, css in _CLASS_DEFS.items()]
    for name in _CLASS_DEFS:
        members = [node_id("step", s.id) for s in definition.steps if _CLASSES.get(s.type) == name]
        if members:
            lines.append(f"  class {','.join(members)} {name}")
    lines.extend(
        f"  style {node_id('lane', lane.id)} stroke-dasharray:5 5"
        for lane in definition.lanes
        if lane.external
    )
    return lines
