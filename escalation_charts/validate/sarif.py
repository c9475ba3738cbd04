"""Findings as a SARIF 2.1.0 log, so code-scanning tools (GitHub, GitLab, IDEs) show them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from escalation_charts.findings import RULES, Finding, Pos
from escalation_charts.validate.rules_help import HELP, RuleHelp

__all__ = ["SARIF_SCHEMA", "sarif_log"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_RULE_IDS = list(RULES)
SRCROOT = "%SRCROOT%"


def sarif_log(
    files: Iterable[tuple[str, Iterable[Finding]]],
    version: str,
    root: Path | None = None,
    steps: Mapping[str, Mapping[str, Pos]] | None = None,
) -> dict[str, Any]:
    """One run of the tool over `files` (path, findings), every rule described once.

    Paths under `root` (the repository's top level, as code scanning maps alerts onto the
    checkout) are relative to `%SRCROOT%`; any other path is an absolute `file://` URI.
    A finding's example path (a walk from a start step) becomes a code flow, one location
    per step where `steps` (path -> step id -> where the step is written) knows it.
    """
    base = (root or Path.cwd()).resolve()
    places = steps or {}
    results = [
        _result(path, f, base, places.get(path, {})) for path, findings in files for f in findings
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "escalation-charts",
                        "version": version,
                        "rules": [_rule(rid) for rid in _RULE_IDS],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": base.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _rule(rid: str) -> dict[str, Any]:
    rule = RULES[rid]
    about = HELP.get(rid, RuleHelp(rule.summary, ""))
    fix = f" How to fix: {about.fix}" if about.fix else ""
    rule_entry: dict[str, Any] = {"id": rid}
    if "-" in rid:  # a one-word id would give a name equal to it, which SARIF1001 forbids
        rule_entry["name"] = "".join(part.title() for part in rid.split("-"))
    return rule_entry | {
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": about.why},
        "help": {
            "text": f"{about.why}{fix} (docs/rules.md#{rid})",
            "markdown": f"{about.why}"
            + (f"\n\n**How to fix:** {about.fix}" if about.fix else "")
            + f"\n\nSee `docs/rules.md#{rid}`.",
        },
        "defaultConfiguration": {"level": rule.level},
    }


def _result(path: str, f: Finding, base: Path, steps: Mapping[str, Pos]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": _RULE_IDS.index(f.rule),
        "level": f.level,
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(path, base),
                    "region": {"startLine": f.pos.line, "startColumn": f.pos.column},
                }
            }
        ],
    }
    if f.path:
        result["codeFlows"] = [_code_flow(path, f, base, steps)]
    properties: dict[str, Any] = {}
    if f.step is not None:
        properties["step"] = f.step
    if f.path is not None:
        properties["path"] = list(f.path)
    if f.applies_to is not None:
        properties["appliesTo"] = f.applies_to
    if f.timing is not None:  # the figures of matrix-flow-timing / matrix-untimed
        properties["timing"] = f.timing.to_dict()
    if properties:
        result["properties"] = properties
    return result


def _code_flow(path: str, f: Finding, base: Path, steps: Mapping[str, Pos]) -> dict[str, Any]:
    """The example path as one thread of locations, each step where it is written (a step
    the file does not define, only possible with errors, at the finding's own place)."""
    assert f.path is not None
    walk = " -> ".join(f.path)
    locations = []
    for order, step in enumerate(f.path, start=1):
        at = steps.get(step, f.pos)
        locations.append(
            {
                "location": {
                    "physicalLocation": {
                        "artifactLocation": _artifact(path, base),
                        "region": {"startLine": at.line, "startColumn": at.column},
                    },
                    "message": {"text": f"step {step} ({order} of {len(f.path)})"},
                },
                "executionOrder": order,
            }
        )
    return {"message": {"text": f"example path: {walk}"}, "threadFlows": [{"locations": locations}]}


def _artifact(path: str, base: Path) -> dict[str, str]:
    """Relative to `%SRCROOT%` when under `base`, else an absolute `file://` URI."""
    full = Path(path).resolve()
    try:
        relative = full.relative_to(base)
    except ValueError:
        return {"uri": full.as_uri()}
    return {"uri": quote(PurePath(relative).as_posix(), safe="/"), "uriBaseId": SRCROOT}
