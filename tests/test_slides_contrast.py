"""Deck text that reads on what a template paints behind it (no LibreOffice needed).

A template built here paints, like LibreOffice's Vivid, a patterned blue band over the
lower part of every slide on its master, and a dark bar behind its titles like
Midnightblue. Every text run of the deck built on it must reach WCAG AA contrast (4.5:1)
with every colour behind it, measured from the saved file (`deck_contrast`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from escalation_charts.layout.bands import compute_layout
from escalation_charts.reading.loader import load
from escalation_charts.render.pptx import build_deck
from escalation_charts.render.pptx.package.backdrop import Backdrops, contrast
from escalation_charts.validate import validate

from .conftest import EXAMPLES
from .deck_contrast import unreadable_runs
from .deck_geometry import EMU, connector_path
from .test_slides_support import read_deck

HELP_DESK = next(p for p in EXAMPLES if p.stem == "it-help-desk")


def _painted(sample, name: str, box: tuple[float, float, float, float], fill: str):  # type: ignore[no-untyped-def]
    """A rectangle drawn on `sample` with `fill` (DrawingML fill XML) as its only fill."""
    shape = sample.shapes.add_shape(1, *(Inches(v) for v in box))
    shape.name = name
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    sp_pr = shape._element.spPr
    sp_pr.find(qn("a:prstGeom")).addnext(etree.fromstring(fill))
    return shape._element


_NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
_BAND = (
    f'<a:pattFill {_NS} prst="lgGrid"><a:fgClr><a:srgbClr val="3465A4"/></a:fgClr>'
    '<a:bgClr><a:srgbClr val="009EDA"/></a:bgClr></a:pattFill>'
)
_BAR = f'<a:solidFill {_NS}><a:schemeClr val="tx2"/></a:solidFill>'  # the theme's dark blue


def banded_template(path: Path) -> Path:
    """python-pptx's default, 16:9, with a patterned band over the lower 40 % of every
    slide and a dark bar across the top, both on the master (drawn under every slide)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    sample = prs.slides.add_slide(prs.slide_master.slide_layouts[6])
    tree = prs.slide_master.shapes._spTree
    band = _painted(sample, "band", (0, 4.5, 13.333, 3.0), _BAND)
    bar = _painted(sample, "bar", (0, 0, 13.333, 1.4), _BAR)
    tree.insert(2, bar)
    tree.insert(2, band)
    prs.save(path)
    return path


@pytest.fixture(scope="module")
def banded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return banded_template(tmp_path_factory.mktemp("banded") / "banded.pptx")


def _deck(template: Path | None) -> bytes:
    definition = load(HELP_DESK).definition
    assert definition is not None
    return build_deck(
        definition, validate(definition), compute_layout(definition), template=template
    )


def test_the_measure_sees_the_band_and_the_bar(banded: Path) -> None:
    """The check itself: text the template's band or bar is under is found, with the
    pattern's two colours and the bar's scheme colour."""
    prs = Presentation(str(banded))
    slide = prs.slides[0]
    low = slide.shapes.add_textbox(Inches(1), Inches(5), Inches(4), Inches(1))
    low.text_frame.text = "on the band"
    high = slide.shapes.add_textbox(Inches(1), Inches(0.2), Inches(4), Inches(1))
    high.text_frame.text = "on the bar"
    clear = slide.shapes.add_textbox(Inches(1), Inches(2.5), Inches(4), Inches(1))
    clear.text_frame.text = "on white"
    seen = {el: behind for el, _box, behind, _layers in Backdrops().walk(slide)}
    assert set(seen[low._element]) == {"3465A4", "009EDA"}
    assert seen[high._element] == ["1F497D"]  # the default theme's tx2 (dk2)
    assert seen[clear._element] == ["FFFFFF"]
    found = {u.text for u in unreadable_runs(prs)}
    assert found == {"on the band", "on the bar"}


def test_contrast_is_wcags() -> None:
    assert round(contrast("000000", "FFFFFF"), 1) == 21.0
    assert round(contrast("777777", "FFFFFF"), 2) == 4.48  # WCAG's well-known near miss
    assert contrast("3465A4", "3465A4") == 1.0


def test_the_default_deck_reads_everywhere() -> None:
    assert unreadable_runs(read_deck(_deck(None))) == []


def test_a_deck_on_a_banded_template_reads_everywhere(banded: Path) -> None:
    bad = unreadable_runs(read_deck(_deck(banded)))
    assert [(b.slide, b.shape, b.text[:30], b.colour, b.behind, b.ratio) for b in bad[:10]] == []


