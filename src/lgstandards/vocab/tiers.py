"""Council tiers (county, district, unitary) and the tier that provides each service.

esd publishes no tier per service; the mapping is GOV.UK's (Publisher's
``local_services.csv``) and covers only GOV.UK's subset of services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from lgstandards._resources import vocabularies_root
from lgstandards.vocab._base import Concept, Vocabulary, concept_fields
from lgstandards.vocab.source import ConceptRow, SchemeInfo, read_mappings


@dataclass(frozen=True, slots=True, repr=False)
class Tier(Concept):
    """A tier of English local government (Local Links Manager ids 1 to 3)."""


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
    """GOV.UK's providing tier of one LGSL service, as published."""

    service: int
    providing_tier: str
    description: str

    @property
    def tiers(self) -> frozenset[Tier]:
        """The tiers the published value stands for."""
        labels = parse_providing_tier(self.providing_tier)
        return frozenset(t for t in tiers if t.label in labels)


@cache
def _service_tiers() -> Mapping[int, ServiceTier]:
    rows = read_mappings(vocabularies_root() / "tiers")
    return MappingProxyType(
        {
            int(r["service"]): ServiceTier(int(r["service"]), r["providing_tier"], r["description"])
            for r in rows
        }
    )


def service_tier(code: int) -> ServiceTier | None:
    """Return GOV.UK's providing-tier entry for the LGSL service ``code``, if it has one."""
    return _service_tiers().get(code)


def service_tiers() -> Mapping[int, ServiceTier]:
    """Return every service's providing-tier entry, by LGSL code."""
    return _service_tiers()


def tiers_of_service(code: int) -> frozenset[Tier]:
    """Return the tiers providing the LGSL service ``code`` (empty when GOV.UK has none)."""
    entry = service_tier(code)
    return frozenset() if entry is None else entry.tiers


def _tier(scheme: SchemeInfo, row: ConceptRow) -> Tier:
    return Tier(**concept_fields(scheme, row))  # type: ignore[arg-type]


#: The three tiers: ``tiers.lookup("county").code == 1``.
tiers: Vocabulary[Tier] = Vocabulary("tiers", _tier)

__all__ = [
    "PROVIDING_TIERS",
    "ServiceTier",
    "Tier",
    "parse_providing_tier",
    "service_tier",
    "service_tiers",
    "tiers",
    "tiers_of_service",
]
