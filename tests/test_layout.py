"""The package's shape: no import cycles, no backend named outside pqc/backends/ and pqc/cli/,
and every registered backend describes itself as the backend Protocol asks."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from pqc.backends import backend_capabilities, backend_module, backend_names
from pqc.backends.capabilities import Capabilities

ROOT = Path(__file__).resolve().parents[1]

# Known exceptions (file: line), each being fixed by the module's owner. The tests fail on any
# new one and on any listed one that is gone (then delete it here): the lists only shrink.
# A known cycle is named by one module in it.
KNOWN_CYCLES: list[str] = []
KNOWN_NAMES: list[str] = []


def _cycle_finder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_cycles", ROOT / "benchmarks" /
                                                  "import_cycles.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_import_cycles_among_pqc_modules() -> None:
    finder = _cycle_finder()
    graph = finder.import_graph(ROOT)
    assert graph["pqc.api"], "the finder must see imports"
    found = finder.cycles(graph)
    named = [next((m for m in KNOWN_CYCLES if m in cycle), None) for cycle in found]
    assert [cycle for cycle, name in zip(found, named, strict=True) if name is None] == []
    assert sorted(n for n in named if n) == sorted(KNOWN_CYCLES), "a known cycle is gone"


def test_the_cycle_finder_sees_function_level_and_registry_imports() -> None:
    finder = _cycle_finder()
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert finder.cycles(graph) == [["a", "b", "c"]]
    edges = finder.import_graph(ROOT)
    assert "pqc.backends.liboqs" in edges["pqc.backends"]  # loaded by name via importlib
    assert "pqc.backends.gmssl_z256" in edges["pqc.backends.gmssl_native"]  # inside a function


def test_no_backend_name_in_a_string_outside_backends_and_cli() -> None:
    names = "|".join(re.escape(name) for name in backend_names())
    literal = re.compile(rf"""["']({names})["']""")
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in sorted((ROOT / "pqc").rglob("*.py"))
        if path.parent.name not in ("backends", "cli")
        for line in path.read_text(encoding="utf-8").splitlines()
        if literal.search(line)
    ]
    assert found == KNOWN_NAMES


@pytest.mark.parametrize("name", backend_names())
def test_each_backend_describes_itself(name: str) -> None:
    module = backend_module(name)
    assert name == module.NAME
    capabilities = backend_capabilities(name)
    assert isinstance(capabilities, Capabilities)
    assert capabilities.thread_safety
