"""The shared chart geometry: real lanes, steps inside them, routed edges, for every example."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from escalation_charts.layout.bands import LayoutError, compute_layout
from escalation_charts.layout.geometry import Box, Layout
from escalation_charts.model import Definition
from escalation_charts.reading.loader import load, load_text

from .conftest import EXAMPLES
from .synth import synthetic_yaml


def _example(path: Path) -> Definition:
    loaded = load(path)
    assert loaded.definition is not None, loaded.findings
    return loaded.definition


DEFINITIONS = {path.stem: _example(path) for path in EXAMPLES}
DEFINITIONS["synthetic-60x6"] = load_text(synthetic_yaml(60, 6)).definition  # type: ignore[assignment]


def check_geometry(definition: Definition, layout: Layout) -> None:
    """Everything SPEC.md promises about lanes, in one place (also used by the SVG tests)."""
    lr = layout.direction == "LR"
    assert [band.lane for band in layout.lanes] == [lane.id for lane in definition.lanes]
    # all bands the same length along the flow, stacked without gaps or overlaps
    lengths = {band.box.width if lr else band.box.height for band in layout.lanes}
    assert len(lengths) == 1
    for upper, lower in itertools.pairwise(layout.lanes):
        if lr:
            assert upper.box.bottom == pytest.approx(lower.box.y)
        else:
            assert upper.box.right == pytest.approx(lower.box.x)
        assert not _shrunk(upper.box).overlaps(lower.box)  # touching is fine
    bands = layout.lanes_by_id
    for band in layout.lanes:
        assert band.box.contains(band.header)
        assert (band.header.x, band.header.y) == (band.box.x, band.box.y)
    boxes = layout.steps_by_id
    assert set(boxes) == {s.id for s in definition.steps}
    for step in definition.steps:
        box = boxes[step.id].box
        assert bands[step.lane].box.contains(box), step.id
        assert not bands[step.lane].header.overlaps(box), step.id
    for a, b in itertools.combinations(layout.steps, 2):
        assert not a.box.overlaps(b.box), (a.step, b.step)
    assert layout.width == pytest.approx(max(b.box.right for b in layout.lanes))
    assert layout.height == pytest.approx(max(b.box.bottom for b in layout.lanes))


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_lanes_are_real_bands(name: str, direction: str) -> None:
    definition = DEFINITIONS[name]
    layout = compute_layout(definition, direction=direction)
    assert layout.direction == direction
    check_geometry(definition, layout)


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_every_edge_is_routed_from_source_to_target(name: str) -> None:
    definition = DEFINITIONS[name]
    layout = compute_layout(definition)
    boxes = layout.steps_by_id
    expected = {(step.id, i) for step in definition.steps for i in range(len(step.next))}
    flow = {(e.source, e.index) for e in layout.edges if e.kind != "notify"}
    assert flow == expected
    notify = {(e.source, e.target) for e in layout.edges if e.kind == "notify"}
    assert notify == {(s.id, lane) for s in definition.steps for lane in s.notify}
    for route in layout.edges:
        assert len(route.points) >= 4 and (len(route.points) - 1) % 3 == 0
        start, end = route.points[0], route.points[-1]
        assert _near(boxes[route.source].box, start), route
        if route.kind == "notify":
            assert _inside(layout.lanes_by_id[route.target].box, end), route
        else:
            assert _near(boxes[route.target].box, end), route
        if route.label is not None:
            x, y = route.label_pos  # type: ignore[misc]
            assert 0 <= x <= layout.width and 0 <= y <= layout.height


def test_edge_kinds_and_labels() -> None:
    layout = compute_layout(DEFINITIONS["it-help-desk"])
    routes = {(e.source, e.index): e for e in layout.edges if e.index is not None}
    assert routes[("diagnose", 1)].kind == "timer"
    # diagnose's four timers to esc-t2 (one per severity) are one arrow: the first carries
    # one label listing every timer, the others none (`layout.bundles`)
    label = (routes[("diagnose", 1)].label or "").replace("\n", " ")
    for timer in ("after 30m (P1)", "1h (P2)", "8h (P3)", "2d (P4)"):
        assert timer in label, label
    assert [routes[("diagnose", i)].label for i in (2, 3, 4)] == [None, None, None]
    assert routes[("t1-fixed", 0)].label == "yes"
    assert routes[("log", 0)].kind == "flow" and routes[("log", 0)].label is None


def test_severity_keeps_places_drops_other_edges_and_dims_unreached_steps() -> None:
    definition = DEFINITIONS["four-level-matrix"]
    full = compute_layout(definition)
    sev4 = compute_layout(definition, severity="sev4")
    assert sev4.steps == full.steps and sev4.lanes == full.lanes
    kept = {(e.source, e.index) for e in sev4.edges if e.index is not None}
    assert ("experts-fixed", 2) in kept  # sev4 only
    assert ("experts-fixed", 1) not in kept  # sev1-3 only
    assert ("basic", 1) not in kept  # the sev1 timer
    assert "vendor-fix" in sev4.dimmed and "esc-mgmt" in sev4.dimmed
    assert "submit" not in sev4.dimmed and full.dimmed == ()
    labels = {(e.source, e.index): e.label for e in sev4.edges}
    assert labels[("experts-fixed", 2)] == "no, Sev 4"  # no "sev4 only" on a sev4 chart


def test_tb_swaps_axes() -> None:
    definition = DEFINITIONS["spec-example"]
    layout = compute_layout(definition, direction="TB")
    xs = [band.box.x for band in layout.lanes]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert all(band.header.width == band.box.width for band in layout.lanes)


def test_layout_is_deterministic() -> None:
    definition = DEFINITIONS["synthetic-60x6"]
    assert compute_layout(definition) == compute_layout(definition)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"direction": "RL"}, "unknown direction"), ({"severity": "P9"}, "unknown severity")],
    ids=["direction", "severity"],
)
def test_bad_arguments_are_refused(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(LayoutError, match=message):
        compute_layout(DEFINITIONS["spec-example"], **kwargs)


def _shrunk(box: Box) -> Box:
    return Box(box.x + 0.01, box.y + 0.01, box.width - 0.02, box.height - 0.02)


def _near(box, point, slack: float = 3.0) -> bool:  # type: ignore[no-untyped-def]
    x, y = point
    return box.x - slack <= x <= box.right + slack and box.y - slack <= y <= box.bottom + slack


def _inside(box, point) -> bool:  # type: ignore[no-untyped-def]
    return _near(box, point, 0.01)


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_edges_stay_in_the_lanes_and_off_the_headers(name: str, direction: str) -> None:
    layout = compute_layout(DEFINITIONS[name], direction=direction)
    headers = [_shrunk(_shrunk(band.header)) for band in layout.lanes]
    for route in layout.edges:
        points = route.points
        for x, y in points:
            assert -0.5 <= x <= layout.width + 0.5 and -0.5 <= y <= layout.height + 0.5
        for i in range(0, len(points) - 3, 3):  # sample each segment's chord
            (x0, y0), (x1, y1) = points[i], points[i + 3]
            for k in range(21):
                x, y = x0 + (x1 - x0) * k / 20, y0 + (y1 - y0) * k / 20
                assert not any(h.x < x < h.right and h.y < y < h.bottom for h in headers), route


def test_big_charts_are_routed_in_windows_with_every_edge() -> None:
    # 120 steps: routed in windows, the longest edges along band padding
    definition = load_text(synthetic_yaml(120, 6)).definition
    assert definition is not None
    layout = compute_layout(definition)
    check_geometry(definition, layout)
    assert len([e for e in layout.edges if e.kind != "notify"]) == sum(
        len(s.next) for s in definition.steps
    )


_HANDOVER = """
process: {id: handover, name: Hand-over, owner: Desk}
severities:
  - {id: P1, name: Critical}
