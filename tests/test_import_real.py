"""Diagrams other people drew (Camunda Modeler, draw.io; see tests/data/import/README.md).

Each imports without a traceback; every element drawn in it (a BPMN shape or edge of the
diagram interchange, a draw.io vertex or edge) is accounted for: mapped into the model or
named by a notice; and the definition written validates with only the findings its
placeholders cause (none: without levels the matrix has nothing to hold) or, for two
diagrams, the findings the drawing itself has, pinned here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from escalation_charts.cli._common import check_file
from escalation_charts.reading.diagram import import_diagram
from escalation_charts.reading.xml_input import inflate, parse_xml

from .conftest import DATA

REAL = DATA / "import"
DI = "http://www.omg.org/spec/BPMN/20100524/DI"
# What the drawing itself leaves open, not the import: rule ids of its findings.
OWN_FINDINGS = {
    "bpmnjs-pizza-collaboration.bpmn": ["no-exit-loop"],
    "drawio-incident-response.drawio": ["decision-branches", "empty-lane"],
}
FILES = sorted(p for p in REAL.iterdir() if p.suffix in (".bpmn", ".xml", ".drawio"))


def _drawn(path: Path) -> set[str]:
    """The ids of everything a person sees in the diagram."""
    root = parse_xml(path.read_bytes())
    if path.suffix == ".bpmn":
        return {
            e.get("bpmnElement") or "" for e in root.iter(f"{{{DI}}}BPMNShape", f"{{{DI}}}BPMNEdge")
        }
    diagram = root.find("diagram")
    assert diagram is not None
    model = diagram.find("mxGraphModel")
    if model is None:
        model = parse_xml(inflate(diagram.text or ""))
    cells: list[etree._Element] = []
    for element in model.iter("mxCell"):
        parent = element.getparent()
        wrapper = parent if parent is not None and parent.tag in ("UserObject", "object") else None
        if element.get("vertex") == "1" or element.get("edge") == "1":
            cells.append(wrapper if wrapper is not None else element)
    return {c.get("id") or "" for c in cells}


def test_there_are_three_of_each_at_least() -> None:
    bpmn = [p for p in FILES if p.suffix == ".bpmn" and p.name not in OWN_FINDINGS]
    drawio = [p for p in FILES if p.suffix != ".bpmn" and p.name not in OWN_FINDINGS]
    assert len(bpmn) >= 3 and len(drawio) >= 3
    assert all(b'exporter="Camunda Modeler"' in p.read_bytes() for p in bpmn)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_drawn_element_is_mapped_or_named(path: Path) -> None:
    imported, _ = import_diagram(path.read_bytes(), path.name)
    missing = _drawn(path) - imported.accounted
    assert not missing, f"dropped silently: {sorted(missing)}"
    assert imported.definition.steps and imported.definition.lanes


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_import_validates_with_only_what_the_drawing_leaves_open(
    run, tmp_path: Path, path: Path
) -> None:
    target = tmp_path / "imported.yaml"
    result = run("import", str(path), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.output
    rules = sorted({f.rule for f in check_file(str(target)).findings})
    assert rules == sorted(OWN_FINDINGS.get(path.name, [])), result.stderr


def test_a_process_without_a_name_is_named_after_its_key() -> None:
    """Camunda's process key (`camunda-testing-job-announcement`) says what the pool is;
    a key a modeler made up (`Process_1`) would not, and names nothing."""
    path = REAL / "camunda-job-announcement.bpmn"
    process = import_diagram(path.read_bytes(), path.name)[0].definition.process
    assert (process.id, process.name) == (
        "camunda-testing-job-announcement",
        "Camunda testing job announcement",
    )
    made_up = path.read_bytes().replace(b"camunda-testing-job-announcement", b"Process_1x2y3z4")
    process = import_diagram(made_up, path.name)[0].definition.process
    assert (process.id, process.name) == ("imported-process", "Imported process")
