"""Reading: a definition file into the model, or into findings that say what is wrong.

`compose` builds a YAML node tree with positions (strict and safe: nothing is constructed
from tags), `schema` checks it against format 1, `fast` checks and builds the bulk of a
large file (steps) in one pass, and `loader` ties them together behind `load`.
`import_diagram` reads another tool's diagram (BPMN 2.0, draw.io) into the same model.
"""

from __future__ import annotations

from escalation_charts._lazy import lazy_exports

__all__ = [
    "MAX_FILE_BYTES",
    "DiagramError",
    "Loaded",
    "import_diagram",
    "json_schema",
    "load",
    "load_text",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "MAX_FILE_BYTES": "loader",
        "Loaded": "loader",
        "load": "loader",
        "load_text": "loader",
        "json_schema": "schema",
        "import_diagram": "diagram",
        "DiagramError": "xml_input",
    },
)
