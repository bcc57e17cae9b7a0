"""Read-only indexes of the mapping files (function, heading and tier -> service), built once."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from lgstandards._resources import vocabularies_root
from lgstandards.vocab.source import read_mappings


@cache
def containment(
    list_name: str,
) -> tuple[Mapping[int, tuple[int, ...]], Mapping[int, tuple[int, ...]]]:
    """Return (concept -> services, service -> concepts) for a list's ``mappings.csv``."""
    forward: dict[int, list[int]] = {}
    backward: dict[int, list[int]] = {}
    for row in read_mappings(vocabularies_root() / list_name):
        code, service = int(row["code"]), int(row["service"])
        forward.setdefault(code, []).append(service)
        backward.setdefault(service, []).append(code)
    return (
        MappingProxyType({k: tuple(sorted(v)) for k, v in forward.items()}),
        MappingProxyType({k: tuple(sorted(v)) for k, v in backward.items()}),
    )


__all__ = ["containment"]
