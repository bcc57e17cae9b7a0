"""The build hook (``hatch_build.py`` at the repository's root), loaded as a module.

It is no package module (hatchling runs it from the root), so tests load it by path.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load_build_hook() -> ModuleType:
    """Return ``hatch_build.py`` run as a module (its compiler lookup, names, builder)."""
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
