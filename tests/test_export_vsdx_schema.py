"""The Visio parts against Microsoft's published schema for the format ([MS-VSDX]).

The schema is the one Microsoft publishes as the "Schema map (Visio XML)" of the Visio
2013 file format (tests/data/schemas/visio, XSD 1.1, read by the `xmlschema` package). Its
namespace there is the 2011 draft's; Visio writes and reads the 2012 one, so it is swapped
when the schema is loaded. The published schema is known to reject files Visio itself
saves (asserts comparing section names to unquoted words, text without mixed content, no
`r:id` on `Rel`, `NameU` on `FaceName`), so a file Visio saved (the template the `vsdx`
package ships) is validated the same way: every kind of complaint about our parts must be
one the schema also makes about Visio's own file, and nothing else.
"""

from __future__ import annotations

import collections
import io
import re
import zipfile
from functools import cache
from importlib import resources

import pytest

from escalation_charts.export.vsdx import build_vsdx
from escalation_charts.layout.bands import compute_layout
from escalation_charts.reading.loader import load

from .conftest import DATA

SCHEMA = DATA / "schemas" / "visio" / "VisioSchema15.xsd"
DRAFT = "http://schemas.microsoft.com/office/visio/2011/1/core"
MAIN = "http://schemas.microsoft.com/office/visio/2012/main"
REL = "http://schemas.openxmlformats.org/officeDocument/N/relationships"  # digits read N
Kinds = collections.Counter[tuple[str, str]]


@cache
def schema():  # type: ignore[no-untyped-def]
    import xmlschema  # the test extra: an XSD 1.1 validator

    return xmlschema.XMLSchema11(SCHEMA.read_text(encoding="utf-8").replace(DRAFT, MAIN))


def complaints(data: bytes) -> Kinds:
    """(element, reason) of every schema error in the package's Visio parts."""
    found: Kinds = collections.Counter()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("visio/") and name.endswith(".xml"):
                for error in schema().iter_errors(archive.read(name).decode("utf-8")):
                    tag = "" if error.elem is None else error.elem.tag.rsplit("}", 1)[-1]
                    found[(tag, re.sub(r"\d+", "N", str(error.reason)))] += 1
    return found


# What the published schema gets wrong, each seen on a file Visio saved (below): section
# names compared to unquoted words (`@N = Character`, always false), text without mixed
# content, no `r:id` attribute on `Rel`, and `FaceName` with `NameU` (as Visio writes it)
# instead of `ID` and `Name`.
SCHEMA_FAULTS = {
    ("Section", "assertion test is false"),
    ("Text", "character data between child elements not allowed"),
    ("Rel", f"'{{{REL}}}id' attribute not allowed for element"),
    ("FaceName", "'NameU' attribute not allowed for element"),
    ("FaceName", "missing required attribute 'ID'"),
    ("FaceName", "missing required attribute 'Name'"),
}


def test_every_part_is_valid_but_for_the_schemas_own_faults() -> None:
    """The tricky labels, lanes as columns, a severity page: every kind of shape, text and
    connector the writer makes."""
    definition = load(DATA / "export" / "tricky.yaml").definition
    assert definition is not None
    layout = compute_layout(definition, direction="TB", severity="P1")
    unknown = set(complaints(build_vsdx(definition, [layout]))) - SCHEMA_FAULTS
    assert not unknown, f"schema errors: {sorted(unknown)}"


@pytest.mark.slow
def test_the_schema_faults_are_found_in_a_file_visio_saved() -> None:
    """The allowance is the schema's mistakes, not ours: Visio's own file (the template
    the `vsdx` package ships) draws every one of them."""
    template = resources.files("vsdx").joinpath("media", "media.vsdx").read_bytes()
    assert set(complaints(template)) >= SCHEMA_FAULTS
