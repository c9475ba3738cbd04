"""Reading a deck's geometry back from the PPTX itself (no tests here).

What a trainer sees is what PowerPoint draws from the file: a connector's stored frame,
rotation, flips and elbow adjustment; a shape's box, preset and text. These helpers turn
that into points so tests can measure crossings, shared segments and text that spills,
independently of how the deck was planned.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from pptx.oxml.ns import qn

from escalation_charts.layout.textfit import LINE_HEIGHT, deck_width, deck_wrap

Point = tuple[float, float]
EMU = 12700.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


def rect(shape) -> Rect:  # type: ignore[no-untyped-def]
    return Rect(shape.left / EMU, shape.top / EMU, shape.width / EMU, shape.height / EMU)


def preset(shape) -> str | None:  # type: ignore[no-untyped-def]
    geom = shape._element.spPr.find(qn("a:prstGeom"))
    return None if geom is None else geom.get("prst")


def _adj(shape, default: int, name: str = "adj1") -> float:  # type: ignore[no-untyped-def]
    geom = shape._element.spPr.find(qn("a:prstGeom"))
    for gd in geom.iter(qn("a:gd")):
        if gd.get("name") == name:
            return int(gd.get("fmla").split()[1]) / 100000
    return default / 100000


def connector_path(connector) -> list[Point]:  # type: ignore[no-untyped-def]
    """The polyline DrawingML draws for a straight or elbow connector, in slide points:
    the preset's local path in its frame, flipped, then rotated about the frame's centre."""
    xfrm = connector._element.spPr.find(qn("a:xfrm"))
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    x, y = int(off.get("x")) / EMU, int(off.get("y")) / EMU
    w, h = int(ext.get("cx")) / EMU, int(ext.get("cy")) / EMU
    rot = int(xfrm.get("rot", "0")) / 60000
    flip_h, flip_v = xfrm.get("flipH") == "1", xfrm.get("flipV") == "1"
    kind = preset(connector)
    if kind == "bentConnector2":
        local = [(0, 0), (w, 0), (w, h)]
    elif kind == "bentConnector3":
        a = _adj(connector, 50000) * w
        local = [(0, 0), (a, 0), (a, h), (w, h)]
    elif kind == "bentConnector4":  # ECMA-376 presetShapeDefinitions
        a, b = _adj(connector, 50000) * w, _adj(connector, 50000, "adj2") * h
        local = [(0, 0), (a, 0), (a, b), (w, b), (w, h)]
    elif kind == "bentConnector5":
        a, b = _adj(connector, 50000) * w, _adj(connector, 50000, "adj2") * h
        c = _adj(connector, 50000, "adj3") * w
        local = [(0, 0), (a, 0), (a, b), (c, b), (c, h), (w, h)]
    else:
        local = [(0, 0), (w, h)]
    out = []
    for u, v in local:
        u = w - u if flip_h else u
        v = h - v if flip_v else v
        dx, dy = u - w / 2, v - h / 2
        t = math.radians(rot)
        out.append(
            (
                x + w / 2 + dx * math.cos(t) - dy * math.sin(t),
                y + h / 2 + dx * math.sin(t) + dy * math.cos(t),
            )
        )
    return out


def glued(connector) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:  # type: ignore[no-untyped-def]
    nv = connector._element.find(qn("p:nvCxnSpPr")).find(qn("p:cNvCxnSpPr"))
    out = []
    for tag in ("a:stCxn", "a:endCxn"):
        el = nv.find(qn(tag))
        out.append(None if el is None else (int(el.get("id")), int(el.get("idx"))))
    return out[0], out[1]


def glue_point(box: Rect, idx: int) -> Point:
    """Connection point `idx` of a flowchart preset: 0 top, 1 left, 2 bottom, 3 right."""
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    return [(cx, box.y), (box.x, cy), (cx, box.bottom), (box.right, cy)][idx]


def segment_hits(a: Point, b: Point, box: Rect, kind: str | None, pad: float = 1.0) -> bool:
    """True when the axis-parallel segment a-b passes through the inside of a shape (a
    diamond by its own outline, other shapes by their box), `pad` points in from the edge."""
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    if x1 <= box.x + pad or x0 >= box.right - pad or y1 <= box.y + pad or y0 >= box.bottom - pad:
        return False
    if kind != "flowChartDecision":
        return True
    cx, cy, hw, hh = box.x + box.w / 2, box.y + box.h / 2, box.w / 2, box.h / 2
    # The point of the segment nearest the centre, in the diamond's own norm.
    px, py = min(max(cx, x0), x1), min(max(cy, y0), y1)
    return abs(px - cx) / hw + abs(py - cy) / hh < 1 - pad / min(hw, hh)


def shared_length(a: Point, b: Point, c: Point, d: Point, tol: float = 1.0) -> float:
    """How long legs a-b and c-d run along the same line (0 when they do not)."""
    for axis in (0, 1):
        other = 1 - axis
        if (
            abs(a[other] - b[other]) < tol
            and abs(c[other] - d[other]) < tol
            and abs(a[other] - c[other]) < tol
        ):
            lo = max(min(a[axis], b[axis]), min(c[axis], d[axis]))
            hi = min(max(a[axis], b[axis]), max(c[axis], d[axis]))
            return max(0.0, hi - lo)
    return 0.0


def legs(path: list[Point]) -> Iterator[tuple[Point, Point]]:
    return pairwise(path)


# --- text inside its shape --------------------------------------------------------------

_SS_PRESETS = {"homePlate", "chevron", "roundRect"}


def text_rect(kind: str | None, box: Rect, adj: float | None) -> Rect:
    """The preset's own text rectangle (ECMA-376 presetShapeDefinitions)."""
    w, h, ss = box.w, box.h, min(box.w, box.h)
    if kind == "flowChartTerminator":
        return Rect(box.x + w * 1018 / 21600, box.y + h * 3163 / 21600,
                    w * 19564 / 21600, h * 15274 / 21600)  # fmt: skip
    if kind == "flowChartDelay":
        return Rect(box.x, box.y + h * 0.1464, w * 0.8536, h * 0.7072)
    if kind == "flowChartDecision":
        return Rect(box.x + w / 4, box.y + h / 4, w / 2, h / 2)
    if kind == "flowChartOffpageConnector":
        return Rect(box.x, box.y, w, h * 0.8)
    if kind == "ellipse":
        return Rect(box.x + w * 0.1464, box.y + h * 0.1464, w * 0.7072, h * 0.7072)
    if kind == "roundRect":
        i = ss * (adj if adj is not None else 0.16667) * 0.29289
        return Rect(box.x + i, box.y + i, w - 2 * i, h - 2 * i)
    if kind == "homePlate":
        x1 = w - ss * (adj if adj is not None else 0.5)
        return Rect(box.x, box.y, (x1 + w) / 2, h)
    if kind == "chevron":
        x1 = ss * (adj if adj is not None else 0.5)
        if w - x1 > x1:
            return Rect(box.x + x1, box.y, w - 2 * x1, h)
        return box
    return box


