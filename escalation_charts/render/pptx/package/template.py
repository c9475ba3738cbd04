"""The deck's masters and layouts: the built-in default look, or the organisation's.

With `--template`, the given deck's slide masters and layouts are used as they are (its
own slides are dropped) and our title and body text goes into its placeholders, so the
deck carries the organisation's branding. A `.potx` is read like a `.pptx`. Without a
template, python-pptx's plain Office theme is turned into a 16:9 deck with smaller
titles: the default look.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide, SlideLayout, SlideMaster

from escalation_charts.layout.geometry import Box
from escalation_charts.render.pptx.style import Colours

__all__ = [
    "BODY_KINDS",
    "Layouts",
    "TemplateError",
    "body_placeholders",
    "content_area",
    "legend_strip",
    "open_deck",
    "pick_layouts",
    "placeholder_size",
    "remove_unused_placeholders",
    "title_face",
    "title_placeholder",
]

_EMU = 12700
_HIGH_TITLE = 0.2  # a title starting lower than this fraction of the slide is mid-slide
_IN = 914400
_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_OTHER_MAINS = (
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
)
# The core-properties relationship as OPC defines it, and the spellings other writers use
# (LibreOffice writes the transitional officeDocument namespace in lower case; strict
# OOXML has its own): python-pptx only knows the first, misses the part, adds a second
# docProps/core.xml and the zip ends up with two entries of that name.
_CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_FOREIGN_CORE_RELS = (
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/metadata/core-properties",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/metadata/core-properties",
)
_TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_BODIES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
BODY_KINDS = (*_BODIES, PP_PLACEHOLDER.SUBTITLE)
# Where a shape says it is a placeholder (p:sp, as python-pptx clones them from a layout).
_PH_PATH = f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}"
_CHROME = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


class TemplateError(Exception):
    """The template cannot be used (the CLI reports it and exits 2)."""


@dataclass(frozen=True)
class Layouts:
    """The layouts each kind of slide is built on."""

    title: SlideLayout  # title slide: a title and, when it has one, a subtitle
    content: SlideLayout  # a title and one body (agenda, validation)
    two: SlideLayout | None  # a title and two bodies (lane slides), if the deck has one
    title_only: SlideLayout  # a title; we draw the rest (chart, table, timeline)


def open_deck(template: Path | None) -> PresentationType:
    """A presentation without slides: the template's, or the default look."""
    if template is None:
        return _default_deck()
    try:
        data = template.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{template}: cannot read: {exc.strerror or exc}") from exc
    try:
        prs = Presentation(io.BytesIO(_as_presentation(data)))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise TemplateError(
            f"{template}: not a PowerPoint deck or template (.pptx or .potx): {exc}"
        ) from exc
    _drop_slides(prs)
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            _unique_indices(layout)
            _title_to_top(prs, layout)
    return prs


def _as_presentation(data: bytes) -> bytes:
    """The template as python-pptx reads it: a .potx (or .ppsx, .pptm) differs from a
    .pptx only in its main part's content type, which python-pptx refuses; a foreign
    spelling of the core-properties relationship is written the OPC way."""
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml")
    rels = source.read("_rels/.rels") if "_rels/.rels" in source.namelist() else b""
    foreign_types = any(t.encode() in types for t in _OTHER_MAINS)
    foreign_rels = any(t.encode() in rels for t in _FOREIGN_CORE_RELS)
    if not (foreign_types or foreign_rels):
        return data
    for other in _OTHER_MAINS:
        types = types.replace(other.encode(), _MAIN.encode())
    for other in _FOREIGN_CORE_RELS:
        rels = rels.replace(f'"{other}"'.encode(), f'"{_CORE_REL}"'.encode())
    fixed = {"[Content_Types].xml": types, "_rels/.rels": rels}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, fixed.get(info.filename) or source.read(info))
    return out.getvalue()


def _unique_indices(layout: SlideLayout) -> None:
    """Give each placeholder of a layout its own idx. A slide placeholder finds the layout
    placeholder it inherits its place from by idx; LibreOffice's templates give the title
    and every body idx 0, so on a two-content slide both bodies sat where the title is.
    (A layout placeholder inherits from the master by type, so its idx is free to change.)"""
    seen: set[int] = set()
    placeholders = list(layout.placeholders)
    free = max((ph.placeholder_format.idx for ph in placeholders), default=0) + 1
    for ph in placeholders:
        idx = ph.placeholder_format.idx
        if idx in seen:
            ph.element.ph.set("idx", str(free))
            free += 1
        else:
            seen.add(idx)


