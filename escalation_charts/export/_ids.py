"""XML ids for exported elements: valid `xsd:ID` values, one-to-one with the model's ids.

Model ids may start with a digit and contain `.` and `-` (`1st.line`), which an `xsd:ID`
(an NCName) may not start with; a kind prefix (`Step_`, `Lane_`) fixes that and keeps ids
of different kinds apart. Anything outside the id pattern (never produced by the loader,
but cheap to guard) is spelt `_xHHHH_`.
"""

from __future__ import annotations

import re

__all__ = ["xml_id"]

_OUTSIDE = re.compile(r"[^A-Za-z0-9_.-]")


def xml_id(kind: str, model_id: str, index: int | None = None) -> str:
    """`Step_1st.line`, or `Flow_log__0` for the first edge of step `log`.

    The index follows the last `__` and is digits only, so two (id, index) pairs never
    give the same text.
    """
    safe = _OUTSIDE.sub(lambda m: f"_x{ord(m.group()):04X}_", model_id)
    return f"{kind}_{safe}" if index is None else f"{kind}_{safe}__{index}"
