"""Every command and output format in one table, and the checks every run must pass.

A row is one command with the formats it writes; a command that is not in this build
yet (render and slides land on their own branches) is skipped until its module exists,
so adding a command is adding a row. `run_row` runs a row in-process as a user would,
and `check_run` holds the invariants of issue 7: exit 0, 1 or 2, a message for 1 and 2,
never a traceback, nothing written when the run fails, no temporary file left, and every
file written parses as its format. `visible_text` reads an output the way its consumer
does (an XML parser, a Markdown renderer, python-pptx, the csv module, json, pdftotext)
and returns what a person would see, after checking that nothing in it is active.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
from click.testing import CliRunner

from escalation_charts.cli import cli

__all__ = [
    "OUTPUT_ROWS",
    "ROWS",
    "SUFFIX_FORMAT",
    "VALIDATE_ROWS",
    "Outcome",
    "Row",
    "available",
    "check_run",
    "run_row",
    "squash",
    "visible_text",
]


@dataclass(frozen=True)
class Row:
    """One command and the formats it writes (validate: the format it prints)."""

    command: str
    formats: tuple[str, ...]
    options: tuple[str, ...] = ()
    prints: bool = False  # validate: the output is what it prints, no file
    reports_errors: bool = False  # audit: writes its report for a broken definition too
    force: bool = True  # has --force (write outputs for a definition with errors)
    # A function the command calls after it has built part of its outputs (fault tests).
    midway: str = ""
    # Files written beside the asked formats, by their format (matrix: the contacts CSV).
    also: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return "-".join([self.command, *self.formats, *(o.strip("-") for o in self.options)])

    def argv(self, source: Path, out: Path, *, force: bool = False) -> list[str]:
        if self.prints:
            return [self.command, "--format", self.formats[0], *self.options, str(source)]
        forced = ["--force"] if force and self.force else []
        if self.command == "slides":  # one deck; -o DIR/ names it after the process id
            return [self.command, str(source), "-o", f"{out}/", *self.options, *forced]
        fmt = ["-f", ",".join(self.formats)]
        return [self.command, str(source), *fmt, "-o", str(out), *self.options, *forced]


VALIDATE_ROWS = tuple(Row("validate", (f,), prints=True) for f in ("text", "json", "sarif"))
_CHART_SVG = "escalation_charts.render.chart.finish_svg"  # after the DOT text is built
_EXPORTS = ("bpmn", "drawio", "vsdx", "mermaid")
OUTPUT_ROWS = (
    Row("render", ("svg", "png", "pdf", "dot"), midway=_CHART_SVG),
    Row("render", ("svg", "dot"), ("--direction", "TB"), midway=_CHART_SVG),
    Row("slides", ("pptx",), midway="escalation_charts.render.pptx.deck.deck_bytes"),
    Row(
        "matrix",
        ("md", "csv", "html", "svg", "png"),
        midway="escalation_charts.render.matrix_picture.draw",
        also=("csv",),
    ),
    Row(
        "audit",
        ("html", "md", "json"),
        reports_errors=True,
        force=False,
        midway="escalation_charts.render.report.report_json",
    ),
    Row("export", _EXPORTS, midway="escalation_charts.export.drawio.build_drawio"),
    Row(
        "export",
        _EXPORTS,
        ("--direction", "TB", "--mermaid", "swimlane"),
        midway="escalation_charts.export.drawio.build_drawio",
    ),
)
ROWS = VALIDATE_ROWS + OUTPUT_ROWS

SUFFIX_FORMAT = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".pptx": "pptx",
    ".md": "md",
    ".csv": "csv",
    ".html": "html",
    ".json": "json",
    ".bpmn": "bpmn",
    ".drawio": "drawio",
    ".vsdx": "vsdx",
    ".mmd": "mermaid",
}


def available(command: str) -> bool:
    """True when this build has the command (its module exists)."""
    return command in cli.list_commands(click.Context(cli))


@dataclass
class Outcome:
    """What one run did: its exit code, what it printed, what it wrote."""

    row: Row
    code: int
    stdout: str
    stderr: str
    exception: BaseException | None
    files: dict[str, bytes] = field(default_factory=dict)
    warned: list[str] = field(default_factory=list)
    native: str = ""  # what C libraries (Graphviz, Pango) wrote straight to file descriptor 2

    def describe(self) -> str:
        return (
            f"{' '.join(self.row.argv(Path('FILE'), Path('OUT')))} -> exit {self.code}\n"
            f"stdout: {self.stdout[-2000:]}\nstderr: {self.stderr[-2000:]}\n"
            f"exception: {self.exception!r}\nfiles: {sorted(self.files)}"
        )


@contextlib.contextmanager
def _native_stderr(into: list[str]) -> Iterator[None]:
    """Capture file descriptor 2, where C libraries print past Python's sys.stderr."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            into.append(capture.read().decode("utf-8", "replace"))


