"""The JSON Schema as strict validators read it: ajv 8 (draft 2020-12, strict mode, with
ajv-formats) compiles it and validates every shipped definition read as YAML by js-yaml,
which like every YAML 1.1 reader turns an unquoted date into a Date object (the shipped
files quote their dates). No union `type`, a URN for `$id`, defaults and examples where
they help completion. ajv runs when AJV names ajv-cli's bin (`.ci/run` installs it), and
check-jsonschema (a test dependency) beside it; in CI both are required."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from escalation_charts.reading.schema import SCHEMA_ID, json_schema

from .conftest import EXAMPLES, ROOT

AJV = os.environ.get("AJV", "")
SHIPPED = [
    *EXAMPLES,
    *sorted((ROOT / "templates" / "init").glob("*.yaml")),  # what `init` writes
]


def _walk(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema with its JSON pointer."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def test_no_union_types() -> None:
    unions = [p for p, sub in _walk(json_schema()) if isinstance(sub.get("type"), list)]
    assert unions == []


def test_id_is_a_urn() -> None:
    assert json_schema()["$id"] == SCHEMA_ID
    assert SCHEMA_ID.startswith("urn:escalation-charts:")


def test_defaults_and_examples_for_completion() -> None:
    schema = json_schema()
    step = schema["properties"]["steps"]["items"]["properties"]
    assert step["type"]["default"] == "task"
    assert schema["properties"]["format"]["default"] == 1
    lane = schema["properties"]["lanes"]["items"]["properties"]
    assert lane["external"]["default"] is False
    respond = schema["properties"]["severities"]["items"]["properties"]["respond"]
    assert "15m" in respond["examples"]
    assert schema["properties"]["process"]["properties"]["reviewed"]["examples"] == ["2026-09-01"]
    # every default is a value its own subschema accepts
    import jsonschema

    for _, sub in _walk(schema):
        if "default" in sub:
            jsonschema.Draft202012Validator(sub).validate(sub["default"])


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_definitions_quote_their_dates(path: Path) -> None:
    """A YAML 1.1 reader (PyYAML here, js-yaml in ajv-cli) sees no date objects."""
    dates = [
        p for p, v in _leaves(yaml.safe_load(path.read_text("utf-8"))) if isinstance(v, dt.date)
    ]
    assert dates == []


def _leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, f"{path}[{index}]")
    else:
        yield path, node


@pytest.mark.slow
def test_ajv_strict_compiles_the_schema_and_accepts_every_shipped_definition(
    tmp_path: Path,
) -> None:
    if not Path(AJV).is_file():
        if os.environ.get("CI"):
            pytest.fail("CI must run ajv: set AJV to ajv-cli's bin (npm ajv-cli, ajv-formats)")
        pytest.skip("set AJV to ajv-cli's bin (npm ajv-cli and ajv-formats)")
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(json_schema()), "utf-8")
    strict = ["--spec=draft2020", "--strict=true", "-c", "ajv-formats", "-s", str(schema)]
    done = subprocess.run(
        [AJV, "compile", *strict], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = [arg for path in SHIPPED for arg in ("-d", str(path))]
    done = subprocess.run(
        [AJV, "validate", *strict, *data],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(" valid") + done.stderr.count(" valid") >= len(SHIPPED)


@pytest.mark.slow
def test_check_jsonschema_accepts_every_shipped_definition(tmp_path: Path) -> None:
    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run check-jsonschema (pip install -e '.[test]')")
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(json_schema()), "utf-8")
    done = subprocess.run(
        [tool, "--schemafile", str(schema), *map(str, SHIPPED)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
