"""The records of the shipped lists, and the one place that resolves relations between lists.

Each list module (:mod:`~lgstandards.vocab.lgsl`, :mod:`~lgstandards.vocab.lgil`,
:mod:`~lgstandards.vocab.functions`, :mod:`~lgstandards.vocab.lgnl`,
:mod:`~lgstandards.vocab.tiers`, :mod:`~lgstandards.vocab.transactions`) makes its list
from a record type defined here and registers it here. The relations
between lists are read and resolved here only: the functions and LGNL headings that
contain a service (their ``mappings.csv``), the tiers that provide it (GOV.UK's
providing tier) and the published service x interaction pairs. A record's relation
properties (``service.functions``, ``heading.services``, ``pair.interaction`` ...)
look the other list up by name among the registered ones, so no list module imports
another.

Relations always resolve into the lists as shipped (the latest release), also for a
record of an earlier release.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, TypeVar

from lgstandards._resources import vocabularies_root
from lgstandards.vocab._base import Concept, Vocabulary, _as_date
from lgstandards.vocab.search import Document
from lgstandards.vocab.source import (
    SchemeInfo,
    read_mappings,
    read_scheme,
    read_table,
    read_transactions,
)

C = TypeVar("C", bound=Concept)
L = TypeVar("L", bound="Vocabulary[Any] | TransactionList")

#: GOV.UK creates services with codes "not specified by esd" from this number up.
UNOFFICIAL_FROM = 100000

# ---------------------------------------------------------------- the shipped lists

_SHIPPED: dict[str, Vocabulary[Any] | TransactionList] = {}


def _register(found: L) -> L:
    """Register ``found`` as the shipped list of its name, so that relations resolve into it.

    Each list module calls this once for its list; returns the list.
    """
    _SHIPPED[found.name] = found
    return found


def shipped_list(name: str) -> Vocabulary[Any] | TransactionList | None:
    """Return the shipped list registered as ``name``, or None."""
    return _SHIPPED.get(name)


def _vocabulary(name: str) -> Vocabulary[Any]:
    found = _SHIPPED[name]
    if not isinstance(found, Vocabulary):
        raise TypeError(f"{name} is not a vocabulary")
    return found


def _related(name: str, codes: Iterable[int], kind: type[C]) -> tuple[C, ...]:
    """Return the records of ``codes`` in the list ``name``; codes it lacks are skipped."""
    vocabulary = _vocabulary(name)
    found = (vocabulary.get(code) for code in codes)
    return tuple(record for record in found if isinstance(record, kind))


def _one(name: str, code: int | None, kind: type[C]) -> C | None:
    """Return the record of ``code`` in the list ``name``, or None (no code, or not listed)."""
    found = _related(name, () if code is None else (code,), kind)
    return found[0] if found else None


def _required(name: str, code: int, kind: type[C]) -> C:
    """Return the record of ``code`` in the list ``name``; raises ``UnknownCodeError``."""
    record = _vocabulary(name).lookup(code)
    if not isinstance(record, kind):
        raise TypeError(f"{name} holds {type(record).__name__} records, not {kind.__name__}")
    return record


def _pairs() -> TransactionList:
    found = _SHIPPED["transactions"]
    if not isinstance(found, TransactionList):
        raise TypeError("transactions is not a TransactionList")
    return found


# ----------------------------------------------------------------- mapping indexes


@cache
def _containment(
    list_name: str,
) -> tuple[Mapping[int, tuple[int, ...]], Mapping[int, tuple[int, ...]]]:
    """Return (concept -> services, service -> concepts) of a list's ``mappings.csv``."""
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


#: The composite values of GOV.UK's ``Providing Tier`` column and the tiers they stand for.
PROVIDING_TIERS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "all": frozenset({"county", "district", "unitary"}),
        "county/unitary": frozenset({"county", "unitary"}),
        "district/unitary": frozenset({"district", "unitary"}),
    }
)


def parse_providing_tier(value: str) -> frozenset[str]:
    """Expand a published ``Providing Tier`` value into tier labels; raises ValueError."""
    try:
        return PROVIDING_TIERS[value.strip().casefold()]
    except KeyError:
        known = ", ".join(PROVIDING_TIERS)
        raise ValueError(f"{value!r} is not a providing tier (expected one of {known})") from None


