"""`render --page`: a long chart on sheets that each fit at 100 %, read back from the files.

What a person printing a 300-step process checks, measured from the output: every page
fits the sheet (the SVG's size, the PDF's page boxes), text is not shrunk (step text
>= 10 pt, edge labels >= 8 pt, from the SVG's font sizes times its scale), every
continuation mark has its partner on the page it names, every page repeats the lane
headers, and every step is on exactly one page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from escalation_charts.ids import dom_id
from escalation_charts.layout.paging import PAPER
from escalation_charts.reading.loader import load
from tests.synth import synthetic_yaml

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HELP_DESK = EXAMPLES / "it-help-desk.yaml"
A3_LANDSCAPE = (PAPER["A3"][1], PAPER["A3"][0])
ROUNDING = 1.0  # Graphviz writes a drawing's size in whole points


@pytest.fixture(scope="module")
def paged_300(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The 300-step, 6-lane definition rendered with `--page A3` as SVG and PDF."""
    from click.testing import CliRunner

    from escalation_charts.cli import cli

    out = tmp_path_factory.mktemp("paged")
    source = out / "long.yaml"
    source.write_text(synthetic_yaml(300, 6, process_id="long"), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["render", str(source), "--page", "A3", "-f", "svg,pdf", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return source, out


def _pages(out: Path, stem: str) -> list[Path]:
    pages = sorted(out.glob(f"{stem}-p*.svg"), key=lambda p: int(p.stem.rsplit("-p", 1)[1]))
    assert [int(p.stem.rsplit("-p", 1)[1]) for p in pages] == list(range(1, len(pages) + 1))
    return pages


def _size_pt(root: etree._Element) -> tuple[float, float]:
    return tuple(float(root.get(side).removesuffix("pt")) for side in ("width", "height"))  # type: ignore[return-value]


def _scale(root: etree._Element) -> float:
    """Points on the page per SVG user unit: the size over the viewBox, times the chart
    group's own scale."""
    width, _ = _size_pt(root)
    view = [float(v) for v in root.get("viewBox").split()]
    group = root.find(f"{SVG}g")
    found = re.search(r"scale\(([\d.]+)", group.get("transform", "")) if group is not None else None
    return width / view[2] * (float(found.group(1)) if found else 1.0)


def _groups(root: etree._Element, prefix: str) -> dict[str, etree._Element]:
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith(prefix)}


def _texts(group: etree._Element) -> list[str]:
    return ["".join(t.itertext()) for t in group.iter(f"{SVG}text")]


def test_every_page_fits_a3_landscape(paged_300: tuple[Path, Path]) -> None:
    from pypdf import PdfReader

    _, out = paged_300
    pages = _pages(out, "long-A3")
    assert len(pages) > 10  # 300 steps at 100 % cannot fit a handful of sheets
    for page in pages:
        width, height = _size_pt(etree.parse(str(page)).getroot())
        assert width <= A3_LANDSCAPE[0] + ROUNDING and height <= A3_LANDSCAPE[1] + ROUNDING, (
            page.name,
            width,
            height,
        )
    # the PDF is one file with the same pages, each an A3 sheet
    assert sorted(p.name for p in out.glob("*.pdf")) == ["long.pdf"]
    reader = PdfReader(out / "long.pdf")
    assert len(reader.pages) == len(pages)
    for number, sheet in enumerate(reader.pages, start=1):
        box = sheet.mediabox
        assert float(box.width) <= A3_LANDSCAPE[0] + ROUNDING, number
        assert float(box.height) <= A3_LANDSCAPE[1] + ROUNDING, number
        assert float(box.width) >= A3_LANDSCAPE[0] - ROUNDING, number  # the sheet itself


def test_text_stays_full_size_on_every_page(paged_300: tuple[Path, Path]) -> None:
    _, out = paged_300
    smallest = {"step": 99.0, "edge": 99.0, "mark": 99.0}
    for page in _pages(out, "long-A3"):
        root = etree.parse(str(page)).getroot()
        scale = _scale(root)
        for kind, prefixes in (
            ("step", ("step-",)),
            ("edge", ("edge-", "notify-")),
            ("mark", ("cont-",)),
        ):
            for prefix in prefixes:
                for group in _groups(root, prefix).values():
                    for text in group.iter(f"{SVG}text"):
                        size = float(text.get("font-size")) * scale
                        smallest[kind] = min(smallest[kind], size)
    assert max(smallest.values()) < 99.0, smallest  # every kind of text was found
    assert smallest["step"] >= 10.0, smallest
    assert smallest["edge"] >= 8.0, smallest
    assert smallest["mark"] >= 8.0, smallest


def _marks(page: Path) -> list[tuple[int, bool, set[int]]]:
    """The continuation marks a page shows: (number, outgoing, the pages it names), read
    from the mark's own two lines of text."""
    root = etree.parse(str(page)).getroot()
    found = []
    for group in _groups(root, "cont-").values():
        number, where = _texts(group)
        direction, _, pages = where.partition(" p")
        named: set[int] = set()
        for part in pages.split(", "):
            low, _, high = part.partition("-")
            named.update(range(int(low), int(high or low) + 1))
        found.append((int(number), direction == "to", named))
    return found


def test_every_continuation_mark_has_its_partner(paged_300: tuple[Path, Path]) -> None:
    _, out = paged_300
    marks = {n: _marks(page) for n, page in enumerate(_pages(out, "long-A3"), start=1)}
    assert sum(len(m) for m in marks.values()) > len(marks)  # the pages do continue
    for here, found in marks.items():
        for number, outgoing, named in found:
            assert named and here not in named, (here, number)
            for there in named:
                partners = [
                    (n, o, pages) for n, o, pages in marks[there] if n == number and o != outgoing
                ]
                assert any(here in pages for _, _, pages in partners), (
                    f"mark {number} on page {here} names page {there}, which has no "
                    f"partner naming page {here}: {marks[there]}"
                )


def test_every_page_repeats_the_lane_headers_and_steps_are_on_one_page(
    paged_300: tuple[Path, Path],
) -> None:
    source, out = paged_300
    definition = load(source).definition
    assert definition is not None
    seen: list[str] = []
    for page in _pages(out, "long-A3"):
        root = etree.parse(str(page)).getroot()
        headers = _groups(root, "lanename-")
        for lane in definition.lanes:
            name = headers.get(dom_id("lanename", lane.id))
            assert name is not None, (page.name, lane.id)
            assert " ".join(_texts(name)) == lane.name
        seen += [key.removeprefix("step-") for key in _groups(root, "step-")]
    assert sorted(seen) == sorted(s.id for s in definition.steps)


def test_an_arrow_leaving_a_page_ends_at_its_mark(paged_300: tuple[Path, Path]) -> None:
    """The edge ids on every page are the definition's: each crossing edge is drawn once,
    on its source's page (to the mark), and its label goes with it."""
    source, out = paged_300
    definition = load(source).definition
    assert definition is not None
    drawn: list[str] = []
    for page in _pages(out, "long-A3"):
        root = etree.parse(str(page)).getroot()
        drawn += [key for key in _groups(root, "edge-") if not key.startswith("edge-cont-")]
    wanted = [f"edge-{s.id}-{i}" for s in definition.steps for i in range(len(s.next))]
    assert sorted(drawn) == sorted(wanted)


def test_page_option_names_and_help(run, tmp_path: Path) -> None:
    result = run("render", str(HELP_DESK), "-f", "svg,pdf", "--page", "a4", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    svgs = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert svgs and all(re.fullmatch(r"it-help-desk-3-tier-A4-p\d+\.svg", n) for n in svgs)
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["it-help-desk-3-tier-A4.pdf"]
    # without --page: the SVG is whole, the PDF on A3 sheets (its default) keeps its name
    result = run("render", str(HELP_DESK), "-f", "svg,pdf", "-o", str(tmp_path / "plain"))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "plain").iterdir() if not p.name.startswith("."))
    assert names == ["it-help-desk-3-tier.pdf", "it-help-desk-3-tier.svg"]
    # --page none: the PDF is one page as big as the chart, as before
    result = run(
        "render", str(HELP_DESK), "-f", "pdf", "--page", "none", "-o", str(tmp_path / "whole")
    )
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    (whole,) = (tmp_path / "whole").glob("*-none.pdf")
    (sheet,) = PdfReader(whole).pages
    assert float(sheet.mediabox.width) > A3_LANDSCAPE[0]  # the help desk is longer than A3
    result = run("render", "--help")
    assert "--page" in result.output and "continuation mark" in result.output
    result = run("render", str(HELP_DESK), "--page", "B5", "-o", str(tmp_path))
    assert result.exit_code == 2 and "B5" in result.stderr


