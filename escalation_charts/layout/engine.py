"""Every call into the Graphviz engine (pygraphviz, in-process) lives here.

The rest of the package builds DOT text with pure functions and hands it to `lay_out`
(positions from a layout engine) or `render` (bytes in an output format). pygraphviz is
imported lazily so that importing the package, or running `--help`, stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, BinaryIO, NamedTuple, NoReturn, TypeVar

__all__ = [
    "GraphvizError",
    "GraphvizStopped",
    "LaidOut",
    "last_messages",
    "lay_out",
    "prepare",
    "render",
]

T = TypeVar("T")

_messages: list[str] = []
_handler: Any = None  # the ctypes callback; kept alive for as long as Graphviz may call it


class GraphvizError(RuntimeError):
    """Graphviz refused a graph or a format (a bug in the DOT we built, or a broken install)."""


class GraphvizStopped(GraphvizError):
    """Graphviz ended its process (out of memory, a crash): its words, for one line, exit 2."""


class LaidOut(NamedTuple):
    """What a layout engine decided, as Graphviz writes it: points, origin bottom-left.

    `nodes` maps a node name to (x, y, width, height) of its centre and size; `edges` maps an
    edge's `id` attribute to its attributes `pos`, `lp`, `xlp` (absent when not set).
    """

    nodes: dict[str, tuple[float, float, float, float]]
    edges: dict[str, dict[str, str]]
    bb: tuple[float, float, float, float]


def last_messages() -> list[str]:
    """The warnings Graphviz gave during the last `lay_out` or `render` call."""
    return "".join(_messages).splitlines()


@contextlib.contextmanager
def _quiet(target: int | None = None) -> Iterator[None]:
    """Collect Graphviz's warnings instead of letting them reach the user's terminal.

    Graphviz prints warnings from C straight to stderr; cgraph's `agseterrf` hands them to
    a callback instead. The fontconfig bundled in the wheels also complains on stderr about
    newer system configuration files it does not understand, which says nothing about the
    chart, so while Graphviz runs stderr (file descriptor 2) goes to `target` (in a child,
    a file the parent reads when Graphviz dies) or is muted. Where the bundled library
    cannot be found, nothing is captured, and stderr is only redirected into `target`.
    """
    global _handler
    _messages.clear()
    if _handler is None:
        _handler = _install_handler() or False
    if not _handler and target is None:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        if target is None:
            with open(os.devnull, "wb") as devnull:
                os.dup2(devnull.fileno(), 2)
        else:
            os.dup2(target, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def prepare() -> None:
    """Start the Graphviz worker now, while this process still reads and checks the
    definition, and have it warm up on the other core.

    A cold chart's first Graphviz calls pay once for loading pygraphviz, starting
    fontconfig and Pango, and cairo's first PNG (~70 ms of a ~400 ms help-desk render); a
    command that will draw calls this first, so that work overlaps its own imports and
    checks instead of following them. The warm-up is only a head start: a worker still
    warming when the command ends without drawing (outputs up to date, invalid input) is
    killed, not waited for. It never raises: a worker it cannot start (no process or
    descriptor to spare) is left for the first drawing call to report, in the command's
    own words. Where calls run in this process (no `posix_spawn`), it does nothing.
    """
    if not _SPAWN:
        return
    with _ONE_AT_A_TIME:
        try:
            worker = _Worker.get()
        except GraphvizError:  # a head start only: the first real call meets it, and says so
            return
        if worker.calls == 0 and not worker.pending:
            worker.post(partial(_warm, _WARM_DOT))


def _isolated(work: Callable[[], T]) -> T:
    """Run one Graphviz call in the Graphviz worker process and return its result.

    Graphviz handles running out of memory (and some internal errors) by printing a line on
    stderr and calling `exit(1)`, which would end this process with no word from us: under
    `ulimit -v` a valid definition exited 1 silently, which CI reads as "the definition has
    errors". In the worker, that exit (or a kill by the kernel) becomes `GraphvizStopped`
    with Graphviz's own words, and the caller says it in one line with exit 2. Where a
    process cannot be spawned (no `posix_spawn`: Windows), the call runs here.

    One worker serves every call of a run (`_Worker`): a child per call started fontconfig,
    Pango and cairo afresh each time, four times for one chart (a cold help-desk render
    spent 390 ms in Graphviz children against 190 ms in one process). `work` is a `partial`
    of a module-level function whose arguments and result `marshal` can carry (str, bytes,
    numbers, lists, tuples, dicts): marshal is built in, where pickle is a module to compile.
    pygraphviz is loaded by the worker, not here: this process never needs it.
    """
    global _handler
    if not _SPAWN:
        _load_graphviz()
        if _handler is None:
            _handler = _install_handler() or False
        with _quiet():
            return work()
    with _ONE_AT_A_TIME:  # one pipe, one conversation: a thread waits for its turn
        outcome, value, messages = _Worker.get().call(work)
    _messages[:] = messages
    if outcome == "error":
        raise GraphvizError(value)
    return value  # type: ignore[no-any-return]


def _load_graphviz() -> None:
    try:
        import pygraphviz  # noqa: F401
        from pygraphviz import graphviz  # noqa: F401
    except (ImportError, OSError) as exc:
        raise GraphvizError(f"cannot load Graphviz (pygraphviz): {exc}") from exc


# The chart's own fonts (layout.bands.FONT, BOLD_FONT; a test keeps them equal), so the
# warm-up also leaves fontconfig's match for them cached.
_WARM_DOT = """digraph warm {
  graph [dpi=96, fontname="Arial"];
  node [fontname="Arial"];
  a [label="Warm up"];
  b [label="fonts", fontname="Arial Bold"];
  a -> b [label="after 1h", fontname="Arial"];
}"""


def _warm(dot: str) -> None:
    """The worker's head start (see `prepare`): a tiny chart laid out and drawn as SVG and
    PNG. Best effort: a failure here is left for the real call to meet and report."""
    with contextlib.suppress(Exception):
        _render(dot, ["svg", "png:cairo"], "dot")


_SPAWN = hasattr(os, "posix_spawn") and bool(sys.executable)
_ONE_AT_A_TIME = threading.Lock()
# The worker's whole program: this module's `_serve` on the two pipe ends it is given, with
# this process's import path (a test's or an embedding's additions included).
_WORKER_CODE = (
    "import sys; sys.path[:] = {path!r}; "
    "from escalation_charts.layout.engine import _serve; _serve({reader}, {writer}, 2)"
)


class _Worker:
    """A process of its own that runs Graphviz calls sent over a pipe, one at a time, until
    the pipe to it closes (this process ended) or Graphviz ends it.

    Spawned, not forked: a worker forked as the command was looked up made the command's
    own path ~40 ms slower here (measured, cause not pinned down: the page-fault counts did
    not change); a fresh interpreter shares no memory with this process and starts up on
    the other core.
    """

    _current: _Worker | None = None
    _atexit = False
    MAX_CALLS = 200  # then a fresh one: a long `--watch` session never grows one forever

    def __init__(self) -> None:
        # the worker's stderr, read when it dies; open for as long as the worker lives
        self.errors = _anonymous_file()
        to_child, self.writer = os.pipe()
        self.reader, from_child = os.pipe()
        # only the worker's two ends cross over, above 0-2 (which may be free here: a
        # command run with stdin closed); its stdout and stderr are the errors file
        to_child, from_child = _above_stdio(to_child), _above_stdio(from_child)
        os.set_inheritable(to_child, True)
        os.set_inheritable(from_child, True)
        code = _WORKER_CODE.format(path=sys.path, reader=to_child, writer=from_child)
        try:
            self.pid = os.posix_spawn(
                sys.executable,
                [sys.executable, "-c", code],
                os.environ,
                file_actions=[  # in this order: the errors file may itself be 0, 1 or 2
                    (os.POSIX_SPAWN_DUP2, self.errors.fileno(), 1),
                    (os.POSIX_SPAWN_DUP2, self.errors.fileno(), 2),
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                ],
            )
        except OSError:
            os.close(self.writer)
            os.close(self.reader)
            self.errors.close()
            raise
        finally:
            os.close(to_child)
            os.close(from_child)
        self.owner = os.getpid()
        self.calls = 0
        self.pending = 0  # replies to `post`ed calls not read yet
        if not _Worker._atexit:  # reap it at exit, so its CPU time is counted as ours
            import atexit

            atexit.register(_Worker.stop)
            _Worker._atexit = True

    @classmethod
    def get(cls) -> _Worker:
        worker = cls._current
        if worker is None or worker.owner != os.getpid() or worker.calls >= cls.MAX_CALLS:
            # (inherited by a forked process, `-j N`: that one is its parent's to use)
            cls.stop()
            try:
                worker = cls._current = cls()
            except OSError as exc:  # no process or descriptor to spare: say so, not a bug
                why = exc.strerror or str(exc)
                raise GraphvizError(f"cannot start Graphviz's process: {why}") from None
        return worker

    @classmethod
    def stop(cls) -> None:
        """End the current worker, if any (it exits when its pipe closes)."""
        worker, cls._current = cls._current, None
        if worker is not None:
            worker.close()
            if worker.owner == os.getpid():
                if worker.pending:  # still warming up, maybe: nothing it makes is wanted
                    with contextlib.suppress(OSError):
                        os.kill(worker.pid, 9)  # SIGKILL
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(worker.pid, 0)

    def post(self, work: Callable[[], Any]) -> None:
        """Send `work` without waiting for it: its reply is read, and dropped, before the
        next `call`'s (the worker answers in order)."""
        _send(self.writer, _request(work))
        self.pending += 1

    def call(self, work: Callable[[], Any]) -> tuple[str, Any, list[str]]:
        import marshal

        self.calls += 1
        try:
            _send(self.writer, _request(work))
            while self.pending:  # a posted warm-up: it cannot fail (see `_warm`)
                if _receive(self.reader) is None:
                    break
                self.pending -= 1
            data = _receive(self.reader)
        except BrokenPipeError:
            data = None
        except BaseException:  # interrupted here: the worker's drawing is not wanted now
            _Worker._current = None
            with contextlib.suppress(OSError):
                os.kill(self.pid, 9)  # SIGKILL
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.close()
            raise
        if data is None:  # Graphviz ended the worker: say why, and start afresh next time
            _Worker._current = None
            _, status = os.waitpid(self.pid, 0)
            self.errors.seek(0)
            said = self.errors.read()
            self.close()
            raise GraphvizStopped(_why(said, status))
        return marshal.loads(data)  # type: ignore[no-any-return]

    def close(self) -> None:
        for fd in (self.writer, self.reader):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.errors.close()


