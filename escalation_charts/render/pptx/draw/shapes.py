"""Native PowerPoint objects the deck is made of: boxes with text, glued connectors, text.

Thin helpers over python-pptx that write exactly what we want: explicit colours instead of
the theme's shape style (which brings shadows in some themes), text as runs (a label is
never parsed as markup; its newlines become line breaks), connectors glued to their shapes
with arrowheads, which python-pptx has no API for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.shapes.connector import Connector
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Pt

from escalation_charts.render.pptx.plan.connectors import Route

__all__ = [
    "Text",
    "add_box",
    "add_connector",
    "add_text",
    "fill_text",
    "set_fill",
    "set_line",
    "write_paras",
]

_EMU = 12700  # per point

# Preset names python-pptx knows as MSO_SHAPE members (it needs the enum to add a shape).
_PRESETS = {
    "rect": MSO_SHAPE.RECTANGLE,
    "roundRect": MSO_SHAPE.ROUNDED_RECTANGLE,
    "flowChartProcess": MSO_SHAPE.FLOWCHART_PROCESS,
    "flowChartTerminator": MSO_SHAPE.FLOWCHART_TERMINATOR,
    "flowChartDecision": MSO_SHAPE.FLOWCHART_DECISION,
    "flowChartDelay": MSO_SHAPE.FLOWCHART_DELAY,
    "flowChartAlternateProcess": MSO_SHAPE.FLOWCHART_ALTERNATE_PROCESS,
    "flowChartOffpageConnector": MSO_SHAPE.FLOWCHART_OFFPAGE_CONNECTOR,
    "homePlate": MSO_SHAPE.PENTAGON,
    "chevron": MSO_SHAPE.CHEVRON,
    "ellipse": MSO_SHAPE.OVAL,
}
_ALIGN = {"l": PP_ALIGN.LEFT, "ctr": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}
_ANCHOR = {"t": MSO_ANCHOR.TOP, "ctr": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}


def emu(points: float) -> int:
    return round(points * _EMU)


@dataclass(frozen=True)
class Text:
    """A run of text with its look; `text` may hold newlines (drawn as line breaks)."""

    text: str
    size: float
    bold: bool = False
    italic: bool = False
    colour: str | None = None


def add_box(
    shapes: SlideShapes,
    name: str,
    preset: str,
    box: tuple[float, float, float, float],
    *,
    fill: str | None,
    line: str | None,
    line_pt: float = 1.0,
    dash: str | None = None,
) -> Shape:
    """A native autoshape named `name` at `box` (x, y, width, height in points)."""
    x, y, w, h = box
    shape = shapes.add_shape(_PRESETS[preset], emu(x), emu(y), emu(w), emu(h))
    shape.name = name
    style = shape._element.find(qn("p:style"))
    if style is not None:  # the theme's style would add its own fill, line and shadow
        shape._element.remove(style)
    # A new shape has no fill yet: write it straight after its geometry, the XML
    # python-pptx's fill API writes, at a fraction of the cost (decks have thousands).
    geometry = shape._element.spPr.find(qn("a:prstGeom"))
    if fill is None:
        geometry.addnext(etree.Element(qn("a:noFill")))
    else:
        solid = etree.Element(qn("a:solidFill"))
        _colour(solid, colour=fill)
        geometry.addnext(solid)
    set_line(shape, line, line_pt, dash)
    return shape


def set_fill(shape: Shape, colour: str | None) -> None:
    if colour is None:
        shape.fill.background()
    else:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(colour)


def set_line(
    shape: Shape, colour: str | None, width_pt: float = 1.0, dash: str | None = None
) -> None:
    ln = shape._element.spPr.get_or_add_ln()
    for child in list(ln):
        ln.remove(child)
    if colour is None:
        etree.SubElement(ln, qn("a:noFill"))
        return
    ln.set("w", str(emu(width_pt)))
    _solid(ln, colour)
    if dash:
        etree.SubElement(ln, qn("a:prstDash")).set("val", dash)


def fill_text(
    shape: Shape,
    paragraphs: Sequence[Sequence[Text]],
    *,
    align: str = "ctr",
    anchor: str = "ctr",
    wrap: bool = True,
    insets: tuple[float, float, float, float] = (3.0, 2.0, 3.0, 2.0),
) -> None:
    """Write `paragraphs` (each a list of runs) into `shape`'s text frame, replacing any text.

    Insets are left, top, right, bottom in points. Text never resizes the shape (autofit
    off): sizes were chosen to fit, and a shape that grows would break the layout.
    """
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = wrap
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = _ANCHOR[anchor]
    left, top, right, bottom = insets
    frame.margin_left, frame.margin_top = emu(left), emu(top)
    frame.margin_right, frame.margin_bottom = emu(right), emu(bottom)
    for n, runs in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        for run_text in runs:
            _add_runs(paragraph, run_text)


def _add_runs(paragraph, text: Text) -> None:  # type: ignore[no-untyped-def]
    for n, part in enumerate(text.text.split("\n")):
        if n:
            paragraph.add_line_break()
        if not part:
            continue
        run = paragraph.add_run()
        run.text = part  # python-pptx escapes it as XML text: labels never become markup
        # The run's properties written directly (the XML python-pptx's font API writes).
        rpr = run._r.get_or_add_rPr()
        rpr.sz = Emu(Pt(text.size)).centipoints
        rpr.b = text.bold
        if text.italic:
            rpr.i = True
        if text.colour:
            _colour(etree.SubElement(rpr, qn("a:solidFill")), colour=text.colour)


def add_text(
    shapes: SlideShapes,
    name: str,
    box: tuple[float, float, float, float],
    paragraphs: Sequence[Sequence[Text]],
    *,
    fill: str | None = None,
    align: str = "l",
    anchor: str = "t",
    wrap: bool = True,
    insets: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0),
) -> Shape:
    """A text box named `name` (a rectangle without outline, so it can carry a fill)."""
    shape = add_box(shapes, name, "rect", box, fill=fill, line=None)
    fill_text(shape, paragraphs, align=align, anchor=anchor, wrap=wrap, insets=insets)
    return shape


def add_connector(
    shapes: SlideShapes,
    name: str,
    route: Route,
    begin: Shape | None,
    end: Shape | None,
    *,
    colour: str,
    width_pt: float = 1.25,
    dash: str | None = None,
    arrow: bool = True,
) -> Connector:
    """A connector drawn along `route`, glued to `begin` and `end` at the route's sides."""
    connector = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, 0, 0, 1, 1)
    connector.name = name
    element = connector._element
    style = element.find(qn("p:style"))
    if style is not None:
        element.remove(style)
    nv = element.find(qn("p:nvCxnSpPr")).find(qn("p:cNvCxnSpPr"))
    for tag, shape, side in (
        ("a:stCxn", begin, route.begin_side),
        ("a:endCxn", end, route.end_side),
    ):
        if shape is not None:
            glue = etree.SubElement(nv, qn(tag))
            glue.set("id", str(shape.shape_id))
            glue.set("idx", str(side))
    sp_pr = element.spPr
    xfrm = sp_pr.find(qn("a:xfrm"))
    for attr in ("rot", "flipH", "flipV"):
        xfrm.attrib.pop(attr, None)
    if route.rot:
        xfrm.set("rot", str(route.rot * 60000))
    if route.flip_h:
        xfrm.set("flipH", "1")
    if route.flip_v:
        xfrm.set("flipV", "1")
    x, y, w, h = route.box
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    off.set("x", str(emu(x)))
    off.set("y", str(emu(y)))
    ext.set("cx", str(emu(w)))
    ext.set("cy", str(emu(h)))
    geometry = sp_pr.find(qn("a:prstGeom"))
    geometry.set("prst", route.preset)
    av = geometry.find(qn("a:avLst"))
    for name, value in (("adj1", route.adj), ("adj2", route.adj2), ("adj3", route.adj3)):
        if value is not None:
            gd = etree.SubElement(av, qn("a:gd"))
            gd.set("name", name)
            gd.set("fmla", f"val {value}")
    ln = sp_pr.get_or_add_ln()
    ln.set("w", str(emu(width_pt)))
    _solid(ln, colour)
    if dash:
        etree.SubElement(ln, qn("a:prstDash")).set("val", dash)
    if arrow:
        tail = etree.SubElement(ln, qn("a:tailEnd"))
        tail.set("type", "triangle")
        tail.set("w", "med")
        tail.set("len", "med")
    return connector


