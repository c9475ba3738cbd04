"""Helpers for the deck tests (no tests here): reading a deck back."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.oxml.ns import qn


def read_deck(data: bytes):  # type: ignore[no-untyped-def]
    return Presentation(io.BytesIO(data))


def glue(connector) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:  # type: ignore[no-untyped-def]
    """(shape id, connection index) of a connector's begin and end, or None if loose."""
    nv = connector._element.find(qn("p:nvCxnSpPr")).find(qn("p:cNvCxnSpPr"))
    out = []
    for tag in ("a:stCxn", "a:endCxn"):
        el = nv.find(qn(tag))
        out.append(None if el is None else (int(el.get("id")), int(el.get("idx"))))
    return out[0], out[1]
