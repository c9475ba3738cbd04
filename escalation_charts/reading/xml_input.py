"""Reading another tool's XML without trusting it: sizes capped, no DTD, no entities.

Diagrams come from anywhere (a colleague's export, a download), so the parser loads no DTD,
resolves no entity, touches no network and keeps lxml's limits on huge trees; a document
that declares entities or elements in its DOCTYPE is refused, since neither BPMN nor
draw.io needs that and it is where entity bombs and external entities (XXE) live.
draw.io's compressed pages are base64 of raw deflate; inflating is capped so a small file
cannot expand without bound.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from urllib.parse import unquote

from lxml import etree

__all__ = ["MAX_DIAGRAM_BYTES", "MAX_INFLATED_BYTES", "DiagramError", "inflate", "parse_xml"]

MAX_DIAGRAM_BYTES = 32 * 1024 * 1024  # the same bound as a definition file
MAX_INFLATED_BYTES = 32 * 1024 * 1024  # one compressed draw.io page, once inflated


_DTD = (
    "the {what} declares entities in its <!DOCTYPE>: refused, since entities can read "
    "local files or expand without bound, and diagrams never need them"
)
# A DOCTYPE with an internal subset (`[...]`), where entities are declared. A DOCTYPE that
# only names a public DTD (draw.io's SVGs do) is harmless: it is never loaded.
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[")


class DiagramError(Exception):
    """The input cannot be imported; the message is one line a user can act on."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, what: str = "XML") -> etree._Element:
    """The root element of `data`; DiagramError when it is too big, not XML or has a DTD."""
    if len(data) > MAX_DIAGRAM_BYTES:
        raise DiagramError(f"larger than {MAX_DIAGRAM_BYTES // (1024 * 1024)} MiB")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        if _INTERNAL_SUBSET.search(data):
            raise DiagramError(_DTD.format(what=what)) from None
        line = exc.lineno or 1
        col = (exc.offset or 0) or 1
        message = str(exc.msg or exc).split(", line")[0]
        raise DiagramError(f"{line}:{col}: not well-formed {what}: {message}") from None
    except ValueError as exc:  # lxml refuses some inputs (e.g. a str with an encoding line)
        raise DiagramError(f"not {what}: {exc}") from None
    if root is None:
        raise DiagramError(f"not {what}: empty document")
    subset = root.getroottree().docinfo.internalDTD
    if subset is not None and (any(subset.iterentities()) or any(subset.iterelements())):
        raise DiagramError(_DTD.format(what=what))
    return root


def inflate(text: str) -> bytes:
    """A compressed draw.io page (base64 of raw deflate of URL-encoded XML) as XML bytes."""
    try:
        packed = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise DiagramError("a compressed page is not valid base64") from None
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        raw = inflater.decompress(packed, MAX_INFLATED_BYTES)
    except zlib.error:
        raise DiagramError("a compressed page is not valid deflate data") from None
    if inflater.unconsumed_tail:
        raise DiagramError(
            f"a compressed page inflates to more than {MAX_INFLATED_BYTES // (1024 * 1024)} MiB"
        )
    # draw.io URL-encodes the XML before deflating it (encodeURIComponent).
    try:
        decoded = unquote(raw.decode("ascii" if raw.isascii() else "utf-8"), errors="strict")
    except UnicodeDecodeError:
        raise DiagramError("a compressed page does not hold text") from None
    return decoded.encode("utf-8")
