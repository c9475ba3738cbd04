"""The charts committed under docs/charts are what the code draws today.

If this fails after a change to the look of the charts, run `make charts` (or
`python docs/charts/regenerate.py`) and commit the new files.
"""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import ROOT

SCRIPT = ROOT / "docs" / "charts" / "regenerate.py"


def _regenerate():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("regenerate_charts", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_committed_charts_are_current() -> None:
    fresh = _regenerate().charts()
    assert {p.suffix for p in fresh} == {".svg", ".png"}
    stale = []
    for path, data in sorted(fresh.items()):
        assert path.exists(), f"{path.name} is missing: run `make charts`"
        if path.suffix == ".svg" and path.read_bytes() != data:
            stale.append(path.name)
    assert not stale, f"out of date (run `make charts`): {', '.join(stale)}"
