"""The shape of the package: data flows one way, no cycles, no private names across modules, one chooser.

Every ``import`` of the package is read from the source (module level, inside functions and under
``TYPE_CHECKING`` alike), resolved, and checked: a module imports only from its own layer or the
layers upstream of it, the import graph (with the package ``__init__`` modules an import runs) has
no cycle, and no module imports another's private name.
"""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import networkx as nx

import logicmodel
from logicmodel.search import attractors
from logicmodel.search.choose import choose

PACKAGE = Path(logicmodel.__file__).resolve().parent
#: Upstream to downstream; a module may import from its own layer and the layers before it.
LAYERS = [
    ("logicmodel.errors", "logicmodel.version", "logicmodel.compat"),
    ("logicmodel.model",),
    ("logicmodel.io",),
    ("logicmodel.engine",),
    ("logicmodel.dynamics",),
    ("logicmodel.search",),
    ("logicmodel.analysis",),
    ("logicmodel.output",),
    ("logicmodel.screen",),
    ("logicmodel.cli", "logicmodel.__main__"),
    ("logicmodel",),  # the package's own __init__: imports its names lazily
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _layer(name: str) -> int:
    for k, prefixes in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes if p != "logicmodel"):
            return k
    assert name == "logicmodel", name
    return len(LAYERS) - 1


def _imports(name: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every internal import of a module."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if _is_package(name) else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names if a.name.split(".")[0] == "logicmodel"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "logicmodel":
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.append((sub, None, node.lineno) if sub in MODULES else (target, a.name, node.lineno))
    return out


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts))]


def test_every_import_resolves_to_a_module():
    for name in MODULES:
        for target, _, line in _imports(name):
            assert target in MODULES, f"{name}:{line} imports {target}, which is not a module of the package"


def test_nothing_imports_downstream():
    wrong = []
    for name in MODULES:
        for target, _, line in _imports(name):
            if _layer(target) > _layer(name):
                wrong.append(f"{name}:{line} imports {target} (downstream)")
    assert wrong == []


def test_the_import_graph_has_no_cycle():
    g = nx.DiGraph()
    for name in MODULES:
        g.add_node(name)
        own = set(_ancestors(name))
        for target, _, _ in _imports(name):
            # importing a module runs the __init__ of each package above it that is not yet running
            for t in [target, *(a for a in _ancestors(target) if a not in own)]:
                if t != name:
                    g.add_edge(name, t)
    cycles = list(nx.simple_cycles(g))
    assert cycles == [], cycles[:3]


def test_no_private_name_crosses_a_module():
    wrong = []
    for name in MODULES:
        for target, imported, line in _imports(name):
            private_module = any(p.startswith("_") and not p.startswith("__") for p in target.split("."))
            private_name = imported is not None and imported.startswith("_") and not imported.startswith("__")
            if private_module or private_name:
                wrong.append(f"{name}:{line} imports {target}{'.' + imported if imported else ''}")
    assert wrong == []


def test_the_chooser_and_the_search_are_short():
    for func in (choose, attractors):
        lines, _ = inspect.getsourcelines(func)
        assert len(lines) < 60, f"{func.__qualname__}: {len(lines)} lines"


def test_the_layers_cover_the_package():
    assert {_layer(n) for n in MODULES} == set(range(len(LAYERS)))
