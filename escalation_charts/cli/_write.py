"""Atomic output: write to a temporary file in the target directory, then rename.

A reader never sees a half-written file, and a failed run leaves the previous output intact
and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["OutputError", "write_all", "write_atomic"]


class OutputError(Exception):
    """An output could not be written (the CLI turns this into exit 2)."""


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write `data` to `path` atomically; str is written as UTF-8."""
    return write_all({Path(path): data})[0]


def write_all(
    outputs: dict[Path, bytes | str], stats: dict[Path, os.stat_result] | None = None
) -> list[Path]:
    """Write several outputs as one step: all temp files first, then all renames.

    If anything fails before the renames, no output is touched; the renames themselves are
    each atomic, so every file is always either the old or the new version. `stats`, when
    given, gets each target's `fstat` as written (the rename keeps inode, size and mtime):
    what the up-to-date cache recognises the file by, taken from the file itself, so a
    concurrent writer of the same name cannot slip its file in between.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in sorted(outputs.items()):
            payload = data.encode("utf-8") if isinstance(data, str) else data
            try:
                fd, tmp = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
                )
            except OSError as exc:
                raise OutputError(f"cannot write to {target.parent}: {exc.strerror}") from exc
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                if stats is not None:
                    stats[target] = os.fstat(handle.fileno())
            os.chmod(tmp, 0o644)
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"cannot write output: {exc.strerror or exc}") from exc
        raise
    return [target for _, target in staged]
