"""Make cairo's PDF byte-identical from run to run.

cairo writes the time of rendering as `/CreationDate` (the bundled cairo predates its
SOURCE_DATE_EPOCH support), in local time: its length depends on the time zone (`Z` or
`+14'00`). The date is replaced by a fixed one, and the byte offsets after it in the
cross-reference table and `startxref` are shifted by the difference, so the file stays
valid and is the same in every time zone.
"""

from __future__ import annotations

import re

__all__ = ["FIXED_DATE", "merge_pdfs", "stable_pdf"]

FIXED_DATE = b"D:20000101000000Z"
_DATE = re.compile(rb"/(CreationDate|ModDate) \((D:[0-9]{14}[^)]*)\)")


_XREF_ENTRY = re.compile(rb"^(\d{10}) (\d{5}) n", re.MULTILINE)
_STARTXREF = re.compile(rb"startxref\s+(\d+)")


def stable_pdf(data: bytes) -> bytes:
    """`data` with every creation/modification date replaced by `FIXED_DATE`."""
    for match in reversed(list(_DATE.finditer(data))):
        start, end = match.span(2)
        delta = len(FIXED_DATE) - (end - start)
        data = data[:start] + FIXED_DATE + data[end:]
        if delta:
            data = _shift_offsets(data, after=start, delta=delta)
    return data


def merge_pdfs(pages: list[bytes]) -> bytes:
    """One PDF of every page of `pages` (each a whole PDF), in order: a paged chart is one
    file to print or send. pypdf writes it; its dates and ids come from the inputs, which
    `stable_pdf` already fixed, so the result is the same from run to run."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for data in pages:
        writer.append(io.BytesIO(data))
    writer.add_metadata({"/Producer": "escalation-charts", "/CreationDate": FIXED_DATE.decode()})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _shift_offsets(data: bytes, *, after: int, delta: int) -> bytes:
    def entry(m: re.Match[bytes]) -> bytes:
        offset = int(m.group(1))
        offset += delta if offset > after else 0
        return b"%010d %s n" % (offset, m.group(2))

    def startxref(m: re.Match[bytes]) -> bytes:
        offset = int(m.group(1))
        return b"startxref\n%d" % (offset + delta if offset > after else offset)

    head, tail = data[: after + 1], data[after + 1 :]
    return head + _STARTXREF.sub(startxref, _XREF_ENTRY.sub(entry, tail))
