"""draw.io export: the XML parses, each lane is a swimlane container in declared order, each
step a vertex inside its lane's container, each edge a connector between existing cells,
and every label shows as written (HTML labels with the markup escaped)."""

from __future__ import annotations

import html
import itertools
import re
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from escalation_charts.export._text import edge_label
from escalation_charts.export.drawio import build_drawio, html_label
from escalation_charts.layout.bands import compute_layout
from escalation_charts.layout.geometry import Box
from escalation_charts.model import Definition
from escalation_charts.reading.loader import load

from .conftest import DATA, EXAMPLES
from .layouts import grid_layout

TRICKY = DATA / "export" / "tricky.yaml"
DEFINITIONS = [*EXAMPLES, TRICKY]


@cache
def exported(path: Path, direction: str = "LR") -> tuple[Definition, etree._Element]:
    definition = load(path).definition
    assert definition is not None
    return definition, etree.fromstring(
        build_drawio(definition, compute_layout(definition, direction=direction))
    )


def cells(root: etree._Element) -> dict[str, etree._Element]:
    return {c.get("id"): c for c in root.iter("mxCell")}


def absolute(all_cells: dict[str, etree._Element], cell_id: str) -> Box:
    """A vertex's box on the page: its geometry plus that of every container above it."""
    cell = all_cells[cell_id]
    g = cell.find("mxGeometry")
    x, y = float(g.get("x", 0)), float(g.get("y", 0))
    parent = cell.get("parent")
    while parent not in ("0", "1"):
        pg = all_cells[parent].find("mxGeometry")
        x, y = x + float(pg.get("x", 0)), y + float(pg.get("y", 0))
        parent = all_cells[parent].get("parent")
    return Box(x, y, float(g.get("width")), float(g.get("height")))


def shown(value: str) -> str:
    """What draw.io shows for an HTML label: line breaks for <br>, entities decoded."""
    assert not re.search(r"<(?!br>)", value), value  # no markup but our line breaks
    return html.unescape(value.replace("<br>", "\n"))


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_every_step_is_inside_its_lane_container(path: Path, direction: str) -> None:
    definition, root = exported(path, direction)
    assert root.tag == "mxfile" and root.find("diagram/mxGraphModel/root") is not None
    all_cells = cells(root)
    lanes = [all_cells[f"lane-{lane.id}"] for lane in definition.lanes]
    for lane in lanes:
        assert "swimlane" in lane.get("style").split(";")
        assert lane.get("vertex") == "1" and lane.get("parent") == "1"
    for step in definition.steps:
        cell = all_cells[f"step-{step.id}"]
        assert cell.get("parent") == f"lane-{step.lane}"
        lane_box = absolute(all_cells, f"lane-{step.lane}")
        assert lane_box.contains(absolute(all_cells, f"step-{step.id}")), step.id
    boxes = [absolute(all_cells, lane.get("id")) for lane in lanes]
    for a, b in itertools.pairwise(boxes):
        # In declared order and not overlapping (to the rounding of coordinates).
        assert (a.bottom <= b.y + 0.01) if direction == "LR" else (a.right <= b.x + 0.01)


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_every_edge_connects_existing_cells(path: Path) -> None:
    definition, root = exported(path)
    all_cells = cells(root)
    edges = [c for c in all_cells.values() if c.get("edge") == "1"]
    for edge in edges:
        assert edge.get("source") in all_cells and edge.get("target") in all_cells
    flows = {e.get("id"): e for e in edges if e.get("id").startswith("edge-")}
    expected = {
        f"edge-{s.id}-{i}": (f"step-{s.id}", f"step-{e.to}", e)
        for s in definition.steps
        for i, e in enumerate(s.next)
    }
    assert set(flows) == set(expected)
    for cell_id, (source, target, edge) in expected.items():
        cell = flows[cell_id]
        assert (cell.get("source"), cell.get("target")) == (source, target)
        assert shown(cell.get("value")) == (edge_label(edge) or "")
        assert ("dashed=1" in cell.get("style")) == edge.is_timer
    notify = [e for e in edges if e.get("id").startswith("notify-")]
    assert len(notify) == sum(len(s.notify) for s in definition.steps)
    assert all(e.get("target").startswith("lane-") for e in notify)


