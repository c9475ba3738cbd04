"""`escalation-charts slides` as a user runs it: outputs, exit codes, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import EXAMPLES
from .test_slides_support import read_deck

SPEC = next(p for p in EXAMPLES if p.stem == "spec-example")
BROKEN = """
process: {id: broken, name: Broken}
severities: [{id: P1, name: Critical, respond: 15m, resolve: 4h}]
lanes:
  - {id: desk, name: Desk, level: 1, contacts: [{name: Desk, role: primary, email: d@x.org}]}
steps:
  - {id: start, lane: desk, type: start, label: Start, next: work}
  - {id: work, lane: desk, label: Work on it}
matrix: {P1: {desk: 0m}}
"""


def test_writes_the_deck_where_asked(run, tmp_path: Path) -> None:
    out = tmp_path / "training.pptx"
    result = run("slides", str(SPEC), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    assert len(read_deck(out.read_bytes()).slides) > 5


def test_an_output_directory_gets_a_deck_named_after_the_process(run, tmp_path: Path) -> None:
    result = run("slides", str(SPEC), "-o", str(tmp_path / "decks") + "/")
    assert result.exit_code == 0, result.stderr
    assert list((tmp_path / "decks").glob("*.pptx")) == [tmp_path / "decks" / "it-help-desk.pptx"]


def test_a_folder_of_definitions_gives_a_deck_each_and_skips_up_to_date(
    run, tmp_path: Path
) -> None:
    out = tmp_path / "decks"
    first = run("slides", str(SPEC.parent), "-o", str(out), "-j", "2")
    assert first.exit_code == 0, first.stderr
    decks = sorted(p.name for p in out.glob("*.pptx"))
    assert len(decks) == len(list(SPEC.parent.glob("*.yaml")))
    again = run("slides", str(SPEC.parent), "-o", str(out))
    assert again.exit_code == 0 and "up to date" in again.stderr + again.stdout
    assert "wrote" not in again.stdout


def test_one_deck_file_for_several_definitions_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("slides", str(SPEC.parent), "-o", str(tmp_path / "deck.pptx"))
    assert result.exit_code == 2 and "need a directory" in result.stderr


def test_a_definition_with_errors_is_refused_unless_forced(run, write_yaml, tmp_path) -> None:
    source = write_yaml(BROKEN)
    out = tmp_path / "deck.pptx"
    refused = run("slides", str(source), "-o", str(out))
    assert refused.exit_code == 1
    assert "dead-end" in refused.stderr and not out.exists()
    forced = run("slides", str(source), "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    last = read_deck(out.read_bytes()).slides[-1]
    text = " ".join(shape.text_frame.text for shape in last.shapes if shape.has_text_frame)
    assert "Do not teach this version" in text and "dead-end" in text


def test_usage_problems_exit_2_with_one_clear_line(run, tmp_path: Path) -> None:
    cases = [
        (["slides", str(tmp_path / "missing.yaml")], "no such file"),
        (["slides", str(SPEC), "--severity", "P9"], "known: P1, P2, P3"),
        (["slides", str(SPEC), "-o", str(tmp_path / "deck.txt")], "written as .pptx"),
        (["slides", str(SPEC), "--template", str(tmp_path / "nope.pptx")], "no such file"),
        (["slides", str(SPEC), "-o", str(tmp_path / "no" / "dir" / "d.pptx")], "does not exist"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_notes_templates_can_be_replaced_without_touching_code(run, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "title.txt.j2").write_text("Welkom bij {{ process.name }}!", encoding="utf-8")
    out = tmp_path / "deck.pptx"
    result = run("slides", str(SPEC), "-o", str(out), "--notes", str(notes))
    assert result.exit_code == 0, result.stderr
    prs = read_deck(out.read_bytes())
    assert prs.slides[0].notes_slide.notes_text_frame.text == "Welkom bij IT Help Desk Escalation!"
    assert prs.slides[1].notes_slide.notes_text_frame.text.startswith("Here is the plan")


def test_a_broken_notes_template_is_a_usage_error(run, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "lane.txt.j2").write_text("{% if lane %}unclosed", encoding="utf-8")
    result = run("slides", str(SPEC), "-o", str(tmp_path / "d.pptx"), "--notes", str(notes))
    assert result.exit_code == 2
    assert "lane.txt.j2" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("{{ ''.__class__.__mro__[1].__subclasses__() }}", id="python-internals"),
        pytest.param("{{ process.__init__.__globals__ }}", id="module-globals"),
        pytest.param("{{ 1 / 0 }}", id="runtime-error"),
    ],
)
def test_a_notes_template_cannot_reach_python_and_fails_in_one_line(
    run, tmp_path: Path, body: str
) -> None:
    # --notes DIR may come from anyone: the templates run sandboxed, and any error in
    # one is a usage error naming it, not a traceback
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "title.txt.j2").write_text(body, encoding="utf-8")
    result = run("slides", str(SPEC), "-o", str(tmp_path / "d.pptx"), "--notes", str(notes))
    assert result.exit_code == 2, result.output
    assert "title.txt.j2" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "d.pptx").exists()


def test_help_teaches_what_it_does_with_an_example(run) -> None:
    result = run("slides", "--help")
    assert result.exit_code == 0
    help_text = " ".join(result.stdout.split())
    for text in (
        "editable training deck",
        "escalation-charts slides process.yaml -o",
        "--template",
        "--severity",
        "--notes",
        "10 pt",
    ):
        assert text in help_text
