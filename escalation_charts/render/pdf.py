"""Make cairo's PDF byte-identical from run to run, in any time zone.

cairo writes the time of rendering as `/CreationDate` (the bundled cairo predates its
SOURCE_DATE_EPOCH support), in local time: `D:20261123180415Z` in UTC but
`D:20261124080415+14'00` in Kiribati. The date is replaced by a fixed one, and since its
length may change, the byte offsets in the cross-reference table (and `startxref`) are
moved to match.
"""

from __future__ import annotations

import re

__all__ = ["FIXED_DATE", "stable_pdf"]

FIXED_DATE = b"D:20000101000000Z"
_DATE = re.compile(rb"/(CreationDate|ModDate) \((D:[0-9]{14}[^)]*)\)")
_STARTXREF = re.compile(rb"startxref(\r?\n)(\d+)(\r?\n%%EOF\s*)$")
_SUBSECTION = re.compile(rb"(\d+) (\d+)\r?\n")
_ENTRY = 20  # "0000005970 00000 n \n": fixed width, by the PDF standard


def stable_pdf(data: bytes) -> bytes:
    """`data` with every creation/modification date replaced by `FIXED_DATE`."""
    out, shifts, last = bytearray(), [], 0
    for match in _DATE.finditer(data):
        new = b"/" + match.group(1) + b" (" + FIXED_DATE + b")"
        out += data[last : match.start()] + new
        shifts.append((match.end(), len(new) - (match.end() - match.start())))
        last = match.end()
    out += data[last:]
    if not any(delta for _, delta in shifts):
        return bytes(out)
    return _move_offsets(bytes(out), data, shifts)


def _move_offsets(out: bytes, original: bytes, shifts: list[tuple[int, int]]) -> bytes:
    """Rewrite the classic xref table and startxref of `out` for text moved by `shifts`
    ((end in `original`, change in length)); a PDF without one is returned unchanged."""

    def moved(offset: int) -> int:
        return offset + sum(delta for end, delta in shifts if end <= offset)

    tail = _STARTXREF.search(original)
    if tail is None:
        return out
    xref = moved(int(tail.group(2)))
    if out[xref : xref + 4] != b"xref":
        return out
    table = bytearray(out)
    at = xref + 4 + (2 if out[xref + 4 : xref + 6] == b"\r\n" else 1)
    while (sub := _SUBSECTION.match(out, at)) is not None:
        at = sub.end()
        for _ in range(int(sub.group(2))):
            entry = out[at : at + _ENTRY]
            if entry[17:18] == b"n":  # an object in use: its offset moves
                table[at : at + 10] = b"%010d" % moved(int(entry[:10]))
            at += _ENTRY
    end = _STARTXREF.search(bytes(table))
    assert end is not None
    return bytes(table[: end.start(2)]) + str(xref).encode() + end.group(3)
