"""Mermaid export: the text parses back to a node per step in its lane, edges with their
labels, and every label exactly as written, in both the flowchart and swimlane forms."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from escalation_charts.export._text import edge_label
from escalation_charts.export.mermaid import SYNTAXES, build_mermaid, node_id, quote
from escalation_charts.model import StepType
from escalation_charts.reading.loader import load

from .conftest import DATA, EXAMPLES

TRICKY = DATA / "export" / "tricky.yaml"

# -- a parser for the subset of Mermaid the exporter writes ---------------------------------

_STRING = r'"([^"\n]*)"'
_ID = r"([A-Za-z][A-Za-z0-9_]*)"
_SHAPES = {
    ("([", "])"): "stadium",
    ("[[", "]]"): "subroutine",
    ("[", "]"): "box",
    ("{", "}"): "diamond",
    ("(", ")"): "rounded",
}
_NODE = re.compile(rf"^{_ID}(\(\[|\[\[|\[|\{{|\(){_STRING}(\]\)|\]\]|\]|\}}|\))$")
_EDGE = re.compile(rf"^{_ID} (-->|-\.->|-\.-o)(?:\|{_STRING}\|)? {_ID}$")
_SUBGRAPH = re.compile(rf"^subgraph {_ID} \[{_STRING}\]$")


def decode(text: str) -> str:
    """A Mermaid string as it shows: entity codes decoded, <br> as a line break."""
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text.replace("<br>", "\n"))


@dataclass
class Parsed:
    header: str = ""
    lanes: dict[str, str] = field(default_factory=dict)  # id -> title
    nodes: dict[str, tuple[str, str, str | None]] = field(
        default_factory=dict
    )  # shape, label, lane
    edges: list[tuple[str, str, str, str | None]] = field(default_factory=list)


def parse(text: str) -> Parsed:
    """Parse the exporter's Mermaid; any line it does not understand fails the test."""
    out = Parsed()
    lane = None
    lines = text.splitlines()
    assert lines[0].startswith("%% ")
    out.header = lines[1]
    for raw in lines[2:]:
        line = raw.strip()
        if m := _SUBGRAPH.match(line):
            assert lane is None, "lanes do not nest"
            lane = m.group(1)
            out.lanes[lane] = decode(m.group(2))
        elif line == "end":
            assert lane is not None
            lane = None
        elif m := _NODE.match(line):
            shape = _SHAPES[(m.group(2), m.group(4))]
            assert m.group(1) not in out.nodes, f"node declared twice: {line}"
            out.nodes[m.group(1)] = (shape, decode(m.group(3)), lane)
        elif m := _EDGE.match(line):
            label = decode(m.group(3)) if m.group(3) is not None else None
            out.edges.append((m.group(1), m.group(2), m.group(4), label))
        elif line.startswith(("%%", "classDef ", "class ", "style ")):
            assert '"' not in line
        else:
            pytest.fail(f"unexpected Mermaid line: {raw!r}")
    assert lane is None, "a lane was left open"
    return out


# -- tests -------------------------------------------------------------------------------

DEFINITIONS = [*EXAMPLES, TRICKY]
SHAPE_OF = {
    StepType.START: "stadium",
    StepType.RESOLUTION: "stadium",
    StepType.TASK: "box",
    StepType.DECISION: "diamond",
    StepType.ESCALATE: "subroutine",
    StepType.WAIT: "rounded",
}


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_a_node_per_step_in_its_lane(path: Path, syntax: str) -> None:
    definition = load(path).definition
    parsed = parse(build_mermaid(definition, syntax=syntax))
    assert parsed.header == ("swimlane-beta LR" if syntax == "swimlane" else "flowchart LR")
    assert list(parsed.lanes) == [node_id("lane", lane.id) for lane in definition.lanes]
    assert set(parsed.nodes) == {node_id("step", s.id) for s in definition.steps}
    for step in definition.steps:
        shape, label, lane = parsed.nodes[node_id("step", step.id)]
        assert shape == SHAPE_OF[step.type]
        assert label == step.label
        assert lane == node_id("lane", step.lane)


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_every_edge_once_with_its_label(path: Path, syntax: str) -> None:
    definition = load(path).definition
    parsed = parse(build_mermaid(definition, syntax=syntax))
    flow = [e for e in parsed.edges if e[1] != "-.-o"]
    expected = []
    for step in definition.steps:
        for edge in step.next:
            arrow = "-.->" if edge.is_timer else "-->"
            source, target = node_id("step", step.id), node_id("step", edge.to)
            expected.append((source, arrow, target, edge_label(edge)))
            if step.type is StepType.DECISION:
                assert edge.when and edge_label(edge).startswith(edge.when)
    assert flow == expected


def test_notify_is_an_arrow_to_the_lane_in_flowchart_and_a_comment_in_swimlane() -> None:
    definition = load(TRICKY).definition
    flowchart = build_mermaid(definition)
    notes = [e for e in parse(flowchart).edges if e[1] == "-.-o"]
    assert notes == [(node_id("step", "fix-it"), "-.-o", node_id("lane", "1st.line"), "notify")]
    swimlane = build_mermaid(definition, syntax="swimlane")
    assert not [e for e in parse(swimlane).edges if e[1] == "-.-o"]
    assert "%% step_fix_hit notifies lane_1st_dline" in swimlane


