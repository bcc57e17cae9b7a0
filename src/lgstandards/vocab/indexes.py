"""Build and check the search index of each list: ``built/<list>.search.json``.

``lgstandards vocab build`` (and ``scripts/build_vocabularies.py``) write it next to
the list's SKOS files, from the list's editable source and the word tables of
``vocabularies/search/``; ``vocab build --check`` reports it stale like the others.
The transactions list, which has no concepts, has no index.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lgstandards.vocab._base import Concept, Vocabulary, concept_fields
from lgstandards.vocab.concepts import shipped_list
from lgstandards.vocab.search import index_path
from lgstandards.vocab.source import ConceptRow, SchemeInfo, list_dir


def _plain(scheme: SchemeInfo, row: ConceptRow) -> Concept:
    return Concept(**concept_fields(scheme, row))  # type: ignore[arg-type]


def source_vocabulary(list_id: str, root: Path | None = None) -> Vocabulary[Any] | None:
    """Return the list ``list_id`` of ``root`` as in its source; None for the transactions.

    The shipped lists keep their record types (and so their relations); a list that is
    not shipped reads as plain :class:`~lgstandards.vocab.Concept` records.
    """
    folder = list_dir(list_id, root)
    if not (folder / "concepts.csv").is_file():
        return None
    shipped = shipped_list(list_id)
    if isinstance(shipped, Vocabulary):
        return shipped.at(folder.parent, "source")
    return Vocabulary(list_id, _plain, root=folder.parent, version="source")


def build_search_file(list_id: str, root: Path | None = None) -> dict[Path, bytes]:
    """Return ``{path: bytes}`` of the search index of ``list_id`` (empty: no index)."""
    vocabulary = source_vocabulary(list_id, root)
    if vocabulary is None:
        return {}
    return {index_path(vocabulary.folder, list_id): vocabulary.search_index_bytes()}


def write_search_file(list_id: str, root: Path | None = None) -> list[Path]:
    """Write the search index of ``list_id`` where it differs; return its path (if any)."""
    paths = []
    for path, data in build_search_file(list_id, root).items():
        path.parent.mkdir(exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
    return paths


def stale_search_file(list_id: str, root: Path | None = None) -> list[Path]:
    """Return the search index of ``list_id`` if it is missing or differs from a fresh build."""
    return [
        path
        for path, data in build_search_file(list_id, root).items()
        if not path.is_file() or path.read_bytes() != data
    ]


__all__ = ["build_search_file", "source_vocabulary", "stale_search_file", "write_search_file"]
