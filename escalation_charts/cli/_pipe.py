"""`-o -`: one command's single output written to standard output, for pipes.

Only a run that gives exactly one file can go to standard output (`render x.yaml -f svg
-o -`); several files (more formats, more definitions) are refused with the reason, and so
is a binary file (PPTX, PNG, PDF) when standard output is a terminal, where it would only
garble the screen. Everything else the command says goes to standard error.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from escalation_charts.cli._common import STDOUT_DIR, fail_usage

__all__ = ["emit", "is_stdout"]


def is_stdout(out_dir: Path) -> bool:
    """True when the command was told `-o -` (the very object `output_dir` returns for it:
    a directory the user names `./-` is a directory)."""
    return out_dir is STDOUT_DIR


def emit(command: str, outputs: Mapping[str, bytes | str]) -> None:
    """Write the one output to standard output, or stop with a usage error (exit 2)."""
    if len(outputs) != 1:
        names = ", ".join(sorted(outputs)) or "none"
        fail_usage(
            f"{command} -o -: standard output takes one file, this gives {len(outputs)} "
            f"({names}); choose one format with -f, or give -o a directory"
        )
    [(name, data)] = outputs.items()
    body = data.encode("utf-8") if isinstance(data, str) else data
    if _terminal() and not _is_text(body):
        fail_usage(
            f"{command} -o -: {name} is binary; redirect standard output to a file or a "
            "pipe (> file), or give -o a directory"
        )
    sys.stdout.buffer.write(body)
    sys.stdout.buffer.flush()


def _is_text(body: bytes) -> bool:
    """UTF-8 without NUL bytes: what a terminal can show."""
    if b"\0" in body:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _terminal() -> bool:
    """True when standard output is a terminal (a function, so tests can say so)."""
    return sys.stdout.isatty()
