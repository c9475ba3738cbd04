"""Visio export (`export -f vsdx`): a valid OPC package, a cross-functional flowchart read
from the shared layout, connectors glued to both ends, and readers written by others.

The file is read back three ways: as the package it is (zip, content types,
relationships), as Visio's XML (what Visio itself evaluates: masters, container
relationships, `_WALKGLUE` glue and `Connect` rows), and by independent readers: the
`vsdx` package from PyPI, and LibreOffice Draw (libvisio) converting every example to a
PDF whose word positions (`pdftotext -bbox`) must put every step label and lane name
inside its lane's band, lanes in declared order.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from escalation_charts.export.vsdx import build_vsdx
from escalation_charts.layout.bands import compute_layout
from escalation_charts.layout.geometry import Box, Layout
from escalation_charts.model import Definition, StepType
from escalation_charts.reading.loader import load
from escalation_charts.render.themes import DEFAULT

from .conftest import DATA, EXAMPLES
from .layouts import grid_layout
from .synth import synthetic_yaml

NS = "{http://schemas.microsoft.com/office/visio/2012/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
TRICKY = DATA / "export" / "tricky.yaml"
DEFINITIONS = [*EXAMPLES, TRICKY]
MASTER_OF = {
    StepType.START: "Start/End",
    StepType.RESOLUTION: "Start/End",
    StepType.TASK: "Process",
    StepType.DECISION: "Decision",
    StepType.ESCALATE: "Subprocess",
    StepType.WAIT: "Delay",
}
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@cache
def definition_of(path: Path) -> Definition:
    definition = load(path).definition
    assert definition is not None
    return definition


@cache
def exported(path: Path, direction: str = "LR") -> tuple[Definition, Layout, bytes]:
    definition = definition_of(path)
    layout = compute_layout(definition, direction=direction)
    return definition, layout, build_vsdx(definition, [layout])


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def page_root(data: bytes, number: int = 1) -> etree._Element:
    return etree.fromstring(parts(data)[f"visio/pages/page{number}.xml"])


def cells(shape: etree._Element) -> dict[str, etree._Element]:
    return {c.get("N"): c for c in shape.findall(f"{NS}Cell")}


def value(shape: etree._Element, name: str) -> float:
    return float(cells(shape)[name].get("V"))


def shape_text(shape: etree._Element) -> str:
    node = shape.find(f"{NS}Text")
    return "" if node is None else "".join(node.itertext())


def prop(shape: etree._Element, name: str) -> str | None:
    for row in shape.iterfind(f"{NS}Section[@N='Property']/{NS}Row[@N='{name}']"):
        return cells(row)["Value"].get("V")
    return None


def masters(data: bytes) -> dict[str, str]:
    root = etree.fromstring(parts(data)["visio/masters/masters.xml"])
    return {m.get("ID"): m.get("NameU") for m in root.iter(f"{NS}Master")}


def top_shapes(data: bytes, number: int = 1) -> list[etree._Element]:
    return page_root(data, number).findall(f"{NS}Shapes/{NS}Shape")


def page_box(shape: etree._Element, page_height: float) -> Box:
    """A 2-D shape's box in points from the page's top-left (as a PDF reader measures)."""
    w, h = value(shape, "Width"), value(shape, "Height")
    x, y = value(shape, "PinX") - w / 2, value(shape, "PinY") + h / 2
    return Box(x * 72, (page_height - y) * 72, w * 72, h * 72)


def page_height(data: bytes, number: int = 1) -> float:
    root = etree.fromstring(parts(data)["visio/pages/pages.xml"])
    sheet = root.findall(f"{NS}Page")[number - 1].find(f"{NS}PageSheet")
    return value(sheet, "PageHeight")


def lanes_and_steps(data: bytes) -> tuple[dict[str, etree._Element], dict[str, etree._Element]]:
    """Lane containers by lane id (through their header member) and steps by step id."""
    by_id = {s.get("ID"): s for s in top_shapes(data)}
    names = masters(data)
    steps = {prop(s, "StepId"): s for s in by_id.values() if prop(s, "StepId")}
    lanes = {}
    for shape in by_id.values():
        if names.get(shape.get("Master", "")) == "Swimlane":
            members = re.findall(r"Sheet\.(\d+)!", cells(shape)["Relationships"].get("F"))
            header = next(by_id[m] for m in members if prop(by_id[m], "LaneId"))
            lanes[prop(header, "LaneId")] = shape
    return lanes, steps


# -- the package ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_the_package_is_complete_opc(path: Path) -> None:
    _, _, data = exported(path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names)), "duplicate zip entries"
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    files = parts(data)
    types = etree.fromstring(files["[Content_Types].xml"])
    defaults = {d.get("Extension") for d in types.iter(f"{CT}Default")}
    overrides = {o.get("PartName") for o in types.iter(f"{CT}Override")}
    assert overrides <= {"/" + n for n in names}, "a content type for a missing part"
    for name in names:
        if name != "[Content_Types].xml":
            assert "/" + name in overrides or name.rsplit(".", 1)[-1] in defaults, name
    reached = set()
    for name in (n for n in names if n.endswith(".rels")):
        folder, rels = posixpath.split(name)
        source_dir = posixpath.dirname(folder)  # foo/_rels/x.xml.rels -> foo
        ids = [r.get("Id") for r in etree.fromstring(files[name]).iter(f"{RELS}Relationship")]
        assert len(ids) == len(set(ids)), f"repeated relationship id in {name}"
        for rel in etree.fromstring(files[name]).iter(f"{RELS}Relationship"):
            target = posixpath.normpath(posixpath.join(source_dir, rel.get("Target")))
            assert target in files, f"{name} points at missing {target}"
            reached.add(target)
        source = posixpath.join(source_dir, rels.removesuffix(".rels"))
        assert rels == ".rels" or source in files, f"{name} belongs to no part"
    content = {n for n in names if not n.endswith(".rels") and n != "[Content_Types].xml"}
    assert content <= reached, f"parts no relationship reaches: {content - reached}"


def test_document_properties_come_from_the_process() -> None:
    definition, _, data = exported(EXAMPLES[0])
    core = etree.fromstring(parts(data)["docProps/core.xml"])
    found = {etree.QName(e).localname: e.text for e in core}
    process = definition.process
    assert found["title"] == process.name
    assert found["creator"] == process.owner
    assert found["version"] == process.version
    assert found["modified"] == f"{process.reviewed.isoformat()}T00:00:00Z"


def test_same_bytes_every_time() -> None:
    definition = definition_of(TRICKY)
    layout = compute_layout(definition)
    assert build_vsdx(definition, [layout]) == build_vsdx(definition, [compute_layout(definition)])


# -- the flowchart -------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_lanes_are_swimlane_containers_in_declared_order(path: Path, direction: str) -> None:
    definition, layout, data = exported(path, direction)
    lanes, steps = lanes_and_steps(data)
    assert list(lanes) == [lane.id for lane in definition.lanes if lane.id in lanes]
    assert set(lanes) == {band.lane for band in layout.lanes}
    height = page_height(data)
    boxes = [page_box(lanes[band.lane], height) for band in layout.lanes]
    along = [b.y for b in boxes] if direction == "LR" else [b.x for b in boxes]
    assert along == sorted(along), "lanes out of declared order"
    for step in definition.steps:
        shape, lane = steps[step.id], lanes[step.lane]
        assert page_box(lane, height).contains(page_box(shape, height), tolerance=0.5)
        member_of = cells(shape)["Relationships"].get("F")
        assert member_of == f"SUM(DEPENDSON(4,Sheet.{lane.get('ID')}!SheetRef()))"
        assert f"Sheet.{shape.get('ID')}!" in cells(lane)["Relationships"].get("F")


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_steps_are_flowchart_masters_with_their_text(path: Path) -> None:
    definition, _, data = exported(path)
    names = masters(data)
    _, steps = lanes_and_steps(data)
    assert set(steps) == {s.id for s in definition.steps}
    for step in definition.steps:
        shape = steps[step.id]
        assert names[shape.get("Master")] == MASTER_OF[step.type]
        assert shape_text(shape) == step.label.replace("\r\n", "\n").replace("\r", "\n")


def test_shapes_sit_where_the_shared_layout_puts_them() -> None:
    """Any layout, even one no Graphviz made: the writer reads geometry, never computes it."""
    definition = definition_of(EXAMPLES[0])
    layout = grid_layout(definition)
    data = build_vsdx(definition, [layout])
    _, steps = lanes_and_steps(data)
    origin = None
    for placed in layout.steps:
        box = page_box(steps[placed.step], page_height(data))
        offset = (round(box.x - placed.box.x, 3), round(box.y - placed.box.y, 3))
        origin = origin or offset
        assert offset == origin  # every box moved by the same page margin, none resized
        assert box.width == pytest.approx(placed.box.width, abs=1e-3)
        assert box.height == pytest.approx(placed.box.height, abs=1e-3)


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_every_edge_is_a_dynamic_connector_glued_at_both_ends(path: Path) -> None:
    _, layout, data = exported(path)
    names = masters(data)
    shapes = {s.get("ID"): s for s in top_shapes(data)}
    connectors = [
        s for s in shapes.values() if names.get(s.get("Master", "")) == "Dynamic connector"
    ]
    # one connector per drawn arrow: timers between the same two steps are one (a bundle)
    assert len(connectors) == len([route for route in layout.edges if route.drawn])
    connects = page_root(data).findall(f"{NS}Connects/{NS}Connect")
    glued = {(c.get("FromSheet"), c.get("FromCell")): c for c in connects}
    lanes, steps = lanes_and_steps(data)
    expected = set()
    for route in layout.edges:
        target = lanes[route.target] if route.kind == "notify" else steps[route.target]
        expected.add((steps[route.source].get("ID"), target.get("ID")))
    found = set()
    for connector in connectors:
        c = cells(connector)
        for end in ("BeginX", "BeginY", "EndX", "EndY"):
            assert c[end].get("F").startswith("_WALKGLUE("), end
        begin, end = glued[(connector.get("ID"), "BeginX")], glued[(connector.get("ID"), "EndX")]
        assert (begin.get("FromPart"), end.get("FromPart")) == ("9", "12")
        assert begin.get("ToPart") == end.get("ToPart") == "3"  # the whole shape: dynamic glue
        assert c["BegTrigger"].get("F") == f"_XFTRIGGER(Sheet.{begin.get('ToSheet')}!EventXFMod)"
        assert c["EndTrigger"].get("F") == f"_XFTRIGGER(Sheet.{end.get('ToSheet')}!EventXFMod)"
        found.add((begin.get("ToSheet"), end.get("ToSheet")))
    assert found == expected


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_connector_ends_touch_their_shapes(path: Path) -> None:
    """The stored route starts on the source's outline and ends on the target's."""
    _, _, data = exported(path)
    shapes = {s.get("ID"): s for s in top_shapes(data)}
    height = page_height(data)
    for connect in page_root(data).findall(f"{NS}Connects/{NS}Connect"):
        connector, shape = shapes[connect.get("FromSheet")], shapes[connect.get("ToSheet")]
        end = "Begin" if connect.get("FromCell") == "BeginX" else "End"
        x, y = value(connector, f"{end}X") * 72, (height - value(connector, f"{end}Y")) * 72
        box = page_box(shape, height)
        grown = Box(box.x - 1, box.y - 1, box.width + 2, box.height + 2)
        assert grown.contains(Box(x, y, 0, 0)), (connect.attrib, (x, y), box)


def test_labels_are_connector_text() -> None:
    _, layout, data = exported(EXAMPLES[0])
    names = masters(data)
    texts = sorted(
        shape_text(s)
        for s in top_shapes(data)
        if names.get(s.get("Master", "")) == "Dynamic connector" and shape_text(s)
    )
    assert texts == sorted(r.label for r in layout.edges if r.label)
    assert any("after" in t for t in texts) and any(t in ("yes", "no") for t in texts)


def test_title_block_and_legend_are_on_the_page() -> None:
    definition, _, data = exported(EXAMPLES[0])
    texts = [shape_text(s) for s in top_shapes(data)]
    assert definition.process.name in texts
    assert any(f"Owner: {definition.process.owner}" in t for t in texts)
    for words in ("Legend", "Decision", "Timer: taken after the time shown", "External party"):
        assert words in texts


def test_colours_come_from_the_chart_theme(run, tmp_path: Path) -> None:
    """`--theme print` makes a greyscale drawing, as it makes a greyscale chart."""
    colours = {}
    for theme in ("default", "print"):
        out = tmp_path / theme
        result = run("export", str(EXAMPLES[0]), "-f", "vsdx", "--theme", theme, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        data = next(out.glob("*.vsdx")).read_bytes()
        colours[theme] = {
            c.get("V")
            for c in page_root(data).iter(f"{NS}Cell")
            if c.get("N") in ("FillForegnd", "LineColor", "Color")
        }
    assert {DEFAULT.escalate_line, DEFAULT.timer_edge, DEFAULT.notify_edge} <= colours["default"]
    assert all(c[1:3] == c[3:5] == c[5:7] for c in colours["print"]), colours["print"]


def test_severity_pages() -> None:
    definition = definition_of(EXAMPLES[0])
    layouts = [compute_layout(definition)] + [
        compute_layout(definition, severity=s.id) for s in definition.severities
    ]
    data = build_vsdx(definition, layouts)
    pages = etree.fromstring(parts(data)["visio/pages/pages.xml"]).findall(f"{NS}Page")
    assert [p.get("Name") for p in pages] == ["Process"] + [
        f"Severity {s.id}" for s in definition.severities
    ]
    for number, layout in enumerate(layouts, start=1):
        connectors = page_root(data, number).findall(f"{NS}Connects/{NS}Connect")
        assert len(connectors) == 2 * len([route for route in layout.edges if route.drawn])


# -- readers written by others ---------------------------------------------------------------


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_the_vsdx_package_reads_every_step_and_connector(path: Path, tmp_path: Path) -> None:
    import vsdx  # the test extra: an independent VSDX reader from PyPI

    definition, layout, data = exported(path)
    file = tmp_path / "chart.vsdx"
    file.write_bytes(data)
    with vsdx.VisioFile(str(file)) as visio:
        page = visio.pages[0]
        texts = [s.text for s in page.child_shapes]
        for step in definition.steps:
            label = step.label.replace("\r\n", "\n").replace("\r", "\n")
            assert label in texts, step.id
        ends: dict[str, set[str]] = {}
        for connect in page.connects:
            assert page.find_shape_by_id(connect.shape_id) is not None
            ends.setdefault(connect.connector_shape_id, set()).add(connect.from_rel)
        assert len(ends) == len([route for route in layout.edges if route.drawn])
        assert all(found == {"BeginX", "EndX"} for found in ends.values())


@pytest.mark.parametrize("steps", [120])
def test_a_big_generated_process(steps: int, tmp_path: Path) -> None:
    source = tmp_path / "big.yaml"
    source.write_text(synthetic_yaml(steps, 7), encoding="utf-8")
    definition = definition_of(source)
    layout = compute_layout(definition)
    data = build_vsdx(definition, [layout])
    lanes, found = lanes_and_steps(data)
    assert len(found) == steps and len(lanes) == 7
    assert len(page_root(data).findall(f"{NS}Connects/{NS}Connect")) == 2 * len(layout.edges)


# -- LibreOffice Draw (libvisio) ------------------------------------------------------------


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, str]]:
    """Every example's .vsdx converted to PDF by LibreOffice in one run: {stem: (vsdx,
    `pdftotext -bbox` XHTML)}."""
    if SOFFICE is None or shutil.which("pdftotext") is None:
        why = "needs LibreOffice Draw and pdftotext (.ci/run installs libreoffice-draw, poppler)"
        if os.environ.get("CI"):
            pytest.fail(why)  # CI has them: a missing one is a broken build, not a skip
        pytest.skip(why)
    work = tmp_path_factory.mktemp("vsdx-draw")
    files = []
    for path in EXAMPLES:
        target = work / f"{path.stem}.vsdx"
        target.write_bytes(exported(path)[2])
        files.append(str(target))
    profile = work / "profile"  # a fresh profile: no clash with a running LibreOffice
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            *files,
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    out = {}
    for path in EXAMPLES:
        pdf = work / f"{path.stem}.pdf"
        assert pdf.is_file(), f"LibreOffice did not convert {path.name}: {done.stdout!r}"
        words = subprocess.run(
            ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, timeout=60
        ).stdout.decode("utf-8")
        out[path.stem] = (exported(path)[2], words)
    return out


def _words(bbox_xhtml: str) -> list[tuple[str, Box]]:
    root = etree.fromstring(bbox_xhtml.encode("utf-8"), etree.XMLParser(recover=True))
    out = []
    for word in root.iter("{*}word"):
        x0, y0, x1, y1 = (float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
        out.append((word.text or "", Box(x0, y0, x1 - x0, y1 - y0)))
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_libreoffice_shows_every_label_inside_its_lane(path: Path, drawn) -> None:
    data, bbox = drawn[path.stem]
    definition = definition_of(path)
    words = _words(bbox)
    height = page_height(data)
    lanes, steps = lanes_and_steps(data)

    def words_in(box: Box) -> str:
        grown = Box(box.x - 2, box.y - 2, box.width + 4, box.height + 4)
        inside = [(b.y, b.x, w) for w, b in words if grown.contains(b)]
        return _squash("".join(w for _, _, w in sorted(inside)))

    headers = {prop(s, "LaneId"): s for s in top_shapes(data) if prop(s, "LaneId")}
    centres = []
    for lane in definition.lanes:
        band, header = page_box(lanes[lane.id], height), page_box(headers[lane.id], height)
        assert band.contains(header, tolerance=0.5)
        assert _squash(lane.name) in words_in(header), lane.id
        first = lane.name.split()[0]
        centres.append(next(b.y for w, b in words if w == first and header.contains(b)))
        for step in definition.steps_in(lane.id):
            shape = page_box(steps[step.id], height)
            assert band.contains(shape, tolerance=0.5)
            assert _squash(step.label) in words_in(shape), (step.id, words_in(shape))
    assert centres == sorted(centres), "lane names out of declared order"
