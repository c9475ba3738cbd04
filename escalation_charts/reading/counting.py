"""Count a document's values while libyaml reads it, before a single node exists.

Composing keeps every node with two marks (about 1 KB a value), so a limit checked on the
composed tree is checked too late: `x: [1,1,1,...]` in a 32 MiB file took 5 GB before
anything said no. Here the parser's event stream is counted instead: each event is dropped
as soon as it is counted, aliases add the size of what they repeat (the "billion laughs"),
and reading stops at the first value past the limit, in a few MB whatever the input.

Counting costs about as much as composing, so `may_exceed` first bounds the count from the
text itself (a few `str.count` calls); only a document that might be over the limit, or
that has anchors, is counted.
"""

from __future__ import annotations

from typing import Any

from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

__all__ = ["Refused", "count_values", "may_exceed"]

# Every node starts at, or right after, one of these: a scalar after a separator or a line
# break, a flow collection at its bracket, a block sequence at `-`, a block mapping at its
# first `:` or `?`, an alias at `*`, an implicit empty value at `:`, `-`, `?` or `,`. So a
# text with K of them holds fewer than 3K + 3 nodes (before aliases are expanded).
_STARTS = "[]{},:-?*\n"


class Refused(Exception):
    """The document is over a limit; `mark` is the libyaml mark of the value that crossed."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def may_exceed(text: str, limit: int) -> bool:
    """False when `text` certainly holds at most `limit` values: then it need not be counted.

    Anchors make no promise (an alias repeats a whole subtree), so they are always counted.
    """
    if "&" in text:
        return True
    return 3 * sum(map(text.count, _STARTS)) + 3 > limit


def count_values(parser: Any, limit: int) -> int:
    """Read `parser`'s events to the end and return the number of values, aliases counted
    as expanded; raise `Refused` at the first value past `limit`, and at an alias inside
    the node it names (a cycle). Syntax errors are libyaml's (yaml.YAMLError), raised where
    they are found; nesting depth is the composer's to bound (it recurses, this does not)."""
    get = parser.get_event
    total = 0
    open_: list[tuple[int, str | None]] = []  # (total at start, anchor) per open collection
    sizes: dict[str, int] = {}  # anchor -> values in its node, expanded
    opened: set[str] = set()
    scalar, alias = ScalarEvent, AliasEvent
    starts = (SequenceStartEvent, MappingStartEvent)
    ends = (SequenceEndEvent, MappingEndEvent)
    while True:
        event = get()
        if event is None:
            return total
        kind = event.__class__
        if kind is scalar:
            total += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif kind in starts:
            total += 1
            anchor = event.anchor
            open_.append((total - 1, anchor))
            if anchor is not None:
                opened.add(anchor)
        elif kind in ends:
            before, anchor = open_.pop()
            if anchor is not None:
                sizes[anchor] = total - before
                opened.discard(anchor)
        elif kind is alias:
            name = event.anchor
            if name in opened:
                raise Refused("an alias refers to a node that contains it", event.start_mark)
            total += sizes.get(name, 1)  # an unknown alias is the composer's to report
        else:
            continue
        if total > limit:
            what = "aliases expand this document" if sizes else "this document holds"
            raise Refused(
                f"{what} more than {limit:,} values; split the process into smaller definitions",
                event.start_mark,
            )
