"""Labels are text, never markup, in every chart format (SVG, DOT, PDF, PNG).

One definition puts the whole corpus (`< > & " ' \\`, newlines, Graphviz escapes, entity-
looking text, CJK, emoji, right-to-left script, `<script>`) into every place text goes: the
process name, lane names, step labels and branch labels. Each format must show it as
written and nothing in it may add a node, an element or a script.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from escalation_charts.layout import engine as _graphviz
from escalation_charts.layout.bands import step_lines
from escalation_charts.layout.dot_text import text_label
from escalation_charts.layout.textfit import text_width, wrap
from escalation_charts.model import Definition
from escalation_charts.reading.loader import load_text
from escalation_charts.render.chart import render_charts

SVG = "{http://www.w3.org/2000/svg}"
CORPUS = {
    "markup": "<b>bold</b> & \"quoted\" 'single' <script>alert(1)</script>",
    "escapes": "back\\slash \\N \\G \\n \\l \\\\ end",
    "entities": "&lt;not a tag&gt; &amp; &#65; &nbsp;",
    "dot": '"]; evil [label="x"]; a -> b; //',
    "newline": "first line\nsecond line",
    "cjk": "升级到二线支持团队",
    "emoji": "Ticket 🚨 closed ✅",
    "rtl": "שלום עולם مرحبا",
}


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML scalar


def corpus_definition() -> Definition:
    steps = list(CORPUS)
    lines = [
        "process:",
        "  id: labels",
        f"  name: {q('Process ' + CORPUS['markup'])}",
        "severities:",
        "  - {id: P1, name: Critical, respond: 15m, resolve: 4h}",
        "lanes:",
        f"  - {{id: a, name: {q(CORPUS['dot'])}}}",
        f"  - {{id: b, name: {q(CORPUS['escapes'] + ' ' + CORPUS['cjk'])}}}",
        "steps:",
        f"  - {{id: start, lane: a, type: start, label: {q(CORPUS['emoji'])}, next: {steps[0]}}}",
    ]
    for index, key in enumerate(steps):
        lane = "ab"[index % 2]
        nxt = steps[index + 1] if index + 1 < len(steps) else "end"
        if key == "rtl":
            lines.append(
                f"  - {{id: {key}, lane: {lane}, type: decision, label: {q(CORPUS[key])}, "
                f"next: [{{when: {q(CORPUS['markup'])}, to: end}}, "
                f"{{when: {q(CORPUS['entities'])}, to: {steps[0]}}}]}}"
            )
        else:
            lines.append(f"  - {{id: {key}, lane: {lane}, label: {q(CORPUS[key])}, next: {nxt}}}")
    lines.append(f"  - {{id: end, lane: a, type: resolution, label: {q(CORPUS['cjk'])}}}")
    loaded = load_text("\n".join(lines) + "\n")
    assert loaded.definition is not None, loaded.findings
    return loaded.definition


@pytest.fixture(scope="module")
def charts() -> dict[str, bytes]:
    out = render_charts(corpus_definition(), ["svg", "dot", "pdf", "png"])
    assert _graphviz.last_messages() == []
    return out


def svg_texts(svg: bytes, group_id: str) -> list[str]:
    root = etree.fromstring(svg)
    (group,) = root.iterfind(f".//{SVG}g[@id='{group_id}']")
    return [t.text or "" for t in group.iter(f"{SVG}text")]


@pytest.mark.parametrize("key", sorted(CORPUS))
def test_svg_shows_step_labels_as_written(charts: dict[str, bytes], key: str) -> None:
    definition = corpus_definition()
    step = definition.steps_by_id[key]
    assert svg_texts(charts["svg"], f"step-{key}") == step_lines(step)
    root = etree.fromstring(charts["svg"])
    (group,) = root.iterfind(f".//{SVG}g[@id='step-{key}']")
    assert group.findtext(f"{SVG}title").endswith(CORPUS[key])


def test_svg_has_no_injected_elements(charts: dict[str, bytes]) -> None:
    root = etree.fromstring(charts["svg"])  # well-formed XML
    tags = {el.tag.removeprefix(SVG) for el in root.iter() if isinstance(el.tag, str)}
    assert tags <= {"svg", "g", "title", "desc", "polygon", "path", "ellipse", "text", "polyline"}
    assert not [el for el in root.iter() if any(k.startswith("on") for k in el.attrib)]
    texts = "".join(root.itertext())
    assert "<script>alert(1)</script>" in texts  # shown as text, not an element


def test_svg_lane_names_branch_labels_and_title(charts: dict[str, bytes]) -> None:
    svg = charts["svg"]
    assert svg_texts(svg, "lanename-a") == wrap(CORPUS["dot"], 132, 12, bold=True)
    name_b = CORPUS["escapes"] + " " + CORPUS["cjk"]
    assert "".join(svg_texts(svg, "lanename-b")).replace(" ", "") == name_b.replace(" ", "")
    # a label may be wrapped at spaces to find a free place beside its edge: its words
    # are still exactly the definition's, as text
    branch = svg_texts(svg, "edge-rtl-0")
    assert " ".join(branch) == CORPUS["markup"]
    assert " ".join(svg_texts(svg, "edge-rtl-1")) == CORPUS["entities"]
    root = etree.fromstring(svg)
    assert root.findtext(f"{SVG}title") == "Process " + CORPUS["markup"]


def test_dot_adds_nothing_and_redraws_the_same_text(charts: dict[str, bytes]) -> None:
    import pygraphviz

    graph = pygraphviz.AGraph(string=charts["dot"].decode())
    definition = corpus_definition()
    steps = {n for n in graph.nodes() if not n.startswith(("header", "title", "legend", "notify"))}
    assert steps == {s.id for s in definition.steps}
    flow = [e for e in graph.edges() if not e[0].startswith("legend")]
    assert len(flow) == sum(len(s.next) for s in definition.steps)
    # The DOT file alone, drawn by Graphviz, shows every label as written.
    redrawn = _graphviz.render(charts["dot"].decode(), ["svg"])["svg"]
    for key in CORPUS:
        assert svg_texts(redrawn, f"step-{key}") == step_lines(definition.steps_by_id[key])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing")
def test_pdf_text_is_as_written(charts: dict[str, bytes], tmp_path: Path) -> None:
    pdf = tmp_path / "chart.pdf"
    pdf.write_bytes(charts["pdf"])
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    for key in ("markup", "escapes", "entities", "dot", "cjk"):
        for line in CORPUS[key].split("\n"):
            assert re.sub(r"\s+", "", line) in flat, key


def test_png_is_a_whole_picture(charts: dict[str, bytes]) -> None:
    image = Image.open(io.BytesIO(charts["png"]))
    image.verify()
    assert image.format == "PNG" and image.size[0] > 500


@pytest.mark.parametrize(
    ("lines", "dot"),
    [
        (["a & b"], '"a &amp; b"'),
        (['say "hi"'], '"say \\"hi\\""'),
        (["back\\slash", "\\N"], '"back\\\\slash\\n\\\\N"'),
        (["<b>"], '"<b>"'),
        (["tab\there\x00\x07"], '"tab here"'),
    ],
    ids=["ampersand", "quote", "backslash-newline", "angle", "control"],
)
def test_text_label_quoting(lines: list[str], dot: str) -> None:
    assert text_label(lines) == dot


def test_wrap_keeps_words_and_balances_lines() -> None:
    assert wrap("Ask customer to confirm fix", 108, 11) == ["Ask customer", "to confirm fix"]
    assert wrap("short", 108, 11) == ["short"]
    assert wrap("a\nb", 108, 11) == ["a", "b"]
    cut = wrap("升级到二线支持团队升级到二线支持团队", 60, 11)
    assert "".join(cut) == "升级到二线支持团队升级到二线支持团队"
    assert all(text_width(line, 11) <= 60 for line in cut)