def test_boxes_are_backed_only_over_the_picture_and_as_tall_as_their_text(banded: Path) -> None:
    """The template keeps its look where text does not need help: a box is given the
    template's background only where it reaches the band or the bar, and a box that
    reaches them is first cut to the height its text takes (the agenda's lines)."""
    prs = read_deck(_deck(banded))
    band_top, bar_bottom = Inches(4.5), Inches(1.4)
    backed = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            props = shape.element.find(qn("p:spPr"))
            fill = None if props is None else props.find(qn("a:solidFill"))
            scheme = None if fill is None else fill.find(qn("a:schemeClr"))
            if scheme is None or scheme.get("val") != "bg1":
                continue
            backed += 1
            bottom, top = shape.top + shape.height, shape.top
            assert bottom > band_top or top < bar_bottom, (slide.shapes.title.text, shape.name)
    assert backed
    agenda = next(s for s in prs.slides if s.shapes.title.text == "Agenda")
    body = next(s for s in agenda.placeholders if s.placeholder_format.idx != 0)
    layout_body = next(s for s in agenda.slide_layout.placeholders if s.placeholder_format.idx == 1)
    assert body.height < layout_body.height * 0.75


def _drawn_box(shape) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    """Left, top, right, bottom in EMU as the shape is drawn: a connector's frame is
    stored unrotated (a 90-degree turn swaps its extents), so its drawn path is used."""
    if shape._element.tag == qn("p:cxnSp"):
        path = connector_path(shape)
        xs, ys = [x * EMU for x, _ in path], [y * EMU for _, y in path]
        return min(xs), min(ys), max(xs), max(ys)
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def test_charts_and_tables_end_above_the_templates_footer_bar(tmp_path: Path) -> None:
    """A master's footer bar (Midnightblue's navy strip and page-number disc) is the
    template's own: what the deck draws ends above it instead of running under it."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    sample = prs.slides.add_slide(prs.slide_master.slide_layouts[6])
    bar = _painted(sample, "footer-bar", (0, 7.05, 13.333, 0.45), _BAR)
    prs.slide_master.shapes._spTree.insert(2, bar)
    path = tmp_path / "footer.pptx"
    prs.save(path)
    deck = read_deck(_deck(path))
    under = [
        (n, shape.name)
        for n, slide in enumerate(deck.slides, start=1)
        for shape in slide.shapes
        if not shape.is_placeholder and _drawn_box(shape)[3] > Inches(7.05)
    ]
    assert under == []


def test_the_legend_runs_on_beside_a_footer_corner_mark_and_the_chart_keeps_its_height(
    tmp_path: Path,
) -> None:
    """Midnightblue's page-number disc sits in the bottom-right corner, above its footer
    bar: the legend runs on below the chart beside it (the chart's height is not given up
    across the whole slide for a 0.5-inch disc), and no shape covers the disc or the bar."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    sample = prs.slides.add_slide(prs.slide_master.slide_layouts[6])
    tree = prs.slide_master.shapes._spTree
    tree.insert(2, _painted(sample, "footer-bar", (0, 7.05, 13.333, 0.45), _BAR))
    disc = (12.3, 6.75, 0.5, 0.5)
    tree.insert(2, _painted(sample, "page-disc", disc, _BAR))
    path = tmp_path / "disc.pptx"
    prs.save(path)
    deck = read_deck(_deck(path))
    left, top = Inches(disc[0]), Inches(disc[1])
    right, bottom = Inches(disc[0] + disc[2]), Inches(disc[1] + disc[3])
    shapes = [
        (n, shape)
        for n, slide in enumerate(deck.slides, start=1)
        for shape in slide.shapes
        if not shape.is_placeholder
    ]
    boxes = [(n, s.name, _drawn_box(s)) for n, s in shapes]
    over_disc = [
        (n, name)
        for n, name, (x0, y0, x1, y1) in boxes
        if x0 < right and x1 > left and y0 < bottom and y1 > top
    ]
    under_bar = [(n, name) for n, name, box in boxes if box[3] > Inches(7.05)]
    assert over_disc == [] and under_bar == []
    legends = [s for _, s in shapes if s.name == "legend-panel"]
    assert legends, "the help desk's chart slides draw a legend"
    # Beside the disc, below its top: the strip the chart would otherwise lose.
    assert all(s.top + s.height > top for s in legends)
