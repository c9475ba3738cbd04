"""Draw the lane-level overview: bands, a box per lane, an arrow per direction of hand-over.

The same shapes and colours as the chart (the bands are `lane-<id>`, the arrows glued
connectors routed like the chart's), so the overview reads as the chart seen from afar.
"""

from __future__ import annotations

from collections.abc import Mapping

from pptx.slide import Slide

from escalation_charts.ids import dom_id
from escalation_charts.layout.geometry import Box
from escalation_charts.render.pptx.draw.chart import draw_lane, label_box
from escalation_charts.render.pptx.draw.shapes import (
    Text,
    add_box,
    add_connector,
    add_text,
    fill_text,
)
from escalation_charts.render.pptx.plan.connectors import route, segments
from escalation_charts.render.pptx.plan.glance import Glance
from escalation_charts.render.pptx.style import EDGE_STYLE, MIN_PT, Colours
from escalation_charts.render.pptx.text.fit import INSETS

__all__ = ["draw_glance"]

_BOX_PT = 11.0


def draw_glance(
    slide: Slide,
    glance: Glance,
    lanes: Mapping[str, tuple[str, bool]],
    where: Mapping[str, str],
) -> None:
    """Draw `glance`; `lanes` maps a lane to its name and whether it is external, `where`
    to the text of its box (the detail slides its steps are on)."""
    shapes = slide.shapes
    for n, row in enumerate(glance.lanes):
        name, external = lanes[row.lane]
        count = f"{row.steps} step" + ("" if row.steps == 1 else "s")
        draw_lane(
            shapes, row.lane, row.band, row.header, f"{name}\n{count}", external, n, glance.name_pt
        )
    first = len(shapes._spTree)  # arrows go here, under the boxes, as on the chart
    boxes: dict[str, Box] = {}
    drawn = {}
    for row in glance.lanes:
        box = row.box
        shape = add_box(
            shapes,
            dom_id("glance", row.lane),
            "roundRect",
            (box.x, box.y, box.width, box.height),
            fill=Colours.WHITE,
            line=Colours.FLOW,
            line_pt=1.25,
        )
        fill_text(
            shape,
            [[Text(where.get(row.lane, ""), _BOX_PT, colour=Colours.INK)]],
            insets=(INSETS[0] + 4, INSETS[1], INSETS[0] + 4, INSETS[1]),
        )
        boxes[row.lane] = box
        drawn[row.lane] = shape
    bounds = Box(
        glance.lanes[0].band.x,
        glance.lanes[0].band.y,
        glance.lanes[-1].band.right - glance.lanes[0].band.x,
        glance.lanes[-1].band.bottom - glance.lanes[0].band.y,
    )
    taken_legs: list = []
    covered: list[Box] = list(boxes.values())
    used_out: dict[str, set[int]] = {}
    labels = []
    elements = []
    paths = []
    for hand in glance.handovers:
        source, target = boxes[hand.source], boxes[hand.target]
        others = [b for lane, b in boxes.items() if lane not in (hand.source, hand.target)]
        path = route(
            source,
            target,
            others,
            used_out=used_out.get(hand.source, ()),
            target_out=used_out.get(hand.target, ()),
            taken=taken_legs,
        )
        taken_legs.extend(segments(path))
        used_out.setdefault(hand.source, set()).add(path.begin_side)
        look = EDGE_STYLE["timer" if hand.timers == hand.count else "handover"]
        connector = add_connector(
            shapes,
            dom_id("handover", hand.source, hand.target),
            path,
            drawn[hand.source],
            drawn[hand.target],
            colour=look.colour,
            width_pt=look.width,
            dash=look.dash,
        )
        elements.append(connector._element)
        paths.append(path)
    # Labels once every arrow is known: a label must not hide another arrow's line.
    for hand, path in zip(glance.handovers, paths, strict=True):
        own = set(segments(path))
        others = [leg for leg in taken_legs if leg not in own]
        text = f"{hand.count} hand-over" + ("" if hand.count == 1 else "s")
        box = label_box(path, text, MIN_PT, covered, bounds, others)
        covered.append(Box(*box))
        labels.append((box, text, f"label-handover-{hand.source}-{hand.target}"))
    tree = shapes._spTree
    for element in elements:
        tree.remove(element)
        tree.insert(first, element)
        first += 1
    for box, text, name in labels:
        add_text(
            shapes,
            name,
            box,
            [[Text(text, MIN_PT, colour=Colours.INK)]],
            fill=Colours.WHITE,
            align="ctr",
            anchor="ctr",
            wrap=False,
        )
