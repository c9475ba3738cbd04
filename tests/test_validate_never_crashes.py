"""Random and mutated YAML through `validate`: never a traceback, exit code 0, 1 or 2."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalation_charts.cli import cli

from .conftest import EXAMPLES

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in EXAMPLES]
YAML_BITS = st.sampled_from(
    [
        ": ",
        "- ",
        "{",
        "}",
        "[",
        "]",
        ",",
        "&a ",
        "*a",
        "!!str ",
        "!!python/object:os.system",
        "\n",
        "  ",
        "\t",
        "'",
        '"',
        "#",
        "|\n",
        ">\n",
        "? ",
        "%YAML 1.1\n",
        "---\n",
        "...\n",
        "~",
        "null",
        "yes",
        "1e9",
        "0x1F",
        "2026-02-30",
        "next",
        "to",
        "when",
        "after",
        "P1",
        "type: start",
        "lane",
        "id",
        "steps:",
        "\x00",
        "\ud800",
        "\u202e",
        "😀",
    ]
)


def _check(tmp: Path, text: str) -> None:
    path = tmp / "fuzz.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(YAML_BITS, st.text(max_size=8)), max_size=40).map("".join))
def test_random_yaml(tmp_path: Path, text: str) -> None:
    _check(tmp_path, text)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(SEED_TEXTS),
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 3), st.one_of(YAML_BITS, st.text(max_size=4))),
        min_size=1,
        max_size=6,
    ),
)
def test_mutated_examples(tmp_path: Path, seed: str, edits) -> None:
    text = seed
    for where, action, bit in edits:
        at = int(where * len(text))
        if action == 0:
            text = text[:at] + bit + text[at:]
        elif action == 1:
            text = text[:at] + text[at + len(bit) + 1 :]
        elif action == 2:
            lines = text.splitlines(keepends=True)
            k = int(where * (len(lines) - 1))
            lines.insert(k, lines[k])  # a duplicated line: duplicate keys and ids
            text = "".join(lines)
        else:
            text = text[:at] + bit * 3 + text[at:]
    _check(tmp_path, text)
