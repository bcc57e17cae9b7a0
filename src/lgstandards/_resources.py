"""Locate the published artefacts (``schemas/``, ``vocabularies/``, ``examples/``).

This is the only module that knows where the data folders are. A wheel carries
them under ``lgstandards/_data/``; an editable install or a checkout finds them at
the repository root, next to ``src/``, confirmed by a marker file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from lgstandards.exceptions import DataNotFoundError

DataKind = Literal["schemas", "vocabularies", "examples"]

#: A file every data folder holds, so that a stray folder of the same name is not mistaken.
MARKER = "MANIFEST.json"


@cache
def data_root(kind: DataKind) -> Path:
    """Return the folder holding the ``kind`` artefacts, packaged or from the checkout."""
    # The package is always a plain directory (the data is read through real paths), so
    # its folder is next to this file; importlib.resources would only add import time.
    packaged = Path(__file__).resolve().parent / "_data" / kind
    if (packaged / MARKER).is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / kind
    if (checkout / MARKER).is_file():
        return checkout
    raise DataNotFoundError(
        f"cannot find the lgstandards {kind!r} folder (looked in {packaged} and {checkout}); "
        "reinstall the package"
    )


def vocabularies_root() -> Path:
    """Return the folder of the published vocabularies."""
    return data_root("vocabularies")


def schemas_root() -> Path:
    """Return the folder of the published schemas, rules and shapes."""
    return data_root("schemas")


def examples_root() -> Path:
    """Return the folder of the bundled conformance examples."""
    return data_root("examples")


__all__ = ["MARKER", "DataKind", "data_root", "examples_root", "schemas_root", "vocabularies_root"]
