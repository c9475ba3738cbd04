"""Issue 15's case end to end: a utility's outage process whose matrix engages the S1
"Danger to life" Duty Manager at 30m, while the flow gets there only after a 1h timer.

validate, the audit (JSON, Markdown, exit code, --strict) and the deck (validation slide,
walkthrough, lane slide) must all say the same thing, read from the output files; with
the timer at 30m everything passes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import DATA
from .test_slides_support import read_deck

OUTAGE = DATA / "timing" / "utility-outage.yaml"
MATRIX_LINE = 48  # `  S1: {control: 0m, duty: 30m}`
MATRIX_COLUMN = 27  # the 30m


def _kept(tmp_path: Path) -> Path:
    """The same process with the S1 timer at the matrix's 30m."""
    text = OUTAGE.read_text("utf-8").replace(
        "{after: 1h, to: call-duty", "{after: 30m, to: call-duty"
    )
    assert text != OUTAGE.read_text("utf-8")
    path = tmp_path / "kept.yaml"
    path.write_text(text, "utf-8")
    return path


def _slide_texts(deck: Path) -> list[tuple[str, str]]:
    """(title, all text) of every slide, from the saved deck itself."""
    out = []
    for slide in read_deck(deck.read_bytes()).slides:
        title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        text = " ".join(
            " ".join(p.text for p in shape.text_frame.paragraphs)
            for shape in slide.shapes
            if shape.has_text_frame
        )
        out.append((title, " ".join(text.split())))
    return out


def test_validate_reports_the_gap_at_the_matrix_cell(run: Callable[..., Result]) -> None:
    result = run("validate", "--format", "json", str(OUTAGE))
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["files"][0]["findings"]
    assert finding["rule"] == "matrix-flow-timing" and finding["severity"] == "error"
    assert (finding["line"], finding["column"]) == (MATRIX_LINE, MATRIX_COLUMN)
    assert finding["applies_to"] == "S1"
    assert finding["path"] == ["report", "log", "dispatch", "call-duty", "take-command"]
    assert finding["timing"] == {
        "lane": "duty",
        "level": 2,
        "matrix": "30m",
        "earliest": "1h",
        "route": "Report an outage -> Log the fault and set severity -> Dispatch a field crew"
        " -> [after 1h] Call the duty manager -> Take command of the incident",
    }


