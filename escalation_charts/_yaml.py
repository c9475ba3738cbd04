"""Strict, safe YAML composition: a node tree with positions and nothing constructed.

We compose nodes with libyaml and never construct Python objects from tags, so no tag can
build an object. Typing is left to the schema (`yes` stays the string the user wrote), nesting
depth is bounded before libyaml's recursive composer could exhaust the C stack, and alias
expansion is measured before anything walks the tree.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .findings import Pos

try:  # libyaml is bundled with PyYAML's wheels; the pure-Python parser is the fallback.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - only without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


__all__ = ["MAX_DEPTH", "MAX_NODES", "ComposeError", "compose", "node_pos"]

MAX_DEPTH = 64
MAX_NODES = 2_000_000


class ComposeError(Exception):
    """The text is not YAML we will read; `pos` is where the problem is."""

    def __init__(self, message: str, pos: Pos) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


class _TooDeep(Exception):
    pass


class _StrictParser(_Parser):  # type: ignore[misc, valid-type]
    """libyaml's composer with resolution switched off and a nesting bound."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        # Types come from the schema, so every untagged node stays untyped.
        return ""

    def descend_resolver(self, parent: object, index: object) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooDeep(parent)

    def ascend_resolver(self) -> None:
        self._depth -= 1


def node_pos(node: Node) -> Pos:
    """The 1-based position where a node starts."""
    mark = node.start_mark
    return Pos(mark.line + 1, mark.column + 1)


def compose(text: str) -> Node | None:
    """Compose one YAML document into nodes; None for an empty document."""
    parser = _StrictParser(text)
    try:
        node = parser.get_single_node()
    except _TooDeep as exc:
        where = exc.args[0]
        pos = node_pos(where) if isinstance(where, Node) else Pos(1, 1)
        raise ComposeError(
            f"the document nests deeper than {MAX_DEPTH} levels", pos
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Pos(mark.line + 1, mark.column + 1) if mark else Pos(1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.context}, {exc.problem}"
        raise ComposeError(problem, pos) from None
    except yaml.YAMLError as exc:
        raise ComposeError(f"invalid YAML: {exc}", Pos(1, 1)) from None
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()
    if node is not None and "&" in text:
        _check_expansion(node)
    return node


def _check_expansion(root: Node) -> None:
    """Refuse alias cycles and documents whose aliases expand past MAX_NODES (billion laughs)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise ComposeError("an alias refers to a node that contains it", node_pos(node))
        total = 1
        if isinstance(node, SequenceNode | MappingNode):
            active.add(key)
            children = (
                node.value
                if isinstance(node, SequenceNode)
                else [n for pair in node.value for n in pair]
            )
            for child in children:
                total += size(child)
                if total > MAX_NODES:
                    raise ComposeError(
                        f"aliases expand this document past {MAX_NODES:,} values", node_pos(node)
                    )
            active.discard(key)
        sizes[key] = total
        return total

    size(root)


def is_scalar(node: Node) -> bool:
    return isinstance(node, ScalarNode)
