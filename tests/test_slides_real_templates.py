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
    assert pages == {name: slides for name in decks}
