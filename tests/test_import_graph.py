"""The import graph has no cycles: hub_cards is a leaf, data flows sentence_emo -> eval_suite, annotate is a DAG.

The graph is read with ``ast`` from every ``import`` statement, including the lazy ones inside
functions, so a cycle hidden behind a function-level import fails too. To print it::

    python -m tests.test_import_graph
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("sentence_emo", "eval_suite", "hub_cards")
#: top-level package -> the packages it may import
ALLOWED = {"hub_cards": set(), "sentence_emo": {"hub_cards"}, "eval_suite": {"sentence_emo", "hub_cards"}}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """``module -> modules of the three packages it imports`` (absolute and relative imports)."""
    modules = {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                found = [f"{base}.{alias.name}" for alias in node.names] + [base]
            else:
                continue
            for target in found:
                while target and target not in modules:  # `from pkg import name` -> pkg
                    target = target.rpartition(".")[0]
                if target and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return cycles


def package_edges(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {pkg: set() for pkg in PACKAGES}
    for module, targets in graph.items():
        for target in targets:
            src, dst = module.split(".")[0], target.split(".")[0]
            if src != dst:
                edges[src].add(dst)
    return edges


def test_top_level_packages_import_one_way():
    graph = import_graph()
    offenders = sorted(f"{m} -> {t}" for m, targets in graph.items() for t in targets
                       if t.split(".")[0] != m.split(".")[0] and t.split(".")[0] not in ALLOWED[m.split(".")[0]])
    assert not offenders, offenders
    assert not _cycles(package_edges(graph))


def test_hub_cards_is_a_leaf_in_a_fresh_interpreter():
    """Importing hub_cards (all its modules) with sentence_emo and eval_suite blocked works."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('sentence_emo', 'eval_suite'):\n"
        "            raise ImportError(f'hub_cards imported {name}')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import pkgutil, importlib, hub_cards\n"
        "for info in pkgutil.iter_modules(hub_cards.__path__):\n"
        "    importlib.import_module(f'hub_cards.{info.name}')\n"
        "hub_cards.results_to_entries({'goemotions': {'macro_f1': 0.4}})\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)  # imports sentence-transformers: slow on a loaded CPU
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.mark.parametrize("package", ["sentence_emo.annotate", "hub_cards", "eval_suite"])
def test_no_import_cycle_inside_a_package(package):
    graph = import_graph()
    # a package's __init__ re-exports its modules; the modules themselves must form a DAG
    inner = {m: {t for t in targets if t.startswith(package + ".")} for m, targets in graph.items()
             if m.startswith(package + ".")}
    assert not _cycles(inner), _cycles(inner)


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


if __name__ == "__main__":
    for src, dsts in sorted(package_edges(import_graph()).items()):
        print(f"{src} -> {', '.join(sorted(dsts)) or '(nothing)'}")