def _title_to_top(prs: PresentationType, layout: SlideLayout) -> None:
    """A layout whose title sits in the middle of the slide (a section-style design) leaves
    too little room for a chart or a table above or below it: move the title to the top
    and spread the bodies over the room below, as an ordinary layout has them. Without
    this a mid-slide title cut the chart into four times as many slides. Title slides
    (a centre title or a subtitle) keep their design."""
    height, width = prs.slide_height, prs.slide_width
    kinds = _kinds(layout)
    if PP_PLACEHOLDER.CENTER_TITLE in kinds or PP_PLACEHOLDER.SUBTITLE in kinds:
        return
    title = next((ph for ph in layout.placeholders if ph.placeholder_format.type in _TITLES), None)
    if title is None or title.top is None or title.top <= _HIGH_TITLE * height:
        return
    top = round(0.05 * height)
    title_h = min(title.height, round(0.16 * height))
    title.left, title.top = round(0.05 * width), top
    title.width, title.height = round(0.9 * width), title_h
    bodies = [
        ph
        for ph in layout.placeholders
        if ph.placeholder_format.type in BODY_KINDS and ph.top is not None
    ]
    if not bodies:
        return
    # Map the bodies' own arrangement (columns, rows) onto the room under the title.
    x0 = min(ph.left for ph in bodies)
    y0 = min(ph.top for ph in bodies)
    x1 = max(ph.left + ph.width for ph in bodies)
    y1 = max(ph.top + ph.height for ph in bodies)
    room = (round(0.05 * width), top + title_h + round(0.03 * height))
    room_w, room_h = round(0.9 * width), round(0.9 * height) - room[1]
    sx, sy = room_w / max(x1 - x0, 1), room_h / max(y1 - y0, 1)
    for ph in bodies:
        ph.left = room[0] + round((ph.left - x0) * sx)
        ph.top = room[1] + round((ph.top - y0) * sy)
        ph.width, ph.height = round(ph.width * sx), round(ph.height * sy)


def _drop_slides(prs: PresentationType) -> None:
    """Remove a template's own slides (sample content) so only ours remain."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.get(qn("r:id")))
        id_list.remove(slide_id)


def _default_deck() -> PresentationType:
    """python-pptx's Office theme, widened to 16:9, with titles that leave room for charts."""
    prs = Presentation()
    factor = 12192000 / prs.slide_width
    prs.slide_width, prs.slide_height = 12192000, 6858000
    master = prs.slide_master
    for shapes in (master.shapes, *(layout.shapes for layout in master.slide_layouts)):
        for shape in shapes:
            if shape.element.find(f".//{qn('a:xfrm')}") is not None:
                shape.left, shape.width = round(shape.left * factor), round(shape.width * factor)
    for shape in master.placeholders:
        kind = shape.placeholder_format.type
        if kind in _TITLES:
            shape.top, shape.height = round(0.25 * _IN), round(0.85 * _IN)
        elif kind in _BODIES:
            shape.top, shape.height = round(1.3 * _IN), round(5.6 * _IN)
    two = _layout_named(master, "Two Content")
    if two is not None:
        for shape in two.placeholders:
            if shape.placeholder_format.type in _BODIES:
                shape.top, shape.height = round(1.3 * _IN), round(5.6 * _IN)
    style = master.element.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    rpr = style.find(qn("a:defRPr"))
    rpr.set("sz", "3200")
    for fill in rpr.findall(qn("a:solidFill")):
        rpr.remove(fill)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", Colours.HEADER)
    rpr.insert(0, fill)
    return prs


def _layout_named(master: SlideMaster, name: str) -> SlideLayout | None:
    return next((layout for layout in master.slide_layouts if layout.name == name), None)


def _kinds(layout: SlideLayout) -> list[PP_PLACEHOLDER]:
    return [ph.placeholder_format.type for ph in layout.placeholders]


