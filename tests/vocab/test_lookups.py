"""Typed look-ups over the shipped lists: get/lookup/search, collection protocol, relations."""

from __future__ import annotations

import csv
import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgstandards import UnknownCodeError
from lgstandards.vocab import functions, get_list, lgil, lgnl, lgsl, tiers, transactions
from lgstandards.vocab.concepts import parse_providing_tier


def test_lgsl_has_every_published_service() -> None:
    assert len(lgsl) == 1519
    codes = lgsl.codes()
    assert codes == tuple(sorted(codes))
    assert codes[0] == 1
    assert codes[-1] == 1749


def test_get_returns_record_or_none() -> None:
    service = lgsl.get(57)
    assert service is not None
    assert service.label == "Council tax annual notification"
    assert service.uri == "http://id.esd.org.uk/service/57"
    assert lgsl.get(999_999) is None
    assert lgsl.get(999_999, "missing") == "missing"
    assert lgsl.get([57]) is None  # unhashable input is simply not found


def test_get_finds_every_released_code_and_nothing_in_the_gaps() -> None:
    """Against the release's CSV read with the csv module, code by code up to the last."""
    release = lgsl.releases()[-1]
    path = lgsl.folder / release / "lgsl.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        released = {int(row["code"]): row["label"] for row in csv.DictReader(handle)}
    assert len(released) == len(lgsl)
    for code in range(max(released) + 2):
        found = lgsl.get(code)
        if code in released:
            assert found is not None
            assert (found.code, found.label) == (code, released[code])
        else:
            assert found is None, code


def test_lookup_accepts_code_string_uri_and_label() -> None:
    by_code = lgsl.lookup(372)
    assert lgsl.lookup("372") is by_code
    assert lgsl.lookup("http://id.esd.org.uk/service/372") is by_code
    assert lgsl.lookup("abandoned VEHICLES") is by_code


def test_lookup_unknown_raises_clear_error() -> None:
    with pytest.raises(UnknownCodeError) as info:
        lgsl.lookup(999_999)
    assert info.value.list_name == "lgsl"
    assert "999999" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_lookup_unknown_label_suggests_close_matches() -> None:
    with pytest.raises(UnknownCodeError, match="did you mean"):
        lgsl.lookup("council tax")


def test_records_are_frozen() -> None:
    service = lgsl.lookup(57)
    with pytest.raises(dataclasses.FrozenInstanceError):
        service.label = "changed"  # type: ignore[misc]


def test_search_ranks_label_before_description() -> None:
    found = lgsl.search("council tax")
    assert found, "expected matches"
    label_hits = [s for s in found if "council tax" in s.label.casefold()]
    first_description_only = next(
        i for i, s in enumerate(found) if "council tax" not in s.label.casefold()
    )
    assert all(found.index(s) < first_description_only for s in label_hits)
    assert lgsl.lookup(57) in found[: len(label_hits)]


def test_search_exact_label_first_and_limit() -> None:
    found = lgsl.search("Abandoned vehicles", limit=3)
    assert found[0].code == 372
    assert len(found) <= 3
    assert lgsl.search("   ") == []


def test_contains_len_iter() -> None:
    assert 57 in lgsl
    assert 999_999 not in lgsl
    assert "57" not in lgsl
    assert [] not in lgsl
    assert sum(1 for _ in lgsl) == len(lgsl)


def test_lgil_codes_and_hierarchy() -> None:
    assert lgil.codes() == (*range(18), *range(20, 35))
    booking = lgil.lookup(1)
    assert [c.code for c in booking.children] == [21, 22, 23, 24]
    venue = lgil.lookup(22)
    assert venue.parent is booking
    assert venue.parent_inferred is False
    assert lgil.lookup(21).parent_inferred is True
    assert [c.code for c in lgil if c.bvpi157] == list(range(10))
    assert lgil.lookup(8).label == "Providing information"


def test_functions_two_levels_and_services_both_ways() -> None:
    assert len(functions) == 113
    top = functions.top_concepts()
    assert len(top) == 13
    assert all(f.parent is None for f in top)
    assert all(f.parent is not None and f.parent.parent is None for f in functions if f not in top)
    taxation = functions.lookup(56)
    assert lgsl.lookup(57) in taxation.services
    assert taxation in lgsl.lookup(57).functions


def test_lgnl_is_discontinued_and_maps_services() -> None:
    assert len(lgnl) == 118
    assert lgnl.scheme.status == "discontinued"
    heading = lgnl.lookup(52)
    assert heading.published_uri == "http://id.esd.org.uk/website navigation/52"
    assert heading.uri == "http://id.esd.org.uk/website%20navigation/52"
    assert heading in lgsl.lookup(57).headings
    assert lgsl.lookup(57) in heading.services


