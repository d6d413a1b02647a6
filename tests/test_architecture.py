"""The layers hold (docs/architecture.md): import-linter's contracts (pyproject.toml) pass, and no module of the
platform takes part in an import cycle, inside an app or across apps."""

import sys
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

SOURCE = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture(scope="module")
def graph():
    if str(SOURCE) not in sys.path:
        sys.path.insert(0, str(SOURCE))
    return grimp.build_graph("wenminghao")


def import_cycles(graph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each an import cycle."""
    edges = {module: set(graph.find_modules_directly_imported_by(module)) & graph.modules for module in graph.modules}
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(start):
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_import_cycle(graph):
    assert import_cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    class Graph:
        modules = {"a", "b", "c"}

        @staticmethod
        def find_modules_directly_imported_by(module):
            return {"a": {"b"}, "b": {"a"}, "c": {"a"}}[module]

    assert import_cycles(Graph()) == [["a", "b"]]


def test_import_linter_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(SOURCE.parent)
    monkeypatch.syspath_prepend(str(SOURCE))
    assert lint_imports() == 0
