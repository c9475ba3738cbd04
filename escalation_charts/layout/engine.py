"""Every call into the Graphviz engine (pygraphviz, in-process) lives here.

The rest of the package builds DOT text with pure functions and hands it to `lay_out`
(positions from a layout engine) or `render` (bytes in an output format). pygraphviz is
imported lazily so that importing the package, or running `--help`, stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["GraphvizError", "LaidOut", "last_messages", "lay_out", "render"]

_messages: list[str] = []
_handler: Any = None  # the ctypes callback; kept alive for as long as Graphviz may call it


class GraphvizError(RuntimeError):
    """Graphviz refused a graph or a format (a bug in the DOT we built, or a broken install)."""


@dataclass(frozen=True)
class LaidOut:
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
def _quiet() -> Iterator[None]:
    """Collect Graphviz's warnings instead of letting them reach the user's terminal.

    Graphviz prints warnings from C straight to stderr; cgraph's `agseterrf` hands them to
    a callback instead. The fontconfig bundled in the wheels also complains on stderr about
    newer system configuration files it does not understand, which says nothing about the
    chart, so while Graphviz runs stderr (file descriptor 2) is muted. Where the bundled
    library cannot be found, nothing is captured or muted.
    """
    global _handler
    _messages.clear()
    if _handler is None:
        _handler = _install_handler() or False
    if not _handler:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


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
    with _quiet():
        return _lay_out(dot, prog)


def _lay_out(dot: str, prog: str) -> LaidOut:
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
    return LaidOut(nodes, edges, (x0, y0, x1, y1))


def render(dot: str, formats: list[str], prog: str = "nop2") -> dict[str, bytes]:
    """Lay out DOT text once with `prog` and render it in each Graphviz output format."""
    with _quiet():
        return _render(dot, formats, prog)


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
