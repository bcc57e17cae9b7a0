"""COM-R010's batch sums: the counted fast path gives exactly what adding one by one gives.

:func:`lgstandards.rules.epay.trailer_totals_match` reads each record's values with
tag-filtered walks and adds each distinct value once (times its count) when every
record is regular and no partial sum can round; otherwise it adds record by record.
The property: for any shape of records (missing or repeated children, comments or
elements inside, stray fund codes, huge or odd amounts), both give the same sums,
digit for digit (the exponent too: messages show the sums).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lgstandards.rules import epay

E = "urn:lgstandards:epay:1"

_AMOUNTS = st.one_of(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6
    ),
    st.decimals(allow_nan=False, allow_infinity=False, places=9),
    st.integers(min_value=-(10**30), max_value=10**30),
).map(str) | st.sampled_from(["", " 1.5 ", "abc", "1E3", "-0.00", "9" * 27 + ".5", ".5"])

_VALUE = st.tuples(_AMOUNTS, st.sampled_from(["plain", "comment", "child", "missing", "twice"]))


def _child(parent: etree._Element, name: str, value: tuple[str, str]) -> None:
    text, shape = value
    if shape == "missing":
        return
    element = etree.SubElement(parent, f"{{{E}}}{name}")
    if shape == "comment" and text:
        element.text = text[:1]
        element.append(etree.Comment("c"))
        element[-1].tail = text[1:]
    elif shape == "child":
        etree.SubElement(element, f"{{{E}}}Inner").text = text
    else:
        element.text = text
    if shape == "twice":
        etree.SubElement(parent, f"{{{E}}}{name}").text = "7"


_RECORD = st.tuples(
    _VALUE,
    _VALUE,
    st.tuples(st.sampled_from(["PARK", " LIB ", "", "X"]), _VALUE.map(lambda v: v[1])),
)


def _batch(
    records: list[tuple[tuple[str, str], tuple[str, str], tuple[str, str]]],
) -> etree._Element:
    root = etree.Element(f"{{{E}}}ReconciliationBatch")
    for gross, net, (fund, fund_shape) in records:
        record = etree.SubElement(root, f"{{{E}}}PaymentRecord")
        _child(record, "FundCode", (fund, fund_shape))
        _child(record, "GrossAmount", gross)
        _child(record, "NetAmount", net)
    trailer = etree.SubElement(root, f"{{{E}}}Trailer")
    total = etree.SubElement(trailer, f"{{{E}}}FundTotal")
    etree.SubElement(total, f"{{{E}}}FundCode").text = "PARK"  # a fund code outside records
    return root


def _exact(sums: tuple[Decimal, Decimal, dict[str, int], dict[str, Decimal]]) -> object:
    gross, net, counts, totals = sums
    return (
        str(gross),
        str(net),
        sorted(counts.items()),
        sorted((fund, str(total)) for fund, total in totals.items()),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(_RECORD, max_size=12), st.booleans())
def test_counted_sums_equal_adding_one_by_one(records: list, regular: bool) -> None:  # type: ignore[type-arg]
    if regular:  # the fast path's own case: every record has one plain value of each
        records = [((g[0], "plain"), (n[0], "plain"), (f[0], "plain")) for g, n, f in records]
    root = _batch(records)
    expected = _exact(epay._sums_one_by_one(root))
    counted = epay._record_sums(root)
    if counted is not None:
        assert _exact(counted) == expected
    findings = [(e.tag, values) for e, values in epay.trailer_totals_match(root)]
    trailer = root.find(f"{{{E}}}Trailer")
    assert trailer is not None
    gross, net, counts, totals = epay._sums_one_by_one(root)
    again = [
        (e.tag, values)
        for e, values in epay.trailer_findings(
            trailer, gross=gross, net=net, counts=counts, totals=totals
        )
    ]
    assert findings == again


def test_regular_batches_take_the_counted_path() -> None:
    root = _batch([(("1.25", "plain"), ("1.05", "plain"), ("PARK", "plain"))] * 5)
    found = epay._record_sums(root)
    assert found is not None
    assert _exact(found) == ("6.25", "5.25", [("PARK", 5)], [("PARK", "6.25")])


def test_sums_that_could_round_are_added_one_by_one() -> None:
    big = "9" * 27 + ".5"
    root = _batch([((big, "plain"), ("1", "plain"), ("PARK", "plain"))] * 3)
    assert epay._record_sums(root) is None


@settings(max_examples=100, deadline=None)
@given(st.lists(_RECORD, min_size=1, max_size=8), st.data())
def test_nested_records_and_cdata_sum_as_one_by_one(records: list, data: st.DataObject) -> None:  # type: ignore[type-arg]
    """Records inside records (their values out of record order) and CDATA values."""
    records = [((g[0], "plain"), (n[0], "plain"), (f[0], "plain")) for g, n, f in records]
    root = _batch(records)
    kept = list(root.iter(f"{{{E}}}PaymentRecord"))
    for record in kept[1:]:
        if data.draw(st.booleans()):  # move it into the record before, before or after its values
            host = kept[kept.index(record) - 1]
            host.insert(data.draw(st.integers(min_value=0, max_value=len(host))), record)
    for element in root.iter(f"{{{E}}}GrossAmount"):
        if element.text and data.draw(st.booleans()):
            element.text = etree.CDATA(element.text)
    expected = _exact(epay._sums_one_by_one(root))
    counted = epay._record_sums(root)
    if counted is not None:
        assert _exact(counted) == expected


def _in_groups(root: etree._Element, sizes: list[int]) -> epay.RecordSums:
    """Feed a batch's records to :class:`epay.RecordSums` in groups of the given sizes."""
    records = list(root.iter(f"{{{E}}}PaymentRecord"))
    sums = epay.RecordSums()
    start = 0
    for size in [*sizes, len(records)]:
        group = records[start : start + size]
        if group:
            sums.add(root, group)
        start += size
    return sums