lanes:
  - {id: desk, name: Desk}
  - {id: experts, name: Experts}
steps:
  - {id: start, lane: desk, type: start, label: Ticket, next: triage}
  - id: triage
    lane: desk
    type: decision
    label: Fixed?
    next:
      - {when: yes, to: done}
      - {when: "no, the customer is still waiting", to: expert}
  - {id: expert, lane: experts, label: Expert fix, next: check}
  - {id: check, lane: experts, label: Check the fix, next: done}
  - {id: done, lane: desk, type: resolution, label: Closed}
"""
# the same hand-over as two timers drawn as one arrow, labelled with both (`bundles`)
_BUNDLED = _HANDOVER.replace(
    """    type: decision
    label: Fixed?
    next:
      - {when: yes, to: done}
      - {when: "no, the customer is still waiting", to: expert}""",
    """    label: Triage
    next:
      - {to: done}
      - {after: 1h, to: expert, severities: [P1]}
      - {after: 4h, to: expert, severities: [P2]}""",
).replace("  - {id: P1, name: Critical}", "  - {id: P1, name: Critical}\n  - {id: P2, name: High}")


@pytest.mark.parametrize("text", [_HANDOVER, _BUNDLED], ids=["branch", "bundle"])
@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_a_labelled_handover_straight_across_has_a_run_as_long_as_its_label(
    direction: str, text: str
) -> None:
    """A hand-over stays on its rank, so its only run is the gap between the two bands:
    that gap is as long as its label along the run (it was 40 pt, whatever the label)."""
    from escalation_charts.layout.labels import label_size

    definition = load_text(text).definition
    assert definition is not None
    layout = compute_layout(definition, direction=direction)
    boxes = layout.steps_by_id
    source, target = boxes["triage"].box, boxes["expert"].box
    route = next(e for e in layout.edges if e.source == "triage" and e.target == "expert")
    assert route.label is not None and route.label_pos is not None
    width, height = label_size(route.label, 9.0)
    if direction == "TB":  # lanes are columns: the hand-over runs across the page
        assert abs(source.center[1] - target.center[1]) < 1  # straight across
        gap, need = target.x - source.right, width
        assert source.right < route.label_pos[0] < target.x
    else:
        assert abs(source.center[0] - target.center[0]) < 1
        gap, need = target.y - source.bottom, height
        assert source.bottom < route.label_pos[1] < target.y
    assert gap >= need + 8, (gap, need)