@dataclass(frozen=True, slots=True)
class ServiceTier:
    """GOV.UK's providing tier of one LGSL service, as published.

    ``date`` and ``source`` say which version of GOV.UK Publisher's
    ``local_services.csv`` recorded it (the entries of :func:`service_tier_history`).
    """

    service: int
    providing_tier: str
    description: str
    date: dt.date | None = None
    source: str = ""

    @property
    def tiers(self) -> frozenset[Tier]:
        """The tiers the published value stands for."""
        labels = parse_providing_tier(self.providing_tier)
        return frozenset(
            t for t in _vocabulary("tiers") if isinstance(t, Tier) and t.label in labels
        )


@cache
def _service_tiers() -> Mapping[int, ServiceTier]:
    rows = read_mappings(vocabularies_root() / "tiers")
    return MappingProxyType(
        {
            int(r["service"]): ServiceTier(int(r["service"]), r["providing_tier"], r["description"])
            for r in rows
        }
    )


@cache
def _tier_history() -> tuple[tuple[dt.date, Mapping[int, ServiceTier]], ...]:
    """Return each dated version of GOV.UK's providing tiers, oldest first."""
    versions: dict[dt.date, dict[int, ServiceTier]] = {}
    for r in read_table(vocabularies_root() / "tiers" / "history.csv"):
        when = dt.date.fromisoformat(r["date"])
        entry = ServiceTier(
            int(r["service"]), r["providing_tier"], r["description"], when, r["source"]
        )
        versions.setdefault(when, {})[entry.service] = entry
    return tuple((when, MappingProxyType(versions[when])) for when in sorted(versions))


def _tiers_as_of(as_of: dt.date | str) -> Mapping[int, ServiceTier]:
    when = _as_date(as_of)
    found: Mapping[int, ServiceTier] = MappingProxyType({})
    for date, entries in _tier_history():
        if date <= when:
            found = entries
    return found


def service_tier(code: int, *, as_of: dt.date | str | None = None) -> ServiceTier | None:
    """Return GOV.UK's providing-tier entry for the LGSL service ``code``, if it has one.

    With ``as_of`` (a date or ``YYYY-MM-DD``), the entry of the version of GOV.UK's
    list in force on that date (None before the first, of 13 February 2012).
    """
    if as_of is None:
        return _service_tiers().get(code)
    return _tiers_as_of(as_of).get(code)


def service_tiers(*, as_of: dt.date | str | None = None) -> Mapping[int, ServiceTier]:
    """Return every service's providing-tier entry, by LGSL code (``as_of``: on that date)."""
    return _service_tiers() if as_of is None else _tiers_as_of(as_of)


def service_tier_history(code: int) -> tuple[ServiceTier, ...]:
    """Return every dated entry GOV.UK's list has held for the service ``code``, oldest first."""
    return tuple(entries[code] for _, entries in _tier_history() if code in entries)


def tiers_of_service(code: int, *, as_of: dt.date | str | None = None) -> frozenset[Tier]:
    """Return the tiers providing the LGSL service ``code`` (empty when GOV.UK has none).

    ``as_of`` answers for a date: ``tiers_of_service(57, as_of="2016-06-01")`` reads
    the version of GOV.UK's list of 20 March 2015, the one in force then.
    """
    entry = service_tier(code, as_of=as_of)
    return frozenset() if entry is None else entry.tiers


def functions_of_service(code: int) -> tuple[Function, ...]:
    """Return the functions that contain the LGSL service ``code``."""
    return tuple(
        _required("functions", c, Function) for c in _containment("functions")[1].get(code, ())
    )


def headings_of_service(code: int) -> tuple[NavigationHeading, ...]:
    """Return the LGNL headings that contain the LGSL service ``code``."""
    return tuple(
        _required("lgnl", c, NavigationHeading) for c in _containment("lgnl")[1].get(code, ())
    )


