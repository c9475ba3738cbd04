"""The package's layers, as docs/architecture.md draws them, hold in the code.

Every `import` of the package (module level, inside functions and under TYPE_CHECKING
alike) is read from the source: a module may import its own layer or the layers below
it, never one above, and no two modules import each other, directly or round a loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "escalation_charts"

# Bottom to top, as in docs/architecture.md. A top-level module or package of
# escalation_charts belongs to the layer that names it.
LAYERS: list[set[str]] = [
    {"_lazy", "durations", "findings", "frozen", "ids", "model"},
    {"reading"},
    {"validate"},
    {"layout"},
    {"audit"},
    {"render"},
    {"export"},
    {"diff"},
    {"cli"},
]
# The public API (the package itself) re-exports from every layer; `python -m` runs the
# CLI. Importing the package's own `__version__` is no dependency on a layer: Python has
# imported the package before any module in it.
ABOVE_ALL = {"", "__main__"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Modules of the package that `name` imports, as dotted names below the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
            out.update(
                t.removeprefix("escalation_charts.")
                for t in targets
                if t.startswith("escalation_charts.")
            )
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
            module = ".".join(p for p in (base, node.module or "") if p)
        elif node.module and (
            node.module == "escalation_charts" or node.module.startswith("escalation_charts.")
        ):
            module = node.module.removeprefix("escalation_charts").lstrip(".")
        else:
            continue
        for alias in node.names:
            sub = ".".join(p for p in (module, alias.name) if p)
            out.add(sub if sub in MODULES else module)
    out.discard(name)
    out.discard("")
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> int:
    top = module.split(".")[0]
    if module in ABOVE_ALL:
        return len(LAYERS)
    for n, names in enumerate(LAYERS):
        if top in names:
            return n
    raise AssertionError(f"{module}: in no layer of docs/architecture.md; add it there and here")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_its_own_layer_or_below(module: str) -> None:
    upward = sorted(t for t in GRAPH[module] if t in MODULES and _layer(t) > _layer(module))
    assert not upward, f"{module} (layer {_layer(module)}) imports upwards: {upward}"


def test_no_module_imports_one_that_imports_it_back() -> None:
    # Tarjan's strongly connected components over the module graph
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH.get(v, ()):
            if w not in MODULES:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for v in sorted(MODULES):
        if v not in index:
            visit(v)
    # a package's __init__ re-exporting its own modules is not a loop through the code
    cycles = [c for c in cycles if not all(m == c[0] or m.startswith(c[0] + ".") for m in c)]
    assert not cycles, f"modules importing each other: {cycles}"


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The reader is not blind: `model` importing the CLI, even lazily, is caught."""
    fake = tmp_path / "model.py"
    fake.write_text("def f():\n    from escalation_charts.cli._common import say\n")
    found = _imports("model", fake)
    assert found == {"cli._common"}
    assert _layer("cli._common") > _layer("model")


def test_every_layer_named_in_the_architecture_page() -> None:
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text()
    for names in LAYERS:
        for name in names - {"_lazy", "diff"}:
            assert f"`{name}" in page, f"docs/architecture.md does not name {name}"
