"""The README's first screen, copied line by line onto a fresh clone, works.

The first code block (`make demo`; `make test` is this suite itself, so it is not rerun)
and the Quick start block run as one shell script in a clone of this repository's HEAD,
with nothing installed beforehand. Slow (it creates a virtual environment): it runs in CI
(CI set) or when README_FIRST_SCREEN=1.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (os.environ.get("CI") or os.environ.get("README_FIRST_SCREEN")),
        reason="creates a fresh virtual environment: runs in CI or with README_FIRST_SCREEN=1",
    ),
    pytest.mark.skipif(
        shutil.which("git") is None or shutil.which("make") is None, reason="needs git and make"
    ),
]


def _blocks(text: str) -> list[list[str]]:
    """The shell lines of each ```sh block, comments dropped."""
    out = []
    for body in re.findall(r"```sh\n(.*?)```", text, re.S):
        lines = [re.sub(r"\s+#.*$", "", line).strip() for line in body.splitlines()]
        out.append([line for line in lines if line and not line.startswith("#")])
    return out


def test_first_screen_on_a_fresh_clone(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    first, quick = _blocks(readme)[:2]
    assert "make demo" in first and "make test" in first
    assert any("init" in line for line in quick)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    script = "set -eu\n" + "\n".join([line for line in first if line != "make test"] + quick)
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    done = subprocess.run(
        ["bash", "-c", script], cwd=clone, capture_output=True, text=True, timeout=900, env=env
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (clone / "process.yaml").is_file()
    assert list((clone / "charts").glob("*.png")), "the Quick start's render wrote no PNG"
    assert list((clone / "out" / "decks").glob("*.pptx")), "make demo wrote no deck"
