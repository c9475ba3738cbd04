"""Notify arrows end in a tag naming the lane they inform, inside that lane's band, so an
arrow that crosses a lane never seems to inform the wrong one (issue 13). A tag that would
cover another arrow or a step is left out (the arrow's SVG title still names the lane)."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from escalation_charts.ids import dom_id
from escalation_charts.reading.loader import load
from escalation_charts.render.chart import render_chart
from tests.legibility import SVG

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))


def _bounds(group: etree._Element) -> tuple[float, float, float, float]:
    shape = group.find(f"{SVG}polygon")
    assert shape is not None
    values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", shape.get("points", ""))]
    xs, ys = values[0::2], values[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def test_notify_arrows_name_their_lane_inside_that_lane() -> None:
    arrows = tagged = 0
    for path in EXAMPLES:
        definition = load(path).definition
        assert definition is not None
        root = etree.fromstring(render_chart(definition, "svg"))
        lanes = definition.lanes_by_id
        for step in definition.steps:
            for lane_id in step.notify:
                arrows += 1
                gid = dom_id("notify", step.id, lane_id)
                (group,) = root.iterfind(f".//{SVG}g[@id='{gid}']")
                texts = list(group.iter(f"{SVG}text"))
                if not texts:
                    continue
                tagged += 1
                assert " ".join(t.text or "" for t in texts) == lanes[lane_id].name
                (band,) = root.iterfind(f".//{SVG}g[@id='lane-{lane_id}']")
                x0, y0, x1, y1 = _bounds(band)
                for t in texts:
                    x, y = float(t.get("x", "0")), float(t.get("y", "0"))
                    assert x0 <= x <= x1 and y0 <= y <= y1, (path.name, step.id, lane_id)
    assert arrows == 13
    assert tagged >= 9  # measured: 9 of 13 (the others would cover another arrow)
