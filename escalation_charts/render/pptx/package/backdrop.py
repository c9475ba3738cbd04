"""What a text box on a slide is drawn over, what colour its text is, and their contrast.

A template paints its own pictures: a master's background, bands and wedges (LibreOffice's
Vivid paints a patterned blue band over the lower third of every slide, Focus coloured
wedges over all of it, Midnightblue a navy title bar). Text is readable only if it
contrasts with what is behind it, so this reads, from the presentation itself, the layers
under a box (the background, the master's and the layout's own shapes, the slide's shapes
below it in z-order) and the colour a run is drawn in (its own, else the list styles it
inherits through the layout and the master, else the theme's `tx1`), and measures WCAG's
contrast ratio. `draw/contrast` uses it to make every text the deck writes readable; the
tests use it to check a saved deck.
"""

from __future__ import annotations

import colorsys
import functools
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.slide import Slide, SlideLayout, SlideMaster

__all__ = [
    "UNKNOWN",
    "Backdrops",
    "Layer",
    "box_of",
    "contrast",
    "min_contrast",
    "needed_contrast",
    "shape_layer",
]

UNKNOWN = "?"  # a colour we cannot know from the XML (a picture): never assumed readable

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_COLOUR_TAGS = {
    f"{_A}{t}" for t in ("srgbClr", "schemeClr", "sysClr", "prstClr", "scrgbClr", "hslClr")
}
_PRESET = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "blue": "0000FF"}
_TITLE_TYPES = ("title", "ctrTitle")
_EVERYWHERE = (0, 0, 1 << 40, 1 << 40)
_BODY_TYPES = ("body", "obj", "subTitle", None)  # a placeholder without type is a body