@dataclass(frozen=True)
class Spill:
    slide: int
    shape: str
    text: str
    need: tuple[float, float]
    room: tuple[float, float]


def _insets(body) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    def get(attr: str, default: float) -> float:
        value = body.get(attr)
        return default if value is None else int(value) / EMU

    return get("lIns", 7.2), get("tIns", 3.6), get("rIns", 7.2), get("bIns", 3.6)


def _paragraph_lines(p) -> tuple[list[str], float, bool, float]:  # type: ignore[no-untyped-def]
    """A paragraph's lines as written (line breaks kept), its largest size, bold, space before."""
    lines, current, size, bold = [], "", 0.0, False
    for child in p:
        if child.tag == qn("a:r"):
            current += child.findtext(qn("a:t")) or ""
            rpr = child.find(qn("a:rPr"))
            if rpr is not None and rpr.get("sz"):
                size = max(size, int(rpr.get("sz")) / 100)
            bold = bold or (rpr is not None and rpr.get("b") == "1")
        elif child.tag == qn("a:br"):
            lines.append(current)
            current = ""
    lines.append(current)
    before = 0.0
    ppr = p.find(qn("a:pPr"))
    if ppr is not None:
        pts = ppr.find(f"{qn('a:spcBef')}/{qn('a:spcPts')}")
        if pts is not None:
            before = int(pts.get("val")) / 100
    return lines, size, bold, before


