"""`escalation-charts import` as a user runs it: what it writes, prints and refuses.

The written file validates, names its source in a header comment and points at every
TODO with a line:col that holds that TODO; bad or hostile input (not XML, another XML
vocabulary, XXE, entity bombs, a zip bomb in a compressed draw.io page) is one line and
exit 2 with nothing written; `--strict` refuses a diagram with something not understood.
"""

from __future__ import annotations

import base64
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest

from escalation_charts.cli._common import check_file

from .conftest import EXAMPLES

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPEC = next(p for p in EXAMPLES if p.stem == "spec-example")


def _exported(run, tmp_path: Path, fmt: str) -> Path:
    result = run("export", str(SPEC), "-f", fmt, "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    return next(tmp_path.glob(f"*.{fmt}"))


@pytest.mark.parametrize("fmt", ["bpmn", "drawio"])
def test_import_writes_a_definition_that_validates_and_lists_its_todos(
    run, tmp_path: Path, fmt: str
) -> None:
    source = _exported(run, tmp_path, fmt)
    target = tmp_path / "back.yaml"
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# Imported from {source.name} (")
    assert check_file(str(target)).findings == ()
    lines = text.splitlines()
    todos = [line for line in result.stderr.splitlines() if ": todo: " in line]
    # the severities, each severity the edges name, each lane, the process and the matrix
    assert len(todos) == 2 + 3 + 4 + 1  # the example's timers name P1, P2 and P3
    for line in todos:
        where = line.split(": todo: ")[0].removeprefix(f"{target}:")
        row, column = map(int, where.split(":"))
        assert lines[row - 1][column - 1 :].startswith("# TODO")
    assert "4 lanes" not in result.stdout  # the summary counts findings and TODOs
    assert "0 finding(s) and 10 TODO(s) left" in result.stdout


def test_import_refuses_to_overwrite(run, tmp_path: Path) -> None:
    source = _exported(run, tmp_path, "bpmn")
    target = tmp_path / "mine.yaml"
    target.write_text("mine", encoding="utf-8")
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 2 and "--overwrite" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"
    assert run("import", str(source), "-o", str(target), "--overwrite").exit_code == 0


def _deflated(xml: bytes) -> str:
    """A draw.io compressed page: base64 of raw deflate of the URL-encoded XML."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw = quote(xml.decode("utf-8"), safe="").encode("ascii")
    return base64.b64encode(packer.compress(raw) + packer.flush()).decode("ascii")


def _bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = b"A" * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(40)) + packer.flush()
    page = base64.b64encode(packed).decode("ascii")
    return f'<mxfile><diagram name="p">{page}</diagram></mxfile>'.encode()


BAD = {
    "not-xml": (b"just some text", "not well-formed"),
    "empty": (b"", "not well-formed"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "neither BPMN 2.0 nor draw.io"),
    "other-definitions": (b'<definitions xmlns="urn:x"/>', "not BPMN 2.0"),
    "no-process": (f'<definitions xmlns="{BPMN_NS}"/>'.encode(), "no process"),
    "xxe": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + f'<definitions xmlns="{BPMN_NS}"><process id="p"><task id="t" name="&x;"/>'
        "</process></definitions>".encode(),
        "<!DOCTYPE>",
    ),
    "external-dtd": (
        b'<?xml version="1.0"?><!DOCTYPE mxfile SYSTEM "file:///etc/passwd">'
        b'<mxfile><diagram name="&x;"/></mxfile>',
        "is empty",  # the DTD named is never loaded, so &x; is nothing
    ),
    "entity-bomb": (
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b']><mxfile><diagram name="&i;"/></mxfile>',
        "<!DOCTYPE>",
    ),
    "zip-bomb": (_bomb(), "inflates to more than"),
    "bad-base64": (b'<mxfile><diagram name="p">%%%not base64%%%</diagram></mxfile>', "base64"),
    "bad-deflate": (b'<mxfile><diagram name="p">aGVsbG8gd29ybGQ=</diagram></mxfile>', "deflate"),
    "page-not-a-graph": (
        f'<mxfile><diagram name="p">{_deflated(b"<html/>")}</diagram></mxfile>'.encode(),
        "mxGraphModel",
    ),
    "no-pages": (b"<mxfile/>", "no page"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_line_and_exit_2_with_nothing_written(
    run, tmp_path: Path, name: str
) -> None:
    data, says = BAD[name]
    source = tmp_path / "in.bpmn"
    source.write_bytes(data)
    target = tmp_path / "out.yaml"
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(source) in lines[0] and says in lines[0], lines
    assert "Traceback" not in result.output and "root:" not in result.output
    assert not target.exists() and list(tmp_path.iterdir()) == [source]


def test_a_missing_file_is_exit_2(run, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.bpmn"), "-o", str(tmp_path / "o.yaml"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_a_compressed_page_is_read_and_pages_are_chosen_by_name(run, tmp_path: Path) -> None:
    plain = _exported(run, tmp_path, "drawio").read_bytes()
    model = plain[plain.index(b"<mxGraphModel") : plain.index(b"</mxGraphModel>") + 15]
    other = (
        b'<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>'
        b'<mxCell id="s" value="Begin" style="ellipse" vertex="1" parent="1"/>'
        b'<mxCell id="e" value="Done" style="ellipse" vertex="1" parent="1"/>'
        b'<mxCell id="f" edge="1" source="s" target="e" parent="1"/></root></mxGraphModel>'
    )
    source = tmp_path / "two.drawio"
    source.write_text(
        f'<mxfile host="escalation-charts"><diagram name="First" id="a">{_deflated(other)}'
        "</diagram>"
        f'<diagram name="Escalation" id="b">{_deflated(model)}</diagram></mxfile>',
        encoding="utf-8",
    )
    first = run("import", str(source), "-o", str(tmp_path / "first.yaml"))
    assert first.exit_code == 0, first.stderr
    assert "2 pages" in first.stderr and "'Escalation'" in first.stderr
    assert "label: Begin" in (tmp_path / "first.yaml").read_text(encoding="utf-8")
    chosen = run("import", str(source), "--page", "Escalation", "-o", str(tmp_path / "e.yaml"))
    assert chosen.exit_code == 0, chosen.stderr
    text = (tmp_path / "e.yaml").read_text(encoding="utf-8")
    assert "label: Expert analysis" in text and "after: 2h" in text
    missing = run("import", str(source), "--page", "Nope", "-o", str(tmp_path / "n.yaml"))
    assert missing.exit_code == 2 and "First, Escalation" in missing.stderr


PARALLEL = f"""<?xml version="1.0"?>
<definitions xmlns="{BPMN_NS}" id="d">
  <process id="p" name="Split">
    <startEvent id="start" name="Ticket in"/>
    <parallelGateway id="fork"/>
    <task id="a" name="Call customer"/>
    <task id="b" name="Check logs"/>
    <endEvent id="end" name="Closed"/>
    <dataObjectReference id="logs" name="Logs"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="fork"/>
    <sequenceFlow id="f2" sourceRef="fork" targetRef="a"/>
    <sequenceFlow id="f3" sourceRef="fork" targetRef="b"/>
    <sequenceFlow id="f4" sourceRef="a" targetRef="end"/>
    <sequenceFlow id="f5" sourceRef="b" targetRef="end"/>
  </process>
</definitions>
"""


def test_what_is_not_understood_is_warned_by_id_and_strict_refuses_it(run, tmp_path: Path) -> None:
    source = tmp_path / "split.bpmn"
    source.write_text(PARALLEL, encoding="utf-8")
    target = tmp_path / "split.yaml"
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "warning: fork: a parallelGateway" in result.stderr
    assert "warning: logs: a dataObjectReference: left out" in result.stderr
    assert "type: decision" in target.read_text(encoding="utf-8")
    strict = run("import", str(source), "-o", str(tmp_path / "s.yaml"), "--strict")
    assert strict.exit_code == 1
    assert "error: fork:" in strict.stderr and "nothing written" in strict.stderr
    assert not (tmp_path / "s.yaml").exists()


@pytest.mark.parametrize(
    "name", ["camunda-job-announcement.bpmn", "drawio-incident-response.drawio"]
)
def test_the_same_diagram_gives_the_same_bytes(run, tmp_path: Path, name: str) -> None:
    source = Path(__file__).parent / "data" / "import" / name
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert run("import", str(source), "-o", str(first)).exit_code == 0
    assert run("import", str(source), "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]  # no temp files


def test_a_drawio_svg_is_read_from_the_diagram_it_carries(run, tmp_path: Path) -> None:
    """draw.io's .drawio.svg: a picture with a public DOCTYPE and the diagram inside."""
    source = Path(__file__).parent / "data" / "import" / "drawio-flowchart.drawio.svg"
    target = tmp_path / "lamp.yaml"
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "label: Lamp plugged in?" in text and "type: decision" in text
