"""Deep nesting is refused before libyaml's recursive composer can overflow the C stack,
also when the cheap shallowness proof (which skips per-node depth counting) is fooled at."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_charts import load_text
from escalation_charts.reading.compose import _provably_shallow, _StrictParser

TRICKS = {
    "flow": "a: " + "[" * 70 + "]" * 70,
    "block": "a:\n" + "".join("  " * i + "-\n" for i in range(70)),
    "compact": "- " * 70 + "x",
    "comment-closers": "a: [ # ]\n" * 80,
    "quoted-closers": 'a: ["]", ' * 80,
    "tag-closers": "a: [!x] " * 80,
    "carriage-returns": "a:\r" + "".join("  " * i + "-\r" for i in range(70)),
}


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_tricks_are_not_vouched_for_and_deep_ones_are_refused(name: str) -> None:
    text = TRICKS[name]
    assert not _provably_shallow(text)
    loaded = load_text(text)
    assert loaded.definition is None
    assert loaded.findings[0].rule == "syntax"


class _Deepest(_StrictParser):
    """Composes without a bound and records the deepest level reached."""

    deepest = 0

    def descend_resolver(self, parent: object, index: object) -> None:
        self._depth += 1
        self.deepest = max(self.deepest, self._depth)


def _deepest(text: str) -> int:
    parser = _Deepest(text)
    try:
        parser.get_single_node()
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return parser.deepest


_PIECES = ["- ", "? ", ": ", "a: ", "a", "[", "]", "{", "}", ", ", "'", '"', "# ", "!t ", "\r"]
_LINE = st.builds(
    lambda indent, pieces: " " * indent + "".join(pieces),
    st.integers(0, 8),
    st.lists(st.sampled_from(_PIECES), max_size=8),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_LINE, max_size=12).map("\n".join), st.integers(3, 12))
def test_the_bound_holds_on_random_yamlish_text(text: str, limit: int) -> None:
    if _provably_shallow(text, limit):
        assert _deepest(text) <= limit
