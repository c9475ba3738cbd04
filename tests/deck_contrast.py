"""Helpers for the deck tests (no tests here): every text run against what is behind it.

Reads a saved deck with python-pptx and, for each run of text on each slide, compares the
colour it is drawn in (its own, else inherited through the layout and master) with every
colour under its shape (the slide's, layout's and master's background and painted shapes,
and the slide's shapes below it), by WCAG's contrast ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

from pptx.oxml.ns import qn

from escalation_charts.render.pptx.package.backdrop import (
    Backdrops,
    min_contrast,
    needed_contrast,
)


@dataclass(frozen=True)
class Unreadable:
    slide: int
    shape: str
    text: str
    colour: str
    behind: tuple[str, ...]
    ratio: float


def unreadable_runs(prs) -> list[Unreadable]:  # type: ignore[no-untyped-def]
    """Every run whose contrast with something behind it is below WCAG AA."""
    backdrops = Backdrops()
    found: list[Unreadable] = []
    for number, slide in enumerate(prs.slides, start=1):
        for el, _box, behind, _layers in backdrops.walk(slide):
            name = el.find(qn("p:nvSpPr"))[0].get("name")
            for p in el.find(qn("p:txBody")).iter(qn("a:p")):
                ppr = p.find(qn("a:pPr"))
                level = int(ppr.get("lvl", "0")) if ppr is not None else 0
                for r in p.iter(qn("a:r")):
                    text = "".join(t.text or "" for t in r.iter(qn("a:t"))).strip()
                    if not text:
                        continue
                    rpr = r.find(qn("a:rPr"))
                    colour = backdrops.text_colour(slide, el, rpr, level)
                    size = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else None
                    bold = rpr is not None and rpr.get("b") in ("1", "true")
                    ratio = min_contrast(colour, behind)
                    if ratio < needed_contrast(size, bold):
                        found.append(
                            Unreadable(number, name, text, colour, tuple(behind), round(ratio, 2))
                        )
    return found