def pick_layouts(prs: PresentationType) -> Layouts:
    """Choose layouts by what their placeholders are, not by name (names vary by language
    and brand). Falls back to the nearest layout the deck has."""
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    if not layouts:
        raise TemplateError("the template has no slide layouts")

    def find(bodies: int, titles: tuple[PP_PLACEHOLDER, ...]) -> SlideLayout | None:
        """The first layout with one title of `titles`, `bodies` bodies and nothing else."""
        for layout in layouts:
            kinds = [k for k in _kinds(layout) if k not in _CHROME]
            if (
                sum(k in titles for k in kinds) == 1
                and sum(k in _BODIES for k in kinds) == bodies
                and len(kinds) == bodies + 1
            ):
                return layout
        return None

    title_slide = next(
        (lay for lay in layouts if PP_PLACEHOLDER.CENTER_TITLE in _kinds(lay)), None
    ) or next((lay for lay in layouts if PP_PLACEHOLDER.SUBTITLE in _kinds(lay)), None)
    content = find(1, (PP_PLACEHOLDER.TITLE,)) or find(1, _TITLES)
    title_only = find(0, (PP_PLACEHOLDER.TITLE,)) or find(0, _TITLES)
    with_title = [lay for lay in layouts if any(k in _TITLES for k in _kinds(lay))]
    fallback = (with_title or layouts)[0]
    return Layouts(
        title=title_slide or fallback,
        content=content or fallback,
        two=find(2, (PP_PLACEHOLDER.TITLE,)),
        title_only=title_only or content or fallback,
    )


def title_placeholder(slide: Slide):  # type: ignore[no-untyped-def]
    """The slide's title placeholder, or None when its layout has none."""
    for shape in slide.placeholders:
        if shape.placeholder_format.type in _TITLES:
            return shape
    return None


def body_placeholders(slide: Slide) -> list:  # type: ignore[type-arg]
    """The slide's body placeholders, left to right."""
    bodies = [
        ph
        for ph in slide.placeholders
        if ph.placeholder_format.type in (*_BODIES, PP_PLACEHOLDER.SUBTITLE)
    ]
    return sorted(bodies, key=lambda ph: (ph.left or 0, ph.top or 0))


def remove_unused_placeholders(slide: Slide, used: Iterable[Any]) -> None:
    """Delete placeholders we did not fill: an empty one shows "Click to add text".

    Looks at the slide's shapes directly: python-pptx's `slide.placeholders` runs an XPath
    per shape, which on chart slides with hundreds of shapes cost a 300-step deck a second.
    """
    keep = {id(shape.element) for shape in used}  # proxies are new objects each time
    tree = slide.shapes._spTree
    for element in list(tree):
        if element.find(_PH_PATH) is not None and id(element) not in keep:
            tree.remove(element)


def content_area(prs: PresentationType, layout: SlideLayout) -> Box:
    """Where a slide on `layout` has room for content (points): under the title, inside the
    title's margins, above the bottom margin."""
    width, height = prs.slide_width / _EMU, prs.slide_height / _EMU
    title = next((ph for ph in layout.placeholders if ph.placeholder_format.type in _TITLES), None)
    margin = 0.4 * 72
    if title is None or title.top is None or title.top > prs.slide_height / 2:
        return Box(margin, margin, width - 2 * margin, height - 2 * margin)
    # As wide as the title, or the slide less its margins when the title is narrower (a
    # chart or a table needs the width more than it needs to line up with a short title).
    left = min(max(title.left / _EMU, margin / 2), margin)
    right = max(min((title.left + title.width) / _EMU, width - margin / 2), width - margin)
    top = (title.top + title.height) / _EMU + 0.1 * 72
    bottom = min(height - 0.3 * 72, _footer_top(layout, prs.slide_height) / _EMU - 0.1 * 72)
    return Box(left, top, right - left, bottom - top)


_FOOTER = 0.12  # a template's shape starting in the lowest eighth of the slide is its footer


_MARK = 0.2  # a footer decoration narrower than this fraction of the slide is a corner mark


