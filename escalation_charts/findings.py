"""Findings: what `validate` reports, each with a stable rule id, a level and a place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from escalation_charts.frozen import Frozen
from escalation_charts.frozen import set_field as _set

__all__ = ["RULES", "Finding", "Level", "Pos", "Rule", "TimingFacts", "has_errors", "shown"]

Level = Literal["error", "warning"]


def shown(text: str) -> str:
    """User text quoted for a message: `'yes'`, with anything a terminal would act on
    (newlines, escape sequences, bidi overrides) spelt as an escape, so a finding is one
    line that says what the file says and a crafted value cannot rewrite the screen."""
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "'"


class Pos(NamedTuple):
    """A 1-based line and column in the definition file (a tuple: cheap, ordered)."""

    line: int = 1
    column: int = 1


_NOWHERE = Pos()


class Rule(NamedTuple):
    """A validation rule: its stable id, its level and what it checks (for docs and SARIF)."""

    id: str
    level: Level
    summary: str


_RULE_TABLE: tuple[tuple[str, Level, str], ...] = (
    ("syntax", "error", "The file is not valid YAML, not UTF-8, or too large or deep to read."),
    ("duplicate-key", "error", "A mapping repeats a key."),
    ("unknown-field", "error", "A field the format does not know."),
    ("invalid-value", "error", "A value of the wrong type, a bad id, duration or date."),
    ("duplicate-id", "error", "Two lanes, steps or severities share an id."),
    ("unknown-reference", "error", "A step, lane or severity id that does not exist."),
    ("no-start", "error", "No step of type start."),
    ("unreachable", "error", "A step that no start step leads to."),
    ("dead-end", "error", "A step that is not a resolution and has no outgoing edge."),
    ("no-exit-loop", "error", "Steps from which no resolution can be reached (a trap)."),
    ("decision-branches", "error", "A decision with fewer than two edges or a bad `when`."),
    ("ambiguous-next", "error", "A non-decision step with more than one plain edge."),
    ("resolution-has-next", "error", "A resolution with outgoing edges."),
    ("empty-lane", "warning", "A lane with no steps."),
    ("matrix-missing", "error", "A severity without a matrix row, or a row without a cell."),
    ("matrix-order", "error", "Within a row, a higher level is engaged before a lower one."),
    (
        "matrix-severity-order",
        "warning",
        "A less severe severity reaches a level sooner than a more severe one.",
    ),
    ("matrix-after-sla", "error", "A level is engaged at or after the severity's resolve target."),
    ("level-gap", "error", "Lane levels are not 1, 2, 3 ... without gaps."),
    ("level-unreached", "error", "A leveled lane above 1 that no escalate step hands over to."),
    ("no-contact", "error", "A leveled lane without a primary contact with a phone or email."),
    ("no-backup", "warning", "A leveled lane without a backup contact."),
    ("review-overdue", "warning", "The definition's review date plus review_every is past."),
    (
        "matrix-flow-mismatch",
        "error",
        "The flow can reach a leveled lane whose matrix cell is `none` for that severity.",
    ),
    (
        "matrix-flow-timing",
        "error",
        "The matrix engages a level earlier than the flow's fastest path can reach it, or at "
        "a time although the flow never reaches it for that severity.",
    ),
    (
        "matrix-untimed",
        "warning",
        "No path to a level above 1 that the matrix engages at a time takes a timer edge "
        "that holds for the severity: nothing in the flow enforces the time.",
    ),
)

RULES: dict[str, Rule] = {rid: Rule(rid, level, text) for rid, level, text in _RULE_TABLE}


class TimingFacts(NamedTuple):
    """What a timing finding compares: the level, the matrix's time, the flow's earliest
    time (None: never) and the walk behind it as step labels with its timers."""

    lane: str
    level: int
    matrix: str
    earliest: str | None
    route: str

    def to_dict(self) -> dict[str, object]:
        return {
            "lane": self.lane,
            "level": self.level,
            "matrix": self.matrix,
            "earliest": self.earliest,
            "route": self.route,
        }


@dataclass(init=False, repr=False, eq=False)
class Finding(Frozen):
    """One problem found in a definition, located at `pos` in `file`.

    `step` and `path` are set for flow rules (`path` is an example walk from a start step);
    `applies_to` names the ticket severity when the finding holds for one severity only;
    `timing` carries the figures of a timing rule. `override` is a level set by the
    project's configuration (`[tool.escalation-charts] severity`), else the rule's own.
    """

    rule: str
    message: str
    pos: Pos = field(default_factory=Pos)
    file: str = ""
    step: str | None = None
    path: tuple[str, ...] | None = None
    applies_to: str | None = None
    timing: TimingFacts | None = None
    override: Level | None = None

    def __init__(
        self,
        rule: str,
        message: str,
        pos: Pos = _NOWHERE,
        file: str = "",
        step: str | None = None,
        path: tuple[str, ...] | None = None,
        applies_to: str | None = None,
        timing: TimingFacts | None = None,
        override: Level | None = None,
    ) -> None:
        _set(self, "rule", rule)
        _set(self, "message", message)
        _set(self, "pos", pos)
        _set(self, "file", file)
        _set(self, "step", step)
        _set(self, "path", path)
        _set(self, "applies_to", applies_to)
        _set(self, "timing", timing)
        _set(self, "override", override)

    @property
    def level(self) -> Level:
        """`error` or `warning`: the rule's, unless the configuration overrides it."""
        return self.override or RULES[self.rule].level

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.pos.line, self.pos.column, self.rule, self.message)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of SPEC.md (`severity` is the finding's own level)."""
        out: dict[str, object] = {
            "rule": self.rule,
            "severity": self.level,
            "message": self.message,
            "line": self.pos.line,
            "column": self.pos.column,
        }
        if self.step is not None:
            out["step"] = self.step
        if self.path is not None:
            out["path"] = list(self.path)
        if self.applies_to is not None:
            out["applies_to"] = self.applies_to
        if self.timing is not None:
            out["timing"] = self.timing.to_dict()
        return out


def has_errors(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    """True when any finding is an error (warnings alone keep a definition usable)."""
    return any(f.level == "error" for f in findings)