def test_tiers_of_services() -> None:
    assert {t.label for t in tiers} == {"county", "district", "unitary"}
    assert tiers.lookup("county").code == 1
    assert {t.label for t in lgsl.lookup(57).tiers} == {"district", "unitary"}
    assert parse_providing_tier("all") == {"county", "district", "unitary"}
    with pytest.raises(ValueError, match="not a providing tier"):
        parse_providing_tier("parish")


def test_transactions_relate_services_and_interactions() -> None:
    assert len(transactions) > 0
    pair = next(iter(transactions))
    assert pair.service.code == pair.service_code
    assert pair in transactions.for_service(pair.service_code)
    assert pair.interaction in pair.service.interactions
    assert pair.service in pair.interaction.services
    assert (pair.service_code, pair.interaction_code) in transactions


def test_get_list_by_name() -> None:
    assert get_list("LGSL") is lgsl
    from lgstandards import UnknownListError

    with pytest.raises(UnknownListError, match="known lists"):
        get_list("ipsv")


def test_repr_is_short() -> None:
    assert repr(lgsl.lookup(57)) == "Service(57, 'Council tax annual notification')"


@pytest.mark.parametrize("text", ["²", "١", "5" * 5000, "1e3", "+57", "-57", "0x39", "", " "])
def test_lookup_of_a_string_that_is_not_a_code_raises_only_unknown_code(text: str) -> None:

    with pytest.raises(UnknownCodeError):
        lgsl.lookup(text)


@given(st.text(max_size=30))
def test_lookup_of_any_text_returns_a_concept_or_raises_unknown_code(text: str) -> None:

    try:
        concept = lgsl.lookup(text)
    except UnknownCodeError:
        return
    assert concept.code in lgsl


# ------------------------------------------------------- dated tiers, sourced pairs


def test_tiers_as_of_read_the_version_in_force_on_the_date() -> None:
    """For every service and version, ``as_of`` gives that version's entry until the next."""
    import datetime as dt

    from lgstandards.vocab.tiers import service_tier, service_tier_history, tiers_of_service

    with (tiers.folder / "history.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    dates = sorted({dt.date.fromisoformat(row["date"]) for row in rows})
    assert [d.isoformat() for d in dates] == ["2012-02-13", "2015-03-20", "2025-07-02"]
    by_version = {(row["date"], int(row["service"])): row for row in rows}
    codes = {int(row["service"]) for row in rows}
    ends = [*(d - dt.timedelta(days=1) for d in dates[1:]), dt.date(2099, 1, 1)]
    for code in codes:
        assert service_tier(code, as_of=dates[0] - dt.timedelta(days=1)) is None
        for date, end in zip(dates, ends, strict=True):
            row = by_version.get((date.isoformat(), code))
            for when in (date, end, end.isoformat()):
                entry = service_tier(code, as_of=when)
                if row is None:
                    assert entry is None
                    continue
                assert entry is not None
                assert (entry.providing_tier, entry.description, entry.date) == (
                    row["providing_tier"],
                    row["description"],
                    date,
                )
                assert entry.source == row["source"]
        assert [e.date for e in service_tier_history(code)] == [
            d for d in dates if (d.isoformat(), code) in by_version
        ]
    # The question of the issue: which tiers provided council tax in 2016?
    assert {t.label for t in tiers_of_service(57, as_of="2016-06-01")} == {"district", "unitary"}
    assert lgsl.lookup(57).tiers_as_of("2016-06-01") == tiers_of_service(57, as_of="2016-06-01")
    # The current entries are those of the latest version.
    for code in codes:
        current, latest = service_tier(code), service_tier(code, as_of=dates[-1])
        assert (current is None) == (latest is None)
        if current is not None and latest is not None:
            assert (current.providing_tier, current.description) == (
                latest.providing_tier,
                latest.description,
            )


def test_every_interaction_of_a_service_comes_with_its_source() -> None:
    from lgstandards.vocab.types import Transaction

    for pair in transactions:
        service = pair.service
        assert pair.interaction in service.interactions
        assert pair.source
        found = Transaction(service=pair.service_code, interaction=pair.interaction_code)
        assert found.published
        assert found.sources == (pair.source,)
    for service in lgsl:
        assert len(set(service.interactions)) == len(service.interactions)
        assert {t.interaction for t in service.transactions} == set(service.interactions)
    # 57/2 (pay council tax) is in no shipped source: not published, and no source named.
    unpublished = Transaction(service=57, interaction=2)
    assert not unpublished.published
    assert unpublished.sources == ()
