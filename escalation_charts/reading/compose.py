"""Strict, safe YAML composition: a node tree with positions and nothing constructed.

We compose nodes with libyaml and never construct Python objects from tags, so no tag can
build an object. Typing is left to the schema (`yes` stays the string the user wrote), nesting
depth is bounded before libyaml's recursive composer could exhaust the C stack, and the
number of values (aliases expanded) is kept while reading, in the one composing pass
(`counting` says how).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from escalation_charts.findings import Pos

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


__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "ComposeError",
    "compose",
    "may_exceed",
    "may_hold_anchors",
    "node_pos",
]

MAX_DEPTH = 64
MAX_NODES = 2_000_000

# Every node starts at, or right after, one of these: a scalar after a separator or a line
# break, a flow collection at its bracket, a block sequence at `-`, a block mapping at its
# first `:` or `?`, an alias at `*`, an implicit empty value at `:`, `-`, `?` or `,`. So a
# text with K of them holds fewer than 3K + 3 nodes (before aliases are expanded).
_STARTS = "\n:,-[]{}?*"  # the common ones first: a large text crosses the bound early


_AMPERSAND = re.compile(r"&\S")  # an anchor is `&` and its name
# What may stand right before an anchor's `&` besides a space or a line break (or nothing):
# a flow collection's start or `,`, a `?` or `:` (in flow context they need no space
# after them), the `>` that closes a verbatim tag (`!<tag:x>&a`), a byte order mark. After
# anything else the `&` belongs to a scalar or a tag, or libyaml refuses the text there.
_BEFORE_ANCHOR = frozenset("[{,?:>\ufeff")


def may_hold_anchors(text: str) -> bool:
    """False when `text` certainly defines no anchor, so no alias can repeat a node.

    Only an `&` where a node may start counts: "R&D" or "Sales & Marketing" in a label
    does not, so such a file is read as cheaply as one without an `&`.
    """
    for found in _AMPERSAND.finditer(text):
        at = found.start()
        if at == 0 or text[at - 1].isspace() or text[at - 1] in _BEFORE_ANCHOR:
            return True
    return False


def may_exceed(text: str, limit: int) -> bool:
    """False when `text` certainly holds at most `limit` values: then it need not be counted
    (nor `counting` imported: a definition of everyday size never loads it).

    Anchors make no promise (an alias repeats a whole subtree), so they are always counted.
    """
    return may_hold_anchors(text) or _may_hold_more(text, limit)


def _may_hold_more(text: str, limit: int) -> bool:
    """False when `text` holds at most `limit` nodes, aliases not expanded (see `_STARTS`)."""
    starts = 0
    for char in _STARTS:
        starts += text.count(char)
        if 3 * starts + 3 > limit:
            return True
    return False


class ComposeError(Exception):
    """The text is not YAML we will read; `pos` is where the problem is."""

    def __init__(self, message: str, pos: Pos) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


class _TooDeep(Exception):
    pass


class _Over(Exception):
    """The composer made more nodes than its limit allows."""


class _StrictParser(_Parser):  # type: ignore[misc, valid-type]
    """libyaml's composer with resolution switched off and a nesting bound."""

    def __init__(self, stream: str, limit: int | None = None) -> None:
        super().__init__(stream)
        self._depth = 0
        self._left = MAX_NODES if limit is None else limit  # nodes it may still make

    def descend_resolver(self, parent: object, index: object) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooDeep(parent)
        self._left -= 1
        if self._left < 0:
            raise _Over

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        # Types come from the schema, so every untagged node stays untyped.
        return ""

    def ascend_resolver(self) -> None:
        self._depth -= 1


class _ShallowParser(_StrictParser):
    """For text `_provably_shallow` vouches for: no Python call per node to count depth.

    The composer calls these for each of a million nodes; built-in callables that
    return "" cost a fraction of a Python method; the node count, when one is needed, is
    a `budget` hook of the same speed.
    """

    resolve = "".format  # type: ignore[assignment]
    descend_resolver = "".format  # type: ignore[assignment]
    ascend_resolver = "".format  # type: ignore[assignment]

    def __init__(self, stream: str, limit: int | None = None) -> None:
        super().__init__(stream, limit)
        if limit is not None:
            from escalation_charts.reading.counting import budget

            self.ascend_resolver = budget(limit, _Over)  # type: ignore[method-assign]


