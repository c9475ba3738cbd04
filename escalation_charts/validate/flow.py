"""Soundness: every step reachable, and from each, a resolution reachable, per severity.

A finding that holds for every severity is reported once; one that holds for some only is
reported once per severity it applies to, naming it (`applies_to`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from escalation_charts.findings import Finding
from escalation_charts.model import Definition
from escalation_charts.validate._report import Reporter
from escalation_charts.validate.graph import FlowGraph, Soundness

__all__ = ["check", "severity_ids"]

# Steps listed in a no-exit-loop message before "and N more".
_LISTED = 6


def severity_ids(d: Definition) -> list[str | None]:
    """The severities soundness is checked for; [None] when none are defined."""
    return [s.id for s in d.severities] or [None]


def check(d: Definition, graph: FlowGraph, report: Reporter) -> Iterator[Finding]:
    """unreachable, dead-end and no-exit-loop."""
    if not graph.checkable:
        return  # no-start or unknown-reference says it; the rest would be its echo
    severities = severity_ids(d)
    analyses = {sev: graph.for_severity(sev) for sev in severities}
    for i in _unreached(analyses.values()):
        step = graph.steps[i]
        yield report.finding(
            "unreachable",
            f"no start step leads to '{step.id}'; add an edge to it or remove it",
            step.at("id"),
            step=step.id,
        )
    # (rule, step index) -> severities it holds for, in severity order
    found: dict[tuple[str, int], list[str | None]] = {}
    for sev, a in analyses.items():
        for i in a.dead_ends:
            found.setdefault(("dead-end", i), []).append(sev)
        for i in a.trap_entries:
            found.setdefault(("no-exit-loop", i), []).append(sev)
    for (rule, i), sevs in found.items():
        every = len(sevs) == len(severities)
        for sev in [sevs[0]] if every else sevs:
            a = analyses[sev]
            yield report.finding(
                rule,
                _message(rule, graph, a, i, None if every else sev),
                graph.steps[i].at("next" if rule == "no-exit-loop" else "id"),
                step=graph.ids[i],
                path=a.path_to(i),
                applies_to=None if every else sev,
            )


def _unreached(analyses: Iterable[Soundness]) -> list[int]:
    """The steps no severity's walk reaches, in step order (one pass per distinct analysis)."""
    distinct = list({id(a): a for a in analyses}.values())
    out = [i for i, p in enumerate(distinct[0].parent) if p == -2]
    for a in distinct[1:]:
        out = [i for i in out if not a.reached(i)]
    return out


def _message(rule: str, graph: FlowGraph, a: Soundness, i: int, sev: str | None) -> str:
    step = graph.steps[i]
    where = f" for severity {sev}" if sev else ""
    if rule == "dead-end":
        if step.next:
            return (
                f"step '{step.id}' has no edge that holds{where}, so a ticket stops there; "
                "add an edge for this severity or a resolution"
            )
        return (
            f"step '{step.id}' is not a resolution and has no 'next'; a ticket would stop "
            "here: add 'next' or make it 'type: resolution'"
        )
    region = [graph.ids[n] for n in a.trap_region[i]]
    if len(region) == 1:
        return (
            f"no resolution can be reached from '{step.id}'{where}: it only leads back to "
            "itself; add an edge out of the loop"
        )
    listed = ", ".join(region[:_LISTED]) + (
        f" and {len(region) - _LISTED} more" if len(region) > _LISTED else ""
    )
    return (
        f"no resolution can be reached from '{step.id}'{where}: the steps {listed} only "
        "lead to each other; add an edge out of the loop"
    )
