"""Atomic output: write to a temporary file in the target directory, then rename.

A reader never sees a half-written file, and a failed or interrupted run leaves the
previous output intact and no temporary file behind: an exception removes the staged
files, and SIGINT/SIGTERM remove them in `_signals`' handler. A run killed outright
(SIGKILL, a power cut) cannot clean up; its temporary file `.<name>.<pid>.<random>.tmp`
names the process that wrote it, and the next write into that directory removes it once
that process is gone (or, whatever the pid says, once it is `STALE_AFTER` seconds old: a
pid can be reused).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path

from escalation_charts.cli import _signals

__all__ = ["STALE_AFTER", "OutputError", "write_all", "write_atomic"]

STALE_AFTER = 3600.0  # seconds: no single write takes an hour
# Ours: `.<name>.<pid>.<8 random>.tmp`; before pids were recorded, `.<name>.<8 random>.tmp`.
_TEMP = re.compile(r"\.(?:.+\.(?P<pid>[0-9]+)|.+)\.[a-z0-9_]{8}\.tmp")
_swept: set[Path] = set()


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
            _sweep(target.parent)
            try:
                fd, tmp = _stage(target)
            except OSError as exc:
                raise OutputError(f"cannot write to {target.parent}: {exc.strerror}") from exc
            _signals.register(tmp)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                if stats is not None:
                    stats[target] = os.fstat(handle.fileno())
            os.chmod(tmp, 0o644)
        for tmp, target in staged:
            os.replace(tmp, target)
            _signals.unregister(tmp)
    except BaseException as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            _signals.unregister(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"cannot write output: {exc.strerror or exc}") from exc
        raise
    return [target for _, target in staged]


# What tempfile.mkstemp does for us, without importing it: tempfile brings shutil, random,
# bz2 and lzma, ~3 ms of every cold command that writes a file (issue 18).
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_EXCLUSIVE |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _stage(target: Path) -> tuple[int, str]:
    """A new, private file `.<name>.<pid>.<8 random>.tmp` beside `target`, opened for
    writing: created exclusively (never someone else's file or link), mode 0600."""
    for _ in range(99):
        with contextlib.suppress(FileExistsError):
            return _open_new(target)
    return _open_new(target)  # a hundred taken names: its error says what is going on


def _open_new(target: Path) -> tuple[int, str]:
    tmp = str(target.parent / f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    return os.open(tmp, _EXCLUSIVE, 0o600), tmp


def _sweep(directory: Path) -> None:
    """Remove the temporary files that earlier runs killed outright left in `directory`
    (once per directory and process: a batch writes many files into one)."""
    if directory in _swept:
        return
    _swept.add(directory)
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(directory) as entries:
        for entry in entries:
            match = _TEMP.fullmatch(entry.name)
            if match is None or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                pid = match.group("pid")
                old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
                if old or (pid is not None and not _alive(int(pid))):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    """Whether a process `pid` exists (this one included); unknowable counts as alive."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or no such check here: keep its file
    return True
