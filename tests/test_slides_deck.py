"""The training deck read back with python-pptx: what a trainer relies on when editing it."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from escalation_charts.layout.bands import compute_layout
from escalation_charts.layout.bundles import groups
from escalation_charts.model import Definition, StepType
from escalation_charts.reading.loader import load, load_bytes
from escalation_charts.render.pptx import build_deck
from escalation_charts.render.pptx.draw.table import NOT_USED
from escalation_charts.validate import validate

from .conftest import EXAMPLES
from .layouts import grid_layout
from .synth import synthetic_yaml
from .test_slides_support import glue, read_deck

TODAY = dt.date(2026, 11, 23)
KIND = {  # the chart's shapes (render.themes.step_look), as DrawingML presets
    StepType.START: MSO_SHAPE.FLOWCHART_TERMINATOR,
    StepType.RESOLUTION: MSO_SHAPE.FLOWCHART_TERMINATOR,
    StepType.TASK: MSO_SHAPE.ROUNDED_RECTANGLE,
    StepType.ESCALATE: MSO_SHAPE.ROUNDED_RECTANGLE,
    StepType.DECISION: MSO_SHAPE.FLOWCHART_DECISION,
    StepType.WAIT: MSO_SHAPE.ROUNDED_RECTANGLE,
}
IDS = [p.stem for p in EXAMPLES]


def definition_of(text: str) -> Definition:
    loaded = load_bytes(text.encode(), "test.yaml")
    assert loaded.definition is not None, loaded.findings
    return loaded.definition


@lru_cache(maxsize=8)
def deck(path: Path, severity: str | None = None) -> tuple[Definition, bytes]:
    definition = load(path).definition
    assert definition is not None
    layout = compute_layout(definition, severity=severity)
    data = build_deck(definition, validate(definition, today=TODAY), layout, severity=severity)
    return definition, data


def build(definition: Definition, **options: object) -> bytes:
    findings = validate(definition, today=TODAY)
    return build_deck(definition, findings, compute_layout(definition), **options)


def chart_slides(prs):  # type: ignore[no-untyped-def]
    return [s for s in prs.slides if any(sh.name.startswith("step-") for sh in s.shapes)]


def named(slides, prefix: str) -> dict[str, list]:  # type: ignore[no-untyped-def]
    found: dict[str, list] = {}
    for slide in slides:
        for shape in slide.shapes:
            if shape.name.startswith(prefix):
                found.setdefault(shape.name[len(prefix) :], []).append(shape)
    return found


def all_runs(prs):  # type: ignore[no-untyped-def]
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    yield from paragraph.runs
            if shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        for paragraph in cell.text_frame.paragraphs:
                            yield from paragraph.runs


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_every_step_is_a_named_native_shape_of_its_kind(path: Path) -> None:
    definition, data = deck(path)
    steps = named(chart_slides(read_deck(data)), "step-")
    assert set(steps) == {s.id for s in definition.steps}
    for step in definition.steps:
        (shape,) = steps[step.id]  # drawn once, even when the chart spans several slides
        assert shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
        assert shape.auto_shape_type == KIND[step.type]
        assert " ".join(shape.text_frame.text.split()) == " ".join(step.label.split())


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_every_lane_is_a_named_shape_with_its_name(path: Path) -> None:
    definition, data = deck(path)
    slides = chart_slides(read_deck(data))
    lanes = named(slides, "lane-")
    for lane in definition.lanes:
        for shape in lanes[lane.id]:  # on every chart slide that shows that lane
            assert lane.name in shape.text_frame.text.replace("\v", " ")
    for slide in slides:  # a step's lane is on the step's slide
        shown = {s.name for s in slide.shapes}
        for shape in slide.shapes:
            if shape.name.startswith("step-"):
                step = definition.steps_by_id[shape.name[5:]]
                assert f"lane-{step.lane}" in shown


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_every_edge_is_a_connector_glued_to_its_two_shapes(path: Path) -> None:
    definition, data = deck(path)
    prs = read_deck(data)
    seen = set()
    for slide in chart_slides(prs):
        by_id = {shape.shape_id: shape.name for shape in slide.shapes}
        for shape in slide.shapes:
            if not shape.name.startswith("edge-"):
                continue
            assert shape.shape_type == MSO_SHAPE_TYPE.LINE
            begin, end = glue(shape)
            assert begin is not None and end is not None, shape.name
            source, target = by_id[begin[0]], by_id[end[0]]
            name = shape.name.removeprefix("edge-").removesuffix("-in")
            step_id, _, index = name.rpartition("-")
            edge = definition.steps_by_id[step_id].next[int(index)]
            # Both ends are the steps themselves, or (on a continuation slide) the
            # off-page reference standing for the step on another slide.
            assert source in (f"step-{step_id}", f"from-{step_id}")
            assert target in (f"step-{edge.to}", f"goto-{edge.to}")
            tail = shape._element.spPr.find(qn("a:ln")).find(qn("a:tailEnd"))
            assert tail is not None and tail.get("type") == "triangle"
            seen.add((step_id, int(index)))
    # timers to the same step are one arrow, named after the first of them (a bundle)
    expected = {
        (s.id, group[0]) for s in definition.steps for group in groups([(e.to, e) for e in s.next])
    }
    assert seen == expected


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_the_matrix_table_holds_the_matrix(path: Path) -> None:
    definition, data = deck(path)
    tables = [sh for slide in read_deck(data).slides for sh in slide.shapes if sh.has_table]
    assert tables and all(t.name == "matrix" for t in tables)
    found: dict[tuple[str, str], str] = {}
    for shape in tables:
        rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
        header = rows[0]
        assert header[:3] == ["Severity", "Respond", "Resolve"]
        for row in rows[1:]:
            severity = next(
                s for s in definition.severities if row[0].startswith(s.id) or row[0] == s.name
            )
            assert row[1] == (severity.respond.compact() if severity.respond else "-")
            for title, text in zip(header[3:], row[3:], strict=True):
                lane = next(x for x in definition.leveled_lanes if title.endswith(x.name))
                found[(severity.id, lane.id)] = text
    expected = {
        (s.id, lane.id): (cell.engage.compact() if cell.engage is not None else NOT_USED)
        for s in definition.severities
        for lane in definition.leveled_lanes
        if (cell := definition.cell(s.id, lane.id)) is not None
    }
    assert found == expected


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_every_slide_has_speaker_notes(path: Path) -> None:
    definition, data = deck(path)
    prs = read_deck(data)
    for n, slide in enumerate(prs.slides, start=1):
        assert slide.has_notes_slide, f"slide {n}"
        assert len(slide.notes_slide.notes_text_frame.text.strip()) > 20, f"slide {n}"
    assert definition.process.name in prs.slides[0].notes_slide.notes_text_frame.text


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_the_deck_has_every_section(path: Path) -> None:
    definition, data = deck(path)
    titles = [s.shapes.title.text if s.shapes.title else "" for s in read_deck(data).slides]
    assert titles[0] == definition.process.name
    assert titles[1] == "Agenda"
    assert any(t.startswith("The process at a glance") for t in titles)
    for lane in definition.lanes:
        assert any(lane.name in t for t in titles), lane.id
    assert any(t.startswith("The escalation matrix") for t in titles)
    for severity in definition.severities:
        assert any(t.startswith("Walkthrough") and severity.name in t for t in titles)
    assert titles[-1].startswith("Is the process sound?")


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_no_text_is_smaller_than_10_pt_and_nothing_leaves_the_slide(path: Path) -> None:
    """Chart steps, their labels and lane names may go down to 9 pt (a projected chart still reads
    at 9 pt, and it keeps the chart on few slides); everything else is 10 pt or more."""
    _, data = deck(path)
    prs = read_deck(data)
    chart = [
        run.font.size.pt
        for slide in prs.slides
        for shape in slide.shapes
        if shape.name.startswith(("step-", "label-", "lane-")) and shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    ]
    sizes = [run.font.size.pt for run in all_runs(prs) if run.font.size is not None]
    assert chart and min(chart) >= 9
    others = sorted(sizes)
    for size in sorted(chart):  # take the chart's runs out; what is left is 10 pt or more
        others.remove(size)
    assert others and min(others) >= 10
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.LINE:
                continue  # a rotated connector's frame is not where it is drawn
            assert shape.left >= 0 and shape.top >= 0, (n, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (n, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (n, shape.name)


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_the_chart_is_drawn_from_any_layout_it_is_given(direction: str) -> None:
    """The chart reads nothing but `geometry.Layout`: a hand-built grid works as well."""
    path = next(p for p in EXAMPLES if p.stem == "it-help-desk")
    definition = load(path).definition
    assert definition is not None
    layout = grid_layout(definition, direction)
    prs = read_deck(build_deck(definition, [], layout))
    slides = chart_slides(prs)
    assert set(named(slides, "step-")) == {s.id for s in definition.steps}
    for slide in slides:
        ids = {shape.shape_id for shape in slide.shapes}
        for shape in slide.shapes:
            if shape.name.startswith("edge-"):
                begin, end = glue(shape)
                assert begin is not None and begin[0] in ids
                assert end is not None and end[0] in ids
            elif shape.shape_type != MSO_SHAPE_TYPE.LINE:
                assert shape.left + shape.width <= prs.slide_width
                assert shape.top + shape.height <= prs.slide_height


def test_the_deck_is_16_by_9_and_byte_identical_for_the_same_input() -> None:
    path = EXAMPLES[0]
    definition = load(path).definition
    assert definition is not None
    first, second = build(definition), build(definition)
    assert first == second
    prs = read_deck(first)
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = prs.core_properties
    reviewed = definition.process.reviewed
    assert props.created == props.modified == dt.datetime.combine(reviewed, dt.time(0))
    assert props.title == definition.process.name
    assert props.author == definition.process.owner


LABEL = "<b>bold?</b> & \"quotes\" 'single' \\ back\n漢字 🙂 ]]> {{x}}"
DECISION = "Is <it> & 'that'?"
END = "Done \\ 🙂"


def tricky() -> Definition:
    """A definition whose every name and label is full of markup characters."""

    def q(text: str) -> str:  # a JSON string is a YAML double-quoted scalar
        return json.dumps(text, ensure_ascii=False)

    return definition_of(
        f"""