def test_labels_show_as_written() -> None:
    definition, root = exported(TRICKY)
    all_cells = cells(root)
    for step in definition.steps:
        assert shown(all_cells[f"step-{step.id}"].get("value")) == step.label
    assert shown(all_cells["lane-1st.line"].get("value")) == 'Front <desk> & "care"'
    assert shown(all_cells["lane-vendor_x"].get("value")) == "Vendor\\Partner (external)"
    assert root.find("diagram").get("name") == definition.process.name
    assert html_label("a\r\nb <i>") == "a<br>b &lt;i&gt;"


def test_step_shapes_follow_flowchart_kinds() -> None:
    _, root = exported(TRICKY)
    style = {c.get("id"): c.get("style") for c in root.iter("mxCell")}
    assert "rhombus" in style["step-ok.2"]
    assert "arcSize=50" in style["step-0start"] and "arcSize=50" in style["step-done"]
    assert "shape=process" in style["step-esc.v"]
    assert "shape=delay" in style["step-wait.v"]
    assert "dashed=1" in style["lane-vendor_x"]  # external lanes are marked


def test_hand_built_layout_places_shapes_where_it_says() -> None:
    definition = load(TRICKY).definition
    layout = grid_layout(definition)
    root = etree.fromstring(build_drawio(definition, layout))
    all_cells = cells(root)
    for placed in layout.steps:
        assert absolute(all_cells, f"step-{placed.step}") == placed.box


def test_same_input_gives_the_same_bytes() -> None:
    definition = load(EXAMPLES[1]).definition
    first = build_drawio(definition, compute_layout(definition))
    again = load(EXAMPLES[1]).definition
    assert build_drawio(again, compute_layout(again)) == first


def _style_of(cell: etree._Element) -> dict[str, str]:
    return dict(
        item.partition("=")[::2] for item in filter(None, (cell.get("style") or "").split(";"))
    )


def test_steps_and_arrows_look_as_on_the_deck_slides() -> None:
    """One visual language: a step's fill and outline and an arrow's colour, weight and
    dash in the draw.io file are those of the same step and arrow on the deck's chart
    slides (both read back from the files), not a palette of the exporter's own."""
    import datetime as dt
    import io

    from pptx import Presentation
    from pptx.oxml.ns import qn

    from escalation_charts.render.pptx import build_deck
    from escalation_charts.validate import validate

    path = next(p for p in EXAMPLES if p.stem == "it-help-desk")
    definition, root = exported(path)
    drawio = cells(root)
    findings = validate(definition, today=dt.date(2026, 11, 23))
    prs = Presentation(io.BytesIO(build_deck(definition, findings, compute_layout(definition))))
    dashes = {None: None, "dash": "dashed", "sysDot": "dotted"}
    seen = set()
    for slide in prs.slides:
        for shape in slide.shapes:
            name = shape.name
            kind = (
                "step" if name.startswith("step-") else "edge" if name.startswith("edge-") else ""
            )
            key = name.removesuffix("-in")
            if not kind or key not in drawio or key in seen:
                continue
            seen.add(key)
            sp_pr = shape._element.spPr
            ln = sp_pr.find(qn("a:ln"))
            line = ln.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}").get("val")
            dash = ln.find(qn("a:prstDash"))
            style = _style_of(drawio[key])
            assert style["strokeColor"].lstrip("#").upper() == line, key
            assert abs(float(style["strokeWidth"]) - int(ln.get("w")) / 12700) < 0.05, key
            want = dashes[None if dash is None else dash.get("val")]
            got = (
                None
                if style.get("dashed") != "1"
                else "dotted"
                if "dashPattern" in style
                else "dashed"
            )
            if kind == "step" and "dimmed" not in name:
                fill = sp_pr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}").get("val")
                assert style["fillColor"].lstrip("#").upper() == fill, key
            assert got == want, key
    assert {k for k in seen if k.startswith("step-")} == {f"step-{s.id}" for s in definition.steps}
    assert any(k.startswith("edge-") for k in seen)
