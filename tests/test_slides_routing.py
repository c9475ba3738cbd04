"""Connector routes and chart pages, from a small hand-built layout (no Graphviz)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_charts.layout.geometry import Box, EdgeRoute, LaneBand, Layout, StepBox
from escalation_charts.render.pptx.plan.chart import StepText, plan_chart
from escalation_charts.render.pptx.plan.connectors import (
    BOTTOM,
    LEFT,
    RIGHT,
    TOP,
    Route,
    crosses,
    route,
)
from escalation_charts.render.pptx.text.fit import fits_in_shape

AREA = Box(36, 90, 888, 400)


def frame_point(r: Route, u: float, v: float) -> tuple[float, float]:
    """Where DrawingML draws the local point (u, v) of a connector: flips in the frame,
    then rotation clockwise about the frame's centre."""
    x, y, w, h = r.box
    if r.flip_h:
        u = w - u
    if r.flip_v:
        v = h - v
    dx, dy = u - w / 2, v - h / 2
    angle = math.radians(r.rot)
    rx = dx * math.cos(angle) - dy * math.sin(angle)
    ry = dx * math.sin(angle) + dy * math.cos(angle)
    return (x + w / 2 + rx, y + h / 2 + ry)


def close(a: tuple[float, float], b: tuple[float, float], tol: float = 1.01) -> bool:
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol


boxes = st.builds(
    Box,
    st.floats(0, 600),
    st.floats(0, 400),
    st.floats(30, 160),
    st.floats(20, 90),
)


@settings(max_examples=300, deadline=None)
@given(boxes, boxes)
def test_the_written_connector_runs_from_source_to_target_along_the_path(a: Box, b: Box) -> None:
    if a.overlaps(b):
        return
    r = route(a, b)
    _, _, w, h = r.box
    assert close(frame_point(r, 0, 0), r.points[0])
    if r.preset == "bentConnector3" and abs(r.adj or 0) <= 100000:
        assert close(frame_point(r, w, h), r.points[-1])
        bend = frame_point(r, w * (r.adj or 50000) / 100000, 0)
        assert close(bend, r.points[1])
    elif r.preset in ("bentConnector2", "straightConnector1"):
        assert close(frame_point(r, w, h), r.points[-1])
    if r.preset == "bentConnector2":
        assert close(frame_point(r, w, 0), r.points[1])


def test_a_step_straight_ahead_is_joined_right_side_to_left_side() -> None:
    r = route(Box(0, 0, 100, 40), Box(200, 0, 100, 40))
    assert (r.begin_side, r.end_side) == (RIGHT, LEFT)
    assert r.preset == "straightConnector1"


def test_a_step_in_the_lane_below_is_reached_without_a_detour() -> None:
    r = route(Box(0, 0, 100, 40), Box(0, 120, 100, 40))
    assert (r.begin_side, r.end_side) == (BOTTOM, TOP)


def test_a_loop_back_goes_round_the_steps_in_between() -> None:
    middle = Box(150, 0, 100, 40)
    r = route(Box(300, 0, 100, 40), Box(0, 0, 100, 40), [middle])
    assert r.begin_side == r.end_side in (TOP, BOTTOM)  # a U over or under the row
    assert r.preset == "bentConnector3"
    assert all(not (middle.y < y < middle.bottom) for _, y in r.points[1:-1])


def test_two_arrows_leaving_one_step_use_different_sides() -> None:
    source = Box(0, 100, 100, 40)
    first = route(source, Box(200, 100, 100, 40))
    second = route(source, Box(200, 220, 100, 40), used_out={first.begin_side})
    assert first.begin_side != second.begin_side


def small_layout(width: float = 700.0) -> tuple[Layout, dict[str, StepText]]:
    """Two lanes, three steps: the kind of layout `compute_layout` returns."""
    bands = (
        LaneBand("a", Box(0, 0, width, 80), Box(0, 0, 120, 80)),
        LaneBand("b", Box(0, 80, width, 90), Box(0, 80, 120, 90)),
    )
    steps = (
        StepBox("s", Box(150, 20, 110, 40)),
        StepBox("d", Box(330, 97, 130, 56)),
        StepBox("e", Box(540, 100, 110, 50)),
    )
    edges = (
        EdgeRoute("s", "d", "flow", 0, ((260, 40), (330, 125))),
        EdgeRoute("d", "e", "flow", 0, ((460, 125), (540, 125)), "yes"),
        EdgeRoute("d", "s", "timer", 1, ((395, 97), (205, 60)), "after 2h"),
    )
    text = {
        "s": StepText("flowChartTerminator", "Start here and say what is wrong", "a"),
        "d": StepText("flowChartDecision", "Fixed now?", "b"),
        "e": StepText("flowChartTerminator", "Done and closed for good", "b"),
    }
    return Layout(width, 170, "LR", bands, steps, edges), text


