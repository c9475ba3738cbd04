"""Text that reads on whatever a template paints behind it.

The deck's own colours are chosen for a plain light slide; a template may put a band, a
picture or wedges of colour under the text (LibreOffice's Vivid, Focus, Midnightblue). Once
a slide is drawn, every text is measured against what is behind it (`package/backdrop`):
a run that does not reach WCAG AA first takes whichever of the template's own scheme text
and background colours (`tx1`, `bg1`, `tx2`, `bg2`) reads best there; when none does (a
pattern or wedges of light and dark), its box gets an opaque fill in the template's
background colour `bg1` and its text the template's `tx1`. Colours are written as scheme
colours, so the deck follows the template's theme.
"""

from __future__ import annotations

from lxml import etree
from pptx.oxml.ns import qn
from pptx.slide import Slide

from escalation_charts.layout.textfit import LINE_HEIGHT, deck_wrap
from escalation_charts.render.pptx.package.backdrop import (
    Backdrops,
    min_contrast,
    needed_contrast,
    shape_layer,
)

__all__ = ["make_readable"]

_SCHEME_TEXT = ("tx1", "bg1", "tx2", "bg2")


def make_readable(slide: Slide, backdrops: Backdrops) -> None:
    """Recolour, or back with the template's background, every text on `slide` that does
    not contrast with what is behind it."""
    palette = backdrops.palette(backdrops.layout_of(slide).slide_master)
    for el, box, behind, layers in backdrops.walk(slide):
        runs = list(_runs(slide, el, backdrops))
        failing = [(r, c, need) for r, c, need in runs if min_contrast(c, behind) < need]
        if not failing:
            continue
        tight = _text_extent(slide, el, box, backdrops)
        if tight is not None:
            # The box reaches over the template's picture but its text may not: a box as
            # tall as its text (it was sized to fit) may stay clear of it.
            _place(el, tight)
            backdrops.touched.add(id(el))
            box = tight
            behind = backdrops.behind_text(layers, shape_layer(palette, el, box), box)
            failing = [(r, c, need) for r, c, need in runs if min_contrast(c, behind) < need]
            if not failing:
                continue
        choices = []
        for run, _colour, need in failing:
            best = max(_SCHEME_TEXT, key=lambda n: min_contrast(palette.named(n), behind))
            if min_contrast(palette.named(best), behind) < need:
                break
            choices.append((run, best))
        else:
            for run, name in choices:
                _set_scheme_colour(run, name)
            continue
        if not _can_fill(el):
            continue
        _fill_scheme(el, "bg1")
        backdrops.touched.add(id(el))
        ground = [palette.named("bg1")]
        for run, colour, need in runs:
            if min_contrast(colour, ground) < need:
                _set_scheme_colour(run, "tx1")


def _runs(slide: Slide, el: etree._Element, backdrops: Backdrops):  # type: ignore[no-untyped-def]
    """Each run of text with the colour it is drawn in and the contrast it needs."""
    for p in el.find(qn("p:txBody")).iter(qn("a:p")):
        ppr = p.find(qn("a:pPr"))
        level = int(ppr.get("lvl", "0")) if ppr is not None else 0
        for r in p.iter(qn("a:r")):
            if not (r.findtext(qn("a:t")) or "").strip():
                continue
            rpr = r.find(qn("a:rPr"))
            size = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else None
            bold = rpr is not None and rpr.get("b") in ("1", "true")
            colour = backdrops.text_colour(slide, el, rpr, level)
            yield r, colour, needed_contrast(size, bold)


def _set_scheme_colour(run: etree._Element, name: str) -> None:
    rpr = run.find(qn("a:rPr"))
    if rpr is None:
        rpr = etree.Element(qn("a:rPr"))
        run.insert(0, rpr)
    for old in rpr.findall(qn("a:solidFill")):
        rpr.remove(old)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr")).set("val", name)
    # A run's fill comes before its fonts in CT_TextCharacterProperties.
    rpr.insert(_fill_position(rpr), fill)


