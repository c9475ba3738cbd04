"""`schema`: one JSON Schema, generated from the loader's own declaration."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from .conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def schema(request) -> dict:
    from click.testing import CliRunner

    from escalation_charts.cli import cli

    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    "path",
    [*EXAMPLES, *sorted((ROOT / "templates" / "init").glob("*.yaml"))],
    ids=lambda p: p.name,
)
def test_every_shipped_definition_validates_against_the_schema(schema: dict, path: Path) -> None:
    # BaseLoader keeps every scalar a string except where the schema expects otherwise; the
    # schema describes durations, dates and versions as strings, levels as integers.
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(_jsonable(document))


def test_schema_refuses_what_the_loader_refuses(schema: dict) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    document = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))
    document["steps"][0]["lable"] = "typo"
    assert not validator.is_valid(_jsonable(document))


def test_readme_shows_the_editor_line() -> None:
    assert "# yaml-language-server: $schema=" in (ROOT / "README.md").read_text("utf-8")


def _jsonable(value):
    """YAML dates become ISO strings, as an editor's JSON view of the file has them."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