def _colour(fill: etree._Element, *, colour: str) -> None:
    """`colour` as the `a:srgbClr` of a fill element, spelt as python-pptx spells it."""
    etree.SubElement(fill, qn("a:srgbClr")).set("val", str(_rgb(colour)))


def _solid(parent: etree._Element, colour: str) -> None:
    fill = etree.SubElement(parent, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", colour)


def _rgb(colour: str):  # type: ignore[no-untyped-def]
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour)


def write_paras(frame, paras, size: float, *, own_bullets: bool) -> None:  # type: ignore[no-untyped-def]
    """Write `Para`s into a text frame at body `size`.

    In a template's body placeholder (`own_bullets` False) bulleted paragraphs keep the
    template's bullets; in our own text boxes we draw them. Spacing is set on every
    paragraph so the text takes the room it was measured to take.
    """
    from escalation_charts.render.pptx.text.blocks import INDENT

    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for n, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        if own_bullets:  # our text boxes are shapes, which centre text unless told otherwise
            paragraph.alignment = PP_ALIGN.LEFT
        run_size = size * para.scale
        ppr = paragraph._p.get_or_add_pPr()
        if para.bullet:
            paragraph.level = para.level
            if own_bullets:
                margin = emu(INDENT * run_size + para.level * 1.2 * run_size)
                ppr.set("marL", str(margin))
                ppr.set("indent", str(-emu(INDENT * run_size)))
                etree.SubElement(ppr, qn("a:buFont")).set("typeface", "Arial")
                etree.SubElement(ppr, qn("a:buChar")).set("char", "\u2022")
        else:
            ppr.set("marL", "0")
            ppr.set("indent", "0")
            etree.SubElement(ppr, qn("a:buNone"))
        spacing = etree.Element(qn("a:spcBef"))
        points = round(para.space * run_size * 1.2 * 100) if n else 0
        etree.SubElement(spacing, qn("a:spcPts")).set("val", str(points))
        ppr.insert(0, spacing)
        if para.lead:
            _add_runs(paragraph, Text(para.lead, run_size, bold=True, colour=para.colour))
        if para.text:
            _add_runs(
                paragraph,
                Text(
                    para.text,
                    run_size,
                    bold=para.bold,
                    italic=para.italic,
                    colour=None if para.lead else para.colour,
                ),
            )
