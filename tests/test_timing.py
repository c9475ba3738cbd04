"""When the flow can first engage a level (`validate.timing`, the one analysis validate,
audit, deck and diff read): timers add up, plain edges are immediate, edges limited to
other severities are not taken, the check compares with the matrix and the resolve target,
and a level above 1 is timer-driven only when a timer of the severity leads there."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from escalation_charts.reading.loader import load_text
from escalation_charts.validate.timing import TimingCheck, timing_analysis

HEAD = """
process: {id: t, name: T}
severities:
  - {id: P1, name: One, resolve: 4h}
  - {id: P2, name: Two, resolve: 8h}
lanes:
  - {id: c, name: Customer}
  - {id: l1, name: L1, level: 1, contacts: [{name: a, email: a@x}]}
  - {id: l2, name: L2, level: 2, contacts: [{name: b, email: b@x}]}
"""


def engagements(steps: str, matrix: str) -> dict[tuple[str, str], object]:
    text = HEAD + textwrap.dedent(steps) + textwrap.dedent(matrix)
    loaded = load_text(text, "t.yaml")
    assert loaded.definition is not None, loaded.findings
    return {
        (e.severity.id, e.lane.id): e for row in timing_analysis(loaded.definition) for e in row
    }


STEPS = """
steps:
  - {id: s, lane: c, type: start, label: S, next: a}
  - id: a
    lane: l1
    label: A
    next:
      - to: b
      - {after: 1h, to: up, severities: [P1]}
  - id: b
    lane: l1
    label: B
    next:
      - to: done
      - {after: 2h30m, to: up}
  - {id: up, lane: l1, type: escalate, label: Up, next: fix}
  - {id: fix, lane: l2, label: Fix, next: done}
  - {id: done, lane: c, type: resolution, label: Done}
"""


def test_timers_add_up_and_plain_edges_cost_nothing() -> None:
    e = engagements(STEPS, "matrix: {P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: 3h}}\n")
    assert e["P1", "l1"].earliest.seconds == 0
    # P1 takes its own 1h timer; P2 only has the 2h30m timer after the plain edge a -> b
    assert e["P1", "l2"].earliest.seconds == 3600
    assert e["P1", "l2"].fastest.steps == ("s", "a", "up", "fix")
    assert e["P1", "l2"].fastest.timers[0][:2] == ("a", "up")
    assert e["P2", "l2"].earliest.seconds == 2 * 3600 + 1800
    assert e["P2", "l2"].fastest.steps == ("s", "a", "b", "up", "fix")
    legs = e["P2", "l2"].fastest.legs
    assert [(step, after.compact() if after else None) for step, after in legs] == [
        ("s", None),
        ("a", None),
        ("b", None),
        ("up", "2h30m"),
        ("fix", None),
    ]
    assert e["P1", "l2"].check is TimingCheck.OK
    assert e["P2", "l2"].check is TimingCheck.OK


@pytest.mark.parametrize(
    ("matrix", "severity", "expected"),
    [
        ("{P1: {l1: 0m, l2: 30m}, P2: {l1: 0m, l2: 3h}}", "P1", TimingCheck.FLOW_LATER),
        ("{P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: 8h}}", "P2", TimingCheck.AT_OR_AFTER_RESOLVE),
        ("{P1: {l1: 0m, l2: none}, P2: {l1: 0m, l2: 3h}}", "P1", TimingCheck.REACHED_BUT_NOT_USED),
        ("{P1: {l1: 0m}, P2: {l1: 0m, l2: 3h}}", "P1", TimingCheck.MATRIX_MISSING),
        ("{P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: 2h30m}}", "P2", TimingCheck.OK),
    ],
    ids=["later-than-matrix", "at-resolve", "reached-but-none", "missing", "equal-is-ok"],
)
def test_the_check_compares_flow_matrix_and_target(
    matrix: str, severity: str, expected: TimingCheck
) -> None:
    e = engagements(STEPS, f"matrix: {matrix}\n")
    assert e[severity, "l2"].check is expected


def test_a_level_no_edge_of_the_severity_reaches_is_never_engaged() -> None:
    steps = STEPS.replace("{after: 2h30m, to: up}", "{after: 2h30m, to: up, severities: [P1]}")
    e = engagements(steps, "matrix: {P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: 3h}}\n")
    assert e["P2", "l2"].earliest is None
    assert e["P2", "l2"].check is TimingCheck.NEVER_REACHED
    e = engagements(steps, "matrix: {P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: none}}\n")
    assert e["P2", "l2"].check is TimingCheck.NOT_USED


def test_loops_and_broken_references_do_not_stop_the_walk() -> None:
    steps = STEPS.replace(
        "next: done}\n  - {id: done", "next: [{to: a}, {to: nowhere}]}\n  - {id: done"
    )
    matrix = "matrix: {P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: 3h}}\n"
    definition = load_text(HEAD + textwrap.dedent(steps) + matrix, "t.yaml").definition
    assert definition is not None  # the broken reference is the validator's business
    rows = timing_analysis(definition)
    assert rows[0][1].earliest.seconds == 3600


def test_a_timer_drives_a_level_only_on_the_way_into_it() -> None:
    # P1's 1h timer at `a` leads up; P2's only timer (b -> up) holds for every severity, so
    # P2 is timer-driven too; limited to P1 it leaves P2 to decisions alone.
    e = engagements(STEPS, "matrix: {P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: 3h}}\n")
    assert e["P1", "l2"].timed.time.compact() == "1h"
    assert e["P1", "l2"].timed.timers == (("a", "up", e["P1", "l2"].timed.time),)
    assert e["P2", "l2"].timed.time.compact() == "2h30m"
    steps = STEPS.replace("{after: 2h30m, to: up}", "{after: 2h30m, to: up, severities: [P1]}")
    steps = steps.replace("      - to: b\n", "      - to: b\n      - {to: up, when: x}\n")
    steps = steps.replace("    label: A\n", "    type: decision\n    label: A\n").replace(
        "      - to: b\n", "      - {to: b, when: y}\n"
    )
    e = engagements(steps, "matrix: {P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: 3h}}\n")
    assert e["P2", "l2"].earliest.seconds == 0  # a decision hands over at once
    assert e["P2", "l2"].timed is None
    assert e["P2", "l2"].check is TimingCheck.UNTIMED
    assert e["P1", "l2"].check is TimingCheck.OK


def test_a_timer_after_the_level_was_engaged_does_not_drive_it() -> None:
    # l2 is reached by a decision only; a timer inside l2 that loops back into l2 must not
    # count as driving its engagement.
    steps = """
