"""Timer edges between the same two steps are one drawn arrow with one label (issues 13/15).

SPEC.md's example sends a P1 to Tier 2 after 15m, a P2 after 1h, a P3 after 1d: three model
edges from one step to one step. Drawn as three dashed lines a few points apart, no label
can be nearest its own; drawn as one arrow, its label says every timer. Each model edge
keeps its identity where a format promises it (SVG groups, draw.io cells, BPMN flows).
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from lxml import etree
from pptx import Presentation

from escalation_charts.export.drawio import build_drawio
from escalation_charts.ids import dom_id
from escalation_charts.layout.bands import compute_layout
from escalation_charts.layout.bundles import bundle_forms, groups
from escalation_charts.reading.loader import load
from escalation_charts.render.chart import render_chart
from escalation_charts.render.pptx import build_deck
from escalation_charts.validate import validate

ROOT = Path(__file__).resolve().parents[1]
SPEC = load(ROOT / "examples" / "spec-example.yaml").definition
SVG = "{http://www.w3.org/2000/svg}"
TIMERS = [dom_id("edge", "fix-t1", index=n) for n in (1, 2, 3)]  # P1, P2, P3 to to-t2


def _edge_groups(svg: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(svg)
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"}


def test_parallel_timers_are_one_arrow_whose_label_names_every_timer() -> None:
    assert SPEC is not None
    edges = _edge_groups(render_chart(SPEC, "svg"))
    for step in SPEC.steps:  # the README's promise: a group per model edge
        for n, _ in enumerate(step.next):
            assert dom_id("edge", step.id, index=n) in edges
    drawn = [key for key in TIMERS if edges[key].find(f"{SVG}path") is not None]
    assert drawn == TIMERS[:1]
    lines = [t.text or "" for t in edges[TIMERS[0]].iter(f"{SVG}text")]
    for after, severity in (("15m", "P1"), ("1h", "P2"), ("1d", "P3")):
        # a time stays on the line of the severities it holds for
        assert any(after in line and severity in line for line in lines), lines
    for key, after in zip(TIMERS[1:], ("1h", "1d"), strict=True):
        title = edges[key].findtext(f"{SVG}title") or ""
        assert f"after {after}" in title  # the others keep their own words


def test_a_severity_chart_draws_only_that_severity_timer_with_its_own_label() -> None:
    assert SPEC is not None
    edges = _edge_groups(render_chart(SPEC, "svg", severity="P2"))
    p2 = edges[TIMERS[1]]
    assert p2.find(f"{SVG}path") is not None
    assert [t.text for t in p2.iter(f"{SVG}text")] == ["after 1h"]
    assert TIMERS[0] not in edges and TIMERS[2] not in edges


def test_bundle_members_share_one_route_and_one_label_in_the_layout() -> None:
    assert SPEC is not None
    layout = compute_layout(SPEC)
    members = [r for r in layout.edges if r.source == "fix-t1" and r.kind == "timer"]
    assert [r.index for r in members] == [1, 2, 3]
    assert len({r.points for r in members}) == 1
    assert [r.drawn for r in members] == [True, False, False]
    assert [r.label is not None for r in members] == [True, False, False]


def test_the_label_never_parts_a_time_from_its_severities() -> None:
    assert SPEC is not None
    step = SPEC.steps_by_id["fix-t1"]
    (bundle,) = [g for g in groups([(e.to, e) for e in step.next]) if len(g) > 1]
    forms = bundle_forms(step, bundle, None, ["P1", "P2", "P3"])
    assert forms[0] == "after 15m (P1)\nafter 1h (P2)\nafter 1d (P3)"
    assert forms[1] == "after 15m (P1) \u00b7 1h (P2)\n1d (P3)"
    assert forms[2] == "after 15m (P1) \u00b7 1h (P2) \u00b7 1d (P3)"


def test_the_deck_draws_one_glued_connector_per_bundle_labelled_with_every_timer() -> None:
    assert SPEC is not None
    data = build_deck(SPEC, validate(SPEC), compute_layout(SPEC))
    names: list[str] = []
    texts: list[str] = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            names.append(shape.name)
            if shape.name == "label-" + TIMERS[0].removeprefix("edge-"):
                texts.append(shape.text_frame.text)
    assert TIMERS[0] in names
    assert not set(TIMERS[1:]) & set(names)
    assert texts and all("15m" in t and "1h" in t and "1d" in t for t in texts)


def test_drawio_keeps_a_cell_per_timer_with_its_own_label_not_stacked() -> None:
    assert SPEC is not None
    root = etree.fromstring(build_drawio(SPEC, compute_layout(SPEC)))
    cells = {c.get("id"): c for c in root.iter("mxCell")}
    offsets = []
    for key, after in zip(TIMERS, ("15m", "1h", "1d"), strict=True):
        assert f"after {after}" in cells[key].get("value", "")
        point = cells[key].find("mxGeometry/mxPoint[@as='offset']")
        assert point is not None
        offsets.append(float(point.get("y", "0")))
    assert all(b - a >= 14 for a, b in itertools.pairwise(offsets))


def test_every_placed_bundle_label_is_one_of_its_forms_never_rewrapped() -> None:
    """A label the placer wrapped at any space could read `after` / `15m (P1)`: on every
    example, LR and TB, a bundle's label is written one of the ways `bundle_forms` gives
    (breaks between timers). Wrapping further stays the placer's last resort, where no
    form has a free place (a generated 80-step chart needs it twice)."""
    checked = 0
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        definition = load(path).definition
        assert definition is not None
        order = [s.id for s in definition.severities]
        for direction in ("LR", "TB"):
            for route in compute_layout(definition, direction=direction).edges:
                if len(route.bundle) > 1 and route.drawn:
                    step = definition.steps_by_id[route.source]
                    assert route.label in bundle_forms(step, route.bundle, None, order)
                    checked += 1
    assert checked >= 8  # the examples' per-severity timers
