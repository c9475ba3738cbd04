"""The audit's JSON report says what the definition implies: grid, coverage, timing,
soundness, review and findings, on every example and on broken definitions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from escalation_charts.reading.loader import load

from .conftest import DATA, EXAMPLES

BROKEN = DATA / "audit" / "broken.yaml"


def audit_json(run, path: Path, tmp_path: Path) -> tuple[int, dict]:
    result = run("audit", str(path), "-f", "json", "-o", str(tmp_path))
    (written,) = tmp_path.glob("*-audit.json")
    return result.exit_code, json.loads(written.read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_passes_with_a_complete_grid(run, tmp_path: Path, example: Path) -> None:
    code, report = audit_json(run, example, tmp_path)
    definition = load(example).definition
    assert code == 0
    assert report["verdict"]["result"] == "pass"
    assert report["findings"] == []
    grid = report["matrix"]
    assert grid["complete"] is True
    assert [row["severity"] for row in grid["rows"]] == [s.id for s in definition.severities]
    for row in grid["rows"]:
        for cell in row["cells"]:
            engage = definition.cell(row["severity"], cell["lane"]).engage
            assert cell["status"] == ("not-used" if engage is None else "set")
            assert cell["issues"] == []
    assert all(s["sound"] for s in report["soundness"])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_timing_is_kept_and_enforced_by_timers(run, tmp_path: Path, example: Path) -> None:
    # The shipped examples give every level above 1 a timer per severity that uses it, at
    # the matrix's time: the flow can keep every time, and something enforces it.
    code, report = audit_json(run, example, tmp_path)
    assert code == 0 and report["verdict"]["result"] == "pass"
    for row in report["engagement"]:
        for e in row["levels"]:
            assert e["meets_matrix"], (row["severity"], e)
            assert e["check"] in ("ok", "not-used")
            if e["level"] > 1 and e["matrix"] not in ("none", "0m"):
                driven = e["timer_driven"]
                assert driven is not None and driven["timers"], (row["severity"], e["lane"])
                assert driven["route"].split(" -> ")[0] == e["route"].split(" -> ")[0]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_contact_coverage_lists_every_contact_of_every_level(
    run, tmp_path: Path, example: Path
) -> None:
    _, report = audit_json(run, example, tmp_path)
    definition = load(example).definition
    assert [c["lane"] for c in report["contacts"]] == [x.id for x in definition.leveled_lanes]
    for entry, lane in zip(report["contacts"], definition.leveled_lanes, strict=True):
        for role in ("primary", "backup"):
            expected = [(c.name, c.phone, c.email) for c in lane.contacts if c.role == role]
            assert [(c["name"], c["phone"], c["email"]) for c in entry[role]] == expected
        assert entry["status"] == "ok"


def test_four_level_timing_follows_the_timer_edges(run, tmp_path: Path) -> None:
    _, report = audit_json(
        run, DATA.parent.parent / "examples" / "four-level-matrix.yaml", tmp_path
    )
    table = {
        row["severity"]: {
            e["lane"]: (e["earliest"], e["matrix"], e["check"]) for e in row["levels"]
        }
        for row in report["engagement"]
    }
    # the vendor is reached only through the 1h timer at mgmt-review (Sev 1/2 only)
    assert table["sev1"]["vendor"] == ("1h", "2h", "ok")
    assert table["sev2"]["vendor"] == ("1h", "6h", "ok")
    assert table["sev3"]["vendor"] == (None, "none", "not-used")
    assert table["sev4"]["management"] == (None, "none", "not-used")
    vendor = report["engagement"][0]["levels"][3]
    assert vendor["timers"] == [{"from": "mgmt-review", "to": "esc-vendor", "after": "1h"}]
    assert vendor["path"][0] == "submit" and vendor["path"][-1] == "vendor-fix"


def test_broken_definition_report(run, tmp_path: Path) -> None:
    code, report = audit_json(run, BROKEN, tmp_path)
    assert code == 1
    assert report["verdict"] == {
        "result": "fail",
        "errors": 9,
        "warnings": 4,
        "readable": True,
        "summary": "FAIL (9 errors, 4 warnings)",
    }
    statuses = {
        row["severity"]: [(c["engage"], c["status"]) for c in row["cells"]]
        for row in report["matrix"]["rows"]
    }
    assert statuses == {
        "P1": [("0m", "set"), ("30m", "set"), ("4h", "after-sla")],
        "P2": [("2h", "set"), ("1h", "out-of-order"), (None, "not-used")],
        "P3": [("0m", "set"), (None, "missing"), (None, "missing")],
    }
    assert report["matrix"]["complete"] is False
    assert {c["lane"]: c["status"] for c in report["contacts"]} == {
        "desk": "no-backup",
        "experts": "no-reachable-primary",
        "vendor": "no-primary",
    }
    assert [
        (s["severity"], s["sound"], [f["rule"] for f in s["findings"]]) for s in report["soundness"]
    ] == [
        ("P1", True, []),
        ("P2", False, ["dead-end"]),
        ("P3", False, ["dead-end"]),
    ]
    checks = {
        row["severity"]: {e["lane"]: (e["earliest"], e["check"]) for e in row["levels"]}
        for row in report["engagement"]
    }
    assert checks == {
        "P1": {
            "desk": ("0m", "ok"),
            "experts": ("2h", "flow-later-than-matrix"),
            "vendor": ("1h", "at-or-after-resolve"),
        },
        "P2": {
            "desk": ("0m", "ok"),
            "experts": (None, "never-reached"),
            "vendor": (None, "not-used"),
        },
        "P3": {
            "desk": ("0m", "ok"),
            "experts": (None, "matrix-missing"),
            "vendor": (None, "matrix-missing"),
        },
    }
    # The timing table and the findings say the same: each late cell is a finding.
    timing_rows = {
        (row["severity"], e["lane"])
        for row in report["engagement"]
        for e in row["levels"]
        if e["rule"] in ("matrix-flow-timing", "matrix-untimed")
    }
    timing_findings = {
        (f["applies_to"], f["timing"]["lane"])
        for f in report["findings"]
        if f["rule"] in ("matrix-flow-timing", "matrix-untimed")
    }
    assert timing_rows == timing_findings == {("P1", "experts"), ("P2", "experts")}
    assert report["review"]["state"] == "overdue"
    assert report["review"]["next_due"] == "2025-07-09"
    assert report["review"]["days_left"] == -502
    assert sorted({f["rule"] for f in report["findings"]}) == [
        "dead-end",
        "matrix-after-sla",
        "matrix-flow-timing",
        "matrix-missing",
        "matrix-order",
        "matrix-severity-order",
        "no-backup",
        "no-contact",
        "review-overdue",
    ]


def test_grid_statuses_agree_with_the_validator(run, tmp_path: Path) -> None:
    """Each problem cell has the finding of its rule on its own line, and no more."""
    _, report = audit_json(run, BROKEN, tmp_path)
    definition = load(BROKEN).definition
    rule_of = {"after-sla": "matrix-after-sla", "out-of-order": "matrix-order"}
    found = {(f["rule"], f["line"]) for f in report["findings"]}
    expected = set()
    for row in report["matrix"]["rows"]:
        for cell in row["cells"]:
            for issue in cell["issues"]:
                if issue in rule_of:
                    pos = definition.cell(row["severity"], cell["lane"]).pos
                    expected.add((rule_of[issue], pos.line))
    assert expected == {(r, line) for r, line in found if r in rule_of.values()}
    missing_rows = {
        row["severity"]
        for row in report["matrix"]["rows"]
        if any(c["status"] == "missing" for c in row["cells"])
    }
    assert missing_rows == {"P3"}
    assert sum(f["rule"] == "matrix-missing" for f in report["findings"]) == 1


def test_an_unreadable_file_still_gets_a_report(run, tmp_path: Path, write_yaml) -> None:
    path = write_yaml("process: {id: x, name: X}\nsevertiies: []\n", name="typo.yaml")
    out = tmp_path / "out"
    result = run("audit", str(path), "-o", str(out))
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "typo-audit.html",
        "typo-audit.json",
        "typo-audit.md",
    ]
    report = json.loads((out / "typo-audit.json").read_text(encoding="utf-8"))
    assert report["verdict"]["readable"] is False
    assert report["process"] is None and report["matrix"] is None
    assert "unknown-field" in {f["rule"] for f in report["findings"]}
    html = (out / "typo-audit.html").read_text(encoding="utf-8")
    assert "unknown-field" in html and "could not be read as a definition" in html


def test_audit_prints_the_findings_and_the_verdict(run, tmp_path: Path) -> None:
    result = run("audit", str(BROKEN), "-f", "json", "-o", str(tmp_path))
    assert "error dead-end:" in result.stderr
    assert result.stderr.rstrip().endswith(f"{BROKEN}: FAIL (9 errors, 4 warnings)")


def test_a_missing_file_or_unknown_format_is_a_usage_error(run, tmp_path: Path) -> None:
    assert run("audit", str(tmp_path / "nope.yaml"), "-o", str(tmp_path)).exit_code == 2
    result = run("audit", str(EXAMPLES[0]), "-f", "pdf", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "choose from html, md, json" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_review_without_schedule_is_reported_not_guessed(run, tmp_path, write_yaml) -> None:
    text = BROKEN.read_text(encoding="utf-8").replace("  review_every: 180d\n", "")
    _, report = audit_json(run, write_yaml(text), tmp_path)
    assert report["review"]["state"] == "not-recorded"
    assert report["review"]["next_due"] is None
    assert report["review"]["summary"] == "no review schedule: the definition has no 'review_every'"


def test_strict_fails_on_warnings_and_still_writes(run, tmp_path: Path, write_yaml) -> None:
    example = next(e for e in EXAMPLES if e.stem == "customer-service")
    text = re.sub(r'reviewed: "?2026-08-17"?', "reviewed: 2024-01-01", example.read_text("utf-8"))
    assert "reviewed: 2024-01-01" in text  # the example's review date, quoted or not
    path = write_yaml(text)
    assert run("audit", str(path), "-f", "json", "-o", str(tmp_path / "a")).exit_code == 0
    result = run("audit", str(path), "--strict", "-f", "json", "-o", str(tmp_path / "b"))
    assert result.exit_code == 1
    report = json.loads(next((tmp_path / "b").glob("*.json")).read_text(encoding="utf-8"))
    assert report["verdict"]["result"] == "pass-with-warnings"


def test_a_process_without_levels_gets_a_report(run, tmp_path: Path, write_yaml) -> None:
    path = write_yaml("""
        process: {id: tiny, name: Tiny}
        severities: [{id: P1, name: One}]
        lanes: [{id: c, name: Customer}]
        steps:
          - {id: s, lane: c, type: start, label: S, next: e}
          - {id: e, lane: c, type: resolution, label: E}
        """)
    code, report = audit_json(run, path, tmp_path)
    assert code == 0
    assert report["matrix"]["levels"] == [] and report["contacts"] == []
    assert report["engagement"] == []
    assert report["soundness"][0]["resolutions_reached"] == ["e"]
    md = run("audit", str(path), "-f", "md,html", "-o", str(tmp_path / "more"))
    assert md.exit_code == 0
