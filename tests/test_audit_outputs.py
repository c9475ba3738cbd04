"""The audit report files: Markdown snapshots, a self-contained printable HTML page,
and byte-identical output for the same input."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from escalation_charts import __version__

from .conftest import DATA, EXAMPLES, ROOT

GOLDEN = DATA / "audit"
BROKEN = DATA / "audit" / "broken.yaml"


def audit_files(run, path: Path, out: Path, formats: str = "html,md,json") -> dict[str, str]:
    run("audit", str(path), "-f", formats, "-o", str(out))
    return {
        p.suffix[1:]: p.read_text(encoding="utf-8")
        for p in out.iterdir()
        if not p.name.startswith(".")
    }


def check_golden(name: str, text: str) -> None:
    """Compare with tests/data/audit/<name> (version-neutral); UPDATE_GOLDEN=1 rewrites."""
    text = text.replace(f"escalation-charts {__version__}", "escalation-charts VERSION")
    text = text.replace(f"{ROOT}/", "")  # the checkout's place: examples/x.yaml everywhere
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


@pytest.mark.parametrize(
    "source",
    [BROKEN, *(e for e in EXAMPLES if e.stem in ("four-level-matrix", "spec-example"))],
    ids=lambda p: p.stem,
)
def test_markdown_snapshot(run, tmp_path: Path, source: Path) -> None:
    files = audit_files(run, source, tmp_path, "md")
    check_golden(f"{source.stem}.audit.md", files["md"])


def test_the_html_report_needs_no_other_file_and_no_network(run, tmp_path: Path) -> None:
    page = audit_files(run, EXAMPLES[0], tmp_path, "html")["html"]
    doc = lxml_html.document_fromstring(page)
    assert doc.xpath("//script | //link | //iframe | //object | //embed | //img") == []
    for element in doc.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"event handler {name} on {element.tag}"
            if name in ("href", "src", "{http://www.w3.org/1999/xlink}href"):
                assert value.startswith("#"), f"{element.tag} {name}={value}"
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]
    assert not re.search(r"url\(|@import", page), "CSS must not load anything"
    # the matrix picture is inline SVG, not a reference to a file
    assert doc.xpath("//section[@id='matrix']//*[local-name()='svg']")


@pytest.mark.parametrize("source", [BROKEN, *EXAMPLES], ids=lambda p: p.stem)
def test_ids_in_the_html_report_are_unique(run, tmp_path: Path, source: Path) -> None:
    """The chart and the matrix are inline SVG: their ids share the page's namespace."""
    doc = lxml_html.document_fromstring(audit_files(run, source, tmp_path, "html")["html"])
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_the_html_report_prints_with_a_page_break_per_section(run, tmp_path: Path) -> None:
    page = audit_files(run, BROKEN, tmp_path, "html")["html"]
    print_css = page[page.index("@media print") :]
    assert re.search(r"section\s*\{\s*break-before:\s*page", print_css)
    doc = lxml_html.document_fromstring(page)
    assert [s.get("id") for s in doc.xpath("//section")] == [
        "findings",
        "chart",
        "matrix",
        "timing",
        "soundness",
        "contacts",
        "review",
    ]


def test_every_finding_is_in_the_html_with_its_rule_place_and_path(run, tmp_path) -> None:
    page = audit_files(run, BROKEN, tmp_path, "html")["html"]
    doc = lxml_html.document_fromstring(page)
    rows = doc.xpath("//table[contains(@class, 'findings')]/tbody/tr")
    assert len(rows) == 13
    dead_end = [r.text_content() for r in rows if "dead-end" in r.text_content()]
    assert len(dead_end) == 2
    assert "line 48, column 10" in dead_end[0] and "severity P2" in dead_end[0]
    assert "open → triage → fixed → stuck" in " ".join(dead_end[0].split())


@pytest.mark.parametrize("source", [BROKEN, EXAMPLES[0]], ids=lambda p: p.stem)
def test_the_same_input_gives_identical_files(run, tmp_path: Path, source: Path) -> None:
    assert audit_files(run, source, tmp_path / "a") == audit_files(run, source, tmp_path / "b")


def test_help_teaches_with_an_example(run) -> None:
    result = run("audit", "--help")
    assert result.exit_code == 0
    assert "escalation-charts audit process.yaml -o evidence" in result.stdout
    assert "exits 1" in result.stdout


def test_a_chart_that_cannot_be_drawn_leaves_a_note_not_a_crash(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import escalation_charts.render.chart as chart

    def broken(*args: object, **kwargs: object) -> bytes:
        raise ValueError("no layout for this flow")

    monkeypatch.setattr(chart, "render_chart", broken)
    page = audit_files(run, BROKEN, tmp_path, "html")["html"]
    assert "The swim-lane chart could not be drawn: no layout for this flow." in page
    doc = lxml_html.document_fromstring(page)
    assert doc.xpath("//section[@id='matrix']//*[local-name()='svg']")
