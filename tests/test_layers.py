"""The package's architecture, read from its source with `ast` (nothing under rag/ is imported).

Every absolute or relative import of a `rag` module counts, wherever it stands: at the top, inside a
function, or under `if TYPE_CHECKING:`. Dynamic imports (`importlib.import_module(name)`) and the
implicit import of a parent package's `__init__` are not seen.

Layers, lowest first; a module may import its own layer or lower ones:
  rag.types, rag.errors, rag.config
  rag.lang
  rag.ingest
  rag.index
  rag.question
  rag.retrieve
  rag.guard and rag.answer: answer may import guard; guard may import only rag.answer.citations and
  rag.answer.units (the units it ranks)
  rag (the facade), rag.qa, rag.query_engine
  shells: rag.ui, rag.cli, rag.evaluation, rag.bench; a shell imports no other shell, except
  rag.cli, which dispatches to all of them, and rag.bench -> rag.evaluation, which today's code does
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

RAG = Path(__file__).resolve().parent.parent / "rag"
MAX_MODULE_LINES = 300
MAX_TOP_LEVEL_MODULES = 8

Graph = Mapping[str, Mapping[str, int]]  # module -> {module it imports: line of the first such import}

LAYERS = {
    "rag.types": 0, "rag.errors": 0, "rag.config": 0,
    "rag.lang": 1,
    "rag.ingest": 2,
    "rag.index": 3,
    "rag.question": 4,
    "rag.retrieve": 5,
    "rag.guard": 6, "rag.answer": 6,
    "rag": 7, "rag.qa": 7, "rag.query_engine": 7,
    "rag.ui": 8, "rag.cli": 8, "rag.evaluation": 8, "rag.bench": 8,
}  # fmt: skip
SHELL_LAYER = 8
DISPATCHER = "rag.cli"
GUARD_MAY_IMPORT = frozenset({"rag.answer.citations", "rag.answer.units"})
# rag/bench/latency.py measures the eval's naive baseline (rag.evaluation.baseline) beside ours.
SHELL_IMPORTS_TODAY = frozenset({("rag.bench", "rag.evaluation")})


@dataclass(frozen=True)
class Violation:
    rule: str  # "upward", "guard-answer", "shell" or "unlayered"
    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} imports {self.imported} ({self.rule})"


# --- reading the graph -------------------------------------------------------------------------


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def read_graph(root: Path) -> dict[str, dict[str, int]]:
    """The import graph of the package in `root` (a folder named like the package)."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, dict[str, int]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: dict[str, int] = {}
        for target, line in _imports(tree, module, path.name == "__init__.py", files.keys()):
            if target != module and (target == root.name or target.startswith(root.name + ".")):
                edges[target] = min(line, edges.get(target, line))
        graph[module] = edges
    return graph


def _imports(tree: ast.AST, module: str, is_package: bool, known: Mapping | set) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield (submodule if submodule in known else base), node.lineno


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, node.module] if node.module else package)


# --- the rules ---------------------------------------------------------------------------------


def room(module: str) -> str:
    return ".".join(module.split(".")[:2])


def find_cycles(graph: Graph) -> list[list[str]]:
    """One cycle (first module repeated at the end) for each strongly connected group of modules."""
    cycles = []
    for group in _strongly_connected(graph):
        if len(group) > 1:
            cycles.append(_cycle_through(min(group), group, graph))
    return sorted(cycles)


