"""Speaker notes from Jinja2 templates, so an organisation can change the wording.

The default templates live in `templates/deck/notes/` (one per kind of slide, plain text).
A directory given with `--notes` is searched first: a file there with the same name
replaces the default one. Notes are plain text; nothing in them is parsed as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from escalation_charts.durations import Duration

__all__ = ["NOTES_DIR", "Notes", "NotesError"]

NOTES_DIR = Path(__file__).resolve().parents[2] / "templates" / "deck" / "notes"


class NotesError(Exception):
    """A notes template is missing or broken (the CLI reports it and exits 2)."""


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
        paths = [str(override)] if override is not None else []
        paths.append(str(NOTES_DIR))
        # Sandboxed: a notes template (--notes DIR may come from anyone) can read what it
        # is given, not reach Python internals (`''.__class__.__mro__`) or the machine.
        self._env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(paths),
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
        except jinja2.TemplateNotFound as exc:
            raise NotesError(f"notes template {name} not found") from exc
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