def run_row(row: Row, source: Path, out: Path, *, force: bool = False) -> Outcome:
    """Run `row` on `source` in-process, writing into `out`; collect everything it left."""
    native: list[str] = []
    with warnings.catch_warnings(record=True) as caught, _native_stderr(native):
        warnings.simplefilter("always")
        result = CliRunner().invoke(cli, row.argv(source, out, force=force))
    files = (
        {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}
        if out.is_dir()
        else {}
    )
    return Outcome(
        row,
        result.exit_code,
        result.stdout,
        result.stderr,
        None if isinstance(result.exception, SystemExit) else result.exception,
        files,
        [f"{w.category.__name__}: {w.message}" for w in caught],
        native[0],
    )


# Characters a terminal acts on: C0 (bar tab and newline), DEL, C1, line separators and
# bidi overrides. User text that reaches a message must be escaped (`findings.shown`), never raw.
_TERMINAL_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_CACHE = ".escalation-charts-cache.json"
# Graphviz and Pango print straight to fd 2; their warnings are noise, these are failures.
_NATIVE_FAILURE = re.compile(r"CRITICAL|Error|error:|Segmentation|Assertion")


def check_run(outcome: Outcome) -> None:
    """The invariants of every run, whatever the input."""
    row, why = outcome.row, outcome.describe()
    assert outcome.exception is None, f"uncaught {outcome.exception!r}\n{why}"
    assert outcome.code in (0, 1, 2), why
    printed = outcome.stdout + outcome.stderr
    assert "Traceback" not in printed, why
    assert not outcome.warned, f"Python warnings reached the user: {outcome.warned}\n{why}"
    failed = [line for line in outcome.native.splitlines() if _NATIVE_FAILURE.search(line)]
    assert not failed, f"a C library reported a failure: {failed}\n{why}"
    bad = _TERMINAL_CONTROL.search(printed)
    assert bad is None, f"raw control character U+{ord(bad.group()):04X} printed\n{why}"
    if outcome.code:
        said = outcome.stdout if row.prints else outcome.stderr
        assert said.strip(), f"exit {outcome.code} without a message\n{why}"
    temps = [n for n in outcome.files if n.endswith(".tmp")]
    assert not temps, f"temporary files left: {temps}\n{why}"
    written = {n: d for n, d in outcome.files.items() if n != _CACHE}
    if outcome.code and not (row.reports_errors and outcome.code == 1):
        assert not written, f"a failed run wrote {sorted(written)}\n{why}"
        return
    if row.prints:
        visible_text(row.formats[0], outcome.stdout.encode("utf-8"))
        return
    formats = sorted(SUFFIX_FORMAT.get(Path(n).suffix, n) for n in written)
    assert formats == sorted(row.formats + row.also), f"wrote {sorted(written)}\n{why}"
    for name, data in written.items():
        try:
            visible_text(SUFFIX_FORMAT[Path(name).suffix], data)
        except Exception as exc:
            raise AssertionError(f"{name} does not parse: {exc!r}\n{why}") from exc