process: {{id: tricky, name: {q("Name <script>alert(1)</script> & co")}}}
severities: [{{id: P1, name: {q("P1 <i>")}, respond: 15m, resolve: 4h}}]
lanes:
  - {{id: a, name: {q('Lane <a> & "b"')}}}
  - id: b
    name: {q("漢字 lane 🙂")}
    level: 1
    contacts: [{{name: {q("O'Brien <x>")}, role: primary, email: o@example.com}}]
steps:
  - {{id: s, lane: a, type: start, label: {q(LABEL)}, next: t}}
  - id: t
    lane: b
    type: decision
    label: {q(DECISION)}
    next: [{{when: {q("<yes>")}, to: e}}, {{when: {q("&no")}, to: s}}]
  - {{id: e, lane: b, type: resolution, label: {q(END)}}}
matrix: {{P1: {{b: 0m}}}}
"""
    )


def test_labels_are_text_never_markup() -> None:
    definition = tricky()
    data = build(definition)
    prs = read_deck(data)
    steps = named(chart_slides(prs), "step-")
    assert steps["s"][0].text_frame.text == definition.steps_by_id["s"].label.replace("\n", "\v")
    assert " ".join(steps["t"][0].text_frame.text.split()) == DECISION
    labels = named(chart_slides(prs), "label-")
    assert {s.text_frame.text for found in labels.values() for s in found} >= {"<yes>", "&no"}
    assert prs.slides[0].shapes.title.text == definition.process.name
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("ppt/slides/slide") or name.startswith("ppt/notesSlides/"):
            xml = archive.read(name)
            assert b"<script>" not in xml and b"<b>" not in xml and b"<it>" not in xml


def test_a_severity_deck_walks_through_that_severity_and_fades_what_it_never_reaches() -> None:
    path = next(p for p in EXAMPLES if p.stem == "four-level-matrix")
    definition, data = deck(path, "sev4")
    prs = read_deck(data)
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title]
    walks = [t for t in titles if t.startswith("Walkthrough")]
    assert walks and all("Sev 4" in t for t in walks)
    layout = compute_layout(definition, severity="sev4")
    assert layout.dimmed  # sev4 never reaches management or the vendor
    steps = named(chart_slides(prs), "step-")
    for step_id in layout.dimmed:
        line = steps[step_id][0]._element.spPr.find(qn("a:ln"))
        assert line.find(qn("a:prstDash")) is not None


def test_a_chart_too_big_for_one_slide_continues_on_numbered_slides() -> None:
    definition = definition_of(synthetic_yaml(60, 5))
    data = build(definition)
    prs = read_deck(data)
    slides = chart_slides(prs)
    assert len(slides) > 1
    numbers = {id(s): n for n, s in enumerate(prs.slides, start=1)}
    where = {}
    for slide in slides:
        for shape in slide.shapes:
            if shape.name.startswith("step-"):
                assert shape.name[5:] not in where  # every step on exactly one slide
                where[shape.name[5:]] = numbers[id(slide)]
    assert set(where) == {s.id for s in definition.steps}
    for slide in slides:
        assert "of" in slide.shapes.title.text
        for shape in slide.shapes:
            for prefix in ("goto-", "from-"):
                if shape.name.startswith(prefix):
                    # The reference shows the number of the slide its step is on.
                    assert shape.text_frame.text == str(where[shape.name[len(prefix) :]])
    sizes = [r.font.size.pt for r in all_runs(prs) if r.font.size is not None]
    assert min(sizes) >= 9  # chart text; the rest is 10 pt or more (tested above)
