"""Shared constants and helpers of the vocabulary tests (a unique module name, not conftest)."""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[2]
VOCABULARIES = REPO / "vocabularies"
EXTERNAL = REPO.parent / "shared" / "data" / "external"
DOMAIN = REPO.parent / "shared" / "docs" / "domain.md"
LISTS = ("lgsl", "lgil", "functions", "lgnl", "tiers", "transactions")


def parse(data: bytes, fmt: str) -> Any:
    """Parse RDF bytes with rdflib (its JSON-LD parser warns about ConjunctiveGraph)."""
    from rdflib import Graph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=data, format=fmt)


def load_script(name: str) -> ModuleType:
    """Import scripts/<name>.py as a module."""
    path = REPO / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_lgs_script_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
