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
    "open_deck",
    "pick_layouts",
    "placeholder_size",
    "remove_unused_placeholders",
    "title_placeholder",
]

_EMU = 12700
_IN = 914400
_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_OTHER_MAINS = (
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
)
_TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_BODIES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
BODY_KINDS = (*_BODIES, PP_PLACEHOLDER.SUBTITLE)
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
    return prs


def _as_presentation(data: bytes) -> bytes:
    """A .potx (or .ppsx, .pptm) differs from a .pptx only in its main part's content
    type, which python-pptx refuses; rewrite that one entry."""
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml")
    if not any(t.encode() in types for t in _OTHER_MAINS):
        return data
    for other in _OTHER_MAINS:
        types = types.replace(other.encode(), _MAIN.encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = types if info.filename == "[Content_Types].xml" else source.read(info)
            target.writestr(info, payload)
    return out.getvalue()


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
    """Delete placeholders we did not fill: an empty one shows "Click to add text"."""
    keep = {id(shape.element) for shape in used}  # proxies are new objects each time
    for shape in list(slide.placeholders):
        if id(shape.element) not in keep:
            shape.element.getparent().remove(shape.element)


def content_area(prs: PresentationType, layout: SlideLayout) -> Box:
    """Where a slide on `layout` has room for content (points): under the title, inside the
    title's margins, above the bottom margin."""
    width, height = prs.slide_width / _EMU, prs.slide_height / _EMU
    title = next((ph for ph in layout.placeholders if ph.placeholder_format.type in _TITLES), None)
    margin = 0.4 * 72
    if title is None or title.top is None or title.top > prs.slide_height / 2:
        return Box(margin, margin, width - 2 * margin, height - 2 * margin)
    left = max(title.left / _EMU, margin / 2)
    right = min((title.left + title.width) / _EMU, width - margin / 2)
    top = (title.top + title.height) / _EMU + 0.1 * 72
    bottom = height - 0.3 * 72
    return Box(left, top, right - left, bottom - top)


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
    tag = "p:titleStyle" if kind == "title" else "p:bodyStyle"
    size = _lvl1_size(master.element.find(f"{qn('p:txStyles')}/{qn(tag)}"))
    return size or 18.0


def _lvl1_size(styles: etree._Element | None) -> float | None:
    if styles is None:
        return None
    rpr = styles.find(f"{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    if rpr is None or rpr.get("sz") is None:
        return None
    return int(rpr.get("sz")) / 100
