"""Ids of drawn and exported elements, made from the model's ids so that no two collide.

One place for every output's element ids, so each scheme is proved one-to-one once:

- `dom_id` for SVG groups, PPTX shape names and draw.io cells: `kind-<id>`, the SPEC's
  `step-<step id>` and `lane-<lane id>` as written. A kind names either one model id (and
  maybe a trailing number, `edge-<step>-<n>`) or several; only then is each id's `-`
  doubled (`notify-a--b-c` is step `a-b` notifying lane `c`, `notify-a-b--c` is step `a`
  notifying lane `b-c`). A kind is always used with the same number of ids, and a part a
  lane or step is never a kind's only word: the header of lane `t1` is `lanehead-t1`, so
  it cannot meet lane `t1-header`.
- `xml_id` and `di_id` for BPMN, whose ids are `xsd:ID` values (NCNames): `Kind_<id>`, with
  an edge index after the last `__` (`Flow_log__0`), and a diagram element named after what
  it draws in a kind of its own (`DI_Step_a`): `<element>_di` would meet step `a_di`.

Model ids match `[A-Za-z0-9][A-Za-z0-9_.-]*` (the loader refuses others); anything outside
that (cheap to guard, and only ever written) is spelt `_xHHHH_` in XML ids: reading back
leaves `_x002F_` as written, since `a_x002F_` is itself a valid id.
"""

from __future__ import annotations

import re

__all__ = ["di_id", "dom_id", "xml_id", "xml_model_id"]

_OUTSIDE = re.compile(r"[^A-Za-z0-9_.-]")


def dom_id(kind: str, *ids: str, index: int | None = None) -> str:
    """`step-fix-t1`, `edge-fix-t1-0`, `lanehead-t1`; `notify-a--b-c` for several ids.

    `kind` is one word without `-`; call it with the same number of ids (and index or
    not) every time.
    """
    parts = [i.replace("-", "--") for i in ids] if len(ids) > 1 else list(ids)
    if index is not None:
        parts.append(str(index))
    return "-".join([kind, *parts])


def xml_id(kind: str, model_id: str, index: int | None = None) -> str:
    """`Step_1st.line`, or `Flow_log__0` for the first edge of step `log`.

    The index follows the last `__` and is digits only, so two (id, index) pairs never
    give the same text; `kind` (CamelCase, no `_`) keeps kinds apart and gives an id
    that starts with a letter, as an NCName must.
    """
    safe = _OUTSIDE.sub(lambda m: f"_x{ord(m.group()):04X}_", model_id)
    return f"{kind}_{safe}" if index is None else f"{kind}_{safe}__{index}"


def di_id(element_id: str) -> str:
    """The id of the BPMN diagram shape or edge that draws `element_id`."""
    return f"DI_{element_id}"


def xml_model_id(text: str | None, kind: str) -> str | None:
    """`Step_1st.line` -> `1st.line` (undoing `xml_id` without an index); None when `text`
    is not of that kind."""
    prefix = f"{kind}_"
    if not text or not text.startswith(prefix):
        return None
    return text[len(prefix) :] or None