def test_same_pages_give_identical_bytes(run, tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        result = run(
            "render", str(HELP_DESK), "-f", "svg,pdf", "--page", "A4", "-o", str(tmp_path / name)
        )
        assert result.exit_code == 0, result.output
        written = [p for p in (tmp_path / name).iterdir() if not p.name.startswith(".")]
        outputs.append({p.name: p.read_bytes() for p in written})
    assert outputs[0] == outputs[1]


def test_a_top_to_bottom_chart_fits_its_sheet_too(run, tmp_path: Path) -> None:
    """TB runs down the long side; where the lanes side by side are too wide for the
    short side (A4 portrait for the help desk's four lanes), the sheet is turned rather
    than the pages made bigger than the paper."""
    a4 = PAPER["A4"]
    result = run("render", str(HELP_DESK), "--direction", "TB", "--page", "A4", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr
    pages = sorted(tmp_path.glob("*-TB-A4-p*.svg"))
    assert len(pages) > 1
    for page in pages:
        width, height = _size_pt(etree.parse(str(page)).getroot())
        assert max(width, height) <= a4[1] + ROUNDING and min(width, height) <= a4[0] + ROUNDING


def test_a_mark_to_a_step_the_severity_never_reaches_is_faded(run, tmp_path: Path) -> None:
    """With --severity, an arrow that only leads to faded steps is faded; on a paged
    chart its continuation mark (and the arrow into it) stands for that step, so it fades
    too, and every other mark keeps full strength."""
    from escalation_charts.layout.bands import reachable_steps
    from escalation_charts.render.themes import get_theme

    path = EXAMPLES / "four-level-matrix.yaml"
    definition = load(path).definition
    assert definition is not None
    severity = definition.severities[-1].id
    never = {s.id for s in definition.steps} - reachable_steps(definition, severity)
    result = run("render", str(path), "--severity", severity, "--page", "A4", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    faded_line = get_theme("default").dimmed_line
    seen = {True: 0, False: 0}
    for page in sorted(tmp_path.glob("*.svg")):
        root = etree.parse(str(page)).getroot()
        for key, group in _groups(root, "cont-").items():
            title = group.find(f"{SVG}title").text
            step = next(s for s in definition.steps if title.endswith(f": {s.label}"))
            outline = next(group.iter(f"{SVG}polygon")).get("stroke")
            faded = step.id in never
            seen[faded] += 1
            assert (outline == faded_line) is faded, (page.name, key, step.id, outline)
    assert seen[True] and seen[False], seen  # the example has both kinds of mark


def test_pages_keep_the_charts_legibility() -> None:
    """The legibility suite's checks, on every page of the generated 60-step chart on A3
    (the whole chart passes them): labels beside their own arrows (arrows to marks
    included), words wrapped at spaces, edge ends apart, nothing along a lane border."""
    from escalation_charts.reading.loader import load_text
    from escalation_charts.render.chart import render_pages
    from tests.legibility import (
        border_problems,
        label_problems,
        port_problems,
        read_chart,
        wrap_problems,
    )

    definition = load_text(synthetic_yaml(60, 6)).definition
    assert definition is not None
    pages = render_pages(definition, ["svg"], page="A3")["svg"]
    assert len(pages) > 3
    problems = []
    for number, svg in enumerate(pages, start=1):
        chart = read_chart(svg, definition)
        found = label_problems(chart) + port_problems(chart) + border_problems(chart)
        found += wrap_problems(chart, definition)
        problems += [f"page {number}: {problem}" for problem in found]
    assert not problems, "\n".join(problems[:12])
