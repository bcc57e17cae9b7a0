"""Transactions: the real LGSL service x LGIL interaction pairs councils put online.

The shipped pairs are those GOV.UK Local Links Manager held council links for in
April 2017. :class:`~lgstandards.vocab.types.Transaction` is the pydantic model for
a pair in your own data.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from lgstandards._resources import vocabularies_root
from lgstandards.vocab.source import SchemeInfo, read_scheme, read_transactions

if TYPE_CHECKING:
    from lgstandards.vocab.lgil import Interaction
    from lgstandards.vocab.lgsl import Service


@dataclass(frozen=True, slots=True)
class ServiceInteraction:
    """One published (service, interaction) pair with GOV.UK's slugs."""

    service_code: int
    interaction_code: int
    service_slug: str
    interaction_slug: str
    councils: int
    source: str

    @property
    def service(self) -> Service:
        """The LGSL service; raises UnknownCodeError if the code is not in the shipped LGSL."""
        from lgstandards.vocab.lgsl import lgsl

        return lgsl.lookup(self.service_code)

    @property
    def interaction(self) -> Interaction:
        """The LGIL interaction."""
        from lgstandards.vocab.lgil import lgil

        return lgil.lookup(self.interaction_code)

    def __str__(self) -> str:
        return f"{self.service_code}/{self.interaction_code}"


@dataclass(frozen=True, slots=True)
class _Index:
    scheme: SchemeInfo
    pairs: Mapping[tuple[int, int], ServiceInteraction]
    by_service: Mapping[int, tuple[ServiceInteraction, ...]]
    by_interaction: Mapping[int, tuple[ServiceInteraction, ...]]


class TransactionList:
    """The published service x interaction pairs, loaded on first use."""

    name = "transactions"

    def __init__(self) -> None:
        self._index: _Index | None = None
        self._lock = threading.Lock()

    def _load(self) -> _Index:
        with self._lock:
            if self._index is None:
                folder = vocabularies_root() / self.name
                rows = [
                    ServiceInteraction(
                        service_code=int(r["service"]),
                        interaction_code=int(r["interaction"]),
                        service_slug=r["service_slug"],
                        interaction_slug=r["interaction_slug"],
                        councils=int(r["councils"]),
                        source=r["source"],
                    )
                    for r in read_transactions(folder)
                ]
                by_service: dict[int, list[ServiceInteraction]] = {}
                by_interaction: dict[int, list[ServiceInteraction]] = {}
                for t in rows:
                    by_service.setdefault(t.service_code, []).append(t)
                    by_interaction.setdefault(t.interaction_code, []).append(t)
                self._index = _Index(
                    scheme=read_scheme(folder),
                    pairs=MappingProxyType({(t.service_code, t.interaction_code): t for t in rows}),
                    by_service=MappingProxyType({k: tuple(v) for k, v in by_service.items()}),
                    by_interaction=MappingProxyType(
                        {k: tuple(v) for k, v in by_interaction.items()}
                    ),
                )
            return self._index

    @property
    def _idx(self) -> _Index:
        return self._index if self._index is not None else self._load()

    @property
    def scheme(self) -> SchemeInfo:
        """The list's metadata and provenance."""
        return self._idx.scheme

    @property
    def version(self) -> str:
        """The list's version."""
        return self._idx.scheme.version

    def get(self, service: int, interaction: int) -> ServiceInteraction | None:
        """Return the published pair, or None."""
        return self._idx.pairs.get((service, interaction))

    def for_service(self, service: int) -> tuple[ServiceInteraction, ...]:
        """Return the pairs published for an LGSL service."""
        return self._idx.by_service.get(service, ())

    def for_interaction(self, interaction: int) -> tuple[ServiceInteraction, ...]:
        """Return the pairs published for an LGIL interaction."""
        return self._idx.by_interaction.get(interaction, ())

    def __contains__(self, pair: object) -> bool:
        return pair in self._idx.pairs

    def __iter__(self) -> Iterator[ServiceInteraction]:
        return iter(self._idx.pairs.values())

    def __len__(self) -> int:
        return len(self._idx.pairs)

    def __repr__(self) -> str:
        return "<TransactionList 'transactions'>"


#: The published pairs: ``transactions.for_service(57)``.
transactions = TransactionList()

__all__ = ["ServiceInteraction", "TransactionList", "transactions"]
