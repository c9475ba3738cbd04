"""Model + layout -> DOT text for the final drawing (a pure function, no Graphviz call).

Every position comes from `geometry.Layout`: nodes are pinned (`pos`), edges carry their
routed splines (`pos` with the arrow tip) and label places (`lp`), lanes are clusters with
a fixed `bb`. Graphviz's `nop2` engine then only draws, so the DOT file itself is the
chart: `neato -n2 -Tsvg chart.dot` redraws it exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from escalation_charts.ids import dom_id
from escalation_charts.layout import bands as lay
from escalation_charts.layout.dot_text import attr_list, num, quote, text_label
from escalation_charts.layout.geometry import Box, EdgeRoute, Layout, Point
from escalation_charts.model import Definition, StepType
from escalation_charts.render import furniture
from escalation_charts.render.canvas import Canvas, step_style
from escalation_charts.render.themes import Theme, edge_look

__all__ = [
    "ARROW_SIZE",
    "MARKS",
    "SPILL",
    "Canvas",
    "Marks",
    "chart_dot",
    "edge_id",
    "page_size",
    "shared_edges",
    "step_style",
]

ARROW_SIZE = 0.8  # Graphviz arrowheads are 10 pt long at arrowsize 1
SPILL = 9.0  # how far Graphviz grows a text node (the title) past its measured width

# What a change chart marks an element as (`diff --chart`), by SVG id: `step-<id>`,
# `edge-<step>-<index>`, `lane-<id>`. Unmarked elements are drawn as usual.
Marks = Mapping[str, str]
MARKS = ("added", "changed", "removed")


def page_size(
    definition: Definition,
    layout: Layout,
    theme: Theme,
    marks: Marks | None = None,
    sheet: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """The whole drawing's width and height in points: title block, lanes, legend; at
    least `sheet` (a page of a paged chart fills its paper, less Graphviz's pad)."""
    title = furniture.title_block(definition, layout, theme)
    legend = furniture.legend(
        theme,
        _legend_room(layout, title.width, sheet),
        changes=bool(marks),
        pages=bool(layout.continuations),
    )
    width = max(layout.width, title.width, legend.width)
    height = title.height + layout.height + furniture.GAP + legend.height
    if sheet is not None:
        width, height = max(width, sheet[0]), max(height, sheet[1])
    return width, height


def _legend_room(layout: Layout, title_width: float, sheet: tuple[float, float] | None) -> float:
    if sheet is not None:
        return sheet[0]
    return max(layout.width, title_width)


def chart_dot(
    definition: Definition,
    layout: Layout,
    theme: Theme,
    marks: Marks | None = None,
    sheet: tuple[float, float] | None = None,
) -> str:
    """The whole chart as DOT text: lanes, steps, edges, title block and legend.

    `marks` (a change chart) colours added, changed and removed elements and adds them to
    the legend. `sheet` is the least drawing size (a page of a paged chart: its paper).
    """
    marks = marks or {}
    title = furniture.title_block(definition, layout, theme)
    legend = furniture.legend(
        theme,
        _legend_room(layout, title.width, sheet),
        changes=bool(marks),
        pages=bool(layout.continuations),
    )
    width, height = page_size(definition, layout, theme, marks, sheet)
    canvas = Canvas(width, height, (0.0, title.height))
    out = [
        f"digraph {quote(definition.process.id)} {{",
        "  graph "
        + attr_list(
            {
                "bb": f"0,0,{num(width, 2)},{num(height, 2)}",
                "pad": 0.25,
                "bgcolor": theme.background,
                "outputorder": "edgesfirst",
                "fontname": lay.FONT,
                "splines": "spline",
                # a page: the PDF's sheet is the drawing and its pad (no device margin)
                "margin": 0 if sheet is not None else None,
            }
        )
        + ";",
        "  node "
        + attr_list({"fixedsize": True, "fontname": lay.FONT, "fontcolor": theme.text, "margin": 0})
        + ";",
        "  edge " + attr_list({"fontname": lay.FONT, "arrowsize": ARROW_SIZE}) + ";",
    ]
    if sheet is not None:  # Graphviz sizes the drawing by what is in it: pin two corners,
        # SPILL beyond the sheet, where text nodes grown by Graphviz may reach
        corner = {"shape": "point", "style": "invis", "width": 0.01, "height": 0.01, "label": ""}
        edge = SPILL - 0.5  # less half the invisible point itself
        corners = ((-edge, -edge), (width + edge, height + edge))
        for name, point in zip(("sheet:0", "sheet:1"), corners, strict=True):
            out.append(
                f"  {quote(name)} {attr_list({**corner, 'pos': canvas.pos(point, chart=False)})};"
            )
    out += _lanes(definition, layout, theme, canvas, marks)
    out += furniture.title_dot(title, canvas)
    out += furniture.legend_dot(
        legend, canvas, (0.0, title.height + layout.height + furniture.GAP), theme
    )
    out += _steps(definition, layout, theme, canvas, marks)
    out += _continuations(layout, theme, canvas)
    out += _edges(definition, layout, theme, canvas, marks)
    out.append("}")
    return "\n".join(out) + "\n"


def _lanes(
    definition: Definition, layout: Layout, theme: Theme, canvas: Canvas, marks: Marks
) -> list[str]:
    out = []
    lanes = definition.lanes_by_id
    for index, band in enumerate(layout.lanes):
        lane = lanes[band.lane]
        fill = theme.external_fill if lane.external else theme.band_fills[index % 2]
        style = "filled,dashed" if lane.external else "filled"
        attrs = {
            "id": dom_id("lane", lane.id),
            "bb": canvas.bb(band.box),
            "style": style,
            "fillcolor": fill,
            "color": theme.band_line,
            "penwidth": theme.line_width,
            "label": "",
        }
        mark = marks.get(dom_id("lane", lane.id))
        if mark is not None:
            attrs.update(color=getattr(theme, mark), penwidth=theme.line_width * 2.5)
            if mark == "removed":
                attrs.update(style="filled,dashed", fillcolor=theme.dimmed_fill)
        out.append(f"  subgraph {quote(f'cluster_lane_{index}')} {{")
        out.append(f"    graph {attr_list(attrs)};")
        out += ["  " + line for line in _header(lane, band.header, layout, theme, canvas)]
        if marks:
            out += _halos(lane.id, definition, layout, theme, canvas, marks)
        out.append("  }")
    return out


def _header(lane, header: Box, layout: Layout, theme: Theme, canvas: Canvas) -> list[str]:  # type: ignore[no-untyped-def]
    """The header cell (filled, bordered) with the lane name, and its note line below."""
    name, note = lay.header_lines(lane, layout.direction)
    name_h = len(name) * lay.HEADER_FONT_SIZE * 1.2
    note_h = len(note) * lay.HEADER_NOTE_SIZE * 1.2
    cx, cy = header.center
    top = cy - (name_h + note_h) / 2
    style = "filled,dashed" if lane.external else "filled"
    cell = {
        "id": dom_id("lanehead", lane.id),
        "shape": "box",
        "style": style,
        "fillcolor": theme.header_fill,
        "color": theme.band_line,
        "penwidth": theme.line_width,
        "pos": canvas.pos(header.center),
        "width": header.width / 72,
        "height": header.height / 72,
        "label": "",
    }
    lines = [f"  {quote(f'header:{lane.id}')} {attr_list(cell)};"]
    text = {
        "id": dom_id("lanename", lane.id),
        "shape": "plaintext",
        "fixedsize": False,  # invisible: let a wider real font grow it quietly
        "fontname": lay.BOLD_FONT,
        "fontsize": lay.HEADER_FONT_SIZE,
        "fontcolor": theme.header_text,
        "pos": canvas.pos((cx, top + name_h / 2)),
        "width": (header.width - 4) / 72,
        "height": name_h / 72,
        "label": text_label(name),
    }
    lines.append(f"  {quote(f'header-name:{lane.id}')} {attr_list(text)};")
    if note:
        text = {
            "id": dom_id("lanenote", lane.id),
            "shape": "plaintext",
            "fixedsize": False,  # invisible: let a wider real font grow it quietly
            "fontsize": lay.HEADER_NOTE_SIZE,
            "fontcolor": theme.muted_text,
            "pos": canvas.pos((cx, top + name_h + note_h / 2)),
            "width": (header.width - 4) / 72,
            "height": note_h / 72,
            "label": text_label(note),
        }
        lines.append(f"  {quote(f'header-note:{lane.id}')} {attr_list(text)};")
    return lines


def _steps(
    definition: Definition, layout: Layout, theme: Theme, canvas: Canvas, marks: Marks
) -> list[str]:
    out = []
    dimmed = set(layout.dimmed)
    steps = definition.steps_by_id
    for placed in layout.steps:
        step = steps[placed.step]
        attrs = {
            "id": dom_id("step", step.id),
            **step_style(step, theme, step.id in dimmed),
            **_marked_step(marks.get(dom_id("step", step.id)), theme),
            "pos": canvas.pos(placed.box.center),
            "width": placed.box.width / 72,
            "height": placed.box.height / 72,
            "label": text_label(lay.step_lines(step)),
        }
        out.append(f"  {quote(step.id)} {attr_list(attrs)};")
    return out


HALO = 7.0  # points of coloured ring around a marked step


def _halos(
    lane_id: str, definition: Definition, layout: Layout, theme: Theme, canvas: Canvas, marks: Marks
) -> list[str]:
    """A coloured patch behind each marked step of a lane: the step keeps its own look and
    the patch says added, changed or removed. A cluster inside the lane, so it is drawn
    before the edges and no arrowhead is hidden under it."""
    steps = definition.steps_by_id
    out = []
    for placed in layout.steps:
        mark = marks.get(dom_id("step", placed.step))
        if mark is None or steps[placed.step].lane != lane_id:
            continue
        b = placed.box
        box = Box(b.x - HALO, b.y - HALO, b.width + 2 * HALO, b.height + 2 * HALO)
        attrs = {
            "id": dom_id("mark", placed.step),
            "bb": canvas.bb(box),
            "style": "rounded,filled",
            "fillcolor": getattr(theme, f"{mark}_halo"),
            "color": getattr(theme, mark),
            "penwidth": theme.line_width,
            "label": "",
        }
        anchor = {"shape": "point", "style": "invis", "width": 0.01, "height": 0.01}
        anchor["pos"] = canvas.pos(b.center)
        out += [
            f"    subgraph {quote(f'cluster_mark_{placed.step}')} {{",
            f"      graph {attr_list(attrs)};",
            f"      {quote(f'mark:{placed.step}')} {attr_list(anchor)};",
            "    }",
        ]
    return out


def _marked_step(mark: str | None, theme: Theme) -> dict[str, str | float | None]:
    """A removed step is ghosted: pale, dashed red border, red text."""
    if mark != "removed":
        return {}
    return {
        "style": "rounded,filled,dashed",
        "fillcolor": theme.dimmed_fill,
        "color": theme.removed,
        "fontcolor": theme.removed,
    }


def _continuations(layout: Layout, theme: Theme, canvas: Canvas) -> list[str]:
    """Each continuation mark: the flowchart off-page connector (a pentagon pointing the
    way the arrows go), its number, and the pages it leads to or comes from."""
    out = []
    dimmed = set(layout.dimmed)
    for mark in layout.continuations:
        faded = mark.step in dimmed  # it leads to a step this severity never reaches
        attrs = {
            "id": mark.key,
            "shape": "invhouse" if layout.direction == "TB" else "cds",
            # it points the way the reader goes: on along the flow, or back to a page before
            "orientation": 0 if mark.outgoing == mark.at_end else 180,
            "style": "filled",
            "fillcolor": theme.background,
            "color": theme.dimmed_line if faded else theme.muted_text,
            "fontcolor": theme.dimmed_line if faded else None,
            "penwidth": theme.line_width * (1.0 if faded else 1.5),
            "fontsize": lay.MARK_FONT,
            "pos": canvas.pos(mark.box.center),
            "width": mark.box.width / 72,
            "height": mark.box.height / 72,
            "fontname": lay.BOLD_FONT,
            "label": text_label(list(mark.lines)),
        }
        out.append(f"  {quote(mark.key)} {attr_list(attrs)};")
    return out


def edge_id(route: EdgeRoute) -> str:
    """`edge-<step>-<index>` for flow and timer edges, `notify-<step>-<lane>` for notify
    (with `-` doubled in both ids, see `ids.dom_id`); on a page, `edge-cont-<n>-in` for
    the arrow from an incoming mark to its step."""
    if route.kind == "notify":
        return dom_id("notify", route.source, route.target)
    return dom_id("edge", route.source, index=route.index)


def _edges(
    definition: Definition, layout: Layout, theme: Theme, canvas: Canvas, marks: Marks
) -> list[str]:
    out = []
    steps = definition.steps_by_id
    dimmed = set(layout.dimmed)
    mark_step = {mark.key: mark.step for mark in layout.continuations}
    bundle_marks = _bundle_marks(layout, marks)
    for route in layout.edges:
        source = steps.get(route.source)  # None: from a continuation mark
        attrs: dict[str, str | float | None] = {"id": edge_id(route)}
        if not route.drawn:  # its bundle's first edge draws the arrow (`layout.bundles`)
            attrs.update(style="invis", pos=_spline(route.points, canvas, ARROW_SIZE * 10))
            out.append(f"  {quote(route.source)} -> {quote(route.target)} {attr_list(attrs)};")
            continue
        head = route.target
        if route.kind == "notify":
            head = f"notify-end:{route.source}:{route.target}"
            end = {"shape": "point", "style": "invis", "width": 0.01, "height": 0.01}
            end["pos"] = canvas.pos(route.points[-1])
            out.append(f"  {quote(head)} {attr_list(end)};")
        handover = source is not None and source.type is StepType.ESCALATE
        look = edge_look(theme, route.kind, handover=handover)
        attrs["color"] = look.line
        if look.dash:
            attrs["style"] = look.dash
        attrs["penwidth"] = look.width
        if route.kind == "notify":
            attrs["arrowhead"] = "vee"
        # a mark stands for its step on the other page: an arrow to a faded step fades
        target = mark_step.get(route.target, route.target)
        faded = route.source in dimmed or (route.kind != "notify" and target in dimmed)
        if faded:  # a ticket of this severity never takes it: hand-over emphasis goes too
            attrs.update(color=theme.dimmed_line, penwidth=theme.line_width)
        mark = bundle_marks.get(edge_id(route), marks.get(edge_id(route)))
        if mark is not None:
            width = max(float(attrs.get("penwidth") or 0), theme.line_width * 2.2)
            attrs.update(color=getattr(theme, mark), penwidth=width)
            if mark == "removed":
                attrs["style"] = "dashed"
        attrs["pos"] = _spline(route.points, canvas, ARROW_SIZE * 10)
        if route.label is not None and route.label_pos is not None:
            attrs.update(
                label=text_label(route.label.split("\n")),
                lp=canvas.pos(route.label_pos),
                fontsize=lay.EDGE_FONT_SIZE,
                fontcolor={"timer": theme.timer_edge, "notify": theme.notify_edge}.get(
                    route.kind, theme.label_text
                ),
            )
            if faded:
                attrs["fontcolor"] = theme.dimmed_line
            if mark is not None:
                attrs["fontcolor"] = getattr(theme, mark)
        out.append(f"  {quote(route.source)} -> {quote(head)} {attr_list(attrs)};")
    return out


def _bundle_marks(layout: Layout, marks: Marks) -> dict[str, str]:
    """A change chart's mark of a bundle's drawn arrow: its members' one mark, or `changed`
    when they differ (one drawn arrow for a kept and a removed timer has changed)."""
    out: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    for route in layout.edges:
        if route.bundle and route.index is not None:
            first = dom_id("edge", route.source, index=route.bundle[0])
            found = marks.get(edge_id(route))
            members.setdefault(first, set()).add(found or "")
    for first, found in members.items():
        kinds = found - {""}
        if kinds:
            out[first] = kinds.pop() if len(found) == 1 else "changed"
    return out


def shared_edges(layout: Layout) -> dict[str, str]:
    """SVG id of each bundle member drawn by another edge's arrow -> that edge's id: the
    SVG keeps a (title-only) group for every model edge."""
    return {
        edge_id(route): dom_id("edge", route.source, index=route.bundle[0])
        for route in layout.edges
        if not route.drawn
    }


def _spline(points: Sequence[Point], canvas: Canvas, arrow: float) -> str:
    """Graphviz edge `pos`: the arrow tip (`e,x,y`), then the spline shortened to end at the
    arrowhead's base (the layout's points end at the tip).

    The routes are straight pieces (flat cubics): the last piece is shortened along its
    own line, from where it starts, and its control points put back on it. Measured from
    its last control point instead, a piece shorter than three arrowheads lost only a
    third of that, and the arrowhead was drawn past its line and short of the step."""
    pts = list(points)
    tip = pts[-1]
    start = pts[-4] if len(pts) >= 4 else pts[0]
    ref = next((p for p in (start, pts[0]) if math.dist(p, tip) > 1e-6), None)
    if ref is not None:
        d = math.dist(ref, tip)
        step = min(arrow, d * 0.9)
        end = (tip[0] + (ref[0] - tip[0]) / d * step, tip[1] + (ref[1] - tip[1]) / d * step)
        pts[-1] = end
        if len(pts) >= 4:
            a = pts[-4]
            pts[-3] = (a[0] + (end[0] - a[0]) / 3, a[1] + (end[1] - a[1]) / 3)
            pts[-2] = (a[0] + (end[0] - a[0]) * 2 / 3, a[1] + (end[1] - a[1]) * 2 / 3)
    body = " ".join(canvas.pos(p) for p in pts)
    return f"e,{canvas.pos(tip)} {body}"
