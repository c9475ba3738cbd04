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
from .test_preview_browser import browser  # noqa: F401  (the Chromium driven by selenium)

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


OUTAGE = DATA / "timing" / "utility-outage.yaml"  # a matrix-flow-timing error
UNTIMED = DATA / "rules" / "matrix-untimed.yaml"  # a matrix-untimed warning only


def _visible(driver, selector: str, root=None) -> list:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    found = (root or driver).find_elements(By.CSS_SELECTOR, selector)
    return [e for e in found if e.is_displayed()]


@pytest.mark.parametrize("source", [*EXAMPLES, BROKEN, OUTAGE, UNTIMED], ids=lambda p: p.stem)
def test_verdict_timing_table_and_findings_agree_as_shown(
    run,
    tmp_path: Path,
    source: Path,
    browser,  # noqa: F811  (the fixture imported above)
) -> None:
    """Read as a person reads it (the text Chromium displays): the verdict counts the
    findings listed, and every timing row the table flags is a listed finding of its rule
    for that severity, while an unflagged row has none."""
    from escalation_charts.reading.loader import load

    page = report(run, source, tmp_path / "out")
    browser.get(page.as_uri())
    verdict = _visible(browser, ".verdict-title")[0].text
    rows = [
        [c.text for c in _visible(browser, "td", r)]
        for r in _visible(browser, "table.findings tbody tr")
    ]
    levels = [r[1].split()[-1] for r in rows]  # the badge: "✗ error" / "⚠ warning"
    errors, warnings = levels.count("error"), levels.count("warning")
    if errors:
        assert verdict == f"FAIL ({errors} error{'s' * (errors != 1)}, {warnings} warning" + (
            "s)" if warnings != 1 else ")"
        )
    elif warnings:
        assert verdict == f"PASS with {warnings} warning{'s' * (warnings != 1)}"
    else:
        assert verdict.startswith("PASS: ")
        assert "No findings" in _visible(browser, "section#findings")[0].text
    listed = {
        (r[2], r[3].split("severity ")[-1].strip())
        for r in rows
        if r[2] in ("matrix-flow-timing", "matrix-untimed")
    }
    definition = load(source).definition
    labels = {s.label for s in definition.steps}
    flagged = set()
    blocks = _visible(browser, "section#timing .severity-block")
    assert len(blocks) == len(definition.severities)
    for block, severity in zip(blocks, definition.severities, strict=True):
        assert _visible(browser, "h3 .id", block)[0].text == severity.id
        for row in _visible(browser, "table.timing tbody tr", block):
            check = _visible(browser, "td.check", row)[0]
            badge = _visible(browser, ".badge", check)[0].get_attribute("class").split()[-1]
            kind = check.get_attribute("data-check")
            rule = {
                "flow-later-than-matrix": "matrix-flow-timing",
                "never-reached": "matrix-flow-timing",
                "untimed": "matrix-untimed",
            }.get(kind)
            if rule is not None:
                assert badge in ("error", "warning")
                flagged.add((rule, severity.id))
            assert _visible(browser, "td.matrix", row)[0].text
            assert _visible(browser, "td.earliest", row)[0].text
            walk = _visible(browser, "td.path", row)[0].text
            if "no walk" not in walk:  # a walk reads as step labels, not ids
                assert {s.strip() for s in re.split(r"→(?: after \S+ →)?", walk)} <= labels
    assert flagged == listed
