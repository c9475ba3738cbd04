"""The one line-breaking rule (layout.textfit): words wrap at spaces, a word is split only
when it alone is wider than the line, and then with a hyphen."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from escalation_charts.layout.textfit import break_lines, text_width, wrap


def test_a_word_that_fits_is_never_split() -> None:
    # balancing used to squeeze the width until "engineering" broke: "engineerin / g"
    lines = wrap("Escalate to engineering manager", 108, 11, bold=True)
    assert " ".join(lines) == "Escalate to engineering manager"


def test_an_over_long_word_is_split_with_hyphens() -> None:
    lines = wrap("Supercalifragilisticexpialidociousness is long", 108, 11)
    assert lines[0].endswith("-") and not lines[1].startswith("-")
    assert "".join(line.removesuffix("-") for line in lines[:2]).startswith(
        "Supercalifragilisticexpialidociousness"
    )
    assert all(text_width(line, 11) <= 108 for line in lines)


def test_cjk_is_cut_between_characters_without_hyphens() -> None:
    lines = wrap("升级到二线支持团队升级到二线支持团队", 60, 11)
    assert "".join(lines) == "升级到二线支持团队升级到二线支持团队"
    assert all(text_width(line, 11) <= 60 for line in lines)


def test_balanced_lines_and_kept_newlines() -> None:
    assert wrap("Ask customer to confirm fix", 108, 11) == ["Ask customer", "to confirm fix"]
    assert wrap("a\nb", 108, 11) == ["a", "b"]
    assert wrap("", 108, 11) == [""]


def test_any_font_measure() -> None:
    """Decks measure with their own font: the rule is the same with any width function."""
    assert break_lines("aa bb cc", 5, len, balance=False) == ["aa bb", "cc"]
    assert break_lines("abcdefgh", 4, len) == ["abc-", "def-", "gh"]


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=30)


@given(st.lists(words, min_size=1, max_size=12), st.floats(min_value=30, max_value=300))
def test_lines_joined_give_the_text(parts: list[str], width: float) -> None:
    text = " ".join(parts)
    lines = wrap(text, width, 11)
    assert all(text_width(line, 11) <= width + 0.01 for line in lines)
    joined = lines[0]
    for line in lines[1:]:
        # a hyphen at a line's end is ours only inside a word too wide for any line
        if joined.endswith("-"):
            joined = joined[:-1] + line
        else:
            joined += " " + line
    assert joined == text
    for part in parts:
        if text_width(part, 11) <= width:
            assert part in lines or any(part in line.split(" ") for line in lines)


def test_the_deck_measures_in_its_own_face_and_breaks_by_the_same_rule() -> None:
    """Decks are measured in Carlito (Calibri's metrics), charts in Helvetica, both by the
    one breaking rule: a word is never cut while it fits, and is hyphenated when it alone
    is too wide for the line."""
    from escalation_charts.layout.textfit import deck_fits, deck_width, deck_wrap

    # Calibri/Carlito is narrower than Helvetica, and bold is wider than regular.
    assert deck_width("Escalate to Tier 2", 10) < text_width("Escalate to Tier 2", 10)
    assert deck_width("Escalate", 10, bold=True) > deck_width("Escalate", 10)
    lines = deck_wrap("Incident Commander on call", 10, deck_width("Incident Commander", 10))
    assert lines == ["Incident Commander", "on call"]
    long = deck_wrap("Supercalifragilistic", 10, deck_width("Supercali", 10))
    assert len(long) > 1 and all(piece.endswith("-") for piece in long[:-1])
    assert "".join(piece.rstrip("-") for piece in long) == "Supercalifragilistic"
    assert deck_fits("Two words", 10, 100, 12.5) and not deck_fits("Two words", 10, 30, 12.5)
