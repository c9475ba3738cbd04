"""What each rule means and how to fix a finding of it: the rules reference.

One source for `docs/rules.md` (tests/test_rules_reference.py keeps the page current) and
for the `fullDescription` and `help` of every rule in the SARIF log, which code-scanning
tools show beside an alert.
"""

from __future__ import annotations

__all__ = ["HELP", "RuleHelp", "rules_markdown"]

from typing import NamedTuple

from escalation_charts.findings import RULES


class RuleHelp(NamedTuple):
    """Why a rule exists, and what to change in the definition to clear it."""

    why: str
    fix: str


HELP: dict[str, RuleHelp] = {
    "syntax": RuleHelp(
        "The file could not be read as YAML: a syntax mistake, bytes that are not UTF-8, or a "
        "file larger or deeper than the reader's limits.",
        "Look at the line and column given: a missing quote, a tab used for indentation, or "
        "an unquoted colon inside a value are the usual causes. Quote text that contains "
        "`: ` or starts with a special character.",
    ),
    "duplicate-key": RuleHelp(
        "A mapping names the same key twice; YAML would silently keep only the last value.",
        "Remove one of the two keys, or merge their values.",
    ),
    "unknown-field": RuleHelp(
        "A field that format 1 does not define, usually a typo.",
        "Use the suggested field name, or remove the field.",
    ),
    "invalid-value": RuleHelp(
        "A value of the wrong type or form: an id with spaces, a duration like `15 min`, a "
        "date that is not YYYY-MM-DD.",
        "Write ids as `[A-Za-z0-9][A-Za-z0-9_.-]*`, durations as `15m`, `2h30m`, `1d` or "
        "ISO 8601 (`PT15M`), dates as `2026-09-01`.",
    ),
    "duplicate-id": RuleHelp(
        "Two lanes, steps or severities share an id, so references to it are ambiguous.",
        "Rename one of them and update the references to it.",
    ),
    "unknown-reference": RuleHelp(
        "A `next`, `to`, `lane`, `notify` or `severities` entry names an id that does not exist.",
        "Use the suggested id, or add the missing step, lane or severity.",
    ),
    "no-start": RuleHelp(
        "No step has `type: start`, so no ticket can enter the process.",
        "Mark the step where a ticket is raised with `type: start`.",
    ),
    "unreachable": RuleHelp(
        "No start step leads to this step under any severity: it can never happen.",
        "Add an edge to it from the step before it, or remove it.",
    ),
    "dead-end": RuleHelp(
        "A ticket that reaches this step stays there: it is not a resolution and has no "
        "outgoing edge.",
        "Add `next` to the step that follows, or make it `type: resolution`.",
    ),
    "no-exit-loop": RuleHelp(
        "These steps have edges, but from them no resolution can be reached: a ticket "
        "circles for ever.",
        "Give one step of the loop an edge out of it (a decision branch or a timer) that "
        "leads towards a resolution.",
    ),
    "decision-branches": RuleHelp(
        "A decision needs two or more branches, each with its own `when` label.",
        "Give every branch a distinct `when` (`yes` / `no`), and at least two branches.",
    ),
    "ambiguous-next": RuleHelp(
        "A step that is not a decision has more than one plain edge, so the next step is "
        "not determined.",
        "Make the step a `decision` with `when` labels, or give the extra edges an `after` timer.",
    ),
    "resolution-has-next": RuleHelp(
        "A resolution ends the process; it cannot lead anywhere.",
        "Remove its `next`, or change its type.",
    ),
    "empty-lane": RuleHelp(
        "A lane with no steps draws an empty band.",
        "Put the steps of that team in it, or remove the lane.",
    ),
    "matrix-missing": RuleHelp(
        "The escalation matrix needs one row per severity and, in each row, one cell per "
        "lane that has a `level`.",
        "Add the missing row or cell: a duration such as `1h`, or `none` when that level is "
        "not used for that severity.",
    ),
    "matrix-order": RuleHelp(
        "Within a row, a higher level is engaged before a lower one.",
        "Engage the levels in order: each level at the same time as the one below it or later.",
    ),
    "matrix-severity-order": RuleHelp(
        "A less severe ticket reaches a level sooner than a more severe one.",
        "Check the two rows: usually the more severe row should be at least as fast.",
    ),
    "matrix-after-sla": RuleHelp(
        "A level is engaged at or after the severity's `resolve` target, too late to help.",
        "Engage the level earlier, or review the severity's `resolve` target.",
    ),
    "level-gap": RuleHelp(
        "Lane levels must be 1, 2, 3 ... without gaps.",
        "Renumber the levels so they run from 1 without gaps.",
    ),
    "level-unreached": RuleHelp(
        "No `escalate` step hands over to this leveled lane, so the level is never engaged.",
        "Add an `escalate` step whose next step is in that lane.",
    ),
    "no-contact": RuleHelp(
        "Nobody can be called at this level: no primary contact with a phone or an email.",
        "Add a contact with `role: primary` and a `phone` or `email`.",
    ),
    "no-backup": RuleHelp(
        "This level has no backup contact for when the primary cannot be reached.",
        "Add a contact with `role: backup`.",
    ),
    "review-overdue": RuleHelp(
        "The definition's last review plus `review_every` is in the past.",
        "Review the process, then update `reviewed` to the review's date.",
    ),
    "matrix-flow-mismatch": RuleHelp(
        "For a severity, the flow can take a ticket to a level whose matrix cell is `none`.",
        "Limit the edge that leads there to the severities that use the level "
        "(`severities: [...]`), or give the cell a time.",
    ),
    "matrix-flow-timing": RuleHelp(
        "For a severity, the matrix engages a level earlier than the flow's fastest path can "
        "reach it, or at a time although the flow never reaches it for that severity.",
        "Shorten the timer on the fastest path (or add one for that severity) so the flow "
        "reaches the level by the matrix's time, or correct the matrix cell.",
    ),
    "matrix-untimed": RuleHelp(
        "For a severity, the matrix engages a level above 1 at a time, but no path to its "
        "lane takes a timer edge that holds for that severity: only someone's decision "
        "escalates, nothing enforces the time. Only the way into the level counts: a timer "
        "taken after a walk has entered its lane does not drive it; a level the matrix "
        "engages at 0m has nothing to wait for.",
        "Add a timer edge (`after: <the matrix time>`) for that severity on the way to the "
        "level, as a help desk escalates when a ticket is not solved in time.",
    ),
}


def rules_markdown() -> str:
    """`docs/rules.md`: one section (and anchor) per rule of `findings.RULES`, in order."""
    rules = {rid: (rule.level, rule.summary) for rid, rule in RULES.items()}
    lines = [
        "# Validation rules",
        "",
        "Every finding of `escalation-charts validate` names one of these rules. Each rule id",
        "is also an anchor of this page (`docs/rules.md#dead-end`). This page is generated",
        "from `escalation_charts/validate/rules_help.py`; tests keep it current.",
        "",
        "| rule | severity | fires when |",
        "| --- | --- | --- |",
    ]
    lines += [f"| [`{rid}`](#{rid}) | {level} | {text} |" for rid, (level, text) in rules.items()]
    for rid, (level, text) in rules.items():
        help_ = HELP.get(rid, RuleHelp(text, ""))
        lines += ["", f"## {rid}", "", f"**{level}** — {text}", "", help_.why]
        if help_.fix:
            lines += ["", f"**How to fix:** {help_.fix}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m escalation_charts.validate.rules_help > docs/rules.md
    print(rules_markdown(), end="")