def squash(text: str) -> str:
    """Text without any whitespace: wrapping and line breaks differ between formats."""
    return "".join(text.split())


# -- reading each format as its consumer does ----------------------------------------------

# Elements that run code or load something; <meta http-equiv="refresh"> redirects.
_ACTIVE_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "object",
    "embed",
    "base",
    "form",
    "link",
    "handler",
    "listener",
    "frame",
    "applet",
}
_ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def _local(name: str) -> str:
    """`{ns}href`, `xlink:href` or `href` -> `href` (HTML parsers keep prefixes as written)."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _inert_markup(root: object) -> None:
    """No element or attribute in an XML/HTML tree can run anything or load anything."""
    from lxml import etree

    for element in root.iter(etree.Element):  # type: ignore[attr-defined]
        name = _local(element.tag)
        assert name not in _ACTIVE_ELEMENTS, f"active element <{name}>"
        refresh = name == "meta" and (element.get("http-equiv") or "").lower() == "refresh"
        assert not refresh, "a <meta> refresh"
        for attr, value in element.attrib.items():
            local = _local(attr)
            assert not local.startswith("on"), f"event handler {local}={value!r} on <{name}>"
            if local in ("href", "src", "action", "formaction", "data"):
                squashed = squash(value).lower()
                assert not squashed.startswith(_ACTIVE_SCHEMES), f"{local}={value!r}"


def _xml(data: bytes) -> object:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False, recover=False
    )
    root = etree.fromstring(data, parser)
    _inert_markup(root)
    return root


def _svg(data: bytes) -> str:
    root = _xml(data)
    return "\n".join(root.itertext())  # type: ignore[attr-defined]


def _html_text(markup: str, *, fragment: bool = False) -> str:
    from lxml import etree
    from lxml import html as lxml_html

    if fragment:
        root = lxml_html.fragment_fromstring(markup or "<p></p>", create_parent="div")
    else:
        root = lxml_html.document_fromstring(markup)
    _inert_markup(root)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for skip in root.iter("style"):
        skip.text = ""
    return str(etree.tostring(root, method="text", encoding="unicode"))


def _html(data: bytes) -> str:
    return _html_text(data.decode("utf-8"))


def _markdown(data: bytes) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # as permissive as the laxest wiki: any link is live
    return _html_text(md.render(data.decode("utf-8")), fragment=True)


def _bpmn(data: bytes) -> str:
    root = _xml(data)
    names = [e.get("name") for e in root.iter() if e.get("name")]  # type: ignore[attr-defined]
    return "\n".join([*names, *root.itertext()])  # type: ignore[attr-defined]


def _drawio(data: bytes) -> str:
    root = _xml(data)
    out = [d.get("name") or "" for d in root.iter("diagram")]  # type: ignore[attr-defined]
    for cell in root.iter("mxCell"):  # type: ignore[attr-defined]
        value = cell.get("value") or ""
        html = "html=1" in (cell.get("style") or "")
        out.append(_html_text(value, fragment=True) if html else value)
    return "\n".join(out)


_VISIO = "{http://schemas.microsoft.com/office/visio/2012/main}"


def _vsdx(data: bytes) -> str:
    """A Visio package: a complete zip with each name once, every XML part parsed with
    nothing active in it and no relationship to an active target; the text a person
    sees: page names, shape text, Shape Data values and the document properties."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names)), "a zip entry twice"
        assert archive.testzip() is None, "a corrupt zip entry"
        files = {name: archive.read(name) for name in names}
    out: list[str] = []
    for name, body in files.items():
        if not name.endswith((".xml", ".rels")):
            continue
        root = _xml(body)
        for rel in root.iter("{*}Relationship"):  # type: ignore[attr-defined]
            target = squash(rel.get("Target") or "").lower()
            assert not target.startswith(_ACTIVE_SCHEMES), f"{name}: {target}"
        if name == "visio/pages/pages.xml":
            out += [p.get("Name") or "" for p in root.iter(f"{_VISIO}Page")]  # type: ignore[attr-defined]
        elif name.startswith("visio/pages/page"):
            out += ["".join(t.itertext()) for t in root.iter(f"{_VISIO}Text")]  # type: ignore[attr-defined]
            out += [c.get("V") or "" for c in root.iter(f"{_VISIO}Cell") if c.get("U") == "STR"]  # type: ignore[attr-defined]
        elif name == "docProps/core.xml":
            out += [e.text or "" for e in root]  # type: ignore[attr-defined]
    return "\n".join(out)


