"""Whole validation of batches at the screens' threshold gives the ISO skeleton's findings.

From :data:`~lgstandards.rules.schematron.SCREEN_FROM` records a batch's record rules are
screened and the rules left on a few given elements are evaluated in Python, sharing
what they read with the Python rules (:func:`lgstandards.rules.screens.sharing`). Here
batches just below, at and above the threshold, with records whose dates, types and
children are broken, absent or repeated, and with other rules' contexts grafted in
(once, or more often than can be given), are validated as a user would (``validate``);
the report must be the one made with the skeleton's XSLT in place of the engine: the
same issues, texts, lines, paths, in the same order.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lgstandards.rules.schematron import SCREEN_FROM, CompiledRules
from lgstandards.validation import validate

NS = "urn:lgstandards:epay:1"

RECORD = (
    "<epay:PaymentRecord><epay:RecordType>{type}</epay:RecordType>"
    "<epay:TransactionId>TX{n:06d}</epay:TransactionId><epay:FundCode>CT</epay:FundCode>"
    "<epay:AccountReference>500000018</epay:AccountReference>"
    "<epay:GrossAmount>10.00</epay:GrossAmount><epay:Fee>0.10</epay:Fee>"
    "<epay:NetAmount>9.90</epay:NetAmount>{dates}</epay:PaymentRecord>\n"
)
DATES = (
    "<epay:TransactionDate>2026-04-01</epay:TransactionDate>"
    "<epay:CapturedDate>2026-04-01</epay:CapturedDate>"
)
#: What a record's dates may be instead: out of order, odd, absent, repeated, split.
ODD_DATES = [
    "<epay:TransactionDate>2026-04-02</epay:TransactionDate>"
    "<epay:CapturedDate>2026-04-01</epay:CapturedDate>",
    "<epay:CapturedDate>2026-04-01</epay:CapturedDate>",
    "",
    DATES + "<epay:SettledDate>2026-03-31</epay:SettledDate>",
    DATES + "<epay:PaidOutDate>2026-04-03</epay:PaidOutDate><epay:PostingDate>2026-04-04"
    "</epay:PostingDate>",
    DATES + "<epay:CapturedDate>2026-03-01</epay:CapturedDate>",
    "<epay:TransactionDate> 2026-04-01</epay:TransactionDate>"
    "<epay:CapturedDate>2026-04-01</epay:CapturedDate>",
    "<epay:TransactionDate>2026-04-0<!-- c -->1</epay:TransactionDate>"
    "<epay:CapturedDate>2026-04-01</epay:CapturedDate>",
    "<epay:Created>2026-04-05</epay:Created><epay:CapturedDate>2026-04-01</epay:CapturedDate>",
    "<epay:TransactionDate>NaN</epay:TransactionDate><epay:PeriodTo>2026-04-01</epay:PeriodTo>",
]
TYPES = ["PAYMENT", "REFUND", "DISPUTE", " PAYMENT", "PAY<!-- c -->MENT", ""]
#: Other rules' contexts, with values that break them or not.
GRAFTS = [
    "<epay:Currency>EUR</epay:Currency>",
    "<epay:Currency> GBP</epay:Currency>",
    "<epay:Narrative>" + "x" * 51 + "</epay:Narrative>",
    "<epay:MaskedCardNumber>123456*****123</epay:MaskedCardNumber>",
    "<epay:PaymentRequest><epay:Line><epay:LineId>1</epay:LineId><epay:Amount>-1</epay:Amount>"
    "<epay:Description>d</epay:Description></epay:Line><epay:SaleTotal>2</epay:SaleTotal>"
    "</epay:PaymentRequest>",
    "<epay:RefundRequest><epay:OriginalAmount>5</epay:OriginalAmount><epay:RefundAmount>6"
    "</epay:RefundAmount><epay:RequestDate>2026-01-01</epay:RequestDate><epay:PaymentDate>"
    "2026-02-01</epay:PaymentDate></epay:RefundRequest>",
    "<epay:BatchHeader><epay:PeriodFrom>2026-04-30</epay:PeriodFrom><epay:PeriodTo>2026-04-01"
    "</epay:PeriodTo></epay:BatchHeader>",
]


def _batch(count: int, odd: dict[int, tuple[str, str]], grafts: list[tuple[str, int]]) -> str:
    records = []
    types: list[str] = []
    for n in range(count):
        kind, dates = odd.get(n, ("PAYMENT", DATES))
        types.append(kind)
        records.append(RECORD.format(type=kind, n=n, dates=dates))
    for graft, copies in grafts:
        records.insert(len(records) // 2, graft * copies)
    counts = "".join(
        f"<epay:{name}>{number}</epay:{name}>"
        for name, number in (
            ("RecordCount", count),
            ("PaymentCount", types.count("PAYMENT")),
            ("RefundCount", types.count("REFUND")),
            ("DisputeCount", types.count("DISPUTE")),
        )
    )
    return (
        f'<epay:ReconciliationBatch xmlns:epay="{NS}" xmlns:lgc="urn:lgstandards:common:1" '
        'SchemaVersion="1.0"><epay:BatchHeader><epay:PeriodFrom>2026-04-01</epay:PeriodFrom>'
        "<epay:PeriodTo>2026-04-30</epay:PeriodTo><epay:Currency>GBP</epay:Currency>"
        f"</epay:BatchHeader>\n{''.join(records)}<epay:Trailer>{counts}</epay:Trailer>"
        "</epay:ReconciliationBatch>"
    )


def _skeleton_checked(self: CompiledRules, tree: Any, **_: Any) -> tuple[Any, list[Any]]:
    self.validator.validate(tree)
    return self.validator.validation_report, []


def _issues(text: str) -> list[Any]:
    return list(validate(text, checks=["rules"], streaming=False).issues)


@settings(max_examples=25, deadline=None)
@given(
    count=st.sampled_from([SCREEN_FROM - 1, SCREEN_FROM, SCREEN_FROM + 1]),
    odd=st.dictionaries(
        st.integers(0, SCREEN_FROM - 2),
        st.tuples(st.sampled_from(TYPES), st.sampled_from([DATES, *ODD_DATES])),
        max_size=6,
    ),
    grafts=st.lists(st.tuples(st.sampled_from(GRAFTS), st.sampled_from([1, 2, 33])), max_size=3),
    plain=st.booleans(),
)
def test_a_batch_at_the_threshold_gives_the_skeletons_report(
    count: int, odd: dict[int, tuple[str, str]], grafts: list[tuple[str, int]], plain: bool
) -> None:
    if plain:  # every date plain, some out of order: the screen's usual batch
        swapped = (DATES, ODD_DATES[0], ODD_DATES[8])
        odd = {n: (kind, swapped[n % 3]) for n, (kind, _) in odd.items()}
    text = _batch(count, odd, grafts)
    found = _issues(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CompiledRules, "checked", _skeleton_checked)
        expected = _issues(text)
    assert found == expected
