"""`diff`: what changed between two versions of a process, and what it means.

The base definition is small and valid; each test edits one thing in its text and checks
the change a reviewer would read (section, kind, subject, field before and after), the
consequences (findings, earliest engagement, reachability), the report formats, git
revisions and the exit codes of diff(1).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from escalation_charts.diff import compare
from escalation_charts.reading.loader import load_text

BASE = """\
format: 1
process: {id: demo, name: Demo desk, owner: Ops lead, version: "1", reviewed: 2026-06-01,
  review_every: 365d}
severities:
  - {id: P1, name: Critical, respond: 15m, resolve: 4h}
  - {id: P2, name: High, respond: 1h, resolve: 1d}
lanes:
  - id: desk
    name: Service desk
    level: 1
    contacts:
      - {name: Desk queue, role: primary, phone: "+1 555 0100"}
      - {name: Desk lead, role: backup, email: lead@example.com}
  - id: experts
    name: Experts
    level: 2
    contacts:
      - {name: Expert on call, role: primary, phone: "+1 555 0200"}
      - {name: Expert lead, role: backup, phone: "+1 555 0201"}
steps:
  - {id: open, lane: desk, type: start, label: Ticket opened, next: triage}
  - id: triage
    lane: desk
    type: wait
    label: Triage the ticket
    next:
      - to: fixed
      - {after: 30m, to: escalate, severities: [P1, P2]}
  - id: fixed
    lane: desk
    type: decision
    label: Fixed at the desk?
    next:
      - {when: yes, to: done}
      - {when: no, to: triage}
  - {id: escalate, lane: desk, type: escalate, label: Escalate to experts, next: investigate}
  - {id: investigate, lane: experts, label: Investigate the fault, next: done}
  - {id: done, lane: desk, type: resolution, label: Ticket closed}
matrix:
  P1: {desk: 0m, experts: 30m}
  P2: {desk: 0m, experts: 1h}
"""

# The same model written differently: comments, key order, block instead of flow style,
# steps, edges, edge severities and contacts in another order.
REFORMATTED = """\
# The demo desk, rewritten by hand.
format: 1
matrix:
  P2: {experts: 1h, desk: 0m}
  P1:
    experts: 30m   # the expert is engaged by the timer
    desk: 0m
steps:
  - id: done
    label: Ticket closed
    type: resolution
    lane: desk
  - {label: Investigate the fault, lane: experts, id: investigate, next: [{to: done}]}
  - id: fixed
    lane: desk
    type: decision
    label: Fixed at the desk?
    next:
      - {when: no, to: triage}
      - {when: yes, to: done}
  - id: triage
    label: Triage the ticket
    lane: desk
    type: wait
    next:
      - after: 30m
        to: escalate
        severities: [P2, P1]
      - to: fixed
  - {id: open, lane: desk, type: start, label: Ticket opened, next: triage}
  - {id: escalate, lane: desk, type: escalate, label: Escalate to experts, next: investigate}
severities:
  - name: Critical
    id: P1
    resolve: 4h
    respond: 15m
  - {id: P2, name: High, respond: 1h, resolve: 1d}
process:
  name: Demo desk
  id: demo
  version: "1"
  owner: Ops lead
  review_every: 365d
  reviewed: 2026-06-01
lanes:
  - id: desk
    name: Service desk
    level: 1
    contacts:
      - {name: Desk lead, role: backup, email: lead@example.com}
      - {name: Desk queue, role: primary, phone: "+1 555 0100"}
  - id: experts
    level: 2
    name: Experts
    contacts:
      - {role: backup, name: Expert lead, phone: "+1 555 0201"}
      - {name: Expert on call, role: primary, phone: "+1 555 0200"}