_MERMAID_ENTITY = re.compile(r"#(\d+);")
_MERMAID_QUOTED = re.compile(r'"([^"]*)"')
# Outside its quoted labels a line holds only ids, shape brackets, arrows and keywords.
_MERMAID_BARE = re.compile(r"[A-Za-z0-9_ .:,;#%=()\[\]{}|>-]*")


def _mermaid(data: bytes) -> str:
    """Mermaid text: every label a quoted string with `#NN;` entities; nothing else free."""
    labels = []
    for line in data.decode("utf-8").split("\n"):  # Mermaid's lines; U+2028 is text
        assert _MERMAID_BARE.fullmatch(_MERMAID_QUOTED.sub("", line)), f"free text in {line!r}"
        labels += _MERMAID_QUOTED.findall(line)
    assert "\r" not in data.decode("utf-8"), "a carriage return ends a line in Markdown"
    for label in labels:  # Mermaid reads <b> and &amp; as HTML, `...` as Markdown, #..; too
        bare = _MERMAID_ENTITY.sub("", label.replace("<br>", ""))
        assert not set(bare) & set("<>&`#"), f"markup in the label {label!r}"
    decoded = [_MERMAID_ENTITY.sub(lambda m: chr(int(m.group(1))), s) for s in labels]
    return "\n".join(s.replace("<br>", "\n") for s in decoded)


def _csv(data: bytes) -> str:
    text = data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert len({len(r) for r in rows}) <= 1, "rows of different widths"
    for cell in (c for r in rows for c in r):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), f"formula {cell!r}"
    return "\n".join(c for r in rows for c in r)


def _json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_json_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _json(data: bytes) -> str:
    return "\n".join(_json_strings(json.loads(data.decode("utf-8"), parse_constant=_no_constant)))


def _png(data: bytes) -> str:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        image.load()  # decodes every chunk: a truncated file fails here
    return ""


