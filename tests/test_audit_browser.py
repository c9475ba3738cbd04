"""The HTML report in a real browser (headless Chromium): it renders without console
errors, the embedded chart and matrix are visible, and "print to PDF" gives a document
with a page per section.

Console messages are read from Chromium's own log (`--enable-logging=stderr`), where every
console call and every Content-Security-Policy violation appears as a `CONSOLE` line; the
first test proves that this catches an error, so the others cannot pass by not looking.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from .conftest import DATA, EXAMPLES

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="chromium is not installed (Debian: apt-get install chromium); .ci/run installs it",
    ),
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]
CONSOLE = re.compile(r":CONSOLE[:(].*")
BROKEN = DATA / "audit" / "broken.yaml"
HELP_DESK = next(e for e in EXAMPLES if e.stem == "it-help-desk")


def chromium(page: Path, tmp_path: Path, *args: str) -> list[str]:
    """Open `page` with a fresh profile; return the console lines Chromium logged."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [m.group() for m in CONSOLE.finditer(result.stderr)]


def screenshot(page: Path, tmp_path: Path, height: int = 2400) -> tuple[Image.Image, list]:
    shot = tmp_path / f"{page.stem}.png"
    console = chromium(page, tmp_path, f"--window-size=1280,{height}", f"--screenshot={shot}")
    return Image.open(shot).convert("L"), console


def ink(image: Image.Image) -> tuple[float, int]:
    """The share of dark (text, line) pixels within the drawn area, and that area's
    height in pixels; (0, 0) for a blank image."""
    box = image.point(lambda v: 255 if v < 245 else 0).getbbox()
    if box is None:
        return 0.0, 0
    drawn = image.crop(box)
    dark = sum(drawn.histogram()[:160]) / (drawn.width * drawn.height)
    return dark, box[3] - box[1]


def report(run, source: Path, out: Path) -> Path:
    run("audit", str(source), "-f", "html", "-o", str(out))
    (page,) = out.glob("*-audit.html")
    return page


def only(page: Path, section: str) -> Path:
    """A copy of the report that shows nothing but the figure of one section."""
    hide = f"header, footer, section:not(#{section}), #{section} > :not(figure), figcaption"
    style = f"<style>{hide} {{display: none !important}} body {{padding: 0}}</style></head>"
    copy = page.with_name(f"only-{section}.html")
    copy.write_text(page.read_text(encoding="utf-8").replace("</head>", style, 1), "utf-8")
    return copy


def test_a_console_error_would_be_caught(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><p>x</p><script>console.error("boom")</script>')
    console = chromium(page, tmp_path, f"--screenshot={tmp_path / 'bad.png'}")
    assert any('"boom"' in line for line in console)


@pytest.mark.parametrize("source", [*EXAMPLES, BROKEN], ids=lambda p: p.stem)
def test_the_report_renders_without_console_errors(run, tmp_path: Path, source: Path) -> None:
    image, console = screenshot(report(run, source, tmp_path / "out"), tmp_path)
    assert console == []
    dark, height = ink(image)
    assert dark > 0.01 and height > 1500, "the page looks blank"


@pytest.mark.parametrize("source", [HELP_DESK, BROKEN], ids=lambda p: p.stem)
@pytest.mark.parametrize("section", ["chart", "matrix"])
def test_the_embedded_chart_and_matrix_are_visible(
    run, tmp_path: Path, source: Path, section: str
) -> None:
    image, console = screenshot(only(report(run, source, tmp_path / "out"), section), tmp_path)
    assert console == []
    dark, height = ink(image)
    assert dark > 0.01, f"the {section} figure is blank"
    assert height > 200, f"the {section} figure is too small to read ({height} px)"


def test_print_to_pdf_gives_a_page_per_section(run, tmp_path: Path) -> None:
    page = report(run, BROKEN, tmp_path / "out")
    pdf = tmp_path / "report.pdf"
    console = chromium(page, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert console == []
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    # the cover, then seven sections each starting on a new page
    assert pages >= 8, f"{pages} pages"
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "40",
                "-f",
                "1",
                "-l",
                "3",
                str(pdf),
                str(tmp_path / "page"),
            ],
            check=True,
            timeout=60,
        )
        for png in sorted(tmp_path.glob("page-*.png")):
            assert ink(Image.open(png).convert("L"))[1] > 0, f"{png.name} is blank"