def _above_stdio(fd: int) -> int:
    """`fd`, or a copy of it numbered 3 or more (the original closed)."""
    if fd > 2:
        return fd
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    os.close(fd)
    return high


def _anonymous_file() -> BinaryIO:
    """A read-write file with no name: in memory where the system offers it (Linux's
    memfd), else a temporary file (tempfile is ~3 ms of imports a cold command skips)."""
    if hasattr(os, "memfd_create"):
        with contextlib.suppress(OSError):
            return os.fdopen(os.memfd_create("graphviz-stderr", os.MFD_CLOEXEC), "w+b")
    import tempfile

    return tempfile.TemporaryFile()


def _request(work: Callable[[], Any]) -> bytes:
    """`work` (a `partial` of a module-level function) as the worker reads it."""
    import marshal

    function = getattr(work, "func", work)
    return marshal.dumps(
        (
            function.__module__,
            function.__qualname__,
            tuple(getattr(work, "args", ())),
            dict(getattr(work, "keywords", {})),
        )
    )


def _send(fd: int, payload: bytes) -> None:
    view = memoryview(len(payload).to_bytes(8, "big") + payload)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int) -> bytes | None:
    """One message from `fd`, or None at end of file (the other side is gone)."""
    head = _read_exactly(fd, 8)
    return None if head is None else _read_exactly(fd, int.from_bytes(head, "big"))


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _serve(reader: int, writer: int, errors: int) -> NoReturn:
    """The worker's loop: each call with stderr captured (emptied first, so Graphviz's last
    words are this call's), its result sent back; exit when the parent is gone."""
    import importlib
    import marshal
    import signal

    # The parent's handlers (the CLI's SIGINT/SIGTERM cleanup) are not the worker's: a
    # signal ends the worker as it would any program, and the parent, which gets Ctrl-C
    # too, reports the interrupt itself.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    code = 0
    try:
        while (request := _receive(reader)) is not None:
            os.ftruncate(errors, 0)
            os.lseek(errors, 0, os.SEEK_SET)
            module, name, args, keywords = marshal.loads(request)
            work = getattr(importlib.import_module(module), name)
            try:
                _load_graphviz()
                with _quiet(errors):
                    result: tuple[str, Any, list[str]] = (
                        "ok",
                        work(*args, **keywords),
                        list(_messages),
                    )
            except GraphvizError as exc:
                result = ("error", str(exc), list(_messages))
            _send(writer, marshal.dumps(result))
    except BaseException as exc:  # anything at all: the parent reports a silent exit
        with contextlib.suppress(Exception):
            os.write(errors, f"{type(exc).__name__}: {exc}\n".encode(errors="replace"))
        code = 70
    finally:
        os._exit(code)


