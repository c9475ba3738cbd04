"""A DefinitionDiff as a changelog: text for the terminal, Markdown for a pull request,
JSON for tools.

Every value from a definition is text: quoted with `shown` in the terminal (no escape
sequence reaches it), escaped with the documents' `md_text`/`md_code` in Markdown (no
label adds a heading, link or HTML), and plain strings in JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from escalation_charts.diff.changes import SECTIONS, Change, FieldChange
from escalation_charts.diff.comparison import DefinitionDiff
from escalation_charts.diff.consequences import Reachability, TimingChange
from escalation_charts.findings import Finding, shown
from escalation_charts.render._documents import md_code, md_text

__all__ = ["diff_json", "diff_markdown", "diff_text", "summary"]

TITLES = {
    "process": "Process",
    "severities": "Severities",
    "lanes": "Lanes and levels",
    "contacts": "Contacts",
    "steps": "Steps",
    "edges": "Edges",
    "matrix": "Matrix",
}
_SIGNS = {"added": "+", "removed": "-", "changed": "~", "renamed": "~", "reordered": "~"}


def summary(diff: DefinitionDiff) -> str:
    """`3 changes; consequences: 1 finding appeared, 2 earliest times moved`."""
    parts = []
    counts = (
        (len(diff.appeared), "finding appeared", "findings appeared"),
        (len(diff.disappeared), "finding disappeared", "findings disappeared"),
        (len(diff.timing), "earliest engagement moved", "earliest engagements moved"),
        (len(diff.reachability), "reachability change", "reachability changes"),
    )
    for n, one, many in counts:
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    n = len(diff.changes)
    head = f"{n} change{'s' * (n != 1)}" if n else "no change to the model"
    return head + (f"; consequences: {', '.join(parts)}" if parts else "")


def _by_section(diff: DefinitionDiff) -> Iterator[tuple[str, list[Change]]]:
    for section in SECTIONS:
        changes = [c for c in diff.changes if c.section == section]
        if changes:
            yield section, changes


# -- text ----------------------------------------------------------------------------------


def _value(text: str | None) -> str:
    return "(not set)" if text is None else shown(text)


def _field_text(f: FieldChange) -> str:
    if f.old is None:
        return f"{f.field} {_value(f.new)}"
    return f"{f.field} {_value(f.old)} -> {_value(f.new)}"


def _subject(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _change_text(c: Change) -> str:
    head = f"{c.kind} {_subject(c.subject)}"
    if c.kind == "renamed" and c.old_subject:
        head = f"renamed {_subject(c.old_subject)} to {_subject(c.subject).split(' ', 1)[-1]}"
    if c.label:
        head += f" {shown(c.label)}"
    fields = [f for f in c.fields if not (c.kind == "renamed" and f.field == "id")]
    if fields:
        head += ": " + "; ".join(_field_text(f) for f in fields)
    return f"  {_SIGNS[c.kind]} {head}"


def _timing_text(t: TimingChange) -> str:
    level = f"level {t.level} " if t.level is not None else ""
    before, after = t.before or "never", t.after or "never"
    line = (
        f"  ~ {_subject(t.severity)} {shown(t.severity_name)}, {level}{shown(t.lane_name)}: "
        f"earliest {before} -> {after} ({t.shift}; matrix {t.matrix})"
    )
    if t.check_before != t.check_after:
        line += f"; check {t.check_before or 'none'} -> {t.check_after}"
    return line


def _reach_text(r: Reachability) -> str:
    sevs = ", ".join(_subject(s) for s in r.severities)
    if r.reachable:
        return f"  + step {_subject(r.step)} {shown(r.label)} now reachable for {sevs}"
    return f"  - step {_subject(r.step)} {shown(r.label)} unreachable for {sevs} since this change"


def _finding_text(sign: str, f: Finding) -> str:
    where = f"{f.file}:{f.pos.line}:{f.pos.column}" if f.file else f"{f.pos.line}:{f.pos.column}"
    extra = f" (severity {f.applies_to})" if f.applies_to else ""
    return f"  {sign} {where}: {f.level} {f.rule}: {f.message}{extra}"


def diff_text(diff: DefinitionDiff) -> str:
    """The changelog for the terminal, grouped by section, consequences last."""
    lines = [f"{diff.old_name} -> {diff.new_name}: {summary(diff)}"]
    for section, changes in _by_section(diff):
        lines += ["", TITLES[section]] + [_change_text(c) for c in changes]
    if diff.timing:
        lines += ["", "Earliest engagement (per severity and level)"]
        lines += [_timing_text(t) for t in diff.timing]
    if diff.reachability:
        lines += ["", "Reachability"] + [_reach_text(r) for r in diff.reachability]
    if diff.appeared or diff.disappeared:
        lines += ["", "Findings"]
        lines += [_finding_text("+", f) for f in diff.appeared]
        lines += [_finding_text("-", f) for f in diff.disappeared]
    return "\n".join(lines) + "\n"


# -- Markdown ------------------------------------------------------------------------------


def _md_value(text: str | None) -> str:
    return "*not set*" if text is None else str(md_code(text))


def _md_subject(c: Change, subject: str) -> str:
    kind, _, name = subject.partition(" ")
    if kind == "edge":
        source, _, target = name.partition(" -> ")
        return f"edge {md_code(source)} → {md_code(target)}"
    if kind == "lane" and name.endswith(" contact"):
        return f"lane {md_code(name.removesuffix(' contact'))} contact"
    if kind == "cell":
        severity, _, lane = name.partition(" x ")
        return f"cell {md_code(severity)} x {md_code(lane)}"
    if kind in ("process", "severities", "lanes") and not name:
        return kind
    return f"{kind} {md_code(name)}"


def _md_change(c: Change) -> str:
    head = f"**{c.kind}** {_md_subject(c, c.subject)}"
    if c.kind == "renamed" and c.old_subject:
        head = (
            f"**renamed** {_md_subject(c, c.old_subject)} to {md_code(c.subject.split(' ', 1)[-1])}"
        )
    if c.label:
        head += f" ({md_text(c.label)})"
    fields = [f for f in c.fields if not (c.kind == "renamed" and f.field == "id")]
    parts = []
    for f in fields:
        if f.old is None:
            parts.append(f"{f.field} {_md_value(f.new)}")
        else:
            parts.append(f"{f.field} {_md_value(f.old)} → {_md_value(f.new)}")
    if parts:
        head += ": " + "; ".join(parts)
    return f"- {head}"


def diff_markdown(diff: DefinitionDiff) -> str:
    """A pull-request comment: a heading per section, a table for engagement times."""
    title = md_text(diff.new.process.name)
    lines = [
        f"### Changes to {title}",
        "",
        f"{md_code(diff.old_name)} → {md_code(diff.new_name)}: {md_text(summary(diff))}",
    ]
    for section, changes in _by_section(diff):
        lines += ["", f"#### {TITLES[section]}", ""] + [_md_change(c) for c in changes]
    if diff.timing:
        lines += [
            "",
            "#### Earliest engagement",
            "",
            "| Severity | Level | Before | After | Change | Matrix | Check |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for t in diff.timing:
            level = f"{t.level} " if t.level is not None else ""
            check = (
                t.check_after
                if t.check_before in (None, t.check_after)
                else (f"{t.check_before} → {t.check_after}")
            )
            lines.append(
                f"| {md_code(t.severity)} {md_text(t.severity_name)} "
                f"| {level}{md_text(t.lane_name)} | {t.before or '*never*'} "
                f"| {t.after or '*never*'} | {t.shift} | {t.matrix} | {check} |"
            )
    if diff.reachability:
        lines += ["", "#### Reachability", ""]
        for r in diff.reachability:
            sevs = ", ".join(str(md_code(s)) for s in r.severities)
            what = (
                f"now reachable for {sevs}"
                if r.reachable
                else (f"**unreachable** for {sevs} since this change")
            )
            lines.append(f"- step {md_code(r.step)} ({md_text(r.label)}) {what}")
    if diff.appeared or diff.disappeared:
        lines += ["", "#### Findings", ""]
        for sign, found in (("new", diff.appeared), ("gone", diff.disappeared)):
            for f in found:
                lines.append(
                    f"- **{sign}** {f.level} {md_code(f.rule)} at line {f.pos.line}: "
                    f"{md_text(f.message)}"
                )
    return "\n".join(lines) + "\n"


# -- JSON ----------------------------------------------------------------------------------


def diff_dict(diff: DefinitionDiff) -> dict[str, object]:
    """The JSON shape: both sides, the changes, and the consequences."""
    return {
        "old": diff.old_name,
        "new": diff.new_name,
        "changed": diff.changed,
        "summary": summary(diff),
        "changes": [c.to_dict() for c in diff.changes],
        "findings": {
            "appeared": [f.to_dict() for f in diff.appeared],
            "disappeared": [f.to_dict() for f in diff.disappeared],
        },
        "timing": [t.to_dict() for t in diff.timing],
        "reachability": [r.to_dict() for r in diff.reachability],
    }


def diff_json(diff: DefinitionDiff) -> str:
    return json.dumps(diff_dict(diff), indent=2, ensure_ascii=False) + "\n"