def test_tricky_labels_show_as_written_and_inject_nothing() -> None:
    definition = load(TRICKY).definition
    text = build_mermaid(definition)
    parsed = parse(text)
    # Nothing that Mermaid, HTML or Markdown would read as syntax appears raw in a string.
    for string in re.findall(_STRING, text):
        bare = re.sub(r"#\d+;", "", string.replace("<br>", ""))
        assert not set(bare) & set('"#<>&`:%|'), string
    assert "<script>" not in text
    titles = {lane.id: parsed.lanes[node_id("lane", lane.id)] for lane in definition.lanes}
    assert titles["1st.line"] == 'Front <desk> & "care"'
    assert titles["vendor_x"] == "Vendor\\Partner (external)"
    labels = {sid: parsed.nodes[sid][1] for sid in parsed.nodes}
    assert labels[node_id("step", "1.log")] == 'Log & "triage"\nsecond line #1; %% not a comment'
    assert labels[node_id("step", "0start")] == "Ticket <script>alert('x')</script>"
    edge_labels = {label for *_, label in parse(text).edges if label}
    assert {"yes <ok>", 'no & "retry"', "after 2h30m (P1)"} <= edge_labels


@given(st.text(min_size=1, max_size=40))
def test_quote_round_trips_any_text(text: str) -> None:
    quoted = quote(text)
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = quoted[1:-1]
    assert '"' not in inner and "\n" not in inner and "\r" not in inner
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert decode(inner) == expected


@given(
    st.lists(
        st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,12}", fullmatch=True),
        min_size=2,
        max_size=8,
        unique=True,
    )
)
def test_node_ids_are_distinct_and_plain(ids: list[str]) -> None:
    made = [node_id("step", i) for i in ids]
    assert len(set(made)) == len(made)
    assert all(re.fullmatch(r"step_[A-Za-z0-9_]+", m) for m in made)


def test_same_input_same_text() -> None:
    definition = load(EXAMPLES[0]).definition
    assert build_mermaid(definition) == build_mermaid(load(EXAMPLES[0]).definition)


def test_unknown_syntax_is_refused() -> None:
    with pytest.raises(ValueError, match="flowchart, swimlane"):
        build_mermaid(load(TRICKY).definition, syntax="sequence")


# -- optional: the real Mermaid, when a mermaid.min.js and Chromium are at hand -------------


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("MERMAID_JS") or not shutil.which("chromium"),
    reason="set MERMAID_JS to a mermaid.min.js (11.16+) and install chromium to render",
)
@pytest.mark.parametrize("syntax", SYNTAXES)
def test_real_mermaid_renders_the_tricky_labels(tmp_path: Path, syntax: str) -> None:
    import json

    text = build_mermaid(load(TRICKY).definition, syntax=syntax)
    page = tmp_path / "page.html"
    page.write_text(
        f"""<!doctype html><meta charset="utf-8"><script src="file://{os.environ["MERMAID_JS"]}">
</script><div id="out"></div><script>
mermaid.initialize({{startOnLoad: false, securityLevel: 'strict'}});
mermaid.render('g', {json.dumps(text)}).then(
  r => {{ document.getElementById('out').innerHTML = r.svg; document.title = 'OK'; }},
  e => {{ document.title = 'ERROR ' + e.message; }});
</script>""",
        encoding="utf-8",
    )
    dom = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--allow-file-access-from-files",
            "--virtual-time-budget=20000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    assert "<title>OK</title>" in dom
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in dom  # shown as text, not run
    assert "修好了吗" in dom


# Issue 16 #11: Mermaid read a literal backslash-n in a label as a line break, so `C:\new`
# showed as "C:" and "ew". Every backslash is coded; the real Mermaid shows it as written.
BACKSLASHES = ["C:\\new", "a\\nb\\tc", "ends with \\", "\\\\server\\share", "\\u0041 \\x41"]


@pytest.mark.parametrize("label", BACKSLASHES)
def test_a_backslash_in_a_label_is_coded_and_shows_as_written(label: str) -> None:
    quoted = quote(label)
    assert "\\" not in quoted
    assert decode(quoted[1:-1]) == label


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("MERMAID_JS") or not shutil.which("chromium"),
    reason="set MERMAID_JS to a mermaid.min.js (11.16+) and install chromium to render",
)
def test_real_mermaid_shows_backslashes_as_written(tmp_path: Path) -> None:
    import json

    steps = "\n".join(
        f"  {node_id('step', f's{i}')}[{quote(t)}]" for i, t in enumerate(BACKSLASHES)
    )
    text = f"flowchart LR\n{steps}\n"
    page = tmp_path / "page.html"
    page.write_text(
        f"""<!doctype html><meta charset="utf-8"><script src="file://{os.environ["MERMAID_JS"]}">
</script><div id="out"></div><script>
mermaid.initialize({{startOnLoad: false, securityLevel: 'strict'}});
mermaid.render('g', {json.dumps(text)}).then(
  r => {{ const d = document.getElementById('out'); d.innerHTML = r.svg;
          document.title = 'OK ' + JSON.stringify(
            [...d.querySelectorAll('g.node')].map(n => n.textContent)); }},
  e => {{ document.title = 'ERROR ' + e.message; }});
</script>""",
        encoding="utf-8",
    )
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--allow-file-access-from-files",
         "--virtual-time-budget=20000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    ).stdout  # fmt: skip
    import html

    title = html.unescape(re.search(r"<title>(.*?)</title>", dom, re.S).group(1))
    assert title.startswith("OK "), title
    shown = json.loads(title[3:])
    assert sorted(s.strip() for s in shown) == sorted(BACKSLASHES)