def _why(stderr: bytes, status: int) -> str:
    """Graphviz's last words (its own stderr, less fontconfig's noise), or the signal."""
    said = [
        line.strip()
        for line in stderr.decode("utf-8", "replace").splitlines()
        if line.strip() and not line.startswith("Fontconfig")
    ]
    if said:
        reason = said[-1][:200]
    elif os.WIFSIGNALED(status):
        reason = f"killed by signal {os.WTERMSIG(status)}"
    else:
        reason = f"exit status {os.waitstatus_to_exitcode(status)}"
    hint = " (raise the memory limit, or split the process)" if "memory" in reason else ""
    return f"Graphviz stopped while drawing the chart: {reason}{hint}"


def _install_handler() -> Any:
    import ctypes
    import glob

    import pygraphviz

    root = os.path.dirname(os.path.dirname(pygraphviz.__file__))
    found = sorted(glob.glob(os.path.join(root, "pygraphviz.libs", "libcgraph*")))
    if not found:
        return None
    try:
        library = ctypes.CDLL(found[0])
    except OSError:
        return None
    callback_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p)

    def collect(message: bytes) -> int:
        _messages.append(message.decode("utf-8", "replace"))
        return 0

    handler = callback_type(collect)
    library.agseterrf(handler)
    return handler


