"""No import circles inside dashboard/ (issue 23): every import, including those inside
functions and under ``if TYPE_CHECKING:``, read from the source with ast (nothing imported).

Before: ``data/model.py`` <-> ``data/versions.py``, and ``views/model.py`` -> ``pack``/
``meeting``/``evidence`` -> ``since``/``compare`` -> ``model`` (helpers typed against the
ViewModel they were handed); the helpers now take the ``views.facade.Views`` protocol.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"


def _name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """module -> the modules of the package it imports (``from . import x`` names module x)."""
    files = {_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in files}
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    target = f"{module}.{alias.name}"
                    found.add(target if target in files else module)
        graph[name] = {m for m in found if m in files and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_dashboard_has_no_import_cycles():
    found = cycles(import_graph(PACKAGE))
    assert found == [], "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_check_sees_a_circle_through_a_type_only_import(tmp_path):
    root = tmp_path / "dashboard"
    (root / "views").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "views" / "__init__.py").write_text("")
    (root / "views" / "model.py").write_text("from .pack import build\n")
    (root / "views" / "pack.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .model import ViewModel\n"
    )
    (root / "views" / "text.py").write_text("from . import pack\n")
    assert cycles(import_graph(root)) == [["dashboard.views.model", "dashboard.views.pack"]]
