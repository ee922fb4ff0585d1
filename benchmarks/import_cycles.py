"""Find import cycles among pqc's modules: ``python3 benchmarks/import_cycles.py [ROOT]``.

An edge A -> B means running A can import B. Counted (read from the source with
:mod:`ast`, nothing is imported):

- every ``import``/``from ... import`` statement, at module level or inside a
  function (a function-level import only defers a cycle, it does not remove it);
- the packages the imported module sits in, which Python initialises first
  (``from pqc.hybrid.kem import X`` runs ``pqc/hybrid/__init__.py``), except the
  importer's own packages, which are always initialised before it;
- a string literal that is exactly the dotted name of a pqc module (a module
  loaded by name through :mod:`importlib`, as the backend registry does).

Prints each cycle (a strongly connected component of two or more modules, or a
module importing itself) and exits 1 when there is any; 0 otherwise.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

PACKAGE = "pqc"


def module_names(root: Path) -> dict[str, Path]:
    """Dotted module name -> source file, for every .py file of the package under ``root``."""
    found: dict[str, Path] = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a (possibly relative) ``from ... import`` names."""
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _targets(importer: str, path: Path, modules: Mapping[str, Path]) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(importer, is_package, node)
            yield module
            for alias in node.names:  # `from pqc.backends import gmssl` imports a submodule
                if f"{module}.{alias.name}" in modules:
                    yield f"{module}.{alias.name}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and (
            node.value in modules
        ):
            yield node.value


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the pqc modules it can import (see the module docstring for what counts)."""
    modules = module_names(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for importer, path in modules.items():
        own = {".".join(importer.split(".")[:i]) for i in range(1, importer.count(".") + 2)}
        for target in _targets(importer, path, modules):
            parts = target.split(".")
            for i in range(1, len(parts) + 1):
                candidate = ".".join(parts[:i])
                if candidate in modules and candidate not in own:
                    graph[importer].add(candidate)
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with a cycle (Tarjan), each sorted, sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph) + 100))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1]
    graph = import_graph(root)
    found = cycles(graph)
    for component in found:
        print(f"cycle of {len(component)} modules: {' '.join(component)}")
    edges = sum(len(targets) for targets in graph.values())
    print(f"{len(found)} import cycles among {len(graph)} pqc modules ({edges} edges)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
