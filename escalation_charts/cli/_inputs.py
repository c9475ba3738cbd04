"""The definition files a command was given: FILE and DIRECTORY arguments made into files.

Shared by one-shot batches, `validate` and watch mode, which re-expands the same arguments
after every change (a file added to a watched folder is picked up).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from escalation_charts.cli._common import fail_usage

__all__ = ["YAML_SUFFIXES", "expand_inputs"]

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
