"""The injection corpus through every output format: hostile text comes out inert and visible.

For each payload of `fuzzing.CORPUS` (DOT breakers, HTML-like and XML/SVG markup, CDATA
ends, Jinja, spreadsheet formulas, `javascript:` links, Markdown and Mermaid syntax,
quotes, newlines, CJK, bidi), one definition carries it in every text field: process,
severity, lane and contact names, step labels, decision answers, descriptions. Every
command writes every format, and each file is read back by its consumer's parser
(`hardening.visible_text`), which also refuses anything active in it. Then:

- the payload shows as written (whitespace aside: formats wrap lines differently);
- the file has the same structure as the one written for plain text (the same elements,
  graph nodes, table rows and cells, JSON keys, slides and shapes): a payload that
  escaped its string would add or remove some.

`validate` gets the payload where its messages quote user text (an unknown key, a
repeated decision answer). Control characters get their own test: the loader refuses
the ones no format can carry, and every other one passes through every format intact.
"""

from __future__ import annotations

import collections
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from escalation_charts.findings import shown
from escalation_charts.reading import schema

from .fuzzing import CORPUS, ODD_TEXTS
from .hardening import (
    OUTPUT_ROWS,
    SUFFIX_FORMAT,
    VALIDATE_ROWS,
    Row,
    available,
    check_run,
    run_row,
    squash,
    visible_text,
)

PLAIN = "plain text"


