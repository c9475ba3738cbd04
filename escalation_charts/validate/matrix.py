"""Checks on the escalation matrix: complete, in level order, within the SLA, and in
agreement with where the flow can take a ticket."""

from __future__ import annotations

from collections.abc import Iterator

from escalation_charts.findings import Finding, TimingFacts, shown
from escalation_charts.model import Definition, MatrixCell
from escalation_charts.validate._report import Reporter
from escalation_charts.validate._tables import FlowTables
from escalation_charts.validate.graph import FlowGraph
from escalation_charts.validate.timing import LevelTiming, timing_analysis

__all__ = ["check"]


def check(d: Definition, graph: FlowGraph, report: Reporter) -> Iterator[Finding]:
    """unknown-reference and invalid-value in the matrix, matrix-missing, matrix-order,
    matrix-severity-order, matrix-after-sla, matrix-flow-mismatch, matrix-flow-timing and
    matrix-untimed."""
    yield from _keys(d, report)
    yield from _missing(d, report)
    for sev in d.severities:
        row = _row(d, sev.id)
        yield from _order(row, d, report)
        if sev.resolve is not None:
            for lane, cell in row:
                if cell.engage is not None and cell.engage >= sev.resolve:
                    yield report.finding(
                        "matrix-after-sla",
                        f"{sev.id} engages '{lane}' at {cell.engage.compact()}, not before its "
                        f"resolve target of {sev.resolve.compact()}; engage it earlier or "
                        "mark it 'none'",
                        cell.pos,
                    )
    yield from _severity_order(d, report)
    yield from _flow_mismatch(d, graph, report)
    if graph.checkable:  # no start, or an edge to nowhere: its own finding says so
        yield from _flow_timing(d, report, graph.tables)


def _row(d: Definition, sev: str) -> list[tuple[str, MatrixCell]]:
    """The row's cells for leveled lanes, lowest level first."""
    return [(lane.id, c) for lane in d.leveled_lanes if (c := d.cell(sev, lane.id))]


def _keys(d: Definition, report: Reporter) -> Iterator[Finding]:
    lanes, sevs = d.lanes_by_id, d.severities_by_id
    for sev, row in d.matrix.items():
        if sev not in sevs:
            yield report.finding(
                "unknown-reference",
                f"the matrix has a row for severity '{sev}', which is not defined"
                + report.hint(sev, tuple(sevs)),
                d.at(f"matrix.{sev}"),
            )
        for lane, cell in row.items():
            if lane not in lanes:
                yield report.finding(
                    "unknown-reference",
                    f"the matrix row {sev} has a cell for lane '{lane}', which is not defined"
                    + report.hint(lane, tuple(lanes)),
                    cell.at("lane"),
                )
            elif lanes[lane].level is None:
                yield report.finding(
                    "invalid-value",
                    f"lane '{lane}' has no 'level', so it has no place in the matrix; give it "
                    "a level or remove the cell",
                    cell.at("lane"),
                )


def _missing(d: Definition, report: Reporter) -> Iterator[Finding]:
    leveled = d.leveled_lanes
    for sev in d.severities:
        row = d.matrix.get(sev.id)
        if row is None:
            if not leveled:
                continue  # nothing to engage: an empty row would say nothing
            yield report.finding(
                "matrix-missing",
                f"the matrix has no row for severity {sev.id}; add '{sev.id}:' with a time "
                "or 'none' for each level",
                d.at("matrix") if "matrix" in d.spans else sev.at("id"),
            )
            continue
        absent = [lane.id for lane in leveled if lane.id not in row]
        if absent:
            yield report.finding(
                "matrix-missing",
                f"the matrix row {sev.id} has no cell for {_listing(absent)}; give each "
                "leveled lane a time or 'none'",
                d.at(f"matrix.{sev.id}"),
            )


def _order(row: list[tuple[str, MatrixCell]], d: Definition, report: Reporter) -> Iterator[Finding]:
    level_of = {lane.id: lane.level for lane in d.leveled_lanes}
    below: tuple[str, MatrixCell] | None = None  # the latest engagement of a lower level
    current: tuple[str, MatrixCell] | None = None  # ... and of the level being walked
    for n, (lane, cell) in enumerate(row):
        if n and level_of[lane] != level_of[row[n - 1][0]]:
            below = _later(below, current)  # a new level starts: the last one is now below
            current = None
        if cell.engage is None:
            continue
        if below is not None and cell.engage < below[1].engage:  # type: ignore[operator]
            other, earlier = below
            yield report.finding(
                "matrix-order",
                f"{cell.severity} engages level {level_of[lane]} '{lane}' at "
                f"{cell.engage.compact()}, before level {level_of[other]} '{other}' at "
                f"{earlier.engage.compact()}; a higher level comes at the same time or later",  # type: ignore[union-attr]
                cell.pos,
            )
        current = _later(current, (lane, cell))