def legend_strip(prs: PresentationType, layout: SlideLayout) -> Box:
    """The content area, run down past a narrow corner mark of the footer (Midnightblue's
    page-number disc) to the footer bar, and narrowed to end left of that mark: the room
    a one-side strip such as the chart's legend may use. The content area itself ends
    above the mark, since a chart or table spans the width; the legend is drawn at the
    bottom of this strip and the chart above it, so no shape reaches the mark and the
    chart gains the height the mark would take across the whole slide."""
    area = content_area(prs, layout)
    title = next((ph for ph in layout.placeholders if ph.placeholder_format.type in _TITLES), None)
    if title is None or title.top is None or title.top > prs.slide_height / 2:
        return area
    from escalation_charts.render.pptx.package.backdrop import Backdrops

    limit = prs.slide_height * (1 - _FOOTER)
    low = [
        layer.box
        for layer in Backdrops().decorations(layout)
        if limit <= layer.box[1] < prs.slide_height
    ]
    marks = [box for box in low if box[2] < prs.slide_width * _MARK]
    bars = [box[1] for box in low if box[2] >= prs.slide_width * _MARK]
    if not marks:
        return area
    bar = min(bars, default=prs.slide_height) / _EMU
    bottom = min(prs.slide_height / _EMU - 0.3 * 72, bar - 0.1 * 72)
    # Only marks at the area's right end are passed beside; one further left stays above.
    right = min(box[0] for box in marks) / _EMU - 0.1 * 72
    if right < area.x + area.width * 0.75 or bottom <= area.bottom:
        return area
    return Box(area.x, area.y, min(area.width, right - area.x), bottom - area.y)


def _footer_top(layout: SlideLayout, slide_height: int) -> int:
    """Where the template's own footer decoration starts (a bar, a page-number disc the
    master paints at the bottom), so a chart or a table ends above it; the slide's
    height when there is none. Larger pictures (Vivid's band over the lower third) are
    not avoided: the deck's boxes are made readable over them instead (`draw/contrast`)."""
    from escalation_charts.render.pptx.package.backdrop import Backdrops

    limit = slide_height * (1 - _FOOTER)
    tops = [
        layer.box[1]
        for layer in Backdrops().decorations(layout)
        if layer.box[1] >= limit and layer.box[1] < slide_height
    ]
    return min(tops, default=slide_height)


def placeholder_size(layout: SlideLayout, kind: str) -> float:
    """The font size (points) the layout gives its title (`kind` "title") or first body
    level ("body"), looked up through the layout and its master; 18 if none is set."""
    want = _TITLES if kind == "title" else (*_BODIES, PP_PLACEHOLDER.SUBTITLE)
    for ph in layout.placeholders:
        if ph.placeholder_format.type in want:
            size = _lvl1_size(ph.element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}"))
            if size:
                return size
            break
    master = layout.slide_master
    for ph in master.placeholders:
        if ph.placeholder_format.type in want:
            size = _lvl1_size(ph.element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}"))
            if size:
                return size
            # LibreOffice writes a master's title size on its sample text's first run
            # instead of in a list style: that is the size its titles are drawn in.
            # (Body sizes there are scaled by the master's autofit: not used.)
            run = next(ph.element.iter(qn("a:rPr"), qn("a:endParaRPr")), None)
            if kind == "title" and run is not None and run.get("sz"):
                return int(run.get("sz")) / 100
    tag = "p:titleStyle" if kind == "title" else "p:bodyStyle"
    size = _lvl1_size(master.element.find(f"{qn('p:txStyles')}/{qn(tag)}"))
    return size or 18.0


def title_face(layout: SlideLayout) -> str | None:
    """The typeface the layout's title is drawn in: the first `a:latin` of its title
    placeholder, the master's, or the master's title style; None when the theme decides
    (python-pptx's default deck: Calibri)."""
    latin = qn("a:latin")
    master = layout.slide_master
    holders = [*layout.placeholders, *master.placeholders]
    for ph in holders:
        if ph.placeholder_format.type in _TITLES:
            found = next(ph.element.iter(latin), None)
            if found is not None and found.get("typeface", "").strip("+") not in ("mj-lt", ""):
                return found.get("typeface")
    style = master.element.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}")
    found = None if style is None else next(style.iter(latin), None)
    if found is not None and not found.get("typeface", "").startswith("+"):
        return found.get("typeface")
    return None


def _lvl1_size(styles: etree._Element | None) -> float | None:
    if styles is None:
        return None
    rpr = styles.find(f"{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    if rpr is None or rpr.get("sz") is None:
        return None
    return int(rpr.get("sz")) / 100
