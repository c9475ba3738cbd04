"""What a trainer sees on the chart slides, measured from every example deck's PPTX.

Connectors are read back as PowerPoint draws them (frame, rotation, flips, elbow
adjustment) and glued to shapes whose boxes are read back too; text is measured with the
deck's one text measure inside each preset's own text rectangle.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import pytest

from escalation_charts.layout.bands import compute_layout
from escalation_charts.reading.loader import load
from escalation_charts.render.pptx import build_deck
from escalation_charts.validate import validate

from .conftest import EXAMPLES
from .deck_geometry import (
    connector_path,
    glue_point,
    glued,
    legs,
    preset,
    rect,
    segment_hits,
    shared_stretch,
    text_spill,
)
from .test_slides_support import read_deck

TODAY = dt.date(2026, 11, 23)
IDS = [p.stem for p in EXAMPLES]
# Every example in both flow directions: top to bottom the flow runs along the slide's
# short side, with its own page cuts, lane headers and reference margins.
CASES = [(p, d) for d in ("LR", "TB") for p in EXAMPLES]
CASE_IDS = [f"{p.stem}-{d}" for p, d in CASES]


@lru_cache(maxsize=8)
def deck(path: Path, direction: str = "LR"):  # type: ignore[no-untyped-def]
    definition = load(path).definition
    assert definition is not None
    layout = compute_layout(definition, direction=direction)
    data = build_deck(definition, validate(definition, today=TODAY), layout)
    return read_deck(data)


def chart_slides(prs):  # type: ignore[no-untyped-def]
    """The slides with arrows: the chart's pages and the lane-level overview."""
    return [
        (n, s)
        for n, s in enumerate(prs.slides, start=1)
        if any(sh.name.startswith(("step-", "glance-")) for sh in s.shapes)
    ]


def connectors(slide):  # type: ignore[no-untyped-def]
    return [
        sh
        for sh in slide.shapes
        if sh._element.tag.endswith("cxnSp")
        and sh.name.startswith(("edge-", "notify-", "handover-"))
    ]


@pytest.mark.parametrize(("path", "direction"), CASES, ids=CASE_IDS)
def test_connectors_are_drawn_from_the_glue_points_they_are_glued_to(
    path: Path, direction: str
) -> None:
    """The stored path starts and ends where the glue says: PowerPoint shows the same
    arrow before and after a shape is moved."""
    for n, slide in chart_slides(deck(path, direction)):
        by_id = {sh.shape_id: sh for sh in slide.shapes}
        for connector in connectors(slide):
            path_ = connector_path(connector)
            for glue, point in zip(glued(connector), (path_[0], path_[-1]), strict=True):
                if glue is None:
                    continue
                want = glue_point(rect(by_id[glue[0]]), glue[1])
                assert abs(want[0] - point[0]) < 1.5 and abs(want[1] - point[1]) < 1.5, (
                    n,
                    connector.name,
                    want,
                    point,
                )


@pytest.mark.parametrize(("path", "direction"), CASES, ids=CASE_IDS)
def test_no_connector_crosses_a_step_other_than_its_ends(path: Path, direction: str) -> None:
    crossings = []
    for n, slide in chart_slides(deck(path, direction)):
        steps = [sh for sh in slide.shapes if sh.name.startswith(("step-", "glance-"))]
        for connector in connectors(slide):
            ends = {g[0] for g in glued(connector) if g is not None}
            for a, b in legs(connector_path(connector)):
                for step in steps:
                    if step.shape_id in ends:
                        continue
                    if segment_hits(a, b, rect(step), preset(step)):
                        crossings.append((n, connector.name, step.name))
    assert not crossings


@pytest.mark.parametrize(("path", "direction"), CASES, ids=CASE_IDS)
def test_no_two_connectors_run_along_each_other_for_more_than_10_pt(
    path: Path, direction: str
) -> None:
    shared = []
    for n, slide in chart_slides(deck(path, direction)):
        for one, two in combinations(connectors(slide), 2):
            longest = shared_stretch(one, two)
            if longest > 10:
                shared.append((n, one.name, two.name, round(longest)))
    assert not shared


@pytest.mark.parametrize(("path", "direction"), CASES, ids=CASE_IDS)
def test_no_text_spills_out_of_its_shape(path: Path, direction: str) -> None:
    spills = [
        spill
        for n, slide in enumerate(deck(path, direction).slides, start=1)
        for shape in slide.shapes
        if (spill := text_spill(n, shape)) is not None
    ]
    assert not spills


def _title(slide) -> str:  # type: ignore[no-untyped-def]
    return slide.shapes.title.text if slide.shapes.title is not None else ""