# Flow brackets become ( and ); characters that can hide a bracket from the scanner
# (quotes, comments, tags) become q; other ASCII goes. Non-ASCII is removed first.
_BRACKETS = {i: None for i in range(128)}
_BRACKETS.update({ord(c): "(" for c in "[{"} | {ord(c): ")" for c in "]}"})
_BRACKETS.update({ord(c): "q" for c in "'\"#!"} | {ord("\n"): "\n"})
_OTHER_BREAKS = {ord(c): "\n" for c in "\r\x85\u2028\u2029"}
_NOT_BRACKETS = re.compile(r"[^\[\]{}'\"#!\n]+")


def _provably_shallow(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when no node of `text` can nest deeper than `limit` (a cheap, safe bound).

    Depth = block collections + flow collections + 1. Block collections on one path
    have strictly increasing indents, except a sequence written at its mapping's indent,
    and each starts within its line's run of spaces and `- ? :` indicators: at most
    2 * (longest such run + 1). Flow depth only grows at a `[` or `{`. A line whose
    brackets balance (never closing more than it opened) and that has no quote, comment
    or tag (the only places a `]` or `}` is not a real closer) leaves the flow depth
    where it found it and adds at most its own nesting; any other line may leave up to
    all of its openers open. Anything that cannot be shown shallow gets the careful
    composer, which counts every level.
    """
    small = text if text.isascii() else _NOT_BRACKETS.sub("", text)
    marks = small.translate(_BRACKETS)
    reduced, passes = marks, 0
    while "()" in reduced:
        if passes == limit:
            return False
        reduced = reduced.replace("()", "")  # one nesting level of every line per pass
        passes += 1
    flow = passes
    if reduced.strip("\n"):  # else every line balances and leaves nothing open
        flow += sum(
            line.count("(")
            for line, rest in zip(marks.split("\n"), reduced.split("\n"), strict=True)
            if rest  # unbalanced, or holds a quote, comment or tag
        )
    room = (limit - 1 - flow) // 2 - 1  # the longest indicator run that still fits
    if room < 0:
        return False
    if any(chr(brk) in text for brk in _OTHER_BREAKS):  # lines libyaml starts that \n does not
        text = text.translate(_OTHER_BREAKS)
    longer = re.compile(rf"\n[ \t?:-]{{{room + 1}}}")  # a literal \n: much faster than ^
    return longer.search("\n" + text) is None


def _hand_over(parser: _ShallowParser, field: str, take: Callable[[Node], Any]) -> None:
    """Make `parser` give each item of the root mapping's `field` list to `take` as soon as
    the item is composed, and keep what `take` returns in its place.

    The composer calls `descend_resolver(parent, index)` before each node it makes, so
    the call that starts item i of the list is the first moment item i - 1 is complete.
    The hook is this parser's own attribute, switched as the document goes by (find the
    field, find its list, hand items over, then the built-in no-op for the rest), so no
    other parser and no other thread is touched. The last item stays a node.
    """
    off = "".format  # what the shallow composer calls when there is nothing to do
    root: Node | None = None

    def find_field(parent: Node | None, index: Any) -> None:
        nonlocal root
        if root is None:
            if parent is None:  # the call that starts the root itself
                return
            if parent.__class__ is not MappingNode:
                parser.descend_resolver = off  # type: ignore[method-assign]
                return
            root = parent  # the first call with a parent starts one of the root's keys
        # the call that starts a value of the root passes its key node as `index`
        if (
            parent is root
            and index.__class__ is ScalarNode
            and index.value == field
            and not index.tag
        ):
            parser.descend_resolver = find_list  # type: ignore[method-assign]

    def find_list(parent: Node, index: Any) -> None:
        # The next call starts the field's first item when its value is a list with items
        # (any other value: the next call starts a later key of the root, or a mapping's).
        if parent.__class__ is SequenceNode and index == 0 and not parent.tag:
            parser.descend_resolver = hand_over(parent)  # type: ignore[method-assign]
        else:
            parser.descend_resolver = off  # type: ignore[method-assign]

    def hand_over(seq: Node) -> Callable[[Node, Any], None]:
        items = seq.value

        def each(parent: Node, index: Any) -> None:
            if parent is seq:
                items[index - 1] = take(items[index - 1])
            elif parent is root:  # the list has ended: a later key of the root starts
                parser.descend_resolver = off  # type: ignore[method-assign]

        return each

    parser.descend_resolver = find_field  # type: ignore[method-assign]


def node_pos(node: Node) -> Pos:
    """The 1-based position where a node starts."""
    mark = node.start_mark
    return Pos(mark.line + 1, mark.column + 1)


def compose(
    text: str, field: str | None = None, take: Callable[[Node], Any] | None = None
) -> Node | None:
    """Compose one YAML document into nodes; None for an empty document.

    A document that may hold more than MAX_NODES values (aliases expanded) is refused in
    bounded memory: before a node exists when that is certain, else by the composer at the
    first node past the limit (see `counting`).

    With `field` and `take`, each item of the root mapping's list `field` (its first key
    of that name written plainly, untagged) but the last is handed to `take` as soon as
    it is composed, and the list keeps what `take` returns instead: the loader builds
    each step while its nodes are fresh and frees them, so a large file never holds all
    its step nodes at once (100k steps: 0.96 GB peak became 0.52 GB, and faster). Only
    where it is sound and cheap: in a text without anchors (an alias could reach a
    replaced item from elsewhere) that the shallow composer reads (the careful one spends
    its hook on the depth bound).
    """
    limit = None
    anchors = may_hold_anchors(text)
    if anchors or _may_hold_more(text, MAX_NODES):  # may_exceed, anchors asked once
        from escalation_charts.reading.counting import Refused, precount

        try:
            if precount(text, MAX_NODES, _Parser, anchors):
                limit = MAX_NODES
        except Refused as exc:
            raise _refused(exc) from None
    kind = _ShallowParser if _provably_shallow(text) else _StrictParser
    parser = kind(text, limit)
    if kind is _ShallowParser and field is not None and take is not None and not anchors:
        _hand_over(parser, field, take)
    try:
        return parser.get_single_node()  # type: ignore[no-any-return]
    except _Over:
        pass  # the partial tree is freed on the way out; the events say where it crossed
    except _TooDeep as exc:
        where = exc.args[0]
        pos = node_pos(where) if isinstance(where, Node) else Pos(1, 1)
        raise ComposeError(f"the document nests deeper than {MAX_DEPTH} levels", pos) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Pos(mark.line + 1, mark.column + 1) if mark else Pos(1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.context}, {exc.problem}"
        if "maximum nesting depth" in problem:  # libyaml's own bound met before ours
            problem = f"the document nests deeper than {MAX_DEPTH} levels"
        raise ComposeError(problem, pos) from None
    except yaml.reader.ReaderError as exc:
        raise ComposeError(_unreadable(exc.character), _offset_pos(text, exc.position)) from None
    except yaml.YAMLError as exc:
        raise ComposeError(f"invalid YAML: {exc}", Pos(1, 1)) from None
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()
    from escalation_charts.reading.counting import refusal

    refused = refusal(text, MAX_NODES, _Parser)
    if refused is None:  # pragma: no cover - the composer and the events count alike
        raise ComposeError(f"this document holds more than {MAX_NODES:,} values", Pos(1, 1))
    raise _refused(refused)


def _refused(exc: Any) -> ComposeError:
    """A `counting.Refused` as the error `compose` raises."""
    mark = exc.mark
    pos = Pos(mark.line + 1, mark.column + 1) if mark is not None else Pos(1, 1)
    return ComposeError(exc.message, pos)


def _unreadable(char: int | str) -> str:
    """libyaml's reader refuses a character outside YAML's printable set (a raw control
    byte, NUL, U+FFFE): say which, and what to do, in one line."""
    code = ord(char) if isinstance(char, str) else char
    kind = "noncharacter" if code in (0xFFFE, 0xFFFF) else "control character"
    return (
        f"the file holds the {kind} U+{code:04X}, which a YAML file cannot hold; delete it "
        "(an editor that shows invisible characters finds it)"
    )


def _offset_pos(text: str, offset: int) -> Pos:
    """The line and column of libyaml's reader offset (a byte offset into the UTF-8 text)."""
    before = text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore")
    line_start = before.rfind("\n") + 1
    return Pos(before.count("\n") + 1, len(before) - line_start + 1)


def is_scalar(node: Node) -> bool:
    return isinstance(node, ScalarNode)
