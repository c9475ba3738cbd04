"""Make cairo's PDF byte-identical from run to run.

cairo writes the time of rendering as `/CreationDate` (the bundled cairo predates its
SOURCE_DATE_EPOCH support). The date is replaced by a fixed one of the same length, so
every byte offset in the cross-reference table stays valid.
"""

from __future__ import annotations

import re

__all__ = ["FIXED_DATE", "stable_pdf"]

FIXED_DATE = b"D:20000101000000Z"
_DATE = re.compile(rb"/(CreationDate|ModDate) \((D:[0-9]{14}[^)]*)\)")


def stable_pdf(data: bytes) -> bytes:
    """`data` with every creation/modification date replaced by `FIXED_DATE`."""

    def fix(match: re.Match[bytes]) -> bytes:
        old = match.group(2)
        new = FIXED_DATE[: len(old)].ljust(len(old), b" ")
        return b"/" + match.group(1) + b" (" + new + b")"

    return _DATE.sub(fix, data)
