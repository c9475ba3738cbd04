"""Blocks of paragraphs: how tall they are, the size that fits, and where to cut them.

Lane, walkthrough and validation slides are lists of short paragraphs. Their length
depends on the definition (a lane may have two steps or twenty), so the size is chosen to
fit the box, from the slide's preferred size down to `MIN_PT`; what still does not fit
goes on a continuation slide rather than shrinking further.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations, pairwise

from escalation_charts.layout.textfit import LINE_HEIGHT, deck_wrap
from escalation_charts.render.pptx.style import MIN_PT

__all__ = ["Para", "block_height", "fit_size", "flow_columns", "split_to_fit"]

INDENT = 1.1  # em of hanging indent for a bulleted paragraph


@dataclass(frozen=True)
class Para:
    """One paragraph: its text, relative size (1.0 = body), style and bullet.

    `space` is the space before it, in lines of its own size.
    """

    text: str
    lead: str = ""  # a bold opening run ("Primary: ", a lane's name)
    scale: float = 1.0
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    bullet: bool = False
    level: int = 0
    space: float = 0.0
    keep_with_next: bool = False  # a heading: never the last line of a column


def para_height(para: Para, size: float, width: float) -> float:
    size = size * para.scale
    indent = (INDENT * size if para.bullet else 0.0) + para.level * 1.2 * size
    # Measured all in bold when it has a bold lead: a little wide, never too narrow.
    bold = para.bold or bool(para.lead)
    lines = deck_wrap(para.lead + para.text, size, max(width - indent, size), bold=bold)
    return (len(lines) + para.space) * size * LINE_HEIGHT


def block_height(paras: Sequence[Para], size: float, width: float) -> float:
    """The height in points of `paras` at body `size` in a box `width` points wide."""
    if not paras:
        return 0.0
    total = sum(para_height(p, size, width) for p in paras)
    # The first paragraph's space before is not drawn at the top of a text box.
    return total - paras[0].space * size * paras[0].scale * LINE_HEIGHT


def fit_size(
    columns: Sequence[Sequence[Para]],
    width: float,
    height: float,
    largest: float,
    smallest: float = MIN_PT,
) -> float | None:
    """The largest body size in half points from `largest` down to `smallest` at which every
    column fits `width` x `height`; None when even `smallest` is too big."""

    def ok(size: float) -> bool:
        return all(block_height(col, size, width) <= height for col in columns)

    sizes = [largest - n * 0.5 for n in range(int((largest - smallest) / 0.5 + 1e-9) + 1)]
    if not sizes or not ok(sizes[-1]):
        return None
    low, high = 0, len(sizes) - 1  # sizes[high] fits; find the first (largest) that does
    while low < high:
        mid = (low + high) // 2
        if ok(sizes[mid]):
            high = mid
        else:
            low = mid + 1
    return sizes[low]


def split_to_fit(
    paras: Sequence[Para], width: float, height: float, size: float
) -> list[list[Para]]:
    """Cut `paras` into chunks that each fit `width` x `height` at `size`.

    A heading (`keep_with_next`) moves with the paragraph after it; a chunk that starts
    in the middle of a section repeats its heading marked "(continued)". A single paragraph
    taller than the box gets a chunk of its own (its text is never cut).
    """
    chunks: list[list[Para]] = [[]]
    heading: Para | None = None
    for n, para in enumerate(paras):
        if para.keep_with_next:
            heading = para
        current = chunks[-1]
        group = [para]
        if para.keep_with_next and n + 1 < len(paras):
            continue  # placed together with the next paragraph
        if n > 0 and paras[n - 1].keep_with_next:
            group = [paras[n - 1], para]
        if current and block_height([*current, *group], size, width) > height:
            current = []
            chunks.append(current)
            if heading is not None and group[0] is not heading:
                current.append(replace(heading, text=f"{heading.text} (continued)"))
        current.extend(group)
    return [chunk for chunk in chunks if chunk]


def flow_columns(
    paras: Sequence[Para], width: float, height: float, columns: int, largest: float
) -> tuple[float, list[list[list[Para]]]]:
    """Pour `paras` into pages of `columns` columns, like a newspaper: the largest size
    (down to MIN_PT) at which they fill a single page; at MIN_PT, as many pages as needed.

    Returns the size and the pages, each a list of columns.
    """

    heads = [n for n, p in enumerate(paras) if p.keep_with_next and n > 0]

    def pour(size: float) -> list[list[Para]]:
        # Whole sections per column when they fit (the most even such cut), else cut
        # inside a section with its heading repeated.
        best: tuple[float, list[list[Para]]] | None = None
        for cuts in combinations(heads, columns - 1):
            bounds = [0, *cuts, len(paras)]
            parts = [list(paras[a:b]) for a, b in pairwise(bounds)]
            tall = [block_height(part, size, width) for part in parts]
            if max(tall) <= height and (best is None or max(tall) < best[0]):
                best = (max(tall), parts)
        if best is not None:
            return best[1]
        return split_to_fit(paras, width, height, size)

    sizes = [largest - n * 0.5 for n in range(int((largest - MIN_PT) / 0.5 + 1e-9) + 1)]
    low, high = 0, len(sizes) - 1
    if len(pour(sizes[high])) <= columns:
        while low < high:  # the first (largest) size whose text fits one page
            mid = (low + high) // 2
            if len(pour(sizes[mid])) <= columns:
                high = mid
            else:
                low = mid + 1
        chunks = pour(sizes[low])
        return sizes[low], [chunks + [[]] * (columns - len(chunks))]
    chunks = pour(MIN_PT)
    pages = [chunks[n : n + columns] for n in range(0, len(chunks), columns)]
    return MIN_PT, [page + [[]] * (columns - len(page)) for page in pages]
