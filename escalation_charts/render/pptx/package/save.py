"""Save a deck so the same input gives the same bytes.

python-pptx stamps each zip entry with the time of saving and keeps the template's core
properties (or the current time when it has none). Both are fixed here: the core
properties get the definition's own dates, and the zip is rewritten entry by entry, in the
same order, with a fixed timestamp and fixed file attributes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from pptx.presentation import Presentation

__all__ = ["deck_bytes"]

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def deck_bytes(
    prs: Presentation, *, title: str, author: str, subject: str, when: dt.datetime
) -> bytes:
    """The deck as bytes that depend only on its content and these properties."""
    props = prs.core_properties
    props.title = _property(title)
    props.author = _property(author)
    props.subject = _property(subject)
    props.last_modified_by = "escalation-charts"
    props.revision = 1
    props.created = when
    props.modified = when
    buffer = io.BytesIO()
    prs.save(buffer)
    return _normalise_zip(buffer.getvalue())


# python-pptx refuses document properties longer than this (a process name may be 1,000).
_PROPERTY_MAX = 255


def _property(text: str) -> str:
    """`text` cut to what a document property holds, marked with an ellipsis."""
    return text if len(text) <= _PROPERTY_MAX else text[: _PROPERTY_MAX - 1] + "…"


def _normalise_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever machine builds the deck
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()
