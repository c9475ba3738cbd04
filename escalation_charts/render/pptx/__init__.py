"""The training deck: an editable PPTX built from the model and the shared layout.

`build_deck` returns the deck's bytes; the `slides` command computes the layout, calls it
and writes the file. Every shape is native (lanes, steps, glued connectors, a real table)
so a trainer can still edit the deck in PowerPoint or LibreOffice Impress.
"""

from __future__ import annotations

from escalation_charts.render.pptx.deck import build_deck
from escalation_charts.render.pptx.notes import NOTES_DIR, NotesError
from escalation_charts.render.pptx.package.template import TemplateError

__all__ = ["NOTES_DIR", "NotesError", "TemplateError", "build_deck"]