def test_a_small_chart_fits_one_slide_as_laid_out() -> None:
    layout, text = small_layout()
    plan = plan_chart(layout, text, {"a": "Lane A", "b": "Lane B"}, AREA)
    (page,) = plan.pages
    assert page.refs == ()
    assert {e.name for e in page.edges} == {"edge-s-0", "edge-d-0", "edge-d-1"}
    widths = {round(b.box.width, 3) for b in page.lanes}
    assert len(widths) == 1  # all bands the same length
    for band in page.lanes:
        assert AREA.contains(band.box)
    for step in page.steps:
        lane = next(b for b in page.lanes if b.lane == text[step.step].lane)
        assert lane.box.contains(step.box)
        t = text[step.step]
        assert fits_in_shape(t.label, t.preset, step.box.width, step.box.height, plan.step_pt)
    assert 10 <= plan.step_pt <= 14


def test_a_long_chart_is_cut_into_pages_of_whole_steps() -> None:
    layout, text = small_layout()
    narrow = Box(0, 0, 360, 400)  # at 10 pt the steps need about 0.9 of their layout size
    plan = plan_chart(layout, text, {"a": "Lane A", "b": "Lane B"}, narrow)
    assert len(plan.pages) >= 2
    seen = [s.step for page in plan.pages for s in page.steps]
    assert sorted(seen) == ["d", "e", "s"]
    for page in plan.pages:
        for placed in (*page.steps, *page.lanes):
            box = placed.box
            assert narrow.contains(box, tolerance=0.5), (page.number, placed)
    # The arrow from s to d crosses a page boundary: it ends at an off-page reference.
    first = next(p for p in plan.pages if any(s.step == "s" for s in p.steps))
    assert any(r.step == "d" and r.outgoing for r in first.refs) or any(
        s.step == "d" for s in first.steps
    )


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_pages_keep_every_step_inside_its_lane(direction: str) -> None:
    layout, text = small_layout()
    if direction == "TB":
        swap = lambda b: Box(b.y, b.x, b.height, b.width)  # noqa: E731
        layout = Layout(
            layout.height,
            layout.width,
            "TB",
            tuple(LaneBand(b.lane, swap(b.box), swap(b.header)) for b in layout.lanes),
            tuple(StepBox(s.step, swap(s.box)) for s in layout.steps),
            (),
        )
    plan = plan_chart(layout, text, {"a": "A", "b": "B"}, Box(0, 0, 300, 300))
    for page in plan.pages:
        for step in page.steps:
            lane = next(b for b in page.lanes if b.lane == text[step.step].lane)
            assert lane.box.contains(step.box, tolerance=0.5)


def _drawn(r: Route) -> list[tuple[float, float]]:
    """The polyline DrawingML draws for `r`'s preset, adjustments and frame (ECMA-376)."""
    _, _, w, h = r.box
    a = (r.adj if r.adj is not None else 50000) / 100000 * w
    b = (r.adj2 if r.adj2 is not None else 50000) / 100000 * h
    c = (r.adj3 if r.adj3 is not None else 50000) / 100000 * w
    local = {
        "straightConnector1": [(0, 0), (w, h)],
        "bentConnector2": [(0, 0), (w, 0), (w, h)],
        "bentConnector3": [(0, 0), (a, 0), (a, h), (w, h)],
        "bentConnector4": [(0, 0), (a, 0), (a, b), (w, b), (w, h)],
        "bentConnector5": [(0, 0), (a, 0), (a, b), (c, b), (c, h), (w, h)],
    }[r.preset]
    return [frame_point(r, u, v) for u, v in local]


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 300), st.floats(-60, 60), st.floats(40, 140), st.floats(20, 80))
def test_a_step_in_the_way_is_gone_round_and_the_detour_is_written_as_drawn(
    gap: float, shift: float, width: float, height: float
) -> None:
    """Two steps in line with a third between them, and the steps above and below the
    way round taken too: the arrow goes round (three or four bends, bentConnector4/5),
    and the connector's frame and adjustments draw exactly that path in PowerPoint."""
    source = Box(0, 200, 30, 30)  # an off-page mark, as on a detail slide
    target = Box(200 + gap + width, 200 + shift, 120, 60)
    blocker = Box(100 + gap / 2, 215 - height / 2, width, height)
    above, below = Box(0, 162, 30, 30), Box(0, 238, 30, 30)  # marks stacked on it
    r = route(source, target, [blocker, above, below])
    legs = list(zip(r.points, r.points[1:], strict=False))
    assert not any(crosses(a, b, box) for a, b in legs for box in (blocker, above, below))
    drawn = _drawn(r)
    assert len(drawn) == len(r.points)
    for want, got in zip(r.points, drawn, strict=True):
        assert close(want, got, 1.5), (r.preset, r.points, drawn)
