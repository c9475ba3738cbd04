"""The definition files a command was given: FILE and DIRECTORY arguments made into files.

Shared by one-shot batches, `validate` and watch mode, which re-expands the same arguments
after every change (a file added to a watched folder is picked up).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import click

from escalation_charts.cli._common import fail_usage
from escalation_charts.reading.loader import load

__all__ = ["YAML_SUFFIXES", "complete_severities", "expand_inputs"]

YAML_SUFFIXES = (".yaml", ".yml")


def expand_inputs(args: Iterable[str]) -> list[str]:
    """FILE and DIRECTORY arguments as definition files: a directory gives every `*.yaml`
    and `*.yml` below it (hidden folders skipped), sorted; duplicates are dropped."""
    out: list[str] = []
    seen: set[Path] = set()
    for arg in args:
        if arg == "-":  # standard input, read once by the command that accepts it
            if "-" not in out:
                out.append(arg)
            continue
        path = Path(arg)
        if path.is_dir():
            found = _definitions_under(path)
            if not found:
                fail_usage(f"{arg}: no *.yaml or *.yml files in this directory")
        elif path.exists():
            found = [arg]
        else:
            fail_usage(f"{arg}: no such file or directory")
        for item in found:
            key = Path(item).resolve()
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


def _definitions_under(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [
            os.path.join(dirpath, name)
            for name in sorted(filenames)
            if name.endswith(YAML_SUFFIXES) and not name.startswith(".")
        ]
    return found


MAX_COMPLETION_FILES = 20  # a <TAB> must answer at once, even on a folder of many definitions


def complete_severities(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion for `--severity`: the severity ids of the definitions named before it
    on the command line (a folder gives those of its definitions), most severe first. A
    repeatable, comma-separated option (`export --severity P1,<TAB>`) continues the list
    and also offers `all`."""
    named = ctx.params.get("files") or ctx.params.get("file")
    # with the option's value still to come, Click's resilient parse leaves the FILE
    # arguments unassigned in ctx.args
    paths = [named] if isinstance(named, str) else list(named or ctx.args)
    files: list[str] = []
    for arg in paths:
        path = Path(arg)
        files += _definitions_under(path) if path.is_dir() else [arg] if path.is_file() else []
    ids: list[str] = []
    for path in files[:MAX_COMPLETION_FILES]:
        try:
            definition = load(path).definition
        # a half-written definition is what one edits while completing: never print a
        # traceback into the shell, offer what the other files give
        except Exception:
            continue
        if definition is not None:
            ids += [s.id for s in definition.severities if s.id not in ids]
    if not param.multiple:
        return [i for i in ids if i.startswith(incomplete)]
    done, _, last = incomplete.rpartition(",")
    chosen = set(done.split(","))
    prefix = f"{done}," if done else ""
    return [prefix + i for i in [*ids, "all"] if i.startswith(last) and i not in chosen]
