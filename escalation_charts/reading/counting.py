"""Keep the value limit while reading, in one composing pass and bounded memory.

Composing keeps every node with two marks (about 350 bytes a value), so a limit checked on
the composed tree is checked too late: `x: [1,1,1,...]` in a 32 MiB file took 5 GB before
anything said no. Counting on libyaml's event stream instead (`count_values`) is exact and
bounded, but costs about as much as composing, so counting every large file that way read
it twice (100k steps: 20 s became 36 s on a loaded machine). Now, for a text that may be
over the limit (`compose.may_exceed`, a few `str.count` calls; only such a text imports
this module):

- libyaml parses it once in C without making a Python object (`raw_parse`, about a tenth of
  composing). Its event count E bounds the nodes N: each scalar or alias is one event and
  each collection two, so (E - 4) / 2 <= N <= E - 4 (the 4 open and close the stream and
  the document).
- E - 4 within the limit: the text is composed as usual, nothing counted.
- (E - 4) / 2 over the limit: certainly over; the event stream is counted to say where the
  limit was crossed, and the text is refused before a node exists.
- In between, the composer counts the nodes it makes (`budget`, a hook that costs no
  Python frame per node) and stops at the first one past the limit.
- Anchors: an alias repeats a whole subtree (the "billion laughs"), so a text that may
  define one (`compose.may_hold_anchors`: an `&` where a node can start, not the one in
  "R&D") is counted on the event stream, aliases expanded; such files are rare and small.

So a valid file is composed once, and a refusal never holds more nodes than the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain, repeat
from typing import Any

from yaml.error import YAMLError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

__all__ = ["Refused", "budget", "count_values", "precount", "refusal"]

_FRAME_EVENTS = 4  # stream start and end, document start and end
_CHUNK = 1 << 16  # nodes the composer makes between two Python calls of `budget`


class Refused(Exception):
    """The document is over a limit; `mark` is the libyaml mark of the value that crossed."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def precount(text: str, limit: int, parser: Callable[[str], Any], anchors: bool = True) -> bool:
    """For a text `may_exceed` flagged: raise `Refused` when it is certainly over `limit`,
    and say whether the composer must still count its nodes (`budget`).

    `parser` makes a libyaml parser of the text; `anchors` is `compose.may_hold_anchors`.
    A syntax error is left to the composer, which says where it is (and counts, since the
    error may come late).
    """
    if anchors:  # aliases: only the event stream can expand them
        refused = refusal(text, limit, parser)
        if refused is not None:
            raise refused
        return False
    raw = parser(text)
    try:
        events = raw.raw_parse() - _FRAME_EVENTS
    except (YAMLError, AttributeError):  # a syntax error (the composer's), or no libyaml
        return True
    finally:
        _dispose(raw)
    if events <= limit:
        return False
    if events > 2 * limit:
        refused = refusal(text, limit, parser)
        if refused is not None:
            raise refused
    return True


def refusal(text: str, limit: int, parser: Callable[[str], Any]) -> Refused | None:
    """Count `text`'s values on the event stream: the `Refused` that says where the limit
    is crossed, or None when it is not (or a syntax error comes first)."""
    counter = parser(text)
    try:
        count_values(counter, limit)
    except Refused as exc:
        return exc
    except YAMLError:  # a syntax error: the composer finds it and says where
        return None
    finally:
        _dispose(counter)
    return None


def budget(limit: int, over: type[Exception]) -> Callable[[], None]:
    """A callable that returns None `limit` times, then raises `over`.

    Installed as the composer's `ascend_resolver` (called once per node it makes), it
    counts at C speed: a chain of `repeat` iterators, with one Python call per `_CHUNK`.
    """

    def chunks() -> Iterator[Iterator[None]]:
        left = limit
        while left > 0:
            step = min(_CHUNK, left)
            left -= step
            yield repeat(None, step)
        raise over

    return chain.from_iterable(chunks()).__next__  # type: ignore[return-value]


def _dispose(parser: Any) -> None:
    if hasattr(parser, "dispose"):
        parser.dispose()


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
