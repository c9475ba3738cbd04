"""`export` then `import` gives back the same model, and the YAML written reads back as it.

For every example, both directions and both interchange formats, and for every payload of
the injection corpus (markup, CJK, RTL, emoji in every label): the steps (ids, lanes,
labels, types, edges with their `when`, `after` and severities, notify, and descriptions
where the format carries them), the lanes (ids, names, external) and the process id and
name come back equal; the written definition loads to the same steps and lanes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from escalation_charts.export.bpmn import build_bpmn
from escalation_charts.export.drawio import build_drawio
from escalation_charts.layout.bands import compute_layout
from escalation_charts.model import Definition, Step
from escalation_charts.reading.diagram import import_diagram
from escalation_charts.reading.loader import load, load_text
from escalation_charts.reading.yaml_out import definition_yaml

from .fuzzing import CORPUS
from .test_injection_corpus import definition as hostile_definition

EXAMPLES = sorted(Path(__file__).parent.parent.joinpath("examples").glob("*.yaml"))
BUILDERS = {"bpmn": build_bpmn, "drawio": build_drawio}


def _lanes(d: Definition, fmt: str) -> list[tuple[object, ...]]:
    return [
        (lane.id, lane.name, lane.external, lane.description if fmt == "bpmn" else None)
        for lane in d.lanes
    ]


def _steps(d: Definition, fmt: str) -> tuple[Step, ...]:
    """The steps; draw.io files carry no descriptions (the export writes none)."""
    return d.steps if fmt == "bpmn" else tuple(replace(s, description=None) for s in d.steps)


def _export(original: Definition, fmt: str, direction: str) -> bytes:
    """BPMN lays out its own graph (joins, bpmn-js sizes); draw.io takes the shared layout."""
    if fmt == "bpmn":
        return build_bpmn(original, direction=direction)
    return build_drawio(original, compute_layout(original, direction=direction))


def _round_trip(original: Definition, fmt: str, direction: str) -> Definition:
    data = _export(original, fmt, direction)
    imported, kind = import_diagram(data, f"exported.{fmt}")
    assert [str(n) for n in imported.notices] == []
    got = imported.definition
    assert got.steps == _steps(original, fmt)
    assert _lanes(got, fmt) == _lanes(original, fmt)
    assert got.process.id == original.process.id
    text, _ = definition_yaml(got, f"exported.{fmt}", kind)
    written = load_text(text, "written.yaml")
    assert written.definition is not None, written.findings
    assert written.definition.steps == got.steps
    assert _lanes(written.definition, fmt) == _lanes(got, fmt)
    return got


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("fmt", sorted(BUILDERS))
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_comes_back(path: Path, fmt: str, direction: str) -> None:
    original = load(path).definition
    assert original is not None
    got = _round_trip(original, fmt, direction)
    if fmt == "bpmn":  # draw.io has no place for the description; the page is the name
        assert got.process.description == original.process.description
    assert got.process.name == original.process.name


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_labels_come_back_as_written(name: str, fmt: str) -> None:
    loaded = load_text(hostile_definition(CORPUS[name]), "hostile.yaml")
    assert loaded.definition is not None, loaded.findings
    _round_trip(loaded.definition, fmt, "LR")


# Text that means something to YAML, where the written definition could go wrong.
YAML_HOSTILE = [
    "key: value",
    "- item",
    "# not a comment",
    "a #b",
    "&anchor",
    "*alias",
    "!!python/object/apply:os.system ['id']",
    "{a: b}",
    "[x, y]",
    "---",
    "...",
    "%YAML 1.1",
    "'single'",
    '"double"',
    "yes",
    "No",
    "null",
    "~",
    "123",
    "1e3",
    "0x1F",
    "2026-01-01",
    "12:30",
    "@at",
    "`tick",
    "| block",
    "> folded",
    "? key",
    "trailing space ",
    " leading space",
    "tab\there",
    "two\nlines",
    "line\u2028separator",
    "next\x85line",
    "bom\ufeffin",
    "emoji 😀 and 中文",
]


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
@pytest.mark.parametrize("text", YAML_HOSTILE)
def test_yaml_syntax_in_labels_is_written_as_text(text: str, fmt: str) -> None:
    loaded = load_text(hostile_definition(text), "hostile.yaml")
    if loaded.definition is None:  # the loader refuses some characters outright
        pytest.skip(f"the loader refuses {text!r}: {loaded.findings[0].message}")
    _round_trip(loaded.definition, fmt, "LR")
