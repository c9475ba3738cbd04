"""Speaker notes from Jinja2 templates, so an organisation can change the wording.

The default templates live in `templates/deck/notes/` (one per kind of slide, plain text).
A directory given with `--notes` is searched first: a file there with the same name
replaces the default one. Notes are plain text; nothing in them is parsed as markup.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from escalation_charts.durations import Duration

__all__ = ["NOTES_DIR", "Notes", "NotesError"]

NOTES_DIR = Path(__file__).resolve().parents[2] / "templates" / "deck" / "notes"


class NotesError(Exception):
    """A notes template is missing or broken (the CLI reports it and exits 2)."""


class _FolderLoader(jinja2.BaseLoader):
    """Templates read only from real files inside one folder (`--notes DIR`).

    jinja2's FileSystemLoader follows symbolic links, so `leak.txt.j2 -> /proc/self/environ`
    and `{% include 'leak.txt.j2' %}` put the environment into the deck. Here a name is
    looked up under the folder with no link followed on the way (a linked file or folder
    is refused), and only a regular file is read (a FIFO would block).
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses `..`
        if not pieces:
            raise jinja2.TemplateNotFound(template)
        path = self.root.joinpath(*pieces)
        for depth in range(1, len(pieces) + 1):
            part = self.root.joinpath(*pieces[:depth])
            try:
                info = os.lstat(part)
            except FileNotFoundError:
                raise jinja2.TemplateNotFound(template) from None
            except OSError as exc:
                raise NotesError(f"notes template {template}: cannot read: {exc.strerror}") from exc
            if stat.S_ISLNK(info.st_mode):
                raise NotesError(
                    f"notes template {template}: {part} is a symbolic link; --notes reads "
                    "only real files inside its folder"
                )
        if not stat.S_ISREG(info.st_mode):
            raise NotesError(f"notes template {template}: {path} is not a regular file")
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                source = handle.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise NotesError(f"notes template {template}: cannot read: {exc}") from exc
        mtime = info.st_mtime_ns
        return source, str(path), lambda: _mtime(path) == mtime


def _mtime(path: Path) -> int | None:
    try:
        return os.lstat(path).st_mtime_ns
    except OSError:
        return None


def _duration(value: Duration | None, none: str = "not set") -> str:
    return value.compact() if value is not None else none


def _and(items: Any) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class Notes:
    """Renders the notes of each kind of slide (`title`, `lane`, ...) from its template."""

    def __init__(self, override: Path | None = None) -> None:
        loaders: list[jinja2.BaseLoader] = [_FolderLoader(override)] if override else []
        loaders.append(jinja2.FileSystemLoader(str(NOTES_DIR)))  # ours: a link there is ours
        # Sandboxed: a notes template (--notes DIR may come from anyone) can read what it
        # is given, not reach Python internals (`''.__class__.__mro__`) or the machine.
        self._env = SandboxedEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=False,  # plain text for the notes pane, never HTML
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self._env.filters["duration"] = _duration
        self._env.filters["and_list"] = _and

    def render(self, kind: str, **context: Any) -> str:
        name = f"{kind}.txt.j2"
        try:
            text = self._env.get_template(name).render(**context)
        except NotesError:
            raise
        except jinja2.TemplateNotFound as exc:
            # the missing one, which is not `name` when `name` includes it
            missing = exc.name if isinstance(exc.name, str) else name
            where = "" if missing == name else f" (included from {name})"
            raise NotesError(f"notes template {missing} not found{where}") from exc
        except jinja2.TemplateSyntaxError as exc:
            raise NotesError(
                f"notes template {exc.filename or name}, line {exc.lineno}: {exc.message}"
            ) from exc
        except jinja2.TemplateError as exc:
            raise NotesError(f"notes template {name}: {exc}") from exc
        except Exception as exc:  # {{ 1 / 0 }} and the like: the template's fault, not ours
            raise NotesError(f"notes template {name}: {type(exc).__name__}: {exc}") from exc
        # Collapse the blank lines template logic leaves behind.
        lines = [line.rstrip() for line in text.strip().splitlines()]
        out: list[str] = []
        for line in lines:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out)
