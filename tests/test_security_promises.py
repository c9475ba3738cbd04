"""SECURITY.md's promises each name the test that holds them, and those tests exist.

The table "Which test holds each promise" lists `tests/<file>.py::<test>` for every
promise; a renamed or deleted test would leave a promise unguarded without anyone
noticing, so this reads the table and fails on a name that no longer exists. The few
promises no other file covered (text and id limits, the notes sandbox) are tested here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import EXAMPLES, ROOT

Run = Callable[..., Result]
SECURITY = ROOT / "SECURITY.md"
BASE = next(p for p in EXAMPLES if p.stem == "spec-example").read_text()
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def table_rows() -> list[tuple[str, list[tuple[str, str]]]]:
    """(promise, [(file, test), ...]) for each row of the promises table."""
    text = SECURITY.read_text()
    start = text.index("## Which test holds each promise")
    rows = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or set(cells[0]) <= set("-: ") or cells[0] == "Promise":
            continue
        rows.append((cells[0], NAMED.findall(cells[1])))
    return rows


@cache
def defined(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text())
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)}


def test_the_table_names_a_test_for_every_promise() -> None:
    rows = table_rows()
    assert len(rows) >= 20, "the promises table is missing or was cut short"
    for promise, tests in rows:
        assert tests, f"no test named for: {promise}"


@pytest.mark.parametrize(("path", "name"), [t for _, tests in table_rows() for t in tests])
def test_every_test_named_in_the_table_exists(path: str, name: str) -> None:
    assert (ROOT / path).is_file(), f"SECURITY.md names {path}, which does not exist"
    assert name.startswith("test_") and name in defined(path), f"{path} has no {name}"


def validate(run: Run, tmp_path: Path, old: str, new: str) -> str:
    assert BASE.count(old) == 1
    path = tmp_path / "p.yaml"
    path.write_text(BASE.replace(old, new))
    result = run("validate", str(path))
    assert result.exit_code == 1, result.output
    return result.output


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("label: Vendor fix,", f"label: {'x' * 501},", "501 characters long; at most 500"),
        ("name: IT Help Desk Escalation", f"name: {'n' * 1001}", "at most 1,000"),
        (
            "description: How a ticket",
            f"description: {'d' * 4001} How a ticket",
            "at most 4,000",
        ),
    ],
    ids=["label", "name", "description"],
)
def test_texts_have_length_limits(run: Run, tmp_path: Path, old: str, new: str, says: str) -> None:
    assert says in validate(run, tmp_path, old, new)


@pytest.mark.parametrize("bad", ["../etc", "a/b", "<b>", "-x", "x" * 101, "a b"])
def test_an_id_can_never_be_a_path_or_markup(run: Run, tmp_path: Path, bad: str) -> None:
    out = validate(run, tmp_path, "{id: vendor-fix,", f"{{id: {bad!r},")
    assert "is not a valid id" in out


def test_notes_templates_cannot_reach_python_internals(run: Run, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "title.txt.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    source = tmp_path / "p.yaml"
    source.write_text(BASE)
    deck = tmp_path / "d.pptx"
    result = run("slides", str(source), "-o", str(deck), "--notes", str(notes))
    assert result.exit_code == 2 and "unsafe" in result.stderr
    assert not deck.exists()
