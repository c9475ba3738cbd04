"""Batches for the commands that write outputs: many files, `-j N` processes, skip up to date.

A command describes its work as a `BatchSpec`: a module-level `build(path, options)` that
loads one definition (through `load_for_output`, so findings print and errors exit 1 as
usual) and returns `{file name: content}`, the options that shape the outputs, and the
output directory. `run_batch` then, for each input:

- skips it when it is up to date: for this input (its resolved path), the content hash of
  the input, the tool version, the command, its options and any extra files (a template)
  match what the cache file in the output directory recorded, and every output it wrote is
  still the very file it wrote (same inode, size and mtime: another input or another batch
  that wrote the same name since makes it stale); `--force-all` rebuilds anyway;
- otherwise builds it, in this process or in a pool of `-j N` processes, capturing what
  the build prints so messages come out whole and in input order;
- writes the outputs atomically from this process, refusing to let two inputs of one batch
  write the same file.

It shows a progress bar when stdout is a terminal and the batch is large, and ends with a
summary line. The exit code is the worst of the files' (0 ok, 1 errors, 2 usage problems).
A build that must write its outputs and still fail (audit's report on a definition with
errors) raises `ExitAfterWriting`; such a file is never recorded as up to date, so the
next run fails again rather than skipping it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from escalation_charts import __version__
from escalation_charts.cli._common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    STDIN,
    fail_usage,
    quiet_option,
    say,
    say_block,
    shown,
    write_outputs,
)
from escalation_charts.cli._inputs import expand_inputs
from escalation_charts.cli._pipe import emit, is_stdout
from escalation_charts.cli._write import OutputError, write_all
from escalation_charts.frozen import Frozen
from escalation_charts.frozen import set_field as _set
from escalation_charts.layout.engine import GraphvizError
from escalation_charts.reading.loader import MAX_FILE_BYTES, open_definition

__all__ = [
    "CACHE_NAME",
    "LARGE_BATCH",
    "BatchSpec",
    "ExitAfterWriting",
    "Outcome",
    "batch_options",
    "expand_inputs",
    "run_batch",
    "run_command",
    "warm_graphviz",
]

CACHE_NAME = ".escalation-charts-cache.json"
LARGE_BATCH = 20  # from this many files to build, a terminal gets a progress bar
_CACHE_FORMAT = 2  # 2: outputs are {name: [inode, size, mtime_ns]}

Builder = Callable[[str, Mapping[str, Any]], Mapping[str, bytes | str]]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(init=False, repr=False, eq=False)
class BatchSpec(Frozen):
    """What one command does to each input of a batch.

    `build` must be a module-level function (worker processes import it by name);
    `options` must be JSON-serialisable and hold everything that changes the outputs, since
    it is part of the up-to-date key; `depends` are files whose content matters too.
    `prepare` runs once before the first build made in this process, and only when one is
    to be made: `matrix` and `export` start Graphviz warming there when a format needs it
    (`render` and `slides` always draw: theirs starts as the command is looked up).
    """

    command: str
    build: Builder
    options: Mapping[str, Any]
    out_dir: Path
    depends: tuple[Path, ...] = ()
    prepare: Callable[[], None] | None = None

    def __init__(
        self,
        command: str,
        build: Builder,
        options: Mapping[str, Any],
        out_dir: Path,
        depends: tuple[Path, ...] = (),
        prepare: Callable[[], None] | None = None,
    ) -> None:
        _set(self, "command", command)
        _set(self, "build", build)
        _set(self, "options", options)
        _set(self, "out_dir", out_dir)
        _set(self, "depends", depends)
        _set(self, "prepare", prepare)


@dataclass(init=False, repr=False, eq=False)
class Outcome(Frozen):
    """What building one input gave: its exit code, what it printed, and its outputs."""

    path: str
    code: int
    stdout: str = ""
    stderr: str = ""
    outputs: Mapping[str, bytes | str] = field(default_factory=dict)

    def __init__(
        self,
        path: str,
        code: int,
        stdout: str = "",
        stderr: str = "",
        outputs: Mapping[str, bytes | str] | None = None,
    ) -> None:
        _set(self, "path", path)
        _set(self, "code", code)
        _set(self, "stdout", stdout)
        _set(self, "stderr", stderr)
        _set(self, "outputs", {} if outputs is None else outputs)


class ExitAfterWriting(SystemExit):
    """Raised by a build whose outputs are written although the file fails with `code`."""

    def __init__(self, code: int, outputs: Mapping[str, bytes | str]) -> None:
        super().__init__(code)
        self.outputs = outputs


def batch_options(command: F) -> F:
    """Add `-j/--jobs`, `--force-all`, `--watch` and `--quiet` to a command that writes
    outputs."""
    command = quiet_option(command)
    command = click.option(
        "--watch",
        is_flag=True,
        help="Keep running: rebuild a file's outputs each time it is saved (and new files "
        "in a given directory); findings are printed each time. Ctrl-C stops.",
    )(command)
    command = click.option(
        "--force-all",
        is_flag=True,
        help="Rebuild every output, even those already up to date.",
    )(command)
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=0),
        default=1,
        show_default=True,
        metavar="N",
        help="Build N files at once, in separate processes (0: one per CPU).",
    )(command)


def run_command(
    spec: BatchSpec, args: Sequence[str], *, jobs: int, force_all: bool, watch: bool
) -> NoReturn:
    """Expand the arguments, build (or watch and rebuild), and exit with the batch's code.

    `-` among the inputs is standard input, read once and built here (never cached);
    `-o -` sends the one output to standard output."""
    inputs = expand_inputs(args)
    if watch and (STDIN in inputs or is_stdout(spec.out_dir)):
        fail_usage(f"{spec.command} --watch needs files to watch and an output directory, not -")
    if is_stdout(spec.out_dir):
        sys.exit(_to_stdout(spec, inputs))
    if STDIN in inputs:
        jobs = 1  # standard input is this process's: its build cannot go to a worker
    if watch:
        from escalation_charts.cli._watch import watch as watch_inputs

        def rebuild(paths: list[str]) -> int:
            return run_batch(spec, paths, jobs=jobs, force_all=force_all)

        watch_inputs(args, rebuild, first=inputs)
        sys.exit(EXIT_OK)
    sys.exit(run_batch(spec, inputs, jobs=jobs, force_all=force_all))


def _to_stdout(spec: BatchSpec, inputs: Sequence[str]) -> int:
    """Build the one input and write its one output to standard output; what the build
    says goes to standard error, so the pipe carries only the file."""
    if len(inputs) != 1:
        fail_usage(
            f"{spec.command} -o -: standard output takes one definition's output, "
            f"{len(inputs)} definitions were given; give -o a directory"
        )
    if spec.prepare is not None:
        spec.prepare()
    outcome = _build_one(spec.build, inputs[0], dict(spec.options))
    say(outcome.stdout + outcome.stderr, nl=False, err=True)
    if outcome.outputs:
        emit(spec.command, outcome.outputs)
    return outcome.code


def run_batch(
    spec: BatchSpec, inputs: Sequence[str], *, jobs: int = 1, force_all: bool = False
) -> int:
    """Build every input that is not up to date; returns the worst exit code."""
    cache = _Cache.load(spec.out_dir)
    base = _key_base(spec)
    todo: list[tuple[str, str]] = []
    codes: list[int] = []
    fresh = 0
    for path in inputs:
        if path == STDIN:  # read once, by the build: never up to date, never recorded
            todo.append((path, ""))
            continue
        try:
            key = _key(base, _head(path))
        except OSError as exc:
            say(f"escalation-charts: error: {path}: cannot read: {exc.strerror or exc}", err=True)
            codes.append(EXIT_USAGE)
            continue
        if not force_all and cache.is_fresh(spec.command, path, key):
            fresh += 1
        else:
            todo.append((path, key))
    show_bar = len(todo) >= LARGE_BATCH and sys.stdout.isatty()
    messages: list[tuple[str, bool]] = []  # held back while the progress bar is drawn
    claimed: dict[Path, str] = {}
    with contextlib.ExitStack() as stack:
        # Closing the generator stops the worker pool, also on Ctrl-C.
        outcomes = stack.enter_context(
            contextlib.closing(_execute(spec, [path for path, _ in todo], jobs))
        )
        bar = None
        if show_bar:
            bar = stack.enter_context(click.progressbar(length=len(todo), label=spec.command))
        for (_, key), outcome in zip(todo, outcomes, strict=True):
            code = _finish(spec, inputs, outcome, key, cache, claimed, messages, quiet=show_bar)
            codes.append(code)
            if bar is not None:
                bar.update(1)
            else:
                _flush(messages)
    _flush(messages)
    cache.save()
    failed = sum(code != EXIT_OK for code in codes)
    written = len(set(claimed.values()))  # an audit that fails is written and failed
    if len(inputs) == 1 and fresh:
        say(f"{inputs[0]}: up to date (--force-all rebuilds it)")
    elif len(inputs) > 1:
        say(
            f"{spec.command}: {len(inputs)} files: {written} built, {fresh} up to date, "
            f"{failed} failed"
        )
    return max(codes, default=EXIT_OK)


def _finish(
    spec: BatchSpec,
    inputs: Sequence[str],
    outcome: Outcome,
    key: str,
    cache: _Cache,
    claimed: dict[Path, str],
    messages: list[tuple[str, bool]],
    *,
    quiet: bool,
) -> int:
    """Print what one build said, write its outputs and record them; returns its code."""
    messages += [(outcome.stdout, False), (outcome.stderr, True)]
    if not outcome.outputs:
        cache.forget(spec.command, outcome.path)
        return outcome.code
    targets = {spec.out_dir / name: data for name, data in outcome.outputs.items()}
    clash = next((t for t in targets if claimed.get(t, outcome.path) != outcome.path), None)
    if clash is not None:
        messages.append(
            (
                f"escalation-charts: error: {outcome.path} and {claimed[clash]} both write "
                f"{clash}; give the processes different ids or separate output directories\n",
                True,
            )
        )
        return EXIT_USAGE
    printed = io.StringIO()
    stats: dict[Path, os.stat_result] = {}
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            # every input is protected, the --template and --notes files as much as FILEs
            write_outputs(targets, [*inputs, *map(str, spec.depends)], stats=stats)
    except SystemExit as exc:  # write_outputs stops on a write failure; a batch goes on
        messages.append((printed.getvalue(), True))
        cache.forget(spec.command, outcome.path)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if not quiet:
        messages.append((printed.getvalue(), False))
    claimed.update(dict.fromkeys(targets, outcome.path))
    if outcome.code != EXIT_OK:  # written but failed: never skipped as up to date
        cache.forget(spec.command, outcome.path)
        return outcome.code
    if outcome.path == STDIN:
        return EXIT_OK
    cache.record(spec.command, outcome.path, key, {t.name: st for t, st in stats.items()})
    return EXIT_OK


def _flush(messages: list[tuple[str, bool]]) -> None:
    for text, err in messages:
        if text:
            say_block(text, nl=False, err=err)
    messages.clear()


# -- building, here or in worker processes ------------------------------------------------


def warm_graphviz() -> None:
    """A `BatchSpec.prepare` for commands that draw with Graphviz: its worker starts up on
    the other core while the first definition is read and checked (`layout.engine`)."""
    from escalation_charts.layout.engine import prepare

    prepare()


def _execute(spec: BatchSpec, paths: list[str], jobs: int) -> Iterator[Outcome]:
    """Outcomes in input order, built here or by a pool of `jobs` processes."""
    work = partial(_build_one, spec.build, options=dict(spec.options))
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    if workers <= 1:
        if spec.prepare is not None and paths:
            spec.prepare()
        yield from map(work, paths)
        return
    # imported here: multiprocessing costs every single-file command 15 ms at start-up
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
    try:
        yield from pool.map(work, paths, chunksize=max(1, len(paths) // (workers * 8)))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_init() -> None:
    # Ctrl-C goes to the whole process group; the parent handles it and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A fork inherits the parent's handler (`_signals`): a worker writes no file, and a
    # SIGTERM to it alone should end it, not raise in the middle of a build.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _build_one(build: Builder, path: str, options: Mapping[str, Any]) -> Outcome:
    """Run one build with its output captured; `sys.exit` in it (errors, usage) is its code."""
    out, err = io.StringIO(), io.StringIO()
    code, outputs = EXIT_OK, {}
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            outputs = dict(build(path, options))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else EXIT_ERRORS
            if isinstance(exc, ExitAfterWriting):
                outputs = dict(exc.outputs)
        except GraphvizError as exc:  # Graphviz ran out of memory or died: this file only
            err.write(shown(f"escalation-charts: error: {path}: {exc}") + "\n")
            code = EXIT_USAGE
    return Outcome(path, code, out.getvalue(), err.getvalue(), outputs)


# -- the up-to-date cache -----------------------------------------------------------------


def _key_base(spec: BatchSpec) -> Any:
    digest = hashlib.sha256()
    for part in ("escalation-charts", __version__, spec.command):
        digest.update(part.encode() + b"\0")
    digest.update(json.dumps(spec.options, sort_keys=True, default=str).encode() + b"\0")
    for dep in spec.depends:
        try:
            digest.update(hashlib.sha256(dep.read_bytes()).digest())
        except OSError as exc:
            fail_usage(f"{dep}: cannot read: {exc.strerror}")
    return digest


def _head(path: str) -> bytes:
    """The input as the loader reads it: at most one byte past its size limit, so a huge
    file (or /dev/zero) is refused by the loader instead of filling memory here."""
    with open_definition(path) as handle:  # a FIFO is refused, not waited on
        return handle.read(MAX_FILE_BYTES + 1)


def _key(base: Any, data: bytes) -> str:
    digest = base.copy()
    digest.update(data)
    return str(digest.hexdigest())


def _identity(st: os.stat_result) -> list[int]:
    """What tells one written file from another one written under the same name later."""
    return [st.st_ino, st.st_size, st.st_mtime_ns]


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive `flock` on the output directory itself (no lock file to leave
    behind), so two batches saving their caches into it take turns. Where locking is not
    available (no fcntl, a file system without flock) it goes on unlocked: the worst that
    can then happen is a lost entry, which only makes the next run rebuild that file."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@dataclass(init=False, repr=False, eq=False)
class _Cache:
    """What was built from which input, kept in CACHE_NAME in the output directory.

    An entry is keyed by command and resolved input path and holds the build's key and,
    for each output, the identity of the file written (`_identity`). Saving merges this
    run's changes into the file as it is then, under a lock: a concurrent batch into the
    same directory keeps its entries.
    """

    path: Path
    entries: dict[str, dict[str, Any]]
    changes: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    def __init__(
        self,
        path: Path,
        entries: dict[str, dict[str, Any]],
        changes: dict[str, dict[str, Any] | None] | None = None,
    ) -> None:
        self.path = path
        self.entries = entries
        self.changes = {} if changes is None else changes

    @classmethod
    def load(cls, out_dir: Path) -> _Cache:
        return cls(out_dir / CACHE_NAME, cls._read(out_dir / CACHE_NAME))

    @staticmethod
    def _read(path: Path) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["entries"] if data.get("format") == _CACHE_FORMAT else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}  # missing or damaged: everything is simply rebuilt
        return entries if isinstance(entries, dict) else {}

    @staticmethod
    def _id(command: str, path: str) -> str:
        return f"{command} {Path(path).resolve()}"

    def is_fresh(self, command: str, path: str, key: str) -> bool:
        entry = self.entries.get(self._id(command, path))
        if not isinstance(entry, dict) or entry.get("key") != key:
            return False
        outputs = entry.get("outputs")
        if not isinstance(outputs, dict) or not outputs:
            return False
        for name, identity in outputs.items():
            try:
                st = (self.path.parent / name).stat()
            except (OSError, TypeError, ValueError):
                return False
            if identity != _identity(st):
                return False
        return True

    def record(
        self, command: str, path: str, key: str, outputs: Mapping[str, os.stat_result]
    ) -> None:
        entry = {"key": key, "outputs": {n: _identity(st) for n, st in sorted(outputs.items())}}
        self.entries[self._id(command, path)] = entry
        self.changes[self._id(command, path)] = entry

    def forget(self, command: str, path: str) -> None:
        ident = self._id(command, path)
        if self.entries.pop(ident, None) is not None or ident in self.changes:
            self.changes[ident] = None

    def save(self) -> None:
        """Merge this run's changes into the cache file as it is now, and write it
        atomically, all under the directory's lock."""
        if not self.changes:
            return
        try:
            with _locked(self.path.parent):
                entries = self._read(self.path)
                for ident, entry in self.changes.items():
                    if entry is None:
                        entries.pop(ident, None)
                    else:
                        entries[ident] = entry
                data = {"format": _CACHE_FORMAT, "tool": "escalation-charts", "entries": entries}
                write_all({self.path: json.dumps(data, indent=1, sort_keys=True) + "\n"})
                self.entries = entries
        except OutputError as exc:  # outputs are written; only the next run gets slower
            say(f"escalation-charts: warning: cannot save {self.path.name}: {exc}", err=True)
        self.changes = {}
