"""Which rules run, and at what level: `--select/--ignore` and the project's configuration.

As linters do it: a `[tool.escalation-charts]` table in `pyproject.toml`, or the same keys
at the top of an `escalation-charts.toml`, found in the definition's folder or the nearest
folder above it that has one (in one folder, `escalation-charts.toml` wins)::

    [tool.escalation-charts]
    ignore = ["review-overdue"]            # never report these
    select = ["matrix-flow-timing", ...]   # report only these (absent: every rule)

    [tool.escalation-charts.severity]      # a rule's level for this project
    matrix-untimed = "error"

`validate`, `audit` and every command that loads a definition (and so the pre-commit hook,
which runs `validate`) read it; `--select` replaces the configured selection and
`--ignore` adds to the configured one. An unknown rule id is a usage error (exit 2) with a
"did you mean". Findings of a file that could not be read as a definition are never
dropped nor changed: there is nothing else to report about it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import click

from escalation_charts.findings import RULES, Finding, Level, shown

__all__ = [
    "CONFIG_NAME",
    "ConfigError",
    "RuleSelection",
    "config_file",
    "parse_rules",
    "rule_options",
    "selection_for",
]

CONFIG_NAME = "escalation-charts.toml"
_TABLE = ("tool", "escalation-charts")
_KEYS = ("select", "ignore", "severity")
_LEVELS: tuple[Level, ...] = ("error", "warning")


class ConfigError(Exception):
    """A usage problem in `--select/--ignore` or the configuration: one line, exit 2."""


def fail_usage(message: str) -> NoReturn:
    raise ConfigError(message)


class RuleSelection(NamedTuple):
    """The rules a project reports and the level it gives them; `source` is the file."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severity: tuple[tuple[str, Level], ...] = ()
    source: Path | None = None

    def with_options(
        self, select: frozenset[str] | None, ignore: frozenset[str] | None
    ) -> RuleSelection:
        """The command line on top: `--select` replaces, `--ignore` adds."""
        return self._replace(
            select=select if select is not None else self.select,
            ignore=self.ignore | (ignore or frozenset()),
        )

    def apply(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        levels = dict(self.severity)
        out = []
        for f in findings:
            if f.rule in self.ignore or (self.select is not None and f.rule not in self.select):
                continue
            level = levels.get(f.rule)
            out.append(replace(f, override=level) if level and level != f.level else f)
        return tuple(out)


def parse_rules(value: str | None, option: str) -> frozenset[str] | None:
    """`a,b` from the command line as rule ids; an unknown id stops with exit 2."""
    if value is None:
        return None
    ids = [part.strip() for part in value.split(",") if part.strip()]
    for rid in ids:
        if rid not in RULES:
            fail_usage(f"{option}: unknown rule {shown(rid)}{_hint(rid)}")
    return frozenset(ids)


def rule_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--select RULES` and `--ignore RULES` (comma-separated rule ids), checked."""

    def checked(ctx: click.Context, param: click.Parameter, value: str | None) -> object:
        try:
            return parse_rules(value, f"--{param.name}")
        except ConfigError as exc:
            raise click.UsageError(str(exc), ctx) from None

    command = click.option(
        "--ignore",
        metavar="RULES",
        callback=checked,
        help="Do not report these rules (comma-separated ids), on top of the configuration's "
        "`ignore`.",
    )(command)
    return click.option(
        "--select",
        metavar="RULES",
        callback=checked,
        help="Report only these rules (comma-separated ids), instead of the configuration's "
        "`select`. Configuration: [tool.escalation-charts] in pyproject.toml, or "
        "escalation-charts.toml, beside the definitions or above them (README, 'Choosing "
        "rules').",
    )(command)


def _hint(rid: str) -> str:
    from escalation_charts.reading.schema import suggest

    return suggest(rid, list(RULES)) or "; `escalation-charts validate --help` names docs/rules.md"


def config_file(start: Path) -> Path | None:
    """The configuration that governs definitions in folder `start`, or None."""
    for folder in (start, *start.parents):
        own = folder / CONFIG_NAME
        if own.is_file():
            return own
        project = folder / "pyproject.toml"
        if project.is_file() and _has_table(project):
            return project
    return None


def selection_for(definition: str) -> RuleSelection:
    """The configured selection for a definition file (`-`: the current folder)."""
    folder = Path.cwd() if definition == "-" else Path(definition).resolve().parent
    found = config_file(folder)
    if found is None:
        return RuleSelection()
    try:
        stamp = found.stat().st_mtime_ns  # --watch and preview see an edited configuration
    except OSError:
        stamp = 0
    return _load(found, stamp)


def _has_table(path: Path) -> bool:
    # A cheap look first: most pyproject.toml files are someone else's business.
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "escalation-charts" in text and _table(_parse(path, text), path) is not None


@lru_cache(maxsize=32)
def _load(path: Path, stamp: int) -> RuleSelection:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail_usage(f"{path}: cannot read the configuration: {exc}")
    table = _table(_parse(path, text), path)
    if table is None:
        return RuleSelection(source=path)
    unknown = [key for key in table if key not in _KEYS]
    if unknown:
        _bad(path, text, unknown[0], f"unknown key {unknown[0]!r}; the keys are {', '.join(_KEYS)}")
    select = _rule_list(path, text, table, "select")
    ignore = _rule_list(path, text, table, "ignore") or frozenset()
    severity = table.get("severity", {})
    if not isinstance(severity, Mapping):
        _bad(path, text, "severity", '\'severity\' is a table of rule = "error" | "warning"')
    levels: list[tuple[str, Level]] = []
    for rid, level in severity.items():
        _known(path, text, rid, "severity")
        if level not in _LEVELS:
            _bad(path, text, rid, f'severity of {rid!r} is {level!r}; write "error" or "warning"')
        levels.append((rid, level))
    return RuleSelection(select, ignore, tuple(sorted(levels)), path)


def _parse(path: Path, text: str) -> dict[str, object]:
    import tomllib  # only a project with a configuration pays for it

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        fail_usage(f"{path}: not valid TOML: {exc}")


def _table(data: Mapping[str, object], path: Path) -> Mapping[str, object] | None:
    """The rules table: top level of escalation-charts.toml, [tool.escalation-charts] of a
    pyproject.toml (escalation-charts.toml may use that header too)."""
    tool = data.get(_TABLE[0])
    nested = tool.get(_TABLE[1]) if isinstance(tool, Mapping) else None
    if isinstance(nested, Mapping):
        return nested
    if path.name == CONFIG_NAME:
        return {k: v for k, v in data.items() if k != _TABLE[0]}
    return None


def _rule_list(
    path: Path, text: str, table: Mapping[str, object], key: str
) -> frozenset[str] | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        _bad(path, text, key, f'{key!r} is a list of rule ids, e.g. {key} = ["no-backup"]')
    for rid in value:
        _known(path, text, rid, key)
    return frozenset(value)


def _known(path: Path, text: str, rid: str, key: str) -> None:
    if rid not in RULES:
        _bad(path, text, rid, f"{key}: unknown rule {shown(rid)}{_hint(rid)}")


def _bad(path: Path, text: str, word: str, message: str) -> None:
    """Stop with exit 2 at `file:line:col` of `word` in the file (TOML parsers give no
    places for values; the first spelling of it is where the reader looks)."""
    match = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)
    if match is None:
        fail_usage(f"{path}: {message}")
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    fail_usage(f"{path}:{line}:{column}: {message}")
