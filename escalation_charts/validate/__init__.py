"""`validate`: every semantic rule of SPEC.md over a loaded definition.

The loader has already refused what the format forbids (syntax, types, unknown fields);
these checks need the whole model: references, the flow's soundness per severity, the
matrix, levels, contacts and the review date. Each check lives in the module named for
what it looks at and yields findings; this module only runs them in order.
"""

from __future__ import annotations

import datetime as dt
import gc

from escalation_charts.findings import Finding
from escalation_charts.model import Definition
from escalation_charts.validate import flow, matrix, people, structure
from escalation_charts.validate._report import Reporter
from escalation_charts.validate._tables import FlowTables
from escalation_charts.validate.graph import FlowGraph, Soundness

__all__ = ["FlowGraph", "Soundness", "validate"]


def validate(definition: Definition, *, today: dt.date | None = None) -> list[Finding]:
    """All findings for `definition`, sorted by place; `today` decides `review-overdue`."""
    # The graph and findings are many small objects over a large model: the cyclic
    # collector would rescan the whole model on every allocation burst (seconds at 100k steps).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate(definition, today)
    finally:
        if was_enabled:
            gc.enable()


def _validate(definition: Definition, today: dt.date | None) -> list[Finding]:
    tables = FlowTables(definition)  # the steps and edges read once, for every check
    graph = FlowGraph(definition, tables=tables)
    report = Reporter(definition)
    findings = [
        *structure.check(definition, report, tables),
        *flow.check(definition, graph, report),
        *matrix.check(definition, graph, report),
        *people.check(definition, report, today or dt.date.today(), tables),
    ]
    return sorted(_without_echoes(definition, findings, tables), key=Finding.sort_key)


# What a broken step or lane reference makes look wrong elsewhere: the lane it meant seems
# empty, the level it was to reach unreached. Said first (they sort earlier in the file),
# they hid the one finding that names the typo.
_ECHOES = frozenset({"empty-lane", "level-unreached"})


def _without_echoes(
    definition: Definition, findings: list[Finding], tables: FlowTables
) -> list[Finding]:
    """`findings` less the echoes of a step in an unknown lane or an edge to an unknown
    step; `unknown-reference` names those, and fixing it settles the rest."""
    if tables.broken(definition.lanes_by_id):
        return [f for f in findings if f.rule not in _ECHOES]
    return findings