def _pdf(data: bytes) -> str:
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:], "not a complete PDF"
    done = subprocess.run(
        ["pdftotext", "-q", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8", "replace")


def _pptx(data: bytes) -> str:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    deck = Presentation(io.BytesIO(data))
    out: list[str] = []

    def shapes(items: object) -> None:
        for shape in items:  # type: ignore[attr-defined]
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                shapes(shape.shapes)
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
                for p in shape.text_frame.paragraphs:
                    for run in p.runs:
                        address = run.hyperlink.address or ""
                        assert not squash(address).lower().startswith(_ACTIVE_SCHEMES), address
            if getattr(shape, "has_table", False) and shape.has_table:
                out.extend(c.text for r in shape.table.rows for c in r.cells)

    for slide in deck.slides:
        shapes(slide.shapes)
        if slide.has_notes_slide:
            out.append(slide.notes_slide.notes_text_frame.text)
        for rel in slide.part.rels.values():
            if rel.is_external:
                assert not squash(rel.target_ref).lower().startswith(_ACTIVE_SCHEMES)
    return "\n".join(out)


def _dot(data: bytes) -> str:
    """DOT read back by Graphviz itself; labels as Graphviz shows them.

    Graphviz's own writer (`AGraph.string`) marks which labels are HTML-like (`<...>`),
    which its attribute API does not tell; those are parsed as XML, the others decoded
    as escString (`\\n`, `\\\\`) with the entities Graphviz knows.
    """
    import pygraphviz

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a Graphviz complaint about our DOT fails the check
        graph = pygraphviz.AGraph(string=data.decode("utf-8"))
    out = []
    tokens = list(_dot_tokens(graph.string()))
    triples = zip(tokens, tokens[1:], tokens[2:], strict=False)
    for (kind, key), (_, eq), (value_kind, value) in triples:
        if kind != "id" or eq != "=" or key not in _LABEL_KEYS or value_kind == "punct":
            continue
        if value_kind == "html":
            root = _xml(f"<label>{value}</label>".encode())
            out.append("\n".join(root.itertext()))  # type: ignore[attr-defined]
        elif not (key == "label" and value == "\\N"):  # Graphviz's default node label
            out.append(_entities(_esc_string(value.replace('\\"', '"').replace("\\\n", ""))))
    return "\n".join(out)


_LABEL_KEYS = {"label", "xlabel", "headlabel", "taillabel", "tooltip"}
_ID_CHAR = re.compile(r"[\w.\x80-\U0010ffff]")


def _dot_tokens(text: str) -> Iterator[tuple[str, str]]:
    """DOT as (kind, text) tokens: "string" (inside the quotes), "html" (inside < >),
    "id" and "punct"; enough to tell attribute values apart, not a full parser."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            yield "string", text[i + 1 : j]
            i = j + 1
        elif ch == "<":
            depth, j = 0, i
            while True:
                depth += {"<": 1, ">": -1}.get(text[j], 0)
                j += 1
                if depth == 0:
                    break
            yield "html", text[i + 1 : j - 1]
            i = j
        elif ch.isspace():
            i += 1
        elif _ID_CHAR.match(ch) or (ch == "-" and text[i + 1 : i + 2] not in ("-", ">")):
            j = i + 1
            while j < n and _ID_CHAR.match(text[j]):
                j += 1
            yield "id", text[i:j]
            i = j
        else:
            yield "punct", ch
            i += 1


def _entities(text: str) -> str:
    """The entities Graphviz decodes in a plain label (`&amp;`, `&#65;`); others stay."""
    from html.entities import name2codepoint

    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        if body.startswith("#x") or body.startswith("#X"):
            return chr(int(body[2:], 16))
        if body.startswith("#"):
            return chr(int(body[1:]))
        return chr(name2codepoint[body]) if body in name2codepoint else match.group()

    return re.sub(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);", one, text)


def _esc_string(value: str) -> str:
    """A DOT label as Graphviz shows it: `\\n \\l \\r` end lines, `\\\\` is a backslash.

    `\\N \\G \\E \\T \\H \\L` would show a name or label instead of the text: never in ours.
    """
    out, chars = [], iter(value)
    for ch in chars:
        if ch != "\\":
            out.append(ch)
            continue
        escaped = next(chars, "")
        assert escaped not in ("N", "G", "E", "T", "H", "L"), f"\\{escaped} in {value!r}"
        out.append("\n" if escaped in ("n", "l", "r") else escaped)
    return "".join(out)


def _text(data: bytes) -> str:
    return data.decode("utf-8")


_READERS: dict[str, Callable[[bytes], str]] = {
    "svg": _svg,
    "png": _png,
    "pdf": _pdf,
    "dot": _dot,
    "pptx": _pptx,
    "md": _markdown,
    "csv": _csv,
    "html": _html,
    "json": _json,
    "sarif": _json,
    "bpmn": _bpmn,
    "drawio": _drawio,
    "vsdx": _vsdx,
    "mermaid": _mermaid,
    "text": _text,
}


def visible_text(fmt: str, data: bytes) -> str:
    """Parse an output as its consumer would, check nothing in it is active, return its text."""
    return _READERS[fmt](data)