def _fill_position(rpr: etree._Element) -> int:
    before = {qn("a:ln")}
    return sum(1 for child in rpr if child.tag in before)


def _can_fill(el: etree._Element) -> bool:
    """Only a box without a fill of its own is backed: a step's own fill is its look."""
    props = el.find(qn("p:spPr"))
    if props is None:
        return False
    return not any(
        props.find(qn(tag)) is not None
        for tag in ("a:solidFill", "a:gradFill", "a:pattFill", "a:blipFill")
    )


def _fill_scheme(el: etree._Element, name: str) -> None:
    props = el.find(qn("p:spPr"))
    for old in props.findall(qn("a:noFill")):
        props.remove(old)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr")).set("val", name)
    # In spPr the fill follows the transform and the geometry.
    anchor = None
    for tag in ("a:xfrm", "a:custGeom", "a:prstGeom"):
        found = props.find(qn(tag))
        if found is not None:
            anchor = found
    if anchor is None:
        props.insert(0, fill)
    else:
        anchor.addnext(fill)


_EMU = 12700
_DEFAULT_INSETS = {"lIns": 91440, "tIns": 45720, "rIns": 91440, "bIns": 45720}


def _text_extent(slide: Slide, el: etree._Element, box, backdrops: Backdrops):  # type: ignore[no-untyped-def]
    """The box cut to the height its text takes (measured as the text was fitted, plus half
    a line), where its anchor puts the text (top, middle, bottom); None when the text
    fills the box."""
    anchor = backdrops.body_property(slide, el, "anchor", "t")
    if anchor not in ("t", "ctr", "b"):
        return None
    insets = {
        k: int(backdrops.body_property(slide, el, k, str(v))) for k, v in _DEFAULT_INSETS.items()
    }
    width = (box[2] - insets["lIns"] - insets["rIns"]) / _EMU
    height = 0.0
    largest = 0.0
    for n, p in enumerate(el.find(qn("p:txBody")).iter(qn("a:p"))):
        runs = [r for r in p.iter(qn("a:r"))]
        rprs = [r.find(qn("a:rPr")) for r in runs]
        sizes = [int(x.get("sz")) / 100 for x in rprs if x is not None and x.get("sz")]
        size = max(sizes, default=18.0)
        largest = max(largest, size)
        bold = any(x is not None and x.get("b") in ("1", "true") for x in rprs)
        ppr = p.find(qn("a:pPr"))
        margin = int(ppr.get("marL", "0")) / _EMU if ppr is not None else 0.0
        before = p.find(f"{qn('a:pPr')}/{qn('a:spcBef')}/{qn('a:spcPts')}")
        if n and before is not None:
            height += int(before.get("val")) / 100
        text = "".join(t.text or "" for t in p.iter(qn("a:t")))
        breaks = len(p.findall(qn("a:br")))
        lines = len(deck_wrap(text, size, max(width - margin, size), bold=bold)) if text else 1
        height += (max(lines, 1) + breaks) * size * LINE_HEIGHT
    needed = round((height + 0.5 * largest * LINE_HEIGHT) * _EMU) + insets["tIns"] + insets["bIns"]
    if needed >= box[3]:
        return None
    top = {"t": box[1], "ctr": box[1] + (box[3] - needed) // 2, "b": box[1] + box[3] - needed}
    return box[0], top[anchor], box[2], needed


def _place(el: etree._Element, box) -> None:  # type: ignore[no-untyped-def]
    """Give a shape its own transform at `box` (a placeholder may have none: its place
    came from its layout)."""
    props = el.find(qn("p:spPr"))
    xfrm = props.find(qn("a:xfrm"))
    if xfrm is None:
        xfrm = etree.Element(qn("a:xfrm"))
        etree.SubElement(xfrm, qn("a:off"))
        etree.SubElement(xfrm, qn("a:ext"))
        props.insert(0, xfrm)
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    off.set("x", str(box[0]))
    off.set("y", str(box[1]))
    ext.set("cx", str(box[2]))
    ext.set("cy", str(box[3]))
