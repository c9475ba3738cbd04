"""The rendered SVG keeps SPEC's lane promises, read back from the file itself.

For every example and a generated 60-step, 6-lane definition: the SVG is parsed, lane
groups (`<g id="lane-...">`) and step groups (`<g id="step-...">`) are found and their
shapes measured, and the bands must be in declared order, of equal length, not
overlapping, with every step's shape inside its own lane's band and no two steps
overlapping.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from lxml import etree

from escalation_charts.layout import engine as _graphviz
from escalation_charts.model import Definition
from escalation_charts.reading.loader import load, load_text
from escalation_charts.render.chart import render_chart

from .conftest import EXAMPLES
from .synth import synthetic_yaml

SVG = "{http://www.w3.org/2000/svg}"
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


def _definition(path: Path) -> Definition:
    loaded = load(path)
    assert loaded.definition is not None
    return loaded.definition


DEFINITIONS = {p.stem: _definition(p) for p in EXAMPLES}
DEFINITIONS["synthetic-60x6"] = load_text(synthetic_yaml(60, 6)).definition  # type: ignore[assignment]


def shape_rect(group: etree._Element) -> Rect:
    """The bounding box of the shapes (polygon, path, ellipse) drawn directly in a group."""
    xs: list[float] = []
    ys: list[float] = []
    for child in group:
        tag = child.tag.removeprefix(SVG)
        if tag == "polygon":
            nums = [float(v) for v in re.split(r"[ ,]+", child.get("points").strip())]
        elif tag == "path":
            nums = [float(v) for v in re.findall(r"-?[\d.]+", child.get("d"))]
        elif tag == "ellipse":
            cx, cy = float(child.get("cx")), float(child.get("cy"))
            rx, ry = float(child.get("rx")), float(child.get("ry"))
            nums = [cx - rx, cy - ry, cx + rx, cy + ry]
        else:
            continue
        xs += nums[0::2]
        ys += nums[1::2]
    assert xs, f"no shape in {group.get('id')}"
    return (min(xs), min(ys), max(xs), max(ys))


def groups(svg: bytes, prefix: str) -> dict[str, etree._Element]:
    root = etree.fromstring(svg)
    found = root.iter(f"{SVG}g")
    return {g.get("id")[len(prefix) :]: g for g in found if g.get("id", "").startswith(prefix)}


def inside(inner: Rect, outer: Rect, slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_svg_lanes_are_real_lanes(name: str, direction: str) -> None:
    definition = DEFINITIONS[name]
    svg = render_chart(definition, "svg", direction=direction)
    assert _graphviz.last_messages() == []  # Graphviz had nothing to complain about
    lanes = {
        lane: shape_rect(g)
        for lane, g in groups(svg, "lane-").items()
        if lane in definition.lanes_by_id  # not the header/name/note nodes
    }
    order = [lane.id for lane in definition.lanes]
    assert list(lanes) == order
    rects = [lanes[lane] for lane in order]
    across = 1 if direction == "LR" else 0  # LR: bands stack downwards; TB: rightwards
    starts = [r[across] for r in rects]
    assert starts == sorted(starts) and len(set(starts)) == len(starts), "declared order"
    along = 0 if direction == "LR" else 1
    lengths = {round(r[along + 2] - r[along], 1) for r in rects}
    assert len(lengths) == 1, f"bands differ in length: {lengths}"
    assert len({round(r[along], 1) for r in rects}) == 1, "bands are not aligned"
    for a, b in itertools.pairwise(rects):
        assert a[across + 2] <= b[across] + 0.01, "bands overlap"
    steps = {step: shape_rect(g) for step, g in groups(svg, "step-").items()}
    assert set(steps) == {s.id for s in definition.steps}
    for step in definition.steps:
        assert inside(steps[step.id], lanes[step.lane]), f"{step.id} outside {step.lane}"
    for (a, ra), (b, rb) in itertools.combinations(steps.items(), 2):
        assert not overlap(ra, rb), f"{a} overlaps {b}"


def test_groups_carry_titles_for_screen_readers() -> None:
    svg = render_chart(DEFINITIONS["it-help-desk"], "svg")
    root = etree.fromstring(svg)
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "IT Help Desk Escalation (3 tiers)"

    def title(group_id: str) -> str | None:
        (group,) = root.iterfind(f".//{SVG}g[@id='{group_id}']")
        return group.findtext(f"{SVG}title")

    assert title("lane-tier2") == "Lane: Technical Experts (Tier 2) (level 2)"
    assert title("step-t1-fixed") == "Decision: Resolved at Tier 1?"
    assert title("step-esc-t2") == "Escalation: Escalate to Tier 2"
    # four timers to Tier 2 are one drawn arrow: its title says every one of them, and each
    # of the others keeps its own group and title
    assert title("edge-diagnose-1") == (
        "Troubleshoot with knowledge base → Escalate to Tier 2 "
        "(after 30m (P1); after 1h (P2); after 8h (P3); after 2d (P4))"
    )
    assert title("edge-diagnose-2") == (
        "Troubleshoot with knowledge base → Escalate to Tier 2 (after 1h; P2 only)"
    )
    assert (
        title("notify-investigate-tier1")
        == "Investigate and reproduce: notify Help Desk Reps (Tier 1)"
    )
    # no Graphviz comments (they carry its version and node names) and no leftover ids
    assert b"<!--" not in svg and b"&#45;" not in svg and b'id="graph0"' not in svg


def test_styles_tell_step_and_edge_kinds_apart() -> None:
    svg = render_chart(DEFINITIONS["it-help-desk"], "svg")
    edges = groups(svg, "edge-")
    timer = edges["diagnose-1"].find(f"{SVG}path")
    assert timer.get("stroke-dasharray")  # timer edges are dashed
    handover = edges["esc-t2-0"].find(f"{SVG}path")
    plain = edges["log-0"].find(f"{SVG}path")
    assert float(handover.get("stroke-width")) > 2 * float(plain.get("stroke-width"))
    notify = groups(svg, "notify-")["investigate-tier1"].find(f"{SVG}path")
    assert notify.get("stroke-dasharray") != timer.get("stroke-dasharray")  # dotted
    steps = groups(svg, "step-")
    assert steps["report"].find(f"{SVG}ellipse") is not None  # terminator
    assert len(steps["t1-fixed"].find(f"{SVG}polygon").get("points").split()) == 5  # diamond
    wait = steps["await-reply"].find(f"{SVG}path")
    assert wait.get("stroke-dasharray")


def test_external_lanes_are_marked() -> None:
    definition = DEFINITIONS["four-level-matrix"]
    svg = render_chart(definition, "svg")
    lanes = groups(svg, "lane-")
    band = lanes["vendor"].find(f"{SVG}polygon")
    assert band.get("stroke-dasharray")  # a dashed band
    assert lanes["desk"].find(f"{SVG}polygon").get("stroke-dasharray") is None
    note = groups(svg, "lanenote-")["vendor"].findtext(f"{SVG}text")
    assert note == "level 4 · external"


def test_title_block_and_legend() -> None:
    svg = render_chart(DEFINITIONS["it-help-desk"], "svg").decode()
    assert ">IT Help Desk Escalation (3 tiers)</text>" in svg
    assert "Version 4.1" in svg and "Owner: IT Service Desk Manager" in svg
    assert "Last review: 2026-10-06" in svg
    for text in ("Start", "Decision", "Escalation (hand-over)", "Waiting", "External party"):
        assert f">{text}</text>" in svg


def test_png_resolution_drops_for_huge_charts_but_not_below_72_dpi() -> None:
    from escalation_charts.render.chart import png_dpi

    assert png_dpi(2000, 800) == 96  # 3.6 Mpx at 96 dpi
    assert 72 < png_dpi(12000, 1200) < 96  # would be 25 Mpx
    assert png_dpi(60000, 1200) == 72


@pytest.mark.parametrize("steps", [60, 80])
def test_every_arrowhead_sits_where_its_line_ends(steps: int) -> None:
    """An arrow's line ends at the base of its head, and the head points along it: a line
    drawn on past the base (a short last run after a port was spread) reads as an arrow
    that stops short of its step with a stub through its head."""
    from .synth import incident_yaml

    text = synthetic_yaml(60, 6) if steps == 60 else incident_yaml(80)
    loaded = load_text(text)
    assert loaded.definition is not None
    root = etree.fromstring(render_chart(loaded.definition, "svg"))
    checked = 0
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "edge" or not group.get("id", "").startswith("edge-"):
            continue
        path, head = group.find(f"{SVG}path"), group.find(f"{SVG}polygon")
        if path is None or head is None:
            continue
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
        end = (numbers[-2], numbers[-1])
        corners = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", head.get("points", ""))]
        if len(corners) != 8:  # a "normal" head: base, tip, base, base again
            continue
        base = ((corners[0] + corners[4]) / 2, (corners[1] + corners[5]) / 2)
        tip = (corners[2], corners[3])
        length = ((tip[0] - base[0]) ** 2 + (tip[1] - base[1]) ** 2) ** 0.5
        # how far the line runs on past the head's base, towards its tip
        past = (end[0] - base[0]) * (tip[0] - base[0]) + (end[1] - base[1]) * (tip[1] - base[1])
        past /= length
        # Graphviz sets a head back by its stroke's miter, 1.5 pen widths: the line's
        # last points are under the head
        allowed = 1.5 * float(head.get("stroke-width", "1")) + 0.5
        start = (numbers[-8], numbers[-7])  # where the last straight piece begins
        if ((tip[0] - start[0]) ** 2 + (tip[1] - start[1]) ** 2) ** 0.5 < length + allowed:
            continue  # a last run shorter than a head: the head covers the corner (not this)
        assert past < allowed, f"{group.get('id')}: its line runs {past:.1f} pt into its head"
        checked += 1
    assert checked > 50
