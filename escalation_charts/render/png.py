"""What Graphviz's PNG leaves out: the pixel density, so a picture prints at its true size.

cairo writes no `pHYs` chunk, and without one Word, LibreOffice and print dialogs assume
72 or 96 dpi: a chart drawn at `--dpi 192` would be placed at twice its size. The chunk
goes right after `IHDR`, as the PNG specification requires (before the first `IDAT`).
"""

from __future__ import annotations

import struct
import zlib

__all__ = ["with_density"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IHDR_END = len(_SIGNATURE) + 4 + 4 + 13 + 4  # length, type, 13 data bytes, CRC
_METRE = 1 / 0.0254  # pHYs counts pixels per metre


def with_density(png: bytes, dpi: float) -> bytes:
    """`png` declaring `dpi` pixels per inch (an existing pHYs chunk is left as it is)."""
    if not png.startswith(_SIGNATURE) or png[12:16] != b"IHDR":
        return png
    if b"pHYs" in png[: png.find(b"IDAT")]:
        return png
    per_metre = round(dpi * _METRE)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)  # unit 1: the metre
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    return png[:_IHDR_END] + chunk + png[_IHDR_END:]
