"""Helpers shared by the test folders (on ``sys.path`` through pytest's ``pythonpath``).

The shared data (``../shared`` beside the repository, or ``$LGSTANDARDS_SHARED``) holds
the original external files and the domain notes; tests that need it are marked
``external`` and skip when it is absent.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path
from typing import Any

from lgstandards._resources import vocabularies_root

REPO = Path(__file__).resolve().parents[2]
VOCABULARIES = REPO / "vocabularies"
SHARED = Path(os.environ.get("LGSTANDARDS_SHARED") or REPO.parent / "shared")
EXTERNAL = SHARED / "data" / "external"
DOMAIN = SHARED / "docs" / "domain.md"
LISTS = ("lgsl", "lgil", "functions", "lgnl", "tiers", "transactions")


def parse(data: bytes, fmt: str) -> Any:
    """Parse RDF bytes with rdflib (its JSON-LD parser warns about ConjunctiveGraph)."""
    from rdflib import Graph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=data, format=fmt)


def copy_vocabularies(target: Path, lists: tuple[str, ...] | None = None) -> Path:
    """Copy the shipped vocabularies' sources (no release, no built files) to ``target``.

    With ``lists``, only those lists' folders are copied (with ``MANIFEST.json``, the
    registry of list names). Tests publish into such copies, never into the real folder.
    """
    skip = shutil.ignore_patterns("built", ".*", "[0-9]*.[0-9]*")
    if lists is None:
        shutil.copytree(vocabularies_root(), target, ignore=skip)
        return target
    target.mkdir(parents=True)
    shutil.copy(vocabularies_root() / "MANIFEST.json", target)
    for name in lists:
        shutil.copytree(vocabularies_root() / name, target / name, ignore=skip)
    return target
