"""Watch mode: rebuild outputs whenever a definition is saved, until Ctrl-C.

Uses watchfiles (Rust `notify` underneath: inotify, FSEvents, ReadDirectoryChangesW). The
folders holding the inputs are watched rather than the files, because editors often save
by writing a new file and renaming it over the old one, which a watch on the old file
would miss. A directory argument also picks up definitions created in it later.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from escalation_charts.cli import _signals
from escalation_charts.cli._common import is_quiet, say
from escalation_charts.cli._inputs import YAML_SUFFIXES, expand_inputs

__all__ = ["DEBOUNCE_MS", "watch"]

DEBOUNCE_MS = 200  # changes that arrive together (an editor's save) make one rebuild


def watch(
    args: Sequence[str],
    rebuild: Callable[[list[str]], Any],
    *,
    first: Sequence[str] | None = None,
    stop_event: Any = None,
) -> None:
    """Run `rebuild(first)`, then `rebuild(changed files)` after each save, until Ctrl-C
    (or until `stop_event`, a threading.Event, is set). Errors in a definition are printed
    by `rebuild` and do not stop watching."""
    import watchfiles

    targets = _Targets(args)
    rebuild(list(first) if first is not None else targets.existing())
    if not is_quiet():
        say(f"watching {targets.describe()}; press Ctrl-C to stop", err=True)
    try:
        for changes in watchfiles.watch(
            *targets.roots,
            watch_filter=lambda _change, path: targets.wanted(path) is not None,
            debounce=DEBOUNCE_MS,
            recursive=targets.recursive,
            stop_event=stop_event,
            raise_interrupt=True,
        ):
            changed = sorted({name for _, path in changes if (name := targets.wanted(path))})
            changed = [name for name in changed if os.path.isfile(name)]
            if changed:
                if not is_quiet():
                    say(f"changed: {', '.join(changed)}", err=True)
                rebuild(changed)
    except KeyboardInterrupt:  # Ctrl-C (or SIGTERM) is how it stops: exit 0
        _signals.settled()
    if not is_quiet():
        click.echo("stopped watching", err=True)


class _Targets:
    """Which paths matter: the named files, and definitions under the named directories."""

    def __init__(self, args: Sequence[str]) -> None:
        self.files: dict[Path, str] = {}  # resolved path -> as the user wrote it
        self.dirs: dict[Path, str] = {}
        for arg in args:
            path = Path(arg).resolve()
            (self.dirs if path.is_dir() else self.files)[path] = arg
        self.roots = sorted({p.parent for p in self.files} | set(self.dirs))
        self.recursive = bool(self.dirs)

    def wanted(self, changed: str) -> str | None:
        """The input name for a changed path, or None when the change does not matter."""
        path = Path(changed).resolve()
        if path in self.files:
            return self.files[path]
        if not path.name.endswith(YAML_SUFFIXES) or path.name.startswith("."):
            return None
        for root, arg in self.dirs.items():
            if root in path.parents:
                relative = path.relative_to(root)
                if not any(part.startswith(".") for part in relative.parts[:-1]):
                    return os.path.join(arg, *relative.parts)
        return None

    def existing(self) -> list[str]:
        return expand_inputs([*self.files.values(), *self.dirs.values()])

    def describe(self) -> str:
        parts = []
        if self.files:
            parts.append(f"{len(self.files)} file{'s' * (len(self.files) != 1)}")
        if self.dirs:
            parts.append(f"{len(self.dirs)} director{'ies' if len(self.dirs) != 1 else 'y'}")
        return " and ".join(parts)
