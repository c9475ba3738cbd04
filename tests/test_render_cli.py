"""`escalation-charts render` as a user runs it: names, formats, options, refusals."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from .conftest import EXAMPLES, ROOT

SVG = "{http://www.w3.org/2000/svg}"
FOUR_LEVEL = next(p for p in EXAMPLES if p.stem == "four-level-matrix")
HELP_DESK = next(p for p in EXAMPLES if p.stem == "it-help-desk")


def ids(svg: Path, prefix: str) -> set[str]:
    root = etree.parse(str(svg)).getroot()
    return {g.get("id") for g in root.iter(f"{SVG}g") if g.get("id", "").startswith(prefix)}


def test_every_format_for_several_files_named_by_process_id(run, tmp_path: Path) -> None:
    result = run("render", *map(str, EXAMPLES), "-f", "svg,png,pdf,dot", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    names = {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")}
    stems = {"customer-service", "four-level-matrix", "it-help-desk-3-tier", "it-help-desk"}
    assert names == {f"{s}.{f}" for s in stems for f in ("svg", "png", "pdf", "dot")}
    assert (tmp_path / "it-help-desk.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "it-help-desk.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "it-help-desk.dot").read_text().startswith('digraph "it-help-desk"')


def test_same_input_gives_identical_bytes(run, tmp_path: Path) -> None:
    for out in ("a", "b"):
        result = run("render", str(HELP_DESK), "-f", "svg,png,pdf,dot", "-o", str(tmp_path / out))
        assert result.exit_code == 0, result.output
    for fmt in ("svg", "png", "pdf", "dot"):
        name = f"it-help-desk-3-tier.{fmt}"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    from pypdf import PdfReader

    info = PdfReader(tmp_path / "a" / "it-help-desk-3-tier.pdf").metadata
    assert info is not None and info["/CreationDate"] == "D:20000101000000Z"  # not now


def test_severity_drops_the_edges_of_other_severities(run, tmp_path: Path) -> None:
    result = run("render", str(FOUR_LEVEL), "--severity", "sev4", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    sev4 = tmp_path / "four-level-matrix-sev4.svg"
    edges = ids(sev4, "edge-")
    assert "edge-experts-fixed-2" in edges  # `no, Sev 4`: sev4 only
    assert "edge-experts-fixed-1" not in edges  # sev1-sev3 only
    assert "edge-basic-1" not in edges and "edge-mgmt-review-1" not in edges  # sev1 timers
    assert "edge-basic-0" in edges  # holds for every severity
    run("render", str(FOUR_LEVEL), "-o", str(tmp_path))
    assert {"edge-experts-fixed-1", "edge-basic-1"} <= ids(
        tmp_path / "four-level-matrix.svg", "edge-"
    )
    text = sev4.read_text()
    assert "Drawn for severity sev4" in text


def test_severity_fades_steps_it_never_reaches(run, tmp_path: Path) -> None:
    run("render", str(FOUR_LEVEL), "--severity", "sev4", "-o", str(tmp_path))
    root = etree.parse(str(tmp_path / "four-level-matrix-sev4.svg")).getroot()

    def fill(step: str) -> str:
        (group,) = root.iterfind(f".//{SVG}g[@id='step-{step}']")
        shape = next(c for c in group if c.tag in (f"{SVG}path", f"{SVG}polygon"))
        return shape.get("fill")

    assert fill("vendor-fix") != fill("diagnose")
    assert fill("vendor-fix") == fill("esc-mgmt")  # both faded: sev4 never reaches them


def test_unknown_severity_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("render", str(HELP_DESK), "--severity", "P9", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "unknown severity 'P9'" in result.stderr and "P1, P2, P3, P4" in result.stderr
    assert not list(tmp_path.glob("*.svg"))


def test_direction_and_theme(run, tmp_path: Path) -> None:
    result = run(
        "render", str(HELP_DESK), "--direction", "TB", "--theme", "print", "-o", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "it-help-desk-3-tier.svg").exists()  # the default chart's name
    svg = (tmp_path / "it-help-desk-3-tier-TB-print.svg").read_text()
    colours = set(__import__("re").findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg))
    assert all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours  # greyscale only


def test_definition_with_errors_is_refused_unless_forced(run, write_yaml, tmp_path) -> None:
    path = write_yaml(
        """
        process: {id: broken, name: Broken}
        severities: [{id: P1, name: High}]
        lanes: [{id: a, name: A}]
        steps:
          - {id: s, lane: a, type: start, label: Start, next: t}
          - {id: t, lane: a, label: Dead end}
        """
    )
    out = tmp_path / "out"
    result = run("render", str(path), "-o", str(out))
    assert result.exit_code == 1
    assert "dead-end" in result.stderr
    assert not list(out.glob("*.svg"))
    result = run("render", str(path), "-o", str(out), "--force")
    assert result.exit_code == 0
    assert (out / "broken.svg").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "svg,gif"], "unknown format 'gif'; choose from svg, png, pdf, dot"),
        (["--direction", "RL"], "'RL' is not one of"),
        (["--theme", "neon"], "'neon' is not one of"),
        (["--dpi", "20"], "20 is not in the range 36<=x<=600"),
    ],
    ids=["format", "direction", "theme", "dpi"],
)
def test_bad_options_are_usage_errors(run, tmp_path: Path, args: list[str], message: str) -> None:
    result = run("render", str(HELP_DESK), *args, "-o", str(tmp_path))
    assert result.exit_code == 2
    assert message in result.stderr


def _png_size(path: Path) -> tuple[int, int, float]:
    """Pixels wide and high and the density the file declares, as Pillow reads the PNG."""
    from PIL import Image

    with Image.open(path) as image:
        image.load()  # checks every chunk's CRC
        return image.width, image.height, image.info.get("dpi", (72.0, 72.0))[0]


def test_dpi_sets_the_png_pixel_density(run, tmp_path: Path) -> None:
    sizes = {}
    for dpi in ("72", "96", "192"):
        out = tmp_path / dpi
        result = run("render", str(HELP_DESK), "-f", "png", "--dpi", dpi, "-o", str(out))
        assert result.exit_code == 0, result.output
        (png,) = out.glob("*.png")
        sizes[dpi] = _png_size(png)
    width96, height96, _ = sizes["96"]
    for dpi, (width, height, declared) in sizes.items():
        scale = int(dpi) / 96
        assert abs(width - width96 * scale) <= 2 and abs(height - height96 * scale) <= 2
        assert round(declared) == int(dpi)  # a viewer or word processor shows it at true size


def test_missing_file_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("render", str(tmp_path / "nope.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "nope.yaml" in result.stderr and "Traceback" not in result.output


def test_help_teaches_and_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from escalation_charts.cli import main\n"
        "try:\n"
        "    main(['render', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pygraphviz', 'escalation_charts.layout.bands', 'lxml') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert "HEAVY []" in result.stdout
    for text in ("--severity", "--direction", "--theme", "Examples:", '<g id="lane-ID">'):
        assert text in result.stdout


def test_names_carry_the_options_so_renders_never_overwrite(run, tmp_path: Path) -> None:
    for options in ([], ["--direction", "TB"], ["--theme", "print"], ["--severity", "P1"]):
        result = run("render", str(HELP_DESK), "-o", str(tmp_path), *options)
        assert result.exit_code == 0, result.output
    result = run(
        "render",
        str(HELP_DESK),
        "-o",
        str(tmp_path),
        "--severity",
        "P1",
        "--direction",
        "tb",
        "--theme",
        "print",
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.glob("*.svg"))
    stem = "it-help-desk-3-tier"
    assert names == sorted(
        f"{stem}{tail}.svg" for tail in ("", "-TB", "-print", "-P1", "-P1-TB-print")
    )


def test_a_png_past_the_bitmap_limit_is_paged_never_shrunk(run, tmp_path: Path) -> None:
    """500 steps are about 83,000 pt long: as one bitmap, cairo would scale them into
    32767 px (labels 4-5 px high). The PNG is paged instead, each page at full size, and
    the command says so in one line. (--dpi 36 keeps the test's pixels few; the whole
    chart is still 41,000 px long.)"""
    from tests.synth import synthetic_yaml

    path = tmp_path / "long.yaml"
    path.write_text(synthetic_yaml(500, 6, process_id="long"), encoding="utf-8")
    result = run("render", str(path), "-f", "svg,png", "--dpi", "36", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "note:" in line]
    assert len(notes) == 1 and "32767 px" in notes[0] and "pages" in notes[0], notes
    assert not (tmp_path / "long.png").exists()
    pages = sorted(tmp_path.glob("long-p*.png"))
    assert len(pages) >= 2
    whole = float(re.search(r'<svg width="([\d.]+)pt"', (tmp_path / "long.svg").read_text())[1])
    sizes = [_png_size(page) for page in pages]
    for width, height, declared in sizes:
        assert max(width, height) <= 32767 and round(declared) == 36
    # together the pages are at least as long as the whole chart at 36 dpi (each repeats
    # the lane headers): nothing was scaled down
    assert sum(width for width, _, _ in sizes) >= whole * 36 / 72
    # and a chart within the limit says nothing
    result = run("render", str(HELP_DESK), "-f", "png", "-o", str(tmp_path))
    assert "note:" not in result.stderr