def _agraph(dot: str) -> Any:
    import pygraphviz

    try:
        return pygraphviz.AGraph(string=dot)
    except Exception as exc:  # pygraphviz raises bare exceptions for parse errors
        raise GraphvizError(f"Graphviz could not read the graph: {exc}") from exc


def lay_out(dot: str, prog: str) -> LaidOut:
    """Run layout engine `prog` (`dot`, `nop2`, ...) on DOT text and read back positions."""
    return LaidOut(*_isolated(partial(_lay_out, dot, prog)))


_Box = tuple[float, float, float, float]


def _lay_out(dot: str, prog: str) -> tuple[dict[str, _Box], dict[str, dict[str, str]], _Box]:
    """`lay_out`'s work, as plain data (what the worker can send back)."""
    graph = _agraph(dot)
    try:
        graph.layout(prog=prog)
    except Exception as exc:
        raise GraphvizError(f"Graphviz layout '{prog}' failed: {exc}") from exc
    nodes = {}
    for node in graph.nodes_iter():
        x, y = (float(v) for v in node.attr["pos"].split(",")[:2])
        nodes[str(node)] = (
            x,
            y,
            float(node.attr["width"]) * 72,
            float(node.attr["height"]) * 72,
        )
    edges = {}
    for edge in graph.edges_iter():
        key = edge.attr.get("id")
        if key:
            edges[key] = {k: edge.attr[k] for k in ("pos", "lp", "xlp") if edge.attr.get(k)}
    x0, y0, x1, y1 = (float(v) for v in graph.graph_attr["bb"].split(","))
    return nodes, edges, (x0, y0, x1, y1)


def render(dot: str, formats: list[str], prog: str = "nop2") -> dict[str, bytes]:
    """Lay out DOT text once with `prog` and render it in each Graphviz output format."""
    return _isolated(partial(_render, dot, formats, prog))


def _render(dot: str, formats: list[str], prog: str) -> dict[str, bytes]:
    from pygraphviz import graphviz as gv

    graph = _agraph(dot)
    context = gv.gvContextWithBuiltins()
    try:
        if gv.gvLayout(context, graph.handle, prog.encode()) != 0:
            raise GraphvizError(f"Graphviz layout '{prog}' failed")
        out: dict[str, bytes] = {}
        try:
            for fmt in formats:
                err, data = gv.gvRenderData(context, graph.handle, fmt.encode())
                if err:
                    raise GraphvizError(f"Graphviz could not render {fmt}")
                out[fmt] = data
        finally:
            gv.gvFreeLayout(context, graph.handle)
    finally:
        gv.gvFreeContext(context)
    return out
