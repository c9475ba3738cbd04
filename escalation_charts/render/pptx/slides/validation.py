"""The last slide: is the process sound? The checklist, then every finding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pptx.slide import Slide

from escalation_charts.findings import Finding
from escalation_charts.render.pptx import content
from escalation_charts.render.pptx.package.template import placeholder_size
from escalation_charts.render.pptx.slides.base import (
    Deck,
    Spec,
    body_at,
    plan_columns,
    text_columns,
)
from escalation_charts.render.pptx.style import Colours
from escalation_charts.render.pptx.text.blocks import Para

__all__ = ["plan_validation"]


def plan_validation(deck: Deck, findings: Sequence[Finding]) -> list[Spec]:
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    if errors:
        verdict = Para(
            f"Do not teach this version: {errors} error{'s' if errors != 1 else ''}"
            + (f" and {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
            + " found.",
            bold=True,
            colour=Colours.ERROR,
        )
    elif warnings:
        verdict = Para(
            f"Sound, with {warnings} warning{'s' if warnings != 1 else ''}: every path ends in "
            "a resolution and the matrix is complete.",
            bold=True,
            colour=Colours.WARNING,
        )
    else:
        verdict = Para(
            "Sound: every path ends in a resolution, the matrix is complete and every level "
            "has a named contact. No findings.",
            bold=True,
            colour=Colours.OK,
        )
    paras = [verdict, *[_spaced(p) for p in content.check_paras(findings)]]
    if findings:
        paras.append(
            Para(
                "Findings",
                scale=1.1,
                bold=True,
                colour=Colours.HEADER,
                space=0.8,
                keep_with_next=True,
            )
        )
        paras += [_spaced(p) for p in content.finding_paras(findings)]
    slide_layout = deck.layouts.content
    box = text_columns(slide_layout, deck, 1)[0]
    largest = min(placeholder_size(slide_layout, "body"), 20.0)
    size, pages = plan_columns([paras], [box], largest)
    specs = []
    for n, columns in enumerate(pages, start=1):

        def draw(slide: Slide, deck: Deck, paras=columns[0], size=size) -> list[object]:
            return body_at(slide, deck, paras, size)

        specs.append(
            Spec(
                "validation",
                "Is the process sound? The validation result",
                slide_layout,
                "Is the process sound?" + (f" ({n} of {len(pages)})" if len(pages) > 1 else ""),
                draw,
                {
                    "errors": errors,
                    "warnings": warnings,
                    "findings": list(findings),
                    "page": n,
                    "pages": len(pages),
                },
            )
        )
    return specs


def _spaced(para: Para) -> Para:
    return replace(para, space=0.3)
