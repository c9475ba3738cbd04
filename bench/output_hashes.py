"""Hash every output of every example, to prove a refactoring changed no byte.

    python bench/output_hashes.py --save before.txt     # before the change
    python bench/output_hashes.py --check before.txt    # after: lists every file that differs

Runs each writing command of the CLI in-process on every file in `examples/` (the same
commands `make demo` runs, plus the TB and print-theme charts and a per-severity chart) and
prints `sha256  relative/path` for every file written. Exit 1 when `--check` finds a
difference, so the comparison can gate a commit.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent

# (output folder, argv after the command's FILE argument); one row per kind of output
COMMANDS: list[tuple[str, list[str]]] = [
    ("charts", ["render", "-f", "svg,png,pdf,dot"]),
    ("charts-tb", ["render", "-f", "svg,dot", "--direction", "TB"]),
    ("charts-print", ["render", "-f", "svg", "--theme", "print"]),
    ("matrix", ["matrix", "-f", "md,csv,html,svg,png"]),
    ("audit", ["audit", "-f", "html,md,json"]),
    ("decks", ["slides"]),
    ("exports", ["export"]),
]


def hashes() -> dict[str, str]:
    """Run every command over the examples; give `relative path -> sha256` of each output."""
    from escalation_charts.cli import cli

    os.chdir(ROOT)
    runner = CliRunner()
    found: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for folder, argv in COMMANDS:
            # relative, as `make demo` runs them: reports name the file they audit
            args = [argv[0], "examples", *argv[1:], "-o", str(out / folder)]
            result = runner.invoke(cli, args, catch_exceptions=False)
            if result.exit_code != 0:
                sys.exit(f"{' '.join(args)} exited {result.exit_code}:\n{result.output}")
        for path in sorted(out.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                found[path.relative_to(out).as_posix()] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--save", type=Path, help="write the hashes to this file")
    group.add_argument("--check", type=Path, help="compare with hashes saved earlier")
    args = parser.parse_args()
    now = hashes()
    text = "".join(f"{digest}  {name}\n" for name, digest in now.items())
    if args.save:
        args.save.write_text(text)
        print(f"{len(now)} outputs hashed into {args.save}")
        return 0
    if args.check:
        before = dict(reversed(line.split("  ", 1)) for line in args.check.read_text().splitlines())
        differ = sorted(n for n in before.keys() | now.keys() if before.get(n) != now.get(n))
        for name in differ:
            print(f"differs: {name}")
        print(f"{len(now)} outputs, {len(differ)} differ from {args.check}")
        return 1 if differ else 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