def _group_sums(sums: epay.RecordSums) -> object:
    return _exact((sums.gross, sums.net, sums.counts, sums.totals))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_RECORD, max_size=12),
    st.booleans(),
    st.lists(st.integers(min_value=1, max_value=5), max_size=6),
)
def test_sums_in_groups_equal_adding_one_by_one(
    records: list,  # type: ignore[type-arg]
    regular: bool,
    sizes: list[int],
) -> None:
    """Streaming adds a chunk of records at a time: the same sums, digit for digit."""
    if regular:
        records = [((g[0], "plain"), (n[0], "plain"), (f[0], "plain")) for g, n, f in records]
    root = _batch(records)
    assert _group_sums(_in_groups(root, sizes)) == _exact(epay._sums_one_by_one(root))


def test_groups_add_counted_values_until_a_sum_could_round() -> None:
    small = [(("1.25", "plain"), ("1.05", "plain"), ("PARK", "plain"))] * 4
    root = _batch(small)
    sums = _in_groups(root, [2, 2])
    assert sums._grouped
    assert _group_sums(sums) == ("5.00", "4.20", [("PARK", 4)], [("PARK", "5.00")])
    # Each group alone is safe, but their running sum could round: from then on, one by one.
    near = "9" * 13 + "0" * 12 + ".25"
    root = _batch([((near, "plain"), ("1", "plain"), ("PARK", "plain"))] * 6 + small)
    sums = _in_groups(root, [1, 1, 1, 1, 1, 1, 4])
    assert not sums._grouped
    assert _group_sums(sums) == _exact(epay._sums_one_by_one(root))


def _decimal_bound(
    bound: Decimal, places: int, counted: list[dict[str | None, int]]
) -> tuple[Decimal, int] | None:
    """The bound as :class:`epay.RecordSums` kept it before: decimals, 120 digits."""
    from decimal import Context

    exact = Context(prec=120)
    for values in counted:
        for text, count in values.items():
            amount = epay._amount(text)
            bound = exact.add(bound, exact.multiply(abs(amount), count))
            places = max(places, -int(amount.as_tuple().exponent))
    if exact.scaleb(bound, places) >= Decimal(10) ** 27:
        return None
    return bound, places


_NEAR_BOUND = st.one_of(
    _AMOUNTS,
    st.integers(min_value=0, max_value=12).flatmap(
        lambda places: st.integers(min_value=-(10**27), max_value=10**27).map(
            lambda units: str(Decimal(units).scaleb(-places - 12))
        )
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.dictionaries(_NEAR_BOUND, st.integers(min_value=1, max_value=10**6), max_size=5),
        min_size=1,
        max_size=4,
    )
)
def test_integer_bound_decides_as_the_decimal_one(groups: list[dict[str | None, int]]) -> None:
    """RecordSums' integer bound grows, and stops the counted path, as the decimal one did."""
    bound, places = 0, 0
    reference: tuple[Decimal, int] | None = (Decimal(0), 0)
    for group in groups:
        counted = [group, dict.fromkeys(list(group)[:2], 1)]
        parsed = {text: epay._scaled_of(text) for values in counted for text in values}
        found = epay._grown_bound(bound, places, parsed, tuple(counted))
        assert reference is not None
        reference = _decimal_bound(*reference, counted)
        if reference is None:
            assert found is None
            return
        assert found is not None
        bound, places = found
        assert Decimal(bound).scaleb(-places) == reference[0]
        assert places == reference[1]
