"""`slides --template`: the organisation's masters and layouts carry the deck."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches

from .conftest import EXAMPLES
from .test_slides_support import read_deck

HELP_DESK = next(p for p in EXAMPLES if p.stem == "it-help-desk")
POTX = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def brand_template(path: Path, *, wide: bool = True) -> Path:
    """A branded deck: renamed layouts, a logo on the master, and a sample slide."""
    prs = Presentation()
    if wide:
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    master = prs.slide_master
    for layout in master.slide_layouts:
        layout.name = f"Brand {layout.name}"
    sample = prs.slides.add_slide(master.slide_layouts[1])
    sample.shapes.title.text = "Sample slide that must not appear"
    # python-pptx cannot add a shape to a master: draw it on the slide, then move it.
    logo = sample.shapes.add_shape(1, Inches(0.1), Inches(0.1), Inches(0.5), Inches(0.3))
    logo.name = "brand-logo"
    logo.fill.solid()
    logo.fill.fore_color.rgb = RGBColor(0xE4, 0x00, 0x7C)
    master.shapes._spTree.append(logo._element)
    prs.save(path)
    return path


def as_potx(source: Path, target: Path) -> Path:
    """The same deck saved as a PowerPoint template (only the main content type differs)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(PPTX.encode(), POTX.encode())
            zout.writestr(info, data)
    return target


def test_a_template_deck_uses_the_templates_masters_and_layouts(run, tmp_path: Path) -> None:
    template = brand_template(tmp_path / "brand.pptx")
    out = tmp_path / "deck.pptx"
    result = run("slides", str(HELP_DESK), "-o", str(out), "--template", str(template))
    assert result.exit_code == 0, result.stderr
    prs = Presentation(str(out))
    names = {layout.slide_layout.name for layout in prs.slides}
    assert names and all(name.startswith("Brand ") for name in names)
    assert any(s.name == "brand-logo" for s in prs.slide_master.shapes)
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
    assert "Sample slide that must not appear" not in titles
    first = prs.slides[0]
    assert first.shapes.title.text == "IT Help Desk Escalation (3 tiers)"
    # The title slide's subtitle placeholder and the agenda's body placeholder are filled.
    assert "Version 4.1" in first.placeholders[1].text_frame.text
    agenda = prs.slides[1]
    assert agenda.slide_layout.name == "Brand Title and Content"
    assert "The escalation matrix" in agenda.placeholders[1].text_frame.text
    # No placeholder is left empty ("Click to add text" in PowerPoint).
    for slide in prs.slides:
        for placeholder in slide.placeholders:
            assert placeholder.text_frame.text.strip(), (slide.shapes.title.text, placeholder.name)


def test_a_potx_template_is_accepted_and_its_4_to_3_size_kept(run, tmp_path: Path) -> None:
    template = as_potx(brand_template(tmp_path / "b.pptx", wide=False), tmp_path / "b.potx")
    out = tmp_path / "deck.pptx"
    result = run("slides", str(HELP_DESK), "-o", str(out), "--template", str(template))
    assert result.exit_code == 0, result.stderr
    prs = read_deck(out.read_bytes())
    assert (prs.slide_width, prs.slide_height) == (Inches(10), Inches(7.5))
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.name.startswith(("step-", "lane-", "matrix")):
                assert shape.left + shape.width <= prs.slide_width
                assert shape.top + shape.height <= prs.slide_height


def test_the_same_template_gives_the_same_bytes(run, tmp_path: Path) -> None:
    template = brand_template(tmp_path / "brand.pptx")
    outs = []
    for name in ("a.pptx", "b.pptx"):
        result = run(
            "slides", str(HELP_DESK), "-o", str(tmp_path / name), "--template", str(template)
        )
        assert result.exit_code == 0
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]


def test_a_file_that_is_not_a_deck_is_refused_with_exit_2(run, tmp_path: Path) -> None:
    bogus = tmp_path / "brand.pptx"
    bogus.write_text("not a zip")
    result = run("slides", str(HELP_DESK), "-o", str(tmp_path / "d.pptx"), "--template", str(bogus))
    assert result.exit_code == 2
    assert "not a PowerPoint deck or template" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "d.pptx").exists()
    empty_zip = tmp_path / "empty.pptx"
    with zipfile.ZipFile(empty_zip, "w") as z:
        z.writestr("hello.txt", "hi")
    result = run(
        "slides", str(HELP_DESK), "-o", str(tmp_path / "d.pptx"), "--template", str(empty_zip)
    )
    assert result.exit_code == 2, result.stderr
