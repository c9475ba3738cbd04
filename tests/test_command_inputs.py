"""What a command reads is never what it writes, and `--notes DIR` reads only real files
inside DIR (issue 16 #3: a symlink put any file, even /proc/self/environ, into the speaker
notes; #8: `slides p.yaml --template brand.pptx -o brand.pptx` overwrote the template)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from .conftest import EXAMPLES
from .test_slides_support import read_deck

SPEC = next(p for p in EXAMPLES if p.stem == "spec-example")


def _template(path: Path) -> Path:
    from pptx import Presentation

    Presentation().save(str(path))
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _notes(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "title.txt.j2").write_text("{% include 'part.txt.j2' %}", encoding="utf-8")
    (notes / "part.txt.j2").write_text("hello", encoding="utf-8")
    return notes


# Each input a deck build reads, given back as its output: all are refused, none changed.
@pytest.mark.parametrize("which", ["template", "notes-file", "definition"])
def test_no_input_of_slides_can_be_its_output(run, tmp_path: Path, which: str) -> None:
    template = _template(tmp_path / "brand.pptx")
    notes = _notes(tmp_path)
    (notes / "deck.pptx").write_bytes(template.read_bytes())  # a .pptx inside --notes
    source = tmp_path / "p.pptx"  # a definition is read whatever its name
    source.write_bytes(SPEC.read_bytes())
    target = {"template": template, "notes-file": notes / "deck.pptx", "definition": source}[which]
    before = {p: _digest(p) for p in (template, notes / "deck.pptx", source)}
    result = run(
        "slides", str(source), "--template", str(template), "--notes", str(notes),
        "-o", str(target),
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "refusing to overwrite the input file" in result.stderr
    assert {p: _digest(p) for p in before} == before


def test_an_output_linked_to_the_template_is_refused(run, tmp_path: Path) -> None:
    template = _template(tmp_path / "brand.pptx")
    out = tmp_path / "out"
    out.mkdir()
    (out / "it-help-desk.pptx").symlink_to(template)
    before = _digest(template)
    result = run("slides", str(SPEC), "--template", str(template), "-o", f"{out}/")
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    assert _digest(template) == before


def test_a_fifo_template_is_refused_in_one_line(run, tmp_path: Path) -> None:
    fifo = tmp_path / "brand.pptx"
    os.mkfifo(fifo)
    result = run("slides", str(SPEC), "--template", str(fifo), "-o", str(tmp_path / "d.pptx"))
    assert result.exit_code == 2 and "not a regular file" in result.stderr


@pytest.mark.parametrize(
    "link",
    [
        pytest.param("file", id="linked-file"),
        pytest.param("folder", id="linked-folder"),
        pytest.param("proc", id="environ"),
    ],
)
def test_notes_templates_are_read_only_from_real_files_in_the_folder(
    run, tmp_path: Path, link: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN", encoding="utf-8")
    monkeypatch.setenv("LEAK_ME", "TOP-SECRET-TOKEN")
    notes = tmp_path / "notes"
    notes.mkdir()
    if link == "file":
        (notes / "leak.txt.j2").symlink_to(secret)
        include = "leak.txt.j2"
    elif link == "folder":
        (notes / "sub").symlink_to(tmp_path)
        include = "sub/secret.txt"
    else:
        (notes / "leak.txt.j2").symlink_to("/proc/self/environ")
        include = "leak.txt.j2"
    (notes / "title.txt.j2").write_text(f"{{% include '{include}' %}}", encoding="utf-8")
    deck = tmp_path / "d.pptx"
    result = run("slides", str(SPEC), "-o", str(deck), "--notes", str(notes))
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert "symbolic link" in line and "TOP-SECRET" not in line
    assert not deck.exists()


def test_a_missing_include_names_the_missing_template(run, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "title.txt.j2").write_text("{% include 'nope.txt.j2' %}", encoding="utf-8")
    result = run("slides", str(SPEC), "-o", str(tmp_path / "d.pptx"), "--notes", str(notes))
    assert result.exit_code == 2
    assert "notes template nope.txt.j2 not found (included from title.txt.j2)" in result.stderr


def test_real_files_in_the_notes_folder_still_include_each_other(run, tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    deck = tmp_path / "d.pptx"
    result = run("slides", str(SPEC), "-o", str(deck), "--notes", str(notes))
    assert result.exit_code == 0, result.stderr
    assert read_deck(deck.read_bytes()).slides[0].notes_slide.notes_text_frame.text == "hello"