def q(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text` (non-printables escaped)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def definition(text: str) -> str:
    """A clean definition (validate: no errors) with `text` in every text field."""
    t = q(text)
    return f"""\
process:
  id: hostile
  name: {t}
  owner: {t}
  version: {q(text[:50])}
  description: {t}
  reviewed: 2026-10-01
  review_every: 180d
severities:
  - {{id: P1, name: {t}, description: {t}, respond: 15m, resolve: 4h}}
  - {{id: P2, name: {q(text + " 2")}, respond: 1h, resolve: 8h}}
lanes:
  - {{id: customer, name: {t}, description: {t}}}
  - id: tier1
    name: {t}
    level: 1
    contacts:
      - {{name: {t}, role: primary, phone: {t}, email: {t}, hours: {t}}}
      - {{name: {t}, role: backup, email: {t}}}
  - id: tier2
    name: {t}
    level: 2
    external: true
    contacts:
      - {{name: {t}, role: primary, phone: {t}}}
      - {{name: {t}, role: backup, email: {t}}}
steps:
  - {{id: raise, lane: customer, type: start, label: {t}, next: check}}
  - id: check
    lane: tier1
    type: decision
    label: {t}
    description: {t}
    notify: [customer]
    next:
      - {{when: {q("yes " + text)}, to: done}}
      - {{when: {q("no " + text)}, to: up}}
  - {{id: up, lane: tier1, type: escalate, label: {t}, next: expert}}
  - id: expert
    lane: tier2
    label: {t}
    next: [{{to: wait}}, {{after: 2h, to: done, severities: [P1]}}]
  - {{id: wait, lane: customer, type: wait, label: {t}, next: done}}
  - {{id: done, lane: customer, type: resolution, label: {t}}}
matrix:
  P1: {{tier1: 0m, tier2: 1h}}
  P2: {{tier1: 0m, tier2: 2h}}
"""


def broken(text: str) -> str:
    """A definition whose findings quote `text`: an unknown key, a repeated answer."""
    return f"""\
process: {{id: hostile, name: Hostile, {q(text)}: 1}}
severities: [{{id: P1}}]
lanes: [{{id: c, name: C}}]
steps: [{{id: s, lane: c, type: start, label: S}}]
"""


def repeated_answer(text: str) -> str:
    return f"""\
process: {{id: hostile, name: Hostile}}
severities: [{{id: P1}}]
lanes: [{{id: c, name: C}}]
steps:
  - {{id: s, lane: c, type: start, label: S, next: d}}
  - {{id: d, lane: c, type: decision, label: D, next: [{{when: {q(text)}, to: e}}, \
{{when: {q(text)}, to: e}}]}}
  - {{id: e, lane: c, type: resolution, label: E}}
"""


# -- structure: what a payload must not change ---------------------------------------------

# Line breaks and the bends of routed arrows differ with the text's length; everything
# else must match the plain file.
_LINE_TAGS = {"br", "text", "tspan", "wbr", "mxpoint", "waypoint", "array"}


def _local(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1].lower()


def _tags(root: Any) -> collections.Counter[str]:
    """Elements by kind; a chart inlined as SVG counts by `_svg_signature`."""
    from lxml import etree

    def in_picture(e: Any) -> bool:
        return _local(e) == "svg" or any(_local(a) == "svg" for a in e.iterancestors())

    return collections.Counter(
        _local(e)
        for e in root.iter(etree.Element)
        if _local(e) not in _LINE_TAGS and not in_picture(e)
    )


def _svg_signature(root: Any) -> tuple[list[str], list[str]]:
    """The kinds of element and the ids in SVG drawings: a group per line of a long title
    is fine (`title-2`, `title-3`), a new kind of element or a new id is not."""
    from lxml import etree

    pictures = [s for s in root.iter(etree.Element) if _local(s) == "svg"]
    tags = {_local(e) for s in pictures for e in s.iter(etree.Element)}
    ids = {
        re.sub(r"[-:]\d+$", "-N", e.get("id")) for s in pictures for e in s.iter() if e.get("id")
    }
    return sorted(tags), sorted(ids)


def _json_shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_shape(v) for v in value]
    return type(value).__name__


def structure(fmt: str, data: bytes) -> Any:
    """What a payload must not change: elements, nodes, rows, keys, slides and shapes."""
    from lxml import etree
    from lxml import html as lxml_html

    if fmt in ("bpmn", "drawio"):
        return _tags(etree.fromstring(data, etree.XMLParser(huge_tree=True)))
    if fmt == "svg":
        return _svg_signature(etree.fromstring(data, etree.XMLParser(huge_tree=True)))
    if fmt == "html":
        root = lxml_html.document_fromstring(data.decode("utf-8"))
        return _tags(root), _svg_signature(root)
    if fmt == "md":
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
        md.validateLink = lambda url: True
        rendered = md.render(data.decode("utf-8"))
        return _tags(lxml_html.fragment_fromstring(rendered or "<p></p>", create_parent="div"))
    if fmt == "csv":
        import csv

        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        return [len(r) for r in rows]
    if fmt in ("json", "sarif"):
        return _json_shape(json.loads(data))
    if fmt == "mermaid":
        return [line.split('"', 1)[0] for line in data.decode("utf-8").split("\n")]
    if fmt == "dot":  # a node per line of a long title is fine; a new kind of node is not
        import pygraphviz

        graph = pygraphviz.AGraph(string=data.decode("utf-8"))
        nodes = {re.sub(r":\d+$", ":N", str(n)) for n in graph.nodes()}
        return (sorted(nodes), sorted(graph.edges()), len(graph.subgraphs()))
    if fmt == "pptx":  # longer text may page the chart differently; every step and lane shows
        from pptx import Presentation

        deck = Presentation(io.BytesIO(data))
        names = {s.name for slide in deck.slides for s in slide.shapes}
        tables = sum(s.has_table for slide in deck.slides for s in slide.shapes)
        return sorted(n for n in names if re.match(r"(step|lane)-", n)), tables
    return None  # png, pdf: pictures of the same layout the svg and dot are checked on


# -- running every row once per text -------------------------------------------------------


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory):
    """{(row id, text): {format: bytes}}, each run once per module."""
    cache: dict[tuple[str, str], dict[str, bytes]] = {}

    def get(row: Row, text: str) -> dict[str, bytes]:
        key = (row.id, text)
        if key not in cache:
            work = tmp_path_factory.mktemp("inject")
            source = work / "hostile.yaml"
            source.write_text(definition(text), encoding="utf-8")
            outcome = run_row(row, source, work / "out")
            check_run(outcome)
            assert outcome.code == 0, outcome.describe()
            cache[key] = {
                SUFFIX_FORMAT[Path(n).suffix]: d
                for n, d in outcome.files.items()
                if not n.startswith(".")
            }  # the up-to-date cache is no output
            shutil.rmtree(work)
        return cache[key]

    return get


def _needs(row: Row) -> None:
    if not available(row.command):
        pytest.skip(f"'{row.command}' is not in this build yet")


@pytest.mark.parametrize("name", list(CORPUS))
@pytest.mark.parametrize("row", OUTPUT_ROWS, ids=lambda r: r.id)
def test_payload_is_inert_and_shows_as_written(row: Row, name: str, outputs) -> None:
    _needs(row)
    text = CORPUS[name]
    hostile, plain = outputs(row, text), outputs(row, PLAIN)
    assert sorted(hostile) == sorted(plain) == sorted(row.formats)
    for fmt, data in hostile.items():
        shown_text = visible_text(fmt, data)  # parses, and nothing in it is active
        if fmt not in ("png", "pdf"):
            assert squash(text) in squash(shown_text), f"{fmt}: {text!r} not shown as written"
        assert structure(fmt, data) == structure(fmt, plain[fmt]), f"{fmt}: structure changed"


@pytest.mark.parametrize("name", list(CORPUS))
@pytest.mark.parametrize("row", VALIDATE_ROWS, ids=lambda r: r.id)
def test_payload_in_findings_is_quoted_and_inert(row: Row, name: str, tmp_path: Path) -> None:
    text = CORPUS[name]
    for build, expected in (
        (broken, f"unknown field {shown(text)}"),
        (repeated_answer, f"the answer {shown(text)} twice"),
    ):
        source = tmp_path / "hostile.yaml"
        source.write_text(build(text), encoding="utf-8")
        outcome = run_row(row, source, tmp_path / "out")
        check_run(outcome)
        assert outcome.code == 1
        printed = outcome.stdout.encode("utf-8")
        shown_text = visible_text(row.formats[0], printed)
        assert expected in shown_text, f"{expected!r} not in {shown_text!r}"
        if row.formats[0] != "text":
            plain = source.with_name("plain.yaml")
            plain.write_text(build(PLAIN), encoding="utf-8")
            twin = run_row(row, plain, tmp_path / "out").stdout.encode("utf-8")
            fmt = row.formats[0]
            assert structure(fmt, printed) == structure(fmt, twin)


@pytest.mark.parametrize("text", ODD_TEXTS, ids=lambda t: t.encode("unicode_escape").decode())
def test_control_characters_are_refused_or_carried_by_every_format(
    text: str, tmp_path: Path
) -> None:
    source = tmp_path / "odd.yaml"
    source.write_text(definition(f"a{text}b"), encoding="utf-8")
    bad = schema._BAD_CHARS.search(text)
    for row in (*VALIDATE_ROWS, *OUTPUT_ROWS):
        if not available(row.command):
            continue
        outcome = run_row(row, source, tmp_path / row.id)
        check_run(outcome)  # every file written parses as its format
        if row.reports_errors:
            continue
        assert outcome.code == (0 if bad is None else 1), outcome.describe()
    if bad is not None:  # named in the finding (a lone surrogate is a YAML syntax error)
        said = run_row(VALIDATE_ROWS[0], source, tmp_path / "v").stdout
        assert f"U+{ord(bad.group()):04X}" in said or "syntax" in said


# -- the preview page ----------------------------------------------------------------------


def preview_page(source: Path) -> tuple[bytes, dict[str, Any]]:
    """The preview page as its script draws it (every fragment of the state in place, as
    one HTML document) and the state itself."""
    from escalation_charts.cli.preview import Preview

    preview = Preview(str(source))
    preview.update()
    state = preview.state({})
    parts = ("banner", "chart", "findings", "matrix", "facts")
    body = "".join(f'<div id="{part}">{state[part]}</div>' for part in parts)
    return f"<!DOCTYPE html><html><body>{body}</body></html>".encode(), state


@pytest.mark.parametrize("name", list(CORPUS))
def test_payload_is_inert_and_shown_in_the_preview(name: str, tmp_path: Path) -> None:
    text = CORPUS[name]
    pages = {}
    for kind, value in (("hostile", text), ("plain", PLAIN)):
        source = tmp_path / f"{kind}.yaml"
        source.write_text(definition(value), encoding="utf-8")
        pages[kind] = preview_page(source)
    (page, state), (plain_page, _) = pages["hostile"], pages["plain"]
    assert squash(text) in squash(visible_text("html", page)), "not shown as written"
    assert structure("html", page) == structure("html", plain_page), "structure changed"
    # the title and the hover facts are set as text (textContent), never parsed
    assert state["title"] == text
    facts = visible_text("json", json.dumps(state["steps"]).encode())
    assert squash(text) in squash(facts)
