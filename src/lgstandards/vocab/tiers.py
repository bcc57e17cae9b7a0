"""Council tiers (county, district, unitary) and the tier that provides each service.

esd publishes no tier per service; the mapping is GOV.UK's (Publisher's
``local_services.csv``) and covers only GOV.UK's subset of services. Every version
of that file (2012, 2015, 2025) is shipped with its date, so ``as_of`` answers for a
date: ``tiers_of_service(57, as_of="2016-06-01")``. The record type and the mapping
are in :mod:`lgstandards.vocab.concepts`.
"""

from __future__ import annotations

from lgstandards.vocab._base import Vocabulary, concept_fields
from lgstandards.vocab.concepts import (
    PROVIDING_TIERS,
    ServiceTier,
    Tier,
    _register,
    parse_providing_tier,
    service_tier,
    service_tier_history,
    service_tiers,
    tiers_of_service,
)
from lgstandards.vocab.source import ConceptRow, SchemeInfo


def _tier(scheme: SchemeInfo, row: ConceptRow) -> Tier:
    return Tier(**concept_fields(scheme, row))  # type: ignore[arg-type]


#: The three tiers: ``tiers.lookup("county").code == 1``.
tiers: Vocabulary[Tier] = _register(Vocabulary("tiers", _tier))

__all__ = [
    "PROVIDING_TIERS",
    "ServiceTier",
    "Tier",
    "parse_providing_tier",
    "service_tier",
    "service_tier_history",
    "service_tiers",
    "tiers",
    "tiers_of_service",
]