def _strongly_connected(graph: Graph) -> list[set[str]]:
    """Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _cycle_through(start: str, group: set[str], graph: Graph) -> list[str]:
    """The shortest path from `start` back to itself inside `group` (breadth first)."""
    paths = [[start]]
    seen = {start}
    while paths:
        path = paths.pop(0)
        for nxt in sorted(graph.get(path[-1], {})):
            if nxt == start:
                return [*path, start]
            if nxt in group and nxt not in seen:
                seen.add(nxt)
                paths.append([*path, nxt])
    raise AssertionError(f"{start} is in a strongly connected group but on no cycle")


def violations(graph: Graph) -> list[Violation]:
    found = []
    for importer in sorted(graph):
        if room(importer) not in LAYERS:
            found.append(Violation("unlayered", importer, "", 0))
        for imported, line in sorted(graph[importer].items()):
            rule = _broken_rule(importer, imported)
            if rule is not None:
                found.append(Violation(rule, importer, imported, line))
    return found


def _broken_rule(importer: str, imported: str) -> str | None:
    src, dst = room(importer), room(imported)
    if src == dst:
        return None
    if src not in LAYERS or dst not in LAYERS:
        return "unlayered"
    if LAYERS[src] < LAYERS[dst]:
        return "upward"
    if LAYERS[src] == LAYERS[dst] == SHELL_LAYER and src != DISPATCHER and (src, dst) not in SHELL_IMPORTS_TODAY:
        return "shell"
    if (src, dst) == ("rag.guard", "rag.answer") and imported not in GUARD_MAY_IMPORT:
        return "guard-answer"
    return None


def _of_rule(graph: Graph, *rules: str) -> list[str]:
    return [str(v) for v in violations(graph) if v.rule in rules]


# --- the checker checks itself on small made-up graphs -----------------------------------------


def test_find_cycles__reports_a_synthetic_cycle_as_a_path():
    graph = {
        "rag.lang.a": {"rag.lang.b": 3},
        "rag.lang.b": {"rag.lang.c": 4, "rag.types": 1},
        "rag.lang.c": {"rag.lang.a": 5},
        "rag.lang.d": {"rag.lang.a": 1},
        "rag.types": {},
    }
    assert find_cycles(graph) == [["rag.lang.a", "rag.lang.b", "rag.lang.c", "rag.lang.a"]]


def test_find_cycles__empty_for_a_graph_without_cycles():
    graph = {"rag.qa": {"rag.index.build": 1, "rag.types": 2}, "rag.index.build": {"rag.types": 1}, "rag.types": {}}
    assert find_cycles(graph) == []


def test_violations__flag_a_synthetic_upward_import_with_its_line():
    graph = {"rag.lang.text": {"rag.index.keywords": 7, "rag.types": 3}, "rag.index.keywords": {"rag.lang.text": 2}}
    assert violations(graph) == [Violation("upward", "rag.lang.text", "rag.index.keywords", 7)]


def test_violations__guard_may_import_only_answer_citations():
    graph = {
        "rag.guard.judge": {"rag.answer.citations": 1, "rag.answer.extractive": 2},
        "rag.answer.extractive": {"rag.guard.judge": 3},
    }
    assert _of_rule(graph, "guard-answer") == ["rag.guard.judge:2 imports rag.answer.extractive (guard-answer)"]
    assert violations(graph) == [Violation("guard-answer", "rag.guard.judge", "rag.answer.extractive", 2)]


def test_violations__shells_import_no_other_shell_except_the_cli():
    graph = {
        "rag.qa": {"rag.ui.app": 1},
        "rag.ui.app": {"rag.bench.runner": 2, "rag.qa": 3},
        "rag.cli": {"rag.ui.app": 4, "rag.bench": 5, "rag.evaluation.runner": 6},
        "rag.bench.latency": {"rag.evaluation.baseline": 7},
        "rag.evaluation.runner": {"rag.bench.measure": 8},
    }
    assert violations(graph) == [
        Violation("shell", "rag.evaluation.runner", "rag.bench.measure", 8),
        Violation("upward", "rag.qa", "rag.ui.app", 1),
        Violation("shell", "rag.ui.app", "rag.bench.runner", 2),
    ]


def test_violations__a_module_outside_every_layer_is_flagged():
    graph = {"rag.plugins.x": {"rag.types": 1}, "rag.types": {}}
    assert [v.rule for v in violations(graph)] == ["unlayered", "unlayered"]


def test_read_graph__sees_top_level_function_level_from_and_relative_imports(tmp_path: Path):
    root = tmp_path / "rag"
    files = {
        "__init__.py": "from rag.types import T\n",
        "types.py": "T = 1\n",
        "a/__init__.py": "",
        "a/x.py": "import os\nfrom rag.b import y\n\n\ndef f():\n    import rag.c.z\n",
        "b/__init__.py": "",
        "b/y.py": "from . import w\nfrom .w import thing\nfrom ..types import T\n",
        "b/w.py": "from rag import types\n",
        "c/__init__.py": "",
        "c/z.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from rag.a.x import f\n",
    }
    for name, source in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(source, encoding="utf-8")
    assert read_graph(root) == {
        "rag": {"rag.types": 1},
        "rag.types": {},
        "rag.a": {},
        "rag.a.x": {"rag.b.y": 2, "rag.c.z": 6},
        "rag.b": {},
        "rag.b.y": {"rag.b.w": 1, "rag.types": 3},
        "rag.b.w": {"rag.types": 1},
        "rag.c": {},
        "rag.c.z": {"rag.a.x": 3},
    }


# --- the package as it stands ------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> dict[str, dict[str, int]]:
    return read_graph(RAG)


def test_rag__graph_is_read(graph):
    # guards the tests below against passing on an empty or mis-read graph
    assert len(graph) > 50
    assert graph["rag.qa"]["rag.retrieve.hybrid"] > 0
    assert "rag.index.build" in graph["rag.cli"]  # an import inside a function


def test_rag__has_no_import_cycles(graph):
    assert find_cycles(graph) == []


def test_rag__every_module_has_a_layer(graph):
    assert _of_rule(graph, "unlayered") == []


def test_rag__no_lower_layer_imports_an_upper_one(graph):
    assert _of_rule(graph, "upward") == []


def test_rag__guard_imports_only_answer_citations(graph):
    assert _of_rule(graph, "guard-answer") == []


def test_rag__shells_import_no_other_shell_except_the_cli(graph):
    assert _of_rule(graph, "shell") == []


def test_rag__bench_to_evaluation_allowance_is_still_used(graph):
    # the one shell-to-shell import allowed besides the cli's; drop it from SHELL_IMPORTS_TODAY when it goes
    used = {(room(a), room(b)) for a, edges in graph.items() for b in edges}
    assert SHELL_IMPORTS_TODAY <= used


def test_rag__modules_stay_within_300_lines():
    long = {
        str(p.relative_to(RAG.parent)): n
        for p in sorted(RAG.rglob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_rag__has_at_most_8_top_level_modules():
    top_level = sorted(p.name for p in RAG.glob("*.py"))
    assert "qa.py" in top_level
    assert len(top_level) <= MAX_TOP_LEVEL_MODULES, top_level