steps:
  - {id: s, lane: c, type: start, label: S, next: d}
  - {id: d, lane: l1, type: decision, label: D, next: [{when: up, to: fix}, {when: ok, to: done}]}
  - {id: fix, lane: l2, label: Fix, next: [{to: done}, {after: 1h, to: back}]}
  - {id: back, lane: l1, label: Back, next: fix}
  - {id: done, lane: c, type: resolution, label: Done}
"""
    e = engagements(steps, "matrix: {P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: 3h}}\n")
    assert e["P1", "l2"].timed is None
    assert e["P1", "l2"].check is TimingCheck.UNTIMED


def test_dangling_references_and_repeated_ids_are_tolerated() -> None:
    # `slides --force` and the audit draw broken definitions: the analysis must not fail
    # on an edge, a lane or a matrix cell that points at nothing (the fuzz test's trap).
    steps = """
steps:
  - {id: s, lane: c, type: start, label: S, next: [{to: a}, {to: missing}]}
  - {id: a, lane: nowhere, label: A, next: [{to: fix}, {after: 1h, to: missing}]}
  - {id: a, lane: l1, label: A again, next: done}
  - {id: fix, lane: l2, label: Fix, next: missing}
  - {id: done, lane: c, type: resolution, label: Done}
"""
    text = HEAD + textwrap.dedent(steps) + "matrix: {P1: {l1: 0m, l2: 1h, ghost: 2h}}\n"
    definition = load_text(text, "t.yaml").definition
    assert definition is not None
    rows = timing_analysis(definition)
    by = {(t.severity.id, t.lane.id): t for row in rows for t in row}
    assert by["P1", "l2"].fastest.steps == ("s", "a", "fix")
    assert by["P1", "l2"].fastest.text(definition) == "S -> A -> Fix"
    assert by["P1", "l1"].fastest is None  # the first `a` (in no real lane) wins
    assert by["P2", "l2"].check is TimingCheck.MATRIX_MISSING


def test_a_route_reads_as_labels_with_its_timers() -> None:
    e = engagements(STEPS, "matrix: {P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: 3h}}\n")
    definition = load_text(
        HEAD + textwrap.dedent(STEPS) + "matrix: {P1: {l1: 0m, l2: 1h}, P2: {l1: 0m, l2: 3h}}\n",
        "t.yaml",
    ).definition
    assert e["P2", "l2"].fastest.text(definition) == "S -> A -> B -> [after 2h30m] Up -> Fix"


def test_a_long_fastest_path_is_shortened_in_the_message_but_kept_in_the_json(
    tmp_path: Path,
) -> None:
    """A 60-step walk to a timer-driven level: the one-line message keeps the start, the
    timer with the step it leaves from, and the end; the JSON finding has every step."""
    chain = [f"  - {{id: s{n}, lane: l1, label: Step {n}, next: s{n + 1}}}" for n in range(60)]
    text = "\n".join(
        [
            HEAD,
            "steps:",
            "  - {id: go, lane: c, type: start, label: Go, next: s0}",
            *chain,
            "  - {id: s60, lane: l1, label: Step 60, next: [{to: done}, {after: 1h, to: up}]}",
            "  - {id: up, lane: l2, type: escalate, label: Take it up, next: done}",
            "  - {id: done, lane: c, type: resolution, label: Done}",
            "matrix:",
            "  P1: {l1: 0m, l2: 30m}",
            "  P2: {l1: 0m, l2: 30m}",
        ]
    )
    from click.testing import CliRunner

    from escalation_charts.cli import cli

    source = tmp_path / "long.yaml"
    source.write_text(text, encoding="utf-8")
    shown = CliRunner().invoke(cli, ["validate", str(source)]).output
    as_json = CliRunner().invoke(cli, ["validate", str(source), "--format", "json"]).output
    line = next(x for x in shown.splitlines() if "matrix-flow-timing" in x)
    assert "Go -> Step 0 -> ... 59 more steps ... -> Step 60 -> [after 1h] Take it up" in line
    assert len(line) < 400
    example = next(x for x in shown.splitlines() if "example path" in x)
    assert "more ..." in example and example.endswith("-> up")
    import json

    findings = json.loads(as_json)["files"][0]["findings"]
    timing = next(f for f in findings if f["rule"] == "matrix-flow-timing")
    assert len(timing["path"]) == 63