@functools.lru_cache(maxsize=1024)
def _luminance(rgb: str) -> float:
    """WCAG 2 relative luminance of `RRGGBB`."""

    def channel(part: str) -> float:
        c = int(part, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(rgb[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two `RRGGBB` colours (1 to 21); 1 when either is unknown."""
    if UNKNOWN in (a, b):
        return 1.0
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def min_contrast(text: str, behind: list[str]) -> float:
    """The worst contrast of `text` against any colour behind it (a pattern's two colours,
    a gradient's stops, the several layers a box spans)."""
    return min((contrast(text, c) for c in behind), default=21.0)


def needed_contrast(size_pt: float | None, bold: bool) -> float:
    """WCAG AA's 4.5 for every size: WCAG lets large text (18 pt, 14 pt bold) go down to
    3, but a template's backdrop is often a pattern or wedges, where 3 does not read (18 pt
    black on Vivid's blue grid measured 3.5 and was hard to read on the projected slide)."""
    del size_pt, bold
    return 4.5


@dataclass(frozen=True)
class Layer:
    """Something painted under text: its box (EMU), its colours, whether they are opaque
    and whether its outline is its box (a rectangle hides all below it inside its box)."""

    box: tuple[int, int, int, int]
    colours: tuple[str, ...]
    opaque: bool
    rect: bool = True

    @property
    def covers(self) -> bool:
        return self.opaque and self.rect


def _intersects(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _contains(outer: tuple[int, int, int, int], inner: tuple[int, int, int, int]) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and outer[0] + outer[2] >= inner[0] + inner[2]
        and outer[1] + outer[3] >= inner[1] + inner[3]
    )


class _Palette:
    """A master's colours: its theme's scheme through its colour map."""

    def __init__(self, master: SlideMaster) -> None:
        self.scheme: dict[str, str] = {}
        try:
            theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
        except (KeyError, etree.XMLSyntaxError):
            theme = None
        found = None if theme is None else theme.find(f".//{_A}clrScheme")
        for child in [] if found is None else found:
            name = etree.QName(child).localname
            value = next(iter(child), None)
            if value is not None:
                self.scheme[name] = self._plain(value) or "000000"
        mapping = master.element.find(f"{_P}clrMap")
        self.map = dict(mapping.attrib) if mapping is not None else {}

    def _plain(self, el: etree._Element) -> str | None:
        tag = etree.QName(el).localname
        if tag == "srgbClr":
            return el.get("val", "000000").upper()
        if tag == "sysClr":
            return el.get("lastClr", "000000").upper()
        if tag == "prstClr":
            return _PRESET.get(el.get("val", ""), "808080")
        return None

    def named(self, name: str) -> str:
        """A scheme colour by the name a shape uses (`tx1`, `bg1`, `accent1`...)."""
        name = self.map.get(name, name)
        return self.scheme.get(name, "000000" if name.startswith("dk") else "FFFFFF")

    def colour(self, el: etree._Element) -> str:
        """An `a:srgbClr`/`a:schemeClr`/... element as `RRGGBB`, its tints applied."""
        tag = etree.QName(el).localname
        if tag == "schemeClr":
            rgb = self.named(el.get("val", "tx1"))
        elif tag in ("scrgbClr", "hslClr"):
            return UNKNOWN
        else:
            rgb = self._plain(el) or "000000"
        return _transform(rgb, el)


def _transform(rgb: str, el: etree._Element) -> str:
    """The luminance and tint modifiers PowerPoint's themes use (lumMod, lumOff, tint,
    shade), close enough for a contrast estimate."""
    mods = {etree.QName(c).localname: int(c.get("val", "100000")) / 100000 for c in el}
    if not mods:
        return rgb
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    if "tint" in mods:
        r, g, b = (c + (1 - c) * (1 - mods["tint"]) for c in (r, g, b))
    if "shade" in mods:
        r, g, b = (c * mods["shade"] for c in (r, g, b))
    if "lumMod" in mods or "lumOff" in mods:
        h, lum, s = colorsys.rgb_to_hls(r, g, b)
        lum = min(1.0, max(0.0, lum * mods.get("lumMod", 1.0) + mods.get("lumOff", 0.0)))
        r, g, b = colorsys.hls_to_rgb(h, lum, s)
    return "".join(f"{round(min(1, max(0, c)) * 255):02X}" for c in (r, g, b))


def _fill_of(
    palette: _Palette, props: etree._Element | None
) -> tuple[tuple[str, ...], bool] | None:
    """The colours a `spPr`/`bgPr` paints and whether they are opaque; None: no fill."""
    if props is None:
        return None
    for child in props:
        tag = etree.QName(child).localname
        if tag == "solidFill":
            value = next((c for c in child if c.tag in _COLOUR_TAGS), None)
            if value is None:
                return None
            alpha = value.find(f"{_A}alpha")
            opaque = alpha is None or int(alpha.get("val", "100000")) >= 100000
            return (palette.colour(value),), opaque
        if tag == "pattFill":
            colours = [
                palette.colour(next(c for c in part if c.tag in _COLOUR_TAGS))
                for part in (child.find(f"{_A}fgClr"), child.find(f"{_A}bgClr"))
                if part is not None and len(part)
            ]
            return tuple(colours) or ("000000", "FFFFFF"), True
        if tag == "gradFill":
            stops = [
                palette.colour(c)
                for stop in child.iter(f"{_A}gs")
                for c in stop
                if c.tag in _COLOUR_TAGS
            ]
            return tuple(stops) or (UNKNOWN,), True
        if tag == "blipFill":
            return (UNKNOWN,), True
        if tag in ("noFill", "grpFill"):
            return None
    return None


def box_of(el: etree._Element) -> tuple[int, int, int, int] | None:
    xfrm = el.find(f".//{_A}xfrm")
    if xfrm is None:
        return None
    off, ext = xfrm.find(f"{_A}off"), xfrm.find(f"{_A}ext")
    if off is None or ext is None:
        return None
    return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))


def _is_placeholder(el: etree._Element) -> bool:
    return el.find(f"./*/{_P}nvPr/{_P}ph") is not None


def shape_layer(palette: _Palette, el: etree._Element, box=None) -> Layer | None:  # type: ignore[no-untyped-def]
    """What one shape paints (its fill; a picture: unknown colours), or None."""
    box = box or box_of(el)
    if box is None:
        return None
    tag = etree.QName(el).localname
    if tag == "pic":
        return Layer(box, (UNKNOWN,), True, False)
    props = el.find(f"{_P}spPr")
    fill = _fill_of(palette, props)
    if fill is None and props is not None and props.find(f"{_A}noFill") is None:
        # No fill of its own: the shape style's fill reference, if it has one.
        ref = el.find(f"{_P}style/{_A}fillRef")
        if ref is not None and int(ref.get("idx", "0")) > 0 and len(ref):
            fill = ((palette.colour(ref[0]),), True)
    if fill is None:
        return None
    colours, opaque = fill
    geometry = props.find(f"{_A}prstGeom") if props is not None else None
    rect = geometry is not None and geometry.get("prst") == "rect"
    return Layer(box, colours, opaque, rect)


def _layers_of_tree(palette: _Palette, tree: etree._Element) -> Iterator[Layer]:
    """The painted shapes of a master's or a layout's tree (placeholders are not drawn on
    slides, only inherited), groups flattened to their children's boxes."""
    for el in tree:
        tag = etree.QName(el).localname
        if tag in ("sp", "pic") and not _is_placeholder(el):
            layer = shape_layer(palette, el)
            if layer is not None:
                yield layer
        elif tag == "grpSp":
            # Children's boxes are in the group's child space: without mapping them,
            # take the group's own box for each (a conservative overlap).
            box = box_of(el)
            for child in el.iter(f"{_P}sp", f"{_P}pic"):
                layer = shape_layer(palette, child, box)
                if layer is not None:
                    yield Layer(layer.box, layer.colours, layer.opaque, False)


def _background(palette: _Palette, *owners: etree._Element) -> Layer | None:
    for owner in owners:
        bg = owner.find(f"{_P}cSld/{_P}bg")
        if bg is None:
            continue
        fill = _fill_of(palette, bg.find(f"{_P}bgPr"))
        ref = bg.find(f"{_P}bgRef")
        if fill is None and ref is not None and len(ref):
            fill = ((palette.colour(ref[0]),), True)
        if fill is not None:
            return Layer(_EVERYWHERE, fill[0], True)
    return None


class Backdrops:
    """The layers under slides of one presentation, the template's read once per layout."""

    def __init__(self) -> None:
        self._palettes: dict[int, _Palette] = {}
        self.touched: set[int] = set()  # shapes a caller of `walk` changed (by id)
        self._inherited: dict[tuple, str] = {}  # type: ignore[type-arg]
        self._layouts: dict[int, tuple[etree._Element, SlideLayout]] = {}
        self._template: dict[int, tuple[Layer, list[Layer], list[Layer]]] = {}

    def palette(self, master: SlideMaster) -> _Palette:
        key = id(master.element)
        if key not in self._palettes:
            self._palettes[key] = _Palette(master)
        return self._palettes[key]

    def template_layers(self, slide: Slide) -> list[Layer]:
        """The background and the master's and layout's own shapes, bottom to top."""
        layout = self.layout_of(slide)
        key = id(layout.element)
        if key not in self._template:
            self._template[key] = self._read_template(layout)
        bg, master_layers, layout_layers = self._template[key]
        bg = _background(self.palette(layout.slide_master), slide.element) or bg
        if slide.element.get("showMasterSp") == "0":
            return [bg]
        return [bg, *master_layers, *layout_layers]

    def decorations(self, layout: SlideLayout) -> list[Layer]:
        """What the master (unless the layout hides it) and the layout paint themselves."""
        _, master_layers, layout_layers = self._read_template(layout)
        return [*master_layers, *layout_layers]

    def _read_template(self, layout: SlideLayout) -> tuple[Layer, list[Layer], list[Layer]]:
        master = layout.slide_master
        palette = self.palette(master)
        bg = _background(palette, layout.element, master.element) or Layer(
            _EVERYWHERE, (palette.named("bg1"),), True
        )
        master_layers = []
        if layout.element.get("showMasterSp") != "0":
            master_layers = list(
                _layers_of_tree(palette, master.element.find(f"{_P}cSld/{_P}spTree"))
            )
        own = list(_layers_of_tree(palette, layout.element.find(f"{_P}cSld/{_P}spTree")))
        return bg, master_layers, own

    def behind_text(self, layers: list[Layer], own: Layer | None, box) -> list[str]:  # type: ignore[no-untyped-def]
        """The colours behind a shape's text: its own fill when opaque (text sits inside
        the shape's outline), else what is under its box."""
        if own is not None and own.opaque and UNKNOWN not in own.colours:
            return list(own.colours)
        return self.behind([*layers, *([own] if own else [])], box)

    def behind(self, layers: list[Layer], box: tuple[int, int, int, int]) -> list[str]:
        """The colours under `box`: layers from the top down to the first that hides the
        rest inside the box."""
        colours: list[str] = []
        for layer in reversed(layers):
            if not _intersects(layer.box, box):
                continue
            colours.extend(layer.colours)
            if layer.covers and _contains(layer.box, box):
                break
        return list(dict.fromkeys(colours))

    def walk(
        self, slide: Slide
    ) -> Iterator[tuple[etree._Element, tuple[int, int, int, int], list[str], list[Layer]]]:
        """Each shape of the slide holding text, bottom to top, with its box (EMU), the
        colours behind its text and the layers under it. A shape is read as a layer only
        after the caller has seen it, so a fill or a new size given to it then counts for
        the shapes above it."""
        layout = self.layout_of(slide)
        palette = self.palette(layout.slide_master)
        layers = list(self.template_layers(slide))
        for el in list(slide.shapes._spTree):
            if etree.QName(el).localname not in ("sp", "pic"):
                continue
            box = box_of(el) if el.find(f"{_P}spPr/{_A}xfrm") is not None else None
            if box is None and el.find(f"{_P}txBody") is not None:
                box = self._placed(layout, el)  # a placeholder placed by its layout
            if box is None:
                continue
            layer = shape_layer(palette, el, box)
            if el.find(f"{_P}txBody") is not None:
                yield el, box, self.behind_text(layers, layer, box), layers
                if id(el) in self.touched:  # given a fill or a new size: read it again
                    box = box_of(el) or box
                    layer = shape_layer(palette, el, box)
            if layer is not None:
                layers.append(layer)

    def _placed(self, layout: SlideLayout, el: etree._Element) -> tuple[int, int, int, int] | None:
        """Where a placeholder without a transform of its own is: its layout's
        placeholder's place, else its master's."""
        ph = el.find(f"./*/{_P}nvPr/{_P}ph")
        if ph is None:
            return None
        kind, idx = ph.get("type"), ph.get("idx", "0")
        kin = _TITLE_TYPES if kind in _TITLE_TYPES else _BODY_TYPES
        for owner, want in ((layout.element, idx), (layout.slide_master.element, None)):
            found = _find_ph(owner, kind, want, kin)
            if found is not None and found.find(f"{_P}spPr/{_A}xfrm") is not None:
                return box_of(found)
        return None

    def body_property(self, slide: Slide, shape_el: etree._Element, name: str, default: str) -> str:
        """A text frame's `bodyPr` attribute (anchor, insets) as drawn: the shape's own,
        else its layout's and master's placeholder's, else `default`."""
        for body in self._body_chain(slide, shape_el):
            value = body.get(name)
            if value is not None:
                return value
        return default

    def _body_chain(self, slide: Slide, shape_el: etree._Element) -> Iterator[etree._Element]:
        yield from _present(shape_el.find(f"{_P}txBody/{_A}bodyPr"))
        ph = shape_el.find(f"./*/{_P}nvPr/{_P}ph")
        if ph is None:
            return
        kind, idx = ph.get("type"), ph.get("idx", "0")
        kin = _TITLE_TYPES if kind in _TITLE_TYPES else _BODY_TYPES
        layout_ph = _find_ph(self.layout_of(slide).element, kind, idx, kin)
        if layout_ph is not None:
            yield from _present(layout_ph.find(f"{_P}txBody/{_A}bodyPr"))
            kind = layout_ph.find(f"./*/{_P}nvPr/{_P}ph").get("type")
        master_ph = _find_ph(self.layout_of(slide).slide_master.element, kind, None, kin)
        if master_ph is not None:
            yield from _present(master_ph.find(f"{_P}txBody/{_A}bodyPr"))

    def text_colour(self, slide: Slide, shape_el: etree._Element, run_props, level: int = 0) -> str:  # type: ignore[no-untyped-def]
        """The colour a run is drawn in: its own fill, else what its shape's list style,
        the layout's and the master's placeholder and the master's text styles give its
        level, else the shape style's font colour, else the theme's `tx1`."""
        layout = self.layout_of(slide)
        palette = self.palette(layout.slide_master)
        own = _solid(palette, run_props)
        if own is not None:
            return own
        found = _solid(palette, _level_rpr(shape_el.find(f"{_P}txBody/{_A}lstStyle"), level))
        if found is not None:
            return found
        ph = shape_el.find(f"./*/{_P}nvPr/{_P}ph")
        key = (
            id(layout.element),
            None if ph is None else (ph.get("type"), ph.get("idx", "0")),
            level,
            shape_el.find(f"{_P}style/{_A}fontRef") is not None,
        )
        if key not in self._inherited:
            self._inherited[key] = self._inherited_colour(layout, shape_el, level)
        return self._inherited[key]

    def _inherited_colour(self, layout: SlideLayout, shape_el: etree._Element, level: int) -> str:
        palette = self.palette(layout.slide_master)
        for styles in self._style_chain(layout, shape_el):
            found = _solid(palette, _level_rpr(styles, level))
            if found is not None:
                return found
        ref = shape_el.find(f"{_P}style/{_A}fontRef")
        if ref is not None and len(ref):
            return palette.colour(ref[0])
        return palette.named("tx1")

    def layout_of(self, slide: Slide) -> SlideLayout:
        """The slide's layout (python-pptx looks it up through the relationships each time)."""
        key = id(slide.element)
        found = self._layouts.get(key)
        if found is None or found[0] is not slide.element:
            found = self._layouts[key] = (slide.element, slide.slide_layout)
        return found[1]

    def _style_chain(
        self, layout: SlideLayout, shape_el: etree._Element
    ) -> Iterator[etree._Element]:
        """The list styles a shape's text inherits, nearest first (its own is read first
        by `text_colour`)."""
        ph = shape_el.find(f"./*/{_P}nvPr/{_P}ph")
        master = layout.slide_master.element
        styles = master.find(f"{_P}txStyles")
        if ph is None:
            yield from _present(None if styles is None else styles.find(f"{_P}otherStyle"))
            return
        kind, idx = ph.get("type"), ph.get("idx", "0")
        kin = _TITLE_TYPES if kind in _TITLE_TYPES else _BODY_TYPES
        layout_ph = _find_ph(layout.element, kind, idx, kin)
        if layout_ph is not None:
            yield from _present(layout_ph.find(f"{_P}txBody/{_A}lstStyle"))
            kind = layout_ph.find(f"./*/{_P}nvPr/{_P}ph").get("type")
        master_ph = _find_ph(master, kind, None, kin)
        if master_ph is not None:
            yield from _present(master_ph.find(f"{_P}txBody/{_A}lstStyle"))
        tag = "titleStyle" if kind in _TITLE_TYPES else "bodyStyle"
        yield from _present(None if styles is None else styles.find(f"{_P}{tag}"))


def _present(el: etree._Element | None) -> Iterator[etree._Element]:
    if el is not None:
        yield el


def _find_ph(owner: etree._Element, kind, idx, kin) -> etree._Element | None:  # type: ignore[no-untyped-def]
    """The placeholder of `owner` a slide's placeholder inherits from: by idx, else by
    type (body kinds stand in for each other, as PowerPoint's inheritance does)."""
    tree = owner.find(f"{_P}cSld/{_P}spTree")
    candidates = [el for el in tree.iter(f"{_P}sp") if _is_placeholder(el)]
    if idx is not None:
        for el in candidates:
            ph = el.find(f"./*/{_P}nvPr/{_P}ph")
            if ph.get("idx", "0") == idx and (ph.get("type") in kin):
                return el
    for el in candidates:
        if el.find(f"./*/{_P}nvPr/{_P}ph").get("type") == kind:
            return el
    for el in candidates:
        if el.find(f"./*/{_P}nvPr/{_P}ph").get("type") in kin:
            return el
    return None


def _level_rpr(styles: etree._Element | None, level: int) -> etree._Element | None:
    if styles is None:
        return None
    return styles.find(f"{_A}lvl{level + 1}pPr/{_A}defRPr")


def _solid(palette: _Palette, props: etree._Element | None) -> str | None:
    if props is None:
        return None
    fill = props.find(f"{_A}solidFill")
    if fill is None or not len(fill):
        return None
    return palette.colour(fill[0])
