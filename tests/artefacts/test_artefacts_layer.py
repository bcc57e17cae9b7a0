"""The artefacts layer sits just above the base modules and imports nothing above them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lgstandards

PACKAGE = Path(lgstandards.__file__).parent
BASE = {
    "lgstandards.exceptions",
    "lgstandards._resources",
    "lgstandards.report",
    "lgstandards.safexml",
    "lgstandards._xmlvalues",
    "lgstandards._regex",
    "lgstandards._records",
    "lgstandards._threads",
}
#: What each checked module may import from lgstandards (itself included).
ALLOWED = {
    "artefacts": BASE | {"lgstandards.artefacts"},
    "rules/patterns.py": BASE | {"lgstandards.artefacts", "lgstandards.rules"},
    "rules/streamline.py": BASE | {"lgstandards.artefacts", "lgstandards.rules"},
    "rules/schematron.py": BASE | {"lgstandards.artefacts", "lgstandards.rules"},
}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "lgstandards":
                found.update(f"lgstandards.{alias.name}" for alias in node.names)
    return found


def _files() -> list[tuple[str, Path]]:
    found = []
    for key in ALLOWED:
        target = PACKAGE / key
        paths = sorted(target.glob("*.py")) if target.is_dir() else [target]
        found.extend((key, path) for path in paths)
    return found


@pytest.mark.parametrize(("key", "path"), _files(), ids=lambda v: getattr(v, "name", v))
def test_imports_point_down_only(key: str, path: Path) -> None:
    ours = {m for m in _imports(path) if m == "lgstandards" or m.startswith("lgstandards.")}
    allowed = ALLOWED[key]
    upward = sorted(m for m in ours if not any(m == a or m.startswith(f"{a}.") for a in allowed))
    assert upward == []