@pytest.mark.parametrize(("path", "direction"), CASES, ids=CASE_IDS)
def test_one_overview_slide_shows_the_whole_process_readably(path: Path, direction: str) -> None:
    prs = deck(path, direction)
    overviews = [
        s
        for s in prs.slides
        if ("at a glance" in _title(s) or "Overview" in _title(s)) and " of " not in _title(s)
    ]
    assert len(overviews) == 1
    slide = overviews[0]
    steps = [sh for sh in slide.shapes if sh.name.startswith("step-")]
    lanes = [sh for sh in slide.shapes if sh.name.startswith("lane-")]
    definition = load(path).definition
    assert definition is not None
    if steps:  # the whole chart: every step, none smaller than 9 pt
        assert {sh.name for sh in steps} == {f"step-{s.id}" for s in definition.steps}
        sizes = [r.font.size.pt for sh in steps for p in sh.text_frame.paragraphs for r in p.runs]
        assert sizes and min(sizes) >= 9
    else:  # a lane-level overview: every lane, with its step count
        assert {sh.name for sh in lanes} >= {f"lane-{lane.id}" for lane in definition.lanes}
        for lane in definition.lanes:
            count = sum(1 for s in definition.steps if s.lane == lane.id)
            text = " ".join(sh.text_frame.text for sh in lanes if sh.name == f"lane-{lane.id}")
            assert str(count) in text


@pytest.mark.parametrize(
    ("direction", "most"),
    [
        ("LR", 3),
        ("TB", 4),
    ],
)
def test_the_help_desk_chart_fills_few_detail_slides_at_9_pt(direction: str, most: int) -> None:
    """21 steps: at most three detail slides left to right; top to bottom, where the flow
    runs along the slide's short side, at most four (six before the lane header row and
    the reference margins along the flow were cut to what they hold)."""
    path = next(p for p in EXAMPLES if p.stem == "it-help-desk")
    prs = deck(path, direction)
    detail = [s for n, s in chart_slides(prs) if " of " in _title(s) or "Overview" not in _title(s)]
    detail = [s for s in detail if "at a glance" not in _title(s) or " of " in _title(s)]
    assert 1 <= len(detail) <= most
    for slide in detail:
        for shape in slide.shapes:
            if shape.name.startswith("step-"):
                for p in shape.text_frame.paragraphs:
                    assert all(r.font.size.pt >= 9 for r in p.runs)


def _own_connector(label) -> set[str]:  # type: ignore[no-untyped-def]
    """The names the connector a label belongs to may have: `label-<x>` labels `edge-<x>`
    on the chart pages and `<x>` (a hand-over) on the lane-level overview."""
    rest = label.name.removeprefix("label-")
    return {rest, f"edge-{rest}"}


@pytest.mark.parametrize(("path", "direction"), CASES, ids=CASE_IDS)
def test_no_label_covers_another_connector(path: Path, direction: str) -> None:
    """A branch, timer or hand-over label is an opaque box: on another arrow it hides that
    arrow's line, and a reader takes the label for that arrow's."""
    covered = []
    for n, slide in chart_slides(deck(path, direction)):
        lines = [(c.name, list(legs(connector_path(c)))) for c in connectors(slide)]
        for label in slide.shapes:
            if not label.name.startswith("label-"):
                continue
            own, box = _own_connector(label), rect(label)
            for name, pieces in lines:
                if name not in own and any(segment_hits(a, b, box, None) for a, b in pieces):
                    covered.append((n, label.name, name))
    assert not covered


def _distance(box, a, b) -> float:  # type: ignore[no-untyped-def]
    """The shortest distance between a box and the axis-parallel segment a-b."""
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    dx = max(box.x - x1, x0 - box.right, 0.0)
    dy = max(box.y - y1, y0 - box.bottom, 0.0)
    return (dx * dx + dy * dy) ** 0.5


@pytest.mark.parametrize(("path", "direction"), CASES, ids=CASE_IDS)
def test_every_label_sits_beside_its_own_arrow(path: Path, direction: str) -> None:
    """A branch or timer label a reader cannot tie to its arrow is no label: it touches,
    or nearly touches (4 pt), the line of the arrow it names."""
    far = []
    for n, slide in chart_slides(deck(path, direction)):
        lines = {c.name: list(legs(connector_path(c))) for c in connectors(slide)}
        for label in slide.shapes:
            if not label.name.startswith("label-"):
                continue
            own = next(lines[name] for name in _own_connector(label) if name in lines)
            gap = min(_distance(rect(label), a, b) for a, b in own)
            if gap > 4:
                far.append((n, label.name, round(gap)))
    assert not far