# ------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True, repr=False)
class Service(Concept):
    """An LGSL service, with its relations to the other lists as properties."""

    @property
    def unofficial(self) -> bool:
        """True for GOV.UK's own codes (100000 and above), not published by esd."""
        return self.code >= UNOFFICIAL_FROM

    @property
    def replacement(self) -> Service | None:
        """The service that replaces this deprecated one, if any."""
        return _one("lgsl", self.replaced_by, Service)

    @property
    def functions(self) -> tuple[Function, ...]:
        """The functions (esd Function list) that contain this service."""
        return functions_of_service(self.code)

    @property
    def headings(self) -> tuple[NavigationHeading, ...]:
        """The LGNL navigation headings this service sits under (LGNL is discontinued)."""
        return headings_of_service(self.code)

    @property
    def tiers(self) -> frozenset[Tier]:
        """The council tiers that provide this service, from GOV.UK's list (may be empty)."""
        return tiers_of_service(self.code)

    def tiers_as_of(self, date: dt.date | str) -> frozenset[Tier]:
        """Return the council tiers GOV.UK's list said provided this service on ``date``."""
        return tiers_of_service(self.code, as_of=date)

    @property
    def transactions(self) -> tuple[ServiceInteraction, ...]:
        """The pairs of this service with an interaction that a shipped real source holds.

        Each pair names its ``source``; today the only one is GOV.UK Local Links
        Manager's council links of April 2017 (``vocabularies/SOURCES.md`` says why the
        other service x interaction data found is not shipped).
        """
        return _pairs().for_service(self.code)

    @property
    def interactions(self) -> tuple[Interaction, ...]:
        """Every LGIL interaction a shipped real source pairs with this service.

        :attr:`transactions` gives each pair with its source. An interaction missing
        here is one no shipped source records, not one no council offers.
        """
        return tuple(dict.fromkeys(t.interaction for t in self.transactions))

    def search_document(self) -> Document:
        """Index the label, old names, GOV.UK's phrase, description, headings and functions.

        The prior favours the services councils put online: those GOV.UK lists (its
        local services and links) and those under an LGNL heading (the English and
        Welsh services of 2013).
        """
        fields = self._search_fields()
        govuk = tuple(dict.fromkeys(e.description for e in _tier_entries(self.code)))
        if govuk:
            fields["govuk"] = govuk
        headings = self.headings
        if headings:
            fields["heading"] = _with_parents(headings)
        functions = self.functions
        if functions:
            fields["function"] = _with_parents(functions)
        prior = PRIOR_DEPRECATED if self.deprecated else 0
        if govuk or self.transactions:
            prior += PRIOR_GOVUK
        if headings:
            prior += PRIOR_HEADING
        return Document(self.code, fields, prior)


@dataclass(frozen=True, slots=True, repr=False)
class Interaction(Concept):
    """An LGIL interaction type."""

    short_label: str | None = None
    parent_inferred: bool = False
    bvpi157: bool = False

    @property
    def parent(self) -> Interaction | None:
        """The broader interaction, if any (see ``parent_inferred``)."""
        return _parent("lgil", self, Interaction)

    @property
    def children(self) -> tuple[Interaction, ...]:
        """The narrower interactions, in code order."""
        return _children("lgil", self, Interaction)

    @property
    def services(self) -> tuple[Service, ...]:
        """The LGSL services offered with this interaction (from the transactions list)."""
        return tuple(t.service for t in _pairs().for_interaction(self.code))

    def search_document(self) -> Document:
        """Index the label, the short label, the description and the broader interaction."""
        document = Concept.search_document(self)
        fields = dict(document.fields)
        if self.short_label and self.short_label != self.label:
            fields["alt_label"] = (self.short_label,)
        parent = self.parent
        if parent is not None:
            fields["parent"] = (parent.label,)
        return Document(self.code, fields, document.prior)


@dataclass(frozen=True, slots=True, repr=False)
class Function(Concept):
    """A council function (for example 66 Housing)."""

    @property
    def parent(self) -> Function | None:
        """The broader function, or None at the top level."""
        return _parent("functions", self, Function)

    @property
    def children(self) -> tuple[Function, ...]:
        """The narrower functions."""
        return _children("functions", self, Function)

    @property
    def services(self) -> tuple[Service, ...]:
        """The LGSL services this function contains (codes not in LGSL are skipped)."""
        return _related("lgsl", self.service_codes, Service)

    @property
    def service_codes(self) -> tuple[int, ...]:
        """The codes of the services this function contains, as published."""
        return _containment("functions")[0].get(self.code, ())

    def search_document(self) -> Document:
        """Index the label and the broader function's."""
        return _with_parent_field(Concept.search_document(self), self.parent)


@dataclass(frozen=True, slots=True, repr=False)
class NavigationHeading(Concept):
    """An LGNL navigation heading (for example 50 Council tax and benefits)."""

    published_uri: str | None = None

    @property
    def parent(self) -> NavigationHeading | None:
        """The broader heading, or None at the top level."""
        return _parent("lgnl", self, NavigationHeading)

    @property
    def children(self) -> tuple[NavigationHeading, ...]:
        """The narrower headings."""
        return _children("lgnl", self, NavigationHeading)

    @property
    def services(self) -> tuple[Service, ...]:
        """The LGSL services under this heading (codes not in LGSL are skipped)."""
        return _related("lgsl", _containment("lgnl")[0].get(self.code, ()), Service)

    def search_document(self) -> Document:
        """Index the label and the broader heading's."""
        return _with_parent_field(Concept.search_document(self), self.parent)


