"""Dependencies point inward: the domain is pure, the schemas and the application service know
no web framework, store or edge; only the edges and the factory see Flask and Redis."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SERVICE = ROOT / "service"
OUTSIDE = {"flask", "flask_smorest", "flask_swagger_ui", "webargs", "werkzeug", "redis",
           "prometheus_client", "gunicorn"}
EDGES = {"service.api", "service.web", "service.adapters", "service.cli", "service.app",
         "service.config", "service.probe"}
# What each inner layer may not import (lazily inside a function included).
FORBIDDEN = {
    "domain": OUTSIDE | {"marshmallow"} | EDGES | {"service.schemas", "service.application"},
    "schemas": OUTSIDE | EDGES | {"service.application"},
    "application": OUTSIDE | EDGES,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module a source file imports, relative imports resolved to absolute names."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            # `from .. import api` imports the module service.api
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _breaks(name: str, forbidden: set[str]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_an_inner_layer_imports_nothing_outside_it(layer):
    files = sorted((SERVICE / layer).rglob("*.py"))
    assert files, layer
    wrong = {f"{path.relative_to(ROOT)}: {name}" for path in files for name in imported(path)
             if _breaks(name, FORBIDDEN[layer])}
    assert not wrong


def test_the_check_sees_relative_and_lazy_imports():
    module = SERVICE / "application" / "usecases.py"
    names = imported(module)
    assert "service.domain.evaluate" in names and "service.schemas.bodies" in names
    assert _breaks("service.api.problems", FORBIDDEN["application"])
    assert not _breaks("service.apiary", FORBIDDEN["application"])
