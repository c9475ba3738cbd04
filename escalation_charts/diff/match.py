"""Pairing the items of two versions: by id first, then renamed ids by label similarity.

A rename changes the id and keeps (nearly) the label, so an old item whose id is gone is
paired with the new item whose id is new and whose label reads most alike (difflib ratio
at least `SIMILAR`); the best pairs are taken first, ties in the order written.
"""

from __future__ import annotations

from collections.abc import Mapping
from difflib import SequenceMatcher

__all__ = ["SIMILAR", "Matching", "match"]

SIMILAR = 0.75


class Matching:
    """Old id -> new id for every paired item, and which of those pairs are renames."""

    def __init__(self, pairs: dict[str, str], renamed: set[str]) -> None:
        self.pairs = pairs
        self.renamed = renamed
        self.back = {new: old for old, new in pairs.items()}

    def new_id(self, old_id: str) -> str:
        """The id an old reference has in the new version (itself when unpaired)."""
        return self.pairs.get(old_id, old_id)


def match(old: Mapping[str, str], new: Mapping[str, str]) -> Matching:
    """Pair `old` and `new` (id -> label, in the order written)."""
    pairs = {i: i for i in old if i in new}
    gone = [i for i in old if i not in new]
    fresh = [i for i in new if i not in old]
    scored = []
    for a, old_id in enumerate(gone):
        for b, new_id in enumerate(fresh):
            ratio = _similarity(old[old_id], new[new_id])
            if ratio >= SIMILAR:
                scored.append((-ratio, a, b, old_id, new_id))
    taken: set[str] = set()
    renamed: set[str] = set()
    for _, _, _, old_id, new_id in sorted(scored):
        if old_id not in pairs and new_id not in taken:
            pairs[old_id] = new_id
            taken.add(new_id)
            renamed.add(old_id)
    return Matching(pairs, renamed)


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold().split(), b.casefold().split()).ratio() * 0.5 + (
        SequenceMatcher(None, a.casefold(), b.casefold()).ratio() * 0.5
    )