@dataclass(frozen=True, slots=True, repr=False)
class Tier(Concept):
    """A tier of English local government (Local Links Manager ids 1 to 3)."""


#: Search priors (hundredths of a BM25 point): services GOV.UK lists, services under an
#: LGNL heading, deprecated concepts.
PRIOR_GOVUK = 100
PRIOR_HEADING = 30
PRIOR_DEPRECATED = -300


def _with_parents(records: Iterable[Function | NavigationHeading]) -> tuple[str, ...]:
    """Return the labels of ``records`` and of their parents, each once, in that order."""
    labels: dict[str, None] = {}
    for record in records:
        labels[record.label] = None
        parent = record.parent
        if parent is not None:
            labels[parent.label] = None
    return tuple(labels)


def _with_parent_field(document: Document, parent: Concept | None) -> Document:
    if parent is None:
        return document
    return Document(document.code, {**document.fields, "parent": (parent.label,)}, document.prior)


def _tier_entries(code: int) -> tuple[ServiceTier, ...]:
    entry = service_tier(code)
    return () if entry is None else (entry,)


def _parent(name: str, record: Concept, kind: type[C]) -> C | None:
    return _one(name, record.broader_code, kind)


def _children(name: str, record: Concept, kind: type[C]) -> tuple[C, ...]:
    return tuple(c for c in _vocabulary(name).narrower(record.code) if isinstance(c, kind))


# -------------------------------------------------------------------- transactions


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
        return _required("lgsl", self.service_code, Service)

    @property
    def interaction(self) -> Interaction:
        """The LGIL interaction."""
        return _required("lgil", self.interaction_code, Interaction)

    def __str__(self) -> str:
        return f"{self.service_code}/{self.interaction_code}"


@dataclass(frozen=True, slots=True)
class _PairIndex:
    scheme: SchemeInfo
    pairs: Mapping[tuple[int, int], ServiceInteraction]
    by_service: Mapping[int, tuple[ServiceInteraction, ...]]
    by_interaction: Mapping[int, tuple[ServiceInteraction, ...]]


class TransactionList:
    """The service x interaction pairs real sources hold, with their source; loaded on use.

    "Published" here means: in a shipped source (``transactions.csv``, column
    ``source``), today GOV.UK Local Links Manager's council links of April 2017.
    """

    name = "transactions"

    def __init__(self) -> None:
        self._index: _PairIndex | None = None
        self._lock = threading.Lock()

    def _load(self) -> _PairIndex:
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
                self._index = _PairIndex(
                    scheme=read_scheme(folder),
                    pairs=MappingProxyType({(t.service_code, t.interaction_code): t for t in rows}),
                    by_service=MappingProxyType({k: tuple(v) for k, v in by_service.items()}),
                    by_interaction=MappingProxyType(
                        {k: tuple(v) for k, v in by_interaction.items()}
                    ),
                )
            return self._index

    @property
    def _idx(self) -> _PairIndex:
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


def _ref(record: Any) -> dict[str, Any]:
    return {"code": record.code, "label": record.label}


def record_data(record: Any) -> dict[str, Any]:
    """Return a list's record as JSON-ready data (dates as ISO text), with a service's relations."""
    import dataclasses
    import datetime as dt

    data: dict[str, Any] = {}
    for item in dataclasses.fields(record):
        value = getattr(record, item.name)
        data[item.name] = value.isoformat() if isinstance(value, dt.date) else value
    if isinstance(record, Service):
        data["functions"] = [_ref(f) for f in record.functions]
        data["headings"] = [_ref(h) for h in record.headings]
        data["tiers"] = sorted(t.label for t in record.tiers)
        data["interactions"] = [_ref(i) for i in record.interactions]
    return data


__all__ = [
    "PROVIDING_TIERS",
    "UNOFFICIAL_FROM",
    "Function",
    "Interaction",
    "NavigationHeading",
    "Service",
    "ServiceInteraction",
    "ServiceTier",
    "Tier",
    "TransactionList",
    "functions_of_service",
    "headings_of_service",
    "parse_providing_tier",
    "record_data",
    "service_tier",
    "service_tier_history",
    "service_tiers",
    "shipped_list",
    "tiers_of_service",
]