"""


def _model(text: str):  # type: ignore[no-untyped-def]
    loaded = load_text(text, "p.yaml")
    assert loaded.definition is not None, loaded.findings
    return loaded.definition


def _diff(new_text: str, old_text: str = BASE):  # type: ignore[no-untyped-def]
    return compare(_model(old_text), _model(new_text), old_name="old", new_name="new")


def _edit(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _rows(text: str) -> list[tuple[str, str, str, tuple[tuple[str, str | None, str | None], ...]]]:
    return [
        (c.section, c.kind, c.subject, tuple((f.field, f.old, f.new) for f in c.fields))
        for c in _diff(text).changes
    ]


def test_the_base_is_valid_so_findings_in_a_diff_come_from_the_edit() -> None:
    from escalation_charts.validate import validate

    assert validate(_model(BASE)) == []


# -- one change of each kind ---------------------------------------------------------------

ONE_CHANGE = [
    pytest.param(
        ("label: Triage the ticket", "label: Triage and classify"),
        (
            "steps",
            "changed",
            "step triage",
            (("label", "Triage the ticket", "Triage and classify"),),
        ),
        id="step-label",
    ),
    pytest.param(
        ("lane: experts, label: Investigate", "lane: experts, type: wait, label: Investigate"),
        ("steps", "changed", "step investigate", (("type", "task", "wait"),)),
        id="step-type",
    ),
    pytest.param(
        ("{id: escalate, lane: desk,", "{id: escalate, lane: experts,"),
        ("steps", "changed", "step escalate", (("lane", "desk", "experts"),)),
        id="step-lane-moved",
    ),
    pytest.param(
        (
            "next: investigate}\n",
            "next: investigate, notify: [desk]}\n",
        ),
        ("steps", "changed", "step escalate", (("notify", "(none)", "desk"),)),
        id="step-notify",
    ),
    pytest.param(
        ("      - {when: yes, to: done}", "      - {when: yes, to: investigate}"),
        ("edges", "changed", "edge fixed -> investigate", (("to", "done", "investigate"),)),
        id="edge-target",
    ),
    pytest.param(
        ("      - {when: yes, to: done}", "      - {when: solved, to: done}"),
        ("edges", "changed", "edge fixed -> done", (("when", "yes", "solved"),)),
        id="edge-when",
    ),
    pytest.param(
        ("{after: 30m, to: escalate", "{after: 2h, to: escalate"),
        ("edges", "changed", "edge triage -> escalate", (("after", "30m", "2h"),)),
        id="edge-after",
    ),
    pytest.param(
        ("severities: [P1, P2]}", "severities: [P1]}"),
        ("edges", "changed", "edge triage -> escalate", (("severities", "P1, P2", "P1"),)),
        id="edge-severities",
    ),
    pytest.param(
        (
            "label: Investigate the fault, next: done}",
            "label: Investigate the fault, next: [{to: done}, {after: 1h, to: done}]}",
        ),
        ("edges", "added", "edge investigate -> done", ()),
        id="edge-added",
    ),
    pytest.param(
        ("    name: Experts\n", "    name: Expert team\n"),
        ("lanes", "changed", "lane experts", (("name", "Experts", "Expert team"),)),
        id="lane-name",
    ),
    pytest.param(
        (
            "    name: Experts\n    level: 2\n",
            "    name: Experts\n    level: 2\n    external: true\n",
        ),
        ("lanes", "changed", "lane experts", (("external", "no", "yes"),)),
        id="lane-external",
    ),
    pytest.param(
        ("{name: Desk lead, role: backup,", "{name: Desk lead, role: primary,"),
        ("contacts", "changed", "lane desk contact", (("role", "backup", "primary"),)),
        id="contact-primary-backup",
    ),
    pytest.param(
        (
            '{name: Expert on call, role: primary, phone: "+1 555 0200"}',
            '{name: Expert on call, role: primary, phone: "+1 555 0299", hours: 24/7}',
        ),
        (
            "contacts",
            "changed",
            "lane experts contact",
            (("phone", "+1 555 0200", "+1 555 0299"), ("hours", None, "24/7")),
        ),
        id="contact-channels",
    ),
    pytest.param(
        ('      - {name: Expert lead, role: backup, phone: "+1 555 0201"}\n', ""),
        ("contacts", "removed", "lane experts contact", ()),
        id="contact-removed",
    ),
    pytest.param(
        (
            "{id: P2, name: High, respond: 1h, resolve: 1d}",
            "{id: P2, name: High, respond: 1h, resolve: 2d}",
        ),
        ("severities", "changed", "severity P2", (("resolve", "1d", "2d"),)),
        id="severity-target",
    ),
    pytest.param(
        ("  P2: {desk: 0m, experts: 1h}", "  P2: {desk: 0m, experts: 2h}"),
        ("matrix", "changed", "cell P2 x experts", (("engage", "1h", "2h"),)),
        id="matrix-cell",
    ),
    pytest.param(
        ('owner: Ops lead, version: "1"', 'owner: Ops manager, version: "1"'),
        ("process", "changed", "process", (("owner", "Ops lead", "Ops manager"),)),
        id="process-owner",
    ),
    pytest.param(
        ('version: "1", reviewed: 2026-06-01', 'version: "2", reviewed: 2026-11-01'),
        (
            "process",
            "changed",
            "process",
            (("version", "1", "2"), ("reviewed", "2026-06-01", "2026-11-01")),
        ),
        id="process-version-and-review",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), ONE_CHANGE)
def test_one_edit_is_one_change_named_with_its_field_before_and_after(
    edit: tuple[str, str], expected: tuple[object, ...]
) -> None:
    assert _rows(_edit(*edit)) == [expected]


def test_a_dropped_edge_is_removed() -> None:
    two = _edit(
        "label: Investigate the fault, next: done}",
        "label: Investigate the fault, next: [{to: done}, {after: 1h, to: done}]}",
    )
    back = compare(_model(two), _model(BASE))
    assert [(c.section, c.kind, c.subject, c.label) for c in back.changes] == [
        ("edges", "removed", "edge investigate -> done", "after 1h")
    ]


def test_a_new_step_is_added_and_a_dropped_one_removed() -> None:
    added = _edit(
        "next: investigate}\n  - {id: investigate",
        "next: check}\n"
        "  - {id: check, lane: experts, label: Check the logs first, next: investigate}\n"
        "  - {id: investigate",
    )
    rows = _rows(added)
    assert (
        "steps",
        "added",
        "step check",
        (("type", None, "task"), ("lane", None, "experts")),
    ) in rows
    assert ("edges", "changed", "edge escalate -> check", (("to", "investigate", "check"),)) in rows
    back = compare(_model(added), _model(BASE))
    assert [(c.section, c.kind, c.subject) for c in back.changes if c.section == "steps"] == [
        ("steps", "removed", "step check")
    ]


def test_a_new_lane_and_level_and_a_new_severity_are_added() -> None:
    text = _edit(
        "steps:\n",
        "  - id: vendor\n    name: Vendor\n    level: 3\n    external: true\nsteps:\n",
    )
    text = _edit(
        "  - {id: P2, name: High,",
        "  - {id: P3, name: Low, respond: 1d, resolve: 5d}\n  - {id: P2, name: High,",
        text,
    )
    rows = [(s, k, subj) for s, k, subj, _ in _rows(text)]
    assert rows == [("severities", "added", "severity P3"), ("lanes", "added", "lane vendor")]


def test_severities_in_another_order_are_reordered_most_severe_first_matters() -> None:
    swapped = _edit(
        "  - {id: P1, name: Critical, respond: 15m, resolve: 4h}\n"
        "  - {id: P2, name: High, respond: 1h, resolve: 1d}\n",
        "  - {id: P2, name: High, respond: 1h, resolve: 1d}\n"
        "  - {id: P1, name: Critical, respond: 15m, resolve: 4h}\n",
    )
    assert _rows(swapped)[0] == (
        "severities",
        "reordered",
        "severities",
        (("order", "P1, P2", "P2, P1"),),
    )


# -- renames, and no change for the same model ----------------------------------------------


def test_a_renamed_step_id_is_a_rename_not_a_removal_and_an_addition() -> None:
    renamed = BASE.replace("id: escalate,", "id: hand-over,").replace(
        "to: escalate,", "to: hand-over,"
    )
    diff = _diff(renamed)
    assert [(c.kind, c.subject, c.old_subject) for c in diff.changes] == [
        ("renamed", "step hand-over", "step escalate")
    ]
    # the edge into the renamed step is the same edge: nothing about edges is reported
    assert diff.timing == () and diff.reachability == ()


def test_a_renamed_lane_keeps_its_steps_matrix_and_contacts() -> None:
    renamed = BASE.replace("id: experts", "id: tier2").replace("lane: experts", "lane: tier2")
    renamed = renamed.replace("experts: 30m", "tier2: 30m").replace("experts: 1h", "tier2: 1h")
    assert [(c.kind, c.subject) for c in _diff(renamed).changes] == [("renamed", "lane tier2")]


def test_a_reformatted_file_has_no_change(run: Callable[..., Result], tmp_path: Path) -> None:
    assert not _diff(REFORMATTED).changed
    (tmp_path / "a.yaml").write_text(BASE)
    (tmp_path / "b.yaml").write_text(REFORMATTED)
    result = run("diff", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"))
    assert result.exit_code == 0
    assert "no change" in result.stdout


# -- consequences ------------------------------------------------------------------------------


def test_a_timer_change_shows_the_earliest_engagement_before_and_after() -> None:
    diff = _diff(_edit("{after: 30m, to: escalate", "{after: 2h, to: escalate"))
    moved = [(t.severity, t.lane, t.before, t.after, t.shift) for t in diff.timing]
    assert moved == [
        ("P1", "experts", "30m", "2h", "later"),
        ("P2", "experts", "30m", "2h", "later"),
    ]
    p1 = diff.timing[0]
    assert (p1.check_before, p1.check_after) == ("ok", "flow-later-than-matrix")
    from escalation_charts.diff.report import diff_text

    assert "earliest 30m -> 2h (later; matrix 30m)" in diff_text(diff)


def test_a_step_no_longer_reachable_for_a_severity_is_named_with_it() -> None:
    diff = _diff(_edit("severities: [P1, P2]}", "severities: [P1]}"))
    lost = [(r.step, r.severities, r.reachable) for r in diff.reachability]
    assert lost == [("escalate", ("P2",), False), ("investigate", ("P2",), False)]
    from escalation_charts.diff.report import diff_text

    text = diff_text(diff)
    assert "step investigate 'Investigate the fault' unreachable for P2 since this change" in text
    timing = [(t.severity, t.before, t.after, t.shift) for t in diff.timing]
    assert timing == [("P2", "30m", None, "now never")]


def test_findings_that_appear_and_disappear_are_listed() -> None:
    broken = _edit("      - {when: yes, to: done}", "      - {when: yes, to: triage}")
    diff = _diff(broken)
    assert diff.appeared == () or all(f.rule for f in diff.appeared)
    removed_backup = _edit('      - {name: Expert lead, role: backup, phone: "+1 555 0201"}\n', "")
    diff = _diff(removed_backup)
    assert [f.rule for f in diff.appeared] == ["no-backup"]
    assert [f.rule for f in compare(_model(removed_backup), _model(BASE)).disappeared] == [
        "no-backup"
    ]


# -- reports -----------------------------------------------------------------------------------


def _files(tmp_path: Path, new_text: str) -> tuple[str, str]:
    (tmp_path / "old.yaml").write_text(BASE)
    (tmp_path / "new.yaml").write_text(new_text)
    return str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")


def test_markdown_has_a_heading_per_section_and_a_timing_table(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    new = _edit("{after: 30m, to: escalate", "{after: 2h, to: escalate")
    new = _edit("label: Triage the ticket", "label: Triage <b>now</b> [x](http://e.vil)", new)
    result = run("diff", *_files(tmp_path, new), "--format", "md")
    assert result.exit_code == 1
    md = result.stdout
    assert md.startswith("### Changes to Demo desk\n")
    assert "#### Steps\n\n- **changed** step `triage`" in md
    assert "#### Edges\n\n- **changed** edge `triage` → `escalate`" in md
    assert "| Severity | Level | Before | After | Change | Matrix | Check |" in md
    assert (
        "| `P1` Critical | 2 Experts | 30m | 2h | later | 30m | ok → flow-later-than-matrix |" in md
    )
    # a label is text: escaped in prose, literal inside a code span; no HTML, no link
    assert "(Triage &lt;b&gt;now&lt;/b&gt; \\[x\\](http://e.vil))" in md
    assert md.count("<b>") == 1 and "→ `Triage <b>now</b> [x](http://e.vil)`" in md


def test_json_lists_changes_and_consequences(run: Callable[..., Result], tmp_path: Path) -> None:
    new = _edit("{after: 30m, to: escalate", "{after: 2h, to: escalate")
    result = run("diff", *_files(tmp_path, new), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {
        "old",
        "new",
        "changed",
        "summary",
        "changes",
        "findings",
        "timing",
        "reachability",
    }
    assert data["changed"] is True
    assert data["changes"] == [
        {
            "section": "edges",
            "kind": "changed",
            "subject": "edge triage -> escalate",
            "label": "after 2h; for P1, P2",
            "fields": [{"field": "after", "old": "30m", "new": "2h"}],
        }
    ]
    assert data["timing"][0] == {
        "severity": "P1",
        "lane": "experts",
        "level": 2,
        "before": "30m",
        "after": "2h",
        "shift": "later",
        "check_before": "ok",
        "check_after": "flow-later-than-matrix",
        "matrix": "30m",
    }
    # The flow can no longer keep the matrix's 30m: validate says so, and diff with it.
    appeared = data["findings"]["appeared"]
    assert [(f["rule"], f["applies_to"], f["timing"]["earliest"]) for f in appeared] == [
        ("matrix-flow-timing", "P1", "2h"),
        ("matrix-flow-timing", "P2", "2h"),
    ]
    assert data["findings"]["disappeared"] == []


def test_text_groups_changes_under_section_titles(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    new = _edit('version: "1"', 'version: "2"')
    new = _edit("  P2: {desk: 0m, experts: 1h}", "  P2: {desk: 0m, experts: 2h}", new)
    result = run("diff", *_files(tmp_path, new))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith("new.yaml: 2 changes")
    assert lines[1:] == [
        "",
        "Process",
        "  ~ changed process 'Demo desk': version '1' -> '2'",
        "",
        "Matrix",
        "  ~ changed cell P2 x experts: engage '1h' -> '2h'",
    ]


def test_quiet_prints_nothing_and_keeps_the_exit_code(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    result = run("diff", "-q", *_files(tmp_path, _edit('version: "1"', 'version: "2"')))
    assert (result.exit_code, result.stdout) == (1, "")
    result = run("diff", "--quiet", *_files(tmp_path, BASE))
    assert (result.exit_code, result.stdout) == (0, "")


# -- trouble: exit 2 ---------------------------------------------------------------------------


def test_a_side_that_does_not_load_is_exit_2_with_file_line_col(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    old, new = _files(tmp_path, BASE.replace("  - id: experts\n", "  - id: experts\n   bad: [\n"))
    result = run("diff", old, new)
    assert result.exit_code == 2
    assert f"{new}:" in result.stderr and "syntax" in result.stderr
    line = result.stderr.splitlines()[0]
    assert line.split(":")[1].isdigit() and line.split(":")[2].isdigit()


def test_a_missing_file_is_exit_2(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("diff", str(tmp_path / "nope.yaml"), str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_a_bad_chart_name_is_exit_2(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("diff", *_files(tmp_path, BASE), "--chart", str(tmp_path / "c.jpg"))
    assert result.exit_code == 2
    assert ".svg, .png or .pdf" in result.stderr


# -- git revisions -------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_against_the_previous_commit(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "p.yaml").write_text(BASE)
    _git(repo, "add", "p.yaml")
    _git(repo, "commit", "-qm", "first")
    (repo / "p.yaml").write_text(_edit("{after: 30m, to: escalate", "{after: 2h, to: escalate"))
    _git(repo, "commit", "-qam", "slower timer")
    monkeypatch.chdir(repo)
    result = run("diff", "HEAD~1:p.yaml", "p.yaml")
    assert result.exit_code == 1, result.stderr
    assert result.stdout.startswith("HEAD~1:p.yaml -> p.yaml: 1 change;")
    assert "after '30m' -> '2h'" in result.stdout
    # from another directory, the path is relative to where the command runs
    monkeypatch.chdir(tmp_path)
    assert run("diff", "HEAD~1:repo/p.yaml", "HEAD:repo/p.yaml", "-q").exit_code == 1
    assert run("diff", "HEAD:repo/p.yaml", "repo/p.yaml", "-q").exit_code == 0
    bad = run("diff", "HEAD~7:repo/p.yaml", "repo/p.yaml")
    assert bad.exit_code == 2
    assert bad.stderr.startswith(
        "escalation-charts: error: HEAD~7:repo/p.yaml: cannot read from git:"
    )
    assert "Traceback" not in bad.stderr


# -- the change chart ------------------------------------------------------------------------------


def test_the_change_chart_marks_added_changed_and_removed_and_says_so(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    new = _edit(
        "next: investigate}\n  - {id: investigate",
        "next: check}\n"
        "  - {id: check, lane: experts, label: Check the logs first, next: investigate}\n"
        "  - {id: investigate",
    )
    new = _edit("label: Triage the ticket", "label: Triage and classify", new)
    new = _edit("      - {when: no, to: triage}\n", "      - {when: no, to: fixed-later}\n", new)
    new = _edit(
        "  - {id: done,",
        "  - {id: fixed-later, lane: desk, label: Fix later, next: done}\n  - {id: done,",
        new,
    )
    old_text = _edit(
        "  - {id: done,",
        "  - {id: spare, lane: experts, label: Spare step, next: done}\n  - {id: done,",
    )
    old_text = _edit(
        "label: Investigate the fault, next: done}",
        "label: Investigate the fault, next: [{to: done}, {after: 1h, to: done}]}",
        old_text,
    )
    (tmp_path / "old.yaml").write_text(old_text)
    (tmp_path / "new.yaml").write_text(new)
    chart = tmp_path / "changes.svg"
    result = run(
        "diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"), "--chart", str(chart)
    )
    assert result.exit_code == 1
    assert f"wrote {chart}" in result.stderr  # stdout is the report alone
    svg = chart.read_text()
    from escalation_charts.render.themes import DEFAULT

    def group(element_id: str) -> str:
        start = svg.index(f'id="{element_id}"')
        return svg[start : svg.index("</g>", start)]

    assert DEFAULT.added in group("mark-check") and DEFAULT.added_halo in group("mark-check")
    assert DEFAULT.changed in group("mark-triage")
    assert DEFAULT.removed in group("mark-spare")  # removed, still drawn where it was
    assert DEFAULT.removed in group("step-spare")  # ghosted: red dashed border and text
    assert DEFAULT.changed in group("edge-fixed-1")  # the `no` branch has a new target
    assert DEFAULT.removed in group("edge-investigate-1")  # the removed timer, put back
    assert "Added in this change" in svg and "Removed (ghosted where it was)" in svg
    assert 'id="mark-open"' not in svg  # unchanged steps are drawn as usual


def test_the_change_chart_png_is_written(run: Callable[..., Result], tmp_path: Path) -> None:
    chart = tmp_path / "c.png"
    result = run(
        "diff", *_files(tmp_path, _edit('version: "1"', 'version: "2"')), "--chart", str(chart)
    )
    assert result.exit_code == 1
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
