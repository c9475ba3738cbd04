"""`matrix` as users run it: every format, the cells equal the definition's matrix,
snapshots of Markdown and CSV, spreadsheet-safe CSV, deterministic files, exit codes."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from lxml import etree

from escalation_charts.audit.text import duration_text
from escalation_charts.reading.loader import load
from escalation_charts.render.matrix import neutralise_csv

from .conftest import DATA, EXAMPLES

GOLDEN = DATA / "matrix"
BROKEN = DATA / "audit" / "broken.yaml"
SVG = "{http://www.w3.org/2000/svg}"


def matrix_files(run, path: Path, out: Path, *args: str) -> dict[str, bytes]:
    result = run("matrix", str(path), "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    files = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    by_format = {name.rsplit(".", 1)[1]: data for name, data in files.items() if "-matrix." in name}
    for name, data in files.items():
        if "-contacts." in name:
            by_format["contacts"] = data
    return by_format


def check_golden(name: str, text: str) -> None:
    """Compare with tests/data/matrix/<name>; UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from its snapshot"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_markdown_and_csv_snapshots(run, tmp_path: Path, example: Path) -> None:
    files = matrix_files(run, example, tmp_path, "-f", "md,csv")
    check_golden(f"{example.stem}.md", files["md"].decode("utf-8"))
    check_golden(f"{example.stem}.csv", files["csv"].decode("utf-8"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_csv_cells_equal_the_matrix_and_contacts(run, tmp_path: Path, example: Path) -> None:
    d = load(example).definition
    rows = list(
        csv.reader(
            io.StringIO(
                matrix_files(run, example, tmp_path, "-f", "csv")["csv"].decode("utf-8-sig"),
                newline="",
            )
        )
    )
    assert rows[0][:4] == ["Severity", "Name", "Respond", "Resolve"]
    assert len(rows[0]) == 4 + len(d.leveled_lanes)
    for row, sev in zip(rows[1:], d.severities, strict=False):
        assert row[:4] == [sev.id, sev.name, duration_text(sev.respond), duration_text(sev.resolve)]
        expected = [
            duration_text(d.cell(sev.id, lane.id).engage, "not used") for lane in d.leveled_lanes
        ]
        assert row[4:] == expected
    assert len(rows) == 1 + len(d.severities)  # the matrix alone: no contact rows


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_contacts_csv_lists_every_contact_of_every_level(
    run, tmp_path: Path, example: Path
) -> None:
    d = load(example).definition
    data = matrix_files(run, example, tmp_path, "-f", "csv")["contacts"]
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Level", "Lane", "Role", "Name", "Phone", "Email", "Hours"]
    expected = [
        [
            neutralise_csv(v)
            for v in (
                str(lane.level),
                lane.name,
                role,
                c.name,
                c.phone or "",
                c.email or "",
                c.hours or "",
            )
        ]
        for lane in d.leveled_lanes
        for role in ("primary", "backup")
        for c in lane.contacts_with_role(role)
    ]
    assert rows[1:] == expected


def test_csv_opens_in_excel_as_utf8(run, tmp_path: Path) -> None:
    data = matrix_files(run, EXAMPLES[0], tmp_path, "-f", "csv")["csv"]
    assert data.startswith("\ufeff".encode()), "no BOM: Excel would guess a legacy code page"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_svg_is_a_table_of_every_cell_and_contact(run, tmp_path: Path, example: Path) -> None:
    d = load(example).definition
    svg = etree.fromstring(matrix_files(run, example, tmp_path, "-f", "svg")["svg"])
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert f"Escalation matrix: {d.process.name}" in " ".join(texts)
    for sev in d.severities:
        assert sev.id in texts
    used = [c.engage for row in d.matrix.values() for c in row.values()]
    for engage in used:
        assert duration_text(engage, "not used") in texts
    for lane in d.leveled_lanes:
        for contact in lane.contacts:
            assert contact.name in texts
    # every id is prefixed, so the picture can sit inline next to the chart in one page
    ids = [el.get("id") for el in svg.iter() if el.get("id")]
    assert ids and all(i.startswith("escalation-matrix") for i in ids)


def test_png_is_a_png_and_every_format_is_deterministic(run, tmp_path: Path) -> None:
    first = matrix_files(run, EXAMPLES[0], tmp_path / "a")
    second = matrix_files(run, EXAMPLES[0], tmp_path / "b")
    assert sorted(first) == ["contacts", "csv", "html", "md", "png", "svg"]
    assert first["png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert first == second
    from PIL import Image

    with Image.open(io.BytesIO(first["png"])) as image:  # drawn at 192 dpi, and says so
        image.load()
        assert round(image.info["dpi"][0]) == 192


def test_files_are_named_after_the_process_id(run, tmp_path: Path) -> None:
    run("matrix", str(EXAMPLES[0]), "-o", str(tmp_path), "-f", "md,html")
    process_id = load(EXAMPLES[0]).definition.process.id
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        f"{process_id}-matrix.html",
        f"{process_id}-matrix.md",
    ]


def test_a_definition_with_errors_writes_nothing_unless_forced(run, tmp_path: Path) -> None:
    result = run("matrix", str(BROKEN), "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "error matrix-order" in result.stderr
    assert list(tmp_path.iterdir()) == []
    files = matrix_files(run, BROKEN, tmp_path, "--force", "-f", "md,csv,svg")
    assert "| `P3` Low | 1d | 3d | 0m | *missing* | *missing* |" in files["md"].decode()
    assert b"out of order" in files["svg"] and b"after SLA" in files["svg"]


def test_unknown_format_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("matrix", str(EXAMPLES[0]), "-f", "xlsx", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "choose from md, csv, html, svg, png" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Tier 1 = first", "Tier 1 = first"),
        ("", ""),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return", "inside", "empty"],
)
def test_csv_cells_that_would_be_formulas_are_neutralised(value: str, expected: str) -> None:
    assert neutralise_csv(value) == expected


def test_help_teaches_with_an_example(run) -> None:
    result = run("matrix", "--help")
    assert result.exit_code == 0
    assert "escalation-charts matrix process.yaml -o out" in result.stdout
    assert "--force" in result.stdout and "md, csv, html, svg, png" in result.stdout


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u200e"])
def test_an_invisible_name_draws_without_a_pango_failure(
    run, write_yaml, tmp_path: Path, capfd: pytest.CaptureFixture[str], invisible: str
) -> None:
    # found by the fuzz suite: a line of only zero-width characters made Pango print
    # "Pango-CRITICAL ... assertion failed" to the terminal while drawing the PNG
    text = (DATA / "rules" / "clean.yaml").read_text(encoding="utf-8")
    path = write_yaml(text.replace("name: Critical", f"name: {invisible!r}".replace("'", '"')))
    files = matrix_files(run, path, tmp_path / "out", "-f", "png,svg")
    assert files["png"].startswith(b"\x89PNG")
    assert "CRITICAL" not in capfd.readouterr().err


def test_backslash_escapes_in_names_are_not_expanded_by_graphviz(
    run, write_yaml, tmp_path: Path
) -> None:
    # found by the injection corpus: Graphviz expands \N and \G (node and graph name) even
    # in HTML-like labels, so a severity named "a\N" showed as "atable" in the picture
    text = (DATA / "rules" / "clean.yaml").read_text(encoding="utf-8")
    path = write_yaml(text.replace("name: Critical", r"name: 'a\N b\G c\E \\'"))
    svg = etree.fromstring(matrix_files(run, path, tmp_path / "out", "-f", "svg")["svg"])
    shown = [t.text for t in svg.iter(f"{SVG}text")]
    assert "a\\N b\\G c\\E \\\\" in shown


def test_the_picture_is_in_the_chart_themes_colours(run, tmp_path: Path) -> None:
    """One visual language: every fill, outline and text colour of the matrix picture
    (read from the SVG) is a colour of the chart theme, its headers the chart's lane
    header colour and a level not engaged the theme's empty cell."""
    import re
    from dataclasses import fields

    from escalation_charts.render.themes import DEFAULT

    palette = (
        {
            getattr(DEFAULT, f.name).lower()
            for f in fields(DEFAULT)
            if isinstance(getattr(DEFAULT, f.name), str)
            and getattr(DEFAULT, f.name).startswith("#")
        }
        | {c.lower() for c in DEFAULT.band_fills}
        | {"#ffffff", "white", "none", "black"}
    )
    example = next(p for p in EXAMPLES if p.stem == "four-level-matrix")
    svg = matrix_files(run, example, tmp_path, "-f", "svg")["svg"].decode()
    used = {c.lower() for c in re.findall(r'(?:fill|stroke)="([^"]+)"', svg)}
    assert used - palette == set()
    assert DEFAULT.header_fill in used
    assert DEFAULT.none_fill in used