def text_spill(slide_no: int, shape) -> Spill | None:  # type: ignore[no-untyped-def]
    """None when the shape's text fits inside its text area by the deck's own text measure
    (Carlito widths, 1.2 line height); else how much room it needs and has."""
    if not getattr(shape, "has_text_frame", False) or shape.is_placeholder:
        return None
    body = shape._element.find(f".//{qn('a:bodyPr')}")
    paras = shape._element.findall(f".//{qn('a:p')}")
    text = "\n".join("".join(t.text or "" for t in p.iter(qn("a:t"))) for p in paras).strip()
    if not text:
        return None
    kind = preset(shape)
    adj = None
    if kind in _SS_PRESETS:
        geom = shape._element.spPr.find(qn("a:prstGeom"))
        adj = next((int(g.get("fmla").split()[1]) / 100000 for g in geom.iter(qn("a:gd"))), None)
    left, top, right, bottom = _insets(body)
    box = rect(shape)
    if kind == "flowChartDecision" and body.get("wrap") == "none":
        # The deck breaks a diamond's lines itself and lets them use the whole diamond.
        lines, size, bold, _ = _paragraph_lines(paras[0])
        wide = max(deck_width(line, size, bold) for line in lines)
        high = len(lines) * size * LINE_HEIGHT
        if wide / box.w + high / box.h <= 1.0 + 1e-6:
            return None
        return Spill(slide_no, shape.name, text, (wide, high), (box.w, box.h))
    area = text_rect(kind, box, adj)
    room_w = area.w - left - right
    room_h = area.h - top - bottom
    wraps = body.get("wrap") != "none"
    need_w = need_h = 0.0
    for n, p in enumerate(paras):
        written, size, bold, before = _paragraph_lines(p)
        if size == 0:
            return None  # inherits its size from the template: not ours to measure
        lines = (
            [piece for line in written for piece in deck_wrap(line, size, room_w, bold)]
            if wraps
            else written
        )
        # A word is never broken: the widest word must fit as well as every line.
        words = [word for line in written for word in line.split()] or [""]
        need_w = max(need_w, *(deck_width(t, size, bold) for t in [*lines, *words]))
        need_h += len(lines) * size * LINE_HEIGHT + (before if n else 0.0)
    if need_w <= room_w + 0.5 and need_h <= room_h + 0.5:
        return None
    return Spill(slide_no, shape.name, text, (need_w, need_h), (room_w, room_h))


def shared_stretch(one, two) -> float:  # type: ignore[no-untyped-def]
    """The longest stretch two connectors run along each other, not counting a join or a
    fork: two arrows glued to the same connection point of the same shape necessarily
    arrive (or leave) there along one line, which reads as one arrow merging (a flowchart
    join), not as two arrows confused for each other. Arrows in opposite directions, or
    between unrelated shapes, count in full."""
    a, b = connector_path(one), connector_path(two)
    (a_start, a_end), (b_start, b_end) = glued(one), glued(two)
    longest = 0.0
    for p in legs(a):
        for q in legs(b):
            length = shared_length(*p, *q)
            if length <= 0:
                continue
            join = a_end is not None and a_end == b_end and p[1] == a[-1] and q[1] == b[-1]
            fork = a_start is not None and a_start == b_start and p[0] == a[0] and q[0] == b[0]
            if not (join or fork):
                longest = max(longest, length)
    return longest
