"""`slides --template` with templates real organisations have: LibreOffice's own.

LibreOffice ships presentation templates (.otp); converted to .potx by LibreOffice itself
they carry what real-world templates carry and python-pptx's default does not: several
masters, every body placeholder numbered idx 0, a foreign spelling of the core-properties
relationship, a title in the middle of the slide (Midnightblue). The deck built on each
must open in LibreOffice with as many pages as the default deck, hold no duplicate zip
entry, print nothing on stderr, and keep the lane slides' two columns apart.
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import sys
import zipfile
from itertools import combinations
from pathlib import Path

import pytest

from escalation_charts.reading.loader import load

from .conftest import EXAMPLES, ROOT
from .test_slides_libreoffice import pdf_pages
from .test_slides_support import read_deck

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HELP_DESK = next(p for p in EXAMPLES if p.stem == "it-help-desk")
NAMES = ("Vivid", "Focus", "Midnightblue")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None and not os.environ.get("CI"),
        reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-impress",
    ),
]


def _template_dir() -> Path:
    """LibreOffice's bundled presentation templates, next to the program it runs."""
    assert SOFFICE is not None, "CI must have LibreOffice: .ci/run installs libreoffice-impress"
    program = Path(os.path.realpath(SOFFICE)).parent
    for base in (program.parent, Path("/usr/lib/libreoffice"), Path("/opt/libreoffice")):
        found = base / "share" / "template" / "common" / "presnt"
        if found.is_dir():
            return found
    pytest.fail(f"no LibreOffice presentation templates next to {program}")


def _soffice(args: list[str], profile: Path) -> None:
    subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation=file://{profile}", "--headless", *args],
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """The help-desk deck on each template (None: the default look): path and stderr."""
    work = tmp_path_factory.mktemp("templates")
    profile = work / "profile"
    sources = [str(_template_dir() / f"{name}.otp") for name in NAMES]
    _soffice(["--convert-to", "potx", "--outdir", str(work), *sources], profile)
    out: dict[str, tuple[Path, str]] = {}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("default", *NAMES):
        deck = work / f"{name}.pptx"
        extra = [] if name == "default" else ["--template", str(work / f"{name}.potx")]
        command = [sys.executable, "-m", "escalation_charts", "slides", str(HELP_DESK)]
        done = subprocess.run(
            [*command, "-o", str(deck), *extra],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        out[name] = (deck, done.stderr)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_printed_on_stderr(decks, name: str) -> None:  # type: ignore[no-untyped-def]
    assert decks[name][1] == ""


@pytest.mark.parametrize("name", NAMES)
def test_the_zip_has_no_duplicate_entries(decks, name: str) -> None:  # type: ignore[no-untyped-def]
    names = [i.filename for i in zipfile.ZipFile(decks[name][0]).infolist()]
    assert [n for n, c in collections.Counter(names).items() if c > 1] == []


@pytest.mark.parametrize("name", NAMES)
def test_lane_slides_keep_their_columns_apart(decks, name: str) -> None:  # type: ignore[no-untyped-def]
    definition = load(HELP_DESK).definition
    assert definition is not None
    prs = read_deck(decks[name][0].read_bytes())
    titles = {lane.name for lane in definition.lanes}
    checked = 0
    for slide in prs.slides:
        title = slide.shapes.title
        if title is None or not any(t in title.text for t in titles):
            continue
        boxes = [
            (s.left, s.top, s.left + s.width, s.top + s.height)
            for s in slide.shapes
            if s.has_text_frame and s.text_frame.text.strip() and s.shape_id != title.shape_id
        ]
        assert len(boxes) >= 2, title.text
        for a, b in combinations(boxes, 2):
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], title.text
        checked += 1
    assert checked == len(definition.lanes)


def test_libreoffice_opens_every_deck_with_as_many_pages_as_the_default(decks, tmp_path: Path):  # type: ignore[no-untyped-def]
    paths = [str(path) for path, _ in decks.values()]
    _soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), *paths], tmp_path / "profile")
    pages = {name: pdf_pages((tmp_path / f"{name}.pdf").read_bytes()) for name in decks}
    slides = len(read_deck(decks["default"][0].read_bytes()).slides)
    # Every deck opens, each with its own slides as LibreOffice counts them.
    assert pages == {
        name: len(read_deck(path.read_bytes()).slides) for name, (path, _) in decks.items()
    }
    # Every template, Midnightblue's mid-slide title and footer disc included, gives the
    # default deck's length.
    assert pages == {name: slides for name in pages}


@pytest.mark.parametrize("name", NAMES)
def test_every_title_fits_its_placeholder_in_the_templates_own_face(decks, name: str) -> None:  # type: ignore[no-untyped-def]
    """A title that wraps onto the text below it is unreadable: at the size it is drawn
    (its own, else the template's), measured in the template's title face, every title
    fits its placeholder."""
    from escalation_charts.layout.textfit import deck_fits
    from escalation_charts.render.pptx.package.template import title_face

    def drawn_size(layout) -> float:  # type: ignore[no-untyped-def]
        """The size the template draws an unsized title in, read from its XML: the list
        styles of the layout's and master's title, the master's sample run (where
        LibreOffice writes it), the master's title style; PowerPoint's 44 pt else."""
        a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
        p = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
        holders = [layout, layout.slide_master]
        for owner in holders:
            for ph in owner.placeholders:
                if ph.placeholder_format.type not in (1, 3):  # title, centre title
                    continue
                rpr = ph.element.find(f"{p}txBody/{a}lstStyle/{a}lvl1pPr/{a}defRPr")
                if rpr is not None and rpr.get("sz"):
                    return int(rpr.get("sz")) / 100
                if owner is layout.slide_master:
                    run = next(ph.element.iter(f"{a}rPr"), None)
                    if run is not None and run.get("sz"):
                        return int(run.get("sz")) / 100
        style = layout.slide_master.element.find(f"{p}txStyles/{p}titleStyle/{a}lvl1pPr/{a}defRPr")
        return int(style.get("sz")) / 100 if style is not None and style.get("sz") else 44.0

    prs = read_deck(decks[name][0].read_bytes())
    too_big = []
    for n, slide in enumerate(prs.slides, start=1):
        title = slide.shapes.title
        if title is None or not title.text_frame.text.strip():
            continue
        sizes = [r.font.size.pt for p in title.text_frame.paragraphs for r in p.runs if r.font.size]
        size = max(sizes) if sizes else drawn_size(slide.slide_layout)
        face = title_face(slide.slide_layout)
        width, height = title.width / 12700 - 14.4, title.height / 12700 - 7.2
        if not deck_fits(title.text_frame.text, size, width, height, face=face):
            too_big.append((n, title.text_frame.text, size))
    assert not too_big


@pytest.mark.parametrize("name", ["default", *NAMES])
def test_every_text_contrasts_with_what_is_behind_it(decks, name: str) -> None:  # type: ignore[no-untyped-def]
    """Vivid paints a patterned blue band over the lower third of every slide, Focus
    coloured wedges over all of it, Midnightblue a navy title bar: every run of text, in
    the colour it is drawn in, reaches WCAG AA contrast (4.5, large text 3) with every
    colour behind it (background, the master's and layout's shapes, the slide's shapes
    below it)."""
    from .deck_contrast import unreadable_runs

    bad = unreadable_runs(read_deck(decks[name][0].read_bytes()))
    assert [(b.slide, b.shape, b.text[:30], b.colour, b.behind, b.ratio) for b in bad[:10]] == []