def test_the_audit_fails_and_its_table_says_why(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("audit", str(OUTAGE), "-f", "json,md", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.rstrip().endswith("FAIL (1 error, 0 warnings)")
    report = json.loads((tmp_path / "utility-outage-audit.json").read_text("utf-8"))
    assert report["verdict"]["result"] == "fail"
    duty = report["engagement"][0]["levels"][1]
    assert (duty["lane"], duty["matrix"], duty["earliest"]) == ("duty", "30m", "1h")
    assert (duty["check"], duty["rule"], duty["meets_matrix"]) == (
        "flow-later-than-matrix",
        "matrix-flow-timing",
        False,
    )
    assert duty["timer_driven"]["timers"] == [
        {"from": "dispatch", "to": "call-duty", "after": "1h"}
    ]
    md = (tmp_path / "utility-outage-audit.md").read_text("utf-8")
    assert "**FAIL (1 error, 0 warnings)**" in md
    row = next(line for line in md.splitlines() if line.startswith("| Level 2<br>Duty Manager"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:4] == [
        "30m",
        "1h",
        "after 1h: Dispatch a field crew → Call the duty manager"
        " (arrives at 1h, after the matrix's 30m)",
    ]
    assert "the flow cannot engage it by the matrix time" in cells[4]


def test_with_the_timer_at_30m_the_audit_passes(run: Callable[..., Result], tmp_path: Path) -> None:
    kept = _kept(tmp_path)
    assert run("validate", "--strict", str(kept)).exit_code == 0
    result = run("audit", "--strict", str(kept), "-f", "json", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "utility-outage-audit.json").read_text("utf-8"))
    assert report["verdict"]["summary"] == "PASS: the process is sound and the matrix complete"
    assert report["findings"] == []
    duty = report["engagement"][0]["levels"][1]
    assert (duty["earliest"], duty["check"], duty["timer_driven"]["time"]) == ("30m", "ok", "30m")


def test_a_decision_only_escalation_passes_with_a_warning_and_fails_strict(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    # No S1 timer at all, but a decision that hands over: the flow can keep 30m (at once),
    # nothing enforces it. The verdict counts the warning; --strict fails on it.
    text = OUTAGE.read_text("utf-8")
    text = text.replace(
        "      - to: restored\n      - {after: 1h, to: call-duty, severities: [S1]}\n",
        "      - to: on-site\n",
    ).replace(
        "  - {id: restored,",
        "  - id: on-site\n    lane: control\n    type: decision\n    label: Danger on site?\n"
        "    next: [{when: yes, to: call-duty}, {when: no, to: restored}]\n"
        "  - {id: restored,",
    )
    path = tmp_path / "untimed.yaml"
    path.write_text(text, "utf-8")
    out = tmp_path / "out"
    result = run("audit", str(path), "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    report = json.loads((out / "utility-outage-audit.json").read_text("utf-8"))
    assert report["verdict"]["summary"] == "PASS with 1 warning"
    (finding,) = report["findings"]
    assert (finding["rule"], finding["applies_to"]) == ("matrix-untimed", "S1")
    assert report["engagement"][0]["levels"][1]["check"] == "untimed"
    assert run("audit", "--strict", str(path), "-f", "json", "-o", str(out)).exit_code == 1


@pytest.mark.parametrize("kept", [False, True], ids=["1h-timer", "30m-timer"])
def test_the_deck_says_what_the_audit_says(
    run: Callable[..., Result], tmp_path: Path, kept: bool
) -> None:
    source = _kept(tmp_path) if kept else OUTAGE
    deck = tmp_path / "deck.pptx"
    result = run("slides", str(source), "-o", str(deck), "--force")
    assert result.exit_code == 0, result.stderr
    slides = _slide_texts(deck)
    validation = " ".join(t for title, t in slides if title.startswith("Is the process sound?"))
    walk = " ".join(
        t for title, t in slides if title.startswith("Walkthrough") and "Danger" in title
    )
    assert walk, [title for title, _ in slides]
    if kept:
        assert "Sound: every path ends in a resolution" in validation
        assert "matrix-flow-timing" not in validation
        assert "Passed: The flow keeps the matrix's times, and timers enforce them" in validation
        assert "Duty Manager from 30m" in walk
        assert "needs" not in walk
    else:
        assert "Do not teach this version: 1 error found." in validation
        assert "Fails: The flow keeps the matrix's times, and timers enforce them (1 error)" in (
            validation
        )
        assert "error matrix-flow-timing: S1 engages level 2 'duty' at 30m" in validation
        assert f"(line {MATRIX_LINE}, severity S1)" in validation
        # the walkthrough's timeline and path say the flow needs 1h, never "from 30m"
        assert "matrix 30m, but the flow needs 1h" in walk
        assert "from 30m" not in walk
    # the speaker notes tell the trainer the same
    notes = {
        s.shapes.title.text_frame.text: s.notes_slide.notes_text_frame.text
        for s in read_deck(deck.read_bytes()).slides
        if s.shapes.title is not None
    }
    said = [
        notes["Walkthrough: S1 Danger to life"].count("cannot bring it to Duty Manager before 1h"),
        notes["Level 2: Duty Manager"].count("cannot bring S1 tickets to them before 1h"),
    ]
    assert said == ([0, 0] if kept else [1, 1])


def test_sarif_carries_the_cell_the_figures_and_the_walk(run: Callable[..., Result]) -> None:
    result = run("validate", "--format", "sarif", str(OUTAGE))
    (res,) = json.loads(result.stdout)["runs"][0]["results"]
    assert (res["ruleId"], res["level"]) == ("matrix-flow-timing", "error")
    region = res["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (MATRIX_LINE, MATRIX_COLUMN)
    props = res["properties"]
    assert props["appliesTo"] == "S1"
    assert (props["timing"]["matrix"], props["timing"]["earliest"]) == ("30m", "1h")
    flow = res["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [loc["location"]["message"]["text"].split()[1] for loc in flow] == props["path"]
