"""Findings as a SARIF 2.1.0 log, so code-scanning tools (GitHub, GitLab, IDEs) show them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from escalation_charts.findings import RULES, Finding

__all__ = ["SARIF_SCHEMA", "sarif_log"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_RULE_IDS = list(RULES)
_HELP = "https://github.com/escalation-charts/escalation-charts#validation-rules"


def sarif_log(files: Iterable[tuple[str, Iterable[Finding]]], version: str) -> dict[str, Any]:
    """One run of the tool over `files` (path, findings), every rule described once."""
    results = [_result(path, f) for path, findings in files for f in findings]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "escalation-charts",
                        "version": version,
                        "informationUri": _HELP.split("#")[0],
                        "rules": [_rule(rid) for rid in _RULE_IDS],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _rule(rid: str) -> dict[str, Any]:
    rule = RULES[rid]
    return {
        "id": rid,
        "name": "".join(part.title() for part in rid.split("-")),
        "shortDescription": {"text": rule.summary},
        "defaultConfiguration": {"level": rule.level},
        "helpUri": _HELP,
    }


def _result(path: str, f: Finding) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": _RULE_IDS.index(f.rule),
        "level": f.level,
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(path)},
                    "region": {"startLine": f.pos.line, "startColumn": f.pos.column},
                }
            }
        ],
    }
    properties: dict[str, Any] = {}
    if f.step is not None:
        properties["step"] = f.step
    if f.path is not None:
        properties["path"] = list(f.path)
    if f.applies_to is not None:
        properties["appliesTo"] = f.applies_to
    if properties:
        result["properties"] = properties
    return result


def _uri(path: str) -> str:
    """A relative URI reference for a file path (forward slashes, reserved bytes escaped)."""
    return quote(PurePath(path).as_posix(), safe="/")