def _later(
    a: tuple[str, MatrixCell] | None, b: tuple[str, MatrixCell] | None
) -> tuple[str, MatrixCell] | None:
    if a is None or (b is not None and b[1].engage > a[1].engage):  # type: ignore[operator]
        return b
    return a


def _severity_order(d: Definition, report: Reporter) -> Iterator[Finding]:
    for lane in d.leveled_lanes:
        latest: MatrixCell | None = None  # the latest engagement among more severe rows
        for sev in d.severities:
            cell = d.cell(sev.id, lane.id)
            if cell is None or cell.engage is None:
                continue
            if latest is not None and cell.engage < latest.engage:  # type: ignore[operator]
                yield report.finding(
                    "matrix-severity-order",
                    f"{sev.id} engages '{lane.id}' at {cell.engage.compact()}, sooner than the "
                    f"more severe {latest.severity} at {latest.engage.compact()}; check the "  # type: ignore[union-attr]
                    "two rows",
                    cell.pos,
                )
            if latest is None or cell.engage > latest.engage:  # type: ignore[operator]
                latest = cell


def _flow_mismatch(d: Definition, graph: FlowGraph, report: Reporter) -> Iterator[Finding]:
    if not graph.checkable:
        return
    for sev in d.severities:
        unused = {
            lane.id
            for lane in d.leveled_lanes
            if (cell := d.cell(sev.id, lane.id)) is not None and cell.engage is None
        }
        if not unused:
            continue
        a = graph.for_severity(sev.id)
        for i, step in enumerate(graph.steps):
            if step.lane in unused and a.reached(i):
                unused.discard(step.lane)
                cell = d.cell(sev.id, step.lane)
                assert cell is not None
                yield report.finding(
                    "matrix-flow-mismatch",
                    f"a {sev.id} ticket can reach '{step.id}' in lane '{step.lane}', but the "
                    f"matrix says {sev.id} does not use that level ('none'); limit the edge "
                    f"with 'severities:' or give the cell a time",
                    cell.pos,
                    step=step.id,
                    path=a.path_to(i),
                    applies_to=sev.id,
                )


def _flow_timing(d: Definition, report: Reporter, tables: FlowTables) -> Iterator[Finding]:
    """matrix-flow-timing and matrix-untimed, from the one timing analysis."""
    for row in timing_analysis(d, tables=tables):
        for t in row:
            if t.cell is None or t.matrix is None:
                continue  # matrix-missing, or `none` (matrix-flow-mismatch's business)
            if t.late:
                yield _timing_finding(d, report, "matrix-flow-timing", t)
            elif t.needs_timer and t.timed is None and t.matrix.seconds > 0:
                # A level engaged at 0m has nothing to wait for: the decision is the timer.
                yield _timing_finding(d, report, "matrix-untimed", t)


MESSAGE_STEPS = 12  # a longer fastest path is shortened in the message (the JSON has it all)


def _timing_finding(d: Definition, report: Reporter, rule: str, t: LevelTiming) -> Finding:
    sev, lane, matrix = t.severity.id, t.lane, t.matrix
    assert t.cell is not None and matrix is not None and lane.level is not None
    where = f"{sev} engages level {lane.level} '{lane.id}' at {matrix.compact()}"
    # Labels are user text: anything a terminal would act on (a line separator, an escape)
    # is spelt out, as in every other message (`shown` without its quotes).
    route = shown(t.fastest.text(d, most=MESSAGE_STEPS))[1:-1] if t.fastest is not None else ""
    if t.fastest is None:
        message = (
            f"{where}, but no {sev} ticket ever reaches the lane; add an edge that holds for "
            f"{sev}, or mark the cell 'none'"
        )
    elif rule == "matrix-flow-timing":
        message = (
            f"{where}, but the flow's fastest path gets there at {t.fastest.time.compact()}: "
            f"{route}; shorten a timer on it (or add one for {sev}), or correct the cell"
        )
    else:
        message = (
            f"{where}, but no path there takes a timer that holds for {sev}: only a decision "
            f"escalates ({route}); add a timer edge (after: {matrix.compact()}, severities: "
            f"[{sev}]) on the way"
        )
    facts = TimingFacts(
        lane.id,
        lane.level,
        matrix.compact(),
        t.earliest.compact() if t.earliest is not None else None,
        route,
    )
    return report.finding(
        rule,
        message,
        t.cell.pos,
        step=t.fastest.steps[-1] if t.fastest is not None else None,
        path=t.fastest.steps if t.fastest is not None else None,
        applies_to=sev,
        timing=facts,
    )


def _listing(ids: list[str]) -> str:
    quoted = [f"'{i}'" for i in ids]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
